"""The publication step (ocop/core/publication.py): the domain functions publish what they write, inside
their transaction (the catalogue's rows with it, cache versions once it commits); no model signal does,
so a bare save publishes nothing and a rolled-back domain call publishes nothing."""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from ocop.catalog import pagecache, readmodel
from ocop.catalog.models import CatalogEntry
from ocop.certificates import domain as certificates
from ocop.certificates.enums import RevocationGround
from ocop.certificates.models import Certificate
from ocop.core import publication
from ocop.core.dates import today
from ocop.core.permissions import SYSTEM
from ocop.market import domain as market
from ocop.market.enums import Platform, SalePointKind, SalePointStatus
from ocop.market.models import OnlineListing, SalePoint
from ocop.registry import domain as registry
from ocop.registry import traceability
from ocop.registry.enums import ProducerStatus
from ocop.registry.models import Producer, Product, ProductPhoto, TraceCode
from ocop.stamps import domain as stamps
from ocop.stamps import shared
from ocop.stamps.models import StampBatch
from tests.catalog.helpers import certify
from tests.factories import ProducerFactory, ProductFactory, png, unit

SOURCES = [Product, Producer, ProductPhoto, TraceCode, Certificate, OnlineListing, SalePoint, StampBatch]


@pytest.fixture
def published(monkeypatch):
    """What is published from now on, [(type of the object, product ids)], the real publishers kept."""
    seen = []
    monkeypatch.setattr(
        publication,
        "_publishers",
        [*publication._publishers, lambda obj, ids: seen.append((type(obj).__name__, ids))],
    )
    return seen


def _supermarket(products):
    return market.create_sale_point(
        actor=SYSTEM,
        products=products,
        name="Co.opmart",
        kind=SalePointKind.SUPERMARKET,
        address="26 Đồng Khởi",
        commune=unit("28762"),
    )


def _approved_batch(product, officer):
    return stamps.approve_batch(stamps.order_batch(product, actor=officer, quantity=10), actor=officer)


def test_every_public_source_is_declared_and_both_publishers_registered():
    assert set(SOURCES) <= set(publication._sources)
    assert {readmodel.publisher, shared.publisher} <= set(publication._publishers)


@pytest.mark.parametrize("model", [*SOURCES, SalePoint.products.through], ids=lambda m: m.__name__)
def test_no_model_signal_publishes(model):
    # Only the programme's figures (their own generation) listen to saves; publication is called.
    allowed = {"ocop.reports.statscache"}
    for signal in (pre_save, post_save, pre_delete, post_delete, m2m_changed):
        modules = {receiver.__module__ for receiver in signal._live_receivers(model)[0]}
        assert modules <= allowed, (signal, modules)


@pytest.mark.django_db
def test_a_bare_save_publishes_nothing(admin_units, published):
    product = certify(name="Kẹo dừa sữa")
    published.clear()

    product.name = "Bánh phồng sữa"
    product.save()  # outside the domain functions: `manage.py refresh_catalog` repairs

    assert (published, readmodel.drift()) == ([], [product.pk])


# --- Each family of domain functions publishes ----------------------------------------------------------


@pytest.mark.django_db
def test_registry_functions_publish_their_products(
    admin_units, published, vinh_long_officer, settings, tmp_path
):

    settings.MEDIA_ROOT = tmp_path
    producer = ProducerFactory()
    first, second = (
        certify(name="Kẹo dừa sữa", producer=producer),
        certify(name="Bánh phồng", producer=producer),
    )
    published.clear()

    registry.update_producer(producer, actor=SYSTEM, name="Hợp tác xã Mỏ Cày")
    registry.update_product(first, actor=SYSTEM, name="Kẹo dừa lá dứa")
    registry.add_photo(first, png(), actor=SYSTEM)
    registry.set_producer_status(producer, ProducerStatus.INACTIVE, actor=SYSTEM)
    created = registry.create_product(actor=SYSTEM, producer=producer, name="Mứt dừa", product_set=7)

    both = frozenset({first.pk, second.pk})
    assert published == [
        ("Producer", both),
        ("Product", frozenset({first.pk})),
        ("ProductPhoto", frozenset({first.pk})),
        ("Producer", both),
        ("Product", frozenset({created.pk})),
    ]
    assert (CatalogEntry.objects.count(), readmodel.drift()) == (0, [])  # a suspended producer: none shown


