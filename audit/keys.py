"""Key-encryption keys (KEKs): the top of the audit trail's envelope encryption.

Payloads are encrypted under data keys (see `audit.envelope`); data keys are stored only
wrapped by a KEK that a `KeyProvider` holds. The default provider is `Keyring`, AES-256
keys in a local file (or an environment variable); a KMS or Vault transit provider
implements the same three members, and its keys never leave it.

Every wrapped key is stored beside the id of the KEK that wrapped it; rotating adds a new
active KEK and keeps the old ones, so data keys wrapped before a rotation still unwrap, and
no record is ever re-encrypted. Key material never appears in `repr`, `str` or exception
messages: a keyring ends up in tracebacks and debug logs sooner or later.

Records of the first schema (v1) were encrypted directly under these keys; they still
decrypt through `unwrap` with their own associated data, and are never re-encrypted.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from audit._files import write_private
from audit.errors import AuditKeyError

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # 96 bits: the size GCM is specified for; random, so < 2**32 messages per key
TAG_BYTES = 16
_KID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")


@runtime_checkable
class KeyProvider(Protocol):
    """Holds key-encryption keys; wraps and unwraps data keys. Nothing else.

    `context` is associated data that binds a wrapped key to where it is stored (the data
    key's id and purpose): a wrapped key copied to another row does not unwrap. Map it to
    the service's own binding:

    - AWS KMS / GCP KMS: `Encrypt`/`Decrypt` with `EncryptionContext` (AWS) or
      `additionalAuthenticatedData` (GCP) = `context`; the kid is the key ARN or version.
    - HashiCorp Vault transit: `encrypt/<name>` and `decrypt/<name>` with
      `associated_data` = base64(`context`) (AES-GCM keys) or `context` for derived keys;
      the kid is `<name>:v<version>`, and `rotate` is Vault's own key rotation.

    Errors must be raised as `AuditKeyError` with a message that names the kid only.
    Unwrapped data keys are cached in memory by the store, so the provider is called once
    per data key and process, not once per record.
    """

    @property
    def active_kid(self) -> str:
        """The KEK that wraps new data keys."""
        ...

    def wrap(self, key: bytes, context: bytes) -> tuple[str, bytes]:
        """Encrypt `key` under the active KEK; returns (kid, wrapped)."""
        ...

    def unwrap(self, kid: str, wrapped: bytes, context: bytes) -> bytes:
        """The key wrapped by `wrap`, if `kid` and `context` match; else `AuditKeyError`."""
        ...


def new_kid() -> str:
    """A short random id: it only has to be unique among one deployment's keys."""
    return secrets.token_hex(4)


class Keyring:
    """AES-256 keys by key id, one of them active for encryption."""

    __slots__ = ("_active", "_aeads", "_keys")

    def __init__(self, keys: Mapping[str, bytes], active: str) -> None:
        if active not in keys:
            raise AuditKeyError(f"active key id {active!r} is not in the keyring")
        self._keys: dict[str, bytes] = {}
        self._aeads: dict[str, AESGCM] = {}
        for kid, key in keys.items():
            self._add(_check_kid(kid), _check_key(kid, key))
        self._active = active

    @classmethod
    def generate(cls) -> Keyring:
        kid = new_kid()
        return cls({kid: AESGCM.generate_key(bit_length=KEY_BYTES * 8)}, active=kid)

    @classmethod
    def from_base64(cls, value: str, kid: str = "env") -> Keyring:
        """A one-key ring from a key given in an environment variable (base64 of 32 bytes).

        The default kid is fixed ("env") rather than derived from the key, so the records
        name a key without revealing anything about it; deployments that rotate keys
        supplied this way should pass distinct kids.
        """
        return cls({kid: _decode_key(kid, value)}, active=kid)

    @classmethod
    def from_secret(cls, value: str) -> Keyring:
        """A keyring from an environment variable: a base64 key, or a key file's JSON.

        The JSON form (`{"active": ..., "keys": {...}}`) is what allows rotating keys that
        come from a secret manager: publish the new key beside the old ones.
        """
        if value.lstrip().startswith("{"):
            return cls._from_document(_parse_json(value, "the key variable"), "the key variable")
        return cls.from_base64(value)

    @classmethod
    def load_or_create(cls, path: Path) -> tuple[Keyring, bool]:
        """Read the key file, or create it (0600, parents 0700); True when it was created.

        Creation cannot overwrite a file another process created at the same moment: the
        loser of that race loads the winner's keys instead of replacing them.
        """
        if not path.exists():
            ring = cls.generate()
            if write_private(path, ring._to_json(), replace=False):
                return ring, True
        return cls.load(path), False

    @classmethod
    def load(cls, path: Path) -> Keyring:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise AuditKeyError(f"cannot read key file {path}: {exc.strerror}") from None
        return cls._from_document(_parse_json(raw, f"key file {path}"), f"key file {path}")

    @classmethod
    def _from_document(cls, document: object, where: str) -> Keyring:
        if not isinstance(document, dict):
            raise AuditKeyError(f"{where}: expected an object with 'active' and 'keys'")
        active, encoded = document.get("active"), document.get("keys")
        if not isinstance(active, str) or not isinstance(encoded, dict) or not encoded:
            raise AuditKeyError(f"{where}: expected an object with 'active' and 'keys'")
        keys: dict[str, bytes] = {}
        for kid, value in encoded.items():
            if not isinstance(value, str):
                raise AuditKeyError(f"{where}: key {kid!r} is not a base64 string")
            keys[kid] = _decode_key(kid, value)
        return cls(keys, active=active)

    def save(self, path: Path) -> None:
        """Replace the key file atomically: a crash leaves the old file or the new one."""
        write_private(path, self._to_json(), replace=True)

    def rotate(self) -> str:
        """Add a new key and make it active; older keys stay for decryption. Returns its id."""
        kid = new_kid()
        while kid in self._aeads:
            kid = new_kid()
        # Add before switching so a concurrent `encrypt` never sees an active id without key.
        self._add(kid, AESGCM.generate_key(bit_length=KEY_BYTES * 8))
        self._active = kid
        return kid

    def retire(self, kid: str) -> None:
        """Forget an old key (after `rewrap` moved every data key off it). Not the active one."""
        if kid == self._active:
            raise AuditKeyError(f"key id {kid!r} is active and cannot be retired")
        if kid not in self._aeads:
            raise AuditKeyError(f"unknown key id {kid!r}")
        del self._aeads[kid]
        del self._keys[kid]

    @property
    def active_kid(self) -> str:
        return self._active

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(self._aeads)

    def encrypt(self, plaintext: bytes, aad: bytes) -> tuple[str, bytes]:
        """Encrypt under the active key; returns (kid, nonce || ciphertext || tag)."""
        kid = self._active
        nonce = secrets.token_bytes(NONCE_BYTES)
        return kid, nonce + self._aeads[kid].encrypt(nonce, plaintext, aad)

    def decrypt(self, kid: str, blob: bytes, aad: bytes) -> bytes:
        aead = self._aeads.get(kid)
        if aead is None:
            raise AuditKeyError(f"unknown key id {kid!r}")
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise AuditKeyError(f"ciphertext under key id {kid!r} is truncated")
        try:
            return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise AuditKeyError(
                f"authentication failed under key id {kid!r}: "
                "wrong key, altered ciphertext, or ciphertext moved from another record"
            ) from None

    # The KeyProvider side: a data key is wrapped like any other plaintext.
    def wrap(self, key: bytes, context: bytes) -> tuple[str, bytes]:
        return self.encrypt(key, context)

    def unwrap(self, kid: str, wrapped: bytes, context: bytes) -> bytes:
        return self.decrypt(kid, wrapped, context)

    def __repr__(self) -> str:
        return f"Keyring(active={self._active!r}, kids={self.kids!r})"

    def _add(self, kid: str, key: bytes) -> None:
        self._keys[kid] = key
        self._aeads[kid] = AESGCM(key)

    def _to_json(self) -> bytes:
        keys = {kid: base64.b64encode(key).decode("ascii") for kid, key in self._keys.items()}
        return json.dumps({"active": self._active, "keys": keys}, indent=2).encode() + b"\n"


def _parse_json(raw: str | bytes, where: str) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        raise AuditKeyError(f"{where} is not valid JSON") from None


def _check_kid(kid: object) -> str:
    if not isinstance(kid, str) or not _KID_PATTERN.fullmatch(kid):
        raise AuditKeyError(f"invalid key id {kid!r}: expected 1-64 of A-Z a-z 0-9 _ . -")
    return kid


def _check_key(kid: str, key: bytes) -> bytes:
    if len(key) != KEY_BYTES:
        raise AuditKeyError(f"key {kid!r} must be {KEY_BYTES} bytes, got {len(key)}")
    return key


def _decode_key(kid: str, value: str) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise AuditKeyError(f"key {kid!r} is not valid base64") from None
    return _check_key(kid, key)
