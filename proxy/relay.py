"""The data path of one governed request, as one function that reads top to bottom.

    (routed by `proxy.app`) → read body → extract every text (per wire format)
      → detect (off the loop) → mask by policy → write-ahead → forward
      → restore (JSON, or SSE incrementally) → respond

Each stage returns the next phase of the exchange (`proxy.exchange`: routed → scanned →
forwarded), an immutable value, and the relay notes it as reached. The audit trail's
write-ahead entry is committed here, just before forwarding (nothing leaves without it); the
outcome entry and the canonical log line are written by the caller (`proxy.app.handle`) from
the last phase reached, for every outcome, errors included.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
from aiohttp import hdrs, web

from proxy import shadow
from proxy.auditing import AuditWriter
from proxy.body import parse_body
from proxy.config import Config, ProviderSettings
from proxy.conversations import ConversationVault
from proxy.detection.cache import DetectionCache, Scope
from proxy.detection.types import Analysis, DetectionError, Detector, analyze_for_policy
from proxy.errors import (
    BadRequest,
    BodyTooLarge,
    DetectionUnavailable,
    GeneratedBlocked,
    UpstreamAnswerBroken,
    UpstreamAnswerTimeout,
    UpstreamAnswerTooLarge,
    UpstreamProtocolError,
    VoileError,
)
from proxy.exchange import Exchange, Forwarded, Routed, Scanned
from proxy.formats import FORMATS
from proxy.formats.base import (
    Endpoint,
    EventRestorer,
    RestoreCount,
    Usage,
    WireFormat,
    answer_record,
)
from proxy.formats.document import Document
from proxy.formats.tokens import NO_TOKENIZERS, Tokenizers
from proxy.gate import UnauthenticatedGate
from proxy.generated import StreamGate, answer_slots, counts, generated_findings, redact
from proxy.logging import get_logger
from proxy.masking import MaskResult, mask_texts
from proxy.metrics import Metrics
from proxy.pacing import WritePacer
from proxy.placeholders import Vault
from proxy.policy import GeneratedAction, Policy
from proxy.reload import PolicySet
from proxy.restore import Lookup, restore_text
from proxy.shadow import ShadowResult
from proxy.sse import (
    DEFAULT_MAX_EVENT_BYTES,
    SSEDecoder,
    SSEEvent,
    SSEProtocolError,
    encode_event,
)
from proxy.tracing import NO_TRACING, Tracing
from proxy.upstream import client_timeout, request_headers, response_headers, translate_failure

log = get_logger("voile.relay")


@dataclass
class Services:
    """What the relay needs, created once at start-up (see `proxy.app`). `policies` is the
    one reference a policy reload swaps (`proxy.reload`): read it once per request."""

    config: Config
    policies: PolicySet
    detector: Detector
    audit: AuditWriter
    http: aiohttp.ClientSession
    placeholder_secret: bytes
    conversations: ConversationVault
    metrics: Metrics
    gate: UnauthenticatedGate
    tokenizers: Tokenizers = NO_TOKENIZERS  # for token-id inputs (embeddings.tiktoken_dir)
    # Per process; remembers earlier turns' results (see `proxy.detection.cache`).
    detection_cache: DetectionCache = field(default_factory=lambda: DetectionCache(b"", 0))
    tracing: Tracing = NO_TRACING  # `telemetry.traces` (`proxy.tracing`)

    def wire_format(self, provider: str) -> WireFormat:
        return FORMATS[self.config.providers[provider].format]


async def relay(
    request: web.Request,
    routed: Routed,
    services: Services,
    exchange: Exchange,
) -> web.StreamResponse:
    # The app's policy may not let it use this provider at all: refused before the body is read.
    routed.refuse_if_destination_not_allowed()
    limits = services.config.limits
    with exchange.stage("parse"):
        # Routes without a body (GET, DELETE, a cancel, model listings) read none, forward none.
        body = (
            await read_json_object(request, limits.max_body_bytes, limits.max_json_depth)
            if routed.endpoint.takes_body
            else {}
        )
        routed = exchange.reached(bind(routed, body, request, services))
        # Fields the operator declared text-free for this provider skip the format's checks.
        settings = services.config.providers[routed.received.provider]
        declared = {name: body.pop(name) for name in settings.pass_fields if name in body}
        document = routed.endpoint.texts(body, routed.policy)

    analyses = await detect(document, routed.policy, services, exchange)
    vault = Vault(app_secret(services.placeholder_secret, routed.app.name))
    result = mask(document, analyses, routed, vault, exchange)
    # What a policy or rule in shadow mode would have done: audited, not applied.
    shadow = await shadow_decisions(
        document, analyses, result, routed, services=services, exchange=exchange
    )
    # Reached even when the policy blocks: the trail says what was refused.
    scanned = exchange.reached(
        Scanned.of(
            routed, document, analyses, mask=result, vault=vault, declared=declared, shadow=shadow
        )
    )
    scanned.refuse_if_blocked()
    inherited = await recall(services, routed, routed.endpoint.conversation_refs(body), exchange)
    scanned = exchange.reached(replace(scanned, inherited=inherited))

    # Audit write-ahead: nothing leaves until the intent is committed (503 otherwise).
    scanned = exchange.reached(await write_ahead(scanned, services, exchange))
    async with await forward(request, scanned, settings, services, exchange) as upstream:
        restorer = routed.endpoint.stream_restorer(scanned.lookup)
        if (
            restorer is not None
            and upstream.status == 200
            and upstream.content_type == "text/event-stream"
        ):
            return await stream_back(
                request, upstream, scanned, restorer, services=services, exchange=exchange
            )
        return await answer_back(upstream, scanned, services, exchange)


async def write_ahead(scanned: Scanned, services: Services, exchange: Exchange) -> Scanned:
    with exchange.stage("audit_intent"):
        seq = await services.audit.intent(exchange.intent_event(scanned))
    return replace(scanned, intent_seq=seq)


def bind(routed: Routed, body: dict[str, Any], request: web.Request, services: Services) -> Routed:
    """The route bound to its request: the endpoint with the request's kind of answer text
    (and the tokenizers of token-id inputs), its model, whether it streams, and its end user
    (for the audit, read before `user` is masked)."""
    endpoint = routed.endpoint.for_request(body, services.tokenizers)
    return replace(
        routed,
        endpoint=endpoint,
        model=endpoint.model(body) or routed.model,
        stream=endpoint.wants_stream(body),
        end_user=endpoint.end_user(body, request.headers, services.config.audit.end_user_header),
    )


async def forward(
    request: web.Request,
    scanned: Scanned,
    settings: ProviderSettings,
    services: Services,
    exchange: Exchange,
) -> aiohttp.ClientResponse:
    """The masked request, sent; the provider's answer once its headers are in."""
    routed = scanned.routed
    provider = routed.received.provider
    headers = request_headers(request.headers, settings, routed.app)
    started = time.perf_counter()
    try:
        upstream = await services.http.request(
            request.method,
            routed.url,
            json=scanned.body if routed.endpoint.takes_body else None,
            headers=headers,
            timeout=client_timeout(settings),
        )
    except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as exc:
        exchange.timed("upstream_failed", started)
        raise translate_failure(provider, exc) from None  # no connection: nothing left
    except (aiohttp.ClientError, TimeoutError) as exc:
        exchange.timed("upstream_failed", started)
        # Connected: the masked request may have left before the connection broke or the
        # provider went silent, so the outcome must say forwarded (502/504, not "unreachable").
        raise answer_failure(provider, exc) from None
    exchange.timed("upstream_headers", started)
    return upstream


