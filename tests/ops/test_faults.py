"""Faults: the database down, the disk full on upload, two officers acting on one object at once."""

import threading

import pytest
from django.db import OperationalError, close_old_connections, connection

from ocop.api import domain
from ocop.api.models import ApiToken, Scope
from ocop.core.errors import DomainError
from ocop.core.models import ActivityLog
from ocop.registry.models import Product, ProductPhoto
from tests.factories import png

pytestmark = pytest.mark.integration


def _database_down(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


def test_api_request_with_database_down_is_503_json(client, db):
    with connection.execute_wrapper(_database_down):
        response = client.get(
            "/api/v1/partner/producers", headers={"Authorization": "Bearer ocop_abcd1234_secret"}
        )
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert response.json() == {
        "code": "unavailable",
        "message": "Hệ thống tạm thời không phục vụ được. Vui lòng thử lại sau giây lát.",
    }


def test_office_page_with_database_down_is_503_html(client_for, vinh_long_officer):
    client = client_for(vinh_long_officer)
    with connection.execute_wrapper(_database_down):
        response = client.get("/office/producers/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Hệ thống tạm thời không phục vụ được." in response.content.decode()


def test_service_recovers_when_the_database_is_back(client_for, vinh_long_officer, producer_org):
    client = client_for(vinh_long_officer)
    with connection.execute_wrapper(_database_down):
        assert client.get("/office/producers/").status_code == 503
    response = client.get("/office/producers/")
    assert (response.status_code, list(response.context["page"])) == (200, [producer_org])


def test_disk_full_on_upload_is_a_clear_507_and_leaves_nothing(
    client_for, vinh_long_officer, producer_org, settings
):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.ops.storages.FullDiskStorage"}}
    client = client_for(vinh_long_officer)
    files_before = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    response = client.post(
        f"/office/producers/{producer_org.pk}/products/new/",
        {"name": "Kẹo dừa lá dứa", "product_set": 7, "status": "active", "photo": png()},
    )
    assert response.status_code == 507
    assert "Máy chủ đã hết dung lượng lưu trữ tệp. Chưa có gì được lưu" in response.content.decode()
    assert (Product.objects.count(), ProductPhoto.objects.count()) == (0, 0)
    assert ActivityLog.objects.filter(action="registry.product.created").count() == 0
    assert sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files_before


def _race(target, *tokens):
    """Run target(arg) for each arg in its own thread, released together; return results/exceptions."""
    barrier = threading.Barrier(len(tokens))
    results = [None] * len(tokens)

    def run(i, arg):
        try:
            barrier.wait()
            results[i] = target(arg)
        except Exception as exc:
            results[i] = exc
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, arg)) for i, arg in enumerate(tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_officers_revoking_one_token_at_once_one_wins(admin_units, vinh_long_officer, vinh_long):
    from ocop.accounts.enums import Role
    from tests.factories import UserFactory, with_role

    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("in-memory SQLite cannot be shared between threads; the PostgreSQL run covers this")
    second = with_role(UserFactory(username="province2"), Role.PROVINCE_OFFICER, unit=vinh_long)
    token, _raw = domain.issue_token(
        actor=vinh_long_officer, name="x", partner="y", scopes=[Scope.REGISTRY], province=vinh_long
    )
    results = _race(lambda actor: domain.revoke_token(token, actor=actor), vinh_long_officer, second)

    winners = [r for r in results if isinstance(r, ApiToken)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert (len(winners), len(losers)) == (1, 1)
    assert losers[0].code == "already_revoked"
    assert ActivityLog.objects.filter(action="api.token.revoked").count() == 1
    token.refresh_from_db()
    assert token.revoked_by_id == winners[0].revoked_by_id


def test_revoking_twice_sequentially_is_refused_and_changes_nothing(vinh_long_officer, vinh_long):
    token, _raw = domain.issue_token(
        actor=vinh_long_officer, name="x", partner="y", scopes=[Scope.REGISTRY], province=vinh_long
    )
    domain.revoke_token(token, actor=vinh_long_officer)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    with pytest.raises(DomainError) as exc:
        domain.revoke_token(token, actor=vinh_long_officer)
    assert (exc.value.code, exc.value.status) == ("already_revoked", 409)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert ActivityLog.objects.filter(action="api.token.revoked").count() == 1
