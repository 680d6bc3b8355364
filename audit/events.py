"""What the proxy hands to the audit trail, and the kinds of entries the trail holds.

Plain values only: the audit package must not know the proxy's classes. `payload` is the
sensitive part (masked request, response, entity map) and is only ever stored encrypted;
`end_user` is the id the app gave for its end user, which is never stored: the store keeps a
keyed hash of it in clear and uses it to pick the data key that crypto-shredding destroys.
Every other field is metadata that may be stored in clear and therefore holds types,
counts, ids and hashes, never a value.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Decision(StrEnum):
    FORWARDED = "forwarded"  # sent upstream (masked); the upstream's status is in `status`
    BLOCKED = "blocked"  # refused by policy (e.g. an entity type with action `block`)
    REJECTED = "rejected"  # refused as bad input (malformed JSON, unknown field, bad key...)
    FAILED = "failed"  # refused by a failure: detector, upstream unreachable, internal error


class EntryKind(StrEnum):
    """What one entry of the chained trail records."""

    INTENT = "intent"  # write-ahead: this masked request is about to be forwarded
    OUTCOME = "outcome"  # how a request ended (the only entry of a request never forwarded)
    ACCESS = "access"  # a reviewer decrypted payloads (reviewer, reason)
    PURGE = "purge"  # payloads older than a date were removed (retention)
    ERASURE = "erasure"  # an end user's data keys were destroyed (crypto-shredding)
    MIGRATION = "migration"  # records of an older schema were chained into this one
    KEY_ROTATION = "key_rotation"  # a key-encryption key was added, data keys rewrapped
    SIGN_IN = "sign_in"  # a console sign-in, failed or not (actor: a configured account or "-")
    SIGN_OUT = "sign_out"  # a console session ended (details: its revocation id, its expiry)
    # The policies a replica runs changed, or a change was rejected (actor: the replica;
    # details: result, old and new versions, the files changed, the policies' hashes).
    POLICY_CHANGE = "policy_change"

    @property
    def is_request(self) -> bool:
        return self in (EntryKind.INTENT, EntryKind.OUTCOME)


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
    region: str | None = None  # the provider's jurisdiction tag from the config
    policy_name: str | None = None
    policy_hash: str | None = None  # sha256 of the policy file's bytes
    error_code: str | None = None
    entity_counts: dict[str, int] = field(default_factory=dict)  # occurrences acted upon
    # type -> action -> occurrences, allowed types included: what left in clear, masked, blocked.
    entity_actions: dict[str, dict[str, int]] = field(default_factory=dict)
    latency_ms: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    unresolved_placeholders: int = 0
    end_user: str | None = None  # never stored: hashed with a secret key, then dropped
    intent_seq: int | None = None  # the write-ahead entry this outcome completes
    # Clear counts that are not per entity type, e.g. `texts_without_model`: texts analysed
    # with patterns only (a language without a model), which is not an entity type; and an
    # outcome's stage durations in whole milliseconds (`detect_ms`, `upstream_ms`).
    details: dict[str, int] = field(default_factory=dict)
    # What a policy or rule in shadow mode would have done differently (names, hashes,
    # types, actions and counts only); stored in the clear details as `shadow`.
    shadow: dict[str, Any] = field(default_factory=dict)
    payload: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # the payload and the end-user id must not reach a traceback
        return (
            f"AuditEvent(request_id={self.request_id!r}, app={self.app!r}, "
            f"decision={self.decision.value!r}, status={self.status})"
        )


@dataclass(frozen=True)
class Entry:
    """One entry to append to the trail, before it gets its sequence number and hashes.

    `payload` None means the entry has no payload (purge, erasure, migration entries);
    an empty dict is still encrypted, so even "nothing" is authenticated.
    """

    kind: EntryKind
    request_id: str
    occurred_at: datetime
    app: str
    provider: str | None = None
    region: str | None = None
    route: str | None = None
    model: str | None = None
    policy_name: str | None = None
    policy_hash: str | None = None
    decision: Decision | None = None
    status: int | None = None
    error_code: str | None = None
    entity_counts: dict[str, int] = field(default_factory=dict)
    entity_actions: dict[str, dict[str, int]] = field(default_factory=dict)
    latency_ms: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    unresolved_placeholders: int = 0
    end_user: str | None = None  # hashed under the pseudonym key when appended
    subject_seq: int | None = None
    actor: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # clear: counts, cutoffs, key ids
    payload: dict[str, Any] | None = None

    @classmethod
    def intent(cls, event: AuditEvent) -> Entry:
        """The write-ahead entry of a request about to be forwarded: what leaves, before it
        does. It has no status, latency or usage yet: those belong to the outcome."""
        return dataclasses.replace(
            cls.from_event(event, EntryKind.INTENT),
            status=None,
            latency_ms=None,
            prompt_tokens=None,
            completion_tokens=None,
        )

    @classmethod
    def outcome(cls, event: AuditEvent) -> Entry:
        """How a request ended; it completes the intent `event.intent_seq` names, if any."""
        return cls.from_event(event, EntryKind.OUTCOME)

    @classmethod
    def from_event(cls, event: AuditEvent, kind: EntryKind = EntryKind.OUTCOME) -> Entry:
        return cls(
            kind=kind,
            request_id=event.request_id,
            occurred_at=event.occurred_at,
            app=event.app,
            provider=event.provider,
            region=event.region,
            route=event.route,
            model=event.model,
            policy_name=event.policy_name,
            policy_hash=event.policy_hash,
            decision=Decision(event.decision),
            status=event.status,
            error_code=event.error_code,
            entity_counts=dict(event.entity_counts),
            entity_actions={k: dict(v) for k, v in event.entity_actions.items()},
            latency_ms=event.latency_ms,
            prompt_tokens=event.prompt_tokens,
            completion_tokens=event.completion_tokens,
            unresolved_placeholders=event.unresolved_placeholders,
            end_user=event.end_user,
            subject_seq=event.intent_seq if kind is EntryKind.OUTCOME else None,
            details={**event.details, **({"shadow": event.shadow} if event.shadow else {})},
            payload=dict(event.payload),
        )

    def __repr__(self) -> str:
        return f"Entry(kind={self.kind.value!r}, request_id={self.request_id!r})"
