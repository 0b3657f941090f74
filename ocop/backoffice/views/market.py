"""Office pages of the market: sale points (managed by the office, suggested by producers), online
listings of a product, fairs and their results. Views parse, call one domain function, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.enums import Role
from ocop.core.errors import DomainError
from ocop.core.locking import LOCK_FIELD, token_of
from ocop.core.params import int_list
from ocop.core.permissions import require_view
from ocop.core.text import search_words
from ocop.market import domain
from ocop.market.enums import QD950_CRITERIA, SalePointKind, SalePointStatus
from ocop.market.forms import (
    FairForm,
    FairResultsForm,
    ListingForm,
    RouteForm,
    SalePointForm,
    SuggestSalePointForm,
)
from ocop.market.models import FairParticipant, OnlineListing
from ocop.market.queries import fairs_for, modern_channel_share, routes_for, sale_points_for
from ocop.market.rules import may_set_status
from ocop.registry.enums import ProductStatus
from ocop.registry.models import Producer, Product
from ocop.registry.queries import products_for

from ..actions import run_action, run_form, run_status_change, scoped_object


@login_required
def sale_point_list(request):
    require_view(request.user, "market.access")
    qs = search_points(sale_points_for(request.user), request.GET.get("q", ""))
    if request.GET.get("status") in SalePointStatus.values:
        qs = qs.filter(status=request.GET["status"])
    if request.GET.get("kind") in SalePointKind.values:
        qs = qs.filter(kind=request.GET["kind"])
    qs = qs.select_related("commune", "commune__province").order_by("status", "name")
    with_channel, total = modern_channel_share(products_for(request.user))
    context = {
        "page": Paginator(qs, 25).get_page(request.GET.get("page")),
        "statuses": SalePointStatus.choices,
        "kinds": SalePointKind.choices,
        "can_add": request.user.has_perm("market.add_salepoint"),
        "can_suggest": request.user.has_perm("market.suggest_salepoint"),
        "channel_kpi": (with_channel, total),
    }
    template = "backoffice/market/sale_point_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


def search_points(qs, query):
    for word in search_words(query):
        qs = qs.filter(name_folded__contains=word)
    return qs


def _sale_point_for(request, pk, perm="market.view_salepoint"):
    return scoped_object(request, sale_points_for(request.user), pk, perm)


@login_required
def sale_point_detail(request, pk):
    sale_point = _sale_point_for(request, pk)
    context = {
        "sp": sale_point,
        "products": sale_point.products.select_related("producer").order_by("name"),
        "criteria": [(code, label, code in sale_point.criteria) for code, label in QD950_CRITERIA.items()],
        "can_change": request.user.has_perm("market.change_salepoint", sale_point),
        # the moves of SALE_POINT_TRANSITIONS the user may make now (the template reads no status name)
        **{
            f"can_{action}": may_set_status(request.user, sale_point, target)
            for action, target in (
                ("activate", SalePointStatus.ACTIVE),
                ("reject", SalePointStatus.REJECTED),
                ("close", SalePointStatus.CLOSED),
            )
        },
        "statuses": SalePointStatus,
    }
    return render(request, "backoffice/market/sale_point_detail.html", context)


def _products_from(request, allowed):
    ids = int_list(request.POST.getlist("products"))
    return list(allowed.filter(pk__in=ids))


@login_required
@require_http_methods(["GET", "POST"])
def sale_point_create(request):
    require_view(request.user, "market.add_salepoint")
    form = SalePointForm(request.POST or None)
    products = products_for(request.user).order_by("name")
    answer, _status = run_form(
        request,
        form,
        lambda: domain.create_sale_point(
            actor=request.user, products=_products_from(request, products), **form.cleaned_data
        ),
        done=_("Sale point created."),
        then=lambda sale_point: redirect("backoffice:market_sale_point", sale_point.pk),
    )
    return answer or render(
        request, "backoffice/market/sale_point_form.html", {"form": form, "products": products}
    )


@login_required
@require_http_methods(["GET", "POST"])
def sale_point_edit(request, pk):
    sale_point = _sale_point_for(request, pk, "market.change_salepoint")
    form = SalePointForm(request.POST or None, instance=sale_point, initial={"criteria": sale_point.criteria})
    products = products_for(request.user).order_by("name")

    @transaction.atomic
    def save():
        domain.update_sale_point(
            sale_point, actor=request.user, lock_token=form.lock_token, **form.cleaned_data
        )
        domain.set_sale_point_products(sale_point, _products_from(request, products), actor=request.user)

    answer, status = run_form(
        request,
        form,
        save,
        done=_("Changes saved."),
        then=lambda _none: redirect("backoffice:market_sale_point", sale_point.pk),
    )
    if answer:
        return answer
    chosen = set(sale_point.products.values_list("pk", flat=True))
    return render(
        request,
        "backoffice/market/sale_point_form.html",
        {"form": form, "sp": sale_point, "products": products, "chosen": chosen},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sale_point_suggest(request):
    require_view(request.user, "market.suggest_salepoint")
    if request.user.producer is None:
        # An administrator passes every permission but has no producer to suggest for (was a 500).
        raise PermissionDenied(
            _("Only a producer's account suggests a sale point; the office adds one directly.")
        )
    form = SuggestSalePointForm(request.POST or None, producer=request.user.producer)

    def suggest():
        data = dict(form.cleaned_data)
        products = list(data.pop("products"))
        return domain.suggest_sale_point(actor=request.user, products=products, **data)

    answer, _status = run_form(
        request,
        form,
        suggest,
        done=_("Thank you. The provincial office will review the sale point."),
        then=lambda _sale_point: redirect("backoffice:market_sale_points"),
    )
    return answer or render(
        request, "backoffice/market/sale_point_form.html", {"form": form, "suggest": True}
    )


@login_required
@require_POST
def sale_point_status(request, pk):
    sale_point = _sale_point_for(request, pk, "market.change_salepoint")
    return run_status_change(
        request,
        SalePointStatus,
        lambda status: domain.change_sale_point_status(
            sale_point, status, actor=request.user, note=request.POST.get("note", "")
        ),
        back=lambda: redirect("backoffice:market_sale_point", sale_point.pk),
    )


def _product_for(request, pk):
    return scoped_object(
        request, products_for(request.user).select_related("producer"), pk, "market.manage_listing"
    )


@login_required
@require_http_methods(["GET", "POST"])
def listings(request, product_pk):
    product = _product_for(request, product_pk)
    form = ListingForm(request.POST or None)
    answer, _status = run_form(
        request,
        form,
        lambda: domain.add_listing(
            product, actor=request.user, platform=form.cleaned_data["platform"], url=form.cleaned_data["url"]
        ),
        field="url",
        done=_("Online listing added."),
        then=lambda _listing: redirect("backoffice:market_listings", product.pk),
    )
    if answer:
        return answer
    context = {"product": product, "form": form, "listings": product.online_listings.all()}
    return render(request, "backoffice/market/listings.html", context, status=400 if form.errors else 200)


def _listing_for(request, pk):
    listing = get_object_or_404(OnlineListing.objects.select_related("product__producer"), pk=pk)
    if not products_for(request.user).filter(pk=listing.product_id).exists():
        raise Http404
    require_view(request.user, "market.manage_listing", listing.product)
    return listing


@login_required
@require_POST
def listing_check(request, pk):
    listing = _listing_for(request, pk)
    return run_action(
        request,
        lambda: domain.record_listing_check(
            listing, actor=request.user, working=request.POST.get("working") == "1"
        ),
        done=_("Check recorded."),
        back=lambda: redirect("backoffice:market_listings", listing.product_id),
    )


@login_required
@require_POST
def listing_remove(request, pk):
    listing = _listing_for(request, pk)
    product_pk = listing.product_id
    return run_action(
        request,
        lambda: domain.remove_listing(listing, actor=request.user),
        done=_("Online listing removed."),
        back=lambda: redirect("backoffice:market_listings", product_pk),
    )


@login_required
def fair_list(request):
    require_view(request.user, "market.view_fair")
    context = {
        "fairs": fairs_for(request.user).select_related("province"),
        "can_add": request.user.has_perm("market.add_fair"),
    }
    return render(request, "backoffice/market/fair_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def fair_create(request):
    require_view(request.user, "market.add_fair")
    form = FairForm(request.POST or None)

    def create():
        province = _office_province(request, _("Only a provincial office can record its events."))
        return domain.create_fair(actor=request.user, province=province, **form.cleaned_data)

    answer, _status = run_form(
        request,
        form,
        create,
        done=_("Event created."),
        then=lambda fair: redirect("backoffice:market_fair", fair.pk),
    )
    return answer or render(request, "backoffice/market/fair_form.html", {"form": form})


def _office_province(request, refusal):
    """The province of the officer's office, for a new event or route (else `refusal` as a DomainError)."""
    provinces = request.user.units(Role.PROVINCE_OFFICER)
    if not provinces:
        raise DomainError(refusal)
    return provinces[0]


