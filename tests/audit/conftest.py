"""Audit test fixtures: keyrings, and the same store on SQLite and on real PostgreSQL.

Each PostgreSQL test gets a schema of its own (`voile_test_<random>`, selected through the
URL's `options=-csearch_path=...`), dropped afterwards, so parallel runs by several people
on the shared server never see each other's rows and leave nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit.keys import Keyring
from audit.store import AuditStore
from tests.audit.support import Backend, postgres_backend, sqlite_backend


@pytest.fixture
def umask_zero() -> Iterator[None]:
    """Umask 0: file modes checked by a test must come from the code, not from the umask."""
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.generate()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        return sqlite_backend(tmp_path / "data")
    return postgres_backend(request.getfixturevalue("pg_schema"))


@pytest.fixture
def store(backend: Backend, keyring: Keyring) -> Iterator[AuditStore]:
    with AuditStore(backend.url, keyring) as opened:
        opened.create_schema()
        yield opened
