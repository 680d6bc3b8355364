"""The governed round trip with the official `anthropic` SDK against a fake Anthropic provider:
the provider sees placeholders only, the app gets its exact text back, streamed or not, and
every refusal comes back in Anthropic's error shape so the SDK raises its usual exceptions."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import anthropic
import pytest
from aiohttp.test_utils import TestServer

from audit.events import Decision
from proxy.config import Config
from proxy.errors import (
    BodyTooLarge,
    MethodNotAllowed,
    NotFound,
    UnsupportedField,
    UpstreamProtocolError,
    UpstreamTimeout,
    UpstreamUnreachable,
    VoileError,
)
from proxy.formats.anthropic import AnthropicFormat
from proxy.formats.anthropic_messages import (
    CountTokens,
    Messages,
    MessagesStreamRestorer,
    messages_request_texts,
)
from proxy.formats.base import RestoreCount, Usage
from proxy.placeholders import TOKEN_PATTERN
from proxy.policy import Policy, PolicySpec
from proxy.sse import SSEEvent, encode_event
from tests.fakes.anthropic_provider import (
    USAGE_IN,
    USAGE_OUT,
    FakeAnthropic,
    Reply,
    Thinking,
    ToolUse,
)
from tests.proxy.conftest import APP_KEY, PROVIDER_KEY, VoileFactory
from tests.proxy.support import (
    PROMPTS,
    FailingDetector,
    assert_not_leaked,
    records,
    write_policy,
)

MODEL = "claude-sonnet-4-6"

# ------------------------------------------------------------------------------ fixtures


@pytest.fixture
def fake_anthropic() -> FakeAnthropic:
    return FakeAnthropic()


@pytest.fixture
async def anthropic_upstream(aiohttp_server: Any, fake_anthropic: FakeAnthropic) -> TestServer:
    server: TestServer = await aiohttp_server(fake_anthropic.app())
    return server


@pytest.fixture
def anthropic_config(
    make_config: Callable[..., Config], anthropic_upstream: TestServer
) -> Callable[..., Config]:
    """`make_config` with an `anthropic` provider (format: anthropic) in front of the fake."""

    def make(**overrides: Any) -> Config:
        overrides.setdefault(
            "providers",
            {
                "anthropic": {
                    "base_url": str(anthropic_upstream.make_url("")).rstrip("/"),
                    "format": "anthropic",
                    "api_key_env": "VOILE_TEST_PROVIDER_KEY",
                }
            },
        )
        return make_config(**overrides)

    return make


@pytest.fixture
async def voile(start_voile: VoileFactory, anthropic_config: Callable[..., Config]) -> TestServer:
    return await start_voile(anthropic_config())


def client_for(server: TestServer, key: str = APP_KEY) -> anthropic.AsyncAnthropic:
    return anthropic.AsyncAnthropic(
        base_url=str(server.make_url("/anthropic")), api_key=key, max_retries=0
    )


@pytest.fixture
async def client(voile: TestServer) -> AsyncIterator[anthropic.AsyncAnthropic]:
    async with client_for(voile) as sdk:
        yield sdk


def user(content: Any) -> Any:
    return {"role": "user", "content": content}


def first_token(text: str) -> str:
    match = TOKEN_PATTERN.search(text)
    assert match is not None, f"no placeholder in {text!r}"
    return match.group()


async def raw_events(client: anthropic.AsyncAnthropic, prompt: str) -> list[Any]:
    stream = await client.messages.create(
        model=MODEL, max_tokens=256, messages=[user(prompt)], stream=True
    )
    return [event async for event in stream]


def streamed_text(events: list[Any]) -> str:
    """The text the app reads from raw events: block start texts and text deltas, in order."""
    text = ""
    for event in events:
        if event.type == "content_block_start" and event.content_block.type == "text":
            text += event.content_block.text
        elif event.type == "content_block_delta" and event.delta.type == "text_delta":
            text += event.delta.text
    return text


# ------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("case", sorted(PROMPTS))
async def test_non_stream_round_trip_masks_and_restores(
    case: str, client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    prompt, values = PROMPTS[case]
    answer = await client.messages.create(model=MODEL, max_tokens=256, messages=[user(prompt)])
    assert_not_leaked(fake_anthropic, values)
    assert TOKEN_PATTERN.search(fake_anthropic.last["messages"][0]["content"])
    assert answer.content[0].type == "text"
    assert answer.content[0].text == prompt  # the fake echoed placeholders
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (USAGE_IN, USAGE_OUT)
    assert answer.id == "msg_01XFDUDYJgAACzvnptvVoYEL"


@pytest.mark.parametrize("case", sorted(PROMPTS))
async def test_stream_helper_round_trip_masks_and_restores(
    case: str, client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    prompt, values = PROMPTS[case]
    fake_anthropic.replies.append(Reply(chunk_sizes=[3, 5, 1, 7]))
    async with client.messages.stream(
        model=MODEL, max_tokens=256, messages=[user(prompt)]
    ) as stream:
        text = "".join([piece async for piece in stream.text_stream])
        final = await stream.get_final_message()
    assert_not_leaked(fake_anthropic, values)
    assert fake_anthropic.last["stream"] is True
    assert text == prompt
    assert final.content[0].type == "text"
    assert final.content[0].text == prompt
    assert (final.usage.input_tokens, final.usage.output_tokens) == (USAGE_IN, USAGE_OUT)
    assert final.stop_reason == "end_turn"


async def test_raw_stream_keeps_anthropic_event_sequence(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    prompt, values = PROMPTS["fr_contact"]
    fake_anthropic.replies.append(Reply(chunk_sizes=[2, 9]))
    events = await raw_events(client, prompt)
    types = [event.type for event in events]
    assert types[:2] == ["message_start", "content_block_start"]
    assert types[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert set(types[2:-3]) == {"content_block_delta"}  # the SDK skips `ping`
    assert streamed_text(events) == prompt
    assert events[0].message.usage.input_tokens == USAGE_IN
    assert events[-2].usage.output_tokens == USAGE_OUT
    assert_not_leaked(fake_anthropic, values)


async def test_a_stream_with_nothing_to_restore_is_relayed_byte_for_byte(
    voile: TestServer, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.replies.append(
        Reply(
            text="Bonjour, à bientôt 🎉",
            chunk_sizes=[3],
            thinking=Thinking("Greet back."),
            events_per_write=3,
        )
    )
    body = {"model": MODEL, "max_tokens": 64, "stream": True, "messages": [user("Salut")]}
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            voile.make_url("/anthropic/v1/messages"),
            json=body,
            headers={"x-api-key": APP_KEY, "anthropic-version": "2023-06-01"},
        ) as response,
    ):
        relayed = await response.read()
        assert response.headers["Content-Type"].startswith("text/event-stream")
        assert response.headers["request-id"] == "req_011CSHoEeqs5C35K2UUqR7Fy"
    assert relayed == fake_anthropic.streamed[-1]


async def test_same_value_gets_same_token_across_fields_and_turns(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    first = [user("My colleague Jean Dupont is off today.")]
    answer = await client.messages.create(model=MODEL, max_tokens=64, messages=first)
    turn_1 = set(TOKEN_PATTERN.findall(fake_anthropic.last["messages"][0]["content"]))
    history = [
        *first,
        {"role": "assistant", "content": answer.content},
        user("Tell Jean Dupont that Marie Curie called."),
    ]
    await client.messages.create(
        model=MODEL, max_tokens=64, messages=history, system="You write for Jean Dupont."
    )
    sent = fake_anthropic.last
    assert turn_1
    assert turn_1 <= set(TOKEN_PATTERN.findall(sent["system"]))
    assert turn_1 <= set(TOKEN_PATTERN.findall(sent["messages"][1]["content"][0]["text"]))
    assert len(set(TOKEN_PATTERN.findall(sent["messages"][2]["content"]))) == 2
    assert "Jean Dupont" not in fake_anthropic.everything_received()


# ----------------------------------------------------------------------- request fields


@pytest.mark.parametrize("as_blocks", [False, True], ids=["string", "blocks"])
@pytest.mark.parametrize("case", ["en_contact", "fr_contact"])
async def test_system_prompt_is_masked_and_quoted_back_restored(
    case: str,
    as_blocks: bool,
    client: anthropic.AsyncAnthropic,
    fake_anthropic: FakeAnthropic,
) -> None:
    prompt, values = PROMPTS[case]

    def quote_system(body: dict[str, Any]) -> Reply:
        system = body["system"]
        return Reply(text=system if isinstance(system, str) else system[0]["text"])

    fake_anthropic.reply_factory = quote_system
    system: Any = (
        [{"type": "text", "text": prompt, "cache_control": {"type": "ephemeral"}}]
        if as_blocks
        else prompt
    )
    answer = await client.messages.create(
        model=MODEL, max_tokens=64, system=system, messages=[user("Hello")]
    )
    assert_not_leaked(fake_anthropic, values)
    if as_blocks:
        assert fake_anthropic.last["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert answer.content[0].type == "text"
    assert answer.content[0].text == prompt


async def test_every_text_field_of_the_request_is_masked(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    values = [
        "Jean Dupont",
        "jean.dupont@orange.fr",
        "Marie Curie",
        "marie.curie@sorbonne.fr",
        "john.smith@example.com",
        "zoe.angstrom@example.org",
        "06 12 34 56 78",
        "FR76 3000 6000 0112 3456 7890 189",
    ]
    messages: list[Any] = [
        user(
            [
                {"type": "text", "text": "Write to jean.dupont@orange.fr for Jean Dupont."},
                {"type": "text", "text": "Copy john.smith@example.com."},
                {
                    "type": "document",
                    "title": "Lettre de Marie Curie",
                    "context": "Envoyée par marie.curie@sorbonne.fr",
                    "source": {
                        "type": "text",
                        "media_type": "text/plain",
                        "data": "Marie Curie habite à Paris. Appelez-la au 06 12 34 56 78. "
                        "Son IBAN est FR76 3000 6000 0112 3456 7890 189.",
                    },
                },
                {
                    "type": "document",
                    "source": {
                        "type": "content",
                        "content": [{"type": "text", "text": "Note for zoe.angstrom@example.org"}],
                    },
                },
                {
                    "type": "search_result",
                    "source": "crm://contacts/jean.dupont@orange.fr",
                    "title": "Fiche de Jean Dupont",
                    "content": [{"type": "text", "text": "Jean Dupont lives in Lyon."}],
                },
            ]
        ),
        {
            "role": "assistant",
            "content": [
                {
                    "type": "text",
                    "text": "I will mail Jean Dupont.",
                    "citations": [
                        {
                            "type": "char_location",
                            "cited_text": "Appelez-la au 06 12 34 56 78.",
                            "document_index": 0,
                            "document_title": "Lettre de Marie Curie",
                            "start_char_index": 28,
                            "end_char_index": 57,
                        }
                    ],
                },
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "send_mail",
                    "input": {
                        "to": "jean.dupont@orange.fr",
                        "count": 2,
                        "urgent": True,
                        "message": {
                            "body": "Bonjour Marie Curie",
                            "cc": ["john.smith@example.com"],
                            "meta": {"sender": {"email": "marie.curie@sorbonne.fr"}},
                        },
                    },
                },
            ],
        },
        user(
            [
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_1",
                    "content": "Delivered to jean.dupont@orange.fr for Jean Dupont.",
                },
                {
                    "type": "tool_result",
                    "tool_use_id": "toolu_2",
                    "is_error": True,
                    "content": [{"type": "text", "text": "Bounced: marie.curie@sorbonne.fr"}],
                },
                {"type": "text", "text": "Thanks!"},
            ]
        ),
    ]
    await client.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=messages,
        metadata={"user_id": "john.smith@example.com"},
        stop_sequences=["Marie Curie:", "\n\nHuman:"],
        tools=[
            {
                "name": "send_mail",
                "description": "Send a mail",
                "input_schema": {"type": "object", "properties": {"to": {"type": "string"}}},
            }
        ],
        tool_choice={"type": "auto"},
    )
    assert_not_leaked(fake_anthropic, values)
    sent = fake_anthropic.last
    tool_input = sent["messages"][1]["content"][1]["input"]
    # The structure survives: every string leaf masked, numbers and booleans as they were.
    assert TOKEN_PATTERN.fullmatch(tool_input["to"])
    assert (tool_input["count"], tool_input["urgent"]) == (2, True)
    assert TOKEN_PATTERN.fullmatch(tool_input["message"]["cc"][0])
    assert TOKEN_PATTERN.fullmatch(tool_input["message"]["meta"]["sender"]["email"])
    assert sent["messages"][1]["content"][1]["id"] == "toolu_1"
    assert sent["messages"][2]["content"][0]["tool_use_id"] == "toolu_1"
    assert sent["messages"][2]["content"][1]["is_error"] is True
    assert TOKEN_PATTERN.fullmatch(sent["metadata"]["user_id"])
    assert sent["stop_sequences"][1] == "\n\nHuman:"
    assert sent["tools"][0]["description"] == "Send a mail"  # definitions are left alone
    # The same e-mail got the same token in the text, the tool input and the tool result.
    text_token = first_token(sent["messages"][0]["content"][0]["text"])
    assert text_token == tool_input["to"]
    assert text_token in sent["messages"][2]["content"][0]["content"]
    document = sent["messages"][0]["content"][2]
    assert document["source"]["media_type"] == "text/plain"
    assert TOKEN_PATTERN.search(document["source"]["data"])


async def test_stop_sequence_is_masked_and_restored(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    """A stop sequence naming someone is masked like the prompt, so it still matches what the
    model writes (placeholders); the one that fired comes back as the app wrote it."""
    fake_anthropic.reply_factory = lambda body: Reply(
        text="Done.", stop_sequence=body["stop_sequences"][0]
    )
    prompt = "Write a dialogue between Jean Dupont and Marie Curie."
    answer = await client.messages.create(
        model=MODEL, max_tokens=64, messages=[user(prompt)], stop_sequences=["Jean Dupont:"]
    )
    assert TOKEN_PATTERN.search(fake_anthropic.last["stop_sequences"][0])
    assert answer.stop_sequence == "Jean Dupont:"
    async with client.messages.stream(
        model=MODEL, max_tokens=64, messages=[user(prompt)], stop_sequences=["Jean Dupont:"]
    ) as stream:
        final = await stream.get_final_message()
    assert final.stop_sequence == "Jean Dupont:"
    assert_not_leaked(fake_anthropic, ["Jean Dupont", "Marie Curie"])


async def test_server_tool_history_is_masked(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    """Web search calls and results sent back as history: queries, titles and URLs scanned,
    encrypted content passed."""
    messages: list[Any] = [
        user("Find the address of Jean Dupont, jean.dupont@orange.fr."),
        {
            "role": "assistant",
            "content": [
                {
                    "type": "server_tool_use",
                    "id": "srvtoolu_1",
                    "name": "web_search",
                    "input": {"query": "jean.dupont@orange.fr address"},
                },
                {
                    "type": "web_search_tool_result",
                    "tool_use_id": "srvtoolu_1",
                    "content": [
                        {
                            "type": "web_search_result",
                            "title": "Profile of jean.dupont@orange.fr",
                            "url": "https://example.com/jean.dupont@orange.fr",
                            "encrypted_content": "EqgfCioIARgBIiQ3YTAwMjY1Mi1",
                            "page_age": None,
                        }
                    ],
                },
                {
                    "type": "text",
                    "text": "Nothing found.",
                    "citations": [
                        {
                            "type": "web_search_result_location",
                            "cited_text": "jean.dupont@orange.fr",
                            "url": "https://example.com/jean.dupont@orange.fr",
                            "title": "Profile",
                            "encrypted_index": "Eo8BCioIAhgBIiQyYjQ0OWJmZi1",
                        }
                    ],
                },
            ],
        },
        user("Thanks."),
    ]
    await client.messages.create(model=MODEL, max_tokens=64, messages=messages)
    assert_not_leaked(fake_anthropic, ["jean.dupont@orange.fr"])
    result = fake_anthropic.last["messages"][1]["content"][1]["content"][0]
    assert result["encrypted_content"] == "EqgfCioIARgBIiQ3YTAwMjY1Mi1"


async def test_count_tokens_is_masked(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    prompt, values = PROMPTS["fr_contact"]
    counted = await client.messages.count_tokens(
        model=MODEL,
        system="Tu aides Marie Curie (marie.curie@sorbonne.fr).",
        messages=[user(prompt)],
    )
    assert fake_anthropic.paths == ["/v1/messages/count_tokens"]
    assert_not_leaked(fake_anthropic, [*values, "Marie Curie", "marie.curie@sorbonne.fr"])
    assert counted.input_tokens == len(json.dumps(fake_anthropic.last)) // 4


# ------------------------------------------------------------------ answers: tool calls


def _tool_reply(body: dict[str, Any], **options: Any) -> Reply:
    """A tool call whose input quotes, at several depths, the (masked) e-mail it received."""
    token = first_token(last_text(body))
    return Reply(
        text="Sending.",
        tool_uses=[
            ToolUse(
                "send_mail",
                {
                    "to": token,
                    "subject": f"Re: {token}",
                    "retries": 3,
                    "envelope": {"cc": [token, "ops@corp.example"], "quoted": f'"{token}"'},
                },
            )
        ],
        **options,
    )


def last_text(body: dict[str, Any]) -> str:
    content = body["messages"][-1]["content"]
    return content if isinstance(content, str) else content[0]["text"]


EXPECTED_INPUT = {
    "to": "jean.dupont@orange.fr",
    "subject": "Re: jean.dupont@orange.fr",
    "retries": 3,
    "envelope": {
        "cc": ["jean.dupont@orange.fr", "ops@corp.example"],
        "quoted": '"jean.dupont@orange.fr"',
    },
}


async def test_tool_use_input_is_restored(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.reply_factory = _tool_reply
    answer = await client.messages.create(
        model=MODEL, max_tokens=64, messages=[user("Mail jean.dupont@orange.fr now.")]
    )
    assert answer.stop_reason == "tool_use"
    tool = answer.content[1]
    assert tool.type == "tool_use"
    assert tool.input == EXPECTED_INPUT
    assert (tool.id, tool.name) == ("toolu_01A09q90qw90lq917835lq9", "send_mail")
    # The app sends the call back with its result: masked again, to the same token.
    fake_anthropic.reply_factory = None
    await client.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=[
            user("Mail jean.dupont@orange.fr now."),
            {"role": "assistant", "content": answer.content},
            user([{"type": "tool_result", "tool_use_id": tool.id, "content": "sent"}]),
        ],
    )
    assert_not_leaked(fake_anthropic, ["jean.dupont@orange.fr"])
    sent_input = fake_anthropic.last["messages"][1]["content"][1]["input"]
    assert sent_input["retries"] == 3
    assert sent_input["to"] == first_token(fake_anthropic.received[0]["messages"][0]["content"])


async def test_streamed_tool_use_input_split_at_every_offset_is_restored(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    prompt = "Mail jean.dupont@orange.fr now."
    await client.messages.create(model=MODEL, max_tokens=64, messages=[user(prompt)])
    masked_json = json.dumps(_tool_reply(fake_anthropic.last).tool_uses[0].input)
    token = TOKEN_PATTERN.search(masked_json)
    assert token is not None
    for cut in range(token.start(), token.end() + 1):
        fake_anthropic.replies.append(
            _tool_reply(fake_anthropic.last, json_split_at=[cut, cut + 1], chunk_sizes=[50])
        )
        async with client.messages.stream(
            model=MODEL, max_tokens=64, messages=[user(prompt)]
        ) as stream:
            partial = ""
            async for event in stream:
                if event.type == "input_json":
                    partial += event.partial_json
            final = await stream.get_final_message()
        assert json.loads(partial) == EXPECTED_INPUT, f"cut at {cut}"
        tool = final.content[1]
        assert tool.type == "tool_use"
        assert tool.input == EXPECTED_INPUT, f"cut at {cut}"
    assert_not_leaked(fake_anthropic, ["jean.dupont@orange.fr"])


# ----------------------------------------------------------------- answers: streamed text


async def test_text_delta_placeholder_split_at_every_offset_is_restored(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    prompt = "Écrivez à jean.dupont@orange.fr."
    await client.messages.create(model=MODEL, max_tokens=64, messages=[user(prompt)])
    token = TOKEN_PATTERN.search(fake_anthropic.last["messages"][0]["content"])
    assert token is not None
    for cut in range(token.start(), token.end() + 1):
        fake_anthropic.replies.append(Reply(split_at=[cut, cut + 1]))
        assert streamed_text(await raw_events(client, prompt)) == prompt, f"cut at {cut}"


async def test_text_block_starting_with_part_of_a_placeholder(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    """Odd but valid: content_block_start already carries text, cut inside a placeholder."""
    prompt = "Écrivez à jean.dupont@orange.fr."
    await client.messages.create(model=MODEL, max_tokens=64, messages=[user(prompt)])
    start = fake_anthropic.last["messages"][0]["content"].index("<") + 5
    fake_anthropic.replies.append(Reply(start_text=start, chunk_sizes=[3]))
    async with client.messages.stream(
        model=MODEL, max_tokens=64, messages=[user(prompt)]
    ) as stream:
        final = await stream.get_final_message()
    assert final.content[0].type == "text"
    assert final.content[0].text == prompt


@pytest.mark.parametrize(
    "framing",
    [
        {"events_per_write": 4},
        {"events_per_write": 100},
        {"byte_chunks": 1},
        {"byte_chunks": 7},
    ],
    ids=["4-events-per-write", "all-in-one-write", "byte-by-byte", "7-bytes"],
)
async def test_odd_but_valid_framing_still_restores(
    framing: dict[str, Any], client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    prompt = "Zoë Ångström écrit à marie.curie@sorbonne.fr 🎉"
    fake_anthropic.replies.append(Reply(chunk_sizes=[2], **framing))
    async with client.messages.stream(
        model=MODEL, max_tokens=64, messages=[user(prompt)]
    ) as stream:
        text = "".join([piece async for piece in stream.text_stream])
    assert text == prompt
    assert "marie.curie@sorbonne.fr" not in fake_anthropic.everything_received()


async def test_held_text_is_released_before_its_block_stops(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    """`<B` could begin a placeholder, so it is held back; it must go out in a delta of its
    own block before that block's content_block_stop, not after, not lost."""
    fake_anthropic.replies.append(Reply(text="if a < b then <B", chunk_sizes=[15, 1]))
    events = await raw_events(client, "hi")
    kinds = [(e.type, getattr(e, "index", None)) for e in events]
    stop = kinds.index(("content_block_stop", 0))
    assert events[stop - 1].type == "content_block_delta"
    assert events[stop - 1].delta.type == "text_delta"
    assert events[stop - 1].delta.text.endswith("<B")
    assert streamed_text(events) == "if a < b then <B"


