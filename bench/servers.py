"""Start and stop the two servers the benchmark talks to: the fake provider and real Voile.

Voile runs exactly as an operator runs it, `voile serve --config FILE`, in a process of its
own with its detection worker, so the figures include everything a deployment pays: HTTP
parsing, the process hop to the detection worker, masking, the upstream call, restoration and
the audit write. Both servers listen on 127.0.0.1 only.

Every wait is bounded, and every process is stopped by the id it was started with: each
server is started as the leader of a new session, so its whole process group (Voile's spawned
detection worker included) can be signalled at the end, even if the leader hangs.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
PROVIDER_KEY_ENV = "VOILE_BENCH_PROVIDER_KEY"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


POSTGRES_URL = os.environ.get(
    "VOILE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


@contextlib.contextmanager
def postgres_schema(prefix: str) -> Iterator[str]:
    """An audit URL on the local PostgreSQL server that selects a fresh schema (through the
    URL's search_path), dropped afterwards: each benchmark run writes a trail of its own."""
    import psycopg  # noqa: PLC0415 - only the PostgreSQL runs need it
    from psycopg import sql  # noqa: PLC0415
    from sqlalchemy.engine import make_url  # noqa: PLC0415

    schema = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        try:
            url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
            yield url.render_as_string(hide_password=False)
        finally:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


class ServerError(RuntimeError):
    """A server did not start (its log tail is in the message) or did not stop."""


@dataclass
class Server:
    """A child process and where it listens."""

    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def log_tail(self, lines: int = 20) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _die_with_parent() -> None:
    """Runs in the child just before exec: Linux sends it SIGTERM if the benchmark dies,
    even by SIGKILL, so no server outlives a benchmark that could not clean up."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    """An ephemeral port on 127.0.0.1 that was free a moment ago (Voile needs a fixed port
    in its config; the tiny race with other programs is acceptable for a benchmark)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_fake(workdir: Path, max_seconds: float, record: Path | None = None) -> Server:
    """Start the echoing fake provider and read the port it prints (bounded wait). With
    `record`, the fake appends every request it receives to that file (JSON lines)."""
    log_path = workdir / "fake.stderr.log"
    command = [sys.executable, "-m", "bench.fake_upstream", "--max-seconds", str(max_seconds)]
    if record is not None:
        command += ["--record", str(record)]
    with log_path.open("wb") as stderr:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - called before any thread starts
        )
    server = Server("fake", process, "", log_path)
    line = _read_line(process, timeout=30.0)
    if not line.startswith("PORT "):
        stop(server)
        raise ServerError(f"fake provider did not start:\n{server.log_tail()}")
    server.base_url = f"http://127.0.0.1:{int(line.split()[1])}"
    return server


def _read_line(process: subprocess.Popen[bytes], timeout: float) -> str:
    """First stdout line of `process`, or "" if none comes within `timeout` seconds."""
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    deadline, buffer = time.monotonic() + timeout, b""
    while time.monotonic() < deadline and b"\n" not in buffer and process.poll() is None:
        chunk = process.stdout.read()
        if chunk:
            buffer += chunk
        else:
            time.sleep(0.05)
    return buffer.decode(errors="replace").split("\n", 1)[0]


def voile_config(
    workdir: Path,
    upstream: str,
    app_key: str,
    port: int,
    detection: dict[str, Any] | None = None,
) -> Path:
    """The YAML file `voile serve` reads: one provider (the fake), one app, and `detection`
    settings (default: one worker)."""
    config: dict[str, Any] = {
        "listen": {"host": "127.0.0.1", "port": port},
        "data_dir": str(workdir / "voile-data"),
        "providers": {"openai": {"base_url": upstream, "api_key_env": PROVIDER_KEY_ENV}},
        "apps": [{"name": "bench", "key": app_key, "policy": "default"}],
        "detection": detection or {"workers": 1},
        "log_level": "info",
    }
    path = workdir / "voile.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def start_voile(
    workdir: Path, upstream: str, detection: dict[str, Any] | None = None
) -> tuple[Server, str]:
    """Start `voile serve` on a free port; returns the server and the app key to use."""
    app_key = f"vk-bench-{secrets.token_hex(12)}"
    port = free_port()
    config = voile_config(workdir, upstream, app_key, port, detection)
    return launch_voile(workdir, config, port), app_key


def source_copy(commit: str, dest: Path) -> Path:
    """The code of `commit` (`git archive`, tracked files only) unpacked in `dest`, for
    `launch_voile(source=...)`: a before/after benchmark runs both in one run, on one
    machine state, with this checkout's virtualenv and models."""
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True, timeout=120)
    return dest


def voile_command(env: dict[str, str], source: Path | None = None) -> list[str]:
    """The `voile` command line running the code of `source` (default: this checkout), with
    `env` set for it. The virtualenv's `voile` script would import the package the editable
    install points at, which is another checkout when this one is a git worktree sharing
    the virtualenv: so the command is this interpreter with the source first on PYTHONPATH
    (inherited by the spawned detection workers too)."""
    env["PYTHONPATH"] = str(source or ROOT)
    entry = "import sys; from proxy.cli import main; sys.exit(main())"
    # -P: `-c` would put the working directory ahead of PYTHONPATH (a checkout's root).
    return [sys.executable, "-P", "-c", entry]


def launch_voile(workdir: Path, config: Path, port: int, source: Path | None = None) -> Server:
    """Start `voile serve --config CONFIG` (which must listen on 127.0.0.1:`port`), its log
    in workdir/voile.log, as the leader of a new session that dies with the benchmark.
    The `proxy` and `audit` packages come from this checkout, or with `source` (see
    `source_copy`) from there (`voile_command`)."""
    log_path = workdir / "voile.log"
    env = {**os.environ, PROVIDER_KEY_ENV: "sk-bench-not-a-real-key"}
    command = [*voile_command(env, source), "serve", "--config", str(config)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - called before any thread starts
        )
    return Server("voile", process, f"http://127.0.0.1:{port}", log_path)


async def wait_healthy(server: Server, limit_seconds: float) -> float:
    """Poll /healthz until it answers 200; returns the seconds it took. Voile binds its port
    before loading the models but answers only once the detection worker has loaded them, so
    this is the real start-up time."""
    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        while time.monotonic() - started < limit_seconds:
            if server.process.poll() is not None:
                raise ServerError(
                    f"{server.name} exited with {server.process.returncode}:\n{server.log_tail()}"
                )
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with session.get(
                    f"{server.base_url}/healthz", timeout=aiohttp.ClientTimeout(total=2)
                ) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            await asyncio.sleep(0.25)
    raise ServerError(f"{server.name} not healthy after {limit_seconds:.0f}s:\n{server.log_tail()}")


def stop(server: Server, grace: float = 30.0) -> float | None:
    """SIGTERM the server, wait up to `grace` seconds, then SIGKILL its whole process group.
    Returns how long a clean stop took, or None if it had to be killed."""
    process, started = server.process, time.monotonic()
    clean: float | None = None
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
            clean = time.monotonic() - started
    else:
        clean = 0.0
    # Leftovers of the group (a detection worker whose parent died, or a hung leader).
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        process.wait(5)
    if process.stdout is not None:
        process.stdout.close()
    return clean


def log_records(path: Path) -> Iterator[dict[str, Any]]:
    """Voile's JSON log lines (other lines, e.g. from the standard library, are skipped)."""
    if not path.exists():
        return
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                yield json.loads(line)
