import datetime

import pytest

from ocop.geo.models import AdminUnit
from ocop.reports import kpis
from ocop.reports.scope import Scope, ScopeError, resolve
from tests.factories import unit

from .conftest import AS_OF, WORLD_PRODUCER_TYPES

pytestmark = pytest.mark.integration


def communes_on(map_, province_code):
    return AdminUnit.objects.filter(map=map_, level="commune", province__code=province_code).count()


def test_compute_province_counts_every_figure(world):
    figures = kpis.compute(resolve(AS_OF, province="83"))

    assert figures["products"] == 4
    assert figures["producers"] == 3
    assert figures["by_star"] == {"3": 2, "4": 2, "5": 0}
    assert figures["potential_5_star"] == 1
    assert figures["communes_with_products"] == 2
    assert figures["communes_total"] == communes_on("legacy", "83") == 148
    assert figures["communes_percent"] == round(2 * 100 / 148, 2)
    assert figures["communes_with_products_by_kind"] == {"phuong": 2}
    assert figures["districts_with_products"] == 1
    assert figures["producer_types"] == WORLD_PRODUCER_TYPES
    assert figures["producer_shares"] == {"cooperative": 33.33, "enterprise": 33.33}
    assert figures["by_group"] == {"1": 3, "2": 1, "3": 0, "4": 0, "5": 0, "6": 0}
    assert figures["by_product_set"] == {"7": 1, "9": 1, "12": 1, "15": 1}
    assert figures["period"] == {
        "from": "2022-01-01",
        "to": "2022-07-31",
        "new": 1,
        "recertified": 0,
        "upgraded": 1,
        "revoked": 1,
        "expired": 1,
        "five_star_proposed": 0,
        "new_tourism": 0,
    }
    assert figures["map"] == "legacy"
    assert figures["plan"] is None


def test_compute_other_province_is_independent(world):
    figures = kpis.compute(resolve(AS_OF, province="82"))

    assert (figures["products"], figures["producers"], figures["by_star"]) == (1, 1, {"3": 0, "4": 0, "5": 1})
    assert figures["communes_with_products"] == 1
    assert figures["communes_total"] == communes_on("legacy", "82")


def test_compute_whole_country_adds_provinces(world):
    figures = kpis.compute(Scope(AS_OF, None))

    assert (figures["products"], figures["producers"]) == (5, 4)
    assert figures["by_star"] == {"3": 2, "4": 2, "5": 1}
    assert figures["communes_total"] == AdminUnit.objects.filter(map="legacy", level="commune").count()


def test_compute_before_the_first_certificate_is_empty(world):
    figures = kpis.compute(resolve(datetime.date(2019, 1, 1), province="83"))

    assert (figures["products"], figures["producers"], figures["communes_with_products"]) == (0, 0, 0)
    assert figures["communes_percent"] == 0.0


def test_compute_current_province_aggregates_predecessors(world):
    day = datetime.date(2025, 8, 1)

    vinh_long = kpis.compute(resolve(day, province="86"))
    dong_thap = kpis.compute(resolve(day, province="82"))

    assert vinh_long["map"] == "current"
    assert (vinh_long["products"], vinh_long["by_star"]) == (1, {"3": 1, "4": 0, "5": 0})
    assert vinh_long["communes_total"] == communes_on("current", "86") == 124
    assert vinh_long["communes_with_products"] == 1
    assert (dong_thap["products"], dong_thap["by_star"]) == (1, {"3": 0, "4": 0, "5": 1})


def test_resolve_refuses_a_code_unknown_on_that_map(world):
    with pytest.raises(ScopeError) as excinfo:
        resolve(datetime.date(2025, 8, 1), province="87")

    assert excinfo.value.code == "unknown_province"


def test_compute_commune_scope(world):
    figures = kpis.compute(resolve(AS_OF, commune="28756"))

    assert (figures["products"], figures["producers"], figures["communes_total"]) == (3, 2, 1)


def test_commune_table_ranks_communes(world):
    table = kpis.commune_table(resolve(AS_OF, province="83"))

    assert [(r["code"], r["products"], r["3"], r["4"], r["potential"]) for r in table[:2]] == [
        ("28756", 3, 1, 2, 1),
        (world.other_commune.code, 1, 1, 0, 0),
    ]
    assert len(table) == 148


def test_trend_counts_each_year_end(world):
    series = kpis.trend(resolve(AS_OF, province="83"))

    assert series[-1] == {"date": "2022-07-31", "3": 2, "4": 2, "5": 0}
    by_date = {p["date"]: p for p in series}
    # 31/12/2021: candy 3★, wine 4★, sauce 3★ (old), expired 3★, revoked 4★
    assert by_date["2021-12-31"] == {"date": "2021-12-31", "3": 3, "4": 2, "5": 0}


def test_certified_products_excludes_superseded(world):
    certs = kpis.certified_products(resolve(AS_OF, province="83"))

    assert sorted(c.number for c in certs) == sorted(
        world.certs[k].number for k in ("candy", "wine", "sauce", "tea")
    )
    assert unit("28756") in {c.report_commune for c in certs}
