"""The streaming path before and after a change, in one run (issue 13, target 5 and 2).

    .venv/bin/python bench/stream.py [--base COMMIT] [--requests N] [--seconds S]
        [--clients 8,16] [--size 1024] [--no-vanilla] [--json FILE]

Two `voile serve` processes run side by side on 127.0.0.1 against the same echoing fake
provider (`fake_upstream.py`: it streams the prompt back 4 characters per delta, so a 1 KB
prompt is ~256 events, each restored and relayed): *before* is the code of `--base`
(any commit, default ``HEAD~1``; `servers.source_copy` unpacks it with `git archive`), *after*
is this checkout; both use this checkout's virtualenv and models, the same config, the same
texts. Vanilla Presidio in a proxy loop (`vanilla_proxy.py`) is the issue's yardstick for
throughput.

Measured, before and after interleaved (A B B A) so that the machine's drift hits both alike:

* **TTFT beyond detection**: N sequential streamed requests per target, each text its own
  (no detection cache hit); the time to the first content byte through Voile minus that of
  the same text sent straight to the fake, minus the request's own `detect` stage from
  Voile's log line. Median over the requests.
* **Main-process CPU per streamed request**: user+system time of the `voile serve` process
  (not its detection worker) over a throughput phase, divided by the requests it answered.
* **Throughput**: streamed requests per second at each client count, and the ratio to vanilla.

The machine is shared: compare the two columns of one run, not figures across runs.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import servers
from bench.cpu import process_cpu
from bench.latency import OtherLoad, work_directory
from bench.throughput import Target, drive, request_text, start_vanilla
from bench.vanilla_proxy import LANGUAGE_HEADER

APP_KEY = "vk-bench-stream-0123456789abcdef"
TTFT_MODEL = "bench-stream-ttft"


@dataclass
class Column:
    """What one Voile gave."""

    beyond_ms: list[float] = field(default_factory=list)
    added_ms: list[float] = field(default_factory=list)
    cpu_ms: dict[int, list[float]] = field(default_factory=dict)
    rps: dict[int, list[float]] = field(default_factory=dict)


async def first_byte_ms(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str], text: str
) -> tuple[float, str]:
    """Milliseconds to the first content delta of a streamed answer (read to its end), and
    Voile's request id ("" straight to the fake)."""
    body = {
        "model": TTFT_MODEL,
        "messages": [{"role": "user", "content": text}],
        "stream": True,
    }
    began = time.perf_counter()
    first = None
    async with session.post(url, json=body, headers=headers) as answer:
        if answer.status != 200:
            raise RuntimeError(f"{url}: status {answer.status}")
        async for line in answer.content:
            if first is None and b'"delta":{"content":"' in line:
                first = time.perf_counter()
        request_id = answer.headers.get("x-voile-request-id", "")
    if first is None:
        raise RuntimeError(f"{url}: no content")
    return (first - began) * 1000, request_id


def detect_ms(log_path: Path) -> dict[str, float]:
    """Each request's `detect` stage, by request id, from Voile's log."""
    return {
        str(record.get("request_id")): float(record["timings_ms"].get("detect", 0.0))
        for record in servers.log_records(log_path)
        if record.get("event") == "request" and record.get("model") == TTFT_MODEL
    }


async def ttft(
    targets: list[Target], direct: str, requests: int, size: int
) -> dict[str, list[tuple[float, str]]]:
    """Per target: (TTFT through it minus straight to the fake, request id), per request."""
    out: dict[str, list[tuple[float, str]]] = {t.name: [] for t in targets}
    async with aiohttp.ClientSession() as session:
        for number in range(requests):
            order = targets if number % 2 == 0 else list(reversed(targets))
            for target in order:
                language, text = request_text(
                    77, number * len(targets) + targets.index(target), size
                )
                headers = {**target.headers, LANGUAGE_HEADER: language}
                bare, _ = await first_byte_ms(session, direct, {}, text)
                through, request_id = await first_byte_ms(session, target.urls[0], headers, text)
                out[target.name].append((through - bare, request_id))
    return out


def start(workdir: Path, upstream: str, workers: int, source: Path | None) -> servers.Server:
    workdir.mkdir(parents=True, exist_ok=True)
    port = servers.free_port()
    path = servers.voile_config(workdir, upstream, APP_KEY, port, {"workers": workers})
    config = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    server = servers.launch_voile(workdir, path, port, source=source)
    asyncio.run(servers.wait_healthy(server, 240.0))
    return server


