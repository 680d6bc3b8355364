"""Everything one request accumulates on its way through the relay, in one typed object.

Nothing request-specific lives anywhere else: the vault, the findings, the timings and the
outcome are here, created per request and dropped with it. The audit record and the canonical
log line are both built from this object, so they cannot disagree.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from audit.events import AuditEvent, Decision
from proxy.placeholders import Vault
from proxy.policy import Policy


@dataclass
class RequestContext:
    route: str
    provider: str
    request_id: str = field(default_factory=lambda: f"voile-{uuid.uuid4().hex}")
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    started: float = field(default_factory=time.perf_counter)
    app: str = "-"
    policy: Policy | None = None
    model: str | None = None
    stream: bool = False
    vault: Vault | None = None
    # Placeholders of earlier requests in a provider-held conversation (conversation vault).
    inherited: dict[str, str] = field(default_factory=dict)
    texts: int = 0
    entity_counts: dict[str, int] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    decision: Decision = Decision.FAILED
    status: int = 500
    error_code: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    restored: int = 0
    unresolved: int = 0
    masked_request: Any = None
    response_body: Any = None
    audited: bool = False
    # --- audit trail (see proxy/auditing.py) ---
    region: str | None = None  # the provider's jurisdiction tag
    end_user: str | None = field(default=None, repr=False)  # never logged; the store hashes it
    entity_actions: dict[str, dict[str, int]] = field(default_factory=dict)
    texts_without_model: int = 0  # analysed with patterns only (a language without a model)
    # Entity type -> values found by their label whose check digits are wrong.
    checksum_invalid: dict[str, int] = field(default_factory=dict)
    intent_seq: int | None = None  # the write-ahead entry, once committed

    def lookup(self, token: str) -> str | None:
        """What restoration may put back: this request's tokens first, then the tokens of the
        conversation the provider holds, nothing else."""
        value = self.vault.value_of(token) if self.vault else None
        return value if value is not None else self.inherited.get(token)

    def timed(self, stage: str, since: float) -> None:
        self.timings_ms[stage] = round((time.perf_counter() - since) * 1000, 2)

    @property
    def latency_ms(self) -> float:
        return round((time.perf_counter() - self.started) * 1000, 2)

    def log_fields(self) -> dict[str, Any]:
        """The canonical log line: ids, types, counts and durations only."""
        return {
            "request_id": self.request_id,
            "app": self.app,
            "provider": self.provider,
            "route": self.route,
            "model": self.model,
            "policy": self.policy.name if self.policy else None,
            "stream": self.stream,
            "status": self.status,
            "decision": self.decision.value,
            "error_code": self.error_code,
            "texts": self.texts,
            "entities": self.entity_counts,
            "texts_without_model": self.texts_without_model,
            "checksum_invalid": self.checksum_invalid,
            "actions": self.actions,
            "restored": self.restored,
            "unresolved": self.unresolved,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "duration_ms": self.latency_ms,
            "timings_ms": self.timings_ms,
        }

    def audit_event(self) -> AuditEvent:
        """The request's outcome. When an intent was written, the masked request and the
        entity map are already in it: the outcome carries the answer."""
        payload: dict[str, Any] = {"response": self.response_body, "timings_ms": self.timings_ms}
        if self.intent_seq is None:
            payload = {**self._request_payload(), **payload}
        return self._event(self.decision, self.status, payload)

    def intent_event(self) -> AuditEvent:
        """The write-ahead entry: what is about to be forwarded, before it is."""
        return self._event(Decision.FORWARDED, 0, self._request_payload())

    def _request_payload(self) -> dict[str, Any]:
        return {
            "masked_request": self.masked_request,
            "entity_map": self.vault.entity_map() if self.vault else {},
            "inherited_placeholders": len(self.inherited),
            "actions": self.actions,
            "checksum_invalid": self.checksum_invalid,
        }

    def _event(self, decision: Decision, status: int, payload: dict[str, Any]) -> AuditEvent:
        return AuditEvent(
            request_id=self.request_id,
            occurred_at=self.received_at,
            app=self.app,
            provider=self.provider,
            route=self.route,
            decision=decision,
            status=status,
            model=self.model,
            region=self.region,
            policy_name=self.policy.name if self.policy else None,
            policy_hash=self.policy.sha256 if self.policy else None,
            error_code=self.error_code,
            entity_counts=dict(self.entity_counts),
            entity_actions={kind: dict(n) for kind, n in self.entity_actions.items()},
            details=({"texts_without_model": self.texts_without_model}
                     if self.texts_without_model else {}),
            latency_ms=self.latency_ms,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            unresolved_placeholders=self.unresolved,
            end_user=self.end_user,
            intent_seq=self.intent_seq,
            payload=payload,
        )
