"""The one permission check of the domain functions (`ocop.core.permissions.require`) and the system
actor: SYSTEM passes and is recorded as no user, a user without the permission is refused, `None` is
refused loudly (never a silently skipped check), and a refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from ocop.core.errors import NotAllowed
from ocop.core.models import ActivityLog
from ocop.core.permissions import SYSTEM, acting_user, require
from ocop.stamps import domain as stamps
from ocop.stamps.enums import BatchState

from ..stamps.helpers import batch, certificate  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_system_passes_and_is_recorded_as_no_user(producer):
    assert require(SYSTEM, "stamps.block_batch") is None
    assert acting_user(SYSTEM) is None


def test_a_user_is_checked_and_returned(producer, vinh_long_officer, ben_tre):
    assert require(vinh_long_officer, "certificates.configure_numbers", ben_tre) is vinh_long_officer
    with pytest.raises(PermissionDenied):
        require(producer, "certificates.configure_numbers")
    with pytest.raises(NotAllowed):
        require(producer, "certificates.configure_numbers", refusal=NotAllowed)


def test_none_is_not_an_actor():
    with pytest.raises(TypeError, match="SYSTEM"):
        require(None, "stamps.block_batch")
    with pytest.raises(TypeError):
        acting_user(None)


def test_domain_function_with_no_actor_raises_and_changes_nothing(batch):  # noqa: F811
    with pytest.raises(TypeError):
        stamps.block_batch(batch, actor=None, reason="Tem giả trên thị trường")
    batch.refresh_from_db()
    assert batch.state == BatchState.APPROVED
    assert not ActivityLog.objects.filter(action="stamps.batch.blocked").exists()


def test_domain_function_as_system_acts_and_logs_no_user(batch):  # noqa: F811
    stamps.block_batch(batch, actor=SYSTEM, reason="Tem giả trên thị trường")
    batch.refresh_from_db()
    assert batch.state == BatchState.BLOCKED
    log = ActivityLog.objects.get(action="stamps.batch.blocked")
    assert log.actor is None