def app_secret(placeholder_secret: bytes, app_name: str) -> bytes:
    """Each app gets its own token space: the same value has unrelated tokens in two apps, so
    a provider cannot link one app's data to another's."""
    return hmac.new(
        placeholder_secret, b"voile/placeholders/" + app_name.encode(), hashlib.sha256
    ).digest()


async def read_json_object(request: web.Request, limit: int, max_depth: int) -> dict[str, Any]:
    """The body as a JSON object, within `limit` bytes (413) and `proxy.body`'s rules (400:
    UTF-8, at most `max_depth` levels of nesting, finite numbers, valid Unicode)."""
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(f"Request body exceeds the limit of {limit} bytes.")
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise BodyTooLarge(f"Request body exceeds the limit of {limit} bytes.") from None
    return parse_body(raw, max_depth=max_depth)


async def detect(
    document: Document,
    policy: Policy,
    services: Services,
    exchange: Exchange,
    stage: str = "detect",
) -> list[Analysis]:
    texts = document.texts
    if len(texts) > services.config.limits.max_texts:
        raise BadRequest(
            f"Request has {len(texts)} text fields; the limit is "
            f"{services.config.limits.max_texts}."
        )
    # Bounds the detection work of one request, before any of it starts (see detection/pool).
    chars, max_chars = sum(len(text) for text in texts), services.config.limits.max_text_chars
    if chars > max_chars:
        raise BodyTooLarge(
            f"Request has {chars} characters of text to scan; the limit is "
            f"{max_chars} (limits.max_text_chars)."
        )
    # Only the parts of the request in the policy's scope are analysed; the others get no
    # findings of their own (masking still covers values found elsewhere in the request).
    in_scope = [index for index, part in enumerate(document.parts) if policy.scans(part)]
    if len(in_scope) < len(texts):
        found = await analyze(
            [texts[index] for index in in_scope], policy, services, exchange, stage
        )
        analyses = [Analysis(policy.spec.languages[0], ()) for _ in texts]
        for index, analysis in zip(in_scope, found, strict=True):
            analyses[index] = analysis
        return analyses
    return await analyze(texts, policy, services, exchange, stage)


