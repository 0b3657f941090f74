"""The certificate register and its lifecycle actions. Views parse, call one domain function, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ocop.accounts.enums import Role
from ocop.certificates import domain
from ocop.certificates.domain import number_pattern_for
from ocop.certificates.enums import CertificateStatus
from ocop.certificates.forms import LiftForm, NumberPatternForm, PostCheckForm, RevokeForm, SuspendForm
from ocop.certificates.notices import expiry_notice_letter_pdf
from ocop.certificates.queries import certificates_for, notices_for, register
from ocop.certificates.rules import may_lift, may_revoke, may_suspend
from ocop.core.activity import history_for
from ocop.core.dates import parse_date, today
from ocop.core.errors import DomainError
from ocop.geo.authority import issuing_authority

from ..actions import form_errors, run_action, run_form, scoped_object
from .evaluation import _pdf_response

PAGE_SIZE = 50


def _as_of(request):
    try:
        return parse_date(request.GET["as_of"]) if request.GET.get("as_of") else today()
    except ValueError:
        messages.error(request, _("The date must be written dd/mm/yyyy."))
        return today()


@login_required
def certificate_list(request):
    user = request.user
    if not (
        user.has_perm("certificates.view_register") or user.producer is not None or user.is_platform_staff
    ):
        raise PermissionDenied
    day = _as_of(request)
    qs = register(
        user,
        day=day,
        q=request.GET.get("q", ""),
        status=request.GET.get("status", ""),
        star=request.GET.get("star", ""),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, c.status_on(day)) for c in page]
    context = {
        "page": page,
        "rows": rows,
        "day": day,
        "statuses": CertificateStatus.choices,
        "can_configure": bool(user.units(Role.PROVINCE_OFFICER)),
    }
    template = "backoffice/certificates/list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


def _certificate_for(request, pk, perm="certificates.view_certificate"):
    queryset = certificates_for(request.user).select_related("product", "product__producer", "superseded_by")
    return scoped_object(request, queryset, pk, perm)


@login_required
def certificate_detail(request, pk):
    certificate = _certificate_for(request, pk)
    day = today()
    can_manage = request.user.has_perm("certificates.manage_certificate", certificate)
    # What the user may do, from the rules (`ocop.certificates.rules`, which the domain functions enforce
    # too): the template only reads these.
    can_revoke = may_revoke(request.user, certificate)
    context = {
        "can_revoke": can_revoke,
        # a 5★ certificate the province sees but may not revoke (QĐ 26/2026 Art. 8.2b)
        "revoke_elsewhere": can_manage and not can_revoke and not certificate.revoked_on,
        "can_lift": may_lift(request.user, certificate),
        "can_suspend": may_suspend(request.user, certificate, day),
        "revocation_authority": domain.revocation_authority(certificate),
        "internal_hold": certificate.is_suspended_on(day),
        "certificate": certificate,
        "status": certificate.status_on(day),
        "day": day,
        "can_manage": can_manage,
        "post_checks": certificate.post_checks.all(),
        "notices": certificate.expiry_notices.all(),
        "supersedes": certificate.supersedes.all(),
        "batches": certificate.stamp_batches.all()[:20],
        "history": history_for(certificate)[:50] if can_manage else [],
        "revoke_form": RevokeForm(prefix="revoke"),
        "suspend_form": SuspendForm(prefix="suspend"),
        "lift_form": LiftForm(prefix="lift"),
        "check_form": PostCheckForm(prefix="check"),
        "pdf_url": _pdf_url(certificate),
    }
    return render(request, "backoffice/certificates/detail.html", context)


def _pdf_url(certificate):
    for name in ("backoffice:certificate_pdf", "catalog:certificate_pdf"):
        try:
            return reverse(name, args=[certificate.pk])
        except NoReverseMatch:
            continue
    return ""


def _act(request, pk, form_class, prefix, change, done, perm="certificates.manage_certificate"):
    """A POST on one certificate from its page's form `prefix`: `change(certificate, actor=..., **form)`."""
    certificate = _certificate_for(request, pk, perm)
    form = form_class(request.POST, prefix=prefix)
    back = lambda: redirect("backoffice:certificate_detail", pk=pk)  # noqa: E731
    if not form.is_valid():
        form_errors(request, form)
        return back()
    return run_action(
        request, lambda: change(certificate, actor=request.user, **form.cleaned_data), back=back, done=done
    )


