"""The conversation vault on its three backends (SQLite, the real PostgreSQL, the real Redis):
encrypted, per app, end user and reference, expiring."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from proxy.conversations import (
    ConversationVault,
    SqlConversationVault,
    derive_key,
    open_conversation_vault,
)
from tests.audit.support import POSTGRES_URL, postgres_url

REDIS_URL = os.environ.get("VOILE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
KEY = derive_key(b"p" * 32)
ENTRIES = {"<PERSON_abcdef>": "Jean Dupont", "<EMAIL_ADDRESS_ghijkm>": "jean.dupont@orange.fr"}


@dataclass
class Backend:
    url: str
    stored_bytes: Callable[[], bytes]  # everything the backend holds, read around the vault
    # Writes one row (storage key, reference, blob) around the vault: rows of older versions,
    # rows copied from elsewhere.
    write_row: Callable[[str, str, bytes], None]


_INSERT = (
    "INSERT INTO voile_conversation_tokens (app, ref, sealed, expires_at) "
    "VALUES ({0}, {0}, {0}, {0})"
)


def sqlite_backend(directory: Path) -> Backend:
    path = directory / "conversations.db"

    def stored() -> bytes:
        return b"".join(p.read_bytes() for p in directory.glob("conversations.db*"))

    def write(key: str, ref: str, blob: bytes) -> None:
        with sqlite3.connect(path) as connection:
            connection.execute(_INSERT.format("?"), (key, ref, blob, time.time() + 60))
        connection.close()

    return Backend(f"sqlite:///{path}", stored, write)


def postgres_backend(schema: str) -> Backend:
    def stored() -> bytes:
        with psycopg.connect(POSTGRES_URL, options=f"-csearch_path={schema}") as connection:
            rows = connection.execute("SELECT app, ref, sealed FROM voile_conversation_tokens")
            return b"".join(f"{app}{ref}".encode() + bytes(sealed) for app, ref, sealed in rows)

    def write(key: str, ref: str, blob: bytes) -> None:
        with psycopg.connect(POSTGRES_URL, options=f"-csearch_path={schema}") as connection:
            connection.execute(_INSERT.format("%s"), (key, ref, blob, time.time() + 60))

    return Backend(postgres_url(schema), stored, write)


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def redis_backend() -> Backend:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({type(exc).__name__}); set "
            "VOILE_TEST_REDIS_URL or deselect these tests with -m 'not redis'"
        )
    finally:
        client.close()

    def stored() -> bytes:
        client = redis.Redis.from_url(REDIS_URL)
        try:  # keys too: they hold the app and the end user's scope
            return b"".join(
                _bytes(key) + _bytes(client.get(key) or b"")
                for key in client.keys("voile:conversation:*")
            )
        finally:
            client.close()

    def write(key: str, ref: str, blob: bytes) -> None:
        client = redis.Redis.from_url(REDIS_URL)
        try:
            client.set(f"voile:conversation:{key}:{ref}", blob, ex=60)
        finally:
            client.close()

    return Backend(REDIS_URL, stored, write)


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("redis", marks=pytest.mark.redis),
    ]
)
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


async def test_a_deleted_reference_is_forgotten_in_its_scope_only(
    vault: ConversationVault,
) -> None:
    """What the provider deleted (a response, a conversation) is dropped from the vault, for
    the app and end user that deleted it; other references and scopes stay."""
    app = app_name()
    await vault.remember(app, ("resp_1", "conv_1"), ENTRIES, end_user="alice")
    await vault.remember(app, ("resp_1",), ENTRIES)
    await vault.forget(app, ("resp_1", "resp_unknown"), end_user="alice")
    assert await vault.recall(app, ("resp_1",), end_user="alice") == {}
    assert await vault.recall(app, ("conv_1",), end_user="alice") == ENTRIES
    assert await vault.recall(app, ("resp_1",)) == ENTRIES
    await vault.forget(app, ())  # nothing to do


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


async def test_values_are_never_stored_in_clear(backend: Backend, vault: ConversationVault) -> None:
    await vault.remember(app_name(), ("resp_1",), ENTRIES)
    raw = backend.stored_bytes()
    assert raw, "the scan must see the stored data"
    for value in ENTRIES.values():
        assert value.encode() not in raw


# --------------------------------------------------------------------------- end users


async def test_end_users_of_one_app_never_read_each_other(vault: ConversationVault) -> None:
    """A provider id is no secret: the same `previous_response_id` sent for another end user,
    or with no end user named, finds nothing."""
    app = app_name()
    await vault.remember(app, ("resp_1",), ENTRIES, end_user="alice")
    assert await vault.recall(app, ("resp_1",), end_user="alice") == ENTRIES
    assert await vault.recall(app, ("resp_1",), end_user="bob") == {}
    assert await vault.recall(app, ("resp_1",)) == {}
    assert await vault.recall(app_name(), ("resp_1",), end_user="alice") == {}


async def test_entries_without_an_end_user_are_not_read_by_a_named_one(
    vault: ConversationVault,
) -> None:
    app = app_name()
    await vault.remember(app, ("resp_1",), ENTRIES)
    assert await vault.recall(app, ("resp_1",)) == ENTRIES
    assert await vault.recall(app, ("resp_1",), end_user="alice") == {}


async def test_one_reference_holds_separate_maps_per_end_user(vault: ConversationVault) -> None:
    app = app_name()
    alice = {"<PERSON_abcdef>": "Alice Martin"}
    bob = {"<PERSON_abcdef>": "Bob Durand"}
    await vault.remember(app, ("conv",), alice, end_user="alice")
    await vault.remember(app, ("conv",), bob, end_user="bob")
    await vault.remember(app, ("conv",), ENTRIES)
    assert await vault.recall(app, ("conv",), end_user="alice") == alice
    assert await vault.recall(app, ("conv",), end_user="bob") == bob
    assert await vault.recall(app, ("conv",)) == ENTRIES


async def test_entries_written_before_end_users_were_scoped_are_still_read(
    backend: Backend,
    vault: ConversationVault,
) -> None:
    """The storage key and associated data of a request naming no end user are those of the
    first version, so a conversation started before the upgrade goes on after it."""
    app = app_name()
    nonce = os.urandom(12)
    aad = json.dumps(["voile-conversation/v1", app, "resp_old"]).encode()
    blob = nonce + AESGCM(KEY).encrypt(nonce, json.dumps(ENTRIES).encode(), aad)
    backend.write_row(app, "resp_old", blob)
    assert await vault.recall(app, ("resp_old",)) == ENTRIES
    assert await vault.recall(app, ("resp_old",), end_user="alice") == {}


async def test_a_row_moved_to_another_end_user_does_not_decrypt(
    backend: Backend,
    vault: ConversationVault,
) -> None:
    """The associated data names the end user: a blob copied under another end user's key (or
    under the no-end-user key) fails authentication instead of giving alice's values to bob."""
    app = app_name()
    await vault.remember(app, ("resp_1",), ENTRIES, end_user="alice")
    nonce = os.urandom(12)
    aad = json.dumps(["voile-conversation/v1/end-user", app, "alice", "resp_1"]).encode()
    alices = nonce + AESGCM(KEY).encrypt(nonce, json.dumps(ENTRIES).encode(), aad)
    assert await vault.recall(app, ("resp_1",), end_user="alice") == ENTRIES  # same layout
    backend.write_row(vault.scope(app, "bob"), "resp_2", alices)
    backend.write_row(app, "resp_3", alices)
    with pytest.raises(InvalidTag):
        await vault.recall(app, ("resp_2",), end_user="bob")
    with pytest.raises(InvalidTag):
        await vault.recall(app, ("resp_3",))


