"""The audit trail under a failing world (issue 8, items 5, 6 and 11), through real servers
on 127.0.0.1: a database deleted, replaced, locked or recreated while Voile serves; a
compliance command pointed at a missing trail; `voile serve` started on a trail that
contradicts its checkpoints; and a refusal that must come within one audit timeout and
still reach the trail once the store is back. Every wait is bounded."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import openai
import psycopg
import pytest
from aiohttp.test_utils import TestServer

from audit.continuity import TrailContradiction
from audit.models import AUDIT_TABLES
from audit.store import AuditStore
from proxy.app import SERVICES, open_audit_store
from proxy.cli import main
from proxy.config import Config, load_config
from tests.audit.support import POSTGRES_URL, make_event, postgres_url
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import VoileFactory, audit_store_of, client_for

PROMPT = [{"role": "user", "content": "Write to Jean Dupont about the invoice."}]


async def ask(server: TestServer) -> Any:
    async with client_for(server) as sdk:
        return await sdk.chat.completions.create(model="gpt-4o-mini", messages=PROMPT)


async def refused(server: TestServer) -> openai.APIStatusError:
    with pytest.raises(openai.InternalServerError) as caught:
        await ask(server)
    assert (caught.value.status_code, caught.value.code) == (503, "audit_unavailable")
    return caught.value


async def status_of(server: TestServer, path: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(server.make_url(path)) as response:
        await response.read()
        return response.status


async def wait_status(server: TestServer, path: str, wanted: int, seconds: float) -> float:
    """Poll until `path` answers `wanted`; returns how long that took (fails after `seconds`)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while loop.time() - started < seconds:
        if await status_of(server, path) == wanted:
            return loop.time() - started
        await asyncio.sleep(0.1)
    raise AssertionError(f"{path} did not answer {wanted} within {seconds} s")


def database_of(config: Config) -> Path:
    return Path(config.audit_url.removeprefix("sqlite:///"))


def delete_database(database: Path) -> None:
    for path in database.parent.glob(database.name + "*"):
        path.unlink()


async def test_liveness_is_cheap_and_readiness_has_an_alias(voile: TestServer) -> None:
    assert await status_of(voile, "/livez") == 200
    assert await status_of(voile, "/healthz") == 200
    assert await status_of(voile, "/readyz") == 200


async def test_a_database_deleted_while_serving_refuses_requests_and_readiness(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
) -> None:
    config = make_config()
    server = await start_voile(config)
    await ask(server)
    database = database_of(config)
    delete_database(database)

    await refused(server)
    assert len(fake_openai.received) == 1, "nothing forwarded into an unlinked file"
    await wait_status(server, "/healthz", 503, seconds=5)
    assert await status_of(server, "/readyz") == 503
    assert await status_of(server, "/livez") == 200, "alive: a restart would not help"
    assert not database.exists(), "no fresh trail in its place"


async def test_a_database_replaced_while_serving_refuses_requests_and_readiness(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
    tmp_path: Path,
) -> None:
    config = make_config()
    server = await start_voile(config)
    await ask(server)
    database = database_of(config)
    other = tmp_path / "elsewhere" / "audit.db"
    with AuditStore(f"sqlite:///{other}", audit_store_of(config).keys.provider) as elsewhere:
        elsewhere.create_schema()
        elsewhere.write(make_event(request_id="not-ours"))
    delete_database(database)
    os.replace(other, database)

    await refused(server)
    assert len(fake_openai.received) == 1
    await wait_status(server, "/healthz", 503, seconds=5)
    with contextlib.closing(sqlite3.connect(database)) as raw:
        assert raw.execute("SELECT request_id FROM audit_records").fetchall() == [("not-ours",)]


