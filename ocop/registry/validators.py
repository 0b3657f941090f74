import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Enterprise/cooperative tax codes: 10 digits, branches 10-3; since 2025 households use the owner's
# 12-digit personal number; older household registrations look like 56A8001234.
TAX_CODE_RE = re.compile(r"^(\d{10}(-\d{3})?|\d{12}|\d{2}[A-Z]\d{6,8})$")


def normalize_tax_code(value):
    return re.sub(r"\s+", "", str(value or "")).upper()


def validate_tax_code(value):
    if value and not TAX_CODE_RE.match(value):
        raise ValidationError(
            _(
                "Tax or business registration code must be 10 digits (or 10-3 for a branch), 12 digits, "
                "or a household registration code such as 56A8001234."
            ),
            code="tax_code",
        )


def gtin_check_digit(body):
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def validate_gtin(value):
    if not value:
        return
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise ValidationError(_("A GTIN has 8, 12, 13 or 14 digits."), code="gtin_length")
    if gtin_check_digit(value[:-1]) != int(value[-1]):
        raise ValidationError(_("The GTIN check digit is wrong."), code="gtin_check")
