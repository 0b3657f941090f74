"""Administering a round from the office: its dates, quorum and criteria set, closing it, its council
and advisory group (chosen from the province's accounts, with a reason), and opening the council's
scoring for many dossiers at once. One function per change, each with its ActivityLog row."""

from django.db import transaction
from django.utils.translation import gettext as _

from ocop.accounts.queries import staff_candidates
from ocop.core.activity import log_activity
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.locking import check_unchanged
from ocop.core.permissions import require

from . import domain
from .enums import Body, DossierState, Position, RoundStatus
from .models import Dossier, Round

S = DossierState


@transaction.atomic
def update_round(
    round_,
    *,
    actor,
    name,
    submission_deadline,
    review_deadline,
    council_date,
    quorum,
    criteria_set,
    lock_token=None,
    reason="",
):
    """Change a round's name, dates, quorum and (while it has no dossier) its criteria set. New dates go
    through `domain.reschedule_round`: the platform proposed the legal dates of QĐ 26/2026 Art. 5.1 and the
    office gives the reason for changing them (logged as `evaluation.round.rescheduled`)."""
    require(actor, "evaluation.manage_round", round_)
    round_ = Round.objects.select_for_update(of=("self",)).select_related("criteria_set").get(pk=round_.pk)
    check_unchanged(round_, lock_token)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the round's name."), code="name_required")
    domain.check_round_dates(submission_deadline, review_deadline, council_date)
    if quorum is not None and not 1 <= quorum <= domain.MAX_QUORUM:
        raise DomainError(_("The quorum is a number of scoresheets between 1 and 50."), code="bad_quorum")
    if criteria_set.pk != round_.criteria_set_id:
        if not criteria_set.is_published:
            raise DomainError(_("A round needs a published criteria set."), code="draft_criteria_set")
        if round_.dossiers.exists():
            raise DomainError(
                _("The criteria set can only change before the first dossier is opened."),
                code="criteria_set_frozen",
            )
    dates = [submission_deadline, review_deadline, council_date]
    moved_submission = submission_deadline != round_.submission_deadline
    if dates != [round_.submission_deadline, round_.review_deadline, round_.council_date]:
        if not (reason or "").strip():
            raise DomainError(
                _(
                    "Give the reason for changing the dates (the platform proposes the dates of "
                    "QĐ 26/2026 Art. 5.1; a change is logged with its reason)."
                ),
                code="reason_required",
                status=422,
            )
        round_ = domain.reschedule_round(
            round_,
            actor=actor,
            submission_deadline=submission_deadline,
            review_deadline=review_deadline,
            council_date=council_date,
            reason=reason,
        )
    values = {"name": name[:200], "quorum": quorum, "criteria_set": criteria_set}
    if moved_submission:
        values["year"] = submission_deadline.year
    changed = {}
    for field, value in values.items():
        before = getattr(round_, field)
        if before != value:
            changed[field] = [
                str(before) if before is not None else None,
                str(value) if value is not None else None,
            ]
            setattr(round_, field, value)
    if not changed:
        return round_
    round_.save(update_fields=[*values, "updated_at"])
    log_activity(round_, "evaluation.round.updated", actor=actor, data={"changed": changed})
    return round_


def close_round(round_, *, actor):
    """Close the round to new dossiers (the dossiers in it carry on)."""
    if round_.status != RoundStatus.OPEN:  # the rule `may_close_round` of the round page
        raise InvalidTransition(_("This round is already closed."))
    return domain.set_round_status(round_, RoundStatus.CLOSED, actor=actor)


def _reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            _("Give the reason (e.g. the decision forming the council)."), code="reason_required"
        )
    return reason[:500]


def add_member(round_, user, *, actor, body, position, department="", reason):
    """Put an account of the round's province on its council or advisory group, with a reason."""

    require(actor, "evaluation.manage_round", round_)
    reason = _reason(reason)
    if body not in Body.values or position not in Position.values:
        raise DomainError(_("Choose the body and the position."), code="bad_body")
    if user is None or user not in staff_candidates(round_.province, user.username, limit=None):
        raise DomainError(
            _("Choose a person from the list of your province's accounts."), code="not_candidate"
        )
    return domain.add_member(
        round_,
        user,
        actor=actor,
        body=body,
        position=position,
        department=(department or "")[:150],
        reason=reason,
    )


def remove_member(membership, *, actor, reason):
    require(actor, "evaluation.manage_round", membership.round)
    return domain.remove_member(membership, actor=actor, reason=_reason(reason))


@transaction.atomic
def open_scoring_many(dossiers, *, actor):
    """Open the council's scoring for several appraised dossiers in one transaction: all or nothing
    (one refused dossier refuses them all, nothing is opened). One log row per dossier."""
    ids = sorted({d.pk for d in dossiers})
    if not ids:
        raise DomainError(_("Choose at least one appraised dossier."), code="nothing_chosen")
    opened = []
    for dossier in Dossier.objects.filter(pk__in=ids).order_by("pk"):
        if dossier.state != S.APPRAISED:
            raise InvalidTransition(
                _("Dossier %(n)s is not appraised; nothing was opened.") % {"n": dossier.number}
            )
        opened.append(domain.open_scoring(dossier, actor=actor))
    return opened
