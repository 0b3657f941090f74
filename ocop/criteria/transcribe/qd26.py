"""Transcribes Quyết định 26/2026/QĐ-TTg, Annex I (classification) and Annex II (the 26 scoring sheets),
from the decision's HTML into the YAML that `ocop.criteria.loader` reads.

    python manage.py transcribe_qd26 ocop/criteria/sources/qd-26-2026-TTg.html > ocop/criteria/data/QD26-2026.yaml

The sheets are two-column tables ("Các tiêu chí" | "Thang điểm"). Each row is one of:
- a part heading "Phần A: … (40 Điểm)" with the part's points in the right cell;
- a numbered heading "1. TỔ CHỨC SẢN XUẤT", "1.1. Nguồn gốc sản phẩm", "6.1.1. Tạp chất": a section or a
  criterion, with its maximum in the right cell; a numbered row followed by options is a criterion;
- an option "□ …" with its points, ending in `***`/`****`/`*****` when it is the minimum for 3★/4★/5★;
- a case heading of set 26 ("a. Trường hợp 1: …"): the options that follow belong to that case;
- a note (italic or "Ghi chú:", "Yêu cầu:", "Chú ý:", "Chỉ áp dụng…"); notes that knock a dossier out
  ("Bị loại nếu…", "Không đánh giá…", "Không xem xét các chỉ tiêu khác nếu…") are kept as knock-outs;
- "TỔNG CỘNG" with 100.
Before each sheet, the paragraphs "Hồ sơ bị loại khi: …" are the set's disqualifiers.

The copy has slips (a missing or misprinted point, a part heading that disagrees with its cell…). They are
not guessed away silently: `SLIPS` lists each one with what is printed, what is used and why, the parser
applies them and writes them into the YAML (`slips:`), and `problems()` reports anything else that does
not add up, so a new copy with new slips fails loudly instead of loading wrong points.
"""

import re
from decimal import Decimal

import yaml

from .htmltables import Table, read_blocks

SOURCE = {
    "document": "Quyết định số 26/2026/QĐ-TTg ngày 22/5/2026 của Thủ tướng Chính phủ",
    "official": "Cổng thông tin điện tử Chính phủ, Hệ thống văn bản (vanban.chinhphu.vn), văn bản số 218267",
    "copy": "Bản HTML của thư viện văn bản pháp luật (bảng giữ nguyên), lưu tại ocop/criteria/sources/qd-26-2026-TTg.html",
}

_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_PART = re.compile(r"^PHẦN\s+([ABC])\b[:.]?\s*(.*?)\s*(?:\((\d+)\s*ĐIỂM\))?\s*$", re.IGNORECASE)
_STARS = re.compile(r"\s*((?:\*\s*){3,5})$")
_CASE = re.compile(r"^([a-z])\.\s+(Trường hợp\s+\d+\s*:.*)$")
_SET_HEADING = re.compile(r"^(\d{1,2})\.\s+(?:Bộ sản phẩm:\s*)?(.+)$")
_DISQUALIFIER = re.compile(r"^(?:Hồ sơ\s+)?bị loại khi\s*:\s*(.+)$", re.IGNORECASE)
_KNOCKOUT = (
    ("disqualify", re.compile(r"\bbị loại\b", re.IGNORECASE)),
    ("not_evaluated", re.compile(r"không đánh giá|không xem xét", re.IGNORECASE)),
)
_BULLET = re.compile(r"^(□|o)\s+")
_NOTE_IN_OPTION = re.compile(r"\s*(Ghi chú:.*)$")
# Art. 7.2a: the commune assesses "nguồn gốc sản phẩm, nguyên liệu địa phương; sử dụng lao động địa phương;
# nguồn gốc ý tưởng sản phẩm; bản sắc, trí tuệ địa phương": the criteria whose wording names them are local.
_LOCAL = re.compile(
    r"^(nguồn gốc sản phẩm|nguồn nguyên liệu|nguồn gốc nguyên liệu|sử dụng lao động địa phương|"
    r"nguồn gốc ý tưởng|trí tuệ\s*/\s*bản sắc|bản sắc)",
    re.IGNORECASE,
)
_NOTE_PREFIX = re.compile(r"^(Ghi chú|Chú ý|Yêu cầu|Chỉ áp dụng|Lựa chọn|\()", re.IGNORECASE)

