"""A small OpenAI-compatible provider for tests: records what it receives, answers in OpenAI's
exact JSON and SSE formats.

Routes: `/v1/chat/completions`, `/v1/responses` (with the Responses API's named events and
sequence numbers), `/v1/embeddings`, `/v1/completions` (legacy) and `/v1/models`; and what
the provider stores: responses (retrieved, streamed again, cancelled, deleted, their input
items; `background: true` ones answer `queued` first), `/v1/responses/input_tokens`,
conversations and their items, and chat completions created with `store: true` (listed,
retrieved, updated, deleted, their messages). Every call is in `calls` (method, path, query).

By default it echoes the last user text it received (so a test sees exactly what the provider
saw, placeholders included, and what the proxy restored from it). A test can instead script
the answer: fixed content, tool calls, an error status, a stream cut into chosen pieces, a
stream that breaks off, or silence.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

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
    # Responses API only:
    reasoning_summary: str | None = None  # a reasoning item with this summary comes first
    terminal: Literal["completed", "incomplete", "failed", "error"] = "completed"
    error_message: str = "The server had an error while processing your request."
    response_id: str = "resp_fake123"
    completion_id: str = "chatcmpl-fake123"  # Chat Completions


def last_user_text(body: dict[str, Any]) -> str:
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            return "".join(p.get("text", "") for p in content if p.get("type") == "text")
    return ""


def responses_user_text(body: dict[str, Any]) -> str:
    """The Responses API's last user text: `input` itself, or its last user message."""
    value = body.get("input")
    if isinstance(value, str):
        return value
    for item in reversed(value or []):
        if item.get("role") == "user" and item.get("type", "message") == "message":
            content = item.get("content")
            if isinstance(content, str):
                return content
            return "".join(p.get("text", "") for p in content if p.get("type") == "input_text")
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
    calls: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, query
    # What the provider keeps: by response, conversation and chat completion id.
    stored_responses: dict[str, StoredResponse] = field(default_factory=dict)
    conversations: dict[str, dict[str, Any]] = field(default_factory=dict)
    stored_chats: dict[str, dict[str, Any]] = field(default_factory=dict)

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._record_call])
        app.router.add_post("/v1/chat/completions", self.chat)
        app.router.add_post("/v1/responses", self.responses)
        app.router.add_post("/v1/embeddings", self.embeddings)
        app.router.add_post("/v1/completions", self.completions)
        app.router.add_get("/v1/models", self.models)
        stored = StoredRoutes(self)
        app.router.add_post("/v1/responses/input_tokens", stored.input_tokens)
        app.router.add_get("/v1/responses/{id}", stored.response)
        app.router.add_delete("/v1/responses/{id}", stored.response_delete)
        app.router.add_post("/v1/responses/{id}/cancel", stored.response_cancel)
        app.router.add_get("/v1/responses/{id}/input_items", stored.input_items)
        app.router.add_post("/v1/conversations", stored.conversation_create)
        app.router.add_route("*", "/v1/conversations/{id}", stored.conversation)
        app.router.add_route("*", "/v1/conversations/{id}/items", stored.items)
        app.router.add_route("*", "/v1/conversations/{id}/items/{item}", stored.item)
        app.router.add_get("/v1/chat/completions", stored.chat_list)
        app.router.add_route("*", "/v1/chat/completions/{id}", stored.chat_completion)
        app.router.add_get("/v1/chat/completions/{id}/messages", stored.chat_messages)
        return app

    @web.middleware
    async def _record_call(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.calls.append((request.method, request.path, request.query_string))
        response: web.StreamResponse = await handler(request)
        return response

    @property
    def last(self) -> dict[str, Any]:
        return self.received[-1]

    def everything_received(self) -> str:
        """All the request bodies as one string, to assert that a value never arrived."""
        return json.dumps(self.received, ensure_ascii=False)

    async def models(self, request: web.Request) -> web.Response:
        self.headers.append(dict(request.headers))
        return web.json_response(
            {
                "object": "list",
                "data": [
                    {
                        "id": self.model,
                        "object": "model",
                        "created": 1700000000,
                        "owned_by": "system",
                    }
                ],
            }
        )

    async def _receive(self, request: web.Request) -> tuple[dict[str, Any], Reply]:
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
        return body, reply

    @staticmethod
    def _scripted_failure(reply: Reply) -> web.Response | None:
        if reply.raw_body is not None:
            return web.Response(status=reply.status, body=reply.raw_body, content_type="text/html")
        if reply.status >= 400:
            return web.json_response(reply.error_body, status=reply.status)
        return None

    async def chat(self, request: web.Request) -> web.StreamResponse:
        body, reply = await self._receive(request)
        failure = self._scripted_failure(reply)
        if failure is not None:
            return failure
        content = reply.content if reply.content is not None else last_user_text(body)
        if reply.tool_calls:
            content = reply.content or ""
        completion = self._completion(body, reply, content)
        if body.get("store"):
            self.stored_chats[reply.completion_id] = {
                "completion": {**completion, "metadata": body.get("metadata") or {}},
                "messages": body["messages"],
            }
        if body.get("stream"):
            return await self._stream(request, body, reply, content)
        return web.json_response(completion)

    def _completion(self, body: dict[str, Any], reply: Reply, content: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": content or None if reply.tool_calls else content,
            "refusal": None,
            "annotations": [],
        }
        if reply.tool_calls:
            message["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                }
                for c in reply.tool_calls
            ]
        return {
            "id": reply.completion_id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                }
            ],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
            "service_tier": "default",
            "system_fingerprint": "fp_fake",
        }

    async def _stream(
        self, request: web.Request, body: dict[str, Any], reply: Reply, content: str
    ) -> web.StreamResponse:
        created = int(time.time())
        model = body.get("model", self.model)

        def chunk(
            delta: dict[str, Any],
            finish: str | None = None,
            usage: Any = None,
            choices: bool = True,
        ) -> bytes:
            data: dict[str, Any] = {
                "id": reply.completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "service_tier": "default",
                "system_fingerprint": "fp_fake",
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]
                if choices
                else [],
            }
            if usage is not None or not choices:
                data["usage"] = usage
            return f"data: {json.dumps(data, separators=(',', ':'))}\n\n".encode()

        frames = [chunk({"role": "assistant", "content": "", "refusal": None})]
        for piece in _pieces(content, reply) if content else []:
            frames.append(chunk({"content": piece}))
        for index, call in enumerate(reply.tool_calls):
            frames.append(
                chunk(
                    {
                        "tool_calls": [
                            {
                                "index": index,
                                "id": call.id,
                                "type": "function",
                                "function": {"name": call.name, "arguments": ""},
                            }
                        ]
                    }
                )
            )
            for piece in _pieces(call.arguments, reply):
                frames.append(
                    chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
                )
        broken = reply.break_after_chunks is not None
        if broken:
            frames = frames[: reply.break_after_chunks]
        else:
            frames.append(chunk({}, "tool_calls" if reply.tool_calls else "stop"))
            if (body.get("stream_options") or {}).get("include_usage"):
                frames.append(
                    chunk(
                        {},
                        usage={"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
                        choices=False,
                    )
                )
            if reply.send_done:
                frames.append(b"data: [DONE]\n\n")
        return await _send_frames(request, reply, frames, broken=broken)

    # ------------------------------------------------------------------ Responses API

    async def responses(self, request: web.Request) -> web.StreamResponse:
        body, reply = await self._receive(request)
        failure = self._scripted_failure(reply)
        if failure is not None:
            return failure
        content = reply.content if reply.content is not None else responses_user_text(body)
        if reply.tool_calls:
            content = reply.content or ""
        output = [item for item, _ in _response_items(reply, content)]
        status = "completed" if reply.terminal == "error" else reply.terminal
        final = _response(body, self.model, status, output, reply)
        self._store_response(body, reply, content, final)
        if body.get("stream"):
            return await self._responses_stream(request, body, reply, content)
        if body.get("background"):  # answered at once; the result is polled
            return web.json_response(
                {**_response(body, self.model, "queued", [], reply), "background": True}
            )
        return web.json_response(final)

    def _store_response(
        self, body: dict[str, Any], reply: Reply, content: str, final: dict[str, Any]
    ) -> None:
        """Keep the response and its input items; in a conversation, add both to it."""
        inputs = _input_items(body.get("input"), f"{reply.response_id}_in")
        final = {**final, "background": bool(body.get("background"))}
        self.stored_responses[reply.response_id] = StoredResponse(
            final, inputs, _response_events(body, self.model, reply, content)
        )
        conversation = body.get("conversation")
        if isinstance(conversation, dict):
            conversation = conversation.get("id")
        if conversation in self.conversations:
            self.conversations[conversation]["items"].extend([*inputs, *final["output"]])

    async def _responses_stream(
        self, request: web.Request, body: dict[str, Any], reply: Reply, content: str
    ) -> web.StreamResponse:
        events = _response_events(body, self.model, reply, content)
        frames = [
            f"event: {event['type']}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n".encode()
            for event in events
        ]
        broken = reply.break_after_chunks is not None
        if broken:
            frames = frames[: reply.break_after_chunks]
        return await _send_frames(request, reply, frames, broken=broken)

    # ------------------------------------------------------------------ Embeddings

    async def embeddings(self, request: web.Request) -> web.StreamResponse:
        body, reply = await self._receive(request)
        failure = self._scripted_failure(reply)
        if failure is not None:
            return failure
        value = body["input"]
        # A string, an array of strings or of token-id arrays, or one array of token ids.
        single = not isinstance(value, list) or (value and isinstance(value[0], int))
        inputs = [value] if single else value
        size = body.get("dimensions") or 8
        data = []
        for index, text in enumerate(inputs):
            vector = [float(len(text)), float(index)] + [0.5] * (size - 2)
            embedding: Any = vector
            if body.get("encoding_format") == "base64":
                packed = struct.pack(f"<{size}f", *vector)
                embedding = base64.b64encode(packed).decode()
            data.append({"object": "embedding", "index": index, "embedding": embedding})
        return web.json_response(
            {
                "object": "list",
                "data": data,
                "model": body.get("model", self.model),
                "usage": {"prompt_tokens": 11, "total_tokens": 11},
            }
        )

    # ------------------------------------------------------------------ legacy completions

    async def completions(self, request: web.Request) -> web.StreamResponse:
        body, reply = await self._receive(request)
        failure = self._scripted_failure(reply)
        if failure is not None:
            return failure
        prompt = body.get("prompt")
        prompts = prompt if isinstance(prompt, list) else [prompt or ""]
        n = body.get("n") or 1
        texts = [
            reply.content if reply.content is not None else p for p in prompts for _ in range(n)
        ]
        created = int(time.time())
        model = body.get("model", self.model)
        usage = {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}

        def completion(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
            return {
                "id": "cmpl-fake123",
                "object": "text_completion",
                "created": created,
                "model": model,
                "choices": choices,
                **extra,
            }

        def choice(index: int, text: str, finish: str | None) -> dict[str, Any]:
            return {"text": text, "index": index, "logprobs": None, "finish_reason": finish}

        if not body.get("stream"):
            return web.json_response(
                completion([choice(i, text, "stop") for i, text in enumerate(texts)], usage=usage)
            )
        frames = [
            completion([choice(i, piece, None)])
            for i, text in enumerate(texts)
            for piece in _pieces(text, reply)
        ]
        broken = reply.break_after_chunks is not None
        if broken:
            frames = frames[: reply.break_after_chunks]
        else:
            frames.extend(completion([choice(i, "", "stop")]) for i in range(len(texts)))
            if (body.get("stream_options") or {}).get("include_usage"):
                frames.append(completion([], usage=usage))
        encoded = [f"data: {json.dumps(f, separators=(',', ':'))}\n\n".encode() for f in frames]
        if not broken and reply.send_done:
            encoded.append(b"data: [DONE]\n\n")
        return await _send_frames(request, reply, encoded, broken=broken)


def _response_events(
    body: dict[str, Any], model: str, reply: Reply, content: str
) -> list[dict[str, Any]]:
    """The real event sequence: created, in_progress, then per output item added →
    (part added → deltas → text done → part done) → item done, then the terminal event."""
    events: list[dict[str, Any]] = []
    obfuscate = (body.get("stream_options") or {}).get("include_obfuscation", True)

    def emit(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "sequence_number": len(events), **fields})

    def deltas(kind: str, text: str, **where: Any) -> None:
        for piece in _pieces(text, reply):
            extra: dict[str, Any] = {"logprobs": []} if kind.startswith("response.output_") else {}
            if obfuscate:
                extra["obfuscation"] = "x" * (8 - len(piece) % 8)
            emit(kind, **where, delta=piece, **extra)

    in_progress = _response(body, model, "in_progress", [], reply)
    emit("response.created", response=in_progress)
    emit("response.in_progress", response=in_progress)
    items = _response_items(reply, content)
    for index, (item, text) in enumerate(items):
        where = {"item_id": item["id"], "output_index": index}
        if item["type"] == "reasoning":
            emit("response.output_item.added", output_index=index, item={**item, "summary": []})
            part: dict[str, Any] = {"type": "summary_text", "text": ""}
            emit("response.reasoning_summary_part.added", **where, summary_index=0, part=part)
            deltas("response.reasoning_summary_text.delta", text, **where, summary_index=0)
            emit("response.reasoning_summary_text.done", **where, summary_index=0, text=text)
            emit(
                "response.reasoning_summary_part.done",
                **where,
                summary_index=0,
                part={**part, "text": text},
            )
        elif item["type"] == "message":
            emit(
                "response.output_item.added",
                output_index=index,
                item={**item, "status": "in_progress", "content": []},
            )
            part = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
            emit("response.content_part.added", **where, content_index=0, part=part)
            deltas("response.output_text.delta", text, **where, content_index=0)
            emit("response.output_text.done", **where, content_index=0, text=text, logprobs=[])
            emit(
                "response.content_part.done", **where, content_index=0, part={**part, "text": text}
            )
        else:
            emit(
                "response.output_item.added",
                output_index=index,
                item={**item, "status": "in_progress", "arguments": ""},
            )
            deltas("response.function_call_arguments.delta", text, **where)
            emit("response.function_call_arguments.done", **where, arguments=text)
        emit("response.output_item.done", output_index=index, item=item)
    output = [item for item, _ in items]
    if reply.terminal == "error":
        emit("error", code="server_error", message=reply.error_message, param=None)
    else:
        emit(
            f"response.{reply.terminal}",
            response=_response(body, model, reply.terminal, output, reply),
        )
    return events


def _response_items(reply: Reply, content: str) -> list[tuple[dict[str, Any], str]]:
    """The output items of a Responses answer, each with the text it streams."""
    items: list[tuple[dict[str, Any], str]] = []
    if reply.reasoning_summary is not None:
        items.append(
            (
                {
                    "id": "rs_fake123",
                    "type": "reasoning",
                    "summary": [{"type": "summary_text", "text": reply.reasoning_summary}],
                },
                reply.reasoning_summary,
            )
        )
    if content or not reply.tool_calls:
        items.append(
            (
                {
                    "id": "msg_fake123",
                    "type": "message",
                    "status": "completed",
                    "content": [
                        {"type": "output_text", "annotations": [], "logprobs": [], "text": content}
                    ],
                    "role": "assistant",
                },
                content,
            )
        )
    for index, call in enumerate(reply.tool_calls):
        items.append(
            (
                {
                    "id": f"fc_fake{index}",
                    "type": "function_call",
                    "status": "completed",
                    "arguments": call.arguments,
                    "call_id": call.id,
                    "name": call.name,
                },
                call.arguments,
            )
        )
    return items


def _response(
    body: dict[str, Any], model: str, status: str, output: list[dict[str, Any]], reply: Reply
) -> dict[str, Any]:
    """A Response object as OpenAI sends it, echoing the request's settings."""
    finished = status in ("completed", "incomplete", "failed")
    conversation = body.get("conversation")
    if isinstance(conversation, str):
        conversation = {"id": conversation}
    return {
        "id": reply.response_id,
        "object": "response",
        "created_at": 1741476542,
        "status": status,
        "background": False,
        "completed_at": 1741476543 if status == "completed" else None,
        "conversation": conversation,
        "error": {"code": "server_error", "message": reply.error_message}
        if status == "failed"
        else None,
        "incomplete_details": {"reason": "max_output_tokens"} if status == "incomplete" else None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "max_tool_calls": None,
        "model": body.get("model", model),
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": body.get("previous_response_id"),
        "prompt_cache_key": body.get("prompt_cache_key"),
        "reasoning": {"effort": None, "summary": None},
        "safety_identifier": body.get("safety_identifier"),
        "service_tier": "default",
        "store": body.get("store", True),
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": body.get("tools", []),
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": {
            "input_tokens": 11,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": 7,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": 18,
        }
        if finished
        else None,
        "user": body.get("user"),
        "metadata": body.get("metadata") or {},
    }


