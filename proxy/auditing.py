"""The proxy's side of the audit trail: write-ahead before forwarding, outcome after.

Every forwarded request leaves two entries: an `intent` (the masked request, written and
committed *before* anything is sent to the provider) and an `outcome` (status, usage, the
answer; written before a whole answer is delivered, at the end of a stream). A request
refused before forwarding leaves only its outcome. If the store cannot take the intent
within `audit.timeout_seconds`, nothing is forwarded (503 `audit_unavailable`); if it
cannot take a whole answer's outcome, the answer is withheld (503).

Writes go to one writer thread (`audit.writer.BatchWriter`) that batches concurrent
entries into one transaction: under load one fsync serves many requests, and no entry is
acknowledged before its transaction commits. A write that times out is cancelled if it
has not started; if it had, the outcome written next says what really happened.

A refusal costs one timeout, not two, and is not lost. Once a request's entry failed (its
intent: the request is refused; or its outcome: the answer is withheld), its later outcome
is not waited for: it goes to the writer's bounded backlog and is written as soon as the
store takes writes again, and so does any outcome that failed. While the last write
failed, the outcome of a request that was not forwarded (blocked, rejected, failed) is not
waited for either: nothing the client gets depends on it. Refusals are counted
(`counters`), with the backlog's own figures.

Readiness (`ready`) probes the real write path (`AuditStore.probe`: the write lock taken,
the trail and the SQLite file checked, rolled back), at most once per `PROBE_EVERY_S`
whatever the number of health checks, with a short timeout.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future

from audit.checkpoints import DirectorySink, SigningKeys
from audit.continuity import open_trail
from audit.events import AuditEvent, Decision, Entry, EntryKind
from audit.keys import KeyProvider
from audit.store import Appended, AuditStore
from audit.writer import BatchWriter, Checkpointer, WriterStats
from proxy.config import Config
from proxy.errors import AuditUnavailable
from proxy.logging import get_logger
from proxy.metrics import Metrics

log = get_logger("voile.audit")

PROBE_EVERY_S = 1.0  # readiness probes the store at most this often, however often asked
PROBE_TIMEOUT_S = 1.0  # and gives it this long (or the audit timeout, if shorter)
_FAILED_MEMORY = 4096  # request ids whose entry failed, awaiting their outcome


class AuditWriter:
    def __init__(
        self,
        store: AuditStore,
        timeout_seconds: float,
        *,
        checkpointer: Checkpointer | None = None,
        max_batch: int = 128,
        drain_seconds: float = 30.0,
        backlog_limit: int = 1000,
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self._metrics = metrics
        self._timeout = timeout_seconds
        self._drain = drain_seconds
        self._writer = BatchWriter(
            store,
            checkpointer=checkpointer,
            max_batch=max_batch,
            backlog_limit=backlog_limit,
            retry_timeout=min(timeout_seconds, PROBE_TIMEOUT_S),
        )
        # Writes that failed or timed out: each one refused a request, withheld an
        # answer, or left a refused request's outcome to the backlog.
        self.failed_writes = 0
        self.refused = 0  # requests refused: their intent could not be written
        self.withheld = 0  # answers withheld: their outcome could not be written
        self._failed: OrderedDict[str, bool] = OrderedDict()
        self._probe_timeout = min(timeout_seconds, PROBE_TIMEOUT_S)
        self._probe: asyncio.Task[bool] | None = None
        self._probed_at = 0.0
        self._ready = True

    @property
    def stats(self) -> WriterStats:
        return self._writer.stats

    def counters(self) -> dict[str, int]:
        """Prometheus-style figures for the metrics endpoint: counts only."""
        stats = self._writer.stats
        return {
            "voile_audit_refused_total": self.refused,
            "voile_audit_withheld_total": self.withheld,
            "voile_audit_failed_writes_total": self.failed_writes,
            "voile_audit_deferred_total": stats.deferred,
            "voile_audit_deferred_written_total": stats.deferred_written,
            "voile_audit_deferred_dropped_total": stats.deferred_dropped,
            "voile_audit_backlog": self._writer.backlog,
            "voile_audit_queue_depth": self._writer.pending,
        }

    async def intent(self, event: AuditEvent) -> int:
        """Write-ahead: returns once the intent is committed; AuditUnavailable otherwise."""
        return await self._submit(Entry.intent(event), "so it was not forwarded")

    async def write(self, event: AuditEvent) -> int:
        """The request's outcome; returns its sequence number once committed.

        Not waited for (deferred to the backlog, AuditUnavailable at once) when an entry
        of the same request already failed, or when the store is failing and the request
        was not forwarded: a refusal waits one audit timeout, not two."""
        entry = Entry.outcome(event)
        already_failed = self._failed.pop(entry.request_id, False)
        if already_failed or (
            not self._writer.store_ok and entry.decision is not Decision.FORWARDED
        ):
            kept = self._writer.defer(entry)
            log.warning(
                "audit_outcome_deferred",
                request_id=entry.request_id,
                kept=kept,
                backlog=self._writer.backlog,
            )
            raise AuditUnavailable(
                "The audit trail cannot record this request now; its outcome is kept to be "
                "written when the store is back."
            )
        return await self._submit(entry, "so its answer is withheld")

    async def _submit(self, entry: Entry, consequence: str) -> int:
        started = time.perf_counter()
        future = self._writer.submit(entry, timeout=self._timeout)
        try:
            appended = await asyncio.wait_for(asyncio.wrap_future(future), self._timeout)
        except Exception as exc:
            future.cancel()  # not written at all if its batch has not started yet
            self._note_failure(entry, future)
            # The exception text may come from the database driver; log its type only.
            log.error(
                "audit_write_failed",
                request_id=entry.request_id,
                kind=entry.kind.value,
                error_type=type(exc).__name__,
                failed_total=self.failed_writes,
            )
            raise AuditUnavailable(
                f"The audit trail cannot record this request, {consequence}."
            ) from None
        finally:
            if self._metrics is not None:
                self._metrics.audit_write(entry.kind.value, time.perf_counter() - started)
        return appended.seq

    def _note_failure(self, entry: Entry, future: Future[Appended]) -> None:
        self.failed_writes += 1
        if entry.kind is EntryKind.INTENT:
            self.refused += 1
        elif entry.decision is Decision.FORWARDED:
            self.withheld += 1
        self._failed[entry.request_id] = True
        while len(self._failed) > _FAILED_MEMORY:
            self._failed.popitem(last=False)
        if entry.kind is EntryKind.OUTCOME:
            # An outcome is kept for later unless its batch, already started, commits it.
            # (An intent never is: a refused request must not appear as forwarded.)
            future.add_done_callback(lambda done: self._defer_unless_written(entry, done))

    def _defer_unless_written(self, entry: Entry, future: Future[Appended]) -> None:
        if future.cancelled() or future.exception() is not None:
            self._writer.defer(entry)

    async def ready(self) -> bool:
        """Could an entry be committed now? The writer thread alive, and a probe of the
        store's write path that passed; probed at most once per PROBE_EVERY_S, and callers
        that ask meanwhile share the last answer or the probe in flight."""
        if not self._writer.alive:
            return False
        loop = asyncio.get_running_loop()
        if self._probe is None or (
            self._probe.done() and loop.time() - self._probed_at >= PROBE_EVERY_S
        ):
            self._probed_at = loop.time()
            self._probe = loop.create_task(self._run_probe())
        probe = self._probe
        if not probe.done():
            try:
                return await asyncio.wait_for(asyncio.shield(probe), self._probe_timeout + 0.5)
            except TimeoutError:  # a hung database: not ready; the probe ends on its own
                return False
        return probe.result()

    async def _run_probe(self) -> bool:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, self.store.probe, self._probe_timeout)
        except Exception as exc:  # any failure means not ready; its text is not logged
            if self._ready:
                log.error("audit_not_ready", error_type=type(exc).__name__)
            self._ready = False
            return False
        if not self._ready:
            log.info("audit_ready_again")
        self._ready = True
        return True

    async def close(self) -> None:
        """Drain: every queued entry is written (and a last checkpoint signed) before the
        store closes; bounded, so a dead database cannot hold shutdown forever."""
        loop = asyncio.get_running_loop()
        drained = await loop.run_in_executor(None, self._writer.close, self._drain)
        if not drained:
            log.error("audit_drain_incomplete", seconds=self._drain)
        log.info(
            "audit_writer_closed",
            entries=self.stats.entries,
            batches=self.stats.batches,
            largest_batch=self.stats.largest_batch,
            failed=self.failed_writes,
            checkpoints=self.stats.checkpoints,
            refused=self.refused,
            deferred_written=self.stats.deferred_written,
            deferred_dropped=self.stats.deferred_dropped,
        )
        self.store.close()


def open_trail_store(
    config: Config, keys: Callable[[], KeyProvider], *, create: bool
) -> tuple[AuditStore, int]:
    """The configured trail (see `audit.continuity`). `create` is for `voile serve`: it may
    create the trail on first run, and refuses one that contradicts its checkpoints."""
    return open_trail(
        config.audit_url,
        keys,
        DirectorySink(config.audit_checkpoint_dir),
        create=create,
        data_key_period=config.audit.data_key_period,
    )


def open_checkpointer(config: Config, store: AuditStore) -> Checkpointer:
    """The signing key (created on first run, 0600) and the checkpoint directory."""
    keys, created = SigningKeys.load_or_create(config.audit_signing_key_file)
    if created:
        log.warning(
            "audit_signing_key_created",
            path=str(config.audit_signing_key_file),
            note="checkpoints are signed with it; `voile audit public-key` prints "
            "what a verifier needs",
        )
    return Checkpointer(
        store,
        keys,
        DirectorySink(config.audit_checkpoint_dir),
        every_records=config.audit.checkpoint_every_records,
        every_seconds=config.audit.checkpoint_every_seconds,
    )
