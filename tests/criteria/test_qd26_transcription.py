"""QĐ 26/2026/QĐ-TTg Annex I–II: the parser's output against the decision's text.

Three independent checks, so that a parser bug cannot hide behind itself:
1. re-running the parser on the HTML gives exactly the reviewed YAML (the file is the parser's output);
2. sets 1, 11 and 26 are compared option by option with the decision's PLAIN-TEXT copy, read here by a
   separate, naive reader (cells separated by "|" lines), not by the parser; any difference must be a slip
   recorded in the YAML with the printed value;
3. hand-written expectations, typed from the decision, for several criteria of each of these sets.
"""

import re
from pathlib import Path

import pytest
import yaml

from ocop.criteria.loader import DATA_DIR, parse, read_file
from ocop.criteria.scoring import criteria_by_part
from ocop.criteria.transcribe import qd26

pytestmark = pytest.mark.unit

SOURCES = Path(qd26.__file__).resolve().parents[1] / "sources"
HTML = (SOURCES / "qd-26-2026-TTg.html").read_text(encoding="utf-8")
TXT = (SOURCES / "qd-26-2026-TTg.txt").read_text(encoding="utf-8")
YAML_PATH = DATA_DIR / "QD26-2026.yaml"
DOC = yaml.safe_load(YAML_PATH.read_text(encoding="utf-8"))
RUBRICS = {r["product_sets"][0]: r for r in DOC["rubrics"]}
TREES = parse(read_file(str(YAML_PATH)))[1]


def _norm(text):
    return " ".join(str(text).replace("\xa0", " ").split())


def _criteria(rubric):
    def walk(sections):
        for section in sections:
            yield from section.get("criteria", ())
            yield from walk(section.get("sections", ()))

    return [c for code in ("A", "B", "C") for c in walk(rubric["parts"][code])]


def _crit(product_set, cid):
    return next(c for c in _criteria(RUBRICS[product_set]) if str(c["id"]) == cid)


# --- 1. the YAML is the parser's output -------------------------------------------------------------


def test_parser_output_is_the_reviewed_yaml():
    document, unresolved = qd26.build(HTML)
    assert unresolved == []
    assert qd26.dump(document) == YAML_PATH.read_text(encoding="utf-8")


def test_all_26_sets_load_with_the_law_s_maxima():
    assert sorted(TREES) == list(range(1, 27))
    for product_set, tree in TREES.items():
        maxima = {p["code"]: p["max_points"] for p in tree["parts"]}
        assert maxima == {"A": 40, "B": 25, "C": 35}, product_set
        best = {
            p["code"]: sum(
                max(o["points"] for o in c["options"])
                for code, c in criteria_by_part(tree)
                if code == p["code"]
            )
            for p in tree["parts"]
        }
        assert best == {"A": 40, "B": 25, "C": 35}, product_set


# --- 2. sets 1, 11, 26 against the plain text, read naively ----------------------------------------


def _txt_cells(product_set):
    """The (left, right) cell pairs of a set's sheet in the plain-text copy."""
    annex = TXT[TXT.index("PHỤ LỤC II\n") : TXT.index("PHỤ LỤC III")]
    heads = {
        int(m.group(1)): m.start() for m in re.finditer(r"(?m)^(\d{1,2})\. (?:Bộ sản phẩm|Sản phẩm)", annex)
    }
    following = [start for n, start in heads.items() if n > product_set]
    block = annex[heads[product_set] : min(following) if following else len(annex)]
    block = block[block.index("Các tiêu chí") :]
    block = block[: block.index("TỔNG CỘNG")]
    cells, current = [], []
    for line in block.split("\n"):
        if line.strip() == "|":
            cells.append(_norm(" ".join(current)))
            current = []
        else:
            current.append(line)
    cells = cells[2:]  # "Các tiêu chí" | "Thang điểm"
    return list(zip(cells[0::2], cells[1::2], strict=False))


def _txt_options(product_set):
    out = []
    for left, right in _txt_cells(product_set):
        m = re.match(r"^(□|o)\s+(.*)$", left)
        if not m:
            continue
        body = re.sub(r"\s*Ghi chú:.*$", "", m.group(2))
        stars = re.search(r"\s*(\*{3,5})\s*$", body)
        star = len(stars.group(1)) if stars else None
        body = body[: stars.start()] if stars else body
        out.append((_norm(body), star, _norm(right)))
    return out


