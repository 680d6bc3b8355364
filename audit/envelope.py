"""Envelope encryption: data keys per period and per end user, wrapped by the key provider.

A payload is encrypted with AES-256-GCM under a data key; the data key is stored only
wrapped by a key-encryption key (KEK) of the `KeyProvider`, in `audit_data_keys`. Each
payload's associated data is the entry's identity (sequence number, kind, app, request id,
data key id), so a ciphertext moved to another row does not decrypt.

Which data key: one per period (calendar month by default) for requests whose app names no
end user, and one per period *and end user* otherwise. Erasing an end user destroys that
user's wrapped keys (crypto-shredding); purging a period can destroy its keys too. Rotating
the KEK never touches a payload: new data keys are wrapped by the new KEK, old ones still
unwrap with the old KEK, or are rewrapped (`rewrap`), which re-encrypts 32-byte keys only.

Two more keys live in the same table, wrapped the same way: the chain's MAC key and the
pseudonym key that turns an end-user id into the keyed hash stored in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any, Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, select, update

from audit.chain import canonical_json
from audit.errors import AuditErasedError, AuditKeyError
from audit.keys import KEY_BYTES, NONCE_BYTES, TAG_BYTES, KeyProvider
from audit.models import DATA_KEYS

Period = Literal["month", "day"]
Purpose = Literal["payload", "chain", "pseudonym"]
LEGACY_PREFIX = "v1:"  # key ids of records written by schema v1: a KEK id, no data key
V1_AAD_PREFIX = b"voile-audit/v1:"
CACHE_SIZE = 4096  # unwrapped data keys kept per process (one unwrap per key, not per record)


def period_of(moment: datetime, period: Period) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m") if period == "month" else moment.strftime("%Y-%m-%d")


def record_aad(seq: int, kind: str, app: str, request_id: str, key_id: str) -> bytes:
    """The associated data of an entry's payload: the entry's identity in the trail."""
    return canonical_json(["voile-audit/v2/payload", seq, kind, app, request_id, key_id]).encode(
        "utf-8", "surrogatepass"
    )


def v1_aad(request_id: str) -> bytes:
    """What schema v1 bound its payloads to (kept to read migrated records)."""
    return V1_AAD_PREFIX + request_id.encode("utf-8", "surrogatepass")


def wrap_context(key_id: str, purpose: str) -> bytes:
    return canonical_json(["voile-audit/v2/data-key", key_id, purpose]).encode()


class DataKey:
    """An unwrapped data key. Its bytes never appear in repr or in errors."""

    __slots__ = ("_aead", "_raw", "id", "purpose")

    def __init__(self, key_id: str, purpose: str, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise AuditKeyError(f"data key {key_id!r} does not unwrap to {KEY_BYTES} bytes")
        self.id = key_id
        self.purpose = purpose
        self._raw = raw
        self._aead = AESGCM(raw)

    def encrypt(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, aad)

    def decrypt(self, blob: bytes, aad: bytes) -> bytes:
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise AuditKeyError(f"ciphertext under data key {self.id!r} is truncated")
        try:
            return self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise AuditKeyError(
                f"authentication failed under data key {self.id!r}: "
                "altered ciphertext, or ciphertext moved from another record"
            ) from None

    def mac(self, message: bytes) -> str:
        return hmac.new(self._raw, message, hashlib.sha256).hexdigest()

    @property
    def secret(self) -> bytes:
        """The raw bytes, for HMAC keys (chain MAC, pseudonyms)."""
        return self._raw

    def __repr__(self) -> str:
        return f"DataKey(id={self.id!r}, purpose={self.purpose!r})"


class DataKeys:
    """Finds, creates, unwraps and destroys data keys; caches the unwrapped ones.

    Keys created inside a write transaction are staged until `committed()`: a transaction
    that rolls back must not leave a cached key whose wrapped copy was never stored. Staging
    is per thread (a transaction runs in one thread), so one thread's commit never promotes
    another's uncommitted key.
    """

    def __init__(self, provider: KeyProvider, period: Period = "month") -> None:
        self.provider = provider
        self.period: Period = period
        self._lock = threading.Lock()
        self._by_id: OrderedDict[str, DataKey] = OrderedDict()
        self._by_scope: dict[str, str] = {}
        self._scope_of: dict[str, str] = {}
        self._local = threading.local()
        self._epoch: int | None = None

    # -- inside a write transaction ---------------------------------------------------

    def sync_epoch(self, epoch: int) -> None:
        """Forget every cached key when another process destroyed keys (erasure, purge)."""
        with self._lock:
            if self._epoch != epoch:
                self._forget_all()
                self._epoch = epoch

    def payload_key(
        self,
        conn: Connection,
        *,
        app: str,
        end_user_hash: str | None,
        moment: datetime,
    ) -> DataKey:
        period = period_of(moment, self.period)
        if end_user_hash is None:
            scope = canonical_json(["payload", period])
            return self._get_or_create(conn, scope, "payload", period=period)
        scope = canonical_json(["payload", period, app, end_user_hash])
        return self._get_or_create(
            conn, scope, "payload", period=period, app=app, end_user_hash=end_user_hash
        )

    def special(self, conn: Connection, purpose: Purpose) -> DataKey:
        """The chain MAC key or the pseudonym key: one of each per trail."""
        return self._get_or_create(conn, canonical_json([purpose]), purpose)

    def committed(self) -> None:
        staged = self._staged()
        with self._lock:
            for scope, key in staged:
                self._remember(scope, key)
        staged.clear()

    def rolled_back(self) -> None:
        self._staged().clear()

    def _staged(self) -> list[tuple[str, DataKey]]:
        staged: list[tuple[str, DataKey]] | None = getattr(self._local, "staged", None)
        if staged is None:
            staged = self._local.staged = []
        return staged

    # -- reading ------------------------------------------------------------------------

    def open(self, conn: Connection, key_id: str) -> DataKey:
        """The unwrapped key `key_id`; `AuditErasedError` if it was destroyed on purpose."""
        with self._lock:
            cached = self._by_id.get(key_id)
            if cached is not None:
                self._by_id.move_to_end(key_id)
                return cached
        row = conn.execute(select(DATA_KEYS).where(DATA_KEYS.c.id == key_id)).mappings().first()
        if row is None:
            raise AuditKeyError(f"data key {key_id!r} is missing from audit_data_keys")
        key = self._unwrap(row)
        with self._lock:
            self._remember(row["scope"], key)
        return key

    def open_legacy(self, kid: str, blob: bytes, request_id: str) -> bytes:
        """A schema-v1 payload: encrypted directly under KEK `kid`, bound to its request id."""
        return self.provider.unwrap(kid, blob, v1_aad(request_id))

    # -- destroying and rewrapping ------------------------------------------------------

    def destroy(
        self, conn: Connection, key_ids: list[str], *, reason: str, seq: int, now: datetime
    ) -> None:
        """Crypto-shredding: the wrapped key and what linked it to an end user are cleared."""
        for key_id in key_ids:
            conn.execute(
                update(DATA_KEYS)
                .where(DATA_KEYS.c.id == key_id)
                .values(
                    wrapped=None,
                    kek_id=None,
                    end_user_hash=None,
                    scope=f"destroyed|{key_id}",
                    destroyed_at=now,
                    destroyed_reason=reason,
                    destroyed_seq=seq,
                )
            )
        with self._lock:
            self._forget_all()

    def rewrap(self, conn: Connection) -> int:
        """Wrap every live key under the active KEK (no payload is touched); returns the count."""
        active = self.provider.active_kid
        rows = (
            conn.execute(select(DATA_KEYS).where(DATA_KEYS.c.wrapped.is_not(None))).mappings().all()
        )
        count = 0
        for row in rows:
            if row["kek_id"] == active:
                continue
            key = self._unwrap(row)
            kek_id, wrapped = self.provider.wrap(key.secret, wrap_context(key.id, key.purpose))
            conn.execute(
                update(DATA_KEYS)
                .where(DATA_KEYS.c.id == key.id)
                .values(kek_id=kek_id, wrapped=wrapped)
            )
            count += 1
        return count

    # -- internals ----------------------------------------------------------------------

    def _get_or_create(
        self,
        conn: Connection,
        scope: str,
        purpose: str,
        *,
        period: str | None = None,
        app: str | None = None,
        end_user_hash: str | None = None,
    ) -> DataKey:
        with self._lock:
            key_id = self._by_scope.get(scope)
            if key_id is not None and key_id in self._by_id:
                self._by_id.move_to_end(key_id)
                return self._by_id[key_id]
        for staged_scope, staged in self._staged():
            if staged_scope == scope:
                return staged
        row = conn.execute(select(DATA_KEYS).where(DATA_KEYS.c.scope == scope)).mappings().first()
        if row is not None:
            key = self._unwrap(row)
            with self._lock:
                self._remember(scope, key)
            return key
        key = DataKey(f"dk_{secrets.token_hex(8)}", purpose, AESGCM.generate_key(KEY_BYTES * 8))
        kek_id, wrapped = self.provider.wrap(key.secret, wrap_context(key.id, purpose))
        conn.execute(
            DATA_KEYS.insert().values(
                id=key.id,
                scope=scope,
                purpose=purpose,
                app=app,
                end_user_hash=end_user_hash,
                period=period,
                kek_id=kek_id,
                wrapped=wrapped,
                created_at=datetime.now(UTC),
            )
        )
        self._staged().append((scope, key))
        return key

    def _unwrap(self, row: Any) -> DataKey:
        if row["wrapped"] is None:
            when = row["destroyed_at"]
            at = when.date().isoformat() if when is not None else "an unknown date"
            reason = row["destroyed_reason"] or "unknown"
            raise AuditErasedError(
                f"data key {row['id']!r} was destroyed ({reason}) on {at} "
                f"by entry #{row['destroyed_seq']}",
                reason,
            )
        raw = self.provider.unwrap(
            row["kek_id"], bytes(row["wrapped"]), wrap_context(row["id"], row["purpose"])
        )
        return DataKey(row["id"], row["purpose"], raw)

    def _forget_all(self) -> None:
        self._by_id.clear()
        self._by_scope.clear()
        self._scope_of.clear()

    def _remember(self, scope: str, key: DataKey) -> None:
        self._by_id[key.id] = key
        self._by_id.move_to_end(key.id)
        self._by_scope[scope] = key.id
        self._scope_of[key.id] = scope
        while len(self._by_id) > CACHE_SIZE:
            old_id, _ = self._by_id.popitem(last=False)
            old_scope = self._scope_of.pop(old_id, None)
            if old_scope is not None and self._by_scope.get(old_scope) == old_id:
                del self._by_scope[old_scope]
