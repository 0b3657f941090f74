"""The "Also" of issue #12: nothing is changed in the Django admin without an ActivityLog row. Producers,
products, (and the maps) are read-only there; roles are given and taken through the accounts domain."""

import pytest
from django.test import Client

from ocop.accounts.enums import Role
from ocop.accounts.models import RoleAssignment
from ocop.core.models import ActivityLog
from ocop.geo.models import AdminUnit
from ocop.registry.models import Producer, Product
from tests.factories import ProductFactory, UserFactory, with_role

pytestmark = pytest.mark.integration


@pytest.fixture
def admin_client(admin_units):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client, user


def test_producer_and_product_cannot_be_changed_in_admin(admin_client, producer_org):
    client, _admin = admin_client
    product = ProductFactory(producer=producer_org, name="Kẹo dừa")
    responses = [
        client.get(f"/admin/registry/producer/{producer_org.pk}/change/").status_code,
        client.post(f"/admin/registry/producer/{producer_org.pk}/change/", {"name": "Đổi tên"}).status_code,
        client.get("/admin/registry/producer/add/").status_code,
        client.post(f"/admin/registry/producer/{producer_org.pk}/delete/", {"post": "yes"}).status_code,
        client.post(f"/admin/registry/product/{product.pk}/change/", {"name": "Đổi tên"}).status_code,
        client.post(f"/admin/registry/product/{product.pk}/delete/", {"post": "yes"}).status_code,
    ]
    assert (
        responses,
        Producer.objects.get(pk=producer_org.pk).name,
        Product.objects.get(pk=product.pk).name,
    ) == ([200, 403, 403, 403, 403, 403], producer_org.name, "Kẹo dừa")


def test_admin_units_cannot_be_changed_in_admin(admin_client, ben_tre):
    client, _admin = admin_client
    response = client.post(f"/admin/geo/adminunit/{ben_tre.pk}/change/", {"name": "Tỉnh khác"})
    assert (response.status_code, AdminUnit.objects.get(pk=ben_tre.pk).name) == (403, ben_tre.name)


def _user_form(user, roles, **extra):
    data = {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
        "full_name": user.full_name,
        "language": "vi",
        "roles-TOTAL_FORMS": str(len(roles)),
        "roles-INITIAL_FORMS": str(sum(1 for r in roles if r.get("id"))),
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
    }
    for i, role in enumerate(roles):
        data |= {f"roles-{i}-{k}": v for k, v in role.items()} | {f"roles-{i}-user": str(user.pk)}
    return data | extra


def test_role_given_in_admin_goes_through_the_domain(admin_client, ben_tre):
    client, admin = admin_client
    officer = UserFactory(username="newofficer")
    role = {"id": "", "role": Role.PROVINCE_OFFICER, "unit": str(ben_tre.pk), "producer": ""}
    response = client.post(f"/admin/accounts/user/{officer.pk}/change/", _user_form(officer, [role]))
    log = ActivityLog.objects.get(action="accounts.role.assigned")
    assert (
        response.status_code,
        list(RoleAssignment.objects.filter(user=officer).values_list("role", "unit")),
        (log.actor, log.object_id, log.data),
    ) == (
        302,
        [(Role.PROVINCE_OFFICER, ben_tre.pk)],
        (admin, str(officer.pk), {"role": "province_officer", "unit": "83", "producer": None}),
    )


def test_role_taken_in_admin_goes_through_the_domain(admin_client, ben_tre):
    client, admin = admin_client
    officer = with_role(UserFactory(username="oldofficer"), Role.PROVINCE_OFFICER, unit=ben_tre)
    assignment = RoleAssignment.objects.get(user=officer)
    role = {"id": str(assignment.pk), "DELETE": "on"}
    response = client.post(f"/admin/accounts/user/{officer.pk}/change/", _user_form(officer, [role]))
    log = ActivityLog.objects.get(action="accounts.role.revoked")
    assert (
        response.status_code,
        RoleAssignment.objects.filter(user=officer).count(),
        (log.actor, log.object_id, log.data),
    ) == (302, 0, (admin, str(officer.pk), {"role": "province_officer", "unit": "83", "producer": None}))


def test_account_change_in_admin_is_logged(admin_client):
    client, admin = admin_client
    officer = UserFactory(username="someone")  # joined now; the form says 1/1/2026 and staff
    response = client.post(
        f"/admin/accounts/user/{officer.pk}/change/", _user_form(officer, [], is_staff="on")
    )
    log = ActivityLog.objects.get(action="accounts.user.changed")
    assert (response.status_code, (log.actor, log.object_id, log.data)) == (
        302,
        (admin, str(officer.pk), {"fields": ["Date joined", "Staff status"]}),
    )