def _txt_numbered(product_set):
    out = []
    for left, right in _txt_cells(product_set):
        m = re.match(r"^(\d+(?:\.\d+)*)\.?\s", left)
        if m:
            out.append((m.group(1), _norm(right)))
    return out


def _yaml_options(product_set):
    out = []
    for criterion in _criteria(RUBRICS[product_set]):
        if criterion.get("implicit_options"):
            continue
        for i, option in enumerate(criterion["options"], start=1):
            out.append(
                (f"{criterion['id']}#{i}", _norm(option["text"]), option.get("star"), option["points"])
            )
    return out


@pytest.mark.parametrize("product_set", [1, 11, 26])
def test_every_option_matches_the_plain_text(product_set):
    from_text = _txt_options(product_set)
    from_yaml = _yaml_options(product_set)
    assert len(from_text) == len(from_yaml)
    slips = {s["where"]: s for s in RUBRICS[product_set].get("slips", ()) if s["field"] == "points"}
    for (where, text, star, points), (t_text, t_star, t_points) in zip(from_yaml, from_text, strict=True):
        assert (text, star) == (t_text, t_star), where
        if where in slips:
            printed = slips[where]["printed"]
            assert t_points == ("" if printed is None else str(printed)), where
            assert points == slips[where]["used"], where
        else:
            assert str(points) == t_points, where


@pytest.mark.parametrize("product_set", [1, 11, 26])
def test_every_criterion_and_section_maximum_matches_the_plain_text(product_set):
    def walk(sections):
        for section in sections:
            if "number" in section:
                yield (str(section["number"]), section["max_points"])
            for criterion in section.get("criteria", ()):
                if str(criterion["id"]) != str(section.get("number")):
                    yield (str(criterion["id"]), criterion["max_points"])
            yield from walk(section.get("sections", ()))

    rubric = RUBRICS[product_set]
    from_yaml = [item for code in ("A", "B", "C") for item in walk(rubric["parts"][code])]
    from_text = _txt_numbered(product_set)
    assert [n for n, _ in from_yaml] == [n for n, _ in from_text]
    assert [str(m) for _, m in from_yaml] == [m for _, m in from_text]


# --- 3. hand-written expectations, typed from the decision ---------------------------------------


def test_set_1_by_hand():
    rubric = RUBRICS[1]
    assert rubric["name"] == "Rau, củ, quả, hạt tươi"
    assert rubric["disqualifiers"] == [
        "Giả mạo hồ sơ hoặc không tuân thủ đầy đủ các quy định về giấy chứng nhận cơ sở đủ điều kiện an toàn "
        "thực phẩm theo quy định; hoặc không đáp ứng về hồ sơ đăng ký theo quy định"
    ]
    assert [(o["points"], o.get("star")) for o in _crit(1, "1.5")["options"]] == [
        (0, None),
        (1, None),
        (2, 4),
        (3, 5),
    ]
    assert [(o["points"], o.get("star")) for o in _crit(1, "4.1")["options"]] == [
        (1, None),
        (2, 3),
        (3, 4),
        (5, 5),
    ]
    assert _crit(1, "1.1")["notes"] == ["Yêu cầu: 100% sản phẩm được trồng trên địa bàn cấp tỉnh"]
    assert _crit(1, "2.1")["knockouts"] == [
        {
            "kind": "not_evaluated",
            "text": "Ghi chú: Không đánh giá những sản phẩm có tính phổ biến của nhóm sản phẩm chủ lực cấp quốc gia, "
            "cấp tỉnh mà không có sự nổi trội về chất lượng và đặc sắc.",
        }
    ]
    c32 = _crit(1, "3.2")
    assert c32["text"] == (
        "Đại diện pháp luật của chủ thể là nữ; hoặc đồng bào dân tộc thiểu số; hoặc người khuyết tật"
    )
    assert [o["points"] for o in c32["options"]] == [0, 1]
    assert _crit(1, "2.4")["max_points"] == 1 and "implicit_options" in _crit(1, "2.4")
    tree = TREES[1]
    assert tree["parts"][0]["sections"][0]["criteria"][2]["mandatory_for"] == {"5": 3}  # 1.3
    assert [s["max_points"] for s in rubric["parts"]["A"]] == [18, 10, 12]


