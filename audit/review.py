"""Reading the audit trail for review: one row per request or every entry, filtered;
payloads decrypted only after an `access` entry says who read them and why. A part of
`AuditStore` (`audit.store`), which it extends.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Text, exists, func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlmodel import Session, col
from sqlmodel import select as select_records

from audit.columns import require_aware
from audit.envelope import LEGACY_PREFIX, DataKey, record_aad
from audit.errors import (
    AccessNotRecorded,
    AuditErasedError,
    AuditError,
    AuditKeyError,
    AuditStoreError,
)
from audit.events import Decision, Entry, EntryKind
from audit.models import AuditRecord

if TYPE_CHECKING:
    from audit.core import StoreCore

PAGE = 1000
_REQUEST_KINDS = (EntryKind.INTENT.value, EntryKind.OUTCOME.value)


@dataclass(frozen=True)
class RecordFilter:
    """What `list_records`, `export` and `report` select. Times: `since` inclusive,
    `until` exclusive. `requests_only`: one row per request, its latest outcome.
    `incomplete`: intents whose outcome was never recorded (the proxy stopped mid-request,
    or the outcome could not be written): data that may have left without an outcome."""

    app: str | None = None
    provider: str | None = None
    model: str | None = None
    entity: str | None = None
    decision: Decision | str | None = None
    kind: EntryKind | str | None = None
    since: datetime | None = None
    until: datetime | None = None
    end_user_hash: str | None = None
    region: str | None = None
    requests_only: bool = True
    incomplete: bool = False


@dataclass(frozen=True)
class Activity:
    """What `activity` reads of one entry: metadata in clear, never the payload."""

    seq: int
    occurred_at: datetime
    app: str
    provider: str | None
    region: str | None
    decision: str | None
    entity_counts: dict[str, int]
    latency_ms: float | None
    details: dict[str, Any]


@dataclass(frozen=True)
class Reviewed:
    """What `Review.review` decrypted, and the access entry that recorded it first."""

    record: AuditRecord
    entries: list[AuditRecord]
    access_seq: int
    payload: dict[str, Any] | None  # None unless `status` is "available"
    status: str  # available, erased, purged
    note: str | None = None

    def __repr__(self) -> str:  # the payload must not reach a traceback
        return f"Reviewed(seq={self.record.seq}, access_seq={self.access_seq})"


def access_entry(
    records: Sequence[AuditRecord], *, actor: str, reason: str, what: str = "show"
) -> Entry:
    """The entry that says who decrypts which entries and why (the reason, encrypted)."""
    seqs = [r.seq for r in records]
    apps = sorted({r.app for r in records})
    return Entry(
        kind=EntryKind.ACCESS,
        request_id=f"access-{secrets.token_hex(8)}",
        occurred_at=datetime.now(UTC),
        app=apps[0] if len(apps) == 1 else "-",
        subject_seq=seqs[0] if seqs else None,
        actor=actor,
        details={"action": what, "entries": seqs[:1000], "count": len(seqs)},
        payload={"reason": reason},
    )


class Review:
    def record_access(
        self: StoreCore,
        records: Sequence[AuditRecord],
        *,
        actor: str,
        reason: str,
        what: str = "show",
    ) -> int:
        """Write the access entry *before* anything is decrypted; returns its seq."""
        return self.append([access_entry(records, actor=actor, reason=reason, what=what)])[0].seq

    def review(self: StoreCore, seq: int, *, actor: str, reason: str) -> Reviewed | None:
        """Entry `seq` and its request's other entries, decrypted for `actor` once the access
        entry saying who and why is committed (None if there is no such entry). An erased or
        purged payload is reported as such; `AuditKeyError` if no key opens one, and
        `AccessNotRecorded` if the access entry could not be written: nothing was decrypted."""
        try:
            record = self.get(seq)
            if record is None:
                return None
            entries = Review.related(self, record)
            access = self.append([access_entry(entries, actor=actor, reason=reason)])[0].seq
        except AuditError as exc:
            raise AccessNotRecorded(str(exc)) from exc
        payload: dict[str, Any] = {}
        try:
            for entry in entries:
                payload.update(self.decrypt_entry(entry))
        except AuditErasedError as exc:
            status = "erased" if exc.reason == "erasure" else "purged"
            return Reviewed(record, entries, access, None, status, str(exc))
        return Reviewed(record, entries, access, payload, "available")

    def list_records(
        self: StoreCore,
        limit: int = 50,
        *,
        app: str | None = None,
        provider: str | None = None,
        decision: Decision | str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        model: str | None = None,
        entity: str | None = None,
        kind: EntryKind | str | None = None,
        end_user_hash: str | None = None,
        requests_only: bool | None = None,
        incomplete: bool = False,
        older_than: tuple[datetime, int] | None = None,
        region: str | None = None,
    ) -> list[AuditRecord]:
        """Newest first (by `occurred_at`, then seq); `since` inclusive, `until` exclusive;
        `older_than` (occurred_at, seq): only what comes after that entry in this order (the
        next page, stable while entries are appended).

        By default one row per request (its latest outcome); `incomplete` lists intents
        that never got an outcome; `kind` selects entries of one kind.
        Unknown decisions and kinds raise ValueError rather than silently matching nothing.
        """
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        filters = RecordFilter(
            app=app,
            provider=provider,
            model=model,
            entity=entity,
            decision=decision,
            kind=kind,
            since=since,
            until=until,
            end_user_hash=end_user_hash,
            region=region,
            requests_only=kind is None if requests_only is None else requests_only,
            incomplete=incomplete,
        )
        query = _filtered(select_records(AuditRecord), filters)
        if older_than is not None:
            moment, seq = require_aware(older_than[0], "older_than"), older_than[1]
            query = query.where(
                (col(AuditRecord.occurred_at) < moment)
                | ((col(AuditRecord.occurred_at) == moment) & (col(AuditRecord.seq) < seq))
            )
        query = query.order_by(
            col(AuditRecord.occurred_at).desc(), col(AuditRecord.seq).desc()
        ).limit(limit)
        with self._database_errors("list audit records"), Session(self._engine) as session:
            return list(session.exec(query).all())

    def count(self: StoreCore, filters: RecordFilter) -> int:
        query = _filtered(select(func.count()).select_from(AuditRecord), filters)
        with self._database_errors("count audit records"), Session(self._engine) as session:
            return int(session.execute(query).scalar_one())

    def iter_records(self: StoreCore, filters: RecordFilter) -> Iterator[AuditRecord]:
        """Every matching entry in sequence order, read in pages (exports, reports)."""
        after = 0
        while True:
            query = (
                _filtered(select_records(AuditRecord), filters)
                .where(col(AuditRecord.seq) > after)
                .order_by(col(AuditRecord.seq))
                .limit(PAGE)
            )
            with self._database_errors("read audit records"), Session(self._engine) as s:
                page = list(s.exec(query).all())
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1].seq

    def activity(self: StoreCore, filters: RecordFilter) -> Iterator[Activity]:
        """The clear columns of each matching entry (by default one per request, its latest
        outcome) in sequence order, read in pages: what dashboards count. No payload is
        read, so no access entry is due."""
        record = AuditRecord
        columns = (
            col(record.seq),
            col(record.occurred_at),
            col(record.app),
            col(record.provider),
            col(record.region),
            col(record.decision),
            col(record.entity_counts),
            col(record.latency_ms),
            col(record.details),
        )
        after = 0
        while True:
            query = (
                _filtered(select(*columns), filters)
                .where(col(record.seq) > after)
                .order_by(col(record.seq))
                .limit(PAGE)
            )
            with self._database_errors("read audit records"), Session(self._engine) as s:
                page = [Activity(*row) for row in s.execute(query).all()]
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1].seq

    def entries_after(
        self: StoreCore, kind: EntryKind, *, after: int, since: datetime
    ) -> list[AuditRecord]:
        """Entries of `kind` past seq `after` that occurred since `since`, in sequence order
        (a console learning the sign-outs other processes wrote)."""
        query = (
            select_records(AuditRecord)
            .where(col(AuditRecord.kind) == EntryKind(kind).value)
            .where(col(AuditRecord.seq) > after)
            .where(col(AuditRecord.occurred_at) >= require_aware(since, "since"))
            .order_by(col(AuditRecord.seq))
        )
        with self._database_errors("read audit records"), Session(self._engine) as session:
            return list(session.exec(query).all())

    def get(self: StoreCore, seq: int) -> AuditRecord | None:
        with self._database_errors(f"read audit record {seq}"), Session(self._engine) as s:
            return s.get(AuditRecord, seq)

    def related(self: StoreCore, record: AuditRecord) -> list[AuditRecord]:
        """Every entry of the same request (intent and outcomes), in sequence order."""
        if record.kind not in _REQUEST_KINDS:
            return [record]
        query = (
            select_records(AuditRecord)
            .where(
                AuditRecord.request_id == record.request_id,
                col(AuditRecord.kind).in_(_REQUEST_KINDS),
            )
            .order_by(col(AuditRecord.seq))
        )
        with self._database_errors("read audit records"), Session(self._engine) as session:
            return list(session.exec(query).all())

    def decrypt_payload(self: StoreCore, record: AuditRecord) -> dict[str, Any]:
        """The payload in clear. For an outcome, its intent's payload comes first, merged:
        the whole story of the request. `AuditErasedError` if it was purged or erased,
        `AuditKeyError` if no key opens it (corrupt or tampered)."""
        payload: dict[str, Any] = {}
        if record.kind == EntryKind.OUTCOME.value and record.subject_seq is not None:
            intent = self.get(record.subject_seq)
            if intent is not None and intent.request_id == record.request_id:
                payload.update(self.decrypt_entry(intent))
        payload.update(self.decrypt_entry(record))
        return payload

    def decrypt_entry(self: StoreCore, record: AuditRecord) -> dict[str, Any]:
        """One entry's own payload in clear."""
        if record.payload is None:
            if record.payload_digest is None:
                return {}
            raise AuditErasedError(
                f"the payload of entry #{record.seq} was purged (retention)", "purge"
            )
        if record.key_id is None:
            raise AuditKeyError(f"entry #{record.seq} has a payload but no key id")
        if record.key_id.startswith(LEGACY_PREFIX):
            plaintext = self.keys.open_legacy(
                record.key_id.removeprefix(LEGACY_PREFIX), record.payload, record.request_id
            )
        else:
            with self._database_errors("read a data key"), self._transaction() as conn:
                key: DataKey = self.keys.open(conn, record.key_id)
            plaintext = key.decrypt(
                record.payload,
                record_aad(record.seq, record.kind, record.app, record.request_id, key.id),
            )
        payload = json.loads(plaintext.decode("utf-8", "surrogatepass"))
        if not isinstance(payload, dict):
            raise AuditStoreError(
                f"audit record {record.seq} holds a payload that is not an object"
            )
        return payload


