"""Minting surrogates for the `fake` action: a plausible value of the same type and locale
instead of a placeholder.

The provider sees "Paul Martin" where the app wrote "Jean Dupont", and the answer gets
"Jean Dupont" back (`proxy.surrogates` finds the surrogates in it). The decisions:

1. **Deterministic per app and value, never from the value alone.** Each surrogate is drawn
   from a generator seeded with the keyed hash placeholders use (HMAC-SHA256 under the app's
   secret, `proxy.placeholders.keyed_digest`) of the type, the value and an attempt counter:
   the same value gets the same surrogate in every message of a request and in every turn of
   a conversation, and nobody without the secret can tell which value a surrogate stands for
   by trying values.
2. **Never a real value, never shared.** A surrogate is rejected, and the next attempt drawn,
   if any of its forms (`proxy.surrogates.form_keys`) occurs as a whole word in the request's
   own texts, or is already another value's: so no surrogate can be confused with data of
   the request, and each form found in an answer names one value. After
   `MAX_ATTEMPTS`, or for a value no generator can reproduce plausibly (a nationality, "next
   Tuesday"), the value gets a placeholder instead: never a weaker replacement.
3. **Same type, locale and layout.** Names keep the language and gender of the original
   first name (looked up in Faker's lists) and their shape (title, particles, capitals,
   hyphens); phones keep their country, line type and layout; IBANs, cards and national
   identifiers keep their country and layout and get valid check digits (`python-stdnum`);
   e-mail addresses go to the reserved domains of RFC 2606; dates move by a few weeks in
   their own format (a weekday becomes another); places and addresses come from the
   text's locale.
4. **Names are faked part by part**, each part (first name, surname) deterministically and
   consistently within the request: "Jean Dupont" -> "Paul Martin", "Dupont" alone ->
   "Martin", "jean.dupont@orange.fr" -> "paul.martin@example.org". The provider sees one
   person, and each part is itself a surrogate, so "Martin" alone in an answer goes back to
   "Dupont".

Faker (MIT, maintained, data for 80+ locales; already pinned for the test corpus) provides
the locale data; `python-stdnum` the check digits; `phonenumbers` (Presidio's own dependency)
the numbering plans.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import re
import string
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import phonenumbers
from faker import Faker
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.eu import vat as eu_vat
from stdnum.fr import nir, siren, siret

from proxy.detection import name_index
from proxy.placeholders import keyed_digest
from proxy.surrogates import SEPARATORS, form_keys, is_word_char

MAX_ATTEMPTS = 40
_DRAWS = 400  # draws per attempt for values that must pass a validator

# The text's language -> the locale of its places, addresses and companies; and the
# preferred order in which names are looked up (a name's own locale wins).
LOCALES = {
    "fr": "fr_FR",
    "en": "en_US",
    "de": "de_DE",
    "es": "es_ES",
    "it": "it_IT",
    "nl": "nl_NL",
    "pt": "pt_PT",
    "pl": "pl_PL",
}
NAME_LOCALES = ("fr_FR", "en_US", "en_GB", "de_DE", "es_ES", "it_IT", "nl_NL", "pt_PT", "pl_PL")
# Where a phone number without a country code is read from, by the text's language.
PHONE_REGIONS = {"fr": "FR", "en": "US", "de": "DE", "es": "ES", "it": "IT", "nl": "NL"}
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")  # RFC 2606

# Words of a name that are not a name: kept as written.
_KEPT_IN_NAMES = frozenset(
    {
        "m", "mr", "mrs", "ms", "mme", "mlle", "dr", "pr", "prof", "me", "herr", "frau", "sr",
        "sra", "dott", "sig", "de", "du", "des", "la", "le", "van", "von", "der", "den", "di",
        "da", "del", "della", "dos", "das", "y", "e",
    }
)  # fmt: skip
_NAME_WORD = re.compile("[^\\W\\d_]+(?:['\u2019][^\\W\\d_]+)*")


# --- name lists ----------------------------------------------------------------------------


# A name locale -> the Faker locales whose lists it draws from (a larger pool makes a
# collision, and so a second draw, rarer).
NAME_POOLS = {
    "fr_FR": ("fr_FR", "fr_BE", "fr_CH", "fr_CA"),
    "en_US": ("en_US", "en_GB"),
    "en_GB": ("en_GB", "en_US"),
    "de_DE": ("de_DE", "de_AT", "de_CH"),
    "es_ES": ("es_ES", "es_MX"),
}


@dataclass(frozen=True)
class NameLists:
    male: tuple[str, ...]
    female: tuple[str, ...]
    surnames: tuple[str, ...]
    # Languages whose surnames have a gender (Polish: Kowalski, Kowalska).
    surnames_male: tuple[str, ...] = ()
    surnames_female: tuple[str, ...] = ()


def _usable(name: str) -> bool:
    """A name that can stand for another: a plain word, no everyday word of any language."""
    return (
        len(name) >= 3
        and _NAME_WORD.fullmatch(name) is not None
        and not name_index.flags(name) & name_index.COMMON_ANYWHERE
    )


def _names(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({name for name in values if _usable(name)}))


def _provider(kind: str, locale: str) -> Any:
    """Faker's provider class of `kind` for `locale` (its lists are class attributes)."""
    return importlib.import_module(f"faker.providers.{kind}.{locale}").Provider


