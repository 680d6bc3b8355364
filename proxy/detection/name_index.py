"""Real-world first names and surnames of about 80 countries, with how common each is as a
word.

The index (`data/names.tsv.gz`: 281,000 entries, of which 200,000 names, 0.9 MB) is derived
by `scripts/build_name_index.py` from sources of clean provenance (`data/README.md` gives
each one's licence): Faker's person lists of 83 locales, the US Census Bureau's surnames and
the Social Security Administration's first names (public domain), INSEE's French first
names and surnames, and wordfreq (whether a name is also a common word of English, French,
German, Spanish or Italian). No leaked or scraped personal data. Loaded once per worker:
about 0.3 s and 25 MB.

It answers two questions for `people.py`, per language of the text:
- `is_first_name`: "Oskar", "Bjørn", "Siobhan", "Ayşe", "Priya", "Rémi" are first names, in
  any language; "Will" is none (a word of English, which every language's texts hold);
  "Bitte" never is;
- `is_surname`: "Nguyen", "Kowalski", "Papadopoulos", "Dubois", "Müller"; "Kunde" is one
  in English text, not in German, where it is a word ("customer").
A name is never taken for a word of English either: English words appear in texts of every
language ("Team", "Love").

A word the index lacks is looked up again without its accents ("Ayşe" as "ayse", "Łukasz"
as "lukasz"): the index holds every Latin name without them too, and some sources (the US
ones) write names without accents only.
"""

from __future__ import annotations

import gzip
import unicodedata
from enum import IntFlag
from functools import cache
from pathlib import Path

INDEX_PATH = Path(__file__).parent / "data" / "names.tsv.gz"


class Flag(IntFlag):
    """The bits of the index (as `scripts/build_name_index.py` writes them)."""

    FIRST = 1
    SURNAME = 2
    COMMON_EN = 4
    COMMON_FR = 8
    COMMON_DE = 16
    COMMON_ES = 32
    COMMON_IT = 64


# The bits as plain ints, for the lookups of every word: an operation on `Flag` members
# makes a new member through the enum machinery (~0.5 µs, more than the lookup; issue 13).
_FIRST, _SURNAME, _COMMON_EN = int(Flag.FIRST), int(Flag.SURNAME), int(Flag.COMMON_EN)
_NAME = _FIRST | _SURNAME
COMMON_IN: dict[str, int] = {
    "en": int(Flag.COMMON_EN),
    "fr": int(Flag.COMMON_FR),
    "de": int(Flag.COMMON_DE),
    "es": int(Flag.COMMON_ES),
    "it": int(Flag.COMMON_IT),
}
COMMON_ANYWHERE = int(
    Flag.COMMON_EN | Flag.COMMON_FR | Flag.COMMON_DE | Flag.COMMON_ES | Flag.COMMON_IT
)


@cache
def index() -> dict[str, int]:
    """Case-folded name -> `Flag` bits (loaded on first use, then kept)."""
    table: dict[str, int] = {}
    with gzip.open(INDEX_PATH, "rt", encoding="utf-8") as lines:
        for line in lines:
            name, _, bits = line.rstrip("\n").partition("\t")
            table[name] = int(bits, 16)
    return table


# Latin letters that Unicode does not decompose into a base letter and an accent (the build
# script strips accents with this table too).
UNDECOMPOSED = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "\u0131": "i", "ŀ": "l", "ß": "ss", "æ": "ae",
     "œ": "oe", "þ": "th", "ð": "d"}
)  # fmt: skip


def without_accents(folded: str) -> str:
    """A case-folded word without its accents ("jürgen" -> "jurgen", "łukasz" -> "lukasz")."""
    if folded.isascii():
        return folded  # nothing to strip, nor to decompose: most words, at once (issue 13)
    return "".join(
        letter
        for letter in unicodedata.normalize("NFKD", folded.translate(UNDECOMPOSED))
        if not unicodedata.combining(letter)
    )


def flags(word: str) -> int:
    """The `Flag` bits of `word`, or of its spelling without accents if only that is listed;
    the name bits of both when both are. An unlisted compound of two or three first names
    is a first name ("Jeanne-Victoire", "Anne-Sophie"), and no common word; not a compound
    of surnames, since brands and towns are ("Rolls-Royce", "Coca-Cola", "Baden-Baden")."""
    bits = _listed_flags(word)
    if bits or "-" not in word:
        return bits
    parts = word.split("-")
    if not 2 <= len(parts) <= 3 or any(len(part) < 2 for part in parts):
        return 0
    return _FIRST if all(_listed_flags(part) & _FIRST for part in parts) else 0


def _listed_flags(word: str) -> int:
    table = index()
    folded = word.casefold()
    bits = table.get(folded)
    if folded.isascii():
        return bits or 0
    plain = without_accents(folded)
    if plain == folded or not plain.isascii():
        return bits or 0
    if bits is None:
        return table.get(plain, 0)
    if bits & COMMON_ANYWHERE:
        return bits  # "señora" is a word, whatever "senora" is
    # Both spellings listed (the Turkish spelling of "Yildiz", with dotless i, a first name;
    # "Yildiz" a surname too) and the word as written is no common word: a name in either
    # spelling is a name.
    return bits | (table.get(plain, 0) & _NAME)


def _common(bits: int, language: str) -> bool:
    # A language outside the five: its own commonness is unknown, English's is checked.
    return bool(bits & (_COMMON_EN | COMMON_IN.get(language, _COMMON_EN)))


def is_first_name(word: str, language: str) -> bool:
    """A first name somewhere, and not a common word of `language` or of English."""
    bits = flags(word)
    return bool(bits & _FIRST) and not _common(bits, language)


def is_surname(word: str, language: str) -> bool:
    """A surname somewhere, and not a common word of `language` or of English."""
    bits = flags(word)
    return bool(bits & _SURNAME) and not _common(bits, language)


def is_name(word: str, language: str) -> bool:
    return is_first_name(word, language) or is_surname(word, language)


def is_unambiguous_first_name(word: str) -> bool:
    """A first name that is a common word in none of the five languages: safe to recognise
    even written in lower case ("hey jürgen", "slt c chloé")."""
    bits = flags(word)
    return bool(bits & _FIRST) and not bits & COMMON_ANYWHERE
