"""Production settings with the proposed Redis backend (ocop.catalog.cache.RedisCache), for the
catalogue benchmark's second wrk pass only."""

from ocop.settings import *  # noqa: F403
from ocop.settings import CACHES

CACHES["default"]["BACKEND"] = "ocop.catalog.cache.RedisCache"
