"""How a template's slots are filled (see `templating` for the template syntax): each slot
becomes a labelled value (`[[value|TYPE]]`) or an unlabelled business word; a slot with an
evasion modifier is written in that form, and the text is rendered a second time without
the modifiers, from the same values, as its `plain` twin."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import identifiers as ids
from .lexicon import BIZ_PLACES, EVENTS, JOBS, WEEKDAYS
from .templating import SLOT, Template, parse_templates
from .values import FULLWIDTH, Person, Pools, Values

__all__ = ["SLOT", "Filler", "Rendered", "Template", "parse_templates", "render"]


@dataclass
class Rendered:
    text: str
    values: list[tuple[str, str]] = field(default_factory=list)  # (value, TYPE)
    keys: set[str] = field(default_factory=set)  # the underlying values, for disjointness


# --- evasion forms --------------------------------------------------------------------------

# Cyrillic look-alikes of Latin letters
_CYR = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "c": "\u0441",
    "x": "\u0445",
    "y": "\u0443",
}


def _wrap(value: str, rng: random.Random) -> str:
    cuts = [i for i, c in enumerate(value) if c == " "]
    if cuts:
        i = rng.choice(cuts)
        return value[:i] + "\n" + value[i + 1 :]
    i = len(value) // 2
    return value[:i] + "\n" + value[i:]


def evade(value: str, mod: str, rng: random.Random) -> str:
    if mod == "wrap":
        return _wrap(value, rng)
    if mod == "fw":
        return "".join(FULLWIDTH.get(c, c) for c in value).replace(
            " ", "\u3000" if rng.random() < 0.3 else " "
        )
    if mod == "zw":
        return (
            "\u200b".join(value.split(" "))
            if " " in value
            else "\u200b".join(value[i : i + 4] for i in range(0, len(value), 4))
        )
    if mod == "shy":
        i = max(1, len(value) // 2)
        return value[:i] + "\u00ad" + value[i:]
    if mod == "ctrl":
        i = max(1, len(value) // 3)
        return value[:i] + rng.choice(["\u0001", "\u200c", "\u2060", "\ufeff"]) + value[i:]
    if mod == "pct":
        return value.replace("@", "%40")
    if mod == "ent":
        return value.replace("@", rng.choice(["&#64;", "&#x40;", "&commat;"]))
    if mod == "atdot":
        local, domain = value.split("@")
        style = rng.choice(
            [(" at ", " dot "), ("[at]", "[dot]"), (" (at) ", " (dot) "), (" AT ", " DOT ")]
        )
        return local.replace(".", style[1]) + style[0] + domain.replace(".", style[1])
    if mod == "nbsp":
        return value.replace(" ", "&nbsp;")
    if mod == "nbspc":
        return value.replace(" ", "\u00a0")
    if mod == "plus":
        return value.replace(" ", "+")
    if mod == "spaced":
        return " ".join(c for c in value if c != " ")
    if mod == "dots":
        return re.sub(r"[ \-]", ".", value)
    if mod == "dash":
        return re.sub(r" ", " - ", value)
    if mod == "lower":
        return value.lower()
    if mod == "cyr":
        chars = list(value)
        spots = [i for i, c in enumerate(chars) if c in _CYR]
        for i in rng.sample(spots, min(2, len(spots))):
            chars[i] = _CYR[chars[i]]
        return "".join(chars)
    if mod == "tabs":
        return value.replace(" ", "\t")
    raise ValueError(mod)


# --- the slot filler --------------------------------------------------------------------------

PERSON_FORMS: dict[str, Callable[[Person], str]] = {
    "name": lambda p: p.name,
    "first": lambda p: p.first,
    "last": lambda p: p.last,
    "LAST": lambda p: p.last.upper(),
    "lfirst": lambda p: p.first.lower(),
    "lname": lambda p: f"{p.first} {p.last}".lower(),
    "ilast": lambda p: f"{p.first[0]}. {p.last}",
    "lastfirst": lambda p: f"{p.last}, {p.first}",
    "capsname": lambda p: f"{p.last.upper()} {p.first}",
    "firstl": lambda p: f"{p.first} {p.last[0]}.",
    "plainname": lambda p: f"{p.first} {p.last}",
}


LABELLED_KINDS = frozenset(PERSON_FORMS) | frozenset(
    {
        "email",
        "wemail",
        "url",
        "handle",
        "dob",
        "dobnum",
        "city",
        "country",
        "nat",
        "addr",
        "addrml",
        "addr1",
        "phone",
        "phonex",
        "phonen",
        "phonei",
        "phonee",
        "iban",
        "card",
        "bic",
        "aba",
        "vat",
        "nir",
        "siren",
        "siret",
        "taxid",
        "dni",
        "nie",
        "cf",
        "benn",
        "ahv",
        "nino",
        "nhs",
        "ssn",
        "itin",
        "uspp",
        "usdl",
        "plate",
        "ip",
        "ipv",
    }
)


class Filler:
    """Fills one text's slots; values are cached so `{phone}` twice is the same number."""

    def __init__(self, pools: Pools, lang: str, rng: random.Random, genders: str) -> None:
        self.values = Values(pools, lang, rng)
        self.lang = lang
        self.rng = rng
        self.genders = genders
        self.cache: dict[tuple[str, int, str], tuple[str, str | None, str]] = {}
        self.people: dict[int, Person] = {}

    def person(self, index: int) -> Person:
        if index not in self.people:
            letter = self.genders[index - 1] if index <= len(self.genders) else "x"
            female = {"f": True, "m": False}.get(letter)
            for _ in range(50):
                candidate = self.values.person(female)
                taken = {(p.first, p.last) for p in self.people.values()}
                if (candidate.first, candidate.last) not in taken and all(
                    candidate.first != p.first and candidate.last != p.last
                    for p in self.people.values()
                ):
                    break
            self.people[index] = candidate
        return self.people[index]

    def fill(self, kind: str, index: int, arg: str) -> tuple[str, str | None, str]:
        """(value, TYPE or None, key of the underlying value)."""
        slot = (kind, index, arg)
        if kind not in LABELLED_KINDS and kind != "company":
            return self._filler(kind, index, arg), None, ""
        if slot not in self.cache:
            self.cache[slot] = self._make(kind, index, arg)
        return self.cache[slot]

    def _make(self, kind: str, index: int, arg: str) -> tuple[str, str | None, str]:
        v, rng, lang = self.values, self.rng, self.lang
        if kind in PERSON_FORMS:
            person = self.person(index)
            value = PERSON_FORMS[kind](person)
            return value, "PERSON", value
        if kind == "email":
            value = v.email(self.person(index))
            return value, "EMAIL_ADDRESS", value
        if kind == "wemail":
            company = self.fill("company", index, "")[0]
            value = v.email(self.person(index), v.company_domain(company))
            return value, "EMAIL_ADDRESS", value
        if kind == "url":
            value = v.profile_url(self.person(index), arg)
            return value, "URL", value
        if kind == "handle":
            value = v.handle(self.person(index))
            return value, "URL", value
        if kind in ("dob", "dobnum"):
            birth = self.person(index).birth
            return (
                v.date_text(birth, "num" if kind == "dobnum" else None),
                "DATE_OF_BIRTH",
                f"dob{birth}",
            )
        if kind == "city":
            town = v.town(arg or self._home(index))[0]
            return town, "LOCATION", town
        if kind == "country":
            value = v.country_name()
            return value, "LOCATION", value
        if kind == "nat":
            value = v.nationality(self.person(index).female)
            return value, "NRP", value
        if kind in ("addr", "addrml", "addr1"):
            country = arg or self._home(index)
            value = v.address(country, {"addrml": True, "addr1": False}.get(kind))
            return value, "ADDRESS", value
        if kind in ("phone", "phonex", "phonen", "phonei", "phonee"):
            region = arg or (v.world_region() if kind == "phonei" else v.default_region())
            style = {"phonen": "national", "phonei": "intl", "phonee": "e164"}.get(kind)
            value = v.phone_text(region, style, extension=kind == "phonex")
            digits = "".join(c for c in value if c.isdigit())
            return value, "PHONE_NUMBER", f"tel{digits}"
        if kind == "iban":
            value = v.iban(arg or None)
            return value, "IBAN_CODE", value.replace(" ", "")
        if kind == "card":
            value = v.card(arg or None)
            return value, "CREDIT_CARD", re.sub(r"\D", "", value)
        if kind == "bic":
            value = ids.bic_code(
                rng, arg or {"en": "GB", "fr": "FR", "de": "DE", "es": "ES", "it": "IT"}[lang]
            )
            return value, "BIC_CODE", value
        if kind == "aba":
            value = ids.aba_routing(rng)
            return value, "ABA_ROUTING_NUMBER", value
        if kind == "vat":
            value = v.vat(arg or None)
            return value, "EU_VAT", value.replace(" ", "")
        if kind == "nir":
            person = self.person(index)
            raw = ids.fr_nir(rng, person.female, person.birth)
            return ids.format_nir(raw, rng.random() < 0.7), "FR_NIR", raw
        if kind == "siren":
            raw = ids.fr_siren(rng)
            value = f"{raw[:3]} {raw[3:6]} {raw[6:]}" if rng.random() < 0.6 else raw
            return value, "FR_SIREN", raw
        if kind == "siret":
            raw = ids.fr_siret(rng)
            value = f"{raw[:3]} {raw[3:6]} {raw[6:9]} {raw[9:]}" if rng.random() < 0.6 else raw
            return value, "FR_SIRET", raw
        if kind == "taxid":
            raw = ids.de_tax_id(rng)
            value = f"{raw[:2]} {raw[2:5]} {raw[5:8]} {raw[8:]}" if rng.random() < 0.5 else raw
            return value, "DE_TAX_ID", raw
        if kind == "dni":
            raw = ids.es_dni(rng)
            value = rng.choice(
                [raw, raw, f"{raw[:8]}-{raw[8]}", f"{raw[:2]}.{raw[2:5]}.{raw[5:8]}-{raw[8]}"]
            )
            return value, "ES_NIF", raw
        if kind == "nie":
            raw = ids.es_nie(rng)
            value = rng.choice([raw, raw, f"{raw[0]}-{raw[1:8]}-{raw[8]}"])
            return value, "ES_NIE", raw
        if kind == "cf":
            person = self.person(index)
            towns = [t for t, _, _ in v.pools.towns["IT"] if t in ids.BELFIORE]
            raw = ids.it_fiscal_code(
                person.first, person.last.split()[0], person.female, person.birth, rng.choice(towns)
            )
            return raw, "IT_FISCAL_CODE", raw
        if kind == "benn":
            person = self.person(index)
            raw = ids.be_national_number(rng, person.female, person.birth)
            return (ids.format_be_nn(raw) if rng.random() < 0.7 else raw), "BE_NATIONAL_NUMBER", raw
        if kind == "ahv":
            raw = ids.ch_ahv(rng)
            return ids.format_ahv(raw), "CH_AHV", raw
        if kind == "nino":
            raw = ids.uk_nino(rng)
            return ids.format_nino(raw, rng.random() < 0.6), "UK_NINO", raw
        if kind == "nhs":
            raw = ids.uk_nhs(rng)
            value = f"{raw[:3]} {raw[3:6]} {raw[6:]}" if rng.random() < 0.7 else raw
            return value, "UK_NHS", raw
        if kind == "ssn":
            raw = ids.us_ssn(rng)
            value = rng.choice([ids.dashed_ssn(raw)] * 3 + [f"{raw[:3]} {raw[3:5]} {raw[5:]}", raw])
            return value, "US_SSN", raw
        if kind == "itin":
            raw = ids.us_itin(rng)
            return ids.dashed_ssn(raw), "US_ITIN", raw
        if kind == "uspp":
            raw = ids.us_passport(rng)
            return raw, "US_PASSPORT", raw
        if kind == "usdl":
            state = arg or rng.choice(list(ids.US_LICENCE_SHAPES))
            raw = ids.us_driver_licence(rng, state)
            return raw, "US_DRIVER_LICENSE", raw
        if kind == "plate":
            raw = ids.licence_plate(
                rng, arg or {"en": "GB", "fr": "FR", "de": "DE", "es": "ES", "it": "IT"}[lang]
            )
            return raw, "LICENSE_PLATE", raw
        if kind == "ip":
            raw = ids.ipv4(rng)
            return raw, "IP_ADDRESS", raw
        if kind == "ipv":
            raw = ids.ipv6(rng)
            return raw, "IP_ADDRESS", raw
        return self._filler(kind, index, arg), None, ""

    def _home(self, index: int) -> str:
        key = ("home", index, "")
        if key not in self.cache:
            self.cache[key] = (self.values.home_country(), None, "")
        return self.cache[key][0]

    def _filler(self, kind: str, index: int, arg: str) -> str:
        v, rng, lang = self.values, self.rng, self.lang
        if kind == "company":
            return v.company()
        if kind == "product":
            return v.product()
        if kind == "amount":
            return v.amount()
        if kind == "date":
            return v.business_date()
        if kind == "year":
            return str(rng.randint(2019, 2026))
        if kind == "weekday":
            return rng.choice(WEEKDAYS[lang])
        if kind == "job":
            return rng.choice(JOBS[lang])
        if kind == "event":
            return rng.choice(EVENTS[lang])
        if kind == "place":
            return rng.choice(BIZ_PLACES[lang])
        if kind == "num":
            return v.lookalike(int(arg or "8"))
        if kind == "order":
            year = rng.randint(2023, 2026)
            return rng.choice(
                [
                    f"{year}-{rng.randint(10000, 999999)}",
                    f"{rng.randint(1000, 9999)}-{rng.randint(10, 99)}",
                    f"ORD-{year}-{rng.randint(1000, 99999):05d}",
                    v.lookalike(rng.choice([7, 8, 10, 12])),
                ]
            )
        if kind == "invoice":
            year = rng.randint(2023, 2026)
            prefix = {"en": "INV", "fr": "FA", "de": "RE", "es": "FAC", "it": "FT"}[lang]
            return rng.choice(
                [
                    f"{prefix}-{year}-{rng.randint(1, 9999):04d}",
                    f"{year}/{rng.randint(1, 999):03d}",
                    f"{prefix}{year % 100}{rng.randint(10000, 99999)}",
                ]
            )
        if kind == "ticket":
            return rng.choice(
                [
                    f"#{rng.randint(1000, 999999)}",
                    f"INC{rng.randint(100000, 9999999)}",
                    f"SR-{rng.randint(10000, 99999)}",
                    f"{rng.choice(['OPS', 'SUP', 'IT'])}-{rng.randint(100, 9999)}",
                ]
            )
        if kind == "version":
            return f"{rng.randint(1, 24)}.{rng.randint(0, 30)}.{rng.randint(0, 40)}"
        if kind == "pct":
            return f"{rng.randint(1, 99)}{'.' if lang == 'en' else ','}{rng.randint(0, 9)}"
        if kind == "qty":
            return str(
                rng.choice([rng.randint(2, 40), rng.randint(50, 900), rng.randint(1000, 50000)])
            )
        if kind == "sku":
            prefix = rng.choice(["SKU", "REF", "ART", "PN"])
            return f"{prefix}-{rng.randint(1000, 99999)}-{rng.choice('ABCDEFGHJK')}"
        if kind == "time":
            return (
                f"{rng.randint(7, 19)}:{rng.choice(['00', '15', '30', '45'])}"
                if lang != "en"
                else f"{rng.randint(1, 12)}:{rng.choice(['00', '30'])} {rng.choice(['am', 'pm'])}"
            )
        if kind == "room":
            return f"{rng.choice('ABCDE')}{rng.randint(1, 5)}.{rng.randint(1, 40):02d}"
        if kind == "ean":
            body = "".join(rng.choice("0123456789") for _ in range(12))
            total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
            return body + str((10 - total % 10) % 10)
        if kind == "isbn":
            body = "978" + "".join(rng.choice("0123456789") for _ in range(9))
            total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
            check = str((10 - total % 10) % 10)
            return f"{body[:3]}-{body[3]}-{body[4:8]}-{body[8:12]}-{check}"
        if kind == "weblink":
            return rng.choice(
                [
                    "https://docs.python.org/3/library/json.html",
                    "https://status.aws.amazon.com",
                    "https://www.europarl.europa.eu/news",
                    "https://github.com/pallets/flask/issues",
                    "https://www.insee.fr/fr/statistiques",
                    "https://www.destatis.de/DE/Home",
                    "https://www.ine.es/prensa/ipc_prensa.htm",
                    "https://www.istat.it/it/archivio",
                    "https://en.wikipedia.org/wiki/Supply_chain",
                    "https://kubernetes.io/docs/home/",
                ]
            )
        raise KeyError(f"unknown slot {kind!r}")


