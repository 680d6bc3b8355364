"""OpenTelemetry traces of proxied requests: optional, off unless `telemetry.traces.enabled`.

1. A request's spans are built once it has ended, from its `Exchange`: the stages it timed
   (with their start and end) and the last phase it reached (`Exchange.trace`). The audit
   outcome, the log line and the metrics come from the same two things, so a trace cannot
   disagree with them, and the relay carries no span object and no "tracing on" branch.
   The cost of that choice: no trace context reaches the provider, which suits a proxy whose
   job is to let the provider learn as little as possible (rule 4).
2. What the spans say is what the canonical log line says: configured app, provider and
   policy names, the policy's hash (its version), the route's template, decisions, error
   codes, entity types and counts, durations; and the model id (validated against the model-id
   grammar, logged and audited in clear), because `gen_ai.request.model` is what tracing
   backends group LLM calls by. Never a text, a value, the end user's id, an error message or
   a caller's path. Tracing backends are where peers leak prompts (docs/design.md): a test
   sends personal values through both wire formats, streamed and not, and reads every span.
3. One root span per request (kind SERVER, named `{method} {route template}` as HTTP's
   conventions say), with one child per stage (`voile.parse`, `voile.detect`, `voile.mask`,
   `voile.audit.intent`, …). The call to the provider is a CLIENT span with the `gen_ai.*`
   conventions (named `{gen_ai.operation.name} {gen_ai.request.model}`), until the provider's
   headers, as `voile_upstream_seconds` measures it; a stream's relaying is `voile.stream`.
4. An incoming W3C `traceparent` (parsed here against its grammar) makes the request span its
   child, so an app's trace goes on through Voile; `tracestate` is free text and is ignored.
   Nothing is propagated upstream: `traceparent` is not in the headers the proxy forwards.
5. The OpenTelemetry packages are the optional `otel` extra, imported only when traces are
   enabled; enabling them without the packages is a configuration error at start-up.
6. One `TracerProvider` per application, never the global one (as `proxy.metrics` keeps its
   own registry): two proxies in one process do not mix their spans.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from yarl import URL

from proxy.yamlfile import ConfigError

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

    from proxy.config import TraceSettings

# Stage (as `Exchange.timed` and `Exchange.stage` name it) -> its span. Stages not listed
# (`first_event`, `first_token`: instants, not stages) become events of the request span.
STAGE_SPANS = {
    "parse": "voile.parse",
    "detect": "voile.detect",
    "mask": "voile.mask",
    "detect_shadow": "voile.shadow.detect",
    "shadow": "voile.shadow",
    "conversation_recall": "voile.conversation.recall",
    "audit_intent": "voile.audit.intent",
    "read_answer": "voile.read_answer",
    "detect_answer": "voile.detect_answer",
    "restore": "voile.restore",
    "stream": "voile.stream",
    "audit": "voile.audit.outcome",
}
UPSTREAM_STAGES = ("upstream_headers", "upstream_failed")
EVENTS = ("first_event", "first_token")

# Endpoint name (`Endpoint.name`) -> `gen_ai.operation.name`; other routes (model listings,
# token counts, stored objects) are plain HTTP calls to the provider, without `gen_ai.*`.
OPERATIONS = {
    "chat.completions": "chat",
    "messages": "chat",
    "responses": "chat",
    "completions": "text_completion",
    "embeddings": "embeddings",
}

# HTTP's conventions: a method outside the standard ones is `_OTHER` (a method is a token
# the caller chose, so it is not recorded as written).
METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}
)

# At most this many stages are kept per request (a long stream reads its answer sentence by
# sentence, one `detect_answer` each): what a request holds for its trace is bounded.
MAX_STAGES = 64

# W3C Trace Context, level 1: version-traceid-parentid-flags, lowercase hex; a later version
# may append fields after a dash. Version ff and all-zero ids are invalid.
_TRACEPARENT = re.compile(r"([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?")

AttributeValue = str | bool | int | float | tuple[str, ...]


def http_method(method: str) -> str:
    return method if method in METHODS else "_OTHER"


@dataclass(frozen=True)
class TraceParent:
    """The caller's span, from a valid `traceparent` header."""

    trace_id: int
    span_id: int
    sampled: bool

    @classmethod
    def of(cls, header: str | None) -> TraceParent | None:
        """The header's trace, or None if it is absent or not in the W3C grammar."""
        if header is None or len(header) > 512:
            return None
        match = _TRACEPARENT.fullmatch(header.strip())
        if match is None:
            return None
        version, trace_id, span_id, flags, rest = match.groups()
        if version == "ff" or (version == "00" and rest is not None):
            return None
        parent = cls(int(trace_id, 16), int(span_id, 16), bool(int(flags, 16) & 1))
        return parent if parent.trace_id and parent.span_id else None


@dataclass(frozen=True)
class Stage:
    """One timed stage of a request, in `time.perf_counter()` seconds."""

    name: str
    start: float
    end: float


