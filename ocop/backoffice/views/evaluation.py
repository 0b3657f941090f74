"""Evaluation pages: rounds, dossiers (producer, commune, office, advisory group), council scoring,
decisions. Views parse input, call one domain function, and render; DomainError becomes a message."""

import functools
import io
import re
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.queries import staff_candidates
from ocop.accounts.rules import officer_provinces, read_only
from ocop.backoffice.panels import dossiers_to_score
from ocop.certificates.models import Certificate
from ocop.certificates.pdf import certificate_pdf as render_certificate
from ocop.core.dates import parse_date, today
from ocop.core.errors import DomainError
from ocop.core.params import ID_MAX, int_list, int_param
from ocop.core.privatefiles import send_private_file
from ocop.core.redirects import redirect_next
from ocop.criteria.queries import localized, published_sets
from ocop.criteria.scoring import STAR_BANDS, criteria_by_part
from ocop.evaluation import domain, procedure
from ocop.evaluation.enums import (
    Body,
    DossierKind,
    DossierState,
    EvidenceKind,
    Position,
    RoundStatus,
    SheetStatus,
)
from ocop.evaluation.forms_pdf import point7_fields
from ocop.evaluation.models import Decision, Evidence, Notification, Round, Scoresheet
from ocop.evaluation.pdf import decision_pdf as render_decision
from ocop.evaluation.pdf import decision_pdf as render_pdf
from ocop.evaluation.pdf import dossier_summary_pdf, minutes_pdf
from ocop.evaluation.queries import (
    current_sheets,
    dossiers_for,
    legal_dates_of,
    pipeline,
    rounds_for,
    schedule_history,
)
from ocop.evaluation.rules import (
    accepts_dossiers,
    may_close_round,
    may_edit,
    may_fill_scoresheet,
    may_move,
    may_record_decision,
    may_record_samples,
    may_score,
    may_send_to_ministry,
)
from ocop.geo.authority import issuing_authority
from ocop.registry.queries import products_for

from ..actions import run_action, scoped_object

S = DossierState


def _dossier_for(request, pk, perm="evaluation.view_dossier"):
    queryset = dossiers_for(request.user).select_related(
        "round", "product", "producer", "rubric", "rubric__criteria_set"
    )
    return scoped_object(request, queryset, pk, perm)


def _round_for(request, pk, perm="evaluation.view_round"):
    return scoped_object(
        request, rounds_for(request.user).select_related("province", "criteria_set"), pk, perm
    )


def _confirmed(request):
    """Irreversible actions carry a ticked confirmation box (works without JavaScript)."""
    if request.POST.get("confirm") != "yes":
        raise DomainError(_("Tick the box to confirm: this cannot be undone."), code="not_confirmed")


