"""Throughput of Voile against vanilla Presidio in a proxy loop, in one run.

    .venv/bin/python bench/throughput.py [--quick] [--seconds S] [--clients 8,16]
        [--workers 2] [--workers 1 ...] [--replicas 2] [--size 1KB] [--json FILE]

The fake OpenAI provider (`fake_upstream.py`), vanilla Presidio in an aiohttp proxy
(`vanilla_proxy.py`) and `voile serve` run as processes of their own on 127.0.0.1; one
client (raw aiohttp, lighter than the SDK, so that it leaves the CPU to the proxies) drives
each in turn with the same texts: `clients` concurrent clients send requests back to back
for `seconds`, non-streamed then streamed (the stream read to its end). Each request carries
a text of its own (`prompts.build_prompt`, en and fr in turn, seeded by its number), so
Voile's detection cache never answers for it; the same numbers, so the same texts, go to
each target of a cell. Per cell the targets run in turn, vanilla first then each Voile
configuration, then again in reverse order, and each figure is the sum of its two phases:
the machine's drift affects all targets alike.

Voile runs with its defaults but `detection.workers` (each `--workers` value is one
configuration). `--replicas N` adds a configuration of N `voile serve` processes sharing one
PostgreSQL audit store and one data directory (keys), each with `--replica-workers`
workers, the client spreading requests over them in turn (a load balancer's round robin).

Reported: requests per second per target and cell, the ratio to vanilla, p50 latency, the
errors, Voile's own `detect` stage (p50, queueing included), the load average and the CPU
other processes used meanwhile (the machine is shared: ratios, not absolute figures, carry
over). And per target and cell, from /proc around each phase (`bench/cpu.py`): the CPU per
request of the proxy's main process and its workers, of the client and of the fake, the
cores others took during that target's own phases, and the ceiling the proxy's CPU per
request allows on this machine's cores. Vanilla runs in one thread: others' load on the
second core costs it nothing and costs Voile's workers all of it, so a ratio is only
worth as much as the "others" beside it; the CPU figures hold whatever the load.
Every loop is bounded in count and time; every process started here is stopped here.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import cpu, prompts, servers
from bench.latency import OtherLoad, log_problems, wait_until_idle, work_directory
from bench.reference import percentile
from bench.vanilla_proxy import LANGUAGE_HEADER

REQUEST_TIMEOUT = 60.0
MAX_REQUESTS_PER_PHASE = 20_000


@dataclass(frozen=True)
class Target:
    """Where one configuration listens (one URL per replica) and what it is."""

    name: str
    urls: tuple[str, ...]
    headers: dict[str, str]
    voile: bool
    log_paths: tuple[Path, ...] = ()
    pids: tuple[int, ...] = ()  # its servers' process ids (each leads its process group)


def model_name(stream: bool, clients: int) -> str:
    """Each cell's `model`: Voile logs it, which is how its stage timings are matched."""
    return f"bench-throughput-{'stream' if stream else 'json'}-c{clients}"


@dataclass
class Phase:
    done: int = 0
    seconds: float = 0.0
    ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def request_text(cell: int, number: int, size: int) -> tuple[str, str]:
    """The text of request `number` of a cell: its own, the same for every target."""
    language = prompts.LANGUAGES[number % len(prompts.LANGUAGES)]
    return language, prompts.build_prompt(language, size, seed=1_000_000 * (cell + 1) + number)


async def drive(
    target: Target,
    cell: int,
    first: int,
    clients: int,
    stream: bool,
    seconds: float,
    size: int,
) -> Phase:
    """`clients` clients sending requests back to back for `seconds`; request numbers start
    at `first` (the two phases of a cell use disjoint numbers, so no text is sent twice to
    one Voile)."""
    phase = Phase()
    numbers = itertools.count(first)
    urls = itertools.cycle(target.urls)
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    started = time.perf_counter()
    deadline = started + seconds
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def client() -> None:
            while time.perf_counter() < deadline and phase.done < MAX_REQUESTS_PER_PHASE:
                number = next(numbers)
                language, text = request_text(cell, number, size)
                body = {
                    "model": model_name(stream, clients),
                    "messages": [{"role": "user", "content": text}],
                    "stream": stream,
                }
                headers = {**target.headers, LANGUAGE_HEADER: language}
                begin = time.perf_counter()
                try:
                    async with session.post(next(urls), json=body, headers=headers) as answer:
                        async for _ in answer.content.iter_any():
                            pass
                        if answer.status != 200:
                            phase.errors.append(str(answer.status))
                            continue
                except (aiohttp.ClientError, TimeoutError) as error:
                    phase.errors.append(type(error).__name__)
                    continue
                phase.ms.append((time.perf_counter() - begin) * 1000)
                phase.done += 1

        await asyncio.gather(*(client() for _ in range(clients)))
    phase.seconds = time.perf_counter() - started
    return phase


