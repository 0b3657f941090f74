"""Rounds, councils, dossiers, scoresheets, decisions and in-app notifications."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.core.models import TimeStampedModel
from ocop.core.privatefiles import private_name, private_storage

from .enums import (
    Body,
    DecisionStatus,
    DossierKind,
    DossierState,
    EvidenceKind,
    Outcome,
    Position,
    RoundStatus,
    SheetStatus,
)

USER = settings.AUTH_USER_MODEL


class Round(TimeStampedModel):
    """An evaluation round (đợt đánh giá) of one province."""

    province = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    criteria_set = models.ForeignKey("criteria.CriteriaSet", on_delete=models.PROTECT, related_name="+")
    submission_deadline = models.DateField(_("submission deadline"))
    review_deadline = models.DateField(_("commune review deadline"))
    council_date = models.DateField(_("council meeting date"))
    schedule_note = models.TextField(
        _("reason for departing from the legal calendar"),
        blank=True,
        help_text=_("QĐ 26/2026 Art. 5.1: round 1 before 30 June, round 2 before 30 December."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    quorum = models.PositiveSmallIntegerField(
        _("quorum"),
        null=True,
        blank=True,
        help_text=_("Scoresheets needed to close scoring; empty: every member without a conflict."),
    )
    spread_threshold = models.DecimalField(
        _("spread threshold (points)"),
        max_digits=4,
        decimal_places=1,
        default=2,
        help_text=_("Criteria where members differ by more than this are flagged."),
    )

    class Meta:
        ordering = ["-year", "-submission_deadline"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("backoffice:evaluation_round", args=[self.pk])


class Membership(models.Model):
    """A person on the round's council or advisory group."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="evaluation_memberships")
    body = models.CharField(_("body"), max_length=10, choices=Body.choices, default=Body.COUNCIL)
    position = models.CharField(
        _("position"), max_length=12, choices=Position.choices, default=Position.MEMBER
    )
    department = models.CharField(_("department"), max_length=150, blank=True)

    class Meta:
        ordering = ["body", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user", "body"], name="unique_round_membership")
        ]
        verbose_name = _("membership")

    def __str__(self):
        return f"{self.user} ({self.get_position_display()})"


