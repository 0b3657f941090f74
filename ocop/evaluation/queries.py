"""Scoped querysets and read models for evaluation pages."""

import datetime

from django.db.models import Count, Q

from ocop.accounts.enums import Role
from ocop.core.activity import history_for
from ocop.core.dates import today
from ocop.geo.enums import MapVersion
from ocop.geo.queries import legacy_predecessors
from ocop.registry.queries import products_for

from .enums import DossierState, RoundStatus, SheetStatus
from .models import Dossier, Membership, Round, Scoresheet
from .procedure import departs_from_calendar, legal_calendar


def rounds_for(user):
    if not user.is_authenticated:
        return Round.objects.none()
    if user.is_superuser or user.has_role(Role.ADMIN, Role.MINISTRY_OFFICER):
        return Round.objects.all()
    provinces = set()
    for unit in user.units(Role.PROVINCE_OFFICER):
        provinces.add(unit.pk)
        if unit.map == MapVersion.CURRENT:  # the successor carries on its predecessors' rounds
            provinces.update(legacy_predecessors(unit).values_list("pk", flat=True))
    q = Q(province__in=sorted(provinces)) | Q(memberships__user=user)
    if user.producer is not None or user.units(Role.COMMUNE_OFFICER):
        q |= Q(dossiers__product__in=products_for(user))
    if user.producer is not None:
        q |= Q(status=RoundStatus.OPEN, province__in=producer_provinces(user.producer))
    return Round.objects.filter(q).distinct()


def producer_provinces(producer):
    """The province of a producer on both maps (legacy and current): where its rounds are held."""
    return [c.province_id for c in producer.scope_communes() if c is not None]


def open_rounds_for_producer(producer):
    """Rounds of the producer's province that take new dossiers today."""

    return Round.objects.filter(
        status=RoundStatus.OPEN, submission_deadline__gte=today(), province__in=producer_provinces(producer)
    ).select_related("province", "criteria_set")


def dossiers_for(user):
    """Dossiers the user may see: their producer's, their unit's, or their round's (council, advisory)."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    if user.is_superuser or user.has_role(Role.ADMIN, Role.MINISTRY_OFFICER):
        return Dossier.objects.all()
    # Two subqueries, no join: a join on the round's memberships needed DISTINCT over every selected
    # column (with select_related, ~150 of them, JSON included), which cost PostgreSQL ~7 ms of planning
    # and a sort on each dossier page and scoresheet save (issue #16). Same rows, no duplicates.
    q = Q(product__in=products_for(user).values("pk"))
    return Dossier.objects.filter(q | Q(round__in=Membership.objects.filter(user=user).values("round")))


def pipeline(round_):
    """{state: count} for a round, every state present."""
    counts = dict(round_.dossiers.values_list("state").annotate(n=Count("id")).order_by())
    return [(state, label, counts.get(state, 0)) for state, label in DossierState.choices]


def current_sheets(dossier_ids):
    """The latest submitted sheet of each member for each dossier: {dossier id: [sheet, ...]}."""
    sheets = {}
    for sheet in Scoresheet.objects.filter(dossier_id__in=dossier_ids, status=SheetStatus.SUBMITTED).order_by(
        "dossier_id", "member_id", "-version"
    ):
        bucket = sheets.setdefault(sheet.dossier_id, {})
        bucket.setdefault(sheet.member_id, sheet)
    return {d: list(members.values()) for d, members in sheets.items()}


def rubric_of_certificate(certificate):
    """The rubric of the dossier that issued `certificate` (None for an imported or older one); registered
    with `certificates.queries.register_rubric_finder`."""
    dossier = (
        Dossier.objects.filter(certificate=certificate)
        .select_related("rubric__criteria_set")
        .order_by("-pk")
        .first()
    )
    return dossier.rubric if dossier is not None else None


def legal_dates_of(round_):
    """The dates QĐ 26/2026 Art. 5.1 gives the round (round 1 if its council sits by 29/6, else round 2)
    and whether the round's own dates depart from them (the office gave a reason)."""

    council = round_.council_date
    number = 1 if council <= datetime.date(council.year, 6, 29) else 2
    return {
        "number": number,
        "dates": legal_calendar(council.year, number),
        "departs": departs_from_calendar(
            council.year, round_.submission_deadline, round_.review_deadline, council
        ),
    }


def schedule_history(round_):
    """The round's dates as created and every change of them, oldest first, each with who, when and the
    reason (ActivityLog rows `evaluation.round.created` and `evaluation.round.rescheduled`)."""

    def day(value):
        return datetime.date.fromisoformat(value) if isinstance(value, str) and value else value

    rows = []
    for entry in (
        history_for(round_)
        .filter(action__in=("evaluation.round.created", "evaluation.round.rescheduled"))
        .order_by("created_at", "id")
    ):
        data = entry.data or {}
        rows.append(
            {
                "at": entry.created_at,
                "actor": (entry.actor.get_full_name() or entry.actor.username) if entry.actor else "",
                "created": entry.action == "evaluation.round.created",
                "before": [day(v) for v in data.get("from") or []],
                "after": [day(v) for v in data.get("to") or []],
                "reason": data.get("reason", ""),
            }
        )
    return rows
