"""Staff accounts for a provincial officer: list, create, edit, roles, password, deactivation.
Who is whose: ocop/accounts/queries.py. Views parse input, call one domain function, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts import domain
from ocop.accounts.enums import Role
from ocop.accounts.models import RoleAssignment
from ocop.accounts.queries import (
    MANAGED_ROLES,
    former_map_accounts,
    managed_provinces,
    role_units,
    staff_for,
)
from ocop.core.activity import history_for
from ocop.core.errors import DomainError
from ocop.core.locking import LOCK_FIELD
from ocop.core.text import fold_unit_name
from ocop.geo.enums import Level
from ocop.geo.models import AdminUnit

from ..actions import run_action


def _require_manager(request):
    if not request.user.has_perm("accounts.manage_staff"):
        raise PermissionDenied


def _account_for(request, pk):
    _require_manager(request)
    return get_object_or_404(staff_for(request.user), pk=pk)


def _province(request):
    """The province whose units the forms offer: the officer's own (a choice when several)."""
    provinces = managed_provinces(request.user, for_new=True).order_by("map", "name")
    wanted = request.POST.get("province") or request.GET.get("province") or ""
    if wanted.isdigit():
        chosen = provinces.filter(pk=int(wanted)).first()
        if chosen is not None:
            return chosen, provinces
    return (provinces.first() if provinces.count() == 1 else None), provinces


def _unit_choices(province, request=None, provinces=None):
    """The units offered on the form: those of the chosen province; without a province (an
    administrator, who manages every province), the units whose name matches the search `unit_q`,
    communes and provinces of the map in force, so nobody must pick a province first: the province
    follows from the commune."""
    if province is not None:
        return list(role_units(province).select_related("district"))
    if request is None or provinces is None:
        return []
    query = (request.POST.get("unit_q") or request.GET.get("unit_q") or "").strip()[:60]
    words = fold_unit_name(query).split()[:6]
    if not words:
        return []
    ids = list(provinces.values_list("pk", flat=True))
    qs = AdminUnit.objects.filter(Q(pk__in=ids) | Q(province__in=ids, level=Level.COMMUNE)).select_related(
        "province", "district"
    )
    for word in words:
        qs = qs.filter(name_folded__contains=word)
    return list(qs.order_by("level", "name_folded")[:50])


def _role_choices():
    return [(value, label) for value, label in Role.choices if value in MANAGED_ROLES]


def _posted_unit(request, province, provinces=None):
    pk = request.POST.get("unit", "")
    if not pk.isdigit() or len(pk) > 12:
        return None
    if province is not None:
        return role_units(province).filter(pk=int(pk)).first()
    if provinces is None:
        return None
    # No province chosen (an administrator searched the unit by name): the unit's province decides.
    ids = list(provinces.values_list("pk", flat=True))
    return AdminUnit.objects.filter(
        Q(pk__in=ids) | Q(province__in=ids, level=Level.COMMUNE), pk=int(pk)
    ).first()


