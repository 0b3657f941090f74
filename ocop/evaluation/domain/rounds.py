"""Rounds and councils: create, reschedule, open/close, members."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.enums import Role
from ocop.accounts.rules import acts_on_current_map
from ocop.core.activity import log_activity
from ocop.core.dates import today
from ocop.core.errors import DomainError, NotAllowed
from ocop.core.locking import check_unchanged
from ocop.core.permissions import acting_user
from ocop.criteria import queries as criteria_queries

from .. import procedure
from ..enums import (
    OPEN_STATES,
    Body,
)
from ..models import Membership, Round, Scoresheet
from ._common import LEGACY_READ_ONLY, _require, _required_text

# QĐ 26/2026/QĐ-TTg names who sits on a council but sets no number of members nor a quorum: the bound
# only refuses typing errors (and values the smallint column cannot hold).
MAX_QUORUM = 50


def check_round_dates(submission_deadline, review_deadline, council_date):
    """A round's dates follow each other: submission, commune review, council."""
    if not (submission_deadline <= review_deadline <= council_date):
        raise DomainError(
            _("The dates must follow each other: submission, commune review, council."), code="bad_dates"
        )


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
    is_admin = acting_user(actor) is None or actor.is_superuser or actor.has_role(Role.ADMIN)
    if not is_admin and province.pk not in [u.pk for u in actor.units(Role.PROVINCE_OFFICER)]:
        raise PermissionDenied
    if acting_user(actor) is not None and not acts_on_current_map(province):
        raise NotAllowed(LEGACY_READ_ONLY, code="legacy_unit")
    if not criteria_set.is_published:
        raise DomainError(_("A round needs a published criteria set."), code="draft_criteria_set")
    # QĐ 26/2026 Art. 11: a round opens today and may only use a set in force today.
    criteria_queries.ensure_in_force(criteria_set, today())
    check_round_dates(submission_deadline, review_deadline, council_date)
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
            "to": [submission_deadline, review_deadline, council_date],
        },
    )
    return round_


def round_opened_on(round_):
    """The round's opening date: the day it was created (QĐ 26/2026 Art. 11 and the set's validity are
    judged on it)."""
    return timezone.localdate(round_.created_at) if round_.created_at else today()


def reevaluations_due_before(round_, council_date):
    """Re-evaluation dossiers of the round the province has received complete and not decided, whose
    45 days (Art. 7.6g) end before `council_date`: [(dossier, due date)]."""

    late = []
    for dossier in (
        round_.dossiers.filter(kind="reevaluation", state__in=OPEN_STATES, complete_received_on__isnull=False)
        .exclude(state="completion")  # its 45 days start again when the completed dossier returns
        .select_related("renews", "product")
        .order_by("number")
    ):
        due = procedure.reevaluation_due_on(dossier)
        if due is not None and not dossier.goes_to_ministry and council_date > due:
            late.append((dossier, due))
    return late


@transaction.atomic
def reschedule_round(
    round_, *, actor, submission_deadline, review_deadline, council_date, reason, lock_token=None
):
    """The office changes a round's dates (the platform proposed the legal ones of Art. 5.1); the reason is
    logged. A council date after the 45-day limit of a re-evaluation the province already holds (Art. 7.6g)
    is refused."""
    _require(actor, "evaluation.manage_round", round_)
    reason = _required_text(reason, _("Give the reason for changing the dates."), code="reason_required")
    check_round_dates(submission_deadline, review_deadline, council_date)
    round_ = Round.objects.select_for_update().select_related("criteria_set").get(pk=round_.pk)
    check_unchanged(round_, lock_token)
    before = [round_.submission_deadline, round_.review_deadline, round_.council_date]
    after = [submission_deadline, review_deadline, council_date]
    if before == after:
        return round_
    late = reevaluations_due_before(round_, council_date) if council_date > round_.council_date else []
    if late:
        raise DomainError(
            _(
                "The council cannot meet after %(due)s: a re-evaluation is decided within 45 days of receiving "
                "the complete dossier (QĐ 26/2026 Art. 7.6g); dossiers %(numbers)s."
            )
            % {
                "due": min(due for _d, due in late).strftime("%d/%m/%Y"),
                "numbers": ", ".join(d.number for d, _due in late),
            },
            code="reevaluation_deadline",
            status=422,
        )
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
        data={
            "from": before,
            "to": after,
            "reason": reason,
            "departs_from_calendar": procedure.departs_from_calendar(
                council_date.year, submission_deadline, review_deadline, council_date
            ),
        },
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
