"""One request's exchange with a provider, as the phases it reaches, and what is recorded of it.

    Received → Identified → Routed → Scanned → Forwarded

Each phase is an immutable value returned by the stage that reaches it, holding the phase
before it: `Identified` (the calling app and its policy), `Routed` (the route, the endpoint
bound to the request, the upstream URL, the model, the end user), `Scanned` (the findings and
what masking did with them, the vault, the masked body, the intent once written),
`Forwarded` (the provider's status, what was restored, the usage, what the trail keeps of the
answer). `Exchange` remembers the last phase reached and how long each stage took; the audit
trail's intent and outcome, the canonical log line and what the metrics count are all built
here from those two things and from how the request ended (`Ending`), so they cannot
disagree. `proxy.app.handle` is the one place that writes the outcome and the log line.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, TypeVar

from yarl import URL

from audit.events import AuditEvent, Decision
from proxy.apps import AppIdentity
from proxy.config import ProviderSettings
from proxy.detection.types import Analysis
from proxy.errors import DestinationNotAllowed, PolicyBlocked, VoileError
from proxy.formats.base import Endpoint, Usage
from proxy.formats.document import Document
from proxy.masking import MaskResult
from proxy.metrics import RequestFigures
from proxy.placeholders import Vault
from proxy.policy import Policy, Target
from proxy.restore import Known
from proxy.shadow import ShadowResult
from proxy.surrogates import SurrogateIndex, surrogate_entries
from proxy.tracing import MAX_STAGES, RequestTrace, Stage, TraceParent


@dataclass(frozen=True)
class Received:
    """A request under `/{provider}/…`, before its caller is identified; `provider` once the
    path names a configured one."""

    request_id: str = field(default_factory=lambda: f"voile-{uuid.uuid4().hex}")
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    started: float = field(default_factory=time.perf_counter)
    provider: str = "-"
    settings: ProviderSettings | None = None
    method: str = "_OTHER"  # `proxy.tracing.http_method`'s: a standard method, or _OTHER
    trace_parent: TraceParent | None = None  # the caller's valid `traceparent`, for traces


@dataclass(frozen=True)
class Identified:
    """The calling app is known, so from here on every outcome is audited."""

    received: Received
    app: AppIdentity


@dataclass(frozen=True)
class Routed:
    """Where the request goes. `endpoint` is bound to the request (`Endpoint.for_request`)
    and `model`, `stream` and `end_user` are read from it once its body is (`with_body`)."""

    identified: Identified
    route: str  # the route's template: what logs and the trail record, never the caller's path
    endpoint: Endpoint
    url: URL
    model: str | None = None
    stream: bool = False
    end_user: str | None = field(default=None, repr=False)  # never logged; the store hashes it

    @property
    def received(self) -> Received:
        return self.identified.received

    @property
    def app(self) -> AppIdentity:
        return self.identified.app

    @property
    def policy(self) -> Policy:
        return self.identified.app.policy

    @property
    def target(self) -> Target:
        """Who sends the request, and where to: what the policy's rules match on."""
        settings = self.received.settings
        return Target(self.app.name, self.received.provider, settings.region if settings else None)

    def refuse_if_destination_not_allowed(self) -> None:
        target = self.target
        if not self.policy.allows_destination(target.provider, target.region):
            raise DestinationNotAllowed(
                f"Policy '{self.policy.name}' does not allow app '{target.app}' to use "
                f"provider '{target.provider}'."
            )