def _dossier_action(perm="evaluation.view_dossier", done=None):
    """A POST on one dossier: `view(request, dossier, ...)` runs the domain function; on success `done`
    (if given) is the message and the answer is the dossier's page; a refusal becomes an error message,
    nothing changes, and the answer is the `next` page (or the dossier's)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            dossier = _dossier_for(request, pk, perm)
            return run_action(
                request,
                lambda: view(request, dossier, *args, **kwargs),
                done=done,
                then=lambda _result: redirect(dossier),
                back=lambda: redirect_next(request, "backoffice:evaluation_dossier", pk),
            )

        return login_required(require_POST(wrapper))

    return decorate


def _dates(*values):
    """Dates typed dd/mm/yyyy (ISO accepted); a wrong one is a refusal with the format to use."""
    try:
        return [parse_date(value) for value in values]
    except ValueError as exc:
        raise DomainError(_("Enter the dates as dd/mm/yyyy.")) from exc


# Rounds ----------------------------------------------------------------------------------------------


@login_required
def round_list(request):
    rounds = rounds_for(request.user).select_related("province", "criteria_set")
    context = {
        "rounds": rounds,
        "can_add": request.user.has_perm("evaluation.add_round"),
        "criteria_sets": published_sets(),
        "provinces": officer_provinces(request.user, acting=True),
        "legal": _next_legal_round(today()),
    }
    return render(request, "backoffice/evaluation/round_list.html", context)


def _next_legal_round(day):
    """The dates of QĐ 26/2026 Art. 5.1 for the next round whose commune deadline is still ahead."""
    for year in (day.year, day.year + 1):
        for number in (1, 2):
            legal = procedure.legal_calendar(year, number)
            if legal.submission_deadline >= day:
                return legal
    return procedure.legal_calendar(day.year + 1, 1)


@login_required
@require_POST
def round_create(request):
    if not request.user.has_perm("evaluation.add_round"):
        raise PermissionDenied(domain.LEGACY_READ_ONLY if read_only(request.user) else "")
    units = {str(u.pk): u for u in officer_provinces(request.user, acting=True)}

    def create():
        province = units.get(request.POST.get("province"))
        if province is None:
            raise DomainError(_("Choose your province."))
        criteria_set = published_sets().filter(code=request.POST.get("criteria_set")).first()
        if criteria_set is None:
            raise DomainError(_("Choose a published criteria set."))
        dates = _dates(
            *(request.POST.get(f, "") for f in ("submission_deadline", "review_deadline", "council_date"))
        )
        return domain.create_round(
            actor=request.user,
            province=province,
            name=request.POST.get("name", "").strip() or _("Evaluation round"),
            year=dates[0].year,
            criteria_set=criteria_set,
            submission_deadline=dates[0],
            review_deadline=dates[1],
            council_date=dates[2],
            quorum=int_param(request.POST, "quorum", minimum=1, maximum=domain.MAX_QUORUM, label=_("Quorum")),
            schedule_note=request.POST.get("schedule_note", ""),
        )

    return run_action(
        request,
        create,
        done=_("Round created."),
        then=redirect,
        back=lambda: redirect("backoffice:evaluation_rounds"),
    )


@login_required
def round_detail(request, pk):
    round_ = _round_for(request, pk)
    if not request.user.has_perm("evaluation.view_round_details", round_):
        # A producer: the round's dates and its own dossiers, not the others' nor the council.
        context = {
            "round": round_,
            "dossiers": round_.dossiers.filter(producer=request.user.producer).select_related("product"),
            "can_open": accepts_dossiers(round_, today()),
        }
        return render(request, "backoffice/evaluation/round_producer.html", context)
    dossiers = round_.dossiers.select_related("product", "producer", "decision").order_by("number")
    context = {
        "round": round_,
        "pipeline": pipeline(round_),
        "dossiers": dossiers,
        "memberships": round_.memberships.select_related("user"),
        "can_manage": request.user.has_perm("evaluation.manage_round", round_),
        "can_close": may_close_round(request.user, round_),
        "authority": issuing_authority(round_.province, today()),
        "can_sign": request.user.has_perm("evaluation.sign_decision", round_),
        "bodies": Body.choices,
        "positions": Position.choices,
        "scored": [d for d in dossiers if d.state in (S.SCORED, S.NATIONAL_BELOW_90) and not d.decision_id],
        "scoring_count": sum(1 for d in dossiers if d.state == S.SCORING),
        "appraised": [d for d in dossiers if d.state == S.APPRAISED],
        "decisions": round_.decisions.all(),
        "today": today(),
        "member_q": request.GET.get("member_q", "").strip(),
        "legal": legal_dates_of(round_),
        "schedule_history": schedule_history(round_),
        # Art. 7.6g: re-evaluations the council date would decide after their 45 days.
        "late_reevaluations": domain.reevaluations_due_before(round_, round_.council_date),
    }
    if context["can_manage"]:
        context["candidates"] = staff_candidates(round_.province, context["member_q"])
    return render(request, "backoffice/evaluation/round_detail.html", context)


@login_required
@require_POST
def round_close_scoring(request, pk):
    round_ = _round_for(request, pk, "evaluation.manage_round")
    dossiers = list(round_.dossiers.filter(state=S.SCORING))

    def close():
        _confirmed(request)
        return domain.close_scoring_many(dossiers, actor=request.user)

    return run_action(
        request,
        close,
        done=lambda closed: _("Scoring closed for %(n)s dossiers.") % {"n": len(closed)},
        back=lambda: redirect(round_),
    )


@login_required
@require_POST
def decision_create(request, pk):
    round_ = _round_for(request, pk, "evaluation.sign_decision")
    ids = int_list(request.POST.getlist("dossiers"))
    return run_action(
        request,
        lambda: domain.create_decision(
            round_,
            actor=request.user,
            number=request.POST.get("number", ""),
            date=_dates(request.POST.get("date", ""))[0],
            signer=request.POST.get("signer", ""),
            signer_title=request.POST.get("signer_title", ""),
            issuer_name=request.POST.get("issuer_name", "").strip(),
            dossiers=list(round_.dossiers.filter(pk__in=ids)),
        ),
        then=lambda decision: redirect("backoffice:evaluation_decision", decision.pk),
        back=lambda: redirect(round_),
    )


def _decision_for(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("round", "round__province"), pk=pk)
    _round_for(request, decision.round_id, "evaluation.view_round_details")
    return decision


@login_required
def decision_detail(request, pk):
    decision = _decision_for(request, pk)
    context = {
        "decision": decision,
        "dossiers": decision.dossiers.select_related("product", "producer", "certificate").order_by("number"),
        "can_manage": request.user.has_perm("evaluation.sign_decision", decision.round),
        "can_record": may_record_decision(request.user, decision),
    }
    return render(request, "backoffice/evaluation/decision_detail.html", context)


@login_required
@require_POST
def decision_record(request, pk):
    decision = _decision_for(request, pk)
    _round_for(request, decision.round_id, "evaluation.sign_decision")

    def record():
        _confirmed(request)
        domain.record_decision(decision, actor=request.user)

    return run_action(
        request,
        record,
        done=_("Decision recorded; certificates issued."),
        back=lambda: redirect("backoffice:evaluation_decision", pk),
    )


def _pdf_response(content, filename):
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def decision_pdf(request, pk):
    decision = _decision_for(request, pk)
    return _pdf_response(render_pdf(decision), f"quyet-dinh-{decision.pk}.pdf")


@login_required
def round_minutes_pdf(request, pk):
    round_ = _round_for(request, pk)
    if not request.user.has_perm("evaluation.view_round_results", round_):
        raise PermissionDenied
    return _pdf_response(minutes_pdf(round_), f"bien-ban-{round_.pk}.pdf")


# Dossiers --------------------------------------------------------------------------------------------


@login_required
def dossier_list(request):
    qs = dossiers_for(request.user).select_related("round", "product", "producer").order_by("-created_at")
    if request.GET.get("state") in DossierState.values:
        qs = qs.filter(state=request.GET["state"])
    round_id = int_param(request.GET, "round", minimum=1, maximum=ID_MAX, label=_("Round"))
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    if request.GET.get("todo") == "1":
        qs = dossiers_to_score(request.user, qs)
    context = {
        "dossiers": qs[:200],
        "states": DossierState.choices,
        "can_open": request.user.producer is not None,
    }
    return render(request, "backoffice/evaluation/dossier_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dossier_create(request):
    if request.user.producer is None:
        raise PermissionDenied
    products = products_for(request.user).filter(producer=request.user.producer)
    # the rounds that accept dossiers today (`rules.accepts_dossiers`, as a query)
    rounds = Round.objects.filter(status=RoundStatus.OPEN, submission_deadline__gte=today()).select_related(
        "province"
    )

    def page():
        context = {"products": products, "rounds": rounds, "kinds": DossierKind.choices}
        return render(request, "backoffice/evaluation/dossier_create.html", context)

    if request.method == "POST":
        product = products.filter(pk=request.POST.get("product") or 0).first()
        round_ = rounds.filter(pk=request.POST.get("round") or 0).first()
        kind = request.POST.get("kind")

        def open_():
            if product is None or round_ is None or kind not in DossierKind.values:
                raise DomainError(_("Choose a product, an open round and the kind of dossier."))
            return domain.open_dossier(actor=request.user, round_=round_, product=product, kind=kind)

        return run_action(request, open_, then=redirect, back=page)
    return page()


def _tree_rows(tree, self_answers=None, commune=None, comments=None, sheet_answers=None):
    """Flat rows for templates: part/section headings and criteria with the chosen options."""
    rows = []
    for part in tree["parts"]:
        rows.append(
            {"kind": "part", "code": part["code"], "title": part.get("title", ""), "max": part["max_points"]}
        )

        def walk(section, depth):
            rows.append({"kind": "section", "title": section.get("title", ""), "depth": depth})
            for c in section.get("criteria", ()):
                rows.append(
                    {
                        "kind": "criterion",
                        "c": c,
                        "self": (self_answers or {}).get(c["id"]),
                        "commune": (commune or {}).get(c["id"]),
                        "comment": (comments or {}).get(c["id"], ""),
                        "chosen": (sheet_answers or {}).get(c["id"]),
                        "option_text": {o["id"]: f"{o['text']} ({o['points']})" for o in c["options"]},
                    }
                )
            for child in section.get("sections", ()):
                walk(child, depth + 1)

        for section in part.get("sections", ()):
            walk(section, 0)
    return rows


@login_required
def dossier_detail(request, pk):
    dossier = _dossier_for(request, pk)
    user = request.user
    # What the user may do, from the transition table and the rules (`ocop.evaluation.rules`); the
    # template only reads these.
    perms = {
        "can_edit": may_edit(user, dossier),
        # Art. 7.3a: the provincial office asks the producer to complete the dossier.
        "can_request_completion": may_move(user, dossier, S.COMPLETION),
        # the commune's review: return or forward a submitted dossier
        "can_review": may_move(user, dossier, S.RETURNED),
        "can_appraise": may_move(user, dossier, S.APPRAISED),
        "can_manage": user.has_perm("evaluation.manage_dossier", dossier),
        "can_record_samples": may_record_samples(user, dossier),
        "can_open_scoring": may_move(user, dossier, S.SCORING),
        "can_close_scoring": may_move(user, dossier, S.SCORED),
        "can_score": may_score(user, dossier),
        "can_fill_scoresheet": may_fill_scoresheet(user, dossier),
        "can_see_results": user.has_perm("evaluation.view_results", dossier),
        "can_national": may_move(user, dossier, S.NATIONAL_BELOW_90),
        # QĐ 26/2026: knock-out (set's "Hồ sơ bị loại khi" lines) and the 5★ re-evaluation to the Ministry.
        "can_disqualify": may_move(user, dossier, S.DISQUALIFIED),
        "can_send_to_ministry": may_send_to_ministry(user, dossier),
    }
    tree = localized(dossier.rubric.tree)
    sheets = []
    if perms["can_see_results"] and dossier.state not in (S.SCORING,) and dossier.result_total is not None:
        sheets = current_sheets([dossier.pk]).get(dossier.pk, [])
    context = {
        "dossier": dossier,
        **perms,
        "rows": _tree_rows(
            tree, dossier.self_answers, dossier.commune_assessment, dossier.appraisal_comments
        ),
        "local_criteria": [c for _, c in criteria_by_part(tree) if c.get("local")],
        "missing": domain.missing_items(dossier) if perms["can_edit"] else [],
        "evidence": dossier.evidence.all(),
        "evidence_kinds": EvidenceKind.choices,
        "sheets": sorted(sheets, key=lambda s: s.member_id),
        "members_sheets": Scoresheet.objects.filter(dossier=dossier)
        .exclude(status=SheetStatus.SUPERSEDED)
        .count(),
        "conflicts": dossier.conflicts.select_related("member") if perms["can_manage"] else [],
        "registration": dossier.registration,
        "point7": point7_fields(dossier.registration),
        "today": today(),
        "clock": procedure.commune_clock(dossier, today()),
        "reevaluation_clock": procedure.reevaluation_clock(dossier, today()),
        "commune_form_fields": [
            (k, label, dossier.commune_form.get(k, "")) for k, label in domain.commune_form_labels().items()
        ],
    }
    return render(request, "backoffice/evaluation/dossier_detail.html", context)


@_dossier_action("evaluation.change_dossier", done=gettext_lazy("Registration form saved."))
def dossier_registration(request, dossier):
    domain.save_registration(dossier, actor=request.user, values=request.POST)


@_dossier_action("evaluation.change_dossier", done=gettext_lazy("Self-assessment saved."))
def dossier_self_assessment(request, dossier):
    answers = {k[2:]: v for k, v in request.POST.items() if k.startswith("c:")}
    domain.save_self_assessment(dossier, actor=request.user, answers=answers)


@_dossier_action("evaluation.change_dossier", done=gettext_lazy("Document uploaded."))
def dossier_evidence_add(request, dossier):
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError(_("Choose a file to upload."))
    domain.add_evidence(
        dossier,
        upload,
        actor=request.user,
        kind=request.POST.get("kind", ""),
        criterion=request.POST.get("criterion", "").strip(),
    )


@_dossier_action("evaluation.change_dossier", done=gettext_lazy("Document removed."))
def dossier_evidence_remove(request, dossier, evidence_pk):
    domain.remove_evidence(get_object_or_404(Evidence, pk=evidence_pk, dossier=dossier), actor=request.user)


@login_required
def dossier_evidence_file(request, pk, evidence_pk):
    """Evidence is always downloaded as an attachment with its sniffed type, never rendered inline."""
    dossier = _dossier_for(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, dossier=dossier)
    return send_private_file(
        evidence.file.name, content_type=evidence.mime, filename=_evidence_filename(evidence)
    )


def _evidence_filename(evidence):
    """The name the uploader gave (the stored name is random), with the extension of its checked type."""
    extension = evidence.file.name.rsplit(".", 1)[-1]
    stem = evidence.name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = re.sub(r"[^\w -]", "", stem).strip()[:80]
    return f"{stem or evidence.kind}.{extension}"


@_dossier_action()
def dossier_submit(request, dossier):
    dossier = domain.send_dossier(dossier, actor=request.user)
    if dossier.state == S.FORWARDED:  # Art. 7.3a: completed for the province, back to the province
        messages.success(request, _("The completed dossier is sent back to the province."))
    else:
        messages.success(request, _("Dossier submitted to the commune."))


@_dossier_action(done=gettext_lazy("Dossier withdrawn."))
def dossier_withdraw(request, dossier):
    domain.withdraw_dossier(dossier, actor=request.user, reason=request.POST.get("reason", ""))


@_dossier_action(done=gettext_lazy("Dossier returned to the producer."))
def dossier_return(request, dossier):
    domain.return_dossier(dossier, actor=request.user, reasons=request.POST.get("reasons", ""))


@_dossier_action(done=gettext_lazy("Dossier forwarded to the province."))
def dossier_forward(request, dossier):
    assessment = {k[2:]: v for k, v in request.POST.items() if k.startswith("c:")}
    form = {k: request.POST.get(f"form:{k}", "") for k in domain.COMMUNE_FORM_ITEMS}
    domain.forward_dossier(
        dossier, actor=request.user, assessment=assessment, report=request.POST.get("report", ""), form=form
    )


@_dossier_action(done=gettext_lazy("Samples recorded."))
def dossier_samples(request, dossier):
    count = request.POST.get("count", "")
    if not count.isdigit():
        raise DomainError(_("Enter a number of samples between 0 and 50."))
    [received_on] = _dates(request.POST.get("received_on") or today().isoformat())
    domain.record_samples(dossier, actor=request.user, count=int(count), received_on=received_on)


@_dossier_action(done=gettext_lazy("Appraisal recorded."))
def dossier_appraise(request, dossier):
    comments = {k[2:]: v for k, v in request.POST.items() if k.startswith("c:")}
    domain.appraise_dossier(dossier, actor=request.user, note=request.POST.get("note", ""), comments=comments)


@_dossier_action(done=gettext_lazy("Scoring opened; council members have been notified."))
def dossier_open_scoring(request, dossier):
    domain.open_scoring(dossier, actor=request.user)


@_dossier_action(done=gettext_lazy("Scoring closed."))
def dossier_close_scoring(request, dossier):
    _confirmed(request)
    domain.close_scoring(dossier, actor=request.user)


@_dossier_action(
    "evaluation.score_dossier",
    done=gettext_lazy("Conflict of interest recorded; you will not score this dossier."),
)
def dossier_conflict(request, dossier):
    domain.declare_conflict(dossier, actor=request.user, reason=request.POST.get("reason", ""))


@_dossier_action("evaluation.record_national_result", done=gettext_lazy("National result recorded."))
def dossier_national(request, dossier):
    star = request.POST.get("star", "")
    day = _dates(request.POST["decision_date"])[0] if request.POST.get("decision_date") else None
    domain.record_national_result(
        dossier,
        actor=request.user,
        star=int(star) if star.isdigit() else 0,
        total=request.POST.get("total", "").strip().replace(",", ".") or None,
        note=request.POST.get("note", ""),
        decision_number=request.POST.get("decision_number", ""),
        decision_date=day,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dossier_score(request, pk):
    """A council member's scoresheet: the rubric with the producer's self-score, the commune's and the
    advisory group's notes and the evidence side by side. Bounded queries whatever the rubric size."""
    dossier = _dossier_for(request, pk, "evaluation.score_dossier")
    if request.method != "POST":
        return render(request, "backoffice/evaluation/score.html", _score_context(request, dossier))
    answers = {k[2:]: v for k, v in request.POST.items() if k.startswith("c:") and v}
    knockouts = _posted_knockouts(request)

    def save():
        if request.POST.get("action") == "correct":
            domain.correct_scoresheet(
                domain.current_sheet(dossier, request.user),
                actor=request.user,
                reason=request.POST.get("reason", ""),
            )
            return _("A new version of your scoresheet is open for correction.")
        submit = request.POST.get("action") == "submit"
        if submit and request.POST.get("confirm") != "yes":
            raise DomainError(
                _("Tick the box to confirm that your scoresheet will be locked."), code="not_confirmed"
            )
        domain.save_scoresheet(
            dossier,
            actor=request.user,
            answers=answers,
            notes=request.POST.get("notes", ""),
            lock_version=request.POST.get("lock_version") or None,
            submit=submit,
            knockouts=knockouts,
        )
        return _("Scoresheet submitted.") if submit else _("Draft saved.")

    def again(exc):
        """A refused save or submit shows the page again with every choice the member made."""
        context = _score_context(request, dossier, answers, request.POST.get("notes", ""), knockouts)
        return render(request, "backoffice/evaluation/score.html", context, status=exc.status)

    return run_action(
        request,
        save,
        done=lambda message: message,
        back=lambda: redirect("backoffice:evaluation_score", pk),
        refused=again,
    )


