"""A provider that breaks its answer, or sends far too much of one (issue 8, items 8 and 9).

Every such answer comes back as a 502 in the provider's own error shape with a precise code
(`upstream_answer_too_large`, `upstream_bad_response`), or 504 when the provider goes silent
mid-body; the audit outcome says the request *was* forwarded. Reading stops at
`limits.max_answer_bytes`: asserted on the bytes the fake provider got to send, not on time.
Streams are never held whole: a broken stream ends with an in-stream error event and the
outcome names it. The trail keeps only the head of a large answer and says so.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from audit.events import Decision
from proxy.config import Config
from proxy.formats.base import TRANSCRIPT_LIMIT
from proxy.placeholders import TOKEN_PATTERN
from tests.fakes.openai_provider import FakeOpenAI, Reply
from tests.fakes.raw_provider import (
    PIECE,
    RawProvider,
    RawReply,
    chunked,
    head,
    huge_json,
)
from tests.proxy.conftest import APP_KEY, VoileFactory, audit_store_of
from tests.proxy.support import records, settled_records

LIMIT = 1024 * 1024  # limits.max_answer_bytes in these tests
HUGE = 256 * 1024 * 1024  # what a hostile provider offers: never produced in full
# Socket buffers on both sides of two loopback connections, and aiohttp's read buffer: what
# may have left the fake beyond what Voile read before it hung up. Far below HUGE.
IN_FLIGHT = 24 * 1024 * 1024

ROUTES = {"openai": "/openai/v1/chat/completions", "anthropic": "/anthropic/v1/messages"}
MODELS = {"openai": "gpt-4o-mini", "anthropic": "claude-sonnet-4-6"}


@pytest.fixture
async def raw_provider() -> AsyncIterator[RawProvider]:
    provider = RawProvider()
    yield provider
    await provider.close()


@pytest.fixture(params=["openai", "anthropic"])
def wire(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fault_config(
    make_config: Callable[..., Config], raw_provider: RawProvider, wire: str
) -> Callable[..., Config]:
    """A config whose provider `wire` is the raw fake (started by `voile_for`)."""

    def make(base_url: str, *, timeout: float = 20.0, limit: int = LIMIT) -> Config:
        return make_config(
            providers={
                wire: {
                    "base_url": base_url,
                    "format": wire,
                    "api_key_env": "VOILE_TEST_PROVIDER_KEY",
                    "timeout_seconds": timeout,
                }
            },
            limits={"max_answer_bytes": limit},
        )

    return make


async def voile_for(
    start_voile: VoileFactory,
    fault_config: Callable[..., Config],
    raw_provider: RawProvider,
    **options: Any,
) -> tuple[TestServer, Config]:
    config = fault_config(await raw_provider.start(), **options)
    return await start_voile(config), config


async def post(server: TestServer, wire: str, *, stream: bool = False) -> tuple[int, bytes]:
    body: dict[str, Any] = {
        "model": MODELS[wire],
        "stream": stream,
        "messages": [{"role": "user", "content": "Bonjour Jean Dupont"}],
    }
    if wire == "anthropic":
        body["max_tokens"] = 64
    async with (
        asyncio.timeout(30),
        aiohttp.ClientSession() as http,
        http.post(
            server.make_url(ROUTES[wire]),
            json=body,
            headers={"Authorization": f"Bearer {APP_KEY}", "x-api-key": APP_KEY},
        ) as response,
    ):
        return response.status, await response.read()


def error_code(wire: str, error: dict[str, Any]) -> str:
    """Our code, where each format puts it: OpenAI's `error.code`, Anthropic's
    `error.details.error_code` (both as the SDKs read them)."""
    if wire == "openai":
        return str(error["error"]["code"])
    assert error["type"] == "error"
    return str(error["error"]["details"]["error_code"])


def error_type(wire: str, error: dict[str, Any]) -> str:
    return str(error["error"]["type"])


def outcome(config: Config) -> Any:
    [record] = records(config)
    return record


async def stream_outcome(config: Config) -> Any:
    """The one record of a streamed request, once its outcome is written."""
    [record] = await settled_records(config, 1)
    return record


# ----------------------------------------------------------------- whole answers: too large


def gzip_bomb() -> bytes:
    """A few kilobytes that decompress to 8 MiB of valid JSON, eight times the limit."""
    return gzip.compress(b"".join(huge_json(8 * LIMIT)), compresslevel=9)


TOO_LARGE = {
    # A declared length over the limit is refused before the body is read: the fake sends a
    # first piece and waits; the proxy hangs up at once.
    "content_length": lambda: RawReply(head(length=HUGE), [b'{"id": "x", '], end="hold"),
    "chunked": lambda: RawReply(head(chunked=True), chunked(huge_json(HUGE))),
    "until_close": lambda: RawReply(head(), huge_json(HUGE)),
    # Decompressed bytes are what count.
    "gzip_bomb": lambda: RawReply(head(length=len(bomb := gzip_bomb()), encoding="gzip"), [bomb]),
}


@pytest.mark.parametrize("case", sorted(TOO_LARGE))
async def test_an_answer_over_the_limit_is_a_502_and_reading_stops_at_the_limit(
    case: str,
    wire: str,
    start_voile: VoileFactory,
    fault_config: Callable[..., Config],
    raw_provider: RawProvider,
) -> None:
    raw_provider.replies.append(TOO_LARGE[case]())
    server, config = await voile_for(start_voile, fault_config, raw_provider)
    status, body = await post(server, wire)

    assert status == 502
    error = json.loads(body)
    assert error_code(wire, error) == "upstream_answer_too_large"
    assert error_type(wire, error) == "api_error"
    assert "limits.max_answer_bytes" in error["error"]["message"]
    await asyncio.wait_for(raw_provider.finished.wait(), 15)
    assert raw_provider.sent_bytes < LIMIT + IN_FLIGHT  # not HUGE: the proxy stopped reading
    if case == "content_length":
        assert raw_provider.sent_bytes < PIECE  # nothing read past the headers
    record = outcome(config)
    assert (record.decision, record.status, record.error_code) == (
        Decision.FORWARDED.value,
        502,
        "upstream_answer_too_large",
    )


# ------------------------------------------------------------------ whole answers: broken


def truncated_gzip() -> bytes:
    answer = json.dumps({"id": "x", "text": "a long answer " * 2000}).encode()
    packed = gzip.compress(answer)
    return packed[: len(packed) // 2]


def truncated_deflate() -> bytes:
    packed = zlib.compress(json.dumps({"id": "x", "text": "a long answer " * 2000}).encode())
    return packed[: len(packed) // 2]


BROKEN = {
    "closed_mid_body": lambda: RawReply(head(length=4000), [b'{"id": "x", "te']),
    "reset_mid_body": lambda: RawReply(head(length=4000), [b'{"id": "x", "te'], end="reset"),
    "closed_mid_chunked": lambda: RawReply(
        head(chunked=True), chunked([b'{"id": "x", '], last=False)
    ),
    "reset_mid_chunked": lambda: RawReply(
        head(chunked=True), chunked([b'{"id": "x", '], last=False), end="reset"
    ),
    # The provider keeps the connection open after the bad chunk: only the proxy can end it.
    # (Paced, so that the bad chunk arrives in a read of its own, after the headers.)
    "invalid_chunk_size": lambda: RawReply(
        head(chunked=True), [b'7\r\n{"id": \r\n', b'ZZ\r\n"x"}\r\n0\r\n\r\n'], end="hold", pause=0.1
    ),
    # Decoding errors are paced too, so that they fail while reading the body.
    "truncated_gzip": lambda: RawReply(
        head(length=len(gz := truncated_gzip()), encoding="gzip"), [gz], pause=0.1
    ),
    "truncated_deflate": lambda: RawReply(
        head(length=len(z := truncated_deflate()), encoding="deflate"), [z], end="hold", pause=0.1
    ),
    "undecodable_gzip": lambda: RawReply(
        head(length=10, encoding="gzip"), [b"0123456789"], pause=0.1
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
async def test_an_answer_that_breaks_off_is_a_502_bad_response_audited_as_forwarded(
    case: str,
    wire: str,
    start_voile: VoileFactory,
    fault_config: Callable[..., Config],
    raw_provider: RawProvider,
) -> None:
    raw_provider.replies.append(BROKEN[case]())
    server, config = await voile_for(start_voile, fault_config, raw_provider)
    status, body = await post(server, wire)

    assert status == 502
    error = json.loads(body)
    assert error_code(wire, error) == "upstream_bad_response"
    assert error_type(wire, error) == "api_error"
    assert "nothing was forwarded" not in error["error"]["message"]
    record = outcome(config)
    assert (record.decision, record.status, record.error_code) == (
        Decision.FORWARDED.value,
        502,
        "upstream_bad_response",
    )


async def test_silence_mid_body_is_a_504_audited_as_forwarded(
    wire: str,
    start_voile: VoileFactory,
    fault_config: Callable[..., Config],
    raw_provider: RawProvider,
) -> None:
    raw_provider.replies.append(RawReply(head(length=4000), [b'{"id": "x", '], end="hold"))
    server, config = await voile_for(start_voile, fault_config, raw_provider, timeout=0.5)
    status, body = await post(server, wire)

    assert status == 504
    assert error_code(wire, json.loads(body)) == "upstream_timeout"
    record = outcome(config)
    assert (record.decision, record.status, record.error_code) == (
        Decision.FORWARDED.value,
        504,
        "upstream_timeout",
    )


# ------------------------------------------------------------------ model listings (GET)

MODEL_LISTING = {"openai": "/openai/v1/models", "anthropic": "/anthropic/v1/models"}
LISTING_FAULTS: dict[str, tuple[Callable[[], RawReply], str]] = {
    "too_large": (
        lambda: RawReply(head(length=8 * LIMIT), huge_json(8 * LIMIT)),
        "upstream_answer_too_large",
    ),
    "closed_mid_body": (
        lambda: RawReply(head(length=4000), [b'{"data": ['], pause=0.1),
        "upstream_bad_response",
    ),
}


@pytest.mark.parametrize("case", sorted(LISTING_FAULTS))
async def test_a_model_listing_is_bounded_and_a_broken_one_is_a_502(
    case: str,
    wire: str,
    start_voile: VoileFactory,
    fault_config: Callable[..., Config],
    raw_provider: RawProvider,
) -> None:
    reply, code = LISTING_FAULTS[case]
    raw_provider.replies.append(reply())
    server, config = await voile_for(start_voile, fault_config, raw_provider)
    async with (
        asyncio.timeout(30),
        aiohttp.ClientSession() as http,
        http.get(
            server.make_url(MODEL_LISTING[wire]),
            headers={"Authorization": f"Bearer {APP_KEY}", "x-api-key": APP_KEY},
        ) as response,
    ):
        status, body = response.status, await response.read()
    assert status == 502
    assert error_code(wire, json.loads(body)) == code
    record = outcome(config)
    assert (record.decision, record.status, record.error_code) == (
        Decision.FORWARDED.value,
        502,
        code,
    )


# ------------------------------------------------------------------------------- streams


def sse_events(wire: str) -> list[bytes]:
    """The first events of a streamed answer, in the format's own framing."""
    if wire == "openai":
        chunk = {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": MODELS[wire],
            "choices": [{"index": 0, "finish_reason": None, "delta": {"content": "Bonjour "}}],
        }
        return [f"data: {json.dumps(chunk)}\n\n".encode()]
    message: dict[str, Any] = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": MODELS[wire],
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 5, "output_tokens": 1},
    }
    return [
        f"event: message_start\ndata: {json.dumps({'type': 'message_start', 'message': message})}"
        "\n\n".encode(),
        b'event: content_block_start\ndata: {"type": "content_block_start", "index": 0, '
        b'"content_block": {"type": "text", "text": ""}}\n\n',
        b'event: content_block_delta\ndata: {"type": "content_block_delta", "index": 0, '
        b'"delta": {"type": "text_delta", "text": "Bonjour "}}\n\n',
    ]


