"""A certificate's status as of a date: the one rule, in Python and in SQL.

`status_on(cert, day)` decides for one certificate given as a model instance or a mapping of its dates
(`DATE_FIELDS`: the catalogue's read-model rows and the verify pages' cached facts are mappings);
`status_expression(day)` is the same rule as a SQL `CASE` for `annotate`, and `status_q(status, day)` /
`valid_q(day)` the matching filters. `tests/certificates/test_status_property.py` checks with hypothesis
that the Python function and the SQL agree on random certificates and dates (SQLite and PostgreSQL).

The rule, first match wins, `day` being a date of the Asia/Ho_Chi_Minh calendar (`ocop.core.dates.today`):
1. revoked on or before `day`: REVOKED;
2. superseded on or before `day`: SUPERSEDED;
3. `day` before `issued_on`: NOT_YET;
4. kept in force by QĐ 26/2026 Art. 12.3 (`expires_on` ≤ `day` < `extended_to`): VALID;
5. `expires_on` ≤ `day` (`expires_on` is the first day no longer valid): EXPIRED;
6. fewer than `settings.CERTIFICATE_EXPIRING_DAYS` + 1 days left: EXPIRING;
7. otherwise VALID.
An internal hold during a post-check (`suspended_on`) is not a public status (QĐ 26/2026 knows no
suspension): SUSPENDED is never produced. VALID and EXPIRING are "in force" (`is_valid_on`, `valid_q`)."""

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.db.models import Case, CharField, Q, Value, When

from .enums import CertificateStatus

DATE_FIELDS = ("issued_on", "expires_on", "extended_to", "revoked_on", "superseded_on")
IN_FORCE = (CertificateStatus.VALID, CertificateStatus.EXPIRING)


def _dates(cert):
    if isinstance(cert, Mapping):
        return tuple(cert.get(f) for f in DATE_FIELDS)
    return tuple(getattr(cert, f) for f in DATE_FIELDS)


def is_extended_on(cert, day):
    """QĐ 26/2026 Art. 12.3: past its end, kept in force while its re-evaluation is undecided."""
    _issued, expires, extended, _revoked, _superseded = _dates(cert)
    return extended is not None and expires <= day < extended


def end_on(cert):
    """The first day no longer valid, counting an Art. 12.3 extension."""
    _issued, expires, extended, _revoked, _superseded = _dates(cert)
    return max(expires, extended or expires)


def status_on(cert, day):
    """The public status of `cert` (instance or mapping of `DATE_FIELDS`) on `day` (see module doc)."""
    issued, expires, extended, revoked, superseded = _dates(cert)
    if revoked is not None and revoked <= day:
        return CertificateStatus.REVOKED
    if superseded is not None and superseded <= day:
        return CertificateStatus.SUPERSEDED
    if day < issued:
        return CertificateStatus.NOT_YET
    if extended is not None and expires <= day < extended:
        return CertificateStatus.VALID
    if expires <= day:
        return CertificateStatus.EXPIRED
    if (expires - day).days <= settings.CERTIFICATE_EXPIRING_DAYS:
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID


def is_valid_on(cert, day):
    return status_on(cert, day) in IN_FORCE


def _rules(day, prefix=""):
    """The ordered rules of `status_on` as (status, Q) pairs; what none matches is VALID."""

    def q(**lookups):
        return Q(**{prefix + key: value for key, value in lookups.items()})

    soon = day + datetime.timedelta(days=settings.CERTIFICATE_EXPIRING_DAYS)
    return (
        (CertificateStatus.REVOKED, q(revoked_on__isnull=False, revoked_on__lte=day)),
        (CertificateStatus.SUPERSEDED, q(superseded_on__isnull=False, superseded_on__lte=day)),
        (CertificateStatus.NOT_YET, q(issued_on__gt=day)),
        (CertificateStatus.VALID, q(expires_on__lte=day, extended_to__isnull=False, extended_to__gt=day)),
        (CertificateStatus.EXPIRED, q(expires_on__lte=day)),
        (CertificateStatus.EXPIRING, q(expires_on__lte=soon)),
    )


def status_expression(day, prefix=""):
    """`status_on` as a SQL expression: `Certificate.objects.annotate(status=status_expression(day))`.
    `prefix` reaches the certificate through a relation (e.g. "certificate__")."""
    return Case(
        *(When(rule, then=Value(status.value)) for status, rule in _rules(day, prefix)),
        default=Value(CertificateStatus.VALID.value),
        output_field=CharField(),
    )


def status_q(status, day, prefix=""):
    """A filter matching `status_on(cert, day) == status`: a rule of that status matches and none before it."""
    found = Q(pk__in=[])
    earlier = Q()
    for rule_status, rule in _rules(day, prefix):
        if rule_status == status:
            found |= earlier & rule
        earlier &= ~rule
    if status == CertificateStatus.VALID:
        found |= earlier
    return found


def valid_q(day, prefix=""):
    """Certificates in force on `day` (VALID or EXPIRING): issued_on ≤ day < end (`end_on`), not revoked
    or superseded by then. The same set as `status_q` of both, written so that indexes on the dates serve."""

    def q(**lookups):
        return Q(**{prefix + key: value for key, value in lookups.items()})

    return (
        q(issued_on__lte=day)
        & (q(expires_on__gt=day) | q(extended_to__gt=day))
        & (q(revoked_on__isnull=True) | q(revoked_on__gt=day))
        & (q(superseded_on__isnull=True) | q(superseded_on__gt=day))
    )
