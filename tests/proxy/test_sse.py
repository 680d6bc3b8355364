"""The SSE decoder and encoder, driven by tables: no server, no event loop.

The provider samples follow the shape of real OpenAI Chat Completions and Anthropic Messages
streams (same framing, field order and JSON layout), with non-ASCII text in them so that
cutting at every byte also cuts multi-byte characters.
"""

from __future__ import annotations

import itertools
import json
import random

import pytest

from proxy.sse import (
    DEFAULT_MAX_EVENT_BYTES,
    DEFAULT_MAX_LINE_BYTES,
    SSEDecoder,
    SSEEvent,
    SSEProtocolError,
    encode_event,
)

# --- samples -------------------------------------------------------------------------------

_OPENAI_CHUNK = (
    '{"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk",'
    '"created":1741570283,"model":"gpt-4o-2024-08-06","service_tier":"default",'
    '"system_fingerprint":"fp_eb9dce56a8","choices":[{"index":0,"delta":%s,'
    '"logprobs":null,"finish_reason":%s}]}'
)


def _openai(delta: object, finish_reason: str | None = None) -> str:
    return _OPENAI_CHUNK % (
        json.dumps(delta, ensure_ascii=False, separators=(",", ":")),
        json.dumps(finish_reason),
    )


OPENAI_CHAT_TEXT = "".join(
    f"data: {payload}\n\n"
    for payload in [
        _openai({"role": "assistant", "content": "", "refusal": None}),
        _openai({"content": "Bonjour <PERSON_k3x9qa>"}),
        _openai({"content": ", je transmets à Zoë Ångström"}),
        _openai({"content": " 🙂 — « merci » <EMAIL_ADDRESS_7hj2mq>."}),
        _openai({}, "stop"),
        (
            '{"id":"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG","object":"chat.completion.chunk",'
            '"created":1741570283,"model":"gpt-4o-2024-08-06","choices":[],"usage":'
            '{"prompt_tokens":31,"completion_tokens":19,"total_tokens":50}}'
        ),
        "[DONE]",
    ]
).encode()

OPENAI_CHAT_TOOL_CALL = "".join(
    f"data: {payload}\n\n"
    for payload in [
        _openai(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "call_DdmO9pD3xa9XTPNJ32zg2hcA",
                        "type": "function",
                        "function": {"name": "send_mail", "arguments": ""},
                    }
                ],
                "refusal": None,
            }
        ),
        _openai({"tool_calls": [{"index": 0, "function": {"arguments": '{"to'}}]}),
        _openai({"tool_calls": [{"index": 0, "function": {"arguments": '":"<PER'}}]}),
        _openai({"tool_calls": [{"index": 0, "function": {"arguments": 'SON_k3x9qa>",'}}]}),
        _openai({"tool_calls": [{"index": 0, "function": {"arguments": '"body":"Grüße'}}]}),
        _openai({"tool_calls": [{"index": 0, "function": {"arguments": ' \\"ok\\""}'}}]}),
        _openai({}, "tool_calls"),
        "[DONE]",
    ]
).encode()

ANTHROPIC_MESSAGES = "".join(
    f"event: {name}\ndata: {payload}\n\n"
    for name, payload in [
        (
            "message_start",
            '{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL",'
            '"type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-20250514",'
            '"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":472,'
            '"output_tokens":2}}}',
        ),
        (
            "content_block_start",
            '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
        ),
        ("ping", '{"type": "ping"}'),
        (
            "content_block_delta",
            '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta",'
            '"text":"Je préviens <PERSON_k3x9qa>"}}',
        ),
        (
            "content_block_delta",
            '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta",'
            '"text":" (Jean-François) 🙂 tout de suite."}}',
        ),
        ("content_block_stop", '{"type":"content_block_stop","index":0}'),
        (
            "content_block_start",
            '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use",'
            '"id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"send_mail","input":{}}}',
        ),
        (
            "content_block_delta",
            '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",'
            '"partial_json":""}}',
        ),
        (
            "content_block_delta",
            '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta",'
            '"partial_json":"{\\"to\\": \\"<EMAIL_ADDRESS_7hj2mq>\\"}"}}',
        ),
        ("content_block_stop", '{"type":"content_block_stop","index":1}'),
        (
            "message_delta",
            '{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},'
            '"usage":{"output_tokens":89}}',
        ),
        ("message_stop", '{"type":"message_stop"}'),
    ]
).encode()