def stream_error(wire: str, streamed: bytes) -> dict[str, Any]:
    """The error event that ends what the app received."""
    last = streamed.decode().strip().split("\n\n")[-1]
    if wire == "anthropic":
        assert last.startswith("event: error\n")
    data = last.rsplit("data: ", 1)[1]
    error: dict[str, Any] = json.loads(data)
    return error


SSE_HEAD = head(chunked=True, content_type="text/event-stream")


@pytest.mark.parametrize("end", ["reset", "close"])
async def test_a_stream_broken_mid_way_ends_with_an_error_event_and_the_outcome_says_so(
    end: str,
    wire: str,
    start_voile: VoileFactory,
    fault_config: Callable[..., Config],
    raw_provider: RawProvider,
) -> None:
    raw_provider.replies.append(
        RawReply(
            SSE_HEAD,
            chunked(sse_events(wire), last=False),
            end="reset" if end == "reset" else "close",
        )
    )
    server, config = await voile_for(start_voile, fault_config, raw_provider)
    status, streamed = await post(server, wire, stream=True)

    assert status == 200  # the headers were sent before the provider broke off
    assert b"Bonjour " in streamed  # what came before the break was relayed
    error = stream_error(wire, streamed)
    assert error_code(wire, error) == "upstream_bad_response"
    record = await stream_outcome(config)
    assert (record.decision, record.status, record.error_code) == (
        Decision.FORWARDED.value,
        200,
        "stream_upstream_bad_response",
    )


