"""Office menu labels of this area (the menu itself is in ocop/backoffice/nav.py); listed here so
that they are extracted into this app's catalog."""

from django.utils.translation import gettext_lazy as _

NAV_LABELS = (_("Certificates"), _("Stamps"), _("Counterfeits"))
