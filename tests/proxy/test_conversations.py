"""The conversation vault on its three backends (SQLite, the real PostgreSQL, the real Redis):
encrypted, per app and reference, expiring."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
from cryptography.exceptions import InvalidTag

from proxy.conversations import ConversationVault, derive_key, open_conversation_vault
from tests.audit.support import POSTGRES_URL, postgres_url

REDIS_URL = os.environ.get("VOILE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
KEY = derive_key(b"p" * 32)
ENTRIES = {"<PERSON_abcdef>": "Jean Dupont", "<EMAIL_ADDRESS_ghijkm>": "jean.dupont@orange.fr"}


@dataclass
class Backend:
    url: str
    stored_bytes: Callable[[], bytes]  # everything the backend holds, read around the vault


def sqlite_backend(directory: Path) -> Backend:
    def stored() -> bytes:
        return b"".join(p.read_bytes() for p in directory.glob("conversations.db*"))

    return Backend(f"sqlite:///{directory / 'conversations.db'}", stored)


def postgres_backend(schema: str) -> Backend:
    def stored() -> bytes:
        with psycopg.connect(POSTGRES_URL, options=f"-csearch_path={schema}") as connection:
            rows = connection.execute("SELECT app, ref, sealed FROM voile_conversation_tokens")
            return b"".join(f"{app}{ref}".encode() + bytes(sealed) for app, ref, sealed in rows)

    return Backend(postgres_url(schema), stored)


def redis_backend() -> Backend:
    def stored() -> bytes:
        client = redis.Redis.from_url(REDIS_URL)
        try:
            return b"".join(client.get(k) or b"" for k in client.keys("voile:conversation:*"))
        finally:
            client.close()

    return Backend(REDIS_URL, stored)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres),
                        "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "sqlite":
        return sqlite_backend(tmp_path)
    if request.param == "postgresql":
        return postgres_backend(request.getfixturevalue("pg_schema"))
    return redis_backend()


@pytest.fixture
def vault_url(backend: Backend) -> str:
    return backend.url


@pytest.fixture
async def vault(vault_url: str) -> AsyncIterator[ConversationVault]:
    opened = open_conversation_vault(vault_url, KEY, ttl_seconds=60)
    yield opened
    await opened.close()


def app_name() -> str:
    """A fresh app per test: Redis is shared by every run on this machine."""
    return f"app-{os.urandom(4).hex()}"


async def test_remembered_tokens_are_recalled_for_the_same_app_and_reference(
    vault: ConversationVault,
) -> None:
    app = app_name()
    await vault.remember(app, ("resp_1", "conv_1"), ENTRIES)
    assert await vault.recall(app, ("resp_1",)) == ENTRIES
    assert await vault.recall(app, ("conv_1", "resp_unknown")) == ENTRIES
    assert await vault.recall(app, ("resp_unknown",)) == {}
    assert await vault.recall(app_name(), ("resp_1",)) == {}  # another app sees nothing


async def test_a_later_turn_replaces_the_map_of_its_reference(vault: ConversationVault) -> None:
    app = app_name()
    await vault.remember(app, ("conv",), {"<PERSON_abcdef>": "Jean Dupont"})
    await vault.remember(app, ("conv",), ENTRIES)
    assert await vault.recall(app, ("conv",)) == ENTRIES


async def test_tokens_expire(vault_url: str) -> None:
    short = open_conversation_vault(vault_url, KEY, ttl_seconds=1)
    try:
        app = app_name()
        await short.remember(app, ("resp_1",), ENTRIES)
        assert await short.recall(app, ("resp_1",)) == ENTRIES
        await asyncio.sleep(2.1)
        assert await short.recall(app, ("resp_1",)) == {}
    finally:
        await short.close()


async def test_a_different_key_cannot_read_the_vault(vault_url: str) -> None:
    app = app_name()
    writer = open_conversation_vault(vault_url, KEY, ttl_seconds=60)
    reader = open_conversation_vault(vault_url, derive_key(b"q" * 32), ttl_seconds=60)
    try:
        await writer.remember(app, ("resp_1",), ENTRIES)
        with pytest.raises(InvalidTag):
            await reader.recall(app, ("resp_1",))
    finally:
        await writer.close()
        await reader.close()


async def test_values_are_never_stored_in_clear(
    backend: Backend, vault: ConversationVault
) -> None:
    await vault.remember(app_name(), ("resp_1",), ENTRIES)
    raw = backend.stored_bytes()
    assert raw, "the scan must see the stored data"
    for value in ENTRIES.values():
        assert value.encode() not in raw
