"""What printing houses get: QR contents, a CSV/TXT stream of serials, and label sheets (SVG, PDF)."""

import io
from urllib.parse import urlsplit

import zxingcpp
from django.conf import settings
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


class QR:
    """A QR symbol (zxing-cpp's encoder: about 20 times faster than pure Python)."""

    def __init__(self, content):
        symbol = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_ERROR.upper())
        self.image = symbol.to_image(scale=1, add_quiet_zones=False)
        view = memoryview(self.image)
        self.size = view.shape[0]
        self.version = (self.size - 17) // 4
        self.error = symbol.ec_level
        self._bytes = view.tobytes()

    @property
    def matrix(self):
        size, data = self.size, self._bytes
        return [[data[y * size + x] == 0 for x in range(size)] for y in range(size)]

    def pil(self, module_px):
        # Pillow loads only when a label sheet is drawn
        from PIL import Image

        img = Image.frombytes("L", (self.size, self.size), self._bytes)
        return img.resize((self.size * module_px, self.size * module_px), Image.Resampling.NEAREST)


def make_qr(content):
    qr = QR(content)
    if qr.version > QR_MAX_VERSION:
        raise ValueError(f"QR version {qr.version} > {QR_MAX_VERSION}: SITE_URL is too long for small stamps")
    return qr


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
        size = 19 / qr.size
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


DPI = 300
BILEVEL_THRESHOLD = 200  # grey levels at or above are paper; the grey cut lines (190) stay printed


def _px(mm):
    return round(mm * DPI / 25.4)


def _fonts():
    # Pillow loads only when a label sheet is drawn
    from PIL import ImageFont

    return {
        "stars": ImageFont.truetype("DejaVuSans.ttf", 30),
        "brand": ImageFont.truetype("DejaVuSans-Bold.ttf", 22),
        "name": ImageFont.truetype("DejaVuSans.ttf", 18),
        "serial": ImageFont.truetype("DejaVuSansMono.ttf", 19),
    }


def _wrap(text, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if len(candidate) > width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    return lines[:2]


def sheet_pdf(batch, start=0, count=None):
    """The labels as a PDF of A4 pages rendered at 300 dpi (Pillow): 65 labels a page, each with
    QR, stars, product and serial. A thousand labels take a few seconds."""
    # Pillow loads only when a label sheet is drawn
    from PIL import Image, ImageDraw

    fonts = _fonts()
    stars = "★" * batch.certificate.star
    name_lines = _wrap(batch.product.name, 17)
    page_size = (_px(210), _px(297))
    per_page = COLS * ROWS
    pages, page, draw = [], None, None
    for i, (serial, content) in enumerate(labels(batch, start, count)):
        slot = i % per_page
        if slot == 0:
            page = Image.new("RGB", page_size, "white")
            draw = ImageDraw.Draw(page)
            pages.append(page)
        row, col = divmod(slot, COLS)
        x, y = _px(10 + col * LABEL_W), _px(10 + row * LABEL_H)
        draw.rectangle([x, y, x + _px(LABEL_W - 1), y + _px(LABEL_H - 1)], outline=(190, 190, 190), width=2)
        qr = make_qr(content)
        module = max(1, _px(17) // qr.size)
        page.paste(qr.pil(module), (x + _px(1.5), y + _px(1.5)))
        tx = x + _px(21)
        draw.text((tx, y + _px(1)), stars, font=fonts["stars"], fill=(200, 16, 46))
        draw.text((tx, y + _px(6)), "OCOP", font=fonts["brand"], fill="black")
        for n, line in enumerate(name_lines):
            draw.text((tx, y + _px(9.5 + 2.3 * n)), line, font=fonts["name"], fill="black")
        text = grouped(serial)
        draw.text((tx, y + _px(15)), text[:14], font=fonts["serial"], fill="black")
        draw.text((tx, y + _px(17.3)), text[15:], font=fonts["serial"], fill="black")
    if not pages:
        pages.append(Image.new("RGB", page_size, "white"))
    # Bilevel pages (black on white, CCITT/Flate-compressed by Pillow) keep the file small: about 70 KB
    # a page instead of 1.9 MB as colour JPEG, so 2,000 labels weigh about 2 MB (tests/stamps asserts
    # the bound). The label cut lines (grey) stay black; the stars print black.
    pages = [p.convert("L").point(lambda v: 255 if v >= BILEVEL_THRESHOLD else 0, mode="1") for p in pages]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return buffer.getvalue()
