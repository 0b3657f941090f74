"""State changes of the market data. Each checks permission, saves inside a transaction, logs once."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ocop.accounts.enums import Role
from ocop.accounts.rules import unit_covers
from ocop.core.activity import log_activity
from ocop.core.dates import today
from ocop.core.errors import DomainError, InvalidTransition
from ocop.core.locking import bump, check_unchanged
from ocop.core.permissions import acting_user, require
from ocop.core.publication import publish
from ocop.geo.queries import current_commune_for, legacy_commune_for

from .enums import QD950_CRITERIA, SALE_POINT_TRANSITIONS, ListingCheck, SalePointStatus
from .models import Fair, FairParticipant, OnlineListing, RouteStop, SalePoint, TourismRoute
from .validators import clean_listing_url

SALE_POINT_FIELDS = [
    "name",
    "kind",
    "address",
    "commune",
    "latitude",
    "longitude",
    "opening_hours",
    "phone",
    "website",
    "operator",
    "tourism_product",
    "criteria",
]
FAIR_FIELDS = ["name", "kind", "starts_on", "ends_on", "place", "organiser", "province", "description"]


def _check_criteria(values):
    unknown = set(values.get("criteria") or []) - set(QD950_CRITERIA)
    if unknown:
        raise DomainError(_("Unknown QĐ 950 criterion: %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
    if "criteria" in values:
        values["criteria"] = sorted(set(values["criteria"]))


def _check_commune_in_scope(actor, commune):
    """A provincial officer may only place sale points inside the province."""

    if actor.is_superuser or actor.has_role(Role.ADMIN):
        return
    legacy, current = legacy_commune_for(commune), current_commune_for(commune)
    if not any(unit_covers(unit, legacy, current) for unit in actor.units(Role.PROVINCE_OFFICER)):
        raise DomainError(_("This commune is outside your province."), code="out_of_scope", status=403)


def _plain(value):
    return getattr(value, "pk", value) if value is not None else None


@transaction.atomic
def create_sale_point(*, actor, products=(), **values):
    require(actor, "market.add_salepoint")
    _check_criteria(values)
    _check_commune_in_scope(actor, values["commune"])
    sale_point = SalePoint(status=SalePointStatus.ACTIVE, **values)
    sale_point.full_clean()
    sale_point.save()
    sale_point.products.set(products)
    publish(sale_point)  # the products it carries
    log_activity(
        sale_point,
        "market.salepoint.created",
        actor=actor,
        data={"name": sale_point.name, "kind": sale_point.kind, "products": [p.pk for p in products]},
    )
    return sale_point


@transaction.atomic
def suggest_sale_point(*, actor, products=(), **values):
    """A producer proposes a place that sells its products; the office reviews it."""
    require(actor, "market.suggest_salepoint")
    foreign = [p for p in products if p.producer_id != actor.producer.pk]
    if foreign:
        raise DomainError(_("You can only list your own products at a sale point."), code="not_own_product")
    values.pop("criteria", None)
    sale_point = SalePoint(status=SalePointStatus.SUGGESTED, suggested_by=acting_user(actor), **values)
    sale_point.full_clean()
    sale_point.save()
    sale_point.products.set(products)
    publish(sale_point)  # the products it carries
    log_activity(
        sale_point,
        "market.salepoint.suggested",
        actor=actor,
        data={"name": sale_point.name, "producer": actor.producer.pk, "products": [p.pk for p in products]},
    )
    return sale_point


@transaction.atomic
def update_sale_point(sale_point, *, actor, lock_token=None, **values):
    require(actor, "market.change_salepoint", sale_point)
    _check_criteria(values)
    if "commune" in values:
        _check_commune_in_scope(actor, values["commune"])
    sale_point = SalePoint.objects.select_for_update().get(pk=sale_point.pk)
    check_unchanged(sale_point, lock_token)
    diff = {
        f: [str(_plain(getattr(sale_point, f))), str(_plain(v))]
        for f, v in values.items()
        if _plain(getattr(sale_point, f)) != _plain(v)
    }
    if not diff:
        return sale_point
    for field, value in values.items():
        setattr(sale_point, field, value)
    sale_point.full_clean()
    sale_point.save(update_fields=[*values.keys(), "updated_at"])
    log_activity(sale_point, "market.salepoint.updated", actor=actor, data={"changes": diff})
    publish(sale_point)
    return sale_point


@transaction.atomic
def change_sale_point_status(sale_point, status, *, actor, note=""):
    """Approve or reject a suggestion, close or reopen a sale point (see SALE_POINT_TRANSITIONS)."""
    require(actor, "market.change_salepoint", sale_point)
    sale_point = SalePoint.objects.select_for_update().get(pk=sale_point.pk)
    previous = sale_point.status
    if status not in SALE_POINT_TRANSITIONS.get(previous, set()):
        raise InvalidTransition(
            _("A sale point that is “%(from)s” cannot become “%(to)s”.")
            % {"from": SalePointStatus(previous).label, "to": SalePointStatus(status).label}
        )
    if status == SalePointStatus.REJECTED and not note.strip():
        raise DomainError(_("Give the reason for rejecting the suggestion."), code="reason_required")
    sale_point.status, sale_point.review_note = status, note.strip()
    sale_point.save(update_fields=["status", "review_note", "updated_at"])
    publish(sale_point)  # an active one shows on its products' pages and catalogue filters
    log_activity(
        sale_point,
        f"market.salepoint.{status}",
        actor=actor,
        data={"from": previous, "to": status, "note": note.strip()},
    )
    return sale_point


@transaction.atomic
def set_sale_point_products(sale_point, products, *, actor):
    """Replace the list of products the sale point carries."""
    require(actor, "market.change_salepoint", sale_point)
    sale_point = SalePoint.objects.select_for_update().get(pk=sale_point.pk)
    before = set(sale_point.products.values_list("pk", flat=True))
    after = {p.pk for p in products}
    if before == after:
        return sale_point
    sale_point.products.set(products)
    sale_point.save(update_fields=["updated_at"])
    publish(sale_point, products=before)  # those it carries now and those it no longer carries
    log_activity(
        sale_point,
        "market.salepoint.products_changed",
        actor=actor,
        data={"added": sorted(after - before), "removed": sorted(before - after)},
    )
    return sale_point


@transaction.atomic
def add_listing(product, *, actor, platform, url):
    require(actor, "market.manage_listing", product)
    url = clean_listing_url(platform, url)
    if OnlineListing.objects.filter(product=product, url=url).exists():
        raise DomainError(_("This link is already listed for the product."), code="duplicate")
    try:
        with transaction.atomic():
            listing = OnlineListing.objects.create(
                product=product, platform=platform, url=url, added_by=acting_user(actor)
            )
    except IntegrityError:
        raise DomainError(_("This link is already listed for the product."), code="duplicate") from None
    log_activity(listing, "market.listing.added", actor=actor, data={"product": product.pk, "url": url})
    publish(listing)
    return listing


@transaction.atomic
def record_listing_check(listing, *, actor, working, checked_on=None):
    """Record that someone opened the link on `checked_on` and found it working or not."""
    require(actor, "market.manage_listing", listing.product)
    listing = OnlineListing.objects.select_for_update().get(pk=listing.pk)
    previous = listing.check_result
    listing.check_result = ListingCheck.OK if working else ListingCheck.BROKEN
    listing.last_checked_on = checked_on or today()
    if listing.last_checked_on > today():
        raise DomainError(_("The check date cannot be in the future."), code="future_date")
    listing.save(update_fields=["check_result", "last_checked_on", "updated_at"])
    publish(listing)  # a broken link leaves the product's channels
    log_activity(
        listing,
        "market.listing.checked",
        actor=actor,
        data={"from": previous, "to": listing.check_result, "on": listing.last_checked_on},
    )
    return listing


@transaction.atomic
def remove_listing(listing, *, actor):
    require(actor, "market.manage_listing", listing.product)
    log_activity(listing, "market.listing.removed", actor=actor, data={"url": listing.url})
    product_id = listing.product_id
    listing.delete()
    publish(listing, products=[product_id])


@transaction.atomic
def create_fair(*, actor, **values):
    require(actor, "market.add_fair")
    fair = Fair(**values)
    if not actor.has_perm("market.change_fair", fair):
        raise DomainError(
            _("You can only record events of your own province."), code="out_of_scope", status=403
        )
    fair.full_clean()
    fair.save()
    log_activity(
        fair, "market.fair.created", actor=actor, data={"name": fair.name, "starts_on": fair.starts_on}
    )
    return fair


@transaction.atomic
def add_fair_participant(fair, *, actor, producer, products=()):
    require(actor, "market.change_fair", fair)
    if any(p.producer_id != producer.pk for p in products):
        raise DomainError(
            _("Every product must belong to the participating producer."), code="not_own_product"
        )
    if FairParticipant.objects.filter(fair=fair, producer=producer).exists():
        raise DomainError(_("This producer is already a participant."), code="duplicate")
    participant = FairParticipant.objects.create(fair=fair, producer=producer)
    participant.products.set(products)
    log_activity(
        fair,
        "market.fair.participant_added",
        actor=actor,
        data={"producer": producer.pk, "products": [p.pk for p in products]},
    )
    return participant


@transaction.atomic
def set_fair_participant_products(participant, products, *, actor, lock_token=None):
    """The products a participating producer shows at the event (its own products only). `lock_token`:
    the participant's token as the form was opened; a stale one is refused (StaleEdit)."""
    fair = participant.fair
    require(actor, "market.change_fair", fair)
    participant = type(participant).objects.select_for_update().get(pk=participant.pk)
    check_unchanged(participant, lock_token)
    products = list(products)
    if any(p.producer_id != participant.producer_id for p in products):
        raise DomainError(
            _("Every product must belong to the participating producer."), code="not_own_product"
        )
    before = sorted(participant.products.values_list("pk", flat=True))
    participant.products.set(products)
    bump(participant)  # only related rows changed: a form opened before this save is now stale
    log_activity(
        fair,
        "market.fair.participant_products",
        actor=actor,
        data={"producer": participant.producer_id, "from": before, "to": sorted(p.pk for p in products)},
    )
    return participant


