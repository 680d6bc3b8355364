"""The values a template's slots are filled with, drawn from one part's pools with that
part's random generator: people (names of many cultures, their e-mail addresses, profile
URLs, birth dates), addresses in each country's postal format, phone numbers valid for their
region, identifiers with valid check digits, and the unlabelled business words around them.
"""

from __future__ import annotations

import datetime
import random
import re
import string
import warnings
from dataclasses import dataclass

import phonenumbers
from faker import Faker
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from stdnum import luhn
from stdnum.be import nn as be_nn
from stdnum.de import idnr
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.us import rtn

from . import identifiers as ids
from .lexicon import COUNTRIES, FAKER_LOCALE, FREEMAIL, NATIONALITIES, PRODUCTS, TLD
from .names import CULTURE_MIX, TWO_SURNAMES, Culture, build_cultures
from .places import (
    AU_STREET_TYPES,
    DE_SUFFIXES,
    ES_TYPES,
    FR_TYPES,
    GB_STREET_TYPES,
    IT_TYPES,
    PT_TYPES,
    STREETS,
    TOWNS,
    US_STREET_TYPES,
)
from .split import ascii_fold, part_of

LANG_INDEX = {"en": 0, "fr": 1, "de": 2, "es": 3, "it": 4}
HOME_COUNTRIES = {
    "en": ["GB", "GB", "US", "US", "US", "CA", "AU", "IE"],
    "fr": ["FR", "FR", "FR", "FR", "BE", "CH_FR", "CA_FR"],
    "de": ["DE", "DE", "DE", "DE", "AT", "CH"],
    "es": ["ES"],
    "it": ["IT"],
}
PHONE_REGIONS = {
    "en": ["GB", "GB", "US", "US", "US", "CA", "AU", "IE"],
    "fr": ["FR", "FR", "FR", "FR", "BE", "CH", "LU"],
    "de": ["DE", "DE", "DE", "AT", "CH"],
    "es": ["ES", "ES", "ES", "ES", "MX", "AR"],
    "it": ["IT", "IT", "IT", "IT", "CH"],
}
WORLD_REGIONS = [
    "FR",
    "DE",
    "GB",
    "US",
    "ES",
    "IT",
    "CH",
    "BE",
    "NL",
    "PT",
    "SE",
    "NO",
    "DK",
    "FI",
    "PL",
    "CZ",
    "GR",
    "TR",
    "IE",
    "AT",
    "MA",
    "TN",
    "SN",
    "NG",
    "KE",
    "IN",
    "JP",
    "CN",
    "KR",
    "AU",
    "BR",
    "MX",
    "AR",
    "CA",
    "AE",
    "IL",
    "SG",
    "ZA",
    "RO",
]
US_AREAS = [
    "212",
    "415",
    "617",
    "312",
    "206",
    "303",
    "512",
    "404",
    "305",
    "702",
    "808",
    "503",
    "801",
    "919",
    "615",
    "713",
    "214",
    "602",
    "720",
    "408",
    "646",
    "718",
    "347",
    "773",
]
IBAN_COUNTRIES = {
    "en": [
        "GB",
        "GB",
        "IE",
        "DE",
        "FR",
        "NL",
        "ES",
        "IT",
        "BE",
        "CH",
        "LU",
        "PT",
        "SE",
        "NO",
        "DK",
        "FI",
        "PL",
        "GR",
        "CZ",
        "AT",
        "MT",
        "CY",
        "HU",
        "RO",
        "HR",
        "TR",
        "IS",
        "EE",
    ],
    "fr": [
        "FR",
        "FR",
        "FR",
        "BE",
        "LU",
        "CH",
        "MC",
        "DE",
        "ES",
        "PT",
        "IT",
        "NL",
        "GB",
        "PL",
        "RO",
    ],
    "de": [
        "DE",
        "DE",
        "DE",
        "AT",
        "CH",
        "LI",
        "NL",
        "PL",
        "CZ",
        "TR",
        "HR",
        "SI",
        "SK",
        "IT",
        "FR",
    ],
    "es": ["ES", "ES", "ES", "PT", "FR", "IT", "DE", "GB", "AD", "BE", "NL", "RO"],
    "it": ["IT", "IT", "IT", "SM", "CH", "FR", "DE", "ES", "AT", "SI", "MT", "RO", "GR"],
}
VAT_COUNTRIES = {
    "en": ["IE", "NL", "DE", "FR", "BE", "SE", "DK", "LU"],
    "fr": ["FR", "FR", "BE", "LU", "DE", "IT", "ES"],
    "de": ["DE", "DE", "AT", "NL", "PL", "FR", "DK"],
    "es": ["ES", "ES", "PT", "FR", "IT", "DE"],
    "it": ["IT", "IT", "AT", "FR", "DE", "ES"],
}
CARD_MIX = (
    ["visa"] * 5
    + ["mastercard"] * 4
    + ["amex", "amex", "discover", "jcb", "jcb15", "maestro", "maestro", "unionpay", "diners"]
)
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in string.digits + string.ascii_letters}


