"""The catalogue's read model (CatalogEntry): every kind of change reaches search results, the spans
agree with `Certificate.objects.valid_on` on every day, and the full rebuild is idempotent."""

import datetime
import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext

from ocop.catalog.models import CatalogEntry
from ocop.catalog.readmodel import drift
from ocop.catalog.search import Filters, in_force, search
from ocop.certificates.domain import issue_certificate, revoke_certificate
from ocop.certificates.enums import RevocationGround
from ocop.certificates.importer import import_products
from ocop.certificates.models import Certificate
from ocop.core.dates import today
from ocop.core.permissions import SYSTEM
from ocop.market.domain import add_listing
from ocop.market.enums import Platform
from ocop.registry.domain import set_producer_status, update_product
from ocop.registry.enums import ProducerStatus
from tests.factories import CertificateFactory, ProducerFactory, ProductFactory
from tests.registry.xlsx import row, workbook_bytes

from .helpers import certify

pytestmark = pytest.mark.integration
D = datetime.date


def names(f, day=None):
    return [e.name for e in search(f, day or today())]


def test_new_certificate_through_the_decision_path_is_found(admin_units):
    product = ProductFactory(name="Mật ong hoa dừa")
    assert names(Filters(q="mat ong")) == []

    issue_certificate(
        product,
        actor=SYSTEM,
        star=5,
        decision_number="7/QĐ-UBND",
        decision_date=today(),
        issuer_name="UBND tỉnh",
    )

    assert names(Filters(q="mat ong", star="5")) == ["Mật ong hoa dừa"]


def test_revocation_hides_the_product_from_search(vinh_long_officer):
    product = certify(name="Kẹo dừa sữa", star=4)
    assert names(Filters(q="keo dua")) == ["Kẹo dừa sữa"]

    revoke_certificate(
        product.certificates.get(),
        actor=vinh_long_officer,
        ground=RevocationGround.CRITERIA_NOT_MET,
        decision_number="12/QĐ-UBND",
        concluded_on=today(),
        revoked_on=today(),
    )

    assert (
        names(Filters(q="keo dua")),
        names(Filters(q="keo dua"), today() - datetime.timedelta(days=1)),
    ) == (
        [],
        ["Kẹo dừa sữa"],
    )


def test_expiry_needs_no_refresh_the_span_ends(admin_units):
    product = certify(name="Kẹo dừa sữa", star=4)
    cert = product.certificates.get()
    rows_before = list(CatalogEntry.objects.values_list("pk", "valid_from", "valid_until"))

    last_day, first_expired = cert.valid_until, cert.expires_on

    assert (names(Filters(q="keo"), last_day), names(Filters(q="keo"), first_expired)) == (
        ["Kẹo dừa sữa"],
        [],
    )
    assert list(CatalogEntry.objects.values_list("pk", "valid_from", "valid_until")) == rows_before


def test_product_rename_is_searchable_under_the_new_name(vinh_long_officer):
    product = certify(name="Kẹo dừa sữa", star=4)

    update_product(product, actor=vinh_long_officer, name="Bánh phồng sữa")

    assert (names(Filters(q="banh phong")), names(Filters(q="keo dua"))) == (["Bánh phồng sữa"], [])


def test_new_listing_puts_the_product_under_online_shops(producer, producer_org):
    product = certify(name="Kẹo dừa sữa", producer=producer_org)
    assert names(Filters(channel="online")) == []

    add_listing(product, actor=producer, platform=Platform.SHOPEE, url="https://shopee.vn/keo-dua-sua")

    assert names(Filters(channel="online")) == ["Kẹo dừa sữa"]


def test_hidden_producer_takes_its_products_out(admin_units):
    producer = ProducerFactory()
    certify(name="Kẹo dừa sữa", producer=producer)
    assert names(Filters(q="keo")) == ["Kẹo dừa sữa"]

    set_producer_status(producer, ProducerStatus.INACTIVE, actor=SYSTEM)

    assert names(Filters(q="keo")) == []


