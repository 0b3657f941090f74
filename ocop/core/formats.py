"""Number formats for reports: Vietnamese by default (1.234,5 and 26,11%)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation


def _separators(lang):
    return (",", ".") if (lang or translation.get_language() or "vi").startswith("vi") else (".", ",")


def format_number(value, decimals=0, lang=None):
    decimal_sep, thousand_sep = _separators(lang)
    quant = Decimal(1).scaleb(-decimals)
    number = Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = thousand_sep.join(groups)
    return sign + text + (decimal_sep + frac if decimals else "")


def percent(numerator, denominator):
    """Exact ratio as a Decimal percentage (None when the denominator is 0)."""
    if not denominator:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def format_percent(numerator, denominator, decimals=2, lang=None):
    value = percent(numerator, denominator)
    if value is None:
        return "–"
    return format_number(value, decimals, lang) + "%"
