"""Stamp batches: order, approve or reject, block and unblock; counterfeit signals."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.certificates.models import Certificate
from ocop.core.activity import log_activity
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition, NotAllowed
from ocop.core.permissions import require
from ocop.core.publication import publish

from .enums import BATCH_TRANSITIONS, MAX_BATCH_QUANTITY, BatchState, SignalStatus
from .models import CounterfeitSignal, StampBatch
from .serials import MAX_BATCH_ID, current_key_id


def _check_transition(batch, target):
    if target not in BATCH_TRANSITIONS[BatchState(batch.state)]:
        raise InvalidTransition(
            _("A batch that is “%(state)s” cannot become “%(target)s”.")
            % {"state": BatchState(batch.state).label, "target": BatchState(target).label}
        )


def _certificate_in_force(product, day):
    return Certificate.objects.filter(product=product).valid_on(day).order_by("-issued_on").first()


@transaction.atomic
def order_batch(
    product, *, actor, quantity, lot_number="", production_date=None, best_before=None, origin=""
):
    """A producer (or the office for it) orders stamps for a product with a certificate in force."""
    require(actor, "stamps.order_batch", product, refusal=NotAllowed)
    if not isinstance(quantity, int) or not 1 <= quantity <= MAX_BATCH_QUANTITY:
        raise DomainError(_("The quantity must be a whole number from 1 to 1.000.000."), code="bad_quantity")
    if production_date and best_before and best_before <= production_date:
        raise DomainError(_("The best-before date must be after the production date."), code="bad_dates")
    certificate = _certificate_in_force(product, today())
    if certificate is None:
        raise DomainError(
            _("Stamps can only be ordered for a product whose OCOP certificate is in force."),
            code="no_certificate",
        )
    batch = StampBatch.objects.create(
        product=product,
        certificate=certificate,
        quantity=quantity,
        key_id=current_key_id(),
        lot_number=lot_number.strip(),
        production_date=production_date,
        best_before=best_before,
        origin=origin.strip(),
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if batch.pk > MAX_BATCH_ID:
        raise DomainError(_("The batch numbering is exhausted."), code="batch_ids_exhausted")
    publish(batch)  # its verify pages (a requested batch answers as not yet valid)
    log_activity(
        batch,
        "stamps.batch.ordered",
        actor=actor,
        data={"quantity": quantity, "certificate": certificate.number, "lot": lot_number},
    )
    return batch


def _decide(batch, target, *, actor, perm, note="", action):
    batch = StampBatch.objects.select_for_update().get(pk=batch.pk)
    require(actor, perm, batch, refusal=NotAllowed)
    _check_transition(batch, target)
    previous = batch.state
    batch.state = target
    fields = ["state", "updated_at"]
    if previous == BatchState.REQUESTED:
        batch.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        batch.decided_at, batch.decision_note = timezone.now(), note
        fields += ["decided_by", "decided_at", "decision_note"]
    return batch, previous, fields


@transaction.atomic
def approve_batch(batch, *, actor, note=""):
    batch, previous, fields = _decide(
        batch, BatchState.APPROVED, actor=actor, perm="stamps.approve_batch", note=note, action="approved"
    )
    if previous == BatchState.REQUESTED and not batch.certificate.is_valid_on(today()):
        raise DomainError(_("The product's certificate is no longer in force."), code="no_certificate")
    batch.save(update_fields=fields)
    log_activity(batch, "stamps.batch.approved", actor=actor, data={"from": previous, "note": note})
    publish(batch)  # its verify pages
    return batch


@transaction.atomic
def reject_batch(batch, *, actor, note):
    if not note.strip():
        raise DomainError(_("Give the reason for the refusal."), code="reason_required")
    batch, previous, fields = _decide(
        batch, BatchState.REJECTED, actor=actor, perm="stamps.approve_batch", note=note, action="rejected"
    )
    batch.save(update_fields=fields)
    log_activity(batch, "stamps.batch.rejected", actor=actor, data={"from": previous, "note": note})
    publish(batch)  # its verify pages
    return batch


@transaction.atomic
def block_batch(batch, *, actor, reason):
    """Block a batch (copied, lost, stolen): every serial of it then shows red."""
    if not reason.strip():
        raise DomainError(_("Give the reason for blocking the batch."), code="reason_required")
    batch = StampBatch.objects.select_for_update().get(pk=batch.pk)
    require(actor, "stamps.block_batch", batch, refusal=NotAllowed)
    _check_transition(batch, BatchState.BLOCKED)
    batch.state, batch.blocked_at, batch.block_reason = BatchState.BLOCKED, timezone.now(), reason.strip()
    batch.save(update_fields=["state", "blocked_at", "block_reason", "updated_at"])
    publish(batch)  # every serial of it shows red
    log_activity(
        batch, "stamps.batch.blocked", actor=actor, data={"from": BatchState.APPROVED, "reason": reason}
    )
    return batch


@transaction.atomic
def unblock_batch(batch, *, actor, note=""):
    batch = StampBatch.objects.select_for_update().get(pk=batch.pk)
    require(actor, "stamps.block_batch", batch, refusal=NotAllowed)
    _check_transition(batch, BatchState.APPROVED)
    batch.state = BatchState.APPROVED
    batch.save(update_fields=["state", "updated_at"])
    publish(batch)  # its verify pages
    log_activity(
        batch, "stamps.batch.unblocked", actor=actor, data={"from": BatchState.BLOCKED, "note": note}
    )
    return batch


@transaction.atomic
def set_signal_status(signal, status, *, actor, note=""):
    signal = CounterfeitSignal.objects.select_for_update().select_related("batch").get(pk=signal.pk)
    require(actor, "stamps.handle_signal", signal, refusal=NotAllowed)
    if status not in SignalStatus.values:
        raise DomainError(_("Unknown status."), code="bad_status")
    if signal.status == status:
        raise InvalidTransition(_("The signal already has this status."))
    previous = signal.status
    signal.status = status
    signal.save(update_fields=["status", "updated_at"])
    log_activity(
        signal,
        "stamps.signal.status_changed",
        actor=actor,
        data={"from": previous, "to": status, "note": note},
    )
    return signal


def days_left(batch, day=None):
    day = day or today()
    return (batch.certificate.expires_on - day).days if batch.certificate_id else None


__all__ = ["datetime"]
