"""States of a dossier and the table of allowed transitions (architecture §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for completion")
    FORWARDED = "forwarded", _("Forwarded to the province")
    # QĐ 26/2026 Art. 7.3a: the provincial office "thông báo và hướng dẫn UBND cấp xã, chủ thể OCOP hoàn thiện
    # hồ sơ"; the producer completes it and sends it back to the province.
    COMPLETION = "completion", _("Province asked for completion")
    APPRAISED = "appraised", _("Appraised")
    SCORING = "scoring", _("Council scoring")
    SCORED = "scored", _("Scored")
    RECOGNISED = "recognised", _("Recognised")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    NOMINATED_5STAR = "nominated_5star", _("Sent to the Ministry (5★)")
    NATIONAL_BELOW_90 = "national_below_90", _("Central council: below 90 points")
    DISQUALIFIED = "disqualified", _("Disqualified")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = DossierState
OPEN_STATES = {
    S.DRAFT,
    S.SUBMITTED,
    S.RETURNED,
    S.FORWARDED,
    S.COMPLETION,
    S.APPRAISED,
    S.SCORING,
    S.SCORED,
}
# States in which the producer edits its dossier (a commune's or the province's return for completion).
EDITABLE_STATES = {S.DRAFT, S.RETURNED, S.COMPLETION}
FINAL_STATES = {S.RECOGNISED, S.NOT_RECOGNISED, S.DISQUALIFIED, S.WITHDRAWN}
# Work on a dossier that only some states allow, besides the moves of TRANSITIONS: the rules
# (`ocop.evaluation.rules`, passed to the templates as `can_*`) and the domain functions read these.
SAMPLE_STATES = {S.FORWARDED}  # the office records the product samples received with the dossier
COUNCIL_STATES = {S.APPRAISED, S.SCORING}  # a council member sees the dossier's council block
SCORESHEET_STATES = {S.SCORING}  # a council member fills in a scoresheet
MINISTRY_STATES = {S.FORWARDED, S.APPRAISED}  # a 5★ re-evaluation is sent to the Ministry (Art. 6.3b)
# Still waiting for a result (Art. 12.3 keeps a certificate under renewal in force meanwhile).
UNDECIDED_STATES = OPEN_STATES | {S.NOMINATED_5STAR, S.NATIONAL_BELOW_90}

TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.RETURNED, S.FORWARDED, S.WITHDRAWN},
    S.RETURNED: {S.SUBMITTED, S.WITHDRAWN},
    # QĐ 26/2026 Art. 6.3b, 7.6e: a 5★ re-evaluation goes from the provincial office to the Ministry.
    S.FORWARDED: {S.APPRAISED, S.COMPLETION, S.NOMINATED_5STAR, S.DISQUALIFIED, S.WITHDRAWN},
    # Art. 7.3a (office's check) and 7.3c (the advisory group proposes completing the dossier).
    S.COMPLETION: {S.FORWARDED, S.WITHDRAWN},
    S.APPRAISED: {S.SCORING, S.COMPLETION, S.NOMINATED_5STAR, S.DISQUALIFIED, S.WITHDRAWN},
    S.SCORING: {S.SCORED, S.DISQUALIFIED, S.WITHDRAWN},
    S.SCORED: {S.RECOGNISED, S.NOT_RECOGNISED, S.NOMINATED_5STAR, S.DISQUALIFIED, S.WITHDRAWN},
    # Art. 7.4e–g: the Minister recognises 5★; below 90 the province may recognise 3★/4★.
    S.NOMINATED_5STAR: {S.RECOGNISED, S.NATIONAL_BELOW_90},
    S.NATIONAL_BELOW_90: {S.RECOGNISED, S.NOT_RECOGNISED},
    S.RECOGNISED: set(),
    S.NOT_RECOGNISED: set(),
    S.DISQUALIFIED: set(),
    S.WITHDRAWN: set(),
}

# Which permission each move asks (rules.py), so that check_transition asks role and scope in one place.
TRANSITION_PERMS = {
    S.SUBMITTED: "evaluation.submit_dossier",
    S.RETURNED: "evaluation.review_dossier",
    S.FORWARDED: "evaluation.review_dossier",
    S.COMPLETION: "evaluation.manage_dossier",
    S.APPRAISED: "evaluation.appraise_dossier",
    S.SCORING: "evaluation.manage_dossier",
    S.SCORED: "evaluation.manage_dossier",
    S.RECOGNISED: "evaluation.manage_dossier",
    S.NOT_RECOGNISED: "evaluation.manage_dossier",
    S.NOMINATED_5STAR: "evaluation.manage_dossier",
    S.NATIONAL_BELOW_90: "evaluation.record_national_result",
    S.DISQUALIFIED: "evaluation.appraise_dossier",
    S.WITHDRAWN: "evaluation.withdraw_dossier",
}
# Moves whose permission depends on where they start: the producer sends its completed dossier back to
# the province (the commune forwards the others).
MOVE_PERMS = {(S.COMPLETION, S.FORWARDED): "evaluation.submit_dossier"}


class Outcome(models.TextChoices):
    """What a final state means for the product's certificate (shown to the producer)."""

    NONE = "", _("—")
    CERTIFIED = "certified", _("Certificate issued")
    BELOW_3_STARS = "below_3_stars", _("Below 3★: no decision and no certificate (Art. 4.1a)")
    UPGRADE_FAILED = "upgrade_failed", _("Upgrade not reached: the current certificate stays unchanged")
    REEVALUATION_FAILED = (
        "reevaluation_failed",
        _("Re-evaluation not passed: the certificate ends on its expiry date"),
    )
    KNOCKED_OUT = "knocked_out", _("Disqualified (knock-out criterion)")
    NATIONAL_5_STARS = "national_5_stars", _("Recognised 5★ by the Ministry")


