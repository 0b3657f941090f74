"""Dossiers, producer side: open, registration, self-assessment, evidence, submit, withdraw."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates.domain import extend_for_renewal
from ocop.certificates.models import Certificate
from ocop.core.activity import log_activity, next_in_sequence
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.permissions import acting_user
from ocop.core.uploads import DOCUMENT_TYPES, validate_upload
from ocop.criteria import queries as criteria_queries
from ocop.criteria.scoring import criterion_index
from ocop.registry.enums import TOURISM_ONLY_KINDS

from .. import procedure
from ..enums import (
    EDITABLE_STATES,
    FORM02_POINT7_FIELDS,
    REQUIRED_EVIDENCE,
    TRANSITIONS,
    DossierKind,
    EvidenceKind,
)
from ..models import Dossier, Evidence, Round
from ..rules import accepts_dossiers
from ._common import (
    S,
    _commune_officers,
    _end_renewal_extension,
    _lock,
    _province_officers,
    _queue,
    _require,
    _valid_partial,
    check_transition,
)
from .rounds import round_opened_on

# The registration (Mẫu 01) and the self-assessment report (Mẫu 02, parts I, II and IV) of Annex III, as far
# as the producer's profile does not already hold them.
REGISTRATION_FIELDS = (
    "capacity",
    "raw_materials",
    "market",
    "revenue",
    "workers",
    "description",
    "representative_title",
    "representative_gender",
    "representative_ethnicity",
    "representative_address",
    "product_spec",
    "history",
    "structure",
    "plan_results",
    "business_plan",
    # Art. 6.1b (upgrade: the changes from the recognised product, with evidence) and 6.1c (re-evaluation:
    # what is new since recognition: materials, technology, packaging, labels, quality declaration, periodic
    # tests, market, output, revenue, time-limited legal papers); Mẫu 02 part III says the same.
    "changes",
    *FORM02_POINT7_FIELDS,  # Mẫu 02 point 7: the boxes the producer ticks
)


REQUIRED_REGISTRATION = ("capacity", "raw_materials", "market", "business_plan")


@transaction.atomic
def open_dossier(*, actor, round_, product, kind):
    """A draft dossier for `product` in `round_`, freezing the round's rubric for the product set."""
    _require(actor, "evaluation.change_dossier", product)
    round_ = Round.objects.select_for_update().select_related("criteria_set").get(pk=round_.pk)
    if not accepts_dossiers(round_, today()):
        raise DomainError(_("This round is not open for new dossiers."), code="round_closed")
    if Dossier.objects.filter(round=round_, product=product).exclude(state=S.WITHDRAWN).exists():
        raise DomainError(_("This product already has a dossier in this round."), code="duplicate_dossier")
    rubric = round_.criteria_set.rubrics.filter(product_set=product.product_set).first()
    if rubric is None or not round_.criteria_set.is_published:
        raise DomainError(_("There is no published rubric for this product set."), code="no_rubric")
    # A dossier against a set not in force on the round's date is refused (a round kept from before the
    # check, e.g. a 2026 round on QĐ 148 opened after it lapsed).
    criteria_queries.ensure_in_force(round_.criteria_set, round_opened_on(round_))
    _check_producer_kind(product)
    renews = _certificate_to_renew(product, kind)
    number = f"HS-{round_.year}-{next_in_sequence(f'dossier:{round_.year}'):04d}"
    dossier = Dossier.objects.create(
        number=number,
        round=round_,
        product=product,
        producer=product.producer,
        kind=kind,
        rubric=rubric,
        renews=renews,
        registration=dict.fromkeys(REGISTRATION_FIELDS, ""),
    )
    log_activity(
        dossier,
        "evaluation.dossier.created",
        actor=actor,
        data={
            "round": round_.pk,
            "product": product.pk,
            "kind": kind,
            "criteria_set": round_.criteria_set.code,
            "renews": renews.number if renews else None,
        },
    )
    return dossier


def _check_producer_kind(product):
    """Art. 2.3: associations and tourism centres register only tourism services (set 26)."""

    if product.producer.kind in TOURISM_ONLY_KINDS and product.product_set != 26:
        raise DomainError(
            _(
                "An association or tourism centre may register only community tourism, eco-tourism and "
                "tourist-site services (QĐ 26/2026 Art. 2.3)."
            ),
            code="kind_not_allowed",
            status=422,
        )


