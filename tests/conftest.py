"""Personas and database setup shared by the whole suite.

The real administrative map is loaded once per session (it takes about two seconds). Transactional
tests (the browser tests) flush the database after each test, so they ask for `admin_units`, which
reloads the map when it is missing."""

from decimal import Decimal

import pytest
from django.test import Client

from ocop.accounts.enums import Role
from ocop.geo.loader import load_admin_units
from ocop.geo.models import AdminUnit
from ocop.market.enums import SalePointKind
from ocop.market.models import SalePoint

from .factories import PASSWORD, ProducerFactory, UserFactory, unit, with_role
from .services import redis_required  # noqa: F401  (fixture behind `needs_redis`)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_admin_units()


@pytest.fixture
def admin_units(db):
    if not AdminUnit.objects.exists():
        load_admin_units()


@pytest.fixture
def ben_tre(admin_units):
    return unit("83")


@pytest.fixture
def tien_giang(admin_units):
    return unit("82")


@pytest.fixture
def producer_org(admin_units):
    """A cooperative in Bến Tre (legacy map, Phường Phú Khương)."""
    return ProducerFactory()


@pytest.fixture
def producer(producer_org):
    """The producer persona: a user account of `producer_org`."""
    return with_role(UserFactory(username="producer"), Role.PRODUCER, producer=producer_org)


@pytest.fixture
def commune_officer(producer_org):
    return with_role(UserFactory(username="commune"), Role.COMMUNE_OFFICER, unit=producer_org.commune)


@pytest.fixture
def province_officer(ben_tre):
    return with_role(UserFactory(username="province"), Role.PROVINCE_OFFICER, unit=ben_tre)


@pytest.fixture
def vinh_long(admin_units):
    """Current Vĩnh Long (86), successor of legacy Bến Tre, Trà Vinh and Vĩnh Long since 1/7/2025."""
    return unit("86", map="current")


@pytest.fixture
def vinh_long_officer(vinh_long):
    return with_role(UserFactory(username="vinhlong"), Role.PROVINCE_OFFICER, unit=vinh_long)


@pytest.fixture
def council_member(ben_tre):
    return with_role(UserFactory(username="council"), Role.COUNCIL_MEMBER, unit=ben_tre)


@pytest.fixture
def ministry_officer(admin_units):
    return with_role(UserFactory(username="ministry"), Role.MINISTRY_OFFICER)


@pytest.fixture
def other_province_officer(tien_giang):
    return with_role(UserFactory(username="other"), Role.PROVINCE_OFFICER, unit=tien_giang)


@pytest.fixture
def dong_thap_officer(admin_units):
    """Current Đồng Tháp (82), successor of legacy Tiền Giang and Đồng Tháp: the other province that acts."""
    return with_role(UserFactory(username="dongthap"), Role.PROVINCE_OFFICER, unit=unit("82", map="current"))


@pytest.fixture
def other_producer(admin_units):
    org = ProducerFactory(commune=unit("28249"))  # a commune of Tiền Giang
    return with_role(UserFactory(username="otherproducer"), Role.PRODUCER, producer=org)


@pytest.fixture
def sale_point(admin_units):
    """A supermarket in Bến Tre (legacy commune 28762, now in Vĩnh Long)."""
    return SalePoint.objects.create(
        name="Co.opmart Bến Tre",
        kind=SalePointKind.SUPERMARKET,
        address="26 Đồng Khởi",
        commune=unit("28762"),
        latitude=Decimal("10.24"),
        longitude=Decimal("106.37"),
    )


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return login


__all__ = ["PASSWORD"]


class StoppedClock:
    """Stands in for the `time` module of the rate limiters: `time()` returns `now` until moved."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def stopped_clock(monkeypatch):
    """The rate limiters' wall clock, stopped 30 seconds into a minute: a test of a limit gives the
    same answer whatever the minute it runs in and however slow the machine (the API's fixed
    one-minute windows, the verify pages' token buckets refilling every second)."""
    from ocop.api import domain as api_domain
    from ocop.stamps import ratelimit, shared

    clock = StoppedClock(1_800_000_030.0)
    for module in (api_domain, ratelimit, shared):
        monkeypatch.setattr(module, "time", clock)
    return clock
