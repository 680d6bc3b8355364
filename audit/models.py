"""The audit tables: metadata in clear columns, the sensitive payload as one ciphertext.

Clear columns hold only what `AuditEvent` allows in clear (types, counts, ids, hashes), so
a compliance officer can search and count without decrypting anything; `payload` is the
AES-256-GCM ciphertext of the masked request, the response and the entity map, readable
only with the key named in `key_id`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import BigInteger, Column, DateTime, Dialect, Integer, LargeBinary, Table, Text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 1


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
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, int] | None:
        if value is None:
            return None
        counts: dict[str, int] = json.loads(value)
        return counts


class AuditRecord(SQLModel, table=True):
    """One proxied request, whatever its outcome."""

    __tablename__: ClassVar[str] = "audit_records"
    # AUTOINCREMENT: SQLite would otherwise reuse the id of a deleted last row, and an id
    # must name one record forever.
    __table_args__: ClassVar[dict[str, Any]] = {"sqlite_autoincrement": True}

    # BIGINT on PostgreSQL (a busy proxy outgrows 2**31 records); SQLite's INTEGER is 64-bit
    # already, and only an INTEGER primary key is its auto-incrementing rowid.
    id: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    request_id: str = Field(unique=True, index=True)
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    app: str = Field(index=True)
    provider: str
    route: str
    model: str | None = None
    policy_name: str | None = None
    policy_hash: str | None = None
    decision: str  # an `audit.events.Decision` value; plain text so new values need no migration
    status: int
    error_code: str | None = None
    entity_counts: dict[str, int] = Field(
        default_factory=dict, sa_column=Column(JSONCounts(), nullable=False)
    )
    latency_ms: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    unresolved_placeholders: int = 0
    key_id: str
    payload: bytes = Field(sa_column=Column(LargeBinary(), nullable=False))


class AuditSchemaVersion(SQLModel, table=True):
    """Which layout the audit tables have, until issue 5 brings real migrations."""

    __tablename__: ClassVar[str] = "audit_schema_version"

    version: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    applied_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


# Only these tables are created: SQLModel's metadata is shared with any other package.
AUDIT_TABLES: tuple[Table, ...] = tuple(
    SQLModel.metadata.tables[name] for name in ("audit_records", "audit_schema_version")
)
