"""Home-page panels: what waits for this user now, one line per kind of work with a link."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ocop.accounts.enums import Role
from ocop.core.dates import today


def _line(count, label, url):
    return {"count": count, "label": label, "url": url} if count else None


def _dossier_lines(user):
    from ocop.evaluation.enums import DossierState as S
    from ocop.evaluation.queries import dossiers_for

    dossiers = dossiers_for(user)
    url = reverse("backoffice:evaluation_dossiers")
    lines = []
    if user.producer is not None:
        mine = dossiers.filter(producer=user.producer)
        lines.append(
            _line(
                mine.filter(state=S.RETURNED).count(),
                _("of your dossiers were returned for completion"),
                f"{url}?state={S.RETURNED}",
            )
        )
        lines.append(
            _line(
                mine.filter(state=S.DRAFT).count(),
                _("of your dossiers are drafts not yet submitted"),
                f"{url}?state={S.DRAFT}",
            )
        )
    if user.has_role(Role.COMMUNE_OFFICER):
        lines.append(
            _line(
                dossiers.filter(state=S.SUBMITTED).count(),
                _("dossiers wait for the commune's check"),
                f"{url}?state={S.SUBMITTED}",
            )
        )
    if user.has_role(Role.PROVINCE_OFFICER, Role.ADVISORY_MEMBER):
        lines.append(
            _line(
                dossiers.filter(state=S.FORWARDED).count(),
                _("dossiers wait for appraisal"),
                f"{url}?state={S.FORWARDED}",
            )
        )
        lines.append(
            _line(
                dossiers.filter(state=S.SCORED).count(),
                _("scored dossiers wait for a decision"),
                f"{url}?state={S.SCORED}",
            )
        )
    if user.has_role(Role.COUNCIL_MEMBER):
        lines.append(
            _line(
                dossiers.filter(state=S.SCORING).count(),
                _("dossiers are open for your scoring"),
                f"{url}?state={S.SCORING}",
            )
        )
    if user.has_role(Role.MINISTRY_OFFICER):
        lines.append(
            _line(
                dossiers.filter(state=S.NOMINATED_5STAR).count(),
                _("5★ nominations wait for the national result"),
                f"{url}?state={S.NOMINATED_5STAR}",
            )
        )
    return lines


def _certificate_lines(user):
    from ocop.certificates.enums import CertificateStatus
    from ocop.certificates.queries import certificates_for, status_q

    day = today()
    qs = certificates_for(user)
    if user.producer is not None and not user.is_platform_staff:
        qs = qs.filter(product__producer=user.producer)
    expiring = qs.filter(status_q(CertificateStatus.EXPIRING, day)).count()
    url = reverse("backoffice:certificate_list") + "?" + urlencode({"status": CertificateStatus.EXPIRING})
    return [_line(expiring, _("certificates expire within 90 days"), url)]


def _stamp_lines(user):
    from ocop.stamps.enums import BatchState, SignalStatus
    from ocop.stamps.queries import batches_for, signals_for

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
    """Panel: the user's pending work across areas."""
    user = request.user
    lines = [*_dossier_lines(user), *_certificate_lines(user), *_stamp_lines(user)]
    lines = [line for line in lines if line]
    return "backoffice/panels/todo.html", {"lines": lines}
