"""What one audit append costs, alone, before and after a change (issue 13, target 3).

    .venv/bin/python bench/append_cost.py [--base COMMIT] [--appends N] [--no-postgres]

`AuditStore.append` of one request entry (the shape the proxy writes: an intent with its
encrypted payload), `--appends` times after 20 untimed ones, in a fresh trail, with its
timeout as the proxy passes it; per append the wall time and the CPU time of the calling
thread (`time.thread_time`, the kernel's share of the commit included). SQLite is measured
twice: as configured (`synchronous=FULL`: one fsync per commit) and with the fsync taken out
(`synchronous=OFF`, set here only, to show what is not the disk); PostgreSQL on the local
server in a schema of its own. *before* is `--base` (default ``HEAD~1``, unpacked by
`servers.source_copy`), *after* this checkout; each runs in a process of its own, in turn
(before, after, before, after), and the report gives medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import servers


def measure(appends: int, postgres: bool) -> dict[str, list[float]]:
    """In this process, with whatever `audit` is first on sys.path."""
    import audit.store as store_module  # noqa: PLC0415 - the code under test, chosen by path
    from audit.events import Entry  # noqa: PLC0415
    from audit.keys import Keyring  # noqa: PLC0415
    from tests.audit.support import make_event  # noqa: PLC0415

    def run(url: str) -> tuple[float, float]:
        with store_module.AuditStore(url, Keyring.generate()) as store:
            store.create_schema()
            for number in range(20):
                store.append([Entry.intent(make_event(request_id=f"w{number}"))], timeout=5.0)
            walls, cpus = [], []
            for number in range(appends):
                entry = Entry.intent(make_event(request_id=f"r{number}"))
                wall, cpu = time.perf_counter(), time.thread_time()
                store.append([entry], timeout=5.0)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.thread_time() - cpu)
        return statistics.median(walls) * 1000, statistics.median(cpus) * 1000

    out: dict[str, list[float]] = {}
    pragmas = store_module._sqlite_pragmas  # the benchmark's own switch
    for synchronous in ("FULL", "OFF"):

        def with_sync(connection: Any, record: Any, sync: str = synchronous) -> None:
            pragmas(connection, record)
            connection.execute(f"PRAGMA synchronous={sync}")

        store_module._sqlite_pragmas = with_sync
        with tempfile.TemporaryDirectory(prefix="voile-append-") as tmp:
            out[f"sqlite {synchronous}"] = list(run(f"sqlite:///{Path(tmp) / 'audit.db'}"))
        store_module._sqlite_pragmas = pragmas
    if postgres:
        with servers.postgres_schema("bench_append") as url:
            out["postgresql"] = list(run(url))
    return out


def child(source: Path | None, appends: int, postgres: bool) -> dict[str, list[float]]:
    command = [sys.executable, __file__, "--child", "--appends", str(appends)]
    if not postgres:
        command.append("--no-postgres")
    env_path = str(source) if source is not None else str(servers.ROOT)
    result = subprocess.run(
        command,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=servers.ROOT,
        env={**os.environ, "PYTHONPATH": env_path},
    )
    figures: dict[str, list[float]] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD~1", help="the commit measured as 'before'")
    parser.add_argument("--appends", type=int, default=400)
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        if "PYTHONPATH" in os.environ:
            sys.path.insert(0, os.environ["PYTHONPATH"])
        print(json.dumps(measure(args.appends, not args.no_postgres)))
        return 0
    runs: dict[str, list[dict[str, list[float]]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory(prefix="voile-append-src-") as tmp:
        source = servers.source_copy(args.base, Path(tmp) / "base")
        for _ in range(args.pairs):
            runs["before"].append(child(source, args.appends, not args.no_postgres))
            runs["after"].append(child(None, args.appends, not args.no_postgres))
    print(f"One append, medians of {args.appends}; base {args.base}, {args.pairs} pairs")
    print("| store | before wall / CPU | after wall / CPU |")
    print("|---|---:|---:|")
    for store in runs["after"][0]:

        def cell(name: str, store: str = store) -> str:
            walls = [run[store][0] for run in runs[name]]
            cpus = [run[store][1] for run in runs[name]]
            return f"{statistics.median(walls):.3f} / {statistics.median(cpus):.3f} ms"

        print(f"| {store} | {cell('before')} | {cell('after')} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
