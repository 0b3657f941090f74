"""Stamp batches (order, approve, block, downloads) and the counterfeit dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.rules import read_only
from ocop.core.errors import DomainError
from ocop.stamps import domain
from ocop.stamps.enums import BatchState, SignalKind, SignalStatus
from ocop.stamps.forms import OrderForm, ReasonForm
from ocop.stamps.models import CounterfeitSignal
from ocop.stamps.printing import qr_content, sheet_pdf, sheet_svg, stream_lines
from ocop.stamps.queries import batches_for, dashboard, orderable_products, signals_for
from ocop.stamps.rules import may_act
from ocop.stamps.serials import grouped, serial_range

from ..actions import run_action

SHEET_MAX = 5000  # labels per sheet file; larger batches go to a printing house as CSV


@login_required
def batch_list(request):
    if not request.user.has_perm("backoffice.access"):
        raise PermissionDenied
    qs = batches_for(request.user).select_related("product", "product__producer", "certificate")
    if request.GET.get("state") in BatchState.values:
        qs = qs.filter(state=request.GET["state"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "states": BatchState.choices,
        "can_order": orderable_products(request.user).exists(),
    }
    return render(request, "backoffice/stamps/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def batch_order(request):
    if read_only(request.user):
        raise PermissionDenied  # the 403 page says why (ocop.core.views.permission_denied)
    products = orderable_products(request.user)
    form = OrderForm(request.POST or None, products=products, initial={"product": request.GET.get("product")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        product = data.pop("product")
        try:
            batch = domain.order_batch(product, actor=request.user, **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The batch is ordered; the provincial office will approve it."))
            return redirect("backoffice:stamp_batch_detail", pk=batch.pk)
    return render(request, "backoffice/stamps/order.html", {"form": form})


def _batch_for(request, pk, perm="stamps.view_batch"):
    batch = get_object_or_404(
        batches_for(request.user).select_related("product", "product__producer", "certificate"), pk=pk
    )
    if not request.user.has_perm(perm, batch):
        raise PermissionDenied
    return batch


@login_required
def batch_detail(request, pk):
    batch = _batch_for(request, pk)
    user = request.user
    samples = []
    if batch.state == BatchState.APPROVED:
        samples = [
            (grouped(s), qr_content(s, batch.product.gtin))
            for s in serial_range(batch.pk, 0, min(3, batch.quantity), batch.key_id)
        ]
    context = {
        "batch": batch,
        "can_decide": may_act(user, batch, "approve"),
        "can_block": may_act(user, batch, "block"),
        "can_unblock": may_act(user, batch, "unblock"),
        "can_download": batch.state == BatchState.APPROVED and user.has_perm("stamps.download_batch", batch),
        "sheet_ok": batch.quantity <= SHEET_MAX,
        "sheet_max": SHEET_MAX,
        "signals": batch.signals.all()[:50],
        "samples": samples,
        "reason_form": ReasonForm(),
    }
    return render(request, "backoffice/stamps/detail.html", context)


def _transition(request, pk, perm, call, done, needs_reason=False):
    batch = _batch_for(request, pk, perm)
    reason = (request.POST.get("reason") or "").strip()[:1000]
    return run_action(
        request,
        lambda: call(batch, reason),
        back=lambda: redirect("backoffice:stamp_batch_detail", pk=pk),
        done=done,
    )


@login_required
@require_POST
def batch_approve(request, pk):
    return _transition(
        request,
        pk,
        "stamps.approve_batch",
        lambda b, r: domain.approve_batch(b, actor=request.user, note=r),
        _("The batch is approved."),
    )


@login_required
@require_POST
def batch_reject(request, pk):
    return _transition(
        request,
        pk,
        "stamps.approve_batch",
        lambda b, r: domain.reject_batch(b, actor=request.user, note=r),
        _("The batch is refused."),
    )


@login_required
@require_POST
def batch_block(request, pk):
    return _transition(
        request,
        pk,
        "stamps.block_batch",
        lambda b, r: domain.block_batch(b, actor=request.user, reason=r),
        _("The batch is blocked: its stamps now show red."),
    )


@login_required
@require_POST
def batch_unblock(request, pk):
    return _transition(
        request,
        pk,
        "stamps.block_batch",
        lambda b, r: domain.unblock_batch(b, actor=request.user, note=r),
        _("The batch is unblocked."),
    )


def _downloadable(request, pk):
    batch = _batch_for(request, pk, "stamps.download_batch")
    if batch.state != BatchState.APPROVED:
        messages.error(request, _("Only an approved batch can be printed."))
        return batch, redirect("backoffice:stamp_batch_detail", pk=pk)
    return batch, None


@login_required
def batch_serials(request, pk, fmt):
    batch, refused = _downloadable(request, pk)
    if refused:
        return refused
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "text/plain; charset=utf-8"
    response = StreamingHttpResponse(stream_lines(batch, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ocop-stamps-{batch.pk}.{fmt}"'
    return response


@login_required
def batch_sheet(request, pk, fmt):
    batch, refused = _downloadable(request, pk)
    if refused:
        return refused
    if batch.quantity > SHEET_MAX:
        messages.error(
            request,
            _("Sheets are made for batches of up to %(n)s stamps; use the CSV file.")
            % {"n": f"{SHEET_MAX:,}".replace(",", ".")},
        )
        return redirect("backoffice:stamp_batch_detail", pk=pk)
    if fmt == "svg":
        response = HttpResponse(sheet_svg(batch), content_type="image/svg+xml")
    else:
        response = HttpResponse(sheet_pdf(batch), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ocop-stamps-{batch.pk}.{fmt}"'
    return response


@login_required
def counterfeit_dashboard(request):
    if not request.user.has_perm("stamps.view_dashboard"):
        raise PermissionDenied
    context = dashboard(request.user)
    context["kind_counts"] = [
        (label, context["by_kind"].get(value, 0)) for value, label in SignalKind.choices
    ]
    return render(request, "backoffice/stamps/dashboard.html", context)


@login_required
@require_POST
def signal_status(request, pk):
    signal = get_object_or_404(signals_for(request.user), pk=pk)
    if not request.user.has_perm("stamps.handle_signal", signal):
        raise PermissionDenied
    try:
        domain.set_signal_status(signal, request.POST.get("status", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Signal updated."))
    return redirect("backoffice:counterfeit_dashboard")


__all__ = ["CounterfeitSignal", "SignalStatus"]