# ---- servers ----------------------------------------------------------------------------


def start_vanilla(workdir: Path, upstream: str, max_seconds: float) -> servers.Server:
    log_path = workdir / "vanilla.log"
    command = [
        sys.executable,
        "-m",
        "bench.vanilla_proxy",
        "--upstream",
        upstream,
        "--max-seconds",
        str(max_seconds),
    ]
    with log_path.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            cwd=servers.ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            start_new_session=True,
            preexec_fn=servers._die_with_parent,  # noqa: PLW1509 - before any thread
        )
    server = servers.Server("vanilla", process, "", log_path)
    line = servers._read_line(process, timeout=180.0)
    if not line.startswith("PORT "):
        servers.stop(server)
        raise servers.ServerError(f"vanilla proxy did not start:\n{server.log_tail()}")
    server.base_url = f"http://127.0.0.1:{int(line.split()[1])}"
    return server


def start_voiles(
    workdir: Path,
    upstream: str,
    app_key: str,
    workers: int,
    replicas: int,
    audit_url: str | None,
) -> list[servers.Server]:
    """`replicas` Voile processes sharing one data directory (keys) and audit store; each
    one started once the previous one is healthy (the first creates the keys)."""
    started = []
    data_dir = workdir / "voile-data"
    for index in range(replicas):
        home = workdir / f"replica-{index}"
        home.mkdir(parents=True, exist_ok=True)
        port = servers.free_port()
        config = yaml.safe_load(servers.voile_config(home, upstream, app_key, port).read_text())
        config["data_dir"] = str(data_dir)
        config["detection"] = {"workers": workers}
        if audit_url is not None:
            config["audit"] = {"url": audit_url}
        path = home / "voile.yaml"
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        server = servers.launch_voile(home, path, port)
        started.append(server)
        asyncio.run(servers.wait_healthy(server, 240.0))
    return started


def stage_p50(log_paths: tuple[Path, ...], stage: str, model: str) -> float | None:
    values = [
        record["timings_ms"][stage]
        for path in log_paths
        for record in servers.log_records(path)
        if record.get("event") == "request"
        and record.get("model") == model
        and stage in (record.get("timings_ms") or {})
    ]
    return statistics.median(values) if values else None


def roles(target: Target, fake: servers.Server | None = None) -> dict[str, list[int]]:
    """Who uses the CPU while `target` is driven: the client (this process), the fake
    provider, the proxy's main process(es) and its detection workers."""
    workers = [p for leader in target.pids for p in cpu.group_pids(leader) if p != leader]
    return {
        "client": [os.getpid()],
        "fake": [] if fake is None else [fake.process.pid],
        "main": list(target.pids),
        "workers": workers,
    }


def ours(targets: list[Target], fake: servers.Server) -> list[int]:
    """Every process of the benchmark (idle targets too): the rest of the machine's busy
    time is other sessions' and the kernel's."""
    groups = [p for t in targets for leader in t.pids for p in cpu.group_pids(leader)]
    return [os.getpid(), fake.process.pid, *groups]


def cpu_ceiling(usage: cpu.Usage, cores: int, mains: int, workers: int) -> float:
    """Requests/s the proxy's own CPU per request allows on a machine of `cores` cores with
    nothing else on it (no client, no fake provider, no other session): a ceiling, not a
    measurement. A process runs on one core at a time, so the kinds of process bound it too:
    `mains` main processes (vanilla's single event loop; Voile's, one per replica) and
    `workers` detection workers together."""
    main, work = usage.ms_per_request("main"), usage.ms_per_request("workers")
    bounds = [1000 * cores / max(1e-9, main + work), 1000 * mains / max(1e-9, main)]
    if workers and work > 0:
        bounds.append(1000 * workers / work)
    return min(bounds)


# ---- the run ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    seconds: float = 15.0
    clients: tuple[int, ...] = (8, 16)
    workers: tuple[int, ...] = (2,)
    replicas: int = 0  # 0: no replicated configuration
    replica_workers: int = 1
    size: int = 1024
    max_seconds: float = 3600.0


