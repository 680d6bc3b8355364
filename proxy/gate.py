"""The door before an app is identified: what unauthenticated traffic may cost.

A request refused before Voile knows which app sent it (unknown provider, no or wrong app
key, too many such attempts) carries nothing but caller-chosen text. It must not grow the
audit trail — 2,000 keyless requests once added 9.8 MB of chained entries with 4 KB paths —
nor the logs. So such refusals are:

1. counted in the metrics by reason (`voile_unauthenticated_total{reason=…}`);
2. logged at most once per `LOG_INTERVAL` seconds, as counts by reason, never the path,
   the key or the address;
3. limited per client address: after `per_minute` refusals an address gets 429 until its
   budget refills (a token bucket; the table of addresses is bounded, oldest first out).

The client address is the TCP peer. Behind a load balancer every caller shares its
address, so the limit then applies to all of them together; the operator sizes it (or sets
it to 0 to turn it off). `X-Forwarded-For` is not trusted: any caller can write it.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict

from proxy.logging import get_logger
from proxy.metrics import Metrics

log = get_logger("voile.gate")

LOG_INTERVAL = 10.0
MAX_ADDRESSES = 10_000


class UnauthenticatedGate:
    def __init__(
        self, per_minute: int, metrics: Metrics, *, max_addresses: int = MAX_ADDRESSES
    ) -> None:
        self._per_minute = per_minute
        self._metrics = metrics
        self._max_addresses = max_addresses
        # address → (tokens left, monotonic time of the last update)
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._unlogged: Counter[str] = Counter()
        self._last_log = 0.0

    def over_limit(self, address: str | None) -> bool:
        """True if `address` has used up its refusals: answer 429 without further work."""
        if self._per_minute <= 0:
            return False
        tokens = self._tokens(address or "-", time.monotonic())
        return tokens < 1.0

    def refused(self, address: str | None, reason: str) -> None:
        """Count one refusal before identification; `reason` is one of our own codes."""
        self._metrics.unauthenticated.labels(reason).inc()
        if self._per_minute > 0:
            key = address or "-"
            now = time.monotonic()
            self._buckets[key] = (max(0.0, self._tokens(key, now) - 1.0), now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self._max_addresses:
                self._buckets.popitem(last=False)
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

    def _tokens(self, key: str, now: float) -> float:
        tokens, since = self._buckets.get(key, (float(self._per_minute), now))
        return min(float(self._per_minute), tokens + (now - since) * self._per_minute / 60.0)
