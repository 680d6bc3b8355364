"""Structured outputs stay valid JSON once restored (issue 10, item 1).

When a request asks for JSON output (Chat `response_format`, Responses `text.format`,
Anthropic `output_config.format`), the answer's text is a JSON document whose placeholders
sit inside string literals, so restored values go back JSON-escaped, streamed or not, also
when a placeholder is cut across deltas. When the model answers JSON unasked, a whole answer
that parses as JSON, or a stream that starts like JSON (`proxy.restore.json_start`), is
restored the same way; prose keeps its values exactly as written. One mechanism for tool-call
arguments and answers: the endpoint bound to the request (`Endpoint.for_request`) says which
kind each text is, and the same `Restorer` with the same escape does the rest.

The sans-I/O part is table-driven; the end-to-end part runs the official SDKs' parse and
stream helpers through Voile against the fake providers, with values holding quotes,
backslashes, a line break and non-ASCII letters (found by the test policy's recognizers).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
from aiohttp.test_utils import TestServer
from anthropic.types import MessageParam
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel

from proxy.config import Config
from proxy.formats.anthropic_messages import Messages
from proxy.formats.base import Endpoint, EventRestorer, RestoreCount
from proxy.formats.openai_chat import ChatCompletions
from proxy.formats.openai_completions import Completions
from proxy.formats.openai_embeddings import Embeddings
from proxy.formats.openai_responses import Responses
from proxy.placeholders import TOKEN_PATTERN, Vault
from proxy.restore import (
    Restorer,
    SniffingRestorer,
    TextKind,
    escape_for,
    identity,
    json_start,
    json_string_escape,
    restorer_for,
)
from proxy.sse import SSEEvent
from tests.fakes import anthropic_provider, openai_provider
from tests.fakes.anthropic_provider import FakeAnthropic
from tests.fakes.openai_provider import FakeOpenAI
from tests.proxy.conftest import APP_KEY, VoileFactory
from tests.proxy.support import assert_not_leaked, both_providers, write_policy

# ------------------------------------------------------------------------ sans-I/O tables

VAULT = Vault(secret=b"voile-structured-outputs")
NAME = 'Jean "Jeannot" Dupont'
ADDRESS = "12 rue des Lilas\n75011 Paris"
FOLDER = "C:\\Users\\jdupont"
COLLEAGUE = "Zoë Ångström"
VALUES = {"name": NAME, "address": ADDRESS, "folder": FOLDER, "colleague": COLLEAGUE}
TOKENS = {field: VAULT.token_for("PERSON", value) for field, value in VALUES.items()}
MASKED_JSON = json.dumps(TOKENS, indent=2)  # what the model writes: tokens in strings


def lookup(token: str) -> str | None:
    return VAULT.value_of(token)


@pytest.mark.parametrize(
    ("start", "decision"),
    [
        ("", None),
        ("  \n\t", None),
        ("[", None),
        (" [ \n", None),
        ("{", True),
        ("\n  {", True),
        ("[{", True),
        ("[ [", True),
        ('["a"', True),
        ("[]", True),
        ("[1]", False),
        ("[Jean Dupont](mailto:", False),
        ("[note]", False),
        ("Hello", False),
        ("<PERSON_", False),
        ('"a"', False),
        ("```json\n{", False),
    ],
)
def test_a_stream_is_json_text_when_it_starts_like_a_json_document(
    start: str, decision: bool | None
) -> None:
    assert json_start(start) is decision


@pytest.mark.parametrize(
    ("kind", "text", "streamed", "escape"),
    [
        (TextKind.JSON, "no JSON at all <PERSON_x", False, json_string_escape),
        (TextKind.PLAIN, MASKED_JSON, False, identity),
        (TextKind.SNIFF, MASKED_JSON, False, json_string_escape),
        (TextKind.SNIFF, MASKED_JSON[:-5], False, identity),  # cut: not JSON as a whole answer
        (TextKind.SNIFF, MASKED_JSON[:-5], True, json_string_escape),  # but as a stream's start
        (TextKind.SNIFF, f"Write to {TOKENS['name']}.", False, identity),
        (TextKind.SNIFF, f"[{TOKENS['name']}](mailto:x)", True, identity),
    ],
)
def test_a_whole_text_is_json_text_by_its_kind_or_by_parsing(
    kind: TextKind, text: str, streamed: bool, escape: Callable[[str], str]
) -> None:
    assert escape_for(kind, text, streamed=streamed) is escape


def _stream(restorer: Restorer, pieces: list[str]) -> str:
    return "".join(restorer.feed(piece) for piece in pieces) + restorer.flush()


@pytest.mark.parametrize("kind", [TextKind.JSON, TextKind.SNIFF])
def test_json_text_cut_anywhere_restores_to_valid_json(kind: TextKind) -> None:
    """Every placeholder cut at every offset: the document parses, with the values."""
    for match in TOKEN_PATTERN.finditer(MASKED_JSON):
        for cut in range(match.start(), match.end() + 1):
            pieces = [MASKED_JSON[:cut], MASKED_JSON[cut : cut + 1], MASKED_JSON[cut + 1 :]]
            restored = _stream(restorer_for(lookup, kind), pieces)
            assert json.loads(restored) == VALUES, f"cut at {cut}"


def test_prose_keeps_its_values_as_written_however_it_is_cut() -> None:
    prose = f"[Contact]: {TOKENS['name']}, {TOKENS['address']} ({TOKENS['folder']})"
    expected = f"[Contact]: {NAME}, {ADDRESS} ({FOLDER})"
    for cut in range(len(prose) + 1):
        assert _stream(SniffingRestorer(lookup), [prose[:cut], prose[cut:]]) == expected


def test_the_sniffing_restorer_holds_nothing_for_its_decision() -> None:
    restorer = SniffingRestorer(lookup)
    assert (restorer.feed(" \n"), restorer.is_json) == (" \n", None)
    assert (restorer.feed("["), restorer.is_json) == ("[", None)
    assert (restorer.feed(f'"{TOKENS["address"]}"]'), restorer.is_json) == (
        json.dumps(ADDRESS, ensure_ascii=False) + "]",
        True,
    )
    assert restorer.restored == 1


# Requests and the kind of their answer's text.
KIND_CASES: list[tuple[Endpoint, dict[str, Any], TextKind]] = [
    (
        ChatCompletions(),
        {"response_format": {"type": "json_schema", "json_schema": {}}},
        TextKind.JSON,
    ),
    (ChatCompletions(), {"response_format": {"type": "json_object"}}, TextKind.JSON),
    (ChatCompletions(), {"response_format": {"type": "text"}}, TextKind.SNIFF),
    (ChatCompletions(), {}, TextKind.SNIFF),
    (Responses(), {"text": {"format": {"type": "json_schema"}}}, TextKind.JSON),
    (Responses(), {"text": {"verbosity": "low"}}, TextKind.SNIFF),
    (
        Messages(),
        {"output_config": {"format": {"type": "json_schema", "schema": {}}}},
        TextKind.JSON,
    ),
    (Messages(), {"output_config": {"effort": "low"}}, TextKind.SNIFF),
    (Completions(), {}, TextKind.SNIFF),
    (Embeddings(), {}, TextKind.PLAIN),
]


@pytest.mark.parametrize(("endpoint", "body", "kind"), KIND_CASES)
def test_the_request_decides_the_kind_of_its_answer_text(
    endpoint: Endpoint, body: dict[str, Any], kind: TextKind
) -> None:
    bound = endpoint.for_request(body)
    assert bound.answer.kind is kind
    assert type(bound) is type(endpoint)
    assert endpoint.answer.kind is TextKind.PLAIN  # the shared endpoint is left as it was


def _chat_answer(content: str, refusal: str | None = None) -> dict[str, Any]:
    return {
        "id": "c",
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
    }


def test_whole_answers_restore_json_content_escaped_and_the_rest_as_written() -> None:
    refusal = f"I cannot write to {TOKENS['address']}."
    chat = ChatCompletions().for_request({"response_format": {"type": "json_object"}})
    restored = chat.restore(_chat_answer(MASKED_JSON, refusal), lookup, count := RestoreCount())
    message = restored["choices"][0]["message"]
    assert json.loads(message["content"]) == VALUES
    assert message["refusal"] == f"I cannot write to {ADDRESS}."  # prose: as written
    assert count.restored == 5

    unasked = ChatCompletions().for_request({})
    for content, parse in ((MASKED_JSON, True), (f"To {TOKENS['address']}", False)):
        message = unasked.restore(_chat_answer(content), lookup, RestoreCount())
        text = message["choices"][0]["message"]["content"]
        assert json.loads(text) == VALUES if parse else text == f"To {ADDRESS}"

    responses = Responses().for_request({"text": {"format": {"type": "json_object"}}})
    answer: dict[str, Any] = {
        "object": "response",
        "output": [
            {
                "type": "message",
                "content": [{"type": "output_text", "text": MASKED_JSON, "annotations": []}],
            },
            {"type": "reasoning", "summary": [{"type": "summary_text", "text": TOKENS["address"]}]},
        ],
    }
    output = responses.restore(answer, lookup, RestoreCount())["output"]
    assert json.loads(output[0]["content"][0]["text"]) == VALUES
    assert output[1]["summary"][0]["text"] == ADDRESS

    messages = Messages().for_request({"output_config": {"format": {"type": "json_schema"}}})
    message = messages.restore(
        {
            "type": "message",
            "content": [
                {"type": "thinking", "thinking": MASKED_JSON, "signature": "s"},
                {"type": "text", "text": MASKED_JSON},
            ],
        },
        lookup,
        RestoreCount(),
    )
    assert message["content"][0]["thinking"] == MASKED_JSON  # signed: never restored
    assert json.loads(message["content"][1]["text"]) == VALUES


def _feed_all(restorer: EventRestorer, events: list[SSEEvent]) -> list[dict[str, Any]]:
    out = [event for each in events for event in restorer.feed(each)] + restorer.finish()
    return [
        json.loads(event.data)
        for event in out
        if event.data is not None and event.data.strip() != "[DONE]"
    ]


def _chat_chunks(pieces: list[str]) -> list[SSEEvent]:
    chunks: list[dict[str, Any]] = [
        {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
        for piece in pieces
    ]
    chunks.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return [SSEEvent(data=json.dumps(chunk)) for chunk in chunks]


@pytest.mark.parametrize("body", [{"response_format": {"type": "json_object"}}, {}])
def test_a_chat_stream_of_json_cut_anywhere_restores_to_valid_json(body: dict[str, Any]) -> None:
    """Asked for, or sniffed from its start: the streamed content parses, cut anywhere."""
    endpoint = ChatCompletions().for_request(body)
    for match in TOKEN_PATTERN.finditer(MASKED_JSON):
        for cut in range(match.start(), match.end() + 1):
            restorer = endpoint.stream_restorer(lookup)
            assert restorer is not None
            chunks = _feed_all(
                restorer,
                _chat_chunks(
                    [MASKED_JSON[:cut], MASKED_JSON[cut : cut + 2], MASKED_JSON[cut + 2 :]]
                ),
            )
            content = "".join(
                choice["delta"].get("content", "")
                for chunk in chunks
                for choice in chunk["choices"]
            )
            assert json.loads(content) == VALUES, f"cut at {cut}"


def test_a_responses_stream_judges_deltas_and_whole_texts_alike() -> None:
    """Unasked JSON cut short (not valid as a whole): the deltas were judged by their start,
    so the `.done` text and the snapshot take the same escape, and all three agree."""
    text = MASKED_JSON[:-3]
    endpoint = Responses().for_request({})
    restorer = endpoint.stream_restorer(lookup)
    assert restorer is not None
    part = {"type": "output_text", "text": text, "annotations": []}
    events: list[dict[str, Any]] = [
        {
            "type": "response.output_text.delta",
            "item_id": "m",
            "output_index": 0,
            "content_index": 0,
            "delta": text[:20],
            "sequence_number": 1,
        },
        {
            "type": "response.output_text.delta",
            "item_id": "m",
            "output_index": 0,
            "content_index": 0,
            "delta": text[20:],
            "sequence_number": 2,
        },
        {
            "type": "response.output_text.done",
            "item_id": "m",
            "output_index": 0,
            "content_index": 0,
            "text": text,
            "sequence_number": 3,
        },
        {
            "type": "response.content_part.done",
            "item_id": "m",
            "output_index": 0,
            "content_index": 0,
            "part": part,
            "sequence_number": 4,
        },
        {
            "type": "response.completed",
            "sequence_number": 5,
            "response": {"object": "response", "output": [{"type": "message", "content": [part]}]},
        },
    ]
    out = _feed_all(restorer, [SSEEvent(event=e["type"], data=json.dumps(e)) for e in events])
    streamed = "".join(e["delta"] for e in out if e["type"] == "response.output_text.delta")
    done = next(e["text"] for e in out if e["type"] == "response.output_text.done")
    part_text = next(e["part"]["text"] for e in out if e["type"] == "response.content_part.done")
    snapshot = next(e for e in out if e["type"] == "response.completed")
    assert streamed == done == part_text == snapshot["response"]["output"][0]["content"][0]["text"]
    assert json.loads(done + '"\n}') == VALUES  # escaped: completed, it is valid JSON


# --------------------------------------------------------------------- through the SDKs

POLICY = r"""
recognizers:
  - {entity: NICKNAMED_PERSON, patterns: [{regex: 'Jean "Jeannot" Dupont', score: 1.0}]}
  - {entity: POSTAL_ADDRESS, patterns: [{regex: '12 rue des Lilas\n75011 Paris', score: 1.0}]}
  - {entity: WINDOWS_PATH, patterns: [{regex: 'C:\\Users\\jdupont', score: 1.0}]}
  - {entity: COLLEAGUE, patterns: [{regex: 'Zoë Ångström', score: 1.0}]}
