"""How much latency Voile adds to a chat completion, and where it goes.

    .venv/bin/python bench/latency.py [--quick] [--json FILE] [--requests N] [--seconds S]

The benchmark starts the test suite's fake OpenAI provider (echo mode) and Voile itself
(`voile serve`, one detection worker) as separate processes on 127.0.0.1, then drives both
with the official `openai` SDK (AsyncOpenAI, max_retries=0): the same client code calls the
fake directly and through Voile, so the SDK's own cost is in both columns and the difference
is what Voile adds. It measures, for English and French business texts of ~200 B, ~1 KB and
~10 KB full of personal data:

- non-streamed latency (p50, p95), direct vs through Voile, sequential requests;
- streamed time to first token (first non-empty content delta), direct vs through Voile;
- throughput (requests/s) with 1 and 16 concurrent clients on the 1 KB texts;
- where Voile's time goes, from the `timings_ms` of its own canonical log lines;
- for reference, once the servers are stopped, each in a fresh process: vanilla Presidio
  and Voile's own detection engine on the same texts (see reference.py).

Every loop is bounded in count and time, and every process started here is stopped here
(see `servers.py`). Results: a markdown report on stdout, and `--json FILE` for the raw
figures. See bench/README.md for how to read them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openai
from openai.types.chat import ChatCompletionMessageParam

# `python bench/latency.py` puts bench/ on sys.path, not the repository root that holds it.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import prompts, reference, servers

REQUEST_TIMEOUT = 60.0  # seconds; a single request that takes longer counts as an error
FLOOR, FLOOR_PROMPT = prompts.FLOOR, prompts.FLOOR_PROMPT
FLOORS = {FLOOR: FLOOR_PROMPT, prompts.FLOOR_WORKER: prompts.FLOOR_WORKER_PROMPT}
# Every request of a cell sends the same prompt: Voile's detection cache would answer all
# but the first, so it is off here (bench/conversation.py measures it). One worker: the
# latency of one request, not the pool's parallelism (bench/throughput.py).
VOILE_DETECTION = {"workers": 1, "cache_entries": 0}
REFERENCE_TIMEOUT = 600.0  # seconds per in-process engine run, loading included


@dataclass(frozen=True)
class Settings:
    """How much to measure. `--quick` trades precision for a run of about a minute."""

    requests: int = 20  # timed requests per cell (size x language x direct/voile x mode)
    warmup: int = 3  # untimed requests per cell first (connections, caches)
    throughput_seconds: float = 15.0  # per throughput phase
    throughput_max_requests: int = 20_000  # per throughput phase, whatever the time
    reference_repeats: int = 20  # per text, in-process detection
    reference_budget_seconds: float = 8.0  # per text: stop repeating (after 3) past this
    startup_timeout: float = 180.0
    max_seconds: float = 1800.0  # the fake provider stops by itself after this


QUICK = Settings(
    requests=5, warmup=1, throughput_seconds=4.0, reference_repeats=5, reference_budget_seconds=2.0
)


@dataclass
class Samples:
    """Timings in milliseconds of one cell, plus what went wrong in it."""

    ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        if not self.ms:
            return {"n": 0, "errors": len(self.errors)}
        return {
            "n": len(self.ms),
            "p50_ms": statistics.median(self.ms),
            "p95_ms": reference.percentile(self.ms, 95),
            "errors": len(self.errors),
            "error_types": sorted(set(self.errors)),
        }


def model_name(size: str, language: str, kind: str) -> str:
    """The `model` field of each request names its cell: Voile logs the model on its
    canonical request line, which is how its stage timings are matched to cells later."""
    return f"bench-{size}-{language}-{kind}"


def user(prompt: str) -> list[ChatCompletionMessageParam]:
    return [{"role": "user", "content": prompt}]


async def completion(client: openai.AsyncOpenAI, model: str, prompt: str) -> tuple[float, str]:
    """One non-streamed request: milliseconds until the parsed answer, and its text."""
    started = time.perf_counter()
    answer = await client.chat.completions.create(model=model, messages=user(prompt))
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, answer.choices[0].message.content or ""


async def streamed(client: openai.AsyncOpenAI, model: str, prompt: str) -> tuple[float, float, str]:
    """One streamed request: ms to the first non-empty content delta (what a user sees
    first), ms to the end of the stream, and the text. The fake sends 4 characters per
    delta, like a real model's tokens."""
    started = time.perf_counter()
    first: float | None = None
    parts: list[str] = []
    stream = await client.chat.completions.create(model=model, messages=user(prompt), stream=True)
    async for chunk in stream:
        text = chunk.choices[0].delta.content if chunk.choices else None
        if text:
            if first is None:
                first = (time.perf_counter() - started) * 1000
            parts.append(text)
    total = (time.perf_counter() - started) * 1000
    return (first if first is not None else total), total, "".join(parts)


