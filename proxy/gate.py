"""The door before an app is identified: what unauthenticated traffic may cost.

A request refused before Voile knows which app sent it (unknown provider, no or wrong app
key, too many such attempts) carries nothing but caller-chosen text. It must not grow the
audit trail — 2,000 keyless requests once added 9.8 MB of chained entries with 4 KB paths —
nor the logs. So such refusals are:

1. counted in the metrics by reason (`voile_unauthenticated_total{reason=…}`);
2. logged at most once per `LOG_INTERVAL` seconds, as counts by reason, never the path,
   the key or the address;
3. limited per client address: after `per_minute` refusals an address gets 429 until its
   budget refills (a token bucket: `per_minute` tokens, refilled continuously over a minute).
   The check comes before the key is looked at, so an address over its budget cannot tell
   a right key from a wrong one by the answer.

**Which address.** The TCP peer, unless the peer is one of `limits.trusted_proxies`: then
the right-most `X-Forwarded-For` entry that is not itself a trusted proxy (`proxy.forwarded`
says why that one, and what a malformed header does). From any other peer the header is
ignored — any caller can write it. Without trusted proxies, behind a load balancer every
caller shares the balancer's address, and one client sending wrong keys would lock out
every app behind it.

**Where the buckets live.** In each process (a bounded table, oldest address first out),
and, when `limits.shared_url` names a Redis, in Redis, so that N replicas allow the budget
once and not N times:

4. *Algorithm.* The same token bucket as the local one, run as one Lua script per check or
   refusal, so a read-refill-take is atomic however many replicas race, and timed by the
   Redis server's clock (`TIME`), so replicas whose clocks differ still agree. Chosen over a
   fixed window (`INCR` + `EXPIRE`), which allows twice the budget across a window's edge
   and locks an address out until the window ends rather than letting it back gradually,
   and over a sliding log, which keeps one entry per refusal. One hash per address holds
   two numbers (tokens left, when) and expires once the bucket would be full again (at most
   61 s after the last refusal): an absent key *is* a full bucket, so Redis holds only
   addresses refused in the last minute.
5. *No address in Redis.* The key is `voile:gate:` + an HMAC-SHA256 of the address (128
   bits, hex) under a key derived from the placeholder key, which every replica shares; the
   values are numbers. Without the placeholder key, the 2^32 IPv4 addresses cannot be tried
   against the keys.
6. *Redis failing never fails a request.* An error or a timeout (`SHARED_TIMEOUT`) makes
   the gate decide on this process's own bucket, which it keeps up to date all along; it
   then leaves Redis alone for `RETRY_SECONDS` instead of making every request wait for a
   timeout. Each such decision is counted (`voile_unauthenticated_local_fallback_total`),
   the store's state is a gauge (`voile_unauthenticated_shared_store_up`), and each change
   of state is one log line with the error's type, never its text (it may quote the URL).
   The gate only ever refuses: whichever bucket decides, a request it lets through goes on
   to identification, detection and masking as any other.
7. *Exact up to what is in flight.* The check and the refusal's count are two steps (the
   refusal is known only once the key was looked at), so requests checked at the same
   moment on several replicas may each get their 401 before the first count lands: the
   budget can be exceeded by the number of such requests in flight at once, never more.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from proxy.config import LimitSettings
from proxy.forwarded import Network, client_address
from proxy.logging import get_logger
from proxy.metrics import Metrics

log = get_logger("voile.gate")

LOG_INTERVAL = 10.0
MAX_ADDRESSES = 10_000
# Seconds one Redis call may take before the local bucket decides: a Redis next to the
# replicas answers in well under a millisecond; a request must not wait on a sick one.
SHARED_TIMEOUT = 0.25
# Seconds Redis is left alone after a failure before it is tried again.
RETRY_SECONDS = 5.0
KEY_PREFIX = "voile:gate:"

# KEYS[1]: the address's bucket. ARGV[1]: the budget per minute; ARGV[2]: "take" to count a
# refusal, anything else to look. Returns the tokens left, as a string (Lua numbers come
# back from Redis truncated to integers). `replicate_commands` lets Redis 5 and 6 write after
# `TIME` (Redis 7 always replicates effects; there it is a no-op).
BUCKET_SCRIPT = """
if redis.replicate_commands then redis.replicate_commands() end
local capacity = tonumber(ARGV[1])
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now_ms
tokens = math.min(capacity, tokens + math.max(0, now_ms - at) * capacity / 60000)
if ARGV[2] == 'take' then
  tokens = math.max(0, tokens - 1)
  redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now_ms)
  redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 60000 / capacity) + 1000)