async def test_long_answer_with_many_tokens_streams_back_exactly(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    people = ["Jean Dupont", "Marie Curie", "John Smith"]
    prompt = " ".join(
        f"Line {i}: {people[i % 3]} wrote to user{i}@example.com about ticket {i}."
        for i in range(60)
    )
    fake_anthropic.replies.append(Reply(chunk_sizes=[1, 2, 3, 5, 8, 13]))
    async with client.messages.stream(
        model=MODEL, max_tokens=4096, messages=[user(prompt)]
    ) as stream:
        text = "".join([piece async for piece in stream.text_stream])
    assert text == prompt
    assert_not_leaked(fake_anthropic, ["user17@example.com", "Marie Curie"])


# -------------------------------------------------------------------------- thinking


async def test_thinking_is_passed_unchanged_both_ways(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    """Thinking is signed model output: never restored in answers (it stays what the model
    wrote, placeholders included) so the app can send it back byte-identical, and never
    rewritten in requests (that would invalidate the signature)."""
    prompt = "Mail jean.dupont@orange.fr now."

    def think(body: dict[str, Any]) -> Reply:
        token = first_token(last_text(body))
        return Reply(
            text=f"Mailing {token}.", thinking=Thinking(f"The user wants a mail sent to {token}.")
        )

    fake_anthropic.reply_factory = think
    answer = await client.messages.create(
        model=MODEL,
        max_tokens=2048,
        messages=[user(prompt)],
        thinking={"type": "enabled", "budget_tokens": 1024},
    )
    token = first_token(fake_anthropic.last["messages"][0]["content"])
    thinking, text = answer.content
    assert thinking.type == "thinking"
    assert text.type == "text"
    assert thinking.thinking == f"The user wants a mail sent to {token}."
    assert text.text == "Mailing jean.dupont@orange.fr."

    async with client.messages.stream(
        model=MODEL,
        max_tokens=2048,
        messages=[user(prompt)],
        thinking={"type": "enabled", "budget_tokens": 1024},
    ) as stream:
        final = await stream.get_final_message()
    streamed_thinking = final.content[0]
    assert streamed_thinking.type == "thinking"
    assert streamed_thinking.thinking == thinking.thinking
    assert streamed_thinking.signature == thinking.signature

    redacted = {"type": "redacted_thinking", "data": "EmwKAhgBEgy3va3pzix/LafPsn4a"}
    history: list[Any] = [
        user(prompt),
        {"role": "assistant", "content": [*answer.content[:1], redacted, *answer.content[1:]]},
        user("And to marie.curie@sorbonne.fr too."),
    ]
    await client.messages.create(model=MODEL, max_tokens=2048, messages=history)
    sent = fake_anthropic.last["messages"][1]["content"]
    assert sent[0] == {
        "type": "thinking",
        "thinking": thinking.thinking,
        "signature": thinking.signature,
    }
    assert sent[1] == redacted
    assert TOKEN_PATTERN.search(sent[2]["text"])
    assert_not_leaked(fake_anthropic, ["jean.dupont@orange.fr", "marie.curie@sorbonne.fr"])


# ---------------------------------------------------------------------------- refusals


async def _raw_post(
    server: TestServer, body: Any, path: str = "/anthropic/v1/messages", key: str = APP_KEY
) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            server.make_url(path),
            data=body if isinstance(body, bytes) else json.dumps(body),
            headers={
                "x-api-key": key,
                "anthropic-version": "2023-06-01",
                "Content-Type": "application/json",
            },
        ) as response,
    ):
        return response.status, await response.json()