async def analyze(
    texts: list[str],
    policy: Policy,
    services: Services,
    exchange: Exchange,
    stage: str = "detect",
) -> list[Analysis]:
    """One analysis per text: remembered ones from the cache, the others from the workers."""
    started = time.perf_counter()
    cache = services.detection_cache
    # Only texts not seen before (an earlier turn of a conversation) go to the workers.
    known = cache.lookup(texts, Scope.of(policy))
    missing = [texts[index] for index in known.missing]
    try:
        fresh = (
            await analyze_for_policy(
                services.detector, missing, policy.spec.languages, policy.detection_options
            )
            if missing
            else []
        )
    except DetectionError as exc:
        raise DetectionUnavailable(
            "Personal-data detection is unavailable, so the request was not forwarded."
        ) from exc
    finally:
        exchange.timed(stage, started)
    if len(fresh) != len(missing):
        raise DetectionUnavailable("Detection returned a partial result; nothing was forwarded.")
    if cache.enabled:
        services.metrics.detection_cache(known.hits, len(missing))
    return cache.complete(known, fresh)


def mask(
    document: Document,
    analyses: list[Analysis],
    routed: Routed,
    vault: Vault,
    exchange: Exchange,
) -> MaskResult:
    """Every text masked by the policy's rules for the request's app and destination;
    counted even when the policy blocks (then nothing is masked, see
    `Scanned.refuse_if_blocked`)."""
    started = time.perf_counter()
    try:
        return mask_texts(document.texts, analyses, routed.policy, vault, routed.target)
    finally:
        exchange.timed("mask", started)


async def shadow_decisions(
    document: Document,
    analyses: list[Analysis],
    result: MaskResult,
    routed: Routed,
    *,
    services: Services,
    exchange: Exchange,
) -> ShadowResult | None:
    """What the app's shadow policy would have done differently (`proxy.shadow`); None when
    nothing is in shadow mode. Never refuses the request: a failure is recorded."""
    policy = routed.app.shadow
    if policy is None:
        return None
    target = routed.target
    would_refuse = shadow.refused(policy, target)
    if would_refuse is not None:
        return would_refuse
    if not shadow.same_detection(policy, routed.policy):
        try:
            analyses = await detect(document, policy, services, exchange, stage="detect_shadow")
        except VoileError as error:
            log.warning(
                "shadow_detection_failed",
                request_id=routed.received.request_id,
                policy=policy.name,
                error_code=error.code,
            )
            return shadow.ShadowResult(policy.name, policy.sha256, error=error.code)
    started = time.perf_counter()
    try:
        return shadow.compare(policy, target, document.texts, analyses, result)
    finally:
        exchange.timed("shadow", started)


# Whole answers larger than this are parsed, restored and re-encoded in a worker thread
# (see `answer_back`); below it the work takes at most ~20 ms of the event loop (many
# small objects; a plain chat answer of that size, ~4 ms).
OFFLOAD_ANSWER_BYTES = 256 * 1024