# What an OpenAI-compatible server behind another proxy may send: CRLF line ends, a BOM,
# keep-alive comments, ids and a retry. Not reproduced byte for byte (we write LF), but it
# must decode identically however it is cut.
COMPATIBLE_SERVER = (
    "\ufeff: connected\r\n\r\n"
    "retry: 3000\r\n\r\n"
    'id: 1\r\ndata: {"choices":[{"delta":{"content":"Ça"}}]}\r\n\r\n'
    ": keep-alive\r\n\r\n"
    'id: 2\r\ndata: {"choices":[{"delta":{"content":" va, <PERSON_k3x9qa> ?"}}]}\r\n\r\n'
    "data: [DONE]\r\n\r\n"
).encode()

PROVIDER_SAMPLES = {
    "openai_chat_text": OPENAI_CHAT_TEXT,
    "openai_chat_tool_call": OPENAI_CHAT_TOOL_CALL,
    "anthropic_messages": ANTHROPIC_MESSAGES,
}
ALL_SAMPLES = {**PROVIDER_SAMPLES, "compatible_server_crlf": COMPATIBLE_SERVER}


def decode(*chunks: bytes, **limits: int) -> list[SSEEvent]:
    decoder = SSEDecoder(**limits)
    events: list[SSEEvent] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    return events + decoder.finish()


