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


def open_round(province, name, *, days=(20, 30, 40), note="", members=()):
    """A round of `province` opened today on the QĐ 26/2026 set, its submission, commune review and
    council dates `days` from today (`note`: the reason when they depart from Art. 5.1's calendar),
    with `members` on its council."""
    day = today()
    submission, review, council = (day + datetime.timedelta(days=n) for n in days)
    round_ = domain.create_round(
        actor=SYSTEM,
        province=province,
        name=name,
        year=day.year,
        criteria_set=CriteriaSet.objects.get(code="QD26-2026"),
        submission_deadline=submission,
        review_deadline=review,
        council_date=council,
        schedule_note=note,
    )
    for user in members:
        domain.add_member(round_, user, actor=SYSTEM, body=Body.COUNCIL)
    return round_


def council_of(province, first):
    """`first` and two more council members of `province` ("council2", "council3")."""
    others = [
        with_role(UserFactory(username=f"council{i}"), Role.COUNCIL_MEMBER, unit=province) for i in (2, 3)
    ]
    return [first, *others]


@pytest.fixture
def round_(demo_set, ben_tre):
    return open_round(
        ben_tre, "Đợt 1/2023", days=(30, 45, 60), note="Đợt bổ sung theo Quy chế hoạt động của Hội đồng"
    )


@pytest.fixture
def members(round_, council_member):
    people = council_of(round_.province, council_member)
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


def to_scoring(dossier, producer, commune_officer, officer):
    """Take a draft dossier through submission, the commune, samples and appraisal to the council's
    scoring."""
    complete_dossier(dossier, producer)
    domain.submit_dossier(dossier, actor=producer)
    forward(dossier, commune_officer)
    domain.record_samples(dossier, actor=officer, count=5, received_on=today())
    domain.appraise_dossier(dossier, actor=officer, note="Đủ điều kiện", comments={})
    return domain.open_scoring(dossier, actor=officer)


@pytest.fixture
def in_scoring(draft, producer, commune_officer, vinh_long_officer, members):
    return to_scoring(draft, producer, commune_officer, vinh_long_officer)


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
