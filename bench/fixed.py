"""The fixed cost of a request with nothing to find, before and after a change, in one run
(issue 13, target 3).

    .venv/bin/python bench/fixed.py [--base COMMIT] [--requests N] [--postgres] [--json FILE]

Two `voile serve` processes run side by side on 127.0.0.1 against the same echoing fake
provider: *before* is the code of `--base` (default ``HEAD~1``, unpacked by
`servers.source_copy`), *after* is this checkout; same virtualenv, models and config (one
detection worker, cache off), each with its own audit trail: SQLite by default (its file in
the work directory, `synchronous=FULL` as always), or a fresh schema each on the local
PostgreSQL server with `--postgres`.

One light client (one `aiohttp` session, keep-alive) sends `--requests` rounds of the
non-streamed `prompts.FLOOR_PROMPT` ('Hello, how are you?', cleared by the pre-filter): in
each round the same request straight to the fake, through *before* and through *after*, the
order rotated round by round, so that the machine's drift hits the three alike. A Voile's
*added* time for a round is its request's time minus the direct one of the same round; the
report gives the median and the lower decile of each, and their paired difference, then
the p50 of each Voile's own stage timings (its canonical log line) and the load average.

The machine is shared: compare the columns of one run, not figures across runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import aiohttp
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import prompts, servers
from bench.latency import OtherLoad, work_directory

APP_KEY = "vk-bench-fixed-0123456789abcdef"
MODEL = "bench-fixed-ab"
DETECTION = {"workers": 1, "cache_entries": 0}
NAMES = ("before", "after")


def start(
    workdir: Path, upstream: str, source: Path | None, audit_url: str | None
) -> servers.Server:
    workdir.mkdir(parents=True, exist_ok=True)
    port = servers.free_port()
    path = servers.voile_config(workdir, upstream, APP_KEY, port, DETECTION)
    if audit_url is not None:
        config = yaml.safe_load(path.read_text())
        config["audit"] = {"url": audit_url}
        path.write_text(yaml.safe_dump(config, sort_keys=False))
    server = servers.launch_voile(workdir, path, port, source=source)
    asyncio.run(servers.wait_healthy(server, 240.0))
    return server


async def one(session: aiohttp.ClientSession, url: str, headers: dict[str, str]) -> float:
    body = {"model": MODEL, "messages": [{"role": "user", "content": prompts.FLOOR_PROMPT}]}
    started = time.perf_counter()
    async with session.post(url, json=body, headers=headers) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
    return (time.perf_counter() - started) * 1000


async def rounds(urls: dict[str, str], direct: str, count: int) -> dict[str, list[float]]:
    """Per Voile, its added milliseconds per round (through it minus direct, same round)."""
    auth = {"Authorization": f"Bearer {APP_KEY}"}
    added: dict[str, list[float]] = {name: [] for name in urls}
    targets = ["direct", *urls]
    async with aiohttp.ClientSession() as session:
        for _ in range(20):  # warm-up: connections, first-call costs
            for url in urls.values():
                await one(session, url, auth)
            await one(session, direct, {})
        for number in range(count):
            shift = number % len(targets)
            order = targets[shift:] + targets[:shift]
            took = {}
            for name in order:
                took[name] = await one(
                    session,
                    direct if name == "direct" else urls[name],
                    {} if name == "direct" else auth,
                )
            for name in urls:
                added[name].append(took[name] - took["direct"])
    return added


def stages(log_path: Path) -> dict[str, float]:
    per: dict[str, list[float]] = {}
    for record in servers.log_records(log_path):
        if record.get("event") != "request" or record.get("model") != MODEL:
            continue
        per.setdefault("total", []).append(float(record["duration_ms"]))
        for stage, ms in (record.get("timings_ms") or {}).items():
            per.setdefault(stage, []).append(float(ms))
    return {stage: statistics.median(values) for stage, values in per.items()}


def decile(values: list[float]) -> float:
    return sorted(values)[len(values) // 10]


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "base": args.base,
        "store": "postgresql" if args.postgres else "sqlite",
    }
    with work_directory(args.workdir) as workdir, ExitStack() as stack:
        fake = servers.start_fake(workdir, 3600.0)
        stack.callback(servers.stop, fake)
        source = servers.source_copy(args.base, workdir / "base-src")
        voiles = {}
        for name in NAMES:
            url = (
                stack.enter_context(servers.postgres_schema(f"bench_fixed_{name}"))
                if args.postgres
                else None
            )
            voiles[name] = start(
                workdir / name, fake.base_url, source if name == "before" else None, url
            )
            stack.callback(servers.stop, voiles[name])
        results["load_before"] = os.getloadavg()[0]
        added = asyncio.run(
            rounds(
                {n: f"{s.base_url}/openai/v1/chat/completions" for n, s in voiles.items()},
                f"{fake.base_url}/v1/chat/completions",
                args.requests,
            )
        )
        results["load_after"] = os.getloadavg()[0]
        for server in voiles.values():
            servers.stop(server)
        diffs = [a - b for a, b in zip(added["after"], added["before"], strict=True)]
        results["columns"] = {
            name: {
                "added_p50": statistics.median(added[name]),
                "added_p10": decile(added[name]),
                "stages_p50": stages(voiles[name].log_path),
            }
            for name in NAMES
        }
        results["after_minus_before_p50"] = statistics.median(diffs)
        results["requests"] = args.requests
    return results


def report(results: dict[str, Any]) -> str:
    columns = results["columns"]
    before, after = columns["before"], columns["after"]

    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f} ms"

    lines = [
        f"Fixed cost, {results['requests']} rounds, audit on {results['store']}, "
        f"base {results['base']}; load average {results['load_before']:.2f} -> "
        f"{results['load_after']:.2f}, other processes {results['other_cores']:.2f} cores",
        "",
        "| | before | after |",
        "|---|---:|---:|",
        f"| added, p50 | {ms(before['added_p50'])} | {ms(after['added_p50'])} |",
        f"| added, p10 | {ms(before['added_p10'])} | {ms(after['added_p10'])} |",
    ]
    for stage in dict.fromkeys([*before["stages_p50"], *after["stages_p50"]]):
        lines.append(
            f"| Voile's `{stage}`, p50 | {ms(before['stages_p50'].get(stage))} "
            f"| {ms(after['stages_p50'].get(stage))} |"
        )
    difference = results["after_minus_before_p50"]
    lines += ["", f"Paired difference after - before, p50 over rounds: {difference:+.2f} ms"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD~1", help="the commit measured as 'before'")
    parser.add_argument("--requests", type=int, default=300, help="rounds (one request each)")
    parser.add_argument("--postgres", action="store_true", help="audit on local PostgreSQL")
    parser.add_argument("--workdir", type=Path, help="keep the work directory here")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args(argv)
    # Read once every server is stopped and reaped: their CPU is then the benchmark's own.
    others = OtherLoad()
    results = run(args)
    results["other_cores"] = others.cores()
    print(report(results))
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