@dataclass(frozen=True)
class RequestTrace:
    """What a trace says of one request (`Exchange.trace`): ids, configured names, codes,
    counts and the stages' times; of what the caller wrote, only the model id."""

    request_id: str
    received_at: datetime  # when `started` was read: the two clocks' meeting point
    started: float  # perf_counter
    method: str  # `http_method`'s
    parent: TraceParent | None
    route: str | None  # the route's template
    app: str
    provider: str
    provider_format: str | None
    provider_base_url: str | None
    region: str | None
    status: int
    decision: str
    error_code: str | None
    policy_name: str | None = None
    policy_hash: str | None = None
    operation: str | None = None  # the endpoint's name
    model: str | None = None
    stream: bool = False
    texts: int = 0
    entities: Mapping[str, int] = field(default_factory=dict)
    actions: Mapping[str, int] = field(default_factory=dict)
    blocked: tuple[str, ...] = ()
    upstream_status: int | None = None
    restored: int = 0
    unresolved: int = 0
    generated: Mapping[str, int] = field(default_factory=dict)
    input_tokens: int | None = None
    output_tokens: int | None = None
    finish_reasons: tuple[str, ...] = ()  # in their grammar (`proxy.formats.base`)
    stages: tuple[Stage, ...] = ()

    def epoch_ns(self, instant: float) -> int:
        """A perf_counter instant as nanoseconds since the epoch, which spans are dated in."""
        since_epoch = (self.received_at - _EPOCH) // timedelta(microseconds=1) * 1000
        return since_epoch + round((instant - self.started) * 1e9)

    def request_attributes(self) -> dict[str, AttributeValue]:
        """The request span's: HTTP's conventions, and Voile's own under `voile.`."""
        attributes: dict[str, AttributeValue] = {
            "http.request.method": self.method,
            "http.response.status_code": self.status,
            "voile.request_id": self.request_id,
            "voile.app": self.app,
            "voile.provider": self.provider,
            "voile.decision": self.decision,
            "voile.stream": self.stream,
            "voile.texts": self.texts,
            "voile.restored": self.restored,
            "voile.unresolved": self.unresolved,
        }
        optional: dict[str, AttributeValue | None] = {
            "http.route": self.route,
            "error.type": self.error_code,
            "voile.region": self.region,
            "voile.policy.name": self.policy_name,
            "voile.policy.hash": self.policy_hash,
            "voile.blocked": self.blocked or None,
        }
        attributes.update({key: value for key, value in optional.items() if value is not None})
        for prefix, counts in (
            ("voile.entities", self.entities),
            ("voile.actions", self.actions),
            ("voile.generated", self.generated),
        ):
            attributes.update({f"{prefix}.{kind}": n for kind, n in sorted(counts.items())})
        return attributes

    @property
    def gen_ai_operation(self) -> str | None:
        return OPERATIONS.get(self.operation) if self.operation else None

    def upstream_name(self) -> str:
        operation = self.gen_ai_operation
        if operation is None:
            return "voile.upstream"
        return f"{operation} {self.model}" if self.model else operation

    def upstream_attributes(self) -> dict[str, AttributeValue]:
        """The provider call's: `gen_ai.*` for inference routes, HTTP's and the server's."""
        attributes: dict[str, AttributeValue] = {"voile.provider": self.provider}
        if self.provider_format:
            attributes["voile.provider.format"] = self.provider_format
        if self.upstream_status is not None:
            attributes["http.response.status_code"] = self.upstream_status
        if self.provider_base_url:
            url = URL(self.provider_base_url)
            if url.host:
                attributes["server.address"] = url.host
            if url.port:
                attributes["server.port"] = url.port
        operation = self.gen_ai_operation
        if operation is None:
            return attributes
        attributes.update(
            {
                "gen_ai.operation.name": operation,
                # The configured provider name (`openai`, `mistral`, `local`…): the
                # instrumentation's own name for it, which the conventions allow. Both keys:
                # `gen_ai.system` is the older one, which some backends still read.
                "gen_ai.provider.name": self.provider,
                "gen_ai.system": self.provider,
            }
        )
        optional: dict[str, AttributeValue | None] = {
            "gen_ai.request.model": self.model,
            "gen_ai.usage.input_tokens": self.input_tokens,
            "gen_ai.usage.output_tokens": self.output_tokens,
            "gen_ai.response.finish_reasons": self.finish_reasons or None,
        }
        attributes.update({key: value for key, value in optional.items() if value is not None})
        return attributes

    @property
    def failed(self) -> bool:
        """An error for the request span: the server's conventions count 5xx only."""
        return self.status >= 500

    @property
    def upstream_failed(self) -> bool:
        """An error for the provider call: no answer, or an error status (client's 4xx too)."""
        return self.upstream_status is None or self.upstream_status >= 400


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Tracing:
    """Traces off: nothing is built, nothing imported."""

    enabled = False

    def request(self, trace: RequestTrace, ended: float) -> None:
        """Export the spans of a request that ended at `ended` (perf_counter)."""

    async def close(self) -> None:
        """Flush what is still to be exported."""


NO_TRACING = Tracing()


def open_tracing(settings: TraceSettings, exporter: SpanExporter | None = None) -> Tracing:
    """The tracing `settings` ask for. `exporter` (tests: an in-memory one) replaces the
    configured exporter, and spans then go to it as each request ends, not in batches."""
    if not settings.enabled:
        return NO_TRACING
    try:
        from proxy import otel  # noqa: PLC0415 - the optional `otel` extra, only when enabled
    except ImportError:
        raise ConfigError(
            "telemetry.traces.enabled: the OpenTelemetry packages are not installed "
            "(pip install 'voile[otel]')"
        ) from None
    return otel.OpenTelemetryTracing(otel.tracer_provider(settings, exporter))
