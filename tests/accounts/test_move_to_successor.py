"""An administrator moves a former province's officer to the successor province in one step."""

import pytest

from ocop.accounts.domain import move_roles_to_successor
from ocop.accounts.models import RoleAssignment
from ocop.accounts.rules import legacy_only
from ocop.core.errors import NotAllowed
from ocop.core.models import ActivityLog
from tests.factories import UserFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def admin(admin_units):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_move_roles_to_successor_moves_and_logs(province_officer, admin):
    assert legacy_only(province_officer) is True

    moves = move_roles_to_successor(province_officer, actor=admin)

    assert moves == [{"role": "province_officer", "from": "83", "to": "86"}]
    assert list(
        RoleAssignment.objects.filter(user=province_officer).values_list("role", "unit__map", "unit__code")
    ) == [("province_officer", "current", "86")]
    log = ActivityLog.objects.get(action="accounts.role.moved_to_successor")
    assert (log.actor, log.data) == (admin, {"moves": moves})
    assert legacy_only(province_officer) is False


@pytest.mark.parametrize("who", ["dong_thap_officer", "province_officer", "commune_officer"])
def test_move_roles_refused_outside_the_successor(request, province_officer, who):
    """Another province's officer, the legacy officer itself, a commune officer: refused, nothing moved."""
    with pytest.raises(NotAllowed):
        move_roles_to_successor(province_officer, actor=request.getfixturevalue(who))
    assert list(
        RoleAssignment.objects.filter(user=province_officer).values_list("unit__code", flat=True)
    ) == ["83"]
    assert ActivityLog.objects.filter(action="accounts.role.moved_to_successor").count() == 0


def test_successor_officer_moves_a_predecessor_account(vinh_long_officer, province_officer):
    moves = move_roles_to_successor(province_officer, actor=vinh_long_officer)
    log = ActivityLog.objects.get(action="accounts.role.moved_to_successor")
    assert (moves, log.actor) == ([{"role": "province_officer", "from": "83", "to": "86"}], vinh_long_officer)


def test_office_page_lists_and_moves_in_one_step(
    client_for, vinh_long_officer, province_officer, commune_officer
):
    client = client_for(vinh_long_officer)
    listing = client.get("/office/accounts/former-map/")
    assert (listing.status_code, sorted(u.username for u in listing.context["accounts"])) == (
        200,
        ["commune", "province"],
    )
    refused = client.post(f"/office/accounts/{province_officer.pk}/move-to-successor/", follow=True)
    assert [str(m) for m in refused.context["messages"]] == ["Hãy đánh dấu ô xác nhận để chuyển."]
    response = client.post(f"/office/accounts/{province_officer.pk}/move-to-successor/", {"confirm": "yes"})
    assert (response.status_code, response["Location"]) == (302, "/office/accounts/former-map/")
    assert list(
        RoleAssignment.objects.filter(user=province_officer).values_list("role", "unit__map", "unit__code")
    ) == [("province_officer", "current", "86")]
    log = ActivityLog.objects.get(action="accounts.role.moved_to_successor")
    assert (log.actor, log.object_id) == (vinh_long_officer, str(province_officer.pk))
    # moved: it acts again, and is no longer listed
    assert [u.username for u in client.get("/office/accounts/former-map/").context["accounts"]] == ["commune"]


def test_office_move_page_roles_and_scope(client_for, province_officer, dong_thap_officer, producer, admin):
    legacy = client_for(province_officer)
    # the legacy officer reads only: 403 with the message
    page = legacy.get("/office/accounts/former-map/")
    assert (page.status_code, "Tài khoản của tỉnh cũ chỉ xem" in page.content.decode()) == (403, True)
    assert client_for(producer).get("/office/accounts/former-map/").status_code == 403
    # another province's officer: the account is not in its list (404)
    other = client_for(dong_thap_officer)
    assert (
        other.post(
            f"/office/accounts/{province_officer.pk}/move-to-successor/", {"confirm": "yes"}
        ).status_code
        == 404
    )
    # an administrator sees and moves every such account
    root = client_for(admin)
    assert [u.username for u in root.get("/office/accounts/former-map/").context["accounts"]] == ["province"]
    root.post(f"/office/accounts/{province_officer.pk}/move-to-successor/", {"confirm": "yes"})
    assert list(
        RoleAssignment.objects.filter(user=province_officer).values_list("unit__code", flat=True)
    ) == ["86"]


def test_admin_action_moves_selected_users(client_for, province_officer, commune_officer, admin):
    response = client_for(admin).post(
        "/admin/accounts/user/",
        {"action": "move_to_successor", "_selected_action": [province_officer.pk, commune_officer.pk]},
    )
    assert response.status_code == 302
    assert sorted(
        RoleAssignment.objects.filter(user__in=[province_officer, commune_officer]).values_list(
            "role", "unit__map"
        )
    ) == [("commune_officer", "current"), ("province_officer", "current")]
