"""The audit tables (schema v2): chained entries, the chain head, and wrapped data keys.

`audit_records` holds one row per trail entry. Clear columns hold only what `AuditEvent`
allows in clear (types, counts, ids, keyed hashes), so a compliance officer can search and
count without decrypting anything; `payload` is the AES-256-GCM ciphertext of the masked
request, the response and the entity map, readable only with the data key named in
`key_id`. `prev_hash`, `chain_hash` and `mac` make the rows a hash chain (`audit.chain`).

`audit_chain_head` is one row: the trail's id, the last sequence number and hash. Writers
lock it (`SELECT ... FOR UPDATE` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite) to append,
which is what keeps several processes on one database in one chain.

`audit_data_keys` holds data keys wrapped by the key provider's KEK: per period, per end
user where the app names one, plus the chain's MAC key and the end-user pseudonym key.
Destroying a row's wrapped key is crypto-shredding: the payloads it protected are gone.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 2


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    PostgreSQL keeps the instant (`timestamptz`); SQLite has no time zone type, so values
    are stored as naive UTC text, which also sorts and compares correctly. Naive datetimes
    are refused rather than guessed: a record's time is evidence.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("audit timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class JSONText(TypeDecorator[dict[str, Any]]):
    """A JSON object as canonical text (sorted keys, no spaces), on every backend.

    Text rather than a native JSON type so both backends store the very same bytes, which
    the hash chain recomputes a record's digest from.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        document = json.loads(value)
        return document if isinstance(document, dict) else {}


class JSONCounts(TypeDecorator[dict[str, int]]):
    """`{entity type: count}` as canonical JSON text (sorted keys, no spaces).

    Text rather than a native JSON type so both backends store the very same bytes, which
    the hash chain will need to recompute a record's digest from what the database returns.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, int] | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, int] | None:
        if value is None:
            return None
        counts: dict[str, int] = json.loads(value)
        return counts


BIG_ID = BigInteger().with_variant(Integer(), "sqlite")


class AuditRecord(SQLModel, table=True):
    """One entry of the trail: a request's write-ahead intent or outcome, a reviewer's
    access, a purge, an erasure, a migration. `seq` is its position in the chain and the
    id compliance officers use (`voile audit show SEQ`)."""

    __tablename__: ClassVar[str] = "audit_records"
    # Named explicitly: the v1 table's `ix_audit_records_*` indexes still exist while a
    # migration copies its rows.
    __table_args__: ClassVar[tuple[Any, ...]] = (
        Index("audit_v2_by_time", "occurred_at"),
        Index("audit_v2_by_request", "request_id"),
        Index("audit_v2_by_app", "app"),
        Index("audit_v2_by_end_user", "end_user_hash"),
        Index("audit_v2_by_key", "key_id"),
    )

    seq: int = Field(sa_column=Column(BIG_ID, primary_key=True, autoincrement=False))
    kind: str  # an `audit.events.EntryKind` value
    request_id: str
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    written_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    app: str
    provider: str | None = None
    region: str | None = None
    route: str | None = None
    model: str | None = None
    policy_name: str | None = None
    policy_hash: str | None = None
    decision: str | None = None  # an `audit.events.Decision` value on request entries
    status: int | None = None
    error_code: str | None = None
    entity_counts: dict[str, int] = Field(
        default_factory=dict, sa_column=Column(JSONCounts(), nullable=False)
    )
    entity_actions: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONText(), nullable=False)
    )
    latency_ms: float | None = Field(default=None, sa_column=Column(Float(), nullable=True))
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    unresolved_placeholders: int = 0
    end_user_hash: str | None = None  # keyed hash (HMAC) of app + end-user id; never the id
    subject_seq: int | None = Field(default=None, sa_column=Column(BIG_ID, nullable=True))
    actor: str | None = None  # the reviewer or operator of access, purge, erasure entries
    details: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONText(), nullable=False)
    )
    key_id: str | None = None  # the data key (`audit_data_keys.id`) or `v1:KID` (legacy)
    payload: bytes | None = Field(default=None, sa_column=Column(LargeBinary(), nullable=True))
    payload_digest: str | None = None  # sha256 of the ciphertext; stays when it is purged
    legacy_id: int | None = Field(default=None, sa_column=Column(BIG_ID, nullable=True))
    prev_hash: str
    chain_hash: str
    mac_key_id: str | None = None
    mac: str | None = None


class AuditChainHead(SQLModel, table=True):
    """The one row writers lock to append: the trail's id and its last entry."""

    __tablename__: ClassVar[str] = "audit_chain_head"

    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    trail_id: str
    seq: int = Field(sa_column=Column(BIG_ID, nullable=False))
    head_hash: str
    # Bumped when data keys are destroyed: writers drop their cached keys.
    key_epoch: int = 0
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AuditDataKey(SQLModel, table=True):
    """A data key wrapped by a KEK, or the tombstone of one that was destroyed."""

    __tablename__: ClassVar[str] = "audit_data_keys"

    id: str = Field(primary_key=True)
    # What the key is for, unique among live keys: `payload|PERIOD|-`,
    # `payload|PERIOD|APP|END_USER_HASH`, `chain`, `pseudonym`; `destroyed|ID` once gone.
    scope: str = Field(sa_column_kwargs={"unique": True})
    purpose: str  # payload, chain, pseudonym
    app: str | None = None
    end_user_hash: str | None = None  # cleared on erasure: nothing links the key to the user
    period: str | None = None  # YYYY-MM or YYYY-MM-DD
    kek_id: str | None = None
    wrapped: bytes | None = Field(default=None, sa_column=Column(LargeBinary(), nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    destroyed_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    destroyed_reason: str | None = None  # erasure, purge
    destroyed_seq: int | None = Field(default=None, sa_column=Column(BIG_ID, nullable=True))


class AuditSchemaVersion(SQLModel, table=True):
    """Which layout the audit tables have; `audit.migrations` moves them forward."""

    __tablename__: ClassVar[str] = "audit_schema_version"

    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    applied_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


# Only these tables are created: SQLModel's metadata is shared with any other package.
AUDIT_TABLES: tuple[Table, ...] = tuple(
    SQLModel.metadata.tables[name]
    for name in ("audit_records", "audit_chain_head", "audit_data_keys", "audit_schema_version")
)
RECORDS: Table = SQLModel.metadata.tables["audit_records"]
HEAD: Table = SQLModel.metadata.tables["audit_chain_head"]
DATA_KEYS: Table = SQLModel.metadata.tables["audit_data_keys"]


def _raw_mirror(table: Table) -> Table:
    """The same table with its JSON columns as plain text, on a metadata of its own.

    The store writes and the verifier reads through it, so the canonical JSON text that
    was hashed is the text bound, and what is read back is what the database holds.
    """

    def column_type(column: Column[Any]) -> Any:
        return Text() if isinstance(column.type, JSONText | JSONCounts) else column.type

    return Table(
        table.name,
        MetaData(),
        *(
            Column(column.name, column_type(column), primary_key=column.primary_key)
            for column in table.columns
        ),
    )


RAW_RECORDS: Table = _raw_mirror(RECORDS)
