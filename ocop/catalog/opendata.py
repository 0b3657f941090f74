"""Open data: certified products as of a day, in a stable, documented schema (docs/open-data.md).

Nothing private: no tax codes, no phone numbers, no personal names; only what a certificate states
publicly. Every text cell of the CSV and XLSX files goes through `safe_cell` (formula injection); the
JSON document carries the names as they are. Schema version 1; new columns are only ever appended."""

import csv
import io
import json

from django.conf import settings

from ocop.certificates.models import Certificate
from ocop.core.exports import safe_cell
from ocop.geo.enums import commune_field
from ocop.registry.enums import PRODUCT_SET_VI

from .search import public_products
from .slugs import slug_for

SCHEMA_VERSION = 1
LICENSE = "CC-BY-4.0"
COLUMNS = [
    "product_id",
    "product_name",
    "product_set",
    "product_set_name",
    "star",
    "potential_5_star",
    "producer_id",
    "producer_name",
    "producer_kind",
    "commune_code",
    "commune_name",
    "province_code",
    "province_name",
    "certificate_number",
    "issued_on",
    "valid_until",
    "url",
    # appended (schema 1 keeps its columns): traceability facts, "code (issuer, issued on)" joined by "; "
    "growing_area_codes",
    "facility_codes",
]


def _trace(product, kind):
    return "; ".join(
        f"{t.code} ({t.issuer}, {t.issued_on.isoformat()})"
        for t in product.trace_codes.all()
        if t.kind == kind
    )


def rows(day):
    """One row per product certified on `day` (its highest valid certificate), ordered by product id."""
    prefix = commune_field(day)
    certs = (
        Certificate.objects.valid_on(day)
        .filter(product__in=public_products())
        .select_related(
            "product",
            "product__producer",
            f"product__producer__{prefix}",
            f"product__producer__{prefix}__province",
        )
        .prefetch_related("product__trace_codes")
        .order_by("product_id", "-star", "-issued_on")
    )
    seen = set()
    for c in certs.iterator(chunk_size=2000):
        if c.product_id in seen:
            continue
        seen.add(c.product_id)
        product, producer = c.product, c.product.producer
        commune = getattr(producer, prefix)
        yield {
            "product_id": product.pk,
            "product_name": product.name,
            "product_set": product.product_set,
            "product_set_name": PRODUCT_SET_VI[product.product_set],
            "star": c.star,
            "potential_5_star": c.potential_5_star,
            "producer_id": producer.pk,
            "producer_name": producer.name,
            "producer_kind": producer.kind,
            "commune_code": commune.code if commune else "",
            "commune_name": commune.name if commune else "",
            "province_code": commune.province.code if commune else "",
            "province_name": commune.province.name if commune else "",
            "certificate_number": c.number,
            "issued_on": c.issued_on.isoformat(),
            "valid_until": c.valid_until.isoformat(),
            "url": f"{settings.SITE_URL}/products/{product.pk}/{slug_for(product.name)}/",
            "growing_area_codes": _trace(product, "growing_area"),
            "facility_codes": _trace(product, "facility"),
        }


def as_csv(day):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(day):
        row = {**row, "potential_5_star": "true" if row["potential_5_star"] else "false"}
        writer.writerow({column: safe_cell(value) for column, value in row.items()})
    return buffer.getvalue().encode("utf-8")


def as_json(day):
    items = list(rows(day))
    doc = {
        "schema_version": SCHEMA_VERSION,
        "license": LICENSE,
        "as_of": day.isoformat(),
        "count": len(items),
        "columns": COLUMNS,
        "items": items,
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def as_xlsx(day):
    # openpyxl loads only when a workbook is read or written
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("ocop_products")
    sheet.append(COLUMNS)
    for row in rows(day):
        sheet.append([safe_cell(row[c]) for c in COLUMNS])
    about = book.create_sheet("about")
    about.append(["schema_version", SCHEMA_VERSION])
    about.append(["license", LICENSE])
    about.append(["as_of", day.isoformat()])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMATS = {
    "csv": (as_csv, "text/csv; charset=utf-8"),
    "json": (as_json, "application/json"),
    "xlsx": (as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
