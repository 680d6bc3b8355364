"""The admin listener (issue 14): off by default, never on the proxy's port, started by
`voile serve` beside the proxy; `/livez` and `/readyz` answer on it as on the proxy's port,
from before the models are loaded."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from prometheus_client.parser import text_string_to_metric_families

from proxy.cli import main
from proxy.config import Config, load_config
from proxy.detection.custom import PolicyDetection
from proxy.detection.types import Analysis
from proxy.logging import configure_logging
from proxy.yamlfile import ConfigError
from tests.proxy.conftest import AdminFactory, VoileFactory

BASE = "providers: {openai: {base_url: 'http://127.0.0.1:9'}}\nanonymous_app: {}\n"


@pytest.fixture(autouse=True)
def _logging_outlives_the_test() -> Iterator[None]:
    """`main(["serve", ...])` points the logs at this test's captured stdout (see test_cli)."""
    yield
    configure_logging("info", sys.__stdout__)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "voile.yaml"
    path.write_text(text)
    return path


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


# -- configuration -------------------------------------------------------------------------------


def test_the_admin_listener_is_off_by_default(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, BASE)).admin.listen is None


def test_the_admin_listener_defaults_to_loopback_on_a_port_of_its_own(tmp_path: Path) -> None:
    listen = load_config(write(tmp_path, BASE + "admin: {listen: {}}\n")).admin.listen
    assert listen is not None
    assert (listen.host, listen.port) == ("127.0.0.1", 8081)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "listen: {port: 9000}\nadmin:\n  listen: {port: 9000}\n",
            ":2 admin: admin.listen.port 9000 is the proxy's port (listen.port)",
        ),
        (  # another host does not make it another listener: still refused
            "listen: {host: 0.0.0.0, port: 8081}\nadmin: {listen: {host: 127.0.0.1}}\n",
            ":2 admin: admin.listen.port 8081 is the proxy's port",
        ),
        ("admin: {listen: {port: 70000}}\n", ":1 admin.listen.port: Input should be less"),
        ("admin: {listne: {port: 9100}}\n", ":1 admin.listne:"),
    ],
)
def test_admin_listen_errors_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text + BASE))
    assert expected in str(caught.value)


def test_port_flag_onto_the_admin_port_is_refused_before_anything_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, BASE + "data_dir: data\nadmin: {listen: {port: 9123}}\n")
    assert main(["serve", "--config", str(path), "--port", "9123"]) == 2
    err = capsys.readouterr().err
    assert "admin.listen.port 9123 is the proxy's port (listen.port)" in err
    assert "(--port 9123)" in err
    assert not (tmp_path / "data").exists()


