"""Star computation: a pure function of (rubric tree, answers, bonus flags). No database, no Django.

A rubric tree is a dict::

    {"parts": [{"code": "A", "max_points": 35, "sections": [
        {"title": ..., "criteria": [{"id": "A1", "text": ..., "options": [{"id": "A1a", "points": 1}, ...],
                                     "mandatory_for": {"3": 1}}],
         "sections": [...]}]}],
     "bonus": {"women_led": 0, "ethnic_minority_led": 0}}

Rules (docs/evaluation.md):
- one option per criterion; every criterion must be answered;
- total = sum of the chosen options' points, plus bonus points for the producer's flags, never above 100;
- star = band of the total: < 30 → 1, < 50 → 2, < 70 → 3, < 90 → 4, 90–100 → 5 (potential 5★ until the
  ministry recognises it); bands are half-open, so 69,99 is 3★;
- `mandatory_for: {"3": n}` on a criterion means a product needs at least n points on it to be rated 3★
  (and above); an unmet minimum for star s caps the star at s − 1;
- a council result is the average of the members' totals; its mandatory check uses the average points
  per criterion;
- QĐ 26/2026 Art. 3 and Annex II: the star markers *** / **** / ***** on an option become `mandatory_for`
  (loader); criterion 3.2 (legal representative who is a woman, an ethnic minority or a person with a
  disability) is an ordinary criterion of part A, and its rubrics carry no bonus rule, so bonus flags add
  nothing (accepted for compatibility with the QĐ 1048/148 rubrics);
- knock-outs: the evaluator names the rubric's knock-out notes ("Bị loại nếu…", "Không đánh giá…") or the
  set's "Hồ sơ bị loại khi" lines that apply; the result then lists them in `knockouts` ({"criterion": id or
  None, "reason": text}) and is not a rating: callers check `knockouts` before `star` (which stays within
  1..5 for the API contract; `potential_5_star` is False); criteria after the note may stay unanswered (the
  sheet says not to evaluate further). Empty list when none.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

STAR_BANDS = ((Decimal(90), 5), (Decimal(70), 4), (Decimal(50), 3), (Decimal(30), 2), (Decimal(0), 1))
MAX_TOTAL = Decimal(100)
MANDATORY_STARS = ("3", "4", "5")
BONUS_FLAGS = ("women_led", "ethnic_minority_led")
CENT = Decimal("0.01")


class ScoreInputError(ValueError):
    """Answers that do not fit the rubric. `code` is stable for the API; `criterion` names the fault."""

    def __init__(self, code, message, criterion=None):
        super().__init__(message)
        self.code, self.message, self.criterion = code, message, criterion


@dataclass(frozen=True)
class ScoreResult:
    total: Decimal
    parts: dict
    star: int
    band_star: int
    potential_5_star: bool
    unmet_mandatory: list = field(default_factory=list)
    bonus: Decimal = Decimal(0)
    knockouts: list = field(default_factory=list)

    @property
    def knocked_out(self):
        return bool(self.knockouts)

    def as_json(self):
        return {
            "total": float(self.total),
            "parts": {code: float(points) for code, points in self.parts.items()},
            "star": self.star,
            "potential_5_star": self.potential_5_star,
            "unmet_mandatory": self.unmet_mandatory,
            "knockouts": self.knockouts,
        }


def q2(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def band(total):
    """The star band of a total (half-open bands)."""
    total = Decimal(total)
    for floor, star in STAR_BANDS:
        if total >= floor:
            return star
    return 1


def iter_criteria(node):
    """Yield every criterion of a part or section, depth first, in document order."""
    yield from node.get("criteria", ())
    for section in node.get("sections", ()):
        yield from iter_criteria(section)


def criteria_by_part(tree):
    """[(part code, criterion)] for the whole rubric."""
    return [(part["code"], c) for part in tree.get("parts", ()) for c in iter_criteria(part)]


def criterion_index(tree):
    """{criterion id: (part code, criterion, {option id: points})}."""
    return {
        c["id"]: (code, c, {str(o["id"]): Decimal(str(o["points"])) for o in c["options"]})
        for code, c in criteria_by_part(tree)
    }


def knockout_reasons(tree, knockouts):
    """[{"criterion": id or None, "reason": text}] for the knock-outs an evaluator found.

    Each item is a criterion id (its knock-out notes in the rubric give the reason), "disqualifier:N" (the
    set's N-th "Hồ sơ bị loại khi" line, 1-based), or {"criterion": id or None, "reason": text} (a reason in
    the evaluator's words; with a criterion id the criterion must exist)."""
    if knockouts in (None, (), []):
        return []
    if not isinstance(knockouts, (list, tuple)):
        raise ScoreInputError("bad_knockouts", "knockouts must be a list")
    index = {c["id"]: c for _, c in criteria_by_part(tree)}
    disqualifiers = tree.get("disqualifiers") or []
    out = []
    for item in knockouts:
        if isinstance(item, dict):
            cid, reason = item.get("criterion"), str(item.get("reason") or "").strip()
            if cid is not None and str(cid) not in index:
                raise ScoreInputError("unknown_criterion", f"knock-out of unknown criterion: {cid}", str(cid))
            if not reason and cid is not None:
                reason = _knockout_text(index[str(cid)])
            if not reason:
                raise ScoreInputError("bad_knockouts", "a knock-out needs a reason")
            out.append({"criterion": None if cid is None else str(cid), "reason": reason})
            continue
        item = str(item)
        if item.startswith("disqualifier:"):
            try:
                line = disqualifiers[int(item.split(":", 1)[1]) - 1]
            except (ValueError, IndexError):
                raise ScoreInputError("bad_knockouts", f"unknown disqualifier: {item}") from None
            out.append({"criterion": None, "reason": line})
            continue
        if item not in index:
            raise ScoreInputError("unknown_criterion", f"knock-out of unknown criterion: {item}", item)
        reason = _knockout_text(index[item])
        if not reason:
            raise ScoreInputError("bad_knockouts", f"criterion {item} has no knock-out note", item)
        out.append({"criterion": item, "reason": reason})
    return out


def council_knockouts(marks):
    """The council's judgement of the knock-outs its members marked (docs/evaluation.md, "Knock-outs").

    `marks` holds one list per submitted sheet: the knock-outs that member found ({"criterion": id or None,
    "reason": text}, as `knockout_reasons` returns them; empty when none). QĐ 26/2026 leaves the council's
    way of deciding to its rules (Quy chế hoạt động, Art. 7.3b, 7.3d); the platform removes the dossier when
    more than half of the submitted sheets carry a knock-out, like the average that decides the star: one
    member's sheet is one vote, never a veto. Returns (knocked_out, reasons, voters): the reasons are every
    knock-out marked, in first-marked order, each with `members`, the number of sheets that marked it."""
    marks = [list(m or ()) for m in marks]
    voters = sum(1 for m in marks if m)
    reasons = {}
    for sheet in marks:
        for key in dict.fromkeys(
            (i.get("criterion") or None, str(i.get("reason") or "").strip()) for i in sheet
        ):
            if key not in reasons:
                reasons[key] = {"criterion": key[0], "reason": key[1], "members": 0}
            reasons[key]["members"] += 1
    reasons = list(reasons.values())
    return bool(marks) and voters * 2 > len(marks), reasons, voters


def _knockout_text(criterion):
    return "; ".join(k["text"] for k in criterion.get("knockouts") or () if k.get("text"))


def check_answers(index, answers, *, partial=False):
    """Map answers to {criterion id: points}, or raise ScoreInputError naming the first fault. `partial`
    (a knocked-out sheet) accepts unanswered criteria, counted as 0."""
    if not isinstance(answers, dict):
        raise ScoreInputError("bad_answers", "answers must be an object of criterion id → option id")
    option_owner = {oid: cid for cid, (_, _, options) in index.items() for oid in options}
    points = {}
    for cid, oid in answers.items():
        cid = str(cid)
        if cid not in index:
            raise ScoreInputError("unknown_criterion", f"unknown criterion: {cid}", cid)
        if isinstance(oid, (list, tuple)):
            raise ScoreInputError(
                "several_options", f"criterion {cid}: choose one option, not {len(oid)}", cid
            )
        oid = str(oid)
        options = index[cid][2]
        if oid not in options:
            owner = option_owner.get(oid)
            if owner:
                raise ScoreInputError(
                    "option_of_other_criterion",
                    f"criterion {cid}: option {oid} belongs to criterion {owner}",
                    cid,
                )
            raise ScoreInputError("unknown_option", f"criterion {cid}: unknown option {oid}", cid)
        points[cid] = options[oid]
    missing = [cid for cid in index if cid not in points]
    if partial:
        return {cid: points.get(cid, Decimal(0)) for cid in index}
    if missing:
        raise ScoreInputError("missing_criterion", f"missing criterion: {', '.join(missing)}", missing[0])
    return points


def bonus_points(tree, bonus):
    rules = tree.get("bonus") or {}
    bonus = bonus or {}
    return sum((Decimal(str(rules.get(flag, 0))) for flag in BONUS_FLAGS if bonus.get(flag)), Decimal(0))


def _result(tree, index, criterion_points, base_total, part_totals, bonus, knockouts=()):
    extra = bonus_points(tree, bonus)
    total = q2(min(MAX_TOTAL, base_total + extra))
    band_star = band(total)
    unmet = []
    for cid, (_, criterion, _) in index.items():
        for s, required in sorted((criterion.get("mandatory_for") or {}).items()):
            required = Decimal(str(required))
            if criterion_points[cid] < required:
                unmet.append(
                    {
                        "criterion": cid,
                        "star": int(s),
                        "required": float(required),
                        "points": float(q2(criterion_points[cid])),
                    }
                )
    # An unmet minimum for star s caps the star at s - 1 (the lowest such cap wins).
    star = max(1, min([band_star] + [item["star"] - 1 for item in unmet if item["star"] <= band_star]))
    unmet.sort(key=lambda item: (item["star"], item["criterion"]))
    return ScoreResult(
        total=total,
        parts={code: q2(points) for code, points in part_totals.items()},
        star=star,
        band_star=band_star,
        # A knocked-out dossier is removed from scoring: never a nomination. `star` stays within 1..5 (the
        # API contract); the caller reads `knockouts` first.
        potential_5_star=star == 5 and not knockouts,
        unmet_mandatory=unmet,
        bonus=extra,
        knockouts=list(knockouts),
    )


def compute(tree, answers, bonus=None, knockouts=None):
    """Score one sheet: answers {criterion id: option id}, bonus {"women_led": bool, ...}, knockouts as in
    `knockout_reasons`."""
    index = criterion_index(tree)
    found = knockout_reasons(tree, knockouts)
    points = check_answers(index, answers, partial=bool(found))
    part_totals = {part["code"]: Decimal(0) for part in tree.get("parts", ())}
    for cid, value in points.items():
        part_totals[index[cid][0]] += value
    return _result(tree, index, points, sum(points.values(), Decimal(0)), part_totals, bonus, found)


def aggregate(tree, sheets, bonus=None, knockouts=None):
    """The council's result from several members' answers: averages of totals, parts and criteria."""
    if not sheets:
        raise ScoreInputError("no_sheets", "no scoresheet to aggregate")
    index = criterion_index(tree)
    found = knockout_reasons(tree, knockouts)
    per_sheet = [check_answers(index, answers, partial=bool(found)) for answers in sheets]
    n = Decimal(len(per_sheet))
    avg_points = {cid: sum(p[cid] for p in per_sheet) / n for cid in index}
    part_totals = {part["code"]: Decimal(0) for part in tree.get("parts", ())}
    for cid, value in avg_points.items():
        part_totals[index[cid][0]] += value
    base = sum((sum(p.values(), Decimal(0)) for p in per_sheet), Decimal(0)) / n
    return _result(tree, index, avg_points, base, part_totals, bonus, found)


def spread(tree, sheets, threshold):
    """Criteria where members' points differ by more than `threshold`: [{criterion, min, max}]."""
    index = criterion_index(tree)
    flagged = []
    for cid in index:
        values = [index[cid][2].get(str(s.get(cid)), Decimal(0)) for s in sheets if cid in s]
        if len(values) > 1 and max(values) - min(values) > Decimal(str(threshold)):
            flagged.append({"criterion": cid, "min": float(min(values)), "max": float(max(values))})
    return flagged


def max_points(tree):
    return sum(
        (max(Decimal(str(o["points"])) for o in c["options"]) for _, c in criteria_by_part(tree)), Decimal(0)
    )
