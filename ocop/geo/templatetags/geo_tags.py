from django import template

from ocop.geo.authority import address_of

register = template.Library()


@register.filter
def address(obj):
    """`{% with a=producer|address %}{% include "includes/address.html" with line=a.line former=a.former %}`:
    today's address on the current map, with the former one (`ocop.geo.authority.address_of`)."""
    return address_of(obj) if obj is not None and getattr(obj, "commune_id", None) else None
