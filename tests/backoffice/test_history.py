"""#14 item 4: the history reads as sentences in both languages: state labels and enum values in lower
case inside the sentence (acronyms kept), "label: value" details, lists joined, never a raw key or
list; every action the code logs has its own verb."""

import pathlib
import re

import pytest
from django.utils import translation

from ocop.backoffice.history import VERBS, describe
from ocop.core.activity import ActivityLog

pytestmark = pytest.mark.unit


def _say(lang, action, **data):
    with translation.override(lang):
        return describe(ActivityLog(action=action, data=data))


@pytest.mark.parametrize(
    ("action", "data", "vi", "en"),
    [
        (
            "registry.producer.active",
            {"from": "pending", "to": "active"},
            "Tỉnh duyệt chủ thể: chờ phê duyệt → đang hoạt động",
            "Province approved the producer: awaiting approval → active",
        ),
        (
            "evaluation.dossier.returned",
            {"from": "submitted", "reasons": ["Thiếu ảnh", "Thiếu hợp đồng"]},
            "Trả hồ sơ để bổ sung: đã nộp → trả lại để bổ sung (lý do: Thiếu ảnh; Thiếu hợp đồng)",
            "Dossier returned for completion: submitted → returned for completion "
            "(reasons: Thiếu ảnh; Thiếu hợp đồng)",
        ),
        (
            "accounts.role.assigned",
            {"role": "province_officer", "unit": "86", "unit_name": "Tỉnh Vĩnh Long"},
            "Đã giao vai trò (vai trò: cán bộ VPĐP tỉnh; đơn vị: Tỉnh Vĩnh Long)",
            "Role given (role: provincial OCOP officer; unit: Tỉnh Vĩnh Long)",
        ),
        (
            "evaluation.dossier.recognised",
            {"star": 4, "total": 78},
            "Tỉnh công nhận sản phẩm (4★; tổng điểm: 78)",
            "Province recognised the product (4★; total: 78)",
        ),
        (
            "stamps.batch.approved",
            {"from": "requested", "to": "approved"},
            "Duyệt lô tem: chờ phê duyệt → đã duyệt",
            "Stamp batch approved: awaiting approval → approved",
        ),
        (
            "accounts.role.moved_to_successor",
            {"moves": [{"role": "province_officer", "from": "83", "to": "86"}]},
            "Chuyển vai trò sang tỉnh kế thừa (đã chuyển: cán bộ VPĐP tỉnh 83 → 86)",
            "Roles moved to the successor province (moved: provincial OCOP officer 83 → 86)",
        ),
    ],
)
def test_history_sentence_reads_naturally(action, data, vi, en):
    assert (_say("vi", action, **data), _say("en", action, **data)) == (vi, en)


def test_history_keeps_acronyms_and_hides_raw_dicts():
    text = _say("vi", "evaluation.round.member_added", member="Nguyễn A", note={"x": 1}, body="council")
    assert text == "Thêm thành viên (thành viên: Nguyễn A; tổ chức: hội đồng)"


def test_every_logged_action_has_a_verb():
    root = pathlib.Path(__file__).resolve().parents[2] / "ocop"
    logged = set()
    for path in root.rglob("*.py"):
        for match in re.finditer(
            r'log_activity\(\s*[^,]+,\s*"([a-z_0-9]+\.[a-z_0-9]+\.[a-z_0-9]+)"', path.read_text()
        ):
            logged.add(match.group(1))
    assert sorted(a for a in logged if a not in VERBS) == []