IMAGE = {
    "type": "image",
    "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
}
PDF = {
    "type": "document",
    "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0xLjQ="},
}


@pytest.mark.parametrize(
    ("blocks", "kind"),
    [
        ([IMAGE], "image"),
        ([{"type": "tool_result", "tool_use_id": "toolu_1", "content": [IMAGE]}], "image"),
        ([{"type": "document", "source": {"type": "content", "content": [IMAGE]}}], "image"),
        ([PDF], "file"),
        ([{"type": "document", "source": {"type": "file", "file_id": "file_011CNha8iCJ"}}], "file"),
    ],
    ids=["image", "image-in-tool-result", "image-in-document", "pdf", "file-id"],
)
async def test_unscannable_content_is_refused_unless_the_policy_allows_it(
    blocks: list[Any],
    kind: str,
    start_voile: VoileFactory,
    anthropic_config: Callable[..., Config],
    policies_dir: Path,
    fake_anthropic: FakeAnthropic,
) -> None:
    write_policy(policies_dir, "visual", f"allow_unscannable: [{kind}]\n")
    config = anthropic_config(
        apps=[
            {"name": "support", "key": APP_KEY, "policy": "default"},
            {"name": "visual", "key": "vk-app-visual-1234", "policy": "visual"},
        ]
    )
    server = await start_voile(config)
    content = [{"type": "text", "text": "What is in this, Jean Dupont?"}, *blocks]
    async with client_for(server) as sdk:
        with pytest.raises(anthropic.BadRequestError) as caught:
            await sdk.messages.create(model=MODEL, max_tokens=64, messages=[user(content)])
        assert caught.value.error_code == "unscannable_content"
        assert caught.value.type == "invalid_request_error"
        assert fake_anthropic.received == []
    async with client_for(server, key="vk-app-visual-1234") as sdk:
        await sdk.messages.create(model=MODEL, max_tokens=64, messages=[user(content)])
    sent = fake_anthropic.last["messages"][0]["content"]
    assert sent[1:] == blocks  # allowed: forwarded as is
    assert "Jean Dupont" not in fake_anthropic.everything_received()


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"surprise": 1}, "surprise"),
        (
            {"mcp_servers": [{"type": "url", "url": "https://mcp.example", "name": "x"}]},
            "mcp_servers",
        ),
        (
            {"messages": [user([{"type": "text", "text": "hi", "extra": "Jean Dupont"}])]},
            "messages[0].content[0].extra",
        ),
        (
            {"messages": [user([{"type": "hologram", "data": "Jean Dupont"}])]},
            "messages[0].content[0]",
        ),
        (
            {
                "messages": [
                    user([{"type": "thinking", "thinking": "Jean Dupont", "signature": "x"}])
                ]
            },
            "messages[0].content[0]",
        ),
        ({"messages": [{"role": "wizard", "content": "hi"}]}, "messages[0].role"),
        (
            {"messages": [user([{"type": "text", "text": {"nested": "Jean Dupont"}}])]},
            "messages[0].content[0].text",
        ),
        (
            {
                "messages": [
                    user(
                        [
                            {
                                "type": "tool_use",
                                "id": "t",
                                "name": "n",
                                "input": {},
                                "secret": "Jean Dupont",
                            }
                        ]
                    )
                ]
            },
            "messages[0].content[0].secret",
        ),
    ],
    ids=[
        "top-level",
        "beta-field",
        "block-key",
        "block-type",
        "user-thinking",
        "role",
        "non-string-text",
        "tool-use-key",
    ],
)
async def test_unknown_fields_are_refused(
    body: dict[str, Any],
    param: str,
    voile: TestServer,
    make_config: Callable[..., Config],
    fake_anthropic: FakeAnthropic,
) -> None:
    request = {"model": MODEL, "max_tokens": 64, "messages": [user("hi")], **body}
    status, answer = await _raw_post(voile, request)
    assert status == 400
    assert answer == {
        "type": "error",
        "error": {
            "type": "invalid_request_error",
            "message": answer["error"]["message"],
            "details": {"error_code": "unsupported_field", "param": param},
        },
    }
    assert "Jean Dupont" not in answer["error"]["message"]
    assert fake_anthropic.received == []
    [record] = records(make_config())
    assert (record.decision, record.error_code) == (Decision.REJECTED.value, "unsupported_field")


