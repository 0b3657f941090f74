"""Lay a `Report` out as text, XLSX (one sheet per table) or PDF (WeasyPrint).

Reproducible: no timestamps from the clock. XLSX document properties carry the report date and the
zip entries a fixed time; the PDF carries no creation date."""

import datetime
import io
import re
import zipfile

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ocop.core.exports import safe_row
from ocop.core.formats import format_number

from .report import DATE, INT, PCT, TEXT

FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _cell_text(value, kind):
    if value is None or value == "":
        return ""
    if kind == INT:
        return format_number(value)
    if kind == PCT:
        return format_number(value * 100, 2) + "%"
    if kind == DATE:
        return value.strftime("%d/%m/%Y")
    return str(value)


def table_text_rows(table):
    return [
        [_cell_text(v, kind) for v, (_label, kind) in zip(row, table.columns, strict=False)]
        for row in table.rows
    ]


def to_text(report, *, tables=True):
    lines = [report.title.upper(), report.subtitle, report.map_note, ""]
    for paragraph in report.paragraphs:
        lines += [paragraph, ""]
    if tables:
        for table in report.tables:
            lines += [*_text_table(table), ""]
    return "\n".join(lines).rstrip() + "\n"


def _text_table(table):
    header = [label for label, _kind in table.columns]
    rows = table_text_rows(table)
    widths = (
        [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]
        if rows
        else [len(h) for h in header]
    )
    right = [kind in (INT, PCT) for _label, kind in table.columns]

    def fmt(cells):
        return "  ".join(
            (str(c).rjust(w) if r else str(c).ljust(w)) for c, w, r in zip(cells, widths, right, strict=False)
        ).rstrip()

    out = [table.title, "-" * len(table.title), fmt(header), fmt(["-" * w for w in widths])]
    out += [fmt(r) for r in rows]
    if not rows:
        out.append(_("(none)"))
    return out


# ---- XLSX ----------------------------------------------------------------------------------------


def to_xlsx(report):
    # openpyxl loads only when a workbook is read or written
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    moment = datetime.datetime.combine(report.scope.as_of, datetime.time())
    wb.properties.created = wb.properties.modified = moment
    wb.properties.creator = "OCOP platform"
    wb.properties.title = report.title
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F6F43")
    sheet = wb.active
    sheet.title = _sheet_name(_("Report"))
    sheet["A1"] = report.title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = report.subtitle
    sheet["A3"] = report.map_note
    for i, paragraph in enumerate(report.paragraphs, start=5):
        sheet.cell(row=i, column=1, value=paragraph).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 120
    formats = {INT: "#,##0", PCT: "0.00%", DATE: "DD/MM/YYYY", TEXT: "@"}
    used = {sheet.title}
    for table in report.tables:
        ws = wb.create_sheet(_unique(_sheet_name(table.title), used))
        ws.append([label for label, _kind in table.columns])
        for cell in ws[1]:
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in table.rows:
            ws.append(safe_row(row))
        for col, (label, kind) in enumerate(table.columns, start=1):
            letter = get_column_letter(col)
            for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                if cell.value is not None:
                    cell.number_format = formats[kind]
            longest = max([len(str(label))] + [len(_cell_text(r[col - 1], kind)) for r in table.rows[:500]])
            ws.column_dimensions[letter].width = min(max(8, longest + 2), 60)
        ws.freeze_panes = "A2"
        if table.rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fix_zip_times(buffer.getvalue(), moment)


def _sheet_name(title):
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31]


def _unique(name, used):
    candidate, i = name, 2
    while candidate in used:
        candidate = f"{name[:28]} {i}"
        i += 1
    used.add(candidate)
    return candidate


def _fix_zip_times(data, moment):
    """Rewrite the zip with a fixed time on every entry and the report date as the document's
    modification time (openpyxl stamps "now"), so the same report gives the same bytes."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", content
                )
            target.writestr(fixed, content)
    return out.getvalue()


# ---- PDF -----------------------------------------------------------------------------------------


def to_html(report):
    """HTML for WeasyPrint. Long lists stay light: the product list is one line per product and the
    commune table lists only communes with products (the XLSX keeps every row), so that a province
    of several hundred products lays out in a few seconds."""
    tables = []
    for t in report.tables:
        rows = table_text_rows(t)
        if t.key == "communes":
            products_col = next(i for i, (_l, k) in enumerate(t.columns) if k == INT)
            rows = [r for r, raw in zip(rows, t.rows, strict=False) if raw[products_col]]
        entry = {"title": t.title, "columns": t.columns, "widths": _widths(t)}
        if t.key == "products":
            entry["lines"] = [_product_line(r) for r in rows]
        else:
            right = [k in (INT, PCT) for _l, k in t.columns]
            entry["rows"] = [list(zip(row, right, strict=False)) for row in rows]
        tables.append(entry)
    return render_to_string("backoffice/reports/report_pdf.html", {"report": report, "tables": tables})


def _product_line(cells):
    number, name, producer, commune, stars, potential, certificate, issued, valid_until = cells
    star = f"{stars}★" + (f" ({_('potential 5★')})" if potential else "")
    return {
        "number": number,
        "name": name,
        "rest": f"{producer} – {commune} – {star} – {certificate}, {issued}–{valid_until}",
    }


def _widths(table):
    """Column widths in percent from the longest text in each column (fixed layout is much faster)."""
    rows = table_text_rows(table)[:300]
    longest = [
        max([len(str(label)) * 0.8, 4] + [len(r[i]) for r in rows])
        for i, (label, _k) in enumerate(table.columns)
    ]
    longest = [min(value, 45) for value in longest]
    total = sum(longest)
    return [f"{value * 100 / total:.2f}" for value in longest]


def to_pdf(report):
    # WeasyPrint (heavy) loads only when a PDF is made
    from weasyprint import HTML

    html = to_html(report)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
