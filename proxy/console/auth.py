"""Who may use the console, and how they prove it. No aiohttp here: plain values, tested alone.

1. Accounts sign in with a password checked against its argon2 hash (`argon2-cffi`); an
   unknown name costs the same hash check, so timing does not tell which names exist. Tokens
   (a service account, or single sign-on in front of Voile) are compared by SHA-256 digest.
2. A session is a signed cookie (HMAC-SHA256 with the console's session key), not a row in a
   table: replicas that share the key share sessions, with no sticky routing. It names the
   account, a session id, an expiry and a fingerprint of the account's password hash (or
   token), so changing a password or a token ends its sessions. The role is looked up in the
   configuration at each request: a role changed or an account removed takes effect at once.
   Signing out deletes the cookie and revokes the session: at once in this process, and in
   every process that shares the trail through a `sign_out` entry naming the session's
   revocation id (a keyed hash of its id), which each console reads before it trusts a
   session (`proxy.console.views`).
3. CSRF: every form carries a token derived from the session id (HMAC); the sign-in form,
   before any session, one derived from a random nonce in its own cookie. Cookies are
   `HttpOnly`, `SameSite=Strict`, `Secure` unless configured off.
4. Failed sign-ins are limited per client address and per account name (a token bucket each;
   `sign_in_failures_per_minute`); what is over the limit is refused before any check.
5. Roles give permissions, one table: `viewer` sees metadata, `reviewer` may also decrypt a
   payload (with a reason), `security_admin` may also run the chain's verification and try a
   text against the policies (`policy test`). Every role sees the policies' versions.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import os
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from proxy.config import Config, ConsoleSettings
from proxy.logging import get_logger
from proxy.yamlfile import ConfigError

log = get_logger("voile.console")

SESSION_COOKIE = "voile_session"
SIGN_IN_COOKIE = "voile_sign_in"
MAX_BUCKETS = 10_000
MAX_REVOKED = 10_000


class Permission(StrEnum):
    VIEW = "view"  # dashboard, the trail's metadata, the monthly report
    DECRYPT = "decrypt"  # a record's payload, after a stated reason
    VERIFY = "verify"  # run the chain's verification
    TEST_POLICY = "test_policy"  # try a text against the running policies (`policy test`)


ROLES: dict[str, frozenset[Permission]] = {
    "viewer": frozenset({Permission.VIEW}),
    "reviewer": frozenset({Permission.VIEW, Permission.DECRYPT}),
    "security_admin": frozenset({Permission.VIEW, Permission.VERIFY, Permission.TEST_POLICY}),
}


@dataclass(frozen=True)
class Identity:
    """Who is calling, for this request."""

    name: str
    role: str
    method: str  # "password" or "token"
    session_id: str | None = None  # None for a bearer token: no cookie, so no CSRF

    def may(self, permission: Permission) -> bool:
        return permission in ROLES[self.role]

    @property
    def actor(self) -> str:
        """What the trail records of who acted: a configured name, never typed text."""
        return f"console:{self.name}"


@dataclass(frozen=True)
class _Principal:
    name: str
    role: str
    method: str
    secret: str  # the argon2 hash, or the token's hex digest
    fingerprint: str  # of `secret`: a session outlives neither


def _fingerprint(secret: str) -> str:
    return hashlib.sha256(b"voile/console/fingerprint|" + secret.encode()).hexdigest()[:16]


def hash_password(password: str) -> str:
    """An argon2id hash with argon2-cffi's current defaults (`voile admin hash-password`)."""
    return PasswordHasher().hash(password)


