"""Surrogates of the `fake` action (`proxy.faking`): valid (check digits verified by
python-stdnum, numbering plans by phonenumbers), of the same locale and gender, in the
value's layout, deterministic per app and value, never a value of the request, never shared.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import phonenumbers
import pytest
from faker.providers.person.en_GB import Provider as BritishNames
from faker.providers.person.en_US import Provider as AmericanNames
from faker.providers.person.fr_BE import Provider as BelgianNames
from faker.providers.person.fr_CA import Provider as CanadianNames
from faker.providers.person.fr_CH import Provider as SwissNames
from faker.providers.person.fr_FR import Provider as FrenchNames
from stdnum import bic, iban, luhn
from stdnum.es import nif
from stdnum.eu import vat
from stdnum.fr import nir, siren, siret
from stdnum.it import codicefiscale
from stdnum.pl import pesel
from stdnum.us import ssn

from proxy.detection.types import Analysis, Finding
from proxy.faking import RESERVED_DOMAINS, SurrogateBook
from proxy.masking import mask_texts
from proxy.placeholders import TOKEN_PATTERN, Vault
from proxy.policy import Policy, load_policy

APP = b"a" * 32
OTHER_APP = b"b" * 32


def mint(entity_type: str, value: str, language: str = "fr", secret: bytes = APP) -> str:
    book = SurrogateBook(secret)
    book.observe([value])
    made = book.mint(entity_type, value, language)
    assert made is not None
    return made


def layout(value: str) -> str:
    """Where the separators are: letters and digits as 'x'."""
    return re.sub(r"[^\W_]", "x", value)


def compact(check: Callable[[str], bool]) -> Callable[[str], bool]:
    """`check` on the value without its separators."""
    return lambda value: check(re.sub(r"\W", "", value))


# (type, value, language, the check that the surrogate is a valid value of its type)
VALID = [
    ("IBAN_CODE", "FR76 3000 6000 0112 3456 7890 189", "fr", iban.is_valid),
    ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", "en", iban.is_valid),
    ("IBAN_CODE", "DE89370400440532013000", "de", iban.is_valid),
    ("IBAN_CODE", "ES9121000418450200051332", "es", iban.is_valid),
    ("IBAN_CODE", "BE71096123456769", "fr", iban.is_valid),
    ("CREDIT_CARD", "4111 1111 1111 1111", "en", compact(luhn.is_valid)),
    ("CREDIT_CARD", "5500-0000-0000-0004", "en", compact(luhn.is_valid)),
    ("CREDIT_CARD", "378282246310005", "en", luhn.is_valid),
    ("FR_NIR", "1 84 12 76 451 089 46", "fr", compact(nir.is_valid)),
    ("FR_NIR", "284127645108993", "fr", nir.is_valid),
    ("FR_SIREN", "732 829 320", "fr", siren.is_valid),
    ("FR_SIRET", "732 829 320 00074", "fr", siret.is_valid),
    ("EU_VAT", "FR40303265045", "fr", vat.is_valid),
    ("EU_VAT", "DE136695976", "de", vat.is_valid),
    ("EU_VAT", "IT00743110157", "it", vat.is_valid),
    ("BIC_CODE", "BNPAFRPPXXX", "fr", bic.is_valid),
    ("ES_NIF", "12345678Z", "es", nif.is_valid),
    ("IT_FISCAL_CODE", "RSSMRA85T10A562S", "it", codicefiscale.is_valid),
    ("PL_PESEL", "44051401359", "en", pesel.is_valid),
    ("US_SSN", "536-90-4399", "en", ssn.is_valid),
]


@pytest.mark.parametrize(("entity_type", "value", "language", "valid"), VALID)
def test_identifiers_get_valid_check_digits_in_the_values_layout(
    entity_type: str, value: str, language: str, valid: object
) -> None:
    assert callable(valid)
    assert valid(value), "the table's own value must be valid"
    surrogate = mint(entity_type, value, language)
    assert valid(surrogate), surrogate
    assert layout(surrogate) == layout(value)
    assert re.sub(r"\W", "", surrogate) != re.sub(r"\W", "", value)


@pytest.mark.parametrize("value", ["FR76 3000 6000 0112 3456 7890 189", "BE68539007547034"])
def test_an_iban_keeps_its_country(value: str) -> None:
    assert mint("IBAN_CODE", value)[:2] == value[:2]


def test_a_french_iban_gets_a_valid_rib_key() -> None:
    """python-stdnum checks the IBAN's own check digits, not the French bank key inside."""
    bban = re.sub(r"\W", "", mint("IBAN_CODE", "FR76 3000 6000 0112 3456 7890 189"))[4:]
    bank, branch, account, key = int(bban[:5]), int(bban[5:10]), int(bban[10:21]), int(bban[21:])
    assert (89 * bank + 15 * branch + 3 * account + key) % 97 == 0


