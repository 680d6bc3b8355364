"""Issue 9's capabilities, recognizer by recognizer, from tables (no worker pool: each
recognizer is called as Presidio calls it). Each row: the text, then what must be found (the
exact text of each span) and what must not.

The sentences are the issue's reproductions and forms of real text (chat, signatures, forms)
in English, French, German, Spanish and Italian; values are fictitious.
"""

from __future__ import annotations

import pytest

from proxy.detection.identifiers import CardNumberRecognizer
from proxy.detection.national_ids import NATIONAL, national_recognizers
from proxy.detection.normalise import normalise
from proxy.detection.people import NameCueRecognizer
from proxy.detection.phones import PhoneNumberRecognizer
from proxy.detection.places import PlaceCueRecognizer, is_tied, tie_pattern
from proxy.detection.profiles import ProfileUrlRecognizer

REGIONS = ["US", "GB", "FR", "BE", "CH", "DE", "AT", "ES", "IT"]  # the default settings'
CUES = ["tel", "call", "joignable au", "erreichbar unter", "reach"]


def _found(recognizer: object, text: str, min_score: float = 0.0) -> list[str]:
    results = recognizer.analyze(text, [])  # type: ignore[attr-defined]
    return [text[r.start : r.end] for r in results if r.score >= min_score]


# --- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        # a French number in an English sentence (the language's regions alone missed it)
        ("en", "Please call Jean Dupont, tel 06 12 34 56 78", ["06 12 34 56 78"]),
        ("en", "Office 212-555-0147 or (415)555-0123.", ["212-555-0147", "(415)555-0123"]),
        ("en", "Direct: +1-202-555-0188x12", ["+1-202-555-0188x12"]),
        ("en", "Zurich desk +41 (0)44 668 18 00", ["+41 (0)44 668 18 00"]),
        ("de", "Telefon 089/12345678, Durchwahl 030 12345678 Durchwahl 12", [
            "089/12345678", "030 12345678 Durchwahl 12",
        ]),
        ("es", "móvil 612 345 678", ["612 345 678"]),
        ("fr", "joignable au 06 12 34 56 78 / 01 23 45 67 89", [
            "06 12 34 56 78", "01 23 45 67 89",
        ]),
        ("en", "call 555-0123 tonight", ["555-0123"]),  # a short local number after a cue
    ],
)  # fmt: skip
def test_phone_numbers_found(language: str, text: str, found: list[str]) -> None:
    recognizer = PhoneNumberRecognizer(language, REGIONS, ["tel"], CUES)
    assert _found(recognizer, text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Order 2125550147 shipped.",  # a reference word before it
        "Meeting on 2024-03-15 at 10:30; budget 1.234.567 EUR.",
        "Commande n° 2024-118734 livrée.",  # a year then a serial
        "Export 20240315.",  # a compact date
        "Version 3.11.4 on 192.168.1.10.",
        "Le contrat 558 902 113 447 est signé.",  # German-valid only without its trunk 0
        "Part number 7700-123-456 replaces part 7700-123-455.",
        "[03/02/24 07:20] dani: ya está aquí",  # a chat export's date and hour
    ],
)
def test_numbers_that_are_not_phones(text: str) -> None:
    assert _found(PhoneNumberRecognizer("en", REGIONS, ["tel"], CUES), text) == []


def test_a_possible_number_needs_a_cue() -> None:
    recognizer = PhoneNumberRecognizer("fr", REGIONS, ["tel"], CUES)
    assert _found(recognizer, "joignable au 07 00 00 00 01") == ["07 00 00 00 01"]
    assert _found(recognizer, "la référence 07 00 00 00 01") == []


# --- national identifiers ----------------------------------------------------------------


def _national(language: str, text: str, entity: str) -> list[tuple[str, float]]:
    found = []
    for recognizer in national_recognizers(language, [entity]):
        for result in recognizer.analyze(text, recognizer.supported_entities):
            found.append((text[result.start : result.end], result.score))
    return found


@pytest.mark.parametrize(
    ("language", "entity", "text", "value", "acted_on_alone"),
    [
        ("en", "US_SSN", "Her SSN is 536-22-1847.", "536-22-1847", True),
        ("fr", "US_SSN", "Numéro de sécurité sociale américain : 536-22-1847", "536-22-1847", True),
        ("en", "UK_NINO", "NI number AB 12 34 56 C", "AB 12 34 56 C", True),
        ("en", "US_ITIN", "ITIN 912-70-1234", "912-70-1234", True),
        ("en", "UK_NHS", "NHS number 943 476 5919", "943 476 5919", False),
        ("en", "US_PASSPORT", "passport no. 912803456", "912803456", False),
        ("de", "US_PASSPORT", "Reisepass 912803456", "912803456", False),
    ],
)
def test_national_identifiers(
    language: str, entity: str, text: str, value: str, acted_on_alone: bool
) -> None:
    """Found with the right span; their score says whether the shape alone is evidence
    (0.5), and `context.py` raises the others to at least 0.6 after their label."""
    found = _national(language, text, entity)
    assert [v for v, _ in found] == [value]
    assert (found[0][1] >= 0.5) is acted_on_alone


def test_every_national_recognizer_builds_in_every_language() -> None:
    for language in ("en", "fr", "de", "es", "it"):
        built = national_recognizers(language)
        assert {r.supported_entities[0] for r in built} == set(NATIONAL)


