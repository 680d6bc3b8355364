"""AES-256-GCM keys for audit payloads, named by key id so that keys can rotate.

Every ciphertext is stored beside the id of the key that made it; rotating adds a new
active key and keeps the old ones, so records written before a rotation stay readable.
Key material never appears in `repr`, `str` or exception messages: a keyring ends up in
tracebacks and debug logs sooner or later.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from audit._files import write_private
from audit.errors import AuditKeyError

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # 96 bits: the size GCM is specified for; random, so < 2**32 messages per key
TAG_BYTES = 16
_KID_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")


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
            document = json.loads(path.read_bytes())
        except OSError as exc:
            raise AuditKeyError(f"cannot read key file {path}: {exc.strerror}") from None
        except ValueError:
            raise AuditKeyError(f"key file {path} is not valid JSON") from None
        if not isinstance(document, dict):
            raise AuditKeyError(f"key file {path}: expected an object with 'active' and 'keys'")
        active, encoded = document.get("active"), document.get("keys")
        if not isinstance(active, str) or not isinstance(encoded, dict) or not encoded:
            raise AuditKeyError(f"key file {path}: expected an object with 'active' and 'keys'")
        keys: dict[str, bytes] = {}
        for kid, value in encoded.items():
            if not isinstance(value, str):
                raise AuditKeyError(f"key file {path}: key {kid!r} is not a base64 string")
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

    def __repr__(self) -> str:
        return f"Keyring(active={self._active!r}, kids={self.kids!r})"

    def _add(self, kid: str, key: bytes) -> None:
        self._keys[kid] = key
        self._aeads[kid] = AESGCM(key)

    def _to_json(self) -> bytes:
        keys = {kid: base64.b64encode(key).decode("ascii") for kid, key in self._keys.items()}
        return json.dumps({"active": self._active, "keys": keys}, indent=2).encode() + b"\n"


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