end
return tostring(tokens)
"""


def derive_key(placeholder_secret: bytes) -> bytes:
    """The key of the addresses' HMACs: the same on every replica (they share the
    placeholder key), useless for anything else."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"voile/gate/v1").derive(
        placeholder_secret
    )


def bucket_key(hmac_key: bytes, address: str) -> str:
    """The Redis key of an address's bucket: a keyed hash, never the address."""
    digest = hmac.new(hmac_key, address.encode("utf-8", "surrogatepass"), hashlib.sha256)
    return KEY_PREFIX + digest.hexdigest()[:32]


class LocalBuckets:
    """This process's token buckets, one per address, the least recently refused dropped
    first beyond `max_addresses` (a dropped address starts again with a full bucket)."""

    def __init__(self, per_minute: int, max_addresses: int) -> None:
        self._per_minute = float(per_minute)
        self._max_addresses = max_addresses
        # address → (tokens left, monotonic time of the last update)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def tokens(self, address: str, now: float) -> float:
        tokens, since = self._buckets.get(address, (self._per_minute, now))
        return min(self._per_minute, tokens + (now - since) * self._per_minute / 60.0)

    def take(self, address: str, now: float) -> None:
        self._buckets[address] = (max(0.0, self.tokens(address, now) - 1.0), now)
        self._buckets.move_to_end(address)
        while len(self._buckets) > self._max_addresses:
            self._buckets.popitem(last=False)


