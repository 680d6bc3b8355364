"""The contract between the relay and any detector.

Findings are plain frozen values so that they cross a process boundary cheaply (pickle)
and so that the relay never depends on Presidio's own classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected span of personal data in one text, offsets in Python str indices."""

    start: int
    end: int
    entity_type: str
    score: float


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the detector says about one text: the language it used and its findings."""

    language: str
    findings: tuple[Finding, ...]


class DetectionError(Exception):
    """Detection failed, timed out or was partial. The relay must refuse the request."""


class Detector(Protocol):
    """Analyses a batch of texts; one call per request keeps the cross-process cost low."""

    async def analyze(self, texts: Sequence[str], languages: Sequence[str]) -> list[Analysis]:
        """Return one `Analysis` per text, in order. `languages` are the policy's
        candidate languages, first is the fallback. Raise `DetectionError` on any failure."""
        ...

    async def close(self) -> None: ...
