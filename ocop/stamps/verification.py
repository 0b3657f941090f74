"""The verdict for a stamp serial or a certificate number, as of a date.

A forged or mistyped serial is refused by its MAC before anything touches the database. The facts of
a genuine batch (batch state, certificate dates, product, producer, photo) are read with one query
and kept in the cache under the batch's version token (`shared`); every committed change that affects
them bumps the version (`forget_batches`)."""

import datetime
import re

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from ocop.certificates.enums import CertificateStatus, revocation_ground_label

from . import conf, shared
from .enums import BatchState, Verdict
from .serials import grouped, looks_like_serial, parse_serial

CERTIFICATE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{2,39}")
_MISSING = "missing"


def _cache_seconds():
    return conf.get("VERIFY_CACHE_SECONDS")


def _certificate_facts(certificate):
    from ocop.registry.privacy import public_producer

    product, producer = certificate.product, certificate.product.producer
    commune = producer.commune
    public = public_producer(producer)  # what a household hides never enters the cached facts
    photo = getattr(certificate, "photo_path", None)
    return {
        "certificate_id": certificate.pk,
        "certificate_number": certificate.number,
        "star": certificate.star,
        "potential_5_star": certificate.potential_5_star,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "extended_to": certificate.extended_to,
        "revoked_on": certificate.revoked_on,
        "revocation_ground": certificate.revocation_ground,
        "revocation_decision": certificate.revocation_decision,
        "revocation_note": certificate.revocation_note,
        "suspended_on": certificate.suspended_on,
        "suspension_lifted_on": certificate.suspension_lifted_on,
        "suspension_reason": certificate.suspension_reason,
        "superseded_on": certificate.superseded_on,
        "superseded_by_id": certificate.superseded_by_id,
        "decision_number": certificate.decision_number,
        "decision_date": certificate.decision_date,
        "issuer_name": certificate.issuer_name,
        "product_id": product.pk,
        "product": product.name,
        "product_code": product.code,
        "product_set": product.product_set,
        "product_set_name": _set_name(certificate),
        "gtin": product.gtin,
        "packaging": product.packaging,
        "shelf_life": product.shelf_life,
        "photo": default_storage.url(photo) if photo else "",
        "producer_id": producer.pk,
        "producer": producer.name,
        "producer_kind": producer.kind,
        "producer_tax_code": public["tax_code"] or "",
        "producer_address": public["address"],
        "commune": commune.name if commune else "",
        "commune_code": commune.code if commune else "",
        "district": commune.district.name if commune and commune.district_id else "",
        "province": commune.province.name if commune and commune.province_id else "",
        "province_code": commune.province.code if commune and commune.province_id else "",
        **_address_facts(producer),
        **_trace_facts(product),
    }


def _set_name(certificate):
    """The set's name under the rubric the product was evaluated under (`certificates.queries`)."""
    from ocop.certificates.queries import product_set_name

    return product_set_name(certificate)


def _address_facts(producer):
    """Today's address on the current map and the former one (`ocop.geo.authority.address_of`)."""
    from ocop.registry.privacy import public_address

    address = public_address(producer)
    return {"address_line": address.line, "former_address": address.former}


def _trace_facts(product):
    """Growing-area and facility codes of the product (issuer and dates), for the verify page."""
    return {
        "trace_codes": [
            {
                "kind": t.kind,
                "kind_label": str(t.get_kind_display()),
                "code": t.code,
                "issuer": t.issuer,
                "issued_on": t.issued_on,
                "valid_until": t.valid_until,
            }
            for t in product.trace_codes.all()
        ]
    }


def _photo_path(product_ref):
    """The product's first photo (as `product.photos.first()`), as a subquery of the facts query."""
    from ocop.registry.models import ProductPhoto

    return Subquery(
        ProductPhoto.objects.filter(product=OuterRef(product_ref))
        .order_by("position", "id")
        .values("image")[:1]
    )


def _certificate_qs():
    from ocop.certificates.models import Certificate

    return Certificate.objects.select_related(
        "product",
        "product__producer",
        "product__producer__commune",
        "product__producer__commune__district",
        "product__producer__commune__province",
        "product__producer__legacy_commune__district",
        "product__producer__legacy_commune__province",
        "product__producer__current_commune__province",
    ).annotate(photo_path=_photo_path("product"))


def _current(certificate):
    """The certificate now standing for the product (re-evaluation and upgrade supersede)."""
    if not certificate.superseded_by_id:
        return certificate
    steps = 0
    while certificate.superseded_by_id and steps < 20:
        certificate = _certificate_qs().get(pk=certificate.superseded_by_id)
        steps += 1
    return certificate


