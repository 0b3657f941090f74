"""The office's decisions on a batch and on a counterfeit signal, each through its domain function:
the state it leaves, the log row it writes, and a refusal that changes nothing."""

import pytest
from django.urls import reverse

from ocop.core.errors import DomainError, InvalidTransition, NotAllowed
from ocop.core.models import ActivityLog
from ocop.stamps import domain
from ocop.stamps.enums import BatchState, SignalKind, SignalStatus
from ocop.stamps.models import CounterfeitSignal, StampBatch

from .helpers import serial_of

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _log(obj, action):
    return ActivityLog.objects.filter(object_id=str(obj.pk), action=action)


@pytest.fixture
def ordered(certificate, producer):
    return domain.order_batch(certificate.product, actor=producer, quantity=50, lot_number="L-01")


def test_reject_batch_records_the_reason(ordered, vinh_long_officer):
    domain.reject_batch(ordered, actor=vinh_long_officer, note="Số lô trùng với lô đã cấp")
    batch = StampBatch.objects.get(pk=ordered.pk)
    assert (batch.state, batch.decided_by, batch.decision_note) == (
        BatchState.REJECTED,
        vinh_long_officer,
        "Số lô trùng với lô đã cấp",
    )
    log = _log(batch, "stamps.batch.rejected").get()
    assert (log.actor, log.data) == (
        vinh_long_officer,
        {"from": BatchState.REQUESTED, "note": "Số lô trùng với lô đã cấp"},
    )


@pytest.mark.parametrize(
    ("who", "note", "error"),
    [("producer", "Tự từ chối", NotAllowed), ("vinh_long_officer", "  ", DomainError)],
)
def test_reject_batch_refused_changes_nothing(request, ordered, who, note, error):
    with pytest.raises(error):
        domain.reject_batch(ordered, actor=request.getfixturevalue(who), note=note)
    assert StampBatch.objects.get(pk=ordered.pk).state == BatchState.REQUESTED
    assert not _log(ordered, "stamps.batch.rejected").exists()


def test_unblock_batch_returns_it_to_approved(batch, vinh_long_officer):
    domain.block_batch(batch, actor=vinh_long_officer, reason="Tem bị sao chép")
    domain.unblock_batch(batch, actor=vinh_long_officer, note="Đã thu hồi tem sao chép")
    assert StampBatch.objects.get(pk=batch.pk).state == BatchState.APPROVED
    log = _log(batch, "stamps.batch.unblocked").get()
    assert (log.actor, log.data) == (
        vinh_long_officer,
        {"from": BatchState.BLOCKED, "note": "Đã thu hồi tem sao chép"},
    )


def test_unblock_batch_refused_changes_nothing(batch, vinh_long_officer, producer, other_province_officer):
    with pytest.raises(InvalidTransition):  # not blocked
        domain.unblock_batch(batch, actor=vinh_long_officer)
    domain.block_batch(batch, actor=vinh_long_officer, reason="Tem bị sao chép")
    for actor in (producer, other_province_officer):
        with pytest.raises(NotAllowed):
            domain.unblock_batch(batch, actor=actor)
    assert StampBatch.objects.get(pk=batch.pk).state == BatchState.BLOCKED
    assert not _log(batch, "stamps.batch.unblocked").exists()


@pytest.fixture
def signal(batch):
    return CounterfeitSignal.objects.create(serial=serial_of(batch, 3), batch=batch, kind=SignalKind.REPEATED)


def test_set_signal_status_confirms_and_logs(signal, vinh_long_officer):
    domain.set_signal_status(signal, SignalStatus.CONFIRMED, actor=vinh_long_officer, note="Tem in lại")
    assert CounterfeitSignal.objects.get(pk=signal.pk).status == SignalStatus.CONFIRMED
    log = _log(signal, "stamps.signal.status_changed").get()
    assert (log.actor, log.data) == (
        vinh_long_officer,
        {"from": SignalStatus.OPEN, "to": SignalStatus.CONFIRMED, "note": "Tem in lại"},
    )


@pytest.mark.parametrize(
    ("who", "status", "error"),
    [
        ("producer", SignalStatus.DISMISSED, NotAllowed),
        ("other_province_officer", SignalStatus.DISMISSED, NotAllowed),
        ("vinh_long_officer", "lost", DomainError),
        ("vinh_long_officer", SignalStatus.OPEN, InvalidTransition),
    ],
)
def test_set_signal_status_refused_changes_nothing(request, signal, who, status, error):
    with pytest.raises(error):
        domain.set_signal_status(signal, status, actor=request.getfixturevalue(who))
    assert CounterfeitSignal.objects.get(pk=signal.pk).status == SignalStatus.OPEN
    assert not _log(signal, "stamps.signal.status_changed").exists()


def test_batch_actions_offered_follow_the_table(client_for, ordered, vinh_long_officer, producer):
    def flags(user):
        context = client_for(user).get(reverse("backoffice:stamp_batch_detail", args=[ordered.pk])).context
        return (context["can_decide"], context["can_block"], context["can_unblock"])

    assert (flags(vinh_long_officer), flags(producer)) == ((True, False, False), (False, False, False))
    domain.approve_batch(ordered, actor=vinh_long_officer)
    assert flags(vinh_long_officer) == (False, True, False)
    domain.block_batch(ordered, actor=vinh_long_officer, reason="Tem bị sao chép")
    assert flags(vinh_long_officer) == (False, False, True)