def cut(data: bytes, offsets: list[int]) -> list[bytes]:
    bounds = [0, *sorted(offsets), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


# --- provider samples cut everywhere -------------------------------------------------------


def test_provider_samples_decode_to_their_events() -> None:
    """The uncut decode is itself right: every block is one event with JSON (or [DONE])."""
    openai = decode(OPENAI_CHAT_TEXT)
    assert [e.event for e in openai] == [None] * 7
    assert openai[-1] == SSEEvent(data="[DONE]")
    contents = [json.loads(e.data or "")["choices"][0]["delta"].get("content") for e in openai[:4]]
    assert "".join(c or "" for c in contents) == (
        "Bonjour <PERSON_k3x9qa>, je transmets à Zoë Ångström 🙂 — « merci » "
        "<EMAIL_ADDRESS_7hj2mq>."
    )

    anthropic = decode(ANTHROPIC_MESSAGES)
    assert [e.event for e in anthropic] == [json.loads(e.data or "")["type"] for e in anthropic]
    assert anthropic[2] == SSEEvent(event="ping", data='{"type": "ping"}')

    compatible = decode(COMPATIBLE_SERVER)
    assert compatible == [
        SSEEvent(comment="connected"),
        SSEEvent(retry=3000),
        SSEEvent(id="1", data='{"choices":[{"delta":{"content":"Ça"}}]}'),
        SSEEvent(comment="keep-alive"),
        SSEEvent(id="2", data='{"choices":[{"delta":{"content":" va, <PERSON_k3x9qa> ?"}}]}'),
        SSEEvent(data="[DONE]"),
    ]


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_sample_cut_at_every_byte_offset_decodes_like_uncut(name: str) -> None:
    sample = ALL_SAMPLES[name]
    expected = decode(sample)
    for offset in range(len(sample) + 1):
        assert decode(sample[:offset], sample[offset:]) == expected, f"cut at byte {offset}"


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_sample_cut_at_random_multiple_offsets_decodes_like_uncut(name: str) -> None:
    sample = ALL_SAMPLES[name]
    expected = decode(sample)
    rng = random.Random(f"sse-{name}")
    for _ in range(300):
        offsets = [rng.randrange(len(sample) + 1) for _ in range(rng.randrange(2, 40))]
        assert decode(*cut(sample, offsets)) == expected, f"cuts at {sorted(offsets)}"


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_sample_fed_one_byte_at_a_time_decodes_like_uncut(name: str) -> None:
    sample = ALL_SAMPLES[name]
    assert decode(*(sample[i : i + 1] for i in range(len(sample)))) == decode(sample)


@pytest.mark.parametrize("name", PROVIDER_SAMPLES)
def test_provider_framing_is_reencoded_byte_for_byte(name: str) -> None:
    sample = PROVIDER_SAMPLES[name]
    assert b"".join(encode_event(event) for event in decode(sample)) == sample


def test_events_come_out_as_soon_as_their_blank_line_arrives() -> None:
    """Latency: nothing waits for the next event or for the end of the stream."""
    decoder = SSEDecoder()
    assert decoder.feed(b"event: ping\ndata: {}\n") == []
    assert decoder.feed(b"\n") == [SSEEvent(event="ping", data="{}")]
    assert decoder.feed(b": keep-alive\n") == [SSEEvent(comment="keep-alive")]


# --- line endings, BOM, UTF-8 ----------------------------------------------------------------

LOGICAL_STREAM = [
    SSEEvent(event="a", data="1\n2"),
    SSEEvent(comment="c"),
    SSEEvent(data=""),
    SSEEvent(data="é🙂"),
]


@pytest.mark.parametrize(
    ("style", "wire"),
    [
        ("lf", b"event: a\ndata: 1\ndata: 2\n\n: c\n\ndata\n\ndata: \xc3\xa9\xf0\x9f\x99\x82\n\n"),
        (
            "crlf",
            b"event: a\r\ndata: 1\r\ndata: 2\r\n\r\n: c\r\n\r\ndata\r\n\r\n"
            b"data: \xc3\xa9\xf0\x9f\x99\x82\r\n\r\n",
        ),
        ("cr", b"event: a\rdata: 1\rdata: 2\r\r: c\r\rdata\r\rdata: \xc3\xa9\xf0\x9f\x99\x82\r\r"),
        (
            "mixed",
            b"event: a\rdata: 1\r\ndata: 2\n\r\n: c\r\ndata\r\n\n"
            b"data: \xc3\xa9\xf0\x9f\x99\x82\n\r",
        ),
    ],
)
def test_every_line_ending_style_gives_the_same_events_at_every_cut(
    style: str, wire: bytes
) -> None:
    for offset in range(len(wire) + 1):
        assert decode(wire[:offset], wire[offset:]) == LOGICAL_STREAM, f"{style} cut at {offset}"


@pytest.mark.parametrize(
    ("case", "chunks", "expected"),
    [
        (
            "crlf split between chunks is one line end, not two",
            [b"data: a\r", b"\ndata: b\r\n\r\n"],
            [SSEEvent(data="a\nb")],
        ),
        (
            "cr then cr is a line end and a blank line",
            [b"data: a\r", b"\r"],
            [SSEEvent(data="a")],
        ),
        (
            "cr at the end of a chunk is acted on at once",
            [b"data: a\r\r", b"\n"],
            [SSEEvent(data="a")],
        ),
        (
            "an empty chunk after a cr does not lose the pending lf",
            [b"data: a\r", b"", b"\ndata: b\n\n"],
            [SSEEvent(data="a\nb")],
        ),
        (
            "a leading bom is dropped",
            [b"\xef\xbb\xbfdata: x\n\n"],
            [SSEEvent(data="x")],
        ),
        (
            "a leading bom split over three chunks is dropped",
            [b"\xef", b"\xbb", b"\xbfdata: x\n\n"],
            [SSEEvent(data="x")],
        ),
        (
            "only one bom is dropped: a second one is part of the field name",
            [b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: y\n\n"],
            [SSEEvent(data="y")],
        ),
        (
            "a bom later in the stream is kept",
            [b"data: \xef\xbb\xbfx\n\n"],
            [SSEEvent(data="\ufeffx")],
        ),
        (
            "a two-byte character split across chunks",
            [b"data: \xc3", b"\xa9\n\n"],
            [SSEEvent(data="é")],
        ),
        (
            "a four-byte character split byte by byte",
            [b"data: \xf0", b"\x9f", b"\x99", b"\x82\n\n"],
            [SSEEvent(data="🙂")],
        ),
        (
            "invalid utf-8 becomes the replacement character, as in a browser",
            [b"data: a\xffb\xc3\n\n"],
            [SSEEvent(data="a\ufffdb\ufffd")],
        ),
    ],
)
def test_line_endings_bom_and_utf8_edge_cases(
    case: str, chunks: list[bytes], expected: list[SSEEvent]
) -> None:
    assert decode(*chunks) == expected, case


# --- fields and comments ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "wire", "expected"),
    [
        ("no space after the colon", b"data:x\n\n", [SSEEvent(data="x")]),
        ("only one space is removed", b"data:  x\n\n", [SSEEvent(data=" x")]),
        ("trailing spaces are kept", b"data: x  \n\n", [SSEEvent(data="x  ")]),
        ("later colons belong to the value", b"data: a: b\n\n", [SSEEvent(data="a: b")]),
        ("a field without a colon has an empty value", b"data\n\n", [SSEEvent(data="")]),
        ("an empty data field is an empty message", b"data:\n\n", [SSEEvent(data="")]),
        ("two empty data lines are one newline", b"data\ndata\n\n", [SSEEvent(data="\n")]),
        ("data lines are joined with newlines", b"data: a\ndata: b\n\n", [SSEEvent(data="a\nb")]),
        (
            "event, id and retry are read",
            b"event: update\nid: 42\nretry: 1500\ndata: {}\n\n",
            [SSEEvent(event="update", id="42", retry=1500, data="{}")],
        ),
        ("the last event line wins", b"event: a\nevent: b\ndata: x\n\n", [SSEEvent("b", "x")]),
        ("an empty id is a reset, not absent", b"id\ndata: x\n\n", [SSEEvent(id="", data="x")]),
        ("an id containing nul is ignored", b"id: a\x00b\ndata: x\n\n", [SSEEvent(data="x")]),
        ("a non-numeric retry is ignored", b"retry: 1s\ndata: x\n\n", [SSEEvent(data="x")]),
        ("a signed retry is ignored", b"retry: -5\ndata: x\n\n", [SSEEvent(data="x")]),
        ("an absurdly long retry is ignored", b"retry: " + b"9" * 5000 + b"\n\n", []),
        ("unknown fields are ignored", b"foo: bar\ndata: x\n\n", [SSEEvent(data="x")]),
        ("a field name is not trimmed", b"data : x\n\n", []),
        ("a block of unknown fields gives nothing", b"foo: bar\n\n", []),
        ("blank lines alone give nothing", b"\n\n\n", []),
        ("an id-only block is surfaced", b"id: 7\n\n", [SSEEvent(id="7")]),
        ("a retry-only block is surfaced", b"retry: 10\n\n", [SSEEvent(retry=10)]),
        ("an event-only block is surfaced", b"event: x\n\n", [SSEEvent(event="x")]),
        (
            "ids are per block, not sticky",
            b"id: 1\ndata: a\n\ndata: b\n\n",
            [SSEEvent(id="1", data="a"), SSEEvent(data="b")],
        ),
        ("a comment is surfaced", b": keep-alive\n\n", [SSEEvent(comment="keep-alive")]),
        ("an empty comment is surfaced", b":\n\n", [SSEEvent(comment="")]),
        ("a comment keeps its inner spaces", b":  a b\n", [SSEEvent(comment=" a b")]),
        (
            "a comment inside a block comes out at once, before the block",
            b"data: a\n: ping\ndata: b\n\n",
            [SSEEvent(comment="ping"), SSEEvent(data="a\nb")],
        ),
        (
            "a comment does not end the block",
            b"event: x\n:\n\n",
            [SSEEvent(comment=""), SSEEvent(event="x")],
        ),
    ],
)
def test_field_and_comment_parsing(case: str, wire: bytes, expected: list[SSEEvent]) -> None:
    assert decode(wire) == expected, case


@pytest.mark.parametrize(
    ("case", "wire", "expected"),
    [
        ("an unterminated last line is still read", b"data: [DONE]", [SSEEvent(data="[DONE]")]),
        (
            "a block missing its blank line is still surfaced",
            b"data: a\n\ndata: b\n",
            [SSEEvent(data="a"), SSEEvent(data="b")],
        ),
        ("an unterminated comment is surfaced", b": bye", [SSEEvent(comment="bye")]),
        ("nothing pending gives nothing", b"data: a\n\n", [SSEEvent(data="a")]),
        ("an empty stream gives nothing", b"", []),
    ],
)
def test_finish_surfaces_what_the_stream_left_pending(
    case: str, wire: bytes, expected: list[SSEEvent]
) -> None:
    assert decode(wire) == expected, case


def test_finish_twice_gives_nothing_more_and_feed_after_finish_is_an_error() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a")
    assert decoder.finish() == [SSEEvent(data="a")]
    assert decoder.finish() == []
    with pytest.raises(RuntimeError, match="after finish"):
        decoder.feed(b"data: b\n\n")


def test_event_type_defaults_to_message_without_being_stored() -> None:
    assert SSEEvent(data="x").event_type == "message"
    assert SSEEvent(event="", data="x").event_type == "message"
    assert SSEEvent(event="ping", data="x").event_type == "ping"
    assert SSEEvent(data="x").event is None
    assert SSEEvent(comment="x").is_comment
    assert not SSEEvent(data="x").is_comment


# --- encoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "wire"),
    [
        (SSEEvent(data='{"a":1}'), b'data: {"a":1}\n\n'),
        (SSEEvent(event="ping", data="{}"), b"event: ping\ndata: {}\n\n"),
        (SSEEvent(data="a\nb"), b"data: a\ndata: b\n\n"),
        (SSEEvent(data=""), b"data:\n\n"),
        (SSEEvent(data=" x"), b"data:  x\n\n"),
        (SSEEvent(id="1", event="e", data="d", retry=5), b"id: 1\nevent: e\ndata: d\nretry: 5\n\n"),
        (SSEEvent(id=""), b"id:\n\n"),
        (SSEEvent(comment="keep-alive"), b": keep-alive\n\n"),
        (SSEEvent(comment=""), b":\n\n"),
        (SSEEvent(data="Zoë 🙂"), "data: Zoë 🙂\n\n".encode()),
    ],
)
def test_encode_writes_the_usual_framing(event: SSEEvent, wire: bytes) -> None:
    assert encode_event(event) == wire


