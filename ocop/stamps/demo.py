"""Demo step: stamp batches and six months of scans, including a copied serial.

Idempotent: batches are keyed by their lot number; scans are only added once."""

import datetime

from django.conf import settings
from django.utils import timezone

from ocop.core.dates import today

from .enums import BatchState, Device, SignalKind, Verdict
from .models import CounterfeitSignal, Scan, StampBatch
from .printing import stamp_path
from .serials import current_key_id, make_serial

PLACES = [
    ("Bến Tre", 10.2, 106.4),
    ("TP. Hồ Chí Minh", 10.8, 106.7),
    ("Hà Nội", 21.0, 105.8),
    ("Cần Thơ", 10.0, 105.8),
]


def _batch(certificate, lot, quantity, state, actor, when, **extra):
    batch = StampBatch.objects.filter(lot_number=lot).first()
    if batch:
        return batch
    batch = StampBatch.objects.create(
        product=certificate.product,
        certificate=certificate,
        quantity=quantity,
        key_id=current_key_id(),
        state=state,
        lot_number=lot,
        requested_by=actor,
        decided_by=actor if state != BatchState.REQUESTED else None,
        decided_at=when if state != BatchState.REQUESTED else None,
        **extra,
    )
    StampBatch.objects.filter(pk=batch.pk).update(created_at=when)
    return batch


def seed(demo):
    recert = demo.data.get("recertified")
    if not recert:
        return
    officer = demo.users.get("province_officer")
    now = timezone.now()
    valid = [c for c in recert if c.is_valid_on(today())][:6]
    batches = []
    for n, certificate in enumerate(valid):
        batches.append(
            _batch(
                certificate,
                f"BT-2025-{n + 1:03d}",
                5000 * (n + 1),
                BatchState.APPROVED,
                officer,
                now - datetime.timedelta(days=170 - n),
                production_date=datetime.date(2026, 5, 1 + n),
                best_before=datetime.date(2027, 5, 1 + n),
                origin="Dừa nguyên liệu vùng trồng Mỏ Cày Nam, Bến Tre",
            )
        )
    pending = _batch(
        recert[20],
        "BT-2026-REQ",
        2000,
        BatchState.REQUESTED,
        demo.users.get("producer"),
        now - datetime.timedelta(days=2),
    )
    blocked = _batch(
        valid[-1],
        "BT-2025-LOST",
        1000,
        BatchState.BLOCKED,
        officer,
        now - datetime.timedelta(days=120),
        block_reason="Lô tem bị mất tại xưởng in.",
        blocked_at=now - datetime.timedelta(days=30),
    )
    expired = _batch(
        demo.data["expired_certificate"],
        "BT-2023-OLD",
        3000,
        BatchState.APPROVED,
        officer,
        now - datetime.timedelta(days=1000),
    )
    revoked = _batch(
        demo.data["revoked_certificate"],
        "BT-2025-RVK",
        3000,
        BatchState.APPROVED,
        officer,
        now - datetime.timedelta(days=400),
    )
    expiring = _batch(
        demo.data["expiring_certificate"],
        "BT-2024-EXP",
        3000,
        BatchState.APPROVED,
        officer,
        now - datetime.timedelta(days=300),
    )
    suspicious = make_serial(batches[0].pk, 77, batches[0].key_id)
    if not Scan.objects.filter(batch_id__in=[b.pk for b in batches]).exists():
        rng, rows = demo.rng, []
        for _ in range(1500):
            batch = rng.choice(batches)
            region, lat, lon = rng.choice(PLACES)
            rows.append(
                Scan(
                    serial=make_serial(batch.pk, rng.randrange(batch.quantity), batch.key_id),
                    batch_id=batch.pk,
                    scanned_at=now - datetime.timedelta(minutes=rng.randrange(180 * 24 * 60)),
                    verdict=Verdict.VALID,
                    region=region,
                    latitude=lat,
                    longitude=lon,
                    device=rng.choice([Device.MOBILE] * 4 + [Device.DESKTOP]),
                )
            )
        first = now - datetime.timedelta(days=20)
        for k in range(45):  # the copied serial: 45 scans in three far-apart cities within days
            region, lat, lon = PLACES[k % 3]
            rows.append(
                Scan(
                    serial=suspicious,
                    batch_id=batches[0].pk,
                    scanned_at=first + datetime.timedelta(hours=9 * k),
                    verdict=Verdict.VALID,
                    region=region,
                    latitude=lat,
                    longitude=lon,
                    device=Device.MOBILE,
                )
            )
        Scan.objects.bulk_create(rows, batch_size=1000)
        places = [{"region": r, "lat": a, "lon": b, "at": first.isoformat()} for r, a, b in PLACES[:3]]
        for kind in (SignalKind.REPEATED, SignalKind.FAR_APART):
            CounterfeitSignal.objects.get_or_create(
                serial=suspicious,
                kind=kind,
                defaults={
                    "batch": batches[0],
                    "scans": 45,
                    "first_scan_at": first,
                    "last_scan_at": first + datetime.timedelta(hours=9 * 44),
                    "places": places,
                },
            )
    site = settings.SITE_URL
    examples = {
        "valid": make_serial(batches[1].pk, 5, batches[1].key_id),
        "expiring": make_serial(expiring.pk, 1, expiring.key_id),
        "expired": make_serial(expired.pk, 1, expired.key_id),
        "revoked": make_serial(revoked.pk, 1, revoked.key_id),
        "blocked": make_serial(blocked.pk, 1, blocked.key_id),
        "copied": suspicious,
    }
    demo.data.update(stamp_batches=batches, pending_batch=pending, stamp_examples=examples)
    demo.say("Stamps: " + ", ".join(f"{k} {site}{stamp_path(v)}" for k, v in examples.items()))
