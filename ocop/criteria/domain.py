"""State changes of criteria sets: the office completes a draft rubric and publishes the set."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.rules import require_perm
from ocop.core.activity import log_activity
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.locking import check_unchanged

from .enums import SetStatus
from .loader import strip_lines
from .models import CriteriaSet, Rubric
from .scoring import criteria_by_part
from .validation import validate_tree


def _require(actor, perm, obj=None):
    require_perm(actor, perm, obj)


def _maxima(criteria_set):
    return {p["code"]: p["max_points"] for p in criteria_set.parts}


@transaction.atomic
def update_rubric(rubric, tree, *, actor, lock_token=None):
    """Replace a draft rubric's tree (from the staff editor). A published set never changes."""
    _require(actor, "criteria.change_set", rubric.criteria_set)
    rubric = Rubric.objects.select_for_update().select_related("criteria_set").get(pk=rubric.pk)
    check_unchanged(rubric, lock_token)
    if rubric.criteria_set.is_published:
        raise InvalidTransition(_("A published criteria set cannot be changed; create a new version."))
    problems = validate_tree(tree, _maxima(rubric.criteria_set), complete=False)
    if problems:
        raise DomainError("; ".join(problems), code="invalid_rubric", status=422)
    before = rubric.criteria_count
    tree = strip_lines(tree)  # line numbers of the editor's text, used only in the messages above
    rubric.tree = tree
    rubric.criteria_count = len(criteria_by_part(tree))
    rubric.save(update_fields=["tree", "criteria_count", "updated_at"])
    log_activity(
        rubric,
        "criteria.rubric.updated",
        actor=actor,
        data={
            "set": rubric.criteria_set.code,
            "product_set": rubric.product_set,
            "criteria": [before, rubric.criteria_count],
        },
    )
    return rubric


@transaction.atomic
def publish_set(criteria_set, *, actor):
    """Publish a draft set once every rubric is complete and valid. From then on it is immutable."""
    _require(actor, "criteria.publish_set", criteria_set)
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if criteria_set.is_published:
        raise InvalidTransition(_("This criteria set is already published."))
    rubrics = list(criteria_set.rubrics.all())
    if not rubrics:
        raise DomainError(_("This criteria set has no rubric."), code="incomplete_set", status=422)
    problems = []
    for rubric in rubrics:
        for problem in validate_tree(rubric.tree, _maxima(criteria_set), complete=True):
            problems.append(
                _("Product set %(n)s: %(problem)s") % {"n": rubric.product_set, "problem": problem}
            )
    if problems:
        raise DomainError(" ".join(problems[:5]), code="incomplete_set", status=422)
    criteria_set.status = SetStatus.PUBLISHED
    criteria_set.published_at = timezone.now()
    criteria_set.published_by = actor if getattr(actor, "is_authenticated", False) else None
    criteria_set.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    log_activity(
        criteria_set,
        "criteria.set.published",
        actor=actor,
        data={"from": SetStatus.DRAFT, "to": SetStatus.PUBLISHED, "rubrics": len(rubrics)},
    )
    return criteria_set
