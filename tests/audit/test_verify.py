"""The verifier on a small trail held in memory: every bit of a stored record flipped, and
every structural change (delete, insert, swap, renumber, truncate, relocate, roll back),
each named at the right entry. The rows are exactly what SQLite returned for a real trail.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from audit import chain
from audit.checkpoints import Checkpoint, PublicKeys, SigningKeys, StoredCheckpoint
from audit.events import Decision
from audit.keys import Keyring
from audit.store import AuditStore, _DatabaseSource
from audit.verify import HeadState, KeyTombstone, ListSource, Problem, Report, verify
from tests.audit.support import make_event

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
Row = dict[str, Any]


class Trail:
    """A real trail's rows, its keys, and a verifier over a (possibly tampered) copy."""

    def __init__(self, rows: list[Row], trail_id: str, mac_keys: dict[str, bytes]) -> None:
        self.rows = rows
        self.trail_id = trail_id
        self.mac_keys = mac_keys
        self.signing = SigningKeys.generate()

    def copy(self) -> list[Row]:
        return [dict(row) for row in self.rows]

    def check(
        self,
        rows: list[Row],
        *,
        head: HeadState | bool | None = True,
        checkpoints: Sequence[Checkpoint] = (),
        macs: bool = True,
        destroyed: Sequence[KeyTombstone] = (),
        known_keys: set[str] | None = None,
    ) -> Report:
        if head is True:
            last = self.rows[-1]
            head = HeadState(last["seq"], last["chain_hash"])
        source = ListSource(
            self.trail_id, rows, head=head or None, destroyed=destroyed, known_keys=known_keys
        )
        stored = [StoredCheckpoint(f"cp{i}", c) for i, c in enumerate(checkpoints)]
        return verify(
            source,
            checkpoints=stored,
            public_keys=self.signing.public(),
            mac_keys=self.mac_keys if macs else None,
        )

    def checkpoint(self, seq: int, head_hash: str | None = None) -> Checkpoint:
        row = self.rows[seq - 1]
        return Checkpoint.sign(self.signing, self.trail_id, seq, head_hash or row["chain_hash"])


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trail]:
    """Five entries: an intent and its outcome, a blocked request, an access, an outcome."""
    path: Path = tmp_path_factory.mktemp("trail") / "audit.db"
    with AuditStore(f"sqlite:///{path}", Keyring.generate()) as store:
        store.create_schema()
        intent = store.write_intent(
            make_event(
                request_id="r1", occurred_at=T0, end_user="user-7", payload={"m": "<PERSON_1>"}
            )
        )
        store.write(
            make_event(
                request_id="r1",
                occurred_at=T0,
                intent_seq=intent,
                end_user="user-7",
                payload={"answer": "ok"},
            )
        )
        store.write(
            make_event(
                request_id="r2",
                occurred_at=T0 + timedelta(seconds=5),
                decision=Decision.BLOCKED,
                status=400,
                payload={},
            )
        )
        record = store.get(2)
        assert record is not None
        store.record_access([record], actor="alice", reason="audit")
        store.write(
            make_event(request_id="r3", occurred_at=T0 + timedelta(seconds=9), payload={"x": 1})
        )
        with store.keys_connection() as conn:
            rows = [dict(r) for r in _DatabaseSource(conn, store.trail_id).rows()]
            mac_keys = store._mac_keys(conn)
        yield Trail(rows, store.trail_id, mac_keys)


def test_the_untouched_trail_verifies(trail: Trail) -> None:
    report = trail.check(trail.copy())
    assert report.ok, report.findings
    assert (report.entries, report.first_seq, report.last_seq) == (5, 1, 5)
    assert report.kinds == {"intent": 1, "outcome": 3, "access": 1}
    assert report.macs_checked


