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


class RevocationGround(models.TextChoices):
    """Grounds for revoking a certificate (QĐ 148; the list 26/2026 reportedly fixes)."""

    EXPIRED_NOT_RENEWED = "expired_not_renewed", _("Expired without re-application")
    FAILED_MANDATORY = "failed_mandatory", _("Failed mandatory criteria on re-evaluation")
    FOOD_SAFETY = "food_safety", _("Food safety violation")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Intellectual property violation")
    LABELLING = "labelling", _("Labelling violation")
    PRODUCER_DISSOLVED = "producer_dissolved", _("Producer dissolved or stopped production")
    PRODUCER_REQUEST = "producer_request", _("At the producer's request")
    OTHER = "other", _("Other (see details)")


class PostCheckResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    REMEDY = "remedy", _("Passed with remedies required")
    FAILED = "failed", _("Failed")


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    IN_APP = "in_app", _("In the platform only (no email address)")


# Days before expiry at which the producer is told; the last one must be at least 30 (QĐ 148).
EXPIRY_NOTICE_DAYS = (90, 60, 30)
