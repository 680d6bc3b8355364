"""Upgrading a trail written by the first audit version (schema v1) to v2, on both backends:
no record lost, every payload still readable (never re-encrypted), the result verifies."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from audit.errors import AuditErasedError
from audit.keys import Keyring
from audit.models import SCHEMA_VERSION
from audit.store import AuditStore
from tests.audit.support import Backend, make_event, write_v1_trail

T0 = datetime(2025, 1, 5, 8, 0, tzinfo=UTC)


def v1_events(count: int = 4) -> list:  # type: ignore[type-arg]
    return [
        make_event(
            request_id=f"v1-{n}",
            occurred_at=T0 + timedelta(minutes=n),
            payload={"entity_map": {"<PERSON_1>": f"Person {n}"}},
            entity_counts={"PERSON": n + 1},
        )
        for n in range(count)
    ]


def test_v1_records_are_chained_into_v2_and_still_decrypt(
    backend: Backend, keyring: Keyring
) -> None:
    old_ids = write_v1_trail(backend.url, keyring, v1_events())
    # A gap in v1 ids (a failed insert consumed one) must not become a gap in the chain.
    backend.execute("DELETE FROM audit_records WHERE id = %s", old_ids[1])
    del old_ids[1]
    with AuditStore(backend.url, keyring) as store:
        assert store.create_schema() == 3
        records = store.list_records(limit=10)[::-1]
        assert [(r.seq, r.legacy_id, r.request_id) for r in records] == [
            (1, old_ids[0], "v1-0"),
            (2, old_ids[1], "v1-2"),
            (3, old_ids[2], "v1-3"),
        ]
        assert [r.entity_counts for r in records] == [{"PERSON": 1}, {"PERSON": 3}, {"PERSON": 4}]
        assert all(r.key_id == f"v1:{keyring.active_kid}" for r in records)
        assert [store.decrypt_payload(r)["entity_map"] for r in records] == [
            {"<PERSON_1>": "Person 0"},
            {"<PERSON_1>": "Person 2"},
            {"<PERSON_1>": "Person 3"},
        ]
        [migration] = store.list_records(kind="migration")
        assert migration.seq == 4
        assert migration.details == {
            "from": 1,
            "to": 2,
            "records": 3,
            "first_legacy_id": old_ids[0],
            "last_legacy_id": old_ids[2],
        }
        new = store.write(make_event(request_id="v2-0"))
        assert new == 5
        report = store.verify()
        assert report.ok, report.findings
        assert report.kinds == {"outcome": 4, "migration": 1}
    versions = sorted(v for (v,) in backend.execute("SELECT version FROM audit_schema_version"))
    assert versions == [1, SCHEMA_VERSION]
    tables = _tables(backend)
    assert "audit_records_v1" not in tables


def test_migrating_twice_is_a_no_op(backend: Backend, keyring: Keyring) -> None:
    write_v1_trail(backend.url, keyring, v1_events(2))
    with AuditStore(backend.url, keyring) as store:
        assert store.create_schema() == 2
        assert store.create_schema() == 0
        assert len(store.list_records()) == 2


def test_two_processes_starting_together_migrate_once(backend: Backend, keyring: Keyring) -> None:
    write_v1_trail(backend.url, keyring, v1_events(3))
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def start() -> None:
        with AuditStore(backend.url, keyring) as store:
            barrier.wait()
            try:
                results.append(store.create_schema())
            except BaseException as exc:  # asserted below
                errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [0, 3]
    with AuditStore(backend.url, keyring) as store:
        assert store.verify().ok
        assert len(store.list_records()) == 3


def test_migrated_payloads_can_be_purged(backend: Backend, keyring: Keyring) -> None:
    write_v1_trail(backend.url, keyring, v1_events(2))
    with AuditStore(backend.url, keyring) as store:
        store.create_schema()
        result = store.purge(datetime(2025, 2, 1, tzinfo=UTC), actor="ops")
        assert result.payloads == 2
        [record, *_] = store.list_records()
        with pytest.raises(AuditErasedError):
            store.decrypt_payload(record)
        assert store.verify().ok
        assert store.count_legacy(keyring.active_kid) == 0


def _tables(backend: Backend) -> set[str]:
    if backend.name == "sqlite":
        rows = backend.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = backend.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
    return {name for (name,) in rows}
