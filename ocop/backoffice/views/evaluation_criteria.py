"""Criteria sets for the office: list, a set's rubrics, the rubric editor (JSON tree with validation and a
preview as a scoring form) and publishing."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.core.errors import DomainError
from ocop.core.locking import LOCK_FIELD, token_of
from ocop.criteria import domain
from ocop.criteria.loader import strip_lines, with_lines
from ocop.criteria.models import CriteriaSet
from ocop.criteria.queries import localized
from ocop.criteria.scoring import max_points

from ..actions import run_action
from .evaluation import _tree_rows


def _require_editor(request):
    if not request.user.has_perm("criteria.change_set"):
        raise PermissionDenied


@login_required
def set_list(request):
    _require_editor(request)
    return render(request, "backoffice/evaluation/criteria_sets.html", {"sets": CriteriaSet.objects.all()})


@login_required
def set_detail(request, code):
    _require_editor(request)
    criteria_set = get_object_or_404(CriteriaSet, code=code)
    context = {"set": criteria_set, "rubrics": criteria_set.rubrics.order_by("product_set")}
    return render(request, "backoffice/evaluation/criteria_set.html", context)


@login_required
@require_POST
def set_publish(request, code):
    _require_editor(request)
    criteria_set = get_object_or_404(CriteriaSet, code=code)
    return run_action(
        request,
        lambda: domain.publish_set(criteria_set, actor=request.user),
        done=_("Criteria set published; it can no longer be changed."),
        back=lambda: redirect("backoffice:criteria_set", code),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rubric_edit(request, code, product_set):
    _require_editor(request)
    criteria_set = get_object_or_404(CriteriaSet, code=code)
    rubric = get_object_or_404(criteria_set.rubrics, product_set=product_set)
    text = json.dumps(rubric.tree, ensure_ascii=False, indent=2)
    text, token = json.dumps(rubric.tree, ensure_ascii=False, indent=2), token_of(rubric)
    if request.method == "POST":
        text, token = request.POST.get("tree", ""), request.POST.get(LOCK_FIELD, "")

    def page(status=200):
        context = {
            "lock_token": token,
            "set": criteria_set,
            "rubric": rubric,
            "text": text,
            "rows": _tree_rows(localized(rubric.tree)),
            "max_points": max_points(rubric.tree),
            "editable": not criteria_set.is_published,
        }
        return render(request, "backoffice/evaluation/rubric_edit.html", context, status=status)

    def save():
        try:
            tree = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DomainError(
                _("The rubric is not valid JSON (line %(line)s).") % {"line": exc.lineno}, code="bad_json"
            ) from exc
        # the same text read with line numbers, so a refusal names the line of the fault
        annotated = with_lines(text)
        if annotated is not None and strip_lines(annotated) == tree:
            tree = annotated
        # A missing token counts as stale: the editor always sends the one it was opened with.
        domain.update_rubric(rubric, tree, actor=request.user, lock_token=token)

    if request.method != "POST":
        return page()
    return run_action(
        request,
        save,
        done=_("Rubric saved."),
        then=lambda _none: redirect("backoffice:criteria_rubric", code, product_set),
        back=page,
        refused=lambda exc: page(exc.status if exc.status == 409 else 200),
    )
