"""What a producer shows the public: the one rule.

A household business (hộ kinh doanh / hộ gia đình, `ProducerKind.HOUSEHOLD`) is a family: its tax code
is the owner's personal identification number, its street address is their home, its representative is
a private person and its coordinates point at the house. Every public output (verify page and API,
catalogue product and producer pages, `GET /api/v1/producers/<id>`, open data, JSON-LD, map markers, the
partner API) asks this module, and nothing else, what to show:

- tax code, street address, representative's name, exact coordinates: shown for organisations
  (cooperatives, enterprises, groups, establishments), hidden for households;
- the name, the kind, the commune and the province: always public (they are on the certificate);
- the phone number: only when the producer chose to publish it (`phone_public`), for every kind.

docs/security.md states the same rule; tests/security/test_household_privacy.py checks every output.
"""

from ocop.geo.authority import address_of

from .enums import HOUSEHOLD_KINDS

PERSONAL_KINDS = HOUSEHOLD_KINDS


def is_personal(kind):
    """Whether a producer of this kind is a private person (its details are personal data)."""
    return kind in PERSONAL_KINDS


def public_producer(producer):
    """The details of `producer` the public may see: a dict with `tax_code` (or None), `address` (the
    street part, or ""), `representative` (or ""), `phone` (or None) and `location` ((lat, lng) or None).
    The commune and province are not included: they are always public."""
    personal = is_personal(producer.kind)
    located = producer.latitude is not None and producer.longitude is not None
    return {
        "tax_code": None if personal else (producer.tax_code or None),
        "address": "" if personal else (producer.address or ""),
        "representative": "" if personal else (producer.representative or ""),
        "phone": (producer.phone or None) if producer.phone_public else None,
        "location": (float(producer.latitude), float(producer.longitude))
        if located and not personal
        else None,
    }


def public_address(obj, day=None):
    """The address of a producer (or sale point) as the public sees it: `address_of` without the street
    of a household (its home)."""

    return address_of(obj, day, with_street=not is_personal(getattr(obj, "kind", None)))


def publicly_located(queryset):
    """Producers whose coordinates may be shown on the public map."""
    return queryset.exclude(kind__in=PERSONAL_KINDS).filter(latitude__isnull=False, longitude__isnull=False)
