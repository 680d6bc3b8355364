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

This module also turns the relay's findings into what the trail records in clear: the
action taken per entity type (the end user's id is read by the wire format's `end_user`,
and the store keeps only a keyed hash of it).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence

from audit.checkpoints import DirectorySink, SigningKeys
from audit.events import AuditEvent, Entry, EntryKind
from audit.store import AuditStore
from audit.writer import BatchWriter, Checkpointer, WriterStats
from proxy.config import Config
from proxy.detection.types import Analysis
from proxy.errors import AuditUnavailable
from proxy.logging import get_logger
from proxy.placeholders import LITERAL_TYPE
from proxy.policy import Action, Policy

log = get_logger("voile.audit")



class AuditWriter:
    def __init__(
        self, store: AuditStore, timeout_seconds: float, *,
        checkpointer: Checkpointer | None = None, max_batch: int = 128,
        drain_seconds: float = 30.0,
    ) -> None:
        self.store = store
        self._timeout = timeout_seconds
        self._drain = drain_seconds
        self._writer = BatchWriter(store, checkpointer=checkpointer, max_batch=max_batch)
        # Writes that failed or timed out: each one refused a request, withheld an
        # answer, or left a refused request's outcome unrecorded.
        self.failed_writes = 0

    @property
    def stats(self) -> WriterStats:
        return self._writer.stats

    async def intent(self, event: AuditEvent) -> int:
        """Write-ahead: returns once the intent is committed; AuditUnavailable otherwise."""
        entry = dataclasses.replace(
            Entry.from_event(event, EntryKind.INTENT),
            status=None, latency_ms=None, prompt_tokens=None, completion_tokens=None,
        )
        return await self._submit(entry, "so it was not forwarded")

    async def write(self, event: AuditEvent) -> int:
        """The request's outcome; returns its sequence number once committed."""
        return await self._submit(
            Entry.from_event(event, EntryKind.OUTCOME), "so its answer is withheld"
        )

    async def _submit(self, entry: Entry, consequence: str) -> int:
        future = self._writer.submit(entry, timeout=self._timeout)
        try:
            appended = await asyncio.wait_for(asyncio.wrap_future(future), self._timeout)
        except Exception as exc:
            future.cancel()  # not written at all if its batch has not started yet
            self.failed_writes += 1
            # The exception text may come from the database driver; log its type only.
            log.error("audit_write_failed", request_id=entry.request_id,
                      kind=entry.kind.value, error_type=type(exc).__name__,
                      failed_total=self.failed_writes)
            raise AuditUnavailable(
                f"The audit trail cannot record this request, {consequence}."
            ) from None
        return appended.seq

    async def close(self) -> None:
        """Drain: every queued entry is written (and a last checkpoint signed) before the
        store closes; bounded, so a dead database cannot hold shutdown forever."""
        loop = asyncio.get_running_loop()
        drained = await loop.run_in_executor(None, self._writer.close, self._drain)
        if not drained:
            log.error("audit_drain_incomplete", seconds=self._drain)
        log.info("audit_writer_closed", entries=self.stats.entries, batches=self.stats.batches,
                 largest_batch=self.stats.largest_batch, failed=self.failed_writes,
                 checkpoints=self.stats.checkpoints)
        self.store.close()


def open_checkpointer(config: Config, store: AuditStore) -> Checkpointer:
    """The signing key (created on first run, 0600) and the checkpoint directory."""
    keys, created = SigningKeys.load_or_create(config.audit_signing_key_file)
    if created:
        log.warning("audit_signing_key_created", path=str(config.audit_signing_key_file),
                    note="checkpoints are signed with it; `voile audit public-key` prints "
                    "what a verifier needs")
    return Checkpointer(
        store, keys, DirectorySink(config.audit_checkpoint_dir),
        every_records=config.audit.checkpoint_every_records,
        every_seconds=config.audit.checkpoint_every_seconds,
    )


def entity_actions(
    analyses: Sequence[Analysis], policy: Policy, entity_counts: Mapping[str, int],
) -> dict[str, dict[str, int]]:
    """Type -> action -> occurrences: what was masked, redacted, hashed or blocked (from
    the masking counts; each type has one action in a policy), plus what the policy let
    leave in clear (`allow`), which masking does not count."""
    actions: dict[str, Counter[str]] = {}
    for kind, count in entity_counts.items():
        action = Action.MASK.value if kind == LITERAL_TYPE else \
            policy.decision_for(kind).action.value
        actions.setdefault(kind, Counter())[action] += count
    for analysis in analyses:
        for finding in analysis.findings:
            decision = policy.decision_for(finding.entity_type)
            if decision.action is Action.ALLOW and finding.score >= decision.min_score:
                actions.setdefault(finding.entity_type, Counter())[Action.ALLOW.value] += 1
    return {kind: dict(counter) for kind, counter in sorted(actions.items())}
