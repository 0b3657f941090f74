"""Office menu entries: (url name, label, permission or None). Each area appends its own."""

from django.utils.translation import gettext_lazy as _

OFFICE_NAV = [
    ("backoffice:producer_list", _("Producers"), None),
    ("backoffice:product_list", _("Products"), None),
    ("backoffice:api_token_list", _("API tokens"), "api.list_tokens"),
    ("backoffice:certificate_list", _("Certificates"), None),
    ("backoffice:stamp_batch_list", _("Stamps"), "backoffice.access"),
    ("backoffice:counterfeit_dashboard", _("Counterfeits"), "stamps.view_dashboard"),
]

# Panels on the office home page: dotted paths of functions `panel(request)` returning
# (template name, context) or None when the panel does not concern this user.
HOME_PANELS = []