def _fair_for(request, pk):
    return scoped_object(request, fairs_for(request.user), pk, "market.view_fair")


@login_required
@require_http_methods(["GET", "POST"])
def fair_detail(request, pk):
    fair = _fair_for(request, pk)
    can_change = request.user.has_perm("market.change_fair", fair)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied

        def add():
            producer = Producer.objects.filter(pk=request.POST.get("producer") or 0).first()
            if producer is None:
                raise DomainError(_("Choose a producer."))
            return domain.add_fair_participant(fair, actor=request.user, producer=producer, products=[])

        return run_action(
            request,
            add,
            done=_("Participant added."),
            back=lambda: redirect("backoffice:market_fair", fair.pk),
        )
    participants = list(fair.participants.select_related("producer").prefetch_related("products"))
    if can_change:  # each participant's own products, to choose those shown at the event
        own = Product.objects.filter(
            producer__in=[p.producer_id for p in participants], status=ProductStatus.ACTIVE
        ).order_by("name")
        for p in participants:
            p.lock_token = token_of(p)
            chosen = {x.pk for x in p.products.all()}
            p.choices = [(x, x.pk in chosen) for x in own if x.producer_id == p.producer_id]
    context = {
        "fair": fair,
        "participants": participants,
        "can_change": can_change,
        "producers": Producer.objects.filter(status="active").order_by("name")[:500] if can_change else [],
        "results_form": FairResultsForm(),
    }
    return render(request, "backoffice/market/fair_detail.html", context)


