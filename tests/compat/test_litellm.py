"""LiteLLM as a client (`litellm.acompletion` with `api_base` at Voile), OpenAI and Anthropic
providers: plain, stream, a tool call round trip and a json_schema `response_format`.

LiteLLM is not in the test extras (its wheel alone unpacks to about 200 MB, 275 MB with its
dependencies), so this module runs only where it is installed. It must not fetch its model
price map from GitHub at import: `LITELLM_LOCAL_MODEL_COST_MAP` keeps it local.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from tests.compat.conftest import (
    ADDRESS,
    APP_KEY,
    CLAUDE,
    EXPECTED_FINAL,
    MODEL,
    NAME,
    PROMPT,
    TOOL,
    TOOL_DESCRIPTION,
    VALUES,
    anthropic_url,
    openai_url,
    receipt,
)
from tests.fakes.anthropic_provider import FakeAnthropic
from tests.fakes.openai_provider import FakeOpenAI

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
litellm = pytest.importorskip(
    "litellm", reason="litellm is not in the test extras (about 275 MB installed)"
)

pytestmark = [
    pytest.mark.usefixtures("no_leaks"),
    # LiteLLM's own imports and pydantic models warn on current Python/pydantic.
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
]

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": TOOL,
            "description": TOOL_DESCRIPTION,
            "parameters": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "address": {"type": "string"}},
                "required": ["name", "address"],
            },
        },
    }
]
SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "Customer",
        "strict": True,
        "schema": {
            "type": "object",
            "additionalProperties": False,
            "required": list(VALUES),
            "properties": {field: {"type": "string"} for field in VALUES},
        },
    },
}


def target(kind: str, voile: TestServer) -> dict[str, Any]:
    if kind == "openai":
        return {"model": f"openai/{MODEL}", "api_base": openai_url(voile)}
    return {"model": f"anthropic/{CLAUDE}", "api_base": anthropic_url(voile)}


async def complete(
    kind: str,
    voile: TestServer,
    messages: list[dict[str, Any]],
    *,
    stream: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """One completion, its message as a dict (streams are put back together)."""
    response = await litellm.acompletion(
        **target(kind, voile),
        api_key=APP_KEY,
        messages=messages,
        stream=stream,
        max_retries=0,
        timeout=30,
        max_tokens=256,
        **kwargs,
    )
    if not stream:
        message: dict[str, Any] = response.choices[0].message.model_dump()
        return message
    chunks = [chunk async for chunk in response]
    rebuilt = litellm.stream_chunk_builder(chunks, messages=messages)
    rebuilt_message: dict[str, Any] = rebuilt.choices[0].message.model_dump()
    return rebuilt_message


def received(kind: str, fake_openai: FakeOpenAI, fake_anthropic: FakeAnthropic) -> int:
    return len(fake_openai.received if kind == "openai" else fake_anthropic.received)


KINDS = ["openai", "anthropic"]
STREAM = pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])


@STREAM
@pytest.mark.parametrize("kind", KINDS)
async def test_completion(
    kind: str,
    stream: bool,
    voile: TestServer,
    fake_openai: FakeOpenAI,
    fake_anthropic: FakeAnthropic,
) -> None:
    message = await complete(kind, voile, [{"role": "user", "content": PROMPT}], stream=stream)
    assert message["content"] == PROMPT
    assert received(kind, fake_openai, fake_anthropic) == 1


@STREAM
@pytest.mark.parametrize("kind", KINDS)
async def test_tool_call_round_trip(
    kind: str,
    stream: bool,
    voile: TestServer,
    fake_openai: FakeOpenAI,
    fake_anthropic: FakeAnthropic,
) -> None:
    messages: list[dict[str, Any]] = [{"role": "user", "content": PROMPT}]
    call = await complete(kind, voile, messages, stream=stream, tools=TOOLS)
    [tool_call] = call["tool_calls"]
    arguments = json.loads(tool_call["function"]["arguments"])
    assert arguments == {"name": NAME, "address": ADDRESS}
    messages.append(
        {"role": "assistant", "content": call.get("content"), "tool_calls": [tool_call]}
    )
    messages.append(
        {"role": "tool", "tool_call_id": tool_call["id"], "content": receipt(**arguments)}
    )
    final = await complete(kind, voile, messages, stream=stream, tools=TOOLS)
    assert final["content"] == EXPECTED_FINAL
    assert received(kind, fake_openai, fake_anthropic) == 2


# LiteLLM maps `response_format` for Claude to Anthropic's top-level `output_format` (the
# structured-outputs beta's first shape; the anthropic SDK now sends `output_config.format`):
# Voile takes both spellings and restores the answer as JSON text for both.
@STREAM
@pytest.mark.parametrize("kind", ["openai", "anthropic"])
async def test_json_schema_response_format(
    kind: str,
    stream: bool,
    voile: TestServer,
    fake_openai: FakeOpenAI,
    fake_anthropic: FakeAnthropic,
) -> None:
    message = await complete(
        kind, voile, [{"role": "user", "content": PROMPT}], stream=stream, response_format=SCHEMA
    )
    if message.get("tool_calls"):  # LiteLLM answers Anthropic's schema with a forced tool
        text = message["tool_calls"][0]["function"]["arguments"]
    else:
        text = message["content"]
    assert json.loads(text) == VALUES
    assert received(kind, fake_openai, fake_anthropic) == 1
