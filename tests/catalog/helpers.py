import datetime

from ocop.catalog.slugs import slug_for
from ocop.certificates.domain import issue_certificate
from ocop.core.dates import today
from ocop.core.permissions import SYSTEM
from tests.factories import CertificateFactory, ProductFactory


def certify(product=None, *, star=4, potential=False, days_ago=100, **product_kwargs):
    """A product with a certificate in force today (issued `days_ago` days ago, 36 months)."""
    product = product or ProductFactory(**product_kwargs)
    issued = today() - datetime.timedelta(days=days_ago)
    CertificateFactory(
        product=product,
        star=star,
        potential_5_star=potential,
        issued_on=issued,
        decision_date=issued,
        expires_on=issued.replace(year=issued.year + 3),
    )
    return product


def upgrade(product, star=4):
    """A new `star` certificate for `product`, decided and issued today."""
    return issue_certificate(
        product,
        actor=SYSTEM,
        star=star,
        decision_number="9/QĐ-UBND",
        decision_date=today(),
        issuer_name="UBND tỉnh",
    )


def product_url(product):
    return f"/products/{product.pk}/{slug_for(product.name)}/"
