"""The forms of QĐ 26/2026/QĐ-TTg Annex III, filled from the dossier's data and laid out like the annex:
Mẫu số 01 (registration), Mẫu số 02 (self-assessment report with the business plan), Mẫu số 03 (the
commune's report). Blank lines of the annex stay dotted where the platform holds no data."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ocop.certificates.pdf import render_pdf
from ocop.criteria.scoring import criteria_by_part
from ocop.registry.enums import ProductSet, group_of

from .enums import FORM02_POINT7_FIELDS, DossierKind, EvidenceKind

FORMS = {
    "01": ("backoffice/evaluation/forms/form01.html", "mau-01-phieu-dang-ky"),
    "02": ("backoffice/evaluation/forms/form02.html", "mau-02-bao-cao-tu-danh-gia"),
    "03": ("backoffice/evaluation/forms/form03.html", "mau-03-bao-cao-cua-xa"),
}

# Mẫu 02, point 7 "Đánh dấu (√) vào mục tương ứng", line by line as the annex lays it out:
# (label as printed, indent level, the registration field the producer ticks, the evidence kind that ticks
# it too). A line without a field is a heading of the annex without a box (c); a line whose box is the
# union of the lines under it (d) has the field "*". "Khác (ghi rõ)" is a text: ticked when written.
FORM02_POINT7 = (
    ("a) Giấy đăng ký kinh doanh", 0, "p7_business_registration", EvidenceKind.BUSINESS_REGISTRATION),
    (
        "b) Đã công bố chất lượng sản phẩm theo quy định",
        0,
        "p7_quality_declaration",
        EvidenceKind.QUALITY_DECLARATION,
    ),
    ("c) Đã có các điều kiện sản xuất theo quy định:", 0, None, None),
    (
        "- Giấy chứng nhận cơ sở đủ điều kiện vệ sinh an toàn thực phẩm theo quy định của pháp luật cho sản "
        "xuất sản phẩm",
        1,
        "p7_food_safety",
        EvidenceKind.FOOD_SAFETY,
    ),
    (
        "- Giấy chứng nhận cơ sở đủ điều kiện sản xuất bắt buộc theo quy định cho sản phẩm (đối với các sản "
        "phẩm bắt buộc theo quy định)",
        1,
        "p7_production_licence",
        None,
    ),
    ("d) Đã có đăng ký sở hữu trí tuệ", 0, "*", None),
    ("+ Giấy chứng nhận đăng ký nhãn hiệu", 1, "p7_ip_trademark", EvidenceKind.TRADEMARK),
    (
        "+ Văn bản ghi nhận quyền sử dụng chỉ dẫn địa lý, nhãn hiệu tập thể, nhãn hiệu chứng nhận",
        1,
        "p7_ip_collective",
        None,
    ),
    ("+ Bằng sáng chế", 1, "p7_ip_patent", None),
    ("+ Bằng độc quyền kiểu dáng công nghiệp", 1, "p7_ip_design", None),
    ("+ Giấy chứng nhận bản quyền tác giả", 1, "p7_ip_copyright", None),
    ("+ Khác (ghi rõ)", 1, "p7_ip_other", None),
)


# The same boxes on the dossier page (labels translated; the PDF prints the annex's own words).
POINT7_PAGE_LABELS = {
    "p7_business_registration": _("a) Business registration certificate"),
    "p7_quality_declaration": _("b) Product quality declared as required"),
    "p7_food_safety": _("c) Food-safety certificate of the establishment for making the product"),
    "p7_production_licence": _(
        "c) Certificate of the production conditions the law requires for the product (where required)"
    ),
    "p7_ip_trademark": _("d) Trademark registration certificate"),
    "p7_ip_collective": _(
        "d) Document granting the use of a geographical indication, collective or certification mark"
    ),
    "p7_ip_patent": _("d) Patent"),
    "p7_ip_design": _("d) Industrial design patent"),
    "p7_ip_copyright": _("d) Copyright registration certificate"),
    "p7_ip_other": _("d) Other intellectual property (specify)"),
}


def point7_fields(registration):
    """(field, label, is_text, value) for the dossier page's form."""
    return [
        (f, POINT7_PAGE_LABELS[f], f == "p7_ip_other", registration.get(f, "")) for f in FORM02_POINT7_FIELDS
    ]


def point7_lines(registration, evidence_kinds):
    """Mẫu 02 point 7 as lines: {"label", "indent", "box" (None: no box), "ticked", "text"}. A box is
    ticked when the producer ticked it in the registration or uploaded the evidence of that kind; d) is
    ticked when any of its "+" lines is."""
    lines, ip_ticked = [], False
    for label, indent, field, kind in FORM02_POINT7:
        if field is None:
            lines.append({"label": label, "indent": indent, "box": False, "ticked": False, "text": ""})
            continue
        value = str(registration.get(field, "") or "").strip() if field != "*" else ""
        ticked = bool(value) or (kind is not None and kind in evidence_kinds)
        text = value if field == "p7_ip_other" else ""
        if field.startswith("p7_ip_"):
            ip_ticked = ip_ticked or ticked
        lines.append(
            {"label": label, "indent": indent, "box": True, "ticked": ticked, "text": text, "f": field}
        )
    for line in lines:
        if line.get("f") == "*":
            line["ticked"] = ip_ticked
    return lines


def _commune(dossier):
    producer = dossier.producer
    return producer.current_commune or producer.commune


def _context(dossier):
    producer = dossier.producer
    commune = _commune(dossier)
    province = commune.province if commune is not None and commune.province_id else None
    kinds = set(dossier.evidence.values_list("kind", flat=True))
    rows = []
    for part, c in criteria_by_part(dossier.rubric.tree):
        options = {str(o["id"]): o for o in c["options"]}
        chosen = options.get(str(dossier.self_answers.get(c["id"], "")))
        rows.append({"part": part, "c": c, "chosen": chosen})
    product_set = dossier.product.product_set
    return {
        "d": dossier,
        "producer": producer,
        "product": dossier.product,
        "reg": dossier.registration,
        "commune": commune,
        "province": province,
        "year": dossier.round.year,
        "group": group_of(product_set).label,
        "product_set": ProductSet(product_set).label,
        "kind_new": dossier.kind == DossierKind.NEW,
        "kind_upgrade": dossier.kind == DossierKind.UPGRADE,
        "kind_reevaluation": dossier.kind == DossierKind.REEVALUATION,
        "point7": point7_lines(dossier.registration, kinds),
        "spec": dossier.registration.get("product_spec") or dossier.product.packaging,
        "rows": rows,
        "self_total": sum((r["chosen"]["points"] for r in rows if r["chosen"]), 0),
        "evidence": list(dossier.evidence.all()),
        "cf": dossier.commune_form,
    }


def form_pdf(dossier, number):
    template, _name = FORMS[number]
    with translation.override("vi"):
        return render_pdf(template, _context(dossier))


def form_filename(dossier, number):
    return f"{FORMS[number][1]}-{dossier.number}.pdf"