class Directory:
    """The configured accounts and tokens."""

    def __init__(self, settings: ConsoleSettings) -> None:
        self._hasher = PasswordHasher()
        self._accounts: dict[str, _Principal] = {}
        self._tokens: dict[bytes, _Principal] = {}
        for account in settings.accounts:
            secret = account.hash_text()
            self._accounts[account.name] = _Principal(
                account.name, account.role, "password", secret, _fingerprint(secret)
            )
        for token in settings.tokens:
            digest = token.digest()
            self._tokens[digest] = _Principal(
                token.name, token.role, "token", digest.hex(), _fingerprint(digest.hex())
            )
        # Checked when a name is unknown, so that the answer takes as long as for a known one.
        self._decoy = self._hasher.hash(secrets.token_hex(16))

    def is_account(self, name: str) -> bool:
        return name in self._accounts

    def check_password(self, name: str, password: str) -> Identity | None:
        """The account if `password` is its own; slow on purpose (argon2): call it off the
        event loop."""
        principal = self._accounts.get(name)
        try:
            self._hasher.verify(principal.secret if principal else self._decoy, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        return Identity(principal.name, principal.role, "password") if principal else None

    def check_token(self, token: str) -> Identity | None:
        digest = hashlib.sha256(token.encode()).digest()
        found = None
        for known, principal in self._tokens.items():  # each compared, in constant time
            if hmac.compare_digest(known, digest):
                found = principal
        return Identity(found.name, found.role, "token") if found else None

    def current(self, name: str, method: str, fingerprint: str) -> _Principal | None:
        """The principal a session names, if it still exists with the same secret."""
        if method == "password":
            principal = self._accounts.get(name)
        else:
            principal = next((p for p in self._tokens.values() if p.name == name), None)
        if principal is None or not hmac.compare_digest(principal.fingerprint, fingerprint):
            return None
        return principal

    def fingerprint(self, identity: Identity) -> str:
        if identity.method == "password":
            return self._accounts[identity.name].fingerprint
        return next(p for p in self._tokens.values() if p.name == identity.name).fingerprint


class Sessions:
    """Signed session cookies and the CSRF tokens derived from them."""

    def __init__(self, key: bytes, directory: Directory, lifetime_seconds: float) -> None:
        self._key = key
        self._directory = directory
        self._lifetime = lifetime_seconds
        self._revoked: OrderedDict[str, float] = OrderedDict()

    def _sign(self, purpose: str, data: str) -> str:
        mac = hmac.new(self._key, f"voile/console/{purpose}|{data}".encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")

    def issue(self, identity: Identity) -> tuple[str, Identity]:
        """A new session for `identity`: the cookie's value, and the identity bound to it."""
        session_id = secrets.token_urlsafe(18)
        body = {
            "n": identity.name,
            "m": identity.method,
            "s": session_id,
            "e": int(time.time() + self._lifetime),
            "f": self._directory.fingerprint(identity),
        }
        data = base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")
        bound = Identity(identity.name, identity.role, identity.method, session_id)
        return f"{data}.{self._sign('session', data)}", bound

    def read(self, cookie: str | None) -> Identity | None:
        """The identity a cookie proves, or None (forged, expired, revoked, or its account
        removed or its password changed since)."""
        if not cookie or cookie.count(".") != 1:
            return None
        data, signature = cookie.split(".")
        if not hmac.compare_digest(signature, self._sign("session", data)):
            return None
        try:
            body = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
            name, method, session_id = str(body["n"]), str(body["m"]), str(body["s"])
            expires, fingerprint = float(body["e"]), str(body["f"])
        except (ValueError, KeyError, TypeError):
            return None
        if expires < time.time() or self.revocation_id(session_id) in self._revoked:
            return None
        principal = self._directory.current(name, method, fingerprint)
        if principal is None:
            return None
        return Identity(principal.name, principal.role, method, session_id)

    def revocation_id(self, session_id: str) -> str:
        """What the trail records of a session that ended: a keyed hash of its id, so that
        reading the trail gives nobody a session id."""
        return self._sign("revoked", session_id)[:32]

    def revoke(self, identity: Identity) -> tuple[str, int] | None:
        """End `identity`'s session here; returns its revocation id and the time (epoch
        seconds) after which no cookie of it can be valid anyway, for other processes."""
        if identity.session_id is None:
            return None
        revocation, until = self.revocation_id(identity.session_id), time.time() + self._lifetime
        self.revoked(revocation, until)
        return revocation, math.ceil(until)

    def revoked(self, revocation: str, until: float) -> None:
        """Refuse the session with this revocation id until `until` (epoch seconds)."""
        self._revoked[revocation] = until
        self._revoked.move_to_end(revocation)
        now = time.time()
        while self._revoked and (
            len(self._revoked) > MAX_REVOKED or next(iter(self._revoked.values())) < now
        ):
            self._revoked.popitem(last=False)

    @property
    def lifetime(self) -> float:
        return self._lifetime

    def csrf_token(self, identity: Identity) -> str:
        return self._sign("csrf", identity.session_id or "")

    def csrf_ok(self, identity: Identity, token: str | None) -> bool:
        if identity.session_id is None:
            return True  # a bearer token: no ambient credential to forge a request with
        return bool(token) and hmac.compare_digest(str(token), self.csrf_token(identity))

    def sign_in_nonce(self) -> tuple[str, str]:
        """For the sign-in form: the nonce (its cookie) and the form's CSRF token."""
        nonce = secrets.token_urlsafe(18)
        return nonce, self._sign("sign-in", nonce)

    def sign_in_ok(self, nonce: str | None, token: str | None) -> bool:
        return bool(nonce and token) and hmac.compare_digest(
            str(token), self._sign("sign-in", str(nonce))
        )


class SignInLimiter:
    """Failed sign-ins per client address and per account name: a token bucket each."""

    def __init__(self, per_minute: int) -> None:
        self._per_minute = float(per_minute)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _tokens(self, key: str, now: float) -> float:
        tokens, since = self._buckets.get(key, (self._per_minute, now))
        return min(self._per_minute, tokens + (now - since) * self._per_minute / 60.0)

    def blocked(self, keys: list[str]) -> bool:
        now = time.monotonic()
        return any(self._tokens(key, now) < 1.0 for key in keys)

    def failed(self, keys: list[str]) -> None:
        now = time.monotonic()
        for key in keys:
            self._buckets[key] = (max(0.0, self._tokens(key, now) - 1.0), now)
            self._buckets.move_to_end(key)
        while len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)


def session_key(config: Config, settings: ConsoleSettings) -> bytes:
    """The secret sessions are signed with: `session_key_env`, else a key file created on
    first run (0600) in the data directory."""
    if settings.session_key_env:
        value = os.environ.get(settings.session_key_env, "")
        if len(value) < 32:
            raise ConfigError(
                f"admin.console.session_key_env: environment variable "
                f"{settings.session_key_env} must hold at least 32 characters"
            )
        return hashlib.sha256(b"voile/console/session-key|" + value.encode()).digest()
    path: Path = config.data_dir / "keys" / "console-session.key"
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex())
    log.warning(
        "console_session_key_created",
        path=str(path),
        note="replicas behind one address must share it (or set session_key_env)",
    )
    return key