"""
PROMPT = (
    f"Customer {NAME} lives at {ADDRESS}, keeps files in {FOLDER} and works with "
    f"{COLLEAGUE}. Extract the customer."
)
MODEL = "gpt-4o-mini"
CLAUDE = "claude-sonnet-4-6"


class Customer(BaseModel):
    name: str
    address: str
    folder: str
    colleague: str


EXPECTED = Customer(**VALUES)


def json_reply(masked_prompt: str, *, lead: str = "", indent: int | None = 2) -> str:
    """The model's JSON answer: the placeholders it was given, in string literals."""
    tokens = [match.group() for match in TOKEN_PATTERN.finditer(masked_prompt)]
    assert len(tokens) == len(VALUES), "the prompt reached the provider unmasked"
    return lead + json.dumps(dict(zip(VALUES, tokens, strict=True)), indent=indent)


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
    policies_dir: Path,
) -> TestServer:
    """Voile in front of the fake OpenAI (`openai`) and Anthropic (`anthropic`), for an app
    whose policy finds the test values."""
    write_policy(policies_dir, "structured", POLICY)
    anthropic_upstream: TestServer = await aiohttp_server(fake_anthropic.app())
    return await start_voile(
        make_config(
            providers=both_providers(upstream, anthropic_upstream),
            apps=[{"name": "crm", "key": APP_KEY, "policy": "structured"}],
        )
    )


