"""Market test data built through the domain functions."""

import datetime

from ocop.core.dates import today
from ocop.market import domain


def coconut_fair(actor, province, *, starts_on=None, ends_on=None):
    """The coconut fair of `province` ("Hội chợ Dừa"), by default ten days from now and three days long."""
    starts_on = starts_on or today() + datetime.timedelta(days=10)
    return domain.create_fair(
        actor=actor,
        name="Hội chợ Dừa",
        starts_on=starts_on,
        ends_on=ends_on or starts_on + datetime.timedelta(days=3),
        place="Quảng trường",
        organiser="Sở Công Thương",
        province=province,
    )


def fair_with_participant(actor, province, producer):
    """A fair ten days from now (three days long) in `province`, with `producer` taking part."""
    created = coconut_fair(actor, province)
    return created, domain.add_fair_participant(created, actor=actor, producer=producer)