def test_import_is_in_the_catalogue_after_commit(admin_units, django_capture_on_commit_callbacks):
    # Decided on the legacy map; 36 months later it is still in force today.
    decided = today() - datetime.timedelta(days=800)
    assert decided < D(2025, 7, 1)
    data = workbook_bytes([row(**{"Tên sản phẩm": "Kẹo dừa lá dứa", "Ngày quyết định": decided})])

    with django_capture_on_commit_callbacks(execute=True):
        result = import_products(io.BytesIO(data), actor=SYSTEM, file_name="list.xlsx")

    assert (result.error_lines(), names(Filters(q="la dua"))) == ([], ["Kẹo dừa lá dứa"])


def _facts_from_certificates(day):
    facts = {}
    for c in Certificate.objects.valid_on(day).order_by("pk"):
        stars, potential, newest, card = facts.get(c.product_id, (set(), False, None, None))
        stars.add(c.star)
        key = (c.star, c.issued_on, c.pk)
        facts[c.product_id] = (
            stars,
            potential or c.potential_5_star,
            max(newest, c.issued_on) if newest else c.issued_on,
            max(card, key) if card else key,
        )
    return {pk: (frozenset(s), p, n, card[2]) for pk, (s, p, n, card) in facts.items()}


def _facts_from_entries(day):
    facts = {}
    for e in in_force(day):
        stars = frozenset(s for s in (3, 4, 5) if getattr(e, f"star_{s}"))
        assert e.product_id not in facts  # spans of one product never overlap
        facts[e.product_id] = (stars, e.potential_5_star, e.certified_on, e.certificate_id)
    return facts


def test_spans_agree_with_valid_on_every_day(admin_units):
    rng = random.Random(11)
    products = [ProductFactory() for _ in range(12)]
    dates = set()
    for i, product in enumerate(products):
        for j in range(rng.randint(1, 3)):
            issued = D(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 2000))
            expires = issued + datetime.timedelta(days=rng.choice([400, 1095]))
            extra = {}
            if rng.random() < 0.3:
                extra["revoked_on"] = issued + datetime.timedelta(days=rng.randint(-10, 500))
            if rng.random() < 0.3:
                extra["superseded_on"] = issued + datetime.timedelta(days=rng.randint(1, 900))
            if rng.random() < 0.4:
                extra["suspended_on"] = issued + datetime.timedelta(days=rng.randint(1, 300))
                if rng.random() < 0.6:
                    extra["suspension_lifted_on"] = extra["suspended_on"] + datetime.timedelta(
                        days=rng.randint(-5, 120)
                    )
            CertificateFactory(
                number=f"T-{i}-{j}",
                product=product,
                star=rng.choice([3, 4, 5]),
                potential_5_star=rng.random() < 0.3,
                issued_on=issued,
                decision_date=issued,
                expires_on=expires,
                **extra,
            )
            dates.update(d for d in (issued, expires, *extra.values()) if d)
    days = {d + datetime.timedelta(days=k) for d in dates for k in (-1, 0, 1)}
    days |= {D(2019, 12, 1) + datetime.timedelta(days=k) for k in range(0, 3500, 29)}

    mismatches = [d for d in sorted(days) if _facts_from_entries(d) != _facts_from_certificates(d)]

    assert (mismatches, drift()) == ([], [])


def test_refresh_catalog_rebuilds_idempotently_and_check_reports_drift(admin_units):
    certify(name="Kẹo dừa sữa", star=4)
    certify(name="Bánh tráng", star=3)
    wanted = sorted(CatalogEntry.objects.values_list("product_id", "valid_from", "valid_until", "star"))
    CatalogEntry.objects.all().delete()  # a queryset delete sends no signal: the read model drifts

    with pytest.raises(CommandError):
        call_command("refresh_catalog", "--check", stdout=io.StringIO())
    call_command("refresh_catalog", stdout=io.StringIO())
    call_command("refresh_catalog", stdout=io.StringIO())
    out = io.StringIO()
    call_command("refresh_catalog", "--check", stdout=out)

    assert (
        sorted(CatalogEntry.objects.values_list("product_id", "valid_from", "valid_until", "star")) == wanted
    )
    assert out.getvalue().strip() == gettext("The catalogue is up to date.")


def test_seed_demo_leaves_the_catalogue_consistent(admin_units):
    call_command("seed_demo", stdout=io.StringIO())

    assert (CatalogEntry.objects.exists(), drift()) == (True, [])