async def answer_back(
    upstream: aiohttp.ClientResponse,
    scanned: Scanned,
    services: Services,
    exchange: Exchange,
) -> web.Response:
    """A whole (non-streamed) answer, success or provider error, restored; audited by the
    caller (`proxy.app`) before the app gets it.

    Reading stops at `limits.max_answer_bytes` (502 `upstream_answer_too_large`), and an
    answer that breaks off is a 502 `upstream_bad_response` (`read_answer`); the outcome of
    either says the request was forwarded, because it was.

    An answer over OFFLOAD_ANSWER_BYTES is parsed, restored and re-encoded in a worker thread,
    because done inline it stops the event loop, so every other request and stream, for as
    long as it takes (measured through the proxy: 1.2 s for a 60 MB text, 9.5 s for a 53 MB
    answer of many small objects such as logprobs). In a thread the restoration, which is
    Python code, lets the loop run; what still holds it is the longest single C call
    (`json.loads`, `json.dumps`) and garbage collection: 0.14 s and 2.7 s for those answers.
    `limits.max_answer_bytes` bounds that. An answer in which nothing was restored is passed
    on as the provider's own bytes, which also saves `json.dumps` (embeddings, most errors).
    """
    routed, status = scanned.routed, upstream.status
    provider = routed.received.provider
    endpoint = routed.endpoint
    with exchange.stage("read_answer"):
        raw = await read_answer(upstream, services.config.limits.max_answer_bytes, provider)
    generated: dict[str, int] = {}
    if 200 <= status < 300 and guards_generated(routed.policy):
        raw, generated = await guard_answer(raw, status, scanned, services, exchange)
    if endpoint.lists_held and 200 <= status < 300:  # ids only the answer names
        refs = await asyncio.to_thread(endpoint.listed_refs, raw)
        recalled = await recall(services, routed, refs, exchange)
        scanned = replace(scanned, inherited={**scanned.inherited, **recalled})
    with exchange.stage("restore"):
        if len(raw) > OFFLOAD_ANSWER_BYTES:
            answer = await asyncio.to_thread(restore_answer, raw, status, endpoint, scanned.lookup)
        else:
            answer = restore_answer(raw, status, endpoint, scanned.lookup)
    usage = endpoint.usage(answer.payload) if answer.payload is not None else Usage()
    # The trail keeps the answer as the provider sent it (masked), only its head if large.
    forwarded = exchange.reached(
        Forwarded(
            scanned,
            status,
            None if status < 400 else "upstream_error",
            answer.count.restored,
            answer.count.unresolved,
            usage,
            answer_record(raw, answer.payload, status),
            generated,
        )
    )
    if answer.payload is None and 200 <= status < 300 and status != 204:
        raise UpstreamAnswerBroken(f"Provider '{provider}' answered with a body that is not JSON.")
    if answer.payload is not None and status < 400:
        await remember(services, scanned, endpoint.answer_refs(answer.payload))
    if 200 <= status < 300:  # a deletion may answer 204 No Content
        await forget(services, routed, endpoint.deleted_refs(answer.payload))
    headers = response_headers(upstream.headers)
    headers["x-voile-request-id"] = routed.received.request_id
    if forwarded.unresolved:
        headers["x-voile-unresolved"] = str(forwarded.unresolved)
    return web.Response(status=status, body=answer.body, headers=headers)


def guards_generated(policy: Policy) -> bool:
    return policy.spec.generated.action is not GeneratedAction.ALLOW


def request_values(scanned: Scanned) -> list[str]:
    """What the request carried, as the provider saw it and as the app wrote it: a value
    in an answer that is one of these (or inside one) was not generated by the model."""
    return [
        *scanned.mask.texts,
        *scanned.vault.entity_map().values(),
        *scanned.inherited.values(),
    ]


