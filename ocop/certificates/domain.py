"""Certificates: issuing (from a decision or an import). Lifecycle changes live beside it."""

import datetime
import json
import re
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.enums import Role
from ocop.core.activity import log_activity, next_in_sequence
from ocop.core.dates import add_months, today
from ocop.core.errors import DomainError, InvalidTransition, NotAllowed
from ocop.core.models import ActivityLog, Sequence
from ocop.core.permissions import acting_user, require
from ocop.core.publication import publish
from ocop.geo.authority import issuing_authority
from ocop.geo.enums import MapVersion, map_for
from ocop.geo.models import AdminUnit
from ocop.registry.models import Product

from .enums import (
    CertificateKind,
    CertificateSource,
    PostCheckResult,
    RevocationGround,
    expiry_notice_days,
)
from .models import Certificate, ExpiryNotice, NumberPattern, PostCheck
from .notices import deliver_expiry_notice
from .procedure import REVOCATION_DAYS, extension_end
from .rules import is_held


def default_expiry(issued_on):
    return add_months(issued_on, settings.CERTIFICATE_VALID_MONTHS)


def number_pattern_for(province_code, day=None):
    """The province's own pattern (set in the office), else CERTIFICATE_NUMBER_PATTERN."""

    qs = NumberPattern.objects.filter(province__code=province_code)
    if day is not None:
        qs = qs.filter(province__map=map_for(day))
    found = qs.values_list("pattern", flat=True).first()
    return found or settings.CERTIFICATE_NUMBER_PATTERN


CHUNK = 900  # values per IN (...) query, below SQLite's oldest parameter limit


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def new_certificate_numbers(*, province_code, year, day=None, commune_codes=None, count=None):
    """Numbers in the province's configured pattern, e.g. 83-00012-2022 (URL-safe, unique): one per
    entry of `commune_codes` (the pattern may use {commune}), or `count` of them. The counter
    `certificate:<province>:<year>` is taken a block at a time; a number already taken (by an import,
    or a pattern changed since) is skipped. Call inside a transaction."""
    codes = list(commune_codes) if commune_codes is not None else [""] * (count or 0)
    pattern = number_pattern_for(province_code, day)
    numbers = [None] * len(codes)
    pending = list(range(len(codes)))
    while pending:
        last = next_in_sequence(f"certificate:{province_code}:{year}", count=len(pending))
        candidates = {}
        for seq, i in enumerate(pending, start=last - len(pending) + 1):
            number = pattern.format(province=province_code, commune=codes[i], seq=seq, year=year)
            candidates[i] = number.replace("/", "-").replace(" ", "")
        taken = set()
        for chunk in _chunks(candidates.values()):
            taken.update(Certificate.objects.filter(number__in=chunk).values_list("number", flat=True))
        retry = []
        for i in pending:
            if candidates[i] in taken:
                retry.append(i)
            else:
                numbers[i] = candidates[i]
        pending = retry
    return numbers


def new_certificate_number(*, province_code, commune_code="", year, day=None):
    """One number (see `new_certificate_numbers`)."""
    return new_certificate_numbers(
        province_code=province_code, year=year, day=day, commune_codes=[commune_code]
    )[0]


def preview_number(province, *, day=None, pattern=None):
    """The number the next certificate issued on `day` (today) by `province`'s authority gets: the
    example on the numbering page is what will be issued (86-00001-2026 for Vĩnh Long, whichever map
    the officer's province is on). The commune part shows the province's first commune."""

    day = day or today()
    authority = issuing_authority(province, day)
    code = authority.code
    pattern = pattern or number_pattern_for(code, day)
    commune = AdminUnit.objects.filter(level="commune", province=authority.province).order_by("code").first()
    taken = Sequence.objects.filter(key=f"certificate:{code}:{day.year}").values_list("value", flat=True)
    seq = (taken.first() or 0) + 1
    number = pattern.format(province=code, commune=commune.code if commune else "", seq=seq, year=day.year)
    return number.replace("/", "-").replace(" ", "")


