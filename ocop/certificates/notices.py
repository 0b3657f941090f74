"""Delivering an expiry notice: email to the producer and its accounts; the row itself is the in-app
notice and the office's list."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ocop.core.activity import log_activity

from .enums import NoticeChannel
from .models import ExpiryNotice


def recipients_of(producer):
    emails = {producer.email} if producer.email else set()
    emails |= {a.user.email for a in producer.accounts.select_related("user") if a.user.email}
    return sorted(emails)


def deliver_expiry_notice(notice_id):
    notice = ExpiryNotice.objects.select_related(
        "certificate", "certificate__product", "certificate__product__producer"
    ).get(pk=notice_id)
    certificate = notice.certificate
    producer = certificate.product.producer
    to = recipients_of(producer)
    with translation.override("vi"):
        context = {
            "notice": notice,
            "certificate": certificate,
            "producer": producer,
            "SITE_URL": settings.SITE_URL,
        }
        subject = _("OCOP certificate %(number)s expires in %(days)s days") % {
            "number": certificate.number,
            "days": notice.days_before,
        }
        body = render_to_string("backoffice/certificates/expiry_notice_email.txt", context)
    if to:
        send_mail(subject, body, None, to)
    notice.channel = NoticeChannel.EMAIL if to else NoticeChannel.IN_APP
    notice.recipients = ", ".join(to)
    notice.save(update_fields=["channel", "recipients"])
    log_activity(
        certificate,
        "certificates.certificate.expiry_notice_sent",
        actor=None,
        data={"days_before": notice.days_before, "to": to},
    )


def expiry_notice_letter_pdf(notice):
    """The formal notice letter (PDF): the certificate's end and the filing window of QĐ 26/2026 Art. 7.6a."""
    from ocop.evaluation.procedure import reevaluation_window
    from ocop.geo.authority import address_of, issuing_authority

    from .pdf import render_pdf

    certificate = notice.certificate
    producer = certificate.product.producer
    first, last = reevaluation_window(certificate)
    # The letter is the provincial office's, written on the notice's date: the authority in force then for
    # the product's province (after 1/7/2025 UBND tỉnh Vĩnh Long for a former Bến Tre producer), never
    # the certificate's own issuer (a pre-merger UBND tỉnh Bến Tre, or the Ministry for 5★: even then the
    # province prepares the re-evaluation, Art. 6.3b). The producer files with its commune (Art. 7.1).
    address = address_of(producer, notice.due_on)
    authority = issuing_authority(address.commune or producer.commune, notice.due_on)
    commune = address.commune
    with translation.override("vi"):
        context = {
            "notice": notice,
            "certificate": certificate,
            "producer": producer,
            "issuer": authority.name,
            "authority": authority,
            "address": address,
            "days_left": (certificate.expires_on - notice.due_on).days,
            "window_first": first,
            "window_last": last,
            "commune_name": commune.name if commune else "",
        }
        return render_pdf("certificates/expiry_notice_letter.html", context)