def _posted_knockouts(request):
    """The knock-outs a member ticked on the scoresheet: the set's "Hồ sơ bị loại khi" lines
    ("disqualifier:N"), criteria whose note says "Bị loại nếu…" (their id), and a reason in their own words."""
    items = [k for k in request.POST.getlist("ko") if k.strip()]
    own = request.POST.get("ko_reason", "").strip()
    if own:
        items.append({"criterion": None, "reason": own[:500]})
    return items


def _knockout_choices(tree, marked):
    """Rows of the scoresheet's knock-out block: (key, label, ticked) for each line of the set and each
    criterion carrying a knock-out note, and the member's own words if any."""

    keys = {str(k) if not isinstance(k, dict) else k.get("key", "") for k in marked or ()}
    own = next((k.get("reason", "") for k in marked or () if isinstance(k, dict) and not k.get("key")), "")
    rows = [
        (f"disqualifier:{n}", line, f"disqualifier:{n}" in keys)
        for n, line in enumerate(tree.get("disqualifiers") or (), start=1)
    ]
    for _part, criterion in criteria_by_part(tree):
        notes = [k["text"] for k in criterion.get("knockouts") or () if k.get("text")]
        if notes:
            cid = criterion["id"]
            rows.append((cid, f"{cid}: {'; '.join(notes)}", cid in keys))
    return rows, own


