"""Signed checkpoints: the chain head, signed with Ed25519 and kept outside the database.

Someone who can write to the audit database can delete its last records, or put back an
older copy of it, and what remains is still a valid chain. A checkpoint is the proxy's
signed statement "entry #N of trail T had hash H at time W", written to a sink the
database's administrators cannot rewrite (a directory by default; an object store with
retention locks, a syslog/SIEM, or another host in production). `voile audit verify`
checks every checkpoint against the trail: one the trail cannot match means a truncation
or a rollback, and names it. Checkpoints of another trail in the same sink mean the trail
was replaced (its database deleted, swapped or recreated): `verify` fails on them, and
`voile serve` refuses to start on such a trail (`audit.continuity`).

Checkpoints are written every N entries or T seconds, whichever comes first, by every
writing process (several proxies on one PostgreSQL each sign the head they see; they are
all statements about the same chain), and after every purge, erasure and key rotation.

The signing keys live in their own file (0600, created on first run), separate from the
payload keys: a verifier only needs the public keys, which `SigningKeys.public_text`
prints for a third party.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from audit._files import make_private_dirs, write_private
from audit.chain import canonical_json, time_text
from audit.errors import AuditKeyError

CHECKPOINT_FORMAT = "voile-audit-checkpoint/1"
_TRAIL_ID = re.compile(r"[0-9a-f]{8,64}")


def signer_id(public: Ed25519PublicKey) -> str:
    """A key's fingerprint: the first 16 hex digits of SHA-256 of its raw public bytes."""
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class PublicKeys:
    """The Ed25519 public keys a verifier trusts, by fingerprint."""

    def __init__(self, keys: Iterable[Ed25519PublicKey]) -> None:
        self._keys = {signer_id(key): key for key in keys}

    @classmethod
    def parse(cls, texts: Iterable[str]) -> PublicKeys:
        """Keys given as base64 of the 32 raw bytes (what `public_text` prints)."""
        keys = []
        for text in texts:
            value = text.split(":", 1)[-1].strip()
            try:
                raw = base64.b64decode(value, validate=True)
                keys.append(Ed25519PublicKey.from_public_bytes(raw))
            except (binascii.Error, ValueError):
                raise AuditKeyError("a checkpoint public key is not base64 of 32 bytes") from None
        return cls(keys)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def verify(self, signer: str, message: bytes, signature: bytes) -> bool:
        key = self._keys.get(signer)
        if key is None:
            return False
        try:
            key.verify(signature, message)
        except InvalidSignature:
            return False
        return True