@pytest.mark.parametrize(
    "event",
    [
        SSEEvent(data="x"),
        SSEEvent(data=""),
        SSEEvent(data="\n"),
        SSEEvent(data="\n\n"),
        SSEEvent(data=" leading space"),
        SSEEvent(data="  two"),
        SSEEvent(data="trailing \n"),
        SSEEvent(data=": not a comment"),
        SSEEvent(data="data: nested"),
        SSEEvent(data='Jean-François "Zoë" \\ Ångström 🙂'),
        SSEEvent(event="", data="x"),
        SSEEvent(event=" spaced", data="x"),
        SSEEvent(event="x"),
        SSEEvent(id=""),
        SSEEvent(id="id with spaces"),
        SSEEvent(retry=0),
        SSEEvent(retry=10**30),
        SSEEvent(id="9", event="e", data="a\nb", retry=1),
        SSEEvent(comment=""),
        SSEEvent(comment=" spaced"),
        SSEEvent(comment="data: x"),
    ],
)
def test_decode_of_encode_is_identity(event: SSEEvent) -> None:
    assert decode(encode_event(event)) == [event]


def test_encode_splits_data_with_carriage_returns_where_a_client_would() -> None:
    """The decoder never yields CR in data; if a caller builds such data, each CR, CRLF or
    LF becomes its own data line, which is exactly how a client would read the raw text."""
    assert encode_event(SSEEvent(data="a\rb\r\nc")) == b"data: a\ndata: b\ndata: c\n\n"
    assert decode(encode_event(SSEEvent(data="a\rb\r\nc"))) == [SSEEvent(data="a\nb\nc")]


