from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ocop.registry.queries import producers_for, products_for


@login_required
def home(request):
    """The staff's and producers' start page: what concerns them now."""
    user = request.user
    context = {
        "producer": user.producer,
        "producers_count": producers_for(user).count(),
        "products_count": products_for(user).count(),
        "pending_producers": producers_for(user).filter(status="pending").count()
        if user.has_perm("registry.import_products")
        else 0,
        "roles": user.assignments,
    }
    return render(request, "backoffice/home.html", context)
