"""Market test data built through the domain functions."""

import datetime

from ocop.core.dates import today
from ocop.market import domain


def fair_with_participant(actor, province, producer):
    """A fair ten days from now (three days long) in `province`, with `producer` taking part."""
    start = today() + datetime.timedelta(days=10)
    fair = domain.create_fair(
        actor=actor,
        name="Hội chợ Dừa",
        starts_on=start,
        ends_on=start + datetime.timedelta(days=3),
        place="Quảng trường",
        organiser="Sở Công Thương",
        province=province,
    )
    return fair, domain.add_fair_participant(fair, actor=actor, producer=producer)
