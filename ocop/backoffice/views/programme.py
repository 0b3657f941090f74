"""Programme pages: yearly plans with live progress, training courses and attendees, support to
producers, consultancy units. Views parse, call one domain function, render."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.enums import Role
from ocop.core.dates import today
from ocop.core.errors import DomainError
from ocop.geo.enums import Level
from ocop.geo.queries import unit_at
from ocop.programme import domain
from ocop.programme.enums import SupportKind
from ocop.programme.forms import AttendeeForm, ConsultancyForm, CourseForm, PlanForm, SupportForm
from ocop.programme.models import Attendee, ConsultancyUnit, Plan, SupportRecord, TrainingCourse
from ocop.programme.rules import unit_within
from ocop.registry.queries import producers_for, products_for
from ocop.reports.kpis import plan_progress
from ocop.reports.scope import Scope, parse_as_of

from ..actions import run_action, run_form


def _require_access(user):
    if not user.has_perm("programme.access"):
        raise PermissionDenied


def _national(user):
    return user.is_superuser or user.has_role(Role.ADMIN, Role.MINISTRY_OFFICER)


def _visible(user, qs, unit_field):
    """Rows whose unit lies in one of the user's units (everything for admins and the ministry)."""
    if _national(user):
        return list(qs)
    scopes = user.units(
        Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER, Role.ADVISORY_MEMBER, Role.COUNCIL_MEMBER
    )
    return [row for row in qs if any(unit_within(_unit(row, unit_field), s) for s in scopes)]


def _unit(row, field):
    for part in field.split("__"):
        row = getattr(row, part)
    return row


def _office_province(request):
    """The province a new record belongs to: the officer's own, or ?province= for administrators."""
    user = request.user
    code = (request.GET.get("province") or request.POST.get("province_code") or "").strip()
    if code and _national(user):
        return unit_at(code, Level.PROVINCE, today())
    for unit in user.units(Role.PROVINCE_OFFICER):
        return unit if unit.level == Level.PROVINCE else unit.province
    return None


def _get(request, qs, pk, view_perm, manage_perm=None):
    """The object if the user may see it (else 404) and, when asked, manage it (else 403)."""
    _require_access(request.user)
    obj = get_object_or_404(qs, pk=pk)
    if not request.user.has_perm(view_perm, obj):
        raise Http404
    if manage_perm and not request.user.has_perm(manage_perm, obj):
        raise PermissionDenied
    return obj


# ---- Plans ---------------------------------------------------------------------------------------


def _progress_day(request):
    try:
        return parse_as_of(request.GET.get("as_of"))
    except DomainError:
        return today()


@login_required
def plan_list(request):
    _require_access(request.user)
    plans = _visible(request.user, Plan.objects.select_related("unit").prefetch_related("targets"), "unit")
    rows = []
    day = today()
    for plan in plans:
        progress = plan_progress(plan, Scope(min(day, datetime.date(plan.year, 12, 31)), plan.unit))
        rows.append({"plan": plan, "targets": progress["targets"]})
    context = {"rows": rows, "can_add": request.user.has_perm("programme.add_plan")}
    return render(request, "backoffice/programme/plan_list.html", context)