def _product_location_codes(product, day):
    """Province and commune codes on the map in force on `day` (83 for Bến Tre in 2022, 86 after)."""

    producer = product.producer
    if map_for(day) == MapVersion.LEGACY:
        commune = producer.legacy_commune or producer.commune
    else:
        commune = producer.current_commune or producer.commune
    return commune.province.code, commune.code


@transaction.atomic
def issue_certificate(
    product,
    *,
    actor,
    star,
    decision_number,
    decision_date,
    issuer_name,
    issued_on=None,
    expires_on=None,
    issuer_unit=None,
    potential_5_star=False,
    score=None,
    kind=CertificateKind.NEW,
    source=CertificateSource.DECISION,
    criteria_set="",
    number=None,
    supersede=True,
):
    """Create a certificate and supersede the product's earlier one that is still in force."""
    issued_on = issued_on or decision_date
    if issuer_unit is not None and issuer_unit.level == "province":
        # The issuer on the map in force on the issue date (a 2026 certificate of a round Bến Tre
        # opened is issued by Vĩnh Long, 86) and numbered with its code.
        issuer_unit = issuing_authority(issuer_unit, issued_on).province
    if not issuer_name:
        issuer_name = issuing_authority(issuer_unit or product.producer.commune, issued_on).name
    places = None
    if number is None and issuer_unit is not None and issuer_unit.level == "province":
        places = [(issuer_unit.code, _product_location_codes(product, issued_on)[1])]
    certificate = Certificate(
        number=number or "",
        product=product,
        star=star,
        potential_5_star=potential_5_star,
        score=score,
        kind=kind,
        source=source,
        criteria_set=criteria_set,
        decision_number=decision_number,
        decision_date=decision_date,
        issuer_name=issuer_name,
        issuer_unit=issuer_unit,
        issued_on=issued_on,
        expires_on=expires_on,
    )
    certificate.take_scope_from(product.producer)
    issue_certificates([certificate], actor=actor, supersede=supersede, places=places)
    return certificate


@transaction.atomic
def issue_certificates(certificates, *, actor, places=None, existing=None, supersede=True, log_data=None):
    """Issue many certificates at once: the one write path of certificates (`issue_certificate` for a
    decision, the importer for a provincial list).

    `certificates` are unsaved `Certificate`s (product_id, star, decision number and date, issuer…;
    `issued_on` defaults to the decision date, `expires_on` to 36 months later, `number` is assigned
    when empty, the issuing scope is the producer's communes when not set). `places`, when given, are
    the (province code, commune code) of each certificate on the map of its issue date (else read from
    its product's producer). `existing` maps product id → its certificates already in the database
    (read when None). Each certificate still in force when a later one of the same product is issued
    is superseded by it (a "superseded" log row each, the verify pages of its stamps refreshed on
    commit); one "issued" log row per certificate (plus `log_data`); catalogue rows refreshed."""

    certificates = list(certificates)
    if not certificates:
        return []
    for cert in certificates:
        if cert.star not in (3, 4, 5):
            raise DomainError("Only 3★, 4★ and 5★ are recognised with a certificate.", code="bad_star")
        cert.issued_on = cert.issued_on or cert.decision_date
        cert.expires_on = cert.expires_on or default_expiry(cert.issued_on)
        if cert.expires_on <= cert.issued_on:
            raise DomainError("The expiry date must be after the issue date.", code="bad_dates")
    _fill_scope([c for c in certificates if c.legacy_commune_id is None and c.current_commune_id is None])

    groups = defaultdict(list)
    for i, cert in enumerate(certificates):
        if not cert.number:
            province_code, commune_code = (
                places[i] if places is not None else _product_location_codes(cert.product, cert.issued_on)
            )
            groups[(province_code, cert.issued_on.year, map_for(cert.issued_on))].append((cert, commune_code))
    for (province_code, year, _map), items in groups.items():
        numbers = new_certificate_numbers(
            province_code=province_code,
            year=year,
            day=items[0][0].issued_on,
            commune_codes=[code for _cert, code in items],
        )
        for (cert, _code), number in zip(items, numbers, strict=True):
            cert.number = number

    superseded = _supersede(certificates, existing) if supersede else []
    # A new certificate superseded by a later new one points at it once that one is saved.
    pending = [(c, c.superseded_by) for c in certificates if c.superseded_by is not None]
    for cert, _later in pending:
        cert.superseded_by = None
    Certificate.objects.bulk_create(certificates, batch_size=500)
    now = timezone.now()
    for cert, later in pending:
        cert.superseded_by = later
    new_ids = {id(c) for c in certificates}
    old = [c for c in superseded if id(c) not in new_ids]
    changed = [c for c, _later in pending] + old
    for cert in changed:
        cert.updated_at = now
    Certificate.objects.bulk_update(changed, ["superseded_on", "superseded_by", "updated_at"], batch_size=500)

    actor_row = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(Certificate)

    def entry(cert, action, data):
        return ActivityLog(
            actor=actor_row,
            action=action,
            content_type=content_type,
            object_id=str(cert.pk),
            object_repr=str(cert)[:300],
            data=_jsonable(data),
        )

    entries = [
        entry(c, "certificates.certificate.superseded", {"by": c.superseded_by.number}) for c in superseded
    ]
    for cert in certificates:
        data = {
            "star": cert.star,
            "decision": cert.decision_number,
            "issued_on": cert.issued_on,
            "expires_on": cert.expires_on,
            "source": cert.source,
        }
        entries.append(entry(cert, "certificates.certificate.issued", {**data, **(log_data or {})}))
    ActivityLog.objects.bulk_create(entries, batch_size=1000)

    # The catalogue rows and verify answers of these products (those of the superseded certificates
    # are among them), each product once however many of its certificates were written.
    publish(products={c.product_id for c in certificates})
    return certificates