class SigningKeys:
    """Ed25519 private keys; the active one signs new checkpoints."""

    __slots__ = ("_active", "_keys")

    def __init__(self, keys: Mapping[str, Ed25519PrivateKey], active: str) -> None:
        if active not in keys:
            raise AuditKeyError(f"active signing key {active!r} is not in the key file")
        self._keys = dict(keys)
        self._active = active

    @classmethod
    def generate(cls) -> SigningKeys:
        key = Ed25519PrivateKey.generate()
        kid = signer_id(key.public_key())
        return cls({kid: key}, kid)

    @classmethod
    def load_or_create(cls, path: Path) -> tuple[SigningKeys, bool]:
        """Read the key file, or create it (0600); True when it was created."""
        if not path.exists():
            keys = cls.generate()
            if write_private(path, keys._to_json(), replace=False):
                return keys, True
        return cls.load(path), False

    @classmethod
    def load(cls, path: Path) -> SigningKeys:
        try:
            document = json.loads(path.read_bytes())
        except OSError as exc:
            raise AuditKeyError(f"cannot read signing key file {path}: {exc.strerror}") from None
        except ValueError:
            raise AuditKeyError(f"signing key file {path} is not valid JSON") from None
        if not isinstance(document, dict) or not isinstance(document.get("keys"), dict):
            raise AuditKeyError(f"signing key file {path}: expected 'active' and 'keys'")
        keys: dict[str, Ed25519PrivateKey] = {}
        for kid, value in document["keys"].items():
            try:
                raw = base64.b64decode(str(value), validate=True)
                keys[str(kid)] = Ed25519PrivateKey.from_private_bytes(raw)
            except (binascii.Error, ValueError):
                raise AuditKeyError(f"signing key {kid!r} in {path} is malformed") from None
        return cls(keys, str(document.get("active")))

    def save(self, path: Path) -> None:
        write_private(path, self._to_json(), replace=True)

    def rotate(self) -> str:
        """A new active signing key; old ones stay so their checkpoints still verify."""
        key = Ed25519PrivateKey.generate()
        kid = signer_id(key.public_key())
        self._keys[kid] = key
        self._active = kid
        return kid

    @property
    def active_kid(self) -> str:
        return self._active

    def sign(self, message: bytes) -> tuple[str, bytes]:
        return self._active, self._keys[self._active].sign(message)

    def public(self) -> PublicKeys:
        return PublicKeys(key.public_key() for key in self._keys.values())

    def public_text(self) -> list[str]:
        """`KID:BASE64` per key, for `voile audit verify --public-key` on another machine."""
        lines = []
        for kid, key in self._keys.items():
            raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
            lines.append(f"{kid}:{base64.b64encode(raw).decode()}")
        return lines

    def __repr__(self) -> str:
        return f"SigningKeys(active={self._active!r}, kids={tuple(self._keys)!r})"

    def _to_json(self) -> bytes:
        keys = {
            kid: base64.b64encode(
                key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
            ).decode()
            for kid, key in self._keys.items()
        }
        return json.dumps({"active": self._active, "keys": keys}, indent=2).encode() + b"\n"


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: entry `seq` of trail `trail_id` has hash `head_hash`."""

    trail_id: str
    seq: int
    head_hash: str
    signed_at: datetime
    signer: str
    signature: bytes = b""

    def message(self) -> bytes:
        """What is signed: every field but the signature, as canonical JSON."""
        return canonical_json(
            {
                "format": CHECKPOINT_FORMAT,
                "trail": self.trail_id,
                "seq": self.seq,
                "head": self.head_hash,
                "signed_at": time_text(self.signed_at),
                "signer": self.signer,
            }
        ).encode()

    @classmethod
    def sign(cls, keys: SigningKeys, trail_id: str, seq: int, head_hash: str) -> Checkpoint:
        unsigned = cls(trail_id, seq, head_hash, datetime.now(UTC), keys.active_kid)
        _, signature = keys.sign(unsigned.message())
        return cls(trail_id, seq, head_hash, unsigned.signed_at, keys.active_kid, signature)

    def verified_by(self, keys: PublicKeys) -> bool:
        return keys.verify(self.signer, self.message(), self.signature)

    def to_json(self) -> bytes:
        document = json.loads(self.message())
        document["signature"] = base64.b64encode(self.signature).decode()
        return json.dumps(document, indent=1, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Checkpoint:
        """Parse a checkpoint file; ValueError names what is wrong (not whether it verifies)."""
        document = json.loads(raw)
        if not isinstance(document, dict) or document.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"not a {CHECKPOINT_FORMAT} document")
        seq, head = document.get("seq"), document.get("head")
        if type(seq) is not int or not isinstance(head, str):
            raise ValueError("seq or head missing")
        signed_at = datetime.strptime(str(document.get("signed_at")), "%Y-%m-%dT%H:%M:%S.%fZ")
        return cls(
            trail_id=str(document.get("trail")),
            seq=seq,
            head_hash=head,
            signed_at=signed_at.replace(tzinfo=UTC),
            signer=str(document.get("signer")),
            signature=base64.b64decode(str(document.get("signature", "")), validate=True),
        )


@dataclass(frozen=True)
class StoredCheckpoint:
    """One document of a sink: parsed, or the reason it could not be."""

    name: str
    checkpoint: Checkpoint | None
    error: str | None = None


class CheckpointSink(Protocol):
    """Where checkpoints go: somewhere the audit database's administrators cannot rewrite.

    `publish` must be durable when it returns. Implementations for WORM object storage
    (S3 Object Lock, Azure immutable blobs) or a remote append-only log implement the same
    methods; `voile audit verify` reads, `trails` and `latest` answer what start-up asks
    (which trails ever published here, and where each one got to).
    """

    def publish(self, checkpoint: Checkpoint) -> None: ...

    def read(self, trail_id: str) -> list[StoredCheckpoint]: ...

    def trails(self) -> list[str]:
        """Every trail id with at least one checkpoint document here."""
        ...

    def latest(self, trail_id: str) -> StoredCheckpoint | None:
        """The checkpoint of `trail_id` with the highest seq (parsed, or why not)."""
        ...

    def latest_seq(self, trail_id: str) -> int:
        """The highest seq published for `trail_id` (0 if none), cheaply: the writer asks it
        at start-up so that it does not sign again what was signed. OSError or ValueError
        if the sink cannot say."""
        ...


class DirectorySink:
    """Checkpoints as files: `ROOT/trail-TRAIL/YYYY-MM-DD/SEQ-RANDOM.json`, 0600, fsynced.

    One file per checkpoint, never rewritten: several processes can publish at once, and a
    partial write (crash) leaves a temporary file that is ignored, never a half checkpoint.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def publish(self, checkpoint: Checkpoint) -> None:
        day = checkpoint.signed_at.strftime("%Y-%m-%d")
        directory = self._trail_dir(checkpoint.trail_id) / day
        make_private_dirs(directory)
        name = f"{checkpoint.seq:020d}-{secrets.token_hex(4)}.json"
        write_private(directory / name, checkpoint.to_json(), replace=False)

    def read(self, trail_id: str) -> list[StoredCheckpoint]:
        directory = self._trail_dir(trail_id)
        if not directory.is_dir():
            return []
        stored = []
        for path in sorted(directory.glob("*/*.json")):
            name = str(path.relative_to(self.root))
            try:
                stored.append(StoredCheckpoint(name, Checkpoint.from_json(path.read_bytes())))
            except (OSError, ValueError, binascii.Error) as exc:
                stored.append(StoredCheckpoint(name, None, type(exc).__name__))
        return stored

    def latest_seq(self, trail_id: str) -> int:
        """The highest sequence number among file names (0 if none): cheap, no parsing."""
        found = self._latest_path(trail_id)
        return 0 if found is None else found[0]

    def latest(self, trail_id: str) -> StoredCheckpoint | None:
        found = self._latest_path(trail_id)
        if found is None:
            return None
        path = found[1]
        name = str(path.relative_to(self.root))
        try:
            return StoredCheckpoint(name, Checkpoint.from_json(path.read_bytes()))
        except (OSError, ValueError, binascii.Error) as exc:
            return StoredCheckpoint(name, None, type(exc).__name__)

    def trails(self) -> list[str]:
        """Trail ids of `trail-*` directories holding at least one checkpoint file (an
        unreadable one counts: it is evidence, not noise)."""
        if not self.root.is_dir():
            return []
        found = []
        for directory in sorted(self.root.glob("trail-*")):
            trail_id = directory.name.removeprefix("trail-")
            if (
                _TRAIL_ID.fullmatch(trail_id)
                and directory.is_dir()
                and next(directory.glob("*/*.json"), None) is not None
            ):
                found.append(trail_id)
        return found

    def _latest_path(self, trail_id: str) -> tuple[int, Path] | None:
        directory = self._trail_dir(trail_id)
        if not directory.is_dir():
            return None
        best: tuple[int, Path] | None = None
        for path in directory.glob("*/*.json"):
            head = path.name.split("-", 1)[0]
            seq = int(head) if head.isdigit() else 0
            if best is None or seq > best[0]:
                best = (seq, path)
        return best

    def _trail_dir(self, trail_id: str) -> Path:
        if not _TRAIL_ID.fullmatch(trail_id):
            raise ValueError("invalid trail id")
        return self.root / f"trail-{trail_id}"

    def __repr__(self) -> str:
        return f"DirectorySink({str(self.root)!r})"
