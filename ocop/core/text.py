"""Folding Vietnamese text for search: "Kẹo Dừa Bến Tre" -> "keo dua ben tre"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]", re.UNICODE)

UNIT_PREFIXES = (
    "thanh pho truc thuoc trung uong",
    "thanh pho",
    "tinh",
    "huyen",
    "thi xa",
    "quan",
    "xa",
    "phuong",
    "thi tran",
    "dac khu",
    "tp.",
    "tp",
)


def fold(text):
    """Lower case, no diacritics, đ -> d, punctuation to spaces, single spaces."""
    if not text:
        return ""
    text = str(text).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = _NON_WORD.sub(" ", text.lower())
    return _SPACES.sub(" ", text).strip()


def fold_unit_name(name):
    """Fold an administrative unit's name and drop its kind prefix ("Xã Tân Hòa" -> "tan hoa")."""
    folded = fold(name)
    for prefix in sorted(UNIT_PREFIXES, key=len, reverse=True):
        prefix = fold(prefix)
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :]
    return folded


def search_words(query, max_words=8):
    """Folded words of a search query, bounded so a long query cannot make a slow one."""
    return fold(query)[:200].split()[:max_words]
