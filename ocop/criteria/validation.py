"""Checks a rubric tree: ids unique, options well formed, part totals add up to the part maxima,
mandatory minimums reachable. Returns a list of readable problems (empty when valid)."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .scoring import MANDATORY_STARS, iter_criteria


def _number(value):
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _best(criterion):
    values = [_number(o.get("points")) for o in criterion.get("options") or () if isinstance(o, dict)]
    values = [v for v in values if v is not None]
    return max(values) if values else Decimal(0)


def _section_best(section):
    return sum((_best(c) for c in iter_criteria(section)), Decimal(0))


def _line(node):
    line = node.get("__line__") if isinstance(node, dict) else None
    return _("line %(line)s: ") % {"line": line} if line else ""


def _sections_ok(node, problems, where):
    for i, section in enumerate(node.get("sections", ()) or ()):
        if not isinstance(section, dict):
            problems.append(_("%(where)s: section %(n)s is not an object.") % {"where": where, "n": i + 1})
            continue
        if not str(section.get("title", "")).strip():
            problems.append(_("%(where)s: section %(n)s has no title.") % {"where": where, "n": i + 1})
        if section.get("max_points") is not None:
            maximum, total = _number(section["max_points"]), _section_best(section)
            if maximum is None or maximum != total:
                problems.append(
                    _line(section)
                    + _(
                        "Section %(number)s “%(title)s”: the best options add up to %(total)s points, but the section is worth %(max)s."
                    )
                    % {
                        "number": section.get("number", i + 1),
                        "title": section.get("title", ""),
                        "total": total,
                        "max": section["max_points"],
                    }
                )
        _sections_ok(section, problems, where)


def validate_tree(tree, part_maxima, *, complete=True):
    """Problems of `tree` against the set's parts ({code: max}). `complete=False` accepts empty parts
    (a draft being built); a rubric can only be published when it is complete."""
    problems = []
    if not isinstance(tree, dict) or not isinstance(tree.get("parts"), list):
        return [_("The rubric must have a list of parts.")]
    codes = [p.get("code") for p in tree["parts"] if isinstance(p, dict)]
    if sorted(codes) != sorted(part_maxima):
        problems.append(
            _("The parts must be exactly %(expected)s (found %(found)s).")
            % {"expected": ", ".join(sorted(part_maxima)), "found": ", ".join(map(str, codes)) or "—"}
        )
        return problems
    criterion_ids, option_ids = set(), set()
    for part in tree["parts"]:
        code, maximum = part["code"], Decimal(str(part_maxima[part["code"]]))
        _sections_ok(part, problems, _("Part %(code)s") % {"code": code})
        criteria = list(iter_criteria(part))
        if not criteria and not complete:
            continue
        if not criteria:
            problems.append(_("Part %(code)s has no criteria.") % {"code": code})
            continue
        part_total = Decimal(0)
        for criterion in criteria:
            before = len(problems)
            _check_criterion(criterion, code, maximum, criterion_ids, option_ids, problems)
            if len(problems) > before and _line(criterion):
                problems[before:] = [
                    p if p.startswith(_line(criterion)[:5]) else _line(criterion) + p
                    for p in problems[before:]
                ]
            if criterion.get("options"):
                part_total += _best(criterion)
        if part_total != maximum:
            problems.append(
                _(
                    "Part %(code)s: the best options add up to %(total)s points, but the part is worth %(max)s."
                )
                % {"code": code, "total": part_total, "max": maximum}
            )
    for flag, value in (tree.get("bonus") or {}).items():
        if flag == "__line__":
            continue
        number = _number(value)
        if flag not in ("women_led", "ethnic_minority_led") or number is None or number < 0 or number > 10:
            problems.append(_("Bonus rule %(flag)s is not valid.") % {"flag": flag})
    return problems


def _check_criterion(criterion, code, maximum, criterion_ids, option_ids, problems):
    cid = str(criterion.get("id", "")).strip()
    if not cid:
        problems.append(_("Part %(code)s: a criterion has no id.") % {"code": code})
        return
    if cid in criterion_ids:
        problems.append(_("Criterion id %(id)s is used twice.") % {"id": cid})
    criterion_ids.add(cid)
    if not str(criterion.get("text", "")).strip():
        problems.append(_("Criterion %(id)s has no text.") % {"id": cid})
    options = criterion.get("options") or []
    if len(options) < 2:
        problems.append(_("Criterion %(id)s needs at least two options.") % {"id": cid})
        return
    points = []
    for option in options:
        if not isinstance(option, dict):
            problems.append(_("Criterion %(id)s: an option is not an object.") % {"id": cid})
            continue
        oid = str(option.get("id", "")).strip()
        value = _number(option.get("points"))
        if not oid:
            problems.append(_("Criterion %(id)s: an option has no id.") % {"id": cid})
        elif oid in option_ids:
            problems.append(_("Option id %(id)s is used twice.") % {"id": oid})
        option_ids.add(oid)
        if value is None or value < 0:
            problems.append(
                _line(option)
                + _("Criterion %(id)s: option %(option)s has no valid points.") % {"id": cid, "option": oid}
            )
            continue
        if value > maximum:
            problems.append(
                _(
                    "Criterion %(id)s: option %(option)s gives %(points)s points, more than part %(code)s allows (%(max)s)."
                )
                % {"id": cid, "option": oid, "points": value, "code": code, "max": maximum}
            )
        star = option.get("star")
        if star is not None and str(star) not in MANDATORY_STARS:
            problems.append(
                _("Criterion %(id)s: option %(option)s has a star marker other than ***, **** or *****.")
                % {"id": cid, "option": oid}
            )
        points.append(value)
    if not points:
        return
    if criterion.get("max_points") is not None and _number(criterion["max_points"]) != max(points):
        problems.append(
            _("Criterion %(id)s is worth %(max)s points, but its best option gives %(best)s.")
            % {"id": cid, "max": criterion["max_points"], "best": max(points)}
        )
    for star, required in (criterion.get("mandatory_for") or {}).items():
        if star == "__line__":
            continue
        value = _number(required)
        if str(star) not in MANDATORY_STARS:
            problems.append(
                _("Criterion %(id)s: a minimum can only be set for 3, 4 or 5 stars.") % {"id": cid}
            )
        elif value is None or value > max(points):
            problems.append(
                _("Criterion %(id)s: the minimum for %(star)s★ cannot be reached.")
                % {"id": cid, "star": star}
            )
        elif value not in points:
            problems.append(
                _("Criterion %(id)s: the star marker for %(star)s★ (%(points)s points) is on no option.")
                % {"id": cid, "star": star, "points": required}
            )
