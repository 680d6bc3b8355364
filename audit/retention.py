"""Retention of the audit trail: payloads purged after a date, an end user crypto-shredded,
data keys rewrapped under a new KEK; each in one transaction with the chained entry that
says so. A part of `AuditStore` (`audit.store`), which it extends.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, select, update
from sqlalchemy.exc import SQLAlchemyError

from audit import chain
from audit.columns import encode_payload, require_aware, storable
from audit.envelope import LEGACY_PREFIX
from audit.events import Entry, EntryKind
from audit.models import DATA_KEYS, HEAD, RAW_RECORDS

if TYPE_CHECKING:
    from audit.core import StoreCore


@dataclass
class PurgeResult:
    seq: int
    payloads: int
    keys: list[str] = field(default_factory=list)


@dataclass
class ErasureResult:
    seq: int
    keys: list[str] = field(default_factory=list)
    entries: int = 0  # entries whose payloads those keys protected


class Retention:
    def purge(self: StoreCore, before: datetime, *, actor: str) -> PurgeResult:
        """Remove payloads of entries that occurred before `before`, and destroy the data
        keys of periods that ended by then; one chained `purge` entry says so."""
        before = require_aware(before, "before").astimezone(UTC)
        try:
            with (
                self._write_lock,
                self._database_errors("purge audit payloads"),
                self._transaction(immediate=True) as conn,
            ):
                conn.execute(select(HEAD.c.seq).where(HEAD.c.id == 1).with_for_update())
                count = conn.execute(
                    update(RAW_RECORDS)
                    .where(RAW_RECORDS.c.occurred_at < before)
                    .where(RAW_RECORDS.c.payload.is_not(None))
                    .values(payload=None)
                ).rowcount
                doomed = [
                    row.id
                    for row in conn.execute(
                        select(DATA_KEYS.c.id, DATA_KEYS.c.period)
                        .where(DATA_KEYS.c.purpose == "payload")
                        .where(DATA_KEYS.c.wrapped.is_not(None))
                    )
                    if row.period is not None and _period_end(row.period) <= before
                ]
                entry = Entry(
                    kind=EntryKind.PURGE,
                    request_id=f"purge-{secrets.token_hex(8)}",
                    occurred_at=datetime.now(UTC),
                    app="-",
                    actor=actor,
                    details={
                        "before": chain.time_text(before),
                        "payloads": count,
                        "keys": sorted(doomed),
                    },
                )
                [appended] = self._append_locked(conn, [entry], [None])
                self._destroy_keys(conn, sorted(doomed), reason="purge", seq=appended.seq)
            self.keys.committed()
        except BaseException:
            self.keys.rolled_back()
            raise
        self._scrub()
        return PurgeResult(appended.seq, count, sorted(doomed))

    def _destroy_keys(
        self: StoreCore,
        conn: Connection,
        key_ids: list[str],
        *,
        reason: str,
        seq: int,
    ) -> None:
        """Destroy data keys in the caller's transaction and bump the head's key epoch, as
        purge and erasure both must."""
        if not key_ids:
            return
        self.keys.destroy(conn, key_ids, reason=reason, seq=seq, now=datetime.now(UTC))
        conn.execute(update(HEAD).where(HEAD.c.id == 1).values(key_epoch=HEAD.c.key_epoch + 1))

    def erase_end_user(
        self: StoreCore,
        end_user: str,
        *,
        app: str | None,
        actor: str,
        reason: str,
    ) -> ErasureResult:
        """Crypto-shred an end user: destroy the data keys of their payloads (in `app`, or
        in every app that named them), in one transaction with the `erasure` entry."""
        try:
            with (
                self._write_lock,
                self._database_errors("erase an end user"),
                self._transaction(immediate=True) as conn,
            ):
                conn.execute(select(HEAD.c.seq).where(HEAD.c.id == 1).with_for_update())
                apps = (
                    [app]
                    if app is not None
                    else list(
                        conn.execute(
                            select(DATA_KEYS.c.app)
                            .where(DATA_KEYS.c.end_user_hash.is_not(None))
                            .distinct()
                        ).scalars()
                    )
                )
                hashes = {self._pseudonym(conn, storable(a), end_user) for a in apps if a}
                doomed = (
                    sorted(
                        conn.execute(
                            select(DATA_KEYS.c.id)
                            .where(DATA_KEYS.c.end_user_hash.in_(hashes))
                            .where(DATA_KEYS.c.wrapped.is_not(None))
                        ).scalars()
                    )
                    if hashes
                    else []
                )
                entries = (
                    conn.execute(
                        select(func.count())
                        .select_from(RAW_RECORDS)
                        .where(RAW_RECORDS.c.key_id.in_(doomed))
                    ).scalar_one()
                    if doomed
                    else 0
                )
                entry = Entry(
                    kind=EntryKind.ERASURE,
                    request_id=f"erasure-{secrets.token_hex(8)}",
                    occurred_at=datetime.now(UTC),
                    app=app or "-",
                    actor=actor,
                    details={"keys": doomed, "entries": entries},
                    payload={"reason": reason},
                )
                plaintext = encode_payload(entry)
                [appended] = self._append_locked(conn, [entry], [plaintext])
                self._destroy_keys(conn, doomed, reason="erasure", seq=appended.seq)
            self.keys.committed()
        except BaseException:
            self.keys.rolled_back()
            raise
        self._scrub()
        return ErasureResult(appended.seq, doomed, int(entries))

    def rewrap(self: StoreCore, *, actor: str) -> tuple[int, int]:
        """Wrap every live data key under the provider's active KEK; records the rotation.
        Returns (keys rewrapped, seq of the `key_rotation` entry)."""
        try:
            with (
                self._write_lock,
                self._database_errors("rewrap data keys"),
                self._transaction(immediate=True) as conn,
            ):
                conn.execute(select(HEAD.c.seq).where(HEAD.c.id == 1).with_for_update())
                count = self.keys.rewrap(conn)
                entry = Entry(
                    kind=EntryKind.KEY_ROTATION,
                    request_id=f"rotation-{secrets.token_hex(8)}",
                    occurred_at=datetime.now(UTC),
                    app="-",
                    actor=actor,
                    details={"kek": self.keys.provider.active_kid, "rewrapped": count},
                )
                [appended] = self._append_locked(conn, [entry], [None])
            self.keys.committed()
        except BaseException:
            self.keys.rolled_back()
            raise
        return count, appended.seq

    def count_legacy(self: StoreCore, kek_id: str) -> int:
        """Schema-v1 payloads still encrypted directly under KEK `kek_id`."""
        with self._database_errors("count legacy payloads"), self._transaction() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(RAW_RECORDS)
                    .where(RAW_RECORDS.c.key_id == LEGACY_PREFIX + kek_id)
                    .where(RAW_RECORDS.c.payload.is_not(None))
                ).scalar_one()
            )

    def keys_wrapped_by(self: StoreCore, kek_id: str) -> int:
        with self._database_errors("count data keys"), self._transaction() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(DATA_KEYS)
                    .where(DATA_KEYS.c.kek_id == kek_id)
                    .where(DATA_KEYS.c.wrapped.is_not(None))
                ).scalar_one()
            )

    def _scrub(self: StoreCore) -> None:
        """Make destroyed bytes hard to find on disk, best effort.

        SQLite overwrites deleted content (`secure_delete`) and the WAL is truncated so old
        page copies go. PostgreSQL keeps dead row versions until VACUUM: the key table is
        small, so it is rewritten (VACUUM FULL) and its old file deleted.
        """
        try:
            with self._engine.connect() as conn:
                if self.backend == "sqlite":
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                else:
                    conn.execution_options(isolation_level="AUTOCOMMIT")
                    conn.exec_driver_sql("VACUUM FULL audit_data_keys")
                    conn.exec_driver_sql("VACUUM audit_records")
        except SQLAlchemyError:  # a busy database: the next purge or VACUUM will do it
            pass


def _period_end(period: str) -> datetime:
    """The first instant after a period (`YYYY-MM` or `YYYY-MM-DD`)."""
    if len(period) == 7:
        year, month = int(period[:4]), int(period[5:7])
        return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    day = datetime.strptime(period, "%Y-%m-%d").replace(tzinfo=UTC)
    return day.fromordinal(day.toordinal() + 1).replace(tzinfo=UTC)
