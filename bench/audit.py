"""What the audit trail costs: records per second, and the latency it adds to a request.

    .venv/bin/python bench/audit.py [--quick] [--json FILE] [--no-postgres]

Two measurements, on SQLite (WAL, synchronous=FULL, the embedded default) and on the
PostgreSQL server at $VOILE_BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/
test; a schema of its own, dropped afterwards):

1. **Records per second** written by `AuditStore` with everything on: JSON encoding, an
   AES-256-GCM payload under a data key (a ~2 KB masked request), the hash chain, the MAC,
   the head row lock. Once one transaction per record (a lone writer, no batching), then
   through the writer thread (`BatchWriter`) with 32 concurrent submitters each waiting for
   its record to commit, as the proxy's requests do: group commit.

2. **Latency the audit adds to a request**, p50 and p99: Voile in this process (aiohttp on
   127.0.0.1, the client on the same event loop) with a detector that finds nothing (so
   detection costs nothing), in front of the fake OpenAI provider in a process of its own
   (bench/fake_upstream.py); non-streamed ~1 KB requests, sequential and with 16 concurrent
   clients. The audit's share is read from each request's own canonical log line
   (`timings_ms.audit_intent`: the write-ahead entry committed before forwarding, plus
   `timings_ms.audit`: the outcome committed before answering).

Every loop is bounded; everything runs on 127.0.0.1 and is torn down at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audit.events import AuditEvent, Decision, Entry, EntryKind
from audit.keys import Keyring
from audit.store import AuditStore
from audit.writer import BatchWriter
from bench import servers
from proxy.config import BUNDLED_POLICIES, Config
from proxy.detection.types import Analysis
from proxy.logging import configure_logging

APP_KEY = "vk-bench-audit-0b9c"
MASKED = (
    "Please write to <PERSON_k3x9qa> at <EMAIL_ADDRESS_7hq2mv> about invoice 2025-0147; "
    "the IBAN on file is [IBAN_CODE] and the meeting is in <LOCATION_p2m8rt>. "
) * 12


@dataclass(frozen=True)
class Settings:
    records: int = 2000  # per batched run
    sequential: int = 400  # per one-transaction-per-record run
    submitters: int = 32
    requests: int = 300  # sequential latency requests
    concurrent_requests: int = 600
    concurrency: int = 16


QUICK = Settings(records=400, sequential=100, requests=60, concurrent_requests=160)


def event(n: int) -> AuditEvent:
    return AuditEvent(
        request_id=f"bench-{n}-{os.urandom(4).hex()}",
        occurred_at=datetime.now(UTC),
        app="bench",
        provider="openai",
        route="/v1/chat/completions",
        decision=Decision.FORWARDED,
        status=200,
        model="gpt-4o-mini",
        region="eu",
        policy_name="default",
        policy_hash="ab" * 32,
        entity_counts={"PERSON": 2},
        entity_actions={"PERSON": {"mask": 2}},
        latency_ms=412.5,
        prompt_tokens=300,
        completion_tokens=120,
        end_user=f"user-{n % 50}",
        payload={
            "masked_request": {"messages": [{"role": "user", "content": MASKED}]},
            "entity_map": {"<PERSON_k3x9qa>": "Jean Dupont"},
        },
    )


# -- backends ---------------------------------------------------------------------------------


@contextlib.contextmanager
def backend(name: str, workdir: Path) -> Iterator[str]:
    """A store URL: a fresh SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if name == "sqlite":
        yield f"sqlite:///{workdir / f'audit-{os.urandom(3).hex()}.db'}"
        return
    with servers.postgres_schema("voile_bench") as url:
        yield url


# -- 1. records per second --------------------------------------------------------------------