@pytest.fixture
async def client(voile: TestServer) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(
        base_url=str(voile.make_url("/openai/v1")), api_key=APP_KEY, max_retries=0
    ) as sdk:
        yield sdk


@pytest.fixture
async def claude(voile: TestServer) -> AsyncIterator[anthropic.AsyncAnthropic]:
    async with anthropic.AsyncAnthropic(
        base_url=str(voile.make_url("/anthropic")), api_key=APP_KEY, max_retries=0
    ) as sdk:
        yield sdk


def chat_json(body: dict[str, Any]) -> openai_provider.Reply:
    return openai_provider.Reply(
        content=json_reply(openai_provider.last_user_text(body)), chunk_sizes=[3]
    )


def responses_json(body: dict[str, Any]) -> openai_provider.Reply:
    return openai_provider.Reply(
        content=json_reply(openai_provider.responses_user_text(body)), chunk_sizes=[3]
    )


def claude_json(body: dict[str, Any]) -> anthropic_provider.Reply:
    return anthropic_provider.Reply(
        text=json_reply(anthropic_provider.last_user_text(body), indent=None), chunk_sizes=[3]
    )


USER: list[ChatCompletionMessageParam] = [{"role": "user", "content": PROMPT}]
CLAUDE_USER: list[MessageParam] = [{"role": "user", "content": PROMPT}]


