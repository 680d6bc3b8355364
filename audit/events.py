"""What the proxy hands to the audit trail for every request, whatever its outcome.

Plain values only: the audit package must not know the proxy's classes. `payload` is the
sensitive part (masked request, response, entity map) and is only ever stored encrypted;
every other field is metadata that may be stored in clear and therefore holds types,
counts, ids and hashes, never a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Decision(StrEnum):
    FORWARDED = "forwarded"  # sent upstream (masked); the upstream's status is in `status`
    BLOCKED = "blocked"  # refused by policy (e.g. an entity type with action `block`)
    REJECTED = "rejected"  # refused as bad input (malformed JSON, unknown field, bad key...)
    FAILED = "failed"  # refused by a failure: detector, upstream unreachable, internal error


@dataclass(frozen=True)
class AuditEvent:
    request_id: str
    occurred_at: datetime  # timezone-aware, UTC
    app: str
    provider: str
    route: str
    decision: Decision
    status: int
    model: str | None = None
    policy_name: str | None = None
    policy_hash: str | None = None  # sha256 of the policy file's bytes
    error_code: str | None = None
    entity_counts: dict[str, int] = field(default_factory=dict)
    latency_ms: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    unresolved_placeholders: int = 0
    payload: dict[str, Any] = field(default_factory=dict)
