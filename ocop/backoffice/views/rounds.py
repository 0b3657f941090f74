"""Administering a round from the office (ocop/evaluation/rounds.py): edit, close, council and advisory
group members chosen from a searchable list, opening scoring for many dossiers."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.queries import staff_candidates
from ocop.core.dates import parse_date
from ocop.core.errors import DomainError
from ocop.core.locking import LOCK_FIELD, token_of
from ocop.criteria.queries import published_sets
from ocop.evaluation import rounds
from ocop.evaluation.enums import Body, DossierState, Position
from ocop.evaluation.models import Membership
from ocop.evaluation.queries import legal_dates_of, schedule_history

from ..actions import run_action
from .evaluation import _confirmed, _round_for


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    round_ = _round_for(request, pk, "evaluation.manage_round")
    sets = published_sets()

    def save():
        values = request.POST
        try:
            dates = [
                parse_date(values.get(f, ""))
                for f in ("submission_deadline", "review_deadline", "council_date")
            ]
        except ValueError as exc:
            raise DomainError(_("Enter the dates as dd/mm/yyyy.")) from exc
        quorum = values.get("quorum", "").strip()
        if quorum and not quorum.isdigit():
            raise DomainError(_("The quorum is a number of scoresheets between 1 and 50."))
        criteria_set = sets.filter(code=values.get("criteria_set", "")).first()
        if criteria_set is None:
            raise DomainError(_("Choose a published criteria set."))
        rounds.update_round(
            round_,
            actor=request.user,
            name=values.get("name", ""),
            submission_deadline=dates[0],
            review_deadline=dates[1],
            council_date=dates[2],
            quorum=int(quorum) if quorum else None,
            criteria_set=criteria_set,
            # A form posted without its token is refused (409), never saved over a newer version.
            lock_token=values.get(LOCK_FIELD, ""),
            reason=values.get("reason", ""),
        )

    def page(status=200):
        context = {
            "lock_token": request.POST.get(LOCK_FIELD, "") if request.method == "POST" else token_of(round_),
            "round": round_,
            "values": request.POST if request.method == "POST" else None,
            "criteria_sets": sets,
            "criteria_locked": round_.dossiers.exists(),
            "legal": legal_dates_of(round_),
            "schedule_history": schedule_history(round_),
        }
        return render(request, "backoffice/evaluation/round_edit.html", context, status=status)

    if request.method != "POST":
        return page()
    return run_action(
        request,
        save,
        done=_("Round saved."),
        then=lambda _round: redirect(round_),
        back=page,
        refused=lambda exc: page(exc.status if exc.status in (409, 422) else 200),
    )


def _round_action(view):
    def wrapper(request, pk, *args, **kwargs):
        round_ = _round_for(request, pk, "evaluation.manage_round")
        return run_action(
            request, lambda: view(request, round_, *args, **kwargs), back=lambda: redirect(round_)
        )

    wrapper.__name__ = view.__name__
    return login_required(require_POST(wrapper))


@_round_action
def round_close(request, round_):
    _confirmed(request)
    rounds.close_round(round_, actor=request.user)
    messages.success(request, _("Round closed to new dossiers."))


@login_required
def member_search(request, pk):
    """The accounts of the round's province matching `q` (htmx fragment, or the round page without JS)."""
    round_ = _round_for(request, pk, "evaluation.manage_round")
    query = request.GET.get("q", "").strip()
    candidates = staff_candidates(round_.province, query)
    context = {"round": round_, "candidates": candidates, "member_q": query}
    if request.htmx:
        return render(request, "backoffice/evaluation/_member_candidates.html", context)
    return redirect(f"{round_.get_absolute_url()}?member_q={query}#members")


@_round_action
def member_add(request, round_):
    user_pk = request.POST.get("user", "")
    user = get_user_model().objects.filter(pk=int(user_pk)).first() if user_pk.isdigit() else None
    rounds.add_member(
        round_,
        user,
        actor=request.user,
        body=request.POST.get("body", Body.COUNCIL),
        position=request.POST.get("position", Position.MEMBER),
        department=request.POST.get("department", ""),
        reason=request.POST.get("reason", ""),
    )
    messages.success(request, _("Member added."))


@_round_action
def member_remove(request, round_, membership_pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "round"), pk=membership_pk, round=round_
    )
    rounds.remove_member(membership, actor=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, _("Member removed."))


@_round_action
def open_scoring_many(request, round_):
    ids = [int(i) for i in request.POST.getlist("dossiers") if i.isdigit()]
    dossiers = list(round_.dossiers.filter(pk__in=ids, state=DossierState.APPRAISED))
    if len(dossiers) != len(set(ids)):
        raise DomainError(_("Choose appraised dossiers of this round."))
    opened = rounds.open_scoring_many(dossiers, actor=request.user)
    messages.success(
        request,
        _("Scoring opened for %(n)s dossiers; council members have been notified.") % {"n": len(opened)},
    )
