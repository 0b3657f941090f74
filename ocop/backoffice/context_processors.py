from django.urls import reverse

from .nav import OFFICE_NAV


def office_nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for url_name, label, perm in OFFICE_NAV:
        if perm is None or user.has_perm(perm):
            items.append({"url": reverse(url_name), "label": label, "name": url_name})
    return {"office_nav": items}
