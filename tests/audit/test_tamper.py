"""Tampering done in the database itself, on SQLite and on PostgreSQL: `store.verify()`
reads what is stored and names the first bad entry and what happened to it.

(Every single bit of a stored record is flipped in tests/audit/test_verify.py, on the rows
SQLite returned; here each kind of change goes through real SQL on both backends.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from audit.checkpoints import Checkpoint, DirectorySink, SigningKeys
from audit.store import AuditStore
from audit.verify import Problem, Report
from tests.audit.support import Backend, make_event

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)


@pytest.fixture
def trail(store: AuditStore) -> AuditStore:
    """Five request entries: #1 intent, #2 its outcome, #3..#5 outcomes."""
    intent = store.write_intent(make_event(request_id="r1", occurred_at=T0, end_user="u1"))
    store.write(make_event(request_id="r1", occurred_at=T0, intent_seq=intent, end_user="u1"))
    for n in (2, 3, 4):
        store.write(
            make_event(request_id=f"r{n}", occurred_at=T0 + timedelta(minutes=n), payload={"n": n})
        )
    assert store.verify().ok
    return store


def first(report: Report) -> tuple[int | None, str]:
    assert report.findings, "the change went unnoticed"
    finding = report.findings[0]
    return finding.seq, finding.problem.value


def flip_text(value: str) -> str:
    return chr(ord(value[0]) ^ 1) + value[1:]


# column -> (SQL expression producing the changed value from the current one)
CHANGES: dict[str, Callable[[Any], Any]] = {
    "request_id": flip_text,
    "app": flip_text,
    "model": flip_text,
    "kind": flip_text,
    "entity_counts": lambda v: v.replace("1", "2"),
    "status": lambda v: v ^ 1,
    "latency_ms": lambda v: v + 0.25,
    "payload": lambda v: bytes([v[0] ^ 0x80]) + bytes(v[1:]),
    "payload_digest": flip_text,
    "prev_hash": flip_text,
    "chain_hash": flip_text,
    "mac": flip_text,
    "key_id": lambda v: v[:-1] + ("0" if v[-1] != "0" else "1"),
    "end_user_hash": lambda v: "0" * 32,
}


@pytest.mark.parametrize("column", sorted(CHANGES))
def test_a_changed_column_is_noticed_at_its_entry(
    trail: AuditStore, backend: Backend, column: str
) -> None:
    seq = 1 if column == "end_user_hash" else 3
    [(value,)] = backend.execute(f"SELECT {column} FROM audit_records WHERE seq = %s", seq)
    changed = CHANGES[column](bytes(value) if isinstance(value, memoryview) else value)
    backend.execute(f"UPDATE audit_records SET {column} = %s WHERE seq = %s", changed, seq)
    expected = {"mac": "forged", "payload": "modified", "key_id": "modified"}.get(
        column, "modified"
    )
    assert first(trail.verify()) == (seq, expected)


def test_a_shifted_timestamp_is_noticed(trail: AuditStore, backend: Backend) -> None:
    [(moment,)] = backend.execute("SELECT occurred_at FROM audit_records WHERE seq = 4")
    if isinstance(moment, str):  # SQLite keeps text
        moment = datetime.fromisoformat(moment)
    shifted = moment + timedelta(microseconds=1)
    backend.execute("UPDATE audit_records SET occurred_at = %s WHERE seq = 4", shifted)
    assert first(trail.verify()) == (4, "modified")


def test_a_deleted_entry_is_a_gap(trail: AuditStore, backend: Backend) -> None:
    backend.execute("DELETE FROM audit_records WHERE seq = 3")
    report = trail.verify()
    assert first(report) == (4, "deleted")
    assert report.findings[0].detail == "entries #3 are missing (gap before it)"


def test_swapped_entries_are_reordered(trail: AuditStore, backend: Backend) -> None:
    backend.execute("UPDATE audit_records SET seq = 1000 WHERE seq = 3")
    backend.execute("UPDATE audit_records SET seq = 3 WHERE seq = 4")
    backend.execute("UPDATE audit_records SET seq = 4 WHERE seq = 1000")
    assert first(trail.verify()) == (3, "reordered")


