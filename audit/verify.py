"""Offline verification of a whole trail: what is wrong, and where it starts. No I/O here.

`verify` reads the stored entries in sequence order (from a `TrailSource`: the database,
or a list in tests), recomputes every hash, checks every link, MAC, payload digest, data
key tombstone and signed checkpoint, and returns a `Report` whose first finding names the
first bad entry and what happened to it:

| problem | what the trail shows |
|---|---|
| modified | an entry's content no longer matches its hash, or its payload its digest |
| deleted | a gap in the sequence, or an entry whose predecessor is not the one it followed |
| inserted | an entry sits where another was written, or beyond the head; or it has no valid MAC |
| reordered | two entries exchanged their places |
| relocated | an entry holds another entry's ciphertext |
| truncated | the last entries are gone (the head row or a checkpoint says they existed) |
| rolled_back | the trail no longer matches a signed checkpoint (an older copy was put back) |
| replaced | the checkpoint sink holds checkpoints of another trail: this one took its place |
| forged | an entry has a valid hash but no valid MAC: written without the chain key |
| key_destroyed | a data key was destroyed without an erasure or purge entry saying so |
| key_missing | an entry's data key is gone entirely |
| payload_missing | a payload was removed without a purge entry covering it |
| checkpoint_invalid | a checkpoint that does not parse or whose signature does not verify |

Legitimate removals are not findings: payloads purged under a `purge` entry, and keys
destroyed under an `erasure` or `purge` entry that lists them, are counted in the report.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from audit.chain import SQLITE_TIME, chain_hash, entry_mac, genesis_hash, payload_digest
from audit.checkpoints import Checkpoint, PublicKeys, StoredCheckpoint

Row = Mapping[str, Any]
MAX_FINDINGS = 50


class Problem(StrEnum):
    MODIFIED = "modified"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"
    RELOCATED = "relocated"
    TRUNCATED = "truncated"
    ROLLED_BACK = "rolled_back"
    REPLACED = "replaced"
    FORGED = "forged"
    KEY_DESTROYED = "key_destroyed"
    KEY_MISSING = "key_missing"
    PAYLOAD_MISSING = "payload_missing"
    CHECKPOINT_INVALID = "checkpoint_invalid"


@dataclass(frozen=True)
class Finding:
    problem: Problem
    seq: int | None  # the entry it is about; None for a checkpoint file or the head row
    detail: str

    def __str__(self) -> str:
        where = f"entry #{self.seq}" if self.seq is not None else "trail"
        return f"{where}: {self.problem.value}: {self.detail}"


@dataclass(frozen=True)
class KeyTombstone:
    """A destroyed data key as `audit_data_keys` shows it."""

    key_id: str
    destroyed_seq: int | None
    reason: str | None


@dataclass(frozen=True)
class HeadState:
    seq: int
    head_hash: str


class TrailSource(Protocol):
    """What the verifier reads. `rows` may be called more than once; each call starts over."""

    trail_id: str

    def rows(self, kinds: Sequence[str] | None = None) -> Iterable[Row]:
        """Stored entries in ascending `seq`, every column of `audit.chain.STORED_COLUMNS`."""
        ...

    def row_at(self, seq: int) -> Row | None: ...

    def row_with_hash(self, chain_hash_hex: str) -> Row | None: ...

    def seq_with_payload_digest(self, digest: str, other_than: int) -> int | None: ...

    def head(self) -> HeadState | None: ...

    def destroyed_keys(self) -> list[KeyTombstone]: ...

    def missing_keys(self) -> list[tuple[str, int]]:
        """(key id, first entry using it) for data keys absent from audit_data_keys."""
        ...


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    entries: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    kinds: dict[str, int] = field(default_factory=dict)
    macs_checked: bool = False
    checkpoints: int = 0
    checkpoints_matched: int = 0
    anchored_seq: int = 0  # the highest entry a valid checkpoint matched
    purged_payloads: int = 0
    destroyed_keys: int = 0
    incomplete_requests: int = 0  # intents with no outcome (e.g. the proxy was killed)
    more_findings: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def unanchored(self) -> int:
        """Entries after the last matched checkpoint: a truncation of these goes unseen."""
        return max(0, (self.last_seq or 0) - self.anchored_seq)

    def add(self, finding: Finding) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)
        else:
            self.more_findings += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "kinds": dict(sorted(self.kinds.items())),
            "macs_checked": self.macs_checked,
            "checkpoints": self.checkpoints,
            "checkpoints_matched": self.checkpoints_matched,
            "anchored_seq": self.anchored_seq,
            "unanchored": self.unanchored,
            "purged_payloads": self.purged_payloads,
            "destroyed_keys": self.destroyed_keys,
            "incomplete_requests": self.incomplete_requests,
            "findings": [
                {"seq": f.seq, "problem": f.problem.value, "detail": f.detail}
                for f in self.findings
            ],
            "more_findings": self.more_findings,
        }


def verify(
    source: TrailSource,
    *,
    checkpoints: Sequence[StoredCheckpoint] = (),
    public_keys: PublicKeys | None = None,
    mac_keys: Mapping[str, bytes] | None = None,
    foreign: Sequence[StoredCheckpoint] = (),
) -> Report:
    """Check everything; `mac_keys` (chain key id -> key) None skips the MAC check.

    `foreign`: the latest checkpoint of every *other* trail the sink holds. A trail the
    sink knows nothing of is not proof of anything, but a sink that holds another trail's
    checkpoints says this database once held that trail: each one is a `replaced` finding
    (an unreadable or untrusted one is `checkpoint_invalid`)."""
    report = Report(macs_checked=mac_keys is not None)
    _replaced(source.trail_id, foreign, public_keys, report)
    trusted = _trusted_checkpoints(source.trail_id, checkpoints, public_keys, report)
    purges = _purge_cutoffs(source)
    walker = _Walker(source, report, mac_keys, trusted, purges)
    for row in source.rows():
        walker.step(row)
    walker.finish(source.head())
    _check_keys(source, report, walker.key_entries)
    return report


def _trusted_checkpoints(
    trail_id: str,
    stored: Sequence[StoredCheckpoint],
    keys: PublicKeys | None,
    report: Report,
) -> list[Checkpoint]:
    trusted = []
    for item in stored:
        report.checkpoints += 1
        checkpoint = item.checkpoint
        if checkpoint is None:
            report.add(
                Finding(
                    Problem.CHECKPOINT_INVALID,
                    None,
                    f"checkpoint {item.name} cannot be read ({item.error})",
                )
            )
        elif checkpoint.trail_id != trail_id:
            report.add(
                Finding(
                    Problem.CHECKPOINT_INVALID,
                    None,
                    f"checkpoint {item.name} belongs to another trail",
                )
            )
        elif keys is not None and not checkpoint.verified_by(keys):
            report.add(
                Finding(
                    Problem.CHECKPOINT_INVALID,
                    None,
                    f"checkpoint {item.name} (entry #{checkpoint.seq}) is not signed by a trusted "
                    f"key (signer {checkpoint.signer}): forged or altered",
                )
            )
        else:
            trusted.append(checkpoint)
    return sorted(trusted, key=lambda c: (c.seq, c.signed_at))


def _replaced(
    trail_id: str,
    foreign: Sequence[StoredCheckpoint],
    keys: PublicKeys | None,
    report: Report,
) -> None:
    for item in foreign:
        checkpoint = item.checkpoint
        if checkpoint is None:
            report.add(
                Finding(
                    Problem.CHECKPOINT_INVALID,
                    None,
                    f"checkpoint {item.name} cannot be read ({item.error})",
                )
            )
        elif checkpoint.trail_id == trail_id:
            continue
        elif keys is not None and not checkpoint.verified_by(keys):
            report.add(
                Finding(
                    Problem.CHECKPOINT_INVALID,
                    None,
                    f"checkpoint {item.name} of another trail ({checkpoint.trail_id}) is not "
                    f"signed by a trusted key (signer {checkpoint.signer}): forged or altered",
                )
            )
        else:
            report.add(
                Finding(
                    Problem.REPLACED,
                    None,
                    f"the checkpoint sink holds checkpoints of trail {checkpoint.trail_id} (the "
                    f"latest covers its entry #{checkpoint.seq}, signed at "
                    f"{checkpoint.signed_at:%Y-%m-%d %H:%M:%S} UTC) that this database does not "
                    f"hold: trail {trail_id} took its place (the database was deleted, swapped "
                    "or recreated)",
                )
            )


def _purge_cutoffs(source: TrailSource) -> list[tuple[int, datetime]]:
    """(purge entry seq, cutoff) of every purge entry: payloads it may have removed."""
    cutoffs = []
    for row in source.rows(kinds=("purge",)):
        before = _details(row).get("before")
        if isinstance(before, str):
            try:
                cutoffs.append((int(row["seq"]), _parse_time(before)))
            except ValueError:
                continue
    return cutoffs


class _Walker:
    """One pass over the entries in sequence order."""

    def __init__(
        self,
        source: TrailSource,
        report: Report,
        mac_keys: Mapping[str, bytes] | None,
        checkpoints: list[Checkpoint],
        purges: list[tuple[int, datetime]],
    ) -> None:
        self.source = source
        self.report = report
        self.mac_keys = mac_keys
        self.pending = list(checkpoints)  # sorted by seq; consumed as rows pass them
        self.purges = purges
        self.genesis = genesis_hash(source.trail_id)
        self.prev: Row | None = None
        self.expected = 1
        self.open_intents: set[str] = set()
        self.key_entries: dict[int, set[str]] = {}  # erasure/purge seq -> key ids it lists
        self.last_matched_seq = 0
        self.first_late: int | None = None  # first entry written after the next checkpoint

    def step(self, row: Row) -> None:
        report = self.report
        seq = row.get("seq")
        if type(seq) is not int:
            report.add(
                Finding(
                    Problem.MODIFIED,
                    None,
                    f"an entry has a sequence number of type {type(seq).__name__}",
                )
            )
            return
        report.entries += 1
        report.first_seq = seq if report.first_seq is None else report.first_seq
        report.last_seq = seq
        kind = row.get("kind")
        report.kinds[str(kind)] = report.kinds.get(str(kind), 0) + 1

        finding = self._chain_finding(row, seq)
        if finding is None:
            finding = self._payload_finding(row, seq)
        if finding is not None:
            report.add(finding)
        self._note(row, seq, kind)
        self._check_checkpoints(row, seq)
        self.prev = row
        self.expected = seq + 1

    def _chain_finding(self, row: Row, seq: int) -> Finding | None:  # noqa: PLR0911 - per case
        self_ok = chain_hash(row) == row.get("chain_hash")
        # The predecessor's stored hash, or the one its content gives (if only its stored
        # hash was altered, that entry is the finding, not this one).
        if self.prev is None:
            linked = row.get("prev_hash") == self.genesis
        else:
            prev_hash = row.get("prev_hash")
            linked = prev_hash == self.prev.get("chain_hash") or prev_hash == chain_hash(self.prev)
        if not self_ok:
            return self._explain_mismatch(row, seq)
        if self.mac_keys is not None and not self._mac_ok(row):
            return Finding(
                Problem.FORGED,
                seq,
                "its hash is consistent but its MAC is not: it was written without "
                "the trail's chain key (an inserted entry, or one rewritten with "
                "recomputed hashes)",
            )
        if linked and seq == self.expected:
            return None
        if seq > self.expected:
            missing = (
                f"#{self.expected}" if seq == self.expected + 1 else f"#{self.expected}..#{seq - 1}"
            )
            return Finding(Problem.DELETED, seq, f"entries {missing} are missing (gap before it)")
        if linked:  # numbering broken but linked: only a writer with the keys does this
            return Finding(Problem.MODIFIED, seq, f"it follows #{seq - 1} but is numbered #{seq}")
        before = self._row_with_hash(row.get("prev_hash"))
        if before is None and row.get("prev_hash") != self.genesis:
            return Finding(
                Problem.DELETED,
                seq,
                "the entry it was written after is gone, and the one now before it "
                f"(#{seq - 1}) was not there when it was written",
            )
        where = "the start" if before is None else f"#{before.get('seq')}"
        return Finding(
            Problem.REORDERED, seq, f"it was written after {where}, not after #{seq - 1}"
        )

    def _explain_mismatch(self, row: Row, seq: int) -> Finding:
        """Content and hash disagree: moved (its content is intact under another seq),
        carrying another entry's payload, or plainly modified."""
        written_as = self._written_as(row)
        if written_as is not None and written_as != seq:
            other = self.source.row_at(written_as)
            if other is not None and self._written_as(other) == seq:
                return Finding(
                    Problem.REORDERED, seq, f"it was written as #{written_as} and swapped with it"
                )
            if written_as < seq:
                return Finding(
                    Problem.INSERTED,
                    written_as,
                    f"entry written as #{written_as} is now #{seq}: an entry was "
                    f"inserted at #{written_as} and the rest renumbered",
                )
            return Finding(
                Problem.DELETED,
                seq,
                f"it was written as #{written_as}: entries before it were deleted "
                "and the rest renumbered",
            )
        digest = row.get("payload_digest")
        if isinstance(digest, str):
            donor = self.source.seq_with_payload_digest(digest, other_than=seq)
            if donor is not None:
                return Finding(
                    Problem.RELOCATED,
                    seq,
                    f"it holds the ciphertext (and digest) of entry #{donor}",
                )
        return Finding(Problem.MODIFIED, seq, "its content does not match its hash")

    def _written_as(self, row: Row, depth: int = 3) -> int | None:
        """The seq under which this row's content verifies: its own if it does; else the
        one after the entry its prev_hash names (itself possibly moved), else a nearby one
        (a renumbering after a deletion); None if its content was changed."""
        stored_hash, seq = row.get("chain_hash"), row.get("seq")
        if chain_hash(row) == stored_hash:
            return seq if type(seq) is int else None
        candidates: list[int] = []
        prev_hash = row.get("prev_hash")
        if prev_hash == self.genesis:
            candidates.append(1)
        elif depth > 0:
            before = self._row_with_hash(prev_hash)
            before_seq = self._written_as(before, depth - 1) if before is not None else None
            if before_seq is not None:
                candidates.append(before_seq + 1)
        if type(seq) is int:
            candidates += [seq + d for d in (1, -1, 2, -2, 3, -3) if seq + d > 0]
        for candidate in candidates:
            if chain_hash({**row, "seq": candidate}) == stored_hash:
                return candidate
        return None

    def _row_with_hash(self, value: object) -> Row | None:
        if not isinstance(value, str) or len(value) != 64:
            return None
        return self.source.row_with_hash(value)

    def _mac_ok(self, row: Row) -> bool:
        assert self.mac_keys is not None
        key = self.mac_keys.get(str(row.get("mac_key_id")))
        stored_hash, mac = row.get("chain_hash"), row.get("mac")
        if key is None or not isinstance(stored_hash, str) or not isinstance(mac, str):
            return False
        expected = entry_mac(key, stored_hash).encode()
        return hmac.compare_digest(expected, mac.encode("utf-8", "surrogatepass"))

    def _payload_finding(self, row: Row, seq: int) -> Finding | None:
        payload, digest = row.get("payload"), row.get("payload_digest")
        if payload is not None:
            actual = (
                payload_digest(bytes(payload))
                if isinstance(payload, bytes | memoryview)
                else hashlib.sha256(repr(payload).encode()).hexdigest()
            )
            if actual == digest:
                return None
            donor = self.source.seq_with_payload_digest(actual, other_than=seq)
            if donor is not None:
                return Finding(Problem.RELOCATED, seq, f"it holds the ciphertext of entry #{donor}")
            return Finding(Problem.MODIFIED, seq, "its payload does not match its digest")
        if digest is None:
            return None  # an entry without payload (purge, erasure, migration)
        occurred = _as_time(row.get("occurred_at"))
        if occurred is not None and any(
            purge_seq > seq and occurred < cutoff for purge_seq, cutoff in self.purges
        ):
            self.report.purged_payloads += 1
            return None
        return Finding(
            Problem.PAYLOAD_MISSING, seq, "its payload was removed, and no purge entry covers it"
        )

    def _note(self, row: Row, seq: int, kind: object) -> None:
        request_id = row.get("request_id")
        if kind == "intent" and isinstance(request_id, str):
            self.open_intents.add(request_id)
        elif kind == "outcome" and isinstance(request_id, str):
            self.open_intents.discard(request_id)
        elif kind in ("erasure", "purge"):
            keys = _details(row).get("keys")
            if isinstance(keys, list):
                self.key_entries[seq] = {str(k) for k in keys}

    def _check_checkpoints(self, row: Row, seq: int) -> None:
        if not self.pending:
            return
        upcoming = self.pending[0]
        written = _as_time(row.get("written_at"))
        if self.first_late is None and written is not None and written > upcoming.signed_at:
            self.first_late = seq
        while self.pending and self.pending[0].seq <= seq:
            checkpoint = self.pending.pop(0)
            if checkpoint.seq == seq and row.get("chain_hash") == checkpoint.head_hash:
                self.report.checkpoints_matched += 1
                self.report.anchored_seq = max(self.report.anchored_seq, seq)
                self.last_matched_seq = seq
            elif checkpoint.seq == seq:
                self.report.add(self._rollback(checkpoint))
            self.first_late = None

    def _rollback(self, checkpoint: Checkpoint) -> Finding:
        first = self.first_late if self.first_late is not None else self.last_matched_seq + 1
        return Finding(
            Problem.ROLLED_BACK,
            first,
            f"entry #{checkpoint.seq} differs from the checkpoint signed at "
            f"{checkpoint.signed_at:%Y-%m-%d %H:%M:%S} UTC: the trail was rolled back behind "
            f"it (an older copy put back, then written over) or rewritten from #{first} on",
        )

    def finish(self, head: HeadState | None) -> None:
        report = self.report
        last = report.last_seq or 0
        report.incomplete_requests = len(self.open_intents)
        beyond = [c for c in self.pending if c.seq > last]
        if head is not None and head.seq > last:
            report.add(
                Finding(
                    Problem.TRUNCATED,
                    last + 1 if last else 1,
                    f"entries #{last + 1}..#{head.seq} are gone: the chain head says the trail "
                    f"reached #{head.seq}, the last entry stored is #{last}",
                )
            )
        elif beyond:
            checkpoint = max(beyond, key=lambda c: c.seq)
            report.add(
                Finding(
                    Problem.ROLLED_BACK,
                    last + 1,
                    f"the trail ends at #{last} but a checkpoint signed at "
                    f"{checkpoint.signed_at:%Y-%m-%d %H:%M:%S} UTC covers #{checkpoint.seq}: it "
                    "was rolled back (an older copy put back) or its tail was deleted",
                )
            )
        elif head is not None and head.seq < last:
            report.add(
                Finding(
                    Problem.INSERTED,
                    head.seq + 1,
                    f"entries #{head.seq + 1}..#{last} were added outside Voile: the chain head "
                    f"says the trail ends at #{head.seq}",
                )
            )
        elif (
            head is not None
            and self.prev is not None
            and head.head_hash != self.prev.get("chain_hash")
        ):
            report.add(
                Finding(
                    Problem.MODIFIED,
                    last,
                    "the chain head row does not match the last entry's hash",
                )
            )


