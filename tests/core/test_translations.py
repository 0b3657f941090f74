"""Every area's Vietnamese catalog is complete: no empty and no fuzzy entries."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

CATALOGS = sorted(Path(__file__).resolve().parents[2].glob("ocop/*/locale/vi/LC_MESSAGES/django.po"))


def untranslated(path):
    blocks = path.read_text(encoding="utf-8").strip().split("\n\n")[1:]
    bad = []
    for block in blocks:
        msgid = re.search(r'^msgid "(.*)"', block, re.M)
        if "#, fuzzy" in block or re.search(r'^msgstr(\[0\])? ""\n?(?!")', block + "\n", re.M):
            bad.append(msgid.group(1) if msgid else block[:60])
    return bad


def test_catalogs_exist():
    assert {p.parts[-5] for p in CATALOGS} >= {"core", "accounts"}


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: p.parts[-5])
def test_catalog_is_fully_translated(catalog):
    assert untranslated(catalog) == []
