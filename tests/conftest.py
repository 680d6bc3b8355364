"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from tests.audit.support import POSTGRES_URL


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh, empty schema on the test PostgreSQL server, dropped with everything in it
    afterwards, so parallel runs never see each other's rows and leave nothing behind."""
    schema = f"voile_test_{os.urandom(6).hex()}"
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {POSTGRES_URL} ({exc}); set "
            "VOILE_TEST_POSTGRES_URL or deselect these tests with -m 'not postgres'"
        )
    with admin:
        admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        try:
            yield schema
        finally:
            admin.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
