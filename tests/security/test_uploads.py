"""Uploads are judged by content: HTML/SVG with script refused, oversized and bomb images refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocop.core.uploads import DOCUMENT_TYPES, IMAGE_TYPES, validate_upload
from ocop.registry.models import Product

pytestmark = pytest.mark.integration

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><body><script>fetch('/office/')</script></body></html>"


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("logo.svg", SVG, "image/svg+xml"),
        ("photo.jpg", SVG, "image/jpeg"),
        ("page.html", HTML, "text/html"),
        ("report.pdf", HTML, "application/pdf"),
    ],
)
def test_script_carrying_upload_is_refused(name, content, declared):
    upload = SimpleUploadedFile(name, content, content_type=declared)
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload, DOCUMENT_TYPES | IMAGE_TYPES)
    assert exc.value.code == "bad_type"


def test_svg_photo_through_the_product_form_is_refused(client_for, vinh_long_officer, producer_org):
    response = client_for(vinh_long_officer).post(
        f"/office/producers/{producer_org.pk}/products/new/",
        {
            "name": "Kẹo",
            "product_set": 7,
            "status": "active",
            "photo": SimpleUploadedFile("x.svg", SVG, "image/svg+xml"),
        },
    )
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert Product.objects.count() == 0


def test_oversized_upload_is_refused(settings):
    settings.MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1), "application/pdf")
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload)
    assert exc.value.code == "too_large"


def test_pdf_bomb_is_refused_by_size_before_parsing(settings):
    """A 'PDF bomb' is a small file that inflates when parsed; the platform never parses uploaded PDFs,
    and refuses any over the limit, so the worst case is MAX_UPLOAD_MB of stored bytes."""
    import zlib

    settings.MAX_UPLOAD_MB = 1
    stream = zlib.compress(b"0" * 50_000_000, 9)  # ~50 kB that inflates to 50 MB
    body = (
        b"%PDF-1.4\n1 0 obj<</Length " + str(len(stream)).encode() + b"/Filter/FlateDecode>>stream\n" + stream
    )
    bomb = SimpleUploadedFile("bomb.pdf", body * 25, "application/pdf")
    with pytest.raises(ValidationError) as exc:
        validate_upload(bomb)
    assert exc.value.code == "too_large"


def test_decompression_bomb_image_is_refused(client_for, vinh_long_officer, producer_org):
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")  # 400 Mpx, a few kB on disk
    response = client_for(vinh_long_officer).post(
        f"/office/producers/{producer_org.pk}/products/new/",
        {
            "name": "Kẹo",
            "product_set": 7,
            "status": "active",
            "photo": SimpleUploadedFile("b.png", out.getvalue(), "image/png"),
        },
    )
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert Product.objects.count() == 0
