"""Stamp print files: a CSV stream of 1,000,000 serials (< 10 s, constant memory) and label sheets of
1,000 labels as PDF and SVG (< 15 s). No database: the batch is an unsaved model instance.

    .venv/bin/python bench/stamps_print.py [--lines 1000000] [--labels 1000] [--keep DIR]
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")

import django

django.setup()

from ocop.certificates.models import Certificate  # noqa: E402
from ocop.registry.models import Product  # noqa: E402
from ocop.stamps.models import StampBatch  # noqa: E402
from ocop.stamps.printing import sheet_pdf, sheet_svg, stream_lines  # noqa: E402


def batch_of(quantity):
    product = Product(pk=1, name="Kẹo dừa sáp Thanh Long hộp 500 g", gtin="8935000000019", product_set=7)
    certificate = Certificate(pk=1, number="83-00001-2025", star=4)
    return StampBatch(pk=123_456, product=product, certificate=certificate, quantity=quantity, key_id=1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--labels", type=int, default=1_000)
    parser.add_argument("--keep", default="")
    args = parser.parse_args()

    started = time.perf_counter()
    size = lines = 0
    for chunk in stream_lines(batch_of(args.lines), "csv"):
        size += len(chunk)
        lines += chunk.count("\n")
    csv_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000

    started = time.perf_counter()
    pdf = sheet_pdf(batch_of(args.labels))
    pdf_seconds = time.perf_counter() - started
    started = time.perf_counter()
    svg = sheet_svg(batch_of(args.labels))
    svg_seconds = time.perf_counter() - started
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        Path(args.keep, "sheet.pdf").write_bytes(pdf)
        Path(args.keep, "sheet.svg").write_text(svg)

    result = {
        "csv_lines": lines - 1,
        "csv_megabytes": round(size / 1e6, 1),
        "csv_seconds": round(csv_seconds, 2),
        "process_peak_rss_mb": round(peak_mb, 1),
        "labels": args.labels,
        "pdf_seconds": round(pdf_seconds, 2),
        "pdf_kilobytes": len(pdf) // 1000,
        "svg_seconds": round(svg_seconds, 2),
        "targets": {"csv_seconds": 10, "sheet_seconds": 15},
    }
    out = Path(__file__).resolve().parent / "results" / "stamps_print.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
