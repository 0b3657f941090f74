from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocop.core.activity import log_activity
from ocop.core.errors import DomainError
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
def revoke_role(assignment, *, actor):
    """Take a role away from its user (the office or the Django admin); one log row on the user."""
    user = assignment.user
    data = {
        "role": assignment.role,
        "unit": assignment.unit.code if assignment.unit_id else None,
        "producer": assignment.producer_id,
    }
    assignment.delete()
    log_activity(user, "accounts.role.revoked", actor=actor, data=data)
    user.__dict__.pop("assignments", None)
    user.__dict__.pop("producer", None)


def record_account_change(user, *, actor, action, fields):
    """The log row of a change made to an account in the Django admin (created, changed, password
    reset, deleted): the admin saves the account itself, this records who changed what."""
    log_activity(user, f"accounts.user.{action}", actor=actor, data={"fields": sorted(fields)})


@transaction.atomic
def register_producer(*, username, password, full_name, email, producer_values):
    """Self-registration: a user, a producer awaiting approval by its province, and the link."""
    user = User.objects.create_user(username=username, password=password, email=email, full_name=full_name)
    producer = create_producer(actor=user, status=ProducerStatus.PENDING, **producer_values)
    assign_role(user, Role.PRODUCER, actor=user, producer=producer)
    log_activity(user, "accounts.user.registered", actor=user, data={"producer": producer.pk})
    return user, producer


# Two-factor authentication -------------------------------------------------------------------------
# A wrong code is counted by django-otp's throttling (each device records its failures), so the code is
# checked before the transaction that changes anything: a refusal must not roll the count back.


def two_factor_setup_device(user):
    """The unconfirmed TOTP device `user` is setting up (created, and logged, on the first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, confirmed=False, name="app")
        log_activity(user, "accounts.2fa.setup_started", actor=user)
    return device


def enable_two_factor(user, token, *, actor):
    """Confirm the device being set up with a first valid code: from then on every login asks for one."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise DomainError(
            _("Start the set-up again: no authenticator is waiting for a code."), code="no_device"
        )
    if not device.verify_token((token or "").strip()):
        raise DomainError(
            _("The code is not right. Check the time on your phone and try again."),
            code="bad_code",
            status=422,
        )
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        log_activity(user, "accounts.2fa.enabled", actor=actor, data={"device": device.persistent_id})
    return device


def disable_two_factor(user, token, *, actor):
    """Turn two-factor authentication off: only with a valid code of one of the account's devices."""
    token = (token or "").strip()
    if not token or match_token(user, token) is None:
        raise DomainError(
            _("Enter a valid code from your authenticator app to turn two-factor authentication off."),
            code="otp_required",
            status=403,
        )
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=None))
        for device in devices:
            device.delete()
        log_activity(
            user, "accounts.2fa.disabled", actor=actor, data={"devices": [d.persistent_id for d in devices]}
        )
    return len(devices)