class Decision(TimeStampedModel):
    """A recognition decision (quyết định công nhận) of the provincial People's Committee."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(_("decision number"), max_length=60)
    date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    issuer_name = models.CharField(_("issuing authority"), max_length=200)
    status = models.CharField(max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("decision")

    def __str__(self):
        return self.number


class Dossier(TimeStampedModel):
    """A producer's application (hồ sơ) for one product in one round. It freezes its rubric."""

    number = models.CharField(_("dossier number"), max_length=30, unique=True)
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="dossiers")
    product = models.ForeignKey("registry.Product", on_delete=models.PROTECT, related_name="dossiers")
    producer = models.ForeignKey("registry.Producer", on_delete=models.PROTECT, related_name="dossiers")
    kind = models.CharField(_("kind"), max_length=14, choices=DossierKind.choices, default=DossierKind.NEW)
    state = models.CharField(
        _("state"), max_length=20, choices=DossierState.choices, default=DossierState.DRAFT, db_index=True
    )
    rubric = models.ForeignKey("criteria.Rubric", on_delete=models.PROTECT, related_name="+")
    registration = models.JSONField(_("registration form"), default=dict, blank=True)
    self_answers = models.JSONField(_("self-assessment"), default=dict, blank=True)
    return_reasons = models.TextField(_("reasons for return"), blank=True)
    commune_assessment = models.JSONField(default=dict, blank=True)  # local criteria: {id: option id}
    commune_report = models.TextField(_("commune report"), blank=True)
    appraisal_note = models.TextField(_("appraisal conclusion"), blank=True)
    appraisal_comments = models.JSONField(default=dict, blank=True)  # {criterion id: comment}
    samples_received = models.PositiveSmallIntegerField(_("samples received"), default=0)
    samples_received_on = models.DateField(_("samples received on"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    result_total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    result_parts = models.JSONField(default=dict, blank=True)
    result_star = models.PositiveSmallIntegerField(null=True, blank=True)
    potential_5_star = models.BooleanField(default=False)
    unmet_mandatory = models.JSONField(default=list, blank=True)
    spread = models.JSONField(default=list, blank=True)
    sheets_count = models.PositiveSmallIntegerField(default=0)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers"
    )
    certificate = models.ForeignKey(
        "certificates.Certificate", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    national_star = models.PositiveSmallIntegerField(null=True, blank=True)
    national_total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    national_note = models.TextField(blank=True)
    # QĐ 26/2026 procedure (docs/evaluation.md maps each field to its article).
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    knockouts = models.JSONField(default=list, blank=True)  # [{"criterion", "reason"}]
    commune_received_on = models.DateField(_("received by the commune on"), null=True, blank=True)
    commune_due_on = models.DateField(_("commune report due on"), null=True, blank=True)
    commune_reported_on = models.DateField(_("commune report issued on"), null=True, blank=True)
    commune_form = models.JSONField(default=dict, blank=True)  # Mẫu 03 part II: {item: text}
    approval_decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="approved_dossiers"
    )
    renews = models.ForeignKey(
        "certificates.Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_dossiers",
        verbose_name=_("certificate re-evaluated or upgraded"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["round", "state"])]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self):
        return f"{self.number} {self.product.name}" if self.product_id else self.number

    def get_absolute_url(self):
        return reverse("backoffice:evaluation_dossier", args=[self.pk])

    def scope_communes(self):
        return self.producer.scope_communes()

    @property
    def needs_samples(self):
        return self.product.product_set != 26

    @property
    def goes_to_ministry(self):
        """A re-evaluation of a 5★ product goes to the Ministry (QĐ 26/2026 Art. 6.3b, 7.6e)."""
        return self.kind == "reevaluation" and self.renews_id is not None and self.renews.star == 5


def evidence_path(instance, filename):
    """A random name in the dossier's folder of the private storage; only the extension is kept."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return private_name(f"dossiers/{instance.dossier_id}", extension)


class Evidence(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=24, choices=EvidenceKind.choices)
    criterion = models.CharField(_("criterion"), max_length=30, blank=True)
    # Private: outside MEDIA_ROOT, random names, sent only by the permission-checked download view.
    file = models.FileField(upload_to=evidence_path, storage=private_storage)
    name = models.CharField(_("file name"), max_length=200)
    mime = models.CharField(max_length=60)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self):
        return self.name


class Conflict(models.Model):
    """A member's declared conflict of interest: they cannot score the dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "member"], name="unique_conflict")]

    def __str__(self):
        return f"{self.member} / {self.dossier_id}"


class Scoresheet(TimeStampedModel):
    """One member's score sheet (phiếu chấm). Submitted sheets are locked; a correction is a new version."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="scoresheets")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="scoresheets")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    answers = models.JSONField(default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    total = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    parts = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.CharField(_("reason for correction"), max_length=300, blank=True)
    # Knock-outs the member found (Annex II "Hồ sơ bị loại khi", "Bị loại nếu…"): [{"key", "criterion",
    # "reason"}], key = "disqualifier:N" | a criterion id | "" (the member's own words). The council's
    # judgement over the sheets is `ocop.evaluation.domain` `council_knockouts` (docs/evaluation.md).
    knockouts = models.JSONField(default=list, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["dossier", "member", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "member", "version"], name="unique_sheet_version")
        ]

    def __str__(self):
        return f"{self.dossier.number} / {self.member} v{self.version}"


class Notification(models.Model):
    """An in-app notice (the same text is mailed)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="evaluation_notifications")
    verb = models.CharField(max_length=40)
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # One notice per (user, key): the key of the `notify` task that wrote it, so a task run again after
    # its worker died creates no duplicates; `emailed_at` marks the mail as sent (sent at most once).
    key = models.CharField(max_length=64, blank=True, default="")
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~models.Q(key=""), name="one_notification_per_key"
            )
        ]

    def __str__(self):
        return self.title
