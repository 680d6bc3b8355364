"""Which part a pooled value belongs to, and the keys values are compared by.

Pools (first names, surnames, cities, streets, countries, products, …) are cut in two by a
hash of each entry, so an entry belongs to the tuning part or to the holdout part, never to
both, whatever seed draws from them. Values built from random digits (identifiers, phones,
dates) cannot be cut this way: the generator draws them with each part's own seed and then
drops any holdout text holding a value already used in the tuning part (`value_keys`).
This module imports neither Faker nor the templates: the corpus test uses it too.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
import urllib.parse

PARTS = ("tuning", "holdout_v2")

_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u2064\ufeff\x00-\x08\x0b-\x1f\x7f]"
)
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "\u0131": "i",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "œ": "oe",
        "Œ": "OE",
    }
)


def ascii_fold(text: str) -> str:
    """`Jürgen Ødegård` -> `Jurgen Odegard` (for e-mail addresses, URLs and keys)."""
    text = text.translate(_FOLD)
    return (
        "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        .encode("ascii", "ignore")
        .decode()
    )


def part_of(entry: str) -> str:
    """The part a pool entry belongs to: a stable hash of its folded spelling."""
    key = ascii_fold(entry).casefold().strip()
    digest = hashlib.sha256(key.encode()).digest()
    return PARTS[digest[0] % 2]


def canonical(value: str) -> str:
    """A labelled value with its disguise removed: entities and percent-escapes decoded,
    full-width forms folded, invisible characters dropped, then letters and digits only,
    case-folded. Two spellings of one value ("06 12 34 56 78", "0612345678") share a key."""
    text = urllib.parse.unquote(html.unescape(value))
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return "".join(c for c in ascii_fold(text).casefold() if c.isalnum())


def value_keys(value: str, entity_type: str) -> set[str]:
    """Every key under which a value counts as "the same" across the parts."""
    key = canonical(value)
    keys = {f"{entity_type}:{key}"}
    if entity_type == "PHONE_NUMBER":
        digits = "".join(c for c in key if c.isdigit())
        keys.add(f"PHONE_NUMBER:~{digits[-8:]}")
    if entity_type == "PERSON":
        keys = {f"PERSON:{key}"}
    return keys