def _score_context(request, dossier, posted_answers=None, posted_notes=None, posted_knockouts=None):
    sheet = domain.current_sheet(dossier, request.user)
    evidence_by_criterion = {}
    for item in dossier.evidence.all():
        evidence_by_criterion.setdefault(item.criterion, []).append(item)
    chosen = posted_answers if posted_answers is not None else (sheet.answers if sheet else {})
    rows = _tree_rows(
        localized(dossier.rubric.tree),
        dossier.self_answers,
        dossier.commune_assessment,
        dossier.appraisal_comments,
        chosen,
    )
    for row in rows:
        if row["kind"] == "criterion":
            row["evidence"] = evidence_by_criterion.get(row["c"]["id"], [])
    marked = posted_knockouts if posted_knockouts is not None else (sheet.knockouts if sheet else [])
    knockout_rows, knockout_own = _knockout_choices(dossier.rubric.tree, marked)
    return {
        "dossier": dossier,
        "sheet": sheet,
        "rows": rows,
        "notes": posted_notes if posted_notes is not None else (sheet.notes if sheet else ""),
        "general_evidence": evidence_by_criterion.get("", []),
        "recused": dossier.conflicts.filter(member=request.user).exists(),
        "locked": sheet is not None and sheet.status == SheetStatus.SUBMITTED,
        "open": may_fill_scoresheet(request.user, dossier),
        "bands": _star_bands(),
        "knockout_rows": knockout_rows,
        "knockout_own": knockout_own,
    }