@login_required
def plan_detail(request, pk):
    plan = _get(request, Plan.objects.select_related("unit"), pk, "programme.view_plan")
    day = _progress_day(request)
    progress = plan_progress(plan, Scope(day, plan.unit))
    context = {
        "plan": plan,
        "progress": progress,
        "as_of": min(day, datetime.date(plan.year, 12, 31)),
        "as_of_value": day.isoformat(),
        "can_edit": request.user.has_perm("programme.manage_plan", plan),
    }
    return render(request, "backoffice/programme/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    if not request.user.has_perm("programme.add_plan"):
        raise PermissionDenied
    province = _office_province(request)
    form = PlanForm(request.POST or None, initial={"year": today().year})
    unit = _plan_unit(request, form, province) if request.method == "POST" and form.is_valid() else None
    answer, _status = run_form(  # the form's errors above (commune, province) leave it invalid: no call
        request,
        form,
        lambda: domain.create_plan(
            actor=request.user,
            unit=unit,
            targets=form.targets(),
            **{k: v for k, v in form.cleaned_data.items() if not k.startswith("target_")},
        ),
        done=_("Plan saved."),
        then=lambda plan: redirect("backoffice:plan_detail", plan.pk),
    )
    return answer or render(
        request, "backoffice/programme/plan_form.html", {"form": form, "province": province}
    )


def _plan_unit(request, form, province):
    """The unit of a new plan: the office's province, or a commune of it (?commune_code=); a wrong one is
    an error on the form."""
    unit = province
    commune_code = (request.POST.get("commune_code") or "").strip()
    if commune_code:
        unit = unit_at(commune_code, Level.COMMUNE, datetime.date(form.cleaned_data["year"], 12, 31))
        if unit is None or province is None or unit.province_id != province.pk:
            form.add_error(None, _("This commune is not in your province."))
    if province is None:
        form.add_error(None, _("Choose the province (?province=code)."))
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = _get(
        request, Plan.objects.select_related("unit"), pk, "programme.view_plan", "programme.manage_plan"
    )
    form = PlanForm(request.POST or None, instance=plan)
    answer, status = run_form(
        request,
        form,
        lambda: domain.update_plan(
            plan,
            actor=request.user,
            targets=form.targets(),
            lock_token=form.lock_token,
            **{k: form.cleaned_data[k] for k in domain.PLAN_FIELDS},
        ),
        done=_("Changes saved."),
        then=lambda _plan: redirect("backoffice:plan_detail", plan.pk),
    )
    return answer or render(
        request,
        "backoffice/programme/plan_form.html",
        {"form": form, "plan": plan, "province": plan.province_unit()},
        status=status,
    )


# ---- Training --------------------------------------------------------------------------------------


@login_required
def course_list(request):
    _require_access(request.user)
    courses = _visible(
        request.user,
        TrainingCourse.objects.select_related("province", "consultancy_unit").prefetch_related("attendees"),
        "province",
    )
    context = {"courses": courses, "can_add": request.user.has_perm("programme.add_plan")}
    return render(request, "backoffice/programme/course_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    if not request.user.has_perm("programme.add_plan"):
        raise PermissionDenied
    province = _office_province(request)
    if province is None:
        raise Http404
    form = CourseForm(request.POST or None, province=province)
    answer, _status = run_form(
        request,
        form,
        lambda: domain.create_course(actor=request.user, province=province, **form.cleaned_data),
        done=_("Course saved."),
        then=lambda course: redirect("backoffice:course_detail", course.pk),
    )
    return answer or render(
        request, "backoffice/programme/course_form.html", {"form": form, "province": province}
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_detail(request, pk):
    course = _get(
        request,
        TrainingCourse.objects.select_related("province", "consultancy_unit"),
        pk,
        "programme.view_course",
    )
    can_edit = request.user.has_perm("programme.manage_course", course)
    producers = producers_for(request.user).filter(status="active").order_by("name")
    form = AttendeeForm(request.POST or None, producers=producers)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied

    official = _official(form) if request.method == "POST" and form.is_valid() else None
    answer, _status = run_form(  # an unknown user name (an error above) leaves the form invalid: no call
        request,
        form,
        lambda: domain.add_attendee(
            course, actor=request.user, user=official, producer=form.cleaned_data.get("producer")
        ),
        done=_("Attendee added."),
        then=lambda _attendee: redirect("backoffice:course_detail", course.pk),
    )
    if answer:
        return answer
    context = {
        "course": course,
        "attendees": course.attendees.select_related("user", "producer"),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "backoffice/programme/course_detail.html", context)


def _official(form):
    """The official named by the form's user name (none given: None); an unknown one is an error on it."""
    username = (form.cleaned_data.get("username") or "").strip()
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not user.is_platform_staff:
        form.add_error("username", _("No official has this user name."))
    return user


@login_required
@require_POST
def attendee_remove(request, pk, attendee_pk):
    course = _get(
        request, TrainingCourse.objects.all(), pk, "programme.view_course", "programme.manage_course"
    )
    attendee = get_object_or_404(Attendee, pk=attendee_pk, course=course)
    return run_action(
        request,
        lambda: domain.remove_attendee(attendee, actor=request.user),
        done=_("Attendee removed."),
        back=lambda: redirect("backoffice:course_detail", course.pk),
    )


# ---- Support and consultancy units -------------------------------------------------------------------


@login_required
def support_list(request):
    _require_access(request.user)
    producers = producers_for(request.user)
    qs = SupportRecord.objects.filter(producer__in=producers).select_related(
        "producer", "product", "consultancy_unit"
    )
    if request.GET.get("kind") in SupportKind.values:
        qs = qs.filter(kind=request.GET["kind"])
    context = {
        "page": Paginator(qs, 50).get_page(request.GET.get("page")),
        "kinds": SupportKind.choices,
        "can_add": request.user.has_perm("programme.add_plan"),
    }
    return render(request, "backoffice/programme/support_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def support_create(request):
    if not request.user.has_perm("programme.add_plan"):
        raise PermissionDenied
    province = _office_province(request)
    producers = producers_for(request.user).filter(status="active").order_by("name")
    form = SupportForm(
        request.POST or None,
        producers=producers,
        products=products_for(request.user).order_by("name"),
        consultancy_units=ConsultancyUnit.objects.filter(province=province, active=True),
        initial={"given_on": today()},
    )
    answer, _status = run_form(
        request,
        form,
        lambda: domain.record_support(actor=request.user, **form.cleaned_data),
        done=_("Support recorded."),
        then=lambda _record: redirect("backoffice:support_list"),
    )
    return answer or render(request, "backoffice/programme/support_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def consultancy_list(request):
    _require_access(request.user)
    units = _visible(request.user, ConsultancyUnit.objects.select_related("province"), "province")
    province = _office_province(request)
    can_add = province is not None and request.user.has_perm("programme.manage_consultancy", province)
    form = ConsultancyForm(request.POST or None)
    if request.method == "POST" and not can_add:
        raise PermissionDenied
    answer, _status = run_form(
        request,
        form,
        lambda: domain.create_consultancy_unit(actor=request.user, province=province, **form.cleaned_data),
        done=_("Consultancy unit saved."),
        then=lambda _unit: redirect("backoffice:consultancy_list"),
    )
    return answer or render(
        request,
        "backoffice/programme/consultancy_list.html",
        {"units": units, "form": form, "can_add": can_add},
    )
