"""Safe values for CSV and XLSX exports (formula injection, CWE-1236).

A spreadsheet treats a cell that starts with = + - @ (or a tab / carriage return, which some programs
strip before parsing) as a formula: a producer naming a product `=HYPERLINK("http://evil", "Open")`
would run in the officer's Excel. Every text cell of every export goes through `safe_cell`, which
prefixes such text with an apostrophe (shown as text, as OWASP recommends). Numbers stay numbers, so
-5 in a numeric column is untouched; only text is neutralised.

    writer.writerow([safe_cell(v) for v in row])          # CSV
    sheet.append([safe_cell(v) for v in row])             # openpyxl
"""

import datetime
import decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value` unchanged unless it is text a spreadsheet would read as a formula."""
    if value is None or isinstance(
        value, (bool, int, float, decimal.Decimal, datetime.date, datetime.datetime, datetime.time)
    ):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_row(values):
    return [safe_cell(v) for v in values]