def batch_facts(batch_id, version=None):
    """The facts of a batch, cached under its version token (`shared.batch_version`): a committed
    change bumps the version, so a worker never reads facts older than the last change it could see
    (with Redis: the last change anywhere)."""
    if version is None:
        version = shared.batch_version(batch_id)
    key = f"verify:batch:{batch_id}:{version}"
    facts = cache.get(key)
    if facts is None:
        facts = _load_batch(batch_id) or _MISSING
        cache.set(key, facts, _cache_seconds())
    return None if facts == _MISSING else facts


def _load_batch(batch_id):
    from .models import StampBatch

    batch = (
        StampBatch.objects.select_related(
            "certificate",
            "certificate__product",
            "certificate__product__producer",
            "certificate__product__producer__commune",
            "certificate__product__producer__commune__district",
            "certificate__product__producer__commune__province",
            "certificate__product__producer__legacy_commune__district",
            "certificate__product__producer__legacy_commune__province",
            "certificate__product__producer__current_commune__province",
        )
        .annotate(photo_path=_photo_path("certificate__product"))
        .filter(pk=batch_id)
        .first()
    )
    if batch is None:
        return None
    printed = batch.certificate
    printed.photo_path = batch.photo_path
    facts = _certificate_facts(_current(printed))
    facts.update(
        batch_id=batch.pk,
        batch_state=batch.state,
        quantity=batch.quantity,
        block_reason=batch.block_reason,
        blocked_on=batch.blocked_at.date() if batch.blocked_at else None,
        lot_number=batch.lot_number,
        production_date=batch.production_date,
        best_before=batch.best_before,
        origin=batch.origin,
        printed_star=printed.star,
        printed_certificate=printed.number,
    )
    return facts


def certificate_facts(number):
    key = f"verify:cert:{number}"
    facts = cache.get(key)
    if facts is None:
        certificate = _certificate_qs().filter(number=number).first()
        if certificate is None:
            facts = _MISSING
        else:
            facts = _certificate_facts(_current(certificate))
            if certificate.number != facts["certificate_number"]:
                facts["superseded_number"] = certificate.number
        cache.set(key, facts, _cache_seconds())
    return None if facts == _MISSING else facts


EXTENSION_BASIS = "QĐ 26/2026/QĐ-TTg, Điều 12 khoản 3"


def _extended_on(facts, day):
    """QĐ 26/2026 Art. 12.3: past its end, kept in force while its re-evaluation is undecided."""
    extended = facts.get("extended_to")
    return extended is not None and facts["expires_on"] <= day < extended


def certificate_status(facts, day):
    """Same rules as `Certificate.status_on`, on the cached facts. An internal hold during a post-check is
    not public (QĐ 26/2026 has no suspension): "suspended" is never produced."""
    if facts["revoked_on"] and facts["revoked_on"] <= day:
        return CertificateStatus.REVOKED
    if facts["superseded_on"] and facts["superseded_on"] <= day:
        return CertificateStatus.SUPERSEDED
    if day < facts["issued_on"]:
        return CertificateStatus.NOT_YET
    if _extended_on(facts, day):
        return CertificateStatus.VALID
    if day >= facts["expires_on"]:
        return CertificateStatus.EXPIRED
    if (facts["expires_on"] - day).days <= settings.CERTIFICATE_EXPIRING_DAYS:
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID


VERDICT_OF_STATUS = {
    CertificateStatus.VALID: Verdict.VALID,
    CertificateStatus.EXPIRING: Verdict.VALID,
    CertificateStatus.EXPIRED: Verdict.EXPIRED,
    CertificateStatus.REVOKED: Verdict.REVOKED,
    CertificateStatus.SUSPENDED: Verdict.SUSPENDED,
    CertificateStatus.SUPERSEDED: Verdict.EXPIRED,
    CertificateStatus.NOT_YET: Verdict.UNKNOWN,
}


def unknown(code=""):
    return {"status": Verdict.UNKNOWN.value, "expiring": False, "code": code, "kind": None}


def resolve(code, day, *, version=None):
    """(answer, serial) for `code`. `serial` is the parsed serial when the code is a genuine one.

    Forged serials and codes that cannot be certificate numbers cost no query."""
    code = (code or "").strip()[:60]
    serial = parse_serial(code) if looks_like_serial(code) else None
    if serial is not None:
        facts = batch_facts(serial.batch_id, version)
        if facts is None or serial.index >= facts["quantity"]:
            return unknown(serial.text), serial
        return _from_batch(facts, serial, day), serial
    if looks_like_serial(code) and "-" not in code:
        return unknown(code), None
    if not CERTIFICATE_NUMBER.fullmatch(code):
        return unknown(code[:40]), None
    facts = certificate_facts(code)
    if facts is None:
        return unknown(code), None
    answer = _answer(facts, day, kind="certificate")
    if facts.get("superseded_number"):
        answer["superseded_number"] = facts["superseded_number"]
    return answer, None


