"""Identifiers with valid check digits, built from random digits and accepted only when
python-stdnum validates them (or, for the few types without a check digit, when they match
the documented shape). Every function takes the part's `random.Random`, so a part's values
depend on its seed only."""

from __future__ import annotations

import datetime
import random
import string

from stdnum import bic, ean, iban, luhn, numdb
from stdnum.be import nn as be_nn
from stdnum.ch import ssn as ch_ssn
from stdnum.de import idnr
from stdnum.es import dni, nie
from stdnum.eu import vat
from stdnum.fr import nir, siren, siret
from stdnum.gb import nhs
from stdnum.it import codicefiscale
from stdnum.us import itin, rtn, ssn

_ATTEMPTS = 20000
_DIGITS = string.digits
_UPPER = string.ascii_uppercase


def _retry(rng: random.Random, make: object, valid: object) -> str:
    assert callable(make)
    assert callable(valid)
    for _ in range(_ATTEMPTS):
        candidate = make(rng)
        if valid(candidate):
            return str(candidate)
    raise RuntimeError(f"no valid value after {_ATTEMPTS} attempts: {make}")


def _digits(rng: random.Random, count: int, first_nonzero: bool = False) -> str:
    out = "".join(rng.choice(_DIGITS) for _ in range(count))
    if first_nonzero and out[0] == "0":
        out = rng.choice("123456789") + out[1:]
    return out


def group(value: str, size: int = 4, sep: str = " ") -> str:
    return sep.join(value[i : i + size] for i in range(0, len(value), size))


# --- bank ---------------------------------------------------------------------------------

_IBAN_DB = numdb.get("iban")
_BANK_LETTERS = {
    "GB": ["NWBK", "BARC", "HBUK", "LOYD", "MIDL", "BUKB", "MONZ", "SRLG", "CITI"],
    "IE": ["AIBK", "BOFI", "IPBS", "ULSB"],
    "NL": ["ABNA", "INGB", "RABO", "TRIO", "SNSB", "KNAB", "ASNB", "BUNQ"],
    "RO": ["BTRL", "RNCB", "BRDE", "INGB"],
    "LV": ["HABA", "UNLA", "PARX"],
    "BG": ["UNCR", "BNBG", "STSA"],
    "MT": ["MALT", "VALL", "APSB"],
}


def _bban(rng: random.Random, country: str) -> str:
    info = _IBAN_DB.info(country + "00")
    spec = str(info[0][1]["bban"])
    out = []
    letters_done = False
    # spec looks like "4!a6!n8!n": pairs of (length, class)
    parts = []
    number = ""
    for ch in spec:
        if ch.isdigit():
            number += ch
        elif ch != "!":
            parts.append((int(number), ch))
            number = ""
    for length, kind in parts:
        if kind == "a" and not letters_done and country in _BANK_LETTERS and length == 4:
            out.append(rng.choice(_BANK_LETTERS[country]))
            letters_done = True
        elif kind == "a":
            out.append("".join(rng.choice(_UPPER) for _ in range(length)))
        elif kind == "n":
            out.append(_digits(rng, length))
        else:  # "c": mostly digits, as most banks use them
            out.append(_digits(rng, length))
    return "".join(out)


def iban_code(rng: random.Random, country: str) -> str:
    """A compact IBAN of `country`, valid including the national check digits stdnum knows."""

    def make(r: random.Random) -> str:
        bban = _bban(r, country)
        check = iban.calc_check_digits(country + "00" + bban)
        return country + check + bban

    return _retry(rng, make, iban.is_valid)


def bic_code(rng: random.Random, country: str) -> str:
    bank = rng.choice(
        _BANK_LETTERS.get(country, [])
        + ["".join(rng.choice(_UPPER) for _ in range(4)) for _ in range(3)]
    )
    location = rng.choice(_UPPER) + rng.choice(_UPPER + "23456789")
    branch = rng.choice(["", "", "XXX", "".join(rng.choice(_UPPER + _DIGITS) for _ in range(3))])
    return _retry(rng, lambda r: bank + country + location + branch, bic.is_valid)


def aba_routing(rng: random.Random) -> str:
    prefixes = [f"{n:02d}" for n in [*range(1, 13), *range(21, 33), *range(61, 73), 80]]

    def make(r: random.Random) -> str:
        body = r.choice(prefixes) + _digits(r, 6)
        return body + rtn.calc_check_digit(body)

    return _retry(rng, make, rtn.is_valid)


