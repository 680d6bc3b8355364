"""The Responses API through Voile with the official `openai` SDK: every input item and field
is masked or refused, answers and streams come back restored, event by event."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import openai
import pytest
from aiohttp.test_utils import TestServer

from audit.events import Decision
from proxy.config import Config
from proxy.formats.openai_responses import Responses, ResponsesStreamRestorer
from proxy.placeholders import TOKEN_PATTERN
from proxy.sse import SSEEvent
from tests.fakes.openai_provider import FakeOpenAI, Reply, ToolCall, responses_user_text
from tests.proxy.conftest import APP_KEY, VoileFactory, audit_store_of, client_for
from tests.proxy.support import PROMPTS, assert_not_leaked

MAIL_PROMPT = "Écrivez à jean.dupont@orange.fr avant lundi."


def assert_sequence(events: list[Any]) -> None:
    """What OpenAI promises and clients rely on: unique, increasing, gap-free numbers."""
    numbers = [event.sequence_number for event in events]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def of_type(events: list[Any], kind: str) -> list[Any]:
    return [event for event in events if event.type == kind]


async def stream_events(client: openai.AsyncOpenAI, **params: Any) -> list[Any]:
    stream = await client.responses.create(model="gpt-4o-mini", stream=True, **params)
    return [event async for event in stream]


def masked_token(fake: FakeOpenAI) -> str:
    token = TOKEN_PATTERN.search(responses_user_text(fake.last))
    assert token is not None
    return token.group()


# ---------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("case", sorted(PROMPTS))
async def test_string_input_is_masked_and_the_answer_restored(
    case: str, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt, values = PROMPTS[case]
    answer = await client.responses.create(model="gpt-4o-mini", input=prompt)
    assert_not_leaked(fake_openai, values)
    assert TOKEN_PATTERN.search(fake_openai.last["input"])
    assert answer.output_text == prompt  # the fake echoed placeholders
    assert answer.usage is not None
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (11, 7)


@pytest.mark.parametrize("case", sorted(PROMPTS))
async def test_stream_events_are_restored_consistently(
    case: str, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt, values = PROMPTS[case]
    fake_openai.replies.append(Reply(chunk_sizes=[3, 5, 1, 7]))
    events = await stream_events(client, input=prompt)
    assert_not_leaked(fake_openai, values)
    assert_sequence(events)
    assert "".join(e.delta for e in of_type(events, "response.output_text.delta")) == prompt
    [done] = of_type(events, "response.output_text.done")
    assert done.text == prompt
    [part] = of_type(events, "response.content_part.done")
    assert part.part.text == prompt
    [item] = of_type(events, "response.output_item.done")
    assert item.item.content[0].text == prompt
    [completed] = of_type(events, "response.completed")
    assert completed.response.output_text == prompt
    assert completed.response.id == "resp_fake123"


async def test_sdk_stream_helper_accumulates_the_restored_text(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.replies.append(Reply(chunk_sizes=[2, 9]))
    async with client.responses.stream(model="gpt-4o-mini", input=MAIL_PROMPT) as stream:
        snapshots = [e.snapshot async for e in stream if e.type == "response.output_text.delta"]
        final = await stream.get_final_response()
    assert snapshots[-1] == MAIL_PROMPT
    assert final.output_text == MAIL_PROMPT
    assert "jean.dupont@orange.fr" not in fake_openai.everything_received()


async def test_placeholder_cut_at_every_offset_of_output_text_is_restored(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    await client.responses.create(model="m", input=MAIL_PROMPT)
    masked = fake_openai.last["input"]
    token = TOKEN_PATTERN.search(masked)
    assert token is not None
    for cut in range(token.start(), token.end() + 1):
        fake_openai.replies.append(Reply(split_at=[cut, cut + 1]))
        events = await stream_events(client, input=MAIL_PROMPT)
        deltas = [e.delta for e in of_type(events, "response.output_text.delta")]
        assert "".join(deltas) == MAIL_PROMPT, f"cut at {cut}"
        assert of_type(events, "response.output_text.done")[0].text == MAIL_PROMPT
        assert_sequence(events)


def _ends_with_token_prefix(body: dict[str, Any]) -> Reply:
    """An answer whose last characters could still begin a placeholder: held to the end."""
    return Reply(content=responses_user_text(body) + " <EMAIL_ADDR", chunk_sizes=[4])


async def test_text_held_at_the_end_is_released_before_done(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = _ends_with_token_prefix
    expected = MAIL_PROMPT + " <EMAIL_ADDR"
    events = await stream_events(client, input=MAIL_PROMPT)
    assert_sequence(events)
    kinds = [e.type for e in events]
    done_at = kinds.index("response.output_text.done")
    synthetic = events[done_at - 1]
    assert synthetic.type == "response.output_text.delta"
    assert synthetic.delta == "<EMAIL_ADDR"
    assert (synthetic.item_id, synthetic.output_index, synthetic.content_index) == (
        "msg_fake123",
        0,
        0,
    )
    assert "".join(e.delta for e in of_type(events, "response.output_text.delta")) == expected
    assert events[done_at].text == expected
    async with client.responses.stream(model="m", input=MAIL_PROMPT) as stream:
        snapshots = [e.snapshot async for e in stream if e.type == "response.output_text.delta"]
        final = await stream.get_final_response()
    assert snapshots[-1] == expected
    assert final.output_text == expected


async def test_sse_bytes_cut_one_by_one_still_restore(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    prompt = "Zoë Ångström écrit à marie.curie@sorbonne.fr 🎉"
    fake_openai.replies.append(Reply(byte_chunks=1, chunk_sizes=[2]))
    events = await stream_events(client, input=prompt)
    assert "".join(e.delta for e in of_type(events, "response.output_text.delta")) == prompt
    assert of_type(events, "response.completed")[0].response.output_text == prompt
    assert "marie.curie@sorbonne.fr" not in fake_openai.everything_received()


# ---------------------------------------------------------------------------- function calls


def _mail_call(
    body: dict[str, Any], sizes: list[int] | None = None, split_at: list[int] | None = None
) -> Reply:
    """A function call whose arguments quote the (masked) e-mail the provider received."""
    token = TOKEN_PATTERN.search(responses_user_text(body))
    assert token is not None
    arguments = json.dumps({"to": token.group(), "subject": f"Re: {token.group()}"})
    return Reply(
        tool_calls=[ToolCall("send_mail", arguments)], chunk_sizes=sizes, split_at=split_at
    )


EXPECTED_ARGUMENTS = {"to": "jean.dupont@orange.fr", "subject": "Re: jean.dupont@orange.fr"}


async def test_function_call_arguments_are_restored_as_valid_json(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = _mail_call
    answer = await client.responses.create(model="m", input=MAIL_PROMPT)
    [call] = answer.output
    assert call.type == "function_call"
    assert json.loads(call.arguments) == EXPECTED_ARGUMENTS
    assert call.call_id == "call_abc123"


async def test_streamed_function_call_arguments_are_restored_everywhere(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    fake_openai.reply_factory = lambda body: _mail_call(body, sizes=[2, 3])
    events = await stream_events(client, input=MAIL_PROMPT)
    assert_sequence(events)
    deltas = of_type(events, "response.function_call_arguments.delta")
    assert json.loads("".join(e.delta for e in deltas)) == EXPECTED_ARGUMENTS
    [done] = of_type(events, "response.function_call_arguments.done")
    assert json.loads(done.arguments) == EXPECTED_ARGUMENTS
    [item] = of_type(events, "response.output_item.done")
    assert json.loads(item.item.arguments) == EXPECTED_ARGUMENTS
    [completed] = of_type(events, "response.completed")
    assert json.loads(completed.response.output[0].arguments) == EXPECTED_ARGUMENTS


async def test_placeholder_cut_at_every_offset_of_arguments_is_restored(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    await client.responses.create(model="m", input=MAIL_PROMPT)
    token = masked_token(fake_openai)
    start = len('{"to": "')
    for cut in range(start, start + len(token) + 1):
        fake_openai.reply_factory = lambda body, c=cut: _mail_call(body, split_at=[c, c + 1])
        async with client.responses.stream(model="m", input=MAIL_PROMPT) as stream:
            deltas = [
                e.delta async for e in stream if e.type == "response.function_call_arguments.delta"
            ]
            final = await stream.get_final_response()
        assert json.loads("".join(deltas)) == EXPECTED_ARGUMENTS, f"cut at {cut}"
        call = final.output[0]
        assert call.type == "function_call"
        assert json.loads(call.arguments) == EXPECTED_ARGUMENTS


async def test_function_calling_loop_sends_the_output_items_back_masked(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    """The app sends the SDK's own output objects back with its function result: the provider
    gets exactly the arguments it wrote, tokens and all, and never the restored values."""
    fake_openai.reply_factory = _mail_call
    tools: Any = [{"type": "function", "name": "send_mail", "parameters": {"type": "object"}}]
    first = await client.responses.create(model="m", input=MAIL_PROMPT, tools=tools)
    token = masked_token(fake_openai)
    fake_openai.reply_factory = None
    call = first.output[0]
    assert call.type == "function_call"
    second = await client.responses.create(
        model="m",
        tools=tools,
        input=[
            {"role": "user", "content": MAIL_PROMPT},
            *first.output,  # type: ignore[list-item]
            {
                "type": "function_call_output",
                "call_id": call.call_id,
                "output": json.dumps({"delivered_to": "jean.dupont@orange.fr"}),
            },
            {"role": "user", "content": "Thanks!"},
        ],
    )
    assert "jean.dupont@orange.fr" not in fake_openai.everything_received()
    sent = fake_openai.last["input"]
    assert json.loads(sent[1]["arguments"]) == {"to": token, "subject": f"Re: {token}"}
    assert sent[1]["call_id"] == call.call_id
    assert json.loads(sent[2]["output"]) == {"delivered_to": token}
    assert second.output_text == "Thanks!"


# ---------------------------------------------------------------------------- request coverage

FIELD_VALUES = {
    "instructions": "inst@example.com",
    "system": "sys@example.com",
    "developer": "dev@example.com",
    "assistant_text": "asst@example.com",
    "output_text": "out@example.com",
    "annotation": "cite@example.com",
    "refusal": "refusal@example.com",
    "summary": "sum@example.com",
    "reasoning_text": "think@example.com",
    "arguments": "args@example.com",
    "arguments_list": "cc@example.com",
    "output_parts": "part@example.com",
    "user_message": "last@example.com",
    "metadata": "meta@example.com",
    "user": "user@example.com",
    "safety_identifier": "safety@example.com",
    "prompt_cache_key": "cache@example.com",
    "variable": "var@example.com",
    "variable_part": "varpart@example.com",
    "continuation_id": "cont@example.com",
}


def _full_request() -> dict[str, Any]:
    v = FIELD_VALUES
    return {
        "instructions": f"Answer on behalf of {v['instructions']}.",
        "input": [
            {"role": "system", "content": f"Operator: {v['system']}"},
            {
                "type": "message",
                "role": "developer",
                "content": [{"type": "input_text", "text": f"Sign as {v['developer']}"}],
            },
            {"role": "assistant", "content": f"Earlier I wrote to {v['assistant_text']}."},
            {
                "type": "message",
                "id": "msg_1",
                "role": "assistant",
                "status": "completed",
                "content": [
                    {
                        "type": "output_text",
                        "text": f"Sent to {v['output_text']}.",
                        "annotations": [
                            {
                                "type": "url_citation",
                                "start_index": 0,
                                "end_index": 4,
                                "title": f"Profile of {v['annotation']}",
                                "url": "https://example.com/u",
                            }
                        ],
                    },
                    {"type": "refusal", "refusal": f"I will not mail {v['refusal']}."},
                ],
            },
            {
                "type": "reasoning",
                "id": "rs_1",
                "encrypted_content": "gAAAAB-opaque-blob",
                "summary": [{"type": "summary_text", "text": f"The user is {v['summary']}."}],
                "content": [{"type": "reasoning_text", "text": f"Consider {v['reasoning_text']}"}],
            },
            {
                "type": "function_call",
                "id": "fc_1",
                "call_id": "call_1",
                "name": "send_mail",
                "arguments": json.dumps({"to": v["arguments"], "cc": [v["arguments_list"]]}),
            },
            {
                "type": "function_call_output",
                "call_id": "call_1",
                "output": f"Delivered to {v['arguments']}.",
            },
            {
                "type": "function_call_output",
                "call_id": "call_2",
                "output": [{"type": "input_text", "text": f"Bounce from {v['output_parts']}"}],
            },
            {"type": "item_reference", "id": "msg_earlier"},
            {
                "role": "user",
                "content": [{"type": "input_text", "text": f"Thanks, I am {v['user_message']}"}],
            },
        ],
        "metadata": {"customer": v["metadata"]},
        "user": v["user"],
        "safety_identifier": v["safety_identifier"],
        "prompt_cache_key": v["prompt_cache_key"],
        "prompt": {
            "id": "pmpt_1",
            "version": "2",
            "variables": {
                "name": v["variable"],
                "note": {"type": "input_text", "text": v["variable_part"]},
            },
        },
        "background_options": {"continuation_id": v["continuation_id"]},
        "previous_response_id": "resp_prev",
        "store": True,
        "temperature": 0.2,
        "tools": [{"type": "function", "name": "send_mail", "parameters": {"type": "object"}}],
    }


async def test_every_text_field_of_the_request_is_masked(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    answer = await client.responses.create(model="m", **_full_request())
    assert_not_leaked(fake_openai, list(FIELD_VALUES.values()))
    sent = fake_openai.last
    items = sent["input"]
    fields = {
        "instructions": sent["instructions"],
        "system": items[0]["content"],
        "developer": items[1]["content"][0]["text"],
        "assistant_text": items[2]["content"],
        "output_text": items[3]["content"][0]["text"],
        "annotation": items[3]["content"][0]["annotations"][0]["title"],
        "refusal": items[3]["content"][1]["refusal"],
        "summary": items[4]["summary"][0]["text"],
        "reasoning_text": items[4]["content"][0]["text"],
        "output_parts": items[7]["output"][0]["text"],
        "user_message": items[9]["content"][0]["text"],
        "metadata": sent["metadata"]["customer"],
        "user": sent["user"],
        "safety_identifier": sent["safety_identifier"],
        "prompt_cache_key": sent["prompt_cache_key"],
        "variable": sent["prompt"]["variables"]["name"],
        "variable_part": sent["prompt"]["variables"]["note"]["text"],
        "continuation_id": sent["background_options"]["continuation_id"],
    }
    for name, text in fields.items():
        assert TOKEN_PATTERN.search(text), f"{name} was not masked"
    arguments = json.loads(items[5]["arguments"])
    assert set(arguments) == {"to", "cc"}
    assert TOKEN_PATTERN.fullmatch(arguments["to"])
    assert TOKEN_PATTERN.fullmatch(arguments["cc"][0])
    assert arguments["to"] in items[6]["output"]  # same value, same token across items
    # Ids, opaque blobs and configuration pass unchanged.
    assert items[4]["encrypted_content"] == "gAAAAB-opaque-blob"
    assert items[8] == {"type": "item_reference", "id": "msg_earlier"}
    assert (items[5]["call_id"], items[6]["call_id"], items[3]["id"]) == (
        "call_1",
        "call_1",
        "msg_1",
    )
    assert items[3]["content"][0]["annotations"][0]["url"] == "https://example.com/u"
    assert sent["prompt"]["id"] == "pmpt_1"
    assert sent["previous_response_id"] == "resp_prev"
    assert sent["tools"] == _full_request()["tools"]
    # The echoed user text and instructions come back restored.
    assert answer.output_text == f"Thanks, I am {FIELD_VALUES['user_message']}"
    assert answer.instructions == f"Answer on behalf of {FIELD_VALUES['instructions']}."
    assert answer.user == FIELD_VALUES["user"]


async def test_echoed_instructions_are_restored_in_stream_snapshots(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    instructions = "You assist Marie Curie (marie.curie@sorbonne.fr)."
    events = await stream_events(client, input="hello", instructions=instructions)
    assert "marie.curie@sorbonne.fr" not in fake_openai.everything_received()
    for kind in ("response.created", "response.in_progress", "response.completed"):
        [event] = of_type(events, kind)
        assert event.response.instructions == instructions


async def test_streamed_reasoning_summary_is_restored(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    def think(body: dict[str, Any]) -> Reply:
        return Reply(
            reasoning_summary=f"The user wants {responses_user_text(body)}", chunk_sizes=[3]
        )

    fake_openai.reply_factory = think
    events = await stream_events(client, input=MAIL_PROMPT)
    assert_sequence(events)
    expected = f"The user wants {MAIL_PROMPT}"
    deltas = of_type(events, "response.reasoning_summary_text.delta")
    assert "".join(e.delta for e in deltas) == expected
    assert of_type(events, "response.reasoning_summary_text.done")[0].text == expected
    assert of_type(events, "response.reasoning_summary_part.done")[0].part.text == expected
    [completed] = of_type(events, "response.completed")
    assert completed.response.output[0].summary[0].text == expected
    assert completed.response.output_text == MAIL_PROMPT


@pytest.mark.parametrize("terminal", ["incomplete", "failed"])
async def test_incomplete_and_failed_responses_are_restored(
    terminal: Any, client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    def end(body: dict[str, Any]) -> Reply:
        return Reply(terminal=terminal, error_message=f"Cannot mail {masked(body)}")

    def masked(body: dict[str, Any]) -> str:
        token = TOKEN_PATTERN.search(responses_user_text(body))
        assert token is not None
        return token.group()

    fake_openai.reply_factory = end
    events = await stream_events(client, input=MAIL_PROMPT)
    [last] = of_type(events, f"response.{terminal}")
    assert last.response.output_text == MAIL_PROMPT
    if terminal == "failed":
        assert last.response.error.message == "Cannot mail jean.dupont@orange.fr"


async def test_error_event_is_restored(client: openai.AsyncOpenAI, fake_openai: FakeOpenAI) -> None:
    fake_openai.reply_factory = lambda body: Reply(
        terminal="error", error_message=f"Bad input: {responses_user_text(body)}"
    )
    events = await stream_events(client, input=MAIL_PROMPT)
    [error] = of_type(events, "error")
    assert error.message == f"Bad input: {MAIL_PROMPT}"
    assert_sequence(events)


async def test_stream_usage_and_restorations_reach_the_audit_record(
    voile: TestServer, make_config: Callable[..., Config], fake_openai: FakeOpenAI
) -> None:
    async with client_for(voile) as client:
        await stream_events(client, input=MAIL_PROMPT)
    store = audit_store_of(make_config())
    try:
        for _ in range(100):  # a stream's record lands once the handler returns; bounded wait
            found = store.list_records(limit=10)
            if found:
                break
            await asyncio.sleep(0.05)
    finally:
        store.close()
    [record] = found
    assert (record.decision, record.route) == (Decision.FORWARDED.value, "/v1/responses")
    assert (record.prompt_tokens, record.completion_tokens) == (11, 7)
    assert record.entity_counts == {"EMAIL_ADDRESS": 1}
    assert record.unresolved_placeholders == 0


# ---------------------------------------------------------------------------- refusals


async def _post(server: TestServer, path: str, body: Any) -> tuple[int, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            server.make_url(f"/openai/v1/{path}"),
            json=body,
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as response,
    ):
        return response.status, await response.json()


def _with_input(*items: Any) -> dict[str, Any]:
    return {"model": "m", "input": list(items)}


UNSCANNABLE = {
    "image": {"type": "input_image", "detail": "auto", "image_url": "data:image/png;base64,AAAA"},
    "file": {
        "type": "input_file",
        "filename": "CV of jean.dupont@orange.fr (2024).pdf",
        "file_data": "data:application/pdf;base64,AAAA",
    },
    "audio": {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}},
}


@pytest.mark.parametrize("kind", sorted(UNSCANNABLE))
async def test_unscannable_parts_are_refused_unless_the_policy_allows_them(
    kind: str,
    voile: TestServer,
    start_voile: VoileFactory,
    make_config: Callable[..., Config],
    policies_dir: Path,
    fake_openai: FakeOpenAI,
) -> None:
    body = _with_input(
        {
            "role": "user",
            "content": [{"type": "input_text", "text": "What is this?"}, UNSCANNABLE[kind]],
        }
    )
    status, answer = await _post(voile, "responses", body)
    assert (status, answer["error"]["code"]) == (400, "unscannable_content")
    assert answer["error"]["param"] == "input[0].content[1]"
    assert fake_openai.received == []

    (policies_dir / "media.yaml").write_text(f"allow_unscannable: [{kind}]\n")
    server = await start_voile(make_config(apps=[{"name": "m", "key": APP_KEY, "policy": "media"}]))
    status, _ = await _post(server, "responses", body)
    assert status == 200
    assert "jean.dupont@orange.fr" not in fake_openai.everything_received()


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"model": "m", "input": "hi", "surprise": 1}, "surprise"),
        (
            _with_input({"type": "computer_call_output", "call_id": "c", "output": {}}),
            "input[0].type",
        ),
        (_with_input({"role": "user", "content": "hi", "extra": "x"}), "input[0].extra"),
        (_with_input({"role": "wizard", "content": "hi"}), "input[0].role"),
        (
            _with_input({"role": "user", "content": [{"type": "input_video", "url": "x"}]}),
            "input[0].content[0]",
        ),
        (
            _with_input(
                {"role": "user", "content": [{"type": "input_text", "text": "hi", "note": "x"}]}
            ),
            "input[0].content[0].note",
        ),
        (
            _with_input({"type": "reasoning", "id": "rs", "summary": [{"type": "x", "text": "t"}]}),
            "input[0].summary[0]",
        ),
        (
            _with_input(
                {
                    "type": "message",
                    "role": "assistant",
                    "id": "m",
                    "status": "completed",
                    "content": [
                        {
                            "type": "output_text",
                            "text": "hi",
                            "annotations": [],
                            "logprobs": [
                                {
                                    "token": "hi",
                                    "bytes": [104, 105],
                                    "logprob": 0.0,
                                    "top_logprobs": [],
                                }
                            ],
                        }
                    ],
                }
            ),
            "input[0].content[0].logprobs",
        ),
        ({"model": "m", "prompt": {"id": "p", "variables": {"v": 3}}}, "prompt.variables.v"),
        ({"model": "m", "input": 42}, "input"),
    ],
)
async def test_unknown_fields_items_and_parts_are_refused(
    body: dict[str, Any], param: str, voile: TestServer, fake_openai: FakeOpenAI
) -> None:
    status, answer = await _post(voile, "responses", body)
    assert status == 400
    assert answer["error"]["code"] == "unsupported_field"
    assert answer["error"]["param"] == param
    assert fake_openai.received == []


async def test_responses_routes_not_relayed_yet_are_refused(
    client: openai.AsyncOpenAI, fake_openai: FakeOpenAI
) -> None:
    """`compact` is not relayed yet (its answer's compaction items are not walked): 404,
    nothing forwarded. (Stored responses and input_tokens: test_relay_stored.py.)"""
    with pytest.raises(openai.NotFoundError):
        await client.responses.compact(model="gpt-5.4", input="Jean Dupont")
    assert fake_openai.calls == []


# ---------------------------------------------------------------------------- sans-I/O tables

TOKEN = "<PERSON_abcdef>"
QUOTED = 'Jean "JD" Dupont'


def lookup(token: str) -> str | None:
    return {TOKEN: QUOTED}.get(token)


def event(kind: str, sequence: int, **fields: Any) -> SSEEvent:
    return SSEEvent(
        event=kind, data=json.dumps({"type": kind, "sequence_number": sequence, **fields})
    )


def payloads(events: list[SSEEvent]) -> list[dict[str, Any]]:
    return [json.loads(e.data or "") for e in events]


TEXT_AT = {"item_id": "msg_1", "output_index": 0, "content_index": 0}


def test_restorer_holds_only_a_placeholder_prefix_and_releases_it_before_done() -> None:
    restorer = ResponsesStreamRestorer(lookup)
    assert restorer.feed(event("response.created", 0, response={"id": "r"})) != []
    [out] = payloads(
        restorer.feed(
            event("response.output_text.delta", 1, **TEXT_AT, delta="Hi <PER", logprobs=[])
        )
    )
    assert (out["delta"], out["sequence_number"]) == ("Hi ", 1)
    [out] = payloads(
        restorer.feed(
            event("response.output_text.delta", 2, **TEXT_AT, delta="SON_abcdef>! <B", logprobs=[])
        )
    )
    assert out["delta"] == f"{QUOTED}! "
    released, done = restorer.feed(
        event("response.output_text.done", 3, **TEXT_AT, text=f"Hi {TOKEN}! <B", logprobs=[])
    )
    assert released.event == "response.output_text.delta"
    assert json.loads(released.data or "") == {
        "type": "response.output_text.delta",
        **TEXT_AT,
        "delta": "<B",
        "logprobs": [],
        "sequence_number": 3,
    }
    assert json.loads(done.data or "")["text"] == f"Hi {QUOTED}! <B"
    assert json.loads(done.data or "")["sequence_number"] == 4
    [completed] = payloads(restorer.feed(event("response.completed", 4, response={"id": "r"})))
    assert completed["sequence_number"] == 5
    assert restorer.finish() == []


def test_function_call_arguments_are_json_escaped_in_deltas_and_done() -> None:
    restorer = ResponsesStreamRestorer(lookup)
    at = {"item_id": "fc_1", "output_index": 1}
    deltas = ['{"to": "<PERS', "ON_abc", 'def>"}']
    text = "".join(
        json.loads(out.data or "")["delta"]
        for piece in deltas
        for out in restorer.feed(
            event("response.function_call_arguments.delta", 5, **at, delta=piece)
        )
    )
    assert json.loads(text) == {"to": QUOTED}
    [done] = payloads(
        restorer.feed(
            event("response.function_call_arguments.done", 6, **at, arguments="".join(deltas))
        )
    )
    assert json.loads(done["arguments"]) == {"to": QUOTED}
    [item] = payloads(
        restorer.feed(
            event(
                "response.output_item.done",
                7,
                output_index=1,
                item={"type": "function_call", "id": "fc_1", "arguments": "".join(deltas)},
            )
        )
    )
    assert json.loads(item["item"]["arguments"]) == {"to": QUOTED}


def test_each_part_has_its_own_restorer_and_item_done_releases_them() -> None:
    restorer = ResponsesStreamRestorer(lookup)
    first = {**TEXT_AT, "content_index": 0}
    second = {**TEXT_AT, "content_index": 1}
    restorer.feed(event("response.output_text.delta", 1, **first, delta="a <PERSON_", logprobs=[]))
    [out] = payloads(
        restorer.feed(
            event("response.output_text.delta", 2, **second, delta="abcdef>", logprobs=[])
        )
    )
    assert out["delta"] == "abcdef>"  # not glued to the other part's held text
    released, item_done = restorer.feed(
        event("response.output_item.done", 3, output_index=0, item={"type": "message"})
    )
    assert json.loads(released.data or "")["delta"] == "<PERSON_"
    assert json.loads(released.data or "")["content_index"] == 0
    assert json.loads(item_done.data or "")["sequence_number"] == 4


def test_end_of_stream_releases_held_text_after_the_last_number() -> None:
    restorer = ResponsesStreamRestorer(lookup)
    restorer.feed(
        event("response.output_text.delta", 7, **TEXT_AT, delta="x <PERSON_ab", logprobs=[])
    )
    [released] = payloads(restorer.finish())
    assert (released["delta"], released["sequence_number"]) == ("<PERSON_ab", 8)


def test_unchanged_events_pass_exactly_as_framed() -> None:
    restorer = ResponsesStreamRestorer(lookup)
    raw = SSEEvent(
        event="response.output_text.delta",
        data='{"type": "response.output_text.delta", "sequence_number": 1, '
        '"item_id": "m", "output_index": 0, "content_index": 0, "delta": "ok"}',
    )
    assert restorer.feed(raw) == [raw]
    keepalive = SSEEvent(comment="keep-alive")
    assert restorer.feed(keepalive) == [keepalive]


def test_answer_refs_come_from_the_response_snapshots_and_counts_once() -> None:
    restorer = ResponsesStreamRestorer(lookup)
    response = {
        "id": "resp_1",
        "object": "response",
        "conversation": {"id": "conv_1"},
        "instructions": f"Help {TOKEN}",
        "output": [],
    }
    restorer.feed(event("response.created", 0, response=response))
    restorer.feed(event("response.output_text.delta", 1, **TEXT_AT, delta=TOKEN, logprobs=[]))
    restorer.feed(event("response.output_text.done", 2, **TEXT_AT, text=TOKEN, logprobs=[]))
    done = {
        **response,
        "output": [{"type": "message", "content": [{"type": "output_text", "text": TOKEN}]}],
        "usage": {"input_tokens": 3, "output_tokens": 4},
    }
    restorer.feed(event("response.completed", 3, response=done))
    assert restorer.answer_refs == {"resp_1", "conv_1"}
    assert (restorer.usage.input_tokens, restorer.usage.output_tokens) == (3, 4)
    assert (restorer.count.restored, restorer.count.unresolved) == (2, 0)  # output, instructions


def test_conversation_and_answer_refs_of_the_endpoint() -> None:
    endpoint = Responses()
    assert endpoint.conversation_refs({"previous_response_id": "resp_0"}) == ("resp_0",)
    assert endpoint.conversation_refs({"conversation": "conv_1"}) == ("conv_1",)
    assert endpoint.conversation_refs({"conversation": {"id": "conv_2"}}) == ("conv_2",)
    assert endpoint.conversation_refs({"input": "hi"}) == ()
    answer = {"id": "resp_1", "object": "response", "conversation": {"id": "conv_1"}}
    assert endpoint.answer_refs(answer) == ("resp_1", "conv_1")
    assert endpoint.answer_refs({"id": "resp_2", "object": "response", "conversation": None}) == (
        "resp_2",
    )
    assert endpoint.answer_refs({"error": {"message": "x"}}) == ()
