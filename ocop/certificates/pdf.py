"""The certificate PDF (giấy chứng nhận): WeasyPrint, Vietnamese text, OCOP logo placeholder, and a QR
code to SITE_URL/v/<certificate number> (the public verify page)."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from ocop.core.formats import format_number
from ocop.geo.authority import address_of, issuing_authority


def qr_svg(url):
    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def verify_url(certificate):
    return f"{settings.SITE_URL}/v/{certificate.number}"


def render_pdf(template, context):
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR / "ocop" / "static")).write_pdf()


def certificate_pdf(certificate):
    producer = certificate.product.producer
    address = address_of(producer, certificate.issued_on)  # a pre-merger certificate keeps its address
    url = verify_url(certificate)
    from .queries import product_set_name

    set_name = product_set_name(certificate)
    with translation.override("vi"):
        context = {
            "c": certificate,
            "product": certificate.product,
            "product_set_name": set_name,
            "producer": producer,
            "address": address.line,
            "former_address": address.former,
            "authority": issuing_authority(
                certificate.issuer_unit or producer.commune, certificate.issued_on
            ),
            "score": format_number(certificate.score, 2, "vi") if certificate.score is not None else "",
            "qr": qr_svg(url),
            "url": url,
            "stars": "★" * certificate.star,
            "logo": (settings.BASE_DIR / "ocop" / "static" / "ocop" / "logo.svg").as_uri(),
        }
        return render_pdf("certificates/certificate_pdf.html", context)