async def test_the_end_user_id_is_never_stored(backend: Backend, vault: ConversationVault) -> None:
    """The storage key holds a keyed hash of the end user's id, not the id."""
    end_user = "alice.martin@example.com"
    app = app_name()
    await vault.remember(app, ("resp_1",), ENTRIES, end_user=end_user)
    raw = backend.stored_bytes()
    assert vault.scope(app, end_user).encode() in raw
    assert end_user.encode() not in raw
    scope = vault.scope(app, end_user)
    assert scope.startswith(f"{app}/")
    assert len(scope) == len(app) + 33
    assert vault.scope(app, None) == app


async def test_the_sqlite_vault_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    """Like the audit files (0600 whatever the umask): sealed tokens, but clear metadata."""
    path = tmp_path / "new" / "conversations.db"
    previous = os.umask(0)
    try:
        vault = open_conversation_vault(f"sqlite:///{path}", KEY, ttl_seconds=60)
        await vault.remember(app_name(), ("resp_1",), ENTRIES)
        await vault.close()
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.postgres
def test_replicas_opening_the_vault_together_on_a_fresh_database_all_start(
    pg_schema: str,
) -> None:
    """Replicas rolled out together each create the table if it is missing; without a lock,
    all but one failed on PostgreSQL's catalog (every time, with four at once)."""
    url = postgres_url(pg_schema)
    barrier = threading.Barrier(4)
    errors: list[str] = []
    opened: list[SqlConversationVault] = []

    def start_one() -> None:
        barrier.wait()
        try:
            opened.append(SqlConversationVault(url, KEY, ttl_seconds=60))
        except Exception as exc:  # the test reports which, rather than dying in a thread
            errors.append(type(exc).__name__)

    threads = [threading.Thread(target=start_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for vault in opened:
        asyncio.run(vault.close())
    assert errors == []