def _jsonable(data):
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _fill_scope(certificates):
    """The issuing scope of certificates that have none: their producer's communes now."""

    known = {}
    for chunk in _chunks({c.product_id for c in certificates}):
        for pk, legacy, current in Product.objects.filter(pk__in=chunk).values_list(
            "pk", "producer__legacy_commune_id", "producer__current_commune_id"
        ):
            known[pk] = (legacy, current)
    for cert in certificates:
        cert.legacy_commune_id, cert.current_commune_id = known[cert.product_id]


def _supersede(new_certs, existing=None):
    """Mark superseded every certificate still in force on the issue day of a later certificate of the
    same product, where one of the two is new (the rule of issue_certificate, applied to a whole
    import: an imported older certificate is superseded by a later one already there too).
    Returns the superseded certificates (new or existing), in order."""
    new_ids = {id(c) for c in new_certs}
    by_product = defaultdict(list)
    for cert in new_certs:
        by_product[cert.product_id].append(cert)
    if existing is None:
        existing = defaultdict(list)
        for chunk in _chunks(by_product):
            for cert in Certificate.objects.filter(product_id__in=chunk):
                existing[cert.product_id].append(cert)
    superseded = []
    for product_id, certs in by_product.items():
        timeline = sorted(
            [*existing.get(product_id, ()), *certs], key=lambda c: (c.issued_on, c.decision_date)
        )
        for n, later in enumerate(timeline):
            day = later.issued_on
            for earlier in timeline[:n]:
                if id(earlier) not in new_ids and id(later) not in new_ids:
                    continue  # two certificates already there: not this import's business
                if earlier.superseded_on is not None or not earlier.issued_on < day:
                    continue
                if not earlier.is_valid_on(day):
                    continue
                earlier.superseded_on, earlier.superseded_by = day, later
                superseded.append(earlier)
    return superseded


# --- Lifecycle: revocation, suspension, post-checks, number patterns --------------------------------


def _locked(certificate):
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


def _check_effective_day(certificate, day, what):
    if day is None:
        raise DomainError(
            _("Give the date on which the %(what)s takes effect.") % {"what": what}, code="no_date"
        )
    if day > today():
        raise DomainError(_("The date cannot be in the future."), code="future_date")
    if day < certificate.issued_on:
        raise DomainError(_("The date cannot be before the certificate was issued."), code="before_issue")


# QĐ 26/2026 Art. 8.2: who decides a revocation.
PROVINCIAL_AUTHORITY = "Chủ tịch UBND cấp tỉnh"
MINISTERIAL_AUTHORITY = "Bộ trưởng Bộ Nông nghiệp và Môi trường"


