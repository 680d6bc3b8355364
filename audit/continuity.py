"""A trail cannot be swapped or lost without anyone noticing: who may create one, and what
`voile serve` checks before it writes a single entry.

Signed checkpoints (`audit.checkpoints`) live outside the database. They are what makes a
deleted, replaced or rolled-back database visible: a fresh, empty, perfectly valid chain
cannot match checkpoints signed for the one it replaced. Three rules keep it that way:

1. Only `voile serve` creates a trail, and only on first run: no trail in the database and
   no checkpoint in the sink. A missing database beside a non-empty sink is an error (the
   trail was lost: restore it), for `serve` as for everyone.
2. The compliance CLI never creates one (`create=False`): against a missing database it
   fails and leaves no file behind, where it used to start a fresh, empty trail that the
   next `verify` would have called intact.
3. Before serving, the trail is checked against the sink, cheaply (one checkpoint per
   trail, not a full verification): the sink holds another trail's checkpoints
   (`replaced`); this trail's latest checkpoint lies beyond its head (`truncated`); or
   the entry it covers has another hash (`rolled_back`). `serve` then refuses to start.
   Signatures are not checked here (`voile audit verify` does): any checkpoint document is
   evidence, and refusing to start is the safe side of a doubt.

While serving, `AuditStore` itself notices a database replaced or removed under it (see
its `check_file` and trail id check): every write then fails, so requests are refused.
"""

from __future__ import annotations

from collections.abc import Callable

from audit.checkpoints import CheckpointSink
from audit.envelope import Period
from audit.errors import AuditStoreError
from audit.keys import KeyProvider
from audit.store import AuditStore, store_location, trail_exists

_HOW_TO = (
    "`voile audit verify` names what is missing. Restore the database from a backup; "
    "if the old trail was retired on purpose, move its checkpoints out of the "
    "checkpoint directory with it"
)


class TrailContradiction(AuditStoreError):
    """The database and the checkpoint sink disagree; `problem` uses verify's words."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(f"{problem}: {message}")
        self.problem = problem


def open_trail(
    url: str,
    keys: Callable[[], KeyProvider],
    sink: CheckpointSink,
    *,
    create: bool,
    data_key_period: Period = "month",
) -> tuple[AuditStore, int]:
    """The store of an existing trail (migrated if it is an old one), with the number of
    entries a migration chained. `create` (`voile serve` only): may create the trail on
    first run, and refuses a trail that contradicts the sink. `keys` is called only once
    the trail is known to exist or may be created: a refused command creates no key file.
    """
    if not trail_exists(url):
        others = sink.trails()
        where = store_location(url)
        if others:
            raise TrailContradiction(
                "replaced",
                f"there is no audit trail in the {where}, but the checkpoint directory "
                f"holds checkpoints of trail {others[0]}: the trail was deleted, or the "
                f"database replaced. {_HOW_TO}. Only a first run (no checkpoint yet) "
                "creates a trail.",
            )
        if not create:
            raise AuditStoreError(
                f"there is no audit trail in the {where}: wrong --config? `voile serve` "
                "creates the trail on its first run; this command never does"
            )
    store = AuditStore(url, keys(), data_key_period=data_key_period)
    try:
        migrated = store.create_schema()
        if create:
            check_continuity(store, sink)
    except BaseException:
        store.close()
        raise
    return store, migrated


def check_continuity(store: AuditStore, sink: CheckpointSink) -> None:
    """Raise `TrailContradiction` if the sink holds a checkpoint the trail cannot account
    for (rule 3 above)."""
    head = store.head()
    if head is None:
        raise AuditStoreError("the audit trail has no chain head")
    trail_id, last, _ = head
    for other in sink.trails():
        if other == trail_id:
            continue
        latest = sink.latest(other)
        covered = (
            f" (up to its entry #{latest.checkpoint.seq})"
            if latest is not None and latest.checkpoint is not None
            else ""
        )
        raise TrailContradiction(
            "replaced",
            f"the checkpoint directory holds checkpoints of trail {other}{covered}, but the "
            f"{store.location} holds trail {trail_id} ({last} entries): the trail was "
            f"replaced (its database deleted, swapped or recreated). {_HOW_TO}.",
        )
    stored = sink.latest(trail_id)
    if stored is None:
        return
    checkpoint = stored.checkpoint
    if checkpoint is None:
        raise TrailContradiction(
            "checkpoint_invalid",
            f"the latest checkpoint of trail {trail_id} ({stored.name}) cannot be read "
            f"({stored.error}). {_HOW_TO}.",
        )
    record = store.get(checkpoint.seq) if checkpoint.seq <= last else None
    if record is None:
        raise TrailContradiction(
            "truncated",
            f"checkpoint {stored.name} covers entry #{checkpoint.seq} of trail {trail_id}, "
            f"but the trail ends at #{last}: its tail was deleted, or an older copy of the "
            f"database was put back. {_HOW_TO}.",
        )
    if record.chain_hash != checkpoint.head_hash:
        raise TrailContradiction(
            "rolled_back",
            f"entry #{checkpoint.seq} of trail {trail_id} differs from checkpoint "
            f"{stored.name}: the trail was rolled back or rewritten. {_HOW_TO}.",
        )