def test_set_11_by_hand():
    rubric = RUBRICS[11]
    assert rubric["name"] == "Chè tươi, chè chế biến"
    c611 = _crit(11, "6.1.1")
    assert [(o["text"], o["points"], o.get("star")) for o in c611["options"]] == [
        ("Có tạp chất", 0, None),
        ("Có rất ít tạp chất, chấp nhận được", 1, None),  # printed "11": recorded slip
        ("Sạch, không phát hiện tạp chất", 2, 4),
    ]
    assert c611["knockouts"][0]["kind"] == "not_evaluated"
    assert _crit(11, "1.1")["knockouts"][0] == {
        "kind": "disqualify",
        "text": "Ghi chú: Bị loại nếu sử dụng toàn bộ nguyên liệu nhập khẩu hoặc không rõ nguồn gốc",
    }
    assert [o["points"] for o in _crit(11, "6.2.3")["options"]] == [0, 1, 3, 5]
    assert [o["points"] for o in _crit(11, "1.2")["options"]] == [0, 1, 2]  # first cell empty: slip
    section6 = rubric["parts"]["C"][0]
    assert (str(section6["number"]), section6["max_points"]) == ("6", 15)
    assert [(str(s["number"]), s["max_points"]) for s in section6["sections"]] == [("6.1", 4), ("6.2", 11)]
    assert {(s["where"], s["printed"], s["used"]) for s in rubric["slips"]} == {
        ("1.2#1", None, 0),
        ("6.1.1#2", 11, 1),
    }


def test_set_26_by_hand():
    rubric = RUBRICS[26]
    assert rubric["name"] == "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"
    assert rubric["disqualifiers"] == []
    assert ("part:A", 35, 40) in [(s["where"], s["printed"], s["used"]) for s in rubric["slips"]]
    assert [(str(s["number"]), s["max_points"]) for s in rubric["parts"]["A"]] == [
        ("1", 14),
        ("2", 12),
        ("3", 14),
    ]
    c8 = _crit(26, "8")
    assert [c["code"] for c in c8["cases"]] == ["a", "b"]
    assert [(o["case"], o["points"]) for o in c8["options"]] == [("a", 1), ("a", 3), ("b", 1), ("b", 3)]
    assert [o["points"] for o in _crit(26, "3.3")["options"]] == [1, 2, 4]
    assert (_crit(26, "3.5")["options"][0]["points"], _crit(26, "3.5")["options"][0].get("star")) == (1, 3)
    assert [o["points"] for o in _crit(26, "4.1")["options"]] == [1, 3, 5]


def test_annex_1_classification():
    groups = DOC["classification"]
    assert [g["code"] for g in groups] == ["I", "II", "III", "IV", "V", "VI"]
    assert groups[2]["name"] == "SẢN PHẨM DƯỢC LIỆU VÀ SẢN PHẨM TỪ DƯỢC LIỆU"

    def leaves(node):
        if "product_set" in node:
            yield node
        for child in node.get("subgroups", ()):
            yield from leaves(child)

    numbered = [leaf for g in groups for leaf in leaves(g)]
    assert [leaf["product_set"] for leaf in numbered] == list(range(1, 27))
    assert numbered[18]["name"] == "Mỹ phẩm có thành phần từ dược liệu"
    assert numbered[25]["name"] == "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"


def test_a_new_unrecorded_slip_fails_the_transcription():
    at = HTML.index("1.1. Nguồn gốc sản phẩm")
    at = HTML.index(">3</p>", at)  # the third option of set 1's criterion 1.1 (3 points)
    broken = HTML[:at] + ">33</p>" + HTML[at + len(">3</p>") :]
    assert broken != HTML
    _, unresolved = qd26.build(broken)
    assert unresolved == ["set 1: 1.1: best option 33, heading 3"]


# --- 2b. wording, notes, knock-outs and "Hồ sơ bị loại khi" of sets 1, 11, 26 against the plain text ------