@dataclass
class Cell:
    """Everything measured for one (size, language, direct|voile)."""

    json: Samples = field(default_factory=Samples)
    ttft: Samples = field(default_factory=Samples)
    stream_total: Samples = field(default_factory=Samples)
    wrong_answers: int = 0  # echo not restored to exactly the prompt


async def measure_cell(
    client: openai.AsyncOpenAI,
    size: str,
    language: str,
    prompt: str,
    settings: Settings,
) -> Cell:
    """Warm-up, then `settings.requests` non-streamed and as many streamed requests.

    The fake echoes the prompt, so through Voile the answer must come back exactly as the
    prompt was sent (placeholders restored); anything else is counted as a wrong answer.
    """
    cell = Cell()
    for _ in range(settings.warmup):
        with contextlib.suppress(openai.APIError):
            await completion(client, model_name(size, language, "warmup"), prompt)
            await streamed(client, model_name(size, language, "warmup"), prompt)
    for _ in range(settings.requests):
        try:
            ms, text = await completion(client, model_name(size, language, "json"), prompt)
            cell.json.ms.append(ms)
            cell.wrong_answers += text != prompt
        except openai.APIError as error:
            cell.json.errors.append(type(error).__name__)
        try:
            first, total, text = await streamed(
                client, model_name(size, language, "stream"), prompt
            )
            cell.ttft.ms.append(first)
            cell.stream_total.ms.append(total)
            cell.wrong_answers += text != prompt
        except openai.APIError as error:
            cell.ttft.errors.append(type(error).__name__)
    return cell


