"""`voile serve` killed with SIGKILL under load, then restarted: every request the proxy
acknowledged (answered 200) has its audit record, and `voile audit verify` passes.

A real process on 127.0.0.1 with the SQLite store in WAL mode with synchronous=FULL; the
load is bounded (a few concurrent clients, at most a few hundred requests). The whole
process group is killed, detection workers included, as an OOM killer or a lost container
would: nothing gets a chance to flush.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from audit.keys import Keyring
from audit.store import AuditStore
from proxy.cli import main
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.test_serve import wait_ready

APP_KEY = "vk-crash-test-5d1e8f"
CLIENTS = 6
ACKNOWLEDGED_BEFORE_KILL = 40
MAX_REQUESTS = 400


def write_config(tmp_path: Path, upstream: TestServer, port: int) -> Path:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "default.yaml").write_text("languages: [en]\ndefault_action: mask\n")
    config = tmp_path / "voile.yaml"
    config.write_text(
        f"listen: {{host: 127.0.0.1, port: {port}}}\n"
        f"data_dir: data\n"
        f"policies_dir: policies\n"
        f"providers:\n"
        f"  openai: {{base_url: '{str(upstream.make_url('')).rstrip('/')}', region: eu}}\n"
        f"apps:\n"
        f"  - {{name: crash, key_env: VOILE_CRASH_APP_KEY, policy: default}}\n"
        f"detection: {{workers: 1, models: {{fr: null}}}}\n"  # en only (others: patterns)
        f"audit: {{checkpoint_every_records: 25}}\n"
    )
    return config


def start(config: Path, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "VOILE_CRASH_APP_KEY": APP_KEY}
    env.pop("VOILE_CONFIG", None)
    with (tmp_path / "serve.log").open("ab") as log:  # the child keeps its own descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
            start_new_session=True,  # its own process group: the kill takes the workers too
        )


def kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


async def load(base: str, acknowledged: list[str], stop: asyncio.Event) -> None:
    """Clients sending back to back; a request counts once its 200 answer has arrived."""
    sent = 0

    async def client(http: aiohttp.ClientSession, n: int) -> None:
        nonlocal sent
        while not stop.is_set() and sent < MAX_REQUESTS:
            sent += 1
            body = {
                "model": "m",
                "messages": [
                    {"role": "user", "content": f"Hello, I am John Smith, ticket {n}-{sent}."}
                ],
            }
            try:
                async with http.post(
                    f"{base}/openai/v1/chat/completions",
                    json=body,
                    headers={"Authorization": f"Bearer {APP_KEY}"},
                ) as resp:
                    await resp.read()
                    if resp.status == 200:
                        acknowledged.append(resp.headers["x-voile-request-id"])
            except (TimeoutError, aiohttp.ClientError):
                return  # the proxy is gone

    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        await asyncio.gather(*(client(http, n) for n in range(CLIENTS)))


@pytest.mark.timeout(240)
async def test_kill_9_under_load_loses_no_acknowledged_record(
    tmp_path: Path,
    aiohttp_server: Any,
    unused_tcp_port: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    upstream: TestServer = await aiohttp_server(FakeOpenAI().app())
    config = write_config(tmp_path, upstream, unused_tcp_port)
    base = f"http://127.0.0.1:{unused_tcp_port}"

    process = start(config, tmp_path)
    acknowledged: list[str] = []
    try:
        await wait_ready(f"{base}/healthz", process)
        stop = asyncio.Event()
        traffic = asyncio.create_task(load(base, acknowledged, stop))
        for _ in range(600):  # bounded: until enough answers, or 30 s
            if len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL or traffic.done():
                break
            await asyncio.sleep(0.05)
        kill_group(process)  # mid-load: requests are in flight
        stop.set()
        await asyncio.wait_for(traffic, 30)
    finally:
        kill_group(process)
    log = (tmp_path / "serve.log").read_text(errors="replace")[-2000:]
    assert len(acknowledged) >= ACKNOWLEDGED_BEFORE_KILL, log

    restarted = start(config, tmp_path)  # recovers the WAL, carries the chain on
    try:
        await wait_ready(f"{base}/healthz", restarted)
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{base}/openai/v1/chat/completions",
                json={"model": "m", "messages": [{"role": "user", "content": "after restart"}]},
                headers={"Authorization": f"Bearer {APP_KEY}"},
            ) as resp,
        ):
            assert resp.status == 200
            acknowledged.append(resp.headers["x-voile-request-id"])
    finally:
        restarted.send_signal(signal.SIGINT)
        try:
            restarted.wait(timeout=30)
        except subprocess.TimeoutExpired:
            kill_group(restarted)
    assert restarted.returncode == 0

    keyring = Keyring.load(tmp_path / "data" / "keys" / "audit-keys.json")
    with AuditStore(f"sqlite:///{tmp_path / 'data' / 'audit.db'}", keyring) as store:
        outcomes = {r.request_id: r for r in store.list_records(limit=10_000)}
    missing = [request_id for request_id in acknowledged if request_id not in outcomes]
    assert missing == [], f"{len(missing)} acknowledged requests have no record"
    assert all(
        (outcomes[r].decision, outcomes[r].status) == ("forwarded", 200) for r in acknowledged
    )
    capsys.readouterr()
    assert main(["audit", "verify", "--config", str(config)]) == 0, capsys.readouterr().out
    verdict = capsys.readouterr().out
    assert ": OK" in verdict.splitlines()[0]
    assert "checkpoints: 0 of" not in verdict
