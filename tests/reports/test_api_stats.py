import pytest
from django.test import Client

from .conftest import WORLD_PRODUCER_TYPES

pytestmark = pytest.mark.integration


def get(**params):
    return Client().get("/api/v1/stats", params)


def test_stats_province_answers_the_contract(world):
    response = get(province="83", as_of="2022-07-31")

    body = response.json()
    assert response.status_code == 200
    assert {
        k: body[k]
        for k in (
            "products",
            "producers",
            "by_star",
            "potential_5_star",
            "communes_with_products",
            "communes_total",
            "producer_types",
            "map",
        )
    } == {
        "products": 4,
        "producers": 3,
        "by_star": {"3": 2, "4": 2, "5": 0},
        "potential_5_star": 1,
        "communes_with_products": 2,
        "communes_total": 148,
        "producer_types": WORLD_PRODUCER_TYPES,
        "map": "legacy",
    }
    assert body["map_data_version"] != ""
    assert body["unit"] == {"code": "83", "name": "Tỉnh Bến Tre"}


def test_stats_whole_country(world):
    body = get(as_of="2022-07-31").json()

    assert (body["products"], body["producers"], body["by_star"], body["unit"]) == (
        5,
        4,
        {"3": 2, "4": 2, "5": 1},
        None,
    )


def test_stats_current_map_after_reform(world):
    body = get(province="86", as_of="2025-08-01").json()

    assert (body["map"], body["products"], body["communes_total"]) == ("current", 1, 124)


def test_stats_unknown_province_is_404(world):
    response = get(province="87", as_of="2025-08-01")

    assert (response.status_code, response.json()["code"]) == (404, "unknown_province")


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"province": "83", "as_of": "31-31-2022"}, 400, "bad_date"),
        ({"province": "83", "as_of": "1900-01-01"}, 400, "bad_date"),
        ({"province": "8x", "as_of": "2022-07-31"}, 422, "bad_code"),
        ({"province": "12345", "as_of": "2022-07-31"}, 422, "bad_code"),
    ],
)
def test_stats_bad_input_is_a_clear_4xx(world, params, status, code):
    response = get(**params)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.json()["message"]