async def throughput(
    client: openai.AsyncOpenAI,
    texts: list[tuple[str, str]],
    concurrency: int,
    settings: Settings,
) -> dict[str, Any]:
    """`concurrency` clients sending non-streamed requests back to back (the texts in turn)
    until `throughput_seconds` pass or `throughput_max_requests` have been started."""
    samples = Samples()
    started = time.perf_counter()
    deadline = started + settings.throughput_seconds
    sent = 0

    async def one_client(offset: int) -> None:
        nonlocal sent
        turn = offset
        while time.perf_counter() < deadline and sent < settings.throughput_max_requests:
            sent += 1
            language, prompt = texts[turn % len(texts)]
            turn += 1
            try:
                ms, _ = await completion(
                    client, model_name("1KB", language, f"c{concurrency}"), prompt
                )
                samples.ms.append(ms)
            except openai.APIError as error:
                samples.errors.append(type(error).__name__)

    await asyncio.gather(*(one_client(i) for i in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {
        "concurrency": concurrency,
        "seconds": elapsed,
        "rps": len(samples.ms) / elapsed,
        **samples.summary(),
    }


def sdk_client(base_url: str, api_key: str) -> openai.AsyncOpenAI:
    return openai.AsyncOpenAI(
        base_url=base_url, api_key=api_key, max_retries=0, timeout=REQUEST_TIMEOUT
    )


async def measure_servers(
    fake_url: str,
    voile_url: str,
    app_key: str,
    texts: dict[tuple[str, str], str],
    settings: Settings,
) -> dict[str, Any]:
    """All network measurements. Each cell is measured direct, then through Voile, back to
    back, so that a slow drift of the machine affects both columns about alike."""
    targets = {
        "direct": sdk_client(f"{fake_url}/v1", "sk-bench-direct"),
        "voile": sdk_client(f"{voile_url}/openai/v1", app_key),
    }
    cells: dict[str, dict[str, Any]] = {}
    try:
        for (size, language), prompt in [*FLOORS.items(), *texts.items()]:
            for target, client in targets.items():
                cell = await measure_cell(client, size, language, prompt, settings)
                cells[f"{size}/{language}/{target}"] = {
                    "json": cell.json.summary(),
                    "ttft": cell.ttft.summary(),
                    "stream_total": cell.stream_total.summary(),
                    "wrong_answers": cell.wrong_answers,
                }
                print(f"  measured {size}/{language} {target}", file=sys.stderr)
        one_kb = [(language, texts[("1KB", language)]) for language in prompts.LANGUAGES]
        rates: dict[str, Any] = {}
        for target, client in targets.items():
            for concurrency in (1, 16):
                rates[f"{target}/c{concurrency}"] = await throughput(
                    client, one_kb, concurrency, settings
                )
                print(f"  throughput {target} x{concurrency}", file=sys.stderr)
    finally:
        for client in targets.values():
            await client.close()
    return {"cells": cells, "throughput": rates}


def summarise_stages(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each stage Voile timed (`timings_ms`, plus the whole `duration_ms`),
    the entity counts of the last request, and how many requests got each status."""
    timings: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, int] = defaultdict(int)
    for record in records:
        timings["duration"].append(record["duration_ms"])
        for stage, ms in (record.get("timings_ms") or {}).items():
            timings[stage].append(ms)
        statuses[str(record.get("status"))] += 1
    return {
        "n": len(records),
        "p50_ms": {stage: statistics.median(values) for stage, values in timings.items()},
        "entities": records[-1].get("entities") or {},
        "statuses": dict(statuses),
    }


def stage_timings(log_path: Path) -> dict[str, Any]:
    """Voile's own view of each cell, from its canonical request lines: by model name (one
    per cell), and pooled per throughput phase (`c1`, `c16`: both languages together)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in servers.log_records(log_path):
        model = record.get("model")
        if record.get("event") == "request" and isinstance(model, str):
            groups[model].append(record)
            kind = model.rsplit("-", 1)[-1]
            if kind.startswith("c") and kind[1:].isdigit():
                groups[kind].append(record)
    return {name: summarise_stages(records) for name, records in groups.items()}


# Warnings every first start logs (keys generated in the fresh data_dir): not problems.
FIRST_RUN_EVENTS = frozenset(
    {"placeholder_key_created", "audit_key_created", "audit_signing_key_created"}
)


def log_problems(log_path: Path) -> list[str]:
    """Voile's log lines worth a human look: warnings and errors (but the expected first-run
    ones), and anything that is not one of its JSON lines (tracebacks, library warnings).
    Identical lines are listed once, with their count."""
    counts: dict[str, int] = defaultdict(int)
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line) if line.startswith("{") else None
        except ValueError:
            record = None
        if record is None:
            counts[line[:300]] += 1
        elif (
            record.get("level") in {"warning", "error", "critical"}
            and record.get("event") not in FIRST_RUN_EVENTS
        ):
            key = {k: v for k, v in record.items() if k not in {"timestamp", "request_id"}}
            counts[json.dumps(key, sort_keys=True)[:300]] += 1
    return [f"{n} x {line}" for line, n in counts.items()]


def process_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Voile + its worker), in MB."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
    return total