def revocation_authority(certificate):
    return MINISTERIAL_AUTHORITY if certificate.star == 5 else PROVINCIAL_AUTHORITY


def revocation_due_on(concluded_on):
    """Art. 8.4: 15 days from the conclusion (or the commune's confirmation that production stopped)."""

    return concluded_on + datetime.timedelta(days=REVOCATION_DAYS)


@transaction.atomic
def revoke_certificate(
    certificate, *, actor, ground, decision_number, revoked_on=None, note="", concluded_on=None
):
    """Record the revocation (thu hồi) decided by the authority of QĐ 26/2026 Art. 8.2 on one of the grounds
    of Art. 8.1; every stamp of it turns red at once. The provincial office records the chairman's decision
    for 3★/4★; only the Ministry records the Minister's for 5★ (a provincial officer gets 403).

    `concluded_on`: the date of the competent authority's conclusion (or the commune's confirmation that
    production stopped); Art. 8.4 gives 15 days from it. A later decision is still recorded (the law binds
    the authority, not the record) and is logged as late."""
    certificate = _locked(certificate)
    require(actor, "certificates.view_certificate", certificate, refusal=NotAllowed)
    if certificate.star == 5 and not actor_may_revoke_five_star(actor):
        raise NotAllowed(
            _(
                "A 5★ certificate is revoked only by the Minister of Agriculture and Environment (QĐ 26/2026 "
                "Art. 8.2b); the provincial office cannot revoke it."
            ),
            code="minister_only",
        )
    require(actor, "certificates.revoke_certificate", certificate, refusal=NotAllowed)
    revoked_on = revoked_on or today()
    if certificate.revoked_on:
        raise InvalidTransition(_("This certificate is already revoked."), code="already_revoked")
    if ground not in RevocationGround.values:
        raise DomainError(
            _("Choose a ground of revocation of QĐ 26/2026 Art. 8.1 (a to e)."), code="bad_ground"
        )
    if ground == RevocationGround.OTHER_AUTHORITY and not note.strip():
        raise DomainError(
            _("Name the authority's conclusion and proposal (Art. 8.1e)."), code="note_required"
        )
    if not decision_number.strip():
        raise DomainError(_("The revocation decision number is required."), code="no_decision")
    if concluded_on is None:
        raise DomainError(
            _("Give the date of the competent authority's conclusion (Art. 8.4)."), code="no_conclusion"
        )
    if concluded_on > revoked_on:
        raise DomainError(
            _("The conclusion cannot be after the revocation."), code="conclusion_after_revocation"
        )
    _check_effective_day(certificate, revoked_on, _("revocation"))
    due = revocation_due_on(concluded_on)
    authority = revocation_authority(certificate)
    certificate.revoked_on, certificate.revocation_ground = revoked_on, ground
    certificate.revocation_decision, certificate.revocation_note = decision_number.strip(), note.strip()
    certificate.revocation_concluded_on, certificate.revocation_authority = concluded_on, authority
    certificate.save(
        update_fields=[
            "revoked_on",
            "revocation_ground",
            "revocation_decision",
            "revocation_note",
            "revocation_concluded_on",
            "revocation_authority",
            "updated_at",
        ]
    )
    log_activity(
        certificate,
        "certificates.certificate.revoked",
        actor=actor,
        data={
            "revoked_on": revoked_on,
            "ground": ground,
            "decision": decision_number,
            "note": note,
            "authority": authority,
            "concluded_on": concluded_on,
            "due_on": due,
            "late": revoked_on > due,
        },
    )
    publish(certificate)  # the catalogue, its product page and its verify pages
    return certificate


def actor_may_revoke_five_star(actor):
    if acting_user(actor) is None or actor.is_superuser:
        return True
    return actor.has_role(Role.ADMIN) or actor.has_role(Role.MINISTRY_OFFICER)


# --- Art. 12.3: a certificate under re-evaluation stays in force until the result -------------------


