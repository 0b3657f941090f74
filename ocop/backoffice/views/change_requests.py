"""Change requests: what a producer asked to change that only the office may change (its commune or
tax code; a certified product's name, set or code). The office lists them, approves or refuses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ocop.registry import domain
from ocop.registry.enums import ChangeRequestStatus
from ocop.registry.models import ChangeRequest
from ocop.registry.queries import producers_for

from ..actions import run_action


def _requests_for(user):
    return ChangeRequest.objects.filter(producer__in=producers_for(user)).select_related(
        "producer", "product", "requested_by", "decided_by"
    )


@login_required
def change_request_list(request):
    if not request.user.has_perm("registry.review_changes"):
        raise PermissionDenied
    status = request.GET.get("status", ChangeRequestStatus.PENDING)
    qs = _requests_for(request.user)
    if status in ChangeRequestStatus.values:
        qs = qs.filter(status=status)
    context = {
        "page": Paginator(qs, 25).get_page(request.GET.get("page")),
        "statuses": ChangeRequestStatus.choices,
        "status": status,
    }
    return render(request, "backoffice/registry/change_request_list.html", context)


def _request_for(request, pk):
    change_request = get_object_or_404(_requests_for(request.user), pk=pk)
    if not request.user.has_perm("registry.approve_producer", change_request.producer):
        raise PermissionDenied
    return change_request


@login_required
def change_request_detail(request, pk):
    change_request = _request_for(request, pk)
    context = {"req": change_request, "pending": change_request.status == ChangeRequestStatus.PENDING}
    return render(request, "backoffice/registry/change_request_detail.html", context)


@login_required
@require_POST
def change_request_decide(request, pk):
    change_request = _request_for(request, pk)
    action, note = request.POST.get("action"), request.POST.get("note", "")
    decide, done = DECISIONS.get(action, (None, None))
    if decide is None:
        messages.error(request, _("Choose to approve or to refuse."))
        return redirect("backoffice:change_request", change_request.pk)
    return run_action(
        request,
        lambda: decide(change_request, actor=request.user, note=note),
        done=done,
        back=lambda: redirect("backoffice:change_request", change_request.pk),
        refused=lambda exc: render(
            request,
            "backoffice/registry/change_request_detail.html",
            {"req": change_request, "pending": True, "note": note},
            status=exc.status,
        ),
    )


DECISIONS = {
    "approve": (domain.approve_change_request, gettext_lazy("Change approved and applied.")),
    "refuse": (domain.refuse_change_request, gettext_lazy("Change refused.")),
}
