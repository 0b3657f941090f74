"""Commune, office, advisory group: return, forward (Mẫu 03, product code), samples, appraisal."""

from django.db import transaction
from django.utils.translation import gettext as _

from ocop.core.activity import log_activity, next_in_sequence
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.publication import publish
from ocop.criteria.scoring import criterion_index
from ocop.registry.models import Product

from .. import procedure
from ..enums import (
    SAMPLE_STATES,
    SAMPLES_REQUIRED,
)
from ._common import (
    S,
    _commune_officers,
    _lock,
    _producer_users,
    _province_officers,
    _queue,
    _require,
    _required_text,
    _valid_partial,
    check_transition,
)


@transaction.atomic
def return_dossier(dossier, *, actor, reasons):
    reasons = _required_text(
        reasons, _("Give the reasons for returning the dossier."), code="reasons_required"
    )
    dossier = _lock(dossier)
    check_transition(dossier, S.RETURNED, actor=actor)
    previous = dossier.state
    dossier.state, dossier.return_reasons = S.RETURNED, reasons
    dossier.save(update_fields=["state", "return_reasons", "updated_at"])
    log_activity(
        dossier, "evaluation.dossier.returned", actor=actor, data={"from": previous, "reasons": reasons}
    )
    _queue("returned", dossier, _producer_users(dossier))
    return dossier


@transaction.atomic
def request_completion(dossier, *, actor, reasons):
    """Art. 7.3a: the provincial office checks the components and content of the dossier the commune sent
    and, "trường hợp cần thiết, thông báo và hướng dẫn UBND cấp xã, chủ thể OCOP hoàn thiện hồ sơ" (also on
    the advisory group's proposal, Art. 7.3c). The producer sees the reasons, completes the dossier and
    sends it back (`resubmit_to_province`); the commune is told. The text sets no time limit for the
    completion: no clock is kept."""
    reasons = _required_text(
        reasons, _("Give the reasons: what the producer must complete."), code="reasons_required"
    )
    dossier = _lock(dossier)
    check_transition(dossier, S.COMPLETION, actor=actor)
    previous = dossier.state
    dossier.state, dossier.return_reasons = S.COMPLETION, reasons[:4000]
    dossier.save(update_fields=["state", "return_reasons", "updated_at"])
    log_activity(
        dossier,
        "evaluation.dossier.completion_requested",
        actor=actor,
        data={"from": previous, "reasons": dossier.return_reasons},
    )
    _queue("completion_requested", dossier, _producer_users(dossier) + _commune_officers(dossier))
    return dossier


# Mẫu 03 Phụ lục III, part II: the four contents the commune assesses (Art. 7.2a).
COMMUNE_FORM_ITEMS = ("local_materials", "local_labour", "idea_origin", "local_identity")


def commune_form_labels():
    return {
        "local_materials": _("1. Use of local raw materials"),
        "local_labour": _("2. Use of local labour"),
        "idea_origin": _("3. Origin of the product idea"),
        "local_identity": _("4. Local identity and know-how"),
    }


@transaction.atomic
def forward_dossier(dossier, *, actor, assessment, report, form=None):
    """The commune checks the dossier, issues its report on Mẫu 03 (the four contents of Art. 7.2a and
    its proposal) and forwards it to the province; the product receives its code (Annex II)."""
    report = _required_text(report, _("Write the commune's assessment report."), code="report_required")
    form = {k: str((form or {}).get(k, "")).strip()[:4000] for k in COMMUNE_FORM_ITEMS}
    empty = [commune_form_labels()[k] for k in COMMUNE_FORM_ITEMS if not form[k]]
    if empty:
        raise DomainError(
            _("Mẫu 03 needs every content of the commune's assessment: %(items)s.")
            % {"items": "; ".join(empty)},
            code="commune_form_incomplete",
            status=422,
        )
    dossier = _lock(dossier)
    check_transition(dossier, S.FORWARDED, actor=actor)
    local = [c["id"] for c in dossier.rubric.local_criteria()]
    assessment = _valid_partial(dossier, {k: v for k, v in assessment.items() if v})
    outside = sorted(set(assessment) - set(local))
    if outside:
        raise DomainError(
            _("Only the local criteria are assessed by the commune (not %(ids)s).")
            % {"ids": ", ".join(outside)},
            code="not_local",
            status=422,
        )
    missing = [cid for cid in local if cid not in assessment]
    if missing:
        raise DomainError(
            _("Assess every local criterion: %(ids)s.") % {"ids": ", ".join(missing)},
            code="missing_criterion",
            status=422,
        )
    previous = dossier.state
    dossier.state, dossier.commune_assessment, dossier.commune_report = S.FORWARDED, assessment, report
    dossier.commune_form, dossier.commune_reported_on = form, today()
    dossier.complete_received_on = today()  # the province receives the commune's proposal (Art. 7.6g)
    dossier.save(
        update_fields=[
            "state",
            "complete_received_on",
            "commune_assessment",
            "commune_report",
            "commune_form",
            "commune_reported_on",
            "updated_at",
        ]
    )
    code = _assign_product_code(dossier, actor)
    log_activity(
        dossier,
        "evaluation.dossier.forwarded",
        actor=actor,
        data={
            "from": previous,
            "assessment": assessment,
            "product_code": code,
            "overdue": dossier.commune_due_on is not None
            and dossier.commune_reported_on > dossier.commune_due_on,
        },
    )
    _queue("forwarded", dossier, _producer_users(dossier) + _province_officers(dossier))
    return dossier