class DossierKind(models.TextChoices):
    NEW = "new", _("New product")
    REEVALUATION = "reevaluation", _("Re-evaluation")
    UPGRADE = "upgrade", _("Upgrade")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for submissions")
    CLOSED = "closed", _("Closed to new dossiers")


class Body(models.TextChoices):
    COUNCIL = "council", _("Council")
    ADVISORY = "advisory", _("Advisory group")


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SUPERSEDED = "superseded", _("Superseded by a correction")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RECORDED = "recorded", _("Recorded")


class EvidenceKind(models.TextChoices):
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    FOOD_SAFETY = "food_safety", _("Food-safety certificate")
    QUALITY_DECLARATION = "quality_declaration", _("Quality declaration (published standard)")
    TEST_REPORT = "test_report", _("Test report")
    TRADEMARK = "trademark", _("Trademark")
    BARCODE = "barcode", _("Barcode")
    TRACEABILITY = "traceability", _("Traceability")
    LABEL = "label", _("Label and packaging")
    PHOTO = "photo", _("Product photos")
    CONTRACT = "contract", _("Supply or sales contracts")
    QUALITY_SYSTEM = "quality_system", _("VietGAP / HACCP / ISO certificate")
    STORY = "story", _("Product story")
    AWARD = "award", _("Awards")
    OTHER = "other", _("Other evidence")


# Evidence a dossier cannot be submitted without (the others are welcome, not required).
REQUIRED_EVIDENCE = (EvidenceKind.BUSINESS_REGISTRATION, EvidenceKind.QUALITY_DECLARATION, EvidenceKind.PHOTO)
SAMPLES_REQUIRED = 5
TOURISM_PRODUCT_SET = 26

# Mẫu 02 point 7 (Annex III): the boxes the producer ticks in its registration (forms_pdf.FORM02_POINT7 lays
# them out as the annex does); "p7_ip_other" is the "Khác (ghi rõ)" text.
FORM02_POINT7_FIELDS = (
    "p7_business_registration",
    "p7_quality_declaration",
    "p7_food_safety",
    "p7_production_licence",
    "p7_ip_trademark",
    "p7_ip_collective",
    "p7_ip_patent",
    "p7_ip_design",
    "p7_ip_copyright",
    "p7_ip_other",
)
