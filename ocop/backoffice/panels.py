"""Home-page panels: what waits for this user now, one line per kind of work with a link."""

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ocop.accounts.enums import Role
from ocop.accounts.rules import LEGACY_READ_ONLY, read_only
from ocop.certificates.enums import CertificateStatus
from ocop.certificates.queries import certificates_for
from ocop.certificates.status import status_q
from ocop.core.dates import today
from ocop.evaluation.enums import Body, DossierState, SheetStatus
from ocop.evaluation.enums import DossierState as S
from ocop.evaluation.queries import dossiers_for, open_rounds_for_producer
from ocop.stamps.enums import BatchState, SignalStatus
from ocop.stamps.queries import batches_for, signals_for


def _line(count, label, url):
    return {"count": count, "label": label, "url": url} if count else None


def _dossier_rows():
    """(roles that see the line, state, label); roles None: the producer's own dossiers."""

    return [
        (None, S.RETURNED, _("of your dossiers were returned for completion")),
        (None, S.COMPLETION, _("of your dossiers are to complete for the province")),
        (None, S.DRAFT, _("of your dossiers are drafts not yet submitted")),
        ((Role.COMMUNE_OFFICER,), S.SUBMITTED, _("dossiers wait for the commune's check")),
        ((Role.PROVINCE_OFFICER, Role.ADVISORY_MEMBER), S.FORWARDED, _("dossiers wait for appraisal")),
        ((Role.PROVINCE_OFFICER, Role.ADVISORY_MEMBER), S.SCORED, _("scored dossiers wait for a decision")),
        ((Role.COUNCIL_MEMBER,), S.SCORING, _("dossiers are open for your scoring")),
        ((Role.MINISTRY_OFFICER,), S.NOMINATED_5STAR, _("5★ nominations wait for the national result")),
    ]


def _counts_by_state(qs):
    return dict(qs.order_by().values_list("state").annotate(n=Count("pk", distinct=True)))


def dossiers_to_score(user, dossiers):
    """Dossiers open for scoring on whose council the user sits, not yet submitted nor recused."""

    return (
        dossiers.filter(
            state=DossierState.SCORING,
            round__memberships__user=user,
            round__memberships__body=Body.COUNCIL,
        )
        .exclude(scoresheets__member=user, scoresheets__status=SheetStatus.SUBMITTED)
        .exclude(conflicts__member=user)
        .distinct()
    )


def _dossier_lines(user):
    dossiers = dossiers_for(user)
    url = reverse("backoffice:evaluation_dossiers")
    counts = _counts_by_state(dossiers)
    mine = _counts_by_state(dossiers.filter(producer=user.producer)) if user.producer is not None else {}
    lines = []
    for roles, state, label in _dossier_rows():
        if roles is None:
            lines.append(_line(mine.get(state, 0), label, f"{url}?state={state}"))
        elif roles == (Role.COUNCIL_MEMBER,):
            lines.append(
                _line(dossiers_to_score(user, dossiers).count(), label, f"{url}?state={state}&todo=1")
            )
        elif user.has_role(*roles):
            lines.append(_line(counts.get(state, 0), label, f"{url}?state={state}"))
    return lines


def _certificate_lines(user):
    day = today()
    qs = certificates_for(user)
    if user.producer is not None and not user.is_platform_staff:
        qs = qs.filter(product__producer=user.producer)
    expiring = qs.filter(status_q(CertificateStatus.EXPIRING, day)).count()
    url = reverse("backoffice:certificate_list") + "?" + urlencode({"status": CertificateStatus.EXPIRING})
    return [_line(expiring, _("certificates expire within 90 days"), url)]


def _stamp_lines(user):
    lines = []
    if user.has_perm("stamps.view_dashboard"):
        lines.append(
            _line(
                batches_for(user).filter(state=BatchState.REQUESTED).count(),
                _("stamp batches wait for approval"),
                reverse("backoffice:stamp_batch_list"),
            )
        )
        lines.append(
            _line(
                signals_for(user).filter(status=SignalStatus.OPEN).count(),
                _("counterfeit signals are open"),
                reverse("backoffice:counterfeit_dashboard"),
            )
        )
    return lines


def todo(request):
    """Panel: the user's pending work across areas. A former province's account has no work to do
    (it only reads): the panel says so instead of listing what it may not act on."""

    user = request.user
    if read_only(user):
        return "backoffice/panels/todo.html", {"lines": [], "read_only": str(LEGACY_READ_ONLY)}
    lines = [*_dossier_lines(user), *_certificate_lines(user), *_stamp_lines(user)]
    lines = [line for line in lines if line]
    return "backoffice/panels/todo.html", {"lines": lines}


def open_rounds(request):
    """Panel for producers: the rounds of their province that take dossiers now."""

    producer = request.user.producer
    if producer is None:
        return None
    rounds = list(open_rounds_for_producer(producer))
    return "backoffice/panels/open_rounds.html", {"rounds": rounds}