@dataclass(frozen=True)
class Scanned:
    """What the request carries and what masking made of it. Reached even when the policy
    blocks it, so that the trail says what was refused (`refuse_if_blocked`)."""

    routed: Routed
    texts: int
    mask: MaskResult
    vault: Vault
    # Entity type -> values found by their label whose check digits are wrong.
    checksum_invalid: dict[str, int]
    body: dict[str, Any] | None = None  # what is forwarded; None when blocked
    # Placeholders of earlier requests in a provider-held conversation (conversation vault).
    inherited: dict[str, str] = field(default_factory=dict)
    intent_seq: int | None = None  # the write-ahead entry, once committed
    shadow: ShadowResult | None = None  # what shadow mode would have done (`proxy.shadow`)

    @classmethod
    def of(
        cls,
        routed: Routed,
        document: Document,
        analyses: list[Analysis],
        *,
        mask: MaskResult,
        vault: Vault,
        declared: dict[str, Any],
        shadow: ShadowResult | None = None,
    ) -> Scanned:
        """The phase masking reached; the body to forward is the masked document plus the
        fields the operator declared text-free (`pass_fields`), none if blocked."""
        invalid = dict(sum((Counter(a.checksum_invalid) for a in analyses), Counter()))
        body = None if mask.blocked else {**document.apply(mask.texts), **declared}
        return cls(routed, len(document.texts), mask, vault, invalid, body, shadow=shadow)

    def refuse_if_blocked(self) -> None:
        if self.mask.blocked:
            policy = self.routed.policy
            raise PolicyBlocked(
                f"Request blocked by policy '{policy.name}': it contains "
                f"{', '.join(self.mask.blocked)}, which this policy does not allow to leave."
            )

    @cached_property
    def lookup(self) -> Known:
        """What restoration may put back: this request's tokens first, then the tokens of the
        conversation the provider holds, nothing else; and the surrogates of both, the
        request's winning (`proxy.surrogates`)."""
        return Known(self._token_value, SurrogateIndex.of(self.inherited, self.vault.surrogates()))

    @cached_property
    def own_forms(self) -> SurrogateIndex:
        """The forms of the surrogates this request may restore and of the values they stand
        for: how an answer writes the request's own values back (`proxy.generated`, rule 2)."""
        surrogates = {**self.inherited, **self.vault.surrogates()}
        return SurrogateIndex.of(surrogates, {v: v for v in surrogate_entries(surrogates).values()})

    def _token_value(self, token: str) -> str | None:
        value = self.vault.value_of(token)
        return value if value is not None else self.inherited.get(token)


@dataclass(frozen=True)
class Forwarded:
    """The provider answered, and the answer was passed on (or is being streamed)."""

    scanned: Scanned
    status: int
    error_code: str | None = None  # upstream_error, or how a stream ended early
    restored: int = 0
    unresolved: int = 0
    usage: Usage = field(default_factory=Usage)
    response: Any = None  # what the trail keeps of the answer (masked, as the provider sent it)
    # Personal data the model wrote that the request did not carry, by type (`generated`).
    generated: dict[str, int] = field(default_factory=dict)


Phase = Received | Identified | Routed | Scanned | Forwarded
P = TypeVar("P", Received, Identified, Routed, Scanned, Forwarded)


@dataclass(frozen=True)
class Ending:
    """How the request ended, for the outcome and the log line."""

    decision: Decision
    status: int
    error_code: str | None = None

    @classmethod
    def refused(cls, error: VoileError) -> Ending:
        return cls(error.decision, error.status, error.code)


@dataclass(frozen=True)
class _Path:
    """The phases reached, each None if it was not."""

    received: Received
    identified: Identified | None = None
    routed: Routed | None = None
    scanned: Scanned | None = None
    forwarded: Forwarded | None = None

    @classmethod
    def to(cls, phase: Phase) -> _Path:
        forwarded = phase if isinstance(phase, Forwarded) else None
        scanned = forwarded.scanned if forwarded else phase if isinstance(phase, Scanned) else None
        routed = scanned.routed if scanned else phase if isinstance(phase, Routed) else None
        identified = (
            routed.identified if routed else phase if isinstance(phase, Identified) else None
        )
        received = identified.received if identified else phase
        assert isinstance(received, Received)
        return cls(received, identified, routed, scanned, forwarded)


# Stages whose durations an outcome keeps in clear (`details`): name -> `timings_ms` key.
CLEAR_TIMINGS = {"detect": "detect", "upstream": "upstream_headers"}


