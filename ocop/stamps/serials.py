"""Stamp serials: batch and index plus a truncated HMAC, so no row per stamp and no database hit for a
forged or mistyped serial.

Layout (95 bits, 19 Crockford base-32 characters, no I/L/O/U so it can be typed from the label):

    key id (5 bits) | batch id (30 bits) | index (20 bits)  -> 11 characters
    HMAC-SHA256(key, those 7 bytes), first 40 bits           -> 8 characters

The key id selects the key in settings.STAMP_KEYS, so keys rotate: new batches take STAMP_KEY_ID,
old batches keep verifying while their key stays listed.
"""

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_VALUE.update({"I": 1, "L": 1, "O": 0})  # what people mistype when copying from a label
SERIAL_LENGTH = 19
MAX_BATCH_ID = (1 << 30) - 1
MAX_QUANTITY = 1 << 20  # indexes 0 .. 1,048,575; batches are capped at 1,000,000
MAX_KEY_ID = 31


@dataclass(frozen=True)
class Serial:
    key_id: int
    batch_id: int
    index: int
    text: str


@lru_cache(maxsize=64)
def _mac_base(key_id):
    keys = settings.STAMP_KEYS
    key = keys.get(str(key_id))
    if key is None:
        return None
    return hmac.new(key.encode(), digestmod=hashlib.sha256)


def current_key_id():
    key_id = int(settings.STAMP_KEY_ID)
    if not 0 <= key_id <= MAX_KEY_ID:
        raise ValueError("STAMP_KEY_ID must be an integer from 0 to 31")
    return key_id


def _encode(number, width):
    chars = []
    for _ in range(width):
        chars.append(ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def _mac(base, payload_bytes):
    mac = base.copy()
    mac.update(payload_bytes)
    return int.from_bytes(mac.digest()[:5], "big")


def make_serial(batch_id, index, key_id=None):
    key_id = current_key_id() if key_id is None else key_id
    base = _mac_base(key_id)
    if base is None:
        raise ValueError(f"no stamp key with id {key_id}")
    payload = (key_id << 50) | (batch_id << 20) | index
    return _encode(payload, 11) + _encode(_mac(base, payload.to_bytes(7, "big")), 8)


_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]  # 10 bits -> 2 characters


def serial_range(batch_id, start, stop, key_id):
    """Yield the serials of indexes start..stop-1 quickly (the print file of a million stamps).

    The index is exactly the last 4 characters of the payload, so the 7 characters before it are
    the same for the whole batch; the rest is table lookups."""
    base = _mac_base(key_id)
    if base is None:
        raise ValueError(f"no stamp key with id {key_id}")
    head = (key_id << 50) | (batch_id << 20)
    prefix = _encode(head >> 20, 7)
    pairs = _PAIRS
    digest_copy = base.copy
    from_bytes = int.from_bytes
    for index in range(start, stop):
        mac = digest_copy()
        mac.update((head | index).to_bytes(7, "big"))
        tag = from_bytes(mac.digest()[:5], "big")
        yield (
            prefix
            + pairs[index >> 10]
            + pairs[index & 1023]
            + pairs[tag >> 30]
            + pairs[(tag >> 20) & 1023]
            + pairs[(tag >> 10) & 1023]
            + pairs[tag & 1023]
        )


def normalise(text):
    """Upper case, without spaces or hyphens; O→0, I/L→1."""
    return "".join(text.split()).replace("-", "").upper()


def parse_serial(text):
    """A `Serial` if `text` is a genuine serial under a known key, else None. Pure computation."""
    if not text or len(text) > 40:
        return None
    text = normalise(text)
    if len(text) != SERIAL_LENGTH:
        return None
    value = 0
    for ch in text:
        digit = _VALUE.get(ch)
        if digit is None:
            return None
        value = (value << 5) | digit
    payload, tag = value >> 40, value & ((1 << 40) - 1)
    key_id, batch_id, index = payload >> 50, (payload >> 20) & MAX_BATCH_ID, payload & (MAX_QUANTITY - 1)
    base = _mac_base(key_id)
    if base is None or batch_id == 0:
        return None
    if not hmac.compare_digest(
        _mac(base, payload.to_bytes(7, "big")).to_bytes(5, "big"), tag.to_bytes(5, "big")
    ):
        return None
    canonical = _encode(payload, 11) + _encode(tag, 8)
    return Serial(key_id=key_id, batch_id=batch_id, index=index, text=canonical)


def looks_like_serial(text):
    text = normalise(text or "")
    return len(text) == SERIAL_LENGTH and all(ch in _VALUE for ch in text)


def grouped(serial):
    """For printing and typing: ABCD EFGH JKMN PQRS TVW."""
    return " ".join(serial[i : i + 4] for i in range(0, len(serial), 4))
