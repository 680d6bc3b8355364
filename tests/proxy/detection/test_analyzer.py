"""The analyzer's context step: Presidio's results, in Presidio's order, in one pass over
the results instead of two per recognizer (issue 13)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

from proxy.detection.analyzer import GroupingAnalyzerEngine, LanguageRecognizerRegistry
from proxy.detection.context import PhraseContextEnhancer

KEY = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
TEXT = "IBAN: FR76 3000 6000 0112 3456 7890 189, phone 06 12 34 56 78, card 4970 1012 3456 7890"


class _CountingMetadata(dict[str, Any]):
    """Recognition metadata that counts how often a result's recognizer is looked up."""

    lookups = 0

    def __getitem__(self, key: str) -> Any:
        if key == KEY:
            _CountingMetadata.lookups += 1
        return super().__getitem__(key)


class _Boosting(PatternRecognizer):
    """A recognizer with its own context hook: it sees its own and the others' results."""

    seen_others = 0

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: list[RecognizerResult],
        other_raw_recognizer_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        self.seen_others = len(other_raw_recognizer_results)
        for result in raw_recognizer_results:
            result.score = min(1.0, result.score + 0.1)
        return raw_recognizer_results[::-1]


def _engine(cls: type[AnalyzerEngine]) -> AnalyzerEngine:
    engine = object.__new__(cls)  # the context step needs no NLP engine nor registry
    engine.context_aware_enhancer = PhraseContextEnhancer()
    return engine


def _recognizers(count: int) -> list[EntityRecognizer]:
    recognizers: list[EntityRecognizer] = []
    for number in range(count):
        cls = _Boosting if number % 7 == 3 else PatternRecognizer
        recognizers.append(
            cls(
                supported_entity=f"T{number % 5}",
                patterns=[Pattern("p", r"\d+", 0.3)],
                context=["iban", "phone", "card"][number % 3 :][:1],
            )
        )
    return recognizers


def _results(recognizers: list[EntityRecognizer], count: int, seed: int) -> list[RecognizerResult]:
    rng = random.Random(seed)
    results = []
    for _ in range(count):
        recognizer = rng.choice(recognizers)
        start = rng.randrange(len(TEXT) - 5)
        result = RecognizerResult(
            recognizer.supported_entities[0], start, start + rng.randrange(1, 6), rng.random()
        )
        result.recognition_metadata = _CountingMetadata({KEY: recognizer.id})
        results.append(result)
    return results


def _run(
    cls: type[AnalyzerEngine], recognizers: list[EntityRecognizer], seed: int
) -> list[tuple[str, int, int, float, bool]]:
    results = _engine(cls)._enhance_using_context(
        TEXT,
        _results(recognizers, 300, seed),
        None,
        recognizers,  # type: ignore[arg-type]
    )
    return [
        (
            r.recognition_metadata[KEY],
            r.start,
            r.end,
            r.score,
            bool(r.recognition_metadata.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY)),
        )
        for r in results
    ]


def test_results_scores_and_order_are_presidios() -> None:
    recognizers = _recognizers(40)
    for seed in range(5):
        assert _run(GroupingAnalyzerEngine, recognizers, seed) == _run(
            AnalyzerEngine, recognizers, seed
        )


def test_a_recognizer_with_its_own_hook_sees_the_other_results() -> None:
    recognizers = _recognizers(8)
    results = _results(recognizers, 50, seed=1)
    boosting = recognizers[3]
    assert isinstance(boosting, _Boosting)
    _engine(GroupingAnalyzerEngine)._enhance_using_context(TEXT, results, None, recognizers)  # type: ignore[arg-type]
    others = [r for r in results if r.recognition_metadata[KEY] != boosting.id]
    assert boosting.seen_others == len(others) > 0


def test_results_are_grouped_in_one_pass() -> None:
    """Presidio looks up each result's recognizer twice per recognizer (2 x 60 x 500 here);
    grouping looks it up once, plus once per recognizer that has its own hook."""
    recognizers = [r for r in _recognizers(60) if not isinstance(r, _Boosting)]
    results = _results(recognizers, 500, seed=2)
    _CountingMetadata.lookups = 0
    _engine(GroupingAnalyzerEngine)._enhance_using_context(TEXT, results, None, recognizers)  # type: ignore[arg-type]
    assert _CountingMetadata.lookups <= 2 * len(results)


def _language_recognizers(language: str, count: int) -> list[EntityRecognizer]:
    return [
        PatternRecognizer(
            supported_entity=f"T{number}",
            name=f"{language}{number}",
            patterns=[Pattern("p", r"\d+", 0.3)],
            supported_language=language,
        )
        for number in range(count)
    ]


def test_language_registry_returns_what_presidio_returns_and_sees_new_recognizers() -> None:
    """Each language's recognizers, with and without a request's own, in Presidio's order;
    a recognizer added or removed later is seen."""
    registries = [
        cls(supported_languages=["en", "fr", "de"])
        for cls in (RecognizerRegistry, LanguageRecognizerRegistry)
    ]
    mixed = [
        r
        for group in zip(*(_language_recognizers(lang, 4) for lang in ("en", "fr")), strict=True)
        for r in group
    ]
    ad_hoc = _language_recognizers("fr", 2) + _language_recognizers("en", 1)

    def answers(registry: RecognizerRegistry) -> list[list[str]]:
        return [
            [
                r.name
                for r in registry.get_recognizers(
                    language, all_fields=True, ad_hoc_recognizers=extra
                )
            ]
            for language in ("en", "fr")
            for extra in (None, ad_hoc)
        ]

    for registry in registries:
        for recognizer in mixed:
            registry.add_recognizer(recognizer)
    assert answers(registries[1]) == answers(registries[0])
    assert answers(registries[1])[0] == ["en0", "en1", "en2", "en3"]
    for registry in registries:
        registry.add_recognizer(_language_recognizers("en", 5)[4])
    assert answers(registries[1]) == answers(registries[0])
    assert answers(registries[1])[0][-1] == "en4"
    for registry in registries:
        registry.remove_recognizer("en1")
    assert answers(registries[1]) == answers(registries[0])
    assert "en1" not in answers(registries[1])[0]
    assert [r.name for r in registries[1].get_recognizers("fr", entities=["T1"])] == [
        r.name for r in registries[0].get_recognizers("fr", entities=["T1"])
    ]


def test_language_registry_without_recognizers_for_a_language_says_so() -> None:
    registry = LanguageRecognizerRegistry(supported_languages=["en", "de"])
    registry.add_recognizer(_language_recognizers("en", 1)[0])
    with pytest.raises(ValueError, match="No matching recognizers"):
        registry.get_recognizers("de", all_fields=True)