class Exchange:
    """The last phase one request reached and the time each stage took: nothing else."""

    def __init__(self, received: Received | None = None) -> None:
        self.phase: Phase = received or Received()
        self.timings_ms: dict[str, float] = {}
        self.stages: list[Stage] = []  # each stage's start and end, for traces (bounded)

    def reached(self, phase: P) -> P:
        self.phase = phase
        return phase

    @property
    def received(self) -> Received:
        return _Path.to(self.phase).received

    @property
    def identified(self) -> bool:
        """Refusals before the app is identified are counted by the gate, not audited."""
        return _Path.to(self.phase).identified is not None

    def timed(self, stage: str, since: float) -> None:
        now = time.perf_counter()
        self.timings_ms[stage] = round((now - since) * 1000, 2)
        if len(self.stages) < MAX_STAGES:
            self.stages.append(Stage(stage, since, now))

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Times the block as stage `name`, however it ends."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timed(name, started)

    def answered(self) -> Ending:
        forwarded = _Path.to(self.phase).forwarded
        assert forwarded is not None, "a relayed request ends forwarded"
        return Ending(Decision.FORWARDED, forwarded.status, forwarded.error_code)

    def cancelled(self) -> Ending:
        """The client went away: mid-stream, the stream's outcome; before, 499."""
        forwarded = _Path.to(self.phase).forwarded
        if forwarded is not None:
            return Ending(
                Decision.FORWARDED, forwarded.status, forwarded.error_code or "client_disconnected"
            )
        return Ending(Decision.FAILED, 499, "client_disconnected")

    @property
    def latency_ms(self) -> float:
        return round((time.perf_counter() - self.received.started) * 1000, 2)

    def intent_event(self, scanned: Scanned) -> AuditEvent:
        """The write-ahead entry: what is about to be forwarded, before it is."""
        return self._event(
            _Path.to(scanned), Ending(Decision.FORWARDED, 0), _request_payload(scanned)
        )

    def outcome_event(self, ending: Ending) -> AuditEvent:
        """The request's outcome. When an intent was written, the masked request and the
        entity map are already in it: the outcome carries the answer."""
        path = _Path.to(self.phase)
        payload: dict[str, Any] = {
            "response": path.forwarded.response if path.forwarded else None,
            "timings_ms": dict(self.timings_ms),
        }
        if path.scanned is None or path.scanned.intent_seq is None:
            payload = {**_request_payload(path.scanned), **payload}
        event = self._event(path, ending, payload)
        return replace(event, details={**event.details, **self.clear_timings()})

    def clear_timings(self) -> dict[str, int]:
        """The stage durations the outcome keeps in clear (whole milliseconds), for the
        console's dashboard: detection, and the provider until its answer's headers."""
        return {
            f"{name}_ms": round(self.timings_ms[stage])
            for name, stage in CLEAR_TIMINGS.items()
            if stage in self.timings_ms
        }

    def _event(self, path: _Path, ending: Ending, payload: dict[str, Any]) -> AuditEvent:
        received, routed, scanned, forwarded = (
            path.received,
            path.routed,
            path.scanned,
            path.forwarded,
        )
        policy = _policy(path)
        usage = forwarded.usage if forwarded else Usage()
        without_model = scanned.mask.without_model if scanned else 0
        settings = received.settings
        return AuditEvent(
            request_id=received.request_id,
            occurred_at=received.received_at,
            app=path.identified.app.name if path.identified else "-",
            provider=received.provider,
            route=routed.route if routed else "-",
            decision=ending.decision,
            status=ending.status,
            model=routed.model if routed else None,
            region=settings.region if settings else None,
            policy_name=policy.name if policy else None,
            policy_hash=policy.sha256 if policy else None,
            error_code=ending.error_code,
            entity_counts=dict(scanned.mask.entity_counts) if scanned else {},
            entity_actions={kind: dict(n) for kind, n in scanned.mask.entity_actions.items()}
            if scanned
            else {},
            details=_details(without_model, forwarded.generated if forwarded else {}),
            shadow=scanned.shadow.record() if scanned and scanned.shadow else {},
            latency_ms=self.latency_ms,
            prompt_tokens=usage.input_tokens,
            completion_tokens=usage.output_tokens,
            unresolved_placeholders=forwarded.unresolved if forwarded else 0,
            end_user=routed.end_user if routed else None,
            intent_seq=scanned.intent_seq if scanned else None,
            payload=payload,
        )

    def figures(self, ending: Ending) -> RequestFigures:
        """What the metrics count of this request: configured names, codes, counts and
        durations; nothing the caller wrote."""
        path = _Path.to(self.phase)
        scanned, forwarded = path.scanned, path.forwarded

        def seconds(stage: str) -> float | None:
            taken = self.timings_ms.get(stage)
            return None if taken is None else taken / 1000

        return RequestFigures(
            app=path.identified.app.name if path.identified else "-",
            provider=path.received.provider,
            status=ending.status,
            decision=ending.decision.value,
            error_code=ending.error_code,
            entity_actions=scanned.mask.entity_actions if scanned else {},
            shadow_actions=_shadow_actions(scanned.shadow if scanned else None),
            blocked=bool(scanned and scanned.mask.blocked),
            unresolved=forwarded.unresolved if forwarded else 0,
            detect_seconds=seconds("detect"),
            upstream_seconds=seconds("upstream_headers"),
            first_token_seconds=seconds("first_token"),
        )

    def trace(self, ending: Ending) -> RequestTrace:
        """What the request's trace says (`proxy.tracing`): the stages' times and what the log
        line says of the request, from the same phase."""
        path = _Path.to(self.phase)
        received, routed, scanned, forwarded = (
            path.received,
            path.routed,
            path.scanned,
            path.forwarded,
        )
        policy = _policy(path)
        usage = forwarded.usage if forwarded else Usage()
        settings = received.settings
        return RequestTrace(
            request_id=received.request_id,
            received_at=received.received_at,
            started=received.started,
            method=received.method,
            parent=received.trace_parent,
            route=routed.route if routed else None,
            app=path.identified.app.name if path.identified else "-",
            provider=received.provider,
            provider_format=settings.format if settings else None,
            provider_base_url=settings.base_url if settings else None,
            region=settings.region if settings else None,
            status=ending.status,
            decision=ending.decision.value,
            error_code=ending.error_code,
            policy_name=policy.name if policy else None,
            policy_hash=policy.sha256 if policy else None,
            operation=routed.endpoint.name if routed else None,
            model=routed.model if routed else None,
            stream=routed.stream if routed else False,
            texts=scanned.texts if scanned else 0,
            entities=scanned.mask.entity_counts if scanned else {},
            actions=scanned.mask.actions if scanned else {},
            blocked=scanned.mask.blocked if scanned else (),
            upstream_status=forwarded.status if forwarded else None,
            restored=forwarded.restored if forwarded else 0,
            unresolved=forwarded.unresolved if forwarded else 0,
            generated=forwarded.generated if forwarded else {},
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            finish_reasons=usage.finish_reasons,
            stages=tuple(self.stages),
        )

    def log_fields(self, ending: Ending) -> dict[str, Any]:
        """The canonical log line: ids, types, counts and durations only."""
        path = _Path.to(self.phase)
        routed, scanned, forwarded = path.routed, path.scanned, path.forwarded
        policy = _policy(path)
        usage = forwarded.usage if forwarded else Usage()
        return {
            "request_id": path.received.request_id,
            "app": path.identified.app.name if path.identified else "-",
            "provider": path.received.provider,
            "route": routed.route if routed else "-",
            "model": routed.model if routed else None,
            "policy": policy.name if policy else None,
            "stream": routed.stream if routed else False,
            "status": ending.status,
            "decision": ending.decision.value,
            "error_code": ending.error_code,
            "texts": scanned.texts if scanned else 0,
            "entities": scanned.mask.entity_counts if scanned else {},
            "texts_without_model": scanned.mask.without_model if scanned else 0,
            "checksum_invalid": scanned.checksum_invalid if scanned else {},
            "actions": scanned.mask.actions if scanned else {},
            "restored": forwarded.restored if forwarded else 0,
            "generated": forwarded.generated if forwarded else {},
            "shadow": _shadow_actions(scanned.shadow if scanned else None),
            "unresolved": forwarded.unresolved if forwarded else 0,
            "prompt_tokens": usage.input_tokens,
            "completion_tokens": usage.output_tokens,
            "duration_ms": self.latency_ms,
            "timings_ms": self.timings_ms,
        }


