"""The one place that turns an ActivityLog row into a sentence for people: a translated verb per action
key, translated state labels ("Tỉnh duyệt chủ thể: chờ duyệt → hoạt động") and the few details worth
reading (a reason, a number, a star). Never the raw key, never a raw dict."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocop.accounts.enums import Role
from ocop.certificates.enums import CertificateStatus, PostCheckResult, RevocationGround
from ocop.evaluation.enums import Body, DossierState, Position, RoundStatus
from ocop.market.enums import SalePointStatus
from ocop.registry.enums import ProducerStatus
from ocop.stamps.enums import BatchState, SignalStatus

VERBS = {
    "accounts.2fa.disabled": _("Two-factor authentication turned off"),
    "accounts.2fa.enabled": _("Two-factor authentication turned on"),
    "accounts.2fa.setup_started": _("Two-factor authentication set-up started"),
    "accounts.role.assigned": _("Role given"),
    "accounts.role.moved_to_successor": _("Roles moved to the successor province"),
    "accounts.role.removed": _("Role removed"),
    "accounts.role.revoked": _("Role removed"),
    "accounts.user.changed": _("Account details changed"),
    "accounts.user.deleted": _("Account deleted"),
    "accounts.user.activated": _("Account reactivated"),
    "accounts.user.created": _("Account created"),
    "accounts.user.deactivated": _("Account deactivated"),
    "accounts.user.password_changed": _("The user chose a new password"),
    "accounts.user.password_reset": _("Password reset"),
    "accounts.user.registered": _("Producer account registered"),
    "accounts.user.updated": _("Account details changed"),
    "api.token.issued": _("API token issued"),
    "api.token.revoked": _("API token revoked"),
    "certificates.certificate.expiry_notice_sent": _("Expiry notice sent"),
    "certificates.certificate.extended": _("Certificate kept in force during renewal"),
    "certificates.certificate.extension_ended": _("Renewal extension ended"),
    "certificates.certificate.issued": _("Certificate issued"),
    "certificates.certificate.post_checked": _("Post-certification check recorded"),
    "certificates.certificate.revoked": _("Certificate revoked"),
    "certificates.certificate.superseded": _("Certificate replaced by a new one"),
    "certificates.certificate.suspended": _("Certificate suspended"),
    "certificates.certificate.suspension_lifted": _("Certificate suspension lifted"),
    "certificates.number_pattern.set": _("Certificate numbering changed"),
    "criteria.rubric.updated": _("Rubric changed"),
    "criteria.set.published": _("Criteria set published"),
    "evaluation.decision.created": _("Decision prepared"),
    "evaluation.decision.recorded": _("Decision recorded"),
    "evaluation.dossier.appraised": _("Advisory group appraised the dossier"),
    "evaluation.dossier.conflict_declared": _("Conflict of interest declared"),
    "evaluation.dossier.created": _("Dossier opened"),
    "evaluation.dossier.evidence_added": _("Document added to the dossier"),
    "evaluation.dossier.evidence_removed": _("Document removed from the dossier"),
    "evaluation.dossier.forwarded": _("Commune forwarded the dossier to the province"),
    "evaluation.dossier.national_result": _("National result recorded"),
    "evaluation.dossier.registration_saved": _("Registration form saved"),
    "evaluation.dossier.returned": _("Dossier returned for completion"),
    "evaluation.dossier.samples_received": _("Samples received"),
    "evaluation.dossier.scored": _("Council scoring closed"),
    "evaluation.dossier.scoring_opened": _("Council scoring opened"),
    "evaluation.dossier.self_assessed": _("Self-assessment saved"),
    "evaluation.dossier.submitted": _("Producer submitted the dossier"),
    "evaluation.dossier.withdrawn": _("Dossier withdrawn"),
    "evaluation.dossier.recognised": _("Province recognised the product"),
    "evaluation.dossier.not_recognised": _("Province did not recognise the product"),
    "evaluation.dossier.nominated_5star": _("Nominated for 5★"),
    "evaluation.dossier.disqualified": _("Dossier disqualified"),
    "evaluation.dossier.sent_to_ministry": _("Dossier sent to the Ministry"),
    "evaluation.dossier.national_below_90": _("Central council result below 90 points recorded"),
    "evaluation.evidence.moved_private": _("Document moved to private storage"),
    "evaluation.notifications.read": _("Notifications read"),
    "evaluation.round.created": _("Round created"),
    "evaluation.round.updated": _("Round changed"),
    "evaluation.round.rescheduled": _("Round dates changed"),
    "evaluation.dossier.completion_requested": _("Province asked the producer to complete the dossier"),
    "evaluation.dossier.completed": _("Producer sent the completed dossier back to the province"),
    "evaluation.round.member_added": _("Member added"),
    "evaluation.round.member_removed": _("Member removed"),
    "evaluation.round.status": _("Round status changed"),
    "evaluation.scoresheet.corrected": _("Scoresheet reopened for correction"),
    "evaluation.scoresheet.saved": _("Scoresheet draft saved"),
    "evaluation.scoresheet.submitted": _("Scoresheet submitted"),
    "market.fair.created": _("Fair created"),
    "market.fair.participant_added": _("Participant added to the fair"),
    "market.fair.participant_products": _("Participant's products changed"),
    "market.fair.results_recorded": _("Fair results recorded"),
    "market.listing.added": _("Online listing added"),
    "market.listing.checked": _("Online listing checked"),
    "market.listing.removed": _("Online listing removed"),
    "market.route.created": _("Tourism route created"),
    "market.route.updated": _("Tourism route changed"),
    "market.salepoint.created": _("Sale point created"),
    "market.salepoint.products_changed": _("Sale point's products changed"),
    "market.salepoint.suggested": _("Sale point suggested"),
    "market.salepoint.updated": _("Sale point changed"),
    "market.salepoint.active": _("Province approved the sale point"),
    "market.salepoint.rejected": _("Province rejected the sale point"),
    "market.salepoint.closed": _("Sale point closed"),
    "programme.consultancy_unit.created": _("Consultancy unit added"),
    "programme.course.attendee_added": _("Attendee added"),
    "programme.course.attendee_removed": _("Attendee removed"),
    "programme.course.created": _("Course created"),
    "programme.course.updated": _("Course changed"),
    "programme.plan.created": _("Plan created"),
    "programme.plan.updated": _("Plan changed"),
    "programme.support.recorded": _("Support recorded"),
    "registry.import.completed": _("Products imported"),
    "registry.producer.created": _("Producer created"),
    "registry.producer.updated": _("Producer's profile changed"),
    "registry.producer.active": _("Province approved the producer"),
    "registry.producer.rejected": _("Province rejected the producer"),
    "registry.producer.inactive": _("Province made the producer inactive"),
    "registry.producer.pending": _("Producer set back to awaiting approval"),
    "registry.product.created": _("Product created"),
    "registry.product.photo_added": _("Photo added"),
    "registry.product.updated": _("Product changed"),
    "registry.product.code_assigned": _("Product code assigned"),
    "registry.trace_code.added": _("Trace code added"),
    "registry.trace_code.removed": _("Trace code removed"),
    "stamps.batch.approved": _("Stamp batch approved"),
    "stamps.batch.blocked": _("Stamp batch blocked"),
    "stamps.batch.ordered": _("Stamp batch ordered"),
    "stamps.batch.rejected": _("Stamp batch refused"),
    "stamps.batch.unblocked": _("Stamp batch unblocked"),
    "stamps.signal.status_changed": _("Counterfeit signal updated"),
    "core.task.requeued": _("Background task put back in the queue"),
    "core.task.abandoned": _("Background task abandoned"),
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

# Values shown after the verb when present, with the enum that names them (None: shown as is). Each
# reads "label: value" inside the parentheses ("lý do: Thiếu ảnh; Thiếu hợp đồng"); an enum label is
# lower-cased there like any common noun in the middle of a sentence, a name or a free text is not.
DETAILS = [
    ("role", _("role"), Role),
    ("unit", _("unit"), None),
    ("user", _("account"), None),
    ("member", _("member"), None),
    ("body", _("body"), Body),
    ("position", _("position"), Position),
    ("number", _("number"), None),
    ("decision", _("decision"), None),
    ("ground", _("ground"), RevocationGround),
    ("result", _("result"), PostCheckResult),
    ("star", _("star"), None),
    ("total", _("total"), None),
    ("reason", _("reason"), None),
    ("reasons", _("reasons"), None),
    ("note", _("note"), None),
]


FIELDS = {"full_name": _("full name"), "email": _("email"), "phone": _("phone"), "name": _("name")}


def _lower_first(text):
    """Lower-case the first letter of a label put in the middle of a sentence ("Hoạt động" →
    "hoạt động"), but not of an acronym or a code ("OCOP", "VPĐP", "UBND", "a)")."""
    text = str(text)
    first_word = text.split(" ", 1)[0]
    if len(first_word) > 1 and first_word[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _plain(value):
    """A logged value as text: lists joined, dicts never shown raw."""
    if isinstance(value, (list, tuple)):
        return "; ".join(_plain(v) for v in value if v not in (None, "", [], {}))
    if isinstance(value, dict):
        return ""
    return str(value)


def _label(enum, value):
    if enum is None:
        return str(value)
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def _state(kind, value):
    if isinstance(value, list):  # a round's dates (submission, commune review, council), ISO strings
        return " · ".join("/".join(reversed(str(v).split("-"))) for v in value)
    enum = STATES.get(kind)
    return _lower_first(_label(enum, value)) if enum is not None else str(value)


def describe(entry):
    """'Verb: from → to (details)' for an ActivityLog row, in the active language."""
    action = entry.action
    kind = ".".join(action.split(".")[:2])
    verb = VERBS.get(action)
    if verb is None:
        verb = gettext("Change recorded")
    text = str(verb)
    data = entry.data if isinstance(entry.data, dict) else {}
    before, after = data.get("from"), data.get("to")
    if after is None and before is not None and kind in STATES:
        after = action.rsplit(".", 1)[-1]
    if before is not None and after is not None and kind in STATES:
        text += f": {_state(kind, before)} → {_state(kind, after)}"
    details = []
    for key, label, enum in DETAILS:
        value = data.get("unit_name") or data.get(key) if key == "unit" else data.get(key)
        if value in (None, "", [], {}):
            continue
        value = _lower_first(_label(enum, value)) if enum is not None else _plain(value)
        if not value:
            continue
        if key == "star":
            details.append(gettext("%(star)s★") % {"star": value})
        else:
            details.append(gettext("%(label)s: %(value)s") % {"label": label, "value": value})
    moves = data.get("moves")
    if isinstance(moves, list) and moves:
        details.append(
            gettext("%(label)s: %(value)s")
            % {
                "label": gettext("moved"),
                "value": ", ".join(
                    f"{_lower_first(_label(Role, m.get('role')))} {m.get('from')} → {m.get('to')}"
                    for m in moves
                    if isinstance(m, dict)
                ),
            }
        )
    changed = data.get("changed")
    if isinstance(changed, dict) and changed and all(k in FIELDS for k in changed):
        details.append(
            _("changed: %(fields)s") % {"fields": ", ".join(str(FIELDS[k]) for k in sorted(changed))}
        )
    if details:
        text += " (" + "; ".join(details) + ")"
    return text
