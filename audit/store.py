"""Where the trail is written and read: SQLite (embedded) or PostgreSQL, one code path.

Appending takes the chain head under a lock (`SELECT ... FOR UPDATE` of the one head row on
PostgreSQL, `BEGIN IMMEDIATE` on SQLite), numbers the entries, encrypts their payloads
under data keys with the entry's identity as associated data, chains their hashes, MACs
them, inserts them and moves the head, all in one transaction: several processes on one
database keep one chain, and a crash leaves either the whole batch or none of it.

The store is in three parts: this module creates the trail, appends to it and reads its
head and chain; `audit.retention` purges, erases and rewraps (`Retention`); `audit.review`
lists, counts and decrypts for reviewers (`Review`). `AuditStore` is the three together.

`append` is synchronous on purpose: the proxy calls it from a writer thread and must know,
before it forwards or answers, that the entry is stored (fail closed). Every error that
leaves this module is an `AuditStoreError` whose message names the operation and the
database's complaint, never a bound value: the engine hides SQL parameters, and the only
sensitive data that ever reaches the database is already ciphertext.

A store never creates a trail behind anyone's back: opening one touches no file (SQLite is
opened read-write, never create), and only `create_schema` makes a database and a chain
head. While it runs, the store checks before every commit that the SQLite file at its path
is still the one it opened (device and inode) and that the database still holds the trail
it opened: a database deleted, swapped or recreated under a running proxy makes every
write fail (fail closed) instead of filling a file nobody will ever read.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from sqlalchemy import (
    Connection,
    Dialect,
    Engine,
    bindparam,
    create_engine,
    event,
    inspect,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlmodel import SQLModel

from audit import chain
from audit._files import touch_private
from audit.checkpoints import PublicKeys, StoredCheckpoint
from audit.columns import encode_payload, storable, stored_row
from audit.envelope import DataKey, DataKeys, Period, record_aad
from audit.errors import AuditError, AuditKeyError, AuditStoreError
from audit.events import AuditEvent, Entry, EntryKind
from audit.keys import KeyProvider
from audit.migrations import TrailSteps, detect_version, migrate_v1
from audit.models import (
    AUDIT_TABLES,
    DATA_KEYS,
    HEAD,
    RAW_RECORDS,
    SCHEMA_VERSION,
    AuditSchemaVersion,
)
from audit.retention import ErasureResult, PurgeResult, Retention
from audit.review import RecordFilter, Review
from audit.tally import Counting
from audit.verify import HeadState, KeyTombstone, Report, verify

__all__ = [
    "Appended",
    "AuditStore",
    "ErasureResult",
    "PurgeResult",
    "RecordFilter",
    "store_location",
    "trail_exists",
]

VERSIONS = AuditSchemaVersion.__table__  # type: ignore[attr-defined]
PG_CONNECT_TIMEOUT_S = 5  # start-up `ping` must fail fast, not hang on a dead host
_SCHEMA_LOCK_ID = 0x766F696C65  # "voile": serialises concurrent `create_schema` on PostgreSQL
_REQUEST_KINDS = (EntryKind.INTENT.value, EntryKind.OUTCOME.value)
PAGE = 1000


@dataclass(frozen=True)
class Appended:
    """What the database assigned to an appended entry."""

    seq: int
    chain_hash: str


class AuditStore(Retention, Review, Counting):
    """The trail in one database, payloads encrypted under data keys the provider wraps."""

    def __init__(self, url: str, keys: KeyProvider, *, data_key_period: Period = "month") -> None:
        self._url = _parse_url(url)
        self.keys = DataKeys(keys, data_key_period)
        # SQLite: the file, and its (device, inode) once a connection has opened it.
        self._file = (
            Path(os.path.abspath(self._url.database or "")) if self.backend == "sqlite" else None
        )
        self._identity: tuple[int, int] | None = None
        self._engine = self._build_engine()
        self._trail_id: str | None = None
        self._statements: _AppendSql | None = None  # compiled at the first append
        # SQLite takes one writer at a time anyway: queueing this process's writers here
        # turns contention into waiting. Other processes wait on BEGIN IMMEDIATE.
        self._sqlite_lock = threading.Lock() if self.backend == "sqlite" else None
        self._write_lock: AbstractContextManager[Any] = (
            self._sqlite_lock or contextlib.nullcontext()
        )

    @property
    def backend(self) -> str:
        """Either 'sqlite' or 'postgresql': the two dialects this store is tested on."""
        return self._url.get_backend_name()

    @property
    def trail_id(self) -> str:
        if self._trail_id is None:
            head = self.head()
            if head is None:
                raise AuditStoreError("the audit trail has no chain head: run create_schema")
            self._trail_id = head[0]
        return self._trail_id

    # -- schema ---------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the database holds a trail (a chain head, or v1 tables to migrate).
        Creates nothing: a missing SQLite file is not opened (SQLite would create it)."""
        if self._file is not None and not self._file.exists():
            return False
        with self._database_errors("look for the audit trail"), self._transaction() as conn:
            return _holds_trail(conn)

    @property
    def location(self) -> str:
        return store_location(self._url.render_as_string(hide_password=False))

    def create_schema(self) -> int:
        """Create the tables, or migrate older ones; returns how many entries a migration
        chained (0 otherwise). Idempotent; safe when several processes start together.

        This is what creates a trail (and, for SQLite, the file): callers that must not
        (the compliance CLI) check `exists` first."""
        if self._file is not None:
            touch_private(self._file)  # 0600 before SQLite writes a byte into it
        migrated = 0
        try:
            with (
                self._write_lock,
                self._database_errors("create the audit schema"),
                self._transaction(immediate=True) as conn,
            ):
                if self.backend == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SCHEMA_LOCK_ID})
                version = detect_version(conn)
                if version is not None and version > SCHEMA_VERSION:
                    raise AuditStoreError(
                        f"the audit tables are at schema version {version}, "
                        f"this Voile knows version {SCHEMA_VERSION}"
                    )
                if version == 1:
                    migrated = migrate_v1(
                        TrailSteps(
                            self.backend,
                            self._init_head,
                            lambda conn: self.keys.special(conn, "chain"),
                            lambda conn, entries: self._append_locked(
                                conn, entries, [encode_payload(e) for e in entries]
                            ),
                        ),
                        conn,
                    )
                else:
                    SQLModel.metadata.create_all(conn, tables=list(AUDIT_TABLES))
                    self._init_head(conn)
                self._ensure_version(conn)
            self.keys.committed()
        except BaseException:
            self.keys.rolled_back()
            raise
        return migrated

    def _init_head(self, conn: Connection) -> None:
        if conn.execute(select(HEAD.c.id).where(HEAD.c.id == 1)).first() is not None:
            return
        trail_id = secrets.token_hex(8)
        conn.execute(
            HEAD.insert().values(
                id=1,
                trail_id=trail_id,
                seq=0,
                head_hash=chain.genesis_hash(trail_id),
                key_epoch=0,
                created_at=datetime.now(UTC),
            )
        )
        self.keys.special(conn, "chain")
        self.keys.special(conn, "pseudonym")

    def check_keys(self) -> None:
        """Raise `AuditKeyError` unless the key provider opens this trail's own keys: a
        proxy started with the wrong KEK must stop at start-up, not refuse every request."""
        with self._database_errors("read the trail's keys"), self._transaction() as conn:
            for purpose in ("chain", "pseudonym"):
                key_id = conn.execute(
                    select(DATA_KEYS.c.id).where(DATA_KEYS.c.purpose == purpose)
                ).scalar()
                if key_id is None:
                    raise AuditKeyError(f"the trail has no {purpose} key: run create_schema")
                try:
                    self.keys.open(conn, key_id)
                except AuditKeyError as exc:
                    raise AuditKeyError(
                        f"the configured key provider cannot open this trail's {purpose} key "
                        f"({exc}): wrong audit.key_file or audit.key_env?"
                    ) from None

    @staticmethod
    def _ensure_version(conn: Connection) -> None:
        versions = conn.execute(select(VERSIONS.c.version)).scalars().all()
        if SCHEMA_VERSION not in versions:
            conn.execute(
                VERSIONS.insert().values(version=SCHEMA_VERSION, applied_at=datetime.now(UTC))
            )

    # -- appending ------------------------------------------------------------------------

    def append(self, entries: Sequence[Entry], *, timeout: float | None = None) -> list[Appended]:
        """Append entries as one transaction; all are stored when this returns, or none.

        `timeout` bounds the database's own waiting (lock and statements), and a write that
        is ready to commit after it is rolled back: it never lands after the caller gave up.
        """
        if not entries:
            return []
        deadline = None if timeout is None else time.monotonic() + timeout
        plaintexts = [encode_payload(entry) for entry in entries]
        try:
            with (
                self._write_lock,
                self._database_errors("write the audit record"),
                self._transaction(immediate=True, timeout=timeout, timeouts_set=False) as conn,
            ):
                appended = self._append_locked(
                    conn, entries, plaintexts, timeout_ms=_millis(timeout)
                )
                # Too late: roll back rather than land after the caller gave up (a request
                # refused with 503 must not appear in the trail as forwarded).
                if deadline is not None and time.monotonic() > deadline:
                    raise AuditStoreError(
                        "cannot write the audit record: the database did not answer in "
                        "time; nothing was written"
                    )
            self.keys.committed()
        except BaseException:
            self.keys.rolled_back()
            raise
        return appended

    def _append_locked(
        self,
        conn: Connection,
        entries: Sequence[Entry],
        plaintexts: Sequence[bytes | None],
        *,
        extra: Mapping[int, Mapping[str, Any]] | None = None,
        timeout_ms: int | None = None,
    ) -> list[Appended]:
        """Append in the open transaction `conn`. `timeout_ms`: PostgreSQL's lock and
        statement timeouts, not yet set by `_transaction` (`timeouts_set=False`): they go
        with the head's read, in one round trip."""
        sql = self._append_sql(conn)
        driver_error: type[Exception] = conn.dialect.loaded_dbapi.Error
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            head = sql.read_head(cursor, timeout_ms)
            if head is None:
                raise AuditStoreError("the audit trail has no chain head: run create_schema")
            trail_id, seq, prev, key_epoch = str(head[0]), int(head[1]), str(head[2]), head[3]
            self.keys.sync_epoch(int(key_epoch))
            self._same_trail(trail_id)
            chain_key = self.keys.special(conn, "chain")
            appended = self._chain_rows(
                conn, entries, plaintexts, after=(seq, prev), chain_key=chain_key, extra=extra
            )
            sql.store(cursor, appended)
        except driver_error as exc:  # as SQLAlchemy would have raised it: callers catch that
            raise DBAPIError.instance(
                None, None, exc, driver_error, hide_parameters=True, dialect=conn.dialect
            ) from exc
        finally:
            cursor.close()
        return [Appended(row["seq"], row["chain_hash"]) for row in appended]

    def _chain_rows(
        self,
        conn: Connection,
        entries: Sequence[Entry],
        plaintexts: Sequence[bytes | None],
        *,
        after: tuple[int, str],
        chain_key: DataKey,
        extra: Mapping[int, Mapping[str, Any]] | None,
    ) -> list[dict[str, Any]]:
        """The rows to insert after the head `after` (its seq and hash): numbered,
        encrypted, chained and MACed."""
        seq, prev = after
        now = datetime.now(UTC)
        rows = []
        for index, (entry, plaintext) in enumerate(zip(entries, plaintexts, strict=True)):
            seq += 1
            row = self._row(
                conn,
                entry,
                plaintext,
                seq=seq,
                prev=prev,
                now=now,
                overrides=(extra or {}).get(index),
            )
            row["chain_hash"] = chain.chain_hash(row)
            row["mac_key_id"] = chain_key.id
            row["mac"] = chain.entry_mac(chain_key.secret, row["chain_hash"])
            rows.append(row)
            prev = row["chain_hash"]
        return rows

    def _append_sql(self, conn: Connection) -> _AppendSql:
        if self._statements is None:
            self._statements = _AppendSql(conn.dialect)
        return self._statements

    def _row(
        self,
        conn: Connection,
        entry: Entry,
        plaintext: bytes | None,
        *,
        seq: int,
        prev: str,
        now: datetime,
        overrides: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        """The entry's columns (`audit.columns`), then the store's own: its place in the
        chain, the keyed hash of its end user, and its payload encrypted under a data key."""
        row = stored_row(
            entry, {"seq": seq, "written_at": now, "legacy_id": None, "prev_hash": prev}
        )
        app, request_id, occurred_at = row["app"], row["request_id"], row["occurred_at"]
        row["end_user_hash"] = None
        if entry.end_user is not None:
            row["end_user_hash"] = self._pseudonym(conn, app, entry.end_user)
        row["key_id"] = row["payload"] = row["payload_digest"] = None
        if plaintext is not None:
            key = self.keys.payload_key(
                conn, app=app, end_user_hash=row["end_user_hash"], moment=occurred_at
            )
            row["key_id"] = key.id
            row["payload"] = key.encrypt(
                plaintext, record_aad(seq, entry.kind.value, app, request_id, key.id)
            )
            row["payload_digest"] = chain.payload_digest(row["payload"])
        if overrides:
            row.update(overrides)
        return row

    def write(self, event: AuditEvent) -> int:
        """Store a request's outcome; returns its sequence number."""
        return self.append([Entry.outcome(event)])[0].seq

    def write_intent(self, event: AuditEvent) -> int:
        """Store the write-ahead entry of a request about to be forwarded."""
        return self.append([Entry.intent(event)])[0].seq

    def end_user_hash(self, app: str, end_user: str) -> str:
        """The keyed hash stored for `end_user` of `app` (to search or erase by id)."""
        with self._database_errors("read the pseudonym key"), self._transaction() as conn:
            return self._pseudonym(conn, storable(app), end_user)

    def _pseudonym(self, conn: Connection, app: str, end_user: str) -> str:
        key = self.keys.special(conn, "pseudonym")
        message = chain.canonical_json(["voile-audit/v2/end-user", app, end_user])
        return key.mac(message.encode("utf-8", "surrogatepass"))[:32]

    def record_event(
        self,
        kind: EntryKind,
        *,
        actor: str,
        details: Mapping[str, Any],
        payload: dict[str, Any] | None = None,
    ) -> int:
        """An operator's entry (key rotation, ...) with clear details only."""
        entry = Entry(
            kind=kind,
            request_id=f"{kind.value}-{secrets.token_hex(8)}",
            occurred_at=datetime.now(UTC),
            app="-",
            actor=actor,
            details=dict(details),
            payload=payload,
        )
        return self.append([entry])[0].seq

    @contextmanager
    def keys_connection(self) -> Iterator[Connection]:
        """A read transaction for `self.keys` (tests, tools)."""
        with self._database_errors("read data keys"), self._transaction() as conn:
            yield conn

    def head(self) -> tuple[str, int, str] | None:
        """(trail id, last seq, last hash), or None before the schema exists."""
        with self._database_errors("read the chain head"), self._transaction() as conn:
            row = conn.execute(select(HEAD).where(HEAD.c.id == 1)).mappings().first()
        if row is None:
            return None
        return str(row["trail_id"]), int(row["seq"]), str(row["head_hash"])

    def verify(
        self,
        *,
        checkpoints: Sequence[StoredCheckpoint] = (),
        public_keys: PublicKeys | None = None,
        check_macs: bool = True,
        foreign: Sequence[StoredCheckpoint] = (),
    ) -> Report:
        """Verify the whole trail (see `audit.verify`)."""
        with self._database_errors("verify the audit trail"), self._transaction() as conn:
            source = _DatabaseSource(conn, self.trail_id)
            mac_keys = self._mac_keys(conn) if check_macs else None
            return verify(
                source,
                checkpoints=checkpoints,
                public_keys=public_keys,
                mac_keys=mac_keys,
                foreign=foreign,
            )

    def _mac_keys(self, conn: Connection) -> dict[str, bytes]:
        ids = (
            conn.execute(select(DATA_KEYS.c.id).where(DATA_KEYS.c.purpose == "chain"))
            .scalars()
            .all()
        )
        return {key_id: self.keys.open(conn, key_id).secret for key_id in ids}

    def ping(self) -> None:
        """Raise `AuditStoreError` unless the database answers a query now."""
        with self._database_errors("reach the audit store"), self._engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def probe(self, timeout: float) -> None:
        """Raise `AuditStoreError` unless an entry could be committed now, within `timeout`.

        The real write path without the write: take the lock an append takes (this
        process's SQLite writer lock, then BEGIN IMMEDIATE; `SELECT ... FOR UPDATE` of the
        head row on PostgreSQL, which a read-only standby refuses), check that the head
        belongs to the trail this store opened and that the SQLite file is still the one
        it opened, then roll back. A lock held elsewhere longer than `timeout` fails it.
        """
        deadline = time.monotonic() + timeout
        lock = self._sqlite_lock
        if lock is not None and not lock.acquire(timeout=timeout):
            raise AuditStoreError(
                "cannot write the audit record now: this process's writer "
                "has held the database for longer than the probe allows"
            )
        try:
            remaining = max(0.01, deadline - time.monotonic())
            with (
                self._database_errors("probe the audit store"),
                self._transaction(immediate=True, timeout=remaining, rollback=True) as conn,
            ):
                head = conn.execute(
                    select(HEAD.c.trail_id).where(HEAD.c.id == 1).with_for_update()
                ).first()
                if head is None:
                    raise AuditStoreError("the audit trail has no chain head")
                self._same_trail(str(head[0]))
        finally:
            if lock is not None:
                lock.release()

    def _same_trail(self, trail_id: str) -> None:
        """Remember the trail this store writes; refuse to write into another one (the
        database was dropped and recreated, or swapped, under a running process)."""
        if self._trail_id is None:
            self._trail_id = trail_id
        elif trail_id != self._trail_id:
            raise AuditStoreError(
                f"the audit database now holds trail {trail_id}, not trail {self._trail_id} "
                "that this process opened: it was replaced; nothing is written"
            )

    def check_file(self) -> None:
        """Raise `AuditStoreError` if the SQLite file at the store's path is gone or is not
        the one the store opened (deleted, or another database moved over it): commits
        would land in an unlinked inode, or beside the trail instead of in it."""
        if self._file is None or self._identity is None:
            return
        try:
            found = os.stat(self._file)
        except FileNotFoundError:
            raise AuditStoreError(
                f"the audit database file {self._file} was removed while in use; nothing is "
                "written (restore it, then restart)"
            ) from None
        except OSError as exc:
            raise AuditStoreError(
                f"cannot check the audit database file {self._file}: {exc.strerror}"
            ) from None
        if (found.st_dev, found.st_ino) != self._identity:
            raise AuditStoreError(
                f"the audit database file {self._file} was replaced by another file while in "
                "use; nothing is written (put the original back, then restart)"
            )

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> AuditStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _build_engine(self) -> Engine:
        engine = _build_engine(self._url, self._file)
        if self._file is not None:
            event.listen(engine, "connect", self._note_identity)
        return engine

    def _note_identity(self, _dbapi_connection: Any, _connection_record: Any) -> None:
        """The first connection fixes which file is this store's; `check_file` compares."""
        if self._identity is None and self._file is not None:
            found = os.stat(self._file)
            self._identity = (found.st_dev, found.st_ino)

    def __repr__(self) -> str:
        return f"AuditStore({self._url.render_as_string(hide_password=True)!r})"

    @contextmanager
    def _transaction(
        self,
        *,
        immediate: bool = False,
        timeout: float | None = None,
        rollback: bool = False,
        timeouts_set: bool = True,
    ) -> Iterator[Connection]:
        """A transaction; `immediate` takes SQLite's write lock at BEGIN; `timeout` bounds
        the database's waiting (busy timeout, PostgreSQL lock and statement timeouts).

        A write (`immediate`) commits only if the SQLite file is still the one opened
        (`check_file`, one stat per transaction: a batch of entries shares it).
        `rollback`: a probe, which checks the same and then leaves no trace.
        `timeouts_set=False`: the caller sets PostgreSQL's timeouts itself, with its first
        statement (`append`: one round trip fewer)."""
        ms = _millis(timeout)
        with self._engine.connect() as conn:
            if self.backend == "sqlite":
                conn.execution_options(sqlite_immediate=immediate)
                if ms is not None:  # straight to the driver: no transaction for a PRAGMA
                    conn.connection.driver_connection.execute(f"PRAGMA busy_timeout = {ms}")  # type: ignore[union-attr]
            try:
                with conn.begin():
                    if self.backend == "postgresql" and ms is not None and timeouts_set:
                        # SET LOCAL of both in one statement: one round trip, not two.
                        conn.exec_driver_sql(_PG_TIMEOUTS % (f"'{ms}'", f"'{ms}'"))
                    yield conn
                    if immediate:
                        self.check_file()
                    if rollback:
                        conn.rollback()
            finally:
                if self.backend == "sqlite" and ms is not None:
                    conn.connection.driver_connection.execute(  # type: ignore[union-attr]
                        f"PRAGMA busy_timeout = {_SQLITE_BUSY_MS}"
                    )

    @staticmethod
    @contextmanager
    def _database_errors(action: str) -> Iterator[None]:
        try:
            yield
        except AuditError:
            raise
        except SQLAlchemyError as exc:
            raise AuditStoreError(f"cannot {action}: {_describe(exc)}") from exc


class _AppendSql:
    """The append's three statements (read the head, insert the rows, move the head),
    compiled once by SQLAlchemy for the store's dialect and run on the driver's cursor.

    Why: an append is on every request's path twice (the intent before forwarding, the
    outcome before answering), and building, cache-keying and executing the statements
    through SQLAlchemy's expression layer cost about as much CPU as everything else in the
    append but the commit (cProfile of `append`, bench/README.md, issue 13). The SQL text
    and each column's bind conversion are SQLAlchemy's own (the same compiler, the same
    type processors, `UTCDateTime` included), so a row stores the very same values as
    `RAW_RECORDS.insert()` did; `tests/audit/test_store_sql.py` compares them column by
    column on both backends. On PostgreSQL the timeouts and the head's read share one
    pipeline, the inserts and the head's move another: two round trips instead of five
    (psycopg still sends BEGIN on its own; with the pool's pre-ping and COMMIT, an append
    waits for the server five times instead of eight, counted with strace).
    """

    def __init__(self, dialect: Dialect) -> None:
        self.head = str(
            select(HEAD.c.trail_id, HEAD.c.seq, HEAD.c.head_hash, HEAD.c.key_epoch)
            .where(HEAD.c.id == 1)
            .with_for_update()
            .compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        )
        insert = RAW_RECORDS.insert().compile(dialect=dialect)
        move = (
            update(HEAD)
            .where(HEAD.c.id == literal_column("1"))
            .values(seq=bindparam("seq"), head_hash=bindparam("head_hash"))
            .compile(dialect=dialect)
        )
        self.insert, self.move = str(insert), str(move)
        self._positional = dialect.positional
        self._insert_names = tuple(insert.positiontup or insert.params)
        self._move_names = tuple(move.positiontup or move.params)
        # psycopg's pipeline needs libpq 14 or later (the binary wheel has it); without it
        # the same statements go one round trip each.
        self._postgres = dialect.name == "postgresql"
        self._pipeline = self._postgres and _pipeline_supported()
        self._convert = {
            column.name: processor
            for column in RAW_RECORDS.columns
            if (processor := column.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }

    def _params(self, names: tuple[str, ...], values: Mapping[str, Any]) -> Any:
        """The driver's parameters, in its paramstyle (a tuple, or a dict by name)."""
        return tuple(values[name] for name in names) if self._positional else values

    def _bound(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """A row's values converted as SQLAlchemy converts them for its column types."""
        convert = self._convert
        return {
            name: convert[name](value) if name in convert else value for name, value in row.items()
        }

    def read_head(self, cursor: Any, timeout_ms: int | None) -> Any:
        """The head row (trail id, seq, hash, key epoch), locked; on PostgreSQL, with
        `timeout_ms` set first in the same pipeline (the timeouts and the locking read in
        one round trip: the order holds, the server runs them in turn)."""
        if self._postgres and timeout_ms is not None:
            pipeline = cursor.connection.pipeline() if self._pipeline else contextlib.nullcontext()
            with pipeline:
                cursor.execute(_PG_TIMEOUTS, (str(timeout_ms), str(timeout_ms)))
                cursor.execute(self.head)
        else:
            cursor.execute(self.head)
        return cursor.fetchone()

    def store(self, cursor: Any, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert `rows` and move the head to the last of them, in the open transaction."""
        last = rows[-1]
        inserted = [self._params(self._insert_names, self._bound(row)) for row in rows]
        moved = self._params(
            self._move_names, {"seq": last["seq"], "head_hash": last["chain_hash"]}
        )
        pipeline = cursor.connection.pipeline() if self._pipeline else contextlib.nullcontext()
        with pipeline:
            cursor.executemany(self.insert, inserted)
            cursor.execute(self.move, moved)


def store_location(url: str) -> str:
    """Where a trail lives, for messages: the SQLite path, or the URL without password."""
    parsed = _parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {os.path.abspath(parsed.database or '')}"
    return f"PostgreSQL database {parsed.render_as_string(hide_password=True)}"


def trail_exists(url: str) -> bool:
    """`AuditStore.exists` without keys: the CLI asks before its key provider is built,
    so that a command run against the wrong path creates nothing at all."""
    parsed = _parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not Path(parsed.database or "").exists():
            return False
        engine = _build_engine(parsed, Path(os.path.abspath(parsed.database or "")))
    else:
        engine = _build_engine(parsed)
    try:
        with AuditStore._database_errors("look for the audit trail"), engine.connect() as conn:
            return _holds_trail(conn)
    finally:
        engine.dispose()


def _holds_trail(conn: Connection) -> bool:
    version = detect_version(conn)
    if version is None:
        return False
    if version == 1:
        return True
    if not inspect(conn).has_table(HEAD.name):
        return False
    return conn.execute(select(HEAD.c.id).where(HEAD.c.id == 1)).first() is not None


class _DatabaseSource:
    """The verifier's view of the database: raw column values, as stored."""

    def __init__(self, conn: Connection, trail_id: str) -> None:
        self.conn = conn
        self.trail_id = trail_id
        self._columns = ", ".join(chain.STORED_COLUMNS)

    def rows(self, kinds: Sequence[str] | None = None) -> Iterator[Mapping[str, Any]]:
        where = ""
        params: dict[str, Any] = {}
        if kinds is not None:
            names = [f"k{i}" for i in range(len(kinds))]
            where = f"WHERE kind IN ({', '.join(':' + n for n in names)})"
            params = dict(zip(names, kinds, strict=True))
        result = self.conn.execution_options(yield_per=PAGE).execute(
            text(f"SELECT {self._columns} FROM audit_records {where} ORDER BY seq"),  # noqa: S608 - fixed column names
            params,
        )
        for row in result.mappings():
            yield _raw(row)

    def row_at(self, seq: int) -> Mapping[str, Any] | None:
        return self._one("seq = :v", seq)

    def row_with_hash(self, chain_hash_hex: str) -> Mapping[str, Any] | None:
        return self._one("chain_hash = :v", chain_hash_hex)

    def seq_with_payload_digest(self, digest: str, other_than: int) -> int | None:
        value = self.conn.execute(
            text(
                "SELECT seq FROM audit_records WHERE payload_digest = :d AND seq <> :s "
                "ORDER BY seq LIMIT 1"
            ),
            {"d": digest, "s": other_than},
        ).scalar()
        return value if type(value) is int else None

    def head(self) -> HeadState | None:
        row = self.conn.execute(text("SELECT seq, head_hash FROM audit_chain_head WHERE id = 1"))
        first = row.first()
        return None if first is None else HeadState(int(first[0]), str(first[1]))

    def destroyed_keys(self) -> list[KeyTombstone]:
        rows = self.conn.execute(
            select(DATA_KEYS.c.id, DATA_KEYS.c.destroyed_seq, DATA_KEYS.c.destroyed_reason).where(
                DATA_KEYS.c.wrapped.is_(None)
            )
        )
        return [KeyTombstone(r.id, r.destroyed_seq, r.destroyed_reason) for r in rows]

    def missing_keys(self) -> list[tuple[str, int]]:
        rows = self.conn.execute(
            text(
                "SELECT r.key_id, MIN(r.seq) FROM audit_records r "
                "LEFT JOIN audit_data_keys k ON k.id = r.key_id "
                "WHERE r.key_id IS NOT NULL AND k.id IS NULL AND r.key_id NOT LIKE 'v1:%' "
                "GROUP BY r.key_id ORDER BY MIN(r.seq)"
            )
        )
        return [(str(key_id), int(seq)) for key_id, seq in rows]

    def _one(self, condition: str, value: object) -> Mapping[str, Any] | None:
        row = (
            self.conn.execute(
                text(f"SELECT {self._columns} FROM audit_records WHERE {condition} LIMIT 1"),  # noqa: S608 - fixed column names
                {"v": value},
            )
            .mappings()
            .first()
        )
        return None if row is None else _raw(row)


def _raw(row: Any) -> dict[str, Any]:
    values = dict(row)
    payload = values.get("payload")
    if isinstance(payload, memoryview | bytearray):
        values["payload"] = bytes(payload)
    return values


def _describe(exc: SQLAlchemyError) -> str:
    """The driver's own first line (`UNIQUE constraint failed: ...`), without SQL or DETAIL.

    PostgreSQL's DETAIL lines may quote a whole row; the first line names the problem.
    """
    orig = getattr(exc, "orig", None)
    cause: BaseException = orig if isinstance(orig, BaseException) else exc
    first_line = next(iter(str(cause).strip().splitlines()), "")
    return f"{type(cause).__name__}: {first_line}" if first_line else type(cause).__name__


def _parse_url(url: str) -> URL:
    """Accept `sqlite:///path` and `postgresql://` (also `postgres://`, `+psycopg`).

    A bare PostgreSQL URL is pinned to psycopg 3 (the driver we ship), because SQLAlchemy
    would otherwise pick psycopg2. The URL is never echoed in errors: it may hold a password.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise AuditStoreError(
            "invalid audit store URL: expected sqlite:///PATH or postgresql://..."
        ) from None
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            raise AuditStoreError("the SQLite audit store needs a file path: sqlite:///PATH")
        return parsed
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    raise AuditStoreError(
        f"unsupported audit store URL scheme {parsed.drivername!r}: "
        "expected sqlite:///PATH or postgresql://..."
    )


_SQLITE_BUSY_MS = 5000
# PostgreSQL's SET LOCAL of both timeouts, as one statement (parameters: milliseconds).
_PG_TIMEOUTS = (
    "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true)"
)


def _pipeline_supported() -> bool:
    import psycopg  # noqa: PLC0415 - PostgreSQL stores only

    return bool(psycopg.Pipeline.is_supported())


def _millis(timeout: float | None) -> int | None:
    return None if timeout is None else max(1, int(timeout * 1000))


def _build_engine(url: URL, file: Path | None = None) -> Engine:
    if file is not None:
        # A `file:` URI in mode=rw: SQLite opens the database or fails, and never creates
        # an empty one in place of a trail that was deleted (or not created yet).
        engine = create_engine(
            URL.create(
                "sqlite", database="file:" + quote(str(file)), query={"mode": "rw", "uri": "true"}
            ),
            hide_parameters=True,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
    # pre_ping: after a PostgreSQL restart the first write would otherwise fail on a dead
    # pooled connection, and failing closed would refuse that request for nothing.
    return create_engine(url, hide_parameters=True, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    """WAL so the CLI can read while the proxy writes; synchronous=FULL for durability.

    With WAL, NORMAL never corrupts the file but may lose the last commits on power loss,
    and a record the proxy acknowledged (by forwarding or answering) must not vanish: FULL
    costs one fsync of the WAL per transaction, shared by every entry of a batch.
    `secure_delete` overwrites what a purge or an erasure removes. Transactions are begun
    by `_sqlite_begin` (the driver's own implicit BEGIN is switched off), and text that is
    not UTF-8 (a tampered cell) is read, not fatal, so `verify` can name it.
    """
    dbapi_connection.isolation_level = None
    dbapi_connection.text_factory = _decode_text
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_MS}")
        # Switching a new file to WAL needs it alone: with several processes starting on
        # it at once, SQLite may answer "locked" at once, without waiting. Retried briefly.
        for attempt in range(50):
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.02)
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the write lock at BEGIN (IMMEDIATE): reading the chain head and then
    appending is atomic even with other processes on the same file."""
    immediate = conn.get_execution_options().get("sqlite_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _decode_text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")