def test_a_stream_of_events_round_trips() -> None:
    wire = b"".join(encode_event(e) for e in LOGICAL_STREAM)
    assert decode(wire) == LOGICAL_STREAM


@pytest.mark.parametrize(
    ("case", "fields"),
    [
        ("line break in the event name would forge framing", {"event": "a\n\ndata: x"}),
        ("carriage return in the event name", {"event": "a\rb", "data": "x"}),
        ("line break in an id", {"id": "1\n2"}),
        ("nul in an id", {"id": "1\x002"}),
        ("line break in a comment", {"comment": "a\nb"}),
        ("negative retry", {"retry": -1}),
        ("comment with fields", {"comment": "c", "data": "x"}),
        ("nothing at all", {}),
    ],
)
def test_events_that_cannot_be_framed_are_refused_at_construction(
    case: str, fields: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match="SSE"):
        SSEEvent(**fields)  # type: ignore[arg-type]


# --- bounds --------------------------------------------------------------------------------------


def test_default_limits_are_16_mib() -> None:
    assert DEFAULT_MAX_LINE_BYTES == DEFAULT_MAX_EVENT_BYTES == 16 * 1024 * 1024


@pytest.mark.parametrize(
    ("case", "chunks"),
    [
        ("in one chunk", [b"data: " + b"x" * 100 + b"\n\n"]),
        ("with no line end yet", [b"data: " + b"x" * 100]),
        ("arriving byte by byte", [b"d", b"ata: ", *[b"x"] * 100]),
        ("a comment", [b":" + b"x" * 200 + b"\n"]),
        ("after a cr split", [b"data: a\r", b"\n" + b"x" * 101]),
    ],
)
def test_a_line_longer_than_the_limit_is_a_protocol_error(case: str, chunks: list[bytes]) -> None:
    with pytest.raises(SSEProtocolError, match="line exceeds 100 bytes"):
        decode(*chunks, max_line_bytes=100)


