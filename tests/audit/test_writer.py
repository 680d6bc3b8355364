"""The writer thread: group commit, cancellation, drain, checkpoints; and several processes
appending to one database keep one chain that verifies."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from concurrent.futures import CancelledError
from pathlib import Path

import pytest

from audit.checkpoints import DirectorySink, SigningKeys
from audit.errors import AuditStoreError
from audit.events import Entry, EntryKind
from audit.keys import Keyring
from audit.store import AuditStore
from audit.writer import BatchWriter, Checkpointer
from tests.audit.support import Backend, make_event

ROOT = Path(__file__).resolve().parents[2]


def entry(name: str) -> Entry:
    return Entry.from_event(make_event(request_id=name, payload={"name": name}), EntryKind.OUTCOME)


@pytest.fixture
def sqlite_store(tmp_path: Path, keyring: Keyring) -> AuditStore:
    store = AuditStore(f"sqlite:///{tmp_path / 'audit.db'}", keyring)
    store.create_schema()
    return store


def test_entries_queued_during_a_commit_share_the_next_one(sqlite_store: AuditStore) -> None:
    writer = BatchWriter(sqlite_store, max_batch=64)
    with sqlite_store._write_lock:  # a slow commit: everything submitted meanwhile queues
        first = writer.submit(entry("r0"))
        # Wait until the writer has taken `first` and is blocked on the commit (the queue is
        # empty again), so that the next 39 are all submitted during that commit.
        deadline = time.monotonic() + 10
        while not writer._queue.empty() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.05)  # from taking it to waiting on the lock
        futures = [first, *(writer.submit(entry(f"r{n}")) for n in range(1, 40))]
        time.sleep(0.05)
    seqs = [future.result(timeout=10).seq for future in futures]
    assert seqs == list(range(1, 41)), "in submission order, no gap"
    assert writer.stats.batches <= 2
    assert writer.stats.largest_batch >= 39
    assert writer.close(timeout=10)
    assert sqlite_store.verify().ok


def test_an_entry_cancelled_before_its_batch_starts_is_never_written(
    sqlite_store: AuditStore,
) -> None:
    writer = BatchWriter(sqlite_store)
    with sqlite_store._write_lock:
        first = writer.submit(entry("first"))
        time.sleep(0.05)  # the writer has taken `first` and waits for the lock
        doomed = writer.submit(entry("doomed"))
        expired = writer.submit(entry("expired"), timeout=0.01)
        assert doomed.cancel()
        time.sleep(0.05)
    assert first.result(timeout=10).seq == 1
    with pytest.raises(CancelledError):
        doomed.result(timeout=10)
    with pytest.raises(TimeoutError):
        expired.result(timeout=10)
    assert writer.close(timeout=10)
    assert [r.request_id for r in sqlite_store.list_records()] == ["first"]
    assert writer.stats.skipped == 2


def test_close_drains_everything_queued(sqlite_store: AuditStore) -> None:
    writer = BatchWriter(sqlite_store, max_batch=4)
    futures = [writer.submit(entry(f"r{n}")) for n in range(25)]
    assert writer.close(timeout=20)
    assert all(future.done() and future.exception() is None for future in futures)
    assert len(sqlite_store.list_records(limit=100)) == 25
    refused = writer.submit(entry("late"))
    with pytest.raises(RuntimeError, match="closed"):
        refused.result(timeout=1)


def test_a_failing_store_fails_the_futures_and_the_writer_goes_on(keyring: Keyring) -> None:
    store = AuditStore("postgresql://voile@127.0.0.1:1/audit?connect_timeout=1", keyring)
    writer = BatchWriter(store)
    for name in ("a", "b"):
        with pytest.raises(AuditStoreError, match="cannot write the audit record"):
            writer.submit(entry(name)).result(timeout=15)
    assert writer.stats.failed_batches == 2
    assert writer.close(timeout=10)
    store.close()


def test_checkpoints_every_n_records_and_on_close(sqlite_store: AuditStore, tmp_path: Path) -> None:
    keys, sink = SigningKeys.generate(), DirectorySink(tmp_path / "cp")
    checkpointer = Checkpointer(sqlite_store, keys, sink, every_records=5, every_seconds=3600)
    writer = BatchWriter(sqlite_store, checkpointer=checkpointer)
    for n in range(12):  # one batch each: the writer sees every count
        writer.submit(entry(f"r{n}")).result(timeout=10)
    assert writer.close(timeout=10)
    seqs = sorted(c.checkpoint.seq for c in sink.read(sqlite_store.trail_id) if c.checkpoint)
    assert seqs == [5, 10, 12], "every 5 entries, and the head when closing"
    report = sqlite_store.verify(
        checkpoints=sink.read(sqlite_store.trail_id), public_keys=keys.public()
    )
    assert report.ok
    assert (report.checkpoints_matched, report.anchored_seq, report.unanchored) == (3, 12, 0)


def test_checkpoints_every_t_seconds_when_idle(sqlite_store: AuditStore, tmp_path: Path) -> None:
    keys, sink = SigningKeys.generate(), DirectorySink(tmp_path / "cp")
    checkpointer = Checkpointer(sqlite_store, keys, sink, every_records=1000, every_seconds=0.2)
    writer = BatchWriter(sqlite_store, checkpointer=checkpointer)
    writer.submit(entry("only")).result(timeout=10)
    for _ in range(50):  # bounded wait for the timer
        if sink.read(sqlite_store.trail_id):
            break
        time.sleep(0.05)
    [stored] = sink.read(sqlite_store.trail_id)
    assert stored.checkpoint is not None
    assert stored.checkpoint.seq == 1
    assert writer.close(timeout=10)
    assert len(sink.read(sqlite_store.trail_id)) == 1, "no new entry: nothing new to sign"


def test_checkpoint_files_are_private_and_a_broken_one_is_reported(
    sqlite_store: AuditStore, tmp_path: Path
) -> None:
    keys, sink = SigningKeys.generate(), DirectorySink(tmp_path / "cp")
    sqlite_store.write(make_event())
    checkpoint = Checkpointer(sqlite_store, keys, sink).checkpoint()
    assert checkpoint is not None
    [path] = (tmp_path / "cp").rglob("*.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sink.latest_seq(sqlite_store.trail_id) == 1
    (path.parent / "00000000000000000002-junk.json").write_text("{not json")
    report = sqlite_store.verify(
        checkpoints=sink.read(sqlite_store.trail_id), public_keys=keys.public()
    )
    assert [f.problem.value for f in report.findings] == ["checkpoint_invalid"]
    assert report.checkpoints_matched == 1


def test_signing_keys_file_is_created_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit-signing.json"
    keys, created = SigningKeys.load_or_create(path)
    again, created_again = SigningKeys.load_or_create(path)
    assert (created, created_again) == (True, False)
    assert again.active_kid == keys.active_kid
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    old = keys.active_kid
    keys.rotate()
    keys.save(path)
    assert set(SigningKeys.load(path).public().ids) == {old, keys.active_kid}
    assert "private" not in repr(keys)


WORKER = """
import sys
from pathlib import Path
from audit.events import Entry, EntryKind
from audit.keys import Keyring
from audit.store import AuditStore
from audit.writer import BatchWriter
from tests.audit.support import make_event