def _certificate_action(form_class, prefix, change, done):
    @login_required
    @require_POST
    def view(request, pk):
        return _act(request, pk, form_class, prefix, change, done)

    return view


@login_required
@require_POST
def certificate_revoke(request, pk):
    """QĐ 26/2026 Art. 8.2: the province records 3★/4★ revocations, the Ministry 5★ ones; anyone else who
    sees the certificate gets 403 with the reason."""
    certificate = _certificate_for(request, pk)
    if not request.user.has_perm("certificates.revoke_certificate", certificate):
        if certificate.star == 5 and request.user.has_perm("certificates.manage_certificate", certificate):
            raise PermissionDenied(
                _(
                    "A 5★ certificate is revoked only by the Minister of Agriculture and Environment (QĐ 26/2026 "
                    "Art. 8.2b); the provincial office cannot revoke it."
                )
            )
        raise PermissionDenied
    return _act(
        request,
        pk,
        RevokeForm,
        "revoke",
        domain.revoke_certificate,
        _("The certificate is revoked; its stamps now show “revoked”."),
        perm="certificates.revoke_certificate",
    )


certificate_suspend = _certificate_action(
    SuspendForm, "suspend", domain.suspend_certificate, _("The certificate is suspended.")
)
certificate_lift = _certificate_action(
    LiftForm, "lift", domain.lift_suspension, _("The suspension is lifted.")
)
certificate_post_check = _certificate_action(
    PostCheckForm, "check", domain.record_post_check, _("The post-certification check is recorded.")
)


@login_required
def notice_list(request):
    qs = notices_for(request.user).order_by("-due_on", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/certificates/notices.html",
        {"page": page, "reevaluation_url": _reevaluation_url()},
    )


@login_required
def notice_letter(request, pk):
    """The formal expiry notice letter (PDF), for whoever sees the certificate."""

    notice = get_object_or_404(notices_for(request.user).select_related("certificate"), pk=pk)
    if not request.user.has_perm("certificates.view_certificate", notice.certificate):
        raise PermissionDenied
    return _pdf_response(
        expiry_notice_letter_pdf(notice), f"thong-bao-{notice.certificate.number}-{notice.days_before}.pdf"
    )


def _reevaluation_url():
    for name in ("backoffice:dossier_create", "backoffice:dossier_new"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def number_pattern(request):
    provinces = request.user.units(Role.PROVINCE_OFFICER)
    provinces = [u for u in provinces if u.level == "province"]
    if not provinces:
        raise PermissionDenied
    # The province that issues today (a former province's officer sees its successor's numbers).
    province = issuing_authority(provinces[0], today()).province
    form = NumberPatternForm(
        request.POST or None, initial={"pattern": number_pattern_for(province.code, today())}
    )
    answer, _status = run_form(
        request,
        form,
        lambda: domain.set_number_pattern(province, actor=request.user, pattern=form.cleaned_data["pattern"]),
        field="pattern",
        done=_("The number pattern is saved; new certificates use it."),
        then=lambda _pattern: redirect("backoffice:certificate_numbering"),
    )
    if answer:
        return answer
    sample = ""
    try:
        domain.check_number_pattern(form["pattern"].value() or "")
        sample = domain.preview_number(province, pattern=form["pattern"].value())
    except DomainError:
        sample = ""
    return render(
        request,
        "backoffice/certificates/numbering.html",
        {"form": form, "province": province, "sample": sample},
    )