async def test_chat_parse_gets_the_values_back_in_valid_json(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = chat_json
    completion = await client.chat.completions.parse(
        model=MODEL, messages=USER, response_format=Customer
    )
    assert completion.choices[0].message.parsed == EXPECTED
    assert fake_openai.last["response_format"]["type"] == "json_schema"
    assert_not_leaked(fake_openai, list(VALUES.values()))


@pytest.mark.parametrize("helper", ["chat", "beta.chat"])
async def test_chat_stream_helper_parses_values_cut_across_deltas(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI, helper: str
) -> None:
    fake_openai.reply_factory = chat_json  # 3 characters a delta: every placeholder is cut
    completions = client.beta.chat.completions if helper == "beta.chat" else client.chat.completions
    async with completions.stream(model=MODEL, messages=USER, response_format=Customer) as stream:
        events = [event async for event in stream]
        final = await stream.get_final_completion()
    assert final.choices[0].message.parsed == EXPECTED
    done = [event for event in events if event.type == "content.done"]
    assert [event.parsed for event in done] == [EXPECTED]
    assert_not_leaked(fake_openai, list(VALUES.values()))


async def test_responses_parse_gets_the_values_back_in_valid_json(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = responses_json
    response = await client.responses.parse(model=MODEL, input=PROMPT, text_format=Customer)
    assert response.output_parsed == EXPECTED
    assert fake_openai.last["text"]["format"]["type"] == "json_schema"


async def test_responses_stream_helper_parses_values_cut_across_deltas(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = responses_json
    async with client.responses.stream(model=MODEL, input=PROMPT, text_format=Customer) as stream:
        events = [event async for event in stream]
        final = await stream.get_final_response()
    assert final.output_parsed == EXPECTED
    done = [event for event in events if event.type == "response.output_text.done"]
    assert [event.parsed for event in done] == [EXPECTED]
    assert_not_leaked(fake_openai, list(VALUES.values()))


async def test_anthropic_messages_parse_gets_the_values_back_in_valid_json(
    claude: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.reply_factory = claude_json
    message = await claude.messages.parse(
        model=CLAUDE, max_tokens=256, messages=CLAUDE_USER, output_format=Customer
    )
    assert message.parsed_output == EXPECTED
    assert fake_anthropic.last["output_config"]["format"]["type"] == "json_schema"
    assert_not_leaked(fake_anthropic, list(VALUES.values()))


async def test_anthropic_stream_with_an_output_format_parses_values_cut_across_deltas(
    claude: anthropic.AsyncAnthropic, fake_anthropic: FakeAnthropic
) -> None:
    fake_anthropic.reply_factory = claude_json
    async with claude.messages.stream(
        model=CLAUDE, max_tokens=256, messages=CLAUDE_USER, output_format=Customer
    ) as stream:
        text = "".join([chunk async for chunk in stream.text_stream])
        final = await stream.get_final_message()
    assert Customer.model_validate_json(text) == EXPECTED
    assert final.parsed_output == EXPECTED


async def test_unasked_json_stays_valid_json_streamed_or_not(
    client: openai.AsyncOpenAI,
    claude: anthropic.AsyncAnthropic,
    fake_openai: FakeOpenAI,
    fake_anthropic: FakeAnthropic,
) -> None:
    """No response format: the model answers JSON anyway (prompted "answer in JSON"), after
    some whitespace. A whole answer parses before restoration, a stream starts with `{`."""

    def unasked(body: dict[str, Any]) -> openai_provider.Reply:
        return openai_provider.Reply(
            content=json_reply(openai_provider.last_user_text(body), lead="\n "), chunk_sizes=[3]
        )

    fake_openai.reply_factory = unasked
    whole = await client.chat.completions.create(model=MODEL, messages=USER)
    assert json.loads(whole.choices[0].message.content or "") == VALUES
    stream = await client.chat.completions.create(model=MODEL, messages=USER, stream=True)
    streamed = "".join(
        [chunk.choices[0].delta.content or "" async for chunk in stream if chunk.choices]
    )
    assert json.loads(streamed) == VALUES

    fake_anthropic.reply_factory = claude_json
    message = await claude.messages.create(model=CLAUDE, max_tokens=256, messages=CLAUDE_USER)
    block = message.content[0]
    assert block.type == "text"
    assert json.loads(block.text) == VALUES


async def test_prose_gets_its_values_exactly_as_written(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    """Not JSON: a Markdown link first, then the values; whole and streamed alike."""

    def prose(body: dict[str, Any]) -> openai_provider.Reply:
        tokens = [m.group() for m in TOKEN_PATTERN.finditer(openai_provider.last_user_text(body))]
        return openai_provider.Reply(
            content=f"[{tokens[0]}](crm://1) lives at {tokens[1]}.", chunk_sizes=[3]
        )

    expected = f"[{NAME}](crm://1) lives at {ADDRESS}."
    fake_openai.reply_factory = prose
    whole = await client.chat.completions.create(model=MODEL, messages=USER)
    assert whole.choices[0].message.content == expected
    stream = await client.chat.completions.create(model=MODEL, messages=USER, stream=True)
    assert (
        "".join([chunk.choices[0].delta.content or "" async for chunk in stream if chunk.choices])
        == expected
    )


async def test_legacy_completions_keep_unasked_json_valid(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    def completion(body: dict[str, Any]) -> openai_provider.Reply:
        return openai_provider.Reply(content=json_reply(body["prompt"]), chunk_sizes=[3])

    fake_openai.reply_factory = completion
    whole = await client.completions.create(model=MODEL, prompt=PROMPT)
    assert json.loads(whole.choices[0].text) == VALUES
    stream = await client.completions.create(model=MODEL, prompt=PROMPT, stream=True)
    assert (
        json.loads("".join([chunk.choices[0].text async for chunk in stream if chunk.choices]))
        == VALUES
    )