async def test_a_stream_event_over_the_limit_ends_the_stream_and_reading_stops(
    wire: str,
    start_voile: VoileFactory,
    fault_config: Callable[..., Config],
    raw_provider: RawProvider,
) -> None:
    """A stream is not bounded as a whole (it is never held), but one event is: by
    `limits.max_answer_bytes` (here 1 MiB), at most the SSE decoder's own 16 MiB."""

    def endless_event() -> Iterator[bytes]:
        yield from sse_events(wire)
        yield b'data: {"text": "'
        for _ in range(HUGE // PIECE):
            yield b"a" * PIECE

    raw_provider.replies.append(RawReply(SSE_HEAD, chunked(endless_event())))
    server, config = await voile_for(start_voile, fault_config, raw_provider)
    status, streamed = await post(server, wire, stream=True)

    assert status == 200
    assert error_code(wire, stream_error(wire, streamed)) == "upstream_bad_response"
    await asyncio.wait_for(raw_provider.finished.wait(), 15)
    assert raw_provider.sent_bytes < LIMIT + IN_FLIGHT
    record = await stream_outcome(config)
    assert (record.decision, record.status, record.error_code) == (
        Decision.FORWARDED.value,
        200,
        "stream_upstream_bad_response",
    )


# ------------------------------------------------------------------ what the trail keeps


async def decrypted_response(config: Config) -> Any:
    record = await stream_outcome(config)
    store = audit_store_of(config)
    try:
        return store.decrypt_payload(record)["response"]
    finally:
        store.close()


async def test_a_large_answer_is_restored_and_the_trail_keeps_only_its_head(
    voile: TestServer,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    """600 KB: restored in a worker thread (over 256 KiB), relayed whole to the app, and kept
    in the trail as its first TRANSCRIPT_LIMIT bytes with its full size."""
    padding = "lorem ipsum " * 50_000

    def long_answer(body: dict[str, Any]) -> Reply:
        token = TOKEN_PATTERN.search(body["messages"][0]["content"])
        assert token is not None
        return Reply(content=f"Dear {token.group()}, {padding}")

    fake_openai.reply_factory = long_answer
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            voile.make_url("/openai/v1/chat/completions"),
            json={"model": "m", "messages": [{"role": "user", "content": "Bonjour Jean Dupont"}]},
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as response,
    ):
        assert response.status == 200
        answer = await response.json()
    assert answer["choices"][0]["message"]["content"] == f"Dear Jean Dupont, {padding}"

    config = make_config()
    record = outcome(config)
    assert (record.decision, record.status, record.error_code) == ("forwarded", 200, None)
    kept = await decrypted_response(config)
    assert kept["truncated"] is True
    assert kept["bytes"] > len(padding)
    assert len(kept["head"]) == TRANSCRIPT_LIMIT
    assert "Jean Dupont" not in kept["head"]  # the trail keeps the masked answer


async def test_a_small_answer_is_kept_whole_and_passed_on_byte_for_byte(
    voile: TestServer,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    """Nothing to restore: the app gets the provider's own bytes, not a re-encoding."""
    fake_openai.replies.append(Reply(content="Nothing personal here."))
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            voile.make_url("/openai/v1/chat/completions"),
            json={"model": "m", "messages": [{"role": "user", "content": "hello"}]},
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as response,
    ):
        raw = await response.read()
    assert b'"content": "Nothing personal here."' in raw  # aiohttp's json_response spacing
    kept = await decrypted_response(make_config())
    assert kept["choices"][0]["message"]["content"] == "Nothing personal here."
    assert "truncated" not in kept


async def test_a_long_stream_is_relayed_whole_and_the_trail_says_what_it_cut(
    voile: TestServer,
    fake_openai: FakeOpenAI,
    make_config: Callable[..., Config],
) -> None:
    text = "abcdefghij" * 40_000  # 400,000 characters
    fake_openai.replies.append(Reply(content=text, chunk_sizes=[50_000]))
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            voile.make_url("/openai/v1/chat/completions"),
            json={"model": "m", "stream": True, "messages": [{"role": "user", "content": "hi"}]},
            headers={"Authorization": f"Bearer {APP_KEY}"},
        ) as response,
    ):
        streamed = await response.read()
    received = "".join(
        json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
        for line in streamed.decode().split("\n")
        if line.startswith("data: {")
    )
    assert received == text
    kept = await decrypted_response(make_config())
    assert kept["stream"] is True
    assert kept["truncated"] is True
    assert list(kept["chars"].values()) == [len(text)]
    assert [len(t) for t in kept["transcript"].values()] == [TRANSCRIPT_LIMIT]
