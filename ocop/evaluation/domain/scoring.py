"""Council: open scoring, conflicts, scoresheets, close scoring, disqualification."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.core.activity import log_activity
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.locking import check_unchanged
from ocop.criteria.scoring import (
    ScoreInputError,
    aggregate,
    compute,
    council_knockouts,
    criterion_index,
    knockout_reasons,
    spread,
)

from ..enums import (
    SCORESHEET_STATES,
    TRANSITIONS,
    Outcome,
    SheetStatus,
)
from ..models import Conflict, Dossier, Scoresheet
from ..queries import current_sheets
from ._common import (
    S,
    _council,
    _end_renewal_extension,
    _lock,
    _producer_users,
    _queue,
    _require,
    _required_text,
    _valid_partial,
    check_transition,
)


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


def _scorer_check(dossier, actor):
    _require(actor, "evaluation.score_dossier", dossier)
    if dossier.state not in SCORESHEET_STATES:  # the rule `may_fill_scoresheet`
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
    reason = _required_text(
        reason, _("Give the reason for the conflict of interest."), code="reason_required"
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
def save_scoresheet(dossier, *, actor, answers, notes="", lock_version=None, submit=False, knockouts=None):
    """Save a member's draft sheet (partial answers allowed) or submit it (every criterion answered, unless
    the member marks a knock-out: the sheet's note says not to evaluate further).

    `knockouts` (None: unchanged) are what the member found, as `ocop.criteria.scoring.knockout_reasons`
    reads them: the set's "Hồ sơ bị loại khi" lines ("disqualifier:N"), a criterion whose note removes the
    dossier (its id), or {"criterion": None, "reason": text}. The council judges them when scoring closes
    (`_close`, docs/evaluation.md "Knock-outs marked by the council").

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
    if knockouts is not None:
        sheet.knockouts = _sheet_knockouts(dossier, knockouts)
    if submit:
        try:
            result = compute(dossier.rubric.tree, answers, knockouts=_as_reasons(sheet.knockouts))
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
            "knockouts": sheet.knockouts,
        },
    )
    return sheet


def _sheet_knockouts(dossier, items):
    """[{"key", "criterion", "reason"}] for the knock-outs a member marked, or a 422 naming the fault."""
    keys, cleaned_items = [], []
    for item in items or ():
        if isinstance(item, dict):
            reason = str(item.get("reason") or "").strip()[:500]
            cid = str(item.get("criterion") or "").strip() or None
            if not reason and cid is None:
                continue
            keys.append(cid or "")
            cleaned_items.append({"criterion": cid, "reason": reason})
        elif str(item).strip():
            keys.append(str(item).strip())
            cleaned_items.append(str(item).strip())
    try:
        reasons = knockout_reasons(dossier.rubric.tree, cleaned_items)
    except ScoreInputError as exc:
        if exc.code == "unknown_criterion":
            message = _("Unknown criterion %(id)s.") % {"id": exc.criterion}
        else:
            message = _("This knock-out is not one of the set's sheet (Annex II): %(what)s.") % {
                "what": exc.criterion or ", ".join(k for k in keys if k.startswith("disqualifier:")) or "?"
            }
        raise DomainError(message, code=exc.code, status=422) from exc
    out, seen = [], set()
    for key, reason in zip(keys, reasons, strict=True):
        entry = {"key": key, "criterion": reason["criterion"] or "", "reason": reason["reason"]}
        if (entry["criterion"], entry["reason"]) not in seen:
            seen.add((entry["criterion"], entry["reason"]))
            out.append(entry)
    return out


def _as_reasons(marked):
    """A sheet's stored knock-outs as `knockout_reasons` input ({"criterion": id or None, "reason"})."""
    return [{"criterion": k.get("criterion") or None, "reason": k["reason"]} for k in marked or ()]


@transaction.atomic
def correct_scoresheet(sheet, *, actor, reason):
    """A submitted sheet stays as it was; the member gets a new draft version carrying its answers."""
    reason = _required_text(reason, _("Give the reason for the correction."), code="reason_required")
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
        knockouts=sheet.knockouts,
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
    # Knock-outs marked by the members: the dossier leaves the scoring when more than half of the
    # submitted sheets mark one (QĐ 26/2026 leaves the council's way of deciding to its rules, Art. 7.3b/d;
    # docs/evaluation.md "Knock-outs marked by the council").
    knocked_out, reasons, voters = council_knockouts([_as_reasons(s.knockouts) for s in sheets])
    dossier.knockout_sheets = voters  # for the log row
    if knocked_out:
        found = [{"criterion": r["criterion"], "reason": r["reason"]} for r in reasons]
        result = aggregate(dossier.rubric.tree, answers, bonus, knockouts=found)
        knockouts = [
            {"criterion": r["criterion"] or "", "reason": r["reason"], "members": r["members"]}
            for r in reasons
        ]
    else:
        index = criterion_index(dossier.rubric.tree)
        incomplete = [s for s in sheets if s.knockouts and any(cid not in s.answers for cid in index)]
        if incomplete:
            raise DomainError(
                _(
                    "Dossier %(n)s: %(v)s of %(s)s scoresheets mark a knock-out, not more than half: the dossier "
                    "stays in the scoring. %(names)s left criteria unanswered and must correct the sheet "
                    "(answer every criterion) before the scoring closes."
                )
                % {
                    "n": dossier.number,
                    "v": voters,
                    "s": len(sheets),
                    "names": ", ".join(str(s.member) for s in incomplete),
                },
                code="knockout_not_upheld",
                status=409,
            )
        result = aggregate(dossier.rubric.tree, answers, bonus)
        knockouts = []
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
                "knockout_sheets": dossier.knockout_sheets,
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
