from django.urls import NoReverseMatch, reverse

from .nav import OFFICE_NAV


def office_nav(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for url_name, label, perm in OFFICE_NAV:
        if perm is not None and not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # an area that is not installed in this deployment
            continue
        items.append({"url": url, "label": label, "name": url_name})
    return {"office_nav": items}