# Known slips of the copy: (product set, where, field) → (printed, used, why). `where` is a criterion
# number, an option "criterion#n" (1-based, document order) or "part:X".
SLIPS = {
    (11, "1.2#1", "points"): (
        None,
        0,
        "Ô điểm của phương án “Không được cấp giấy chứng nhận chất lượng” để trống; mọi bộ khác cho phương án "
        "này 0 điểm và tiêu chí 1.2 vẫn tối đa 2 điểm, nên dùng 0.",
    ),
    (11, "6.1.1#2", "points"): (
        11,
        1,
        "In “11” cho phương án giữa của tiêu chí 6.1.1 (tối đa 2 điểm, các phương án 0 – ? – 2); lỗi gõ lặp "
        "chữ số, dùng 1 (tổng phần C mới đúng 35).",
    ),
    (4, "1.2#1", "points"): (
        None,
        0,
        "Ô điểm của phương án “Không được cấp giấy chứng nhận chất lượng” để trống; các bộ khác cho 0 điểm.",
    ),
    (7, "1.2#1", "points"): (
        None,
        0,
        "Ô điểm của phương án “Không được cấp giấy chứng nhận chất lượng” để trống; các bộ khác cho 0 điểm.",
    ),
    (10, "1.2#1", "points"): (
        None,
        0,
        "Ô điểm của phương án “Không được cấp giấy chứng nhận chất lượng” để trống; các bộ khác cho 0 điểm.",
    ),
    (4, "7#3", "points"): (
        13,
        3,
        "In “13” cho phương án cao nhất của tiêu chí 7 (Dinh dưỡng), tiêu chí tối đa 3 điểm; lỗi gõ thừa chữ "
        "số, dùng 3 (tổng phần C mới đúng 35).",
    ),
    (3, "5.1#5", "star_marker"): (
        "* * * *",
        4,
        "Dấu sao in cách nhau “* * * *” (các bộ khác in “****” cho cùng phương án); là dấu 4 sao.",
    ),
    (7, "7#4", "bullet"): (
        "o",
        "□",
        "Phương án “Rất độc đáo và có tính đặc trưng*****” in dấu “o” thay cho ô “□”; vẫn là phương án thứ tư "
        "(5 điểm) của tiêu chí 7.",
    ),
    (21, "6.2#3", "note_in_option"): (
        "Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ",
        "knockout",
        "Ghi chú loại sản phẩm in chung ô với phương án 3 (sau dấu *****); tách thành ghi chú loại của tiêu chí 6.2.",
    ),
    (22, "6.2#3", "note_in_option"): (
        "Ghi chú: Nếu sản phẩm vi phạm sở hữu trí tuệ, sẽ bị loại bỏ",
        "knockout",
        "Ghi chú loại sản phẩm in chung ô với phương án 3 (sau dấu *****); tách thành ghi chú loại của tiêu chí 6.2.",
    ),
    (23, "9", "max_points"): (
        "4 1",
        4,
        "Ô điểm tối đa của tiêu chí 9 in “4 1”; phương án cao nhất là 4 và phần C chỉ đủ 35 với 4; dùng 4.",
    ),
    (26, "part:A", "title_points"): (
        35,
        40,
        "Tiêu đề in “(35 Điểm)” nhưng ô điểm ghi 40, các mục 1–3 cộng 14 + 12 + 14 = 40 và A + B + C = 100; "
        "dùng 40.",
    ),
}


def _to_number(text):
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        return text
    return int(value) if value == value.to_integral_value() else float(value)


def _knockout_kind(text):
    for kind, pattern in _KNOCKOUT:
        if pattern.search(text):
            return kind
    return None


class Sheet:
    """One product set's sheet while it is being read."""

    def __init__(self, number, heading):
        self.number = number
        self.heading = heading
        self.classification = ""
        self.disqualifiers = []
        self.parts = []
        self.total = None
        self.slips = []
        self.problems = []
        self.star_note = False

    def slip(self, where, field, printed):
        key = (self.number, where, field)
        if key not in SLIPS:
            return printed, False
        expected, used, why = SLIPS[key]
        if expected != printed:
            self.problems.append(f"{where}: slip recorded for {expected!r} but the copy prints {printed!r}")
            return printed, False
        self.slips.append({"where": where, "field": field, "printed": printed, "used": used, "why": why})
        return used, True


