"""The audit record's columns, in one table: name, how the chain hashes it, how an `Entry`
becomes its stored value, and whether `voile audit show` lists it. No I/O here.

Everything that used to spell the columns out by hand derives from `RECORD_COLUMNS`: the
hashed columns and their order (`audit.chain.HASHED_COLUMNS`, which is the chain's format:
changing the hashed part of this table is a new `chain.FORMAT`), the row the store inserts
(`stored_row`), the fields the CLI shows, and a test holds the SQLModel `AuditRecord` to
the same names in the same order.

Columns without a `stored` function are the store's own: the sequence number and the
hashes, the write time, the keyed hash of the end user, the data key and the ciphertext.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, overload

from audit.errors import AuditStoreError
from audit.events import Decision, Entry

ColumnKind = Literal["int", "str", "float", "time"]

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@overload
def storable(text: str) -> str: ...
@overload
def storable(text: None) -> None: ...
def storable(text: str | None) -> str | None:
    """Replace NUL and lone surrogates, which no backend can store in a text column, by U+FFFD.

    Clear fields such as `model` come from clients: one that PostgreSQL or SQLite refuses
    would make the write fail, and so the request would go unrecorded (and refused).
    """
    return None if text is None else _UNSTORABLE.sub("\ufffd", text)


def storable_json(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(str(k)): storable_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable_json(v) for v in value]
    return value


def canonical_json(value: object) -> str:
    """Sorted keys, no spaces: the text JSON columns hold, identical on every backend."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def require_aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return moment


# How an entry's field becomes a stored value, by the column's kind of content.
Store = Callable[[Entry], Any]


def _text(name: str) -> Store:
    return lambda entry: storable(getattr(entry, name))


def _number(name: str, kind: type[int] | type[float]) -> Store:
    def convert(entry: Entry) -> Any:
        value = getattr(entry, name)
        return None if value is None else kind(value)

    return convert


def _counts(entry: Entry) -> str:
    return canonical_json({storable(str(k)): int(v) for k, v in entry.entity_counts.items()})


def _actions(entry: Entry) -> str:
    return canonical_json(
        {
            storable(str(kind)): {storable(str(a)): int(n) for a, n in actions.items()}
            for kind, actions in entry.entity_actions.items()
        }
    )


@dataclass(frozen=True)
class RecordColumn:
    name: str
    hashed: ColumnKind | None  # how `audit.chain` encodes it; None: not in the hash
    stored: Store | None = None  # the value stored for an entry; None: set by the store
    shown: bool = True  # among the metadata `voile audit show` and exports list


# In the order of the table (and of the hash, for the hashed ones).
RECORD_COLUMNS: tuple[RecordColumn, ...] = (
    RecordColumn("seq", "int"),
    RecordColumn("kind", "str", lambda entry: entry.kind.value),
    RecordColumn("request_id", "str", _text("request_id")),
    RecordColumn(
        "occurred_at",
        "time",
        lambda entry: require_aware(entry.occurred_at, "occurred_at").astimezone(UTC),
    ),
    RecordColumn("written_at", "time", shown=False),
    RecordColumn("app", "str", _text("app")),
    RecordColumn("provider", "str", _text("provider")),
    RecordColumn("region", "str", _text("region")),
    RecordColumn("route", "str", _text("route")),
    RecordColumn("model", "str", _text("model")),
    RecordColumn("policy_name", "str", _text("policy_name")),
    RecordColumn("policy_hash", "str", _text("policy_hash")),
    RecordColumn(
        "decision",
        "str",
        lambda entry: None if entry.decision is None else Decision(entry.decision).value,
    ),
    RecordColumn("status", "int", _number("status", int)),
    RecordColumn("error_code", "str", _text("error_code")),
    RecordColumn("entity_counts", "str", _counts),
    RecordColumn("entity_actions", "str", _actions),
    RecordColumn("latency_ms", "float", _number("latency_ms", float)),
    RecordColumn("prompt_tokens", "int", _number("prompt_tokens", int)),
    RecordColumn("completion_tokens", "int", _number("completion_tokens", int)),
    RecordColumn("unresolved_placeholders", "int", _number("unresolved_placeholders", int)),
    RecordColumn("end_user_hash", "str"),
    RecordColumn("subject_seq", "int", lambda entry: entry.subject_seq),
    RecordColumn("actor", "str", _text("actor")),
    RecordColumn("details", "str", lambda entry: canonical_json(storable_json(entry.details))),
    RecordColumn("key_id", "str"),
    RecordColumn("payload", None, shown=False),
    RecordColumn("payload_digest", "str", shown=False),
    RecordColumn("legacy_id", "int", shown=False),
    RecordColumn("prev_hash", "str", shown=False),
    RecordColumn("chain_hash", None, shown=False),
    RecordColumn("mac_key_id", None, shown=False),
    RecordColumn("mac", None, shown=False),
)

# Every hashed column, in hashing order: what `audit.chain` computes `chain_hash` over.
HASHED_COLUMNS: tuple[tuple[str, ColumnKind], ...] = tuple(
    (column.name, column.hashed) for column in RECORD_COLUMNS if column.hashed is not None
)
# What the verifier reads: the hashed columns, then the payload, the hash and the MAC.
STORED_COLUMNS: tuple[str, ...] = (
    *(name for name, _ in HASHED_COLUMNS),
    *(column.name for column in RECORD_COLUMNS if column.hashed is None),
)
# An entry's metadata in reading order (`voile audit show`, exports).
SHOWN_COLUMNS: tuple[str, ...] = tuple(c.name for c in RECORD_COLUMNS if c.shown)


def stored_row(entry: Entry, own: Mapping[str, Any]) -> dict[str, Any]:
    """The row stored for `entry`: every column the entry gives, then the store's `own`
    values (sequence number, write time, hashes, key, ciphertext), which must name each
    column the entry does not give, except the hash and the MAC, computed over the row."""
    row = {c.name: c.stored(entry) for c in RECORD_COLUMNS if c.stored is not None}
    row.update(own)
    return row


def encode_payload(entry: Entry) -> bytes | None:
    """The bytes encrypted into the `payload` column; None for an entry without one."""
    if entry.payload is None:
        return None
    try:
        text_value = json.dumps(entry.payload, default=str, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise AuditStoreError(f"cannot encode the audit payload as JSON: {exc}") from None
    # "surrogatepass": a lone surrogate from a client's JSON must not make the record
    # (and therefore the request) fail; decrypt_entry reverses it.
    return text_value.encode("utf-8", "surrogatepass")
