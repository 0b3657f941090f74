"""Import of a province's existing list of certified OCOP products from an Excel workbook.

`import_products(source, actor=..., dry_run=...)` reads the first sheet (header row 1), checks every
row, and then writes everything in one transaction, or nothing at all when any row is bad. Each bad
row becomes one line `Dòng N: <reason>` (N is the spreadsheet row, the header being row 1); the
reasons are Vietnamese whatever the active language, as the provincial offices read them.

Identity, so that importing the same file twice creates nothing new:
- producer: its tax code when the row has one, otherwise its folded name and commune (compared on
  the current map, so a 2022 row and a 2025 row of the same household meet);
- product: producer and folded name;
- certificate: product, decision number (folded) and decision date.

Units are resolved on the map in force at the decision date (`ocop.geo.enums.map_for`); the whole
map of a province is read once and matched in memory, so a 20,000-row file costs a few dozen
queries before the bulk inserts.

Three steps, one module each: `read` (the workbook and its cells), `match` (rows checked, units found,
records matched), `write` (one transaction, certificates through `ocop.certificates.domain`). The
import lives in the certificates app because it writes certificates together with the producers and
products they are of (the registry sits below certificates: tests/test_layout.py)."""

from .match import (  # noqa: F401
    CHUNK,
    EARLIEST_DECISION,
    ImportRow,
    _both_maps,
    _check_matched_producers,
    _check_row,
    _check_scope,
    _Gazetteer,
    _in_chunks,
    _map_label,
    _match_records,
    _new_producer,
    _resolve_units,
    _scope_units,
    _Units,
    check_rows,
)
from .read import (  # noqa: F401
    _DONG_DIGIT_RE,
    _HEADER_KEYS,
    _NEEDS_SPACES_RE,
    _NO,
    _SET_NAMES,
    _SET_NUMBER_RE,
    _SPACES_RE,
    _STAR_RE,
    _TIME_SUFFIX_RE,
    _YES,
    COLUMNS,
    MAX_ROWS,
    REQUIRED,
    TEMPLATE_EXAMPLE,
    ImportFileError,
    _check_archive,
    _fmt,
    _fold,
    _header_positions,
    _limit,
    _quote,
    _text,
    parse_date,
    parse_product_set,
    parse_score,
    parse_star,
    parse_tax_code,
    read_workbook,
    template_workbook,
)
from .write import (  # noqa: F401
    IMPORT_LOCK,
    ImportResult,
    _checked,
    _count,
    _log_created,
    _write,
    import_products,
)
