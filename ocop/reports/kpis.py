"""The KPI query layer: every figure a province reports, for any unit and any date, on the map in
force at that date.

A product counts at date D when one of its certificates is valid on D (`Certificate.objects.valid_on`);
if (exceptionally) two are, the higher star counts. Units are reached through the producer's commune on
that map (`legacy_commune` before 1/7/2025, `current_commune` from then), so a current province
aggregates the history of its predecessors. The figures are plain dicts of numbers (the JSON of
`/api/v1/stats`); nothing here reads the clock."""

import datetime
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from ocop.certificates.enums import CertificateKind
from ocop.certificates.models import Certificate
from ocop.core.formats import format_number, format_percent
from ocop.geo.enums import Level, UnitKind
from ocop.geo.models import AdminUnit
from ocop.registry.enums import ProducerKind, ProductGroup, ProductStatus, group_of

from .scope import map_data_version

EXPIRING_DAYS = 90
STARS = ("3", "4", "5")


def ratio(numerator, denominator):
    """Percentage as a JSON number with two decimals (None when the denominator is 0)."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def certified_rows(scope):
    """One tuple per product certified on the scope's date: (product_id, star, potential_5_star,
    product_set, producer_id, producer_kind, commune_id, expires_on, product_status)."""
    if "rows" in scope.cache:
        return scope.cache["rows"]
    cf = scope.commune_field
    rows = (
        Certificate.objects.valid_on(scope.as_of)
        .filter(scope.producer_q("product__producer__"))
        .values_list(
            "product_id",
            "star",
            "potential_5_star",
            "product__product_set",
            "product__producer_id",
            "product__producer__kind",
            f"product__producer__{cf}_id",
            "expires_on",
            "product__status",
        )
    )
    best = {}
    for row in rows:
        current = best.get(row[0])
        if current is None or (row[1], row[2]) > (current[1], current[2]):
            best[row[0]] = row
    scope.cache["rows"] = sorted(best.values())
    return scope.cache["rows"]


def period_start(as_of):
    return datetime.date(as_of.year, 1, 1)


def period_changes(scope, start, end):
    """Certificates issued (by kind), revoked and lapsed (expired with no successor) in [start, end]."""
    certs = (
        Certificate.objects.filter(scope.producer_q("product__producer__"))
        .filter(
            Q(issued_on__range=(start, end))
            | Q(revoked_on__range=(start, end))
            | Q(expires_on__range=(start + datetime.timedelta(days=1), end + datetime.timedelta(days=1)))
        )
        .values_list(
            "product_id",
            "kind",
            "issued_on",
            "revoked_on",
            "expires_on",
            "superseded_on",
            "potential_5_star",
            "star",
            "product__product_set",
        )
    )
    new, recertified, upgraded, revoked, expired, five_star, tourism = (set() for _ in range(7))
    for product, kind, issued, revoked_on, expires, superseded, potential, star, product_set in certs:
        if start <= issued <= end:
            {
                CertificateKind.NEW: new,
                CertificateKind.REEVALUATION: recertified,
                CertificateKind.UPGRADE: upgraded,
            }[kind].add(product)
            if potential or star == 5:
                five_star.add(product)
            if kind == CertificateKind.NEW and product_set == 26:
                tourism.add(product)
        if revoked_on and start <= revoked_on <= end:
            revoked.add(product)
        lapsed_on = expires - datetime.timedelta(days=1)  # the last valid day
        if (
            start <= lapsed_on < end
            and (revoked_on is None or revoked_on >= expires)
            and (superseded is None or superseded >= expires)
        ):
            expired.add(product)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "new": len(new),
        "recertified": len(recertified),
        "upgraded": len(upgraded),
        "revoked": len(revoked),
        "expired": len(expired),
        "five_star_proposed": len(five_star),
        "new_tourism": len(tourism),
    }


def _commune_kind_key(kind):
    return {
        UnitKind.COMMUNE: "xa",
        UnitKind.WARD: "phuong",
        UnitKind.TOWNSHIP: "thi_tran",
        UnitKind.SPECIAL_ZONE: "dac_khu",
    }.get(kind, kind)


_FACTS = {}


def commune_facts(map_):
    """{commune pk: (kind, district pk)} of one map, cached per process until the map is reloaded."""
    from ocop.geo.models import MapDataset

    stamp = (
        map_,
        tuple(MapDataset.objects.values_list("pk", "loaded_at")),
        AdminUnit.objects.order_by("-pk").values_list("pk", flat=True).first(),
    )
    if _FACTS.get("stamp") != stamp:
        _FACTS["stamp"] = stamp
        _FACTS["units"] = {
            pk: (kind, district)
            for pk, kind, district in AdminUnit.objects.filter(map=map_, level=Level.COMMUNE).values_list(
                "pk", "kind", "district_id"
            )
        }
    return _FACTS["units"]


def compute(scope, *, with_plan=True, with_period=True):
    """Every figure for `scope` (see module doc). Numbers only; names are added by the report."""
    rows = certified_rows(scope)
    as_of = scope.as_of
    by_star = dict.fromkeys(STARS, 0)
    by_group = {str(g): 0 for g in ProductGroup.values}
    by_set = Counter()
    producer_kinds = {}
    communes = Counter()
    potential = expiring = on_catalogue = 0
    horizon = as_of + datetime.timedelta(days=EXPIRING_DAYS)
    for _pid, star, pot, product_set, producer_id, kind, commune_id, expires_on, status in rows:
        by_star[str(star)] += 1
        potential += bool(pot) and star == 4
        by_group[str(int(group_of(product_set)))] += 1
        by_set[str(product_set)] += 1
        producer_kinds[producer_id] = kind
        communes[commune_id] += 1
        expiring += expires_on <= horizon
        on_catalogue += status == ProductStatus.ACTIVE
    kinds = Counter(producer_kinds.values())
    producer_types = {k: kinds.get(k, 0) for k in ProducerKind.values}
    producers = len(producer_kinds)
    communes.pop(None, None)
    commune_units = scope.communes()
    communes_total = commune_units.count()
    units = commune_facts(scope.map)
    covered = [units[pk] for pk in communes if pk in units]
    by_commune_kind = Counter(_commune_kind_key(kind) for kind, _d in covered)
    figures = {
        "as_of": as_of.isoformat(),
        "map": scope.map.value if hasattr(scope.map, "value") else scope.map,
        "map_data_version": map_data_version(),
        "level": scope.level,
        "unit": None if scope.unit is None else {"code": scope.unit.code, "name": scope.unit.name},
        "products": len(rows),
        "producers": producers,
        "by_star": by_star,
        "potential_5_star": potential,
        "communes_with_products": len(communes),
        "communes_total": communes_total,
        "communes_percent": ratio(len(communes), communes_total),
        "communes_with_products_by_kind": dict(sorted(by_commune_kind.items())),
        "districts_with_products": len({d for _k, d in covered if d}),
        "producer_types": producer_types,
        "producer_shares": {
            "cooperative": ratio(producer_types[ProducerKind.COOPERATIVE], producers),
            "enterprise": ratio(producer_types[ProducerKind.SME], producers),
        },
        "by_group": by_group,
        "by_product_set": {k: by_set[k] for k in sorted(by_set, key=int)},
        "on_catalogue": on_catalogue,
        "expiring_90_days": expiring,
    }
    figures.update(market_figures(scope, {r[0] for r in rows}, set(producer_kinds)))
    if with_period:
        figures["period"] = period_changes(scope, period_start(as_of), as_of)
    if with_plan:
        figures["plan"] = plan_progress_for(scope, figures)
    return figures


# ---- Market figures (ocop.market) ---------------------------------------------------------------


def sale_points_count(scope):
    """Active OCOP display and sale points in the scope (sale points keep no opening date, so this is
    the current count whatever the report's date)."""
    from ocop.market.enums import SalePointKind, SalePointStatus
    from ocop.market.models import SalePoint

    return (
        SalePoint.objects.filter(status=SalePointStatus.ACTIVE, kind=SalePointKind.OCOP_POINT)
        .filter(scope.producer_q(""))
        .count()
    )


def _working_listings(scope):
    """Online listings of products certified in `scope`, working or not yet checked."""
    from ocop.market.enums import ListingCheck
    from ocop.market.models import OnlineListing

    certified = (
        Certificate.objects.valid_on(scope.as_of)
        .filter(scope.producer_q("product__producer__"))
        .values("product_id")
    )
    return OnlineListing.objects.filter(product_id__in=certified).exclude(check_result=ListingCheck.BROKEN)


def modern_channel_products(scope):
    """Certified products with at least one working (or not yet checked) online listing."""
    return (
        _working_listings(scope)
        .values("product_id")
        .distinct()
        .count()
    )


def market_figures(scope, product_ids, producer_ids):
    modern = modern_channel_products(scope)
    return {
        "sale_points": sale_points_count(scope),
        "modern_channel_products": modern,
        "modern_channel_percent": ratio(modern, len(product_ids)),
    }


# ---- Plans --------------------------------------------------------------------------------------


def plan_for(scope, year=None):
    """The plan of the scope's unit for the year; for a current province without one, the plans its
    predecessors adopted for that year rolled up into one (Bến Tre's, Trà Vinh's and Vĩnh Long's
    2025 plans make Vĩnh Long's 2025 view)."""
    from ocop.programme.models import Plan

    if scope.unit is None:
        return None
    year = year or scope.as_of.year
    own = Plan.objects.filter(unit=scope.unit, year=year).prefetch_related("targets").first()
    if own is not None or scope.unit.map != "current" or scope.unit.level != Level.PROVINCE:
        return own
    from ocop.geo.queries import legacy_predecessors

    plans = list(
        Plan.objects.filter(unit__in=legacy_predecessors(scope.unit), year=year)
        .select_related("unit")
        .prefetch_related("targets")
        .order_by("unit__code")
    )
    return RolledUpPlan.of(scope.unit, year, plans) if plans else None


class RolledUpPlan:
    """Predecessors' plans of one year read as one plan of their successor: counts add up, a share
    keeps the highest target among them."""

    pk = None

    def __init__(self, unit, year, plans, targets):
        self.unit, self.year, self.plans, self._targets = unit, year, plans, targets
        self.title = " + ".join(p.title for p in plans)
        self.reference = ", ".join(p.reference for p in plans if p.reference)

    @classmethod
    def of(cls, unit, year, plans):
        from ocop.programme.enums import SHARE_INDICATORS, Indicator
        from ocop.programme.models import Target

        values = {}
        for plan in plans:
            for t in plan.targets.all():
                if t.indicator in SHARE_INDICATORS:
                    values[t.indicator] = max(values.get(t.indicator, 0), t.value)
                else:
                    values[t.indicator] = values.get(t.indicator, 0) + t.value
        targets = [Target(indicator=Indicator(k), value=v) for k, v in values.items()]
        return cls(unit, year, plans, targets)

    @property
    def targets(self):
        return self

    def all(self):
        return self._targets


def plan_progress_for(scope, figures=None):
    plan = plan_for(scope)
    return None if plan is None else plan_progress(plan, scope, figures)


def plan_scope(plan, day):
    """The scope a plan's progress is measured on at `day`: the plan's unit carried to the map in
    force then (Bến Tre's 2025 plan counted on Vĩnh Long's communes after 1/7/2025), and its year."""
    from .scope import Scope, scope_for_unit

    end = min(day, datetime.date(plan.year, 12, 31))
    return scope_for_unit(plan.unit, end) or Scope(end, plan.unit)


def plan_progress(plan, scope, figures=None):
    """Each target with its achieved value, computed from the data between 1/1 of the plan's year
    and the scope's date (or 31/12 when the year is over). This is the one computation of a target's
    progress: the plan page, the office dashboard and the public statistics all show its figures."""
    end = min(scope.as_of, datetime.date(plan.year, 12, 31))
    start = datetime.date(plan.year, 1, 1)
    if end < start:
        end = start - datetime.timedelta(days=1)
    measured = plan_scope(plan, end)
    if figures is None or measured != scope or end != scope.as_of:
        figures = compute(measured, with_plan=False, with_period=False)
    changes = (
        period_changes(measured, start, end)
        if end >= start
        else dict.fromkeys(("new", "recertified", "upgraded", "five_star_proposed", "new_tourism"), 0)
    )
    trained = training_figures(measured, start, end)
    producers = figures["producers"]
    achieved = {
        "new_products": changes["new"],
        "recertified": changes["recertified"],
        "upgraded": changes["upgraded"],
        "recognised_total": changes["new"] + changes["recertified"] + changes["upgraded"],
        "tourism_products": changes["new_tourism"],
        "five_star": changes["five_star_proposed"],
        "communes_covered": figures["communes_with_products"],
        "sale_points": figures["sale_points"],
        "modern_channels": figures["modern_channel_products"],
        "producers_trained": trained["producers"],
        "officials_trained": trained["officials"],
        # Shares: (numerator, denominator); the achieved value is the percentage.
        "share_officials": (trained["officials"], officials_count(measured)),
        "share_producers": (trained["producers"], producers),
        "share_cooperatives": (figures["producer_types"].get("cooperative", 0), producers),
        "share_modern": (modern_channel_producers(measured), producers),
        "share_catalogue": (figures["on_catalogue"], figures["products"]),
    }
    targets = []
    for target in sorted(plan.targets.all(), key=lambda t: list(achieved).index(t.indicator)):
        value = achieved[target.indicator]
        row = {
            "indicator": target.indicator,
            "label": str(target.get_indicator_display()),
            "target": target.value,
        }
        if isinstance(value, tuple):
            share = ratio(*value) or 0.0
            row.update(share=True, count=value[0], of=value[1], achieved=share)
            row["percent"] = ratio(Decimal(str(share)), target.value) if target.value else None
            # "40,00% / 40% (2/5)": the share reached, the target, and the counts behind the share.
            row["figure"] = f"{format_percent(value[0], value[1])} / {target.value}% ({value[0]}/{value[1]})"
        else:
            row.update(share=False, achieved=value, percent=ratio(value, target.value))
            row["figure"] = f"{value}/{target.value}" + (
                f" · {format_number(row['percent'], 0)}%" if row["percent"] is not None else ""
            )
        targets.append(row)
    return {
        "id": plan.pk,
        "year": plan.year,
        "title": plan.title,
        "reference": plan.reference,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "targets": targets,
    }


def officials_count(scope):
    """OCOP officials of the scope: province and commune officers whose unit lies in it (either map)."""
    from ocop.accounts.enums import Role
    from ocop.accounts.models import RoleAssignment
    from ocop.geo.queries import legacy_predecessors

    province = scope.province()
    roles = RoleAssignment.objects.filter(role__in=[Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER])
    if province is not None:
        provinces = [province.pk]
        if province.map == "current":
            provinces += list(legacy_predecessors(province).values_list("pk", flat=True))
        roles = roles.filter(Q(unit__in=provinces) | Q(unit__province__in=provinces))
    return roles.values("user").distinct().count()


def modern_channel_producers(scope):
    """Producers with at least one certified product on a working (or unchecked) online listing."""
    return (
        _working_listings(scope)
        .values("product__producer_id")
        .distinct()
        .count()
    )


def training_figures(scope, start, end):
    """Distinct producers and officials who attended a course ending in [start, end] in the scope."""
    from ocop.programme.enums import AttendeeKind
    from ocop.programme.models import Attendee

    base = Attendee.objects.filter(course__ends_on__range=(start, end))
    producers = (
        base.filter(kind=AttendeeKind.PRODUCER)
        .filter(scope.producer_q("producer__"))
        .values("producer")
        .distinct()
    )
    officials = base.filter(kind=AttendeeKind.OFFICIAL)
    if scope.unit is not None:
        from ocop.geo.queries import legacy_predecessors

        province = scope.province()
        provinces = [province.pk]
        if province.map == "current":  # courses the predecessors held count for the successor
            provinces += list(legacy_predecessors(province).values_list("pk", flat=True))
        officials = officials.filter(course__province__in=provinces)
    return {"producers": producers.count(), "officials": officials.values("user").distinct().count()}


# ---- Tables behind the figures -----------------------------------------------------------------


def commune_table(scope):
    """Communes of the scope with their certified products by star, most products first."""
    cf = scope.commune_field
    counts = defaultdict(lambda: {"3": 0, "4": 0, "5": 0, "potential": 0, "producers": set()})
    for _pid, star, pot, _set, producer_id, _kind, commune_id, _exp, _st in certified_rows(scope):
        entry = counts[commune_id]
        entry[str(star)] += 1
        entry["potential"] += bool(pot) and star == 4
        entry["producers"].add(producer_id)
    units = scope.communes().select_related("district").order_by("district__code", "code")
    table = []
    for unit in units:
        entry = counts.get(unit.pk)
        total = sum(entry[s] for s in STARS) if entry else 0
        table.append(
            {
                "code": unit.code,
                "name": unit.name,
                "kind": unit.kind,
                "district": unit.district.name if unit.district_id else "",
                "products": total,
                "producers": len(entry["producers"]) if entry else 0,
                "3": entry["3"] if entry else 0,
                "4": entry["4"] if entry else 0,
                "5": entry["5"] if entry else 0,
                "potential": entry["potential"] if entry else 0,
            }
        )
    table.sort(key=lambda r: (-r["products"], r["district"], r["code"]))
    del cf
    return table


def certified_products(scope):
    """Certificates valid on the scope's date with product, producer and commune, for lists and tables."""
    cf = scope.commune_field
    certs = (
        Certificate.objects.valid_on(scope.as_of)
        .filter(scope.producer_q("product__producer__"))
        .select_related(
            "product", "product__producer", f"product__producer__{cf}", f"product__producer__{cf}__district"
        )
        .order_by("product__name", "product_id", "-star")
    )
    seen, out = set(), []
    for cert in certs:
        if cert.product_id in seen:
            continue
        seen.add(cert.product_id)
        cert.report_commune = getattr(cert.product.producer, cf)
        out.append(cert)
    return out


def trend(scope, years=None):
    """Certified products by star at the end of each year up to the scope's date (for charts)."""
    certs = list(
        Certificate.objects.filter(scope.producer_q("product__producer__")).values_list(
            "product_id",
            "star",
            "issued_on",
            "expires_on",
            "revoked_on",
            "superseded_on",
            "suspended_on",
            "suspension_lifted_on",
        )
    )
    first = min((c[2] for c in certs), default=scope.as_of)
    points = [
        datetime.date(y, 12, 31)
        for y in range(max(first.year, scope.as_of.year - (years or 8)), scope.as_of.year)
    ]
    points.append(scope.as_of)
    series = []
    for day in points:
        best = {}
        for pid, star, issued, expires, revoked, superseded, suspended, lifted in certs:
            if not (issued <= day < expires):
                continue
            if (revoked and revoked <= day) or (superseded and superseded <= day):
                continue
            if suspended and suspended <= day and not (lifted and lifted <= day):
                continue
            best[pid] = max(best.get(pid, 0), star)
        counts = Counter(best.values())
        series.append({"date": day.isoformat(), **{s: counts.get(int(s), 0) for s in STARS}})
    return series