def _details(without_model: int, generated: dict[str, int]) -> dict[str, int]:
    """The clear details of a record, counts only: texts only patterns read, and personal
    data the model generated, by type (`generated.PHONE_NUMBER`)."""
    details = {"texts_without_model": without_model} if without_model else {}
    details.update({f"generated.{kind}": n for kind, n in sorted(generated.items())})
    return details


def _shadow_actions(shadow: ShadowResult | None) -> dict[str, dict[str, int]]:
    """Type -> action -> occurrences that shadow mode would have decided differently;
    a type it would have blocked the request for counts as `block` at least once."""
    if shadow is None:
        return {}
    actions = {kind: dict(n) for kind, n in shadow.entities.items()}
    for kind in shadow.blocked:
        actions.setdefault(kind, {}).setdefault("block", 1)
    return actions


def _policy(path: _Path) -> Policy | None:
    return path.identified.app.policy if path.identified else None


def _request_payload(scanned: Scanned | None) -> dict[str, Any]:
    return {
        "masked_request": scanned.body if scanned else None,
        "entity_map": scanned.vault.entity_map() if scanned else {},
        "inherited_placeholders": len(scanned.inherited) if scanned else 0,
        "actions": scanned.mask.actions if scanned else {},
        "checksum_invalid": scanned.checksum_invalid if scanned else {},
    }
