"""Does one maximal request take detection away from everyone else? (issue 8, item 4)

    .venv/bin/python bench/fairness.py [--quick] [--workers N ...] [--json FILE]

Starts the fake provider and `voile serve` (real models, default policy) as in
`latency.py`, then, for each worker count asked for (default: the configured default):

1. **idle**: small requests (a ~200-character English prompt with a name, an e-mail and a
   phone number), one after another, nothing else running; their p50 and p95.
2. **loaded**: the same small requests, one after another, while clients send *maximal*
   requests back to back: as much text as `limits.max_text_chars` allows (default 200,000
   characters), either one long document or 1,000 short messages (both shapes alternate),
   until 4 of them are done. p50 and p95 of the small requests again, and what happened to
   the big ones (status and seconds).

It prints `p95 loaded / p95 idle`, the figure issue 8 asks to keep within 2, and Voile's own
`detect` timing (from its canonical log lines) for the small requests in both phases, plus
the resident memory of every detection worker before and after. Everything is bounded in
count and time and every process started here is stopped here. Raw aiohttp is the client
(not the SDK): on a 2-core machine the client's own CPU competes with Voile's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

# `python bench/fairness.py` puts bench/ on sys.path, not the repository root that holds it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import prompts, servers
from bench.latency import (
    OtherLoad,
    machine_facts,
    process_rss_mb,
    wait_until_idle,
    work_directory,
)
from proxy.config import LimitSettings
from proxy.detection.settings import DetectionSettings

REQUEST_TIMEOUT = 120.0


@dataclass(frozen=True)
class Settings:
    small_requests: int = 60  # per phase, at least
    big_requests: int = 4  # the loaded phase lasts until this many maximal ones are done
    warmup: int = 5
    gap_seconds: float = 0.05  # between two small requests
    big_clients: int = 1  # sending maximal requests back to back in the loaded phase
    loaded_max_seconds: float = 300.0
    max_seconds: float = 900.0


QUICK = Settings(small_requests=20, big_requests=2, warmup=2)


@dataclass
class Phase:
    ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.ms)
        return {
            "n": len(ordered),
            "p50_ms": statistics.median(ordered) if ordered else None,
            "p95_ms": nearest_rank(ordered, 0.95),
            "max_ms": ordered[-1] if ordered else None,
            "errors": self.errors,
        }


def nearest_rank(ordered: list[float], fraction: float) -> float | None:
    if not ordered:
        return None
    return ordered[max(0, min(len(ordered) - 1, int(fraction * len(ordered) + 0.999999) - 1))]


def small_prompt() -> str:
    return prompts.build_prompt("en", 200, seed=7)


def big_bodies(limit: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Maximal requests, alternately one long document and 1,000 short messages, each with
    as much text as `limit` allows (no more: it would be refused with 413)."""
    document = prompts.build_prompt("en", limit, seed=11)[:limit]
    per_message = limit // 1000
    messages = [
        {
            "role": "user" if i % 2 == 0 else "assistant",
            "content": prompts.build_prompt("en", per_message, seed=100 + i)[:per_message],
        }
        for i in range(1000)
    ]
    messages[-1]["role"] = "user"
    shapes = [
        ("doc", {"model": "fair-big-doc", "messages": [{"role": "user", "content": document}]}),
        ("msgs", {"model": "fair-big-msgs", "messages": messages}),
    ]
    while True:
        yield from shapes


async def post(http: aiohttp.ClientSession, url: str, key: str, body: dict[str, Any]) -> int:
    async with http.post(url, json=body, headers={"Authorization": f"Bearer {key}"}) as resp:
        await resp.read()
        return resp.status