def test_an_inserted_copy_is_noticed(trail: AuditStore, backend: Backend) -> None:
    columns = ", ".join(c for c in _columns(backend) if c != "seq")
    backend.execute(
        f"INSERT INTO audit_records (seq, {columns}) SELECT 6, {columns} "
        "FROM audit_records WHERE seq = 2"
    )
    backend.execute("UPDATE audit_chain_head SET seq = 6")
    report = trail.verify()
    assert report.findings
    assert report.findings[0].seq in (2, 6)


def test_a_truncated_tail_is_named(trail: AuditStore, backend: Backend) -> None:
    backend.execute("DELETE FROM audit_records WHERE seq >= 4")
    assert first(trail.verify()) == (4, "truncated")


def test_a_payload_deleted_without_a_purge(trail: AuditStore, backend: Backend) -> None:
    backend.execute("UPDATE audit_records SET payload = NULL WHERE seq = 4")
    assert first(trail.verify()) == (4, "payload_missing")


def test_a_destroyed_or_missing_data_key(trail: AuditStore, backend: Backend) -> None:
    [(key_id,)] = backend.execute("SELECT key_id FROM audit_records WHERE seq = 3")
    backend.execute("UPDATE audit_data_keys SET wrapped = NULL WHERE id = %s", key_id)
    assert first(trail.verify())[1] == "key_destroyed"
    backend.execute("DELETE FROM audit_data_keys WHERE id = %s", key_id)
    assert first(trail.verify()) == (3, "key_missing")


def test_a_rollback_behind_a_checkpoint(
    trail: AuditStore, backend: Backend, tmp_path: Path
) -> None:
    """An older copy is put back (entries after #3 and the head row as they were), then a
    legitimate proxy writes on: each entry is valid, only the checkpoint can tell."""
    keys, sink = SigningKeys.generate(), DirectorySink(tmp_path / "checkpoints")
    [(hash3,)] = backend.execute("SELECT chain_hash FROM audit_records WHERE seq = 3")
    sink.publish(Checkpoint.sign(keys, trail.trail_id, 5, trail.head()[2]))  # type: ignore[index]
    backend.execute("DELETE FROM audit_records WHERE seq > 3")
    backend.execute("UPDATE audit_chain_head SET seq = 3, head_hash = %s", hash3)
    for n in (5, 6):
        trail.write(make_event(request_id=f"after-rollback-{n}"))
    assert trail.verify().ok, "the chain alone is consistent"
    report = trail.verify(checkpoints=sink.read(trail.trail_id), public_keys=keys.public())
    assert first(report) == (4, "rolled_back")


def test_a_rollback_that_only_lost_the_tail(
    trail: AuditStore, backend: Backend, tmp_path: Path
) -> None:
    keys, sink = SigningKeys.generate(), DirectorySink(tmp_path / "checkpoints")
    sink.publish(Checkpoint.sign(keys, trail.trail_id, 5, trail.head()[2]))  # type: ignore[index]
    [(hash3,)] = backend.execute("SELECT chain_hash FROM audit_records WHERE seq = 3")
    backend.execute("DELETE FROM audit_records WHERE seq > 3")
    backend.execute("UPDATE audit_chain_head SET seq = 3, head_hash = %s", hash3)
    report = trail.verify(checkpoints=sink.read(trail.trail_id), public_keys=keys.public())
    assert first(report) == (4, "rolled_back")


def test_new_writes_after_tampering_do_not_hide_it(trail: AuditStore, backend: Backend) -> None:
    backend.execute("UPDATE audit_records SET status = 500 WHERE seq = 2")
    trail.write(make_event(request_id="later"))
    assert first(trail.verify()) == (2, "modified")


def test_verify_without_the_chain_key_still_checks_the_chain(
    trail: AuditStore, backend: Backend
) -> None:
    backend.execute("UPDATE audit_records SET mac = %s WHERE seq = 2", "0" * 64)
    assert trail.verify(check_macs=False).ok, "MACs need the key"
    assert first(trail.verify()) == (2, Problem.FORGED.value)


def _columns(backend: Backend) -> list[str]:
    if backend.name == "sqlite":
        return [row[1] for row in backend.execute("PRAGMA table_info(audit_records)")]
    return [
        row[0]
        for row in backend.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = "
            "'audit_records' AND table_schema = current_schema() ORDER BY ordinal_position"
        )
    ]