def test_an_unterminated_line_is_refused_while_it_is_buffered_not_at_the_end() -> None:
    """The bound is on memory: the feed that takes the buffer over the limit raises."""
    decoder = SSEDecoder(max_line_bytes=100)
    assert decoder.feed(b"data: " + b"x" * 94) == []
    with pytest.raises(SSEProtocolError, match="line exceeds 100 bytes"):
        decoder.feed(b"x")


def test_a_line_at_the_limit_is_accepted_however_it_is_cut() -> None:
    wire = b"data: " + b"x" * 94 + b"\r\n\r\n"  # the line is exactly 100 bytes
    for offset in range(len(wire) + 1):
        assert decode(wire[:offset], wire[offset:], max_line_bytes=100) == [SSEEvent(data="x" * 94)]


def test_an_event_larger_than_the_limit_is_a_protocol_error() -> None:
    wire = b"data: 0123456789\n" * 10 + b"\n"  # ten lines of 16 bytes
    assert decode(wire, max_event_bytes=160) == [SSEEvent(data="\n".join(["0123456789"] * 10))]
    with pytest.raises(SSEProtocolError, match="event exceeds 159 bytes"):
        decode(wire, max_event_bytes=159)


def test_the_event_limit_is_per_event_for_data_only_events_in_one_chunk() -> None:
    """Data-only events take a shorter path (`SSEDecoder._dispatch`); each starts its own
    count, also when many arrive in one chunk, and a multi-line one is joined as usual."""
    wire = b"data: 0123456789\n\n" * 50 + b"data: a\ndata: b\n\n"
    expected = [SSEEvent(data="0123456789")] * 50 + [SSEEvent(data="a\nb")]
    assert decode(wire, max_event_bytes=16) == expected
    assert decode(b"\n", wire, max_event_bytes=16) == expected  # past the first chunk


def test_typed_events_count_their_type_line_towards_the_event_limit() -> None:
    """`event:` lines also take the shorter path; they count as on the general one."""
    wire = b"event: ab\ndata: 0123456789\n\n" * 20  # 9 + 16 bytes per event
    # The first chunk of a stream is read on the general path (it may start with a BOM).
    expected = [SSEEvent(event="ab", data="0123456789")] * 20
    assert decode(b"\n", wire, max_event_bytes=25) == expected
    with pytest.raises(SSEProtocolError, match="event exceeds 24 bytes"):
        decode(b"\n", wire, max_event_bytes=24)


def test_a_line_the_network_cut_then_lines_of_every_ending_decode_in_order() -> None:
    """A line cut across chunks ("data: ab" + "cd" + LF) is completed on the LF-only path;
    what that path leaves must not confuse the general one (CR line ends) next."""
    chunks = [b"data: ab", b"cd", b"\n\n", b"data: y\r\n\r\n", b"data: z\n", b"\n"]
    expected = [SSEEvent(data="abcd"), SSEEvent(data="y"), SSEEvent(data="z")]
    assert decode(*chunks) == expected
    assert decode(b"".join(chunks)) == expected


def test_comments_do_not_count_towards_the_event_limit() -> None:
    wire = b"data: a\n" + b": ping\n" * 100 + b"\n"
    assert decode(wire, max_event_bytes=10)[-1] == SSEEvent(data="a")


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        SSEDecoder(max_line_bytes=0)