@transaction.atomic
def record_fair_results(
    participant, *, actor, contracts_count, contracts_value, sales_value, lock_token=None
):
    """After the event: contracts signed and sales of one participant."""
    fair = participant.fair
    require(actor, "market.change_fair", fair)
    if fair.ends_on > today():
        raise DomainError(_("Results can be recorded once the event has ended."), code="not_ended")
    for value in (contracts_count, contracts_value, sales_value):
        if value is not None and value < 0:
            raise DomainError(_("Figures cannot be negative."), code="negative")
    participant = FairParticipant.objects.select_for_update().get(pk=participant.pk)
    check_unchanged(participant, lock_token)
    before = [participant.contracts_count, participant.contracts_value, participant.sales_value]
    participant.contracts_count = contracts_count
    participant.contracts_value = contracts_value
    participant.sales_value = sales_value
    participant.save(update_fields=["contracts_count", "contracts_value", "sales_value", "updated_at"])
    log_activity(
        fair,
        "market.fair.results_recorded",
        actor=actor,
        data={
            "producer": participant.producer_id,
            "from": before,
            "to": [contracts_count, contracts_value, sales_value],
        },
    )
    return participant


def _set_stops(route, stops):
    for sale_point in stops:
        if sale_point.status != SalePointStatus.ACTIVE:
            raise DomainError(_("Only active sale points can be stops of a route."), code="inactive_stop")
    route.stops.all().delete()
    RouteStop.objects.bulk_create(
        [RouteStop(route=route, sale_point=s, position=n) for n, s in enumerate(stops, start=1)]
    )


