"""The data path of one governed request, as one function that reads top to bottom.

    identify app → read body → extract every text → detect (off the loop) → mask by policy
      → forward → restore (JSON, or SSE incrementally) → respond

The audit record and the canonical log line are written by the caller (`proxy.app`) from the
`RequestContext`, for every outcome, errors included.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from audit.events import Decision
from proxy.apps import AppDirectory
from proxy.auditing import AuditWriter
from proxy.config import Config, ProviderSettings
from proxy.context import RequestContext
from proxy.detection.types import Analysis, DetectionError, Detector
from proxy.errors import (
    BadRequest,
    BodyTooLarge,
    DetectionUnavailable,
    MalformedJson,
    PolicyBlocked,
    UpstreamProtocolError,
    VoileError,
)
from proxy.formats import openai
from proxy.formats.document import Document
from proxy.logging import get_logger
from proxy.masking import mask_texts
from proxy.placeholders import Vault
from proxy.restore import restore_text
from proxy.sse import SSEDecoder, SSEEvent, encode_event
from proxy.upstream import client_timeout, request_headers, response_headers, translate_failure

log = get_logger("voile.relay")

# How much of a streamed answer (masked form) the audit payload keeps per text stream.
_TRANSCRIPT_LIMIT = 256 * 1024


@dataclass
class Services:
    """What the relay needs, created once at start-up (see `proxy.app`)."""

    config: Config
    apps: AppDirectory
    detector: Detector
    audit: AuditWriter
    http: aiohttp.ClientSession
    placeholder_secret: bytes


async def relay_chat_completions(
    request: web.Request, ctx: RequestContext, services: Services, provider: ProviderSettings,
    upstream_url: str,
) -> web.StreamResponse:
    app = services.apps.identify(request.headers)
    ctx.app, ctx.policy = app.name, app.policy
    body = await read_json_object(request, services.config.limits.max_body_bytes)
    ctx.model = body.get("model") if isinstance(body.get("model"), str) else None
    ctx.stream = body.get("stream") is True

    document = openai.chat_request_texts(body, app.policy)
    analyses = await detect(document, ctx, services)
    ctx.vault = Vault(app_secret(services.placeholder_secret, app.name))
    masked_body = mask(document, analyses, ctx)

    headers = request_headers(request.headers, provider, app)
    started = time.perf_counter()
    try:
        upstream = await services.http.post(
            upstream_url, json=masked_body, headers=headers, timeout=client_timeout(provider)
        )
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise translate_failure(ctx.provider, exc) from None
    ctx.timed("upstream_headers", started)
    async with upstream:
        if upstream.status == 200 and upstream.content_type == "text/event-stream":
            return await stream_back(request, upstream, ctx, services)
        return await answer_back(upstream, ctx, services)


def app_secret(placeholder_secret: bytes, app_name: str) -> bytes:
    """Each app gets its own token space: the same value has unrelated tokens in two apps, so
    a provider cannot link one app's data to another's."""
    return hmac.new(placeholder_secret, b"voile/placeholders/" + app_name.encode(),
                    hashlib.sha256).digest()


async def read_json_object(request: web.Request, limit: int) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(f"Request body exceeds the limit of {limit} bytes.")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise BodyTooLarge(f"Request body exceeds the limit of {limit} bytes.") from None
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        where = f" at position {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
        raise MalformedJson(f"Request body is not valid JSON{where}.") from None
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    return body


async def detect(document: Document, ctx: RequestContext, services: Services) -> list[Analysis]:
    texts = document.texts
    ctx.texts = len(texts)
    if len(texts) > services.config.limits.max_texts:
        raise BadRequest(f"Request has {len(texts)} text fields; the limit is "
                         f"{services.config.limits.max_texts}.")
    assert ctx.policy is not None
    started = time.perf_counter()
    try:
        analyses = await services.detector.analyze(texts, ctx.policy.spec.languages)
    except DetectionError as exc:
        raise DetectionUnavailable(
            "Personal-data detection is unavailable, so the request was not forwarded."
        ) from exc
    finally:
        ctx.timed("detect", started)
    if len(analyses) != len(texts):
        raise DetectionUnavailable("Detection returned a partial result; nothing was forwarded.")
    return analyses


def mask(document: Document, analyses: list[Analysis], ctx: RequestContext) -> dict[str, Any]:
    assert ctx.policy is not None
    assert ctx.vault is not None
    started = time.perf_counter()
    try:
        result = mask_texts(document.texts, analyses, ctx.policy, ctx.vault)
    finally:
        ctx.timed("mask", started)
    # Counts are recorded even when the policy blocks, so the audit says what was refused.
    ctx.entity_counts, ctx.actions = result.entity_counts, result.actions
    if result.blocked:
        raise PolicyBlocked(
            f"Request blocked by policy '{ctx.policy.name}': it contains "
            f"{', '.join(result.blocked)}, which this policy does not allow to leave."
        )
    masked_body = document.apply(result.texts)
    ctx.masked_request = masked_body
    return masked_body


async def answer_back(
    upstream: aiohttp.ClientResponse, ctx: RequestContext, services: Services
) -> web.Response:
    """A whole (non-streamed) answer, success or provider error, restored then audited."""
    raw = await upstream.read()
    assert ctx.vault is not None
    count = openai.RestoreCount()
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        payload = None
    ctx.status = upstream.status
    if payload is None:
        if 200 <= upstream.status < 300:
            raise UpstreamProtocolError(
                f"Provider '{ctx.provider}' answered with a body that is not JSON."
            )
        text, count.restored, count.unresolved = restore_text(
            raw.decode("utf-8", "replace"), ctx.vault.value_of
        )
        body = text.encode()
        ctx.response_body = {"status": upstream.status, "text": raw.decode("utf-8", "replace")}
    else:
        ctx.response_body = payload
        restored = openai.restore_json(payload, ctx.vault.value_of, count)
        body = json.dumps(restored, ensure_ascii=False).encode()
        ctx.prompt_tokens, ctx.completion_tokens = openai.usage_of(payload)
    ctx.restored, ctx.unresolved = count.restored, count.unresolved
    ctx.error_code = None if upstream.status < 400 else "upstream_error"
    ctx.decision = Decision.FORWARDED
    # Audited before the app sees the answer: no unaudited exchange is ever delivered.
    await services.audit.write(ctx.audit_event())
    ctx.audited = True
    headers = response_headers(upstream.headers)
    headers["x-voile-request-id"] = ctx.request_id
    if count.unresolved:
        headers["x-voile-unresolved"] = str(count.unresolved)
    return web.Response(status=upstream.status, body=body, headers=headers)


async def stream_back(
    request: web.Request, upstream: aiohttp.ClientResponse, ctx: RequestContext,
    services: Services,
) -> web.StreamResponse:
    """Relay SSE as it comes, restoring placeholders incrementally; never buffer the answer."""
    assert ctx.vault is not None
    ctx.status = upstream.status
    ctx.decision = Decision.FORWARDED
    response = web.StreamResponse(
        status=upstream.status, headers=response_headers(upstream.headers)
    )
    response.headers["x-voile-request-id"] = ctx.request_id
    response.headers["Cache-Control"] = "no-cache"
    await response.prepare(request)

    decoder = SSEDecoder()
    restorer = openai.ChatStreamRestorer(ctx.vault.value_of)
    transcript: dict[str, list[str]] = {}
    started = time.perf_counter()
    first = True
    try:
        async for chunk in upstream.content.iter_any():
            for event in decoder.feed(chunk):
                out = _restore_event(event, restorer, ctx, transcript)
                if out:
                    await response.write(out)
                    if first:
                        ctx.timed("first_byte", started)
                        first = False
        for event in decoder.finish():
            out = _restore_event(event, restorer, ctx, transcript)
            if out:
                await response.write(out)
        tail = restorer.finish()
        if tail is not None:  # the stream ended without [DONE] and with text still held
            await response.write(encode_event(SSEEvent(data=json.dumps(tail, ensure_ascii=False))))
    except ConnectionResetError:
        ctx.error_code = "client_disconnected"
    except (aiohttp.ClientError, TimeoutError, VoileError) as exc:
        # Headers are sent: the failure goes to the client in OpenAI's in-stream error form.
        error = exc if isinstance(exc, VoileError) else translate_failure(ctx.provider, exc)
        ctx.error_code = f"stream_{error.code}"
        await response.write(encode_event(SSEEvent(data=json.dumps(openai.error_body(error)))))
    finally:
        ctx.timed("stream", started)
        ctx.restored, ctx.unresolved = restorer.count.restored, restorer.count.unresolved
        ctx.response_body = {
            "stream": True,
            "transcript": {key: "".join(parts) for key, parts in transcript.items()},
        }
    await response.write_eof()
    return response


def _restore_event(
    event: SSEEvent, restorer: openai.ChatStreamRestorer, ctx: RequestContext,
    transcript: dict[str, list[str]],
) -> bytes:
    if event.data is None or event.data == "" or event.comment is not None:
        return encode_event(event)
    if event.data.strip() == "[DONE]":
        tail = restorer.finish()
        prefix = b""
        if tail is not None:
            prefix = encode_event(SSEEvent(data=json.dumps(tail, ensure_ascii=False)))
        return prefix + encode_event(event)
    try:
        chunk = json.loads(event.data)
    except ValueError:
        raise UpstreamProtocolError(
            f"Provider '{ctx.provider}' sent a stream event that is not JSON."
        ) from None
    if not isinstance(chunk, dict):
        return encode_event(event)
    _record(chunk, transcript)
    if "error" in chunk:
        assert ctx.vault is not None
        count = openai.RestoreCount()
        chunk = openai.restore_json(chunk, ctx.vault.value_of, count)
        return encode_event(SSEEvent(event=event.event, data=json.dumps(chunk, ensure_ascii=False)))
    prompt, completion = openai.usage_of(chunk)
    if prompt is not None:
        ctx.prompt_tokens, ctx.completion_tokens = prompt, completion
    if not restorer.feed(chunk):
        return encode_event(event)  # untouched: the provider's own bytes, framing and all
    return encode_event(
        SSEEvent(event=event.event, id=event.id, data=json.dumps(chunk, ensure_ascii=False,
                                                                 separators=(",", ":")))
    )


def _record(chunk: dict[str, Any], transcript: dict[str, list[str]]) -> None:
    """Keep the masked text of the answer (as the provider sent it) for the audit payload."""
    for choice in chunk.get("choices") or []:
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if not isinstance(delta, dict):
            continue
        index = choice.get("index", 0)
        pieces = [(f"{index}.content", delta.get("content"))]
        for call in delta.get("tool_calls") or []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict):
                pieces.append((f"{index}.tool_calls.{call.get('index', 0)}",
                               function.get("arguments")))
        for key, text in pieces:
            if isinstance(text, str) and text:
                parts = transcript.setdefault(key, [])
                if sum(map(len, parts)) < _TRANSCRIPT_LIMIT:
                    parts.append(text)