@pytest.mark.django_db
def test_an_approved_change_request_publishes(producer, producer_org, vinh_long_officer, published):
    product = certify(name="Kẹo dừa sữa", producer=producer_org)
    request = registry.update_product(product, actor=producer, name="Kẹo dừa sầu riêng").change_request
    assert CatalogEntry.objects.get(product=product).name == "Kẹo dừa sữa"  # only requested
    published.clear()

    registry.approve_change_request(request, actor=vinh_long_officer)

    assert published == [("Product", frozenset({product.pk}))]
    assert CatalogEntry.objects.get(product=product).name == "Kẹo dừa sầu riêng"


@pytest.mark.django_db
def test_certificate_lifecycle_functions_publish(admin_units, published):
    product = certify(name="Kẹo dừa sữa", days_ago=400)
    certificate = product.certificates.get()
    published.clear()

    certificates.suspend_certificate(certificate, actor=SYSTEM, reason="Hậu kiểm")
    certificates.lift_suspension(certificate, actor=SYSTEM)
    certificates.extend_for_renewal(certificate, actor=SYSTEM, dossier_number="HS-1")
    certificates.end_extension(certificate, actor=SYSTEM, day=today())
    certificates.revoke_certificate(
        certificate,
        actor=SYSTEM,
        ground=RevocationGround.CRITERIA_NOT_MET,
        decision_number="12/QĐ-UBND",
        concluded_on=today(),
    )

    assert published == [("Certificate", frozenset({product.pk}))] * 5
    assert (
        CatalogEntry.objects.filter(product=product, valid_until__gt=today()).count(),
        readmodel.drift(),
    ) == (
        0,
        [],
    )


@pytest.mark.django_db
def test_a_bulk_issue_publishes_each_product_once(admin_units, published, monkeypatch):
    first, second = ProductFactory(), ProductFactory()
    refreshed = []
    refresh = readmodel.refresh_catalog_entries
    monkeypatch.setattr(
        readmodel, "refresh_catalog_entries", lambda ids: (refreshed.append(set(ids)), refresh(ids))
    )
    published.clear()
    day = today() - datetime.timedelta(days=300)

    def cert(product, issued):
        return Certificate(
            product=product,
            star=4,
            decision_number="5/QĐ-UBND",
            decision_date=issued,
            issued_on=issued,
            issuer_name="UBND tỉnh Vĩnh Long",
        )

    certificates.issue_certificates(
        [cert(first, day - datetime.timedelta(days=100)), cert(first, day), cert(second, day)], actor=SYSTEM
    )

    assert published == [("NoneType", frozenset({first.pk, second.pk}))]
    assert refreshed == [{first.pk, second.pk}]
    assert (CatalogEntry.objects.filter(valid_until__gt=today()).count(), readmodel.drift()) == (2, [])


@pytest.mark.django_db
def test_market_functions_publish_the_products_shown(producer, producer_org, published):
    kept, dropped = (
        certify(name="Kẹo dừa sữa", producer=producer_org),
        certify(name="Bánh phồng", producer=producer_org),
    )
    published.clear()

    point = _supermarket([dropped])
    market.set_sale_point_products(point, [kept], actor=SYSTEM)
    market.update_sale_point(point, actor=SYSTEM, name="Co.opmart Bến Tre")
    market.change_sale_point_status(point, SalePointStatus.CLOSED, actor=SYSTEM)
    listing = market.add_listing(kept, actor=producer, platform=Platform.SHOPEE, url="https://shopee.vn/keo")
    market.record_listing_check(listing, actor=producer, working=False)
    market.remove_listing(listing, actor=producer)

    assert published == [
        ("SalePoint", frozenset({dropped.pk})),
        ("SalePoint", frozenset({kept.pk, dropped.pk})),
        ("SalePoint", frozenset({kept.pk})),
        ("SalePoint", frozenset({kept.pk})),
        ("OnlineListing", frozenset({kept.pk})),
        ("OnlineListing", frozenset({kept.pk})),
        ("OnlineListing", frozenset({kept.pk})),
    ]
    assert readmodel.drift() == []


