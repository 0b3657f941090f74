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


def test_move_roles_refused_for_non_admin(province_officer, vinh_long_officer):
    with pytest.raises(NotAllowed):
        move_roles_to_successor(province_officer, actor=vinh_long_officer)
    assert list(
        RoleAssignment.objects.filter(user=province_officer).values_list("unit__code", flat=True)
    ) == ["83"]


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
