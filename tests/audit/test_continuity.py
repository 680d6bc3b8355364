"""The trail cannot be swapped or silently lost (issue 8, item 5), on both backends: the
CLI never creates a trail, `serve` creates one only beside an empty checkpoint sink and
refuses one that contradicts its checkpoints, `verify` names a replaced trail, and a
running store notices a database removed, replaced or recreated under it (every write and
the readiness probe fail)."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from audit.checkpoints import DirectorySink, SigningKeys
from audit.cli import verify_trail
from audit.continuity import TrailContradiction, open_trail
from audit.errors import AuditStoreError
from audit.events import Entry, EntryKind
from audit.keys import KeyProvider, Keyring
from audit.models import AUDIT_TABLES
from audit.store import AuditStore
from audit.writer import BatchWriter, Checkpointer
from tests.audit.support import POSTGRES_URL, Backend, make_event, postgres_url


@pytest.fixture
def sink(tmp_path: Path) -> DirectorySink:
    return DirectorySink(tmp_path / "checkpoints")


@pytest.fixture
def signing() -> SigningKeys:
    return SigningKeys.generate()


def keys_of(keyring: Keyring, calls: list[str] | None = None) -> Callable[[], KeyProvider]:
    def provide() -> KeyProvider:
        if calls is not None:
            calls.append("keys")
        return keyring

    return provide


def served_trail(
    backend: Backend, keyring: Keyring, sink: DirectorySink, signing: SigningKeys, entries: int = 3
) -> str:
    """A trail as `serve` leaves it: created, written, and its head signed into the sink."""
    store, _ = open_trail(backend.url, keys_of(keyring), sink, create=True)
    with store:
        for n in range(entries):
            store.write(make_event(request_id=f"r{n}"))
        assert Checkpointer(store, signing, sink).checkpoint() is not None
        return store.trail_id


def lose_the_database(backend: Backend) -> None:
    """What an operator's mistake or an attacker does: the SQLite files deleted, or every
    audit table dropped from the PostgreSQL schema."""
    if backend.name == "sqlite":
        database = Path(backend.url.removeprefix("sqlite:///"))
        for path in database.parent.glob(database.name + "*"):
            path.unlink()
    else:
        for table in reversed(AUDIT_TABLES):
            backend.execute(f"DROP TABLE IF EXISTS {table.name} CASCADE")


def test_the_cli_never_creates_a_trail(
    tmp_path: Path, keyring: Keyring, sink: DirectorySink
) -> None:
    database = tmp_path / "data" / "audit.db"
    calls: list[str] = []
    with pytest.raises(AuditStoreError, match="no audit trail in the SQLite file") as caught:
        open_trail(f"sqlite:///{database}", keys_of(keyring, calls), sink, create=False)
    assert "never does" in str(caught.value)
    assert not database.parent.exists(), "no directory, no file"
    assert calls == [], "no key provider built (it would create a key file)"


def test_serve_creates_a_trail_on_first_run_then_reopens_it(
    backend: Backend,
    keyring: Keyring,
    sink: DirectorySink,
    signing: SigningKeys,
) -> None:
    trail = served_trail(backend, keyring, sink, signing)
    store, migrated = open_trail(backend.url, keys_of(keyring), sink, create=True)
    with store:
        assert (store.trail_id, migrated) == (trail, 0), "the same trail, consistent"
    reader, _ = open_trail(backend.url, keys_of(keyring), sink, create=False)
    with reader:
        assert len(reader.list_records()) == 3


def test_a_lost_database_beside_checkpoints_is_replaced_for_everyone(
    backend: Backend,
    keyring: Keyring,
    sink: DirectorySink,
    signing: SigningKeys,
) -> None:
    trail = served_trail(backend, keyring, sink, signing)
    lose_the_database(backend)
    for create in (True, False):
        with pytest.raises(TrailContradiction, match="no audit trail") as caught:
            open_trail(backend.url, keys_of(keyring), sink, create=create)
        assert caught.value.problem == "replaced"
        assert trail in str(caught.value)
    if backend.name == "sqlite":
        database = Path(backend.url.removeprefix("sqlite:///"))
        assert not database.exists(), "serve did not start a fresh trail in its place"


def test_a_new_trail_beside_old_checkpoints_fails_serve_and_verify(
    backend: Backend,
    keyring: Keyring,
    sink: DirectorySink,
    signing: SigningKeys,
) -> None:
    old = served_trail(backend, keyring, sink, signing)
    lose_the_database(backend)
    with AuditStore(backend.url, keyring) as impostor:  # e.g. an older Voile, or a script
        impostor.create_schema()
        new = impostor.trail_id
    with pytest.raises(TrailContradiction) as caught:
        open_trail(backend.url, keys_of(keyring), sink, create=True)
    assert caught.value.problem == "replaced"
    assert f"checkpoints of trail {old}" in str(caught.value)

    store, _ = open_trail(backend.url, keys_of(keyring), sink, create=False)  # readable
    with store:
        out = io.StringIO()
        code = verify_trail(store, sink=sink, public_keys=signing.public(), out=out)
    assert code == 1
    first = out.getvalue().splitlines()[0]
    assert first.startswith(f"audit trail {new}: FAILED — first bad trail: replaced:"), first
    assert f"checkpoints of trail {old}" in first


def test_a_trail_behind_its_latest_checkpoint_is_truncated(
    backend: Backend,
    keyring: Keyring,
    sink: DirectorySink,
    signing: SigningKeys,
) -> None:
    served_trail(backend, keyring, sink, signing)
    [(second_hash,)] = backend.execute("SELECT chain_hash FROM audit_records WHERE seq = 2")
    backend.execute("DELETE FROM audit_records WHERE seq = 3")  # the tail, head and all
    backend.execute("UPDATE audit_chain_head SET seq = 2, head_hash = %s", second_hash)
    with pytest.raises(TrailContradiction, match=r"covers entry #3 .* ends at #2") as caught:
        open_trail(backend.url, keys_of(keyring), sink, create=True)
    assert caught.value.problem == "truncated"


def test_a_trail_rewritten_under_its_checkpoint_is_rolled_back(
    backend: Backend,
    keyring: Keyring,
    sink: DirectorySink,
    signing: SigningKeys,
) -> None:
    served_trail(backend, keyring, sink, signing)
    backend.execute("UPDATE audit_records SET chain_hash = %s WHERE seq = 3", "f" * 64)
    backend.execute("UPDATE audit_chain_head SET head_hash = %s", "f" * 64)
    with pytest.raises(TrailContradiction, match="differs from checkpoint") as caught:
        open_trail(backend.url, keys_of(keyring), sink, create=True)
    assert caught.value.problem == "rolled_back"


def test_serve_refuses_an_unreadable_latest_checkpoint(
    backend: Backend,
    keyring: Keyring,
    sink: DirectorySink,
    signing: SigningKeys,
) -> None:
    trail = served_trail(backend, keyring, sink, signing)
    [day] = (sink.root / f"trail-{trail}").iterdir()
    (day / f"{99:020d}-junk.json").write_text("{not json")
    with pytest.raises(TrailContradiction) as caught:
        open_trail(backend.url, keys_of(keyring), sink, create=True)
    assert caught.value.problem == "checkpoint_invalid"


# -- a running store ------------------------------------------------------------------------


@pytest.fixture
def sqlite_trail(tmp_path: Path, keyring: Keyring) -> Iterator[tuple[AuditStore, Path]]:
    database = tmp_path / "data" / "audit.db"
    with AuditStore(f"sqlite:///{database}", keyring) as store:
        store.create_schema()
        store.write(make_event(request_id="before"))
        store.probe(1.0)
        yield store, database


def test_a_sqlite_file_removed_while_open_fails_every_write_and_the_probe(
    sqlite_trail: tuple[AuditStore, Path],
) -> None:
    store, database = sqlite_trail
    for path in database.parent.glob("audit.db*"):
        path.unlink()
    with pytest.raises(AuditStoreError, match="was removed while in use"):
        store.write(make_event(request_id="after"))
    with pytest.raises(AuditStoreError, match="was removed while in use"):
        store.probe(1.0)
    assert not database.exists(), "no new file in its place"


def test_a_sqlite_file_replaced_while_open_fails_every_write_and_the_probe(
    sqlite_trail: tuple[AuditStore, Path],
    tmp_path: Path,
    keyring: Keyring,
) -> None:
    store, database = sqlite_trail
    other = tmp_path / "other" / "audit.db"
    with AuditStore(f"sqlite:///{other}", keyring) as elsewhere:
        elsewhere.create_schema()
        elsewhere.write(make_event(request_id="elsewhere"))
    for side in database.parent.glob("audit.db-*"):  # the whole set is swapped
        side.unlink()
    os.replace(other, database)
    with pytest.raises(AuditStoreError, match="replaced by another file"):
        store.write(make_event(request_id="after"))
    with pytest.raises(AuditStoreError, match="replaced by another file"):
        store.probe(1.0)
    with contextlib.closing(sqlite3.connect(database)) as raw:
        rows = raw.execute("SELECT request_id FROM audit_records").fetchall()
    assert rows == [("elsewhere",)], "nothing written into the file that took its place"


def test_a_sqlite_file_copied_back_over_itself_is_still_a_replacement(
    sqlite_trail: tuple[AuditStore, Path],
    tmp_path: Path,
) -> None:
    """Same content, another inode (a restore from backup while running): the process
    holds the old inode, so its commits would not reach the file at the path."""
    store, database = sqlite_trail
    copy = tmp_path / "copy.db"
    shutil.copyfile(database, copy)
    os.replace(copy, database)
    with pytest.raises(AuditStoreError, match="replaced by another file"):
        store.write(make_event(request_id="after"))


def test_a_database_recreated_under_a_running_store_fails_writes_and_the_probe(
    backend: Backend,
    store: AuditStore,
    keyring: Keyring,
) -> None:
    store.write(make_event(request_id="before"))
    trail = store.trail_id
    lose_the_database(backend) if backend.name == "postgresql" else [
        backend.execute(f"DROP TABLE {table.name}") for table in reversed(AUDIT_TABLES)
    ]
    with pytest.raises(AuditStoreError):  # the tables are gone
        store.write(make_event(request_id="gone"))
    with pytest.raises(AuditStoreError):
        store.probe(1.0)
    with AuditStore(backend.url, keyring) as recreator:
        recreator.create_schema()
        assert recreator.trail_id != trail
    with pytest.raises(AuditStoreError, match=f"not trail {trail} that this process opened"):
        store.write(make_event(request_id="into-the-new-one"))
    with pytest.raises(AuditStoreError, match="replaced"):
        store.probe(1.0)
    assert backend.execute("SELECT count(*) FROM audit_records") == [(0,)]


def test_the_probe_leaves_no_trace(store: AuditStore, backend: Backend) -> None:
    store.write(make_event())
    before = backend.execute("SELECT seq, head_hash FROM audit_chain_head")
    for _ in range(3):
        store.probe(1.0)
    assert backend.execute("SELECT seq, head_hash FROM audit_chain_head") == before
    assert backend.execute("SELECT count(*) FROM audit_records") == [(1,)]


def test_the_probe_fails_while_another_sqlite_connection_holds_the_write_lock(
    sqlite_trail: tuple[AuditStore, Path],
) -> None:
    store, database = sqlite_trail
    blocker = sqlite3.connect(database, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # another process writing, or wedged
        started = time.monotonic()
        with pytest.raises(AuditStoreError, match="locked"):
            store.probe(0.3)
        assert time.monotonic() - started < 1.5, "bounded by the probe's timeout"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    store.probe(0.3)


@pytest.mark.postgres
def test_the_probe_fails_while_another_postgresql_session_holds_the_head(
    pg_schema: str,
    keyring: Keyring,
) -> None:
    with AuditStore(postgres_url(pg_schema), keyring) as store:
        store.create_schema()
        with psycopg.connect(POSTGRES_URL, options=f"-csearch_path={pg_schema}") as other:
            other.execute("SELECT seq FROM audit_chain_head WHERE id = 1 FOR UPDATE")
            started = time.monotonic()
            with pytest.raises(AuditStoreError, match="timeout"):
                store.probe(0.3)
            assert time.monotonic() - started < 1.5
            other.rollback()
        store.probe(0.3)


@pytest.mark.postgres
@pytest.mark.parametrize("pipelined", [True, False], ids=["pipelined", "libpq-without-pipelines"])
def test_an_append_gives_up_in_time_while_another_postgresql_session_holds_the_head(
    pg_schema: str, keyring: Keyring, monkeypatch: pytest.MonkeyPatch, *, pipelined: bool
) -> None:
    """The append sets its lock timeout in the same round trip as its locking read of the
    head (`AuditStore._append_locked`): it must still apply to that read; and so without
    psycopg's pipelines (libpq before 14), where the statements go one by one."""
    monkeypatch.setattr("audit.store._pipeline_supported", lambda: pipelined)
    with AuditStore(postgres_url(pg_schema), keyring) as store:
        store.create_schema()
        with psycopg.connect(POSTGRES_URL, options=f"-csearch_path={pg_schema}") as other:
            other.execute("SELECT seq FROM audit_chain_head WHERE id = 1 FOR UPDATE")
            started = time.monotonic()
            with pytest.raises(AuditStoreError, match="timeout"):
                store.append([Entry.intent(make_event(request_id="blocked"))], timeout=0.3)
            assert time.monotonic() - started < 1.5
            other.rollback()
        assert store.head() is not None
        assert store.head()[1] == 0, "nothing was written"  # type: ignore[index]
        store.append([Entry.intent(make_event(request_id="later"))], timeout=0.3)
        assert store.verify().ok