def _filtered(query: Any, filters: RecordFilter) -> Any:
    record = AuditRecord
    other = aliased(AuditRecord)
    outcome = EntryKind.OUTCOME.value
    if filters.incomplete:
        query = query.where(record.kind == EntryKind.INTENT.value).where(
            ~exists().where(
                col(other.request_id) == col(record.request_id),
                col(other.kind) == outcome,
            )
        )
    elif filters.kind is not None:
        query = query.where(record.kind == EntryKind(filters.kind).value)
    elif filters.requests_only:
        # The latest outcome of each request (a withheld answer leaves a second one).
        query = query.where(record.kind == outcome).where(
            ~exists().where(
                col(other.request_id) == col(record.request_id),
                col(other.kind) == outcome,
                col(other.seq) > col(record.seq),
            )
        )
    if filters.app is not None:
        query = query.where(record.app == filters.app)
    if filters.provider is not None:
        query = query.where(record.provider == filters.provider)
    if filters.model is not None:
        query = query.where(record.model == filters.model)
    if filters.region is not None:
        query = query.where(record.region == filters.region)
    if filters.decision is not None:
        query = query.where(record.decision == Decision(filters.decision).value)
    if filters.end_user_hash is not None:
        query = query.where(record.end_user_hash == filters.end_user_hash)
    if filters.entity is not None:
        # The JSON columns hold canonical text: `"PERSON":` appears iff the type is a key.
        needle = "%" + _like_escape(json.dumps(filters.entity)) + ":%"
        counts = type_coerce(record.entity_counts, Text)
        actions = type_coerce(record.entity_actions, Text)
        query = query.where(counts.like(needle, escape="\\") | actions.like(needle, escape="\\"))
    if filters.since is not None:
        since = require_aware(filters.since, "since")
        query = query.where(col(record.occurred_at) >= since)
    if filters.until is not None:
        until = require_aware(filters.until, "until")
        query = query.where(col(record.occurred_at) < until)
    return query


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
