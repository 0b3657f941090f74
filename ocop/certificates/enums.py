from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    """Status as of a date (computed, see `Certificate.status_on`)."""

    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUSPENDED = "suspended", _("Suspended")
    SUPERSEDED = "superseded", _("Superseded")
    NOT_YET = "not_yet", _("Not yet in force")


class CertificateKind(models.TextChoices):
    NEW = "new", _("New recognition")
    REEVALUATION = "reevaluation", _("Re-recognition")
    UPGRADE = "upgrade", _("Upgrade")


class CertificateSource(models.TextChoices):
    DECISION = "decision", _("Council decision on the platform")
    IMPORT = "import", _("Imported from the provincial list")