def test_a_busy_admin_port_stops_the_start_before_any_model_loads(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        path = write(
            tmp_path,
            BASE + "listen: {host: 127.0.0.1, port: 0}\ndata_dir: data\n"
            f"admin: {{listen: {{host: 127.0.0.1, port: {port}}}}}\n",
        )
        env = {k: v for k, v in os.environ.items() if k != "VOILE_CONFIG"}
        result = subprocess.run(
            [sys.executable, "-m", "proxy.cli", "serve", "--config", str(path)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1, result.stderr[-2000:]
    assert result.stderr == (
        f"voile: cannot listen (admin) on 127.0.0.1:{port}: Address already in use "
        "(set admin.listen.host/port)\n"
    )
    assert "detection" not in result.stdout, "no worker was started"
    assert not (tmp_path / "data").exists()


# -- in process ----------------------------------------------------------------------------------


class NotReadyDetector:
    """A detector with no live worker: what a pool whose workers all died reports."""

    ready = False

    async def analyze(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        *,
        options: PolicyDetection | None = None,
    ) -> list[Analysis]:
        raise AssertionError("not called: the proxy is not ready")

    async def close(self) -> None:
        return None


async def test_the_admin_listener_answers_health_for_its_proxy(
    voile: TestServer, start_admin: AdminFactory
) -> None:
    admin = await start_admin(voile)
    assert admin.port != voile.port
    assert await get(str(admin.make_url("/livez"))) == (200, '{"status": "alive"}')
    status, body = await get(str(admin.make_url("/readyz")))
    assert (status, json.loads(body)) == (200, {"status": "ok", "detection": True, "audit": True})
    # The admin listener serves no proxy route.
    status, _ = await get(str(admin.make_url("/openai/v1/models")))
    assert status == 404


async def test_both_listeners_say_not_ready_without_a_live_detection_worker(
    start_voile: VoileFactory, start_admin: AdminFactory
) -> None:
    voile = await start_voile(with_detector=NotReadyDetector())
    admin = await start_admin(voile)
    for server in (voile, admin):
        status, body = await get(str(server.make_url("/readyz")))
        assert status == 503
        assert json.loads(body) == {"status": "unavailable", "detection": False, "audit": True}
        assert (await get(str(server.make_url("/livez"))))[0] == 200, "alive all the same"


async def test_both_listeners_say_not_ready_when_no_audit_entry_can_be_committed(
    start_voile: VoileFactory, start_admin: AdminFactory, make_config: Callable[..., Config]
) -> None:
    config = make_config()
    voile = await start_voile(config)
    admin = await start_admin(voile)
    database = Path(config.audit_url.removeprefix("sqlite:///"))
    for path in database.parent.glob(database.name + "*"):
        path.unlink()  # the trail deleted under the running proxy
    for server in (voile, admin):
        for _ in range(50):  # the store is probed at most once a second
            status, body = await get(str(server.make_url("/readyz")))
            if status == 503:
                break
            await asyncio.sleep(0.1)
        assert (status, json.loads(body)) == (
            503,
            {"status": "unavailable", "detection": True, "audit": False},
        )
        assert (await get(str(server.make_url("/livez"))))[0] == 200


# -- voile serve -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.timeout(180)
async def test_serve_starts_the_admin_listener_which_answers_while_models_load(
    tmp_path: Path,
) -> None:
    proxy_port, admin_port = free_port(), free_port()
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "default.yaml").write_text("languages: [en]\n")
    path = write(
        tmp_path,
        BASE + f"listen: {{host: 127.0.0.1, port: {proxy_port}}}\ndata_dir: data\n"
        f"policies_dir: {policies}\n"
        f"admin: {{listen: {{host: 127.0.0.1, port: {admin_port}}}}}\n"
        "detection: {workers: 1, models: {fr: null}}\n",
    )
    env = {k: v for k, v in os.environ.items() if k != "VOILE_CONFIG"}
    process = subprocess.Popen(  # noqa: ASYNC220 - a child that outlives the await points
        [sys.executable, "-m", "proxy.cli", "serve", "--config", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    admin = f"http://127.0.0.1:{admin_port}"
    seen: list[str] = []
    try:
        for _ in range(600):
            assert process.poll() is None, "voile serve exited"
            try:
                status, body = await get(f"{admin}/readyz")
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
                continue
            seen.append(json.loads(body)["status"])
            if status == 200:
                break
            assert (await get(f"{admin}/livez"))[0] == 200, "alive while the models load"
            await asyncio.sleep(0.1)
        assert seen[-1] == "ok", seen
        assert "starting" in seen, "the admin listener answered before the models were loaded"
        assert (await get(f"http://127.0.0.1:{proxy_port}/readyz"))[0] == 200
        assert (await get(f"http://127.0.0.1:{proxy_port}/metrics"))[0] == 404
        status, text = await get(f"{admin}/metrics")
        assert status == 200
        figures = {
            sample.name: sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }
        assert figures["voile_detection_ready"] == 1
        assert figures["process_resident_memory_bytes"] > 0
    finally:
        process.send_signal(signal.SIGINT)
        try:
            stdout, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
    assert process.returncode == 0, stderr.decode()[-2000:]
    events = [json.loads(line) for line in stdout.decode().splitlines() if line.startswith("{")]
    names = [event["event"] for event in events]
    [listening] = [event for event in events if event["event"] == "admin_listening"]
    assert listening["address"] == f"127.0.0.1:{admin_port}"
    assert names.index("admin_listening") < names.index("detection.ready")
    with pytest.raises(aiohttp.ClientError):  # stopped with the proxy
        await get(f"{admin}/livez")
