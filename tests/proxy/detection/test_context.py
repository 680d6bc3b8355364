"""Context phrases: matched whole-word, case-insensitively, in the text before a finding."""

from __future__ import annotations

import pytest
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from proxy.detection.context import PhraseContextEnhancer, phrase_pattern
from proxy.detection.context_words import CONTEXT

FR_NIR = CONTEXT["fr"]["FR_NIR"]


@pytest.mark.parametrize(
    ("window", "phrases", "matches"),
    [
        ("Mon n° de sécurité sociale : ", FR_NIR, True),
        ("N° DE SÉCURITÉ SOCIALE ", FR_NIR, True),
        ("numéro de sécurité\nsociale ", FR_NIR, True),  # any whitespace between words
        ("numero de securite sociale ", FR_NIR, True),  # listed unaccented spelling
        ("il faut fournir le ", FR_NIR, False),  # "nir" only as a whole word
        ("NIR: ", FR_NIR, True),
        ("Jean, né le ", CONTEXT["fr"]["DATE_TIME"], True),
        ("Je ne le ", CONTEXT["fr"]["DATE_TIME"], False),  # the accent counts
        ("Né(e) le ", CONTEXT["fr"]["DATE_TIME"], True),
        ("my phones: ", CONTEXT["en"]["PHONE_NUMBER"], True),
        ("the telephoto lens ", CONTEXT["en"]["PHONE_NUMBER"], False),
    ],
)
def test_phrase_pattern(window: str, phrases: list[str], matches: bool) -> None:
    assert (phrase_pattern(phrases).search(window) is not None) is matches


def test_every_language_lists_context_for_the_same_entities() -> None:
    assert CONTEXT["fr"].keys() == CONTEXT["en"].keys()


def _result(recognizer: PatternRecognizer, start: int, end: int, score: float) -> RecognizerResult:
    return RecognizerResult(
        "FR_SIREN",
        start,
        end,
        score,
        recognition_metadata={RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id},
    )


def test_enhancer_boosts_only_findings_with_context_just_before() -> None:
    recognizer = PatternRecognizer(
        "FR_SIREN", patterns=[Pattern("p", r"\d{9}", 0.3)], context=["siren"]
    )
    text = "SIREN 732829320, puis 732829320." + " " * 80 + "732829320"
    results = [_result(recognizer, 6, 15, 0.3), _result(recognizer, 113, 122, 0.3)]
    enhanced = PhraseContextEnhancer().enhance_using_context(text, results, None, [recognizer])
    assert [round(r.score, 2) for r in enhanced] == [0.65, 0.3]


def test_enhancer_never_exceeds_one() -> None:
    recognizer = PatternRecognizer("X", patterns=[Pattern("p", "x", 0.9)], context=["siren"])
    [result] = PhraseContextEnhancer().enhance_using_context(
        "siren x", [_result(recognizer, 6, 7, 0.9)], None, [recognizer]
    )
    assert result.score == 1.0