@cache
def name_lists(locale: str) -> NameLists:
    providers = [_provider("person", name) for name in NAME_POOLS.get(locale, (locale,))]

    def pooled(attribute: str) -> tuple[str, ...]:
        return _names(name for p in providers for name in getattr(p, attribute, ()))

    return NameLists(
        pooled("first_names_male"),
        pooled("first_names_female"),
        pooled("last_names"),
        pooled("last_names_male"),
        pooled("last_names_female"),
    )


@dataclass(frozen=True)
class NameFacts:
    """What Faker's lists say about a name word: locales where it is a first name (with its
    gender there) or a surname."""

    first: dict[str, str]  # locale -> "male" | "female"
    surname: frozenset[str]


@cache
def _name_table() -> dict[str, NameFacts]:
    first: dict[str, dict[str, str]] = {}
    surname: dict[str, set[str]] = {}
    for locale in NAME_LOCALES:
        provider = _provider("person", locale)
        for gender, names in (
            ("male", provider.first_names_male),
            ("female", provider.first_names_female),
        ):
            for name in names:
                first.setdefault(_fold(name), {}).setdefault(locale, gender)
        for attribute in ("last_names", "last_names_male", "last_names_female"):
            for name in getattr(provider, attribute, ()):
                surname.setdefault(_fold(name), set()).add(locale)
    return {
        word: NameFacts(first.get(word, {}), frozenset(surname.get(word, ())))
        for word in {*first, *surname}
    }


def _fold(word: str) -> str:
    return name_index.without_accents(word.casefold())


def name_facts(word: str) -> NameFacts:
    return _name_table().get(_fold(word), NameFacts({}, frozenset()))


# --- the generators --------------------------------------------------------------------------


_FAKERS: dict[str, Faker] = {}
_FAKER_LOCK = threading.Lock()


def _faker(locale: str, seed: int) -> Faker:
    """The locale's Faker, seeded; callers hold `_FAKER_LOCK` while they draw from it."""
    fake = _FAKERS.get(locale)
    if fake is None:
        fake = _FAKERS[locale] = Faker(locale)
    fake.seed_instance(seed)
    return fake


@dataclass
class Draw:
    """One attempt at a surrogate for `value`: a seeded generator, the text's language, and
    the request's name parts (`SurrogateBook.part`)."""

    value: str
    language: str
    rng: random.Random
    part: Callable[[str, str, str | None, str], str | None]
    # A part already faked in this request, spelt without its accents ("lefevre" for
    # "Lefèvre"): an e-mail address follows the name it is made of.
    known_part: Callable[[str, str], str | None]

    @property
    def locale(self) -> str:
        return LOCALES.get(self.language, "en_US")

    def faker(self, fn: Callable[[Faker], str], locale: str | None = None) -> str:
        with _FAKER_LOCK:
            return fn(_faker(locale or self.locale, self.rng.getrandbits(64)))


Generator = Callable[[Draw], "str | None"]


def _like(value: str, surrogate: str) -> str:
    """`surrogate` in the case of `value` when `value` is all capitals or all small letters."""
    if value.isupper():
        return surrogate.upper()
    if value.islower():
        return surrogate.lower()
    return surrogate


def _shape(rng: random.Random, value: str, keep: int = 0) -> str:
    """`value` with each letter and digit after the first `keep` replaced by a random one of
    the same kind and case; separators kept."""
    out = []
    for index, char in enumerate(value):
        if index < keep or not char.isascii():  # accented letters stay: the shape is ASCII
            out.append(char)
        elif char.isdigit():
            out.append(rng.choice(string.digits))
        elif char.isupper():
            out.append(rng.choice(string.ascii_uppercase))
        elif char.islower():
            out.append(rng.choice(string.ascii_lowercase))
        else:
            out.append(char)
    return "".join(out)


def _into_layout(layout: str, chars: str) -> str:
    """`chars` written in the layout of `layout` (its separators where they were)."""
    it = iter(chars)
    return "".join(next(it) if (c.isalnum()) else c for c in layout)