async def _send_frames(
    request: web.Request, reply: Reply, frames: list[bytes], *, broken: bool
) -> web.StreamResponse:
    """Write SSE frames as the reply says (paced, or cut into byte chunks), then end or break."""
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream; charset=utf-8", "x-request-id": "req_fake"}
    )
    await response.prepare(request)
    if reply.byte_chunks:
        data = b"".join(frames)
        for start in range(0, len(data), reply.byte_chunks):
            await response.write(data[start : start + reply.byte_chunks])
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


# ------------------------------------------------------------------ what the provider stores


@dataclass
class StoredResponse:
    response: dict[str, Any]  # as it is once done
    input_items: list[dict[str, Any]]
    events: list[dict[str, Any]]  # its stream, replayed by a streamed retrieve


def _input_items(value: Any, prefix: str) -> list[dict[str, Any]]:
    """A Responses `input` as the items the provider keeps: ids given, text in parts."""
    raw = [{"role": "user", "content": value}] if isinstance(value, str) else list(value or [])
    items = []
    for index, item in enumerate(raw):
        kept = {"id": item.get("id") or f"{prefix}{index}", "type": "message", **item}
        if kept["type"] == "message":
            content = kept.get("content")
            if isinstance(content, str):
                kept["content"] = [{"type": "input_text", "text": content}]
            kept.setdefault("status", "completed")
        items.append(kept)
    return items


