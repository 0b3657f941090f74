"""Outside services some tests need. Locally a missing service skips those tests; under `CI=true` it
fails them, as the Makefile does for PostgreSQL and Chromium (`.ci/run` starts or installs Redis).

    pytestmark = needs_redis                  # or @needs_redis on a test
    require_redis()                           # inside a fixture or a test
"""

import os

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def under_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def redis_up(url=REDIS_URL):
    try:
        import redis
    except ImportError:
        return False
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def require_redis(url=REDIS_URL):
    """Skip (locally) or fail (CI=true) the calling test when Redis does not answer at `url`."""
    if redis_up(url):
        return
    message = f"no Redis at {url} (apt-get install redis-server)"
    if under_ci():
        pytest.fail(f"{message}: failing under CI", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def redis_required():
    require_redis()


needs_redis = pytest.mark.usefixtures("redis_required")