def run(args: argparse.Namespace) -> dict[str, Any]:
    clients = tuple(int(c) for c in args.clients.split(","))
    columns = {"before": Column(), "after": Column()}
    results: dict[str, Any] = {"base": args.base, "clients": clients}
    with work_directory(args.workdir) as workdir, ExitStack() as stack:
        fake = servers.start_fake(workdir, 3600.0)
        stack.callback(servers.stop, fake)
        source = servers.source_copy(args.base, workdir / "base-src")
        voiles = {
            "before": start(workdir / "before", fake.base_url, args.workers, source),
            "after": start(workdir / "after", fake.base_url, args.workers, None),
        }
        for server in voiles.values():
            stack.callback(servers.stop, server)
        auth = {"Authorization": f"Bearer {APP_KEY}"}
        targets = [
            Target(name, (f"{s.base_url}/openai/v1/chat/completions",), auth, voile=True)
            for name, s in voiles.items()
        ]
        vanilla = None
        if not args.no_vanilla:
            vanilla_server = start_vanilla(workdir, fake.base_url, 3600.0)
            stack.callback(servers.stop, vanilla_server)
            vanilla = Target(
                "vanilla",
                (f"{vanilla_server.base_url}/openai/v1/chat/completions",),
                {},
                voile=False,
            )
        direct = f"{fake.base_url}/v1/chat/completions"
        for target in targets:  # warm-up: connections, first-call costs
            asyncio.run(drive(target, 98, 0, 2, True, 2.0, args.size))
        samples = asyncio.run(ttft(targets, direct, args.requests, args.size))
        for name, rows in samples.items():
            detects = detect_ms(voiles[name].log_path)
            for added, request_id in rows:
                columns[name].added_ms.append(added)
                if request_id in detects:
                    columns[name].beyond_ms.append(added - detects[request_id])
        rps_vanilla: dict[int, list[float]] = {}
        for cell, count in enumerate(clients):
            for turn, order in enumerate((targets, list(reversed(targets)))):
                if vanilla is not None:
                    phase = asyncio.run(
                        drive(vanilla, cell, turn * 40_000, count, True, args.seconds, args.size)
                    )
                    rps_vanilla.setdefault(count, []).append(phase.done / phase.seconds)
                for target in order:
                    pid = voiles[target.name].process.pid
                    cpu = process_cpu(pid)
                    phase = asyncio.run(
                        drive(target, cell, turn * 40_000, count, True, args.seconds, args.size)
                    )
                    used = process_cpu(pid) - cpu
                    column = columns[target.name]
                    column.rps.setdefault(count, []).append(phase.done / phase.seconds)
                    column.cpu_ms.setdefault(count, []).append(used * 1000 / max(phase.done, 1))
                    print(
                        f"  x{count} {target.name}: {phase.done / phase.seconds:.1f} req/s, "
                        f"{used * 1000 / max(phase.done, 1):.2f} ms CPU each, "
                        f"{len(phase.errors)} errors",
                        file=sys.stderr,
                    )
        results["vanilla_rps"] = {c: statistics.mean(v) for c, v in rps_vanilla.items()}
        results["columns"] = {
            name: {
                "ttft_added_p50": statistics.median(c.added_ms),
                "ttft_beyond_detect_p50": statistics.median(c.beyond_ms) if c.beyond_ms else None,
                "cpu_ms_per_request": {n: statistics.mean(v) for n, v in c.cpu_ms.items()},
                "rps": {n: statistics.mean(v) for n, v in c.rps.items()},
            }
            for name, c in columns.items()
        }
    return results


def report(results: dict[str, Any], facts: dict[str, Any]) -> str:
    cols = results["columns"]
    lines = [
        f"# Streaming before ({results['base']}) and after, one run",
        "",
        f"Load average {facts['load_before']:.2f} before, {facts['load_after']:.2f} after; "
        f"other processes used {facts['others']:.2f} cores on average.",
        "",
        "| measure | before | after |",
        "|---|---:|---:|",
        "| TTFT added, p50 (ms) | "
        + " | ".join(f"{cols[n]['ttft_added_p50']:.1f}" for n in ("before", "after"))
        + " |",
        "| TTFT beyond detection, p50 (ms) | "
        + " | ".join(
            "-"
            if cols[n]["ttft_beyond_detect_p50"] is None
            else f"{cols[n]['ttft_beyond_detect_p50']:.1f}"
            for n in ("before", "after")
        )
        + " |",
    ]
    for count in results["clients"]:
        base = results["vanilla_rps"].get(count)
        lines.append(
            f"| main-process CPU per streamed request, {count} clients (ms) | "
            + " | ".join(f"{cols[n]['cpu_ms_per_request'][count]:.2f}" for n in ("before", "after"))
            + " |"
        )
        lines.append(
            f"| streamed req/s, {count} clients"
            + ("" if base is None else f" (vanilla {base:.1f}; ratio)")
            + " | "
            + " | ".join(
                f"{cols[n]['rps'][count]:.1f}"
                + ("" if base is None else f" ({cols[n]['rps'][count] / base:.2f})")
                for n in ("before", "after")
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD~1", help="the commit measured as 'before'")
    parser.add_argument("--requests", type=int, default=30, help="sequential TTFT requests")
    parser.add_argument("--seconds", type=float, default=8.0, help="per throughput phase (x2)")
    parser.add_argument("--clients", default="8,16")
    parser.add_argument("--size", type=int, default=1024, help="bytes of text per request")
    parser.add_argument("--workers", type=int, default=2, help="detection.workers")
    parser.add_argument("--no-vanilla", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    facts: dict[str, Any] = {"load_before": os.getloadavg()[0]}
    others = OtherLoad()
    results = run(args)
    facts["others"] = others.cores()
    facts["load_after"] = os.getloadavg()[0]
    print(report(results, facts))
    if args.json:
        args.json.write_text(json.dumps({"facts": facts, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
