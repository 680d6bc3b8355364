"""A small Anthropic provider for tests: records what it receives, answers in Anthropic's exact
Messages JSON and SSE formats (`event:` lines, `ping`, `message_start` with usage, …).

By default it echoes the last user text it received (so a test sees exactly what the provider
saw, placeholders included, and what the proxy restored from it). A test can instead script
the answer: fixed text, tool calls (often built from the masked request, see `reply_factory`),
a thinking block, an error status, and a stream cut into chosen pieces — text and
`partial_json` at chosen offsets, several events per TCP write, events split across writes,
an error event or a dropped connection part-way.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

MESSAGE_ID = "msg_01XFDUDYJgAACzvnptvVoYEL"
REQUEST_ID = "req_011CSHoEeqs5C35K2UUqR7Fy"
USAGE_IN, USAGE_OUT = 25, 15


@dataclass
class ToolUse:
    name: str
    input: dict[str, Any]
    id: str = "toolu_01A09q90qw90lq917835lq9"


@dataclass
class Thinking:
    thinking: str
    signature: str = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"


@dataclass
class Reply:
    """What the fake answers next. `text=None` (and no tool use) means: echo the last user
    text."""

    text: str | None = None
    tool_uses: Sequence[ToolUse] = ()
    thinking: Thinking | None = None
    stop_sequence: str | None = None  # answered as the stop that ended the message
    status: int = 200
    error_body: Any = None  # sent as JSON when status >= 400
    raw_body: bytes | None = None  # sent as is (to test garbage answers)
    chunk_sizes: Sequence[int] | None = None  # characters per text / partial_json delta; def. 4
    split_at: Sequence[int] | None = None  # explicit cut offsets, overrides chunk_sizes
    json_split_at: Sequence[int] | None = None  # cut offsets of partial_json only
    start_text: int = 0  # characters of the text already in content_block_start (odd, valid)
    events_per_write: int = 1  # several whole events in one TCP write
    byte_chunks: int | None = None  # cut the SSE byte stream every N bytes instead
    error_after_events: int | None = None  # an `event: error` after N events, then the end
    break_after_events: int | None = None  # drop the connection after N events
    frame_delay_seconds: float = 0.0


def user_text(message: dict[str, Any]) -> str:
    """A user message's text: its string content, else its text blocks and tool results."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    parts: list[str] = []
    for block in content or []:
        if block.get("type") == "text":
            parts.append(block["text"])
        elif block.get("type") == "tool_result":
            inner = block.get("content")
            parts.append(inner if isinstance(inner, str) else user_text({"content": inner}))
    return "\n".join(parts)


def last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            return user_text(message)
    return ""


def pieces(text: str, sizes: Sequence[int] | None, split_at: Sequence[int] | None) -> list[str]:
    if split_at is not None:
        cuts = [0, *sorted(set(split_at)), len(text)]
        return [text[a:b] for a, b in itertools.pairwise(cuts) if b > a]
    steps, out, position = itertools.cycle(sizes or [4]), [], 0
    while position < len(text):
        size = next(steps)
        out.append(text[position : position + size])
        position += size
    return out


def sse(event: str, data: dict[str, Any], *, spaced: bool = False) -> bytes:
    """One event as Anthropic frames it: compact JSON, except its `ping`."""
    separators = (", ", ": ") if spaced else (",", ":")
    return f"event: {event}\ndata: {json.dumps(data, separators=separators)}\n\n".encode()


