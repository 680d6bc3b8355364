"""The aiohttp application: start-up and tear-down of shared parts, routing, and the one place
where every request's outcome becomes an audit record and a canonical log line."""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web

from audit.errors import AuditKeyError
from audit.events import Decision
from audit.keys import Keyring
from audit.models import SCHEMA_VERSION
from audit.store import AuditStore
from proxy.apps import AppIdentity
from proxy.auditing import AuditWriter, open_checkpointer, open_trail_store
from proxy.config import Config
from proxy.conversations import derive_key, open_conversation_vault
from proxy.detection.cache import open_cache
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import CountingDetector, Detector
from proxy.errors import (
    AuditUnavailable,
    AuthenticationFailed,
    InvalidModel,
    MethodNotAllowed,
    NotFound,
    TooManyAttempts,
    VoileError,
)
from proxy.exchange import Ending, Exchange, Identified, Received, Routed
from proxy.formats import DEFAULT_FORMAT, FORMATS
from proxy.formats.base import MODEL_ID, WireFormat
from proxy.formats.tokens import load_tokenizers
from proxy.forwarded import HEADER as FORWARDED_FOR
from proxy.gate import open_gate
from proxy.health import livez, readiness
from proxy.logging import get_logger
from proxy.metrics import Metrics
from proxy.paths import path_segments, query_pairs, upstream_url
from proxy.relay import Services, relay
from proxy.reload import (
    PolicyReloader,
    PolicySet,
    Unsettled,
    load_policy_set,
)
from proxy.tracing import TraceParent, http_method, open_tracing
from proxy.yamlfile import ConfigError

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

log = get_logger("voile")

SERVICES = web.AppKey("services", Services)
RELOADER = web.AppKey("reloader", PolicyReloader)
METRICS = web.AppKey("metrics", Metrics)
CONFIG = web.AppKey("config", Config)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def load_secret(path: Path) -> bytes:
    """The secret placeholder ids are derived from; created (0600) on first run."""
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    value = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value.hex())
    log.warning("placeholder_key_created", path=str(path))
    return value


def open_audit_store(
    config: Config, *, check_keys: bool = True, create: bool = False
) -> AuditStore:
    """The audit store with its key provider; the schema migrated from v1 if need be.

    `create` (`voile serve` only): create the trail on first run (no checkpoint yet), and
    refuse to start on a trail that contradicts its checkpoints; without it (the CLI) a
    missing trail is an error and nothing is created (`audit.continuity`).
    `check_keys`: fail now if the configured KEK cannot open the trail's keys (a proxy with
    the wrong key must not start, then refuse every request). The CLI skips it: listing,
    exporting or verifying without MACs needs no key.
    """
    store, migrated = open_trail_store(config, lambda: audit_key_provider(config), create=create)
    if migrated:
        log.warning("audit_schema_migrated", records=migrated, to_version=SCHEMA_VERSION)
    if check_keys:
        store.check_keys()
    return store


def audit_key_provider(config: Config) -> Keyring:
    """The key-encryption keys: from `audit.key_env`, or the key file (created on first run)."""
    if config.audit.key_env:
        value = os.environ.get(config.audit.key_env)
        if not value:
            raise ConfigError(
                f"audit.key_env: environment variable {config.audit.key_env} is not set"
            )
        try:
            return Keyring.from_secret(value)
        except AuditKeyError as exc:
            raise ConfigError(f"audit.key_env: {config.audit.key_env}: {exc}") from None
    keyring, created = Keyring.load_or_create(config.audit_key_file)
    if created:
        log.warning(
            "audit_key_created",
            path=str(config.audit_key_file),
            note="back this file up: without it audit payloads cannot be read",
        )
    return keyring


def first_policy_set(config: Config, attempts: int = 5) -> PolicySet:
    """The policies at start-up (ConfigError if invalid), read again if they were being
    written while read (`proxy.reload`, point 3)."""
    for _ in range(attempts - 1):
        try:
            return load_policy_set(config)
        except Unsettled:
            time.sleep(0.2)
    try:
        return load_policy_set(config)
    except Unsettled:
        raise ConfigError(
            f"{config.policies_dir}: the policies kept changing while they were read"
        ) from None