def run(settings: Settings, keep: Path | None) -> dict[str, Any]:
    results: dict[str, Any] = {"cells": []}
    with work_directory(keep) as workdir, ExitStack() as stack:
        fake = servers.start_fake(workdir, settings.max_seconds)
        stack.callback(servers.stop, fake)
        vanilla = start_vanilla(workdir, fake.base_url, settings.max_seconds)
        stack.callback(servers.stop, vanilla)
        vanilla_url = f"{vanilla.base_url}/openai/v1/chat/completions"
        targets = [Target("vanilla", (vanilla_url,), {}, voile=False, pids=(vanilla.process.pid,))]
        app_key = "vk-bench-throughput-0123456789"
        auth = {"Authorization": f"Bearer {app_key}"}
        voiles: list[list[servers.Server]] = []
        configurations = [(f"voile w={w}", w, 1) for w in settings.workers]
        if settings.replicas:
            configurations.append(
                (
                    f"voile {settings.replicas} replicas x w={settings.replica_workers}",
                    settings.replica_workers,
                    settings.replicas,
                )
            )
        for index, (name, workers, replicas) in enumerate(configurations):
            home = workdir / f"voile-{index}"
            audit_url = None
            if replicas > 1:
                audit_url = stack.enter_context(servers.postgres_schema("voile_throughput"))
            started = time.monotonic()
            group = start_voiles(home, fake.base_url, app_key, workers, replicas, audit_url)
            for server in group:
                stack.callback(servers.stop, server)
            results.setdefault("startup_s", {})[name] = time.monotonic() - started
            voiles.append(group)
            targets.append(
                Target(
                    name,
                    tuple(f"{s.base_url}/openai/v1/chat/completions" for s in group),
                    auth,
                    voile=True,
                    log_paths=tuple(s.log_path for s in group),
                    pids=tuple(s.process.pid for s in group),
                )
            )
        results["rss_mb"] = {
            t.name: sum(servers_rss(s) for s in group)
            for t, group in zip(targets[1:], voiles, strict=True)
        }
        results["rss_mb"]["vanilla"] = servers_rss(vanilla)
        warm(targets, settings)
        for cell, (stream, clients) in enumerate(
            itertools.product((False, True), settings.clients)
        ):
            phases: dict[str, list[Phase]] = {t.name: [] for t in targets}
            usage = {t.name: cpu.Usage() for t in targets}
            for turn, order in enumerate((targets, list(reversed(targets)))):
                for target in order:
                    first = turn * MAX_REQUESTS_PER_PHASE * 2
                    with cpu.Meter(roles(target, fake), ours(targets, fake)) as meter:
                        phase = asyncio.run(
                            drive(
                                target,
                                cell,
                                first,
                                clients,
                                stream,
                                settings.seconds,
                                settings.size,
                            )
                        )
                    meter.into(usage[target.name], phase.done, phase.seconds)
                    phases[target.name].append(phase)
                    print(
                        f"  {'stream' if stream else 'json'} x{clients} {target.name}: "
                        f"{phase.done / phase.seconds:.1f} req/s",
                        file=sys.stderr,
                    )
            results["cells"].append(summarise(stream, clients, targets, phases, usage))
        for target in targets[1:]:
            for row in results["cells"]:
                row["targets"][target.name]["detect_p50"] = stage_p50(
                    target.log_paths, "detect", model_name(row["stream"], row["clients"])
                )
        for target, group in zip(targets[1:], voiles, strict=True):
            for server in group:
                servers.stop(server)
            results.setdefault("log_problems", {})[target.name] = [
                line for server in group for line in log_problems(server.log_path)
            ]
    return results


def servers_rss(server: servers.Server) -> float:
    from bench.latency import process_rss_mb  # noqa: PLC0415

    return process_rss_mb(server.process.pid)


def warm(targets: list[Target], settings: Settings) -> None:
    """A few requests per target first (connections, first-call costs), texts of their own."""
    for target in targets:
        asyncio.run(drive(target, 99, 0, 2, False, 2.0, settings.size))


def summarise(
    stream: bool,
    clients: int,
    targets: list[Target],
    phases: dict[str, list[Phase]],
    usage: dict[str, cpu.Usage],
) -> dict[str, Any]:
    row: dict[str, Any] = {"stream": stream, "clients": clients, "targets": {}}
    for target in targets:
        used = usage[target.name]
        done = sum(p.done for p in phases[target.name])
        seconds = sum(p.seconds for p in phases[target.name])
        ms = [m for p in phases[target.name] for m in p.ms]
        errors = [e for p in phases[target.name] for e in p.errors]
        row["targets"][target.name] = {
            "requests": done,
            "rps": done / seconds if seconds else 0.0,
            "p50_ms": statistics.median(ms) if ms else None,
            "p95_ms": percentile(ms, 95) if ms else None,
            "errors": len(errors),
            "error_kinds": sorted(set(errors)),
            "cpu_ms": {role: used.ms_per_request(role) for role in used.cpu},
            "others_cores": used.cores("others"),
            "ceiling_rps": cpu_ceiling(
                used, os.cpu_count() or 1, len(target.pids), len(roles(target)["workers"])
            ),
        }
    return row


