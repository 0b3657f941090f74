"""A target's progress is one figure: the plan page, the office dashboard and the public statistics
show the same; counts, combined counts and shares; predecessors' plans roll up into the successor's."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client

from ocop.certificates.domain import issue_certificate
from ocop.certificates.enums import CertificateKind
from ocop.core.dates import today
from ocop.core.permissions import SYSTEM
from ocop.programme import domain
from tests.factories import ProducerFactory, ProductFactory, unit

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _certify(producer, kind, day, star=3):
    product = ProductFactory(producer=producer)
    return issue_certificate(
        product,
        actor=SYSTEM,
        star=star,
        kind=kind,
        decision_number=f"{product.pk}/QĐ-UBND",
        decision_date=day,
        issuer_name="",
        issuer_unit=unit("86", "current"),
    )


@pytest.fixture
def register(admin_units):
    """Former Bến Tre producers, now in Vĩnh Long: one cooperative and one enterprise; this year one
    new, one re-recognised and one upgraded product."""
    day = today() - datetime.timedelta(days=1)
    coop = ProducerFactory(commune=unit("28756"), kind="cooperative")
    firm = ProducerFactory(commune=unit("28756"), kind="enterprise")
    _certify(coop, CertificateKind.NEW, day)
    _certify(coop, CertificateKind.REEVALUATION, day)
    _certify(firm, CertificateKind.UPGRADE, day, star=4)
    return day


TARGETS = {"upgraded": 3, "recognised_total": 45, "share_cooperatives": 40, "share_catalogue": 100}


def _figures(targets):
    return [(t["indicator"], t["achieved"], t["figure"]) for t in targets]


def test_plan_page_dashboard_and_statistics_show_the_same_progress(
    client_for, vinh_long_officer, vinh_long, register
):
    plan = domain.create_plan(
        actor=vinh_long_officer, unit=vinh_long, year=today().year, title="Kế hoạch OCOP", targets=TARGETS
    )
    office = client_for(vinh_long_officer)
    on_plan = office.get(f"/office/programme/plans/{plan.pk}/").context["progress"]["targets"]
    on_dashboard = office.get("/office/reports/").context["plan"]["targets"]
    on_statistics = Client().get("/statistics/?province=86").context["plan"]["targets"]

    expected = [
        ("upgraded", 1, "1/3 · 33%"),
        ("recognised_total", 3, "3/45 · 7%"),
        ("share_cooperatives", 50.0, "50,00% / 40% (1/2)"),
        ("share_catalogue", 100.0, "100,00% / 100% (3/3)"),
    ]
    assert (_figures(on_plan), _figures(on_dashboard), _figures(on_statistics)) == (expected,) * 3


def test_predecessor_plans_roll_up_into_the_successor_view(client_for, vinh_long_officer, register):
    year = today().year
    for code, upgrades in (("83", 3), ("84", 2)):
        domain.create_plan(
            actor=SYSTEM, unit=unit(code), year=year, title=f"KH {code}", targets={"upgraded": upgrades}
        )
    on_dashboard = client_for(vinh_long_officer).get("/office/reports/").context["plan"]
    assert (on_dashboard["title"], _figures(on_dashboard["targets"])) == (
        "KH 83 + KH 84",
        [("upgraded", 1, "1/5 · 20%")],
    )


def test_share_target_above_100_is_refused(vinh_long_officer, vinh_long):
    from ocop.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        domain.create_plan(
            actor=vinh_long_officer, unit=vinh_long, year=2026, title="x", targets={"share_modern": 170}
        )
    assert caught.value.code == "bad_target"
