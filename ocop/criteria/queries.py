"""Read models of criteria sets: published sets, a rubric by code and product set, localised trees."""

import copy

from django.utils import translation

from .enums import SetStatus
from .models import CriteriaSet, Rubric


def published_sets():
    return CriteriaSet.objects.filter(status=SetStatus.PUBLISHED)


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


def public_tree(tree):
    """The API shape of a rubric: parts → sections (nested) → criteria → options."""

    def section(node):
        out = {"title": node.get("title", ""), "criteria": [criterion(c) for c in node.get("criteria", ())]}
        if node.get("sections"):
            out["sections"] = [section(s) for s in node["sections"]]
        return out

    def criterion(c):
        return {
            "id": c["id"],
            "text": c.get("text", ""),
            "options": [
                {"id": o["id"], "text": o.get("text", ""), "points": o["points"]} for o in c["options"]
            ],
            "mandatory_for": c.get("mandatory_for") or {},
        }

    return [
        {
            "code": p["code"],
            "max_points": p["max_points"],
            "sections": [section(s) for s in p.get("sections", ())],
        }
        for p in tree.get("parts", ())
    ]
