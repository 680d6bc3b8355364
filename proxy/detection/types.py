"""The contract between the relay and any detector.

Findings are plain frozen values so that they cross a process boundary cheaply (pickle)
and so that the relay never depends on Presidio's own classes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from proxy.detection.custom import PolicyDetection

# Where a recognizer records a `Checksum` in a Presidio result's `recognition_metadata`.
CHECKSUM_KEY = "checksum"


class Checksum(StrEnum):
    """Whether the check digits of an identifier (IBAN, card, NIR, VAT...) agree."""

    VALID = "valid"
    # Disagree: kept only because a label names the identifier right before it
    # ("IBAN FR77…", "carte 4970…"); see `proxy.detection.identifiers`.
    INVALID = "invalid"


def checksum_of(metadata: Mapping[str, Any] | None) -> Checksum | None:
    """The `Checksum` a recognizer recorded in a Presidio result's metadata, if any."""
    value = (metadata or {}).get(CHECKSUM_KEY)
    return None if value is None else Checksum(value)


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected span of personal data in one text, offsets in Python str indices.

    `checksum` is set for identifiers with check digits: `INVALID` for a value of the
    identifier's shape whose check digits disagree, found because its label is right before
    it (the same type, so the same policy rule applies; counted apart, see `Analysis`);
    None for types without check digits."""

    start: int
    end: int
    entity_type: str
    score: float
    checksum: Checksum | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the detector says about one text: the language it used (of its longest segment,
    for a text in several languages) and its findings. `modelled` is False when some of the
    text was in a language with no spaCy model, so only patterns looked at it (no names or
    places from a model): the policy decides whether that may be forwarded."""

    language: str
    findings: tuple[Finding, ...]
    modelled: bool = True

    @property
    def checksum_invalid(self) -> dict[str, int]:
        """Entity type -> findings whose check digits disagree (see `Finding.checksum`): a
        count apart from the type's own, so a report can say how many of the IBANs it masked
        were mistyped without a pseudo entity type such as `IBAN_CODE:checksum_invalid`."""
        return dict(Counter(f.entity_type for f in self.findings if f.checksum is Checksum.INVALID))


class DetectionError(Exception):
    """Detection failed, timed out or was partial. The relay must refuse the request."""


class Detector(Protocol):
    """Analyses a batch of texts; one call per request keeps the cross-process cost low.

    `options` carries a policy's own recognizers and allow-list (`proxy.detection.custom`);
    `analyze_for_policy` passes it only when a policy has some. `ready` says whether the next
    request would be served (a worker alive), for `/readyz`.
    """

    @property
    def ready(self) -> bool: ...

    async def analyze(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        *,
        options: PolicyDetection | None = None,
    ) -> list[Analysis]:
        """Return one `Analysis` per text, in order. `languages` are the policy's
        candidate languages, first is the fallback. Raise `DetectionError` on any failure."""
        ...

    async def close(self) -> None: ...


@runtime_checkable
class CountingDetector(Protocol):
    """A detector that keeps counts of its own for `/metrics` (`proxy.metrics.SAMPLED_HELP`
    names them), read at each scrape. Optional: a detector without counts has none shown."""

    def counters(self) -> Mapping[str, int]: ...


async def analyze_for_policy(
    detector: Detector,
    texts: Sequence[str],
    languages: Sequence[str],
    options: PolicyDetection | None,
) -> list[Analysis]:
    """`detector.analyze`, with the policy's own recognizers and allow-list when it has any."""
    if options is None:
        return await detector.analyze(texts, languages)
    return await detector.analyze(texts, languages, options=options)