def _read_sheet(sheet, table):
    part = None
    stack = []  # numbered nodes of the current part: [(depth, node)]
    current = None  # the last numbered node (criterion candidate)
    case = None
    for row in table.rows:
        cells = [c for c in row if c.text or c.paras]
        if not cells:
            continue
        left = row[0]
        text = left.text
        right = row[-1].text if len(row) > 1 else ""
        if not text or text.lower() in ("các tiêu chí",):
            continue
        if text.upper().startswith("TỔNG CỘNG"):
            sheet.total = _to_number(right)
            continue
        m = _PART.match(text)
        if m:
            code = m.group(1).upper()
            points = _to_number(right)
            printed = int(m.group(3)) if m.group(3) else None
            if printed is not None and printed != points:
                used, ok = sheet.slip(f"part:{code}", "title_points", printed)
                if not ok or used != points:
                    sheet.problems.append(f"part {code}: heading says {printed}, cell says {points}")
            part = {"code": code, "title": m.group(2).strip(" :"), "max_points": points, "sections": []}
            sheet.parts.append(part)
            stack, current, case = [], None, None
            continue
        if part is None:
            sheet.problems.append(f"row outside a part: {text[:60]}")
            continue
        bullet = _BULLET.match(text)
        if bullet:
            if current is None:
                sheet.problems.append(f"option before any criterion: {text[:60]}")
                continue
            index = len(current.setdefault("options", [])) + 1
            if bullet.group(1) != "□":
                used, ok = sheet.slip(f"{current['number']}#{index}", "bullet", bullet.group(1))
                if not ok:
                    sheet.problems.append(f"{current['number']}: option {index} marked {bullet.group(1)!r}")
            body = text[bullet.end() :].strip()
            option = {}
            note = _NOTE_IN_OPTION.search(body)
            if note:
                used, ok = sheet.slip(f"{current['number']}#{index}", "note_in_option", note.group(1))
                if ok:
                    body = body[: note.start()].rstrip()
                    current.setdefault("notes", []).append(note.group(1))
                    current.setdefault("knockouts", []).append(
                        {"kind": _knockout_kind(note.group(1)), "text": note.group(1)}
                    )
                else:
                    sheet.problems.append(f"{current['number']}: a note inside option {index}")
            stars = _STARS.search(body)
            if stars:
                marker = stars.group(1).strip()
                if " " in marker:
                    sheet.slip(f"{current['number']}#{index}", "star_marker", marker)
                    if (sheet.number, f"{current['number']}#{index}", "star_marker") not in SLIPS:
                        sheet.problems.append(f"{current['number']}: spaced star marker {marker!r}")
                option["star"] = marker.count("*")
                body = body[: stars.start()].rstrip()
            if "*" in body:
                sheet.problems.append(f"{current['number']}: star marker inside an option's text")
            option["text"] = body
            points = _to_number(right)
            points, _ = sheet.slip(f"{current['number']}#{index}", "points", points)
            option["points"] = points
            if case:
                option["case"] = case
            current["options"].append(option)
            continue
        m = _CASE.match(text)
        if m and current is not None:
            case = m.group(1)
            current.setdefault("cases", []).append({"code": case, "title": m.group(2).strip()})
            continue
        m = _NUMBERED.match(text)
        if m and not (left.italic and not left.bold and _to_number(right) is None):
            number, title = m.group(1), m.group(2).strip()
            # A heading cell may hold a requirement paragraph ("Yêu cầu: …") after the wording: a note.
            cell_notes = []
            paras = [p.text for p in left.paras if p.text]
            if len(paras) > 1:
                head = [paras[0]]
                for extra in paras[1:]:
                    note = _NOTE_PREFIX.match(extra) and not extra.startswith("(")
                    (cell_notes if note else head).append(extra)
                title = _NUMBERED.match(" ".join(head)).group(2).strip()
            depth = number.count(".") + 1
            maximum = _to_number(right)
            if isinstance(maximum, str):
                maximum, _ = sheet.slip(number, "max_points", maximum)
            node = {"number": number, "title": title, "max_points": maximum, "children": []}
            for note in cell_notes:
                node.setdefault("notes", []).append(note)
                if _knockout_kind(note):
                    node.setdefault("knockouts", []).append({"kind": _knockout_kind(note), "text": note})
            stars = _STARS.search(title)
            if stars:
                sheet.problems.append(f"{number}: star marker on a heading, not on an option")
            while stack and stack[-1][0] >= depth:
                stack.pop()
            (stack[-1][1]["children"] if stack else part["sections"]).append(node)
            stack.append((depth, node))
            current, case = node, None
            continue
        # a note: attached to the last numbered node (or to the part when none yet)
        holder = current if current is not None else part
        holder.setdefault("notes", []).append(text)
        kind = _knockout_kind(text)
        if kind:
            holder.setdefault("knockouts", []).append({"kind": kind, "text": text})


