import datetime

from ocop.core.dates import today
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
