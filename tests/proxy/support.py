"""Small hand-written fakes and helpers shared by the relay tests of every format."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from proxy.config import Config
from proxy.detection.types import Analysis, DetectionError
from tests.proxy.conftest import audit_store_of


class FailingDetector:
    """A detector whose every analysis fails, as a crashed or timed-out worker would."""

    async def analyze(self, texts: Sequence[str], languages: Sequence[str]) -> list[Analysis]:
        raise DetectionError("worker crashed")

    async def close(self) -> None:
        return None


class PartialDetector:
    """A detector that silently drops the last text's analysis."""

    async def analyze(self, texts: Sequence[str], languages: Sequence[str]) -> list[Analysis]:
        return [Analysis(languages[0], ()) for _ in texts[:-1]]

    async def close(self) -> None:
        return None


def records(config: Config) -> list[Any]:
    store = audit_store_of(config)
    try:
        return list(reversed(store.list_records(limit=100)))
    finally:
        store.close()


def write_policy(directory: Path, name: str, text: str) -> None:
    (directory / f"{name}.yaml").write_text(text, encoding="utf-8")