def extract(html_text):
    """{"classification": [...], "sets": [Sheet, ...]} from the decision's HTML."""
    blocks = read_blocks(html_text)
    texts = [(i, b) for i, (kind, b, _) in enumerate(blocks) if kind == "p"]
    start1 = next(
        i for i, p in texts if p.text.startswith("PHỤ LỤC I") and not p.text.startswith("PHỤ LỤC II")
    )
    start2 = next(
        i for i, p in texts if p.text.startswith("PHỤ LỤC II") and not p.text.startswith("PHỤ LỤC III")
    )
    end2 = next(i for i, p in texts if p.text.startswith("PHỤ LỤC III"))
    classification = _read_annex1(next(b for kind, b, _ in blocks[start1:start2] if kind == "table"))
    names = {}
    sheets = []
    sheet = None
    index_read = False
    for kind, block, _ in blocks[start2:end2]:
        if kind == "table":
            if not index_read:
                index_read = True
                for row in block.rows:
                    if len(row) >= 2 and row[0].text.isdigit():
                        names[int(row[0].text)] = re.sub(r"^Bộ sản phẩm:\s*", "", row[1].text)
                continue
            if sheet is not None and len(block.rows) > 5 and not sheet.parts:
                _read_sheet(sheet, block)
            continue
        text = block.text
        m = _SET_HEADING.match(text)
        if m and block.bold and int(m.group(1)) == len(sheets) + 1:
            sheet = Sheet(int(m.group(1)), m.group(2).strip())
            sheets.append(sheet)
            continue
        if sheet is None:
            continue
        if text.startswith("(Sản phẩm:") and not sheet.classification:
            sheet.classification = text.strip("() ")
            continue
        m = _DISQUALIFIER.match(text)
        if m and not sheet.parts:
            line = m.group(1).strip()
            if line in sheet.disqualifiers:
                sheet.slips.append(
                    {
                        "where": "disqualifiers",
                        "field": "duplicate",
                        "printed": 2,
                        "used": 1,
                        "why": "Dòng “Hồ sơ bị loại khi” in hai lần giống hệt nhau; giữ một dòng.",
                    }
                )
            else:
                sheet.disqualifiers.append(line)
                if not text.lower().startswith("hồ sơ"):
                    sheet.slips.append(
                        {
                            "where": "disqualifiers",
                            "field": "heading",
                            "printed": text.split(":")[0],
                            "used": "Hồ sơ bị loại khi",
                            "why": "Dòng loại hồ sơ in “Bị loại khi” thay vì “Hồ sơ bị loại khi”; cùng nghĩa, "
                            "ghi là dòng loại hồ sơ của bộ.",
                        }
                    )
            continue
        if text.startswith("Ghi chú: Dấu sao") and sheet.parts:
            sheet.star_note = True
    for sheet in sheets:
        sheet.name = names.get(sheet.number, sheet.heading)
    return {"classification": classification, "sets": sheets, "names": names}