def _answer(facts, day, *, kind):
    status = certificate_status(facts, day)
    verdict = VERDICT_OF_STATUS[status]
    valid_until = facts["expires_on"] - datetime.timedelta(days=1)
    since, reason = None, ""
    if status == CertificateStatus.REVOKED:
        since = facts["revoked_on"]
        reason = revocation_ground_label(facts["revocation_ground"])
        if facts["revocation_note"]:
            reason = f"{reason}: {facts['revocation_note']}" if reason else facts["revocation_note"]
    elif status in (CertificateStatus.EXPIRED, CertificateStatus.SUPERSEDED):
        since = facts["expires_on"] if status == CertificateStatus.EXPIRED else facts["superseded_on"]
    return {
        "status": verdict.value,
        "expiring": status == CertificateStatus.EXPIRING,
        "code": facts["certificate_number"] if kind == "certificate" else "",
        "kind": kind,
        "product": facts["product"],
        "producer": facts["producer"],
        "star": facts["star"],
        "potential_5_star": facts["potential_5_star"],
        "valid_until": valid_until,
        "days_left": (
            (facts["expires_on"] - day).days
            if verdict == Verdict.VALID and not _extended_on(facts, day)
            else None
        ),
        "extended_until": (
            facts["extended_to"] - datetime.timedelta(days=1) if _extended_on(facts, day) else None
        ),
        "certificate_number": facts["certificate_number"],
        "issued_on": facts["issued_on"],
        "issuer": facts["issuer_name"],
        "decision_number": facts["decision_number"],
        "since": since,
        "reason": str(reason),
        "facts": facts,
    }


def _from_batch(facts, serial, day):
    answer = _answer(facts, day, kind="stamp")
    answer["code"] = serial.text
    answer["serial"] = serial.text
    answer["serial_grouped"] = grouped(serial.text)
    state = facts["batch_state"]
    if state == BatchState.BLOCKED:
        answer.update(
            status=Verdict.REVOKED.value,
            expiring=False,
            days_left=None,
            since=facts["blocked_on"],
            reason=_("The office blocked this batch of stamps: %(reason)s")
            % {"reason": facts["block_reason"]},
        )
    elif state != BatchState.APPROVED:
        return {**unknown(serial.text), "unapproved_batch": facts["batch_id"]}
    if facts["printed_star"] != facts["star"]:
        answer["printed_star"] = facts["printed_star"]
    return answer


def public_json(answer, scans=None):
    """The API body (architecture §6): status, expiring, product, producer, star, valid_until,
    certificate_number, plus the public facts."""
    if answer["status"] == Verdict.UNKNOWN:
        return {
            "status": "unknown",
            "expiring": False,
            "product": None,
            "producer": None,
            "star": None,
            "valid_until": None,
            "certificate_number": None,
            "code": answer["code"],
        }
    facts = answer["facts"]
    body = {
        "status": answer["status"],
        "expiring": answer["expiring"],
        "product": answer["product"],
        "producer": answer["producer"],
        "star": answer["star"],
        "valid_until": answer["valid_until"].isoformat(),
        "certificate_number": answer["certificate_number"],
        "code": answer["code"],
        "kind": answer["kind"],
        "potential_5_star": answer["potential_5_star"],
        "issued_on": answer["issued_on"].isoformat(),
        "issuer": answer["issuer"],
        "since": answer["since"].isoformat() if answer["since"] else None,
        "reason": answer["reason"] or None,
        "extended_until": answer["extended_until"].isoformat() if answer.get("extended_until") else None,
        "extension_basis": EXTENSION_BASIS if answer.get("extended_until") else None,
        "gtin": facts["gtin"] or None,
        "province": {"code": facts["province_code"], "name": facts["province"]},
        "commune": {"code": facts["commune_code"], "name": facts["commune"]},
    }
    if answer["kind"] == "stamp":
        body["batch"] = {
            "lot_number": facts["lot_number"] or None,
            "production_date": facts["production_date"].isoformat() if facts["production_date"] else None,
            "best_before": facts["best_before"].isoformat() if facts["best_before"] else None,
        }
    return body
