from django import template

from ocop.backoffice.history import describe

register = template.Library()


@register.filter
def sentence(entry):
    """An ActivityLog row as a sentence (ocop/backoffice/history.py)."""
    return describe(entry)
