"""The numbering page's example is the number the next certificate gets."""

import pytest

from ocop.certificates.domain import issue_certificate
from ocop.core.dates import today
from ocop.core.permissions import SYSTEM
from tests.factories import ProductFactory

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("officer", ["vinh_long_officer", "province_officer"])
def test_numbering_example_is_the_next_number_issued(client_for, request, officer, producer_org, ben_tre):
    response = client_for(request.getfixturevalue(officer)).get("/office/certificates/numbering/")
    sample = response.context["sample"]
    year = today().year

    certificate = issue_certificate(
        ProductFactory(producer=producer_org),
        actor=SYSTEM,
        star=3,
        decision_number="5/QĐ-UBND",
        decision_date=today(),
        issuer_name="",
        issuer_unit=ben_tre,
    )

    assert (response.context["province"].code, sample, certificate.number) == (
        "86",
        f"86-00001-{year}",
        f"86-00001-{year}",
    )