def create_app(
    config: Config,
    *,
    detector: Detector | None = None,
    audit_store: AuditStore | None = None,
    span_exporter: SpanExporter | None = None,
) -> web.Application:
    """Validate everything that can be validated before binding a port, then build the app.

    `detector` and `audit_store` may be given by tests (a detector shared across tests, a
    detector that fails on purpose); otherwise they are created from the config. So may
    `span_exporter` (an in-memory one) when `telemetry.traces` is enabled.
    """
    policies = first_policy_set(config)
    tracing = open_tracing(config.telemetry.traces, span_exporter)
    tokenizers = load_tokenizers(config.embeddings.tiktoken_dir, config.embeddings.model_encodings)
    app = web.Application(
        client_max_size=config.limits.max_body_bytes, middlewares=[error_middleware]
    )
    app[CONFIG] = config
    # Created with the app, so that the admin listener can serve it while the models load.
    counters = app[METRICS] = Metrics()
    counters.sample(lambda: sampled_figures(app.get(SERVICES)))

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        secret = load_secret(config.data_dir / "keys" / "placeholder.key")
        store = audit_store or open_audit_store(config, create=True)
        own_detector = detector is None
        active_detector = detector or await start_detector(config.detection)
        # No cookie jar: a cookie a provider or its CDN sets would go back with every later
        # request from every app, one identifier linking apps the per-app keys keep apart.
        http = aiohttp.ClientSession(auto_decompress=True, cookie_jar=aiohttp.DummyCookieJar())
        writer = AuditWriter(
            store,
            config.audit.timeout_seconds,
            checkpointer=open_checkpointer(config, store),
            max_batch=config.audit.max_batch,
            metrics=counters,
        )
        conversations = open_conversation_vault(
            config.conversations_url, derive_key(secret), config.conversations.ttl_seconds
        )
        services = app[SERVICES] = Services(
            config,
            policies,
            active_detector,
            writer,
            http,
            secret,
            conversations,
            counters,
            open_gate(config.limits, secret, counters),
            tokenizers,
            detection_cache=open_cache(secret, config.detection),
            tracing=tracing,
        )
        used = {app.policy for app in config.apps}
        if config.anonymous_app is not None:
            used.add(config.anonymous_app.policy)
        # A policy that starts to fake after a reload loads Faker on its first request.
        if any(policies.policies[name].fakes for name in used if name in policies.policies):
            from proxy.faking import warm_up  # noqa: PLC0415 - Faker only for policies that fake

            await asyncio.to_thread(warm_up)
        reloader = app[RELOADER] = PolicyReloader(config, services, writer, counters)
        reloader.start()
        if config.anonymous_app is not None:
            log.warning(
                "anonymous_app_enabled",
                app=config.anonymous_app.name,
                note="callers without an app key are served and their Authorization "
                "header goes to the provider; configure apps for production",
            )
        # Logged once models are loaded; the port is bound right after this returns.
        log.info(
            "ready",
            providers=sorted(config.providers),
            apps=len(config.apps),
            anonymous=config.anonymous_app is not None,
            policies=sorted(policies.policies),
            policy_version=policies.version[:12],
        )
        yield
        await reloader.stop()
        await http.close()
        await conversations.close()
        await services.gate.close()
        await writer.close()
        if own_detector:
            await active_detector.close()
        await tracing.close()

    app.cleanup_ctx.append(lifecycle)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", healthz)
    app.router.add_get("/livez", livez)
    app.router.add_route("*", "/{provider}/{tail:.*}", handle)
    return app


async def start_detector(settings: DetectionSettings) -> Detector:
    from proxy.detection.pool import PresidioDetector  # noqa: PLC0415 - heavy import

    detector = PresidioDetector(settings)
    await detector.start()
    return detector


async def healthz(request: web.Request) -> web.Response:
    """Readiness (`/healthz`, also `/readyz`; see `proxy.health`)."""
    return await readiness(request.app[SERVICES])


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Requests that match no route still get an error in OpenAI's shape."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        unknown = NotFound("Unknown path: Voile serves /{provider}/…, /livez and /readyz.")
        return error_response(DEFAULT_FORMAT, unknown, None)
    except web.HTTPMethodNotAllowed:
        error = MethodNotAllowed(f"Method {request.method} not allowed.")
        return error_response(DEFAULT_FORMAT, error, None)


def error_response(
    wire_format: WireFormat, error: VoileError, received: Received | None
) -> web.Response:
    headers = {"x-voile-request-id": received.request_id} if received else {}
    return web.json_response(wire_format.error_body(error), status=error.status, headers=headers)


async def handle(request: web.Request) -> web.StreamResponse:
    """One request under `/{provider}/…`: who is calling, where it goes, then the relay; and
    the one audit step, which turns the last phase the request reached into its outcome.

    Until an app is identified, a refusal writes no audit entry (it would be caller text
    in a chained record, for free): it is counted and rate-limited by `proxy.gate`. From
    then on, every outcome is audited, and what the trail and the log line record of the
    path is the route's template, never the caller's text.
    """
    services = request.app[SERVICES]
    exchange = Exchange(
        Received(
            method=http_method(request.method),
            trace_parent=TraceParent.of(request.headers.get("traceparent"))
            if services.tracing.enabled
            else None,
        )
    )
    try:
        routed = exchange.reached(await route(request, services, exchange))
        response = await relay(request, routed, services, exchange)
    except VoileError as error:
        return await conclude(services, exchange, Ending.refused(error), error)
    except asyncio.CancelledError:
        # The client went away (aiohttp cancels the handler): the upstream call is abandoned,
        # and the outcome is still recorded (its write is shielded).
        await record(services, exchange, exchange.cancelled())
        raise
    except Exception as exc:
        # Never log the exception text: it may quote a request. Its type is enough to triage.
        log.error(
            "internal_error", request_id=exchange.received.request_id, error_type=type(exc).__name__
        )
        internal = VoileError("Internal error in the proxy; nothing was forwarded.")
        return await conclude(services, exchange, Ending.refused(internal), internal)
    return await conclude(services, exchange, exchange.answered(), response)


