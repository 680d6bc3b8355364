"""Build the Presidio `AnalyzerEngine` a worker uses. Imported by workers only (heavy).

Everything is given to Presidio explicitly, so it neither downloads a model (it does when
given no NLP engine) nor loads its default recognizers (it does when given an empty
registry): our NER-only spaCy engine, our registry, our context enhancer.
"""

from __future__ import annotations

from itertools import chain

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.tokens import Doc
from spacy.vocab import Vocab

from proxy.detection.context import PhraseContextEnhancer
from proxy.detection.nlp import NerOnlySpacyNlpEngine, entities_of
from proxy.detection.recognizers import recognizers_for
from proxy.detection.settings import DetectionSettings


def build_analyzer(settings: DetectionSettings) -> AnalyzerEngine:
    """A Presidio analyzer for the configured languages, every recognizer listed explicitly."""
    nlp_engine = NerOnlySpacyNlpEngine(settings.spacy_models)
    nlp_engine.load()
    languages = list(settings.languages)
    registry = RecognizerRegistry(supported_languages=languages)
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
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=languages,
        context_aware_enhancer=PhraseContextEnhancer(),
    )


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