async def small_phase(
    http: aiohttp.ClientSession,
    url: str,
    key: str,
    model: str,
    settings: Settings,
    until: asyncio.Event | None = None,
) -> Phase:
    """Small requests one after another: `small_requests` of them, and more until `until`
    is set (bounded by `loaded_max_seconds`)."""
    phase = Phase()
    body = {"model": model, "messages": [{"role": "user", "content": small_prompt()}]}
    deadline = time.monotonic() + settings.loaded_max_seconds
    sent = 0
    while sent < settings.small_requests or (
        until is not None and not until.is_set() and time.monotonic() < deadline
    ):
        sent += 1
        started = time.perf_counter()
        try:
            status = await post(http, url, key, body)
        except (aiohttp.ClientError, TimeoutError) as error:
            phase.errors.append(type(error).__name__)
        else:
            if status == 200:
                phase.ms.append((time.perf_counter() - started) * 1000)
            else:
                phase.errors.append(f"HTTP {status}")
        await asyncio.sleep(settings.gap_seconds)
    return phase


async def big_client(
    http: aiohttp.ClientSession,
    url: str,
    key: str,
    limit: int,
    settings: Settings,
    done: asyncio.Event,
    out: dict[str, list[Any]],
) -> None:
    """Maximal requests back to back; sets `done` once `big_requests` have finished."""
    for shape, body in big_bodies(limit):
        if sum(map(len, out.values())) >= settings.big_requests:
            done.set()
            return
        started = time.perf_counter()
        try:
            status = await post(http, url, key, body)
        except (aiohttp.ClientError, TimeoutError) as error:
            out[shape].append(type(error).__name__)
        else:
            out[shape].append((status, round(time.perf_counter() - started, 2)))


async def measure(base_url: str, key: str, settings: Settings, limit: int) -> dict[str, Any]:
    url = f"{base_url}/openai/v1/chat/completions"
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        warm = Settings(small_requests=settings.warmup, gap_seconds=0)
        await small_phase(http, url, key, "fair-warmup", warm)
        idle = await small_phase(http, url, key, "fair-small-idle", settings)
        done = asyncio.Event()
        bigs: dict[str, list[Any]] = defaultdict(list)
        clients = [
            asyncio.create_task(big_client(http, url, key, limit, settings, done, bigs))
            for _ in range(settings.big_clients)
        ]
        await asyncio.sleep(1.0)  # the big requests are under way
        loaded = await small_phase(http, url, key, "fair-small-loaded", settings, until=done)
        await asyncio.wait_for(asyncio.gather(*clients), REQUEST_TIMEOUT)
    return {"idle": idle.summary(), "loaded": loaded.summary(), "big": dict(bigs)}


def detect_p95(log_path: Path) -> dict[str, float | None]:
    """p95 of Voile's own `detect` timing (queueing included) per model name."""
    groups: dict[str, list[float]] = defaultdict(list)
    for record in servers.log_records(log_path):
        timings = record.get("timings_ms") or {}
        if record.get("event") == "request" and "detect" in timings:
            groups[str(record.get("model"))].append(float(timings["detect"]))
    return {model: nearest_rank(sorted(values), 0.95) for model, values in groups.items()}


