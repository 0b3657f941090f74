import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from ocop.stamps import serials
from ocop.stamps.printing import make_qr, qr_content
from ocop.stamps.serials import grouped, make_serial, parse_serial, serial_range

pytestmark = pytest.mark.unit


def _clear():
    serials._mac_base.cache_clear()


@given(batch=st.integers(1, serials.MAX_BATCH_ID), index=st.integers(0, 999_999))
def test_serial_round_trip(batch, index):
    text = make_serial(batch, index, 1)

    assert parse_serial(text) == serials.Serial(key_id=1, batch_id=batch, index=index, text=text)
    assert len(text) == 19


@given(
    batch=st.integers(1, 10_000),
    index=st.integers(0, 999_999),
    pos=st.integers(0, 18),
    ch=st.sampled_from(serials.ALPHABET),
)
def test_serial_any_changed_character_is_refused(batch, index, pos, ch):
    text = make_serial(batch, index, 1)
    forged = text[:pos] + ch + text[pos + 1 :]

    assert (parse_serial(forged) is None) == (forged != text)


def test_serial_typed_by_hand_is_accepted():
    text = make_serial(42, 7, 1)
    typed = grouped(text).lower().replace("1", "l").replace("0", "o")

    assert parse_serial(typed).text == text


def test_serial_range_matches_single_serials():
    assert list(serial_range(99, 1_000, 1_010, 1)) == [make_serial(99, i, 1) for i in range(1_000, 1_010)]


def test_key_rotation_old_batches_keep_verifying():
    _clear()
    with override_settings(STAMP_KEYS={"1": "old-key"}, STAMP_KEY_ID="1"):
        old = make_serial(5, 1)
    _clear()
    with override_settings(STAMP_KEYS={"1": "old-key", "2": "new-key"}, STAMP_KEY_ID="2"):
        new = make_serial(5, 1)
        assert [parse_serial(old).key_id, parse_serial(new).key_id] == [1, 2]
    _clear()
    with override_settings(STAMP_KEYS={"2": "new-key"}, STAMP_KEY_ID="2"):
        assert [parse_serial(old), parse_serial(new).key_id] == [None, 2]  # a retired key stops verifying
    _clear()


@pytest.mark.parametrize("gtin", ["", "8935000000019"])
@pytest.mark.parametrize("site", ["http://127.0.0.1:8000", "https://ocop.vinhlong.gov.vn"])
def test_qr_fits_version_4_at_ecc_m(site, gtin):
    with override_settings(SITE_URL=site):
        content = qr_content(make_serial(1_000_000, 999_999, 1), gtin)
        qr = make_qr(content)

    assert (qr.version <= 4, qr.error) == (True, "M")
    assert content.startswith(site.upper())
