"""The one place that turns an ActivityLog row into a sentence for people: a translated verb per action
key, translated state labels ("Tỉnh duyệt chủ thể: chờ duyệt → hoạt động") and the few details worth
reading (a reason, a number, a star). Never the raw key, never a raw dict."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.accounts.enums import Role
from ocop.certificates.enums import CertificateStatus, PostCheckResult, RevocationGround
from ocop.evaluation.enums import Body, DossierState, Position, RoundStatus
from ocop.market.enums import SalePointStatus
from ocop.registry.enums import ProducerStatus
from ocop.stamps.enums import BatchState, SignalStatus

L = gettext_lazy

VERBS = {
    "accounts.2fa.disabled": L("Two-factor authentication turned off"),
    "accounts.2fa.enabled": L("Two-factor authentication turned on"),
    "accounts.role.assigned": L("Role given"),
    "accounts.role.removed": L("Role removed"),
    "accounts.user.activated": L("Account reactivated"),
    "accounts.user.created": L("Account created"),
    "accounts.user.deactivated": L("Account deactivated"),
    "accounts.user.password_changed": L("The user chose a new password"),
    "accounts.user.password_reset": L("Password reset"),
    "accounts.user.registered": L("Producer account registered"),
    "accounts.user.updated": L("Account details changed"),
    "api.token.issued": L("API token issued"),
    "api.token.revoked": L("API token revoked"),
    "certificates.certificate.expiry_notice_sent": L("Expiry notice sent"),
    "certificates.certificate.issued": L("Certificate issued"),
    "certificates.certificate.post_checked": L("Post-certification check recorded"),
    "certificates.certificate.revoked": L("Certificate revoked"),
    "certificates.certificate.superseded": L("Certificate replaced by a new one"),
    "certificates.certificate.suspended": L("Certificate suspended"),
    "certificates.certificate.suspension_lifted": L("Certificate suspension lifted"),
    "certificates.number_pattern.set": L("Certificate numbering changed"),
    "criteria.rubric.updated": L("Rubric changed"),
    "criteria.set.published": L("Criteria set published"),
    "evaluation.decision.created": L("Decision prepared"),
    "evaluation.decision.recorded": L("Decision recorded"),
    "evaluation.dossier.appraised": L("Advisory group appraised the dossier"),
    "evaluation.dossier.conflict_declared": L("Conflict of interest declared"),
    "evaluation.dossier.created": L("Dossier opened"),
    "evaluation.dossier.evidence_added": L("Document added to the dossier"),
    "evaluation.dossier.evidence_removed": L("Document removed from the dossier"),
    "evaluation.dossier.forwarded": L("Commune forwarded the dossier to the province"),
    "evaluation.dossier.national_result": L("National result recorded"),
    "evaluation.dossier.registration_saved": L("Registration form saved"),
    "evaluation.dossier.returned": L("Dossier returned for completion"),
    "evaluation.dossier.samples_received": L("Samples received"),
    "evaluation.dossier.scored": L("Council scoring closed"),
    "evaluation.dossier.scoring_opened": L("Council scoring opened"),
    "evaluation.dossier.self_assessed": L("Self-assessment saved"),
    "evaluation.dossier.submitted": L("Producer submitted the dossier"),
    "evaluation.dossier.withdrawn": L("Dossier withdrawn"),
    "evaluation.dossier.recognised": L("Province recognised the product"),
    "evaluation.dossier.not_recognised": L("Province did not recognise the product"),
    "evaluation.dossier.nominated_5star": L("Nominated for 5★"),
    "evaluation.round.created": L("Round created"),
    "evaluation.round.updated": L("Round changed"),
    "evaluation.round.member_added": L("Member added"),
    "evaluation.round.member_removed": L("Member removed"),
    "evaluation.round.status": L("Round status changed"),
    "evaluation.scoresheet.corrected": L("Scoresheet reopened for correction"),
    "evaluation.scoresheet.saved": L("Scoresheet draft saved"),
    "evaluation.scoresheet.submitted": L("Scoresheet submitted"),
    "market.fair.created": L("Fair created"),
    "market.fair.participant_added": L("Participant added to the fair"),
    "market.fair.participant_products": L("Participant's products changed"),
    "market.fair.results_recorded": L("Fair results recorded"),
    "market.listing.added": L("Online listing added"),
    "market.listing.checked": L("Online listing checked"),
    "market.listing.removed": L("Online listing removed"),
    "market.route.created": L("Tourism route created"),
    "market.route.updated": L("Tourism route changed"),
    "market.salepoint.created": L("Sale point created"),
    "market.salepoint.products_changed": L("Sale point's products changed"),
    "market.salepoint.suggested": L("Sale point suggested"),
    "market.salepoint.updated": L("Sale point changed"),
    "market.salepoint.active": L("Province approved the sale point"),
    "market.salepoint.rejected": L("Province rejected the sale point"),
    "market.salepoint.closed": L("Sale point closed"),
    "programme.consultancy_unit.created": L("Consultancy unit added"),
    "programme.course.attendee_added": L("Attendee added"),
    "programme.course.attendee_removed": L("Attendee removed"),
    "programme.course.created": L("Course created"),
    "programme.course.updated": L("Course changed"),
    "programme.plan.created": L("Plan created"),
    "programme.plan.updated": L("Plan changed"),
    "programme.support.recorded": L("Support recorded"),
    "registry.import.completed": L("Products imported"),
    "registry.producer.created": L("Producer created"),
    "registry.producer.updated": L("Producer's profile changed"),
    "registry.producer.active": L("Province approved the producer"),
    "registry.producer.rejected": L("Province rejected the producer"),
    "registry.producer.inactive": L("Province made the producer inactive"),
    "registry.producer.pending": L("Producer set back to awaiting approval"),
    "registry.product.created": L("Product created"),
    "registry.product.photo_added": L("Photo added"),
    "registry.product.updated": L("Product changed"),
    "stamps.batch.approved": L("Stamp batch approved"),
    "stamps.batch.blocked": L("Stamp batch blocked"),
    "stamps.batch.ordered": L("Stamp batch ordered"),
    "stamps.batch.rejected": L("Stamp batch refused"),
    "stamps.batch.unblocked": L("Stamp batch unblocked"),
    "stamps.signal.status_changed": L("Counterfeit signal updated"),
}

# The state labels of each kind of object, by the first two parts of the action key.
STATES = {
    "registry.producer": ProducerStatus,
    "evaluation.dossier": DossierState,
    "evaluation.round": RoundStatus,
    "certificates.certificate": CertificateStatus,
    "market.salepoint": SalePointStatus,
    "stamps.batch": BatchState,
    "stamps.signal": SignalStatus,
}

# Values shown after the verb when present, with the enum that names them (None: shown as is).
DETAILS = [
    ("role", L("role"), Role),
    ("unit", L("unit"), None),
    ("user", L("account"), None),
    ("member", L("member"), None),
    ("body", L("body"), Body),
    ("position", L("position"), Position),
    ("number", L("number"), None),
    ("decision", L("decision"), None),
    ("ground", L("ground"), RevocationGround),
    ("result", L("result"), PostCheckResult),
    ("star", L("star"), None),
    ("total", L("total"), None),
    ("reason", L("reason"), None),
    ("reasons", L("reasons"), None),
    ("note", L("note"), None),
]


FIELDS = {"full_name": L("full name"), "email": L("email"), "phone": L("phone"), "name": L("name")}


def _lower_first(text):
    text = str(text)
    return text[:1].lower() + text[1:]


def _label(enum, value):
    if enum is None:
        return str(value)
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def _state(kind, value):
    enum = STATES.get(kind)
    return _lower_first(_label(enum, value)) if enum is not None else str(value)


def describe(entry):
    """'Verb: from → to (details)' for an ActivityLog row, in the active language."""
    action = entry.action
    kind = ".".join(action.split(".")[:2])
    verb = VERBS.get(action)
    if verb is None:
        verb = _("Change recorded")
    text = str(verb)
    data = entry.data if isinstance(entry.data, dict) else {}
    before, after = data.get("from"), data.get("to")
    if after is None and before is not None and kind in STATES:
        after = action.rsplit(".", 1)[-1]
    if before is not None and after is not None and kind in STATES:
        text += f": {_state(kind, before)} → {_state(kind, after)}"
    details = []
    for key, label, enum in DETAILS:
        value = data.get(key)
        if value in (None, "", [], {}):
            continue
        details.append(f"{label} {_lower_first(_label(enum, value)) if enum else value}")
    changed = data.get("changed")
    if isinstance(changed, dict) and changed and all(k in FIELDS for k in changed):
        details.append(
            _("changed: %(fields)s") % {"fields": ", ".join(str(FIELDS[k]) for k in sorted(changed))}
        )
    if details:
        text += " (" + "; ".join(details) + ")"
    return text