def worker_rss(pid: int) -> list[float]:
    """Resident memory (MB) of each direct child of `pid` (its detection workers)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return [round(process_rss_mb(child)) for child in sorted(children)]


def start_voile(workdir: Path, upstream: str, workers: int | None) -> tuple[servers.Server, str]:
    app_key = "vk-fairness-bench-0001"
    port = servers.free_port()
    # Every small request sends the same prompt: the detection cache (issue 13) would answer
    # all but the first, and the small requests would not wait for detection at all.
    detection: dict[str, Any] = {"cache_entries": 0}
    if workers is not None:
        detection["workers"] = workers
    config = {
        "listen": {"host": "127.0.0.1", "port": port},
        "data_dir": str(workdir / "voile-data"),
        "providers": {"openai": {"base_url": upstream, "api_key_env": servers.PROVIDER_KEY_ENV}},
        "apps": [{"name": "bench", "key": app_key, "policy": "default"}],
        "detection": detection,
        "log_level": "info",
    }
    path = workdir / "voile.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    log_path = workdir / "voile.log"
    env = {**os.environ, servers.PROVIDER_KEY_ENV: "sk-bench-not-a-real-key"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*servers.voile_command(env), "serve", "--config", str(path)],
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=servers._die_with_parent,  # noqa: PLW1509 - as in servers.py
        )
    return servers.Server("voile", process, f"http://127.0.0.1:{port}", log_path), app_key


def run(workers: int | None, settings: Settings, limit: int) -> dict[str, Any]:
    with work_directory(None) as root:
        workdir = root / f"workers-{workers or 'default'}"
        workdir.mkdir()
        fake = servers.start_fake(workdir, settings.max_seconds)
        voile: servers.Server | None = None
        try:
            voile, key = start_voile(workdir, fake.base_url, workers)
            startup = asyncio.run(servers.wait_healthy(voile, 300))
            print(
                f"  voile healthy after {startup:.1f}s (workers: {workers or 'default'})",
                file=sys.stderr,
            )
            rss_before = worker_rss(voile.process.pid)
            results = asyncio.run(measure(voile.base_url, key, settings, limit))
            results["worker_rss_mb"] = {
                "before": rss_before,
                "after": worker_rss(voile.process.pid),
            }
        finally:
            if voile is not None:
                servers.stop(voile)
            servers.stop(fake)
        assert voile is not None
        results["detect_p95_ms"] = detect_p95(voile.log_path)
        results["workers"] = workers or DetectionSettings().workers
        return results


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def report(
    all_results: list[dict[str, Any]], limit: int, facts: dict[str, Any], other_cores: float
) -> str:
    lines = [
        f"Machine: {facts['nproc']} cores, {facts['cpu']}, Python {facts['python']}; "
        f"other processes kept {other_cores:.2f} cores busy during the run.",
        f"Load average before the run: {facts['load_before']:.2f}.",
        f"Maximal request: {limit:,} characters (limits.max_text_chars), one document or "
        "1,000 messages, sent back to back.",
        "",
        "| workers | small p50 idle | p95 idle | p50 loaded | p95 loaded | **p95 ratio** "
        "| detect p95 idle / loaded | big requests (status, s) | worker RSS MB before → after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in all_results:
        idle, loaded = r["idle"], r["loaded"]
        ratio = loaded["p95_ms"] / idle["p95_ms"] if loaded["p95_ms"] and idle["p95_ms"] else None
        detect = r["detect_p95_ms"]
        bigs = "; ".join(
            f"{shape}: {', '.join(map(str, runs))}" for shape, runs in r["big"].items()
        )
        errors = idle["errors"] + loaded["errors"]
        lines.append(
            f"| {r['workers']} | {fmt(idle['p50_ms'])} ms | {fmt(idle['p95_ms'])} ms "
            f"| {fmt(loaded['p50_ms'])} ms | {fmt(loaded['p95_ms'])} ms "
            f"| **{fmt(ratio) if ratio is None else f'{ratio:.2f}'}** "
            f"| {fmt(detect.get('fair-small-idle'))} / {fmt(detect.get('fair-small-loaded'))} ms "
            f"| {bigs} | {r['worker_rss_mb']['before']} → {r['worker_rss_mb']['after']} |"
            + (f" errors: {errors}" if errors else "")
        )
        print(
            f"workers={r['workers']} p95 ratio loaded/idle = "
            f"{'-' if ratio is None else f'{ratio:.2f}'}",
            file=sys.stderr,
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Small-request latency beside a maximal one.")
    parser.add_argument("--quick", action="store_true", help="20 small requests per phase")
    parser.add_argument(
        "--workers",
        type=int,
        action="append",
        help="detection workers (repeat to compare); default: the default",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait, up to this long, for the load average to fall",
    )
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else Settings()
    limit = LimitSettings().max_text_chars
    facts = machine_facts()
    facts["load_before"] = wait_until_idle(args.wait_idle) if args.wait_idle else os.getloadavg()[0]
    load = OtherLoad()
    results = [run(workers, settings, limit) for workers in (args.workers or [None])]
    print(report(results, limit, facts, load.cores()))
    if args.json:
        args.json.write_text(json.dumps({"machine": facts, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