async def test_count_tokens_refuses_fields_it_does_not_take(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    with pytest.raises(anthropic.BadRequestError, match="max_tokens"):
        await client.messages.count_tokens(
            model=MODEL, messages=[user("hi")], extra_body={"max_tokens": 5}
        )
    assert fake_anthropic.received == []


async def test_unknown_app_key_is_refused(voile: TestServer, fake_anthropic: FakeAnthropic) -> None:
    async with client_for(voile, key="vk-wrong") as sdk:
        with pytest.raises(anthropic.AuthenticationError) as caught:
            await sdk.messages.create(model=MODEL, max_tokens=64, messages=[user("hi")])
    assert caught.value.type == "authentication_error"
    assert caught.value.error_code == "invalid_api_key"
    assert fake_anthropic.received == []


async def test_unknown_route_is_404_in_anthropic_shape(voile: TestServer) -> None:
    status, answer = await _raw_post(voile, {"prompt": "x"}, path="/anthropic/v1/complete")
    assert status == 404
    assert answer["type"] == "error"
    assert answer["error"]["type"] == "not_found_error"
    async with client_for(voile) as sdk:
        with pytest.raises(anthropic.NotFoundError):
            await sdk.messages.batches.list()


async def test_blocked_entity_is_refused_naming_types_only(
    start_voile: VoileFactory,
    anthropic_config: Callable[..., Config],
    policies_dir: Path,
    fake_anthropic: FakeAnthropic,
) -> None:
    write_policy(policies_dir, "strict", "rules:\n  - {entity: IBAN_CODE, action: block}\n")
    config = anthropic_config(apps=[{"name": "bank", "key": APP_KEY, "policy": "strict"}])
    server = await start_voile(config)
    async with client_for(server) as sdk:
        with pytest.raises(anthropic.BadRequestError) as caught:
            await sdk.messages.create(
                model=MODEL,
                max_tokens=64,
                messages=[user("Jean Dupont, IBAN FR76 3000 6000 0112 3456 7890 189")],
            )
    assert caught.value.error_code == "pii_blocked"
    assert caught.value.type == "invalid_request_error"
    assert caught.value.api_message is not None
    assert "IBAN_CODE" in caught.value.api_message
    assert "FR76" not in caught.value.api_message
    assert fake_anthropic.received == []
    [record] = records(config)
    assert record.decision == Decision.BLOCKED.value


async def test_detector_failure_is_503_and_forwards_nothing(
    start_voile: VoileFactory,
    anthropic_config: Callable[..., Config],
    fake_anthropic: FakeAnthropic,
) -> None:
    server = await start_voile(anthropic_config(), with_detector=FailingDetector())
    async with client_for(server) as sdk:
        with pytest.raises(anthropic.APIStatusError) as caught:
            await sdk.messages.create(
                model=MODEL, max_tokens=64, messages=[user("Jean Dupont, jean.dupont@orange.fr")]
            )
    assert caught.value.status_code == 503
    assert caught.value.type == "api_error"
    assert caught.value.error_code == "detection_unavailable"
    assert fake_anthropic.received == []


# ------------------------------------------------------------------------ upstream errors


async def test_upstream_error_passes_through_restored(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    def quote_prompt(body: dict[str, Any]) -> Reply:
        return Reply(
            status=400,
            error_body={
                "type": "error",
                "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy",
                "error": {
                    "type": "invalid_request_error",
                    "message": f"messages.0: bad content: {last_text(body)}",
                },
            },
        )

    fake_anthropic.reply_factory = quote_prompt
    with pytest.raises(anthropic.BadRequestError) as caught:
        await client.messages.create(
            model=MODEL, max_tokens=64, messages=[user("Mail jean.dupont@orange.fr")]
        )
    assert caught.value.type == "invalid_request_error"
    assert caught.value.api_message == "messages.0: bad content: Mail jean.dupont@orange.fr"
    assert caught.value.request_id == "req_011CSHoEeqs5C35K2UUqR7Fy"
    assert "jean.dupont@orange.fr" not in fake_anthropic.everything_received()


async def test_upstream_overload_keeps_its_status_and_type(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.replies.append(
        Reply(
            status=529,
            error_body={
                "type": "error",
                "error": {"type": "overloaded_error", "message": "Overloaded"},
            },
        )
    )
    with pytest.raises(anthropic.OverloadedError) as caught:
        await client.messages.create(model=MODEL, max_tokens=64, messages=[user("hi")])
    assert caught.value.type == "overloaded_error"


async def test_in_stream_error_event_is_restored_and_raised(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.replies.append(Reply(chunk_sizes=[4], error_after_events=5))

    async def read_all() -> None:
        async with client.messages.stream(
            model=MODEL, max_tokens=64, messages=[user("Bonjour Jean Dupont")]
        ) as stream:
            async for _ in stream.text_stream:
                pass

    with pytest.raises(anthropic.APIStatusError) as caught:
        await read_all()
    assert caught.value.type == "overloaded_error"
    assert caught.value.api_message == "Overloaded"


async def test_stream_broken_by_upstream_ends_with_an_anthropic_error_event(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.replies.append(
        Reply(text="Hello Jean, how are you today?", chunk_sizes=[3], break_after_events=5)
    )
    stream = await client.messages.create(
        model=MODEL, max_tokens=64, messages=[user("hi")], stream=True
    )
    with pytest.raises(anthropic.APIStatusError) as caught:
        async for _ in stream:
            pass
    assert caught.value.type == "api_error"
    assert caught.value.error_code == "upstream_bad_response"


# ------------------------------------------------------------------ headers, models, audit


async def test_provider_key_is_injected_as_x_api_key_and_app_key_never_forwarded(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    await client.messages.create(
        model=MODEL,
        max_tokens=64,
        messages=[user("hi")],
        extra_headers={"anthropic-beta": "fast-mode-2026-02-01"},
    )
    headers = fake_anthropic.headers[-1]
    assert headers["x-api-key"] == PROVIDER_KEY
    assert "Authorization" not in headers
    assert headers["anthropic-version"]
    assert headers["anthropic-beta"] == "fast-mode-2026-02-01"
    assert "vk-app" not in json.dumps(headers)


async def test_models_listing_passes_through(
    client: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    models = await client.models.list()
    assert [m.id async for m in models] == [fake_anthropic.model]
    assert fake_anthropic.headers[-1]["x-api-key"] == PROVIDER_KEY


async def test_streamed_exchange_is_audited_with_usage(
    client: anthropic.AsyncAnthropic,
    make_config: Callable[..., Config],
    fake_anthropic: FakeAnthropic,
) -> None:
    fake_anthropic.replies.append(Reply(thinking=Thinking("Plan: greet."), chunk_sizes=[5]))
    async with client.messages.stream(
        model=MODEL, max_tokens=64, messages=[user("Bonjour, ici Jean Dupont.")]
    ) as stream:
        await stream.get_final_message()
    config = make_config()
    for _ in range(100):  # a stream's record lands once the proxy has closed it; bounded wait
        if found := records(config):
            break
        await asyncio.sleep(0.05)
    [record] = found
    assert (record.decision, record.status, record.provider, record.model) == (
        Decision.FORWARDED.value,
        200,
        "anthropic",
        MODEL,
    )
    assert (record.prompt_tokens, record.completion_tokens) == (USAGE_IN, USAGE_OUT)
    assert record.entity_counts == {"PERSON": 1}


# ---------------------------------------------- the format alone (sans-I/O, table-tested)

TOKENS = {"<PERSON_abcdef>": "Jean Dupont", "<EMAIL_ADDRESS_ghijkm>": 'jean."dupont"@orange.fr'}
POLICY = Policy("default", Path("default.yaml"), "0" * 64, PolicySpec())


def event(kind: str, **payload: Any) -> SSEEvent:
    return SSEEvent(event=kind, data=json.dumps({"type": kind, **payload}, separators=(",", ":")))


def delta(index: int, kind: str, key: str, value: str) -> SSEEvent:
    return event("content_block_delta", index=index, delta={"type": kind, key: value})


def replay(events: list[SSEEvent]) -> tuple[MessagesStreamRestorer, list[SSEEvent]]:
    restorer = MessagesStreamRestorer(TOKENS.get)
    out = [o for e in events for o in restorer.feed(e)]
    return restorer, [*out, *restorer.finish()]


def test_stream_events_needing_no_change_pass_as_received() -> None:
    events = [
        event(
            "message_start",
            message={
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "content": [],
                "usage": {"input_tokens": 9, "output_tokens": 1},
            },
        ),
        event("content_block_start", index=0, content_block={"type": "text", "text": ""}),
        SSEEvent(event="ping", data='{"type": "ping"}'),
        delta(0, "text_delta", "text", "Hello"),
        event("content_block_stop", index=0),
        event(
            "message_delta",
            delta={"stop_reason": "end_turn", "stop_sequence": None},
            usage={"output_tokens": 4},
        ),
        event("message_stop"),
        SSEEvent(comment="keep-alive"),
        event("some_future_event", payload="<PERSON_abcdef>"),
    ]
    restorer, out = replay(events)
    assert [encode_event(e) for e in out] == [encode_event(e) for e in events]
    assert restorer.usage == Usage(9, 4)


def test_a_text_placeholder_cut_anywhere_is_restored_and_released_before_its_stop() -> None:
    text = "Bonjour <PERSON_abcdef> et a < b <P"
    for cut in range(len(text) + 1):
        _, out = replay(
            [
                event("content_block_start", index=0, content_block={"type": "text", "text": ""}),
                delta(0, "text_delta", "text", text[:cut]),
                delta(0, "text_delta", "text", text[cut:]),
                event("content_block_stop", index=0),
                event("message_stop"),
            ]
        )
        payloads = [json.loads(e.data or "{}") for e in out]
        assert payloads[-2:] == [
            {"type": "content_block_stop", "index": 0},
            {"type": "message_stop"},
        ], f"cut at {cut}"
        assert "".join(p["delta"]["text"] for p in payloads if p["type"].endswith("delta")) == (
            "Bonjour Jean Dupont et a < b <P"
        ), f"cut at {cut}"


def test_partial_json_takes_json_escaped_values_and_each_block_its_own_restorer() -> None:
    arguments = json.dumps({"to": "<EMAIL_ADDRESS_ghijkm>", "name": "<PERSON_abcdef>"})
    _, out = replay(
        [
            event("content_block_start", index=0, content_block={"type": "text", "text": "<PER"}),
            event(
                "content_block_start",
                index=1,
                content_block={"type": "tool_use", "id": "toolu_1", "name": "send", "input": {}},
            ),
            *(
                delta(1, "input_json_delta", "partial_json", arguments[i : i + 3])
                for i in range(0, len(arguments), 3)
            ),
            delta(0, "text_delta", "text", "SON_abcdef>!"),
            event("content_block_stop", index=1),
            event("content_block_stop", index=0),
        ]
    )
    payloads = [json.loads(e.data or "{}") for e in out]
    partial = "".join(
        p["delta"].get("partial_json", "") for p in payloads if p["type"] == "content_block_delta"
    )
    assert json.loads(partial) == {"to": 'jean."dupont"@orange.fr', "name": "Jean Dupont"}
    text = payloads[0]["content_block"]["text"] + "".join(
        p["delta"].get("text", "") for p in payloads if p["type"] == "content_block_delta"
    )
    assert text == "Jean Dupont!"


def test_thinking_is_passed_and_citations_errors_and_stop_sequences_restored() -> None:
    thinking = delta(0, "thinking_delta", "thinking", "About <PERSON_abcdef>")
    restorer, out = replay(
        [
            event(
                "content_block_start",
                index=0,
                content_block={"type": "thinking", "thinking": "", "signature": ""},
            ),
            thinking,
            event(
                "content_block_delta",
                index=1,
                delta={
                    "type": "citations_delta",
                    "citation": {
                        "type": "char_location",
                        "cited_text": "<PERSON_abcdef>",
                        "document_index": 0,
                        "document_title": None,
                        "start_char_index": 0,
                        "end_char_index": 15,
                    },
                },
            ),
            event(
                "message_delta",
                delta={"stop_reason": "stop_sequence", "stop_sequence": "<PERSON_abcdef>:"},
                usage={"input_tokens": 30, "output_tokens": 8},
            ),
            event("error", error={"type": "api_error", "message": "bad <PERSON_unknwn>"}),
        ]
    )
    assert out[1] is thinking
    assert json.loads(out[2].data or "")["delta"]["citation"]["cited_text"] == "Jean Dupont"
    assert json.loads(out[3].data or "")["delta"]["stop_sequence"] == "Jean Dupont:"
    assert out[4].event == "error"
    assert restorer.usage == Usage(30, 8)
    assert restorer.transcript.as_dict() == {"0.thinking": "About <PERSON_abcdef>"}


def test_a_stream_event_that_is_not_json_is_a_protocol_error() -> None:
    with pytest.raises(UpstreamProtocolError):
        MessagesStreamRestorer(TOKENS.get).feed(SSEEvent(event="content_block_delta", data="{oops"))


def test_non_stream_answer_restores_all_but_thinking() -> None:
    answer: dict[str, Any] = {
        "id": "msg_1",
        "type": "message",
        "content": [
            {"type": "thinking", "thinking": "<PERSON_abcdef>", "signature": "sig"},
            {"type": "redacted_thinking", "data": "<PERSON_abcdef>"},
            {"type": "text", "text": "Hi <PERSON_abcdef>", "citations": None},
            {
                "type": "tool_use",
                "id": "t",
                "name": "n",
                "input": {"to": ["<EMAIL_ADDRESS_ghijkm>"]},
            },
        ],
        "stop_sequence": None,
    }
    count = RestoreCount()
    restored = Messages().restore(answer, TOKENS.get, count)
    assert restored["content"][:2] == answer["content"][:2]
    assert restored["content"][2]["text"] == "Hi Jean Dupont"
    assert restored["content"][3]["input"] == {"to": ['jean."dupont"@orange.fr']}
    assert (count.restored, list(restored)) == (2, list(answer))


@pytest.mark.parametrize(
    ("block", "scanned"),
    [
        (
            {
                "type": "web_fetch_tool_result",
                "tool_use_id": "s",
                "content": {
                    "type": "web_fetch_result",
                    "url": "https://x.example/jean",
                    "retrieved_at": "2025",
                    "content": {
                        "type": "document",
                        "title": "Jean",
                        "source": {"type": "text", "media_type": "text/plain", "data": "Dupont"},
                    },
                },
            },
            ["https://x.example/jean", "Jean", "Dupont"],
        ),
        (
            {
                "type": "code_execution_tool_result",
                "tool_use_id": "s",
                "content": {
                    "type": "code_execution_result",
                    "stdout": "out",
                    "stderr": "err",
                    "return_code": 0,
                    "content": [{"type": "code_execution_output", "file_id": "file_1"}],
                },
            },
            ["out", "err"],
        ),
        (
            {
                "type": "bash_code_execution_tool_result",
                "tool_use_id": "s",
                "content": {
                    "type": "bash_code_execution_tool_result_error",
                    "error_code": "unavailable",
                },
            },
            [],
        ),
        (
            {
                "type": "text_editor_code_execution_tool_result",
                "tool_use_id": "s",
                "content": {
                    "type": "text_editor_code_execution_str_replace_result",
                    "lines": ["a", "b"],
                    "new_lines": 2,
                },
            },
            ["a", "b"],
        ),
        (
            {
                "type": "tool_search_tool_result",
                "tool_use_id": "s",
                "content": {
                    "type": "tool_search_tool_search_result",
                    "tool_references": [{"type": "tool_reference", "tool_name": "t"}],
                },
            },
            [],
        ),
        (
            {
                "type": "tool_result",
                "tool_use_id": "t",
                "content": [
                    {
                        "type": "browser_state",
                        "tabs": [{"tab_id": "1", "title": "T", "url": "U"}],
                        "state_changes": [
                            {
                                "type": "download_failed",
                                "download_id": "d",
                                "url": "V",
                                "error": "E",
                            }
                        ],
                    },
                    {"type": "tool_reference", "tool_name": "lookup"},
                    {
                        "type": "search_result",
                        "source": "S",
                        "title": "Ti",
                        "content": [{"type": "text", "text": "X"}],
                    },
                ],
            },
            ["T", "U", "V", "E", "S", "Ti", "X"],
        ),
        (
            {
                "type": "document",
                "title": "Ti",
                "context": "C",
                "citations": {"enabled": True},
                "source": {"type": "content", "content": "plain"},
            },
            ["Ti", "C", "plain"],
        ),
    ],
    ids=[
        "web-fetch",
        "code-execution",
        "bash-error",
        "text-editor",
        "tool-search",
        "tool-result-blocks",
        "document-content-string",
    ],
)
def test_history_blocks_have_every_text_scanned(block: dict[str, Any], scanned: list[str]) -> None:
    body = {
        "model": MODEL,
        "max_tokens": 1,
        "messages": [{"role": "assistant", "content": [block]}],
    }
    assert messages_request_texts(body, POLICY).texts == scanned


@pytest.mark.parametrize(
    "block",
    [
        {
            "type": "code_execution_tool_result",
            "tool_use_id": "s",
            "content": {
                "type": "code_execution_result",
                "stdout": "o",
                "stderr": "",
                "return_code": 0,
                "content": [],
                "extra": "x",
            },
        },
        {
            "type": "web_search_tool_result",
            "tool_use_id": "s",
            "content": [
                {
                    "type": "web_search_result",
                    "title": "t",
                    "url": "u",
                    "encrypted_content": "e",
                    "snippet": "Jean Dupont",
                }
            ],
        },
        {"type": "document", "source": {"type": "text", "data": ["Jean"]}},
        {"type": "document", "source": {"type": "html", "data": "Jean"}},
        {"type": "text", "text": "t", "citations": [{"type": "new_location", "cited_text": "x"}]},
        {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "audio", "data": "x"}]},
    ],
    ids=[
        "result-key",
        "search-result-key",
        "non-string-data",
        "source-type",
        "citation-type",
        "tool-result-block",
    ],
)
def test_unknown_history_shapes_are_refused(block: dict[str, Any]) -> None:
    body = {"model": MODEL, "max_tokens": 1, "messages": [{"role": "user", "content": [block]}]}
    with pytest.raises(UnsupportedField):
        messages_request_texts(body, POLICY)


def test_count_tokens_never_streams_and_records_no_usage() -> None:
    endpoint = AnthropicFormat().route("POST", ("v1", "messages", "count_tokens")).endpoint
    assert isinstance(endpoint, CountTokens)
    assert endpoint.stream_restorer(TOKENS.get) is None
    assert endpoint.usage({"input_tokens": 12}) == Usage()


@pytest.mark.parametrize(
    ("error", "status", "kind"),
    [
        (BodyTooLarge("too big"), 413, "request_too_large"),
        (NotFound("nope"), 404, "not_found_error"),
        (UpstreamTimeout("slow"), 504, "timeout_error"),
        (UpstreamUnreachable("down"), 502, "api_error"),
        (MethodNotAllowed("no"), 405, "invalid_request_error"),
    ],
)
def test_errors_take_anthropic_types_by_status(error: VoileError, status: int, kind: str) -> None:
    assert error.status == status
    body = AnthropicFormat().error_body(error)
    assert body == {
        "type": "error",
        "error": {"type": kind, "message": error.message, "details": {"error_code": error.code}},
    }
    assert AnthropicFormat().error_event(error) == SSEEvent(event="error", data=json.dumps(body))