def test_a_card_keeps_its_brand_and_a_nir_its_sex() -> None:
    assert mint("CREDIT_CARD", "4111 1111 1111 1111").startswith("41")
    assert mint("CREDIT_CARD", "378282246310005").startswith("37")
    assert mint("FR_NIR", "284127645108993").startswith("2")


@pytest.mark.parametrize(
    ("value", "language", "region"),
    [
        ("06 12 34 56 78", "fr", "FR"),
        ("+33 6 98 76 54 32", "fr", "FR"),
        ("01 42 68 53 00", "fr", "FR"),
        ("+44 7911 123456", "en", "GB"),
        ("(212) 555-0147", "en", "US"),
        ("+49 30 901820", "de", "DE"),
    ],
)
def test_a_phone_number_stays_a_valid_number_of_its_country_and_line_type(
    value: str, language: str, region: str
) -> None:
    surrogate = mint("PHONE_NUMBER", value, language)
    original = phonenumbers.parse(value, region)
    faked = phonenumbers.parse(surrogate, region)
    assert phonenumbers.is_valid_number(faked), surrogate
    assert faked.country_code == original.country_code
    assert phonenumbers.number_type(faked) == phonenumbers.number_type(original)
    assert layout(surrogate) == layout(value)
    assert surrogate != value


def test_an_email_goes_to_a_reserved_domain_and_follows_the_name() -> None:
    book = SurrogateBook(APP)
    book.observe(["Jean Dupont, jean.dupont@orange.fr"])
    person = book.mint("PERSON", "Jean Dupont", "fr")
    address = book.mint("EMAIL_ADDRESS", "jean.dupont@orange.fr", "fr")
    assert person is not None
    assert address is not None
    local, _, domain = address.partition("@")
    assert domain in RESERVED_DOMAINS
    first, last = person.split()
    plain = str.maketrans("éèëêïîôöüûàâç", "eeeeiioouuaac")
    assert local == f"{first}.{last}".lower().translate(plain)
    other = mint("EMAIL_ADDRESS", "kx7q@corp.example.fr", "fr")
    assert other.partition("@")[2] in RESERVED_DOMAINS


# French names: Faker's lists of France, Belgium, Switzerland and Canada (French).
FRENCH = (FrenchNames, BelgianNames, SwissNames, CanadianNames)
FRENCH_FEMALE = {name for p in FRENCH for name in p.first_names_female}
FRENCH_MALE = {name for p in FRENCH for name in p.first_names_male}
FRENCH_SURNAMES = {name for p in FRENCH for name in p.last_names}


@pytest.mark.parametrize(
    ("value", "gender"),
    [
        ("Jean Dupont", FRENCH_MALE),
        ("Marie Curie", FRENCH_FEMALE),
        ("Hélène Lefèvre", FRENCH_FEMALE),
    ],
)
def test_a_french_name_gets_a_french_name_of_the_same_gender(value: str, gender: set[str]) -> None:
    first, last = mint("PERSON", value).split()
    assert first in gender
    assert last in FRENCH_SURNAMES


