"""The conversation vault: placeholders minted in earlier requests of a conversation the
provider keeps (`previous_response_id`, stored conversations).

When the provider holds the history, a later answer can quote a token this request never
minted. Rather than leave it unrestored or guess, Voile remembers, per app, per end user and
per provider id (response id, conversation id), the tokens the conversation has used,
encrypted, for a time-to-live. Only endpoints with provider-held state write here
(`Endpoint.answer_refs`); a Chat Completions exchange leaves nothing behind.

1. **Scope.** Entries are kept per *scope*: the app alone when the request names no end user,
   the app and the end user (`x-voile-end-user`, `safety_identifier`, `user`,
   `metadata.user_id`) when it names one. A provider id is not a secret — anyone who saw it
   could send it as `previous_response_id` — so two end users of one app, or a request
   naming no one, never read each other's values. The storage key holds the app and a keyed
   hash of the end user (`app/<32 hex>`), never the id itself; the no-end-user key is the
   app name, as before end users were scoped, so entries written then are still read.
2. **Encryption.** Values are sealed with AES-256-GCM under a key derived from the proxy's
   placeholder secret; the associated data binds each blob to its app, end user (if any) and
   reference, so a row copied to another app, end user or conversation does not decrypt.
3. **Backends**: SQL (SQLite by default, PostgreSQL) and Redis.
4. **Never blocking.** A failing vault never refuses a request: the worst case is a
   placeholder left unrestored and counted as such.
5. **Forgetting.** When the provider confirms it deleted a response, a conversation or a
   stored chat completion, the entry under its id is deleted too (in the deleting request's
   scope): values are not kept for state that no longer exists, even within the TTL.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
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

from audit._files import touch_private

_NONCE = 12


def derive_key(placeholder_secret: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"voile/conversations/v1"
    ).derive(placeholder_secret)


class _Cipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    @staticmethod
    def _aad(app: str, end_user: str | None, ref: str) -> bytes:
        if end_user is None:  # as entries were sealed before end users were scoped
            return json.dumps(["voile-conversation/v1", app, ref]).encode()
        return json.dumps(
            ["voile-conversation/v1/end-user", app, end_user, ref], ensure_ascii=False
        ).encode("utf-8", "surrogatepass")

    def seal(self, app: str, end_user: str | None, ref: str, entries: Mapping[str, str]) -> bytes:
        nonce = os.urandom(_NONCE)
        plaintext = json.dumps(entries, ensure_ascii=False).encode("utf-8", "surrogatepass")
        return nonce + self._aead.encrypt(nonce, plaintext, self._aad(app, end_user, ref))

    def open(self, app: str, end_user: str | None, ref: str, blob: bytes) -> dict[str, str]:
        plaintext = self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], self._aad(app, end_user, ref))
        value = json.loads(plaintext.decode("utf-8", "surrogatepass"))
        return {str(k): str(v) for k, v in value.items()}


class ConversationVault(ABC):
    """token -> value maps stored per (scope, provider reference), encrypted, with a TTL; the
    scope is the app, or the app and the end user (see the module's docstring)."""

    def __init__(self, key: bytes, ttl_seconds: float) -> None:
        self._cipher = _Cipher(key)
        self._end_user_key = HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=None,
            info=b"voile/conversations/end-users/v1",
        ).derive(key)
        self.ttl_seconds = ttl_seconds

    def scope(self, app: str, end_user: str | None) -> str:
        """The storage key's first part: the app name alone for no end user (the key used
        before end users were scoped), else the app and a keyed hash of the end user's id,
        which no one without the proxy's secret can link to the id."""
        if end_user is None:
            return app
        digest = hmac.new(
            self._end_user_key, end_user.encode("utf-8", "surrogatepass"), hashlib.sha256
        ).hexdigest()
        return f"{app}/{digest[:32]}"

    async def remember(
        self,
        app: str,
        refs: Sequence[str],
        entries: Mapping[str, str],
        *,
        end_user: str | None = None,
    ) -> None:
        """Store the conversation's whole token map under each reference (they are small, and
        one read per request beats walking a chain of responses), for this app and end user."""
        if not refs or not entries:
            return
        sealed = {ref: self._cipher.seal(app, end_user, ref, entries) for ref in refs}
        await self._put(self.scope(app, end_user), sealed)

    async def recall(
        self, app: str, refs: Sequence[str], *, end_user: str | None = None
    ) -> dict[str, str]:
        """The tokens remembered under `refs` for this app and this end user (or for this app
        and no end user): entries of another end user are not even looked up."""
        entries: dict[str, str] = {}
        if not refs:
            return entries
        for ref, blob in (await self._get(self.scope(app, end_user), list(refs))).items():
            entries.update(self._cipher.open(app, end_user, ref, blob))
        return entries

    async def forget(self, app: str, refs: Sequence[str], *, end_user: str | None = None) -> None:
        """Delete the entries under `refs` for this app and end user (decision 5)."""
        if refs:
            await self._delete(self.scope(app, end_user), list(refs))

    @abstractmethod
    async def _put(self, scope: str, sealed: Mapping[str, bytes]) -> None: ...

    @abstractmethod
    async def _delete(self, scope: str, refs: list[str]) -> None: ...

    @abstractmethod
    async def _get(self, scope: str, refs: list[str]) -> dict[str, bytes]: ...

    @abstractmethod
    async def close(self) -> None: ...


