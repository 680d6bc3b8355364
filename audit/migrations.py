"""Schema versions, and moving the audit tables from one to the next without losing a record.

v1 (the first audit version): one row per request in `audit_records`, payloads encrypted
directly under a key of the key file, bound to the request id; no chain.

v2 (this version): chained entries, write-ahead intents, data keys wrapped by a KEK.

`migrate_v1` runs inside `AuditStore.create_schema`'s transaction (DDL is transactional on
both PostgreSQL and SQLite): the v1 table is renamed aside, the v2 tables are created, every
v1 row is copied in id order into the chain as an `outcome` entry (its v1 id kept in
`legacy_id`, its ciphertext and key id kept as they are: `v1:KID`, still readable, never
re-encrypted), a `migration` entry records how many, and the v1 table is dropped. A crash
anywhere leaves the v1 tables untouched; two processes starting together take turns on the
schema lock, and the second finds v2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
)
from sqlmodel import SQLModel

from audit import chain
from audit.envelope import LEGACY_PREFIX, DataKey
from audit.events import Entry, EntryKind
from audit.models import AUDIT_TABLES, HEAD, RAW_RECORDS, UTCDateTime

BATCH = 500

# The v1 layout, frozen here: what `migrate_v1` reads (and what tests build a v1 trail with).
V1_METADATA = MetaData()
V1_RECORDS = Table(
    "audit_records",
    V1_METADATA,
    Column(
        "id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("request_id", String, nullable=False, unique=True, index=True),
    Column("occurred_at", UTCDateTime(), nullable=False, index=True),
    Column("app", String, nullable=False, index=True),
    Column("provider", String, nullable=False),
    Column("route", String, nullable=False),
    Column("model", String),
    Column("policy_name", String),
    Column("policy_hash", String),
    Column("decision", String, nullable=False),
    Column("status", Integer, nullable=False),
    Column("error_code", String),
    Column("entity_counts", Text, nullable=False),
    Column("latency_ms", Float, nullable=False),
    Column("prompt_tokens", Integer),
    Column("completion_tokens", Integer),
    Column("unresolved_placeholders", Integer, nullable=False),
    Column("key_id", String, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    sqlite_autoincrement=True,
)
V1_VERSIONS = Table(
    "audit_schema_version",
    V1_METADATA,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", UTCDateTime(), nullable=False),
)
_V1_MOVED = Table("audit_records_v1", MetaData(), *(c._copy() for c in V1_RECORDS.columns))


def detect_version(conn: Connection) -> int | None:
    """The schema version of the tables as they are; None if there are none yet."""
    inspector = inspect(conn)
    tables = set(inspector.get_table_names())
    if "audit_records" not in tables:
        return None
    versions: list[int] = []
    if "audit_schema_version" in tables:
        versions = list(conn.execute(select(V1_VERSIONS.c.version)).scalars())
    columns = {c["name"] for c in inspector.get_columns("audit_records")}
    if "seq" not in columns:
        return 1  # the v1 layout, whatever its version table says
    return max(versions, default=2)


@dataclass(frozen=True)
class TrailSteps:
    """What a migration needs from the store, run inside the store's transaction and lock:
    the store passes its own steps, so this module never reaches into it."""

    backend: str  # postgresql, sqlite
    init_head: Callable[[Connection], None]  # the chain head of a new trail, once
    chain_key: Callable[[Connection], DataKey]  # the trail's MAC key
    append: Callable[[Connection, Sequence[Entry]], object]  # chained after the head


def migrate_v1(steps: TrailSteps, conn: Connection) -> int:
    """Chain every v1 record into a v2 trail; returns how many were migrated."""
    if steps.backend == "postgresql":
        conn.exec_driver_sql("ALTER TABLE audit_records RENAME TO audit_records_v1")
        # Constraint and index names are per schema: free them for the v2 table.
        conn.exec_driver_sql("ALTER INDEX audit_records_pkey RENAME TO audit_records_v1_pkey")
    else:
        conn.exec_driver_sql("ALTER TABLE audit_records RENAME TO audit_records_v1")
    SQLModel.metadata.create_all(conn, tables=list(AUDIT_TABLES))
    steps.init_head(conn)
    head = conn.execute(select(HEAD).where(HEAD.c.id == 1).with_for_update()).mappings().one()
    chain_key = steps.chain_key(conn)
    seq, prev = int(head["seq"]), str(head["head_hash"])
    now = datetime.now(UTC)
    migrated, first_id, last_id, after = 0, None, None, -1
    while True:
        page = (
            conn.execute(
                select(_V1_MOVED)
                .where(_V1_MOVED.c.id > after)
                .order_by(_V1_MOVED.c.id)
                .limit(BATCH)
            )
            .mappings()
            .all()
        )
        if not page:
            break
        rows = []
        for old in page:
            seq += 1
            row = _v2_row(old, seq, prev, now)
            row["chain_hash"] = chain.chain_hash(row)
            row["mac_key_id"] = chain_key.id
            row["mac"] = chain.entry_mac(chain_key.secret, row["chain_hash"])
            prev = row["chain_hash"]
            rows.append(row)
        conn.execute(RAW_RECORDS.insert(), rows)
        migrated += len(page)
        first_id = page[0]["id"] if first_id is None else first_id
        last_id = after = page[-1]["id"]
    conn.execute(HEAD.update().where(HEAD.c.id == 1).values(seq=seq, head_hash=prev))
    steps.append(
        conn,
        [
            Entry(  # inside the store's transaction and lock
                kind=EntryKind.MIGRATION,
                request_id=f"migration-v1-v2-{now:%Y%m%dT%H%M%S}",
                occurred_at=now,
                app="-",
                actor="voile",
                details={
                    "from": 1,
                    "to": 2,
                    "records": migrated,
                    "first_legacy_id": first_id,
                    "last_legacy_id": last_id,
                },
            )
        ],
    )
    conn.exec_driver_sql("DROP TABLE audit_records_v1")
    return migrated


def _v2_row(old: Any, seq: int, prev: str, now: datetime) -> dict[str, Any]:
    payload = bytes(old["payload"])
    counts = old["entity_counts"]
    return {
        "seq": seq,
        "kind": EntryKind.OUTCOME.value,
        "request_id": old["request_id"],
        "occurred_at": old["occurred_at"],
        "written_at": now,
        "app": old["app"],
        "provider": old["provider"],
        "region": None,
        "route": old["route"],
        "model": old["model"],
        "policy_name": old["policy_name"],
        "policy_hash": old["policy_hash"],
        "decision": old["decision"],
        "status": old["status"],
        "error_code": old["error_code"],
        "entity_counts": chain.canonical_json(_json_object(counts)),
        "entity_actions": "{}",
        "latency_ms": float(old["latency_ms"]),
        "prompt_tokens": old["prompt_tokens"],
        "completion_tokens": old["completion_tokens"],
        "unresolved_placeholders": old["unresolved_placeholders"],
        "end_user_hash": None,
        "subject_seq": None,
        "actor": None,
        "details": "{}",
        "key_id": LEGACY_PREFIX + old["key_id"],
        "payload": payload,
        "payload_digest": chain.payload_digest(payload),
        "legacy_id": old["id"],
        "prev_hash": prev,
    }


def _json_object(text: str) -> dict[str, Any]:
    import json  # noqa: PLC0415

    value = json.loads(text)
    return value if isinstance(value, dict) else {}
