"""Helpers every stage uses: permission check, row lock, the transition table check, notice queue
and recipients."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.accounts.enums import Role
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition, NotAllowed
from ocop.criteria.scoring import criterion_index

from ..enums import (
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
        from ocop.certificates.domain import end_extension

        end_extension(dossier.renews, actor=actor, day=today())


def is_open(dossier):
    return dossier.state in OPEN_STATES