class SharedBuckets:
    """The same buckets in Redis, for every replica at once (points 4 and 5 above)."""

    def __init__(self, url: str, hmac_key: bytes, *, timeout: float = SHARED_TIMEOUT) -> None:
        import redis.asyncio as redis  # noqa: PLC0415 - only deployments using Redis load it
        from redis.asyncio.retry import Retry  # noqa: PLC0415
        from redis.backoff import NoBackoff  # noqa: PLC0415
        from redis.exceptions import RedisError  # noqa: PLC0415

        # What a failing Redis raises: the gate then decides locally (point 6).
        self.errors: tuple[type[Exception], ...] = (RedisError, OSError, TimeoutError, ValueError)

        self._hmac_key = hmac_key
        self.timeout = timeout
        # No retries: a failed call falls back at once (the next request tries again later).
        # A bounded pool that waits at most `timeout` for a connection, so a burst neither
        # opens thousands of connections nor waits longer than a call may.
        pool = redis.BlockingConnectionPool.from_url(
            url,
            max_connections=64,
            timeout=timeout,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self._redis: Any = redis.Redis(connection_pool=pool)
        self._script: Any = self._redis.register_script(BUCKET_SCRIPT)

    def key(self, address: str) -> str:
        return bucket_key(self._hmac_key, address)

    async def tokens(self, address: str, per_minute: int, *, take: bool) -> float:
        """Tokens left in the address's bucket, after taking one if `take`. Raises whatever
        the client raises, or TimeoutError."""
        async with asyncio.timeout(self.timeout * 2):
            left = await self._script(
                keys=[self.key(address)], args=[per_minute, "take" if take else "look"]
            )
        return float(left)

    async def close(self) -> None:
        await self._redis.aclose()


class UnauthenticatedGate:
    def __init__(
        self,
        per_minute: int,
        metrics: Metrics,
        *,
        max_addresses: int = MAX_ADDRESSES,
        trusted_proxies: Iterable[Network] = (),
        shared: SharedBuckets | None = None,
    ) -> None:
        self._per_minute = per_minute
        self._metrics = metrics
        self._trusted = tuple(trusted_proxies)
        self._local = LocalBuckets(per_minute, max_addresses)
        self._shared = shared
        self._shared_down_until = 0.0
        self._shared_up = True
        self._fallbacks_since_down = 0
        self._unlogged: Counter[str] = Counter()
        self._last_log = 0.0
        if shared is not None:
            metrics.gate_shared_up.set(1)

    def client(self, peer: str | None, forwarded: Iterable[str]) -> str | None:
        """The address this request is counted under (`proxy.forwarded`)."""
        return client_address(peer, forwarded, self._trusted)

    async def over_limit(self, address: str | None) -> bool:
        """True if `address` has used up its refusals: answer 429 without further work."""
        if self._per_minute <= 0:
            return False
        key = address or "-"
        tokens = await self._shared_tokens(key, take=False)
        if tokens is None:
            tokens = self._local.tokens(key, time.monotonic())
        return tokens < 1.0

    async def refused(self, address: str | None, reason: str) -> None:
        """Count one refusal before identification; `reason` is one of our own codes."""
        self._metrics.unauthenticated.labels(reason).inc()
        self._unlogged[reason] += 1
        now = time.monotonic()
        if now - self._last_log >= LOG_INTERVAL:
            log.warning(
                "unauthenticated_refused",
                counts=dict(self._unlogged),
                interval_seconds=LOG_INTERVAL,
            )
            self._unlogged.clear()
            self._last_log = now
        if self._per_minute > 0:
            key = address or "-"
            # Kept even while Redis answers: if it stops, this process's own count of the
            # last minute is at hand.
            self._local.take(key, now)
            await self._shared_tokens(key, take=True)

    async def close(self) -> None:
        if self._shared is not None:
            await self._shared.close()

    async def _shared_tokens(self, key: str, *, take: bool) -> float | None:
        """The shared bucket's tokens, or None when there is no shared store or it cannot
        answer now (then the local bucket decides, and that is counted)."""
        if self._shared is None:
            return None
        if time.monotonic() < self._shared_down_until:
            self._fell_back()
            return None
        try:
            tokens = await self._shared.tokens(key, self._per_minute, take=take)
        except self._shared.errors as exc:
            self._shared_failed(exc)
            self._fell_back()
            return None
        if not self._shared_up:
            self._shared_up = True
            self._metrics.gate_shared_up.set(1)
            log.info("gate_shared_store_back", local_decisions=self._fallbacks_since_down)
            self._fallbacks_since_down = 0
        return tokens

    def _fell_back(self) -> None:
        self._fallbacks_since_down += 1
        self._metrics.gate_local_fallback.inc()

    def _shared_failed(self, exc: BaseException) -> None:
        self._shared_down_until = time.monotonic() + RETRY_SECONDS
        if self._shared_up:
            self._shared_up = False
            self._metrics.gate_shared_up.set(0)
            # The type only: a connection error's text may quote the URL (and its password).
            log.warning(
                "gate_shared_store_unavailable",
                error_type=type(exc).__name__,
                retry_seconds=RETRY_SECONDS,
                note="unauthenticated refusals are limited per replica until it answers",
            )


def open_gate(
    limits: LimitSettings, placeholder_secret: bytes, metrics: Metrics
) -> UnauthenticatedGate:
    """The gate `limits` describes; its Redis client connects on the first refusal or check,
    so a Redis that is down at start-up delays nothing (point 6)."""
    shared = (
        SharedBuckets(limits.shared_url, derive_key(placeholder_secret))
        if limits.shared_url is not None and limits.unauthenticated_per_minute > 0
        else None
    )
    return UnauthenticatedGate(
        limits.unauthenticated_per_minute,
        metrics,
        trusted_proxies=limits.trusted_proxies,
        shared=shared,
    )
