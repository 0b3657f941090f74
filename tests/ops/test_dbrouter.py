"""Read replica routing, with a real second database alias pointing at the test database."""

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from ocop.dbrouter import ReplicaRouter, public_reads
from ocop.registry.models import Producer

pytestmark = pytest.mark.integration


@pytest.fixture
def replica():
    """A "replica" alias: a second connection to the same (committed) test database."""
    config = dict(connections["default"].settings_dict)
    wrapper = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias="replica")
    connections["replica"] = wrapper
    yield wrapper
    wrapper.close()
    del connections["replica"]


def test_router_without_replica_keeps_everything_on_default(db):
    with public_reads():
        assert ReplicaRouter().db_for_read(Producer) is None
    assert ReplicaRouter().db_for_write(Producer) == "default"


def test_router_sends_public_reads_to_replica(db, replica):
    router = ReplicaRouter()
    assert router.db_for_read(Producer) is None
    with public_reads():
        assert router.db_for_read(Producer) == "replica"
        assert router.db_for_write(Producer) == "default"
    assert router.allow_migrate("replica", "registry") is False
    assert router.allow_migrate("default", "registry") is True


@pytest.mark.django_db(transaction=True)
def test_anonymous_public_page_reads_from_replica(client, replica, admin_units):
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        response = client.get("/healthz")  # public, anonymous: no session cookie
        response = client.get("/api/v1/criteria-sets")
    assert response.status_code == 200
    assert len(on_replica.captured_queries) >= 1
    assert [q for q in on_default.captured_queries if "criteria" in q["sql"]] == []


@pytest.mark.django_db(transaction=True)
def test_logged_in_office_reads_stay_on_primary(client_for, replica, province_officer, producer_org):
    client = client_for(province_officer)
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get("/office/producers/")
    assert (response.status_code, list(response.context["page"])) == (200, [producer_org])
    assert on_replica.captured_queries == []