def records_per_second(url: str, settings: Settings) -> dict[str, float]:
    with AuditStore(url, Keyring.generate()) as store:
        store.create_schema()
        for n in range(20):  # warm-up: keys created and cached, connections pooled
            store.write(event(n))
        started = time.perf_counter()
        for n in range(settings.sequential):
            store.append([Entry.from_event(event(n), EntryKind.OUTCOME)])
        sequential = settings.sequential / (time.perf_counter() - started)

        writer = BatchWriter(store, max_batch=128)
        per_submitter = settings.records // settings.submitters
        errors: list[BaseException] = []

        def submitter(k: int) -> None:
            for n in range(per_submitter):
                future = writer.submit(Entry.from_event(event(k * 10_000 + n)), timeout=30)
                try:
                    future.result(timeout=60)
                except BaseException as exc:  # reported below
                    errors.append(exc)

        threads = [
            threading.Thread(target=submitter, args=(k,)) for k in range(settings.submitters)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        elapsed = time.perf_counter() - started
        writer.close(timeout=60)
        written = per_submitter * settings.submitters
        batched = written / elapsed
        mean_batch = writer.stats.entries / max(1, writer.stats.batches)
        started = time.perf_counter()
        report = store.verify()
        verify_rate = report.entries / (time.perf_counter() - started)
        if errors or not report.ok:
            raise SystemExit(f"benchmark write errors: {errors[:3]} / {report.findings[:3]}")
    return {
        "sequential_per_s": sequential,
        "batched_per_s": batched,
        "mean_batch": mean_batch,
        "verify_per_s": verify_rate,
    }


# -- 2. latency added to a request ------------------------------------------------------------


class NothingFound:
    """A detector that finds nothing instantly: the request's cost without detection."""

    async def analyze(self, texts: Sequence[str], languages: Sequence[str]) -> list[Analysis]:
        return [Analysis(languages[0], ()) for _ in texts]

    async def close(self) -> None:
        return None


async def start_site(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


class NoAudit:
    """The baseline: the proxy with its audit writes replaced by nothing (bench only)."""

    def __init__(self, store: AuditStore, timeout_seconds: float, **_: object) -> None:
        self.store = store
        self.failed_writes = 0

    async def intent(self, event: AuditEvent) -> int:
        return 0

    async def write(self, event: AuditEvent) -> int:
        return 0

    async def close(self) -> None:
        self.store.close()


async def request_latency(
    url: str, workdir: Path, settings: Settings, *, audited: bool = True
) -> dict[str, Any]:
    import proxy.app  # noqa: PLC0415 - loads the policy machinery
    from proxy.auditing import AuditWriter  # noqa: PLC0415

    proxy.app.AuditWriter = AuditWriter if audited else NoAudit  # type: ignore[misc,assignment]
    create_app = proxy.app.create_app

    log = io.StringIO()
    configure_logging("info", log)
    fake = servers.start_fake(workdir, max_seconds=600)  # its own process, like a provider
    fake_url = fake.base_url
    config = Config.model_validate(
        {
            "data_dir": str(workdir / f"data-{os.urandom(3).hex()}"),
            "policies_dir": str(BUNDLED_POLICIES),
            "providers": {"openai": {"base_url": fake_url, "region": "eu"}},
            "apps": [{"name": "bench", "key": APP_KEY}],
            "audit": {"url": url, "checkpoint_every_seconds": 5},
        }
    )
    try:
        voile_runner, voile_url = await start_site(create_app(config, detector=NothingFound()))
    except BaseException:
        servers.stop(fake)
        raise
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": MASKED[:1000]}]}
    headers = {"Authorization": f"Bearer {APP_KEY}"}
    try:
        async with aiohttp.ClientSession() as http:

            async def one() -> float:
                started = time.perf_counter()
                async with http.post(
                    f"{voile_url}/openai/v1/chat/completions", json=body, headers=headers
                ) as response:
                    await response.read()
                    if response.status != 200:
                        raise SystemExit(f"request failed: {response.status}")
                return (time.perf_counter() - started) * 1000

            for _ in range(10):
                await one()
            mark = len(log.getvalue())
            sequential = [await one() for _ in range(settings.requests)]
            sequential_audit = audit_share(log.getvalue()[mark:])

            mark = len(log.getvalue())
            queue = list(range(settings.concurrent_requests))
            concurrent: list[float] = []

            async def client() -> None:
                while queue:
                    queue.pop()
                    concurrent.append(await one())

            started = time.perf_counter()
            await asyncio.gather(*(client() for _ in range(settings.concurrency)))
            throughput = settings.concurrent_requests / (time.perf_counter() - started)
            concurrent_audit = audit_share(log.getvalue()[mark:])
    finally:
        await voile_runner.cleanup()
        servers.stop(fake)
    return {
        "sequential": {"total": percentiles(sequential), "audit": percentiles(sequential_audit)},
        f"concurrency_{settings.concurrency}": {
            "total": percentiles(concurrent),
            "audit": percentiles(concurrent_audit),
            "requests_per_s": throughput,
        },
    }


def audit_share(log_text: str) -> list[float]:
    shares = []
    for line in log_text.splitlines():
        if line.startswith("{") and '"event": "request"' in line:
            timings = json.loads(line)["timings_ms"]
            shares.append(timings.get("audit_intent", 0.0) + timings.get("audit", 0.0))
    return shares


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"p50": 0.0, "p99": 0.0, "n": 0}

    def rank(q: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]

    return {"p50": statistics.median(ordered), "p99": rank(0.99), "n": len(ordered)}


# -- report -----------------------------------------------------------------------------------


def report(results: dict[str, Any], settings: Settings) -> str:
    lines = [
        "## Audit trail: records per second",
        "",
        "| store | one transaction per record | batched (32 waiting submitters) | "
        "mean batch | verify |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, figures in results["records"].items():
        lines.append(
            f"| {name} | {figures['sequential_per_s']:.0f}/s | "
            f"{figures['batched_per_s']:.0f}/s | {figures['mean_batch']:.1f} | "
            f"{figures['verify_per_s']:.0f}/s |"
        )
    lines += [
        "",
        "## Latency the audit adds to a request (ms)",
        "",
        "| store | clients | audit p50 | audit p99 | request p50 | request p99 | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, figures in results["latency"].items():
        for label, cell in figures.items():
            clients = 1 if label == "sequential" else settings.concurrency
            audit, total = cell["audit"], cell["total"]
            rate = f"{cell['requests_per_s']:.0f}" if "requests_per_s" in cell else "-"
            shown = (
                ("-", "-")
                if name == "no audit (baseline)"
                else (f"{audit['p50']:.2f}", f"{audit['p99']:.2f}")
            )
            lines.append(
                f"| {name} | {clients} | {shown[0]} | {shown[1]} | "
                f"{total['p50']:.2f} | {total['p99']:.2f} | {rate} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer records and requests")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else Settings()
    backends = ["sqlite"] if args.no_postgres else ["sqlite", "postgresql"]
    results: dict[str, Any] = {"records": {}, "latency": {}}
    progress: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="voile-bench-audit-") as tmp:
        workdir = Path(tmp)
        progress("request latency: no audit (baseline)")
        with backend("sqlite", workdir) as url:
            results["latency"]["no audit (baseline)"] = asyncio.run(
                request_latency(url, workdir, settings, audited=False)
            )
        for name in backends:
            progress(f"records per second: {name}")
            with backend(name, workdir) as url:
                results["records"][name] = records_per_second(url, settings)
            progress(f"request latency: {name}")
            with backend(name, workdir) as url:
                results["latency"][name] = asyncio.run(request_latency(url, workdir, settings))
    print(report(results, settings))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
