from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    BLOCKED = "blocked", _("Blocked")


BATCH_TRANSITIONS = {
    BatchState.REQUESTED: {BatchState.APPROVED, BatchState.REJECTED},
    BatchState.APPROVED: {BatchState.BLOCKED},
    BatchState.BLOCKED: {BatchState.APPROVED},
    BatchState.REJECTED: set(),
}

# The office's moves of a batch: (from, to, the permission it asks), as the domain functions check them.
BATCH_ACTIONS = {
    "approve": (BatchState.REQUESTED, BatchState.APPROVED, "stamps.approve_batch"),
    "reject": (BatchState.REQUESTED, BatchState.REJECTED, "stamps.approve_batch"),
    "block": (BatchState.APPROVED, BatchState.BLOCKED, "stamps.block_batch"),
    "unblock": (BatchState.BLOCKED, BatchState.APPROVED, "stamps.block_batch"),
}


class SignalKind(models.TextChoices):
    REPEATED = "repeated", _("Scanned many times")
    FAR_APART = "far_apart", _("Scanned far apart within a short time")
    UNAPPROVED = "unapproved", _("Serial of a batch never approved")
    BLOCKED = "blocked", _("Serial of a blocked batch")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    CONFIRMED = "confirmed", _("Confirmed counterfeit")


class Verdict(models.TextChoices):
    VALID = "valid", _("Genuine and valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUSPENDED = "suspended", _("Suspended")
    UNKNOWN = "unknown", _("Not an OCOP code")


class Device(models.TextChoices):
    MOBILE = "mobile", _("Phone")
    DESKTOP = "desktop", _("Computer")
    BOT = "bot", _("Bot")
    OTHER = "other", _("Other")


MAX_BATCH_QUANTITY = 1_000_000
