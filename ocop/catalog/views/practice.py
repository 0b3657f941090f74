"""Practice mode: anyone fills a published rubric and sees the projected score and star. Nothing is saved."""

from django.http import Http404
from django.shortcuts import render

from ocop.core.dates import today
from ocop.core.params import SMALLINT_MAX, int_list
from ocop.criteria.queries import flat_sections, localized, published_sets, rubric_for, sets_in_force
from ocop.criteria.scoring import ScoreInputError, compute
from ocop.registry.enums import ProductSet


def practice(request):
    sets = list(published_sets().prefetch_related("rubrics"))
    # The set in force today is offered by default (QĐ 26/2026 from 22/5/2026); older ones are history.
    in_force = {s.code for s in sets_in_force(today())}
    for s in sets:
        s.is_history = s.code not in in_force
    current = next((s for s in sets if not s.is_history), sets[0] if sets else None)
    code = request.GET.get("set") or (current.code if current else "")
    product_set = request.GET.get("product_set", "")
    criteria_set = next((s for s in sets if s.code == code), None)
    available = sorted(r.product_set for r in criteria_set.rubrics.all()) if criteria_set else []
    chosen = int_list([product_set], maximum=SMALLINT_MAX)  # junk ("²", "-1") falls back to the first set
    product_set = chosen[0] if chosen and chosen[0] in available else (available[0] if available else None)
    rubric = rubric_for(code, product_set) if product_set else None
    tree = localized(rubric.tree) if rubric else None
    for part in (tree or {}).get("parts", ()):
        part["flat"] = flat_sections(part)
    context = {
        "sets": sets,
        "has_bonus": bool(tree and any((tree.get("bonus") or {}).values())),
        "criteria_set": criteria_set,
        "rubric": rubric,
        "product_set": product_set,
        "product_sets": [(v, label) for v, label in ProductSet.choices if v in available],
        "tree": tree,
    }
    return render(request, "catalog/practice/practice.html", context)


def practice_score(request, code, product_set):
    rubric = rubric_for(code, product_set)
    if rubric is None or request.method != "POST":
        raise Http404
    answers = {k[2:]: v for k, v in request.POST.items() if k.startswith("c:") and v}
    bonus = {
        "women_led": bool(request.POST.get("women_led")),
        "ethnic_minority_led": bool(request.POST.get("ethnic_minority_led")),
    }
    context = {"rubric": rubric}
    texts = {c["id"]: c.get("text", "") for c in rubric.criteria()}
    try:
        result = compute(rubric.tree, answers, bonus)
        blocking = [
            dict(u, text=texts[u["criterion"]])
            for u in result.unmet_mandatory
            if u["star"] <= result.band_star + 1
        ]
        context.update(result=result, blocking=blocking, next_star=min(result.star + 1, 5))
    except ScoreInputError as exc:
        context["error"] = exc
        context["answered"], context["total_criteria"] = len(answers), len(texts)
    template = (
        "catalog/practice/practice.html#result" if request.htmx else "catalog/practice/result_page.html"
    )
    return render(request, template, context)
