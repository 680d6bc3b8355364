"""What the proxy measures, exposed in Prometheus' format at `GET /metrics` on the admin
listener (`proxy.admin`), with `prometheus-client`.

1. Labels are Voile's own names and codes only: app and provider names from the config, HTTP
   statuses, decisions, error codes, entity types, actions, audit entry kinds, the
   policies' version (a hash of the policy files). Never caller
   text (a model name is caller text, so it is no label) and never a value: a metric is as
   public as a log line. A test sends personal values through the proxy and reads every label.
2. One registry per application, not the library's global one: nothing request-specific lives
   in module globals, and two proxies in one process (the tests) do not mix.
3. A request is counted once, where it ends (`proxy.app.record`), from what its exchange says
   of it (`Exchange.figures`): refused ones too, before an app is identified (app `-`).
   Audit writes are timed by the writer itself (`proxy.auditing`), each one, stream outcomes
   included. Figures other parts keep (the audit writer's counts and queue, the detection
   cache's size, the detector's readiness) are read when Prometheus scrapes (`sample`).
4. Rates are Prometheus' job: the detection cache's hit rate is
   `rate(voile_detection_cache_hits_total[5m]) / (rate(voile_detection_cache_hits_total[5m])
   + rate(voile_detection_cache_misses_total[5m]))`, not a gauge computed here.
5. The proxy's own port does not serve `/metrics` (any app, and before authentication anyone,
   can reach it; metrics name apps and the kinds of personal data each sends): no admin
   listener, no metrics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

# Seconds. Detection: 15 ms for a short prompt to seconds for 100,000 characters.
DETECTION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
# Until the provider's headers (a whole answer's generation, or a stream's start).
UPSTREAM_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
# One entry committed (fsync) or failed; the audit timeout is 5 s by default.
AUDIT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
FIRST_TOKEN_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

# Help of the figures read at scrape time (`sample`); the parts that keep them name them.
SAMPLED_HELP = {
    "voile_audit_refused_total": "Requests refused because their intent could not be written",
    "voile_audit_withheld_total": "Answers withheld because their outcome could not be written",
    "voile_audit_failed_writes_total": "Audit writes that failed or timed out",
    "voile_audit_deferred_total": "Outcomes kept in the backlog to write once the store is back",
    "voile_audit_deferred_written_total": "Backlog entries since written",
    "voile_audit_deferred_dropped_total": "Backlog entries lost (backlog full, or shutdown)",
    "voile_audit_backlog": "Outcomes waiting in the backlog",
    "voile_audit_queue_depth": "Audit entries submitted and not yet committed or failed",
    "voile_detection_cache_entries": "Texts whose detection result is cached",
    "voile_detection_cache_bytes": "Approximate memory held by the detection cache",
    "voile_detection_ready": "1 if a detection worker is alive with its models loaded",
    "voile_detection_prefiltered_total": "Texts the pre-filter proved have nothing to find, "
    "answered without a detection worker",
}


@dataclass(frozen=True)
class RequestFigures:
    """What the metrics count of one request (`Exchange.figures`)."""

    app: str  # a configured app's name, or "-" before one is identified
    provider: str  # a configured provider's name, or "-"
    status: int
    decision: str
    error_code: str | None
    entity_actions: Mapping[str, Mapping[str, int]]  # type -> action -> occurrences
    blocked: bool
    unresolved: int
    detect_seconds: float | None = None
    upstream_seconds: float | None = None  # until the provider's headers
    first_token_seconds: float | None = None  # from the request's arrival, streams only
    # Type -> action -> occurrences a shadow policy or rule would have decided differently.
    shadow_actions: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


class Metrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=registry)  # memory (the models), CPU, open files
        self.requests = Counter(
            "voile_requests",
            "Requests by how they ended: app, provider, HTTP status, decision, error code",
            ("app", "provider", "status", "decision", "code"),
            registry=registry,
        )
        self.entities = Counter(
            "voile_entities",
            "Personal-data findings by app, entity type and the action taken",
            ("app", "entity", "action"),
            registry=registry,
        )
        self.shadow_decisions = Counter(
            "voile_shadow_decisions",
            "Findings a policy or rule in shadow mode would have decided differently, by "
            "entity type and the action it would have taken (not enforced)",
            ("entity", "action"),
            registry=registry,
        )
        self.blocked = Counter(
            "voile_blocked_requests",
            "Requests a policy blocked (nothing forwarded)",
            ("app", "provider"),
            registry=registry,
        )
        self.unresolved = Counter(
            "voile_unresolved_placeholders",
            "Placeholders in answers that could not be restored",
            ("app", "provider"),
            registry=registry,
        )
        self.unauthenticated = Counter(
            "voile_unauthenticated",
            "Requests refused before an app was identified, by reason (not audited)",
            ("reason",),
            registry=registry,
        )
        self.gate_local_fallback = Counter(
            "voile_unauthenticated_local_fallback",
            "Unauthenticated-limit checks and refusals this replica decided on its own counts "
            "because the shared store (limits.shared_url) could not answer",
            registry=registry,
        )
        self.gate_shared_up = Gauge(
            "voile_unauthenticated_shared_store_up",
            "1 while the shared store of the unauthenticated limit answers, 0 while this "
            "replica counts alone (always, without limits.shared_url)",
            registry=registry,
        )
        self.console_sign_ins = Counter(
            "voile_console_sign_ins",
            "Console sign-ins by result (ok, failed, rate_limited, unaudited, expired_form)",
            ("result",),
            registry=registry,
        )
        self.policy_reloads = Counter(
            "voile_policy_reloads",
            "Policy reloads by result: applied, rejected (invalid: the running policies "
            "stay), deferred (retried)",
            ("result",),
            registry=registry,
        )
        self.policy_version_info = Gauge(
            "voile_policy_version_info",
            "1 for the policies version this replica runs (the SHA-256 of the policy "
            "files, first 12 digits): replicas that agree show one version",
            ("version",),
            registry=registry,
        )
        self.cache_hits = Counter(
            "voile_detection_cache_hits",
            "Texts whose detection result came from the cache",
            registry=registry,
        )
        self.cache_misses = Counter(
            "voile_detection_cache_misses",
            "Texts the detection workers analysed (cache enabled)",
            registry=registry,
        )
        self.detection_seconds = Histogram(
            "voile_detection_seconds",
            "Time a request spent in detection (cache lookup and workers)",
            buckets=DETECTION_BUCKETS,
            registry=registry,
        )
        self.upstream_seconds = Histogram(
            "voile_upstream_seconds",
            "Time until the provider's answer headers",
            ("provider",),
            buckets=UPSTREAM_BUCKETS,
            registry=registry,
        )
        self.audit_seconds = Histogram(
            "voile_audit_write_seconds",
            "Time until an audit entry was committed (or its write failed), by entry kind",
            ("kind",),
            buckets=AUDIT_BUCKETS,
            registry=registry,
        )
        self.first_token_seconds = Histogram(
            "voile_time_to_first_token_seconds",
            "Streams: time from the request's arrival to the first event sent to the app",
            ("provider",),
            buckets=FIRST_TOKEN_BUCKETS,
            registry=registry,
        )

    def request(self, figures: RequestFigures) -> None:
        """Count one request where it ends, and the time its stages took."""
        app, provider = figures.app, figures.provider
        self.requests.labels(
            app, provider, str(figures.status), figures.decision, figures.error_code or "ok"
        ).inc()
        for entity, actions in figures.entity_actions.items():
            for action, count in actions.items():
                self.entities.labels(app, entity, action).inc(count)
        for entity, actions in figures.shadow_actions.items():
            for action, count in actions.items():
                self.shadow_decisions.labels(entity, action).inc(count)
        if figures.blocked:
            self.blocked.labels(app, provider).inc()
        if figures.unresolved:
            self.unresolved.labels(app, provider).inc(figures.unresolved)
        if figures.detect_seconds is not None:
            self.detection_seconds.observe(figures.detect_seconds)
        if figures.upstream_seconds is not None:
            self.upstream_seconds.labels(provider).observe(figures.upstream_seconds)
        if figures.first_token_seconds is not None:
            self.first_token_seconds.labels(provider).observe(figures.first_token_seconds)

    def policy_reload(self, result: str) -> None:
        self.policy_reloads.labels(result).inc()

    def policy_version(self, version: str) -> None:
        self.policy_version_info.clear()
        self.policy_version_info.labels(version[:12]).set(1)

    def detection_cache(self, hits: int, misses: int) -> None:
        self.cache_hits.inc(hits)
        self.cache_misses.inc(misses)

    def audit_write(self, kind: str, seconds: float) -> None:
        self.audit_seconds.labels(kind).observe(seconds)

    def sample(self, read: Callable[[], Mapping[str, float]]) -> None:
        """Figures read at each scrape: a name ending in `_total` is a counter, any other a
        gauge; `read` returns none while there is nothing to read (the proxy is starting)."""
        self.registry.register(_Sampled(read))

    def exposition(self, accept: str = "") -> tuple[bytes, str]:
        """The body and content type for a scrape (OpenMetrics if the scraper asks for it)."""
        encoder, content_type = choose_encoder(accept)
        return encoder(self.registry), content_type

    def value(self, name: str, **labels: str) -> float:
        """One sample's value (0 if it was never counted); for tests and the console."""
        return self.registry.get_sample_value(name, labels) or 0.0


class _Sampled(Collector):
    def __init__(self, read: Callable[[], Mapping[str, float]]) -> None:
        self._read = read

    def collect(self) -> Iterable[Metric]:
        for name, value in sorted(self._read().items()):
            text = SAMPLED_HELP.get(name, name)
            if name.endswith("_total"):
                yield CounterMetricFamily(name.removesuffix("_total"), text, value=value)
            else:
                yield GaugeMetricFamily(name, text, value=value)

    def describe(self) -> Iterable[Metric]:
        return []  # read at scrape time: nothing to check against the other collectors now
