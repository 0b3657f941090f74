"""A token bucket per client: in Redis with one atomic script call when the default cache is Redis
(`shared.hot`; the verify page folds it into its single round trip), else in Django's cache (local
memory per worker by default, shared when CACHES points at a database or file cache)."""

import time

from django.core.cache import cache

from . import conf, shared


def client_key(request):
    if conf.get("BEHIND_PROXY_FOR"):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def bucket_key(request, scope="verify"):
    return f"{shared.PREFIX}rate:{scope}:{client_key(request)}"


def allow(request, *, scope="verify"):
    """True if the client may make one more request; refills VERIFY_RATE_PER_MINUTE tokens a minute
    up to VERIFY_BURST. With Redis: one atomic script call (`shared.hot`)."""
    rate = conf.get("VERIFY_RATE_PER_MINUTE")
    if rate <= 0:
        return True
    burst = conf.get("VERIFY_BURST")
    redis = shared.client()
    if redis is not None:
        return shared.hot(redis, bucket=bucket_key(request, scope), rate=rate, burst=burst).allowed
    key = f"rl:{scope}:{client_key(request)}"
    now = time.time()
    tokens, stamp = cache.get(key) or (burst, now)
    tokens = min(burst, tokens + (now - stamp) * rate / 60)
    if tokens < 1:
        cache.set(key, (tokens, now), 120)
        return False
    cache.set(key, (tokens - 1, now), 120)
    return True
