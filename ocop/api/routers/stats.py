"""GET /api/v1/stats: the programme's figures for a province (or the whole country) as of a date.

Public: aggregates only, no private data. Codes are read on the map in force at `as_of`."""

from ninja import Router

from ocop.core.errors import DomainError
from ocop.reports import statscache
from ocop.reports.scope import parse_as_of, resolve

from ..schemas import Error

router = Router(tags=["stats"])


@router.get(
    "/stats",
    response={200: dict, 400: Error, 404: Error, 422: Error},
    summary="Programme figures as of a date",
    description=(
        "Certified products (valid at `as_of`, default today) by star, potential 5★, producers and their kinds, "
        "communes with products over all communes of the map in force at `as_of` (`map`: legacy before "
        "1/7/2025, current from then; `map_data_version`: the map data loaded), by group and product set, "
        "changes since 1 January, sale points, modern channels and the year's plan progress. `province` "
        "is a GSO code on that map; without it, the whole country. `commune` narrows to one commune."
    ),
)
def stats(request, province: str = "", as_of: str = "", commune: str = ""):
    day = parse_as_of(as_of)
    for name, value, width in (("province", province, 2), ("commune", commune, 5)):
        if value and (not value.strip().isdigit() or len(value.strip()) > width):
            raise DomainError(
                f"{name}: a GSO code of up to {width} digits is expected.", code="bad_code", status=422
            )
    scope = resolve(day, province=province.strip(), commune=commune.strip())
    return statscache.figures(scope)
