"""A policy's `scope`: every text of a request is filed under the part it is in (system
prompt, user message, earlier answer, tool arguments, tool results, tool definitions, other),
in every wire format; detection reads only the parts in scope, and a value found elsewhere is
still masked in the parts it does not read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai
import pytest

from proxy.config import Config
from proxy.formats.anthropic_messages import messages_request_texts
from proxy.formats.document import Document
from proxy.formats.openai_chat import chat_request_texts
from proxy.formats.openai_completions import completions_request_texts
from proxy.formats.openai_responses import responses_request_texts
from proxy.placeholders import TOKEN_PATTERN
from proxy.policy import Part, Policy, PolicySpec
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import APP_KEY, VoileFactory, client_for
from tests.proxy.support import write_policy

POLICY = Policy("default", Path("default.yaml"), "0" * 64, PolicySpec())
SCHEMA = {"type": "object", "properties": {"city": {"type": "string", "description": "the town"}}}


def parts(doc: Document) -> dict[str, Part]:
    filed = dict(zip(doc.texts, doc.parts, strict=True))
    assert len(filed) == len(doc.texts), "each test text is distinct"
    return filed


def test_chat_completions_parts() -> None:
    body = {
        "model": "m",
        "messages": [
            {"role": "system", "content": "sys prompt"},
            {"role": "developer", "content": [{"type": "text", "text": "dev prompt"}]},
            {"role": "user", "content": "user text", "name": "user name"},
            {
                "role": "assistant",
                "content": "earlier answer",
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": json.dumps({"to": "arg value"})},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "tool output"},
        ],
        "tools": [
            {"type": "function", "function": {"name": "f", "description": "tool doc"}},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "out", "schema": SCHEMA},
        },
        "user": "end user id",
        "stop": ["stop seq"],
    }
    filed = parts(chat_request_texts(body, POLICY))
    assert filed["sys prompt"] is Part.SYSTEM
    assert filed["dev prompt"] is Part.SYSTEM
    assert filed["user text"] is Part.USER
    assert filed["user name"] is Part.USER
    assert filed["earlier answer"] is Part.ASSISTANT
    assert filed["arg value"] is Part.TOOL_ARGUMENTS
    assert filed["to"] is Part.TOOL_ARGUMENTS  # keys of arguments too
    assert filed["tool output"] is Part.TOOL_RESULTS
    assert filed["tool doc"] is Part.TOOL_DEFINITIONS
    assert filed["the town"] is Part.TOOL_DEFINITIONS
    assert filed["end user id"] is Part.OTHER
    assert filed["stop seq"] is Part.OTHER


def test_anthropic_messages_parts() -> None:
    body = {
        "model": "claude",
        "max_tokens": 10,
        "system": [{"type": "text", "text": "sys prompt"}],
        "messages": [
            {"role": "user", "content": "user text"},
            {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "earlier answer"},
                    {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {"to": "arg"}},
                ],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "tool output"}
                ],
            },
        ],
        "tools": [{"name": "f", "description": "tool doc", "input_schema": SCHEMA}],
        "metadata": {"user_id": "end user id"},
    }
    filed = parts(messages_request_texts(body, POLICY))
    assert filed == {
        "sys prompt": Part.SYSTEM,
        "user text": Part.USER,
        "earlier answer": Part.ASSISTANT,
        "to": Part.TOOL_ARGUMENTS,
        "arg": Part.TOOL_ARGUMENTS,
        "tool output": Part.TOOL_RESULTS,
        "tool doc": Part.TOOL_DEFINITIONS,
        "city": Part.TOOL_DEFINITIONS,
        "the town": Part.TOOL_DEFINITIONS,
        "end user id": Part.OTHER,
    }


def test_responses_parts() -> None:
    body = {
        "model": "m",
        "instructions": "sys prompt",
        "input": [
            {"role": "developer", "content": "dev prompt"},
            {"role": "user", "content": [{"type": "input_text", "text": "user text"}]},
            {"type": "message", "role": "assistant", "content": "earlier answer"},
            {"type": "function_call", "call_id": "c1", "name": "f", "arguments": '{"a": "arg"}'},
            {"type": "function_call_output", "call_id": "c1", "output": "tool output"},
        ],
        "tools": [{"type": "function", "name": "f", "description": "tool doc"}],
        "user": "end user id",
    }
    filed = parts(responses_request_texts(body, POLICY))
    assert filed["sys prompt"] is Part.SYSTEM
    assert filed["dev prompt"] is Part.SYSTEM
    assert filed["user text"] is Part.USER
    assert filed["earlier answer"] is Part.ASSISTANT
    assert filed["arg"] is Part.TOOL_ARGUMENTS
    assert filed["tool output"] is Part.TOOL_RESULTS
    assert filed["tool doc"] is Part.TOOL_DEFINITIONS
    assert filed["end user id"] is Part.OTHER
    plain = responses_request_texts({"model": "m", "input": "just text"}, POLICY)
    assert plain.parts == [Part.USER]


def test_completions_prompt_is_user_text() -> None:
    doc = completions_request_texts({"model": "m", "prompt": ["a prompt"], "user": "u"}, POLICY)
    assert parts(doc) == {"a prompt": Part.USER, "u": Part.OTHER}


@pytest.fixture
def config(make_config: Callable[..., Config], policies_dir: Path) -> Config:
    write_policy(
        policies_dir,
        "user-only",
        "extends: default\nscope: [user, tool_arguments, tool_results]\n",
    )
    return make_config(apps=[{"name": "support", "key": APP_KEY, "policy": "user-only"}])


async def test_parts_out_of_scope_are_not_read_but_known_values_are_masked_in_them(
    start_voile: VoileFactory, config: Config, fake_openai: FakeOpenAI
) -> None:
    server = await start_voile(config)
    messages: list[Any] = [
        # Out of scope: the company's own prompt, with a name nobody else mentions, and the
        # name the user writes too.
        {"role": "system", "content": "Sign as Marie Curie. The customer is Jean Dupont."},
        {"role": "user", "content": "Bonjour, je suis Jean Dupont, écrivez-moi."},
    ]
    async with client_for(server) as sdk:
        await sdk.chat.completions.create(model="m", messages=messages)
    sent = fake_openai.received[-1]["messages"]
    assert "Marie Curie" in sent[0]["content"]  # not read: passes as written
    assert "Jean Dupont" not in json.dumps(sent, ensure_ascii=False)  # found in the user text
    in_system = set(TOKEN_PATTERN.findall(sent[0]["content"]))
    assert in_system
    assert in_system == set(TOKEN_PATTERN.findall(sent[1]["content"]))  # the same token


async def test_the_default_scope_reads_system_prompts(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    await client.chat.completions.create(
        model="m",
        messages=[
            {"role": "system", "content": "Sign as Marie Curie."},
            {"role": "user", "content": "Hello"},
        ],
    )
    assert "Marie Curie" not in json.dumps(fake_openai.received[-1])