_SCHEMA_LOCK_ID = 0x766F696C6576  # "voilev": serialises creating the vault's table on PostgreSQL
_METADATA = sa.MetaData()
_TOKENS = sa.Table(
    "voile_conversation_tokens",
    _METADATA,
    sa.Column("app", sa.String(200), primary_key=True),  # the scope: `app` or `app/<hash>`
    sa.Column("ref", sa.String(200), primary_key=True),
    sa.Column("sealed", sa.LargeBinary, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False, index=True),
)


class SqlConversationVault(ConversationVault):
    """SQLite (embedded default) or PostgreSQL; blocking calls run in a worker thread."""

    def __init__(self, url: str, key: bytes, ttl_seconds: float) -> None:
        super().__init__(key, ttl_seconds)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            # 0600 before SQLite writes a byte (its journal files take the same mode), like
            # the audit trail: the sealed tokens are encrypted, the metadata is not.
            touch_private(Path(url.removeprefix("sqlite:///")))
        elif url.startswith(("postgresql://", "postgres://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        self._engine = sa.create_engine(url, pool_pre_ping=True, hide_parameters=True)
        with self._engine.begin() as connection:
            if self._engine.dialect.name == "postgresql":
                # Replicas starting together on a fresh database would each try to create the
                # table, and all but one fail (a unique violation in PostgreSQL's catalog).
                connection.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SCHEMA_LOCK_ID}
                )
            _METADATA.create_all(connection)

    async def _put(self, scope: str, sealed: Mapping[str, bytes]) -> None:
        await asyncio.to_thread(self._put_sync, scope, sealed)

    def _put_sync(self, scope: str, sealed: Mapping[str, bytes]) -> None:
        now = time.time()
        with self._engine.begin() as connection:
            connection.execute(sa.delete(_TOKENS).where(_TOKENS.c.expires_at < now))
            for ref, blob in sealed.items():
                connection.execute(
                    sa.delete(_TOKENS).where(_TOKENS.c.app == scope, _TOKENS.c.ref == ref)
                )
                connection.execute(
                    sa.insert(_TOKENS).values(
                        app=scope, ref=ref, sealed=blob, expires_at=now + self.ttl_seconds
                    )
                )

    async def _get(self, scope: str, refs: list[str]) -> dict[str, bytes]:
        return await asyncio.to_thread(self._get_sync, scope, refs)

    async def _delete(self, scope: str, refs: list[str]) -> None:
        await asyncio.to_thread(self._delete_sync, scope, refs)

    def _delete_sync(self, scope: str, refs: list[str]) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                sa.delete(_TOKENS).where(_TOKENS.c.app == scope, _TOKENS.c.ref.in_(refs))
            )

    def _get_sync(self, scope: str, refs: list[str]) -> dict[str, bytes]:
        query = sa.select(_TOKENS.c.ref, _TOKENS.c.sealed).where(
            _TOKENS.c.app == scope, _TOKENS.c.ref.in_(refs), _TOKENS.c.expires_at >= time.time()
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
    def _key(scope: str, ref: str) -> str:
        return f"voile:conversation:{scope}:{ref}"

    async def _put(self, scope: str, sealed: Mapping[str, bytes]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for ref, blob in sealed.items():
                pipe.set(self._key(scope, ref), blob, ex=max(1, int(self.ttl_seconds)))
            await pipe.execute()

    async def _get(self, scope: str, refs: list[str]) -> dict[str, bytes]:
        values = await self._redis.mget([self._key(scope, ref) for ref in refs])
        return {ref: bytes(v) for ref, v in zip(refs, values, strict=True) if v is not None}

    async def _delete(self, scope: str, refs: list[str]) -> None:
        await self._redis.delete(*(self._key(scope, ref) for ref in refs))

    async def close(self) -> None:
        await self._redis.aclose()


def open_conversation_vault(url: str, key: bytes, ttl_seconds: float) -> ConversationVault:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisConversationVault(url, key, ttl_seconds)
    return SqlConversationVault(url, key, ttl_seconds)
