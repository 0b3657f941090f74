"""The publication step (ocop/core/publication.py): one path from a changed record to every public page
that shows it, declared by the data apps, with no model signal of the catalogue or the stamps' own."""

import pytest
from django.db.models.signals import m2m_changed, post_delete, post_save

from ocop.catalog import readmodel
from ocop.certificates.models import Certificate
from ocop.core import publication
from ocop.market.models import OnlineListing, SalePoint
from ocop.registry.models import Producer, Product, ProductPhoto
from ocop.stamps import shared
from ocop.stamps.models import StampBatch

SOURCES = [Product, Producer, ProductPhoto, Certificate, OnlineListing, SalePoint, StampBatch]


def test_every_public_source_is_declared_and_both_publishers_registered():
    assert set(SOURCES) | {SalePoint.products.through} <= set(publication._sources)
    assert {readmodel.publisher, shared.publisher} <= set(publication._publishers)


@pytest.mark.parametrize("model", SOURCES, ids=lambda m: m.__name__)
def test_a_source_reaches_the_public_pages_only_through_the_publication_step(model):
    # Besides the publication step, only the programme's figures (their own generation) listen.
    allowed = {"ocop.core.publication", "ocop.reports.statscache"}
    for signal in (post_save, post_delete):
        modules = {receiver.__module__ for receiver in signal._live_receivers(model)[0]}
        assert modules <= allowed, (signal, modules)
    through = SalePoint.products.through
    assert {r.__module__ for r in m2m_changed._live_receivers(through)[0]} <= allowed


@pytest.mark.django_db
def test_a_producer_save_publishes_its_products_once(admin_units, monkeypatch):
    from tests.factories import ProducerFactory, ProductFactory

    producer = ProducerFactory()
    products = [ProductFactory(producer=producer) for _ in range(2)]
    seen = []
    monkeypatch.setattr(publication, "_publishers", [lambda obj, ids: seen.append((obj, ids))])

    producer.name = "Hợp tác xã Dừa Xanh mới"
    producer.save(update_fields=["name", "updated_at"])

    assert seen == [(producer, frozenset(p.pk for p in products))]


@pytest.mark.django_db
def test_a_deleted_sale_point_publishes_the_products_it_carried(admin_units, monkeypatch):
    from tests.factories import ProducerFactory, ProductFactory, unit

    producer = ProducerFactory()
    product = ProductFactory(producer=producer)
    point = SalePoint.objects.create(
        name="Điểm OCOP", kind="ocop_point", address="1 Đồng Khởi", commune=unit("28756")
    )
    point.products.add(product)
    seen = []
    monkeypatch.setattr(publication, "_publishers", [lambda obj, ids: seen.append(ids)])

    point.delete()

    assert frozenset({product.pk}) in seen