def flips(value: object) -> Iterator[object]:
    """Every single-bit change of a stored value, in the value's own representation."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int):
        for bit in range(64):
            flipped = (value ^ (1 << bit)) & (2**64 - 1)
            yield flipped - 2**64 if flipped >= 2**63 else flipped
    elif isinstance(value, float):
        (bits,) = struct.unpack(">Q", struct.pack(">d", value))
        for bit in range(64):
            yield struct.unpack(">d", struct.pack(">Q", bits ^ (1 << bit)))[0]
    elif isinstance(value, bytes):
        for index in range(len(value)):
            for bit in range(8):
                changed = bytearray(value)
                changed[index] ^= 1 << bit
                yield bytes(changed)
    elif isinstance(value, str):  # as SQLite hands back text that is not UTF-8 any more
        raw = value.encode()
        for changed in flips(raw):
            assert isinstance(changed, bytes)
            yield changed.decode("utf-8", "surrogateescape")
    else:
        raise AssertionError(f"no flips for {type(value).__name__}")


@pytest.mark.parametrize("seq", [1, 2, 5])
def test_every_bit_flipped_in_a_stored_record_is_noticed_at_that_record(
    trail: Trail, seq: int
) -> None:
    """The first entry, a middle one (intent's outcome) and the last one, every column."""
    target = trail.rows[seq - 1]
    checked = 0
    for column in chain.STORED_COLUMNS:
        for value in flips(target[column]):
            rows = trail.copy()
            rows[seq - 1][column] = value
            report = trail.check(rows)
            assert not report.ok, f"flip in {column} of #{seq} went unnoticed"
            if column != "seq":  # a changed seq moves the row: noticed, but maybe elsewhere
                assert report.findings[0].seq == seq, (column, report.findings[0])
            checked += 1
    assert checked > 3000, "every bit of every column"


@pytest.mark.parametrize("column", ["model", "error_code", "end_user_hash", "region"])
def test_a_null_filled_in_or_a_value_nulled_is_noticed(trail: Trail, column: str) -> None:
    rows = trail.copy()
    rows[2][column] = "x" if rows[2][column] is None else None
    [finding, *_] = trail.check(rows).findings
    assert (finding.seq, finding.problem) == (3, Problem.MODIFIED)


def test_a_middle_deletion_is_a_gap(trail: Trail) -> None:
    rows = trail.copy()
    del rows[2]
    [finding] = trail.check(rows).findings
    assert (finding.seq, finding.problem) == (4, Problem.DELETED)
    assert "#3 are missing" in finding.detail


def test_deleting_several_in_a_row_names_the_range(trail: Trail) -> None:
    rows = trail.copy()
    del rows[1:3]
    [finding] = trail.check(rows).findings
    assert (finding.problem, finding.detail) == (
        Problem.DELETED,
        "entries #2..#3 are missing (gap before it)",
    )


def test_deleting_the_first_entry_is_noticed(trail: Trail) -> None:
    rows = trail.copy()
    del rows[0]
    [finding, *_] = trail.check(rows).findings
    assert (finding.seq, finding.problem) == (2, Problem.DELETED)


def test_a_deletion_with_renumbering_is_named(trail: Trail) -> None:
    rows = trail.copy()
    del rows[2]
    for row in rows[2:]:
        row["seq"] -= 1
    report = trail.check(rows, head=HeadState(4, rows[-1]["chain_hash"]))
    first = report.findings[0]
    assert (first.seq, first.problem) == (3, Problem.DELETED)
    assert "written as #4" in first.detail


def test_truncating_the_tail_is_named_by_the_head_row(trail: Trail) -> None:
    rows = trail.copy()[:3]
    [finding] = trail.check(rows).findings
    assert (finding.seq, finding.problem) == (4, Problem.TRUNCATED)
    assert finding.detail.startswith("entries #4..#5 are gone")


def test_truncating_and_fixing_the_head_is_caught_by_a_checkpoint(trail: Trail) -> None:
    rows = trail.copy()[:3]
    head = HeadState(3, rows[-1]["chain_hash"])
    assert trail.check(rows, head=head).ok, "without a checkpoint the tail is unanchored"
    [finding] = trail.check(rows, head=head, checkpoints=[trail.checkpoint(5)]).findings
    assert (finding.seq, finding.problem) == (4, Problem.ROLLED_BACK)
    assert "covers #5" in finding.detail


def test_rows_added_beyond_the_head_are_inserted(trail: Trail) -> None:
    rows = trail.copy()
    report = trail.check(rows, head=HeadState(3, rows[2]["chain_hash"]))
    [finding] = report.findings
    assert (finding.seq, finding.problem) == (4, Problem.INSERTED)


def forged_after(rows: list[Row], index: int, **changes: Any) -> Row:
    """A well-formed entry placed after rows[index]: correct seq, link and hash, no MAC."""
    forged = {
        **rows[index],
        **changes,
        "seq": rows[index]["seq"] + 1,
        "prev_hash": rows[index]["chain_hash"],
        "request_id": "forged",
    }
    forged["chain_hash"] = chain.chain_hash(forged)
    return forged


def test_a_forged_entry_at_the_tail_fails_its_mac(trail: Trail) -> None:
    rows = trail.copy()
    rows.append(forged_after(rows, 4))
    report = trail.check(rows, head=HeadState(6, rows[-1]["chain_hash"]))
    [finding] = report.findings
    assert (finding.seq, finding.problem) == (6, Problem.FORGED)
    assert trail.check(rows, head=HeadState(6, rows[-1]["chain_hash"]), macs=False).ok, (
        "without the chain key only a checkpoint could tell"
    )


def test_an_insertion_in_the_middle_with_renumbering_is_named(trail: Trail) -> None:
    rows = trail.copy()
    forged = forged_after(rows, 1, app="intruder")
    for row in rows[2:]:
        row["seq"] += 1
    rows.insert(2, forged)
    head = HeadState(6, rows[-1]["chain_hash"])
    [first, *_] = trail.check(rows, head=head).findings
    assert (first.seq, first.problem) == (3, Problem.FORGED)
    [first, *_] = trail.check(rows, head=head, macs=False).findings
    assert (first.seq, first.problem) == (3, Problem.INSERTED), "named by the entry it displaced"


def test_a_replayed_copy_of_an_entry_is_noticed(trail: Trail) -> None:
    rows = trail.copy()
    rows.append({**rows[1], "seq": 6})
    [finding, *_] = trail.check(rows, head=HeadState(6, rows[1]["chain_hash"])).findings
    assert finding.seq is not None
    assert finding.problem in (Problem.INSERTED, Problem.REORDERED, Problem.DELETED)


@pytest.mark.parametrize(("a", "b"), [(2, 3), (1, 2), (4, 5), (2, 4)])
def test_two_entries_swapped_are_reordered(trail: Trail, a: int, b: int) -> None:
    rows = trail.copy()
    rows[a - 1]["seq"], rows[b - 1]["seq"] = b, a
    head = HeadState(5, rows[4]["chain_hash"] if b != 5 else rows[3]["chain_hash"])
    [first, *_] = trail.check(rows, head=head).findings
    assert (first.seq, first.problem) == (a, Problem.REORDERED), first
    assert f"written as #{b}" in first.detail


def test_a_payload_moved_from_another_entry_is_relocated(trail: Trail) -> None:
    rows = trail.copy()
    rows[4]["payload"] = rows[2]["payload"]
    [finding] = trail.check(rows).findings
    assert (finding.seq, finding.problem) == (5, Problem.RELOCATED)
    assert finding.detail == "it holds the ciphertext of entry #3"


def test_a_payload_moved_with_its_digest_is_relocated(trail: Trail) -> None:
    rows = trail.copy()
    rows[4]["payload"], rows[4]["payload_digest"] = rows[2]["payload"], rows[2]["payload_digest"]
    [finding] = trail.check(rows).findings
    assert (finding.seq, finding.problem) == (5, Problem.RELOCATED)


def test_a_payload_removed_without_a_purge_is_missing(trail: Trail) -> None:
    rows = trail.copy()
    rows[1]["payload"] = None
    [finding] = trail.check(rows).findings
    assert (finding.seq, finding.problem) == (2, Problem.PAYLOAD_MISSING)


def test_a_rewritten_entry_with_every_hash_recomputed(trail: Trail) -> None:
    """The attacker edits #2 and recomputes the whole chain after it, but has no chain key."""
    rows = trail.copy()
    rows[1]["status"] = 503
    for index in range(1, len(rows)):
        rows[index]["prev_hash"] = rows[index - 1]["chain_hash"]
        rows[index]["chain_hash"] = chain.chain_hash(rows[index])
    head = HeadState(5, rows[-1]["chain_hash"])
    [first, *_] = trail.check(rows, head=head).findings
    assert (first.seq, first.problem) == (2, Problem.FORGED)
    # A verifier without the chain key still sees it against a signed checkpoint.
    report = trail.check(
        rows, head=head, macs=False, checkpoints=[trail.checkpoint(1), trail.checkpoint(5)]
    )
    [finding] = report.findings
    assert (finding.seq, finding.problem) == (2, Problem.ROLLED_BACK)


def test_a_rollback_then_new_writes_is_caught_by_the_checkpoint(trail: Trail) -> None:
    """An older copy put back (#1..#3) and new entries written over #4, #5 by a legitimate
    writer (valid MACs): only the checkpoint signed at #5 can tell; it names #4."""
    rows = trail.copy()
    later = datetime.now(UTC) + timedelta(hours=1)
    for index in (3, 4):
        rows[index]["written_at"] = later.strftime(chain.SQLITE_TIME)
        rows[index]["request_id"] = f"new-{index}"
        rows[index]["prev_hash"] = rows[index - 1]["chain_hash"]
        rows[index]["chain_hash"] = chain.chain_hash(rows[index])
        rows[index]["mac"] = chain.entry_mac(
            trail.mac_keys[rows[index]["mac_key_id"]], rows[index]["chain_hash"]
        )
    head = HeadState(5, rows[-1]["chain_hash"])
    assert trail.check(rows, head=head).ok, "a consistent chain on its own"
    checkpoints = [trail.checkpoint(3), trail.checkpoint(5)]
    report = trail.check(rows, head=head, checkpoints=checkpoints)
    [finding] = report.findings
    assert (finding.seq, finding.problem) == (4, Problem.ROLLED_BACK)
    assert report.checkpoints_matched == 1


def test_matching_checkpoints_anchor_the_trail(trail: Trail) -> None:
    report = trail.check(trail.copy(), checkpoints=[trail.checkpoint(2), trail.checkpoint(4)])
    assert report.ok
    assert (report.checkpoints, report.checkpoints_matched, report.anchored_seq) == (2, 2, 4)
    assert report.unanchored == 1


def test_a_forged_or_foreign_checkpoint_is_reported(trail: Trail) -> None:
    good = trail.checkpoint(3)
    forged = Checkpoint(good.trail_id, 3, "0" * 64, good.signed_at, good.signer, good.signature)
    stranger = SigningKeys.generate()
    unknown = Checkpoint.sign(stranger, trail.trail_id, 3, good.head_hash)
    foreign = Checkpoint.sign(trail.signing, "ffffffffffffffff", 3, good.head_hash)
    head = HeadState(5, trail.rows[4]["chain_hash"])
    source = ListSource(trail.trail_id, trail.copy(), head=head)
    stored = [
        StoredCheckpoint("forged", forged),
        StoredCheckpoint("unknown", unknown),
        StoredCheckpoint("foreign", foreign),
        StoredCheckpoint("garbage", None, "ValueError"),
    ]
    report = verify(source, checkpoints=stored, public_keys=trail.signing.public())
    assert [f.problem for f in report.findings] == [Problem.CHECKPOINT_INVALID] * 4
    assert "forged or altered" in report.findings[0].detail
    assert report.checkpoints_matched == 0


def test_a_key_destroyed_without_an_erasure_entry_is_reported(trail: Trail) -> None:
    key_id = trail.rows[2]["key_id"]
    [finding] = trail.check(trail.copy(), destroyed=[KeyTombstone(key_id, 3, "erasure")]).findings
    assert finding.problem == Problem.KEY_DESTROYED
    user_key, period_key = trail.rows[0]["key_id"], trail.rows[2]["key_id"]
    assert user_key != period_key, "the end user's payloads have a key of their own"
    others = {row["key_id"] for row in trail.rows} - {user_key, None}
    findings = trail.check(trail.copy(), known_keys=others).findings
    assert [(f.seq, f.problem) for f in findings] == [(1, Problem.KEY_MISSING)]
    assert user_key in findings[0].detail


def test_public_keys_parse_what_signing_keys_print() -> None:
    keys = SigningKeys.generate()
    parsed = PublicKeys.parse(keys.public_text())
    assert parsed.ids == (keys.active_kid,)
    checkpoint = Checkpoint.sign(keys, "0123456789abcdef", 1, "a" * 64)
    assert checkpoint.verified_by(parsed)
    assert Checkpoint.from_json(checkpoint.to_json()) == checkpoint
