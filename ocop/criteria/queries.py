"""Read models of criteria sets: published sets, a rubric by code and product set, localised trees."""

import copy

from django.db.models import Q
from django.utils import formats, translation
from django.utils.translation import gettext as _

from ocop.core.errors import DomainError

from .enums import SetStatus
from .models import CriteriaSet, Rubric


def published_sets():
    return CriteriaSet.objects.filter(status=SetStatus.PUBLISHED)


def sets_in_force(on_date):
    """Published sets a new round may use on `on_date` (QĐ 26/2026 Art. 11: from 22/5 to 20/7/2026 both
    QĐ 148/2023 and QĐ 26/2026 are in force). Sets kept as history or structure only are never offered."""
    return published_sets().filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on_date), valid_from__lte=on_date, usable=True
    )


def ensure_in_force(criteria_set, on_date):
    """Raise a DomainError (422, code "set_not_in_force") unless `criteria_set` may be used by a round that
    opens on `on_date`."""
    if not criteria_set.in_force_on(on_date):
        if criteria_set.valid_to and on_date > criteria_set.valid_to:
            message = _(
                "Criteria set %(code)s (%(basis)s) lapsed on %(end)s and cannot be used for a round opening on %(day)s."
            )
        else:
            message = _(
                "Criteria set %(code)s (%(basis)s) is in force only from %(start)s and cannot be used for a round opening on %(day)s."
            )
        raise DomainError(
            message
            % {
                "code": criteria_set.code,
                "basis": criteria_set.legal_basis,
                "start": formats.date_format(criteria_set.valid_from, "SHORT_DATE_FORMAT"),
                "end": formats.date_format(criteria_set.valid_to, "SHORT_DATE_FORMAT")
                if criteria_set.valid_to
                else "",
                "day": formats.date_format(on_date, "SHORT_DATE_FORMAT"),
            },
            code="set_not_in_force",
            status=422,
        )
    if not criteria_set.usable:
        raise DomainError(
            _(
                "Criteria set %(code)s is kept as history only (superseded, or structure without the criteria text) and cannot be used for a new round."
            )
            % {"code": criteria_set.code},
            code="set_not_in_force",
            status=422,
        )


def rubric_for(code, product_set, *, published_only=True):
    qs = Rubric.objects.select_related("criteria_set").filter(
        criteria_set__code=code, product_set=product_set
    )
    if published_only:
        qs = qs.filter(criteria_set__status=SetStatus.PUBLISHED)
    return qs.first()


def localized(tree, lang=None):
    """A copy of `tree` whose `text`/`title` are in the language of the request (English if asked and
    available), for pages. The API always answers with the set's own (Vietnamese) text."""
    lang = lang or translation.get_language() or "vi"
    tree = copy.deepcopy(tree)
    if not lang.startswith("en"):
        return tree

    def walk(node):
        for key in ("title", "text"):
            if node.get(f"{key}_en"):
                node[key] = node[f"{key}_en"]
        for child_key in ("parts", "sections", "criteria", "options"):
            for child in node.get(child_key, ()) or ():
                walk(child)

    walk(tree)
    return tree


def flat_sections(node, prefix=""):
    """The sections of a part or section, nested ones flattened in document order, each titled with its
    path ("6. CHỈ TIÊU CẢM QUAN › 6.1 Ngoại hình"): for pages that list criteria under headings."""
    out = []
    for section in node.get("sections", ()) or ():
        title = " ".join(str(x) for x in (section.get("number", ""), section.get("title", "")) if x)
        path = f"{prefix} › {title}" if prefix else title
        if section.get("criteria"):
            out.append(
                {"title": path, "max_points": section.get("max_points"), "criteria": section["criteria"]}
            )
        out.extend(flat_sections(section, path))
    return out


def public_tree(tree):
    """The API shape of a rubric: parts → sections (nested) → criteria → options."""

    def section(node):
        out = {"title": node.get("title", ""), "criteria": [criterion(c) for c in node.get("criteria", ())]}
        if node.get("sections"):
            out["sections"] = [section(s) for s in node["sections"]]
        return out

    def option(o):
        out = {"id": o["id"], "text": o.get("text", ""), "points": o["points"]}
        for key in ("star", "case"):  # QĐ 26/2026: star marker; set 26's alternative cases
            if o.get(key) is not None:
                out[key] = o[key]
        return out

    def criterion(c):
        out = {
            "id": c["id"],
            "text": c.get("text", ""),
            "options": [option(o) for o in c["options"]],
            "mandatory_for": c.get("mandatory_for") or {},
        }
        for key in ("notes", "knockouts", "cases"):
            if c.get(key):
                out[key] = c[key]
        return out

    return [
        {
            "code": p["code"],
            "max_points": p["max_points"],
            "sections": [section(s) for s in p.get("sections", ())],
        }
        for p in tree.get("parts", ())
    ]
