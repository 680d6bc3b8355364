"""Language identification. The heuristic for short texts: evidence wins, ties and silence
give the first candidate, and the answer is always one of the candidates. Lingua for the
others, and segments of mixed texts."""

from __future__ import annotations

import itertools

import pytest

from proxy.detection.language import LanguageIdentifier, pick_language

ALL = ["en", "fr", "de", "es", "it"]


@pytest.mark.parametrize(
    ("text", "candidates", "expected"),
    [
        ("Please send the contract to the client.", ["fr", "en"], "en"),
        ("Merci d'envoyer le contrat au client avant vendredi.", ["en", "fr"], "fr"),
        ("Bitte schicken Sie den Vertrag an den Kunden.", ALL, "de"),
        ("Por favor, envía el contrato al cliente. ¿Está claro?", ALL, "es"),
        ("Per favore, invia il contratto al cliente perché è urgente.", ALL, "it"),
        ("Jean Dupont, né à Besançon, préfère ça.", ["en", "fr"], "fr"),  # accents alone
        ("Jean Dupont", ["en", "fr"], "en"),  # no evidence: first candidate
        ("Jean Dupont", ["fr", "en"], "fr"),
        ("06 12 34 56 78", ["fr", "en"], "fr"),
        ("", ["en", "fr"], "en"),
        ("def f(x): return x * 2", ["fr", "en"], "fr"),
        ("The contract. Le contrat.", ["en", "fr"], "en"),  # tie: first candidate
        ("The contract. Le contrat.", ["fr", "en"], "fr"),
        ("Le contrat est prêt.", ["en"], "en"),  # a single candidate is always the answer
        ("Het contract staat klaar voor de klant.", ["nl", "en"], "nl"),  # nl: no list, first
        ("The contract is ready for the client.", ["nl", "en"], "en"),
        ("LE CONTRAT EST PRÊT POUR LE CLIENT", ["en", "fr"], "fr"),  # case-insensitive
    ],
)
def test_pick_language(text: str, candidates: list[str], expected: str) -> None:
    assert pick_language(text, candidates) == expected


def test_decomposed_accents_count_like_composed_ones() -> None:
    decomposed = "Ce\u0301line pre\u0301fe\u0300re c\u0327a"  # "Céline préfère ça", NFD
    assert pick_language(decomposed, ["en", "fr"]) == "fr"


def test_no_candidate_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="at least one candidate"):
        pick_language("hello", [])


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier("low")


@pytest.mark.parametrize(
    ("text", "candidates", "expected"),
    [
        (
            "Nuestro proveedor francés nos envió sus datos: IBAN FR9213664442787795589409110, "
            "contacto Claire Dumont (claire.dumont@fournisseur.fr). ¿Puedes verificar?",
            ["en", "fr", "es"],
            "es",  # numbers, e-mail addresses and French names do not make it French
        ),
        (
            "Könnten Sie mir bitte die Rechnung vom letzten Monat noch einmal schicken?",
            ["en", "fr", "de"],
            "de",
        ),
        (
            "Könnten Sie mir bitte die Rechnung vom letzten Monat noch einmal schicken?",
            ["en", "fr"],
            "en",
        ),  # German is not a candidate: lingua's best candidate
        ("Jean Dupont", ["fr", "en"], "fr"),  # too short for lingua: the heuristic's fallback
    ],
)
def test_identifier_picks_among_candidates(
    identifier: LanguageIdentifier, text: str, candidates: list[str], expected: str
) -> None:
    assert identifier.pick(text, candidates) == expected


def test_a_mixed_text_is_cut_into_segments(identifier: LanguageIdentifier) -> None:
    english = "Hi team, please find below the message from our customer, thanks for handling it."
    french = (
        "> Bonjour, je souhaite modifier mon adresse de livraison pour la commande, merci de "
        "me rappeler rapidement."
    )
    text = f"{english}\n\n{french}\n\nThanks, John"
    segments = identifier.segments(text, ["en", "fr"])
    assert [s.language for s in segments] == ["en", "fr"]
    assert segments[0].start == 0
    assert segments[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(segments))
    assert french in text[segments[1].start : segments[1].end]


def test_a_text_in_one_language_is_one_segment(identifier: LanguageIdentifier) -> None:
    text = "Bonjour,\n\nVoici le compte rendu de la réunion de lundi avec le client.\n\nMerci"
    assert [(s.start, s.end, s.language) for s in identifier.segments(text, ["en", "fr"])] == [
        (0, len(text), "fr")
    ]


def test_rows_of_codes_and_names_do_not_cut_a_table_from_its_header(
    identifier: LanguageIdentifier,
) -> None:
    """The letters of IBANs, BICs and logins are no evidence of a language: a row made of
    them stays in its table's segment, so the table keeps its header."""
    text = (
        "Prüf mal bitte die Sammelüberweisung, irgendwo ist ein Zahlendreher:\n\n"
        "Empfänger|IBAN|BIC|Betrag|Verwendungszweck\n"
        "Weber, Lukas|DE38 5479 7549 6431 7089 21|GENODEM1GLS|1.250,00|Miete 03/25\n"
        "Kowalski-Brandt, Ewa|DE12 7626 8657 7544 5064 05|COBADEFFXXX|438,17|Reisekosten\n"
        "Summe laut Kontoauszug: 3.788,17 EUR"
    )
    assert [s.language for s in identifier.segments(text, ["en", "de"])] == ["de"]


def test_a_paragraph_needs_forty_letters_in_its_words_for_a_language_of_its_own(
    identifier: LanguageIdentifier,
) -> None:
    """39 letters in words are too few, 40 enough; letters in codes and addresses do not
    count."""
    codes = " FR7630006000011234567890189 jean.dupont@example.com ABC123"
    short = "Merci beaucoup pour votre aide precieuse hier" + codes  # 39 letters in words
    enough = "Merci beaucoup pour votre aide precieuse hier a" + codes  # 40
    assert identifier._paragraph_language(short, ["en", "fr"]) is None
    assert identifier._paragraph_language(enough, ["en", "fr"]) == "fr"
    assert identifier._paragraph_language(enough, ["en", "fr"]) == identifier.pick(
        enough, ["en", "fr"]
    )


def test_segments_without_candidates_is_a_programming_error(
    identifier: LanguageIdentifier,
) -> None:
    with pytest.raises(ValueError, match="candidate"):
        identifier.segments("Hello there.\n\nBonjour à tous, merci.\n" * 20, [])