def _check_keys(source: TrailSource, report: Report, key_entries: dict[int, set[str]]) -> None:
    for tombstone in source.destroyed_keys():
        listed = key_entries.get(tombstone.destroyed_seq or -1, set())
        if tombstone.key_id in listed:
            report.destroyed_keys += 1
        else:
            report.add(
                Finding(
                    Problem.KEY_DESTROYED,
                    tombstone.destroyed_seq,
                    f"data key {tombstone.key_id} was destroyed "
                    f"({tombstone.reason or 'no reason'}) "
                    "without an erasure or purge entry that lists it",
                )
            )
    for key_id, first_seq in source.missing_keys():
        report.add(
            Finding(
                Problem.KEY_MISSING, first_seq, f"data key {key_id} is missing from audit_data_keys"
            )
        )


def _details(row: Row) -> dict[str, Any]:
    raw = row.get("details")
    if not isinstance(raw, str):
        return {}
    try:
        document = json.loads(raw)
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}


def _parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _as_time(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            return datetime.strptime(value, SQLITE_TIME).replace(tzinfo=UTC)
        except ValueError:
            return None
    return None


class ListSource:
    """A trail held in memory (tests, exports): rows as dicts, sorted by seq on read."""

    def __init__(
        self,
        trail_id: str,
        rows: Iterable[Row],
        *,
        head: HeadState | None = None,
        destroyed: Sequence[KeyTombstone] = (),
        known_keys: Iterable[str] | None = None,
    ) -> None:
        self.trail_id = trail_id
        self._rows = [dict(row) for row in rows]
        self._head = head
        self._destroyed = list(destroyed)
        self._known_keys = None if known_keys is None else set(known_keys)

    def rows(self, kinds: Sequence[str] | None = None) -> Iterator[Row]:
        ordered = sorted(self._rows, key=lambda r: _sort_key(r.get("seq")))
        return iter([r for r in ordered if kinds is None or r.get("kind") in kinds])

    def row_at(self, seq: int) -> Row | None:
        return next((r for r in self._rows if r.get("seq") == seq), None)

    def row_with_hash(self, chain_hash_hex: str) -> Row | None:
        return next((r for r in self._rows if r.get("chain_hash") == chain_hash_hex), None)

    def seq_with_payload_digest(self, digest: str, other_than: int) -> int | None:
        for row in self._rows:
            if row.get("payload_digest") == digest and row.get("seq") != other_than:
                seq = row.get("seq")
                return seq if type(seq) is int else None
        return None

    def head(self) -> HeadState | None:
        return self._head

    def destroyed_keys(self) -> list[KeyTombstone]:
        return list(self._destroyed)

    def missing_keys(self) -> list[tuple[str, int]]:
        if self._known_keys is None:
            return []
        missing: dict[str, int] = {}
        for row in self.rows():
            key_id = row.get("key_id")
            if (
                isinstance(key_id, str)
                and not key_id.startswith("v1:")
                and key_id not in self._known_keys
            ):
                missing.setdefault(key_id, int(row["seq"]))
        return sorted(missing.items(), key=lambda item: item[1])


def _sort_key(seq: object) -> tuple[int, int]:
    return (0, seq) if type(seq) is int else (1, 0)
