from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .nav import OFFICE_GROUPS, OFFICE_NAV


def office_nav(request):
    """The office menu the user may use, grouped; entries whose area is not installed are skipped."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = {}
    for url_name, label, perm in OFFICE_NAV:
        if perm is not None and not user.has_perm(perm):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items[url_name] = {
            "url": url,
            "label": label,
            "name": url_name,
            "current": request.path.startswith(url),
        }
    groups = []
    for heading, names in OFFICE_GROUPS:
        entries = [items.pop(name) for name in names if name in items]
        if entries:
            groups.append({"label": heading, "items": entries, "current": any(e["current"] for e in entries)})
    if items:
        groups.append({"label": _("More"), "items": list(items.values()), "current": False})
    return {"office_nav": [e for g in groups for e in g["items"]], "office_groups": groups}
