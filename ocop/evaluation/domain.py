"""State changes of evaluation: one function per change. Each checks role and scope, locks the row,
checks the transition table, saves with update_fields, writes one ActivityLog row and queues notices on
commit."""

import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.accounts.enums import Role
from ocop.accounts.rules import acts_on_current_map
from ocop.core.activity import log_activity, next_in_sequence
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition, NotAllowed
from ocop.core.locking import check_unchanged
from ocop.core.uploads import DOCUMENT_TYPES, validate_upload
from ocop.criteria import queries as criteria_queries
from ocop.criteria.scoring import ScoreInputError, aggregate, compute, criterion_index, spread
from ocop.geo.authority import issuing_authority

from . import procedure
from .enums import (
    OPEN_STATES,
    REQUIRED_EVIDENCE,
    SAMPLES_REQUIRED,
    TRANSITION_PERMS,
    TRANSITIONS,
    Body,
    DecisionStatus,
    DossierKind,
    DossierState,
    EvidenceKind,
    Outcome,
    RoundStatus,
    SheetStatus,
)
from .models import Conflict, Decision, Dossier, Evidence, Membership, Notification, Round, Scoresheet
from .tasks import notify

S = DossierState
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
)
REQUIRED_REGISTRATION = ("capacity", "raw_materials", "market", "business_plan")
# QĐ 26/2026/QĐ-TTg names who sits on a council but sets no number of members nor a quorum: the bound
# only refuses typing errors (and values the smallint column cannot hold).
MAX_QUORUM = 50


def _require(actor, perm, obj=None):
    if actor is not None and not actor.has_perm(perm, obj):
        if perm in ACTING_PERMS and _legacy_officer(actor, obj):
            raise NotAllowed(LEGACY_READ_ONLY, code="legacy_unit")
        raise PermissionDenied


def _legacy_officer(actor, obj):
    """A former province's officer asking to act on something they may still read."""
    from ocop.accounts.rules import legacy_only

    if actor.is_superuser or not legacy_only(actor):
        return False
    if obj is None:
        return True
    view = "evaluation.view_round" if obj._meta.model_name == "round" else "evaluation.view_dossier"
    return actor.has_perm(view, obj)


ACTING_PERMS = {"evaluation.add_round", "evaluation.sign_decision"}  # offices of the map in force only
LEGACY_READ_ONLY = gettext_lazy(
    "Since 1/7/2025 only offices of the current administrative map open rounds and sign decisions; "
    "an account of a former province keeps read access to its history. Ask an administrator to move "
    "the account to the successor province."
)


def check_transition(dossier, target, *, actor):
    """Refuse a move the table does not allow (InvalidTransition) or the actor may not make (403)."""
    if target not in TRANSITIONS[dossier.state]:
        raise InvalidTransition(
            _("A dossier in state “%(state)s” cannot become “%(target)s”.")
            % {"state": DossierState(dossier.state).label, "target": DossierState(target).label}
        )
    _require(actor, TRANSITION_PERMS[target], dossier)


def _lock(dossier):
    return (
        Dossier.objects.select_for_update()
        .select_related("rubric", "round", "product", "producer")
        .get(pk=dossier.pk)
    )


def _queue(verb, dossier, user_ids):
    user_ids = sorted({u for u in user_ids if u})
    if user_ids:
        key = uuid.uuid4().hex  # the same on a re-run of this task: no duplicate notices
        transaction.on_commit(
            lambda: notify.enqueue(user_ids=user_ids, verb=verb, dossier_id=dossier.pk, key=key)
        )


def _producer_users(dossier):
    return list(dossier.producer.accounts.filter(role=Role.PRODUCER).values_list("user_id", flat=True))


def _commune_officers(dossier):
    from ocop.accounts.models import RoleAssignment

    legacy, current = dossier.scope_communes()
    units = [u.pk for u in (legacy, current) if u is not None]
    return list(
        RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, unit__in=units).values_list(
            "user_id", flat=True
        )
    )


def _province_officers(dossier):
    from ocop.accounts.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICER, unit=dossier.round.province_id).values_list(
            "user_id", flat=True
        )
    )


def _council(round_):
    return list(round_.memberships.filter(body=Body.COUNCIL).values_list("user_id", flat=True))


# Rounds and councils ---------------------------------------------------------------------------------