@login_required
def account_list(request):
    _require_manager(request)
    accounts = staff_for(request.user).prefetch_related("roles__unit")
    query = request.GET.get("q", "").strip()
    for word in query.split()[:5]:
        accounts = accounts.filter(Q(username__icontains=word) | Q(full_name__icontains=word))
    context = {"accounts": accounts[:300], "q": query}
    return render(request, "backoffice/accounts/account_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    _require_manager(request)
    province, provinces = _province(request)
    values = request.POST if request.method == "POST" else {}

    def page():
        context = {
            "values": values,
            "province": province,
            "provinces": provinces,
            "units": _unit_choices(province, request, provinces),
            "unit_q": (request.POST.get("unit_q") or request.GET.get("unit_q") or "").strip()[:60],
            "role_choices": _role_choices(),
        }
        return render(request, "backoffice/accounts/account_create.html", context)

    if request.method != "POST":
        return page()
    return run_action(
        request,
        lambda: domain.create_staff_account(
            actor=request.user,
            username=values.get("username", ""),
            full_name=values.get("full_name", ""),
            email=values.get("email", ""),
            phone=values.get("phone", ""),
            role=values.get("role", ""),
            unit=_posted_unit(request, province, provinces),
            password=values.get("password", "") if values.get("method") == "one_time" else "",
        ),
        done=_("Account created."),
        back=page,
        then=lambda user: redirect("backoffice:account_detail", user.pk),
    )


@login_required
def account_detail(request, pk):
    account = _account_for(request, pk)
    province, provinces = _province(request)
    context = {
        "account": account,
        "lock_token": domain.profile_token(account),
        "assignments": account.roles.select_related("unit", "unit__province").order_by("role"),
        "province": province,
        "provinces": provinces,
        "units": _unit_choices(province, request, provinces),
        "unit_q": (request.GET.get("unit_q") or "").strip()[:60],
        "role_choices": _role_choices(),
        "entries": history_for(account)[:50],
    }
    return render(request, "backoffice/accounts/account_detail.html", context)


def _account_action(view):
    """A POST on one account: a refusal becomes an error message on the account's page."""

    def wrapper(request, pk, *args, **kwargs):
        account = _account_for(request, pk)
        return run_action(
            request,
            lambda: view(request, account, *args, **kwargs),
            back=lambda: redirect("backoffice:account_detail", account.pk),
        )

    wrapper.__name__ = view.__name__
    return login_required(require_POST(wrapper))


@_account_action
def account_edit(request, account):
    domain.update_staff_account(
        account,
        actor=request.user,
        full_name=request.POST.get("full_name", ""),
        email=request.POST.get("email", ""),
        phone=request.POST.get("phone", ""),
        lock_token=request.POST.get(LOCK_FIELD) or "",  # a form without its token is stale too
    )
    messages.success(request, _("Changes saved."))


@_account_action
def account_role_add(request, account):
    province, provinces = _province(request)
    domain.give_role(
        account,
        request.POST.get("role", ""),
        actor=request.user,
        unit=_posted_unit(request, province, provinces),
    )
    messages.success(request, _("Role given."))


@_account_action
def account_role_remove(request, account, role_pk):
    assignment = get_object_or_404(RoleAssignment, pk=role_pk, user=account)
    domain.remove_role(assignment, actor=request.user)
    messages.success(request, _("Role removed."))


@_account_action
def account_password(request, account):
    one_time = request.POST.get("method") == "one_time"
    if one_time and not request.POST.get("password"):
        raise DomainError(_("Enter the one-time password."))
    domain.reset_password(
        account, actor=request.user, password=request.POST.get("password", "") if one_time else ""
    )
    if one_time:
        messages.success(request, _("One-time password set; the user chooses a new one at the next login."))
    else:
        messages.success(
            request, _("A link to choose a new password was mailed to %(email)s.") % {"email": account.email}
        )


@_account_action
def account_active(request, account):
    active = request.POST.get("active") == "1"
    if not active and request.POST.get("confirm") != "yes":
        raise DomainError(_("Tick the box to confirm the deactivation."))
    domain.set_account_active(account, active, actor=request.user)
    messages.success(request, _("Account reactivated.") if active else _("Account deactivated."))


@login_required
def former_accounts(request):
    """Accounts still scoped to a unit of the former map (before 1/7/2025), each moved to the successor
    units in one step: an administrator (every account) or the successor province's officer."""
    if not (request.user.has_perm("accounts.manage_staff") or request.user.has_perm("accounts.move_roles")):
        raise PermissionDenied
    accounts = former_map_accounts(request.user).prefetch_related("roles__unit")
    return render(request, "backoffice/accounts/former_accounts.html", {"accounts": accounts[:300]})


@login_required
@require_POST
def account_move_to_successor(request, pk):
    if not request.user.has_perm("accounts.move_roles"):
        raise PermissionDenied
    account = get_object_or_404(former_map_accounts(request.user), pk=pk)

    def move():
        if request.POST.get("confirm") != "yes":
            raise DomainError(_("Tick the box to confirm the move."))
        return domain.move_roles_to_successor(account, actor=request.user)

    return run_action(
        request,
        move,
        done=lambda moves: (
            _("%(n)s roles of %(name)s moved to the units of the current map.")
            % {"n": len(moves), "name": account.full_name or account.username}
        ),
        back=lambda: redirect("backoffice:account_former"),
    )
