"""The forms of QĐ 26/2026/QĐ-TTg Annex III, filled from the dossier's data and laid out like the annex:
Mẫu số 01 (registration), Mẫu số 02 (self-assessment report with the business plan), Mẫu số 03 (the
commune's report). Blank lines of the annex stay dotted where the platform holds no data."""

from django.utils import translation

from ocop.certificates.pdf import render_pdf
from ocop.criteria.scoring import criteria_by_part
from ocop.registry.enums import ProductSet, group_of

from .enums import DossierKind, EvidenceKind

FORMS = {
    "01": ("backoffice/evaluation/forms/form01.html", "mau-01-phieu-dang-ky"),
    "02": ("backoffice/evaluation/forms/form02.html", "mau-02-bao-cao-tu-danh-gia"),
    "03": ("backoffice/evaluation/forms/form03.html", "mau-03-bao-cao-cua-xa"),
}

# Mẫu 02, point 7: the boxes the producer ticks, and the evidence kind that ticks each.
FORM02_BOXES = (
    ("a) Giấy đăng ký kinh doanh", EvidenceKind.BUSINESS_REGISTRATION),
    ("b) Đã công bố chất lượng sản phẩm theo quy định", EvidenceKind.QUALITY_DECLARATION),
    (
        "- Giấy chứng nhận cơ sở đủ điều kiện vệ sinh an toàn thực phẩm theo quy định của pháp luật cho sản "
        "xuất sản phẩm",
        EvidenceKind.FOOD_SAFETY,
    ),
    ("+ Giấy chứng nhận đăng ký nhãn hiệu", EvidenceKind.TRADEMARK),
)


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
        "boxes": [(label, kind in kinds) for label, kind in FORM02_BOXES],
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