def person(draw: Draw) -> str | None:
    """Part by part (decision 4): titles and particles kept, the surname where capitals or
    the last place say, the gender of the first first name."""
    pieces = re.split(r"(\s+|-)", draw.value)
    words = [
        i
        for i, piece in enumerate(pieces)
        if len(piece) > 1 and _NAME_WORD.fullmatch(piece) and piece.casefold() not in _KEPT_IN_NAMES
    ]
    if not words:
        return None
    roles = _roles([pieces[i] for i in words])
    gender = next(
        (
            _gender(pieces[i], draw.language)
            for i, role in zip(words, roles, strict=True)
            if role == "first"
        ),
        None,
    )
    for i, role in zip(words, roles, strict=True):
        made = draw.part(role, pieces[i], gender, draw.language)
        if made is None:
            return None
        pieces[i] = _like(pieces[i], made)
    for i, piece in enumerate(pieces):  # an initial ("J.") gets another letter
        if re.fullmatch(r"[A-Z]\.?", piece):
            pieces[i] = draw.rng.choice("ABCDEFGHJKLMNPRSTV") + piece[1:]
    return "".join(pieces)


def _roles(words: Sequence[str]) -> list[str]:
    """'first' or 'surname' for each name word of one name."""
    if len(words) == 1:
        facts = name_facts(words[0])
        return ["first" if facts.first and not facts.surname else "surname"]
    capitals = [w.isupper() and len(w) > 1 for w in words]
    if any(capitals) and not all(capitals):  # "DUPONT Jean", "Jean DUPONT"
        return ["surname" if cap else "first" for cap in capitals]
    return ["first"] * (len(words) - 1) + ["surname"]


def _gender(word: str, language: str) -> str | None:
    facts = name_facts(word)
    preferred = LOCALES.get(language)
    if preferred in facts.first:
        return facts.first[preferred]
    genders = set(facts.first.values())
    return genders.pop() if len(genders) == 1 else None


def name_locale(role: str, word: str, language: str) -> str:
    """The locale a name word comes from: the text's, if its lists have it, else the first
    that does, else the text's."""
    facts = name_facts(word)
    found = set(facts.first) if role == "first" else set(facts.surname)
    preferred = LOCALES.get(language, "en_US")
    if preferred in found or not found:
        return preferred if preferred in NAME_LOCALES else "en_US"
    return next(locale for locale in NAME_LOCALES if locale in found)


def name_part(rng: random.Random, role: str, gender: str | None, locale: str) -> str:
    lists = name_lists(locale)
    if role == "surname":
        pool = lists.surnames
        if gender == "male" and lists.surnames_male:
            pool = lists.surnames_male
        elif gender == "female" and lists.surnames_female:
            pool = lists.surnames_female
        elif not pool:
            pool = lists.surnames_male + lists.surnames_female
    elif gender == "male":
        pool = lists.male
    elif gender == "female":
        pool = lists.female
    else:
        pool = lists.male + lists.female
    return rng.choice(pool)


def email(draw: Draw) -> str | None:
    local, at, _ = draw.value.rpartition("@")
    if not at or not local:
        return None
    pieces = re.split(r"([._+-])", local)
    names = [i for i, piece in enumerate(pieces) if piece.isalpha()]
    if names and all(name_facts(pieces[i]).first or name_facts(pieces[i]).surname for i in names):
        roles = _roles([pieces[i] for i in names])
        gender = next(
            (_gender(pieces[i], draw.language) for i, r in zip(names, roles, strict=True)
             if r == "first"),
            None,
        )  # fmt: skip
        for i, role in zip(names, roles, strict=True):
            made = draw.known_part(role, pieces[i]) or draw.part(
                role, pieces[i].capitalize(), gender, draw.language
            )
            if made is None:
                return None
            pieces[i] = _like(pieces[i], made) if not pieces[i].islower() else made.lower()
        pieces = [_shape(draw.rng, p) if p.isdigit() else p for p in pieces]
        new_local = "".join(pieces)
        new_local = unicodedata.normalize("NFKD", new_local).encode("ascii", "ignore").decode()
    else:
        new_local = draw.faker(lambda f: f.user_name())
    return _like(draw.value, f"{new_local}@{draw.rng.choice(RESERVED_DOMAINS)}")