def test_an_english_name_gets_an_english_name() -> None:
    first, last = mint("PERSON", "Emily Johnson", "fr").split()
    assert first in {*AmericanNames.first_names_female, *BritishNames.first_names_female}
    assert last in {*AmericanNames.last_names, *BritishNames.last_names}


def test_a_name_keeps_its_shape_titles_particles_and_capitals() -> None:
    book = SurrogateBook(APP)
    book.observe(["Mme Jeanne-Marie de La Fontaine, DUPONT Jean, Jean Dupont, Dupont"])
    titled = book.mint("PERSON", "Mme Jeanne-Marie de La Fontaine", "fr")
    assert titled is not None
    assert re.fullmatch(r"Mme \w+-\w+ de La \w+", titled), titled
    full = book.mint("PERSON", "Jean Dupont", "fr")
    inverted = book.mint("PERSON", "DUPONT Jean", "fr")
    alone = book.mint("PERSON", "Dupont", "fr")
    assert full is not None
    assert inverted is not None
    first, last = full.split()
    assert inverted == f"{last.upper()} {first}"  # the same person, the surname in capitals
    assert alone == last  # the surname alone is the full name's surname
    assert book.entries[last] == "Dupont"  # each part is itself restorable
    assert book.entries[first] == "Jean"


def test_values_differing_in_case_get_the_same_surrogate_in_their_case() -> None:
    book = SurrogateBook(APP)
    book.observe(["JEAN DUPONT and Jean Dupont"])
    upper = book.mint("PERSON", "JEAN DUPONT", "fr")
    title = book.mint("PERSON", "Jean Dupont", "fr")
    assert upper is not None
    assert title is not None
    assert upper == title.upper()
    assert upper != title


@pytest.mark.parametrize(
    ("value", "language", "pattern", "parse"),
    [
        ("12/03/1981", "fr", r"\d\d/\d\d/\d{4}", "%d/%m/%Y"),
        ("03/12/1981", "en", r"\d\d/\d\d/\d{4}", "%m/%d/%Y"),
        ("1981-03-12", "en", r"\d{4}-\d\d-\d\d", "%Y-%m-%d"),
        ("12.03.1981", "de", r"\d\d\.\d\d\.\d{4}", "%d.%m.%Y"),
        ("11MAR1981", "en", r"\d\d[A-Z]{3}\d{4}", "%d%b%Y"),
        ("March 12, 1981", "en", r"[A-Z][a-z]+ \d\d?, \d{4}", "%B %d, %Y"),
    ],
)
def test_a_date_moves_by_a_few_weeks_in_its_own_format(
    value: str, language: str, pattern: str, parse: str
) -> None:
    surrogate = mint("DATE_OF_BIRTH", value, language)
    assert re.fullmatch(pattern, surrogate), surrogate
    moved = dt.datetime.strptime(surrogate.title() if "%b" in parse else surrogate, parse)
    original = dt.datetime.strptime(value.title() if "%b" in parse else value, parse)
    assert 3 <= abs((moved - original).days) < 60