def _assign_product_code(dossier, actor):
    """Annex II: "Mã số sản phẩm (T)-(X)-(STT)-Năm", codes of QĐ 19/2025 (the current map), STT numbered
    by the commune. Given once, when the commune registers the product (forwards its dossier); a product
    that already has a code in this form keeps it."""

    product = Product.objects.select_for_update().select_related("producer").get(pk=dossier.product_id)
    producer = product.producer
    commune = producer.current_commune or producer.commune
    if commune is None or commune.province_id is None:
        return product.code
    prefix = f"{commune.province.code}-{commune.code}-"
    if product.code.startswith(prefix):
        return product.code
    number = next_in_sequence(f"product-code:{commune.code}")
    before, product.code = (
        product.code,
        procedure.product_code(commune.province.code, commune.code, number, dossier.round.year),
    )
    product.save(update_fields=["code", "updated_at"])
    log_activity(
        product, "registry.product.code_assigned", actor=actor, data={"from": before, "to": product.code}
    )
    publish(product)  # the code is shown on its public pages
    return product.code


@transaction.atomic
def record_samples(dossier, *, actor, count, received_on):
    dossier = _lock(dossier)
    _require(actor, "evaluation.manage_dossier", dossier)
    if not dossier.needs_samples:
        raise DomainError(_("Tourism services have no samples."), code="no_samples")
    if dossier.state not in SAMPLE_STATES:  # the rule `may_record_samples` of the dossier page
        raise InvalidTransition(_("Samples are recorded while the dossier is forwarded to the province."))
    if not 0 <= int(count) <= 50:
        raise DomainError(_("Enter a number of samples between 0 and 50."), code="bad_count", status=422)
    before = [dossier.samples_received, dossier.samples_received_on]
    dossier.samples_received, dossier.samples_received_on = int(count), received_on
    dossier.save(update_fields=["samples_received", "samples_received_on", "updated_at"])
    log_activity(
        dossier,
        "evaluation.dossier.samples_received",
        actor=actor,
        data={"before": before, "after": [int(count), received_on]},
    )
    return dossier


@transaction.atomic
def appraise_dossier(dossier, *, actor, note, comments):
    note = _required_text(note, _("Write the appraisal conclusion."), code="note_required")
    dossier = _lock(dossier)
    check_transition(dossier, S.APPRAISED, actor=actor)
    index = criterion_index(dossier.rubric.tree)
    comments = {k: v.strip() for k, v in comments.items() if v and v.strip()}
    unknown = sorted(set(comments) - set(index))
    if unknown:
        raise DomainError(
            _("Unknown criterion %(id)s.") % {"id": unknown[0]}, code="unknown_criterion", status=422
        )
    if dossier.needs_samples and dossier.samples_received < SAMPLES_REQUIRED:
        raise DomainError(
            _("Record the receipt of the %(n)s samples before the appraisal.") % {"n": SAMPLES_REQUIRED},
            code="samples_missing",
        )
    previous = dossier.state
    dossier.state, dossier.appraisal_note, dossier.appraisal_comments = S.APPRAISED, note, comments
    dossier.save(update_fields=["state", "appraisal_note", "appraisal_comments", "updated_at"])
    log_activity(
        dossier,
        "evaluation.dossier.appraised",
        actor=actor,
        data={"from": previous, "comments": len(comments)},
    )
    _queue("appraised", dossier, _producer_users(dossier))
    return dossier
