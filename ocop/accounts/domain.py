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
