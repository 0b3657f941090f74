import re

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ocop.core.activity import log_activity
from ocop.core.errors import DomainError, NotAllowed
from ocop.core.locking import StaleEdit, content_token
from ocop.core.permissions import acting_user, require
from ocop.geo.enums import Level, MapVersion
from ocop.geo.queries import current_commune_for, current_successors

from .enums import Role
from .models import RoleAssignment, User
from .queries import MANAGED_ROLES, managed_provinces, staff_for
from .rules import officer_provinces, province_covers_province
from .tasks import send_password_link

_USERNAME = re.compile(r"[A-Za-z0-9._-]{3,150}")


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


# Staff accounts, administered by a provincial officer (ocop/accounts/queries.py says whose) -------------


def _check_manages(actor, user):
    if acting_user(actor) is not None and not staff_for(actor).filter(pk=user.pk).exists():
        raise PermissionDenied


def _check_role_unit(actor, role, unit):
    """The role is one an officer gives, on a unit it may give it on (commune officer: a commune of the
    officer's province; advisory group or council member: the province itself)."""

    if role not in MANAGED_ROLES:
        raise DomainError(_("Choose a role: commune officer, advisory group member or council member."))
    if unit is None:
        raise DomainError(_("Choose the unit of the role."))
    province_id = unit.province_id if unit.level == Level.COMMUNE else unit.pk
    if (
        acting_user(actor) is not None
        and not managed_provinces(actor, for_new=True).filter(pk=province_id).exists()
    ):
        raise DomainError(_("Choose the unit of the role."))
    if role == Role.COMMUNE_OFFICER and unit.level != Level.COMMUNE:
        raise DomainError(_("A commune officer's unit is a commune of your province."))
    if role != Role.COMMUNE_OFFICER and unit.level != Level.PROVINCE:
        raise DomainError(_("An advisory group or council member's unit is your province."))


def _clean_profile(full_name, email, phone):
    full_name, email, phone = (full_name or "").strip(), (email or "").strip(), (phone or "").strip()
    if not full_name:
        raise DomainError(_("Enter the person's full name."), code="full_name_required")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(_("Enter a valid email address."), code="bad_email") from exc
    if len(phone) > 20:
        raise DomainError(_("The phone number is too long."), code="bad_phone")
    return full_name[:150], email, phone


def _check_password(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="weak_password") from exc


@transaction.atomic
def create_staff_account(*, actor, username, full_name, email="", phone="", role, unit, password=""):
    """A staff account with one role. With `password` (one-time) the user must change it at first
    login; without, the platform mails a link to choose one (an email address is then required)."""
    require(actor, "accounts.manage_staff")
    username = (username or "").strip()
    if not username or not _USERNAME.fullmatch(username):
        raise DomainError(
            _("A user name has 3 to 150 letters, digits and . _ - (no spaces, no accents)."),
            code="bad_username",
        )
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is taken."), code="username_taken")
    full_name, email, phone = _clean_profile(full_name, email, phone)
    _check_role_unit(actor, role, unit)
    if not password and not email:
        raise DomainError(
            _("Give either an email address (the platform mails a link) or a one-time password."),
            code="no_way_in",
        )
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    if password:
        _check_password(password, user)
        user.set_password(password)
        user.must_change_password = True
    else:
        user.set_unusable_password()
    user.save()
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    log_activity(
        user,
        "accounts.user.created",
        actor=actor,
        data={
            "username": username,
            "role": role,
            "unit": unit.code,
            "unit_name": unit.name,
            "one_time_password": bool(password),
        },
    )
    if not password:
        transaction.on_commit(lambda: send_password_link.enqueue(user_id=user.pk))
    return user


PROFILE_FIELDS = ("full_name", "email", "phone")


def profile_token(user):
    """The staff edit form's lock token (users have no `updated_at`): the profile's own values."""
    return content_token(user, PROFILE_FIELDS)


