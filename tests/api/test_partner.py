"""Partner endpoints: token authentication, scopes, province scope, cursors, ETags, rate limits."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from ocop.api import domain
from ocop.api.models import ApiToken, Scope
from ocop.core.models import ActivityLog
from tests.factories import CertificateFactory, ProducerFactory, ProductFactory

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _clear_rate_counters():
    cache.clear()


def test_issue_token_stores_only_the_hash(issue):
    token, header = issue()
    raw = header.removeprefix("Bearer ")
    assert raw.startswith(f"ocop_{token.prefix}_")
    assert token.secret_hash == domain.hash_secret(raw)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    log = ActivityLog.objects.get(action="api.token.issued")
    assert log.data == {
        "partner": "Postmart",
        "scopes": ["certificates:read", "registry:read"],
        "province": "83",
        "rate_limit_per_minute": 120,
    }


def test_issue_token_for_another_province_is_refused(issue, tien_giang, vinh_long_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        issue(province="82", actor=vinh_long_officer)
    assert ApiToken.objects.count() == 0


def test_issue_national_token_needs_admin(vinh_long_officer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        domain.issue_token(actor=vinh_long_officer, name="x", partner="y", scopes=[Scope.REGISTRY])


def test_unknown_scope_is_refused(vinh_long_officer, ben_tre):
    from ocop.core.errors import DomainError

    with pytest.raises(DomainError) as exc:
        domain.issue_token(
            actor=vinh_long_officer, name="x", partner="y", scopes=["admin:all"], province=ben_tre
        )
    assert exc.value.code == "invalid_scopes"


def test_producers_without_token_is_401(client):
    response = client.get("/api/v1/partner/producers")
    assert (response.status_code, response.json()) == (
        401,
        {"code": "unauthenticated", "message": "Authentication required."},
    )


@pytest.mark.parametrize(
    "header", ["Bearer nonsense", "Bearer ocop_zzzz_abc", "Basic abc", "Bearer " + "x" * 5000]
)
def test_producers_with_bad_token_is_401(client, header, issue):
    issue()
    response = client.get("/api/v1/partner/producers", headers={"Authorization": header})
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


def test_token_with_right_prefix_and_wrong_secret_is_401(client, issue):
    token, _header = issue()
    forged = f"Bearer ocop_{token.prefix}_" + "A" * 43
    response = client.get("/api/v1/partner/producers", headers={"Authorization": forged})
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    token.refresh_from_db()
    assert token.last_used_at is None  # a forged secret does not count as a use of the token


def test_revoked_token_is_401(client, issue, vinh_long_officer):
    token, header = issue()
    domain.revoke_token(token, actor=vinh_long_officer)
    response = client.get("/api/v1/partner/producers", headers={"Authorization": header})
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


def test_expired_token_is_401(client, issue):
    token, header = issue()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/api/v1/partner/producers", headers={"Authorization": header})
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    token.refresh_from_db()
    assert token.last_used_at is None


def test_producers_lists_only_the_token_province(client, issue, producer_org, other_producer):
    _token, header = issue()
    response = client.get("/api/v1/partner/producers", headers={"Authorization": header})
    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body["items"]] == [producer_org.pk]
    assert body["next_cursor"] is None
    assert body["items"][0] == {
        "id": producer_org.pk,
        "name": producer_org.name,
        "kind": "cooperative",
        "tax_code": producer_org.tax_code,
        "status": "active",
        "commune": {"code": "28756", "name": producer_org.commune.name, "map": "legacy"},
        "province": {"code": "83", "name": "Tỉnh Bến Tre", "map": "legacy"},
        "updated_at": body["items"][0]["updated_at"],
    }


def test_household_tax_code_is_not_disclosed(client, issue, admin_units):
    household = ProducerFactory(kind="household", tax_code="079123456789")
    _token, header = issue()
    response = client.get(f"/api/v1/partner/producers/{household.pk}", headers={"Authorization": header})
    assert (response.status_code, response.json()["tax_code"]) == (200, None)


def test_producer_of_another_province_is_404(client, issue, other_producer):
    _token, header = issue()
    response = client.get(
        f"/api/v1/partner/producers/{other_producer.producer.pk}", headers={"Authorization": header}
    )
    assert (response.status_code, response.json()) == (404, {"code": "not_found", "message": "Not found."})


def test_national_token_sees_every_province(client, issue, producer_org, other_producer):
    _token, header = issue(province=None)
    response = client.get("/api/v1/partner/producers", headers={"Authorization": header})
    assert [p["id"] for p in response.json()["items"]] == [producer_org.pk, other_producer.producer.pk]


def test_missing_scope_is_403(client, issue, producer_org):
    _token, header = issue(scopes=[Scope.CERTIFICATES])
    response = client.get("/api/v1/partner/producers", headers={"Authorization": header})
    assert (response.status_code, response.json()) == (
        403,
        {"code": "insufficient_scope", "message": "Mã truy cập này không có quyền registry:read."},
    )


def test_producers_cursor_walks_every_row_once(client, issue, admin_units):
    producers = [ProducerFactory() for _ in range(5)]
    _token, header = issue()
    seen, cursor = [], None
    for _ in range(5):
        url = "/api/v1/partner/producers?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, headers={"Authorization": header}).json()
        seen += [p["id"] for p in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [p.pk for p in producers]


@pytest.mark.parametrize("cursor", ["!!!", "e30", "eyJhZnRlciI6ICJ4In0", "a" * 150])
def test_bad_cursor_is_422(client, issue, cursor):
    _token, header = issue()
    response = client.get(f"/api/v1/partner/producers?cursor={cursor}", headers={"Authorization": header})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_cursor")


@pytest.mark.parametrize("limit", [0, 501, -1])
def test_limit_out_of_range_is_422(client, issue, limit):
    _token, header = issue()
    response = client.get(f"/api/v1/partner/producers?limit={limit}", headers={"Authorization": header})
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")


def test_products_carry_certificate_in_force(client, issue, admin_units):
    today = timezone.localdate()
    cert = CertificateFactory(
        issued_on=today - datetime.timedelta(days=10), expires_on=today + datetime.timedelta(days=400), star=4
    )
    _token, header = issue()
    body = client.get("/api/v1/partner/products", headers={"Authorization": header}).json()
    assert body["items"][0]["certificate"] == {
        "number": cert.number,
        "star": 4,
        "potential_5_star": False,
        "status": "valid",
        "valid_until": (cert.expires_on - datetime.timedelta(days=1)).isoformat(),
    }


@pytest.mark.parametrize("n", [1, 3])
def test_products_query_count_is_constant(client, issue, admin_units, django_assert_num_queries, n):
    for _ in range(n):
        CertificateFactory()
    _token, header = issue()
    client.get("/api/v1/partner/products", headers={"Authorization": header})  # last_used_at written
    # token lookup, products, certificates prefetch
    with django_assert_num_queries(3):
        response = client.get("/api/v1/partner/products", headers={"Authorization": header})
    assert len(response.json()["items"]) == n


def test_etag_answers_304_when_unchanged_and_200_after_a_change(client, issue, producer_org):
    _token, header = issue()
    first = client.get("/api/v1/partner/producers", headers={"Authorization": header})
    etag = first["ETag"]
    again = client.get("/api/v1/partner/producers", headers={"Authorization": header, "If-None-Match": etag})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    producer_org.name = "HTX Đổi tên"
    producer_org.save()
    changed = client.get(
        "/api/v1/partner/producers", headers={"Authorization": header, "If-None-Match": etag}
    )
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["items"][0]["name"] == "HTX Đổi tên"


def test_certificate_changes_since_and_cursor(client, issue, admin_units):
    certs = [CertificateFactory() for _ in range(3)]
    _token, header = issue()
    before = timezone.now() - datetime.timedelta(minutes=1)
    body = client.get(
        "/api/v1/partner/certificates/changes",
        {"since": before.isoformat(), "limit": 2},
        headers={"Authorization": header},
    ).json()
    assert [c["number"] for c in body["items"]] == [c.number for c in certs[:2]]
    rest = client.get(
        "/api/v1/partner/certificates/changes",
        {"cursor": body["next_cursor"], "limit": 2},
        headers={"Authorization": header},
    ).json()
    assert ([c["number"] for c in rest["items"]], rest["next_cursor"]) == ([certs[2].number], None)
    later = client.get(
        "/api/v1/partner/certificates/changes",
        {"since": timezone.now().isoformat()},
        headers={"Authorization": header},
    ).json()
    assert later == {"items": [], "next_cursor": None}


def test_certificate_changes_exclude_other_provinces(client, issue, other_producer):
    CertificateFactory(product=ProductFactory(producer=other_producer.producer), number="82-00001-2022")
    mine = CertificateFactory()
    _token, header = issue()
    body = client.get("/api/v1/partner/certificates/changes", headers={"Authorization": header}).json()
    assert [c["number"] for c in body["items"]] == [mine.number]


def test_rate_limit_answers_429_then_recovers_next_minute(client, issue, producer_org, stopped_clock):
    _token, header = issue(rate=3)
    codes = [
        client.get("/api/v1/partner/producers", headers={"Authorization": header}).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/partner/producers", headers={"Authorization": header}).json()
    assert refused["code"] == "rate_limited"
    stopped_clock.advance(29)  # still the same minute
    assert client.get("/api/v1/partner/producers", headers={"Authorization": header}).status_code == 429
    stopped_clock.advance(1)  # a new one-minute window starts counting afresh
    answer = client.get("/api/v1/partner/producers", headers={"Authorization": header})
    assert answer.status_code == 200
    assert "items" in answer.json()


def test_rate_limit_is_per_token(client, issue, producer_org, stopped_clock):
    _token_a, header_a = issue(rate=1)
    _token_b, header_b = issue(rate=1)
    assert client.get("/api/v1/partner/producers", headers={"Authorization": header_a}).status_code == 200
    assert client.get("/api/v1/partner/producers", headers={"Authorization": header_b}).status_code == 200
    assert client.get("/api/v1/partner/producers", headers={"Authorization": header_a}).status_code == 429


def test_last_used_is_recorded(client, issue, producer_org):
    token, header = issue()
    client.get("/api/v1/partner/producers", headers={"Authorization": header})
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert (timezone.now() - token.last_used_at).total_seconds() < 60


def test_rate_limited_answer_says_when_to_retry(client, issue, producer_org, stopped_clock):
    _token, header = issue(rate=1)
    client.get("/api/v1/partner/producers", headers={"Authorization": header})
    refused = client.get("/api/v1/partner/producers", headers={"Authorization": header})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"  # the clock stands 30 s into its minute
