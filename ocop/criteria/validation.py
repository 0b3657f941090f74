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


def _sections_ok(node, problems, where):
    for i, section in enumerate(node.get("sections", ()) or ()):
        if not isinstance(section, dict):
            problems.append(_("%(where)s: section %(n)s is not an object.") % {"where": where, "n": i + 1})
            continue
        if not str(section.get("title", "")).strip():
            problems.append(_("%(where)s: section %(n)s has no title.") % {"where": where, "n": i + 1})
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
            cid = str(criterion.get("id", "")).strip()
            if not cid:
                problems.append(_("Part %(code)s: a criterion has no id.") % {"code": code})
                continue
            if cid in criterion_ids:
                problems.append(_("Criterion id %(id)s is used twice.") % {"id": cid})
            criterion_ids.add(cid)
            if not str(criterion.get("text", "")).strip():
                problems.append(_("Criterion %(id)s has no text.") % {"id": cid})
            options = criterion.get("options") or []
            if len(options) < 2:
                problems.append(_("Criterion %(id)s needs at least two options.") % {"id": cid})
                continue
            points = []
            for option in options:
                oid = str(option.get("id", "")).strip()
                value = _number(option.get("points"))
                if not oid:
                    problems.append(_("Criterion %(id)s: an option has no id.") % {"id": cid})
                elif oid in option_ids:
                    problems.append(_("Option id %(id)s is used twice.") % {"id": oid})
                option_ids.add(oid)
                if value is None or value < 0:
                    problems.append(
                        _("Criterion %(id)s: option %(option)s has invalid points.")
                        % {"id": cid, "option": oid}
                    )
                    continue
                if value > maximum:
                    problems.append(
                        _(
                            "Criterion %(id)s: option %(option)s gives %(points)s points, more than part %(code)s allows (%(max)s)."
                        )
                        % {"id": cid, "option": oid, "points": value, "code": code, "max": maximum}
                    )
                points.append(value)
            if not points:
                continue
            part_total += max(points)
            for star, required in (criterion.get("mandatory_for") or {}).items():
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
        if part_total != maximum:
            problems.append(
                _(
                    "Part %(code)s: the best options add up to %(total)s points, but the part is worth %(max)s."
                )
                % {"code": code, "total": part_total, "max": maximum}
            )
    for flag, value in (tree.get("bonus") or {}).items():
        number = _number(value)
        if flag not in ("women_led", "ethnic_minority_led") or number is None or number < 0 or number > 10:
            problems.append(_("Bonus rule %(flag)s is not valid.") % {"flag": flag})
    return problems
