from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from ocop.registry.enums import ProducerStatus
from ocop.registry.queries import producers_for, products_for

from ..nav import HOME_PANELS


def _panels(request):
    html = []
    for path in HOME_PANELS:
        result = import_string(path)(request)
        if result is not None:
            template, context = result
            html.append(render_to_string(template, context, request=request))
    return html


@login_required
def home(request):
    """The staff's and producers' start page: what concerns them now."""
    user = request.user
    can_approve = user.has_perm("registry.import_products")
    pending = (
        producers_for(user).filter(status=ProducerStatus.PENDING).select_related("commune")
        if can_approve
        else []
    )
    context = {
        "producer": user.producer,
        "producers_count": producers_for(user).count(),
        "products_count": products_for(user).count(),
        "pending_producers": list(pending[:10]) if can_approve else [],
        "roles": user.assignments,
        "panels": _panels(request),
    }
    return render(request, "backoffice/home.html", context)
