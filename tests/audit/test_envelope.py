"""Envelope encryption, key rotation, retention and crypto-shredding, on both backends."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from audit import cli
from audit.envelope import wrap_context
from audit.errors import AuditErasedError, AuditKeyError
from audit.keys import Keyring
from audit.store import AuditStore
from tests.audit.support import Backend, make_event

JAN, FEB, MAR = (datetime(2025, m, 10, 12, tzinfo=UTC) for m in (1, 2, 3))
USER_ID = "aurelie.vasseur@example.org"  # an app's end-user id is often an e-mail address


def key_of(store: AuditStore, seq: int) -> str:
    record = store.get(seq)
    assert record is not None
    assert record.key_id is not None
    return record.key_id


def payload_of(store: AuditStore, seq: int) -> dict[str, object]:
    record = store.get(seq)
    assert record is not None
    return store.decrypt_payload(record)


def test_one_data_key_per_period_and_per_end_user(store: AuditStore) -> None:
    a = store.write(make_event(request_id="a", occurred_at=JAN))
    b = store.write(make_event(request_id="b", occurred_at=JAN + timedelta(days=3)))
    c = store.write(make_event(request_id="c", occurred_at=FEB))
    d = store.write(make_event(request_id="d", occurred_at=JAN, end_user="u1"))
    e = store.write(make_event(request_id="e", occurred_at=JAN, end_user="u1"))
    f = store.write(make_event(request_id="f", occurred_at=JAN, end_user="u2"))
    g = store.write(make_event(request_id="g", occurred_at=JAN, end_user="u1", app="other"))
    keys = {
        name: key_of(store, seq) for name, seq in zip("abcdefg", (a, b, c, d, e, f, g), strict=True)
    }
    assert keys["a"] == keys["b"], "same month, no end user: the period's key"
    assert keys["c"] != keys["a"], "a new month, a new key"
    assert keys["d"] == keys["e"] != keys["a"], "an end user's own key"
    assert keys["f"] != keys["d"], "another end user, another key"
    assert keys["g"] != keys["d"], "the same id in another app is another end user"
    assert all(payload_of(store, seq) for seq in (a, c, d, f, g))


def test_the_end_user_is_stored_as_a_keyed_hash_only(store: AuditStore, backend: Backend) -> None:
    seq = store.write(make_event(end_user=USER_ID))
    record = store.get(seq)
    assert record is not None
    assert record.end_user_hash == store.end_user_hash("hr-assistant", USER_ID)
    assert len(record.end_user_hash or "") == 32
    assert USER_ID.encode() not in backend.stored_bytes()
    with AuditStore(backend.url, Keyring.generate()) as other_trail:
        other_trail.create_schema()  # no-op: same tables
        with pytest.raises(AuditKeyError):
            other_trail.end_user_hash("hr-assistant", USER_ID)  # needs this trail's keys


def test_kek_rotation_across_a_trail_then_rewrap_and_retire(
    store: AuditStore, backend: Backend, keyring: Keyring
) -> None:
    first_kek = keyring.active_kid
    seqs = [store.write(make_event(request_id="jan", occurred_at=JAN, payload={"n": 1}))]
    second_kek = keyring.rotate()
    seqs.append(store.write(make_event(request_id="feb", occurred_at=FEB, payload={"n": 2})))
    seqs.append(store.write(make_event(request_id="jan2", occurred_at=JAN, payload={"n": 3})))
    wrapped_by = dict(backend.execute("SELECT id, kek_id FROM audit_data_keys"))
    assert wrapped_by[key_of(store, seqs[0])] == first_kek, "never rewrapped by itself"
    assert wrapped_by[key_of(store, seqs[1])] == second_kek, "new keys: the new KEK"
    assert [payload_of(store, s)["n"] for s in seqs] == [1, 2, 3]
    payloads_before = backend.execute("SELECT seq, payload FROM audit_records ORDER BY seq")

    count, rotation_seq = store.rewrap(actor="ops")
    assert count == 3, "the chain key, the pseudonym key and January's key"
    assert backend.execute(
        "SELECT DISTINCT kek_id FROM audit_data_keys WHERE wrapped IS NOT NULL"
    ) == [(second_kek,)]
    after = backend.execute(
        "SELECT seq, payload FROM audit_records WHERE seq <= %s ORDER BY seq", seqs[-1]
    )
    assert after == payloads_before[: len(after)], "no payload was re-encrypted"
    keyring.retire(first_kek)
    with AuditStore(backend.url, keyring) as reopened:
        assert [payload_of(reopened, s)["n"] for s in seqs] == [1, 2, 3]
        report = reopened.verify()
    assert report.ok
    rotation = store.get(rotation_seq)
    assert rotation is not None
    assert (rotation.kind, rotation.details) == (
        "key_rotation",
        {"kek": second_kek, "rewrapped": 3},
    )


def test_a_wrapped_key_moved_to_another_row_does_not_unwrap(
    store: AuditStore, backend: Backend
) -> None:
    jan = store.write(make_event(request_id="jan", occurred_at=JAN))
    feb = store.write(make_event(request_id="feb", occurred_at=FEB))
    jan_key, feb_key = key_of(store, jan), key_of(store, feb)
    backend.execute(
        "UPDATE audit_data_keys SET wrapped = (SELECT wrapped FROM audit_data_keys "
        "WHERE id = %s) WHERE id = %s",
        jan_key,
        feb_key,
    )
    with AuditStore(backend.url, store.keys.provider) as fresh:  # nothing cached
        record = fresh.get(feb)
        assert record is not None
        with pytest.raises(AuditKeyError, match="authentication failed"):
            fresh.decrypt_payload(record)
    assert wrap_context(feb_key, "payload") != wrap_context(jan_key, "payload")


def test_erasure_shreds_one_end_user_and_the_trail_still_verifies(
    store: AuditStore, backend: Backend
) -> None:
    mine = [
        store.write(
            make_event(
                request_id=f"m{i}", end_user=USER_ID, occurred_at=month, payload={"name": "Aurélie"}
            )
        )
        for i, month in enumerate((JAN, FEB))
    ]
    other = store.write(make_event(request_id="o", end_user="someone-else", occurred_at=JAN))
    anonymous = store.write(make_event(request_id="a", occurred_at=JAN))

    result = store.erase_end_user(USER_ID, app="hr-assistant", actor="dpo", reason="DSAR-17")
    assert len(result.keys) == 2
    assert result.entries == 2
    for seq in mine:
        record = store.get(seq)
        assert record is not None
        with pytest.raises(AuditErasedError, match="destroyed \\(erasure\\)") as caught:
            store.decrypt_payload(record)
        assert caught.value.reason == "erasure"
    assert payload_of(store, other)
    assert payload_of(store, anonymous)
    report = store.verify()
    assert report.ok, report.findings
    assert report.destroyed_keys == 2
    erasure = store.get(result.seq)
    assert erasure is not None
    assert erasure.details == {"keys": result.keys, "entries": 2}
    assert erasure.end_user_hash is None, "the erasure entry does not name whom"
    remaining = backend.execute(
        "SELECT count(*) FROM audit_data_keys WHERE end_user_hash = %s",
        store.end_user_hash("hr-assistant", USER_ID),
    )
    assert remaining == [(0,)], "nothing links a destroyed key to the end user any more"

    out, err = io.StringIO(), io.StringIO()
    assert cli.show_record(store, mine[0], reason="check", reviewer="dpo", out=out, err=err) == 0
    shown = json.loads(out.getvalue())
    assert (shown["payload_status"], shown["payload"]) == ("erased", None)
    assert err.getvalue() == ""


def test_an_erased_end_user_who_comes_back_gets_a_new_key(
    store: AuditStore, backend: Backend, keyring: Keyring
) -> None:
    """Another process (the proxy) had the old key cached: it must not use it again."""
    with AuditStore(backend.url, keyring) as proxy:
        before = proxy.write(make_event(request_id="before", end_user=USER_ID, occurred_at=JAN))
        store.erase_end_user(USER_ID, app=None, actor="dpo", reason="DSAR-18")
        after = proxy.write(
            make_event(
                request_id="after", end_user=USER_ID, occurred_at=JAN, payload={"back": True}
            )
        )
        assert key_of(proxy, after) != key_of(proxy, before)
        assert payload_of(proxy, after) == {"back": True}
    assert store.verify().ok


def test_purge_removes_old_payloads_and_their_keys_and_the_trail_verifies(
    store: AuditStore, backend: Backend
) -> None:
    jan = store.write(make_event(request_id="jan", occurred_at=JAN))
    feb = store.write(make_event(request_id="feb", occurred_at=FEB, end_user="u1"))
    mar = store.write(make_event(request_id="mar", occurred_at=MAR, payload={"kept": 1}))
    result = store.purge(datetime(2025, 3, 1, tzinfo=UTC), actor="retention-job")
    assert result.payloads == 2
    assert sorted(result.keys) == sorted({key_of(store, jan), key_of(store, feb)})
    for seq in (jan, feb):
        record = store.get(seq)
        assert record is not None
        assert record.payload is None
        assert record.payload_digest is not None, "the digest stays: the chain still holds"
        with pytest.raises(AuditErasedError, match="purged") as caught:
            store.decrypt_payload(record)
        assert caught.value.reason == "purge"
    assert payload_of(store, mar) == {"kept": 1}
    report = store.verify()
    assert report.ok, report.findings
    assert (report.purged_payloads, report.destroyed_keys) == (2, 2)
    purge = store.get(result.seq)
    assert purge is not None
    assert purge.details["before"] == "2025-03-01T00:00:00.000000Z"


def test_purge_in_the_middle_of_a_period_keeps_its_key(store: AuditStore) -> None:
    early = store.write(make_event(request_id="early", occurred_at=MAR))
    late = store.write(make_event(request_id="late", occurred_at=MAR + timedelta(days=10)))
    result = store.purge(MAR + timedelta(days=1), actor="ops")
    assert (result.payloads, result.keys) == (1, [])
    assert payload_of(store, late)
    record = store.get(early)
    assert record is not None
    with pytest.raises(AuditErasedError):
        store.decrypt_payload(record)
    assert store.verify().ok


def test_nothing_personal_is_readable_in_the_database(store: AuditStore, backend: Backend) -> None:
    """Canaries everywhere a client or an officer can put text: payload, end-user id,
    access reason, erasure reason. The raw database holds none of them."""
    canaries = [
        "Aurélie Vasseur-Kowalski",
        "FR7630006000011234567890189",
        USER_ID,
        "complaint-from-jean-dupont",
        "ticket-of-marie-curie",
    ]
    seq = store.write(
        make_event(
            end_user=USER_ID,
            payload={"entity_map": {"<PERSON_1>": canaries[0], "<IBAN_CODE_1>": canaries[1]}},
        )
    )
    store.write_intent(
        make_event(request_id="r2", end_user=USER_ID, payload={"masked_request": canaries[0]})
    )
    record = store.get(seq)
    assert record is not None
    store.record_access([record], actor="alice", reason=canaries[3])
    store.erase_end_user("another-user", app=None, actor="dpo", reason=canaries[4])
    stored = backend.stored_bytes()
    assert b"hr-assistant" in stored, "the scan sees the clear columns"
    for canary in canaries:
        for encoded in (canary.encode(), canary.encode("utf-16-le"), canary.lower().encode()):
            assert encoded not in stored, f"{canary!r} readable in the {backend.name} store"


def test_a_store_opened_with_the_wrong_kek_says_so(store: AuditStore, backend: Backend) -> None:
    store.check_keys()
    with (
        AuditStore(backend.url, Keyring.generate()) as wrong,
        pytest.raises(AuditKeyError, match="cannot open this trail's chain key"),
    ):
        wrong.check_keys()
