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
    from .pdf import render_pdf
    from .procedure import reevaluation_window

    certificate = notice.certificate
    producer = certificate.product.producer
    first, last = reevaluation_window(certificate)
    commune = producer.current_commune or producer.commune
    with translation.override("vi"):
        context = {
            "notice": notice,
            "certificate": certificate,
            "producer": producer,
            "issuer": certificate.issuer_name,
            "days_left": (certificate.expires_on - notice.due_on).days,
            "window_first": first,
            "window_last": last,
            "commune_name": commune.name if commune else "",
        }
        return render_pdf("certificates/expiry_notice_letter.html", context)
