"""AuditStore URLs and the embedded SQLite file: what is accepted, created, and refused."""

from __future__ import annotations

import contextlib
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from audit.errors import AuditStoreError
from audit.keys import Keyring
from audit.store import AuditStore, _sqlite_pragmas
from tests.audit.support import make_event

SECRET = "s3cret-db-password"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_zero")
def test_sqlite_creates_a_private_directory_and_file(tmp_path: Path, keyring: Keyring) -> None:
    path = tmp_path / "voile-data" / "audit" / "audit.db"
    with AuditStore(f"sqlite:///{path}", keyring) as store:
        store.create_schema()
        store.write(make_event())
        assert mode(path.parent) == 0o700
        assert mode(path.parent.parent) == 0o700
        assert mode(path) == 0o600
        wal = path.with_name("audit.db-wal")
        assert wal.exists(), "WAL mode: recent commits live in the -wal file"
        assert mode(wal) == 0o600, "SQLite gives its side files the database's mode"


def test_sqlite_is_in_wal_mode(tmp_path: Path, keyring: Keyring) -> None:
    path = tmp_path / "audit.db"
    with AuditStore(f"sqlite:///{path}", keyring) as store:
        store.create_schema()
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_each_sqlite_connection_gets_wal_and_full_sync(tmp_path: Path) -> None:
    with contextlib.closing(sqlite3.connect(tmp_path / "x.db")) as connection:
        _sqlite_pragmas(connection, None)
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file:audit.db?mode=memory"]
)
def test_sqlite_without_a_file_is_refused(url: str, keyring: Keyring) -> None:
    with pytest.raises(AuditStoreError, match=r"needs a file path: sqlite:///PATH"):
        AuditStore(url, keyring)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"mysql://voile:{SECRET}@db/audit", "unsupported audit store URL scheme 'mysql'"),
        (f"postgresql+asyncpg://voile:{SECRET}@db/audit", "scheme 'postgresql\\+asyncpg'"),
        (f"not a url {SECRET}", "invalid audit store URL"),
    ],
)
def test_other_urls_are_refused_without_echoing_a_password(
    url: str, message: str, keyring: Keyring
) -> None:
    with pytest.raises(AuditStoreError, match=message) as caught:
        AuditStore(url, keyring)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://voile:{SECRET}@127.0.0.1:5432/audit",
        f"postgres://voile:{SECRET}@127.0.0.1:5432/audit",
        f"postgresql+psycopg://voile:{SECRET}@127.0.0.1:5432/audit",
    ],
)
def test_postgresql_urls_use_psycopg_3(url: str, keyring: Keyring) -> None:
    with AuditStore(url, keyring) as store:  # no connection is made until first use
        assert store.backend == "postgresql"
        assert repr(store) == "AuditStore('postgresql+psycopg://voile:***@127.0.0.1:5432/audit')"


def test_ping_fails_fast_and_cleanly_when_postgresql_is_unreachable(keyring: Keyring) -> None:
    url = f"postgresql://voile:{SECRET}@127.0.0.1:1/audit"  # nothing listens on port 1
    with AuditStore(url, keyring) as store:
        started = time.monotonic()
        with pytest.raises(AuditStoreError, match="cannot reach the audit store") as caught:
            store.ping()
        assert time.monotonic() - started < 10
        with pytest.raises(AuditStoreError, match="cannot write the audit record"):
            store.write(make_event())
    assert SECRET not in str(caught.value)


def test_a_missing_sqlite_file_is_never_created_by_opening_a_store(
    tmp_path: Path, keyring: Keyring
) -> None:
    path = tmp_path / "data" / "audit.db"
    with AuditStore(f"sqlite:///{path}", keyring) as store:
        assert not store.exists()
        with pytest.raises(AuditStoreError, match="unable to open database file"):
            store.write(make_event())
        with pytest.raises(AuditStoreError, match="cannot list audit records"):
            store.list_records()
    assert not path.parent.exists(), "only create_schema makes a trail"


def test_a_missing_table_is_a_store_error(tmp_path: Path, keyring: Keyring) -> None:
    (tmp_path / "audit.db").touch()  # an empty database: a file, but no trail in it
    with AuditStore(f"sqlite:///{tmp_path / 'audit.db'}", keyring) as store:
        assert not store.exists()
        with pytest.raises(AuditStoreError, match="no such table: audit_chain_head"):
            store.write(make_event())
        with pytest.raises(AuditStoreError, match="cannot list audit records"):
            store.list_records()