def report(results: dict[str, Any], facts: dict[str, Any], settings: Settings) -> str:
    names = list(results["cells"][0]["targets"])
    lines = [
        "# Throughput: Voile against vanilla Presidio in a proxy loop",
        "",
        f"{facts['nproc']} CPUs; load average {facts['load_before']:.2f} before, "
        f"{facts['load_after']:.2f} after; other processes used {facts['others']:.2f} cores "
        f"on average. Texts of {settings.size} B, each request its own; "
        f"{settings.seconds:.0f} s x 2 per target and cell.",
        "",
        "| mode | clients | "
        + " | ".join(f"{n} req/s" for n in names)
        + " | "
        + " | ".join(f"{n} / vanilla" for n in names[1:])
        + " | "
        + " | ".join(f"{n} p50 ms (detect)" for n in names)
        + " | errors |",
        "|---|---:|" + "---:|" * (3 * len(names) - 1) + "---:|",
    ]
    for row in results["cells"]:
        t = row["targets"]
        base = t["vanilla"]["rps"] or float("nan")
        cells = [f"{t[n]['rps']:.1f}" for n in names]
        ratios = [f"**{t[n]['rps'] / base:.2f}**" for n in names[1:]]
        latency = []
        for n in names:
            p50 = t[n]["p50_ms"]
            text = "-" if p50 is None else f"{p50:.0f}"
            if t[n].get("detect_p50") is not None:
                text += f" ({t[n]['detect_p50']:.0f})"
            latency.append(text)
        errors = sum(t[n]["errors"] for n in names)
        lines.append(
            f"| {'stream' if row['stream'] else 'json'} | {row['clients']} | "
            + " | ".join(cells + ratios + latency)
            + f" | {errors} |"
        )
    lines += [
        "",
        "Where the CPU went, ms per request (user + system, from /proc): the proxy's main "
        "process(es) and detection workers, the harness (client, fake provider); the cores "
        "other processes (other sessions, the kernel) kept busy during the target's phases, "
        "which Voile's workers lose and vanilla's single core mostly does not; and the "
        "ceiling the proxy's own CPU per request allows on this many cores with nothing "
        "else running (`cpu_ceiling`: derived, not measured).",
        "",
        "| mode | clients | target | main | workers | client | fake | others (cores) "
        "| CPU ceiling req/s | ceiling / vanilla's |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["cells"]:
        t = row["targets"]
        for n in names:
            ms = t[n]["cpu_ms"]
            lines.append(
                f"| {'stream' if row['stream'] else 'json'} | {row['clients']} | {n} | "
                f"{ms.get('main', 0):.1f} | {ms.get('workers', 0):.1f} | "
                f"{ms.get('client', 0):.1f} | {ms.get('fake', 0):.1f} | "
                f"{t[n]['others_cores']:.2f} | {t[n]['ceiling_rps']:.1f} | "
                f"{t[n]['ceiling_rps'] / t['vanilla']['ceiling_rps']:.2f} |"
            )
    lines += [
        "",
        "Resident memory once started (MB, all processes): "
        + ", ".join(f"{n} {mb:.0f}" for n, mb in results["rss_mb"].items())
        + "; start-up to healthy (s): "
        + ", ".join(f"{n} {s:.1f}" for n, s in results.get("startup_s", {}).items())
        + ".",
    ]
    problems = {n: p for n, p in results.get("log_problems", {}).items() if p}
    if problems:
        lines.append(f"Voile log lines at warning or above: {json.dumps(problems)[:600]}")
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> tuple[Settings, argparse.Namespace]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 s phases: a smoke run")
    parser.add_argument("--seconds", type=float, help="per phase (default 15; two per cell)")
    parser.add_argument("--clients", default="8,16", help="concurrent clients per cell")
    parser.add_argument(
        "--workers", type=int, action="append", help="detection.workers (repeatable)"
    )
    parser.add_argument("--replicas", type=int, default=0, help="add N replicas on PostgreSQL")
    parser.add_argument("--replica-workers", type=int, default=1)
    parser.add_argument("--size", type=int, default=1024, help="bytes of text per request")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    seconds = args.seconds or (4.0 if args.quick else 15.0)
    settings = Settings(
        seconds=seconds,
        clients=tuple(int(c) for c in args.clients.split(",")),
        workers=tuple(args.workers or [2]),
        replicas=args.replicas,
        replica_workers=args.replica_workers,
        size=args.size,
    )
    return settings, args


def main(argv: list[str] | None = None) -> int:
    settings, args = parse_args(argv)
    facts: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "load_before": wait_until_idle(args.wait_idle),
    }
    others = OtherLoad()
    results = run(settings, args.workdir)
    facts["others"] = others.cores()
    facts["load_after"] = os.getloadavg()[0]
    print(report(results, facts, settings))
    if args.json:
        args.json.write_text(json.dumps({"facts": facts, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