@login_required
@require_POST
def fair_results(request, pk, participant_pk):
    fair = _fair_for(request, pk)
    participant = get_object_or_404(FairParticipant, pk=participant_pk, fair=fair)
    form = FairResultsForm(request.POST, lock_record=participant)
    back = lambda: redirect("backoffice:market_fair", fair.pk)  # noqa: E731
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Figures must be whole numbers, zero or more.")]:
            messages.error(request, error)
        return back()
    return run_action(  # a stale form (409) included: a message, nothing overwritten
        request,
        lambda: domain.record_fair_results(
            participant, actor=request.user, lock_token=form.lock_token, **form.cleaned_data
        ),
        done=_("Results recorded."),
        back=back,
    )


@login_required
@require_POST
def fair_participant_products(request, pk, participant_pk):
    fair = _fair_for(request, pk)
    participant = get_object_or_404(FairParticipant, pk=participant_pk, fair=fair)

    def save():
        ids = int_list(request.POST.getlist("products"))
        products = list(Product.objects.filter(pk__in=ids))
        if len(products) != len(set(ids)):
            raise DomainError(_("Every product must belong to the participating producer."))
        domain.set_fair_participant_products(
            participant, products, actor=request.user, lock_token=request.POST.get(LOCK_FIELD) or ""
        )

    return run_action(
        request,
        save,
        done=_("Products at the event saved."),
        back=lambda: redirect("backoffice:market_fair", fair.pk),
    )


@login_required
def route_list(request):
    require_view(request.user, "market.view_fair")
    routes = routes_for(request.user).select_related("province").prefetch_related("stops")
    context = {"routes": routes, "can_add": request.user.has_perm("market.add_fair")}
    return render(request, "backoffice/market/route_list.html", context)


def _stop_choices(user):
    return sale_points_for(user).filter(status=SalePointStatus.ACTIVE).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def route_create(request):
    require_view(request.user, "market.add_fair")
    form = RouteForm(request.POST or None, sale_points=_stop_choices(request.user))

    def create():
        province = _office_province(request, _("Only a provincial office can record its tourism routes."))
        return domain.create_route(actor=request.user, province=province, stops=form.stops(), **form.values())

    answer, _status = run_form(
        request,
        form,
        create,
        done=_("Tourism route created."),
        then=lambda route: redirect("backoffice:market_route", route.pk),
    )
    return answer or render(request, "backoffice/market/route_form.html", {"form": form})


def _route_for(request, pk):
    route = get_object_or_404(routes_for(request.user).select_related("province"), pk=pk)
    require_view(request.user, "market.view_fair")
    return route


@login_required
def route_detail(request, pk):
    route = _route_for(request, pk)
    stops = route.stops.select_related("sale_point", "sale_point__commune").prefetch_related(
        "sale_point__products"
    )
    context = {
        "route": route,
        "stops": stops,
        "can_change": request.user.has_perm("market.change_route", route),
    }
    return render(request, "backoffice/market/route_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def route_edit(request, pk):
    route = _route_for(request, pk)
    require_view(request.user, "market.change_route", route)
    initial = {f"stop_{s.position}": s.sale_point_id for s in route.stops.all()}
    form = RouteForm(
        request.POST or None, instance=route, initial=initial, sale_points=_stop_choices(request.user)
    )
    answer, status = run_form(
        request,
        form,
        lambda: domain.update_route(
            route, actor=request.user, stops=form.stops(), lock_token=form.lock_token, **form.values()
        ),
        done=_("Tourism route saved."),
        then=lambda _route: redirect("backoffice:market_route", route.pk),
    )
    return answer or render(
        request, "backoffice/market/route_form.html", {"form": form, "route": route}, status=status
    )
