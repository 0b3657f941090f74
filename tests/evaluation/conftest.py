import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.accounts.enums import Role
from ocop.core.dates import today
from ocop.core.permissions import SYSTEM
from ocop.criteria.models import CriteriaSet
from ocop.criteria.scoring import criteria_by_part
from ocop.evaluation import domain
from ocop.evaluation.enums import Body, EvidenceKind
from tests.factories import ProductFactory, UserFactory, with_role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def demo_set(db):
    return CriteriaSet.objects.get(code="QD26-2026")


@pytest.fixture
def round_(demo_set, ben_tre):
    day = today()
    return domain.create_round(
        actor=SYSTEM,
        province=ben_tre,
        name="Đợt 1/2023",
        year=day.year,
        criteria_set=demo_set,
        submission_deadline=day + datetime.timedelta(days=30),
        review_deadline=day + datetime.timedelta(days=45),
        council_date=day + datetime.timedelta(days=60),
        schedule_note="Đợt bổ sung theo Quy chế hoạt động của Hội đồng",
    )


@pytest.fixture
def members(round_, council_member):
    others = [
        with_role(UserFactory(username=f"council{i}"), Role.COUNCIL_MEMBER, unit=round_.province)
        for i in (2, 3)
    ]
    people = [council_member, *others]
    for user in people:
        domain.add_member(round_, user, actor=SYSTEM, body=Body.COUNCIL)
    return people


@pytest.fixture
def product(producer_org):
    return ProductFactory(producer=producer_org, name="Kẹo dừa Bến Tre")


def answers(tree, pick=-1):
    """Choose option `pick` (default the best) of every criterion."""
    return {c["id"]: c["options"][pick]["id"] for _, c in criteria_by_part(tree)}


def complete_dossier(dossier, actor):
    domain.save_registration(
        dossier,
        actor=actor,
        values={
            "capacity": "10 tấn/năm",
            "raw_materials": "Dừa Bến Tre",
            "market": "Cả nước",
            "business_plan": "Mở rộng vùng nguyên liệu, xuất khẩu sang Nhật Bản",
            "changes": "Bao bì mới; phiếu kiểm nghiệm định kỳ 2026",
        },
    )
    domain.save_self_assessment(dossier, actor=actor, answers=answers(dossier.rubric.tree))
    for kind in (EvidenceKind.BUSINESS_REGISTRATION, EvidenceKind.QUALITY_DECLARATION, EvidenceKind.PHOTO):
        domain.add_evidence(dossier, pdf(), actor=actor, kind=kind)
    return dossier


COMMUNE_FORM = {
    "local_materials": "Dừa mua của các hộ trong xã",
    "local_labour": "12 lao động thường trú tại xã",
    "idea_origin": "Sản phẩm truyền thống",
    "local_identity": "Kẹo dừa nấu theo cách truyền thống của làng nghề",
}


def forward(dossier, officer, report="Đạt"):
    return domain.forward_dossier(
        dossier, actor=officer, assessment=local_assessment(dossier), report=report, form=COMMUNE_FORM
    )


def local_assessment(dossier):
    return {c["id"]: c["options"][-1]["id"] for c in dossier.rubric.local_criteria()}


@pytest.fixture
def draft(round_, product, producer):
    return domain.open_dossier(actor=producer, round_=round_, product=product, kind="new")


@pytest.fixture
def in_scoring(draft, producer, commune_officer, vinh_long_officer, members):
    complete_dossier(draft, producer)
    domain.submit_dossier(draft, actor=producer)
    forward(draft, commune_officer)
    domain.record_samples(draft, actor=vinh_long_officer, count=5, received_on=today())
    domain.appraise_dossier(draft, actor=vinh_long_officer, note="Đủ điều kiện", comments={})
    return domain.open_scoring(draft, actor=vinh_long_officer)


def answers_totalling(tree, total):
    """The best options, lowered on criteria without a star marker until the sheet is worth `total`."""
    chosen = answers(tree)
    left = 100 - total
    for _, criterion in criteria_by_part(tree):
        if left <= 0 or criterion.get("mandatory_for"):
            continue
        best = max(o["points"] for o in criterion["options"])
        for option in sorted(criterion["options"], key=lambda o: o["points"]):
            if best - option["points"] <= left:
                chosen[criterion["id"]] = option["id"]
                left -= best - option["points"]
                break
    assert left == 0, "not enough unstarred points to lower"
    return chosen
