"""Demo step: Bến Tre's 2023 round in progress (dated after 31/7/2022, so the July 2022 figures stay as
they are): a council and an advisory group, dossiers in every state, scoresheets, a decision with
certificates and one 5★ nomination. Idempotent: nothing is added when the round exists."""

import datetime

from ocop.core.models import DemoRecord
from ocop.criteria.domain import publish_set
from ocop.criteria.models import CriteriaSet
from ocop.criteria.scoring import criteria_by_part
from ocop.registry.models import Product

from . import domain
from .enums import Body, DossierState, EvidenceKind, Position
from .models import Dossier, Round

ROUND_NAME = "Đợt 1 năm 2023 – tỉnh Bến Tre"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


DEMO_COMMUNE_FORM = {
    "local_materials": "Nguyên liệu chính mua của các hộ trồng trên địa bàn xã.",
    "local_labour": "Sử dụng lao động thường trú tại xã.",
    "idea_origin": "Sản phẩm truyền thống của địa phương.",
    "local_identity": "Cách chế biến truyền thống của làng nghề, tạo nên sự khác biệt của sản phẩm.",
}


def _pick(tree, level):
    """Options at `level` (0 worst … 1 best) of every criterion."""
    return {
        c["id"]: c["options"][round(level * (len(c["options"]) - 1))]["id"] for _, c in criteria_by_part(tree)
    }


def _complete(dossier, level):
    from django.core.files.uploadedfile import SimpleUploadedFile

    domain.save_registration(
        dossier,
        actor=None,
        values={
            "capacity": "15 tấn/năm",
            "raw_materials": "Nguyên liệu tại Bến Tre",
            "market": "Trong tỉnh và TP. Hồ Chí Minh",
            "revenue": "2,1 tỷ đồng",
            "workers": "18",
            "representative_title": "Giám đốc",
            "product_spec": "Hộp 250 g, tiêu chuẩn cơ sở đã công bố",
            "history": "Thành lập năm 2015 từ tổ hợp tác của làng nghề.",
            "structure": "Ban giám đốc, bộ phận sản xuất, bộ phận kinh doanh.",
            "plan_results": "Doanh thu tăng 15%/năm; bao bì mới từ năm 2022.",
            "business_plan": "Mở rộng vùng nguyên liệu liên kết, đưa sản phẩm vào hệ thống siêu thị.",
            "changes": "Bao bì mới, phiếu kiểm nghiệm định kỳ năm 2025, doanh thu tăng 15%/năm.",
        },
    )
    domain.save_self_assessment(dossier, actor=None, answers=_pick(dossier.rubric.tree, level))
    for kind in (EvidenceKind.BUSINESS_REGISTRATION, EvidenceKind.QUALITY_DECLARATION, EvidenceKind.PHOTO):
        domain.add_evidence(
            dossier, SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf"), actor=None, kind=kind
        )


