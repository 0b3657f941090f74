"""Mail sent for accounts, queued on commit by the domain functions."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .models import User


@task
def send_password_link(*, user_id):
    """Mail an account the link to choose its password (the password-reset page of the platform)."""

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    site = urlsplit(settings.SITE_URL)
    with translation.override(user.language or "vi"):
        body = render_to_string(
            "accounts/password_reset_email.txt",
            {
                "protocol": site.scheme,
                "domain": site.netloc,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
                "user": user,
            },
        )
        send_mail(_("Your account on the OCOP platform"), body, None, [user.email])
