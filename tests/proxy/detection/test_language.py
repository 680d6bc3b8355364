"""The language heuristic: evidence wins, ties and silence give the first candidate, and the
answer is always one of the candidates."""

from __future__ import annotations

import pytest

from proxy.detection.language import pick_language

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
