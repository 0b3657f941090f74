"""Online listing links: https pages of the platform they claim to be on, never private addresses."""

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .enums import PLATFORM_HOSTS, Platform


def _host_matches(host, allowed):
    return any(host == name or host.endswith("." + name) for name in allowed)


def clean_listing_url(platform, url):
    """Return the normalised URL or raise ValidationError with a message for the user."""
    url = (url or "").strip()
    if not url:
        raise ValidationError(_("Enter the link to the product page."), code="required")
    if platform not in Platform.values:
        raise ValidationError(_("Choose a platform from the list."), code="platform")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            _("This is not a web address. Copy the full link, starting with https://"), code="url"
        ) from None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.username or parts.password:
        raise ValidationError(_("The link must not contain a user name or password."), code="credentials")
    if parts.scheme != "https" and platform != Platform.OWN_SITE:
        raise ValidationError(_("Shops on this platform use secure links (https://)."), code="https")
    try:
        ipaddress.ip_address(host.strip("[]"))
        raise ValidationError(_("Use the shop's web address, not an IP address."), code="ip")
    except ValueError:
        pass
    if host in ("localhost",) or host.endswith((".local", ".localhost", ".internal")) or "." not in host:
        raise ValidationError(_("Use a public web address."), code="private")
    allowed = PLATFORM_HOSTS.get(platform)
    if allowed and not _host_matches(host, allowed):
        raise ValidationError(
            _("A %(platform)s link must be on %(hosts)s.")
            % {"platform": Platform(platform).label, "hosts": ", ".join(allowed)},
            code="host",
        )
    return url