@transaction.atomic
def extend_for_renewal(certificate, *, actor, dossier_number):
    """A re-evaluation dossier was filed: the certificate stays in force until the result, at most 180 days
    after its end (QĐ 26/2026 Art. 12.3). Idempotent."""

    certificate = _locked(certificate)
    until = extension_end(certificate)
    if certificate.extended_to == until:
        return certificate
    before, certificate.extended_to = certificate.extended_to, until
    certificate.save(update_fields=["extended_to", "updated_at"])
    log_activity(
        certificate,
        "certificates.certificate.extended",
        actor=actor,
        data={"from": before, "to": until, "dossier": dossier_number},
    )
    publish(certificate)  # the catalogue, its product page and its verify pages
    return certificate


@transaction.atomic
def end_extension(certificate, *, actor, day):
    """The re-evaluation has its result (or was withdrawn): the extension ends on `day`, never before the
    certificate's own end."""
    certificate = _locked(certificate)
    if certificate.extended_to is None:
        return certificate
    new = day if day > certificate.expires_on else None
    if new is not None and new >= certificate.extended_to:
        return certificate
    before, certificate.extended_to = certificate.extended_to, new
    certificate.save(update_fields=["extended_to", "updated_at"])
    log_activity(
        certificate, "certificates.certificate.extension_ended", actor=actor, data={"from": before, "to": new}
    )
    publish(certificate)  # the catalogue, its product page and its verify pages
    return certificate


@transaction.atomic
def suspend_certificate(certificate, *, actor, reason, suspended_on=None):
    """Put an internal hold on a certificate during a post-certification check (hậu kiểm).

    QĐ 26/2026 has no suspension: the hold is for the office only; the public status, the verify page and
    the API are unchanged (docs/certificates.md)."""
    certificate = _locked(certificate)
    require(actor, "certificates.manage_certificate", certificate, refusal=NotAllowed)
    suspended_on = suspended_on or today()
    if not certificate.is_valid_on(suspended_on):
        raise InvalidTransition(
            _("Only a certificate in force can be suspended (this one is %(status)s).")
            % {"status": certificate.status_on(suspended_on).label},
            code="not_in_force",
        )
    if not reason.strip():
        raise DomainError(_("Give the reason for the suspension."), code="reason_required")
    _check_effective_day(certificate, suspended_on, _("suspension"))
    previous = {"suspended_on": certificate.suspended_on, "lifted_on": certificate.suspension_lifted_on}
    certificate.suspended_on, certificate.suspension_lifted_on = suspended_on, None
    certificate.suspension_reason = reason.strip()
    certificate.save(
        update_fields=["suspended_on", "suspension_lifted_on", "suspension_reason", "updated_at"]
    )
    log_activity(
        certificate,
        "certificates.certificate.suspended",
        actor=actor,
        data={"suspended_on": suspended_on, "reason": reason, "previous": previous},
    )
    publish(certificate)  # the catalogue, its product page and its verify pages
    return certificate


@transaction.atomic
def lift_suspension(certificate, *, actor, lifted_on=None, note=""):
    certificate = _locked(certificate)
    require(actor, "certificates.manage_certificate", certificate, refusal=NotAllowed)
    lifted_on = lifted_on or today()
    if not is_held(certificate):
        raise InvalidTransition(_("This certificate is not suspended."), code="not_suspended")
    if certificate.revoked_on:
        raise InvalidTransition(_("A revoked certificate cannot be reinstated."), code="revoked")
    if lifted_on < certificate.suspended_on:
        raise DomainError(_("The suspension cannot be lifted before it began."), code="before_suspension")
    _check_effective_day(certificate, lifted_on, _("lifting"))
    certificate.suspension_lifted_on = lifted_on
    certificate.save(update_fields=["suspension_lifted_on", "updated_at"])
    log_activity(
        certificate,
        "certificates.certificate.suspension_lifted",
        actor=actor,
        data={"lifted_on": lifted_on, "note": note},
    )
    publish(certificate)  # the catalogue, its product page and its verify pages
    return certificate