def _star_bands():
    """Lower bounds of the star bands (architecture §6: 1 below 30 … 5 for 90–100), for the page's
    running projection; the council's result is computed by the server, not by this hint."""

    return ",".join(f"{int(low)}:{star}" for low, star in STAR_BANDS)


@login_required
def dossier_nomination_zip(request, pk):
    """The 5★ nomination package for the ministry: dossier summary, scores, minutes, decision, evidence."""

    dossier = _dossier_for(request, pk, "evaluation.view_results")
    if not dossier.potential_5_star or dossier.decision is None:
        raise Http404
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{dossier.number}/ho-so.pdf", dossier_summary_pdf(dossier))
        archive.writestr(
            f"{dossier.number}/bien-ban-hoi-dong.pdf", minutes_pdf(dossier.round, dossiers=[dossier])
        )
        archive.writestr(f"{dossier.number}/quyet-dinh.pdf", render_decision(dossier.decision))
        for item in dossier.evidence.all():
            with item.file.open("rb") as handle:
                archive.writestr(
                    f"{dossier.number}/minh-chung/{item.pk}-{_evidence_filename(item)}", handle.read()
                )
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="de-cu-5-sao-{dossier.number}.zip"'
    return response


@login_required
def certificate_pdf(request, number):
    """The certificate as PDF, for whoever may see its product (producer, its officers, the ministry)."""

    certificate = get_object_or_404(
        Certificate.objects.select_related("product", "product__producer", "product__producer__commune"),
        number=number,
        product__in=products_for(request.user).values("pk"),
    )
    return _pdf_response(render_certificate(certificate), f"giay-chung-nhan-{certificate.number}.pdf")


@login_required
def notifications(request):
    items = Notification.objects.filter(user=request.user)[:100]
    if request.method == "POST":
        domain.mark_notifications_read(request.user, actor=request.user)
        return redirect("backoffice:evaluation_notifications")
    return render(request, "backoffice/evaluation/notifications.html", {"items": items})


__all__ = ["Prefetch"]