async def guard_answer(
    raw: bytes, status: int, scanned: Scanned, services: Services, exchange: Exchange
) -> tuple[bytes, dict[str, int]]:
    """A whole answer with the personal data the model generated redacted, and its counts
    by type; or `GeneratedBlocked` (see `proxy.generated`). Raw bytes pass unchanged when
    nothing was found."""
    routed = scanned.routed
    policy = routed.policy
    try:
        payload = json.loads(raw) if raw else None
    except (ValueError, RecursionError):
        return raw, {}
    slots = answer_slots(payload, routed.endpoint.answer)
    if not slots:
        return raw, {}
    texts = [holder[key] for holder, key in slots]
    analyses = await analyze(texts, policy, services, exchange, stage="detect_answer")
    rules, known = policy.rulebook(routed.target), request_values(scanned)
    found = [
        generated_findings(
            text, analysis, rules, policy.spec.generated, known, forms=scanned.own_forms
        )
        for text, analysis in zip(texts, analyses, strict=True)
    ]
    generated = counts(found)
    if not generated:
        return raw, {}
    if policy.spec.generated.action is GeneratedAction.BLOCK:
        exchange.reached(Forwarded(scanned, status, GeneratedBlocked.code, generated=generated))
        raise GeneratedBlocked(
            f"The answer was withheld: policy '{policy.name}' does not let personal data the "
            f"model generated reach the app ({', '.join(sorted(generated))})."
        )
    for (holder, key), text, findings in zip(slots, texts, found, strict=True):
        holder[key] = redact(text, findings)
    return json.dumps(payload, ensure_ascii=False).encode(), generated


async def read_answer(upstream: aiohttp.ClientResponse, limit: int, provider: str) -> bytes:
    """The provider's whole answer, at most `limit` bytes once decompressed.

    A Content-Length over the limit is refused before the body is read. Otherwise (chunked,
    or compressed: the declared length is then the compressed one) the body is read as it
    comes and dropped as soon as it passes the limit, so no more than `limit` bytes and one
    network chunk are ever held; the connection is closed, so the provider stops sending.

    A body that breaks off (connection closed or reset, invalid chunked encoding, content that
    cannot be decompressed) is `UpstreamAnswerBroken`, and silence mid-body is
    `UpstreamAnswerTimeout`: the request was forwarded and its outcome says so.
    """
    declared = upstream.content_length
    encoding = upstream.headers.get(hdrs.CONTENT_ENCODING, "identity").lower()
    if declared is not None and declared > limit and encoding == "identity":
        upstream.close()
        raise answer_too_large(provider, limit)
    body = bytearray()
    try:
        with ended_by_close(upstream):
            async for chunk in upstream.content.iter_any():
                if len(body) + len(chunk) > limit:
                    upstream.close()
                    raise answer_too_large(provider, limit)
                body += chunk
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise answer_failure(provider, exc) from None
    return bytes(body)


def answer_too_large(provider: str, limit: int) -> UpstreamAnswerTooLarge:
    return UpstreamAnswerTooLarge(
        f"Provider '{provider}' sent an answer larger than {limit} bytes "
        "(limits.max_answer_bytes); it was not passed on."
    )


def answer_failure(provider: str, exc: BaseException) -> VoileError:
    """A failure while reading an answer the provider had begun: forwarded, then broken."""
    if isinstance(exc, TimeoutError):
        return UpstreamAnswerTimeout(
            f"Provider '{provider}' went silent in the middle of its answer."
        )
    return UpstreamAnswerBroken(
        f"Provider '{provider}' broke off its answer, or sent one that cannot be read."
    )


@contextmanager
def ended_by_close(upstream: aiohttp.ClientResponse) -> Iterator[None]:
    """While reading `upstream`'s body: once its connection is gone, a body that has not
    ended never will, so it fails with ClientPayloadError instead of being waited for.

    aiohttp 3.14's C parser drops the body it is filling when the bytes turn out malformed (an
    invalid chunk size mid-body): the reader is never woken, and aiohttp has already stopped
    the `sock_read` timer, so the request would hang for good (its pure-Python parser raises
    ClientPayloadError, and then this changes nothing). The callback is removed afterwards:
    a pooled connection outlives many answers.
    """
    connection = upstream.connection
    protocol = connection.protocol if connection is not None else None
    content = upstream.content

    def cut(_: object = None) -> None:
        if not content.is_eof() and content.exception() is None:
            content.set_exception(
                aiohttp.ClientPayloadError("The connection closed before the body ended.")
            )

    closed = protocol.closed if protocol is not None else None
    if protocol is not None and closed is None:  # the connection was lost already
        cut()
    if closed is None:
        yield
        return
    closed.add_done_callback(cut)
    try:
        yield
    finally:
        closed.remove_done_callback(cut)


@dataclass(frozen=True)
class RestoredAnswer:
    payload: Any  # the provider's JSON, None if the body is not JSON
    body: bytes  # what the app gets
    count: RestoreCount