@transaction.atomic
def update_route(route, *, actor, stops=None, lock_token=None, **values):
    """Change a tourism route's text, publication or (when `stops` is given) its stops in order."""
    require(actor, "market.change_route", route)
    route = TourismRoute.objects.select_for_update().get(pk=route.pk)
    check_unchanged(route, lock_token)
    before = {name: getattr(route, name) for name in values}
    before_stops = list(route.stops.values_list("sale_point_id", flat=True))
    for name, value in values.items():
        setattr(route, name, value)
    route.full_clean()
    route.save(update_fields=[*values, "updated_at"])
    if stops is not None:
        _set_stops(route, list(stops))
    log_activity(
        route,
        "market.route.updated",
        actor=actor,
        data={
            "from": {**before, "stops": before_stops},
            "to": {**values, "stops": [s.pk for s in stops] if stops is not None else before_stops},
        },
    )
    return route


@transaction.atomic
def create_route(*, actor, stops=(), **values):
    """A tourism route; `stops` are sale points (tourist sites, OCOP points) in visiting order."""
    route = TourismRoute(**values)
    require(actor, "market.change_route", route)
    route.full_clean()
    route.save()
    _set_stops(route, list(stops))
    log_activity(
        route, "market.route.created", actor=actor, data={"name": route.name, "stops": [s.pk for s in stops]}
    )
    return route
