"""Where audit records are written and read: SQLite (embedded) or PostgreSQL.

`write` is synchronous on purpose: the proxy calls it from a worker thread and must know,
before it answers, that the record is stored (fail closed). Everything that leaves this
module as an error is an `AuditStoreError` whose message names the operation and the
database's complaint, never a bound value: the engine hides SQL parameters, and the only
sensitive data that ever reaches the database is already ciphertext.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, overload

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session, SQLModel, col, select

from audit._files import touch_private
from audit.errors import AuditStoreError
from audit.events import AuditEvent, Decision
from audit.keys import Keyring
from audit.models import AUDIT_TABLES, SCHEMA_VERSION, AuditRecord, AuditSchemaVersion

PAYLOAD_AAD_PREFIX = b"voile-audit/v1:"
PG_CONNECT_TIMEOUT_S = 5  # start-up `ping` must fail fast, not hang on a dead host
_SCHEMA_LOCK_ID = 0x766F696C65  # "voile": serialises concurrent `create_schema` on PostgreSQL
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def payload_aad(request_id: str) -> bytes:
    """The associated data that binds a payload to its record.

    A ciphertext copied into another row (to make one request look like another) then
    fails authentication instead of decrypting under the wrong metadata.
    """
    return PAYLOAD_AAD_PREFIX + request_id.encode("utf-8", "surrogatepass")


class AuditStore:
    """Audit records in one database, payloads encrypted with `keyring`."""

    def __init__(self, url: str, keyring: Keyring) -> None:
        self._url = _parse_url(url)
        self._keyring = keyring
        self._engine = _build_engine(self._url)
        # SQLite takes one writer at a time anyway: queueing writers here turns contention
        # into waiting instead of `database is locked` after the busy timeout. PostgreSQL
        # handles concurrent inserts itself, so its writers are not serialised.
        self._write_lock: AbstractContextManager[Any] = (
            threading.Lock() if self.backend == "sqlite" else contextlib.nullcontext()
        )

    @property
    def backend(self) -> str:
        """Either 'sqlite' or 'postgresql': the two dialects this store is tested on."""
        return self._url.get_backend_name()

    def create_schema(self) -> None:
        """Create the audit tables if missing and check their layout version.

        On PostgreSQL, an advisory lock makes two proxies starting together take turns,
        and DDL being transactional, either both tables and the version row exist or none.
        """
        with (
            self._write_lock,
            self._database_errors("create the audit schema"),
            self._engine.begin() as connection,
        ):
            if self.backend == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SCHEMA_LOCK_ID}
                )
            SQLModel.metadata.create_all(connection, tables=list(AUDIT_TABLES))
            with Session(connection) as session:
                versions = session.exec(select(AuditSchemaVersion.version)).all()
                if not versions:
                    session.add(
                        AuditSchemaVersion(version=SCHEMA_VERSION, applied_at=datetime.now(UTC))
                    )
                    session.flush()
        if versions and max(versions) != SCHEMA_VERSION:
            raise AuditStoreError(
                f"the audit tables are at schema version {max(versions)}, "
                f"this Voile knows version {SCHEMA_VERSION}"
            )

    def write(self, event: AuditEvent) -> int:
        """Store one record, its payload encrypted under the active key; returns its id."""
        _require_aware(event.occurred_at, "occurred_at")
        try:
            plaintext = json.dumps(event.payload, default=str, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise AuditStoreError(f"cannot encode the audit payload as JSON: {exc}") from None
        # "surrogatepass": a lone surrogate from a client's JSON must not make the record
        # (and therefore the request) fail; decrypt_payload reverses it.
        request_id = _storable(event.request_id)
        kid, blob = self._keyring.encrypt(
            plaintext.encode("utf-8", "surrogatepass"), payload_aad(request_id)
        )
        record = AuditRecord(
            request_id=request_id,
            occurred_at=event.occurred_at,
            app=_storable(event.app),
            provider=_storable(event.provider),
            route=_storable(event.route),
            model=_storable(event.model),
            policy_name=_storable(event.policy_name),
            policy_hash=_storable(event.policy_hash),
            decision=Decision(event.decision).value,
            status=event.status,
            error_code=_storable(event.error_code),
            entity_counts=dict(event.entity_counts),
            latency_ms=event.latency_ms,
            prompt_tokens=event.prompt_tokens,
            completion_tokens=event.completion_tokens,
            unresolved_placeholders=event.unresolved_placeholders,
            key_id=kid,
            payload=blob,
        )
        with (
            self._write_lock,
            self._database_errors("write the audit record"),
            Session(self._engine, expire_on_commit=False) as session,
        ):
            session.add(record)
            session.commit()
        if record.id is None:  # pragma: no cover - the database assigns it on insert
            raise AuditStoreError("the database did not assign an audit record id")
        return record.id

    def list_records(
        self,
        limit: int = 50,
        *,
        app: str | None = None,
        provider: str | None = None,
        decision: Decision | str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[AuditRecord]:
        """Newest first (by `occurred_at`, then id); `since` inclusive, `until` exclusive.

        An unknown `decision` raises ValueError rather than silently matching nothing.
        """
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        query = select(AuditRecord)
        if app is not None:
            query = query.where(AuditRecord.app == app)
        if provider is not None:
            query = query.where(AuditRecord.provider == provider)
        if decision is not None:
            query = query.where(AuditRecord.decision == Decision(decision).value)
        if since is not None:
            query = query.where(col(AuditRecord.occurred_at) >= _require_aware(since, "since"))
        if until is not None:
            query = query.where(col(AuditRecord.occurred_at) < _require_aware(until, "until"))
        query = query.order_by(
            col(AuditRecord.occurred_at).desc(), col(AuditRecord.id).desc()
        ).limit(limit)
        with self._database_errors("list audit records"), Session(self._engine) as session:
            return list(session.exec(query).all())

    def get(self, record_id: int) -> AuditRecord | None:
        with self._database_errors(f"read audit record {record_id}"), Session(self._engine) as s:
            return s.get(AuditRecord, record_id)

    def decrypt_payload(self, record: AuditRecord) -> dict[str, Any]:
        """The record's payload in clear; raises `AuditKeyError` if no key can open it."""
        plaintext = self._keyring.decrypt(
            record.key_id, record.payload, payload_aad(record.request_id)
        )
        payload = json.loads(plaintext.decode("utf-8", "surrogatepass"))
        if not isinstance(payload, dict):
            raise AuditStoreError(f"audit record {record.id} holds a payload that is not an object")
        return payload

    def ping(self) -> None:
        """Raise `AuditStoreError` unless the database answers a query now."""
        with self._database_errors("reach the audit store"), self._engine.connect() as connection:
            connection.execute(text("SELECT 1"))

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

    def __repr__(self) -> str:
        return f"AuditStore({self._url.render_as_string(hide_password=True)!r})"

    @staticmethod
    @contextmanager
    def _database_errors(action: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            raise AuditStoreError(f"cannot {action}: {_describe(exc)}") from exc


def _describe(exc: SQLAlchemyError) -> str:
    """The driver's own first line (`UNIQUE constraint failed: ...`), without SQL or DETAIL.

    PostgreSQL's DETAIL lines may quote a whole row; the first line names the problem.
    """
    orig = getattr(exc, "orig", None)
    cause: BaseException = orig if isinstance(orig, BaseException) else exc
    first_line = next(iter(str(cause).strip().splitlines()), "")
    return f"{type(cause).__name__}: {first_line}" if first_line else type(cause).__name__


@overload
def _storable(text: str) -> str: ...
@overload
def _storable(text: None) -> None: ...
def _storable(text: str | None) -> str | None:
    """Replace NUL and lone surrogates, which no backend can store in a text column, by U+FFFD.

    Clear fields such as `model` come from clients: one that PostgreSQL or SQLite refuses
    would make the write fail, and so the request would go unrecorded (and refused).
    """
    return None if text is None else _UNSTORABLE.sub("\ufffd", text)


def _require_aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return moment


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


def _build_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        touch_private(Path(url.database or ""))
        engine = create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
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
    and a record the proxy acknowledged (by answering the request) must not vanish: FULL
    costs one fsync of the WAL per record, which is small next to an LLM call.
    """
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()