@pytest.mark.django_db
def test_sale_point_products_reach_the_catalogue_filters(admin_units):
    kept, dropped = certify(name="Kẹo dừa sữa"), certify(name="Bánh phồng")
    point = _supermarket([dropped])
    assert CatalogEntry.objects.get(product=dropped).in_supermarket

    market.set_sale_point_products(point, [kept], actor=SYSTEM)

    entries = {e.product_id: e.in_supermarket for e in CatalogEntry.objects.all()}
    assert entries == {kept.pk: True, dropped.pk: False}


@pytest.mark.django_db
def test_stamp_batch_functions_publish_and_replace_the_verify_version(
    vinh_long_officer, published, django_capture_on_commit_callbacks
):
    product = certify(name="Kẹo dừa sữa", days_ago=200)
    published.clear()

    with django_capture_on_commit_callbacks(execute=True):
        batch = stamps.order_batch(product, actor=vinh_long_officer, quantity=10)
    versions = [shared.batch_version(batch.pk)]
    rejected = stamps.order_batch(product, actor=vinh_long_officer, quantity=10)
    for change in (
        lambda: stamps.approve_batch(batch, actor=vinh_long_officer),
        lambda: stamps.block_batch(batch, actor=vinh_long_officer, reason="Mất tem"),
        lambda: stamps.unblock_batch(batch, actor=vinh_long_officer),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            change()
        versions.append(shared.batch_version(batch.pk))
    stamps.reject_batch(rejected, actor=vinh_long_officer, note="Trùng")

    assert published == [("StampBatch", frozenset())] * 6
    assert len(set(versions)) == 4  # each committed change gave the batch's pages a new version


@pytest.mark.django_db
def test_traceability_codes_publish_their_product(
    vinh_long_officer, published, django_capture_on_commit_callbacks
):
    product = certify(name="Kẹo dừa sữa")
    with django_capture_on_commit_callbacks(execute=True):
        batch = _approved_batch(product, vinh_long_officer)
    versions = [shared.batch_version(batch.pk)]
    published.clear()

    with django_capture_on_commit_callbacks(execute=True):
        trace = traceability.add_trace_code(
            product,
            actor=SYSTEM,
            kind=TraceCode.Kind.values[0],
            code="VT-001",
            issuer="Chi cục",
            issued_on=today(),
        )
    versions.append(shared.batch_version(batch.pk))
    with django_capture_on_commit_callbacks(execute=True):
        traceability.remove_trace_code(trace, actor=SYSTEM)
    versions.append(shared.batch_version(batch.pk))

    assert published == [("TraceCode", frozenset({product.pk}))] * 2
    assert len(set(versions)) == 3  # the verify pages show the codes


# --- Transactions ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_rolled_back_domain_call_publishes_nothing(
    vinh_long_officer, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pagecache, "shared", lambda: True)  # product pages versioned as with Redis
    product = certify(name="Kẹo dừa sữa")
    with django_capture_on_commit_callbacks(execute=True):
        batch = _approved_batch(product, vinh_long_officer)

    def state():
        return (
            list(CatalogEntry.objects.values_list("product_id", "name")),
            cache.get(pagecache.version_key(product.pk)),
            shared.batch_version(batch.pk),
        )

    before = state()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        registry.update_product(product, actor=SYSTEM, name="Bánh phồng sữa")
        assert CatalogEntry.objects.get(product=product).name == "Bánh phồng sữa"  # in its transaction
        raise RuntimeError("the caller fails after the domain call")

    assert (callbacks, state()) == ([], before)

    with django_capture_on_commit_callbacks(execute=True):
        registry.update_product(product, actor=SYSTEM, name="Bánh phồng sữa")

    after = state()
    assert (after[0], after[1] != before[1], after[2] != before[2]) == (
        [(product.pk, "Bánh phồng sữa")],
        True,
        True,
    )