def _read_annex1(table: Table):
    """Annex I: I–VI product groups → nhóm → phân nhóm, with the managing ministries. The 26 leaves, in
    order, are product sets 1–26 of Annex II."""
    groups = []
    group = nhom = None
    leaves = []
    for row in table.rows:
        if len(row) < 2:
            continue
        stt, label = row[0].text.strip(), row[1].text.strip()
        ministry = row[2].text.strip() if len(row) > 2 else ""
        if not stt or stt == "STT":
            continue
        if re.fullmatch(r"[IVX]+", stt):
            group = {"code": stt, "name": label, "subgroups": []}
            groups.append(group)
            nhom = None
        elif stt.isdigit():
            nhom = {
                "code": stt,
                "name": re.sub(r"^Nhóm:\s*", "", label),
                "ministry": ministry,
                "subgroups": [],
            }
            group["subgroups"].append(nhom)
            leaves.append((group, nhom, None))
        elif re.fullmatch(r"[a-z]", stt):
            sub = {"code": stt, "name": re.sub(r"^Phân nhóm:\s*", "", label), "ministry": ministry}
            nhom["subgroups"].append(sub)
            if leaves and leaves[-1][1] is nhom and leaves[-1][2] is None:
                leaves.pop()
            leaves.append((group, nhom, sub))
    for number, (_group, nhom, sub) in enumerate(leaves, start=1):
        (sub or nhom)["product_set"] = number
    return groups


# --- checks -------------------------------------------------------------------------------------------


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.get("children", ()))


def _n(value):
    return value if isinstance(value, int | float) else 0


def problems(sheet):
    """What does not add up in a sheet after the recorded slips: a list of readable lines."""
    out = list(sheet.problems)
    for part in sheet.parts:
        for node in _walk(part["sections"]):
            if not isinstance(node["max_points"], int | float) and not (
                node["max_points"] is None and node.get("options")
            ):
                out.append(f"{node['number']}: maximum {node['max_points']!r}")
    if [p["code"] for p in sheet.parts] != ["A", "B", "C"]:
        out.append(f"parts are {[p['code'] for p in sheet.parts]}")
    if sum(_n(p["max_points"]) for p in sheet.parts) != 100 or sheet.total != 100:
        out.append(
            f"parts add up to {sum(_n(p['max_points']) for p in sheet.parts)}, total row {sheet.total}"
        )
    for part in sheet.parts:
        if sum(_n(n["max_points"]) for n in part["sections"]) != part["max_points"]:
            out.append(
                f"part {part['code']}: sections add up to {sum(_n(n['max_points']) for n in part['sections'])}"
            )
        for node in _walk(part["sections"]):
            options = node.get("options")
            children = node["children"]
            if options and children:
                out.append(f"{node['number']}: options and sub-criteria")
            if children and sum(_n(c["max_points"]) for c in children) != node["max_points"]:
                out.append(
                    f"{node['number']}: sub-items add up to {sum(_n(c['max_points']) for c in children)}, heading {node['max_points']}"
                )
            if options:
                for i, o in enumerate(options, start=1):
                    if not isinstance(o["points"], int | float):
                        out.append(f"{node['number']} option {i}: points {o['points']!r}")
                best = _best(node)
                if best != node["max_points"]:
                    out.append(f"{node['number']}: best option {best}, heading {node['max_points']}")
            if not options and not children and node["max_points"] not in (None, 1):
                out.append(f"{node['number']}: no options")
    return out


def _best(node):
    """The most a criterion can give: its best option, or for a criterion of alternative cases (set 26)
    the best option of each case, which must agree."""
    values = [o["points"] for o in node.get("options", ()) if isinstance(o["points"], int | float)]
    return max(values) if values else None


# --- YAML ------------------------------------------------------------------------------------------------


IMPLICIT_OPTIONS_NOTE = (
    "Phụ lục II chỉ in tên tiêu chí và điểm tối đa (1), không in phương án; bản chép dùng hai phương án "
    "Không/Có (0 hoặc 1 điểm)."
)


def _criterion(node):
    criterion = {"id": node["number"], "text": node["title"], "max_points": node["max_points"]}
    if _LOCAL.match(node["title"]):
        criterion["local"] = True
    if node.get("notes"):
        criterion["notes"] = node["notes"]
    if node.get("knockouts"):
        criterion["knockouts"] = node["knockouts"]
    if node.get("cases"):
        criterion["cases"] = node["cases"]
    if node.get("options"):
        criterion["options"] = node["options"]
    else:
        criterion["options"] = [
            {"text": "Không", "points": 0},
            {"text": "Có", "points": node["max_points"]},
        ]
        criterion["implicit_options"] = IMPLICIT_OPTIONS_NOTE
    return criterion