def restore_answer(raw: bytes, status: int, endpoint: Endpoint, lookup: Lookup) -> RestoredAnswer:
    """Parse, restore and re-encode a whole answer; plain code, so that it can run in a thread.
    The provider's bytes are kept when nothing was restored. A successful answer that is not
    JSON is not restored at all (the caller refuses it); an error body that is not JSON is
    restored as text."""
    count = RestoreCount()
    try:
        payload = json.loads(raw) if raw else None
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python recurses
        payload = None
    if payload is None:
        if 200 <= status < 300:
            return RestoredAnswer(None, raw, count)
        text, count.restored, count.unresolved = restore_text(
            raw.decode("utf-8", "replace"), lookup
        )
        return RestoredAnswer(None, text.encode() if count.restored else raw, count)
    try:
        restored = endpoint.restore(payload, lookup, count)
    except RecursionError:
        raise UpstreamAnswerBroken(
            "The provider's answer is nested too deeply to be read."
        ) from None
    body = json.dumps(restored, ensure_ascii=False).encode() if count.restored else raw
    return RestoredAnswer(payload, body, count)


async def stream_back(
    request: web.Request,
    upstream: aiohttp.ClientResponse,
    scanned: Scanned,
    restorer: EventRestorer,
    *,
    services: Services,
    exchange: Exchange,
) -> web.StreamResponse:
    """Relay SSE as it comes, restoring placeholders incrementally; never buffer the answer.
    However it ends (the client gone, the provider's stream broken), what was restored and
    what the trail keeps of it is the `Forwarded` phase reached."""
    scanned = replace(scanned, routed=replace(scanned.routed, stream=True))
    provider = scanned.routed.received.provider
    exchange.reached(Forwarded(scanned, upstream.status))  # the provider is answering
    response = web.StreamResponse(
        status=upstream.status, headers=response_headers(upstream.headers)
    )
    response.headers["x-voile-request-id"] = scanned.routed.received.request_id
    response.headers["Cache-Control"] = "no-cache"
    await response.prepare(request)

    # The stream is never held whole; one event is, so it is bounded (as whole answers are,
    # but no higher than the decoder's own bound: events are parsed on the event loop).
    bound = min(services.config.limits.max_answer_bytes, DEFAULT_MAX_EVENT_BYTES)
    decoder = SSEDecoder(max_line_bytes=bound, max_event_bytes=bound)
    started = time.perf_counter()
    first = True
    error_code = None
    # Personal data the model generates: its sentences are read before they are sent.
    guard = (
        AnswerGuard(scanned, restorer, services, exchange)
        if guards_generated(scanned.routed.policy)
        else None
    )

    # Writes of events that come in bursts are gathered (the first ones never wait).
    pacer = WritePacer(response.write)

    async def send(events: list[SSEEvent], *, last: bool = False) -> None:
        out = await guard.send(events, last=last) if guard is not None else events
        if out:  # one write for what one chunk gave: a syscall each costs more than the event
            await pacer.write(b"".join(encode_event(event) for event in out))

    try:
        with ended_by_close(upstream):
            async for chunk in upstream.content.iter_any():
                decoded = decoder.feed(chunk)
                if not decoded:
                    continue
                if guard is None:  # the events of a chunk, restored, go out together
                    await send([out for event in decoded for out in restorer.feed(event)])
                else:  # the guard reads what the restorer gave for each event
                    for event in decoded:
                        await send(restorer.feed(event))
                if first:
                    exchange.timed("first_event", started)
                    exchange.timed("first_token", scanned.routed.received.started)
                    first = False
        for event in decoder.finish():
            await send(restorer.feed(event))
        # The upstream stream is over: release what is held.
        await send(restorer.finish(), last=True)
        await pacer.close()
    except ConnectionResetError:
        error_code = "client_disconnected"
    except (aiohttp.ClientError, TimeoutError, SSEProtocolError, VoileError) as exc:
        # Headers are sent: the failure goes to the client as an in-stream error event.
        error = (
            exc
            if isinstance(exc, VoileError)
            else UpstreamProtocolError("The provider's stream could not be read.")
            if isinstance(exc, SSEProtocolError)
            else answer_failure(provider, exc)
        )
        error_code = f"stream_{error.code}"
        await pacer.close(encode_event(services.wire_format(provider).error_event(error)))
    finally:
        pacer.abort()  # after `close`, nothing is left; without, the client is gone
        exchange.timed("stream", started)
        summary = restorer.summary()  # the transcript keeps the text's head, and its length
        exchange.reached(
            Forwarded(
                scanned,
                upstream.status,
                error_code,
                summary.restored,
                summary.unresolved,
                summary.usage,
                summary.transcript,
                guard.generated if guard is not None else {},
            )
        )
    await remember(services, scanned, summary.answer_refs)
    await response.write_eof()
    return response


