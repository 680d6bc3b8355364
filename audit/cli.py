"""What `voile audit list` and `voile audit show` print, given a store the proxy built.

The proxy's CLI resolves the configuration and opens the store; these functions only
render and return an exit code, so they are tested by reading what they wrote. Record
fields such as `model` come from clients, so everything printed has control and
bidirectional characters escaped: a record must not be able to drive the compliance
officer's terminal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from audit.errors import AuditError, AuditKeyError
from audit.events import Decision
from audit.models import AuditRecord
from audit.store import AuditStore

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
MAX_CELL = 32  # long app or model names are cut so the table stays one line per record
SHOWN_FIELDS = (  # the record's metadata in reading order, then its decrypted payload
    "id",
    "request_id",
    "occurred_at",
    "app",
    "provider",
    "route",
    "model",
    "policy_name",
    "policy_hash",
    "decision",
    "status",
    "error_code",
    "entity_counts",
    "latency_ms",
    "prompt_tokens",
    "completion_tokens",
    "unresolved_placeholders",
    "key_id",
)


def list_records(
    store: AuditStore,
    *,
    limit: int = 50,
    app: str | None = None,
    provider: str | None = None,
    decision: Decision | str | None = None,
    out: TextIO,
    err: TextIO | None = None,
) -> int:
    """Print the newest records as a table; entity types with counts, never values."""
    err = err or out
    decisions = [member.value for member in Decision]
    if decision is not None and str(decision) not in decisions:
        message = f"unknown decision {str(decision)!r}: expected one of {', '.join(decisions)}"
        print(printable(message), file=err)
        return EXIT_USAGE
    try:
        records = store.list_records(limit, app=app, provider=provider, decision=decision)
    except ValueError as exc:  # a bad limit is the caller's mistake, not the store's
        print(printable(str(exc)), file=err)
        return EXIT_USAGE
    except AuditError as exc:
        print(printable(f"audit store error: {exc}"), file=err)
        return EXIT_FAILURE
    if not records:
        print("no audit records", file=out)
        return EXIT_OK
    for line in _table(records):
        print(line, file=out)
    return EXIT_OK


def show_record(
    store: AuditStore, record_id: int, *, out: TextIO, err: TextIO | None = None
) -> int:
    """Print one record's metadata and decrypted payload as indented JSON."""
    err = err or out
    try:
        record = store.get(record_id)
        if record is None:
            print(f"audit record {record_id} not found", file=err)
            return EXIT_FAILURE
        payload = store.decrypt_payload(record)
    except AuditKeyError as exc:
        print(printable(f"cannot decrypt: {exc} (audit record {record_id})"), file=err)
        return EXIT_FAILURE
    except AuditError as exc:
        print(printable(f"audit store error: {exc}"), file=err)
        return EXIT_FAILURE
    document: dict[str, Any] = {name: getattr(record, name) for name in SHOWN_FIELDS}
    document["occurred_at"] = record.occurred_at.isoformat()
    document["payload"] = payload
    print(printable(json.dumps(document, indent=2, ensure_ascii=False, default=str)), file=out)
    return EXIT_OK


def format_counts(counts: dict[str, int]) -> str:
    """`EMAIL_ADDRESS=2 PERSON=1`, sorted by type so equal records print equal lines."""
    return " ".join(f"{kind}={count}" for kind, count in sorted(counts.items())) or "-"


def printable(text: str) -> str:
    """Escape what a terminal would interpret (controls, bidi overrides, surrogates).

    Newlines stay, so multi-line JSON stays readable; inside JSON strings the escapes are
    valid JSON (`\\u001b`), so the output can still be parsed.
    """
    return "".join(ch if ch == "\n" or ch.isprintable() else _escape(ch) for ch in text)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # as JSON writes astral characters: a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


@dataclass(frozen=True)
class _Column:
    header: str
    cell: Callable[[AuditRecord], str]
    right: bool = False  # numbers align right
    cut: bool = False  # free text from apps and clients is cut; counts never are


_COLUMNS: Sequence[_Column] = (
    _Column("ID", lambda r: str(r.id), right=True),
    _Column("TIME (UTC)", lambda r: r.occurred_at.strftime("%Y-%m-%d %H:%M:%S")),
    _Column("APP", lambda r: r.app, cut=True),
    _Column("PROVIDER", lambda r: r.provider, cut=True),
    _Column("MODEL", lambda r: r.model or "-", cut=True),
    _Column("DECISION", lambda r: r.decision, cut=True),
    _Column("STATUS", lambda r: str(r.status), right=True),
    _Column("ENTITIES", lambda r: format_counts(r.entity_counts)),
    _Column("LATENCY", lambda r: f"{r.latency_ms:.0f} ms", right=True),
)


def _table(records: Sequence[AuditRecord]) -> list[str]:
    rows = [[column.header for column in _COLUMNS]]
    rows += [[_cell(column, record) for column in _COLUMNS] for record in records]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    return [
        "  ".join(
            value.rjust(width) if column.right else value.ljust(width)
            for value, width, column in zip(row, widths, _COLUMNS, strict=True)
        ).rstrip()
        for row in rows
    ]


def _cell(column: _Column, record: AuditRecord) -> str:
    value = printable(column.cell(record))
    if column.cut and len(value) > MAX_CELL:
        return value[: MAX_CELL - 1] + "…"
    return value
