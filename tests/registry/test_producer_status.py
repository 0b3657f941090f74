"""The province's decisions on a producer's registration follow one transition table
(`registry.enums.PRODUCER_TRANSITIONS`): the domain refuses any other move, the page offers exactly
the allowed ones, and products are added only to an approved producer."""

import pytest
from django.urls import reverse

from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.models import ActivityLog
from ocop.registry import domain
from ocop.registry.enums import PRODUCER_TRANSITIONS, ProducerStatus, ProductSet
from ocop.registry.models import Product
from ocop.registry.rules import may_add_product, producer_moves

from ..factories import ProducerFactory

pytestmark = pytest.mark.django_db

S = ProducerStatus


@pytest.mark.parametrize(
    ("start", "target"),
    [(a, b) for a in S.values for b in S.values if a != b],
)
def test_domain_follows_the_table(vinh_long_officer, start, target):
    producer = ProducerFactory(status=start)
    if target in PRODUCER_TRANSITIONS[start]:
        domain.set_producer_status(producer, target, actor=vinh_long_officer)
        producer.refresh_from_db()
        assert producer.status == target
        assert ActivityLog.objects.filter(action=f"registry.producer.{target}").count() == 1
    else:
        with pytest.raises(InvalidTransition):
            domain.set_producer_status(producer, target, actor=vinh_long_officer)
        producer.refresh_from_db()
        assert producer.status == start
        assert not ActivityLog.objects.filter(action__startswith="registry.producer.").exists()


def test_unknown_status_is_refused_not_a_crash(vinh_long_officer):
    producer = ProducerFactory(status=S.PENDING)
    with pytest.raises(InvalidTransition):
        domain.set_producer_status(producer, "dissolved", actor=vinh_long_officer)


def test_moves_need_the_approval_permission(vinh_long_officer, producer, producer_org):
    pending = ProducerFactory(status=S.PENDING)
    assert producer_moves(vinh_long_officer, pending) == {S.ACTIVE, S.REJECTED}
    producer_org.status = S.PENDING
    producer_org.save(update_fields=["status"])
    assert producer_moves(producer, producer_org) == frozenset()  # the producer itself: no approval


def test_no_product_for_a_producer_awaiting_approval(vinh_long_officer):
    pending = ProducerFactory(status=S.PENDING)
    assert not may_add_product(vinh_long_officer, pending)
    with pytest.raises(DomainError) as refused:
        domain.create_product(
            actor=vinh_long_officer, producer=pending, name="Kẹo dừa", product_set=ProductSet.choices[0][0]
        )
    assert refused.value.code == "producer_not_active"
    assert not Product.objects.filter(producer=pending).exists()


def test_page_offers_the_allowed_moves(client_for, vinh_long_officer):
    pending = ProducerFactory(status=S.PENDING)
    html = client_for(vinh_long_officer).get(reverse("backoffice:producer_detail", args=[pending.pk])).text
    assert 'value="active"' in html and 'value="rejected"' in html
    assert reverse("backoffice:product_create", args=[pending.pk]) not in html

    rejected = ProducerFactory(status=S.REJECTED)
    html = client_for(vinh_long_officer).get(reverse("backoffice:producer_detail", args=[rejected.pk])).text
    assert 'value="active"' in html and 'value="rejected"' not in html

    active = ProducerFactory(status=S.ACTIVE)
    html = client_for(vinh_long_officer).get(reverse("backoffice:producer_detail", args=[active.pk])).text
    assert 'value="active"' not in html and 'value="rejected"' not in html
    assert reverse("backoffice:product_create", args=[active.pk]) in html


def test_a_refused_move_from_the_page_changes_nothing(client_for, vinh_long_officer):
    active = ProducerFactory(status=S.ACTIVE)
    response = client_for(vinh_long_officer).post(
        reverse("backoffice:producer_status", args=[active.pk]), {"status": "rejected"}, follow=True
    )
    assert response.status_code == 200
    active.refresh_from_db()
    assert active.status == S.ACTIVE
    assert not ActivityLog.objects.filter(action__startswith="registry.producer.").exists()
    assert any("cannot be set" in str(m) or "không thể" in str(m) for m in response.context["messages"])
