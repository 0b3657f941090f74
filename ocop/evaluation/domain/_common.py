"""Helpers every stage uses: permission check, row lock, the transition table check, notice queue
and recipients."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ocop.accounts.enums import Role
from ocop.accounts.models import RoleAssignment
from ocop.accounts.rules import LEGACY_READ_ONLY as ACCOUNTS_LEGACY_READ_ONLY
from ocop.accounts.rules import legacy_only
from ocop.certificates.domain import end_extension
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition, NotAllowed
from ocop.core.permissions import require
from ocop.criteria.scoring import criterion_index
from ocop.geo.enums import MapVersion
from ocop.geo.queries import current_successors

from ..enums import (
    MOVE_PERMS,
    OPEN_STATES,
    TRANSITION_PERMS,
    TRANSITIONS,
    Body,
    DossierKind,
    DossierState,
)
from ..models import Dossier
from ..tasks import notify

S = DossierState


def _require(actor, perm, obj=None):
    """`ocop.core.permissions.require` (SYSTEM passes, None is refused); a former province's officer
    asking to act is told why (its history is read-only)."""
    require(actor, perm, obj, refusal=lambda: _refusal(actor, perm, obj))


def _required_text(value, message, *, code):
    """`value` stripped of spaces; refused (422, `code`, `message`) when nothing is left of it."""
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code=code, status=422)
    return value


def _refusal(actor, perm, obj):
    if perm in ACTING_PERMS and _legacy_officer(actor, obj):
        return NotAllowed(LEGACY_READ_ONLY, code="legacy_unit")
    return PermissionDenied()


def _legacy_officer(actor, obj):
    """A former province's officer asking to act on something they may still read."""

    if actor.is_superuser or not legacy_only(actor):
        return False
    if obj is None:
        return True
    view = "evaluation.view_round" if obj._meta.model_name == "round" else "evaluation.view_dossier"
    return actor.has_perm(view, obj)


ACTING_PERMS = {"evaluation.add_round", "evaluation.sign_decision"}  # offices of the map in force only


# One message for every refusal of a former province's account (ocop.accounts.rules).
LEGACY_READ_ONLY = ACCOUNTS_LEGACY_READ_ONLY


def check_transition(dossier, target, *, actor):
    """Refuse a move the table does not allow (InvalidTransition) or the actor may not make (403)."""
    if target not in TRANSITIONS[dossier.state]:
        raise InvalidTransition(
            _("A dossier in state “%(state)s” cannot become “%(target)s”.")
            % {"state": DossierState(dossier.state).label, "target": DossierState(target).label}
        )
    _require(actor, MOVE_PERMS.get((dossier.state, target), TRANSITION_PERMS[target]), dossier)


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
    legacy, current = dossier.scope_communes()
    units = [u.pk for u in (legacy, current) if u is not None]
    return list(
        RoleAssignment.objects.filter(role=Role.COMMUNE_OFFICER, unit__in=units).values_list(
            "user_id", flat=True
        )
    )


def _province_officers(dossier):
    """The officers of the round's province and, for a round of a former province, of its successor on
    the map in force (the office that acts on it since 1/7/2025)."""
    province = dossier.round.province
    units = [province.pk]
    if province.map == MapVersion.LEGACY:
        units += list(current_successors(province).values_list("pk", flat=True))
    return list(
        RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICER, unit__in=units)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _council(round_):
    return list(round_.memberships.filter(body=Body.COUNCIL).values_list("user_id", flat=True))


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


def _end_renewal_extension(dossier, actor):
    if dossier.kind == DossierKind.REEVALUATION and dossier.renews_id:
        end_extension(dossier.renews, actor=actor, day=today())


def is_open(dossier):
    return dossier.state in OPEN_STATES