# --- payment cards ------------------------------------------------------------------------

CARD_ISSUERS: dict[str, tuple[list[str], list[int]]] = {
    "visa": (["4"], [16]),
    "mastercard": (["51", "52", "53", "54", "55", "2221", "2300", "2450", "2600", "2720"], [16]),
    "amex": (["34", "37"], [15]),
    "discover": (["6011", "644", "645", "649", "65"], [16]),
    "jcb": (["3528", "3530", "3540", "3566", "3572", "3589"], [16]),
    "jcb15": (["2131", "1800"], [15]),
    "maestro": (["5018", "5020", "5038", "5893", "6304", "6759", "6761", "6763"], [12, 13, 16, 19]),
    "unionpay": (["62", "6212", "6250"], [16, 17, 19]),
    "diners": (["36", "300", "305", "38"], [14]),
}


def card_number(rng: random.Random, issuer: str) -> str:
    prefixes, lengths = CARD_ISSUERS[issuer]

    def make(r: random.Random) -> str:
        prefix = r.choice(prefixes)
        length = r.choice(lengths)
        body = prefix + _digits(r, length - len(prefix) - 1)
        return body + luhn.calc_check_digit(body)

    return _retry(rng, make, luhn.is_valid)


def format_card(number: str, style: str) -> str:
    if style == "compact":
        return number
    sep = {"dash": "-", "space": " ", "dot": "."}[style]
    if len(number) == 15:
        return sep.join([number[:4], number[4:10], number[10:]])
    if len(number) == 14:
        return sep.join([number[:4], number[4:10], number[10:]])
    return group(number, 4, sep)


# --- French -------------------------------------------------------------------------------


def fr_nir(rng: random.Random, female: bool, birth: datetime.date) -> str:
    departments = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["99"]

    def make(r: random.Random) -> str:
        body = (
            ("2" if female else "1")
            + f"{birth.year % 100:02d}{birth.month:02d}"
            + r.choice(departments)
            + _digits(r, 3)
            + f"{r.randint(1, 999):03d}"
        )
        return body + nir.calc_check_digits(body)

    return _retry(rng, make, nir.is_valid)


def format_nir(value: str, spaced: bool) -> str:
    if not spaced:
        return value
    cuts = [1, 3, 5, 7, 10, 13]
    parts = [value[a:b] for a, b in zip([0, *cuts], [*cuts, 15], strict=True)]
    return " ".join(parts)


def fr_siren(rng: random.Random) -> str:
    def make(r: random.Random) -> str:
        body = _digits(r, 8, first_nonzero=True)
        return body + luhn.calc_check_digit(body)

    return _retry(rng, make, siren.is_valid)


def fr_siret(rng: random.Random, siren_value: str | None = None) -> str:
    def make(r: random.Random) -> str:
        base = siren_value or fr_siren(r)
        body = base + f"{r.randint(1, 999):04d}"
        return body + luhn.calc_check_digit(body)

    return _retry(rng, make, siret.is_valid)


# --- EU VAT -------------------------------------------------------------------------------

_VAT_MAKERS = {
    "FR": lambda r: "FR" + _digits(r, 2) + fr_siren(r),
    "DE": lambda r: "DE" + _digits(r, 9, first_nonzero=True),
    "IT": lambda r: "IT" + _digits(r, 7) + f"{r.randint(1, 100):03d}" + _digits(r, 1),
    "ES": lambda r: "ES" + r.choice("ABCDEFGHJ") + _digits(r, 8),
    "BE": lambda r: "BE0" + _digits(r, 9),
    "NL": lambda r: "NL" + _digits(r, 9) + "B0" + r.choice("123"),
    "AT": lambda r: "ATU" + _digits(r, 8),
    "PT": lambda r: "PT" + r.choice("125") + _digits(r, 8),
    "PL": lambda r: "PL" + _digits(r, 10),
    "LU": lambda r: "LU" + _digits(r, 8),
    "DK": lambda r: "DK" + _digits(r, 8, first_nonzero=True),
    "SE": lambda r: "SE" + _digits(r, 10) + "01",
    "IE": lambda r: "IE" + _digits(r, 7) + r.choice("ABCDEFGHW"),
}