def render(
    template: Template,
    pools: Pools,
    lang: str,
    rng: random.Random,
    plain: bool = False,
    filler: Filler | None = None,
) -> tuple[Rendered, Filler]:
    """Fill a template. With `plain`, evasion modifiers are ignored (the twin of an evasive
    text, rendered from the same `filler` so that it holds the same values)."""
    filler = filler or Filler(pools, lang, rng, template.genders)
    out = Rendered("")
    pieces: list[str] = []
    cursor = 0
    for match in SLOT.finditer(template.text):
        pieces.append(template.text[cursor : match.start()])
        cursor = match.end()
        kind, index, arg, mod = (
            match.group(1),
            int(match.group(2) or 1),
            match.group(3) or "",
            match.group(4),
        )
        value, label, key = filler.fill(kind, index, arg)
        if mod and not plain:
            value = evade(value, mod, filler.rng)
        if label is None:
            pieces.append(value)
            continue
        if "|" in value or "]]" in value or "[[" in value:
            raise ValueError(f"value cannot be marked up: {value!r}")
        pieces.append(f"[[{value}|{label}]]")
        out.values.append((value, label))
        out.keys.add(f"{label}:{key}")
    pieces.append(template.text[cursor:])
    out.text = "".join(pieces)
    return out, filler
