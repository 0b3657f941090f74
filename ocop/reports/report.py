"""The narrative report a province writes ("Toàn tỉnh có 131 sản phẩm OCOP của 54 chủ thể, …"),
followed by its tables. `build_report(scope)` gathers everything once; the text, XLSX and PDF
renderers (`ocop.reports.render`) only lay it out. Nothing here reads the clock: the same data and
date give the same report."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ocop.core.formats import format_number, format_percent
from ocop.geo.enums import Level, MapVersion, UnitKind
from ocop.registry.enums import ProducerKind, ProductGroup, ProductSet, group_of

from . import kpis

INT, PCT, DATE, TEXT = "int", "pct", "date", "text"


@dataclass
class Table:
    key: str
    title: str
    columns: list  # [(label, type)]
    rows: list = field(default_factory=list)


@dataclass
class Report:
    scope: object
    title: str
    subtitle: str
    paragraphs: list
    tables: list
    figures: dict
    map_note: str

    @property
    def filename_stem(self):
        code = self.scope.unit.code if self.scope.unit else "VN"
        return f"ocop-report-{code}-{self.scope.as_of.isoformat()}"


def _lower_first(text):
    text = str(text)
    return text[:1].lower() + text[1:]


def n(value):
    return format_number(value)


def d(day):
    return day.strftime("%d/%m/%Y") if day else ""


def _whole(scope):
    unit = scope.unit
    if unit is None:
        return _("the whole country")
    if unit.level == Level.PROVINCE:
        return _("the whole city") if unit.kind == UnitKind.CITY else _("the whole province")
    if unit.level == Level.DISTRICT:
        return _("the whole district")
    return unit.name


def _join(parts):
    if len(parts) <= 1:
        return "".join(parts)
    return _("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def _star_phrase(by_star):
    parts = [
        ngettext("%(n)s product at %(star)s★", "%(n)s products at %(star)s★", by_star[s])
        % {"n": n(by_star[s]), "star": s}
        for s in kpis.STARS
        if by_star[s] or s != "5"
    ]
    return _join(parts)


def _commune_kinds_phrase(by_kind):
    labels = {
        "xa": _("communes (xã)"),
        "phuong": _("wards (phường)"),
        "thi_tran": _("townships (thị trấn)"),
        "dac_khu": _("special zones (đặc khu)"),
    }
    return ", ".join(
        f"{n(count)} {labels.get(kind, kind)}" for kind, count in sorted(by_kind.items(), key=_kind_order)
    )


def _kind_order(item):
    return (
        ["xa", "phuong", "thi_tran", "dac_khu"].index(item[0])
        if item[0] in ("xa", "phuong", "thi_tran", "dac_khu")
        else 9
    )


def map_note(figures):
    version = figures["map_data_version"]
    if figures["map"] == MapVersion.LEGACY:
        text = _("Administrative map before 1/7/2025 (63 provinces)")
    else:
        text = _("Administrative map from 1/7/2025 (34 provinces)")
    if version:
        text += " – " + _("vietnam-provinces data %(version)s") % {"version": version}
    return (
        text
        + ": "
        + ngettext(
            "%(n)s commune-level unit in the area",
            "%(n)s commune-level units in the area",
            figures["communes_total"],
        )
        % {"n": n(figures["communes_total"])}
    )


def kind_nouns():
    """Producer kinds as counted nouns in a sentence ("21 hợp tác xã, 11 doanh nghiệp")."""
    return {
        ProducerKind.COOPERATIVE: _("cooperatives"),
        ProducerKind.SME: _("enterprises"),
        ProducerKind.HOUSEHOLD: _("household businesses"),
        ProducerKind.COOPERATIVE_GROUP: _("cooperative groups"),
        ProducerKind.PRODUCTION_HOUSEHOLD: _("production households"),
        ProducerKind.FARM: _("farms"),
        ProducerKind.ASSOCIATION: _("associations"),
        ProducerKind.TOURISM_CENTRE: _("tourism operating centres"),
    }


def narrative(scope, f):
    paragraphs = []
    whole = _whole(scope)
    stars = _star_phrase(f["by_star"])
    text = _(
        "As of %(date)s, %(whole)s has %(products)s OCOP products of %(producers)s producers, including %(stars)s"
    ) % {
        "date": d(scope.as_of),
        "whole": whole,
        "products": n(f["products"]),
        "producers": n(f["producers"]),
        "stars": stars,
    }
    if f["potential_5_star"]:
        text += _(", of which %(n)s are assessed as potential 5★ and proposed to the central level") % {
            "n": n(f["potential_5_star"])
        }
    paragraphs.append(text + ".")
    if f["producers"]:
        kinds = [
            f"{n(f['producer_types'][k])} {label} ({format_percent(f['producer_types'][k], f['producers'])})"
            for k, label in kind_nouns().items()
            if f["producer_types"][k]
        ]
        paragraphs.append(_("Producers: %(kinds)s.") % {"kinds": "; ".join(kinds)})
    cover = _(
        "%(covered)s/%(total)s commune-level units%(detail)s have recognised OCOP products, reaching %(percent)s."
    )
    detail = ""
    if f["communes_with_products"]:
        detail = " (" + _("including %(kinds)s") % {
            "kinds": _commune_kinds_phrase(f["communes_with_products_by_kind"])
        }
        if f["districts_with_products"] and scope.level in ("province", "country"):
            detail += " " + ngettext(
                "in %(n)s district", "in %(n)s districts and cities", f["districts_with_products"]
            ) % {"n": n(f["districts_with_products"])}
        detail += ")"
    paragraphs.append(
        cover
        % {
            "covered": n(f["communes_with_products"]),
            "total": n(f["communes_total"]),
            "detail": detail,
            "percent": format_percent(f["communes_with_products"], f["communes_total"]),
        }
    )
    period = f.get("period")
    if period:
        paragraphs.append(
            _(
                "From %(start)s to %(end)s: %(new)s new products, %(re)s re-certified, %(up)s upgraded; "
                "%(revoked)s certificates revoked and %(expired)s expired without renewal."
            )
            % {
                "start": d(scope.as_of.replace(month=1, day=1)),
                "end": d(scope.as_of),
                "new": n(period["new"]),
                "re": n(period["recertified"]),
                "up": n(period["upgraded"]),
                "revoked": n(period["revoked"]),
                "expired": n(period["expired"]),
            }
        )
    if f["expiring_90_days"]:
        paragraphs.append(
            ngettext(
                "%(n)s certificate expires within 90 days.",
                "%(n)s certificates expire within 90 days.",
                f["expiring_90_days"],
            )
            % {"n": n(f["expiring_90_days"])}
        )
    market = []
    if f["sale_points"]:
        market.append(_("%(n)s OCOP sale points") % {"n": n(f["sale_points"])})
    if f["modern_channel_products"]:
        market.append(
            _("%(n)s products on modern channels (%(percent)s)")
            % {
                "n": n(f["modern_channel_products"]),
                "percent": format_percent(f["modern_channel_products"], f["products"]),
            }
        )
    if market:
        paragraphs.append(_("Market: %(items)s.") % {"items": "; ".join(market)})
    plan = f.get("plan")
    if plan and plan["targets"]:
        items = [
            f"{_lower_first(t['label'])} {n(t['achieved'])}/{n(t['target'])} ({format_percent(t['achieved'], t['target'])})"
            for t in plan["targets"]
        ]
        paragraphs.append(
            _("Progress against the %(year)s plan %(reference)s: %(items)s.")
            % {
                "year": plan["year"],
                "reference": plan["reference"] or plan["title"],
                "items": "; ".join(items),
            }
        )
    return paragraphs


def build_report(scope):
    f = kpis.compute(scope)
    unit_name = scope.title if scope.unit else _("Viet Nam")
    title = _("Report on the OCOP programme – %(unit)s") % {"unit": unit_name}
    subtitle = _("As of %(date)s") % {"date": d(scope.as_of)}
    if scope.predecessors:
        subtitle += " · " + _("counting the former %(units)s") % {"units": _join(scope.predecessors)}
    return Report(
        scope=scope,
        title=title,
        subtitle=subtitle,
        paragraphs=narrative(scope, f),
        tables=tables(scope, f),
        figures=f,
        map_note=map_note(f),
    )


def tables(scope, f):
    out = [_summary_table(f), _group_table(scope), _set_table(f), _producer_table(f)]
    if scope.level in ("province", "country", "district"):
        out.append(_commune_table(scope))
    out.append(_product_table(scope))
    if f.get("plan"):
        out.append(_plan_table(f["plan"]))
    return out


def _summary_table(f):
    t = Table("summary", _("Key figures"), [(_("Indicator"), TEXT), (_("Value"), INT), (_("Share"), PCT)])
    t.rows = [
        [_("Certified products (3★ or more)"), f["products"], None],
        [_("Products at 3★"), f["by_star"]["3"], _frac(f["by_star"]["3"], f["products"])],
        [_("Products at 4★"), f["by_star"]["4"], _frac(f["by_star"]["4"], f["products"])],
        [_("Products at 5★"), f["by_star"]["5"], _frac(f["by_star"]["5"], f["products"])],
        [_("Potential 5★ (within 4★)"), f["potential_5_star"], _frac(f["potential_5_star"], f["products"])],
        [_("Producers"), f["producers"], None],
        [
            _("Communes with OCOP products"),
            f["communes_with_products"],
            _frac(f["communes_with_products"], f["communes_total"]),
        ],
        [_("Communes on the map"), f["communes_total"], None],
        [_("Products on the public catalogue"), f["on_catalogue"], _frac(f["on_catalogue"], f["products"])],
        [_("Certificates expiring within 90 days"), f["expiring_90_days"], None],
        [_("OCOP sale points"), f["sale_points"], None],
        [
            _("Products on modern channels"),
            f["modern_channel_products"],
            _frac(f["modern_channel_products"], f["products"]),
        ],
    ]
    period = f.get("period")
    if period:
        t.rows += [
            [_("New products since 1 January"), period["new"], None],
            [_("Re-certified since 1 January"), period["recertified"], None],
            [_("Upgraded since 1 January"), period["upgraded"], None],
            [_("Revoked since 1 January"), period["revoked"], None],
            [_("Expired without renewal since 1 January"), period["expired"], None],
        ]
    return t


def _frac(numerator, denominator):
    return None if not denominator else numerator / denominator


def _group_table(scope):
    counts = {g: {"3": 0, "4": 0, "5": 0} for g in ProductGroup.values}
    for row in kpis.certified_rows(scope):
        counts[int(ProductGroup(int(_group(row[3]))))][str(row[1])] += 1
    t = Table(
        "groups",
        _("Products by group and star"),
        [(_("Group"), TEXT), ("3★", INT), ("4★", INT), ("5★", INT), (_("Total"), INT)],
    )
    for value, label in ProductGroup.choices:
        c = counts[value]
        t.rows.append([f"{value}. {label}", c["3"], c["4"], c["5"], c["3"] + c["4"] + c["5"]])
    t.rows.append(
        [
            _("Total"),
            *(sum(counts[g][s] for g in counts) for s in kpis.STARS),
            sum(sum(c.values()) for c in counts.values()),
        ]
    )
    return t


def _group(product_set):
    return group_of(product_set)


def _set_table(f):
    t = Table(
        "product_sets",
        _("Products by product set"),
        [(_("Product set"), TEXT), (_("Products"), INT), (_("Share"), PCT)],
    )
    for value, label in ProductSet.choices:
        count = f["by_product_set"].get(str(value), 0)
        if count:
            t.rows.append([f"{value}. {label}", count, _frac(count, f["products"])])
    return t


def _producer_table(f):
    t = Table(
        "producers", _("Producers by kind"), [(_("Kind"), TEXT), (_("Producers"), INT), (_("Share"), PCT)]
    )
    for value, label in ProducerKind.choices:
        t.rows.append(
            [str(label), f["producer_types"][value], _frac(f["producer_types"][value], f["producers"])]
        )
    t.rows.append([_("Total"), f["producers"], 1.0 if f["producers"] else None])
    return t


def _commune_table(scope):
    columns = [(_("Code"), TEXT), (_("Commune"), TEXT)]
    if scope.map == MapVersion.LEGACY:
        columns.append((_("District"), TEXT))
    columns += [
        (_("Products"), INT),
        (_("Producers"), INT),
        ("3★", INT),
        ("4★", INT),
        ("5★", INT),
        (_("Potential 5★"), INT),
    ]
    t = Table("communes", _("Communes and their products"), columns)
    for r in kpis.commune_table(scope):
        row = [r["code"], r["name"]]
        if scope.map == MapVersion.LEGACY:
            row.append(r["district"])
        row += [r["products"], r["producers"], r["3"], r["4"], r["5"], r["potential"]]
        t.rows.append(row)
    return t


def _product_table(scope):
    columns = [
        (_("No."), INT),
        (_("Product"), TEXT),
        (_("Producer"), TEXT),
        (_("Commune"), TEXT),
        (_("Stars"), INT),
        (_("Potential 5★"), TEXT),
        (_("Certificate"), TEXT),
        (_("Issued on"), DATE),
        (_("Valid until"), DATE),
    ]
    t = Table("products", _("Certified products"), columns)
    for i, cert in enumerate(kpis.certified_products(scope), start=1):
        commune = cert.report_commune
        t.rows.append(
            [
                i,
                cert.product.name,
                cert.product.producer.name,
                commune.name if commune else "",
                cert.star,
                _("yes") if cert.potential_5_star else "",
                cert.number,
                cert.issued_on,
                cert.valid_until,
            ]
        )
    return t


def _plan_table(plan):
    t = Table(
        "plan",
        _("Progress against the %(year)s plan") % {"year": plan["year"]},
        [(_("Target"), TEXT), (_("Planned"), INT), (_("Achieved"), INT), (_("Progress"), PCT)],
    )
    for target in plan["targets"]:
        t.rows.append(
            [
                target["label"],
                target["target"],
                target["achieved"],
                _frac(target["achieved"], target["target"]),
            ]
        )
    return t
