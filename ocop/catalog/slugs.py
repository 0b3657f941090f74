from django.utils.text import slugify

from ocop.core.text import fold


def slug_for(name):
    return slugify(fold(name))[:80] or "-"
