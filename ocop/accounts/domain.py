from django.db import transaction

from ocop.core.activity import log_activity
from ocop.registry.domain import create_producer
from ocop.registry.enums import ProducerStatus

from .enums import Role
from .models import RoleAssignment, User


@transaction.atomic
def assign_role(user, role, *, actor, unit=None, producer=None):
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, unit=unit, producer=producer
    )
    if created:
        log_activity(
            user,
            "accounts.role.assigned",
            actor=actor,
            data={
                "role": role,
                "unit": unit.code if unit else None,
                "producer": producer.pk if producer else None,
            },
        )
    user.__dict__.pop("assignments", None)
    user.__dict__.pop("producer", None)
    return assignment


@transaction.atomic
def register_producer(*, username, password, full_name, email, producer_values):
    """Self-registration: a user, a producer awaiting approval by its province, and the link."""
    user = User.objects.create_user(username=username, password=password, email=email, full_name=full_name)
    producer = create_producer(actor=user, status=ProducerStatus.PENDING, **producer_values)
    assign_role(user, Role.PRODUCER, actor=user, producer=producer)
    log_activity(user, "accounts.user.registered", actor=user, data={"producer": producer.pk})
    return user, producer


def successor_unit(unit):
    """The unit of the current map that took `unit` over (a legacy province → its successor province,
    a legacy commune → the current commune its records move to, a district → its province's successor)."""
    from ocop.geo.enums import Level, MapVersion
    from ocop.geo.queries import current_commune_for, current_successors

    if unit is None or unit.map == MapVersion.CURRENT:
        return unit
    if unit.level == Level.COMMUNE:
        return current_commune_for(unit)
    province = unit if unit.level == Level.PROVINCE else unit.province
    return current_successors(province).first()


@transaction.atomic
def move_roles_to_successor(user, *, actor):
    """Move, in one step, every role of `user` scoped to a unit of the legacy map to the unit of the
    current map that succeeded it (Bến Tre 83 → Vĩnh Long 86), so a former province's officer acts
    again. Administrators only; one ActivityLog row listing every move. Returns the moves."""
    from ocop.core.errors import NotAllowed
    from ocop.geo.enums import MapVersion

    if actor is not None and not (actor.is_superuser or actor.has_role(Role.ADMIN)):
        raise NotAllowed()
    moves = []
    legacy = RoleAssignment.objects.select_for_update().filter(user=user, unit__map=MapVersion.LEGACY)
    for assignment in legacy.select_related("unit"):
        new_unit = successor_unit(assignment.unit)
        if new_unit is None:
            continue
        RoleAssignment.objects.get_or_create(user=user, role=assignment.role, unit=new_unit, producer=None)
        moves.append({"role": assignment.role, "from": assignment.unit.code, "to": new_unit.code})
        assignment.delete()
    if moves:
        log_activity(user, "accounts.role.moved_to_successor", actor=actor, data={"moves": moves})
    user.__dict__.pop("assignments", None)
    return moves
