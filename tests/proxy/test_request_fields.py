"""No field reaches the provider unchecked (issue 8, items 2 and 9), through the real proxy.

Every form that used to be forwarded in clear is refused with a 400 naming the field, and the
fake provider receives nothing; the fields that are identifiers or names are masked when they
hold personal data; bodies too deep, with lone surrogates or non-finite numbers are 400s, not
500s or 503s. Raw posts, because SDKs would not send most of these shapes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from proxy.config import Config
from proxy.placeholders import TOKEN_PATTERN
from tests.fakes.anthropic_provider import FakeAnthropic
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import APP_KEY, VoileFactory
from tests.proxy.support import both_providers

IBAN = "FR7630006000011234567890189"
EMAIL = "jean.dupont@orange.fr"
CLAUDE = "claude-sonnet-4-5"


@pytest.fixture
def fake_anthropic() -> FakeAnthropic:
    return FakeAnthropic()


@pytest.fixture
async def voile(
    aiohttp_server: Any,
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    upstream: TestServer,
    fake_anthropic: FakeAnthropic,
) -> TestServer:
    """Voile in front of a fake OpenAI (`openai`) and a fake Anthropic (`anthropic`)."""
    anthropic_upstream: TestServer = await aiohttp_server(fake_anthropic.app())
    return await start_voile(make_config(providers=both_providers(upstream, anthropic_upstream)))


async def _post(server: TestServer, path: str, body: Any) -> tuple[int, Any]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = (
        {"x-api-key": APP_KEY, "anthropic-version": "2023-06-01"}
        if path.startswith("/anthropic")
        else {"Authorization": f"Bearer {APP_KEY}"}
    )
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            server.make_url(path),
            data=data,
            headers={**headers, "Content-Type": "application/json"},
        ) as response,
    ):
        return response.status, await response.json()


def _error(path: str, answer: Any) -> tuple[str, str | None]:
    """(code, param) from an OpenAI- or Anthropic-shaped error."""
    if path.startswith("/anthropic"):
        details = answer["error"]["details"]
        return details["error_code"], details.get("param")
    return answer["error"]["code"], answer["error"]["param"]


CHAT = "/openai/v1/chat/completions"
RESPONSES = "/openai/v1/responses"
COMPLETIONS = "/openai/v1/completions"
EMBEDDINGS = "/openai/v1/embeddings"
MESSAGES = "/anthropic/v1/messages"
COUNT = "/anthropic/v1/messages/count_tokens"


def chat(*messages: Any, **fields: Any) -> dict[str, Any]:
    return {
        "model": "gpt-4o-mini",
        "messages": [{"role": "user", "content": "Hello"}, *messages],
        **fields,
    }


def call(**changes: Any) -> dict[str, Any]:
    """An assistant turn with one tool call, changed as given."""
    tool_call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "send_mail", "arguments": '{"to": "x"}'},
    }
    tool_call.update(changes)
    return {"role": "assistant", "content": None, "tool_calls": [tool_call]}


def function(**changes: Any) -> dict[str, Any]:
    return call(function={"name": "send_mail", "arguments": '{"to": "x"}', **changes})


def claude(*blocks: Any, **fields: Any) -> dict[str, Any]:
    return {
        "model": CLAUDE,
        "max_tokens": 64,
        "messages": [
            {"role": "user", "content": "Hello"},
            {"role": "assistant", "content": list(blocks)},
            {"role": "user", "content": "Go on"},
        ],
        **fields,
    }


def tool_use(**changes: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": "toolu_1", "name": "send_mail", "input": {}, **changes}


# (route, body, param): each was forwarded in clear before issue 8.
BYPASSES = [
    (CHAT, chat(function(arguments={"to": EMAIL})), "messages[1].tool_calls[0].function.arguments"),
    (CHAT, chat(call(note=EMAIL)), "messages[1].tool_calls[0].note"),
    (CHAT, chat(function(note=EMAIL)), "messages[1].tool_calls[0].function.note"),
    (
        CHAT,
        chat({"role": "assistant", "content": None, "tool_calls": EMAIL}),
        "messages[1].tool_calls",
    ),
    (CHAT, chat(function(name="Jean Dupont")), "messages[1].tool_calls[0].function.name"),
    (
        CHAT,
        chat(
            {
                "role": "assistant",
                "content": None,
                "function_call": {"name": EMAIL, "arguments": "{}"},
            }
        ),
        "messages[1].function_call.name",
    ),
    (
        CHAT,
        chat({"role": "tool", "tool_call_id": {"id": EMAIL}, "content": "ok"}),
        "messages[1].tool_call_id",
    ),
    (
        CHAT,
        chat({"role": "assistant", "content": "ok", "audio": {"id": "a", "data": EMAIL}}),
        "messages[1].audio.data",
    ),
    (CHAT, chat({"role": "assistant", "content": "ok", "audio": EMAIL}), "messages[1].audio"),
    (CHAT, chat({"role": "assistant", "content": "ok", "prefix": EMAIL}), "messages[1].prefix"),
    (CHAT, chat(stream_options={"include_usage": True, "note": EMAIL}), "stream_options.note"),
    (CHAT, chat(stream_options={"include_usage": EMAIL}), "stream_options.include_usage"),
    (CHAT, chat(seed=EMAIL), "seed"),
    (CHAT, chat(service_tier=EMAIL), "service_tier"),
    (CHAT, chat(temperature="hot"), "temperature"),
    (
        CHAT,
        chat(tools=[{"type": "function", "function": {"name": "f", "note": EMAIL}}]),
        "tools[0].function.note",
    ),
    (
        CHAT,
        chat(tool_choice={"type": "function", "function": {"name": "Jean Dupont"}}),
        "tool_choice.function.name",
    ),
    (
        CHAT,
        chat(
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "m", "schema": {"type": EMAIL}},
            }
        ),
        "response_format.json_schema.schema.type",
    ),
    (CHAT, chat(metadata={"customer": {"email": EMAIL}}), "metadata.customer"),
    (CHAT, chat(logit_bias={EMAIL: 1}), f"logit_bias.{EMAIL}"),
    (
        RESPONSES,
        {
            "model": "m",
            "input": [
                {"type": "function_call", "call_id": "c", "name": "f", "arguments": {"to": EMAIL}}
            ],
        },
        "input[0].arguments",
    ),
    (
        RESPONSES,
        {
            "model": "m",
            "input": [
                {"type": "function_call", "call_id": "c", "name": "Jean Dupont", "arguments": "{}"}
            ],
        },
        "input[0].name",
    ),
    (
        RESPONSES,
        {"model": "m", "input": "hi", "stream_options": {"note": EMAIL}},
        "stream_options.note",
    ),
    (
        RESPONSES,
        {
            "model": "m",
            "input": "hi",
            "tools": [{"type": "mcp", "server_label": "x", "server_url": "https://x"}],
        },
        "tools[0]",
    ),
    (COMPLETIONS, {"model": "m", "prompt": "hi", "seed": EMAIL}, "seed"),
    (
        COMPLETIONS,
        {"model": "m", "prompt": "hi", "stream_options": {"x": True}},
        "stream_options.x",
    ),
    (EMBEDDINGS, {"model": "m", "input": "hi", "dimensions": EMAIL}, "dimensions"),
    (MESSAGES, claude(tool_use(name="Jean Dupont")), "messages[1].content[0].name"),
    (MESSAGES, claude(tool_use(id={"x": EMAIL})), "messages[1].content[0].id"),
    (MESSAGES, claude(tool_use(input=EMAIL)), "messages[1].content[0].input"),
    (
        MESSAGES,
        claude({"type": "text", "text": "ok", "cache_control": {"type": EMAIL}}),
        "messages[1].content[0].cache_control.type",
    ),
    (MESSAGES, claude(tool_use(), metadata={"user_id": "u", "email": EMAIL}), "metadata.email"),
    (MESSAGES, claude(tool_use(), stop_sequences=[{"s": EMAIL}]), "stop_sequences[0]"),
    (MESSAGES, claude(tool_use(), tool_choice={"type": "tool", "name": EMAIL}), "tool_choice.name"),
    (
        MESSAGES,
        claude(tool_use(), thinking={"type": "enabled", "budget_tokens": EMAIL}),
        "thinking.budget_tokens",
    ),
    (
        MESSAGES,
        claude(
            tool_use(),
            system=[
                {"type": "text", "text": "s", "cache_control": {"type": "ephemeral", "note": EMAIL}}
            ],
        ),
        "system[0].cache_control.note",
    ),
    (
        MESSAGES,
        claude(
            tool_use(), tools=[{"name": "f", "input_schema": {"type": "object"}, "secret": EMAIL}]
        ),
        "tools[0].secret",
    ),
    (
        COUNT,
        {
            "model": CLAUDE,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "tool_result",
                            "tool_use_id": "t",
                            "content": "ok",
                            "is_error": EMAIL,
                        }
                    ],
                }
            ],
        },
        "messages[0].content[0].is_error",
    ),
]


@pytest.mark.parametrize(
    ("path", "body", "param"),
    BYPASSES,
    ids=[f"{path.rsplit('/', 1)[-1]}:{param}" for path, _, param in BYPASSES],
)
async def test_a_field_that_used_to_bypass_scanning_is_refused_and_nothing_forwarded(
    path: str,
    body: dict[str, Any],
    param: str,
    voile: TestServer,
    fake_openai: FakeOpenAI,
    fake_anthropic: FakeAnthropic,
) -> None:
    status, answer = await _post(voile, path, body)
    assert status == 400
    assert _error(path, answer) == ("unsupported_field", param)
    assert fake_openai.received == []
    assert fake_anthropic.received == []


async def test_ids_and_names_holding_personal_data_are_masked_and_stay_paired(
    voile: TestServer, fake_openai: FakeOpenAI
) -> None:
    """An id outside the id grammar is scanned; a name in the grammar that holds a number is
    scanned; the same value gets the same token wherever it appears."""
    call_id, name = f"call {EMAIL}", f"pay_{IBAN}"
    body = chat(
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": call_id, "type": "function", "function": {"name": name, "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": call_id, "content": "paid"},
        tools=[{"type": "function", "function": {"name": name, "parameters": {}}}],
        tool_choice={"type": "function", "function": {"name": name}},
    )
    status, _ = await _post(voile, CHAT, body)
    assert status == 200
    received = fake_openai.everything_received()
    assert EMAIL not in received
    assert IBAN not in received
    sent = fake_openai.last
    sent_call = sent["messages"][1]["tool_calls"][0]
    assert TOKEN_PATTERN.search(sent_call["id"])
    assert sent["messages"][2]["tool_call_id"] == sent_call["id"]
    assert TOKEN_PATTERN.search(sent_call["function"]["name"])
    assert sent["tools"][0]["function"]["name"] == sent_call["function"]["name"]
    assert sent["tool_choice"]["function"]["name"] == sent_call["function"]["name"]


async def test_provider_ids_and_plain_names_pass_unchanged(
    voile: TestServer, fake_openai: FakeOpenAI, fake_anthropic: FakeAnthropic
) -> None:
    body = chat(
        function(),
        {"role": "tool", "tool_call_id": "call_1", "content": "ok"},
        seed=7,
        service_tier="auto",
        stream_options={"include_usage": True},
    )
    status = (await _post(voile, CHAT, body))[0]
    assert status == 200
    assert fake_openai.last["messages"][1] == body["messages"][1]
    assert fake_openai.last["messages"][2]["tool_call_id"] == "call_1"
    status = (await _post(voile, MESSAGES, claude(tool_use(id="toolu_01A9q90qw"))))[0]
    assert status == 200
    assert fake_anthropic.last["messages"][1]["content"][0] == tool_use(id="toolu_01A9q90qw")


async def test_tool_definitions_and_locations_are_scanned(
    voile: TestServer, fake_openai: FakeOpenAI, fake_anthropic: FakeAnthropic
) -> None:
    schema = {
        "type": "object",
        "description": f"Mail {EMAIL}",
        "properties": {"to": {"type": "string", "enum": [EMAIL]}},
    }
    body = chat(
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "send_mail",
                    "description": f"Write to {EMAIL}",
                    "parameters": schema,
                },
            }
        ]
    )
    assert (await _post(voile, CHAT, body))[0] == 200
    body = claude(
        tool_use(),
        tools=[
            {"name": "send_mail", "description": f"Write to {EMAIL}", "input_schema": schema},
            {
                "type": "web_search_20250305",
                "name": "web_search",
                "user_location": {"type": "approximate", "city": "Lyon", "region": EMAIL},
            },
        ],
    )
    assert (await _post(voile, MESSAGES, body))[0] == 200
    assert EMAIL not in fake_openai.everything_received()
    assert EMAIL not in fake_anthropic.everything_received()
    sent = fake_anthropic.last["tools"]
    assert sent[0]["input_schema"]["type"] == "object"  # the schema's vocabulary passes
    assert TOKEN_PATTERN.fullmatch(sent[0]["input_schema"]["properties"]["to"]["enum"][0])


@pytest.mark.parametrize(
    ("path", "raw", "code", "param"),
    [
        (
            CHAT,
            b'{"model": "m", "messages": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "json_too_deep",
            None,
        ),
        (
            MESSAGES,
            b'{"model": "m", "max_tokens": 1, "messages": ' + b"[" * 70 + b"]" * 70 + b"}",
            "json_too_deep",
            None,
        ),
        (
            CHAT,
            b'{"model": "m", "messages": [{"role": "user", "content": "Jo\\ud800hn"}]}',
            "invalid_unicode",
            "messages[0].content",
        ),
        (
            MESSAGES,
            b'{"model": "m", "max_tokens": 1, "messages": [{"role": "user", "content": '
            b'[{"type": "text", "text": "x\\udfff"}]}]}',
            "invalid_unicode",
            "messages[0].content[0].text",
        ),
        (
            CHAT,
            json.dumps(chat(function(arguments='{"to": "\\ud800"}'))).encode(),
            "invalid_unicode",
            "messages[1].tool_calls[0].function.arguments.to",
        ),
        (
            CHAT,
            json.dumps(chat(function(arguments="[" * 5000 + "]" * 5000))).encode(),
            "json_too_deep",
            "messages[1].tool_calls[0].function.arguments",
        ),
        (
            CHAT,
            b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "seed": NaN}',
            "invalid_json",
            None,
        ),
        (
            CHAT,
            b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "top_p": 1e999}',
            "invalid_json",
            None,
        ),
        (EMBEDDINGS, b'{"model": "m", "input": "caf\xe9"}', "invalid_json", None),
    ],
)
async def test_malformed_bodies_are_400_never_500(
    path: str,
    raw: bytes,
    code: str,
    param: str | None,
    voile: TestServer,
    fake_openai: FakeOpenAI,
    fake_anthropic: FakeAnthropic,
) -> None:
    status, answer = await _post(voile, path, raw)
    assert status == 400
    assert _error(path, answer) == (code, param)
    assert fake_openai.received == []
    assert fake_anthropic.received == []


async def test_json_depth_limit_is_configuration(
    start_voile: VoileFactory, make_config: Callable[..., Config], fake_openai: FakeOpenAI
) -> None:
    server = await start_voile(make_config(limits={"max_json_depth": 3}))
    deep = chat({"role": "user", "content": [{"type": "text", "text": "hi"}]})
    status, answer = await _post(server, CHAT, deep)
    assert (status, answer["error"]["code"]) == (400, "json_too_deep")
    assert "3 levels" in answer["error"]["message"]
    assert (await _post(server, CHAT, chat()))[0] == 200