def _certificate_to_renew(product, kind):
    """The certificate a re-evaluation or an upgrade starts from: the product's one in force today."""

    if kind == DossierKind.NEW:
        return None
    current = (
        Certificate.objects.valid_on(today()).filter(product=product).order_by("-star", "-issued_on").first()
    )
    if current is None:
        raise DomainError(
            _("The product has no certificate in force: register it as a new product."),
            code="no_certificate",
            status=422,
        )
    if kind == DossierKind.UPGRADE and current.star == 5:
        raise DomainError(_("A 5★ product cannot be upgraded."), code="already_5_stars", status=422)
    return current


def _editable(dossier, actor):
    _require(actor, "evaluation.change_dossier", dossier)
    if dossier.state not in EDITABLE_STATES:
        raise InvalidTransition(_("Only a draft or returned dossier can be changed."))


@transaction.atomic
def save_registration(dossier, *, actor, values):
    dossier = _lock(dossier)
    _editable(dossier, actor)
    values = {k: str(values.get(k, "")).strip()[:2000] for k in REGISTRATION_FIELDS}
    changed = {
        k: [dossier.registration.get(k, ""), v]
        for k, v in values.items()
        if dossier.registration.get(k, "") != v
    }
    if not changed:
        return dossier
    dossier.registration = values
    dossier.save(update_fields=["registration", "updated_at"])
    log_activity(
        dossier, "evaluation.dossier.registration_saved", actor=actor, data={"changes": sorted(changed)}
    )
    return dossier


@transaction.atomic
def save_self_assessment(dossier, *, actor, answers):
    dossier = _lock(dossier)
    _editable(dossier, actor)
    answers = _valid_partial(dossier, answers)
    if answers == dossier.self_answers:
        return dossier
    dossier.self_answers = answers
    dossier.save(update_fields=["self_answers", "updated_at"])
    log_activity(dossier, "evaluation.dossier.self_assessed", actor=actor, data={"answered": len(answers)})
    return dossier


@transaction.atomic
def add_evidence(dossier, upload, *, actor, kind, criterion=""):
    dossier = _lock(dossier)
    _editable(dossier, actor)
    if kind not in EvidenceKind.values:
        raise DomainError(_("Choose the kind of document."), code="bad_kind", status=422)
    if criterion and criterion not in criterion_index(dossier.rubric.tree):
        raise DomainError(
            _("Unknown criterion %(id)s.") % {"id": criterion}, code="unknown_criterion", status=422
        )
    try:
        mime = validate_upload(upload, DOCUMENT_TYPES)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code=exc.code or "bad_file", status=422) from exc
    extension = DOCUMENT_TYPES[mime]
    evidence = Evidence(
        dossier=dossier,
        kind=kind,
        criterion=criterion,
        mime=mime,
        size=upload.size,
        name=(upload.name or "file")[:200],
        uploaded_by=acting_user(actor),
    )
    evidence.file.save(f"{kind}.{extension}", upload, save=False)  # stored under a random name
    evidence.save()
    log_activity(
        dossier,
        "evaluation.dossier.evidence_added",
        actor=actor,
        data={"kind": kind, "criterion": criterion, "name": evidence.name, "mime": mime},
    )
    return evidence


@transaction.atomic
def remove_evidence(evidence, *, actor):
    dossier = _lock(evidence.dossier)
    _editable(dossier, actor)
    name = evidence.name
    evidence.file.delete(save=False)
    evidence.delete()
    log_activity(dossier, "evaluation.dossier.evidence_removed", actor=actor, data={"name": name})


def missing_items(dossier):
    """What still keeps the dossier from being submitted (readable, in the user's language)."""
    missing = []
    labels = {
        "capacity": _("production capacity"),
        "raw_materials": _("raw materials"),
        "market": _("market"),
        "business_plan": _("production and business plan (Form 02, part IV)"),
    }
    for field in REQUIRED_REGISTRATION:
        if not str(dossier.registration.get(field, "")).strip():
            missing.append(_("Registration form: %(field)s") % {"field": labels[field]})
    if (
        dossier.kind in (DossierKind.UPGRADE, DossierKind.REEVALUATION)
        and not str(dossier.registration.get("changes", "")).strip()
    ):
        missing.append(
            _("Registration form: the changes from the recognised product (Art. 6.1b)")
            if dossier.kind == DossierKind.UPGRADE
            else _("Registration form: what is new since the product was recognised (Art. 6.1c)")
        )
    index = criterion_index(dossier.rubric.tree)
    unanswered = [cid for cid in index if cid not in dossier.self_answers]
    if unanswered:
        missing.append(
            _("Self-assessment: %(n)s criteria without an answer (%(ids)s)")
            % {"n": len(unanswered), "ids": ", ".join(unanswered[:8]) + ("…" if len(unanswered) > 8 else "")}
        )
    kinds = set(dossier.evidence.values_list("kind", flat=True))
    for kind in REQUIRED_EVIDENCE:
        if kind not in kinds:
            missing.append(_("Evidence: %(kind)s") % {"kind": EvidenceKind(kind).label})
    return missing