async def conclude(
    services: Services,
    exchange: Exchange,
    ending: Ending,
    answer: web.StreamResponse | VoileError,
) -> web.StreamResponse:
    """The audit step of a request that ends here, with `answer`: a response, or the error to
    render in the provider's shape.

    A whole answer is audited before the app sees it: no unaudited exchange is ever
    delivered, so if its outcome cannot be written it is withheld (503; the trail says
    forwarded, as it was). A stream's outcome is written once the stream has ended."""
    written = False
    if isinstance(answer, web.StreamResponse) and not answer.prepared:
        started = time.perf_counter()
        try:
            await asyncio.shield(services.audit.write(exchange.outcome_event(ending)))
            written = True
        except AuditUnavailable as error:
            ending, answer = Ending(Decision.FORWARDED, error.status, error.code), error
        exchange.timed("audit", started)
    await record(services, exchange, ending, written=written)
    if isinstance(answer, web.StreamResponse):
        return answer
    received = exchange.received
    wire_format = FORMATS[received.settings.format] if received.settings else DEFAULT_FORMAT
    return error_response(wire_format, answer, received)


async def record(
    services: Services, exchange: Exchange, ending: Ending, *, written: bool = False
) -> None:
    """Once an app is identified, the request's outcome (unless `written` already) and the
    canonical log line; and the request counted in the metrics, whatever happens (with
    `audit_unavailable` if its outcome could not be written). Refused before an app was
    identified: counted, neither audited nor logged one by one (`proxy.gate`). Shielded: a
    cancelled handler still leaves its record."""
    try:
        if exchange.identified and not written:
            started = time.perf_counter()
            try:
                await asyncio.shield(services.audit.write(exchange.outcome_event(ending)))
            except AuditUnavailable:
                ending = replace(ending, error_code=ending.error_code or "audit_unavailable")
            exchange.timed("audit", started)
    finally:
        services.metrics.request(exchange.figures(ending))
        services.tracing.request(exchange.trace(ending), time.perf_counter())
    if exchange.identified:
        log.info("request", **exchange.log_fields(ending))


async def route(request: web.Request, services: Services, exchange: Exchange) -> Routed:
    """Which provider, which app, which route: each step refuses what it cannot place. The
    upstream URL is built from validated path segments and query pairs only (`proxy.paths`);
    what is recorded of the path is the route's template, not the caller's path. The client
    address is only the gate's: it is neither logged nor audited."""
    client = services.gate.client(request.remote, request.headers.getall(FORWARDED_FOR, ()))
    received = exchange.reached(await find_provider(request, services, exchange.received, client))
    identified = exchange.reached(Identified(received, await identify(request, services, client)))
    assert received.settings is not None
    wire_format = FORMATS[received.settings.format]
    segments = path_segments(request.rel_url.raw_path)[1:]
    found = wire_format.route(request.method, segments)
    if found.model is not None and not MODEL_ID.fullmatch(found.model):
        raise InvalidModel("The model id in the path is not a model id.", param="model")
    query = query_pairs(request.rel_url.raw_query_string, found.query)
    return Routed(
        identified,
        found.template,
        found.endpoint,
        upstream_url(received.settings.base_url, found.upstream, query),
        model=found.model,
    )


async def find_provider(
    request: web.Request, services: Services, received: Received, client: str | None
) -> Received:
    """The provider the first path segment names (an exact configured name), or 404."""
    name = request.match_info["provider"]
    provider = services.config.providers.get(name)
    if provider is None:
        await services.gate.refused(client, "unknown_provider")
        raise NotFound(
            "Unknown provider: the first path segment names no provider configured here."
        )
    return replace(received, provider=name, settings=provider)


async def identify(request: web.Request, services: Services, client: str | None) -> AppIdentity:
    """The calling app, or 401 (429 for an address that keeps failing), counted by the gate
    under `client` (the peer, or the client a trusted proxy names: `proxy.forwarded`)."""
    if await services.gate.over_limit(client):
        await services.gate.refused(client, "rate_limited")
        raise TooManyAttempts(
            "Too many requests without a valid app key from this address; retry later."
        )
    try:
        # The policies current now: the request keeps them to its end (`proxy.reload`).
        return services.policies.apps.identify(request.headers)
    except AuthenticationFailed:
        await services.gate.refused(client, "invalid_app_key")
        raise


def sampled_figures(services: Services | None) -> dict[str, float]:
    """What `/metrics` reads of the running parts at each scrape (none while starting)."""
    if services is None:
        return {}
    detector = services.detector
    return {
        **services.audit.counters(),
        **services.detection_cache.gauges(),
        **(detector.counters() if isinstance(detector, CountingDetector) else {}),
        "voile_detection_ready": float(bool(services.detector.ready)),
    }
