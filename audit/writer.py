"""The writer thread: batches entries into one transaction each (group commit), signs
checkpoints, and drains on shutdown.

Callers `submit` an entry and wait for its future; the future resolves only once the
transaction holding it has committed, so an acknowledged entry is durable whatever happens
next (with SQLite, `synchronous=FULL` makes a commit survive even power loss). Under load,
entries queue while a transaction runs and the next one takes all of them, up to
`max_batch`: one lock, one fsync for many requests, the same guarantee for each.

A caller that stops waiting (a timeout) cancels its future. An entry whose future is
cancelled before its batch starts is never written: a request refused with 503 does not
later appear as forwarded. Once a batch has started, its entries can no longer be
cancelled; the caller then records what really happened in a later entry (the proxy writes
the request's outcome as failed), and the trail tells the truth in order.

An entry nobody needs to wait for, but that must not be lost (the outcome of a request
refused because the store was down), can be `defer`red: it waits in a small bounded
backlog, one per request id, that the thread writes in its own transaction as soon as the
store takes writes again (right after a batch commits, or every `retry_seconds` when idle).
A full backlog drops what comes next, counted (`stats.deferred_dropped`), never silently.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

import structlog

from audit.checkpoints import Checkpoint, CheckpointSink, SigningKeys
from audit.events import Entry
from audit.store import Appended, AuditStore

log = structlog.get_logger("voile.audit")

_STOP = object()
_WAKE = object()  # recompute the next wake-up (an entry was deferred)


@dataclass
class WriterStats:
    """Counters the proxy logs and tests read."""

    entries: int = 0
    batches: int = 0
    largest_batch: int = 0
    failed_batches: int = 0
    skipped: int = 0  # cancelled or expired before their batch started: never written
    checkpoints: int = 0
    deferred: int = 0  # entries put in the backlog (to write once the store is back)
    deferred_written: int = 0  # backlog entries since written
    deferred_dropped: int = 0  # not kept: the backlog was full, or the writer closed


@dataclass
class _Pending:
    entry: Entry
    future: Future[Appended]
    deadline: float | None  # time.monotonic() after which writing it is pointless


class Checkpointer:
    """Signs the chain head every `every_records` entries or `every_seconds` seconds."""

    def __init__(
        self,
        store: AuditStore,
        keys: SigningKeys,
        sink: CheckpointSink,
        *,
        every_records: int = 1000,
        every_seconds: float = 60.0,
    ) -> None:
        self.store = store
        self.keys = keys
        self.sink = sink
        self.every_records = every_records
        self.every_seconds = every_seconds
        self._signed_seq = -1  # unknown until the first look at the sink
        self._signed_at = time.monotonic()

    def due_in(self) -> float:
        return max(0.0, self._signed_at + self.every_seconds - time.monotonic())

    def after_append(self, last_seq: int) -> Checkpoint | None:
        """Called by the writer after each commit; signs if enough entries accumulated."""
        if self._signed_seq < 0:
            self._signed_seq = self._latest_published()
        if last_seq - self._signed_seq >= self.every_records:
            return self.checkpoint()
        return None

    def on_timer(self) -> Checkpoint | None:
        if self.due_in() > 0:
            return None
        return self.checkpoint(only_if_new=True)

    def checkpoint(self, *, only_if_new: bool = False) -> Checkpoint | None:
        """Sign and publish the current head (read from the database: other processes
        may have appended since this one last did)."""
        self._signed_at = time.monotonic()
        head = self.store.head()
        if head is None:
            return None
        trail_id, seq, head_hash = head
        if seq == 0 or (only_if_new and seq <= self._signed_seq):
            return None
        checkpoint = Checkpoint.sign(self.keys, trail_id, seq, head_hash)
        self.sink.publish(checkpoint)
        self._signed_seq = seq
        return checkpoint

    def _latest_published(self) -> int:
        try:
            return self.sink.latest_seq(self.store.trail_id)
        except (OSError, ValueError):
            return 0


class BatchWriter:
    """One thread that appends queued entries in batches, in submission order."""

    def __init__(
        self,
        store: AuditStore,
        *,
        checkpointer: Checkpointer | None = None,
        max_batch: int = 128,
        on_error: Callable[[BaseException], None] | None = None,
        backlog_limit: int = 1000,
        retry_seconds: float = 0.5,
        retry_timeout: float = 1.0,
    ) -> None:
        self.store = store
        self.checkpointer = checkpointer
        self.max_batch = max_batch
        self.stats = WriterStats()
        self._on_error = on_error
        self._queue: queue.SimpleQueue[_Pending | object] = queue.SimpleQueue()
        self._closed = False
        self.backlog_limit = backlog_limit
        self.retry_seconds = retry_seconds
        self.retry_timeout = retry_timeout
        self._backlog: OrderedDict[str, Entry] = OrderedDict()
        self._backlog_lock = threading.Lock()
        self._retry_at = 0.0
        self._backlog_failing = False
        # Did the last transaction (batch or backlog) commit? The proxy reads it to decide
        # whether a refusal's outcome is worth waiting for.
        self.store_ok = True
        self._pending = 0  # submitted, not yet settled (committed, failed or cancelled)
        self._pending_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="voile-audit-writer", daemon=True)
        self._thread.start()

    def submit(self, entry: Entry, *, timeout: float | None = None) -> Future[Appended]:
        """Queue `entry`; the future resolves once it is committed (or fails)."""
        future: Future[Appended] = Future()
        if self._closed:
            future.set_exception(RuntimeError("the audit writer is closed"))
            return future
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._pending_lock:
            self._pending += 1
        future.add_done_callback(self._settled)
        self._queue.put(_Pending(entry, future, deadline))
        return future

    def _settled(self, _: Future[Appended]) -> None:
        with self._pending_lock:
            self._pending -= 1

    @property
    def pending(self) -> int:
        """Entries submitted and not yet committed, failed or cancelled: the queue's depth
        (the backlog, counted apart, holds outcomes waiting for the store to come back)."""
        return self._pending

    def defer(self, entry: Entry) -> bool:
        """Keep `entry` to write once the store takes writes again; never waits. A later
        entry of the same request replaces one still waiting (its outcome supersedes).
        False if it was not kept (backlog full, or writer stopped): counted and logged."""
        with self._backlog_lock:
            if not self._thread.is_alive():
                kept = False
            elif entry.request_id in self._backlog:
                self._backlog[entry.request_id] = entry
                kept = True
            else:
                kept = len(self._backlog) < self.backlog_limit
                if kept:
                    self._backlog[entry.request_id] = entry
                    if len(self._backlog) == 1:
                        self._retry_at = time.monotonic() + self.retry_seconds
            if kept:
                self.stats.deferred += 1
            else:
                self.stats.deferred_dropped += 1
        if kept:
            self._queue.put(_WAKE)
        else:
            log.error(
                "audit_backlog_full",
                limit=self.backlog_limit,
                dropped_total=self.stats.deferred_dropped,
            )
        return kept

    @property
    def backlog(self) -> int:
        """Entries waiting in the backlog."""
        return len(self._backlog)

    @property
    def alive(self) -> bool:
        """The thread runs and takes entries."""
        return not self._closed and self._thread.is_alive()

    def close(self, timeout: float = 30.0) -> bool:
        """Write what is queued, sign a last checkpoint, stop. False if that took too long
        (the thread is left to finish; entries still queued were never acknowledged)."""
        if not self._closed:
            self._closed = True
            self._queue.put(_STOP)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            # Wake up for the checkpoint timer and the backlog even when no entry comes.
            timeout = self._next_wake()
            try:
                item: _Pending | object = self._queue.get(timeout=timeout)
            except queue.Empty:
                self._timer()
                continue
            batch: list[_Pending] = []
            while True:
                if item is _STOP:
                    stopping = True
                elif isinstance(item, _Pending):
                    batch.append(item)
                if len(batch) >= self.max_batch:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._write(batch)
            self._timer()
        self._drain_remaining()
        while self._backlog and self._flush_backlog():
            pass
        checkpointer = self.checkpointer
        if checkpointer is not None:
            self._guard(lambda: checkpointer.checkpoint(only_if_new=True))
        with self._backlog_lock:
            if self._backlog:
                self.stats.deferred_dropped += len(self._backlog)
                log.error("audit_backlog_lost_on_close", entries=len(self._backlog))
                self._backlog.clear()

    def _next_wake(self) -> float | None:
        waits = []
        if self.checkpointer is not None:
            waits.append(self.checkpointer.due_in())
        if self._backlog:
            waits.append(self._retry_at - time.monotonic())
        return max(0.001, min(waits)) if waits else None

    def _flush_backlog(self) -> bool:
        """Write up to `max_batch` backlog entries in one transaction; True if it did."""
        with self._backlog_lock:
            items = list(self._backlog.items())[: self.max_batch]
        if not items:
            return False
        try:
            appended = self.store.append([entry for _, entry in items], timeout=self.retry_timeout)
        except Exception as exc:
            self.store_ok = False
            self._retry_at = time.monotonic() + self.retry_seconds
            if not self._backlog_failing:  # one line per outage, not one per retry
                log.warning(
                    "audit_backlog_waiting",
                    entries=len(self._backlog),
                    error_type=type(exc).__name__,
                )
            self._backlog_failing = True
            return False
        self.store_ok = True
        self._backlog_failing = False
        with self._backlog_lock:
            for request_id, entry in items:
                if self._backlog.get(request_id) is entry:
                    del self._backlog[request_id]
            self.stats.deferred_written += len(items)
            remaining = len(self._backlog)
            if remaining:
                self._retry_at = time.monotonic()  # the rest, at the next turn
        log.info(
            "audit_backlog_written",
            entries=len(items),
            remaining=remaining,
            first_seq=appended[0].seq,
        )
        checkpointer = self.checkpointer
        if checkpointer is not None:
            last = appended[-1].seq
            self._guard(lambda: checkpointer.after_append(last))
        return True

    def _drain_remaining(self) -> None:
        leftover: list[_Pending] = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, _Pending):
                leftover.append(item)
        for start in range(0, len(leftover), self.max_batch):
            self._write(leftover[start : start + self.max_batch])

    def _write(self, batch: list[_Pending]) -> None:
        now = time.monotonic()
        live: list[_Pending] = []
        for pending in batch:
            # From here on the caller can no longer cancel: the entry may be written.
            if not pending.future.set_running_or_notify_cancel():
                self.stats.skipped += 1
            elif pending.deadline is not None and pending.deadline <= now:
                self.stats.skipped += 1
                pending.future.set_exception(TimeoutError("the audit entry expired in the queue"))
            else:
                live.append(pending)
        if not live:
            return
        deadlines = [p.deadline for p in live if p.deadline is not None]
        timeout = max(0.05, min(deadlines) - now) if deadlines else None
        try:
            appended = self.store.append([p.entry for p in live], timeout=timeout)
        except BaseException as exc:
            self.store_ok = False
            self.stats.failed_batches += 1
            for pending in live:
                pending.future.set_exception(exc)
            if self._on_error is not None:
                self._on_error(exc)
            return
        self.store_ok = True
        self.stats.entries += len(live)
        self.stats.batches += 1
        self.stats.largest_batch = max(self.stats.largest_batch, len(live))
        for pending, result in zip(live, appended, strict=True):
            pending.future.set_result(result)
        checkpointer = self.checkpointer
        if checkpointer is not None:
            last = appended[-1].seq
            self._guard(lambda: checkpointer.after_append(last))
        if self._backlog:  # the store takes writes: the backlog need not wait its timer
            self._flush_backlog()

    def _timer(self) -> None:
        if self.checkpointer is not None:
            self._guard(self.checkpointer.on_timer)
        if self._backlog and time.monotonic() >= self._retry_at:
            self._flush_backlog()

    def _guard(self, action: Callable[[], Checkpoint | None]) -> None:
        """A checkpoint that fails is logged and retried at the next trigger: it must not
        stop the writer (records still need writing)."""
        try:
            if action() is not None:
                self.stats.checkpoints += 1
        except Exception as exc:
            log.error("audit_checkpoint_failed", error_type=type(exc).__name__)
