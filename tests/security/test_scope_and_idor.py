"""Every role against another province's objects; numeric IDs cannot be walked."""

import pytest

from tests.factories import ProductFactory

pytestmark = pytest.mark.integration

OBJECT_URLS = [
    "/office/producers/{producer}/",
    "/office/producers/{producer}/edit/",
    "/office/producers/{producer}/products/new/",
    "/office/products/{product}/",
    "/office/products/{product}/edit/",
    "/office/history/producer/{producer}/",
    "/office/history/product/{product}/",
]


@pytest.fixture
def foreign(other_producer):
    """A producer and product of Tiền Giang, outside Bến Tre's staff and producer."""
    org = other_producer.producer
    return {"producer": org.pk, "product": ProductFactory(producer=org).pk}


@pytest.mark.parametrize("url", OBJECT_URLS)
@pytest.mark.parametrize("persona", ["producer", "commune_officer", "province_officer", "council_member"])
def test_other_province_object_is_404_for_every_role(request, client_for, foreign, url, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(url.format(**foreign))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["producer", "province_officer"])
def test_post_on_other_province_object_changes_nothing(request, client_for, foreign, other_producer, persona):
    user = request.getfixturevalue(persona)
    org = other_producer.producer
    before = (org.name, org.status)
    client = client_for(user)
    assert client.post(f"/office/producers/{org.pk}/edit/", {"name": "Hijacked"}).status_code == 404
    assert client.post(f"/office/producers/{org.pk}/status/", {"status": "suspended"}).status_code == 404
    org.refresh_from_db()
    assert (org.name, org.status) == before


def test_producer_walking_numeric_ids_sees_only_its_own(client_for, producer, producer_org, admin_units):
    from tests.factories import ProducerFactory

    others = [ProducerFactory() for _ in range(3)]  # same commune, other owners
    client = client_for(producer)
    codes = {p.pk: client.get(f"/office/producers/{p.pk}/").status_code for p in [producer_org, *others]}
    assert codes == {producer_org.pk: 200, **{p.pk: 404 for p in others}}
    assert client.get("/office/producers/999999999/").status_code == 404


def test_wrong_role_on_visible_object_is_403(client_for, commune_officer, producer_org):
    response = client_for(commune_officer).get(f"/office/producers/{producer_org.pk}/edit/")
    assert (response.status_code, [t.name for t in response.templates][:1]) == (403, ["403.html"])


def test_anonymous_is_sent_to_login(client, producer_org):
    response = client.get(f"/office/producers/{producer_org.pk}/")
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/")
