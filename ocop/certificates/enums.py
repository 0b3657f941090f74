from django.conf import settings
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
    """The grounds of QĐ 26/2026/QĐ-TTg Art. 8.1, points a–e, and nothing else."""

    FALSE_INFORMATION = (
        "false_information",
        _("a) False information or forged documents in the registration dossier"),
    )
    CRITERIA_NOT_MET = (
        "criteria_not_met",
        _("b) No longer meets the criteria, on the conclusion of an inspection or supervision"),
    )
    LAW_VIOLATION = (
        "law_violation",
        _(
            "c) Violation of the law on quality, food safety, environment, intellectual property, labelling "
            "or other law, on the conclusion of the competent authority"
        ),
    )
    MARK_MISUSE = "mark_misuse", _("d) Misuse of the OCOP mark, misleading about the recognised product")
    PRODUCTION_STOPPED = "production_stopped", _("đ) The producer no longer makes the OCOP product")
    OTHER_AUTHORITY = (
        "other_authority",
        _("e) Other case, on the conclusion and proposal of the competent State authority"),
    )


class LegacyRevocationGround(models.TextChoices):
    """Grounds recorded before QĐ 26/2026 (QĐ 148/2023): kept on old revocations, not offered any more."""

    EXPIRED_NOT_RENEWED = "expired_not_renewed", _("Expired without re-application")
    FAILED_MANDATORY = "failed_mandatory", _("Failed mandatory criteria on re-evaluation")
    FOOD_SAFETY = "food_safety", _("Food safety violation")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Intellectual property violation")
    LABELLING = "labelling", _("Labelling violation")
    PRODUCER_DISSOLVED = "producer_dissolved", _("Producer dissolved or stopped production")
    PRODUCER_REQUEST = "producer_request", _("At the producer's request")
    OTHER = "other", _("Other (see details)")


def revocation_ground_label(value):
    for enum in (RevocationGround, LegacyRevocationGround):
        if value in enum.values:
            return enum(value).label
    return value or ""


class PostCheckResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    REMEDY = "remedy", _("Passed with remedies required")
    FAILED = "failed", _("Failed")


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    IN_APP = "in_app", _("In the platform only (no email address)")


# Days before expiry at which the producer is told: settings.CERTIFICATE_EXPIRY_NOTICE_DAYS, by default
# (210, 180, 150): a month before the re-evaluation window of QĐ 26/2026 Art. 7.6a opens (180 to 120 days
# before the end), the day it opens, and a month before it closes.
DEFAULT_EXPIRY_NOTICE_DAYS = (210, 180, 150)


def expiry_notice_days():
    return tuple(getattr(settings, "CERTIFICATE_EXPIRY_NOTICE_DAYS", DEFAULT_EXPIRY_NOTICE_DAYS))