@transaction.atomic
def update_staff_account(user, *, actor, full_name, email, phone, lock_token=None):
    """`lock_token`: `profile_token` as the form was opened; a stale one is refused (StaleEdit, nothing
    written), so a second tab's save never drops the first one's change."""
    _check_manages(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if lock_token is not None and lock_token != profile_token(user):
        raise StaleEdit()
    full_name, email, phone = _clean_profile(full_name, email, phone)
    before = {"full_name": user.full_name, "email": user.email, "phone": user.phone}
    after = {"full_name": full_name, "email": email, "phone": phone}
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if not changed:
        return user
    user.full_name, user.email, user.phone = full_name, email, phone
    user.save(update_fields=["full_name", "email", "phone"])
    log_activity(user, "accounts.user.updated", actor=actor, data={"changed": changed})
    return user


@transaction.atomic
def give_role(user, role, *, actor, unit):
    _check_manages(actor, user)
    _check_role_unit(actor, role, unit)
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise DomainError(_("This account already has this role."), code="duplicate_role")
    assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit)
    log_activity(
        user,
        "accounts.role.assigned",
        actor=actor,
        data={"role": role, "unit": unit.code, "unit_name": unit.name},
    )
    user.__dict__.pop("assignments", None)
    return assignment


@transaction.atomic
def remove_role(assignment, *, actor):
    """Take a role away. The last role stays (deactivate the account instead), so that the account
    stays in its province's hands and its history stays readable."""
    user = assignment.user
    _check_manages(actor, user)
    if not RoleAssignment.objects.filter(user=user).exclude(pk=assignment.pk).exists():
        raise DomainError(
            _("This is the account's only role; deactivate the account instead."), code="last_role"
        )
    unit = assignment.unit
    data = {
        "role": assignment.role,
        "unit": unit.code if unit else None,
        "unit_name": unit.name if unit else None,
    }
    assignment.delete()
    log_activity(user, "accounts.role.removed", actor=actor, data=data)
    user.__dict__.pop("assignments", None)


@transaction.atomic
def reset_password(user, *, actor, password=""):
    """With `password`: a one-time password the user must change at next login. Without: mail a link
    to choose one (the account needs an email address)."""
    _check_manages(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if password:
        _check_password(password, user)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
    elif not user.email:
        raise DomainError(
            _("This account has no email address: set a one-time password instead."), code="no_email"
        )
    else:
        transaction.on_commit(lambda: send_password_link.enqueue(user_id=user.pk))
    log_activity(
        user,
        "accounts.user.password_reset",
        actor=actor,
        data={"method": "one_time" if password else "email"},
    )
    return user


@transaction.atomic
def set_account_active(user, active, *, actor):
    """Deactivate (the person can no longer log in; roles and history stay) or reactivate."""
    _check_manages(actor, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    log_activity(user, "accounts.user.activated" if active else "accounts.user.deactivated", actor=actor)
    return user


@transaction.atomic
def password_chosen(user):
    """The user chose their own password (after a one-time one): lift the obligation, log it."""
    updated = User.objects.filter(pk=user.pk, must_change_password=True).update(must_change_password=False)
    user.must_change_password = False
    if updated:
        log_activity(user, "accounts.user.password_changed", actor=user)


def successor_unit(unit):
    """The unit of the current map that took `unit` over (a legacy province → its successor province,
    a legacy commune → the current commune its records move to, a district → its province's successor)."""

    if unit is None or unit.map == MapVersion.CURRENT:
        return unit
    if unit.level == Level.COMMUNE:
        return current_commune_for(unit)
    province = unit if unit.level == Level.PROVINCE else unit.province
    return current_successors(province).first()


def may_move_roles(actor, user):
    """Who moves an account's former-map roles to the successor units: an administrator (any account),
    or a province officer of the map in force over an account whose every former-map role lies in a
    province merged into the officer's (Vĩnh Long 86 for Bến Tre 83's officers and staff). Never an
    administrator's account by an officer, never one's own."""

    if actor is None or actor.is_superuser or actor.has_role(Role.ADMIN):
        return True
    if user.pk == actor.pk or user.is_superuser or user.has_role(Role.ADMIN):
        return False
    units = officer_provinces(actor, acting=True)
    legacy = [a.unit for a in user.assignments if a.unit_id and a.unit.map == MapVersion.LEGACY]
    if not units or not legacy:
        return False
    provinces = [u if u.level == Level.PROVINCE else u.province for u in legacy]
    return all(any(province_covers_province(mine, p) for mine in units) for p in provinces)


@transaction.atomic
def move_roles_to_successor(user, *, actor):
    """Move, in one step, every role of `user` scoped to a unit of the legacy map to the unit of the
    current map that succeeded it (Bến Tre 83 → Vĩnh Long 86), so a former province's officer acts
    again. An administrator, or the successor province's officer (`may_move_roles`); one ActivityLog
    row listing every move. Returns the moves (empty when there was nothing to move)."""

    user.__dict__.pop("assignments", None)
    if acting_user(actor) is not None and not may_move_roles(actor, user):
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
