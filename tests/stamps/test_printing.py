import io
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from ocop.stamps.printing import qr_content, sheet_pdf, sheet_svg, stream_lines
from ocop.stamps.serials import parse_serial, serial_range

from .helpers import approved_batch

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_csv_stream_lists_every_serial_with_its_url(certificate, vinh_long_officer):
    batch = approved_batch(certificate, actor=vinh_long_officer, quantity=5000)

    text = "".join(stream_lines(batch, "csv"))

    lines = text.split("\r\n")
    assert lines[0] == "serial,url"
    assert len(lines) == 5002 and lines[-1] == ""
    serials = [line.split(",")[0] for line in lines[1:-1]]
    assert serials == list(serial_range(batch.pk, 0, 5000, batch.key_id))
    assert lines[4000] == f"{serials[3999]},{qr_content(serials[3999])}"
    assert len(set(serials)) == 5000


def test_pdf_sheet_rendered_to_png_has_decodable_qr_codes(certificate, vinh_long_officer, tmp_path):
    batch = approved_batch(certificate, actor=vinh_long_officer, quantity=10)
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(sheet_pdf(batch))

    subprocess.run(
        [
            shutil.which("pdftoppm"),
            "-r",
            "300",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("page*.png")))
    decoded = sorted(r.text for r in zxingcpp.read_barcodes(image))

    expected = sorted(qr_content(s) for s in serial_range(batch.pk, 0, 10, batch.key_id))
    assert decoded == expected
    assert all(parse_serial(text.rsplit("/", 1)[1]) is not None for text in decoded)


def test_svg_sheet_has_decodable_qr_codes(certificate, vinh_long_officer, tmp_path):
    batch = approved_batch(certificate, actor=vinh_long_officer, quantity=6)
    svg = tmp_path / "sheet.svg"
    svg.write_text(sheet_svg(batch))
    png = tmp_path / "sheet.png"

    subprocess.run(
        [
            shutil.which("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={png}",
            "--window-size=1600,2263",
            f"file://{svg}",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    decoded = sorted(r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.read_bytes()))))

    assert decoded == sorted(qr_content(s) for s in serial_range(batch.pk, 0, 6, batch.key_id))


def test_pdf_of_2000_labels_stays_well_under_10_mb(certificate, vinh_long_officer):
    batch = approved_batch(certificate, actor=vinh_long_officer, quantity=2000)

    pdf = sheet_pdf(batch)

    # 31 pages of 65 labels: about 2 MB as bilevel pages (it was about 60 MB as colour JPEG pages).
    assert (pdf[:5], len(pdf) < 4 * 1024 * 1024) == (b"%PDF-", True), len(pdf)
