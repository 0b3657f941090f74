import pytest
from django.core.cache import cache

from .helpers import batch, certificate  # noqa: F401


@pytest.fixture(autouse=True)
def _clear_cache():
    """The database is rolled back after each test but the cache is not: verify pages cached for a
    batch id of an earlier test must not answer for this test's batch of the same id."""
    cache.clear()
