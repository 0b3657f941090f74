"""Dossier actions of the QĐ 26/2026 procedure (completion asked by the province, disqualification, 5★
re-evaluation to the Ministry) and the Annex III forms as PDFs. The rest of the dossier pages are in `evaluation.py`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext_lazy

from ocop.evaluation import domain
from ocop.evaluation.forms_pdf import FORMS, form_filename, form_pdf

from .evaluation import _dossier_action, _dossier_for, _pdf_response


@login_required
def dossier_form_pdf(request, pk, number):
    """Mẫu số 01, 02 or 03 of Annex III, for whoever may see the dossier (producer, commune, office,
    advisory group, council, Ministry)."""
    if number not in FORMS:
        raise Http404
    dossier = _dossier_for(request, pk)
    if number == "03" and not dossier.commune_form:
        raise Http404
    return _pdf_response(form_pdf(dossier, number), form_filename(dossier, number))


@_dossier_action(
    "evaluation.appraise_dossier",
    done=gettext_lazy("The dossier is disqualified; the producer is told the reason."),
)
def dossier_disqualify(request, dossier):
    items = [{"criterion": request.POST.get("criterion", ""), "reason": request.POST.get("reason", "")}]
    items += request.POST.getlist("disqualifier")  # "disqualifier:N": the set's "Hồ sơ bị loại khi" lines
    domain.disqualify_dossier(dossier, actor=request.user, knockouts=items)


@_dossier_action("evaluation.manage_dossier", done=gettext_lazy("The dossier is sent to the Ministry."))
def dossier_send_to_ministry(request, dossier):
    domain.send_to_ministry(dossier, actor=request.user, report=request.POST.get("report", ""))


@_dossier_action(
    "evaluation.manage_dossier",
    done=gettext_lazy("The producer is asked to complete the dossier; the commune is told."),
)
def dossier_request_completion(request, dossier):
    """Art. 7.3a: the provincial office sends the dossier back to the producer to complete, with reasons."""
    domain.request_completion(dossier, actor=request.user, reasons=request.POST.get("reasons", ""))
