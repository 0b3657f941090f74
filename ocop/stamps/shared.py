"""State the verify hot path shares between worker processes: per-batch version tokens, the rendered
verdict pages, per-serial scan counts and the rate limiter's buckets.

With Redis as the default cache (REDIS_URL), everything lives there and one verify request costs ONE
round trip (`hot`, a Lua script: token bucket, the batch's version token, the cached page of that
version, and the serial's scan count), and no SQL. A committed change bumps the version of every batch
it shows (`bump_batches`), so every worker sees it on its next request.

Without Redis (the embedded default: SQLite, local-memory cache) versions and pages live in Django's
cache: with the default LocMemCache that is per process and bounded (MAX_ENTRIES, 300 by default); a
change made in another process is then seen here after at most VERIFY_CACHE_SECONDS (the pages' and
facts' lifetime), and scan counts come from the database.

Scan counts in Redis: `n:<serial>` holds the count and first scan time (expiring after
VERIFY_COUNT_SECONDS without scans) and `seen:<batch>` a bitmap of the serials ever scanned (bit 0 set
once the batch has been loaded from the scan log, bit index+1 per serial). A scan of a loaded batch's
serial never seen before needs no query; a serial seen before whose count expired, or a batch not yet
loaded, takes its count from the database once (`init_count`), and the flusher loads the batch
(`load_batch`) in the background. `again:<serial>:<client>` (set with NX for VERIFY_REPEAT_SECONDS)
marks a client's scan of a serial: a repeat within the window is not counted (`Hot.repeat`)."""

import functools
import os
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.utils.module_loading import import_string

from ocop.certificates.models import Certificate
from ocop.core.release import fingerprint

from . import conf
from .models import StampBatch
from .serials import parse_serial

PREFIX = "ocop:verify:"
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"

HOT = """
local now = tonumber(ARGV[3])
local rate = tonumber(ARGV[1])
-- ARGV[9]: '' for the view (always counts); 's' or 'p' for the fast path in front of Django, which
-- answers only a cached page it can replay over https ('s') or plain http ('p'), with the count known
-- here. When the fast path cannot answer, this call takes no token and counts nothing (at most it
-- starts the batch's version token): Django's view then makes its own call, so a scan is counted and
-- logged once whoever answers.
local fast = ARGV[9] or ''
local full_at = nil
if rate > 0 then
  -- Token bucket as GCRA: one key holds the time at which the bucket is full again.
  local interval = 60 / rate
  full_at = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now) + interval
  if full_at - now > tonumber(ARGV[2]) * interval then return {0} end
end
local function take_token()
  if full_at then
    redis.call('SET', KEYS[1], tostring(full_at), 'PX', math.ceil((full_at - now) * 1000) + 1000)
  end
end
if KEYS[2] == '' then take_token() return {1} end
local ver = redis.call('GET', KEYS[2])
if not ver then
  ver = tostring(redis.call('INCR', KEYS[5]))
  redis.call('SET', KEYS[2], ver)
end
local page = redis.call('GET', ARGV[4] .. ver .. ARGV[5])
if ARGV[6] == '' then take_token() return {1, ver, page} end
local again = KEYS[6] and KEYS[6] ~= ''
if fast ~= '' then
  -- The page "verdict|quantity\\nheaders\\nhtml": cached, the serial within the batch, headers
  -- captured under this scheme; and the count known without the database.
  if not page then return {2, ver} end
  local nl1 = string.find(page, '\\n', 1, true)
  local nl2 = nl1 and string.find(page, '\\n', nl1 + 1, true)
  if not nl2 or nl2 == nl1 + 1 then return {2, ver} end
  local quantity = tonumber(string.match(string.sub(page, 1, nl1 - 1), '|(%d+)$'))
  if not quantity or tonumber(ARGV[6]) > quantity then return {2, ver} end
  local secure = string.find(string.sub(page, nl1 + 1, nl2 - 1), '"secure":true', 1, true) ~= nil
  if secure ~= (fast == 's') then return {2, ver} end
  local known = redis.call('HEXISTS', KEYS[4], 'n') == 1
  if again and redis.call('EXISTS', KEYS[6]) == 1 then
    if not known then return {2, ver} end
  elseif not known then
    local bits = redis.call('BITFIELD', KEYS[3], 'GET', 'u1', 0, 'GET', 'u1', ARGV[6])
    if bits[1] ~= 1 or bits[2] ~= 0 then return {2, ver} end
  end
end
take_token()
local bits = redis.call('BITFIELD', KEYS[3], 'GET', 'u1', 0, 'SET', 'u1', ARGV[6], 1)
local loaded, seen = bits[1], bits[2]
if again and not redis.call('SET', KEYS[6], '1', 'PX', ARGV[8], 'NX') then
  -- The same client scanned this serial within VERIFY_REPEAT_SECONDS: logged, not counted.
  local known = redis.call('HMGET', KEYS[4], 'n', 'f')
  if known[1] then
    redis.call('EXPIRE', KEYS[4], ARGV[7])
    return {1, ver, page, tonumber(known[1]), known[2], loaded, 1}
  end
  return {1, ver, page, -1, false, loaded, 1}
end
local n = redis.call('HINCRBY', KEYS[4], 'n', 1)
local first = false
if n > 1 then
  first = redis.call('HGET', KEYS[4], 'f')
elseif loaded == 1 and seen == 0 then
  redis.call('HSET', KEYS[4], 'f', ARGV[3])
  first = ARGV[3]
else
  -- Scanned before but its count was forgotten, or the batch is not loaded: the caller reads the
  -- count from the database (init_count).
  redis.call('DEL', KEYS[4])
  return {1, ver, page, -1, false, loaded}
end
redis.call('EXPIRE', KEYS[4], ARGV[7])
return {1, ver, page, n, first, loaded}
"""

