"""The hash chain: how one stored entry becomes bytes, a hash, and a MAC. No I/O here.

Each entry's `chain_hash` is SHA-256 over the canonical encoding of every stored column
except the payload itself, the hash and the MAC; the payload is covered through its SHA-256
(`payload_digest`), so retention can remove a payload and the chain still verifies. The
encoding includes `prev_hash`, the previous entry's `chain_hash`, which makes the entries a
chain: an edit, a deletion, an insertion or a swap anywhere changes what follows.

Anyone can recompute SHA-256, so the chain alone proves nothing against someone who can
write to the database and recompute it. Two things close that gap: each entry's `mac`, an
HMAC of its hash under a secret chain key (wrapped by the key provider like any data key),
which a forger cannot compute; and signed checkpoints (`audit.checkpoints`) kept outside the
database, which a rollback or a truncated tail cannot match.

The canonical form is computed from column values exactly as the database returns them
(PostgreSQL's typed values, SQLite's raw text), normalised here, so the writer and the
verifier hash the same bytes; a value of an unexpected type (a tampered SQLite cell) gets a
tagged encoding that can never equal a legitimate one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

# Which columns are hashed, in what order, comes from the record's one column table.
from audit.columns import HASHED_COLUMNS, STORED_COLUMNS, ColumnKind, canonical_json

__all__ = [
    "FORMAT",
    "HASHED_COLUMNS",
    "HASH_HEX",
    "SQLITE_TIME",
    "STORED_COLUMNS",
    "ColumnKind",
    "canonical",
    "canonical_json",
    "chain_hash",
    "entry_mac",
    "genesis_hash",
    "payload_digest",
    "time_text",
]

FORMAT = "voile-audit/v2"
HASH_HEX = 64
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores datetimes in SQLite


def genesis_hash(trail_id: str) -> str:
    """The `prev_hash` of entry 1: binds the chain to its trail, so two trails never mix."""
    return hashlib.sha256(f"{FORMAT}/genesis\x00{trail_id}".encode()).hexdigest()


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes `chain_hash` is computed over; `row` maps column names to stored values."""
    values = [_canonical_value(kind, row.get(name)) for name, kind in HASHED_COLUMNS]
    text = json.dumps([FORMAT, values], ensure_ascii=False, separators=(",", ":"))
    # "surrogatepass": a tampered cell may decode to lone surrogates; it must hash, not crash.
    return text.encode("utf-8", "surrogatepass")


def chain_hash(row: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def entry_mac(key: bytes, chain_hash_hex: str) -> str:
    """HMAC-SHA256 of the entry's hash under the secret chain key."""
    message = f"{FORMAT}/mac\x00{chain_hash_hex}".encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def payload_digest(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def time_text(moment: datetime) -> str:
    """An instant as the chain encodes it: UTC, microseconds, `Z`."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _canonical_value(kind: ColumnKind, value: Any) -> Any:  # noqa: PLR0911 - one exit per case
    if value is None:
        return None
    if kind == "int" and type(value) is int:
        return value
    if kind == "str" and type(value) is str:
        return value
    if kind == "float" and type(value) is float:
        return value.hex()  # exact, and the same for NaN payloads and signed zeros alike
    if kind == "time":
        if isinstance(value, datetime) and value.tzinfo is not None:
            return time_text(value)
        if isinstance(value, datetime):  # naive: SQLite through a typed column
            return time_text(value.replace(tzinfo=UTC))
        if type(value) is str:
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                parsed = None
            # Strict: only the exact text SQLAlchemy writes for SQLite is that instant
            # (fromisoformat also takes "2025-03-14", "20250314T...", offsets...).
            if (
                parsed is not None
                and parsed.tzinfo is None
                and parsed.isoformat(" ", "microseconds") == value
            ):
                return parsed.isoformat(timespec="microseconds") + "Z"
    # Anything else was not written by Voile: encode its type and value so it never
    # collides with a legitimate value (a str "5" in an int column is not the int 5).
    if isinstance(value, bytes | bytearray | memoryview):
        return ["!", "bytes", bytes(value).hex()]
    return ["!", type(value).__name__, repr(value)]