url, key_file, name, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
with AuditStore(url, Keyring.load(key_file)) as store:
    store.create_schema()
    writer = BatchWriter(store, max_batch=4)
    futures = [writer.submit(Entry.from_event(make_event(request_id=f"{name}-{n}",
               end_user=f"user-{n % 3}", payload={"n": n}), EntryKind.OUTCOME))
               for n in range(count)]
    for future in futures:
        future.result(timeout=60)
    assert writer.close(timeout=60)
"""


def test_several_processes_appending_concurrently_keep_one_chain(
    backend: Backend, keyring: Keyring, tmp_path: Path
) -> None:
    """Three processes start on an empty database at once (each creates the schema) and
    append in small batches; the trail is one gapless chain that verifies."""
    key_file = tmp_path / "keys.json"
    keyring.save(key_file)
    processes, per_process = 3, 30
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(  # each is waited for below, with a bound
            [sys.executable, "-c", WORKER, backend.url, str(key_file), f"p{i}", str(per_process)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        for i in range(processes)
    ]
    for child in children:
        _, stderr = child.communicate(timeout=90)
        assert child.returncode == 0, stderr.decode()[-2000:]
    with AuditStore(backend.url, keyring) as store:
        records = store.list_records(limit=1000)
        assert sorted(r.seq for r in records) == list(range(1, processes * per_process + 1))
        assert {r.request_id.split("-")[0] for r in records} == {"p0", "p1", "p2"}
        report = store.verify()
        assert report.ok, report.findings
        users = {r.end_user_hash for r in records}
        assert len(users) == 3, "each end user got one key across processes"
        key_ids = {r.key_id for r in records}
        assert len(key_ids) == 3
