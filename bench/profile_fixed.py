"""Where the fixed cost of a request goes: a short prompt with nothing to find, sent one at a
time, through `voile serve` while a sampling profiler (py-spy) watches Voile's process.

    .venv/bin/python bench/profile_fixed.py [--requests N] [--py-spy] [--out DIR]

Starts the fake provider and Voile as `bench/latency.py` does (one worker, detection cache
off), sends `--requests` sequential non-streamed chat completions of
`prompts.FLOOR_PROMPT` ('Hello, how are you today?', cleared by the pre-filter) with the
official `openai` SDK, and prints the p50 of Voile's own stage timings from its log. With
`--py-spy` (py-spy installed in the virtualenv; it is not a project dependency), py-spy
samples every thread of Voile's main process meanwhile, idle time included, and the report
lists the functions holding the most samples, per thread: the event loop's share is CPU the
request waits for, the audit writer thread's share is the commits (fsync included).

A profiler only reads the code: it slows Voile by a few percent (sampling at 500 Hz) and is
attached after warm-up, so the stage timings printed are close to an unprofiled run's.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import openai

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import prompts, servers

DETECTION = {"workers": 1, "cache_entries": 0}
PY_SPY = Path(sys.executable).parent / "py-spy"


async def drive(base_url: str, app_key: str, requests: int, model: str) -> list[float]:
    """`requests` sequential completions after 5 untimed ones; each one's seconds."""
    client = openai.AsyncOpenAI(
        base_url=f"{base_url}/openai/v1", api_key=app_key, max_retries=0, timeout=30.0
    )
    timings = []
    try:
        for number in range(requests + 5):
            started = time.perf_counter()
            await client.chat.completions.create(
                model=model, messages=[{"role": "user", "content": prompts.FLOOR_PROMPT}]
            )
            if number >= 5:
                timings.append(time.perf_counter() - started)
    finally:
        await client.close()
    return timings


def stage_p50(log_path: Path, model: str) -> dict[str, float]:
    """p50 of each `timings_ms` stage, and of `duration_ms`, over the requests of `model`."""
    per_stage: dict[str, list[float]] = defaultdict(list)
    for record in servers.log_records(log_path):
        if record.get("event") != "request" or record.get("model") != model:
            continue
        per_stage["total"].append(float(record["duration_ms"]))
        for stage, ms in (record.get("timings_ms") or {}).items():
            per_stage[stage].append(float(ms))
    return {stage: statistics.median(values) for stage, values in per_stage.items()}


def top_functions(raw: Path, limit: int) -> dict[str, list[tuple[str, float]]]:
    """Per thread, the functions present in the most samples (inclusive), as shares of that
    thread's samples, from py-spy's `raw` (collapsed stacks) output."""
    inclusive: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():  # a sample torn by --nonblocking: skipped
            continue
        frames = stack.split(";")
        thread, n = frames[0], int(count)
        totals[thread] += n
        for frame in set(frames[1:]):
            inclusive[thread][frame] += n
    return {
        f"{thread} ({totals[thread]} samples)": [
            (frame, n / totals[thread]) for frame, n in inclusive[thread].most_common(limit)
        ]
        for thread in sorted(totals, key=lambda t: -totals[t])
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--py-spy", action="store_true", help="profile Voile with py-spy")
    parser.add_argument("--top", type=int, default=25, help="functions listed per thread")
    parser.add_argument(
        "--on-cpu",
        action="store_true",
        help="sample only threads on a CPU (py-spy without --idle): where CPU goes, not waits",
    )
    parser.add_argument("--out", type=Path, help="keep the work directory (and profile) here")
    args = parser.parse_args(argv)
    model = "bench-fixed"
    with tempfile.TemporaryDirectory(prefix="voile-profile-") as tmp:
        workdir = args.out.resolve() if args.out else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        fake = servers.start_fake(workdir, max_seconds=600.0)
        voile: servers.Server | None = None
        spy: subprocess.Popen[bytes] | None = None
        raw = workdir / "profile.txt"
        try:
            voile, app_key = servers.start_voile(workdir, fake.base_url, DETECTION)
            asyncio.run(servers.wait_healthy(voile, 120.0))
            asyncio.run(drive(voile.base_url, app_key, 20, "bench-warmup"))
            if args.py_spy:
                record = ["record", "--pid", str(voile.process.pid), "--rate", "500"]
                output = ["--format", "raw", "--threads", "--nonblocking"]
                if not args.on_cpu:
                    output.append("--idle")
                spy = subprocess.Popen(
                    [str(PY_SPY), *record, *output, "--output", str(raw)],
                    stdout=subprocess.DEVNULL,
                    stderr=(workdir / "py-spy.log").open("wb"),
                )
                time.sleep(1.0)  # attached
            timings = asyncio.run(drive(voile.base_url, app_key, args.requests, model))
        finally:
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(30)
            if voile is not None:
                servers.stop(voile)
            servers.stop(fake)
        assert voile is not None
        stages = stage_p50(voile.log_path, model)
        print(f"client p50 {statistics.median(timings) * 1000:.2f} ms over {len(timings)}")
        print("Voile's stages, p50 ms: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
        if spy is not None and raw.exists():
            for thread, rows in top_functions(raw, args.top).items():
                print(f"\n{thread}")
                for frame, share in rows:
                    print(f"  {share * 100:5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
