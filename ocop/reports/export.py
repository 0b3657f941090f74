"""The national report export: one row per product certificate in the sector's OCOP data table
fields (administrative-unit code, period, product code, product name, star, producer, revenue,
status), as XLSX or CSV.

Rows: every product certified on the date, plus every certificate that was revoked or expired
without renewal during the period (1 January to the date), with its status on the date."""

import csv
import datetime
import io

from django.db.models import Q
from django.utils.translation import gettext as _

from ocop.certificates.models import Certificate
from ocop.core.exports import safe_row

from .kpis import period_start
from .render import _fix_zip_times

COLUMNS = [
    "unit_code",
    "province_code",
    "period",
    "product_code",
    "product_name",
    "product_set",
    "star",
    "potential_5_star",
    "producer",
    "producer_kind",
    "certificate_number",
    "issued_on",
    "valid_until",
    "revenue",
    "status",
]


def headers():
    return [
        _("Administrative unit code"),
        _("Province code"),
        _("Period"),
        _("Product code"),
        _("Product name"),
        _("Product set"),
        _("Stars"),
        _("Potential 5★"),
        _("Producer"),
        _("Producer kind"),
        _("Certificate number"),
        _("Issued on"),
        _("Valid until"),
        _("Revenue (VND)"),
        _("Status"),
    ]


def rows(scope):
    start, end = period_start(scope.as_of), scope.as_of
    cf = scope.commune_field
    valid_ids = set(
        Certificate.objects.valid_on(end)
        .filter(scope.producer_q("product__producer__"))
        .values_list("pk", flat=True)
    )
    ended = Certificate.objects.filter(scope.producer_q("product__producer__")).filter(
        Q(revoked_on__range=(start, end)) | Q(expires_on__range=(start, end), superseded_on__isnull=True)
    )
    ids = valid_ids | set(ended.values_list("pk", flat=True))
    certs = (
        Certificate.objects.filter(pk__in=ids)
        .select_related(
            "product", "product__producer", f"product__producer__{cf}", f"product__producer__{cf}__province"
        )
        .order_by(f"product__producer__{cf}__code", "product__name", "number")
    )
    period = f"{start:%d/%m/%Y}-{end:%d/%m/%Y}"
    for cert in certs:
        commune = getattr(cert.product.producer, cf)
        yield [
            commune.code if commune else "",
            commune.province.code if commune else "",
            period,
            cert.product.code or f"P{cert.product_id}",
            cert.product.name,
            cert.product.product_set,
            cert.star,
            cert.potential_5_star,
            cert.product.producer.name,
            cert.product.producer.kind,
            cert.number,
            cert.issued_on,
            cert.valid_until,
            None,
            cert.status_on(end).value if hasattr(cert.status_on(end), "value") else cert.status_on(end),
        ]


def to_csv(scope):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows(scope):
        writer.writerow(
            safe_row(["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else v) for v in row])
        )
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(scope):
    # openpyxl loads only when a workbook is read or written
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    moment = datetime.datetime.combine(scope.as_of, datetime.time())
    wb.properties.created = wb.properties.modified = moment
    ws = wb.active
    ws.title = "OCOP"
    ws.append(headers())
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F6F43")
    for cell in ws[2]:
        cell.font = Font(italic=True, color="666666")
    for row in rows(scope):
        ws.append(safe_row(row))
    for letter in ("L", "M"):
        for (cell,) in ws.iter_rows(min_row=3, min_col=ord(letter) - 64, max_col=ord(letter) - 64):
            cell.number_format = "DD/MM/YYYY"
    for i, width in enumerate([10, 8, 22, 18, 40, 8, 6, 8, 40, 14, 18, 12, 12, 14, 10], start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    ws.freeze_panes = "A3"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _fix_zip_times(buffer.getvalue(), moment)
