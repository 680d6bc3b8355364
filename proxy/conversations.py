"""The conversation vault: placeholders minted in earlier requests of a conversation the
provider keeps (`previous_response_id`, stored conversations).

When the provider holds the history, a later answer can quote a token this request never
minted. Rather than leave it unrestored or guess, Voile remembers, per app and per provider
id (response id, conversation id), the tokens the conversation has used, encrypted, for a
time-to-live. Only endpoints with provider-held state write here (`Endpoint.answer_refs`); a
Chat Completions exchange leaves nothing behind.

Values are encrypted with AES-256-GCM under a key derived from the proxy's placeholder secret;
the associated data binds each value to its app, reference and token, so a row copied to
another app or conversation does not decrypt. Backends: SQL (SQLite by default, PostgreSQL)
and Redis. A failing vault never blocks a request: the worst case is a placeholder left
unrestored and counted as such.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_NONCE = 12


def derive_key(placeholder_secret: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"voile/conversations/v1"
    ).derive(placeholder_secret)


class _Cipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @staticmethod
    def _aad(app: str, ref: str) -> bytes:
        return json.dumps(["voile-conversation/v1", app, ref]).encode()

    def seal(self, app: str, ref: str, entries: Mapping[str, str]) -> bytes:
        nonce = os.urandom(_NONCE)
        plaintext = json.dumps(entries, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return nonce + self._aead.encrypt(nonce, plaintext, self._aad(app, ref))

    def open(self, app: str, ref: str, blob: bytes) -> dict[str, str]:
        plaintext = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], self._aad(app, ref))
        value = json.loads(plaintext.decode("utf-8", "surrogatepass"))
        return {str(k): str(v) for k, v in value.items()}


class ConversationVault(ABC):
    """token -> value maps stored per (app, provider reference), encrypted, with a TTL."""

    def __init__(self, key: bytes, ttl_seconds: float) -> None:
        self._cipher = _Cipher(key)
        self.ttl_seconds = ttl_seconds

    async def remember(self, app: str, refs: Sequence[str], entries: Mapping[str, str]) -> None:
        """Store the conversation's whole token map under each reference (they are small, and
        one read per request beats walking a chain of responses)."""
        if not refs or not entries:
            return
        sealed = {ref: self._cipher.seal(app, ref, entries) for ref in refs}
        await self._put(app, sealed)

    async def recall(self, app: str, refs: Sequence[str]) -> dict[str, str]:
        entries: dict[str, str] = {}
        if not refs:
            return entries
        for ref, blob in (await self._get(app, list(refs))).items():
            entries.update(self._cipher.open(app, ref, blob))
        return entries

    @abstractmethod
    async def _put(self, app: str, sealed: Mapping[str, bytes]) -> None: ...

    @abstractmethod
    async def _get(self, app: str, refs: list[str]) -> dict[str, bytes]: ...

    @abstractmethod
    async def close(self) -> None: ...


_METADATA = sa.MetaData()
_TOKENS = sa.Table(
    "voile_conversation_tokens",
    _METADATA,
    sa.Column("app", sa.String(200), primary_key=True),
    sa.Column("ref", sa.String(200), primary_key=True),
    sa.Column("sealed", sa.LargeBinary, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False, index=True),
)


class SqlConversationVault(ConversationVault):
    """SQLite (embedded default) or PostgreSQL; blocking calls run in a worker thread."""

    def __init__(self, url: str, key: bytes, ttl_seconds: float) -> None:
        super().__init__(key, ttl_seconds)
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        elif url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        self._engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True)
        _METADATA.create_all(self._engine)

    async def _put(self, app: str, sealed: Mapping[str, bytes]) -> None:
        await asyncio.to_thread(self._put_sync, app, sealed)

    def _put_sync(self, app: str, sealed: Mapping[str, bytes]) -> None:
        now = time.time()
        with self._engine.begin() as connection:
            connection.execute(sa.delete(_TOKENS).where(_TOKENS.c.expires_at < now))
            for ref, blob in sealed.items():
                connection.execute(
                    sa.delete(_TOKENS).where(_TOKENS.c.app == app, _TOKENS.c.ref == ref)
                )
                connection.execute(sa.insert(_TOKENS).values(
                    app=app, ref=ref, sealed=blob, expires_at=now + self.ttl_seconds
                ))

    async def _get(self, app: str, refs: list[str]) -> dict[str, bytes]:
        return await asyncio.to_thread(self._get_sync, app, refs)

    def _get_sync(self, app: str, refs: list[str]) -> dict[str, bytes]:
        query = sa.select(_TOKENS.c.ref, _TOKENS.c.sealed).where(
            _TOKENS.c.app == app, _TOKENS.c.ref.in_(refs), _TOKENS.c.expires_at >= time.time()
        )
        with self._engine.connect() as connection:
            return {row.ref: bytes(row.sealed) for row in connection.execute(query)}

    async def close(self) -> None:
        await asyncio.to_thread(self._engine.dispose)


class RedisConversationVault(ConversationVault):
    """Redis with native expiry: for several proxies sharing conversations without a database."""

    def __init__(self, url: str, key: bytes, ttl_seconds: float) -> None:
        import redis.asyncio as redis  # noqa: PLC0415 - only deployments using Redis load it

        super().__init__(key, ttl_seconds)
        self._redis: Any = redis.from_url(url)

    @staticmethod
    def _key(app: str, ref: str) -> str:
        return f"voile:conversation:{app}:{ref}"

    async def _put(self, app: str, sealed: Mapping[str, bytes]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for ref, blob in sealed.items():
                pipe.set(self._key(app, ref), blob, ex=max(1, int(self.ttl_seconds)))
            await pipe.execute()

    async def _get(self, app: str, refs: list[str]) -> dict[str, bytes]:
        values = await self._redis.mget([self._key(app, ref) for ref in refs])
        return {ref: bytes(v) for ref, v in zip(refs, values, strict=True) if v is not None}

    async def close(self) -> None:
        await self._redis.aclose()


def open_conversation_vault(url: str, key: bytes, ttl_seconds: float) -> ConversationVault:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisConversationVault(url, key, ttl_seconds)
    return SqlConversationVault(url, key, ttl_seconds)
