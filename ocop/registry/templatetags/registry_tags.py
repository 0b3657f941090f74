from django import template

from ocop.registry.privacy import public_address as public_address_of

register = template.Library()


@register.filter
def public_address(obj):
    """As `geo_tags.address`, for public pages: a household's street (its home) is left out
    (`ocop.registry.privacy.public_address`)."""
    return public_address_of(obj) if obj is not None and getattr(obj, "commune_id", None) else None
