"""`update_producer`: the office changes a profile at once; a producer's change of commune becomes a
request for the office; another province's officer is refused and nothing changes."""

import pytest
from django.core.exceptions import PermissionDenied

from ocop.core.models import ActivityLog
from ocop.registry import domain
from ocop.registry.models import ChangeRequest, Producer
from tests.factories import unit

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _logs(producer):
    return ActivityLog.objects.filter(action="registry.producer.updated", object_id=str(producer.pk))


def test_office_changes_the_profile_at_once(producer_org, vinh_long_officer):
    old_phone = producer_org.phone
    domain.update_producer(producer_org, actor=vinh_long_officer, phone="0275 3822 111")
    assert Producer.objects.get(pk=producer_org.pk).phone == "0275 3822 111"
    log = _logs(producer_org).get()
    assert (log.actor, log.data) == (vinh_long_officer, {"changes": {"phone": [old_phone, "0275 3822 111"]}})


def test_producer_moving_commune_asks_the_office(producer_org, producer):
    commune = producer_org.commune
    updated = domain.update_producer(
        producer_org, actor=producer, commune=unit("28249"), phone="0909 111 222"
    )
    producer_org.refresh_from_db()
    assert (producer_org.commune, producer_org.phone) == (commune, "0909 111 222")  # the phone at once
    assert updated.change_request == ChangeRequest.objects.get(producer=producer_org)


def test_other_province_officer_is_refused_and_nothing_changes(producer_org, other_province_officer):
    before = Producer.objects.filter(pk=producer_org.pk).values().get()
    with pytest.raises(PermissionDenied):
        domain.update_producer(producer_org, actor=other_province_officer, phone="0000")
    assert Producer.objects.filter(pk=producer_org.pk).values().get() == before
    assert not _logs(producer_org).exists()
    assert not ChangeRequest.objects.exists()
