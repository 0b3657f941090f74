"""Traceability facts of a product (growing-area and facility codes), recorded by the office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocop.registry.forms_trace import TraceCodeForm
from ocop.registry.models import TraceCode
from ocop.registry.queries import products_for
from ocop.registry.traceability import add_trace_code, remove_trace_code

from ..actions import run_action


def _product(request, pk):
    product = get_object_or_404(products_for(request.user), pk=pk)  # outside the scope: 404
    if not request.user.has_perm("registry.manage_trace_codes", product):
        raise PermissionDenied
    return product


@login_required
@require_POST
def trace_code_add(request, pk):
    product = _product(request, pk)
    form = TraceCodeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("backoffice:product_detail", pk)
    return run_action(
        request,
        lambda: add_trace_code(product, actor=request.user, **form.cleaned_data),
        done=_("Traceability code recorded."),
        back=lambda: redirect("backoffice:product_detail", pk),
    )


@login_required
@require_POST
def trace_code_remove(request, pk, trace_pk):
    product = _product(request, pk)
    trace = get_object_or_404(TraceCode, pk=trace_pk, product=product)
    return run_action(
        request,
        lambda: remove_trace_code(trace, actor=request.user, reason=request.POST.get("reason", "")[:200]),
        done=_("Traceability code removed."),
        back=lambda: redirect("backoffice:product_detail", pk),
    )
