"""GET /api/v1/verify/{code}: the verify page's verdict as JSON (architecture §6)."""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from ocop.api.schemas import Error
from ocop.core.dates import today
from ocop.stamps import ratelimit
from ocop.stamps.verification import public_json, resolve

router = Router(tags=["verify"])


class VerifyUnit(Schema):
    code: str
    name: str


class Batch(Schema):
    lot_number: str | None = None
    production_date: date | None = None
    best_before: date | None = None


class VerifyOut(Schema):
    status: str
    expiring: bool
    product: str | None = None
    producer: str | None = None
    star: int | None = None
    valid_until: date | None = None
    certificate_number: str | None = None
    code: str
    kind: str | None = None
    potential_5_star: bool | None = None
    issued_on: date | None = None
    issuer: str | None = None
    since: date | None = None
    reason: str | None = None
    extended_until: date | None = None
    extension_basis: str | None = None
    gtin: str | None = None
    province: VerifyUnit | None = None
    commune: VerifyUnit | None = None
    batch: Batch | None = None


@router.get(
    "/verify/{code}",
    response={200: VerifyOut, 429: Error},
    summary="Verify a stamp serial or certificate number",
    description=(
        "status is valid, expired, revoked or unknown (suspended stays in the contract but is not produced: "
        "QĐ 26/2026 has no suspension); expiring is true within 90 days of expiry; valid_until is the last "
        "valid day. extended_until: a certificate past its end kept in force while its re-evaluation is "
        "undecided (QĐ 26/2026 Art. 12.3), at the latest that day. Unknown codes answer 200 with status unknown."
    ),
)
def verify(request: HttpRequest, code: str):
    if not ratelimit.allow(request, scope="api-verify"):
        return Status(
            429, {"code": "rate_limited", "message": _("Too many checks: wait a minute and try again.")}
        )
    answer, _serial = resolve(code, today())
    return Status(200, public_json(answer))
