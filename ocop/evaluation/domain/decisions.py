"""Decisions and nominations: provincial decision, the Ministry, the national result."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates.domain import issue_certificate
from ocop.certificates.models import Certificate
from ocop.core.activity import log_activity
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition
from ocop.criteria.scoring import band
from ocop.geo.authority import issuing_authority

from .. import procedure
from ..enums import (
    MINISTRY_STATES,
    DecisionStatus,
    DossierKind,
    Outcome,
)
from ..models import Decision, Dossier
from ._common import (
    S,
    _end_renewal_extension,
    _lock,
    _producer_users,
    _province_officers,
    _queue,
    _require,
    _required_text,
    check_transition,
)

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
        due = procedure.reevaluation_due_on(dossier)  # Art. 7.6g: recorded late, never refused
        log_activity(
            dossier,
            f"evaluation.dossier.{target}",
            actor=actor,
            data={
                "from": previous,
                "decision": decision.number,
                "outcome": outcome,
                "certificate": dossier.certificate.number if dossier.certificate else None,
                **({"reevaluation_due_on": due, "overdue": decision.date > due} if due else {}),
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
    report = _required_text(
        report, _("Write the provincial office's evaluation report."), code="report_required"
    )
    dossier = _lock(dossier)
    if not dossier.goes_to_ministry:
        raise DomainError(
            _(
                "Only a 5★ product's re-evaluation goes straight to the Ministry; this one is scored by the council."
            ),
            code="not_ministry",
        )
    if dossier.state not in MINISTRY_STATES:  # the rule `may_send_to_ministry` of the dossier page
        raise InvalidTransition(
            _("A re-evaluation is sent to the Ministry once forwarded to the province, before any scoring.")
        )
    check_transition(dossier, S.NOMINATED_5STAR, actor=actor)
    previous = dossier.state
    dossier.state, dossier.appraisal_note = S.NOMINATED_5STAR, report
    # Art. 7.6g: the Ministry's 45 days run from its receipt of the province's proposal.
    dossier.complete_received_on = today()
    dossier.save(update_fields=["state", "appraisal_note", "complete_received_on", "updated_at"])
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