def eu_vat(rng: random.Random, country: str) -> str:
    return _retry(rng, _VAT_MAKERS[country], vat.is_valid)


# --- German, Spanish, Italian, Belgian, Swiss -----------------------------------------------


def de_tax_id(rng: random.Random) -> str:
    def make(r: random.Random) -> str:
        digits = r.sample(list(_DIGITS), 9)
        digits.append(r.choice(digits))
        r.shuffle(digits)
        if digits[0] == "0":
            return "0"
        body = "".join(digits)
        for check in _DIGITS:
            if idnr.is_valid(body + check):
                return body + check
        return "0"

    return _retry(rng, make, idnr.is_valid)


def es_dni(rng: random.Random) -> str:
    body = _digits(rng, 8)
    return _retry(rng, lambda r: body + dni.calc_check_digit(body), dni.is_valid)


def es_nie(rng: random.Random) -> str:
    body = rng.choice("XYZ") + _digits(rng, 7)
    return _retry(rng, lambda r: body + nie.calc_check_digit(body), nie.is_valid)


_CF_MONTHS = "ABCDEHLMPRST"
BELFIORE = {
    "Roma": "H501",
    "Milano": "F205",
    "Napoli": "F839",
    "Torino": "L219",
    "Palermo": "G273",
    "Genova": "D969",
    "Bologna": "A944",
    "Firenze": "D612",
    "Bari": "A662",
    "Catania": "C351",
    "Venezia": "L736",
    "Verona": "L781",
    "Messina": "F158",
    "Padova": "G224",
    "Trieste": "L424",
    "Brescia": "B157",
    "Parma": "G337",
    "Modena": "F257",
    "Perugia": "G478",
    "Cagliari": "B354",
    "Lecce": "E506",
    "Bergamo": "A794",
    "Pisa": "G702",
    "Siena": "I726",
    "Trento": "L378",
}


def _cf_letters(name: str) -> tuple[str, str]:
    import unicodedata  # noqa: PLC0415

    plain = "".join(
        c for c in unicodedata.normalize("NFKD", name.upper()) if c.isalpha() and c.isascii()
    )
    consonants = "".join(c for c in plain if c not in "AEIOU")
    vowels = "".join(c for c in plain if c in "AEIOU")
    return consonants, vowels


def it_fiscal_code(first: str, last: str, female: bool, birth: datetime.date, town: str) -> str:
    """The real construction (surname, name, date, sex, municipality, check letter)."""
    cons, vows = _cf_letters(last)
    surname = (cons + vows + "XXX")[:3]
    cons, vows = _cf_letters(first)
    if len(cons) >= 4:
        cons = cons[0] + cons[2] + cons[3]
    given = (cons + vows + "XXX")[:3]
    day = birth.day + (40 if female else 0)
    body = (
        surname
        + given
        + f"{birth.year % 100:02d}"
        + _CF_MONTHS[birth.month - 1]
        + f"{day:02d}"
        + BELFIORE[town]
    )
    value = body + codicefiscale.calc_check_digit(body)
    codicefiscale.validate(value)
    return value


def be_national_number(rng: random.Random, female: bool, birth: datetime.date) -> str:
    def make(r: random.Random) -> str:
        serial = r.randrange(2 if female else 1, 998, 2)
        body = f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}{serial:03d}"
        base = int(("2" if birth.year >= 2000 else "") + body)
        return body + f"{97 - base % 97:02d}"

    return _retry(rng, make, be_nn.is_valid)


def format_be_nn(value: str) -> str:
    return f"{value[0:2]}.{value[2:4]}.{value[4:6]}-{value[6:9]}.{value[9:11]}"


def ch_ahv(rng: random.Random) -> str:
    def make(r: random.Random) -> str:
        body = "756" + _digits(r, 9)
        return body + str(ean.calc_check_digit(body))

    return _retry(rng, make, ch_ssn.is_valid)


def format_ahv(value: str) -> str:
    return f"{value[0:3]}.{value[3:7]}.{value[7:11]}.{value[11:13]}"


# --- UK -----------------------------------------------------------------------------------

_NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NINO_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def uk_nino(rng: random.Random) -> str:
    def make(r: random.Random) -> str:
        return r.choice(_NINO_FIRST) + r.choice(_NINO_SECOND) + _digits(r, 6) + r.choice("ABCD")

    return _retry(rng, make, nino_is_valid)


