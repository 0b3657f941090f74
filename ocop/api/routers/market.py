"""Sale points, fairs and tourism routes (public)."""

from datetime import date
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from ocop.api.schemas import Error
from ocop.core.errors import DomainError
from ocop.core.params import ID_MAX
from ocop.market.enums import SalePointKind
from ocop.market.models import Fair, TourismRoute
from ocop.market.queries import public_sale_points

router = Router(tags=["market"])


class MarketUnit(Schema):
    code: str
    name: str


class SalePointOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    commune: MarketUnit
    province: MarketUnit
    latitude: Decimal | None
    longitude: Decimal | None
    opening_hours: str
    qd950_criteria: list[str]
    products: list[int]


class SalePointFilters(Schema):
    kind: str = ""
    product: int | None = Field(None, ge=1, le=ID_MAX)


@router.get("/sale-points", response={200: list[SalePointOut], 422: Error}, summary="Active sale points")
def sale_points(request, filters: Query[SalePointFilters]):
    qs = public_sale_points().select_related("commune", "commune__province").prefetch_related("products")
    if filters.kind:
        if filters.kind not in SalePointKind.values:
            raise DomainError(
                "kind must be one of: " + ", ".join(SalePointKind.values), code="bad_kind", status=422
            )
        qs = qs.filter(kind=filters.kind)
    if filters.product:
        qs = qs.filter(products=filters.product)
    return [
        {
            "id": sp.pk,
            "name": sp.name,
            "kind": sp.kind,
            "address": sp.address,
            "commune": {"code": sp.commune.code, "name": sp.commune.name},
            "province": {"code": sp.commune.province.code, "name": sp.commune.province.name},
            "latitude": sp.latitude,
            "longitude": sp.longitude,
            "opening_hours": sp.opening_hours,
            "qd950_criteria": sp.criteria,
            "products": sorted(p.pk for p in sp.products.all()),
        }
        for sp in qs.order_by("pk")
    ]


class FairOut(Schema):
    id: int
    name: str
    kind: str
    starts_on: date
    ends_on: date
    place: str
    organiser: str
    participants: int
    products: list[int]
    contracts_count: int | None
    sales_value: int | None


@router.get("/fairs", response=list[FairOut], summary="Fairs and trade promotion events")
def fairs(request):
    out = []
    for fair in Fair.objects.prefetch_related("participants__products").order_by("-starts_on"):
        parts = list(fair.participants.all())
        contracts = [p.contracts_count for p in parts if p.contracts_count is not None]
        sales = [p.sales_value for p in parts if p.sales_value is not None]
        out.append(
            {
                "id": fair.pk,
                "name": fair.name,
                "kind": fair.kind,
                "starts_on": fair.starts_on,
                "ends_on": fair.ends_on,
                "place": fair.place,
                "organiser": fair.organiser,
                "participants": len(parts),
                "products": sorted({x.pk for p in parts for x in p.products.all()}),
                "contracts_count": sum(contracts) if contracts else None,
                "sales_value": sum(sales) if sales else None,
            }
        )
    return out


class RouteStopOut(Schema):
    position: int
    sale_point: int
    name: str
    kind: str
    products: list[int]


class RouteOut(Schema):
    id: int
    name: str
    duration: str
    description: str
    province: MarketUnit
    stops: list[RouteStopOut]


@router.get(
    "/tourism-routes",
    response=list[RouteOut],
    summary="Published tourism routes, their stops and the OCOP products sold at each",
)
def tourism_routes(request):
    routes = (
        TourismRoute.objects.filter(published=True)
        .select_related("province")
        .prefetch_related("stops__sale_point__products")
        .order_by("name", "pk")
    )
    return [
        {
            "id": route.pk,
            "name": route.name,
            "duration": route.duration,
            "description": route.description,
            "province": {"code": route.province.code, "name": route.province.name},
            "stops": [
                {
                    "position": stop.position,
                    "sale_point": stop.sale_point_id,
                    "name": stop.sale_point.name,
                    "kind": stop.sale_point.kind,
                    "products": sorted(p.pk for p in stop.sale_point.products.all()),
                }
                for stop in route.stops.all()
            ],
        }
        for route in routes
    ]
