"""Notifications (in-app row + email), queued on commit by the domain functions."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Dossier, Notification

logger = logging.getLogger(__name__)


def _texts(verb, dossier):
    product = dossier.product.name
    return {
        "submitted": (
            _("New dossier %(n)s to check") % {"n": dossier.number},
            _("%(p)s was submitted and awaits the commune's check.") % {"p": product},
        ),
        "returned": (
            _("Dossier %(n)s was returned for completion") % {"n": dossier.number},
            _("Reasons: %(r)s") % {"r": dossier.return_reasons},
        ),
        "completion_requested": (
            _("The province asks you to complete dossier %(n)s") % {"n": dossier.number},
            _("What to complete: %(r)s") % {"r": dossier.return_reasons},
        ),
        "completed": (
            _("Dossier %(n)s was completed and sent back to the province") % {"n": dossier.number},
            _("%(p)s: the producer completed what the province asked for.") % {"p": product},
        ),
        "forwarded": (
            _("Dossier %(n)s was forwarded to the province") % {"n": dossier.number},
            _("%(p)s passed the commune's check.") % {"p": product},
        ),
        "appraised": (_("Dossier %(n)s was appraised") % {"n": dossier.number}, dossier.appraisal_note),
        "scoring_opened": (
            _("Scoring is open for dossier %(n)s") % {"n": dossier.number},
            _("Please score %(p)s.") % {"p": product},
        ),
        "scored": (
            _("Council result for dossier %(n)s") % {"n": dossier.number},
            _("Average %(t)s points, %(s)s★.") % {"t": dossier.result_total, "s": dossier.result_star},
        ),
        "recognised": (
            _("%(p)s is recognised as an OCOP product") % {"p": product},
            _("Certificate %(c)s has been issued.")
            % {"c": dossier.certificate.number if dossier.certificate else "—"},
        ),
        "not_recognised": (
            _("%(p)s was not recognised") % {"p": product},
            dossier.get_outcome_display()
            if dossier.outcome
            else _("The council's result did not reach 3 stars."),
        ),
        "nominated": (
            _("%(p)s is nominated for 5 stars") % {"p": product},
            _(
                "The province approved the result and sends the dossier to the Ministry, which decides on 5★ "
                "(QĐ 26/2026 Art. 7.3e); no provincial certificate is issued meanwhile."
            ),
        ),
        "disqualified": (
            _("Dossier %(n)s was disqualified") % {"n": dossier.number},
            "; ".join(
                f"{k['criterion']}: {k['reason']}" if k.get("criterion") else k["reason"]
                for k in dossier.knockouts
            ),
        ),
        "national_result": (
            _("National result for %(p)s") % {"p": product},
            _("The Ministry recorded %(s)s★.") % {"s": dossier.national_star},
        ),
    }[verb]


@task
def notify(*, user_ids, verb, dossier_id, key=""):
    """One in-app notice per user, and the same text by email to those with an address.

    Idempotent with a `key` (the domain gives each notification its own): run again after its worker
    died half-way (ocop/core/taskqueue.py), it creates the notices still missing and mails those not
    marked as mailed; one mail can go twice only if the worker died between sending it and marking it."""
    dossier = Dossier.objects.select_related("product", "certificate").get(pk=dossier_id)
    url = dossier.get_absolute_url()
    for user in get_user_model().objects.filter(pk__in=user_ids).order_by("pk"):
        with translation.override(user.language or "vi"):
            title, body = _texts(verb, dossier)
        fields = {"verb": verb, "title": title, "body": body, "url": url}
        if key:
            notice, _created = Notification.objects.get_or_create(user=user, key=key, defaults=fields)
        else:
            notice = Notification.objects.create(user=user, **fields)
        if user.email and notice.emailed_at is None:
            try:
                send_mail(notice.title, f"{notice.body}\n\n{settings.SITE_URL}{url}", None, [user.email])
            except OSError:
                # The in-app notice is kept; a mail server that is down must not undo the change.
                logger.warning("notice mail to user %s failed", user.pk, exc_info=True)
                continue
            Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return len(user_ids)
