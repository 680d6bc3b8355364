"""Where the CPU goes per request, streamed and not, in every process of a throughput run.

    .venv/bin/python bench/stream_cpu.py [--base COMMIT] [--seconds S] [--clients 8]
        [--workers 2] [--rounds 2] [--size 1024] [--json FILE]

`bench/throughput.py` reports requests per second; this says why they are what they are.
The same servers (the echoing fake provider, vanilla Presidio in its proxy loop, `voile
serve` with `--workers` detection workers, and with `--base` a second `voile serve` running
that commit's code) and the same client (`throughput.drive`) run the same phases, and
around each phase the CPU time (user + system, from /proc) of every process is read: the
client (this process), the fake provider, vanilla, Voile's main process and its detection
workers (its process group). Divided by the requests the phase answered, that is each
process's CPU per request; with the wall time it says which process, or the client and the
fake together, is the bottleneck of a cell, and whether a ratio measures the proxy or the
harness.

Phases run in turns (json then stream; targets in order, then reversed, `--rounds` times)
and each figure is the sum over a target's phases. The load average and the CPU other
processes used are printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import cpu, servers
from bench.latency import OtherLoad, work_directory
from bench.throughput import Target, drive, start_vanilla

APP_KEY = "vk-bench-stream-cpu-0123456789"


def roles(target: Target, leaders: dict[str, list[int]], fake: int) -> dict[str, list[int]]:
    """Which processes play which part while `target` is driven."""
    main = leaders[target.name]
    workers = [p for leader in main for p in cpu.group_pids(leader) if p not in main]
    out = {"client": [os.getpid()], "fake": [fake], "proxy main": main}
    if workers:
        out["proxy workers"] = workers
    return out


def ours(leaders: dict[str, list[int]], fake: int) -> list[int]:
    """Every process this benchmark started, and itself."""
    groups = [p for group in leaders.values() for leader in group for p in cpu.group_pids(leader)]
    return [os.getpid(), fake, *groups]


def start_voile(workdir: Path, upstream: str, workers: int, source: Path | None) -> servers.Server:
    workdir.mkdir(parents=True, exist_ok=True)
    port = servers.free_port()
    path = servers.voile_config(workdir, upstream, APP_KEY, port, {"workers": workers})
    config = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    server = servers.launch_voile(workdir, path, port, source=source)
    asyncio.run(servers.wait_healthy(server, 240.0))
    return server


def measure(
    target: Target,
    leaders: dict[str, list[int]],
    fake: int,
    args: argparse.Namespace,
    stream: bool,
    clients: int,
    first: int,
    usage: cpu.Usage,
) -> None:
    with cpu.Meter(roles(target, leaders, fake), ours(leaders, fake)) as meter:
        phase = asyncio.run(drive(target, 5, first, clients, stream, args.seconds, args.size))
    meter.into(usage, phase.done, phase.seconds)
    if phase.errors:
        print(f"  {target.name}: {len(phase.errors)} errors {sorted(set(phase.errors))}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with work_directory(args.workdir) as workdir, ExitStack() as stack:
        fake = servers.start_fake(workdir, 3600.0)
        stack.callback(servers.stop, fake)
        vanilla = start_vanilla(workdir, fake.base_url, 3600.0)
        stack.callback(servers.stop, vanilla)
        auth = {"Authorization": f"Bearer {APP_KEY}"}
        url = "/openai/v1/chat/completions"
        targets = [Target("vanilla", (vanilla.base_url + url,), {}, voile=False)]
        leaders = {"vanilla": [vanilla.process.pid]}
        sources: list[tuple[str, Path | None]] = [("voile", None)]
        if args.base:
            sources.insert(0, ("voile base", servers.source_copy(args.base, workdir / "base")))
        for name, source in sources:
            server = start_voile(
                workdir / name.replace(" ", "-"), fake.base_url, args.workers, source
            )
            stack.callback(servers.stop, server)
            targets.append(Target(name, (server.base_url + url,), auth, voile=True))
            leaders[name] = [server.process.pid]
        for target in targets:  # connections, first-call costs
            asyncio.run(drive(target, 99, 0, 2, False, 2.0, args.size))
        samples: dict[tuple[str, bool, int], cpu.Usage] = {}
        number = 0
        for _ in range(args.rounds):
            for order in (targets, list(reversed(targets))):
                for stream in (False, True):
                    for clients in args.clients:
                        for target in order:
                            usage = samples.setdefault((target.name, stream, clients), cpu.Usage())
                            number += 20_000
                            measure(
                                target,
                                leaders,
                                fake.process.pid,
                                args,
                                stream,
                                clients,
                                number,
                                usage,
                            )
        results["rows"] = [
            {
                "target": name,
                "stream": stream,
                "clients": clients,
                "requests": s.requests,
                "rps": s.requests / s.seconds,
                "machine_cores": s.machine / s.seconds,
                "cpu_ms_per_request": {r: 1000 * c / max(1, s.requests) for r, c in s.cpu.items()},
                "cores": {r: c / s.seconds for r, c in s.cpu.items()},
                "main_thread_ran": {r: c / s.seconds for r, c in s.ran.items()},
                "main_thread_waited": {r: c / s.seconds for r, c in s.waited.items()},
            }
            for (name, stream, clients), s in samples.items()
        ]
    return results


def report(results: dict[str, Any], facts: dict[str, Any]) -> str:
    role_names = ["client", "fake", "proxy main", "proxy workers", "others"]
    lines = [
        "# CPU per request, by process",
        "",
        f"load average {facts['load_before']:.2f} before, {facts['load_after']:.2f} after; "
        f"other processes used {facts['others']:.2f} cores on average.",
        "",
        "| mode | clients | target | req/s | "
        + " | ".join(f"{r} ms/req (cores)" for r in role_names)
        + " | machine cores busy |",
        "|---|---:|---|---:|" + "---:|" * len(role_names) + "---:|",
    ]
    rows = sorted(results["rows"], key=lambda r: (r["stream"], r["clients"], r["target"]))
    for row in rows:
        cells = []
        for role in role_names:
            if role in row["cpu_ms_per_request"]:
                cells.append(f"{row['cpu_ms_per_request'][role]:.2f} ({row['cores'][role]:.2f})")
            else:
                cells.append("-")
        lines.append(
            f"| {'stream' if row['stream'] else 'json'} | {row['clients']} | {row['target']} | "
            f"{row['rps']:.1f} | " + " | ".join(cells) + f" | {row['machine_cores']:.2f} |"
        )
    lines += [
        "",
        "Main threads: share of the wall time running / waiting runnable for a CPU "
        "(summed over a role's processes; the rest is sleeping):",
        "",
    ]
    for row in rows:
        parts = [
            f"{r} {row['main_thread_ran'][r]:.2f}/{row['main_thread_waited'][r]:.2f}"
            for r in role_names
            if r in row["main_thread_ran"]
        ]
        lines.append(
            f"- {'stream' if row['stream'] else 'json'} x{row['clients']} {row['target']}: "
            + ", ".join(parts)
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="also run this commit's code as a second Voile")
    parser.add_argument("--seconds", type=float, default=6.0, help="per phase")
    parser.add_argument("--clients", default="8", help="concurrent clients per cell")
    parser.add_argument("--workers", type=int, default=2, help="detection.workers")
    parser.add_argument("--rounds", type=int, default=1, help="A..Z Z..A rounds")
    parser.add_argument("--size", type=int, default=1024, help="bytes of text per request")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    args.clients = tuple(int(c) for c in args.clients.split(","))
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