def nino_is_valid(value: str) -> bool:
    """HMRC's allocation rules (there is no check digit)."""
    return (
        len(value) == 9
        and value[0] in _NINO_FIRST
        and value[1] in _NINO_SECOND
        and value[:2] not in _NINO_BAD_PREFIXES
        and value[2:8].isdigit()
        and value[8] in "ABCD"
    )


def format_nino(value: str, spaced: bool) -> str:
    if not spaced:
        return value
    return f"{value[:2]} {value[2:4]} {value[4:6]} {value[6:8]} {value[8]}"


def uk_nhs(rng: random.Random) -> str:
    def make(r: random.Random) -> str:
        body = _digits(r, 9, first_nonzero=True)
        for check in _DIGITS:
            if nhs.is_valid(body + check):
                return body + check
        return "0"

    return _retry(rng, make, nhs.is_valid)


# --- US -----------------------------------------------------------------------------------


def us_ssn(rng: random.Random) -> str:
    def make(r: random.Random) -> str:
        area = r.choice([*range(1, 666), *range(667, 900)])
        return f"{area:03d}{r.randint(1, 99):02d}{r.randint(1, 9999):04d}"

    return _retry(rng, make, lambda v: ssn.is_valid(v) and v != "123456789")


def us_itin(rng: random.Random) -> str:
    groups = [*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100)]

    def make(r: random.Random) -> str:
        return f"9{_digits(r, 2)}{r.choice(groups):02d}{r.randint(1, 9999):04d}"

    return _retry(rng, make, itin.is_valid)


def dashed_ssn(value: str) -> str:
    return f"{value[:3]}-{value[3:5]}-{value[5:]}"


def us_passport(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice("ACEFGHJKLMNPRSTUVWXYZ") + _digits(rng, 8)
    return _digits(rng, 9, first_nonzero=True)


US_LICENCE_SHAPES = {
    "CA": "A#######",
    "NY": "### ### ###",
    "FL": "A###-###-##-###-#",
    "TX": "########",
    "IL": "A###-####-####",
    "WA": "WDL#########",
    "PA": "## ### ###",
    "NJ": "A#### ##### #####",
    "MI": "A ### ### ### ###",
    "OH": "AA######",
}


def us_driver_licence(rng: random.Random, state: str) -> str:
    out = []
    for ch in US_LICENCE_SHAPES[state]:
        if ch == "#":
            out.append(rng.choice(_DIGITS))
        elif ch == "A":
            out.append(rng.choice(_UPPER))
        else:
            out.append(ch)
    return "".join(out)


# --- plates, IP addresses -----------------------------------------------------------------

_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"  # French/Italian series: no I, O, U
_ES_PLATE_LETTERS = "BCDFGHJKLMNPRSTVWXYZ"


def licence_plate(rng: random.Random, country: str) -> str:
    def letters(n: int, pool: str = _PLATE_LETTERS) -> str:
        return "".join(rng.choice(pool) for _ in range(n))

    if country == "FR":
        return f"{letters(2)}-{_digits(rng, 3)}-{letters(2)}".replace("000", "417")
    if country == "FR_OLD":
        return f"{rng.randint(1, 9999)} {letters(rng.choice([2, 3]))} {rng.randint(1, 95):02d}"
    if country == "DE":
        district = rng.choice(["B", "M", "HH", "K", "F", "S", "DO", "E", "HB", "L", "DD", "N"])
        return f"{district}-{letters(rng.choice([1, 2]))} {rng.randint(1, 9999)}"
    if country == "ES":
        return f"{_digits(rng, 4)} {letters(3, _ES_PLATE_LETTERS)}"
    if country == "IT":
        return f"{letters(2)} {_digits(rng, 3)}{letters(2)}"
    if country == "GB":
        return f"{letters(2)}{rng.randint(51, 74)} {letters(3)}"
    raise ValueError(country)


def ipv4(rng: random.Random) -> str:
    first = rng.choice([31, 37, 46, 62, 77, 81, 82, 84, 86, 88, 90, 92, 109, 151, 176, 188, 212])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(4)]
    return "2001:db8:" + ":".join(groups[:2]) + "::" + groups[3]