def wait_until_idle(max_seconds: float, threshold: float = 0.3) -> float:
    """On a shared machine other jobs skew every figure: wait (bounded) until the 1-minute
    load average is below `threshold`; returns the load average measurement starts with."""
    deadline = time.monotonic() + max_seconds
    while os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        print(f"  waiting for an idle machine (load {os.getloadavg()[0]:.2f})", file=sys.stderr)
        time.sleep(min(15.0, max(0.0, deadline - time.monotonic())))
    return os.getloadavg()[0]


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used since boot (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU seconds used by this process and its waited-for children (the servers, Voile's
    worker through Voile, the reference processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class OtherLoad:
    """How much CPU *other* processes took while the benchmark ran: on a shared machine,
    the figures are only as good as this is small."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.busy, self.own = machine_busy_seconds(), own_cpu_seconds()

    def cores(self) -> float:
        """Average number of cores others kept busy during the run."""
        others = (machine_busy_seconds() - self.busy) - (own_cpu_seconds() - self.own)
        return max(0.0, others) / max(1e-9, time.monotonic() - self.started)


def machine_facts() -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "openai_sdk": openai.__version__,
    }


@contextlib.contextmanager
def work_directory(keep: Path | None) -> Iterator[Path]:
    """Where Voile's config, data (keys, SQLite audit) and logs go: a temporary directory
    removed at the end, or `keep` (created if needed, left in place for inspection)."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="voile-bench-") as tmp:
        yield Path(tmp)


def run_servers(
    texts: dict[tuple[str, str], str], settings: Settings, keep: Path | None
) -> dict[str, Any]:
    """Start the fake and Voile, measure, stop both (always), and read Voile's log."""
    with work_directory(keep) as workdir:
        fake = servers.start_fake(workdir, settings.max_seconds)
        voile: servers.Server | None = None
        try:
            voile, app_key = servers.start_voile(workdir, fake.base_url, VOILE_DETECTION)
            startup = asyncio.run(servers.wait_healthy(voile, settings.startup_timeout))
            print(f"  voile healthy after {startup:.1f}s", file=sys.stderr)
            results = asyncio.run(
                measure_servers(fake.base_url, voile.base_url, app_key, texts, settings)
            )
            results["voile_rss_mb"] = process_rss_mb(voile.process.pid)
            results["voile_startup_s"] = startup
        finally:
            stopped_in = servers.stop(voile) if voile is not None else None
            servers.stop(fake)
        assert voile is not None
        results["voile_stop_s"] = stopped_in
        results["stages"] = stage_timings(voile.log_path)
        results["log_problems"] = log_problems(voile.log_path)
        return results


def run_reference(settings: Settings) -> dict[str, Any]:
    """In-process detection on the same texts, each engine in a fresh process (see
    reference.py), after the servers are gone so that nothing else uses the CPU."""
    out: dict[str, Any] = {}
    for name, engine in (("vanilla_presidio", "vanilla"), ("voile_engine", "voile")):
        command = [
            sys.executable,
            "-m",
            "bench.reference",
            "--engine",
            engine,
            "--repeats",
            str(settings.reference_repeats),
            "--budget-seconds",
            str(settings.reference_budget_seconds),
        ]
        done = subprocess.run(
            command,
            cwd=servers.ROOT,
            capture_output=True,
            text=True,
            timeout=REFERENCE_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            tail = "\n".join(done.stderr.splitlines()[-15:])
            raise RuntimeError(f"reference {engine} failed ({done.returncode}):\n{tail}")
        out[name] = json.loads(done.stdout)
        print(f"  reference {name} done", file=sys.stderr)
    return out


# ---- report -------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if i > 1 else "---" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _p(summary: dict[str, Any], key: str = "p50_ms") -> float | None:
    value = summary.get(key)
    return float(value) if value is not None else None


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _entities(stages: dict[str, Any], model: str) -> str:
    counts = (stages.get(model) or {}).get("entities") or {}
    return str(sum(counts.values())) if counts else "0"


def latency_rows(
    results: dict[str, Any], texts: dict[tuple[str, str], str], mode: str
) -> list[list[str]]:
    rows = []
    for (size, language), text in texts.items():
        direct = results["cells"][f"{size}/{language}/direct"][mode]
        voile = results["cells"][f"{size}/{language}/voile"][mode]
        rows.append(
            [
                size,
                language,
                str(len(text.encode())),
                _entities(results["stages"], model_name(size, language, "json")),
                fmt(_p(direct)),
                fmt(_p(direct, "p95_ms")),
                fmt(_p(voile)),
                fmt(_p(voile, "p95_ms")),
                fmt(_diff(_p(voile), _p(direct))),
                fmt(_diff(_p(voile, "p95_ms"), _p(direct, "p95_ms"))),
                str(voile.get("errors", 0) + direct.get("errors", 0)),
            ]
        )
    return rows


def stage_rows(
    results: dict[str, Any], ref: dict[str, Any], texts: dict[tuple[str, str], str]
) -> list[list[str]]:
    rows = []
    for size, language in texts:
        stage = results["stages"].get(model_name(size, language, "json")) or {}
        p50 = stage.get("p50_ms", {})
        duration, detect = p50.get("duration"), p50.get("detect")
        mask, upstream = p50.get("mask"), p50.get("upstream_headers")
        rest = None
        if None not in (duration, detect, mask, upstream):
            rest = duration - detect - mask - upstream
        key = f"{size}/{language}"
        cells = results["cells"]
        added = _diff(_p(cells[f"{key}/voile"]["json"]), _p(cells[f"{key}/direct"]["json"]))
        engine = ref.get("voile_engine", {}).get("texts", {}).get(key, {})
        vanilla = ref.get("vanilla_presidio", {}).get("texts", {}).get(key, {})
        rows.append(
            [
                size,
                language,
                fmt(added),
                fmt(duration),
                fmt(detect),
                fmt(mask, 2),
                fmt(upstream),
                fmt(rest),
                fmt(_p(engine)),
                fmt(_p(vanilla)),
                fmt(_p(vanilla, "p95_ms")),
            ]
        )
    return rows


def floor_line(results: dict[str, Any], ref: dict[str, Any]) -> str:
    """The fixed cost, measured on the two floor prompts, with Voile's own split."""
    parts = []
    for floor, prompt in FLOORS.items():
        key = "/".join(floor)
        engine = ref.get("voile_engine", {}).get("texts", {}).get(key, {})
        direct = results["cells"][f"{key}/direct"]["json"]
        voile = results["cells"][f"{key}/voile"]["json"]
        p50 = (results["stages"].get(model_name(*floor, "json")) or {}).get("p50_ms", {})
        split = ", ".join(
            f"{stage} {fmt(p50.get(stage), 2)}"
            for stage in ("detect", "mask", "audit_intent", "upstream_headers", "audit")
        )
        parts.append(
            f'"{prompt}" ({len(prompt)} B, nothing to find): direct p50 {fmt(_p(direct))}, '
            f"Voile p50 {fmt(_p(voile))}, **added {fmt(_diff(_p(voile), _p(direct)))} ms**; "
            f"Voile's own p50s: whole {fmt(p50.get('duration'), 2)} = {split} ms and the "
            f"rest (the engine alone, in-process: {fmt(_p(engine))} ms)"
        )
    return "Fixed cost: " + "; ".join(parts) + "."


def ttft_line(results: dict[str, Any], texts: dict[tuple[str, str], str]) -> str:
    """Time to first token beyond detection: the TTFT Voile adds (client side) minus its
    own detect stage, and Voile's first_token minus detect (both p50, streamed cells)."""
    parts = []
    for size, language in [*FLOORS, *texts]:
        cells = results["cells"]
        added = _diff(
            _p(cells[f"{size}/{language}/voile"]["ttft"]),
            _p(cells[f"{size}/{language}/direct"]["ttft"]),
        )
        p50 = (results["stages"].get(model_name(size, language, "stream")) or {}).get("p50_ms", {})
        detect = p50.get("detect", 0.0)
        inside = _diff(p50.get("first_token"), detect)
        parts.append(f"{size}/{language} {fmt(_diff(added, detect))} ({fmt(inside)})")
    return (
        "Time to first token beyond detection, p50 ms: TTFT added minus Voile's detect "
        "stage (in brackets: Voile's own first_token minus detect): " + "; ".join(parts) + "."
    )


def throughput_rows(results: dict[str, Any]) -> list[list[str]]:
    """One row per phase; for Voile, the detect stage from its log shows the queueing."""
    rows = []
    for name, row in results["throughput"].items():
        target = name.split("/")[0]
        detect = None
        if target == "voile":
            stage = results["stages"].get(f"c{row['concurrency']}") or {}
            detect = stage.get("p50_ms", {}).get("detect")
        rows.append(
            [
                target,
                str(row["concurrency"]),
                str(row["n"]),
                str(row["errors"]),
                fmt(row["rps"]),
                fmt(_p(row)),
                fmt(_p(row, "p95_ms")),
                fmt(detect),
            ]
        )
    return rows


def full_streams(results: dict[str, Any], texts: dict[tuple[str, str], str]) -> str:
    parts = []
    for size, language in texts:
        direct = results["cells"][f"{size}/{language}/direct"]["stream_total"]
        voile = results["cells"][f"{size}/{language}/voile"]["stream_total"]
        parts.append(f"{size}/{language} {fmt(_p(direct), 0)} -> {fmt(_p(voile), 0)}")
    return "; ".join(parts)


def report(
    results: dict[str, Any],
    ref: dict[str, Any],
    texts: dict[tuple[str, str], str],
    facts: dict[str, Any],
    settings: Settings,
) -> str:
    out = [
        "# Voile latency benchmark",
        "",
        f"Machine: {facts['nproc']} CPUs, {facts['cpu']}; Python {facts['python']}; "
        f"openai SDK {facts['openai_sdk']}. Load average before the run: "
        f"{fmt(facts['load_before'], 2)}; other processes used "
        f"{fmt(facts['other_processes_cores'], 2)} cores on average during it.",
        "Voile: 1 detection worker, detection cache off; healthy "
        f"{fmt(results['voile_startup_s'])} s after start; "
        f"RSS {fmt(results['voile_rss_mb'], 0)} MB (main + worker); stopped in "
        f"{fmt(results['voile_stop_s'])} s.",
        f"{settings.requests} timed requests per cell after {settings.warmup} warm-up; "
        "times in ms; p95 is nearest-rank.",
        "",
        "## Non-streamed chat completion (sequential)",
        "",
    ]
    header = [
        "size",
        "lang",
        "bytes",
        "entities",
        "direct p50",
        "direct p95",
        "Voile p50",
        "Voile p95",
        "added p50",
        "added p95",
        "errors",
    ]
    out += table(header, latency_rows(results, texts, "json"))
    out += ["", floor_line(results, ref)]
    out += ["", "## Streamed: time to first token (sequential)", ""]
    out += table(header, latency_rows(results, texts, "ttft"))
    out += ["", ttft_line(results, texts)]
    out += [
        "",
        "Full stream (echo of the prompt, 4 characters per delta), p50: "
        + full_streams(results, texts)
        + " ms (direct -> Voile).",
        "",
    ]
    out += ["## Where Voile's time goes (non-streamed, p50 of Voile's own log timings)", ""]
    out += table(
        [
            "size",
            "lang",
            "added",
            "Voile total",
            "detect",
            "mask",
            "upstream",
            "rest",
            "engine in-process",
            "vanilla Presidio p50",
            "vanilla p95",
        ],
        stage_rows(results, ref, texts),
    )
    if ref:
        out += [
            "",
            f"Model loading in-process: vanilla Presidio "
            f"{fmt(ref['vanilla_presidio']['load_s'])} s, Voile engine "
            f"{fmt(ref['voile_engine']['load_s'])} s.",
        ]
    out += [
        "",
        "## Throughput, 1 KB prompts (en/fr in turn), "
        f"{fmt(settings.throughput_seconds, 0)} s per row",
        "",
    ]
    out += table(
        ["target", "clients", "requests", "errors", "req/s", "p50", "p95", "Voile detect p50"],
        throughput_rows(results),
    )
    wrong = sum(cell["wrong_answers"] for cell in results["cells"].values())
    out += ["", f"Answers not restored exactly to the prompt: {wrong}."]
    problems = results["log_problems"]
    out += [f"Voile log lines at warning level or above, or not JSON: {len(problems)}."]
    out += [f"- `{line}`" for line in problems[:15]]
    return "\n".join(out) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Latency Voile adds (see bench/README.md).")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="few requests and short phases: a smoke run of about a minute",
    )
    parser.add_argument("--requests", type=int, help="timed requests per cell (default 20)")
    parser.add_argument("--seconds", type=float, help="per throughput phase (default 15)")
    parser.add_argument(
        "--no-reference",
        action="store_true",
        help="skip the in-process Presidio reference (saves ~1-2 minutes)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--wait-idle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait up to this long for the 1-min load average to fall "
        "below 0.3 (shared machines; default: do not wait)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep Voile's config, data and log here instead of a temporary "
        "directory that is removed at the end",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = QUICK if args.quick else Settings()
    if args.requests:
        settings = Settings(**{**settings.__dict__, "requests": args.requests})
    if args.seconds:
        settings = Settings(**{**settings.__dict__, "throughput_seconds": args.seconds})
    texts = prompts.all_prompts()
    facts = machine_facts()
    facts["load_before"] = wait_until_idle(args.wait_idle)
    others = OtherLoad()
    print("measuring through real servers...", file=sys.stderr)
    results = run_servers(texts, settings, args.workdir)
    ref = {} if args.no_reference else run_reference(settings)
    facts["other_processes_cores"] = others.cores()
    print(report(results, ref, texts, facts, settings))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": facts,
                    "settings": settings.__dict__,
                    "servers": results,
                    "reference": ref,
                    "prompt_bytes": {
                        f"{s}/{lang}": len(t.encode()) for (s, lang), t in texts.items()
                    },
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
