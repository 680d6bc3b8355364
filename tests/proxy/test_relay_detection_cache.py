"""The detection cache through the real proxy and the `openai` SDK: a conversation's earlier
turns are not analysed again, and a hit changes nothing the app, provider or audit sees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from proxy.app import METRICS
from proxy.config import Config
from proxy.detection.custom import PolicyDetection
from proxy.detection.types import Analysis, Detector, analyze_for_policy
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import VoileFactory, client_for
from tests.proxy.support import PartialDetector, settled_records

TURNS = [
    "Bonjour, je m'appelle Jean Dupont et j'habite à Lyon.",
    "Écrivez à jean.dupont@orange.fr pour confirmer le rendez-vous.",
    "Ma collègue Marie Curie appellera le 06 12 34 56 78 demain.",
    "Merci. Mon IBAN est FR76 3000 6000 0112 3456 7890 189.",
    "Pouvez-vous résumer ce que je vous ai dit ?",
]


class CountingDetector:
    """The real detector, remembering every text it was asked to analyse."""

    def __init__(self, inner: Detector) -> None:
        self.inner = inner
        self.seen: list[str] = []

    ready = True

    async def analyze(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        *,
        options: PolicyDetection | None = None,
    ) -> list[Analysis]:
        self.seen.extend(texts)
        return await analyze_for_policy(self.inner, texts, languages, options)

    async def close(self) -> None:
        return None


async def metric(server: TestServer, name: str) -> int:
    """A figure of the proxy's metrics (served on the admin listener: tests/proxy/test_metrics)."""
    return int(server.app[METRICS].value(name))


async def converse(server: TestServer, *, stream: bool, after_turn: Any = None) -> list[str]:
    """Five turns, each re-sending the whole history; the restored answers."""
    history: list[dict[str, str]] = []
    answers = []
    async with client_for(server) as client:
        for number, text in enumerate(TURNS, 1):
            history.append({"role": "user", "content": text})
            if stream:
                chunks = await client.chat.completions.create(
                    model="m", messages=history, stream=True
                )  # type: ignore[arg-type]
                answer = "".join(
                    [c.choices[0].delta.content or "" async for c in chunks if c.choices]
                )
            else:
                done = await client.chat.completions.create(model="m", messages=history)  # type: ignore[arg-type]
                answer = done.choices[0].message.content or ""
            answers.append(answer)
            history.append({"role": "assistant", "content": answer})
            if after_turn is not None:
                await after_turn(number)
    return answers


@pytest.mark.parametrize("stream", [False, True])
async def test_history_is_analysed_once_and_a_hit_changes_nothing(
    stream: bool,
    start_voile: VoileFactory,
    make_config: Any,
    detector: Detector,
    fake_openai: FakeOpenAI,
) -> None:
    # Without the cache first, then with it, on one data dir: same placeholder secret.
    uncached_config: Config = make_config(detection={"cache_entries": 0})
    uncached = CountingDetector(detector)
    server = await start_voile(uncached_config, with_detector=uncached)
    plain_answers = await converse(server, stream=stream)
    plain_sent = list(fake_openai.received)
    assert await metric(server, "voile_detection_cache_hits_total") == 0
    await server.close()

    fake_openai.received.clear()
    cached = CountingDetector(detector)
    server = await start_voile(make_config(), with_detector=cached)
    hits_after: dict[int, int] = {}

    async def read_hits(number: int) -> None:
        hits_after[number] = await metric(server, "voile_detection_cache_hits_total")

    answers = await converse(server, stream=stream, after_turn=read_hits)

    # Turn 2 re-sent turn 1's question and answer: both hits. Each turn sends one new text
    # to the workers (the answer, echoing the question, is already known from it).
    assert hits_after[1] == 0
    assert hits_after[2] == 2
    assert hits_after[5] == 2 + 4 + 6 + 8
    assert await metric(server, "voile_detection_cache_misses_total") == len(TURNS)
    assert cached.seen == TURNS
    assert len(uncached.seen) == sum(range(1, 2 * len(TURNS), 2))
    assert await metric(server, "voile_detection_cache_entries") == len(TURNS)

    # Restored answers, the placeholders the provider saw, and the audit are unchanged.
    assert answers == plain_answers == TURNS
    assert fake_openai.received == plain_sent
    assert "Jean Dupont" not in fake_openai.everything_received()
    trail = await settled_records(uncached_config, 2 * len(TURNS))
    assert len(trail) == 2 * len(TURNS)
    without, with_cache = trail[: len(TURNS)], trail[len(TURNS) :]
    assert [r.entity_counts for r in with_cache] == [r.entity_counts for r in without]
    assert [r.decision for r in with_cache] == [r.decision for r in without]
    assert any(r.entity_counts for r in with_cache)


async def test_a_partial_result_still_refuses_and_is_not_remembered(
    start_voile: VoileFactory,
    make_config: Any,
) -> None:
    server = await start_voile(make_config(), with_detector=PartialDetector())
    async with client_for(server) as client:
        with pytest.raises(Exception, match="partial"):
            await client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": TURNS[0]}]
            )
    assert await metric(server, "voile_detection_cache_entries") == 0
