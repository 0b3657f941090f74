"""Production settings with the proposed Redis backend (ocop.core.cache.RedisCache), for the
catalogue benchmark's second wrk pass only."""

from ocop.settings import *  # noqa: F403
from ocop.settings import CACHES

CACHES["default"]["BACKEND"] = "ocop.core.cache.RedisCache"