@transaction.atomic
def create_round(
    *,
    actor,
    province,
    name,
    year,
    criteria_set,
    submission_deadline,
    review_deadline,
    council_date,
    quorum=None,
    spread_threshold=Decimal(2),
    schedule_note="",
):
    _require(actor, "evaluation.add_round")
    if quorum is not None and not 1 <= quorum <= MAX_QUORUM:
        raise DomainError(
            _("The quorum must be a whole number from 1 to %(max)s.") % {"max": MAX_QUORUM}, code="bad_quorum"
        )
    is_admin = actor is None or actor.is_superuser or actor.has_role(Role.ADMIN)
    if not is_admin and province.pk not in [u.pk for u in actor.units(Role.PROVINCE_OFFICER)]:
        raise PermissionDenied
    if actor is not None and not acts_on_current_map(province):
        raise NotAllowed(LEGACY_READ_ONLY, code="legacy_unit")
    if not criteria_set.is_published:
        raise DomainError(_("A round needs a published criteria set."), code="draft_criteria_set")
    # QĐ 26/2026 Art. 11: a round opens today and may only use a set in force today.
    criteria_queries.ensure_in_force(criteria_set, today())
    if not (submission_deadline <= review_deadline <= council_date):
        raise DomainError(
            _("The dates must follow each other: submission, commune review, council."), code="bad_dates"
        )
    schedule_note = (schedule_note or "").strip()
    departs = procedure.departs_from_calendar(year, submission_deadline, review_deadline, council_date)
    if departs and not schedule_note:
        raise DomainError(
            _(
                "These dates depart from the calendar of QĐ 26/2026 Art. 5.1 (communes propose before 30/4 "
                "or 30/10, the province evaluates before 30/6 or 30/12): give the reason."
            ),
            code="schedule_reason_required",
            status=422,
        )
    round_ = Round.objects.create(
        province=province,
        name=name,
        year=year,
        criteria_set=criteria_set,
        submission_deadline=submission_deadline,
        review_deadline=review_deadline,
        council_date=council_date,
        quorum=quorum,
        spread_threshold=spread_threshold,
        schedule_note=schedule_note,
    )
    log_activity(
        round_,
        "evaluation.round.created",
        actor=actor,
        data={
            "name": name,
            "criteria_set": criteria_set.code,
            "departs_from_calendar": departs,
            "reason": schedule_note,
        },
    )
    return round_


def round_opened_on(round_):
    """The round's opening date: the day it was created (QĐ 26/2026 Art. 11 and the set's validity are
    judged on it)."""
    return timezone.localdate(round_.created_at) if round_.created_at else today()


@transaction.atomic
def reschedule_round(round_, *, actor, submission_deadline, review_deadline, council_date, reason):
    """The office changes a round's dates (the platform proposed the legal ones); the reason is logged."""
    _require(actor, "evaluation.manage_round", round_)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for changing the dates."), code="reason_required", status=422)
    if not (submission_deadline <= review_deadline <= council_date):
        raise DomainError(
            _("The dates must follow each other: submission, commune review, council."), code="bad_dates"
        )
    round_ = Round.objects.select_for_update().select_related("criteria_set").get(pk=round_.pk)
    before = [round_.submission_deadline, round_.review_deadline, round_.council_date]
    after = [submission_deadline, review_deadline, council_date]
    if before == after:
        return round_
    round_.submission_deadline, round_.review_deadline, round_.council_date = after
    round_.schedule_note = reason
    round_.save(
        update_fields=[
            "submission_deadline",
            "review_deadline",
            "council_date",
            "schedule_note",
            "updated_at",
        ]
    )
    log_activity(
        round_,
        "evaluation.round.rescheduled",
        actor=actor,
        data={"from": before, "to": after, "reason": reason},
    )
    return round_


