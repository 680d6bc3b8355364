"""spaCy for Presidio with named-entity recognition only, loaded from installed packages.

Presidio's `SpacyNlpEngine.load()` runs every component of the model and downloads a model
that is not installed. Here only the `ner` component is loaded (in the en/fr core models it
has its own token-to-vector layer, so tagger, parser, morphologizer, attribute ruler and
lemmatizer can go): the same entities come back about twice as fast (measured: 1 KB of
French 46 -> 16 ms). A missing model is a start-up error, never a download.

The artifacts handed to the recognizers carry the spaCy `Doc` and its entities, but no
lemmas, token offsets or keywords: Presidio copies every token's lemma and offset into lists
and filters the lemmas into "keywords" (a stop-word and punctuation lookup per token) for its
lemma-based context enhancer, which Voile replaces (`context.py`); no recognizer here reads
them. Without the lemmatizer the lemmas were empty strings anyway. That copy was ~5% of a
worker's CPU on long texts (issue 13).
"""

from __future__ import annotations

from collections.abc import Mapping

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.language import Language
from spacy.tokens import Doc

# spaCy label -> Presidio entity type. Labels not listed here (CARDINAL, MONEY, MISC, ...)
# are dropped: they are not personal data, and listing them as ignored keeps Presidio from
# warning about each one.
LABEL_TO_ENTITY: dict[str, str] = {
    "PER": "PERSON",
    "PERSON": "PERSON",
    "LOC": "LOCATION",
    "GPE": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
    "NORP": "NRP",
    "DATE": "DATE_TIME",
    "TIME": "DATE_TIME",
}

KEPT_COMPONENTS = frozenset({"ner"})
_LISTENER_MARK = "Listener"


class ModelNotInstalledError(RuntimeError):
    """A configured spaCy model is not installed; Voile never downloads one."""


def load_ner_pipeline(model: str) -> Language:
    """Load `model` with only its NER component (plus the layer NER listens to, if any)."""
    if not spacy.util.is_package(model):
        raise ModelNotInstalledError(
            f"spaCy model {model!r} is not installed; install its package with the proxy "
            "(models are never downloaded at run time)"
        )
    nlp = spacy.load(model, exclude=_components_to_exclude(model, keep=KEPT_COMPONENTS))
    if "ner" not in nlp.pipe_names:
        raise ModelNotInstalledError(f"spaCy model {model!r} has no 'ner' component")
    listened = _listened_component(nlp)
    if listened is not None:
        # A model whose NER shares a tok2vec/transformer layer: keep that layer too.
        nlp = spacy.load(
            model, exclude=_components_to_exclude(model, keep=KEPT_COMPONENTS | {listened})
        )
    return nlp


def _components_to_exclude(model: str, keep: frozenset[str]) -> list[str]:
    meta = spacy.util.get_package_path(model) / "meta.json"
    components: list[str] = spacy.util.load_meta(meta).get("components", [])
    return [name for name in components if name not in keep]


def _listened_component(nlp: Language) -> str | None:
    tok2vec = nlp.config["components"]["ner"].get("model", {}).get("tok2vec", {})
    if _LISTENER_MARK not in str(tok2vec.get("@architectures", "")):
        return None
    upstream = str(tok2vec.get("upstream", "*"))
    return "tok2vec" if upstream == "*" else upstream


def entities_of(nlp: Language) -> frozenset[str]:
    """The Presidio entity types this pipeline's NER can produce."""
    labels = nlp.get_pipe("ner").labels  # type: ignore[attr-defined]
    return frozenset(LABEL_TO_ENTITY[label] for label in labels if label in LABEL_TO_ENTITY)


class NerOnlySpacyNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over pipelines loaded by `load_ner_pipeline`."""

    def __init__(self, models: Mapping[str, str]) -> None:
        super().__init__(
            models=[{"lang_code": lang, "model_name": name} for lang, name in models.items()],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=dict(LABEL_TO_ENTITY),
            ),
        )

    def load(self) -> None:
        """Load every model, NER only, without ever downloading."""
        pipelines = {
            model["lang_code"]: load_ner_pipeline(model["model_name"]) for model in self.models
        }
        ignored = {
            label
            for nlp in pipelines.values()
            for label in nlp.get_pipe("ner").labels  # type: ignore[attr-defined]
            if label not in LABEL_TO_ENTITY
        }
        self.ner_model_configuration = NerModelConfiguration(
            model_to_presidio_entity_mapping=dict(LABEL_TO_ENTITY),
            labels_to_ignore=sorted(ignored),
        )
        self.nlp = pipelines  # type: ignore[assignment]  # Presidio declares it as None

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        """Presidio's artifacts of `doc` without the per-token lemma, offset and keyword lists
        (module docstring): the entities and their scores as Presidio computes them."""
        entities, scores = self._get_updated_entities(
            self._get_entities(doc), self._get_scores_for_entities(doc)
        )
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[],
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=scores,
        )