async def test_readiness_follows_a_sqlite_write_lock_held_elsewhere(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
) -> None:
    config = make_config(audit={"timeout_seconds": 0.5})
    server = await start_voile(config)
    assert await status_of(server, "/healthz") == 200
    blocker = sqlite3.connect(database_of(config), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        took = await wait_status(server, "/healthz", 503, seconds=5)
        assert took < 3, "within the probe window (cached 1 s, probe timeout 0.5 s)"
        assert await status_of(server, "/livez") == 200
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await wait_status(server, "/healthz", 200, seconds=5)


async def test_a_health_check_storm_probes_the_store_about_once_a_second(
    voile: TestServer,
) -> None:
    calls = 0
    writer = voile.app[SERVICES].audit
    probe = writer.store.probe

    def counting(timeout: float) -> None:
        nonlocal calls
        calls += 1
        probe(timeout)

    writer.store.probe = counting  # type: ignore[method-assign]
    loop = asyncio.get_running_loop()
    started = loop.time()
    statuses = []
    async with aiohttp.ClientSession() as http:
        while loop.time() - started < 1.5:
            batch = [http.get(voile.make_url("/healthz")) for _ in range(20)]
            for response in await asyncio.gather(*batch):
                statuses.append(response.status)
                response.release()
    assert set(statuses) == {200}
    assert len(statuses) >= 100
    assert calls <= 3, f"{calls} probes for {len(statuses)} health checks"


async def test_a_refusal_takes_one_timeout_and_is_recorded_once_the_store_is_back(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
) -> None:
    timeout = 0.5
    config = make_config(audit={"timeout_seconds": timeout})
    server = await start_voile(config)
    await ask(server)  # warm: detection and the store answer
    loop = asyncio.get_running_loop()
    blocker = sqlite3.connect(database_of(config), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        started = loop.time()
        error = await refused(server)
        elapsed = loop.time() - started
        assert "not forwarded" in error.message
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert elapsed < 1.8 * timeout, f"refused after {elapsed:.2f} s: one timeout, not two"
    assert len(fake_openai.received) == 1
    audit = server.app[SERVICES].audit
    assert audit.refused == 1
    assert audit.counters()["voile_audit_refused_total"] == 1

    def refusals() -> list[Any]:
        store = audit_store_of(config)
        try:
            return [r for r in store.list_records(limit=10) if r.decision != "forwarded"]
        finally:
            store.close()

    for _ in range(50):  # bounded: 5 s
        found = await loop.run_in_executor(None, refusals)
        if found:
            break
        await asyncio.sleep(0.1)
    [refusal] = found
    assert (refusal.status, refusal.error_code, refusal.subject_seq) == (
        503,
        "audit_unavailable",
        None,
    )
    assert audit.counters()["voile_audit_deferred_written_total"] == 1
    assert audit.counters()["voile_audit_backlog"] == 0
    await ask(server)  # and the proxy serves again
    assert len(fake_openai.received) == 2


@pytest.mark.postgres
async def test_a_postgresql_database_dropped_and_recreated_while_serving(
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    fake_openai: FakeOpenAI,
    pg_schema: str,
) -> None:
    config = make_config(audit={"url": postgres_url(pg_schema), "timeout_seconds": 1.0})
    server = await start_voile(config)
    await ask(server)

    def drop() -> None:
        with psycopg.connect(
            POSTGRES_URL, options=f"-csearch_path={pg_schema}", autocommit=True
        ) as admin:
            for table in reversed(AUDIT_TABLES):
                admin.execute(f"DROP TABLE IF EXISTS {table.name} CASCADE".encode())

    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, drop)
    await refused(server)
    await wait_status(server, "/healthz", 503, seconds=5)

    def recreate() -> None:  # someone starts a fresh trail in the same place
        with AuditStore(config.audit_url, audit_store_of(config).keys.provider) as store:
            store.create_schema()

    await loop.run_in_executor(None, recreate)
    await refused(server)
    await asyncio.sleep(1.1)  # past the readiness cache
    assert await status_of(server, "/healthz") == 503, "not our trail: still not ready"
    assert len(fake_openai.received) == 1


# -- the CLI and `serve` against a lost or replaced trail ----------------------------------


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "voile.yaml"
    path.write_text(
        "data_dir: data\nproviders: {openai: {base_url: 'http://127.0.0.1:9'}}\n"
        "anonymous_app: {name: default}\n"
    )
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_cli_on_a_missing_trail_fails_and_creates_nothing(
    config_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in ("list", "verify", "report", "checkpoint"):
        extra = ["--month", "2025-03"] if command == "report" else []
        code, _, err = run(capsys, "audit", command, "--config", str(config_file), *extra)
        assert code == 1, command
        assert "no audit trail in the SQLite file" in err
    assert not (config_file.parent / "data").exists(), "no database, no key, nothing"


@pytest.mark.timeout(180)
async def test_old_checkpoints_beside_a_lost_or_new_trail_stop_serve_and_fail_verify(
    config_file: Path,
    capsys: pytest.CaptureFixture[str],
    start_voile: VoileFactory,
) -> None:
    config = load_config(config_file)
    with open_audit_store(config, create=True) as store:
        store.write(make_event())
        old = store.trail_id
    assert run(capsys, "audit", "checkpoint", "--config", str(config_file))[0] == 0
    database = database_of(config)
    delete_database(database)

    # Lost: every command says so, and `voile serve` will not start a fresh trail.
    code, _, err = run(capsys, "audit", "list", "--config", str(config_file))
    assert code == 1
    assert f"replaced: there is no audit trail in the SQLite file {database}" in err
    assert f"checkpoints of trail {old}" in err
    env = {key: value for key, value in os.environ.items() if key != "VOILE_CONFIG"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "proxy.cli",
        "serve",
        "--config",
        str(config_file),
        "--port",  # not 8080: a proxy running beside the suite would answer first
        str(_free_port()),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=config_file.parent,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 1, output.decode()[-2000:]
    assert b"voile: audit trail error: replaced: there is no audit trail" in output
    assert not database.exists(), "serve created nothing"

    # Replaced: a new, empty trail in its place fails `verify` and stops `serve`.
    with AuditStore(config.audit_url, audit_store_of(config).keys.provider) as impostor:
        impostor.create_schema()
    code, out, _ = run(capsys, "audit", "verify", "--config", str(config_file))
    assert code == 1
    assert "FAILED — first bad trail: replaced" in out
    with pytest.raises(TrailContradiction, match=f"checkpoints of trail {old}") as caught:
        await start_voile(config)
    assert caught.value.problem == "replaced"


def test_a_consistent_trail_still_verifies_after_serve_reopens_it(
    config_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = load_config(config_file)
    for _ in range(2):  # first run creates, second run checks the checkpoints and goes on
        with open_audit_store(config, create=True) as store:
            store.write(make_event())
        assert run(capsys, "audit", "checkpoint", "--config", str(config_file))[0] == 0
    code, out, _ = run(capsys, "audit", "verify", "--config", str(config_file))
    assert code == 0, out
    assert "checkpoints: 2 of 2 match" in out


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
