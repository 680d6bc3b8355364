"""Small hand-written fakes and helpers shared by the relay tests of every format."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from aiohttp.test_utils import TestServer

from proxy.config import Config
from proxy.detection.custom import PolicyDetection
from proxy.detection.types import Analysis, DetectionError
from tests.proxy.conftest import audit_store_of


class FailingDetector:
    """A detector whose every analysis fails, as a crashed or timed-out worker would."""

    ready = True

    async def analyze(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        *,
        options: PolicyDetection | None = None,
    ) -> list[Analysis]:
        raise DetectionError("worker crashed")

    async def close(self) -> None:
        return None


class PartialDetector:
    """A detector that silently drops the last text's analysis."""

    ready = True

    async def analyze(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        *,
        options: PolicyDetection | None = None,
    ) -> list[Analysis]:
        return [Analysis(languages[0], ()) for _ in texts[:-1]]

    async def close(self) -> None:
        return None


def records(config: Config) -> list[Any]:
    store = audit_store_of(config)
    try:
        return list(reversed(store.list_records(limit=100)))
    finally:
        store.close()


async def settled_records(config: Config, count: int, seconds: float = 5.0) -> list[Any]:
    """The trail once it holds `count` records: a stream's outcome is written once its last
    byte is sent, so it may land just after the app has read everything. Bounded wait."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = records(config)
        if len(found) >= count or asyncio.get_running_loop().time() > deadline:
            return found
        await asyncio.sleep(0.05)


def write_policy(directory: Path, name: str, text: str) -> None:
    (directory / f"{name}.yaml").write_text(text, encoding="utf-8")


# (prompt, personal values it carries). Each value must never reach the provider.
PROMPTS = {
    "en_contact": (
        "Hi, I'm John Smith. Please email me at john.smith@example.com about my order.",
        ["John Smith", "john.smith@example.com"],
    ),
    "fr_contact": (
        "Bonjour, je m'appelle Jean Dupont. Écrivez-moi à jean.dupont@orange.fr ou appelez le "
        "06 12 34 56 78. Mon IBAN est FR76 3000 6000 0112 3456 7890 189.",
        [
            "Jean Dupont",
            "jean.dupont@orange.fr",
            "06 12 34 56 78",
            "FR76 3000 6000 0112 3456 7890 189",
        ],
    ),
    "fr_repeated": (
        "Marie Curie a écrit à Jean Dupont. Jean Dupont a répondu à Marie Curie le lendemain.",
        ["Marie Curie", "Jean Dupont"],
    ),
    "en_card_unicode": (
        "Card 4111 1111 1111 1111 belongs to Zoë Ångström (zoe.angstrom@example.org) 🎉.",
        ["4111 1111 1111 1111", "zoe.angstrom@example.org"],
    ),
}


class RecordingProvider(Protocol):
    """A fake provider (OpenAI or Anthropic) that keeps every request body it received."""

    def everything_received(self) -> str: ...


def assert_not_leaked(fake: RecordingProvider, values: list[str]) -> None:
    """None of `values` reached the provider, as written or JSON-escaped."""
    received = fake.everything_received()
    for value in values:
        assert value not in received, f"{value!r} reached the provider"
        assert json.dumps(value)[1:-1] not in received


def both_providers(openai_upstream: TestServer, anthropic_upstream: TestServer) -> dict[str, Any]:
    """The `providers` config of a Voile in front of both fakes: `openai` and `anthropic`,
    each with the injected test provider key."""
    return {
        "openai": {
            "base_url": str(openai_upstream.make_url("")).rstrip("/"),
            "api_key_env": "VOILE_TEST_PROVIDER_KEY",
        },
        "anthropic": {
            "base_url": str(anthropic_upstream.make_url("")).rstrip("/"),
            "format": "anthropic",
            "api_key_env": "VOILE_TEST_PROVIDER_KEY",
        },
    }