def _refuse_incomplete(dossier):
    """Sending a dossier on (to the commune, or back to the province) needs every item of `missing_items`."""
    missing = missing_items(dossier)
    if missing:
        raise DomainError(
            _("The dossier is incomplete: %(items)s.") % {"items": "; ".join(missing)},
            code="incomplete",
            status=422,
        )


@transaction.atomic
def submit_dossier(dossier, *, actor):
    """Submit (or resubmit after a return). Refused with the list of what is missing."""
    dossier = _lock(dossier)
    check_transition(dossier, S.SUBMITTED, actor=actor)
    _refuse_incomplete(dossier)
    day = today()
    late = False
    if dossier.kind == DossierKind.REEVALUATION and dossier.renews_id and previous_filing(dossier) is None:
        late = procedure.check_reevaluation_filing(dossier.renews, day)
    previous = dossier.state
    dossier.state, dossier.submitted_at = S.SUBMITTED, timezone.now()
    # Art. 7.2: 15 working days from the commune's receipt (a resubmission after a return is a new receipt).
    dossier.commune_received_on = day
    dossier.commune_due_on = procedure.commune_due_on(day)
    dossier.save(
        update_fields=["state", "submitted_at", "commune_received_on", "commune_due_on", "updated_at"]
    )
    log_activity(
        dossier,
        "evaluation.dossier.submitted",
        actor=actor,
        data={"from": previous, "to": S.SUBMITTED, "commune_due_on": dossier.commune_due_on, "late": late},
    )
    if dossier.kind == DossierKind.REEVALUATION and dossier.renews_id:
        extend_for_renewal(dossier.renews, actor=actor, dossier_number=dossier.number)
    _queue("submitted", dossier, _commune_officers(dossier))
    return dossier


def send_dossier(dossier, *, actor):
    """The producer's one "send" button: which step sending is comes from the transition table, not
    from the page. A draft or a dossier the commune returned is submitted to the commune
    (`submit_dossier`); one the provincial office asked to complete (Art. 7.3a) goes back to the
    province (`resubmit_to_province`); any other state is refused as submitting is. Returns the
    dossier in its new state."""
    if dossier.state in EDITABLE_STATES and S.FORWARDED in TRANSITIONS[dossier.state]:
        return resubmit_to_province(dossier, actor=actor)
    return submit_dossier(dossier, actor=actor)


@transaction.atomic
def resubmit_to_province(dossier, *, actor):
    """Art. 7.3a: the producer has completed the dossier the provincial office sent back and returns it to
    the province (the commune's report stands; the commune is told). The province then holds the complete
    dossier again: for a re-evaluation the 45 days of Art. 7.6g run from today."""
    dossier = _lock(dossier)
    check_transition(dossier, S.FORWARDED, actor=actor)
    _refuse_incomplete(dossier)
    previous = dossier.state
    dossier.state, dossier.complete_received_on = S.FORWARDED, today()
    dossier.save(update_fields=["state", "complete_received_on", "updated_at"])
    log_activity(
        dossier,
        "evaluation.dossier.completed",
        actor=actor,
        data={
            "from": previous,
            "to": S.FORWARDED,
            "reasons": dossier.return_reasons,
            "reevaluation_due_on": procedure.reevaluation_due_on(dossier),
        },
    )
    _queue("completed", dossier, _province_officers(dossier) + _commune_officers(dossier))
    return dossier


def previous_filing(dossier):
    """The date of an earlier submission of this dossier (a resubmission does not reopen the window)."""
    return dossier.commune_received_on


@transaction.atomic
def withdraw_dossier(dossier, *, actor, reason=""):
    dossier = _lock(dossier)
    check_transition(dossier, S.WITHDRAWN, actor=actor)
    previous = dossier.state
    dossier.state = S.WITHDRAWN
    dossier.save(update_fields=["state", "updated_at"])
    log_activity(
        dossier, "evaluation.dossier.withdrawn", actor=actor, data={"from": previous, "reason": reason}
    )
    _end_renewal_extension(dossier, actor)
    return dossier
