"""Does a long conversation cost more than its first turn? (issue 13, item 1)

    .venv/bin/python bench/conversation.py [--turns N] [--repeats R] [--bytes B]

A chat re-sends its whole history each turn. This starts the echoing fake provider and
`voile serve` (one detection worker, the default detection cache) as in `latency.py`, then
plays R French conversations of N turns (user texts of ~B bytes full of personal data, each
conversation with its own texts so nothing is cached across them). Every turn is sent twice,
straight to the fake and through Voile, with the same history; Voile's *added* latency is
the difference. Non-streamed: time to the parsed answer; streamed: time to the first
content delta. It prints the median added latency of turn 1 and turn N, and their ratio
(target: <= 1.3).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openai
from openai.types.chat import ChatCompletionMessageParam

from bench import prompts, servers
from bench.latency import sdk_client, work_directory

MODES = ("json", "stream")


async def turn_ms(
    client: openai.AsyncOpenAI, history: list[ChatCompletionMessageParam], stream: bool
) -> tuple[float, str]:
    """Milliseconds to the answer (non-streamed) or to its first content delta (streamed),
    and the answer's text."""
    started = time.perf_counter()
    if not stream:
        answer = await client.chat.completions.create(model="bench-chat", messages=history)
        return (time.perf_counter() - started) * 1000, answer.choices[0].message.content or ""
    first: float | None = None
    parts: list[str] = []
    chunks = await client.chat.completions.create(model="bench-chat", messages=history, stream=True)
    async for chunk in chunks:
        text = chunk.choices[0].delta.content if chunk.choices else None
        if text:
            first = first if first is not None else (time.perf_counter() - started) * 1000
            parts.append(text)
    return (first if first is not None else (time.perf_counter() - started) * 1000), "".join(parts)


async def conversation(
    direct: openai.AsyncOpenAI,
    voile: openai.AsyncOpenAI,
    seed: int,
    turns: int,
    size: int,
    stream: bool,
) -> list[float]:
    """One conversation; Voile's added milliseconds at each turn."""
    history: list[ChatCompletionMessageParam] = []
    added = []
    for turn in range(turns):
        history.append({"role": "user", "content": prompts.build_prompt("fr", size, seed + turn)})
        bare, _ = await turn_ms(direct, history, stream)
        through, answer = await turn_ms(voile, history, stream)
        added.append(through - bare)
        history.append({"role": "assistant", "content": answer})
    return added


async def measure(
    fake_url: str, voile_url: str, app_key: str, turns: int, repeats: int, size: int
) -> dict[str, list[list[float]]]:
    direct = sdk_client(f"{fake_url}/v1", "sk-bench-direct")
    voile = sdk_client(f"{voile_url}/openai/v1", app_key)
    results: dict[str, list[list[float]]] = {mode: [] for mode in MODES}
    try:
        # Warm-up: the first requests pay for lazy imports and connection set-up.
        await conversation(direct, voile, 1, 2, size, stream=False)
        for repeat in range(repeats):
            for mode in MODES:
                seed = prompts.SEED + 1000 * (1 + repeat) + (500 if mode == "stream" else 0)
                results[mode].append(
                    await conversation(direct, voile, seed, turns, size, stream=mode == "stream")
                )
                print(f"  {mode} conversation {repeat + 1}/{repeats}", file=sys.stderr)
    finally:
        await direct.close()
        await voile.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--bytes", type=int, default=500, help="size of each user turn")
    args = parser.parse_args(argv)
    with work_directory(None) as workdir:
        fake = servers.start_fake(workdir, max_seconds=1800)
        voile: servers.Server | None = None
        try:
            voile, app_key = servers.start_voile(workdir, fake.base_url)
            asyncio.run(servers.wait_healthy(voile, 300))
            results = asyncio.run(
                measure(
                    fake.base_url, voile.base_url, app_key, args.turns, args.repeats, args.bytes
                )
            )
        finally:
            if voile is not None:
                servers.stop(voile)
            servers.stop(fake)
    print(
        f"French chat, {args.turns} turns of ~{args.bytes} B, {args.repeats} conversations "
        "per mode; Voile's added latency, median (ms):\n"
    )
    print(f"| mode | turn 1 | turn {args.turns} | ratio |")
    print("|---|---:|---:|---:|")
    for mode, runs in results.items():
        first = statistics.median(run[0] for run in runs)
        last = statistics.median(run[-1] for run in runs)
        print(f"| {mode} | {first:.1f} | {last:.1f} | {last / first:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
