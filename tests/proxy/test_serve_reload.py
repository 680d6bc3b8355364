"""`voile serve` as a real process: SIGHUP reloads the policies (file watching off, so only
the signal can), an invalid change sent with SIGHUP keeps the running ones, and the audit
CLI shows each change."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import openai
import pytest
from aiohttp.test_utils import TestServer

from proxy.cli import main
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.test_serve import wait_ready

APP_KEY = "vk-serve-reload-5e1a90c3"
V1 = "languages: [en]\ndefault_action: mask\n"
V2 = V1 + "rules:\n  - {entity: PERSON, action: block}\n"
INVALID = "languages: [en]\nrules:\n  - {entity: PERSON, action: mask2}\n"
PROMPT = "Please write to John Smith about the invoice."


def write_config(tmp_path: Path, upstream: TestServer, port: int) -> Path:
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "default.yaml").write_text(V1)
    config = tmp_path / "voile.yaml"
    config.write_text(
        f"listen: {{host: 127.0.0.1, port: {port}}}\n"
        f"data_dir: data\n"
        f"policies_dir: policies\n"
        f"policy_reload: {{watch: false, check_seconds: 0}}\n"
        f"providers:\n"
        f"  openai: {{base_url: '{str(upstream.make_url('')).rstrip('/')}'}}\n"
        f"apps:\n"
        f"  - {{name: support, key_env: VOILE_RELOAD_APP_KEY, policy: default}}\n"
        f"detection: {{workers: 1, models: {{fr: null}}}}\n"
    )
    return config


async def status_of(sdk: openai.AsyncOpenAI) -> int:
    try:
        await sdk.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}]
        )
    except openai.APIStatusError as error:
        return error.status_code
    return 200


@pytest.mark.timeout(180)
async def test_sighup_reloads_the_policies_of_a_running_serve(
    tmp_path: Path,
    aiohttp_server: Any,
    unused_tcp_port: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    upstream: TestServer = await aiohttp_server(FakeOpenAI().app())
    config = write_config(tmp_path, upstream, unused_tcp_port)
    policy = tmp_path / "policies" / "default.yaml"
    env = {**os.environ, "VOILE_RELOAD_APP_KEY": APP_KEY}
    env.pop("VOILE_CONFIG", None)
    log_path = tmp_path / "serve.log"
    base = f"http://127.0.0.1:{unused_tcp_port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: ASYNC220 - a child that outlives the await points
            [sys.executable, "-m", "proxy.cli", "serve", "--config", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
        )
    try:
        await wait_ready(f"{base}/healthz", process)
        async with openai.AsyncOpenAI(
            base_url=f"{base}/openai/v1", api_key=APP_KEY, max_retries=0
        ) as sdk:
            assert await status_of(sdk) == 200
            policy.write_text(V2)
            await asyncio.sleep(0.5)
            assert await status_of(sdk) == 200, "reloaded without SIGHUP (watch is off)"

            process.send_signal(signal.SIGHUP)
            for _ in range(100):  # up to 10 s
                if await status_of(sdk) == 400:
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("SIGHUP did not reload the policies")

            policy.write_text(INVALID)
            process.send_signal(signal.SIGHUP)
            await asyncio.sleep(1.0)
            assert process.poll() is None
            assert await status_of(sdk) == 400  # V2 still runs
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    output = log_path.read_text(errors="replace")
    assert process.returncode == 0, output[-2000:]
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    events = [line["event"] for line in lines]
    assert events.count("sighup_received") == 2
    [reloaded] = [line for line in lines if line["event"] == "policies_reloaded"]
    assert (reloaded["trigger"], reloaded["files"]) == ("sighup", ["default.yaml"])
    [rejected] = [line for line in lines if line["event"] == "policy_reload_rejected"]
    assert rejected["level"] == "error"
    assert rejected["errors"] == [f"{policy}:3 rules[0].action"]
    assert "John Smith" not in output
    assert "mask2" not in output

    capsys.readouterr()
    assert main(["audit", "list", "--kind", "policy_change", "--config", str(config)]) == 0
    listing = capsys.readouterr().out
    assert listing.count("policy_change") == 2
    assert "applied " in listing
    assert "rejected " in listing
    assert ": default.yaml" in listing
    assert main(["audit", "verify", "--config", str(config)]) == 0