@dataclass
class Person:
    first: str
    last: str
    female: bool
    culture: str
    birth: datetime.date
    middle: str = ""

    @property
    def name(self) -> str:
        return f"{self.first} {self.middle + ' ' if self.middle else ''}{self.last}"


def _fill_shape(rng: random.Random, shape: str) -> str:
    out = []
    for ch in shape:
        if ch == "#":
            out.append(rng.choice(string.digits))
        elif ch == "A":
            out.append(rng.choice("ABDEFGHJLNPQRSTUWXYZ"))
        else:
            out.append(ch)
    return "".join(out)


class Pools:
    """One part's pools: everything drawn from them belongs to that part only."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.cultures: dict[str, Culture] = build_cultures(part)
        self.towns = {
            cc: [t for t in towns if part_of(t[0]) == part] for cc, towns in TOWNS.items()
        }
        self.streets = {
            cc: [s.replace("~", " ") for s in names if part_of(s) == part]
            for cc, names in STREETS.items()
        }
        self.countries = [c for c in COUNTRIES if part_of(c[0]) == part]
        self.nationalities = [n for n in NATIONALITIES if part_of(n[0]) == part]
        self.products = [p for p in PRODUCTS if part_of(p) == part]
        self.companies: dict[str, list[str]] = {}
        for lang, locales in FAKER_LOCALE.items():
            names: set[str] = set()
            for locale in locales:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fake = Faker(locale)
                fake.seed_instance(7)
                names.update(fake.company() for _ in range(120))
            self.companies[lang] = sorted(n for n in names if part_of(n) == part)


class Values:
    """Slot values for one text (a fresh instance per text)."""

    def __init__(self, pools: Pools, lang: str, rng: random.Random) -> None:
        self.pools = pools
        self.lang = lang
        self.rng = rng

    # --- people -------------------------------------------------------------------------

    def person(self, female: bool | None = None) -> Person:
        rng = self.rng
        mix = {k: w for k, w in CULTURE_MIX[self.lang].items() if k in self.pools.cultures}
        culture_name = rng.choices(list(mix), weights=list(mix.values()))[0]
        culture = self.pools.cultures[culture_name]
        if female is None:
            female = rng.random() < 0.5
        first = rng.choice(culture.female if female else culture.male)
        surnames = culture.last_female if female else culture.last_male
        last = rng.choice(surnames)
        if culture_name in TWO_SURNAMES and rng.random() < 0.55:
            second = rng.choice(surnames)
            if second != last:
                last = f"{last} {second}"
        middle = ""
        if culture_name in ("en_US", "en_GB", "en_IE") and rng.random() < 0.12:
            middle = rng.choice("ABCDEFGHJKLMNPRSTW") + "."
        birth = datetime.date(rng.randint(1942, 2005), rng.randint(1, 12), rng.randint(1, 28))
        return Person(first, last, female, culture_name, birth, middle)

    def email(self, person: Person, work_domain: str | None = None) -> str:
        rng = self.rng
        first = re.sub(r"[^a-z]", "", ascii_fold(person.first).lower()) or "x"
        last_parts = [re.sub(r"[^a-z]", "", p) for p in ascii_fold(person.last).lower().split()]
        last = last_parts[0] or "y"
        last_full = "".join(last_parts) or "y"
        year = f"{person.birth.year % 100:02d}"
        patterns = [
            f"{first}.{last}",
            f"{first[0]}.{last}",
            f"{first}{last}",
            f"{first}_{last}",
            f"{first}.{last}{rng.randint(1, 99)}",
            f"{last}.{first}",
            f"{first}{year}",
            f"{first[0]}{last_full}",
            f"{first}-{last}",
            f"{last}{first[0]}",
            f"{first}.{last_full}",
        ]
        local = rng.choice(patterns[:6] if work_domain else patterns)
        domain = work_domain or rng.choice(FREEMAIL[self.lang] + FREEMAIL["en"][:3])
        return f"{local}@{domain}"

    def company_domain(self, company: str) -> str:
        words = [
            w
            for w in re.sub(r"[^a-z ]", " ", ascii_fold(company).lower()).split()
            if w
            not in {
                "and",
                "et",
                "und",
                "y",
                "e",
                "gmbh",
                "ag",
                "sa",
                "sas",
                "srl",
                "spa",
                "ltd",
                "llc",
                "inc",
                "plc",
                "kg",
                "sl",
                "group",
                "co",
            }
        ]
        slug = "-".join(words[:2]) or "example"
        return f"{slug}.{self.rng.choice(TLD[self.lang])}"

    def username(self, person: Person) -> str:
        rng = self.rng
        first = re.sub(r"[^a-z]", "", ascii_fold(person.first).lower()) or "x"
        last = re.sub(r"[^a-z]", "", ascii_fold(person.last).lower().split()[0]) or "y"
        return rng.choice(
            [
                f"{first}{last}",
                f"{first[0]}{last}",
                f"{first}-{last}",
                f"{last}{rng.randint(1, 99)}",
                f"{first}_{last}",
                f"{first}{last[0]}{rng.randint(70, 99)}",
                f"{first}.{last}",
            ]
        )

    def profile_url(self, person: Person, kind: str = "") -> str:
        rng = self.rng
        user = self.username(person).replace(".", "")
        first = re.sub(r"[^a-z]", "", ascii_fold(person.first).lower()) or "x"
        last = re.sub(r"[^a-z]", "", ascii_fold(person.last).lower().split()[0]) or "y"
        tld = rng.choice(TLD[self.lang])
        hexid = "".join(rng.choice("0123456789abcdef") for _ in range(rng.choice([6, 8])))
        if kind == "gh":
            return rng.choice(
                [f"https://github.com/{user}", f"github.com/{user}", f"https://gitlab.com/{user}"]
            )
        if kind == "li":
            return rng.choice(
                [
                    f"https://www.linkedin.com/in/{first}-{last}-{hexid}/",
                    f"linkedin.com/in/{first}{last}",
                    f"https://www.linkedin.com/in/{first}-{last}",
                ]
            )
        if kind == "site":
            return rng.choice(
                [
                    f"https://{first}{last}.{tld}",
                    f"www.{first}-{last}.{tld}/contact",
                    f"https://{last}.{tld}/about",
                    f"{first}-{last}.{tld}",
                ]
            )
        return rng.choice(
            [
                f"https://github.com/{user}",
                f"github.com/{user}",
                f"https://www.linkedin.com/in/{first}-{last}-{hexid}/",
                f"linkedin.com/in/{first}{last}",
                f"https://gitlab.com/{user}",
                f"https://x.com/{user}",
                f"https://www.instagram.com/{user}/",
                f"https://{first}{last}.{tld}",
                f"www.{first}-{last}.{tld}/contact",
                f"https://{last}.{tld}/about",
                f"https://medium.com/@{user}",
                f"https://mastodon.social/@{user}",
                f"https://www.xing.com/profile/{first.capitalize()}_{last.capitalize()}",
            ]
        )

    def handle(self, person: Person) -> str:
        return "@" + self.username(person).replace("-", "_").replace(".", "_")

    # --- places -------------------------------------------------------------------------

    def home_country(self) -> str:
        return self.rng.choice(HOME_COUNTRIES[self.lang])

    def town(self, country: str) -> tuple[str, str, str]:
        towns = self.pools.towns[country]
        town, region, shape = self.rng.choice(towns)
        return town, region, _fill_shape(self.rng, shape)

    def _street(self, country: str) -> str:
        rng = self.rng
        key = {
            "CA": "US",
            "IE": "GB",
            "AT": "DE",
            "CH": "DE",
            "BE": "FR",
            "CH_FR": "FR",
            "CA_FR": "FR",
            "BE_NL": "NL",
        }.get(country, country)
        stem = rng.choice(self.pools.streets[key])
        if key == "US":
            return f"{stem} {rng.choice(US_STREET_TYPES)}"
        if key == "GB":
            return f"{stem} {rng.choice(GB_STREET_TYPES)}"
        if key == "AU":
            return f"{stem} {rng.choice(AU_STREET_TYPES)}"
        if key == "DE":
            suffix = rng.choice(DE_SUFFIXES)
            if country == "CH":
                suffix = suffix.replace("ß", "ss")
            return stem + suffix
        if key == "FR":
            kind = rng.choice(FR_TYPES)
            if country == "BE" or country == "CH_FR":
                kind = kind.capitalize()
            return f"{kind} {stem}"
        if key == "ES":
            return f"{rng.choice(ES_TYPES)} {stem}"
        if key == "IT":
            return f"{rng.choice(IT_TYPES)} {stem}"
        if key == "PT":
            return f"{rng.choice(PT_TYPES)} {stem}"
        return stem

    def address(self, country: str | None = None, multiline: bool | None = None) -> str:
        rng = self.rng
        country = country or self.home_country()
        if multiline is None:
            multiline = rng.random() < 0.25
        sep = "\n" if multiline else ", "
        town, region, post = self.town(country)
        street = self._street(country)
        number = str(rng.choice([rng.randint(1, 40), rng.randint(1, 120), rng.randint(1, 260)]))
        if country in ("US", "CA"):
            number = str(rng.randint(10, 9800))
            unit = rng.choice(
                [
                    "",
                    "",
                    f"Apt. {rng.randint(1, 40)}{rng.choice(['', 'B', 'C'])}",
                    f"Suite {rng.choice([12, 100, 204, 310, 450, 1200])}",
                    f"Unit {rng.randint(1, 30)}",
                    f"#{rng.randint(100, 999)}",
                    f"Apt {rng.randint(1, 20)}",
                ]
            )
            if rng.random() < 0.12:
                return sep.join([f"PO Box {rng.randint(100, 99999)}", f"{town}, {region} {post}"])
            first_line = f"{number} {street}"
            lines = [first_line] + ([unit] if unit else []) + [f"{town}, {region} {post}"]
            if not multiline and unit and rng.random() < 0.5:
                lines = [f"{first_line} {unit}", f"{town}, {region} {post}"]
            return sep.join(lines)
        if country == "CA_FR":
            return sep.join([f"{number}, {street}", f"{town} ({'Québec'}) {post}"])
        if country in ("GB", "IE"):
            if country == "IE" and rng.random() < 0.5:
                town = f"{town}, Co. {town}" if town != "Dublin" else "Dublin"
            flat = rng.choice(
                ["", "", "", f"Flat {rng.randint(1, 30)}", f"Flat {rng.randint(1, 9)}B"]
            )
            lines = ([flat] if flat else []) + [f"{number} {street}", f"{town} {post}"]
            return sep.join(lines)
        if country == "AU":
            in_unit = rng.random() < 0.3
            if rng.random() < 0.1:
                return sep.join([f"PO Box {rng.randint(100, 9999)}", f"{town} {region} {post}"])
            street_line = (
                f"{rng.randint(1, 20)}/{number} {street}" if in_unit else f"{number} {street}"
            )
            return sep.join([street_line, f"{town} {region} {post}"])
        if country in ("DE", "AT", "CH"):
            if rng.random() < 0.1:
                box = "Postfach " + (
                    f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                    if country == "DE"
                    else str(rng.randint(100, 9999))
                )
                return sep.join([box, f"{post} {town}"])
            number += rng.choice(["", "", "", "a", "b"])
            if country == "AT" and rng.random() < 0.4:
                number += f"/{rng.randint(1, 4)}/{rng.randint(1, 20)}"
            lines = [f"{street} {number}", f"{post} {town}"]
            if country == "CH" and rng.random() < 0.3:
                lines[1] = f"CH-{post} {town}"
            if country == "DE" and rng.random() < 0.15:
                extra = rng.choice(["Hinterhaus", "2. OG links", f"App. {rng.randint(1, 40)}"])
                lines[0] += f", {extra}"
            return sep.join(lines)
        if country in ("FR", "BE", "CH_FR"):
            if country == "FR" and rng.random() < 0.1:
                return sep.join([f"BP {rng.randint(10, 999)}", f"{post} {town.upper()} CEDEX"])
            number_fr = number + rng.choice(["", "", "", "", " bis", " ter"])
            if country == "FR":
                extra = rng.choice(
                    [
                        "",
                        "",
                        "",
                        f"Bât. {rng.choice('ABCD')}",
                        f"Appt {rng.randint(1, 60)}",
                        "Résidence les " + rng.choice(["Tilleuls", "Érables", "Cigales"]),
                    ]
                )
                main = f"{number_fr} {street}"
                lines = ([extra] if extra else []) + [main, f"{post} {town}"]
            else:
                lines = [f"{street} {number}", f"{post} {town}"]
            return sep.join(lines)
        if country in ("NL", "BE_NL"):
            if country == "NL" and rng.random() < 0.12:
                return sep.join([f"Postbus {rng.randint(100, 9999)}", f"{post} {town}"])
            return sep.join([f"{street} {number}", f"{post} {town}"])
        if country == "ES":
            if rng.random() < 0.1:
                return sep.join([f"Apartado de Correos {rng.randint(10, 9999)}", f"{post} {town}"])
            floor = rng.choice(
                [
                    "",
                    "",
                    f"{rng.randint(1, 9)}º {rng.choice('ABCD')}",
                    f"{rng.randint(1, 8)}º izq.",
                    f"{rng.randint(1, 8)}º dcha.",
                    "bajo",
                ]
            )
            line = f"{street} {number}" if rng.random() < 0.6 else f"{street}, {number}"
            if floor:
                line += f", {floor}"
            return sep.join([line, f"{post} {town}"])
        if country == "IT":
            if rng.random() < 0.1:
                return sep.join(
                    [f"Casella Postale {rng.randint(1, 999)}", f"{post} {town} ({region})"]
                )
            line = f"{street} {number}" if rng.random() < 0.6 else f"{street}, {number}"
            if rng.random() < 0.2:
                line += f", int. {rng.randint(1, 30)}"
            tail = f"{post} {town} ({region})" if rng.random() < 0.6 else f"{post} {town}"
            return (sep if multiline else rng.choice([", ", " - "])).join([line, tail])
        if country == "PT":
            return sep.join(
                [
                    f"{street} {number}, {rng.randint(1, 9)}.º {rng.choice(['Esq.', 'Dto.'])}",
                    f"{post} {town}",
                ]
            )
        if country == "PL":
            return sep.join([f"ul. {street} {number}/{rng.randint(1, 80)}", f"{post} {town}"])
        # Nordic
        return sep.join([f"{street} {number}", f"{post} {town}"])

    def country_name(self) -> str:
        return self.rng.choice(self.pools.countries)[LANG_INDEX[self.lang]]

    def nationality(self, female: bool) -> str:
        row = self.rng.choice(self.pools.nationalities)
        index = {"en": 0, "fr": 1, "de": 3, "es": 4, "it": 6}[self.lang]
        if self.lang in ("fr", "es", "it") and female:
            index += 1
        return row[index]

    # --- dates --------------------------------------------------------------------------

    def date_text(self, day: datetime.date, style: str | None = None) -> str:
        rng = self.rng
        months = {
            "en": "January February March April May June July August September October "
            "November December",
            "fr": "janvier février mars avril mai juin juillet "
            "août septembre octobre novembre décembre",
            "de": "Januar Februar März April "
            "Mai Juni Juli August September Oktober November Dezember",
            "es": "enero "
            "febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
            "diciembre",
            "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto "
            "settembre ottobre novembre dicembre",
        }[self.lang].split()
        month = months[day.month - 1]
        styles = {
            "en": [
                f"{day:%d/%m/%Y}",
                f"{day:%m/%d/%Y}",
                f"{month} {day.day}, {day.year}",
                f"{day.day} {month} {day.year}",
                f"{day:%Y-%m-%d}",
                f"{day.day} {month[:3]} {day.year}",
            ],
            "fr": [
                f"{day:%d/%m/%Y}",
                f"{day.day} {month} {day.year}",
                f"{day:%d.%m.%Y}",
                f"{day:%d-%m-%Y}",
            ],
            "de": [
                f"{day:%d.%m.%Y}",
                f"{day.day}. {month} {day.year}",
                f"{day:%d.%m.%y}",
                f"{day:%Y-%m-%d}",
            ],
            "es": [f"{day:%d/%m/%Y}", f"{day.day} de {month} de {day.year}", f"{day:%d-%m-%Y}"],
            "it": [
                f"{day:%d/%m/%Y}",
                f"{day.day} {month} {day.year}",
                f"{day:%d.%m.%Y}",
                f"{day:%d-%m-%Y}",
            ],
        }[self.lang]
        if style == "num":
            return styles[0]
        return rng.choice(styles)

    def business_date(self) -> str:
        rng = self.rng
        day = datetime.date(rng.randint(2023, 2026), rng.randint(1, 12), rng.randint(1, 28))
        return self.date_text(day)

    # --- phones -------------------------------------------------------------------------

    def phone_number(self, region: str, mobile: bool | None = None) -> phonenumbers.PhoneNumber:
        rng = self.rng
        if mobile is None:
            mobile = rng.random() < 0.6
        kind = PhoneNumberType.MOBILE if mobile else PhoneNumberType.FIXED_LINE
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            example = phonenumbers.example_number(region)
        assert example is not None, region
        nsn = phonenumbers.national_significant_number(example)
        for _ in range(5000):
            if region == "US":
                candidate = (
                    rng.choice(US_AREAS)
                    + str(rng.randint(2, 9))
                    + "".join(rng.choice(string.digits) for _ in range(6))
                )
            else:
                keep = rng.choice([1, 2]) if len(nsn) > 6 else 1
                candidate = nsn[:keep] + "".join(rng.choice(string.digits) for _ in nsn[keep:])
            number = phonenumbers.parse("+" + str(example.country_code) + candidate)
            if phonenumbers.is_valid_number(number) and phonenumbers.number_type(number) in (
                kind,
                PhoneNumberType.FIXED_LINE_OR_MOBILE,
            ):
                return number
        raise RuntimeError(f"no valid phone for {region}")

    def phone_text(self, region: str, style: str | None = None, extension: bool = False) -> str:
        rng = self.rng
        number = self.phone_number(region)
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
        intl = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
        e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
        cc = str(number.country_code)
        options = [national, national, intl, intl, e164]
        if region in ("US", "CA"):
            digits = str(number.national_number)
            a, b, c = digits[:3], digits[3:6], digits[6:]
            options += [
                f"{a}-{b}-{c}",
                f"({a}){b}-{c}",
                f"{a}.{b}.{c}",
                f"+1-{a}-{b}-{c}",
                f"+1 {a} {b} {c}",
                f"1-{a}-{b}-{c}",
            ]
        else:
            trunk = national.startswith("0")
            rest = intl.split(" ", 1)[1] if " " in intl else intl
            options += [
                national.replace(" ", "."),
                national.replace(" ", ""),
                f"00{cc} {rest}",
                national.replace(" ", "-"),
            ]
            if trunk:
                options.append(f"+{cc} (0){rest}")
            if region == "DE" and " " in national:
                head, tail = national.split(" ", 1)
                options.append(f"{head}/{tail.replace(' ', '')}")
        text = {"national": national, "intl": intl, "e164": e164}.get(
            style or "", rng.choice(options)
        )
        if extension:
            text += rng.choice(
                [
                    f" ext. {rng.randint(10, 999)}",
                    f"x{rng.randint(10, 99)}",
                    f" ext {rng.randint(100, 4999)}",
                    f" x{rng.randint(100, 999)}",
                ]
            )
        return text

    def default_region(self) -> str:
        return self.rng.choice(PHONE_REGIONS[self.lang])

    def world_region(self) -> str:
        return self.rng.choice(WORLD_REGIONS)

    # --- identifiers --------------------------------------------------------------------

    def iban(self, country: str | None = None) -> str:
        country = country or self.rng.choice(IBAN_COUNTRIES[self.lang])
        value = ids.iban_code(self.rng, country)
        return ids.group(value) if self.rng.random() < 0.6 else value

    def card(self, issuer: str | None = None) -> str:
        issuer = issuer or self.rng.choice(CARD_MIX)
        number = ids.card_number(self.rng, issuer)
        style = self.rng.choice(["space", "space", "space", "compact", "dash"])
        return ids.format_card(number, style)

    def vat(self, country: str | None = None) -> str:
        country = country or self.rng.choice(VAT_COUNTRIES[self.lang])
        value = ids.eu_vat(self.rng, country)
        if country == "FR" and self.rng.random() < 0.4:
            return f"{value[:4]} {value[4:7]} {value[7:10]} {value[10:]}"
        return value

    # --- unlabelled fillers -------------------------------------------------------------

    def lookalike(self, length: int) -> str:
        """Digits that no checksum recognises: an order or tracking number, not an id."""
        rng = self.rng
        for _ in range(1000):
            value = rng.choice("123456789") + "".join(
                rng.choice(string.digits) for _ in range(length - 1)
            )
            if luhn.is_valid(value):
                continue
            if length == 9 and rtn.is_valid(value):
                continue
            if length == 10 and nhs.is_valid(value):
                continue
            if length == 11 and (idnr.is_valid(value) or be_nn.is_valid(value)):
                continue
            if length in (13, 15) and nir.is_valid(value[:15]):
                continue
            return value
        raise RuntimeError("no look-alike")

    def company(self) -> str:
        return self.rng.choice(self.pools.companies[self.lang])

    def product(self) -> str:
        return self.rng.choice(self.pools.products)

    def amount(self) -> str:
        rng = self.rng
        value = rng.choice([rng.randint(5, 99), rng.randint(100, 9999), rng.randint(10000, 250000)])
        cents = rng.randint(0, 99)
        if self.lang == "en":
            cur = rng.choice(["£", "$", "€", "CHF "])
            return f"{cur}{value:,}.{cents:02d}" if rng.random() < 0.6 else f"{cur}{value:,}"
        body = f"{value:,}".replace(",", "." if self.lang in ("de", "es", "it") else "\u202f")
        if self.lang == "fr":
            body = body.replace("\u202f", " ")
        suffix = (
            rng.choice([" €", " €", " EUR", " CHF"])
            if self.lang != "es"
            else rng.choice([" €", " EUR", " MXN"])
        )
        return f"{body},{cents:02d}{suffix}" if rng.random() < 0.6 else f"{body}{suffix}"
