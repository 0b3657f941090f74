"""Whole numbers from request parameters (query string, form fields), parsed in one place.

`"99999999999999999999".isdigit()` is true, and so is `"²".isdigit()`: the first overflows SQLite's
INTEGER (OverflowError) or PostgreSQL's integer/bigint (DataError), the second makes `int()` raise.
Both were 500s. `int_param` accepts ASCII digits only, within the range the database column can hold,
and refuses anything else with `BadParameter` (400, a clear message; the API answers it as JSON).

    round_id = int_param(request.GET, "round", maximum=ID_MAX)        # None when absent or blank
    quorum = int_param(request.POST, "quorum", minimum=1, maximum=100)
    ids = int_list(request.POST.getlist("dossiers"))                  # junk entries dropped

`is_out_of_range(exc)` recognises the database's own overflow errors, so that a number this module
did not see (a path id, a body field) still ends as a 400 rather than a 500 (`ocop.core.middleware`).
"""

import re

from django.db import DataError
from django.utils.translation import gettext as _

from .errors import DomainError

SMALLINT_MAX = 32767  # PositiveSmallIntegerField on PostgreSQL
INT_MAX = 2**31 - 1  # IntegerField on PostgreSQL
ID_MAX = 2**63 - 1  # BigAutoField; also SQLite's INTEGER
DIGITS = re.compile(r"[0-9]{1,19}")
OUT_OF_RANGE_SQLSTATE = "22003"  # PostgreSQL numeric_value_out_of_range


class BadParameter(DomainError):
    status = 400

    def __init__(self, message, *, code="bad_parameter"):
        super().__init__(message, code=code)


def parse_int(raw, *, name, minimum=0, maximum=INT_MAX):
    """`raw` (text) as an int in [minimum, maximum]; `BadParameter` naming `name` (a parameter name
    or a translated label) otherwise."""
    text = str(raw).strip()
    if DIGITS.fullmatch(text) and minimum <= int(text) <= maximum:
        return int(text)
    if maximum >= INT_MAX:  # an id: its bound means nothing to a reader
        raise BadParameter(_("%(name)s is not a valid number.") % {"name": name})
    raise BadParameter(
        _("%(name)s must be a whole number from %(min)s to %(max)s.")
        % {"name": name, "min": minimum, "max": maximum}
    )


def int_param(params, name, *, minimum=0, maximum=INT_MAX, default=None, label=None):
    """The whole number `params[name]` (a QueryDict or dict), or `default` when absent or blank;
    a refusal names `label` (translated) or else the parameter's name."""
    raw = params.get(name)
    if raw is None or not str(raw).strip():
        return default
    return parse_int(raw, name=label or name, minimum=minimum, maximum=maximum)


def int_list(values, *, maximum=ID_MAX):
    """The entries of `values` that are ids (ASCII digits, 1..maximum); the rest are dropped."""
    return [int(v) for v in values if DIGITS.fullmatch(str(v)) and 1 <= int(v) <= maximum]


def page_param(raw):
    """A page number for `Paginator.get_page`: blank or junk stays as it is (get_page answers the
    first page, a number past the end the last), a number no list could reach is refused."""
    text = str(raw or "").strip()
    if text.isascii() and text.isdigit() and int(text) > INT_MAX:
        raise BadParameter(_("The page number is too large."))
    return text


def is_nul_refusal(exc):
    """True for PostgreSQL's refusal of a text containing a NUL character (0x00): no record holds one, so
    the request is refused as bad input (SQLite stores it and simply finds nothing)."""
    return isinstance(exc, (DataError, ValueError)) and "NUL" in str(exc)


def is_out_of_range(exc):
    """True for the database's refusal of a number too large for its column."""
    if isinstance(exc, OverflowError):  # sqlite3 binding a Python int beyond 64 bits
        return True
    if isinstance(exc, DataError):
        cause = exc.__cause__
        return getattr(cause, "sqlstate", None) == OUT_OF_RANGE_SQLSTATE or "out of range" in str(exc)
    return False