def phone(draw: Draw) -> str | None:
    """Same country, same kind of line, same layout; the last digits drawn until the
    numbering plan says the number is valid."""
    digits = [c for c in draw.value if c.isdigit()]
    region = PHONE_REGIONS.get(draw.language, "US")
    try:
        parsed = phonenumbers.parse(draw.value, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        return _shape(draw.rng, draw.value, keep=_leading(draw.value, 3))
    national = phonenumbers.national_significant_number(parsed)
    keep = 3 if parsed.country_code == 1 else 1
    free = min(len(national) - keep, len(digits))
    kind = phonenumbers.number_type(parsed)
    for _ in range(_DRAWS):
        new = digits[: len(digits) - free] + [draw.rng.choice(string.digits) for _ in range(free)]
        candidate = _into_layout_digits(draw.value, new)
        try:
            again = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(again) and phonenumbers.number_type(again) == kind:
            return candidate
    return None


def _leading(value: str, digits: int) -> int:
    """The index just after the first `digits` digits of `value`."""
    seen = 0
    for index, char in enumerate(value):
        seen += char.isdigit()
        if seen == digits:
            return index + 1
    return len(value)


def _into_layout_digits(layout: str, digits: Sequence[str]) -> str:
    it = iter(digits)
    return "".join(next(it) if c.isdigit() else c for c in layout)


def _significant(value: str) -> str:
    return "".join(c for c in value if c.isalnum()).upper()


def _rib_key(bban: str) -> str:
    """The French RIB key (the last two digits of a French BBAN)."""
    table = str.maketrans(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789"
    )  # letters as the banks' conversion table reads them
    numeric = bban[:21].translate(table)
    bank, branch, account = int(numeric[:5]), int(numeric[5:10]), int(numeric[10:21])
    return f"{97 - (89 * bank + 15 * branch + 3 * account) % 97:02d}"


def iban(draw: Draw) -> str | None:
    compact = _significant(draw.value)
    country = compact[:2]
    if not country.isalpha() or len(compact) < 8:
        return None
    for _ in range(_DRAWS):
        bban = _shape(draw.rng, compact[4:])
        if country in ("FR", "MC") and len(bban) == 23:
            bban = bban[:21] + _rib_key(bban)
        number = country + "00" + bban
        number = country + std_iban.calc_check_digits(number) + bban
        if std_iban.is_valid(number):
            return _into_layout(draw.value, number.lower() if draw.value.islower() else number)
    return None


def credit_card(draw: Draw) -> str | None:
    """The same brand (first two digits) and length; the Luhn check digit computed."""
    digits = [c for c in draw.value if c.isdigit()]
    if len(digits) < 12:
        return None
    body = "".join(digits[:2]) + "".join(draw.rng.choice(string.digits) for _ in digits[2:-1])
    return _into_layout_digits(draw.value, body + luhn.calc_check_digit(body))


def fr_nir(draw: Draw) -> str | None:
    """Same sex (first digit); a birth year, month, department and commune drawn; the key."""
    digits = [c for c in draw.value if c.isdigit()]
    if len(digits) != 15 or digits[0] not in "12":
        return None
    rng = draw.rng
    department = rng.choice([d for d in range(1, 96) if d != 20])
    body = (
        f"{digits[0]}{rng.randrange(100):02d}{rng.randrange(1, 13):02d}{department:02d}"
        f"{rng.randrange(1, 900):03d}{rng.randrange(1, 1000):03d}"
    )
    number = body + f"{97 - int(body) % 97:02d}"
    return _into_layout_digits(draw.value, list(number)) if nir.is_valid(number) else None


def fr_siren(draw: Draw) -> str | None:
    body = "".join(draw.rng.choice(string.digits) for _ in range(8))
    number = body + luhn.calc_check_digit(body)
    digits = [c for c in draw.value if c.isdigit()]
    if len(digits) != 9 or not siren.is_valid(number):
        return None
    return _into_layout_digits(draw.value, list(number))


def fr_siret(draw: Draw) -> str | None:
    digits = [c for c in draw.value if c.isdigit()]
    if len(digits) != 14:
        return None
    for _ in range(_DRAWS):
        head = "".join(draw.rng.choice(string.digits) for _ in range(8))
        number_siren = head + luhn.calc_check_digit(head)
        body = number_siren + "".join(draw.rng.choice(string.digits) for _ in range(4))
        number = body + luhn.calc_check_digit(body)
        if siret.is_valid(number) and number[:9] != "356000000":
            return _into_layout_digits(draw.value, list(number))
    return None


def _check_digit_variants(rng: random.Random, value: str, keep: int) -> Iterable[str]:
    """Random values of `value`'s shape (the first `keep` characters kept), each with every
    possible last character: what a validator picks from."""
    for _ in range(_DRAWS):
        base = _shape(rng, value, keep)
        last = max(i for i, c in enumerate(base) if c.isalnum())
        pool = string.digits if base[last].isdigit() else string.ascii_uppercase
        if base[last].islower():
            pool = string.ascii_lowercase
        for char in pool:
            yield base[:last] + char + base[last + 1 :]


def validated(validator: Callable[[str], bool], keep: int = 0) -> Generator:
    """A generator for an identifier with check digits that `python-stdnum` validates: the
    value's shape, drawn until valid (decision 3)."""

    def generate(draw: Draw) -> str | None:
        if not validator(draw.value):
            # The original itself is not valid (found by its label): another of its shape.
            return _shape(draw.rng, draw.value, keep)
        for candidate in _check_digit_variants(draw.rng, draw.value, keep):
            if validator(candidate) and _significant(candidate) != _significant(draw.value):
                return candidate
        return None

    return generate


def eu_vat_number(draw: Draw) -> str | None:
    keep = 2 if draw.value[:2].isalpha() else 0
    if draw.value[:2].upper() == "FR" and len(_significant(draw.value)) == 13:
        number_siren = "".join(draw.rng.choice(string.digits) for _ in range(8))
        number_siren += luhn.calc_check_digit(number_siren)
        key = f"{(12 + 3 * (int(number_siren) % 97)) % 97:02d}"
        return _into_layout(draw.value, draw.value[:2] + key + number_siren)
    return validated(eu_vat.is_valid, keep)(draw)


def shape_only(draw: Draw) -> str | None:
    """Identifiers without check digits: another value of the same shape."""
    return _shape(draw.rng, draw.value)


# --- dates -----------------------------------------------------------------------------------

MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "de": ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "dezember"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"],
}  # fmt: skip
_NUMERIC_DATE = re.compile(r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})")


