"""The Node client libraries through Voile: the official `openai` and `@anthropic-ai/sdk`, and
the Vercel `ai` SDK with `@ai-sdk/openai` (Responses and Chat models): plain, stream, a tool
call round trip and structured output (`generateObject`, a json_schema `response_format`).

Each case is a function of `node/run.mjs`, run as a subprocess while Voile serves in this
test's event loop; it prints what the app got as JSON. The packages are pinned by
`node/package-lock.json` and installed with `npm ci` when `node_modules` is missing (bounded
in time); without `node` or `npm` the module is skipped.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from tests.compat.conftest import (
    ADDRESS,
    APP_KEY,
    EXPECTED_FINAL,
    NAME,
    PROMPT,
    VALUES,
    anthropic_url,
    openai_url,
)
from tests.fakes.anthropic_provider import FakeAnthropic
from tests.fakes.openai_provider import FakeOpenAI

NODE_DIR = Path(__file__).parent / "node"
NODE, NPM = shutil.which("node"), shutil.which("npm")
INSTALL_SECONDS = 240
CASE_SECONDS = 60

pytestmark = [
    pytest.mark.skipif(
        NODE is None or NPM is None, reason="node and npm are needed for the Node client libraries"
    ),
    pytest.mark.usefixtures("no_leaks"),
    pytest.mark.timeout(INSTALL_SECONDS + CASE_SECONDS + 30),
]


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The pinned packages, installed once (`npm ci`) if they are not there yet."""
    target = NODE_DIR / "node_modules"
    if not (target / ".package-lock.json").exists():
        assert NPM is not None
        try:
            done = subprocess.run(
                [NPM, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=NODE_DIR,
                capture_output=True,
                text=True,
                timeout=INSTALL_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"npm ci took more than {INSTALL_SECONDS} s in {NODE_DIR}")
        if done.returncode != 0:
            pytest.fail(f"npm ci failed in {NODE_DIR}: {done.stderr[-2000:]}")
    return target


async def run_case(case: str, voile: TestServer) -> dict[str, Any]:
    """Runs one case of run.mjs against Voile; its result, or the test fails with the error
    the script reported (class, status, Voile's message: no values)."""
    assert NODE is not None
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "VOILE_OPENAI_URL": openai_url(voile),
        "VOILE_ANTHROPIC_URL": anthropic_url(voile),
        "VOILE_KEY": APP_KEY,
        "VOILE_PROMPT": PROMPT,
        "NO_PROXY": "127.0.0.1",
    }
    process = await asyncio.create_subprocess_exec(
        NODE,
        str(NODE_DIR / "run.mjs"),
        case,
        cwd=NODE_DIR,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), CASE_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()
        pytest.fail(f"{case} did not finish in {CASE_SECONDS} s")
    assert process.returncode == 0, f"{case} failed: {err.decode()[-1500:]}"
    result: dict[str, Any] = json.loads(out)
    return result


@pytest.fixture
def node(node_modules: Path) -> None:
    return None


pytestmark.append(pytest.mark.usefixtures("node"))


@pytest.mark.parametrize(
    "case", ["openai-plain", "openai-stream", "ai-generate-text", "ai-stream-text"]
)
async def test_openai_text(case: str, voile: TestServer, fake_openai: FakeOpenAI) -> None:
    assert (await run_case(case, voile))["text"] == PROMPT
    assert len(fake_openai.received) == 1


@pytest.mark.parametrize("case", ["anthropic-plain", "anthropic-stream"])
async def test_anthropic_text(case: str, voile: TestServer, fake_anthropic: FakeAnthropic) -> None:
    result = await run_case(case, voile)
    assert result["text"] == PROMPT
    assert result.get("final", PROMPT) == PROMPT
    assert len(fake_anthropic.received) == 1


@pytest.mark.parametrize("case", ["openai-tool", "anthropic-tool", "ai-tool"])
async def test_tool_call_round_trip(
    case: str, voile: TestServer, fake_openai: FakeOpenAI, fake_anthropic: FakeAnthropic
) -> None:
    result = await run_case(case, voile)
    assert result["args"] == {"name": NAME, "address": ADDRESS}
    assert result["text"] == EXPECTED_FINAL
    assert len(fake_openai.received) + len(fake_anthropic.received) == 2


@pytest.mark.parametrize(
    "case",
    [
        "openai-json-schema",
        "openai-json-schema-stream",
        "ai-generate-object",
        "ai-generate-object-chat",
    ],
)
async def test_structured_output(case: str, voile: TestServer, fake_openai: FakeOpenAI) -> None:
    assert (await run_case(case, voile))["object"] == VALUES
    assert len(fake_openai.received) == 1