# --- payment cards -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("JCB 213100000000001", ["213100000000001"]),  # 15-digit JCB
        ("JCB 1800 0000 0000 002", ["1800 0000 0000 002"]),
        ("Maestro 675964982002", ["675964982002"]),  # 12 digits
        ("UnionPay 6212 3456 7890 1000", ["6212 3456 7890 1000"]),
        ("Amex 3782 822463 10005", ["3782 822463 10005"]),
        ("ref 1234 5678 9012 3452", []),  # no issuer starts with 1234
    ],
)
def test_card_issuer_ranges(text: str, found: list[str]) -> None:
    assert _found(CardNumberRecognizer("en", ["card"]), text) == found


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "names"),
    [
        ("de", "Die Kundin Erika Mustermann hat angerufen.", {"Erika Mustermann"}),
        ("de", "Patientin: Anna Beispiel", {"Anna Beispiel"}),
        ("de", "Kontoinhaberin: Greta Muster", {"Greta Muster"}),
        ("de", "Hallo Konrad,\nbitte melden.", {"Konrad"}),
        ("de", "Danke.\n\nMit freundlichen Grüßen\nJürgen Weber", {"Jürgen Weber"}),
        ("de", "hey jürgen, alles klar?", {"jürgen"}),
        ("fr", "Bonjour Rémi,\nmerci.", {"Rémi"}),
        ("fr", "slt c chloé", {"chloé"}),
        ("fr", "je suis chez bastien ce soir", {"bastien"}),
        ("en", "Here's Oskar's address.", {"Oskar"}),
        ("en", "The singer Dubois will attend.", {"Dubois"}),
        ("en", "Thanks, Priya", {"Priya"}),
        ("en", "Best regards,\nSiobhan Nguyen-Kowalski", {"Siobhan Nguyen-Kowalski"}),
        ("es", "La paciente María López llamó.", {"María López"}),
        ("it", "Il cliente Giuseppe Rossi ha scritto.", {"Giuseppe Rossi"}),
    ],
)
def test_name_cues(language: str, text: str, names: set[str]) -> None:
    found = set(_found(NameCueRecognizer(language), text, 0.5))
    assert names <= found, found


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Our Paris Office and the Olympics Team met Amazon Web Services."),
        ("en", "Will you call back?"),
        ("de", "Sehr geehrte Frau Kollegin, bitte prüfen."),
        ("de", "Bitte senden Sie den Bericht."),
        ("fr", "slt c cool, avec plaisir"),
    ],
)
def test_not_names(language: str, text: str) -> None:
    assert _found(NameCueRecognizer(language), text, 0.5) == []


# --- places --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "place", "tied"),
    [
        ("de", "Patientin, wohnhaft in Würzburg, ruft an.", "Würzburg", True),
        ("fr", "Marie Curie est née à Varsovie.", "Varsovie", True),
        ("en", "She's moving to Leeds in May.", "Leeds", True),
        ("en", "Our Berlin office grew by 12%.", "Berlin", False),
        ("fr", "Les ventes en France progressent.", "France", False),
    ],
)
def test_places_tied_to_a_person(language: str, text: str, place: str, tied: bool) -> None:
    assert is_tied(tie_pattern(language), text, text.index(place)) is tied


def test_place_after_a_tie_without_a_model() -> None:
    recognizer = PlaceCueRecognizer("es")
    assert _found(recognizer, "La paciente vive en Sevilla desde 2019.") == ["Sevilla"]
    assert _found(recognizer, "La empresa abre en Sevilla.") == []


# --- URLs and handles ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("His GitHub is https://github.com/coreyc93.", ["https://github.com/coreyc93"]),
        (
            "LinkedIn: https://www.linkedin.com/in/gillian-myers-2f3a90/",
            ["https://www.linkedin.com/in/gillian-myers-2f3a90/"],
        ),
        ("Sein GitHub: github.com/miroslaws87", ["github.com/miroslaws87"]),
        ("he goes by @peter_patton on the chat", ["@peter_patton"]),
        ("Review comments from @katrin-wolff addressed", ["@katrin-wolff"]),  # names, a hyphen
        ("@font-face { font-family: Inter }", []),
        ("see https://github.com/features and https://docs.python.org/3/", []),
        ("@property\ndef name(self): ...", []),
        ("write to jane@example.com", []),
    ],
)
def test_profile_urls_and_handles(text: str, found: list[str]) -> None:
    assert _found(ProfileUrlRecognizer("en"), text) == found


# --- evasion -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("jean.dupont&#64;orange.fr", "jean.dupont@orange.fr"),
        ("jean.dupont&commat;orange.fr", "jean.dupont@orange.fr"),
        ("jean%2Edupont%40orange.fr", "jean.dupont@orange.fr"),
        ("Jean&nbsp;Dupont", "Jean Dupont"),
        ("name=Jean+Dupont%20x", "name=Jean Dupont x"),
        ("+33%206%2012", "+33 6 12"),  # a + before a digit stays
        ("AT&T and R&D", "AT&T and R&D"),  # not references
        ("50% off", "50% off"),
        ("card 4970 1234 \n 5678 9013", "card 4970 1234 5678 9013"),
        ("\uff14\uff19\uff17\uff10 \uff11\uff12\uff13\uff14", "4970 1234"),  # fullwidth digits
    ],
)
def test_escapes_and_breaks_are_read_through(text: str, normal: str) -> None:
    normalised = normalise(text)
    assert normalised.text == normal
    # Every normalised character maps back inside the original.
    for index in range(len(normalised.text)):
        start, end = normalised.span(index, index + 1)
        assert 0 <= start < end <= len(text)