WEEKDAYS = {
    "en": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "de": ["montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "it": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
}
_WEEKDAYS = {
    name: (language, index) for language, names in WEEKDAYS.items()
    for index, name in enumerate(names)
}  # fmt: skip


def _like_word(value: str, word: str) -> str:
    """`word` in the case of `value`: capitals, a capital initial, or small letters."""
    if value.isupper():
        return word.upper()
    return word.capitalize() if value[:1].isupper() else word


def _month_names() -> dict[str, tuple[str, int, bool]]:
    """A month's name or three-letter abbreviation -> (language, month, abbreviated)."""
    table: dict[str, tuple[str, int, bool]] = {}
    for language, names in MONTHS.items():
        for index, name in enumerate(names, start=1):
            table.setdefault(name, (language, index, False))
            table.setdefault(name[:3], (language, index, True))
            plain = name_index.without_accents(name)
            table.setdefault(plain, (language, index, False))
    return table


_MONTH_NAMES = _month_names()


def _shifted(rng: random.Random, year: int, month: int, day: int) -> dt.date | None:
    try:
        original = dt.date(year, month, day)
    except ValueError:
        return None
    days = rng.choice([-1, 1]) * rng.randrange(3, 60)
    return original + dt.timedelta(days=days)


def _year(text: str, year: int) -> str:
    return f"{year % 100:02d}" if len(text) == 2 else f"{year:04d}"


def date(draw: Draw) -> str | None:
    """A date moved by 3 to 59 days, written as the original was (order, separators, zero
    padding, month names in their language and case); None for what is not a calendar date."""
    value = draw.value.strip()
    numeric = _NUMERIC_DATE.fullmatch(value)
    if numeric:
        return _numeric_date(draw, numeric)
    compact = re.fullmatch(r"(\d{1,2})([A-Za-z]{3})(\d{4})", value)  # 11MAR1981
    if compact:
        return _compact_date(draw, compact)
    weekday = _WEEKDAYS.get(value.casefold())
    if weekday is not None:  # "mardi" -> "jeudi", in the same language and case
        language, day = weekday
        names = WEEKDAYS[language]
        return _like_word(value, names[(day + draw.rng.randrange(1, 7)) % 7])
    if value.isdigit() and len(value) == 4:  # a year alone
        year = int(value) + draw.rng.choice([-2, -1, 1, 2])
        return draw.value.replace(value, str(year))
    return _word_date(draw, value)


def _compact_date(draw: Draw, compact: re.Match[str]) -> str | None:
    named = _MONTH_NAMES.get(compact.group(2).lower())
    if named is None:
        return None
    moved = _shifted(draw.rng, int(compact.group(3)), named[1], int(compact.group(1)))
    if moved is None:
        return None
    name = MONTHS[named[0]][moved.month - 1][:3]
    return f"{moved.day:0{len(compact.group(1))}d}{_like(compact.group(2), name)}{moved.year}"


def _numeric_date(draw: Draw, match: re.Match[str]) -> str | None:
    a, sep, b, c = match.group(1), match.group(2), match.group(3), match.group(4)
    if len(a) == 4:
        order = "ymd"
        year, month, day = int(a), int(b), int(c)
    else:
        order = "mdy" if draw.language == "en" and int(a) <= 12 < int(b) else "dmy"
        if draw.language == "en" and sep == "/" and int(b) <= 12 and int(a) <= 12:
            order = "mdy"
        year = int(c)
        if len(c) == 2:
            year += 1900 if year > 30 else 2000
        elif len(c) != 4:
            return None
        day, month = (int(a), int(b)) if order == "dmy" else (int(b), int(a))
    moved = _shifted(draw.rng, year, month, day)
    if moved is None:
        return None
    parts = {"y": moved.year, "m": moved.month, "d": moved.day}
    out = []
    for key, text in zip(order, (a, b, c), strict=True):
        number = parts[key]
        out.append(_year(text, number) if key == "y" else f"{number:0{len(text)}d}")
    rendered = sep.join(out)
    return draw.value.replace(match.group(), rendered)


def _ordinal(suffix: str | None, day: int) -> str:
    """The ordinal suffix of `day` in the language of `suffix` ("1er", "2nd"), or none."""
    if suffix is None:
        return ""
    if suffix == "er":
        return "er" if day == 1 else ""
    if day % 10 in (1, 2, 3) and day not in (11, 12, 13):
        return ("st", "nd", "rd")[day % 10 - 1]
    return "th"


def _word_date(draw: Draw, value: str) -> str | None:
    tokens = re.findall(r"\d+|[^\W\d_]+", value)
    month_info = None
    month_word = ""
    for token in tokens:
        found = _MONTH_NAMES.get(token.lower().rstrip("."))
        if found is not None and not token.isdigit():
            month_info, month_word = found, token
            break
    numbers = [t for t in tokens if t.isdigit()]
    if month_info is None or not numbers:
        return None
    day_text = next((n for n in numbers if len(n) <= 2), None)
    year_text = next((n for n in numbers if len(n) == 4), None)
    if day_text is None:
        return None
    year = int(year_text) if year_text else 2001
    moved = _shifted(draw.rng, year, month_info[1], int(day_text))
    if moved is None:
        return None
    language, _, abbreviated = month_info
    name = MONTHS[language][moved.month - 1]
    if abbreviated:
        name = name[:3]
    if month_word[:1].isupper():
        name = name.upper() if month_word.isupper() and len(month_word) > 1 else name.capitalize()
    out = re.sub(rf"\b{re.escape(month_word)}\b", name, value, count=1)
    day = f"{moved.day:0{len(day_text)}d}"
    out = re.sub(rf"(?<!\d){day_text}(er|st|nd|rd|th)?(?!\d)", lambda m: day + _ordinal(
        m.group(1), moved.day), out, count=1)  # fmt: skip
    if year_text:
        out = re.sub(rf"(?<!\d){year_text}(?!\d)", f"{moved.year:04d}", out, count=1)
    return draw.value.replace(value, out)


# --- places, organisations, network ------------------------------------------------------------


@cache
def _countries(locale: str) -> frozenset[str]:
    try:
        provider = _provider("address", locale)
    except ImportError:
        return frozenset()
    return frozenset(country.casefold() for country in getattr(provider, "countries", ()))


def location(draw: Draw) -> str | None:
    """A country for a country (of the text's locale's list), else a town of the locale."""
    if draw.value.casefold() in _countries(draw.locale):
        return _like(draw.value, draw.faker(lambda f: f.country()))
    return _like(draw.value, draw.faker(lambda f: f.city()))


_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b")


def address(draw: Draw) -> str | None:
    """A street address of the locale; with its town and postcode if the value has them."""
    whole = re.search(r"\b\d{4,5}\b|[,\n]", draw.value) is not None
    locale = "en_GB" if _UK_POSTCODE.search(draw.value) else draw.locale
    lines = draw.faker(lambda f: f.address() if whole else f.street_address(), locale)
    parts = [line.strip() for line in lines.split("\n") if line.strip()]
    joiner = "\n" if "\n" in draw.value else ", "
    return _like(draw.value, joiner.join(parts))


def organization(draw: Draw) -> str | None:
    return _like(draw.value, draw.faker(lambda f: f.company()))


def ip_address(draw: Draw) -> str | None:
    """Documentation addresses: TEST-NET (RFC 5737) and 2001:db8::/32 (RFC 3849)."""
    if ":" in draw.value:
        groups = ":".join(f"{draw.rng.randrange(1, 0xFFFF):x}" for _ in range(4))
        return f"2001:db8:{groups}::{draw.rng.randrange(1, 0xFFFF):x}"
    net = draw.rng.choice(("192.0.2", "198.51.100", "203.0.113"))
    return f"{net}.{draw.rng.randrange(1, 255)}"


def url(draw: Draw) -> str | None:
    scheme = draw.value.split("://", 1)[0] if "://" in draw.value else "https"
    path = draw.faker(lambda f: f.uri_path(deep=2))
    return f"{scheme}://www.{draw.rng.choice(RESERVED_DOMAINS)}/{path}"


def _std(name: str) -> Callable[[str], bool]:
    """The `is_valid` of a `python-stdnum` module."""
    check: Callable[[str], bool] = importlib.import_module(f"stdnum.{name}").is_valid
    return check


def bic(draw: Draw) -> str | None:
    """Another bank (letters 1-4), branch and location, the country (letters 5-6) kept."""
    value = draw.value
    if len(value) not in (8, 11):
        return None
    for _ in range(_DRAWS):
        candidate = _shape(draw.rng, value[:4]) + value[4:6] + _shape(draw.rng, value[6:])
        if _std("bic")(candidate) and candidate != value:
            return candidate
    return None


# Entity type -> its generator. A type not listed gets another value of its shape
# (`shape_only`); a generator returning None means a placeholder (decision 2).
GENERATORS: dict[str, Generator] = {
    "PERSON": person,
    "EMAIL_ADDRESS": email,
    "PHONE_NUMBER": phone,
    "IBAN_CODE": iban,
    "CREDIT_CARD": credit_card,
    "FR_NIR": fr_nir,
    "FR_SIREN": fr_siren,
    "FR_SIRET": fr_siret,
    "EU_VAT": eu_vat_number,
    "DATE_TIME": date,
    "DATE_OF_BIRTH": date,
    "LOCATION": location,
    "ADDRESS": address,
    "ORGANIZATION": organization,
    "IP_ADDRESS": ip_address,
    "URL": url,
    "NRP": lambda draw: None,  # a nationality has no plausible stand-in that keeps meaning
    "BIC_CODE": bic,
    "DE_TAX_ID": validated(_std("de.idnr")),
    "ES_NIF": validated(_std("es.nif")),
    "ES_NIE": validated(_std("es.nie"), keep=1),
    "IT_FISCAL_CODE": validated(_std("it.codicefiscale")),
    "BE_NATIONAL_NUMBER": validated(_std("be.nn")),
    "CH_AHV": validated(_std("ch.ssn"), keep=3),
    "PL_PESEL": validated(_std("pl.pesel")),
    "SE_PERSONNUMMER": validated(_std("se.personnummer")),
    "FI_PERSONAL_IDENTITY_CODE": validated(_std("fi.hetu")),
    "US_SSN": validated(_std("us.ssn")),
    "US_ITIN": validated(_std("us.itin")),
    "ABA_ROUTING_NUMBER": validated(_std("us.rtn")),
    "UK_NHS": validated(_std("gb.nhs")),
    "CA_SIN": validated(_std("ca.sin")),
    "AU_TFN": validated(_std("au.tfn")),
    "AU_ABN": validated(_std("au.abn")),
    "AU_ACN": validated(_std("au.acn")),
    "IN_AADHAAR": validated(_std("in_.aadhaar")),
    "IN_PAN": validated(_std("in_.pan")),
    "TR_NATIONAL_ID": validated(_std("tr.tckimlik")),
    "KR_RRN": validated(_std("kr.rrn")),
    "ZA_ID_NUMBER": validated(_std("za.idnr")),
}


def generator_for(entity_type: str) -> Generator:
    return GENERATORS.get(entity_type, shape_only)


def aliases(entity_type: str, surrogate: str, value: str, language: str) -> list[tuple[str, str]]:
    """Other ways a model writes a surrogate, each with the value written the same way:
    restorable entries too (decision 4). A phone number in its national and international
    forms ("06 25 66 21 02", "+33 6 25 66 21 02"); a two-word name with its first name as an
    initial ("É. Perrin" -> "J. Dupont"), unless that reads as a title ("M.")."""
    if entity_type == "PHONE_NUMBER":
        region = PHONE_REGIONS.get(language, "US")
        try:
            fake_number = phonenumbers.parse(surrogate, region)
            real_number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return []
        if not phonenumbers.is_valid_number(real_number):
            return []
        formats = (
            phonenumbers.PhoneNumberFormat.INTERNATIONAL,
            phonenumbers.PhoneNumberFormat.NATIONAL,
        )
        pairs = [
            (phonenumbers.format_number(fake_number, f), phonenumbers.format_number(real_number, f))
            for f in formats
        ]
        return [(alias, original) for alias, original in pairs if alias != surrogate]
    if entity_type == "PERSON":
        fake_words, real_words = surrogate.split(), value.split()
        if (
            len(fake_words) == len(real_words) == 2
            and all(
                _NAME_WORD.fullmatch(w) and w.casefold() not in _KEPT_IN_NAMES
                for w in (*fake_words, *real_words)
            )
            and fake_words[0][0] != "M"  # "M. Perrin" is Monsieur Perrin: the surname alone
        ):
            return [
                (f"{fake_words[0][0]}. {fake_words[1]}", f"{real_words[0][0]}. {real_words[1]}")
            ]
    return []


def warm_up() -> None:
    """Load what the first surrogate would (Faker's lists and providers, the name index:
    about a second), so that no request pays for it on the event loop."""
    _name_table()
    for locale in NAME_LOCALES:
        name_lists(locale)
    for locale in LOCALES.values():
        with _FAKER_LOCK:
            _faker(locale, 0)


# --- one request's surrogates -------------------------------------------------------------------


def _normalised(entity_type: str, value: str) -> str:
    """What the seed reads of a value: its letters and digits in one case, so that
    "JEAN DUPONT" and "Jean Dupont" get the same surrogate (each in its own case)."""
    return " ".join(value.casefold().split())


@dataclass
class SurrogateBook:
    """The surrogates minted for one request: surrogate -> value (name parts included, see
    decision 4), the forms they claim, and the request's texts they must not occur in."""

    secret: bytes
    entries: dict[str, str] = field(default_factory=dict)
    _claims: dict[str, str] = field(default_factory=dict)  # form key -> folded value
    _parts: dict[tuple[str, str], str] = field(default_factory=dict)
    _real: list[str] = field(default_factory=list)  # the request's texts, case-folded
    _real_compact: list[str] = field(default_factory=list)

    def observe(self, texts: Iterable[str]) -> None:
        """Take the request's texts: no surrogate may occur in them (decision 2)."""
        for text in texts:
            folded = text.casefold()
            self._real.append(folded)
            self._real_compact.append("".join(c for c in folded if c.isalnum() or c == "+"))

    def mint(self, entity_type: str, value: str, language: str) -> str | None:
        """A surrogate for `value`, or None when it must get a placeholder."""
        make = generator_for(entity_type)
        for attempt in range(MAX_ATTEMPTS):
            rng = random.Random(self._seed("value", entity_type, value, attempt))  # noqa: S311 - plausibility, not secrecy: the seed is the keyed hash
            draw = Draw(value, language, rng, self.part, self.known_part)
            surrogate = make(draw)
            if surrogate is None:
                return None
            if self._free(surrogate, value):
                self._claim(surrogate, value)
                for alias, original in aliases(entity_type, surrogate, value, language):
                    if self._free(alias, original):
                        self._claim(alias, original)
                return surrogate
        return None

    def part(self, role: str, word: str, gender: str | None, language: str) -> str | None:
        """The surrogate of one name part, the same wherever the part occurs in the request
        (decision 4); itself an entry, so that it is restored alone."""
        key = (role, word.casefold())  # "André" and "Andre" are two values
        known = self._parts.get(key)
        if known is not None:
            return known
        locale = name_locale(role, word, language)
        written = word if not (word.isupper() or word.islower()) else word.capitalize()
        for attempt in range(MAX_ATTEMPTS):
            rng = random.Random(self._seed("part", role, key[1], attempt))  # noqa: S311 - see `mint`
            made = name_part(rng, role, gender, locale)
            if _fold(made) != _fold(word) and self._free(made, written):
                self._claim(made, written)
                self._parts[key] = made
                return made
        return None

    def known_part(self, role: str, word: str) -> str | None:
        """The surrogate of a part faked already whose spelling without accents is `word`'s."""
        folded = _fold(word)
        for (known_role, known_word), made in self._parts.items():
            if known_role == role and _fold(known_word) == folded:
                return made
        return None

    def _seed(self, kind: str, entity_type: str, value: str, attempt: int) -> int:
        digest = keyed_digest(
            self.secret, "voile/fake", kind, entity_type, _normalised(entity_type, value),
            str(attempt),
        )  # fmt: skip
        return int.from_bytes(digest[:16], "big")

    def _free(self, surrogate: str, value: str) -> bool:
        folded = value.casefold()
        for key in form_keys(surrogate):
            owner = self._claims.get(key)
            if owner is not None and owner != folded:
                return False
            if self._occurs(key):
                return False
        return True

    def _occurs(self, key: str) -> bool:
        """Whether a form key occurs in the request's texts as a whole word."""
        compact = all(c.isalnum() or c == "+" for c in key) and any(c.isdigit() for c in key)
        for text in self._real_compact if compact else self._real:
            start = text.find(key)
            while start != -1:
                end = start + len(key)
                before = start == 0 or not is_word_char(text[start - 1])
                after = end == len(text) or not is_word_char(text[end])
                if (before and after) or compact:
                    return True
                start = text.find(key, start + 1)
        return False

    def _claim(self, surrogate: str, value: str) -> None:
        for key in form_keys(surrogate):
            self._claims[key] = value.casefold()
        self.entries[surrogate] = value


__all__ = ["GENERATORS", "SEPARATORS", "SurrogateBook", "generator_for"]