# -- the writer's backlog -------------------------------------------------------------------


def outcome(name: str) -> Entry:
    return Entry.from_event(make_event(request_id=name, status=503), EntryKind.OUTCOME)


def test_deferred_entries_are_written_once_the_store_is_back(
    sqlite_trail: tuple[AuditStore, Path],
) -> None:
    store, database = sqlite_trail
    writer = BatchWriter(store, retry_seconds=0.05, retry_timeout=0.05)
    blocker = sqlite3.connect(database, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        assert writer.defer(outcome("refused-1"))
        assert writer.defer(outcome("refused-2"))
        time.sleep(0.3)  # several retries fail meanwhile
        assert writer.backlog == 2
        assert not writer.store_ok
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    for _ in range(100):  # bounded: 5 s
        if writer.backlog == 0:
            break
        time.sleep(0.05)
    assert writer.close(timeout=10)
    ids = [r.request_id for r in store.list_records(limit=10)]
    assert sorted(ids) == ["before", "refused-1", "refused-2"]
    assert (writer.stats.deferred, writer.stats.deferred_written) == (2, 2)
    assert writer.store_ok
    assert store.verify().ok


def test_the_backlog_is_bounded_keeps_one_outcome_per_request_and_counts_drops(
    sqlite_trail: tuple[AuditStore, Path],
) -> None:
    store, _ = sqlite_trail
    writer = BatchWriter(store, backlog_limit=2, retry_seconds=30)
    assert writer.defer(outcome("a"))
    assert writer.defer(
        Entry.from_event(make_event(request_id="a", status=502), EntryKind.OUTCOME)
    ), "replaces a's first outcome"
    assert writer.defer(outcome("b"))
    assert not writer.defer(outcome("c")), "full"
    assert (writer.backlog, writer.stats.deferred_dropped) == (2, 1)
    assert writer.close(timeout=10), "closing writes the backlog"
    statuses = {r.request_id: r.status for r in store.list_records(limit=10)}
    assert statuses == {"before": 200, "a": 502, "b": 503}
