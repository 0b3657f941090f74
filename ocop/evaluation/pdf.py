"""PDFs of evaluation: the recognition decision, the council's minutes, a dossier summary."""

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from ocop.certificates.pdf import render_pdf
from ocop.core.formats import format_number
from ocop.criteria.scoring import criteria_by_part
from ocop.geo.authority import address_of, issuing_authority

from .enums import DossierState
from .queries import current_sheets


def _n(value, decimals=2):
    return format_number(value, decimals, "vi") if value is not None else "—"


# The Prime Minister's decision a provincial recognition decision cites ("Căn cứ…"): the one whose criteria
# the round used. QĐ 148/2023 stays the wording for the rounds scored under it (and older sets).
DECISION_GROUNDS = {
    "QD26-2026": "Quyết định số 26/2026/QĐ-TTg ngày 22/5/2026 của Thủ tướng Chính phủ ban hành Bộ tiêu chí và "
    "quy trình đánh giá, phân hạng sản phẩm mỗi xã một sản phẩm",
}
DEFAULT_GROUNDS = (
    "Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy trình đánh "
    "giá, phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm"
)


def decision_pdf(decision):
    with translation.override("vi"):
        dossiers = list(
            decision.dossiers.select_related(
                "product", "producer", "producer__commune", "certificate"
            ).order_by("number")
        )
        rows = [
            {
                "d": d,
                "address": address_of(d.producer, decision.date),
                "score": _n(d.result_total),
                "star": min(d.result_star or 0, 4) if (d.result_star or 0) >= 3 else None,
            }
            for d in dossiers
        ]
        context = {
            "decision": decision,
            "authority": issuing_authority(decision.round.province, decision.date),
            "rows": rows,
            "recognised": [r for r in rows if r["star"]],
            "site": settings.SITE_URL,
            "grounds": DECISION_GROUNDS.get(decision.round.criteria_set.code, DEFAULT_GROUNDS),
        }
        return render_pdf("backoffice/evaluation/pdf/decision.html", context)


def minutes_pdf(round_, dossiers=None):
    """Biên bản: members, conflicts, each dossier's sheets, average, spread and the star."""
    with translation.override("vi"):
        if dossiers is None:
            dossiers = list(
                round_.dossiers.filter(Q(result_total__isnull=False) | ~Q(knockouts=[]))
                .select_related("product", "producer")
                .order_by("number")
            )
        sheets = current_sheets([d.pk for d in dossiers])
        members = list(round_.memberships.select_related("user"))
        names = {m.user_id: str(m.user) for m in members}
        items = []
        for d in dossiers:
            d_sheets = sorted(sheets.get(d.pk, []), key=lambda s: s.member_id)
            items.append(
                {
                    "d": d,
                    "sheets": [
                        {
                            "member": names.get(s.member_id, s.member_id),
                            "total": _n(s.total),
                            "parts": {k: _n(v) for k, v in s.parts.items()},
                            "knockouts": s.knockouts,
                        }
                        for s in d_sheets
                    ],
                    "total": _n(d.result_total),
                    "parts": {k: _n(v) for k, v in d.result_parts.items()},
                    "conflicts": [str(c.member) for c in d.conflicts.select_related("member")],
                    "state": DossierState(d.state).label,
                }
            )
        context = {
            "round": round_,
            "members": members,
            "items": items,
            "authority": issuing_authority(round_.province, round_.council_date),
        }
        return render_pdf("backoffice/evaluation/pdf/minutes.html", context)


def dossier_summary_pdf(dossier):
    with translation.override("vi"):
        rows = []
        for part, c in criteria_by_part(dossier.rubric.tree):
            options = {o["id"]: o for o in c["options"]}
            chosen = options.get(dossier.self_answers.get(c["id"]))
            rows.append(
                {"part": part, "c": c, "self": f"{chosen['text']} ({chosen['points']})" if chosen else "—"}
            )
        context = {
            "d": dossier,
            "rows": rows,
            "total": _n(dossier.result_total),
            "evidence": list(dossier.evidence.all()),
        }
        return render_pdf("backoffice/evaluation/pdf/dossier.html", context)
