"""Writing a relayed stream to the client in fewer, larger writes, without delaying it.

A model, or a provider's network burst, can deliver many small events back to back (the
echoing fake sends a 1 KB answer as ~256 events). Each `StreamResponse.write` is a trip
through aiohttp's writer and a `send` system call, and those cost the event loop more than
restoring the event did. `WritePacer` sends the first writes of a stream at once (the
client's time to first token is never paced), then sends at most one write per `interval`:
what arrives meanwhile is gathered and goes out together when the interval is over (a
timer, so the last bytes before a pause in the stream wait no longer than `interval`), or
as soon as `max_bytes` are gathered. An answer that trickles in slower than the interval,
as a model's tokens usually do, is written exactly as before, one write per event.

Order is kept: one lock serialises the writes, and the bytes gathered are written before
anything written after them. A write that fails in the timer's flush (the client went away)
is raised by the next `write` or by `close`, where the relay handles it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

__all__ = ["DEFAULT_EAGER_WRITES", "DEFAULT_INTERVAL", "DEFAULT_MAX_BYTES", "WritePacer"]

DEFAULT_INTERVAL = 0.002
"""Seconds: the longest any byte waits. Below what a reader of a streamed answer perceives,
and below a model's usual gap between tokens, so only bursts are gathered."""
DEFAULT_MAX_BYTES = 64 * 1024
DEFAULT_EAGER_WRITES = 4
"""Writes sent at once whatever their pace: the role chunk, the first content, a comment."""


class WritePacer:
    """Gathers the writes of one stream; `close` (or `flush`) before the response ends."""

    def __init__(
        self,
        write: Callable[[bytes], Awaitable[None]],
        *,
        interval: float = DEFAULT_INTERVAL,
        max_bytes: int = DEFAULT_MAX_BYTES,
        eager_writes: int = DEFAULT_EAGER_WRITES,
    ) -> None:
        self._write = write
        self._interval = interval
        self._max_bytes = max_bytes
        self._eager = eager_writes
        self._loop = asyncio.get_running_loop()
        self._lock = asyncio.Lock()
        self._pending: list[bytes] = []
        self._size = 0
        self._next = 0.0  # loop time before which a write is gathered, not sent
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: asyncio.Task[None] | None = None
        self._failure: BaseException | None = None
        self.writes = 0
        """Writes made to the client so far."""

    async def write(self, data: bytes) -> None:
        """Send `data` now, or gather it to go out within `interval`."""
        self._raise_failure()
        if not data:
            return
        if not self._pending and (self.writes < self._eager or self._loop.time() >= self._next):
            async with self._lock:
                await self._send(data)
            return
        self._pending.append(data)
        self._size += len(data)
        if self._size >= self._max_bytes:
            await self.flush()
        elif self._timer is None:
            self._timer = self._loop.call_at(self._next, self._due)

    async def flush(self) -> None:
        """Send what is gathered now."""
        self._cancel_timer()
        async with self._lock:
            if self._pending:
                data = b"".join(self._pending)
                self._pending.clear()
                self._size = 0
                await self._send(data)
        self._raise_failure()

    async def close(self, last: bytes = b"") -> None:
        """Send what is gathered, and `last`, in the stream's last write."""
        if self._flushing is not None and not self._flushing.done():
            await asyncio.wait([self._flushing])
        if last:
            self._pending.append(last)
        await self.flush()

    def abort(self) -> None:
        """Drop what is gathered and stop the timer (the stream ended without `close`: the
        client is gone, or the handler is being cancelled)."""
        self._cancel_timer()
        if self._flushing is not None:
            self._flushing.cancel()
        self._pending.clear()
        self._size = 0

    async def _send(self, data: bytes) -> None:
        await self._write(data)
        self.writes += 1
        self._next = self._loop.time() + self._interval

    def _due(self) -> None:
        self._timer = None
        self._flushing = self._loop.create_task(self._flush_quietly())

    async def _flush_quietly(self) -> None:
        try:
            await self.flush()
        except Exception as exc:  # the relay's next write or close raises it
            self._failure = exc

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _raise_failure(self) -> None:
        if self._failure is not None:
            failure, self._failure = self._failure, None
            raise failure