def seed(demo):
    if demo.province is None or DemoRecord.objects.filter(key="evaluation.round:2023").exists():
        return
    existing = Round.objects.filter(name=ROUND_NAME).first()  # seeded before demo records existed
    if existing is not None:
        DemoRecord.objects.create(
            key="evaluation.round:2023", model="evaluation.round", object_id=existing.pk
        )
        return
    criteria_set = CriteriaSet.objects.get(code="QD26-2026")
    if not criteria_set.is_published:
        criteria_set = publish_set(criteria_set, actor=None)
    round_ = Round.objects.create(
        province=demo.province,
        name=ROUND_NAME,
        year=2023,
        criteria_set=criteria_set,
        submission_deadline=datetime.date(2023, 6, 30),
        review_deadline=datetime.date(2023, 7, 15),
        council_date=datetime.date(2023, 8, 10),
    )
    DemoRecord.objects.create(key="evaluation.round:2023", model="evaluation.round", object_id=round_.pk)
    council = [
        demo.users[k] for k in ("council_member", "council_member_2", "council_member_3") if k in demo.users
    ]
    for user, position in zip(council, (Position.CHAIR, Position.VICE_CHAIR, Position.MEMBER), strict=False):
        domain.add_member(
            round_,
            user,
            actor=None,
            body=Body.COUNCIL,
            position=position,
            department="Sở Nông nghiệp và PTNT",
        )
    if "advisory_member" in demo.users:
        domain.add_member(
            round_, demo.users["advisory_member"], actor=None, body=Body.ADVISORY, department="Sở Công Thương"
        )
    products = list(
        demo.data.get("products") or Product.objects.filter(producer__legacy_commune__province=demo.province)
    )
    plan = [
        ("draft", 0.6),
        ("submitted", 0.6),
        ("returned", 0.5),
        ("forwarded", 0.7),
        ("appraised", 0.7),
        ("scoring", 0.8),
        ("scored", 0.75),
        ("recognised", 0.8),
        ("not_recognised", 0.3),
        ("nominated_5star", 1.0),
    ]
    step = max(1, len(products) // (len(plan) + 1))
    made = {}
    for i, (target, level) in enumerate(plan):
        product = products[(i + 1) * step % len(products)]
        rubric = criteria_set.rubrics.get(product_set=product.product_set)
        dossier = Dossier.objects.create(
            number=f"HS-2023-{i + 1:04d}",
            round=round_,
            product=product,
            producer=product.producer,
            kind="reevaluation" if i % 3 == 0 else "new",
            rubric=rubric,
        )
        made[target] = dossier
        if target == "draft":
            continue
        _complete(dossier, level)
        domain.submit_dossier(dossier, actor=None)
        if target == "submitted":
            continue
        if target == "returned":
            domain.return_dossier(
                dossier, actor=None, reasons="Bổ sung phiếu kiểm nghiệm chỉ tiêu vi sinh còn hiệu lực."
            )
            continue
        local = {c["id"]: c["options"][-2]["id"] for c in rubric.local_criteria()}
        domain.forward_dossier(
            dossier,
            actor=None,
            assessment=local,
            report="UBND xã xác nhận nguyên liệu và lao động tại địa phương.",
            form=DEMO_COMMUNE_FORM,
        )
        if target == "forwarded":
            continue
        domain.record_samples(dossier, actor=None, count=5, received_on=datetime.date(2023, 7, 20))
        domain.appraise_dossier(
            dossier, actor=None, note="Hồ sơ đầy đủ; mẫu sản phẩm đạt yêu cầu cảm quan.", comments={}
        )
        if target == "appraised":
            continue
        domain.open_scoring(dossier, actor=None)
        scorers = council if target != "scoring" else council[:1]
        for n, member in enumerate(scorers):
            domain.save_scoresheet(
                dossier,
                actor=member,
                answers=_pick(rubric.tree, max(0.0, min(1.0, level - 0.05 * n))),
                submit=True,
            )
        if target == "scoring":
            continue
        domain.close_scoring(dossier, actor=None)
    decided = [made[k] for k in ("recognised", "not_recognised", "nominated_5star") if k in made]
    decision = domain.create_decision(
        round_,
        actor=None,
        number="1520/QĐ-UBND",
        date=datetime.date(2023, 8, 25),
        signer="Nguyễn Minh Cảnh",
        signer_title="Phó Chủ tịch UBND tỉnh",
        issuer_name="UBND tỉnh Bến Tre",
        dossiers=decided,
    )
    domain.record_decision(decision, actor=None)
    states = sorted(set(Dossier.objects.filter(round=round_).values_list("state", flat=True)))
    demo.data["evaluation_round"] = round_
    demo.say(
        f"Evaluation: {ROUND_NAME}, {len(plan)} dossiers ({', '.join(states)}), decision {decision.number}."
    )
    assert DossierState.NOMINATED_5STAR in states