def _txt_rows(product_set):
    """The plain text's numbered rows (number, wording) and note cells (text), in order."""
    numbered, notes = [], []
    for left, _right in _txt_cells(product_set):
        if re.match(r"^(□|o)\s", left):
            note = re.search(r"(Ghi chú:.*)$", left)
            if note:
                notes.append(_norm(note.group(1)))
            continue
        m = re.match(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$", left)
        if m:
            numbered.append((m.group(1), m.group(2)))
        elif left and not left.upper().startswith("PHẦN"):
            notes.append(left)
    return numbered, notes


def _yaml_rows(product_set):
    numbered, notes = [], []

    def walk(sections):
        for section in sections:
            if "number" in section:
                numbered.append((str(section["number"]), _norm(section.get("title", ""))))
            for criterion in section.get("criteria", ()):
                cid = str(criterion["id"])
                if cid != str(section.get("number")):
                    numbered.append((cid, _norm(criterion["text"])))
                for note in criterion.get("notes") or ():
                    notes.append((cid, _norm(note)))
                for case in criterion.get("cases") or ():
                    notes.append((cid, _norm(f"{case['code']}. {case['title']}")))
            walk(section.get("sections", ()))

    for code in ("A", "B", "C"):
        walk(RUBRICS[product_set]["parts"][code])
    return numbered, notes


@pytest.mark.parametrize("product_set", [1, 11, 26])
def test_every_criterion_s_wording_and_note_matches_the_plain_text(product_set):
    t_numbered, t_notes = _txt_rows(product_set)
    y_numbered, y_notes = _yaml_rows(product_set)
    assert [n for n, _ in y_numbered] == [n for n, _ in t_numbered]
    y_note_texts = [text for _, text in y_notes]
    for (number, wording), (_, printed) in zip(y_numbered, t_numbered, strict=True):
        # A note printed in the criterion's own cell ("5.3. Trí tuệ… Yêu cầu: …") is kept as a note.
        inline = next((n for cid, n in y_notes if cid == number and printed.endswith(n)), "")
        assert _norm(f"{wording} {inline}") == printed, number
    for printed in t_notes:
        assert printed in y_note_texts, printed
    for cid, note in y_notes:
        in_text = note in t_notes or any(n == cid and p.endswith(note) for n, p in t_numbered)
        assert in_text, (cid, note)


@pytest.mark.parametrize("product_set", [1, 11, 26])
def test_knockout_notes_are_the_sheet_s_own_and_of_the_right_kind(product_set):
    _, t_notes = _txt_rows(product_set)
    for criterion in _criteria(RUBRICS[product_set]):
        for knockout in criterion.get("knockouts") or ():
            assert _norm(knockout["text"]) in t_notes, (criterion["id"], knockout)
            assert knockout["text"] in criterion["notes"]
            expected = (
                "disqualify"
                if "Bị loại" in knockout["text"] or "bị loại" in knockout["text"]
                else "not_evaluated"
            )
            assert knockout["kind"] == expected, criterion["id"]
    # every note of the sheet that removes a dossier is a knock-out of its criterion
    removing = [
        n for n in t_notes if re.search(r"Bị loại|bị loại|Không đánh giá|Không xem xét|không đánh giá", n)
    ]
    recorded = [_norm(k["text"]) for c in _criteria(RUBRICS[product_set]) for k in c.get("knockouts") or ()]
    assert sorted(removing) == sorted(recorded)


@pytest.mark.parametrize("product_set", [1, 11, 26])
def test_disqualifier_lines_match_the_plain_text(product_set):
    annex = TXT[TXT.index("PHỤ LỤC II\n") : TXT.index("PHỤ LỤC III")]
    heads = [
        (int(m.group(1)), m.start()) for m in re.finditer(r"(?m)^(\d{1,2})\. (?:Bộ sản phẩm|Sản phẩm)", annex)
    ]
    start = dict(heads)[product_set]
    following = [s for n, s in heads if n > product_set]
    block = annex[start : min(following) if following else len(annex)]
    block = block[: block.index("Các tiêu chí")]
    printed = [
        _norm(m) for m in re.findall(r"Hồ sơ bị loại khi:\s*(.*?)(?=\nHồ sơ bị loại khi:|\Z)", block, re.S)
    ]
    assert list(dict.fromkeys(printed)) == [_norm(d) for d in RUBRICS[product_set]["disqualifiers"]]
    slips = {s["where"]: s for s in RUBRICS[product_set].get("slips", ())}
    if len(printed) != len(set(printed)):
        assert slips["disqualifiers"]["printed"] == len(printed)
    if not printed:
        assert slips["disqualifiers"]["field"] == "missing"
