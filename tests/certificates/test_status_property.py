"""The one rule of a certificate's status (`ocop.certificates.status`): the Python function, the SQL
`CASE` (`status_expression`), the per-status filters (`status_q`) and the in-force filter (`valid_q`,
`Certificate.objects.valid_on`) agree on random certificates and dates. Runs on SQLite and, with
DATABASE_URL, PostgreSQL."""

import datetime
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop.catalog.readmodel import CERT_FIELDS
from ocop.certificates import status as rule
from ocop.certificates.enums import CertificateStatus
from ocop.certificates.models import Certificate

from ..factories import ProductFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

D = datetime.date
BASE = D(2024, 1, 1)
_numbers = itertools.count()


def _offset(days):
    return BASE + datetime.timedelta(days=days)


@st.composite
def certificates(draw):
    issued = draw(st.integers(0, 1500))
    expires = issued + draw(st.integers(1, 1200))
    maybe = st.one_of(st.none(), st.integers(0, 2800))
    extended = draw(st.one_of(st.none(), st.integers(expires - 30, expires + 200)))
    return {
        "issued_on": _offset(issued),
        "expires_on": _offset(expires),
        "extended_to": None if extended is None else _offset(extended),
        "revoked_on": None if (r := draw(maybe)) is None else _offset(r),
        "superseded_on": None if (s := draw(maybe)) is None else _offset(s),
    }


@st.composite
def days_near(draw, certs):
    """Days on and around each certificate's dates (the edges are where copies of a rule drift)."""
    edges = [d for c in certs for d in c.values() if d is not None]
    edges += [c["expires_on"] - datetime.timedelta(days=90) for c in certs]
    near = st.builds(
        lambda edge, shift: edge + datetime.timedelta(days=shift), st.sampled_from(edges), st.integers(-2, 2)
    )
    return draw(st.lists(st.one_of(near, st.integers(-10, 3000).map(_offset)), min_size=1, max_size=6))


@st.composite
def cases(draw):
    certs = draw(st.lists(certificates(), min_size=1, max_size=6))
    return certs, draw(days_near(certs))


@pytest.fixture
def product(producer_org):
    return ProductFactory(producer=producer_org)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_python_and_sql_agree_on_random_certificates_and_days(product, case):
    certs, days = case
    with transaction.atomic():
        rows = Certificate.objects.bulk_create(
            Certificate(
                number=f"P-{next(_numbers):06d}",
                product=product,
                star=3,
                decision_number="1/QĐ-UBND",
                decision_date=c["issued_on"],
                issuer_name="UBND",
                **c,
            )
            for c in certs
        )
        pks = [row.pk for row in rows]
        qs = Certificate.objects.filter(pk__in=pks)
        for day in days:
            python = {row.pk: rule.status_on(row, day) for row in qs}
            # The same function on a mapping (the read model's rows, the verify pages' cached facts).
            assert {r["pk"]: rule.status_on(r, day) for r in qs.values(*CERT_FIELDS)} == python
            sql = dict(qs.with_status(day).values_list("pk", "status"))
            assert sql == {pk: status.value for pk, status in python.items()}, day
            for status in CertificateStatus:
                expected = {pk for pk, s in python.items() if s == status}
                assert set(qs.filter(rule.status_q(status, day)).values_list("pk", flat=True)) == expected
            in_force = {pk for pk, s in python.items() if s in rule.IN_FORCE}
            assert set(qs.valid_on(day).values_list("pk", flat=True)) == in_force
            assert {row.pk for row in qs if row.is_valid_on(day)} == in_force
        transaction.set_rollback(True)


def test_the_rule_by_example():
    cert = {
        "issued_on": D(2024, 3, 1),
        "expires_on": D(2027, 3, 1),
        "extended_to": None,
        "revoked_on": None,
        "superseded_on": None,
    }
    assert rule.status_on(cert, D(2024, 2, 29)) == CertificateStatus.NOT_YET
    assert rule.status_on(cert, D(2024, 3, 1)) == CertificateStatus.VALID
    assert rule.status_on(cert, D(2026, 11, 30)) == CertificateStatus.VALID  # 91 days left
    assert rule.status_on(cert, D(2026, 12, 1)) == CertificateStatus.EXPIRING  # 90 days left
    assert rule.status_on(cert, D(2027, 3, 1)) == CertificateStatus.EXPIRED
    extended = cert | {"extended_to": D(2027, 8, 28)}  # QĐ 26/2026 Art. 12.3
    assert rule.status_on(extended, D(2027, 3, 1)) == CertificateStatus.VALID
    assert rule.status_on(extended, D(2027, 8, 28)) == CertificateStatus.EXPIRED
    assert rule.end_on(extended) == D(2027, 8, 28)
    assert rule.status_on(extended | {"superseded_on": D(2027, 4, 1)}, D(2027, 4, 1)) == "superseded"
    assert rule.status_on(extended | {"revoked_on": D(2025, 1, 1)}, D(2025, 1, 1)) == "revoked"