INIT_COUNT = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  local n = redis.call('HINCRBY', KEYS[1], 'n', tonumber(ARGV[4] or 1))
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return {n, redis.call('HGET', KEYS[1], 'f')}
end
redis.call('HSET', KEYS[1], 'n', ARGV[1], 'f', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {tonumber(ARGV[1]), ARGV[2]}
"""

BUMP = """
for i, key in ipairs(KEYS) do
  if i > 1 then redis.call('SET', key, tostring(redis.call('INCR', KEYS[1]))) end
end
return 1
"""

_clients = {}
_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _is_redis(backend):
    try:
        return issubclass(import_string(backend), RedisCache)
    except ImportError:
        return False


def redis_url():
    """The Redis server of the default cache (Django's Redis backend or a subclass), or None (then
    nothing is shared between processes)."""
    cache = settings.CACHES.get("default", {})
    if not _is_redis(cache.get("BACKEND", "")):
        return None
    location = cache.get("LOCATION")
    return location[0] if isinstance(location, list | tuple) else location


class _Redis:
    def __init__(self, url):
        import redis  # redis-py: only with a Redis cache (REDIS_URL)

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.scripts = {
            name: self.client.register_script(text)
            for name, text in (("hot", HOT), ("init_count", INIT_COUNT), ("bump", BUMP))
        }
        self._local = threading.local()

    def run(self, name, keys, args):
        """EVALSHA of one of our scripts on this thread's own connection: the verify request's single
        round trip, without the client's per-command pool and retry machinery (half its CPU cost).
        A lost connection is reopened and the call tried once more; a script the server forgot (after
        a restart) is loaded again."""
        # redis-py: only with a Redis cache (REDIS_URL)
        from redis.exceptions import ConnectionError, NoScriptError, TimeoutError

        script = self.scripts[name]
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():  # never a connection of the parent process
            conn = self._local.conn = self.client.connection_pool.make_connection()
            self._local.pid = os.getpid()
        for attempt in range(2):
            try:
                conn.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
                return conn.read_response()
            except NoScriptError:
                if attempt:
                    raise
                self.client.script_load(script.script)
            except (ConnectionError, TimeoutError):
                conn.disconnect()
                if attempt:
                    raise
        raise RuntimeError("unreachable")


def client():
    """The shared Redis (with its scripts) or None."""
    url = redis_url()
    if url is None:
        return None
    found = _clients.get(url)
    if found is None:
        with _lock:
            found = _clients.setdefault(url, _Redis(url))
    return found


def version_key(batch_id):
    return f"{PREFIX}ver:{batch_id}"


def page_key(batch_id, version, language, day):
    """The key of a batch's rendered page: its version, the language, the day and the release
    (`ocop.core.release`: a deploy that changes a header setting or a template reads new keys)."""
    return f"{PREFIX}vpage:{batch_id}:{version}{_page_suffix(language, day)}"


def _page_suffix(language, day):
    return f":{language}:{day.isoformat()}:{fingerprint()}"


def seen_key(batch_id):
    return f"{PREFIX}seen:{batch_id}"


def count_key(serial):
    return f"{PREFIX}n:{serial}"


def _local_version(batch_id):
    """Without Redis: the version token in Django's cache (process-local memory by default, bounded by
    LocMemCache's MAX_ENTRIES). A lost token is replaced by a new random one, so pages cached under the
    old token are never read again."""

    key = version_key(batch_id)
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, None):
            token = cache.get(key) or token
    return token


def batch_version(batch_id):
    """The batch's current version token (one Redis call; created on first use)."""
    shared = client()
    if shared is None:
        return _local_version(batch_id)
    answer = shared.run(
        "hot",
        keys=["", version_key(batch_id), "", "", f"{PREFIX}seq"],
        args=[0, 0, time.time(), f"{PREFIX}none:", "", ""],
    )
    return answer[1].decode()


def bump_batches(batch_ids):
    """New versions for these batches (call once the change is committed)."""
    ids = sorted(set(batch_ids))
    if not ids:
        return
    shared = client()
    if shared is None:
        cache.set_many({version_key(pk): uuid.uuid4().hex for pk in ids}, None)
    else:
        shared.run("bump", keys=[f"{PREFIX}seq", *(version_key(pk) for pk in ids)], args=[])


def get_page(key):
    shared = client()
    if shared is None:
        return cache.get(key)
    value = shared.client.get(key)
    return value.decode() if value is not None else None


def put_page(key, value):
    shared = client()
    if shared is None:
        cache.set(key, value, conf.get("VERIFY_CACHE_SECONDS"))
    else:
        shared.client.set(key, value.encode(), ex=conf.get("VERIFY_PAGE_SECONDS"))


class Hot:
    """What one verify request learnt in its single round trip. `declined`: the fast path's call found
    nothing it could answer with, and took no token and counted nothing (see HOT)."""

    __slots__ = ("allowed", "count", "declined", "first", "loaded", "page", "repeat", "version")

    def __init__(self, answer):
        self.allowed = bool(answer[0])
        self.declined = answer[0] == 2
        self.version = answer[1].decode() if len(answer) > 1 else None
        self.page = answer[2].decode() if len(answer) > 2 and answer[2] else None
        self.count = int(answer[3]) if len(answer) > 3 else -1
        self.first = float(answer[4]) if len(answer) > 4 and answer[4] else None
        self.loaded = bool(answer[5]) if len(answer) > 5 else False
        self.repeat = bool(answer[6]) if len(answer) > 6 else False  # the client's repeat: not counted


def repeat_key(serial, client):
    return f"{PREFIX}again:{serial}:{client}"


def hot(
    shared,
    *,
    bucket,
    rate,
    burst,
    batch_id=None,
    language="",
    day=None,
    serial=None,
    index=None,
    client=None,
    fast_scheme="",
):
    """Token bucket, then (for a genuine serial) version, cached page and scan count: one round trip.
    With `client` (its address), a scan of the same serial by the same client within
    VERIFY_REPEAT_SECONDS is not counted (`Hot.repeat`). With `fast_scheme` ("https" or "http": the
    fast path's call) nothing is written unless the cached page can be answered as it is
    (`Hot.declined` otherwise)."""
    now = time.time()
    if batch_id is None:
        keys, args = [bucket, "", "", "", ""], [rate, burst, now, "", "", ""]
    else:
        window = conf.get("VERIFY_REPEAT_SECONDS")
        again = repeat_key(serial, client) if window > 0 and client is not None else ""
        keys = [bucket, version_key(batch_id), seen_key(batch_id), count_key(serial), f"{PREFIX}seq", again]
        args = [
            rate,
            burst,
            repr(now),
            f"{PREFIX}vpage:{batch_id}:",
            _page_suffix(language, day),
            index + 1,
            conf.get("VERIFY_COUNT_SECONDS"),
            window * 1000,
            {"https": "s", "http": "p"}.get(fast_scheme, ""),
        ]
    return Hot(shared.run("hot", keys=keys, args=args))


def init_count(shared, serial, count, first, *, counted=True):
    """Start the serial's shared count from the database's (count includes this scan); if another
    worker got there first, count this scan on top of it (unless it is a repeat, `counted` false).
    Returns (count, first epoch seconds)."""
    n, first_at = shared.run(
        "init_count",
        keys=[count_key(serial)],
        args=[count, repr(first), conf.get("VERIFY_COUNT_SECONDS"), int(counted)],
    )
    return int(n), float(first_at)


def load_batch(shared, batch_id, serials):
    """Mark the scanned serials of a batch (from the scan log) and the batch as loaded."""

    key = seen_key(batch_id)
    pipe = shared.client.pipeline(transaction=False)
    for text in serials:
        serial = parse_serial(text)
        if serial is not None and serial.batch_id == batch_id:
            pipe.setbit(key, serial.index + 1, 1)
    pipe.setbit(key, 0, 1)
    pipe.execute()


def forget(batch_ids=(), cache_keys=()):
    """Once the current transaction commits: bump the verify versions of these batches and drop these
    Django cache keys (certificate-number answers). The publication step calls it (`publisher`)."""

    ids, keys = list(batch_ids), list(cache_keys)

    def run():
        bump_batches(ids)
        if keys:
            cache.delete_many(keys)

    transaction.on_commit(run)


def _products_changed(product_ids):
    ids = list(product_ids)
    batches = StampBatch.objects.filter(product_id__in=ids).values_list("pk", flat=True)
    numbers = Certificate.objects.filter(product_id__in=ids).values_list("number", flat=True)
    forget(list(batches), [f"verify:cert:{n}" for n in numbers])


def _certificate_changed(certificate):
    """Drop the cached verify answers of this certificate's product's stamps, once committed."""

    numbers = Certificate.objects.filter(product_id=certificate.product_id).values_list("number", flat=True)
    batches = StampBatch.objects.filter(product_id=certificate.product_id).values_list("pk", flat=True)
    keys = [f"verify:cert:{n}" for n in numbers] + [f"verify:batch:{pk}" for pk in batches]
    forget(batches, keys)  # verify versions of the batches bumped and answers dropped on commit


def publisher(obj, product_ids):
    """The verify answers' publisher (`ocop.core.publication`, registered in `StampsConfig.ready`):
    once the change commits, new versions for the batches of the products concerned (their pages are
    rendered again) and their certificate numbers' cached answers dropped; a changed certificate also
    drops its batches' answers; a changed batch, its own pages. The verify page shows no market data
    (listings, sale points): their changes are not this publisher's."""

    if isinstance(obj, StampBatch):
        forget([obj.pk])
        return
    if obj is not None and obj._meta.app_label == "market":
        return
    ids = set(product_ids)
    if isinstance(obj, Certificate):
        _certificate_changed(obj)
        ids.discard(obj.product_id)
    ids = sorted(ids)
    for start in range(0, len(ids), 900):  # values per IN (...) query, below SQLite's oldest limit
        _products_changed(ids[start : start + 900])