def _section(node):
    section = {"number": node["number"], "title": node["title"], "max_points": node["max_points"]}
    if node.get("notes") and node["children"]:
        section["notes"] = node["notes"]
    if node.get("knockouts") and node["children"]:
        section["knockouts"] = node["knockouts"]
    if not node["children"]:
        # a numbered heading with options of its own ("7. TÍNH ĐỘC ĐÁO"): a section of one criterion
        section["criteria"] = [_criterion(node)]
        return section
    criteria, sections = [], []
    for child in node["children"]:
        if child["children"]:
            sections.append(_section(child))
        else:
            criteria.append(_criterion(child))
    if criteria:
        section["criteria"] = criteria
    if sections:
        section["sections"] = sections
    return section


def rubric(sheet):
    out = {
        "product_sets": [sheet.number],
        "name": sheet.name,
        "heading": sheet.heading,
        "classification": sheet.classification,
        "disqualifiers": sheet.disqualifiers,
        "parts": {},
    }
    if sheet.slips:
        out["slips"] = sheet.slips
    for part in sheet.parts:
        sections = [_section(n) for n in part["sections"]]
        out["parts"][part["code"]] = sections
        if part.get("notes"):
            out.setdefault("part_notes", {})[part["code"]] = part["notes"]
    return out


def build(html_text):
    """The whole criteria-set document (a dict ready for YAML) and the list of unresolved problems."""
    data = extract(html_text)
    unresolved = []
    rubrics = []
    for sheet in data["sets"]:
        for line in problems(sheet):
            unresolved.append(f"set {sheet.number}: {line}")
        if not sheet.disqualifiers:
            sheet.slips.append(
                {
                    "where": "disqualifiers",
                    "field": "missing",
                    "printed": None,
                    "used": [],
                    "why": "Bản sao không in dòng “Hồ sơ bị loại khi” cho bộ này; văn bản im lặng, không tự thêm.",
                }
            )
        rubrics.append(rubric(sheet))
    document = {
        "code": "QD26-2026",
        "title": "Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP (QĐ 26/2026/QĐ-TTg)",
        "title_en": "OCOP product evaluation and rating criteria (Decision 26/2026/QĐ-TTg)",
        "legal_basis": "QĐ 26/2026/QĐ-TTg ngày 22/5/2026, Điều 3, Phụ lục I, Phụ lục II",
        "legal_note": (
            "Chép từ Phụ lục II của Quyết định bằng trình chép ocop/criteria/transcribe/qd26.py, đã rà soát; "
            "các lỗi in của bản sao và cách xử lý ghi ở mục slips của từng bộ."
        ),
        "source": SOURCE,
        "valid_from": "2026-05-22",
        "valid_to": None,
        "status": "published",
        "parts": [
            {
                "code": "A",
                "max_points": 40,
                "title": "Sản phẩm và sức mạnh của cộng đồng",
                "title_en": "Product and community strength",
            },
            {"code": "B", "max_points": 25, "title": "Khả năng tiếp thị", "title_en": "Marketing capacity"},
            {"code": "C", "max_points": 35, "title": "Chất lượng sản phẩm", "title_en": "Product quality"},
        ],
        "star_note": "Dấu sao là yêu cầu tối thiểu phải đạt theo các cấp độ sao (*** - 3 sao; **** - 4 sao; ***** - 5 sao)",
        "classification": data["classification"],
        "rubrics": rubrics,
    }
    return document, unresolved


def dump(document):
    header = (
        "# QĐ 26/2026/QĐ-TTg (22/5/2026), Annex I and Annex II: the 26 scoring sheets.\n"
        "# GENERATED by `manage.py transcribe_qd26 ocop/criteria/sources/qd-26-2026-TTg.html`, then reviewed\n"
        "# against the decision's text (tests/criteria/test_qd26_transcription.py). Slips of the copy and how\n"
        "# each was resolved are under `slips:` of each rubric and in docs/evaluation.md.\n"
        "# Stars: an option's `star: 3|4|5` is the *** / **** / ***** marker = the minimum for that rating.\n"
    )
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)