@dataclass
class FakeAnthropic:
    model: str = "claude-sonnet-4-6"
    replies: list[Reply] = field(default_factory=list)  # consumed in order, then echo
    received: list[dict[str, Any]] = field(default_factory=list)  # every request body
    paths: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    reply_factory: Callable[[dict[str, Any]], Reply] | None = None  # answer from the request
    streamed: list[bytes] = field(default_factory=list)  # every SSE body, as written

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/messages", self.messages)
        app.router.add_post("/v1/messages/count_tokens", self.count_tokens)
        app.router.add_get("/v1/models", self.models)
        return app

    @property
    def last(self) -> dict[str, Any]:
        return self.received[-1]

    def everything_received(self) -> str:
        """All the request bodies as one string, to assert that a value never arrived."""
        return json.dumps(self.received, ensure_ascii=False)

    async def _record(self, request: web.Request) -> dict[str, Any]:
        body: dict[str, Any] = await request.json()
        self.received.append(body)
        self.paths.append(request.path)
        self.headers.append(dict(request.headers))
        return body

    async def models(self, request: web.Request) -> web.Response:
        self.headers.append(dict(request.headers))
        return web.json_response(
            {
                "data": [
                    {
                        "type": "model",
                        "id": self.model,
                        "display_name": "Claude Sonnet 4.6",
                        "created_at": "2026-02-17T00:00:00Z",
                    }
                ],
                "has_more": False,
                "first_id": self.model,
                "last_id": self.model,
            }
        )

    async def count_tokens(self, request: web.Request) -> web.Response:
        body = await self._record(request)
        return web.json_response({"input_tokens": len(json.dumps(body)) // 4})

    async def messages(self, request: web.Request) -> web.StreamResponse:
        body = await self._record(request)
        if self.replies:
            reply = self.replies.pop(0)
        elif self.reply_factory is not None:
            reply = self.reply_factory(body)
        else:
            reply = Reply()
        if reply.raw_body is not None:
            return web.Response(status=reply.status, body=reply.raw_body, content_type="text/html")
        if reply.status >= 400:
            return web.json_response(
                reply.error_body, status=reply.status, headers={"request-id": REQUEST_ID}
            )
        text = reply.text
        if text is None and not reply.tool_uses:
            text = last_user_text(body)
        if body.get("stream"):
            return await self._stream(request, body, reply, text)
        return web.json_response(
            self._message(body, reply, text), headers={"request-id": REQUEST_ID}
        )

    def _stop(self, reply: Reply) -> tuple[str, str | None]:
        if reply.tool_uses:
            return "tool_use", None
        if reply.stop_sequence is not None:
            return "stop_sequence", reply.stop_sequence
        return "end_turn", None

    def _message(self, body: dict[str, Any], reply: Reply, text: str | None) -> dict[str, Any]:
        content: list[dict[str, Any]] = []
        if reply.thinking is not None:
            content.append(
                {
                    "type": "thinking",
                    "thinking": reply.thinking.thinking,
                    "signature": reply.thinking.signature,
                }
            )
        if text:
            content.append({"type": "text", "text": text})
        content.extend(
            {"type": "tool_use", "id": t.id, "name": t.name, "input": t.input}
            for t in reply.tool_uses
        )
        stop_reason, stop_sequence = self._stop(reply)
        return {
            "id": MESSAGE_ID,
            "type": "message",
            "role": "assistant",
            "model": body.get("model", self.model),
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": stop_sequence,
            "usage": {
                "input_tokens": USAGE_IN,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
                "output_tokens": USAGE_OUT,
                "service_tier": "standard",
            },
        }

    def _frames(self, body: dict[str, Any], reply: Reply, text: str | None) -> list[bytes]:
        start = self._message(body, reply, text)
        start.update(content=[], stop_reason=None, stop_sequence=None)
        start["usage"] = {**start["usage"], "output_tokens": 1}
        frames = [sse("message_start", {"type": "message_start", "message": start})]
        index = 0

        def block(content_block: dict[str, Any], deltas: list[dict[str, Any]]) -> None:
            nonlocal index
            frames.append(
                sse(
                    "content_block_start",
                    {"type": "content_block_start", "index": index, "content_block": content_block},
                )
            )
            if index == 0:
                frames.append(sse("ping", {"type": "ping"}, spaced=True))
            frames.extend(
                sse(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": delta},
                )
                for delta in deltas
            )
            frames.append(sse("content_block_stop", {"type": "content_block_stop", "index": index}))
            index += 1

        if reply.thinking is not None:
            block(
                {"type": "thinking", "thinking": "", "signature": ""},
                [
                    *(
                        {"type": "thinking_delta", "thinking": p}
                        for p in pieces(reply.thinking.thinking, reply.chunk_sizes, None)
                    ),
                    {"type": "signature_delta", "signature": reply.thinking.signature},
                ],
            )
        if text:
            head, rest = text[: reply.start_text], text[reply.start_text :]
            text_cuts = (
                None
                if reply.split_at is None
                else [c - reply.start_text for c in reply.split_at if c > reply.start_text]
            )
            block(
                {"type": "text", "text": head},
                [
                    {"type": "text_delta", "text": p}
                    for p in pieces(rest, reply.chunk_sizes, text_cuts)
                ],
            )
        for tool in reply.tool_uses:
            arguments = json.dumps(tool.input, ensure_ascii=False)
            cuts = reply.json_split_at if reply.json_split_at is not None else reply.split_at
            block(
                {"type": "tool_use", "id": tool.id, "name": tool.name, "input": {}},
                [
                    {"type": "input_json_delta", "partial_json": ""},
                    *(
                        {"type": "input_json_delta", "partial_json": p}
                        for p in pieces(arguments, reply.chunk_sizes, cuts)
                    ),
                ],
            )
        stop_reason, stop_sequence = self._stop(reply)
        frames.append(
            sse(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": stop_reason, "stop_sequence": stop_sequence},
                    "usage": {"output_tokens": USAGE_OUT},
                },
            )
        )
        frames.append(sse("message_stop", {"type": "message_stop"}))
        if reply.error_after_events is not None:
            frames = frames[: reply.error_after_events]
            frames.append(
                sse(
                    "error",
                    {
                        "type": "error",
                        "error": {"type": "overloaded_error", "message": "Overloaded"},
                    },
                    spaced=True,
                )
            )
        if reply.break_after_events is not None:
            frames = frames[: reply.break_after_events]
        return frames

    async def _stream(
        self, request: web.Request, body: dict[str, Any], reply: Reply, text: str | None
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "Cache-Control": "no-cache",
                "request-id": REQUEST_ID,
                "anthropic-ratelimit-requests-remaining": "49",
            }
        )
        await response.prepare(request)
        frames = self._frames(body, reply, text)
        self.streamed.append(b"".join(frames))
        if reply.byte_chunks:
            data = b"".join(frames)
            writes = [
                data[i : i + reply.byte_chunks] for i in range(0, len(data), reply.byte_chunks)
            ]
        else:
            step = max(1, reply.events_per_write)
            writes = [b"".join(frames[i : i + step]) for i in range(0, len(frames), step)]
        for chunk in writes:
            await response.write(chunk)
            if reply.frame_delay_seconds:
                await asyncio.sleep(reply.frame_delay_seconds)
        if reply.break_after_events is not None and request.transport is not None:
            request.transport.close()
            return response
        await response.write_eof()
        return response