@transaction.atomic
def record_post_check(certificate, *, actor, checked_on, team, findings, result):
    """Record a post-certification check. A failed check does not revoke by itself: the office then
    suspends or revokes with its own decision."""
    certificate = _locked(certificate)
    require(actor, "certificates.manage_certificate", certificate, refusal=NotAllowed)
    if result not in PostCheckResult.values:
        raise DomainError(_("Choose the result of the check."), code="bad_result")
    if not team.strip() or not findings.strip():
        raise DomainError(_("Name the inspection team and record the findings."), code="incomplete")
    _check_effective_day(certificate, checked_on, _("check"))
    check = PostCheck.objects.create(
        certificate=certificate,
        checked_on=checked_on,
        team=team.strip(),
        findings=findings.strip(),
        result=result,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_activity(
        certificate,
        "certificates.certificate.post_checked",
        actor=actor,
        data={"check": check.pk, "checked_on": checked_on, "team": team, "result": result},
    )
    return check


@transaction.atomic
def set_number_pattern(province, *, actor, pattern):
    """Set a province's certificate number pattern, after checking that it makes unique, URL-safe
    numbers (it must contain {seq} and {year})."""
    require(actor, "certificates.configure_numbers", province, refusal=NotAllowed)
    pattern = (pattern or "").strip()
    check_number_pattern(pattern)
    current = NumberPattern.objects.select_for_update().filter(province=province).first()
    before = current.pattern if current else settings.CERTIFICATE_NUMBER_PATTERN
    if current is None:
        current = NumberPattern.objects.create(province=province, pattern=pattern)
    else:
        current.pattern = pattern
        current.save(update_fields=["pattern", "updated_at"])
    log_activity(
        current, "certificates.number_pattern.set", actor=actor, data={"from": before, "to": pattern}
    )
    return current


def check_number_pattern(pattern):
    if "{seq" not in pattern or "{year" not in pattern:
        raise DomainError(_("The pattern must contain {seq} and {year}."), code="bad_pattern")
    try:
        sample = pattern.format(province="83", commune="28756", seq=1, year=2026)
    except (KeyError, IndexError, ValueError):
        raise DomainError(
            _("Only the fields {province}, {commune}, {seq} and {year} may be used."), code="bad_pattern"
        ) from None
    if not re.fullmatch(r"[A-Za-z0-9-]{3,40}", sample):
        raise DomainError(
            _("A number may contain only letters, digits and hyphens (up to 40 characters)."),
            code="bad_pattern",
        )
    return sample


# --- Expiry notices -----------------------------------------------------------------------------------


def due_notice_rows(day):
    """Create the notice rows that are due on `day` (idempotent: one row per certificate and threshold).

    A threshold is due when the certificate is in force and expires within that many days; only the
    tightest threshold reached is created, so a certificate imported 40 days before expiry gets one
    notice (the 60-day one), then the 30-day one."""
    thresholds = expiry_notice_days()
    horizon = day + datetime.timedelta(days=max(thresholds))
    candidates = Certificate.objects.valid_on(day).filter(expires_on__lte=horizon).only("pk", "expires_on")
    rows = []
    for certificate in candidates:
        left = (certificate.expires_on - day).days
        reached = [d for d in thresholds if left <= d]
        if reached:
            threshold = min(reached)
            rows.append(
                ExpiryNotice(
                    certificate_id=certificate.pk,
                    days_before=threshold,
                    due_on=certificate.expires_on - datetime.timedelta(days=threshold),
                )
            )
    ExpiryNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# A claimed notice that was never delivered (the worker died between claim and delivery) is claimed
# again after this lease, so a killed worker loses no notice; a live worker finishes well within it.
NOTICE_LEASE = datetime.timedelta(minutes=10)


def _claimable(now):
    return Q(processed_at__isnull=True) | Q(processed_at__lt=now - NOTICE_LEASE, channel="")


def claim_notice(notice_id):
    """Claim one undelivered notice; True for exactly one caller, however many workers race."""
    now = timezone.now()
    return ExpiryNotice.objects.filter(_claimable(now), pk=notice_id).update(processed_at=now) == 1


def send_expiry_notices(day=None):
    """The daily job: create due notice rows, then claim and send each unsent one exactly once."""

    day = day or today()
    due_notice_rows(day)
    sent = 0
    pending = ExpiryNotice.objects.filter(_claimable(timezone.now())).values_list("pk", flat=True)
    for notice_id in list(pending):
        if claim_notice(notice_id):
            deliver_expiry_notice(notice_id)
            sent += 1
    return sent