class AnswerGuard:
    """A stream's events, held sentence by sentence in a `StreamGate` until detection has
    read their text, then sent with what the model generated redacted, or the stream cut
    (`GeneratedBlocked`, sent as an in-stream error event)."""

    def __init__(
        self, scanned: Scanned, restorer: EventRestorer, services: Services, exchange: Exchange
    ) -> None:
        self.scanned, self.restorer = scanned, restorer
        self.services, self.exchange = services, exchange
        self.policy = scanned.routed.policy
        self.rules = self.policy.rulebook(scanned.routed.target)
        self.known = request_values(scanned)
        self.gate = StreamGate()
        self.generated: dict[str, int] = {}
        restorer.pieces = []

    async def send(self, events: list[SSEEvent], *, last: bool = False) -> list[SSEEvent]:
        """What may be sent now of `events` and of what was held before."""
        pieces = self.restorer.pieces or []
        self.gate.hold(events, pieces)
        pieces.clear()
        ready = self.gate.ready(last=last)
        if not ready:
            return []
        windows = self.gate.windows(ready)
        if not windows:
            return self.gate.release(ready)
        names = list(windows)
        texts = [windows[name][0] for name in names]
        analyses = await analyze(
            texts, self.policy, self.services, self.exchange, stage="detect_answer"
        )
        found = {
            name: findings
            for name, text, analysis in zip(names, texts, analyses, strict=True)
            if (
                findings := [
                    f
                    for f in generated_findings(
                        text,
                        analysis,
                        self.rules,
                        self.policy.spec.generated,
                        self.known,
                        forms=self.scanned.own_forms,
                    )
                    if f.end > windows[name][1]  # in the held text, not the context
                ]
            )
        }
        for kind, n in counts(list(found.values())).items():
            self.generated[kind] = self.generated.get(kind, 0) + n
        if found and self.policy.spec.generated.action is GeneratedAction.BLOCK:
            raise GeneratedBlocked(
                f"The rest of the answer was withheld: policy '{self.policy.name}' does not "
                "let personal data the model generated reach the app "
                f"({', '.join(sorted(self.generated))})."
            )
        return self.gate.release(ready, found)


async def recall(
    services: Services,
    routed: Routed,
    refs: tuple[str, ...],
    exchange: Exchange,
) -> dict[str, str]:
    """Tokens of the provider-held conversation this request continues. A failing vault only
    means some placeholders stay unrestored (and counted), so it never refuses the request."""
    if not refs:
        return {}
    started = time.perf_counter()
    try:
        return await services.conversations.recall(routed.app.name, refs, end_user=routed.end_user)
    except Exception as exc:  # any backend or decryption failure; its text is not logged
        log.error(
            "conversation_recall_failed",
            request_id=routed.received.request_id,
            error_type=type(exc).__name__,
        )
        return {}
    finally:
        exchange.timed("conversation_recall", started)


async def remember(services: Services, scanned: Scanned, refs: tuple[str, ...]) -> None:
    if not refs:
        return
    routed = scanned.routed
    entries = {**scanned.inherited, **scanned.vault.entity_map()}
    try:
        await services.conversations.remember(
            routed.app.name, refs, entries, end_user=routed.end_user
        )
    except Exception as exc:  # the answer is still good; a later one may stay unrestored
        log.error(
            "conversation_remember_failed",
            request_id=routed.received.request_id,
            error_type=type(exc).__name__,
        )


async def forget(services: Services, routed: Routed, refs: tuple[str, ...]) -> None:
    """Drop what the vault holds for state the provider deleted; a failure only leaves it
    to expire with its time-to-live."""
    if not refs:
        return
    try:
        await services.conversations.forget(routed.app.name, refs, end_user=routed.end_user)
    except Exception as exc:  # its text is not logged
        log.error(
            "conversation_forget_failed",
            request_id=routed.received.request_id,
            error_type=type(exc).__name__,
        )
