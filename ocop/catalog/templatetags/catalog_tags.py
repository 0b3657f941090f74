from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ocop.core.formats import format_number

from ..slugs import slug_for

register = template.Library()

# The public menu. Pages of other areas appear only once their URL exists.
PUBLIC_MENU = [
    ("catalog:home", _("Home")),
    ("catalog:catalogue", _("Products")),
    ("catalog:map", _("Where to buy")),
    ("catalog:events", _("Fairs and events")),
    ("verify:form", _("Check a product")),
    ("practice:practice", _("Try the scoring")),
    ("reports:dashboard", _("Figures")),
    ("catalog:open_data", _("Open data")),
]


@register.simple_tag(takes_context=True)
def public_menu(context):
    request = context.get("request")
    path = request.path.lower() if request is not None else ""  # /V/<serial>: QR codes are upper case
    # A page rendered for many paths (the cached verify page, rendered with a placeholder path) names
    # its menu entry itself.
    chosen = context.get("menu_current")
    items = []
    for name, label in PUBLIC_MENU:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = name == chosen if chosen else path == url or (url != "/" and path.startswith(url))
        items.append({"url": url, "label": label, "current": current})
    return items


@register.filter
def star_glyphs(star):
    try:
        return "★" * int(star)
    except (TypeError, ValueError):
        return ""


@register.filter
def number(value, decimals=0):
    if value is None or value == "":
        return "—"
    return format_number(value, int(decimals))


@register.filter
def url_with(request, args):
    """The current query string with some parameters replaced: {{ request|url_with:"sort=name" }}."""
    params = request.GET.copy()
    params.pop("page", None)
    for pair in str(args).split("&"):
        key, _sep, value = pair.partition("=")
        if value:
            params[key] = value
        else:
            params.pop(key, None)
    return "?" + params.urlencode()


@register.filter
def seo_slug(name):
    return slug_for(name)
