"""Producer and product pages for staff and producers. Views parse, call one domain function, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.enums import Role
from ocop.accounts.rules import unit_covers
from ocop.certificates.queries import with_current_star
from ocop.core.activity import history_for, history_for_many
from ocop.core.errors import DomainError
from ocop.core.params import SMALLINT_MAX, int_param
from ocop.geo.queries import current_commune_for, legacy_commune_for
from ocop.registry import domain
from ocop.registry.enums import ChangeRequestStatus, ProducerKind, ProducerStatus, ProductSet
from ocop.registry.forms import ProducerForm, ProductForm
from ocop.registry.models import ChangeRequest, TraceCode
from ocop.registry.queries import producers_for, products_for, search
from ocop.registry.rules import may_add_product, producer_moves, takes_products

from ..actions import run_form, run_status_change, scoped_object

PAGE_SIZE = 25


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _render_list(request, template, context):
    """Full page, or only the results partial when htmx asks."""
    if request.htmx:
        template = f"{template}#results"
    return render(request, template, context)


@login_required
def producer_list(request):
    qs = producers_for(request.user).select_related("commune", "commune__province", "commune__district")
    qs = search(qs, request.GET.get("q", ""))
    if request.GET.get("kind") in ProducerKind.values:
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("status") in ProducerStatus.values:
        qs = qs.filter(status=request.GET["status"])
    context = {"page": _page(request, qs), "kinds": ProducerKind.choices, "statuses": ProducerStatus.choices}
    return _render_list(request, "backoffice/registry/producer_list.html", context)


def _producer_for(request, pk, perm="registry.view_producer"):
    return scoped_object(request, producers_for(request.user).select_related("commune"), pk, perm)


@login_required
def producer_detail(request, pk):
    producer = _producer_for(request, pk)
    # the buttons the page offers: the moves the transition table allows from today's status
    moves = producer_moves(request.user, producer)
    context = {
        "producer": producer,
        "products": producer.products.all(),
        "can_edit": request.user.has_perm("registry.change_producer", producer),
        "can_approve": ProducerStatus.ACTIVE in moves,
        "can_reject": ProducerStatus.REJECTED in moves,
        "can_add_product": may_add_product(request.user, producer),
        "can_see_history": request.user.has_perm("core.view_history", producer),
        "pending": _pending(producer=producer, product=None),
    }
    return render(request, "backoffice/registry/producer_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def producer_create(request):
    if not request.user.has_perm("registry.import_products"):
        raise PermissionDenied
    form = ProducerForm(request.POST or None)

    def create():
        if not _unit_in_scope(request.user, form.cleaned_data["commune"]):
            raise DomainError(_("This commune is outside your province."))
        return domain.create_producer(actor=request.user, **form.cleaned_data)

    answer, _status = run_form(request, form, create, done=_("Producer created."), then=redirect)
    return answer or render(request, "backoffice/registry/producer_form.html", {"form": form})


def _unit_in_scope(user, commune):
    if user.is_superuser or user.has_role(Role.ADMIN):
        return True
    legacy, current = legacy_commune_for(commune), current_commune_for(commune)
    return any(unit_covers(unit, legacy, current) for unit in user.units(Role.PROVINCE_OFFICER))


def _saved(request, obj):
    """The page of the saved record, with the message that says whether the office must approve."""
    if getattr(obj, "change_request", None) is not None:
        messages.info(
            request,
            _(
                "Changes saved. The change of %(fields)s is sent to the provincial office, which approves or "
                "refuses it; until then the record keeps its present values."
            )
            % {"fields": ", ".join(_field_labels(obj.change_request))},
        )
    else:
        messages.success(request, _("Changes saved."))
    return redirect(obj)


def _field_labels(change_request):
    return [str(label) for label, _before, _after in change_request.rows()]


@login_required
@require_http_methods(["GET", "POST"])
def producer_edit(request, pk):
    producer = _producer_for(request, pk, "registry.change_producer")
    form = ProducerForm(request.POST or None, instance=producer)
    answer, status = run_form(
        request,
        form,
        lambda: domain.update_producer(
            producer, actor=request.user, lock_token=form.lock_token, **form.cleaned_data
        ),
        then=lambda saved: _saved(request, saved),
    )
    if answer:
        return answer
    context = {
        "form": form,
        "producer": producer,
        "pending": _pending(producer=producer, product=None),
        "needs_approval": not domain.is_office(request.user, producer),
    }
    return render(request, "backoffice/registry/producer_form.html", context, status=status)


def _pending(**target):
    return ChangeRequest.objects.filter(status=ChangeRequestStatus.PENDING, **target).first()


@login_required
@require_POST
def producer_status(request, pk):
    producer = _producer_for(request, pk, "registry.approve_producer")
    return run_status_change(
        request,
        ProducerStatus,
        lambda status: domain.set_producer_status(
            producer, status, actor=request.user, reason=request.POST.get("reason", "")
        ),
        back=lambda: redirect(producer),
    )


@login_required
def product_list(request):
    qs = with_current_star(
        products_for(request.user).select_related(
            "producer", "producer__commune", "producer__commune__province"
        )
    )
    qs = search(qs, request.GET.get("q", ""))
    product_set = int_param(request.GET, "product_set", maximum=SMALLINT_MAX)
    if product_set is not None:
        qs = qs.filter(product_set=product_set)
    context = {"page": _page(request, qs), "product_sets": ProductSet.choices}
    return _render_list(request, "backoffice/registry/product_list.html", context)


def _product_for(request, pk, perm="registry.view_product"):
    # The producer's communes come along: the permission rules read them (scope_communes), else two
    # more queries on every product page, edit and save (issue #16).
    queryset = products_for(request.user).select_related(
        "producer", "producer__legacy_commune", "producer__current_commune"
    )
    return scoped_object(request, queryset, pk, perm)


@login_required
def product_detail(request, pk):
    product = _product_for(request, pk)
    context = {
        "product": product,
        "certificates": product.certificates.order_by("-issued_on"),
        "can_edit": request.user.has_perm("registry.change_product", product),
        "can_see_history": request.user.has_perm("core.view_history", product),
        "pending": _pending(product=product),
        "trace_codes": product.trace_codes.all(),
        "can_trace": request.user.has_perm("registry.manage_trace_codes", product),
        "trace_kinds": TraceCode.Kind.choices,
    }
    return render(request, "backoffice/registry/product_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request, producer_pk):
    producer = _producer_for(request, producer_pk, "registry.change_producer")
    if not takes_products(producer):
        messages.error(request, _("Products can be added once the province has approved the producer."))
        return redirect(producer)
    form = ProductForm(request.POST or None, request.FILES or None)

    def create():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        return domain.create_product(
            actor=request.user, producer=producer, photos=[photo] if photo else [], **data
        )

    answer, _status = run_form(request, form, create, done=_("Product created."), then=redirect)
    return answer or render(
        request, "backoffice/registry/product_form.html", {"form": form, "producer": producer}
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = _product_for(request, pk, "registry.change_product")
    form = ProductForm(request.POST or None, request.FILES or None, instance=product)

    @transaction.atomic
    def save():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        saved = domain.update_product(product, actor=request.user, lock_token=form.lock_token, **data)
        if photo:
            domain.add_photo(saved, photo, actor=request.user)
        return saved

    answer, status = run_form(request, form, save, then=lambda saved: _saved(request, saved))
    if answer:
        return answer
    context = {
        "form": form,
        "product": product,
        "producer": product.producer,
        "pending": _pending(product=product),
        "needs_approval": not domain.is_office(request.user, product.producer)
        and product.certificates.exists(),
    }
    return render(request, "backoffice/registry/product_form.html", context, status=status)


@login_required
def history(request, kind, pk):
    getter = {"producer": _producer_for, "product": _product_for}.get(kind)
    if getter is None:
        raise PermissionDenied
    obj = getter(request, pk)
    if not request.user.has_perm("core.view_history", obj):
        raise PermissionDenied
    entries = history_for(obj)
    if kind == "product":
        # The certificates' own changes (issue, revocation, suspension) belong to the product's story.
        entries = history_for_many([obj, *obj.certificates.all()])
    return render(request, "backoffice/history.html", {"object": obj, "entries": entries[:200]})
