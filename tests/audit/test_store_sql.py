"""The append runs SQLAlchemy-compiled SQL on the driver's cursor (`audit.store._AppendSql`):
what it stores must be exactly what the expression layer (`RAW_RECORDS.insert()`, the
previous write path) stored, and trails written that way must verify and go on growing."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, select, update

from audit.columns import encode_payload
from audit.events import Decision, Entry, EntryKind
from audit.keys import Keyring
from audit.models import HEAD, RAW_RECORDS
from audit.store import Appended, AuditStore, _AppendSql
from tests.audit.support import Backend, make_event


def varied_entries() -> list[Entry]:
    """Entries that exercise every kind of column value: NULLs, floats, unicode, text no
    backend stores as is, an end user, no payload, details, odd microseconds."""
    return [
        Entry.intent(make_event(request_id="a-1")),
        Entry.outcome(
            make_event(
                request_id="a-1",
                latency_ms=0.1 + 0.2,
                end_user="user-42",
                model="m\x00odel-é",
                entity_counts={"PERSON": 3, "ZÉRO": 0},
                occurred_at=datetime(2025, 3, 14, 9, 26, 53, 7, tzinfo=UTC),
            )
        ),
        Entry.outcome(
            make_event(
                request_id="a-2",
                decision=Decision.BLOCKED,
                status=400,
                error_code="blocked",
                latency_ms=None,
                prompt_tokens=None,
                occurred_at=datetime(2025, 3, 14, 10, 0, tzinfo=UTC) + timedelta(hours=-5),
            )
        ),
        Entry(
            kind=EntryKind.ACCESS,
            request_id="access-1",
            occurred_at=datetime.now(UTC),
            app="-",
            actor="officer ☕",
            details={"reason": "audit", "seqs": [1, 2]},
        ),
    ]


@contextmanager
def captured_rows(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Mapping[str, Any]]]:
    """The rows the prepared path inserts, as built (before any bind conversion)."""
    rows: list[Mapping[str, Any]] = []
    original = _AppendSql.store

    def spy(self: _AppendSql, cursor: Any, batch: Sequence[Mapping[str, Any]]) -> None:
        rows.extend(dict(row) for row in batch)
        original(self, cursor, batch)

    monkeypatch.setattr(_AppendSql, "store", spy)
    yield rows


def test_prepared_statements_store_what_the_expression_layer_stored(
    store: AuditStore, backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    with captured_rows(monkeypatch) as rows:
        for entry in varied_entries():
            store.append([entry])
        store.append(varied_entries()[:2])  # a batch of two: executemany
    assert len(rows) == 6
    # The same rows again through SQLAlchemy's insert, 1000 places further on.
    offset = 1000
    with store._transaction(immediate=True) as conn:
        conn.execute(RAW_RECORDS.insert(), [{**row, "seq": row["seq"] + offset} for row in rows])
    columns = [c.name for c in RAW_RECORDS.columns if c.name != "seq"]
    if backend.name == "sqlite":  # the stored type of each cell too: 1 is not '1' nor 1.0
        cells = ", ".join(f"typeof({c}), quote({c})" for c in columns)
    else:
        cells = ", ".join(f"pg_typeof({c})::text, {c}::text" for c in columns)
    for row in rows:
        seq = row["seq"]
        prepared = backend.execute(f"SELECT {cells} FROM audit_records WHERE seq = %s", seq)
        reference = backend.execute(
            f"SELECT {cells} FROM audit_records WHERE seq = %s", seq + offset
        )
        assert prepared == reference, f"entry {seq} is stored differently"


def append_like_before(store: AuditStore, entries: Sequence[Entry]) -> list[Appended]:
    """The write path before the prepared statements: SQLAlchemy's expression layer for the
    head, the insert and the head's move (the rows themselves are built by the same code)."""
    with store._write_lock, store._transaction(immediate=True) as conn:
        appended = _append_through_expressions(store, conn, entries)
    store.keys.committed()
    return appended


def _append_through_expressions(
    store: AuditStore, conn: Connection, entries: Sequence[Entry]
) -> list[Appended]:
    head = conn.execute(select(HEAD).where(HEAD.c.id == 1).with_for_update()).mappings().one()
    store.keys.sync_epoch(int(head["key_epoch"]))
    rows = store._chain_rows(
        conn,
        entries,
        [encode_payload(entry) for entry in entries],
        after=(int(head["seq"]), str(head["head_hash"])),
        chain_key=store.keys.special(conn, "chain"),
        extra=None,
    )
    conn.execute(RAW_RECORDS.insert(), rows)
    last = rows[-1]
    conn.execute(
        update(HEAD).where(HEAD.c.id == 1).values(seq=last["seq"], head_hash=last["chain_hash"])
    )
    return [Appended(row["seq"], row["chain_hash"]) for row in rows]


def test_a_trail_written_by_the_expression_layer_verifies_and_grows(
    backend: Backend, keyring: Keyring
) -> None:
    with AuditStore(backend.url, keyring) as before:
        before.create_schema()
        for entry in varied_entries():
            append_like_before(before, [entry])
    with AuditStore(backend.url, keyring) as after:  # a new process, the new write path
        assert after.verify().ok
        for entry in varied_entries():
            after.append([entry])
        report = after.verify()
        assert report.ok, report
        assert after.head() == (after.trail_id, 8, report_head(after))
        for seq in range(1, 9):
            record = after.get(seq)
            assert record is not None
            if record.payload is not None:
                after.decrypt_payload(record)  # raises if a ciphertext does not open


def report_head(store: AuditStore) -> str:
    record = store.get(8)
    assert record is not None
    return record.chain_hash
