"""Build the Presidio `AnalyzerEngine` a worker uses. Imported by workers only (heavy).

Everything is given to Presidio explicitly, so it neither downloads a model (it does when
given no NLP engine) nor loads its default recognizers (it does when given an empty
registry): our NER-only spaCy engine, our registry, our context enhancer.

`GroupingAnalyzerEngine` runs Presidio's per-recognizer context step in one pass: Presidio
splits all results into "this recognizer's" and "the others'" once per recognizer (two list
scans for each of the ~70 recognizers a language has, ~4% of a worker's CPU on long texts,
issue 13), only to call each recognizer's `enhance_using_context` hook, which none of ours
overrides. Here results are grouped by recognizer in one pass, and the split is made only
for a recognizer that overrides the hook; the results come out in Presidio's order.

`LanguageRecognizerRegistry` keeps each language's recognizers: Presidio filters the whole
registry (every language's, ~350) by language twice per text, once for the recognizers to
run and once for the entity types they support (~1.5% of a worker's CPU on short texts).
"""

from __future__ import annotations

from itertools import chain
from typing import Any, cast

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc
from spacy.vocab import Vocab

from proxy.detection.context import PhraseContextEnhancer
from proxy.detection.nlp import NerOnlySpacyNlpEngine, entities_of
from proxy.detection.recognizers import factor_rule_modules, recognizers_for
from proxy.detection.settings import DetectionSettings


def build_analyzer(settings: DetectionSettings) -> AnalyzerEngine:
    """A Presidio analyzer for the configured languages, every recognizer listed explicitly."""
    factor_rule_modules()
    nlp_engine = NerOnlySpacyNlpEngine(settings.spacy_models)
    nlp_engine.load()
    languages = list(settings.languages)
    registry = LanguageRecognizerRegistry(supported_languages=languages)
    for language in languages:
        modelled = language in settings.spacy_models
        ner_entities = sorted(entities_of(nlp_engine.get_nlp(language))) if modelled else []
        # National phone formats of every configured region, the language's own first: a
        # French number is written in English e-mails too (`phones.py`).
        regions = list(
            dict.fromkeys(
                [*settings.phone_regions[language], *chain(*settings.phone_regions.values())]
            )
        )
        for recognizer in recognizers_for(language, regions, ner_entities):
            registry.add_recognizer(recognizer)
    return GroupingAnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=languages,
        context_aware_enhancer=PhraseContextEnhancer(),
    )


class LanguageRecognizerRegistry(RecognizerRegistry):
    """Presidio's registry, keeping the list of each language's recognizers (module
    docstring) for as long as the registry's list is the same list at the same length:
    every way Presidio adds a recognizer appends to it, and removing one replaces it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._by_language: dict[str, list[EntityRecognizer]] = {}
        self._cached_for: tuple[int, int] = (0, -1)

    def get_recognizers(
        self,
        language: str,
        entities: list[str] | None = None,
        all_fields: bool = False,
        ad_hoc_recognizers: list[EntityRecognizer] | None = None,
    ) -> list[EntityRecognizer]:
        """What Presidio's `get_recognizers` returns, in its order: for all entity types of
        a language (what `analyze` asks), the language's registered recognizers, kept, then
        the request's own for that language; an error if there are none."""
        if not all_fields or entities is not None:
            found: list[EntityRecognizer] = super().get_recognizers(
                language, entities, all_fields, ad_hoc_recognizers
            )
            return found
        recognizers = [
            *self._of_language(language),
            *(r for r in ad_hoc_recognizers or () if r.supported_language == language),
        ]
        if not recognizers:
            raise ValueError("No matching recognizers were found to serve the request.")
        return recognizers

    def _of_language(self, language: str) -> list[EntityRecognizer]:
        registered = cast("list[EntityRecognizer]", self.recognizers)  # a list in Presidio
        if self._cached_for != (id(registered), len(registered)):
            self._by_language.clear()
            self._cached_for = (id(registered), len(registered))
        kept = self._by_language.get(language)
        if kept is None:
            kept = self._by_language[language] = [
                r for r in registered if r.supported_language == language
            ]
        return kept


class GroupingAnalyzerEngine(AnalyzerEngine):
    """Presidio's analyzer with its context step in one pass (module docstring)."""

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Each recognizer's results in turn, through its own hook if it has one, then the
        context enhancer: what Presidio's `_enhance_using_context` returns."""
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        by_recognizer: dict[str, list[RecognizerResult]] = {}
        for result in raw_results:
            by_recognizer.setdefault(result.recognition_metadata[key], []).append(result)
        results: list[RecognizerResult] = []
        for recognizer in recognizers:
            own = by_recognizer.get(recognizer.id, [])
            if type(recognizer).enhance_using_context is not EntityRecognizer.enhance_using_context:
                others = [r for r in raw_results if r.recognition_metadata[key] != recognizer.id]
                own = recognizer.enhance_using_context(
                    text=text,
                    raw_recognizer_results=list(own),
                    other_raw_recognizer_results=others,
                    nlp_artifacts=nlp_artifacts,
                    context=context,
                )
            results.extend(own)
        enhanced: list[RecognizerResult] = self.context_aware_enhancer.enhance_using_context(
            text=text,
            raw_results=results,
            nlp_artifacts=nlp_artifacts,
            recognizers=recognizers,
            context=context,
        )
        return enhanced


def supported_entities(analyzer: AnalyzerEngine, language: str) -> frozenset[str]:
    """The entity types `analyzer`'s recognizers can produce for `language`."""
    return frozenset(analyzer.get_supported_entities(language=language))


def empty_artifacts(analyzer: AnalyzerEngine, language: str) -> NlpArtifacts:
    """What the NLP engine would say about a text in a language without a model: nothing.

    Passed to `AnalyzerEngine.analyze` for such languages, so that it runs the pattern
    recognizers without asking the NLP engine (which has no pipeline for the language)."""
    return NlpArtifacts(
        entities=[],
        tokens=Doc(Vocab()),
        tokens_indices=[],
        lemmas=[],
        nlp_engine=analyzer.nlp_engine,
        language=language,
    )
