"""Office menu entries: (url name, label, permission or None). Each area appends its own."""

from django.utils.translation import gettext_lazy as _

OFFICE_NAV = [
    ("backoffice:producer_list", _("Producers"), None),
    ("backoffice:product_list", _("Products"), None),
    ("backoffice:api_token_list", _("API tokens"), "api.list_tokens"),
]