def _page(items: list[dict[str, Any]], request: web.Request, default_order: str) -> dict[str, Any]:
    """A list answer, paged by `after`, `limit` and `order` as the API pages."""
    ordered = items if request.query.get("order", default_order) == "asc" else items[::-1]
    after = request.query.get("after")
    if after is not None:
        ids = [item["id"] for item in ordered]
        ordered = ordered[ids.index(after) + 1 :] if after in ids else []
    limit = int(request.query.get("limit", "20"))
    data = ordered[:limit]
    return {
        "object": "list",
        "data": data,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
        "has_more": len(ordered) > limit,
    }


def _not_found(what: str) -> web.Response:
    return web.json_response(
        {
            "error": {
                "message": f"No {what} found.",
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        },
        status=404,
    )


class StoredRoutes:
    """The routes on what the fake keeps (`FakeOpenAI.stored_*`, `conversations`)."""

    def __init__(self, fake: FakeOpenAI) -> None:
        self.fake = fake

    async def _body(self, request: web.Request) -> dict[str, Any]:
        body: dict[str, Any] = await request.json()
        self.fake.received.append(body)
        self.fake.headers.append(dict(request.headers))
        return body

    # responses

    async def input_tokens(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        return web.json_response(
            {
                "object": "response.input_tokens",
                "input_tokens": len(json.dumps(body.get("input"))) // 4,
            }
        )

    async def response(self, request: web.Request) -> web.StreamResponse:
        stored = self.fake.stored_responses.get(request.match_info["id"])
        if stored is None:
            return _not_found("response")
        if request.query.get("stream") != "true":
            return web.json_response(stored.response)
        after = int(request.query.get("starting_after", "-1"))
        frames = [
            f"event: {event['type']}\ndata: {json.dumps(event)}\n\n".encode()
            for event in stored.events
            if event["sequence_number"] > after
        ]
        return await _send_frames(request, Reply(), frames, broken=False)

    async def response_delete(self, request: web.Request) -> web.Response:
        response_id = request.match_info["id"]
        if self.fake.stored_responses.pop(response_id, None) is None:
            return _not_found("response")
        return web.json_response({"id": response_id, "object": "response.deleted", "deleted": True})

    async def response_cancel(self, request: web.Request) -> web.Response:
        stored = self.fake.stored_responses.get(request.match_info["id"])
        if stored is None:
            return _not_found("response")
        stored.response = {**stored.response, "status": "cancelled"}
        return web.json_response(stored.response)

    async def input_items(self, request: web.Request) -> web.Response:
        stored = self.fake.stored_responses.get(request.match_info["id"])
        if stored is None:
            return _not_found("response")
        return web.json_response(_page(stored.input_items, request, "desc"))

    # conversations

    async def conversation_create(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        conversation_id = f"conv_fake{len(self.fake.conversations) + 1}"
        self.fake.conversations[conversation_id] = {
            "id": conversation_id,
            "object": "conversation",
            "created_at": 1741900000,
            "metadata": body.get("metadata") or {},
            "items": _input_items(body.get("items"), f"{conversation_id}_msg"),
        }
        return web.json_response(self._conversation(conversation_id))

    def _conversation(self, conversation_id: str) -> dict[str, Any]:
        kept = self.fake.conversations[conversation_id]
        return {key: value for key, value in kept.items() if key != "items"}

    async def conversation(self, request: web.Request) -> web.Response:
        conversation_id = request.match_info["id"]
        if conversation_id not in self.fake.conversations:
            return _not_found("conversation")
        if request.method == "DELETE":
            del self.fake.conversations[conversation_id]
            return web.json_response(
                {"id": conversation_id, "object": "conversation.deleted", "deleted": True}
            )
        if request.method == "POST":
            body = await self._body(request)
            self.fake.conversations[conversation_id]["metadata"] = body.get("metadata") or {}
        return web.json_response(self._conversation(conversation_id))

    async def items(self, request: web.Request) -> web.Response:
        conversation = self.fake.conversations.get(request.match_info["id"])
        if conversation is None:
            return _not_found("conversation")
        if request.method == "POST":
            body = await self._body(request)
            added = _input_items(
                body["items"], f"{conversation['id']}_add{len(conversation['items'])}_"
            )
            conversation["items"].extend(added)
            return web.json_response(
                {
                    "object": "list",
                    "data": added,
                    "first_id": added[0]["id"],
                    "last_id": added[-1]["id"],
                    "has_more": False,
                }
            )
        return web.json_response(_page(conversation["items"], request, "desc"))

    async def item(self, request: web.Request) -> web.Response:
        conversation = self.fake.conversations.get(request.match_info["id"])
        found = [
            item
            for item in (conversation or {}).get("items", [])
            if item["id"] == request.match_info["item"]
        ]
        if conversation is None or not found:
            return _not_found("item")
        if request.method == "DELETE":
            conversation["items"].remove(found[0])
            return web.json_response(self._conversation(conversation["id"]))
        return web.json_response(found[0])

    # stored chat completions

    async def chat_list(self, request: web.Request) -> web.Response:
        completions = [kept["completion"] for kept in self.fake.stored_chats.values()]
        return web.json_response(_page(completions, request, "asc"))

    async def chat_completion(self, request: web.Request) -> web.Response:
        kept = self.fake.stored_chats.get(request.match_info["id"])
        if kept is None:
            return _not_found("chat completion")
        if request.method == "DELETE":
            del self.fake.stored_chats[request.match_info["id"]]
            return web.json_response(
                {
                    "id": request.match_info["id"],
                    "object": "chat.completion.deleted",
                    "deleted": True,
                }
            )
        if request.method == "POST":
            body = await self._body(request)
            kept["completion"] = {**kept["completion"], "metadata": body.get("metadata") or {}}
        return web.json_response(kept["completion"])

    async def chat_messages(self, request: web.Request) -> web.Response:
        kept = self.fake.stored_chats.get(request.match_info["id"])
        if kept is None:
            return _not_found("chat completion")
        messages = [
            {"id": f"{request.match_info['id']}-{index}", "content_parts": None, **message}
            for index, message in enumerate(kept["messages"])
        ]
        return web.json_response(_page(messages, request, "asc"))