@transaction.atomic
def set_round_status(round_, status, *, actor):
    _require(actor, "evaluation.manage_round", round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    previous = round_.status
    if previous == status:
        return round_
    round_.status = status
    round_.save(update_fields=["status", "updated_at"])
    log_activity(round_, "evaluation.round.status", actor=actor, data={"from": previous, "to": status})
    return round_


@transaction.atomic
def add_member(round_, user, *, actor, body=Body.COUNCIL, position="member", department="", reason=""):
    _require(actor, "evaluation.manage_round", round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.memberships.filter(user=user, body=body).exists():
        raise DomainError(_("This person is already on the list."), code="duplicate_member")
    membership = Membership.objects.create(
        round=round_, user=user, body=body, position=position, department=department
    )
    log_activity(
        round_,
        "evaluation.round.member_added",
        actor=actor,
        data={"user": user.username, "body": body, "position": position, "reason": reason},
    )
    return membership


@transaction.atomic
def remove_member(membership, *, actor, reason=""):
    round_ = membership.round
    _require(actor, "evaluation.manage_round", round_)
    if Scoresheet.objects.filter(dossier__round=round_, member=membership.user).exists():
        raise DomainError(
            _("This member has already scored; they cannot be removed."), code="member_has_scored"
        )
    membership.delete()
    log_activity(
        round_,
        "evaluation.round.member_removed",
        actor=actor,
        data={"user": membership.user.username, "body": membership.body, "reason": reason},
    )


# Dossiers: producer side ----------------------------------------------------------------------------


@transaction.atomic
def open_dossier(*, actor, round_, product, kind):
    """A draft dossier for `product` in `round_`, freezing the round's rubric for the product set."""
    _require(actor, "evaluation.change_dossier", product)
    round_ = Round.objects.select_for_update().select_related("criteria_set").get(pk=round_.pk)
    if round_.status != RoundStatus.OPEN or round_.submission_deadline < today():
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
    from ocop.registry.enums import TOURISM_ONLY_KINDS

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
    from ocop.certificates.models import Certificate

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
    if dossier.state not in (S.DRAFT, S.RETURNED):
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


def _valid_partial(dossier, answers):
    """Keep only answered criteria; refuse an unknown criterion or an option of another criterion."""
    index = criterion_index(dossier.rubric.tree)
    cleaned = {}
    for cid, oid in answers.items():
        if oid in (None, ""):
            continue
        if cid not in index:
            raise DomainError(
                _("Unknown criterion %(id)s.") % {"id": cid}, code="unknown_criterion", status=422
            )
        if str(oid) not in index[cid][2]:
            raise DomainError(
                _("Criterion %(id)s has no option %(option)s.") % {"id": cid, "option": oid},
                code="unknown_option",
                status=422,
            )
        cleaned[cid] = str(oid)
    return cleaned


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
        uploaded_by=actor,
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


@transaction.atomic
def submit_dossier(dossier, *, actor):
    """Submit (or resubmit after a return). Refused with the list of what is missing."""
    dossier = _lock(dossier)
    check_transition(dossier, S.SUBMITTED, actor=actor)
    missing = missing_items(dossier)
    if missing:
        raise DomainError(
            _("The dossier is incomplete: %(items)s.") % {"items": "; ".join(missing)},
            code="incomplete",
            status=422,
        )
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
        from ocop.certificates.domain import extend_for_renewal

        extend_for_renewal(dossier.renews, actor=actor, dossier_number=dossier.number)
    _queue("submitted", dossier, _commune_officers(dossier))
    return dossier


def previous_filing(dossier):
    """The date of an earlier submission of this dossier (a resubmission does not reopen the window)."""
    return dossier.commune_received_on


def _end_renewal_extension(dossier, actor):
    if dossier.kind == DossierKind.REEVALUATION and dossier.renews_id:
        from ocop.certificates.domain import end_extension

        end_extension(dossier.renews, actor=actor, day=today())


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


# Commune, office, advisory group ---------------------------------------------------------------------


@transaction.atomic
def return_dossier(dossier, *, actor, reasons):
    reasons = (reasons or "").strip()
    if not reasons:
        raise DomainError(
            _("Give the reasons for returning the dossier."), code="reasons_required", status=422
        )
    dossier = _lock(dossier)
    check_transition(dossier, S.RETURNED, actor=actor)
    previous = dossier.state
    dossier.state, dossier.return_reasons = S.RETURNED, reasons
    dossier.save(update_fields=["state", "return_reasons", "updated_at"])
    log_activity(
        dossier, "evaluation.dossier.returned", actor=actor, data={"from": previous, "reasons": reasons}
    )
    _queue("returned", dossier, _producer_users(dossier))
    return dossier


# Mẫu 03 Phụ lục III, part II: the four contents the commune assesses (Art. 7.2a).
COMMUNE_FORM_ITEMS = ("local_materials", "local_labour", "idea_origin", "local_identity")


def commune_form_labels():
    return {
        "local_materials": _("1. Use of local raw materials"),
        "local_labour": _("2. Use of local labour"),
        "idea_origin": _("3. Origin of the product idea"),
        "local_identity": _("4. Local identity and know-how"),
    }


@transaction.atomic
def forward_dossier(dossier, *, actor, assessment, report, form=None):
    """The commune checks the dossier, issues its report on Mẫu 03 (the four contents of Art. 7.2a and
    its proposal) and forwards it to the province; the product receives its code (Annex II)."""
    report = (report or "").strip()
    if not report:
        raise DomainError(_("Write the commune's assessment report."), code="report_required", status=422)
    form = {k: str((form or {}).get(k, "")).strip()[:4000] for k in COMMUNE_FORM_ITEMS}
    empty = [commune_form_labels()[k] for k in COMMUNE_FORM_ITEMS if not form[k]]
    if empty:
        raise DomainError(
            _("Mẫu 03 needs every content of the commune's assessment: %(items)s.")
            % {"items": "; ".join(empty)},
            code="commune_form_incomplete",
            status=422,
        )
    dossier = _lock(dossier)
    check_transition(dossier, S.FORWARDED, actor=actor)
    local = [c["id"] for c in dossier.rubric.local_criteria()]
    assessment = _valid_partial(dossier, {k: v for k, v in assessment.items() if v})
    outside = sorted(set(assessment) - set(local))
    if outside:
        raise DomainError(
            _("Only the local criteria are assessed by the commune (not %(ids)s).")
            % {"ids": ", ".join(outside)},
            code="not_local",
            status=422,
        )
    missing = [cid for cid in local if cid not in assessment]
    if missing:
        raise DomainError(
            _("Assess every local criterion: %(ids)s.") % {"ids": ", ".join(missing)},
            code="missing_criterion",
            status=422,
        )
    previous = dossier.state
    dossier.state, dossier.commune_assessment, dossier.commune_report = S.FORWARDED, assessment, report
    dossier.commune_form, dossier.commune_reported_on = form, today()
    dossier.save(
        update_fields=[
            "state",
            "commune_assessment",
            "commune_report",
            "commune_form",
            "commune_reported_on",
            "updated_at",
        ]
    )
    code = _assign_product_code(dossier, actor)
    log_activity(
        dossier,
        "evaluation.dossier.forwarded",
        actor=actor,
        data={
            "from": previous,
            "assessment": assessment,
            "product_code": code,
            "overdue": dossier.commune_due_on is not None
            and dossier.commune_reported_on > dossier.commune_due_on,
        },
    )
    _queue("forwarded", dossier, _producer_users(dossier) + _province_officers(dossier))
    return dossier


def _assign_product_code(dossier, actor):
    """Annex II: "Mã số sản phẩm (T)-(X)-(STT)-Năm", codes of QĐ 19/2025 (the current map), STT numbered
    by the commune. Given once, when the commune registers the product (forwards its dossier); a product
    that already has a code in this form keeps it."""
    from ocop.registry.models import Product

    product = Product.objects.select_for_update().select_related("producer").get(pk=dossier.product_id)
    producer = product.producer
    commune = producer.current_commune or producer.commune
    if commune is None or commune.province_id is None:
        return product.code
    prefix = f"{commune.province.code}-{commune.code}-"
    if product.code.startswith(prefix):
        return product.code
    number = next_in_sequence(f"product-code:{commune.code}")
    before, product.code = (
        product.code,
        procedure.product_code(commune.province.code, commune.code, number, dossier.round.year),
    )
    product.save(update_fields=["code", "updated_at"])
    log_activity(
        product, "registry.product.code_assigned", actor=actor, data={"from": before, "to": product.code}
    )
    return product.code


@transaction.atomic
def record_samples(dossier, *, actor, count, received_on):
    dossier = _lock(dossier)
    _require(actor, "evaluation.manage_dossier", dossier)
    if not dossier.needs_samples:
        raise DomainError(_("Tourism services have no samples."), code="no_samples")
    if not 0 <= int(count) <= 50:
        raise DomainError(_("Enter a number of samples between 0 and 50."), code="bad_count", status=422)
    before = [dossier.samples_received, dossier.samples_received_on]
    dossier.samples_received, dossier.samples_received_on = int(count), received_on
    dossier.save(update_fields=["samples_received", "samples_received_on", "updated_at"])
    log_activity(
        dossier,
        "evaluation.dossier.samples_received",
        actor=actor,
        data={"before": before, "after": [int(count), received_on]},
    )
    return dossier


@transaction.atomic
def appraise_dossier(dossier, *, actor, note, comments):
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Write the appraisal conclusion."), code="note_required", status=422)
    dossier = _lock(dossier)
    check_transition(dossier, S.APPRAISED, actor=actor)
    index = criterion_index(dossier.rubric.tree)
    comments = {k: v.strip() for k, v in comments.items() if v and v.strip()}
    unknown = sorted(set(comments) - set(index))
    if unknown:
        raise DomainError(
            _("Unknown criterion %(id)s.") % {"id": unknown[0]}, code="unknown_criterion", status=422
        )
    if dossier.needs_samples and dossier.samples_received < SAMPLES_REQUIRED:
        raise DomainError(
            _("Record the receipt of the %(n)s samples before the appraisal.") % {"n": SAMPLES_REQUIRED},
            code="samples_missing",
        )
    previous = dossier.state
    dossier.state, dossier.appraisal_note, dossier.appraisal_comments = S.APPRAISED, note, comments
    dossier.save(update_fields=["state", "appraisal_note", "appraisal_comments", "updated_at"])
    log_activity(
        dossier,
        "evaluation.dossier.appraised",
        actor=actor,
        data={"from": previous, "comments": len(comments)},
    )
    _queue("appraised", dossier, _producer_users(dossier))
    return dossier


@transaction.atomic
def open_scoring(dossier, *, actor):
    dossier = _lock(dossier)
    check_transition(dossier, S.SCORING, actor=actor)
    if dossier.goes_to_ministry:
        raise DomainError(
            _(
                "A 5★ product's re-evaluation goes to the Ministry (QĐ 26/2026 Art. 6.3b, 7.6e); the provincial "
                "council does not score it."
            ),
            code="ministry_only",
        )
    if not _council(dossier.round):
        raise DomainError(_("The round has no council members yet."), code="no_council")
    previous = dossier.state
    dossier.state = S.SCORING
    dossier.save(update_fields=["state", "updated_at"])
    log_activity(dossier, "evaluation.dossier.scoring_opened", actor=actor, data={"from": previous})
    _queue("scoring_opened", dossier, _council(dossier.round))
    return dossier


# Council ---------------------------------------------------------------------------------------------


def _scorer_check(dossier, actor):
    _require(actor, "evaluation.score_dossier", dossier)
    if dossier.state != S.SCORING:
        raise InvalidTransition(_("This dossier is not open for scoring."))
    if Conflict.objects.filter(dossier=dossier, member=actor).exists():
        raise NotAllowedConflict()


class NotAllowedConflict(DomainError):
    status = 403

    def __init__(self):
        super().__init__(
            _("You declared a conflict of interest for this dossier and cannot score it."), code="recused"
        )


@transaction.atomic
def declare_conflict(dossier, *, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason for the conflict of interest."), code="reason_required", status=422
        )
    dossier = _lock(dossier)
    _require(actor, "evaluation.score_dossier", dossier)
    if dossier.state not in (S.APPRAISED, S.SCORING, S.FORWARDED):
        raise InvalidTransition(_("Conflicts are declared before the scoring closes."))
    if Scoresheet.objects.filter(dossier=dossier, member=actor, status=SheetStatus.SUBMITTED).exists():
        raise DomainError(
            _("You have already submitted a scoresheet for this dossier."), code="already_scored"
        )
    conflict, created = Conflict.objects.get_or_create(
        dossier=dossier, member=actor, defaults={"reason": reason}
    )
    if not created:
        raise DomainError(
            _("You have already declared a conflict for this dossier."), code="duplicate_conflict"
        )
    Scoresheet.objects.filter(dossier=dossier, member=actor, status=SheetStatus.DRAFT).delete()
    log_activity(
        dossier,
        "evaluation.dossier.conflict_declared",
        actor=actor,
        data={"member": actor.username, "reason": reason},
    )
    return conflict


def current_sheet(dossier, member):
    return (
        Scoresheet.objects.filter(dossier=dossier, member=member)
        .exclude(status=SheetStatus.SUPERSEDED)
        .order_by("-version")
        .first()
    )


@transaction.atomic
def save_scoresheet(dossier, *, actor, answers, notes="", lock_version=None, submit=False):
    """Save a member's draft sheet (partial answers allowed) or submit it (every criterion answered).

    Two tabs: each save carries the lock_version it was read at; a stale save is refused with a clear
    message instead of overwriting the other tab's answers."""
    dossier = _lock(dossier)
    _scorer_check(dossier, actor)
    sheet = (
        Scoresheet.objects.select_for_update()
        .filter(dossier=dossier, member=actor)
        .exclude(status=SheetStatus.SUPERSEDED)
        .order_by("-version")
        .first()
    )
    if sheet is None:
        sheet = Scoresheet(dossier=dossier, member=actor, version=1)
    if sheet.status == SheetStatus.SUBMITTED:
        raise InvalidTransition(
            _("This scoresheet is submitted and locked; ask for a correction to change it.")
        )
    if sheet.pk:
        check_unchanged(
            sheet,
            lock_version,
            message=_(
                "This scoresheet was saved elsewhere (another tab?) after you opened it. Reload the page: your answers there are kept."
            ),
            code="stale_sheet",
        )
    answers = _valid_partial(dossier, answers)
    if submit:
        try:
            result = compute(dossier.rubric.tree, answers)
        except ScoreInputError as exc:
            raise DomainError(
                _("Answer every criterion before submitting: criterion %(c)s has no answer.")
                % {"c": exc.criterion}
                if exc.code == "missing_criterion"
                else _("Answer every criterion before submitting: %(msg)s") % {"msg": exc.message},
                code=exc.code,
                status=422,
            ) from exc
        sheet.total, sheet.parts = result.total, {k: float(v) for k, v in result.parts.items()}
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, timezone.now()
    sheet.answers, sheet.notes = answers, (notes or "")[:5000]
    sheet.lock_version += 1
    sheet.save()
    log_activity(
        dossier,
        "evaluation.scoresheet.submitted" if submit else "evaluation.scoresheet.saved",
        actor=actor,
        data={
            "member": actor.username,
            "version": sheet.version,
            "answered": len(answers),
            "total": sheet.total if submit else None,
        },
    )
    return sheet


@transaction.atomic
def correct_scoresheet(sheet, *, actor, reason):
    """A submitted sheet stays as it was; the member gets a new draft version carrying its answers."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the correction."), code="reason_required", status=422)
    dossier = _lock(sheet.dossier)
    _scorer_check(dossier, actor)
    sheet = Scoresheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.member_id != actor.pk:
        raise PermissionDenied
    if sheet.status != SheetStatus.SUBMITTED:
        raise InvalidTransition(_("Only a submitted scoresheet can be corrected."))
    sheet.status = SheetStatus.SUPERSEDED
    sheet.save(update_fields=["status", "updated_at"])
    new = Scoresheet.objects.create(
        dossier=dossier,
        member=actor,
        version=sheet.version + 1,
        answers=sheet.answers,
        notes=sheet.notes,
        correction_reason=reason,
    )
    log_activity(
        dossier,
        "evaluation.scoresheet.corrected",
        actor=actor,
        data={"member": actor.username, "from_version": sheet.version, "reason": reason},
    )
    return new


def _close(dossier, sheets, member_ids, recused_ids, quorum):
    """Compute and store the result of one locked dossier (no save)."""
    expected = [m for m in member_ids if m not in recused_ids]
    submitted = {s.member_id for s in sheets}
    if quorum:
        if len(submitted) < quorum:
            raise DomainError(
                _("Dossier %(n)s: %(got)s scoresheets, the quorum is %(q)s.")
                % {"n": dossier.number, "got": len(submitted), "q": quorum},
                code="quorum_not_met",
            )
    else:
        waiting = [m for m in expected if m not in submitted]
        if waiting or not submitted:
            raise DomainError(
                _("Dossier %(n)s: %(w)s member(s) have not submitted their scoresheet.")
                % {"n": dossier.number, "w": len(waiting) or len(expected)},
                code="sheets_missing",
            )
    answers = [s.answers for s in sheets]
    bonus = {
        "women_led": dossier.producer.women_led,
        "ethnic_minority_led": dossier.producer.ethnic_minority_led,
    }
    result = aggregate(dossier.rubric.tree, answers, bonus)
    knockouts = _knockouts_of(result)
    dossier.knockouts = knockouts
    dossier.result_total = result.total
    dossier.result_parts = {k: float(v) for k, v in result.parts.items()}
    dossier.result_star, dossier.potential_5_star = result.star, result.potential_5_star
    dossier.unmet_mandatory = result.unmet_mandatory
    dossier.spread = spread(dossier.rubric.tree, answers, dossier.round.spread_threshold)
    dossier.sheets_count = len(sheets)
    dossier.state = S.DISQUALIFIED if knockouts else S.SCORED
    dossier.outcome = Outcome.KNOCKED_OUT if knockouts else ""
    return result


def _knockouts_of(result):
    """The criteria's knock-outs ({"criterion", "reason"}) of a score result (empty: none).

    `ScoreResult.knockouts` comes with the QĐ 26/2026 criteria; an older scoring result has none."""
    return [
        {"criterion": str(k.get("criterion", "")), "reason": str(k.get("reason", ""))}
        for k in (getattr(result, "knockouts", None) or [])
    ]


CLOSE_FIELDS = [
    "state",
    "outcome",
    "knockouts",
    "result_total",
    "result_parts",
    "result_star",
    "potential_5_star",
    "unmet_mandatory",
    "spread",
    "sheets_count",
    "updated_at",
]


@transaction.atomic
def close_scoring(dossier, *, actor):
    """Close one dossier's scoring: needs every non-recused member's sheet (or the round's quorum)."""
    return close_scoring_many([dossier], actor=actor)[0]


@transaction.atomic
def close_scoring_many(dossiers, *, actor):
    """Close scoring for several dossiers (a whole round) in one transaction: all or nothing."""
    from .queries import current_sheets

    ids = [d.pk for d in dossiers]
    locked = list(
        Dossier.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("rubric", "round", "producer")
        .order_by("pk")
    )
    if not locked:
        return []
    for dossier in locked:
        check_transition(dossier, S.SCORED, actor=actor)
        if S.DISQUALIFIED not in TRANSITIONS[dossier.state]:  # the table must allow both outcomes
            raise InvalidTransition(_("This dossier cannot be disqualified from its state."))
    sheets = current_sheets(ids)
    members_by_round, recused = {}, {}
    for dossier in locked:
        if dossier.round_id not in members_by_round:
            members_by_round[dossier.round_id] = _council(dossier.round)
    for dossier_id, member_id in Conflict.objects.filter(dossier_id__in=ids).values_list(
        "dossier_id", "member_id"
    ):
        recused.setdefault(dossier_id, set()).add(member_id)
    now = timezone.now()
    for dossier in locked:
        result = _close(
            dossier,
            sheets.get(dossier.pk, []),
            members_by_round[dossier.round_id],
            recused.get(dossier.pk, set()),
            dossier.round.quorum,
        )
        dossier.updated_at = now
        log_activity(
            dossier,
            "evaluation.dossier.disqualified" if dossier.knockouts else "evaluation.dossier.scored",
            actor=actor,
            data={
                "from": S.SCORING,
                "total": result.total,
                "star": result.star,
                "sheets": dossier.sheets_count,
                "unmet": len(result.unmet_mandatory),
                "knockouts": dossier.knockouts,
            },
        )
    Dossier.objects.bulk_update(locked, CLOSE_FIELDS)
    for dossier in locked:
        _queue("disqualified" if dossier.knockouts else "scored", dossier, _producer_users(dossier))
        if dossier.knockouts:
            _end_renewal_extension(dossier, actor)
    return locked


@transaction.atomic
def disqualify_dossier(dossier, *, actor, knockouts):
    """Remove a dossier from the evaluation with its reasons, found by the office, the advisory group or
    the council: the set's "Hồ sơ bị loại khi" lines ("disqualifier:N"), a criterion's knock-out note (its
    id) or a reason in the evaluator's words ({"criterion": id or None, "reason": text}), as
    `ocop.criteria.scoring.knockout_reasons` reads them."""
    from ocop.criteria.scoring import knockout_reasons

    items = []
    for item in knockouts or []:
        if isinstance(item, dict):
            cid = str(item.get("criterion") or "").strip() or None
            reason = str(item.get("reason") or "").strip()
            if cid is None and not reason:
                continue
            items.append({"criterion": cid, "reason": reason})
        elif str(item).strip():
            items.append(str(item).strip())
    if not items:
        raise DomainError(
            _("Give the reason for disqualifying the dossier."), code="reason_required", status=422
        )
    dossier = _lock(dossier)
    check_transition(dossier, S.DISQUALIFIED, actor=actor)
    try:
        cleaned = [
            {"criterion": k["criterion"] or "", "reason": k["reason"]}
            for k in knockout_reasons(dossier.rubric.tree, items)
        ]
    except ScoreInputError as exc:
        if exc.code == "unknown_criterion":
            message = _("Unknown criterion %(id)s.") % {"id": exc.criterion}
        else:
            message = _("Give the reason for disqualifying the dossier.")
        raise DomainError(message, code=exc.code, status=422) from exc
    previous = dossier.state
    dossier.state, dossier.outcome, dossier.knockouts = S.DISQUALIFIED, Outcome.KNOCKED_OUT, cleaned
    dossier.save(update_fields=["state", "outcome", "knockouts", "updated_at"])
    log_activity(
        dossier, "evaluation.dossier.disqualified", actor=actor, data={"from": previous, "knockouts": cleaned}
    )
    _queue("disqualified", dossier, _producer_users(dossier))
    _end_renewal_extension(dossier, actor)
    return dossier


# Decisions and nominations ---------------------------------------------------------------------------

DECIDABLE_STATES = (S.SCORED, S.NATIONAL_BELOW_90)


@transaction.atomic
def create_decision(round_, *, actor, number, date, signer, signer_title, issuer_name, dossiers):
    """A draft decision of the provincial chairman listing scored dossiers of the round (and dossiers the
    central council scored below 90, Art. 7.4g); nothing is recognised until it is recorded.

    The issuing authority defaults to the one in force on the decision's date for the round's province
    (`ocop.geo.authority.issuing_authority`): UBND tỉnh Vĩnh Long for a 2026 decision on a round that
    Bến Tre opened in 2023."""
    _require(actor, "evaluation.sign_decision", round_)
    number, signer = (number or "").strip(), (signer or "").strip()
    if not number or not signer:
        raise DomainError(
            _("Enter the decision number and the signer."), code="decision_incomplete", status=422
        )
    dossiers = list(Dossier.objects.select_for_update().filter(pk__in=[d.pk for d in dossiers]))
    if not dossiers:
        raise DomainError(_("Choose at least one scored dossier."), code="no_dossiers", status=422)
    wrong = [
        d.number
        for d in dossiers
        if d.round_id != round_.pk or d.state not in DECIDABLE_STATES or d.decision_id
    ]
    if wrong:
        raise DomainError(
            _("These dossiers are not scored or already in a decision: %(n)s.") % {"n": ", ".join(wrong)},
            code="not_scored",
            status=422,
        )
    decision = Decision.objects.create(
        round=round_,
        number=number,
        date=date,
        signer=signer,
        signer_title=signer_title,
        issuer_name=(issuer_name or "").strip() or issuing_authority(round_.province, date).name,
    )
    Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(decision=decision)
    log_activity(
        decision,
        "evaluation.decision.created",
        actor=actor,
        data={"number": number, "dossiers": [d.number for d in dossiers]},
    )
    return decision


def _standing_certificate(product, day):
    from ocop.certificates.models import Certificate

    return Certificate.objects.valid_on(day).filter(product=product).order_by("-star", "-issued_on").first()


def _provincial_outcome(dossier, decision):
    """(target state, star to certify or None, outcome) of one dossier in a provincial decision.

    - Art. 7.3e: 3★/4★ are recognised with a certificate; ≥ 90 points (5★ band) get no provincial
      certificate: the chairman approves the result and the province sends the dossier to the Ministry;
    - Art. 4.1a: 1★/2★ get no decision and no certificate;
    - Art. 7.4g: after the central council's result below 90, the province may recognise 3★/4★ on it;
    - Art. 7.5 (upgrade): a result that does not raise the star keeps the current certificate unchanged;
    - Art. 7.6 (re-evaluation): a failed re-evaluation issues nothing; the certificate ends on its date.
    """
    if dossier.state == S.NATIONAL_BELOW_90:
        star = dossier.national_star or 0
        nominate = False
    else:
        star = dossier.result_star or 0
        nominate = star == 5
    if nominate:
        return S.NOMINATED_5STAR, None, ""
    standing = _standing_certificate(dossier.product, decision.date)
    if dossier.kind == DossierKind.UPGRADE and standing is not None and star <= standing.star:
        return S.NOT_RECOGNISED, None, Outcome.UPGRADE_FAILED
    if star < 3:
        failed = dossier.kind == DossierKind.REEVALUATION
        return S.NOT_RECOGNISED, None, Outcome.REEVALUATION_FAILED if failed else Outcome.BELOW_3_STARS
    if standing is not None and standing.star == 5:
        raise DomainError(
            _(
                "%(product)s holds a 5★ certificate in force until %(until)s: a provincial decision cannot "
                "replace it with a %(star)s★ one (QĐ 26/2026 Art. 4.1). Record the decision on or after the day "
                "the 5★ certificate ends."
            )
            % {
                "product": dossier.product.name,
                "until": standing.valid_until.strftime("%d/%m/%Y"),
                "star": star,
            },
            code="five_star_in_force",
        )
    return S.RECOGNISED, min(star, 4), Outcome.CERTIFIED


@transaction.atomic
def record_decision(decision, *, actor):
    """Record the signed decision of the provincial chairman (Art. 7.3e): 3★/4★ get a certificate;
    ≥ 90 points are approved and sent to the Ministry without a provincial certificate; the rest are
    not recognised (see `_provincial_outcome`)."""
    from ocop.certificates.domain import issue_certificate

    decision = (
        Decision.objects.select_for_update()
        .select_related("round", "round__criteria_set", "round__province")
        .get(pk=decision.pk)
    )
    _require(actor, "evaluation.sign_decision", decision.round)
    if decision.status != DecisionStatus.DRAFT:
        raise InvalidTransition(_("This decision is already recorded."))
    dossiers = list(
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to `renews`.
        decision.dossiers.select_for_update(of=("self",)).select_related(
            "product", "product__producer", "round", "rubric", "rubric__criteria_set", "renews"
        )
    )
    outcomes = {}
    for dossier in dossiers:
        target, star, outcome = _provincial_outcome(dossier, decision)
        check_transition(dossier, target, actor=actor)
        fields = ["state", "outcome", "certificate", "updated_at"]
        if star is not None:
            national = dossier.state == S.NATIONAL_BELOW_90
            dossier.certificate = issue_certificate(
                dossier.product,
                actor=actor,
                star=star,
                score=dossier.national_total if national and dossier.national_total else dossier.result_total,
                kind=dossier.kind,
                decision_number=decision.number,
                decision_date=decision.date,
                issuer_name=decision.issuer_name,
                issuer_unit=issuing_authority(decision.round.province, decision.date).unit,
                criteria_set=dossier.rubric.criteria_set.code,
            )
        if target == S.NOMINATED_5STAR:
            # The chairman's decision approves the result (Art. 6.3a); the dossier's recognition decision
            # will be the Minister's, or a later provincial one after a result below 90.
            dossier.approval_decision, dossier.decision = decision, None
            fields += ["approval_decision", "decision"]
        previous, dossier.state, dossier.outcome = dossier.state, target, outcome
        dossier.save(update_fields=fields)
        log_activity(
            dossier,
            f"evaluation.dossier.{target}",
            actor=actor,
            data={
                "from": previous,
                "decision": decision.number,
                "outcome": outcome,
                "certificate": dossier.certificate.number if dossier.certificate else None,
            },
        )
        if target != S.NOMINATED_5STAR:
            _end_renewal_extension(dossier, actor)
        outcomes[dossier.number] = target
        verb = {
            S.RECOGNISED: "recognised",
            S.NOMINATED_5STAR: "nominated",
            S.NOT_RECOGNISED: "not_recognised",
        }[target]
        _queue(verb, dossier, _producer_users(dossier))
    decision.status, decision.recorded_at = DecisionStatus.RECORDED, timezone.now()
    decision.save(update_fields=["status", "recorded_at", "updated_at"])
    log_activity(decision, "evaluation.decision.recorded", actor=actor, data={"outcomes": outcomes})
    return decision


@transaction.atomic
def send_to_ministry(dossier, *, actor, report):
    """Art. 6.3b, 7.6e: a 5★ product's re-evaluation: the provincial office writes its evaluation report
    and the province sends the dossier to the Ministry (no provincial council)."""
    report = (report or "").strip()
    if not report:
        raise DomainError(
            _("Write the provincial office's evaluation report."), code="report_required", status=422
        )
    dossier = _lock(dossier)
    if not dossier.goes_to_ministry:
        raise DomainError(
            _(
                "Only a 5★ product's re-evaluation goes straight to the Ministry; this one is scored by the council."
            ),
            code="not_ministry",
        )
    check_transition(dossier, S.NOMINATED_5STAR, actor=actor)
    previous = dossier.state
    dossier.state, dossier.appraisal_note = S.NOMINATED_5STAR, report
    dossier.save(update_fields=["state", "appraisal_note", "updated_at"])
    log_activity(dossier, "evaluation.dossier.sent_to_ministry", actor=actor, data={"from": previous})
    _queue("nominated", dossier, _producer_users(dossier))
    return dossier


@transaction.atomic
def record_national_result(
    dossier, *, actor, star, total=None, note="", decision_number="", decision_date=None
):
    """The Ministry's result (Art. 7.4): 5★ (≥ 90 points) brings the Minister's certificate; below 90 the
    dossier returns to the province, which may recognise 3★/4★ on the central council's result
    (Art. 7.4g) with its own decision."""
    from ocop.certificates.domain import issue_certificate
    from ocop.criteria.scoring import band

    dossier = _lock(dossier)
    _require(actor, "evaluation.record_national_result", dossier)
    if dossier.state != S.NOMINATED_5STAR:
        raise InvalidTransition(_("Only a nominated dossier receives a national result."))
    try:
        total = None if total in (None, "") else Decimal(str(total))
        star = int(star) if total is None else band(total)
    except (ArithmeticError, ValueError, TypeError):
        raise DomainError(
            _("Enter the central council's points (0 to 100)."), code="bad_total", status=422
        ) from None
    if star not in range(1, 6) or (total is not None and not 0 <= total <= 100):
        raise DomainError(_("Enter the central council's points (0 to 100)."), code="bad_total", status=422)
    if star == 5:
        if not (decision_number or "").strip() or decision_date is None:
            raise DomainError(
                _("Enter the Ministry's decision number and date."), code="decision_incomplete", status=422
            )
        dossier.certificate = issue_certificate(
            dossier.product,
            actor=actor,
            star=5,
            score=total if total is not None else dossier.result_total,
            kind=dossier.kind,
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            issuer_name="Bộ Nông nghiệp và Môi trường",
            criteria_set=dossier.rubric.criteria_set.code,
        )
        target, outcome = S.RECOGNISED, Outcome.NATIONAL_5_STARS
    else:
        target, outcome = S.NATIONAL_BELOW_90, ""
    dossier.state, dossier.national_star, dossier.national_note = target, star, note
    dossier.national_total, dossier.outcome = total, outcome
    dossier.save(
        update_fields=[
            "state",
            "national_star",
            "national_total",
            "national_note",
            "outcome",
            "certificate",
            "updated_at",
        ]
    )
    log_activity(
        dossier,
        "evaluation.dossier.national_result",
        actor=actor,
        data={
            "from": S.NOMINATED_5STAR,
            "to": target,
            "star": star,
            "total": total,
            "decision": decision_number,
        },
    )
    if target == S.RECOGNISED:
        _end_renewal_extension(dossier, actor)
    _queue("national_result", dossier, _producer_users(dossier) + _province_officers(dossier))
    return dossier


def is_open(dossier):
    return dossier.state in OPEN_STATES


@transaction.atomic
def mark_notifications_read(user, *, actor):
    """Mark every unread notice of `user` read (one user marks only their own). Returns how many."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        log_activity(user, "evaluation.notifications.read", actor=actor, data={"count": count})
    return count
