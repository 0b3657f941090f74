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
from ocop.stamps import domain
from ocop.stamps.enums import BatchState, SignalKind, SignalStatus
from ocop.stamps.forms import OrderForm, ReasonForm
from ocop.stamps.models import CounterfeitSignal
from ocop.stamps.printing import qr_content, sheet_pdf, sheet_svg, stream_lines
from ocop.stamps.queries import batches_for, dashboard, orderable_products, signals_for
from ocop.stamps.rules import may_act, may_download
from ocop.stamps.serials import grouped, serial_range

from ..actions import run_action, run_form, scoped_object

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

    def order():
        data = dict(form.cleaned_data)
        return domain.order_batch(data.pop("product"), actor=request.user, **data)

    answer, _status = run_form(
        request,
        form,
        order,
        done=_("The batch is ordered; the provincial office will approve it."),
        then=lambda batch: redirect("backoffice:stamp_batch_detail", pk=batch.pk),
    )
    return answer or render(request, "backoffice/stamps/order.html", {"form": form})


def _batch_for(request, pk, perm="stamps.view_batch"):
    queryset = batches_for(request.user).select_related("product", "product__producer", "certificate")
    return scoped_object(request, queryset, pk, perm)


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
        "can_download": may_download(user, batch),
        "sheet_ok": batch.quantity <= SHEET_MAX,
        "sheet_max": SHEET_MAX,
        "signals": batch.signals.all()[:50],
        "samples": samples,
        "reason_form": ReasonForm(),
    }
    return render(request, "backoffice/stamps/detail.html", context)


def _batch_action(perm, change, text_arg, done):
    """A POST on one batch (approve, refuse, block, unblock): `change(batch, actor=..., <text_arg>=...)`
    with the reason or note the officer wrote."""

    @login_required
    @require_POST
    def view(request, pk):
        batch = _batch_for(request, pk, perm)
        text = (request.POST.get("reason") or "").strip()[:1000]
        return run_action(
            request,
            lambda: change(batch, actor=request.user, **{text_arg: text}),
            back=lambda: redirect("backoffice:stamp_batch_detail", pk=pk),
            done=done,
        )

    return view


batch_approve = _batch_action(
    "stamps.approve_batch", domain.approve_batch, "note", _("The batch is approved.")
)
batch_reject = _batch_action("stamps.approve_batch", domain.reject_batch, "note", _("The batch is refused."))
batch_block = _batch_action(
    "stamps.block_batch", domain.block_batch, "reason", _("The batch is blocked: its stamps now show red.")
)
batch_unblock = _batch_action(
    "stamps.block_batch", domain.unblock_batch, "note", _("The batch is unblocked.")
)


def _downloadable(request, pk):
    batch = _batch_for(request, pk, "stamps.download_batch")
    if not may_download(request.user, batch):
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
    return run_action(
        request,
        lambda: domain.set_signal_status(signal, request.POST.get("status", ""), actor=request.user),
        done=_("Signal updated."),
        back=lambda: redirect("backoffice:counterfeit_dashboard"),
    )


__all__ = ["CounterfeitSignal", "SignalStatus"]
