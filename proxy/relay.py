"""The data path of one governed request, as one function that reads top to bottom.

    identify app → read body → extract every text (per wire format) → detect (off the loop)
      → mask by policy → forward → restore (JSON, or SSE incrementally) → respond

The audit trail's write-ahead entry is committed here, just before forwarding (nothing leaves
without it); the outcome entry and the canonical log line are written by the caller
(`proxy.app`) from the `RequestContext`, for every outcome, errors included.
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
from yarl import URL

from audit.events import Decision
from proxy.apps import AppDirectory, AppIdentity
from proxy.auditing import AuditWriter, entity_actions
from proxy.config import Config, ProviderSettings
from proxy.context import RequestContext
from proxy.conversations import ConversationVault
from proxy.detection.types import Analysis, DetectionError, Detector, analyze_for_policy
from proxy.errors import (
    BadRequest,
    BodyTooLarge,
    DetectionUnavailable,
    MalformedJson,
    PolicyBlocked,
    UpstreamProtocolError,
    VoileError,
)
from proxy.formats import FORMATS
from proxy.formats.base import Endpoint, EventRestorer, RestoreCount, WireFormat
from proxy.formats.document import Document
from proxy.gate import UnauthenticatedGate
from proxy.logging import get_logger
from proxy.masking import mask_texts
from proxy.metrics import Metrics
from proxy.placeholders import Vault
from proxy.restore import restore_text
from proxy.sse import SSEDecoder, SSEProtocolError, encode_event
from proxy.upstream import client_timeout, request_headers, response_headers, translate_failure

log = get_logger("voile.relay")


@dataclass
class Services:
    """What the relay needs, created once at start-up (see `proxy.app`)."""

    config: Config
    apps: AppDirectory
    detector: Detector
    audit: AuditWriter
    http: aiohttp.ClientSession
    placeholder_secret: bytes
    conversations: ConversationVault
    metrics: Metrics
    gate: UnauthenticatedGate

    def wire_format(self, provider: str) -> WireFormat:
        return FORMATS[self.config.providers[provider].format]


async def relay(
    request: web.Request, ctx: RequestContext, services: Services, *,
    app: AppIdentity, provider: ProviderSettings, endpoint: Endpoint, upstream_url: URL,
) -> web.StreamResponse:
    body = await read_json_object(request, services.config.limits.max_body_bytes)
    ctx.model, ctx.stream = endpoint.model(body), endpoint.wants_stream(body)
    # Audit: the end user the app names, captured before `user` is masked.
    ctx.end_user = endpoint.end_user(body, request.headers, services.config.audit.end_user_header)
    # Fields the operator declared text-free for this provider skip the format's field check.
    declared = {name: body.pop(name) for name in provider.pass_fields if name in body}

    document = endpoint.texts(body, app.policy)
    analyses = await detect(document, ctx, services)
    ctx.vault = Vault(app_secret(services.placeholder_secret, app.name))
    masked_body = {**mask(document, analyses, ctx), **declared}
    ctx.inherited = await recall(services, ctx, endpoint.conversation_refs(body))

    headers = request_headers(request.headers, provider, app)
    # Audit write-ahead: nothing leaves until the intent is committed (503 otherwise).
    started = time.perf_counter()
    ctx.intent_seq = await services.audit.intent(ctx.intent_event())
    ctx.timed("audit_intent", started)
    started = time.perf_counter()
    try:
        upstream = await services.http.post(
            upstream_url, json=masked_body, headers=headers, timeout=client_timeout(provider)
        )
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise translate_failure(ctx.provider, exc) from None
    ctx.timed("upstream_headers", started)
    async with upstream:
        restorer = endpoint.stream_restorer(ctx.lookup)
        if (restorer is not None and upstream.status == 200
                and upstream.content_type == "text/event-stream"):
            return await stream_back(request, upstream, ctx, restorer, services)
        return await answer_back(upstream, ctx, endpoint, services)


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
        analyses = await analyze_for_policy(services.detector, texts, ctx.policy.spec.languages,
                                            ctx.policy.detection_options)
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
    ctx.entity_actions = entity_actions(analyses, ctx.policy, result.entity_counts)
    if result.blocked:
        raise PolicyBlocked(
            f"Request blocked by policy '{ctx.policy.name}': it contains "
            f"{', '.join(result.blocked)}, which this policy does not allow to leave."
        )
    masked_body = document.apply(result.texts)
    ctx.masked_request = masked_body
    return masked_body


async def answer_back(
    upstream: aiohttp.ClientResponse, ctx: RequestContext, endpoint: Endpoint,
    services: Services,
) -> web.Response:
    """A whole (non-streamed) answer, success or provider error, restored then audited."""
    raw = await upstream.read()
    assert ctx.vault is not None
    count = RestoreCount()
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
            raw.decode("utf-8", "replace"), ctx.lookup
        )
        body = text.encode()
        ctx.response_body = {"status": upstream.status, "text": raw.decode("utf-8", "replace")}
    else:
        ctx.response_body = payload
        restored = endpoint.restore(payload, ctx.lookup, count)
        body = json.dumps(restored, ensure_ascii=False).encode()
        usage = endpoint.usage(payload)
        ctx.prompt_tokens, ctx.completion_tokens = usage.input_tokens, usage.output_tokens
        if upstream.status < 400:
            await remember(services, ctx, endpoint.answer_refs(payload))
    ctx.restored, ctx.unresolved = count.restored, count.unresolved
    ctx.error_code = None if upstream.status < 400 else "upstream_error"
    ctx.decision = Decision.FORWARDED
    # Audited before the app sees the answer: no unaudited exchange is ever delivered.
    started = time.perf_counter()
    await services.audit.write(ctx.audit_event())
    ctx.timed("audit", started)
    ctx.audited = True
    headers = response_headers(upstream.headers)
    headers["x-voile-request-id"] = ctx.request_id
    if count.unresolved:
        headers["x-voile-unresolved"] = str(count.unresolved)
    return web.Response(status=upstream.status, body=body, headers=headers)


async def stream_back(
    request: web.Request, upstream: aiohttp.ClientResponse, ctx: RequestContext,
    restorer: EventRestorer, services: Services,
) -> web.StreamResponse:
    """Relay SSE as it comes, restoring placeholders incrementally; never buffer the answer."""
    ctx.status = upstream.status
    ctx.decision = Decision.FORWARDED
    response = web.StreamResponse(
        status=upstream.status, headers=response_headers(upstream.headers)
    )
    response.headers["x-voile-request-id"] = ctx.request_id
    response.headers["Cache-Control"] = "no-cache"
    await response.prepare(request)

    decoder = SSEDecoder()
    started = time.perf_counter()
    first = True
    try:
        async for chunk in upstream.content.iter_any():
            for event in decoder.feed(chunk):
                for out in restorer.feed(event):
                    await response.write(encode_event(out))
                if first:
                    ctx.timed("first_event", started)
                    first = False
        for event in decoder.finish():
            for out in restorer.feed(event):
                await response.write(encode_event(out))
        for out in restorer.finish():  # the upstream stream is over: release what is held
            await response.write(encode_event(out))
    except ConnectionResetError:
        ctx.error_code = "client_disconnected"
    except (aiohttp.ClientError, TimeoutError, SSEProtocolError, VoileError) as exc:
        # Headers are sent: the failure goes to the client as an in-stream error event.
        error = (exc if isinstance(exc, VoileError)
                 else UpstreamProtocolError("The provider's stream could not be read.")
                 if isinstance(exc, SSEProtocolError)
                 else translate_failure(ctx.provider, exc))
        ctx.error_code = f"stream_{error.code}"
        await response.write(encode_event(services.wire_format(ctx.provider).error_event(error)))
    finally:
        ctx.timed("stream", started)
        ctx.restored, ctx.unresolved = restorer.count.restored, restorer.count.unresolved
        ctx.prompt_tokens = restorer.usage.input_tokens
        ctx.completion_tokens = restorer.usage.output_tokens
        ctx.response_body = {"stream": True, "transcript": restorer.transcript.as_dict()}
    await remember(services, ctx, tuple(sorted(restorer.answer_refs)))
    await response.write_eof()
    return response


async def recall(services: Services, ctx: RequestContext, refs: tuple[str, ...]) -> dict[str, str]:
    """Tokens of the provider-held conversation this request continues. A failing vault only
    means some placeholders stay unrestored (and counted), so it never refuses the request."""
    if not refs:
        return {}
    started = time.perf_counter()
    try:
        return await services.conversations.recall(ctx.app, refs)
    except Exception as exc:  # any backend or decryption failure; its text is not logged
        log.error("conversation_recall_failed", request_id=ctx.request_id,
                  error_type=type(exc).__name__)
        return {}
    finally:
        ctx.timed("conversation_recall", started)


async def remember(services: Services, ctx: RequestContext, refs: tuple[str, ...]) -> None:
    if not refs or ctx.vault is None:
        return
    entries = {**ctx.inherited, **ctx.vault.entity_map()}
    try:
        await services.conversations.remember(ctx.app, refs, entries)
    except Exception as exc:  # the answer is still good; a later one may stay unrestored
        log.error("conversation_remember_failed", request_id=ctx.request_id,
                  error_type=type(exc).__name__)
