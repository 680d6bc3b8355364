"""A small OpenAI-compatible provider for tests: records what it receives, answers in OpenAI's
exact JSON and SSE formats.

By default it echoes the last user text it received (so a test sees exactly what the provider
saw, placeholders included, and what the proxy restored from it). A test can instead script
the answer: fixed content, tool calls, an error status, a stream cut into chosen pieces, a
stream that breaks off, or silence.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class ToolCall:
    name: str
    arguments: str
    id: str = "call_abc123"


@dataclass
class Reply:
    """What the fake answers next. `content=None` means: echo the last user text."""

    content: str | None = None
    tool_calls: Sequence[ToolCall] = ()
    status: int = 200
    error_body: Any = None  # sent as JSON when status >= 400
    raw_body: bytes | None = None  # sent as is (to test garbage answers)
    chunk_sizes: Sequence[int] | None = None  # characters per content delta; default 4
    split_at: Sequence[int] | None = None  # explicit cut offsets in the content, overrides sizes
    byte_chunks: int | None = None  # also cut the SSE byte stream every N bytes
    break_after_chunks: int | None = None  # drop the connection after N content chunks
    delay_seconds: float = 0.0  # before answering
    frame_delay_seconds: float = 0.0  # between SSE frames, like a model generating tokens
    send_done: bool = True


def last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            return "".join(p.get("text", "") for p in content if p.get("type") == "text")
    return ""


def _pieces(text: str, reply: Reply) -> list[str]:
    if reply.split_at is not None:
        cuts = [0, *sorted(set(reply.split_at)), len(text)]
        return [text[a:b] for a, b in itertools.pairwise(cuts) if b > a]
    sizes = list(reply.chunk_sizes or [4])
    pieces, position, i = [], 0, 0
    while position < len(text):
        size = sizes[i % len(sizes)]
        pieces.append(text[position : position + size])
        position += size
        i += 1
    return pieces


@dataclass
class FakeOpenAI:
    model: str = "gpt-4o-mini"
    replies: list[Reply] = field(default_factory=list)  # consumed in order, then echo
    received: list[dict[str, Any]] = field(default_factory=list)  # every request body
    headers: list[dict[str, str]] = field(default_factory=list)
    reply_factory: Callable[[dict[str, Any]], Reply] | None = None  # answer from the request

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self.chat)
        app.router.add_get("/v1/models", self.models)
        return app

    @property
    def last(self) -> dict[str, Any]:
        return self.received[-1]

    def everything_received(self) -> str:
        """All the request bodies as one string, to assert that a value never arrived."""
        return json.dumps(self.received, ensure_ascii=False)

    async def models(self, request: web.Request) -> web.Response:
        self.headers.append(dict(request.headers))
        return web.json_response({
            "object": "list",
            "data": [{"id": self.model, "object": "model", "created": 1700000000,
                      "owned_by": "system"}],
        })

    async def chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.received.append(body)
        self.headers.append(dict(request.headers))
        if self.replies:
            reply = self.replies.pop(0)
        elif self.reply_factory is not None:
            reply = self.reply_factory(body)
        else:
            reply = Reply()
        if reply.delay_seconds:
            await asyncio.sleep(reply.delay_seconds)
        if reply.raw_body is not None:
            return web.Response(status=reply.status, body=reply.raw_body,
                                content_type="text/html")
        if reply.status >= 400:
            return web.json_response(reply.error_body, status=reply.status)
        content = reply.content if reply.content is not None else last_user_text(body)
        if reply.tool_calls:
            content = reply.content or ""
        if body.get("stream"):
            return await self._stream(request, body, reply, content)
        return web.json_response(self._completion(body, reply, content))

    def _completion(self, body: dict[str, Any], reply: Reply, content: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": content or None if reply.tool_calls else content,
            "refusal": None,
            "annotations": [],
        }
        if reply.tool_calls:
            message["tool_calls"] = [
                {"id": c.id, "type": "function",
                 "function": {"name": c.name, "arguments": c.arguments}}
                for c in reply.tool_calls
            ]
        return {
            "id": "chatcmpl-fake123",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [{
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "tool_calls" if reply.tool_calls else "stop",
            }],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }

    async def _stream(
        self, request: web.Request, body: dict[str, Any], reply: Reply, content: str
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream; charset=utf-8",
                                               "x-request-id": "req_fake"})
        await response.prepare(request)
        created = int(time.time())
        model = body.get("model", self.model)

        def chunk(delta: dict[str, Any], finish: str | None = None,
                  usage: Any = None, choices: bool = True) -> bytes:
            data: dict[str, Any] = {
                "id": "chatcmpl-fake123", "object": "chat.completion.chunk", "created": created,
                "model": model, "service_tier": "default", "system_fingerprint": "fp_fake",
                "choices": [{"index": 0, "delta": delta, "logprobs": None,
                             "finish_reason": finish}] if choices else [],
            }
            if usage is not None or not choices:
                data["usage"] = usage
            return f"data: {json.dumps(data, separators=(',', ':'))}\n\n".encode()

        frames = [chunk({"role": "assistant", "content": "", "refusal": None})]
        for piece in _pieces(content, reply) if content else []:
            frames.append(chunk({"content": piece}))
        for index, call in enumerate(reply.tool_calls):
            frames.append(chunk({"tool_calls": [{
                "index": index, "id": call.id, "type": "function",
                "function": {"name": call.name, "arguments": ""}}]}))
            for piece in _pieces(call.arguments, reply):
                frames.append(chunk({"tool_calls": [{"index": index,
                                                     "function": {"arguments": piece}}]}))
        broken = reply.break_after_chunks is not None
        if broken:
            frames = frames[: reply.break_after_chunks]
        else:
            frames.append(chunk({}, "tool_calls" if reply.tool_calls else "stop"))
            if (body.get("stream_options") or {}).get("include_usage"):
                frames.append(chunk({}, usage={"prompt_tokens": 11, "completion_tokens": 7,
                                               "total_tokens": 18}, choices=False))
            if reply.send_done:
                frames.append(b"data: [DONE]\n\n")
        data = b"".join(frames) if reply.byte_chunks else None
        if data is not None:
            step = reply.byte_chunks or 1
            for start in range(0, len(data), step):
                await response.write(data[start : start + step])
        else:
            for frame in frames:
                await response.write(frame)
                if reply.frame_delay_seconds:
                    await asyncio.sleep(reply.frame_delay_seconds)
        if broken and request.transport is not None:
            request.transport.close()
            return response
        await response.write_eof()
        return response
