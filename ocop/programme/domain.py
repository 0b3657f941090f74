"""State changes of programme records. Each checks permission, locks, saves, and logs one row."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ocop.accounts.rules import require_perm, unit_covers
from ocop.core.activity import log_activity
from ocop.core.errors import DomainError
from ocop.core.locking import bump, check_unchanged
from ocop.geo.enums import Level

from .enums import SHARE_INDICATORS, AttendeeKind, Indicator
from .models import Attendee, ConsultancyUnit, Plan, SupportRecord, Target, TrainingCourse

PLAN_FIELDS = ["title", "reference", "adopted_on", "notes"]
COURSE_FIELDS = [
    "title",
    "topic",
    "audience",
    "starts_on",
    "ends_on",
    "trainer",
    "location",
    "consultancy_unit",
]


def _require(actor, perm, obj=None):
    require_perm(actor, perm, obj)


def _text(value):
    return None if value is None else str(value)


@transaction.atomic
def create_plan(*, actor, unit, year, title, reference="", adopted_on=None, notes="", targets=None):
    """A plan for a province or a commune and a year, with its targets ({indicator: value})."""
    if unit.level not in (Level.PROVINCE, Level.COMMUNE):
        raise DomainError(_("A plan belongs to a province or a commune."), code="bad_unit")
    _require(actor, "programme.manage_plan", unit)
    if not 2018 <= int(year) <= 2100:
        raise DomainError(_("The year must be between 2018 and 2100."), code="bad_year")
    if Plan.objects.filter(unit=unit, year=year).exists():
        raise DomainError(
            _("%(unit)s already has a plan for %(year)s.") % {"unit": unit.name, "year": year},
            code="duplicate",
        )
    plan = Plan.objects.create(
        unit=unit, year=year, title=title, reference=reference, adopted_on=adopted_on, notes=notes
    )
    clean = _clean_targets(targets or {})
    Target.objects.bulk_create([Target(plan=plan, indicator=k, value=v) for k, v in clean.items()])
    log_activity(
        plan, "programme.plan.created", actor=actor, data={"unit": unit.code, "year": year, "targets": clean}
    )
    return plan


def _clean_targets(targets):
    clean = {}
    for indicator, value in targets.items():
        if indicator not in Indicator.values:
            raise DomainError(_("Unknown indicator: %(name)s.") % {"name": indicator}, code="bad_indicator")
        if value is None or value == "":
            continue
        if int(value) < 0:
            raise DomainError(_("A target cannot be negative."), code="bad_target")
        if indicator in SHARE_INDICATORS and int(value) > 100:
            raise DomainError(_("A share is at most 100 %."), code="bad_target")
        clean[indicator] = int(value)
    return clean


@transaction.atomic
def update_plan(plan, *, actor, targets=None, lock_token=None, **values):
    """Change a plan's description and its targets; an empty target removes it."""
    _require(actor, "programme.manage_plan", plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    check_unchanged(plan, lock_token)
    diff = {}
    for field in PLAN_FIELDS:
        if field in values and getattr(plan, field) != values[field]:
            diff[field] = [_text(getattr(plan, field)), _text(values[field])]
            setattr(plan, field, values[field])
    if diff:
        plan.save(update_fields=[*diff.keys(), "updated_at"])
    if targets is not None:
        before = dict(plan.targets.values_list("indicator", "value"))
        after = _clean_targets(targets)
        for indicator in set(before) - set(after):
            plan.targets.filter(indicator=indicator).delete()
        for indicator, value in after.items():
            if before.get(indicator) != value:
                Target.objects.update_or_create(plan=plan, indicator=indicator, defaults={"value": value})
        if before != after:
            diff["targets"] = [before, after]
            if set(diff) == {"targets"}:
                bump(plan)  # the plan's lock token changes with its targets
    if diff:
        log_activity(plan, "programme.plan.updated", actor=actor, data=diff)
    return plan


@transaction.atomic
def create_consultancy_unit(*, actor, province, name, services="", phone="", email=""):
    _require(actor, "programme.manage_consultancy", province)
    if ConsultancyUnit.objects.filter(province=province, name__iexact=name.strip()).exists():
        raise DomainError(_("A consultancy unit with this name already exists."), code="duplicate")
    unit = ConsultancyUnit.objects.create(
        province=province, name=name.strip(), services=services, phone=phone, email=email
    )
    log_activity(unit, "programme.consultancy_unit.created", actor=actor, data={"name": unit.name})
    return unit


def _check_course_dates(starts_on, ends_on):
    if ends_on < starts_on:
        raise DomainError(_("The course cannot end before it starts."), code="bad_dates")


@transaction.atomic
def create_course(*, actor, province, title, starts_on, ends_on, **values):
    _require(actor, "programme.manage_course", province)
    _check_course_dates(starts_on, ends_on)
    _check_consultancy(values.get("consultancy_unit"), province)
    course = TrainingCourse.objects.create(
        province=province, title=title, starts_on=starts_on, ends_on=ends_on, **values
    )
    log_activity(
        course,
        "programme.course.created",
        actor=actor,
        data={"title": title, "starts_on": starts_on, "ends_on": ends_on},
    )
    return course


def _check_consultancy(consultancy_unit, province):
    if consultancy_unit is not None and consultancy_unit.province_id != province.pk:
        raise DomainError(_("This consultancy unit works in another province."), code="bad_consultancy")


@transaction.atomic
def update_course(course, *, actor, **values):
    _require(actor, "programme.manage_course", course)
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    _check_course_dates(values.get("starts_on", course.starts_on), values.get("ends_on", course.ends_on))
    _check_consultancy(values.get("consultancy_unit", course.consultancy_unit), course.province)
    diff = {}
    for field in COURSE_FIELDS:
        if field in values and getattr(course, field) != values[field]:
            diff[field] = [_text(getattr(course, field)), _text(values[field])]
            setattr(course, field, values[field])
    if diff:
        course.save(update_fields=[*diff.keys(), "updated_at"])
        log_activity(course, "programme.course.updated", actor=actor, data=diff)
    return course


@transaction.atomic
def add_attendee(course, *, actor, user=None, producer=None, name=""):
    """Register an official (a user account) or a producer at a course."""
    _require(actor, "programme.manage_course", course)
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    if (user is None) == (producer is None):
        raise DomainError(_("Choose either an official or a producer."), code="bad_attendee")
    if producer is not None:
        legacy, current = producer.scope_communes()
        if not unit_covers(course.province, legacy, current):
            raise DomainError(_("This producer is outside the course's province."), code="out_of_scope")
    kind = AttendeeKind.PRODUCER if producer is not None else AttendeeKind.OFFICIAL
    name = name or str(producer or user)
    try:
        with transaction.atomic():
            attendee = Attendee.objects.create(
                course=course, kind=kind, user=user, producer=producer, name=name
            )
    except IntegrityError:
        raise DomainError(_("Already registered for this course."), code="duplicate") from None
    log_activity(
        course,
        "programme.course.attendee_added",
        actor=actor,
        data={"kind": kind, "user": user.pk if user else None, "producer": producer.pk if producer else None},
    )
    return attendee


@transaction.atomic
def remove_attendee(attendee, *, actor):
    course = attendee.course
    _require(actor, "programme.manage_course", course)
    TrainingCourse.objects.select_for_update().get(pk=course.pk)
    data = {"kind": attendee.kind, "name": attendee.name}
    attendee.delete()
    log_activity(course, "programme.course.attendee_removed", actor=actor, data=data)


@transaction.atomic
def record_support(
    *, actor, producer, kind, given_on, amount=None, source="", consultancy_unit=None, product=None, note=""
):
    _require(actor, "programme.manage_support", producer)
    if amount is not None and amount < 0:
        raise DomainError(_("The amount cannot be negative."), code="bad_amount")
    if product is not None and product.producer_id != producer.pk:
        raise DomainError(_("This product belongs to another producer."), code="bad_product")
    record = SupportRecord.objects.create(
        producer=producer,
        product=product,
        kind=kind,
        given_on=given_on,
        amount=amount,
        source=source,
        consultancy_unit=consultancy_unit,
        note=note,
    )
    log_activity(
        record,
        "programme.support.recorded",
        actor=actor,
        data={"producer": producer.pk, "kind": kind, "amount": amount, "given_on": given_on},
    )
    return record
