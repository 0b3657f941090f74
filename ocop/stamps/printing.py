"""What printing houses get: QR contents, a CSV/TXT stream of serials, and label sheets (SVG, PDF)."""

import base64
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape

from .serials import grouped, serial_range

QR_MAX_VERSION = 4
QR_ERROR = "m"
_ALNUM = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def _site():
    return settings.SITE_URL.rstrip("/")


def gtin14(gtin):
    return gtin.zfill(14) if gtin else ""


def stamp_path(serial, gtin=""):
    """/01/<gtin14>/21/<serial> (GS1 Digital Link) when the product has a GTIN, else /v/<serial>."""
    return f"/01/{gtin14(gtin)}/21/{serial}" if gtin else f"/v/{serial}"


def qr_content(serial, gtin=""):
    """The URL in the QR code. When the site address has no path it is written in upper case (host
    names ignore case, /V/ is routed too) so the QR uses alphanumeric mode: version ≤ 4 at ECC M."""
    site = _site()
    path = stamp_path(serial, gtin)
    if urlsplit(site).path in ("", "/"):
        upper = (site + path).upper()
        if set(upper) <= _ALNUM:
            return upper
    return site + path


def make_qr(content):
    qr = segno.make_qr(content, error=QR_ERROR, boost_error=False)
    if qr.version > QR_MAX_VERSION:
        raise ValueError(f"QR version {qr.version} > {QR_MAX_VERSION}: SITE_URL is too long for small stamps")
    return qr


def qr_svg_data_uri(content, scale=4):
    svg = make_qr(content).svg_inline(scale=scale, border=2, nl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def stream_lines(batch, fmt="csv", chunk=4096):
    """Yield the print file in chunks: `serial,url` (CSV with a header) or `serial url` (TXT).
    Constant memory whatever the quantity."""
    gtin = batch.product.gtin
    site = qr_content("X", gtin)[: -len("X")]  # the URL up to the serial, same case rules
    sep = "," if fmt == "csv" else " "
    end = "\r\n" if fmt == "csv" else "\n"
    if fmt == "csv":
        yield f"serial,url{end}"
    start = 0
    while start < batch.quantity:
        stop = min(batch.quantity, start + chunk)
        yield "".join(f"{s}{sep}{site}{s}{end}" for s in serial_range(batch.pk, start, stop, batch.key_id))
        start = stop


def labels(batch, start=0, count=None):
    count = batch.quantity - start if count is None else count
    stop = min(batch.quantity, start + count)
    gtin = batch.product.gtin
    for serial in serial_range(batch.pk, start, stop, batch.key_id):
        yield serial, qr_content(serial, gtin)


LABEL_W, LABEL_H, COLS, ROWS = 38, 21, 5, 13  # mm, on A4 with 10 mm margins


def sheet_svg(batch, start=0, count=None):
    """One SVG of A4 pages stacked vertically (65 labels a page): QR, stars, product, serial."""
    items = list(labels(batch, start, count))
    per_page = COLS * ROWS
    pages = max(1, -(-len(items) // per_page))
    star = "★" * batch.certificate.star
    name = escape(batch.product.name[:34])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="{297 * pages}mm" '
        f'viewBox="0 0 210 {297 * pages}" font-family="DejaVu Sans, Arial, sans-serif">'
    ]
    for i, (serial, content) in enumerate(items):
        page, slot = divmod(i, per_page)
        row, col = divmod(slot, COLS)
        x, y = 10 + col * LABEL_W, 10 + page * 297 + row * LABEL_H
        qr = make_qr(content)
        size = 19 / qr.symbol_size(border=0)[0]
        path = _qr_path(qr)
        parts.append(
            f'<g transform="translate({x},{y})"><rect width="{LABEL_W - 1}" height="{LABEL_H - 1}" fill="#fff" '
            f'stroke="#bbb" stroke-width="0.2"/><path transform="translate(1,1) scale({size:.5f})" d="{path}"/>'
            f'<text x="21" y="5" font-size="3.6" fill="#c8102e">{star}</text>'
            f'<text x="21" y="9" font-size="2.1">OCOP</text>'
            f'<text x="21" y="13" font-size="1.7">{name[:17]}</text>'
            f'<text x="21" y="15.5" font-size="1.7">{name[17:]}</text>'
            f'<text x="21" y="19" font-size="1.75" font-family="DejaVu Sans Mono, monospace">'
            f"{grouped(serial)[:14]}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _qr_path(qr):
    """Dark modules as one SVG path (unit squares, runs merged per row)."""
    out = []
    for y, row in enumerate(qr.matrix):
        x = 0
        width = len(row)
        while x < width:
            if row[x]:
                run = x
                while run < width and row[run]:
                    run += 1
                out.append(f"M{x} {y}h{run - x}v1h{x - run}z")
                x = run
            else:
                x += 1
    return "".join(out)


def sheet_pdf(batch, start=0, count=None):
    """The same labels as a PDF (WeasyPrint), ready for a desktop printer."""
    from weasyprint import HTML

    star = "★" * batch.certificate.star
    items = [
        {"serial": grouped(serial), "qr": qr_svg_data_uri(content, scale=1)}
        for serial, content in labels(batch, start, count)
    ]
    html = render_to_string(
        "backoffice/stamps/sheet.html", {"batch": batch, "items": items, "stars": star}
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
