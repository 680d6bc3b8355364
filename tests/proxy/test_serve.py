"""`voile serve` as a real process: first-run keys announced once, a governed request, the
audit CLI reading it back, a clean shutdown, and not one personal value or key in its output."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
from aiohttp.test_utils import TestServer

from proxy.cli import main
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import CANARIES

APP_KEY = "vk-serve-test-31d9c2aa07"
PROVIDER_KEY = "sk-provider-canary-b7e2c9a1"
PROMPT = (
    "Bonjour, je suis Jean Dupont, écrivez à jean.dupont@orange.fr, "
    "IBAN FR76 3000 6000 0112 3456 7890 189."
)


def write_config(tmp_path: Path, upstream: TestServer, port: int) -> Path:
    config = tmp_path / "voile.yaml"
    config.write_text(
        f"listen: {{host: 127.0.0.1, port: {port}}}\n"
        f"data_dir: data\n"
        f"log_level: debug\n"
        f"providers:\n"
        f"  openai:\n"
        f"    base_url: {str(upstream.make_url('')).rstrip('/')}\n"
        f"    api_key_env: VOILE_SERVE_PROVIDER_KEY\n"
        f"apps:\n"
        f"  - {{name: support, key_env: VOILE_SERVE_APP_KEY, policy: default}}\n"
        f"detection: {{workers: 1}}\n"
    )
    return config


async def wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(int(seconds * 4)):
            if process.poll() is not None:
                raise AssertionError(f"voile serve exited with {process.returncode}")
            try:
                async with http.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.25)
    raise AssertionError("voile serve did not become ready")


@pytest.mark.timeout(180)
async def test_serve_end_to_end_then_audit_cli(
    tmp_path: Path,
    aiohttp_server: Any,
    unused_tcp_port: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = FakeOpenAI()
    upstream: TestServer = await aiohttp_server(fake.app())
    config = write_config(tmp_path, upstream, unused_tcp_port)
    env = {**os.environ, "VOILE_SERVE_APP_KEY": APP_KEY, "VOILE_SERVE_PROVIDER_KEY": PROVIDER_KEY}
    env.pop("VOILE_CONFIG", None)
    process = subprocess.Popen(  # noqa: ASYNC220 - a child that outlives the await points
        [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    base = f"http://127.0.0.1:{unused_tcp_port}"
    try:
        await wait_ready(f"{base}/healthz", process)
        async with openai.AsyncOpenAI(
            base_url=f"{base}/openai/v1", api_key=APP_KEY, max_retries=0
        ) as sdk:
            answer = await sdk.chat.completions.create(
                model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
            )
        assert answer.choices[0].message.content == PROMPT
        assert "Jean Dupont" not in fake.everything_received()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            stdout, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
    output = (stdout + stderr).decode()
    assert process.returncode == 0, output[-2000:]

    lines = [json.loads(line) for line in stdout.decode().splitlines() if line.startswith("{")]
    events = [line["event"] for line in lines]
    assert events.count("audit_key_created") == 1
    assert events.count("placeholder_key_created") == 1
    [listening] = [line for line in lines if line["event"] == "listening"]
    assert listening["address"] == f"127.0.0.1:{unused_tcp_port}"
    assert events.index("listening") > events.index("detection.ready")  # once it can serve
    [request] = [line for line in lines if line["event"] == "request"]
    assert request["entities"] == {"PERSON": 1, "EMAIL_ADDRESS": 1, "IBAN_CODE": 1}
    assert request["status"] == 200
    assert request["app"] == "support"
    leaked = [c for c in [*CANARIES, APP_KEY, PROMPT] if c in output]
    assert not leaked, f"in the proxy's output: {leaked}"

    # The compliance officer's view: metadata in the list, the payload only with `show`.
    capsys.readouterr()
    assert main(["audit", "list", "--config", str(config)]) == 0
    listing = capsys.readouterr().out
    assert "support" in listing
    assert "EMAIL_ADDRESS=1" in listing
    assert "Jean Dupont" not in listing
    assert main(["audit", "show", "1", "--reason", "end-to-end test", "--config", str(config)]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert "Jean Dupont" in json.dumps(shown, ensure_ascii=False)
    for private in ("keys/audit-keys.json", "audit.db", "conversations.db"):
        assert (tmp_path / "data" / private).stat().st_mode & 0o077 == 0, private