@pytest.mark.parametrize(
    ("value", "days"),
    [
        ("mardi", "lundi mardi mercredi jeudi vendredi samedi dimanche"),
        ("Tuesday", "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
    ],
)
def test_a_weekday_becomes_another_of_its_language(value: str, days: str) -> None:
    surrogate = mint("DATE_TIME", value)
    assert surrogate in days.split()
    assert surrogate != value


def test_a_french_date_in_words_keeps_its_language() -> None:
    surrogate = mint("DATE_TIME", "12 mars 1981")
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    assert re.fullmatch(rf"\d\d ({'|'.join(months.split())}) 198[01]", surrogate), surrogate


def test_places_and_addresses_come_from_the_locale() -> None:
    assert re.search(r"\b\d{5}\b", mint("ADDRESS", "12 rue de la Paix, 75002 Paris"))
    assert mint("LOCATION", "France") != "France"
    assert mint("IP_ADDRESS", "10.1.2.3").startswith(("192.0.2.", "198.51.100.", "203.0.113."))
    assert mint("URL", "https://linkedin.com/in/jdupont").startswith(
        tuple(f"https://www.{d}/" for d in RESERVED_DOMAINS)
    )


def test_deterministic_per_app_and_value_never_from_the_value_alone() -> None:
    values = ["Jean Dupont", "Marie Curie", "06 12 34 56 78", "jean.dupont@orange.fr"]
    kinds = ["PERSON", "PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS"]
    first = [mint(k, v) for k, v in zip(kinds, values, strict=True)]
    again = [mint(k, v) for k, v in zip(kinds, values, strict=True)]
    other_app = [mint(k, v, secret=OTHER_APP) for k, v in zip(kinds, values, strict=True)]
    assert first == again
    assert first != other_app  # another app's key draws other surrogates


def test_a_surrogate_is_never_a_value_the_request_carries() -> None:
    """The request names, elsewhere and undetected, the very person this app's key would
    draw for Jean Dupont: another is drawn."""
    usual = mint("PERSON", "Jean Dupont")
    text = f"Jean Dupont called about {usual}'s file."
    book = SurrogateBook(APP)
    book.observe([text])
    made = book.mint("PERSON", "Jean Dupont", "fr")
    assert made is not None
    assert made != usual
    for word in made.split():
        assert word.casefold() not in text.casefold()


def test_surrogates_of_distinct_values_are_distinct_down_to_their_parts() -> None:
    people = [f"{first} {last}" for first, last in zip(
        sorted(FRENCH_MALE)[:40], sorted(FRENCH_SURNAMES)[:40], strict=True
    )]  # fmt: skip
    book = SurrogateBook(APP)
    book.observe(people)
    made = [book.mint("PERSON", person, "fr") for person in people]
    assert None not in made
    assert len(set(made)) == len(people)
    stands_for: dict[str, set[str]] = {}
    for name, person in zip(made, people, strict=True):
        assert name is not None
        for part, original in zip(name.split(), person.split(), strict=True):
            stands_for.setdefault(part, set()).add(original)
    assert all(len(originals) == 1 for originals in stands_for.values())
    assert {book.entries[part] for part in stands_for} == {
        word for person in people for word in person.split()
    }


@pytest.fixture
def fake_policy(tmp_path: Path) -> Policy:
    path = tmp_path / "p.yaml"
    path.write_text("default_action: fake\n")
    return load_policy(path, known_entities={"PERSON", "NRP", "DATE_TIME"}, languages={"fr"})


def test_masking_fakes_and_falls_back_to_a_placeholder(fake_policy: Policy) -> None:
    text = "Jean Dupont, français, viendra mardi prochain. Jean Dupont confirme."
    findings = (
        Finding(0, 11, "PERSON", 0.9),
        Finding(13, 21, "NRP", 0.9),
        Finding(30, 45, "DATE_TIME", 0.9),
    )
    vault = Vault(APP)
    result = mask_texts([text], [Analysis("fr", findings)], fake_policy, vault)
    [masked] = result.texts
    surrogate = vault.surrogate_for("PERSON", "Jean Dupont", "fr")
    assert masked.count(surrogate) == 2  # propagated, the same surrogate
    assert "Jean Dupont" not in masked
    assert {m.group(1) for m in TOKEN_PATTERN.finditer(masked)} == {"NRP", "DATE_TIME"}
    assert result.actions == {"fake": 4}
    assert vault.entity_map()[surrogate] == "Jean Dupont"
    assert vault.counts_by_type() == {"PERSON": 1, "NRP": 1, "DATE_TIME": 1}
