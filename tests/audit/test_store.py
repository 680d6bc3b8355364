"""AuditStore on SQLite and on real PostgreSQL: every test here runs on both backends."""

from __future__ import annotations

import dataclasses
import threading
import traceback
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from audit.envelope import record_aad
from audit.errors import AuditKeyError, AuditStoreError
from audit.events import Decision
from audit.keys import Keyring
from audit.models import SCHEMA_VERSION
from audit.store import AuditStore
from tests.audit.support import Backend, make_event

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)

# Personal values planted in payloads: none may be readable in what the database stores.
CANARY_NAME = "Aurélie Vasseur-Kowalski"
CANARY_EMAIL = "aurelie.vasseur-kowalski@example.org"
CANARY_IBAN = "FR76 3000 6000 0112 3456 7890 189"
CANARIES = (
    CANARY_NAME,
    "Vasseur-Kowalski",
    CANARY_EMAIL,
    CANARY_IBAN,
    CANARY_IBAN.replace(" ", ""),
)


def canary_payload() -> dict[str, object]:
    text = f"Write to {CANARY_NAME} <{CANARY_EMAIL}>, IBAN {CANARY_IBAN}"
    return {
        "request": {"messages": [{"role": "user", "content": text}]},
        "response": {"choices": [{"message": {"content": f"Dear {CANARY_NAME},"}}]},
        "entities": {
            "<PERSON_1>": CANARY_NAME,
            "<EMAIL_ADDRESS_1>": CANARY_EMAIL,
            "<IBAN_CODE_1>": CANARY_IBAN.replace(" ", ""),
        },
    }


def test_write_returns_the_seq_and_get_gives_the_metadata_back(store: AuditStore) -> None:
    event = make_event(
        error_code=None,
        unresolved_placeholders=2,
        region="eu",
        entity_actions={"PERSON": {"mask": 1}, "EMAIL_ADDRESS": {"allow": 2}},
    )
    seq = store.write(event)
    record = store.get(seq)
    assert record is not None
    assert (record.seq, record.kind) == (seq, "outcome")
    expected = dataclasses.asdict(event)
    for name in ("payload", "end_user", "intent_seq", "shadow"):  # shadow: in details, below
        del expected[name]
    expected["decision"] = "forwarded"
    assert {name: getattr(record, name) for name in expected} == expected
    assert record.key_id is not None
    assert record.key_id.startswith("dk_"), "a data key id, never a KEK id"


def test_shadow_decisions_are_stored_in_the_clear_details(store: AuditStore) -> None:
    shadow = {"policy": "strict", "policy_hash": "ab" * 32, "would_block": ["PERSON"]}
    event = make_event(details={"texts_without_model": 1}, shadow=shadow)
    record = store.get(store.write(event))
    assert record is not None
    assert record.details == {"texts_without_model": 1, "shadow": shadow}
    assert store.verify().ok


def test_sequence_numbers_are_gapless_and_the_chain_links(store: AuditStore) -> None:
    seqs = [store.write(make_event(request_id=f"r{i}")) for i in range(3)]
    assert seqs == [1, 2, 3]
    first, second = store.get(1), store.get(2)
    assert first is not None
    assert second is not None
    assert second.prev_hash == first.chain_hash
    assert store.verify().ok


def test_payload_round_trips_through_encryption(store: AuditStore) -> None:
    payload = {
        "request": {"messages": [{"role": "user", "content": "Zoë, café ☕ 𝄞"}]},
        "lone_surrogate": "a\ud800b",  # a client may send "\\ud800" in JSON
        "when": datetime(2025, 1, 1, tzinfo=UTC),  # not JSON: stored through default=str
        "amount": Decimal("12.50"),
        "nothing": None,
    }
    record = store.get(store.write(make_event(payload=payload)))
    assert record is not None
    assert store.decrypt_payload(record) == {
        **payload,
        "when": "2025-01-01 00:00:00+00:00",
        "amount": "12.50",
    }


def test_an_empty_payload_is_still_a_ciphertext(store: AuditStore) -> None:
    record = store.get(store.write(make_event(payload={})))
    assert record is not None
    assert record.payload is not None
    assert len(record.payload) == 12 + len(b"{}") + 16
    assert store.decrypt_payload(record) == {}


@pytest.mark.parametrize("decision", list(Decision))
def test_every_outcome_gets_a_record(store: AuditStore, decision: Decision) -> None:
    status = {"forwarded": 200, "blocked": 403, "rejected": 400, "failed": 503}[decision]
    event = make_event(decision=decision, status=status, error_code=f"{decision}_code", model=None)
    seq = store.write(event)
    [record] = store.list_records(decision=decision)
    assert (record.seq, record.decision, record.status) == (seq, decision.value, status)
    assert (record.error_code, record.model) == (f"{decision}_code", None)


def test_occurred_at_comes_back_as_the_same_instant_in_utc(store: AuditStore) -> None:
    paris = timezone(timedelta(hours=2))
    record = store.get(
        store.write(make_event(occurred_at=datetime(2025, 6, 1, 14, 30, tzinfo=paris)))
    )
    assert record is not None
    assert record.occurred_at == datetime(2025, 6, 1, 12, 30, tzinfo=UTC)
    assert record.occurred_at.utcoffset() == timedelta(0)


def test_a_naive_occurred_at_is_refused_and_nothing_is_written(store: AuditStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.write(make_event(occurred_at=datetime(2025, 6, 1, 12, 30)))
    assert store.list_records() == []


def test_list_is_newest_first_and_limited(store: AuditStore) -> None:
    # Written out of time order: the listing follows occurred_at, not the insertion order.
    for minute in (5, 1, 9, 3, 7):
        store.write(make_event(request_id=f"r{minute}", occurred_at=T0 + timedelta(minutes=minute)))
    assert [r.request_id for r in store.list_records()] == ["r9", "r7", "r5", "r3", "r1"]
    assert [r.request_id for r in store.list_records(limit=2)] == ["r9", "r7"]


def test_records_at_the_same_instant_list_newest_id_first(store: AuditStore) -> None:
    seqs = [store.write(make_event(request_id=f"r{i}", occurred_at=T0)) for i in range(3)]
    assert [r.seq for r in store.list_records()] == seqs[::-1]


def test_list_filters_combine(store: AuditStore) -> None:
    rows = [
        ("a", "hr", "openai", Decision.FORWARDED, 0),
        ("b", "hr", "anthropic", Decision.BLOCKED, 10),
        ("c", "support", "openai", Decision.FORWARDED, 20),
        ("d", "hr", "openai", Decision.FAILED, 30),
        ("e", "hr", "openai", Decision.FORWARDED, 40),
    ]
    for request_id, app, provider, decision, minute in rows:
        store.write(
            make_event(
                request_id=request_id,
                app=app,
                provider=provider,
                decision=decision,
                occurred_at=T0 + timedelta(minutes=minute),
            )
        )

    def ids(**filters: object) -> list[str]:
        return [r.request_id for r in store.list_records(**filters)]  # type: ignore[arg-type]

    assert ids(app="hr") == ["e", "d", "b", "a"]
    assert ids(provider="anthropic") == ["b"]
    assert ids(decision=Decision.FORWARDED) == ["e", "c", "a"]
    assert ids(decision="failed") == ["d"]
    assert ids(app="hr", provider="openai", decision="forwarded") == ["e", "a"]
    assert ids(since=T0 + timedelta(minutes=10)) == ["e", "d", "c", "b"]  # inclusive
    assert ids(until=T0 + timedelta(minutes=30)) == ["c", "b", "a"]  # exclusive
    paris = timezone(timedelta(hours=2))
    since_paris = (T0 + timedelta(minutes=10)).astimezone(paris)
    assert ids(since=since_paris, until=T0 + timedelta(minutes=40)) == ["d", "c", "b"]
    assert ids(app="nobody") == []


def test_list_shows_one_row_per_request_and_filters_by_model_and_entity(
    store: AuditStore,
) -> None:
    store.write_intent(make_event(request_id="a", model="gpt-4o"))
    store.write(make_event(request_id="a", model="gpt-4o", entity_counts={"IBAN_CODE": 1}))
    store.write_intent(make_event(request_id="b", entity_counts={"PERSON": 1}))
    store.write(
        make_event(
            request_id="c",
            entity_counts={"EMAIL_ADDRESS": 1},
            entity_actions={"EMAIL_ADDRESS": {"allow": 1}, "PHONE_NUMBER": {"allow": 1}},
        )
    )

    def ids(**filters: object) -> list[str]:
        return [r.request_id for r in store.list_records(**filters)]  # type: ignore[arg-type]

    assert ids() == ["c", "a"], "requests: their outcome; b has none yet"
    assert ids(incomplete=True) == ["b"]
    assert ids(model="gpt-4o") == ["a"]
    assert ids(entity="IBAN_CODE") == ["a"]
    assert ids(entity="PHONE_NUMBER") == ["c"], "allowed types are searchable too"
    assert ids(entity="PHONE%") == [], "LIKE wildcards in a type name are literal"
    assert ids(entity="EMAIL") == [], "whole type names only"
    assert ids(kind="intent") == ["b", "a"]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"limit": 0}, "limit must be at least 1"),
        ({"decision": "allowed"}, "'allowed' is not a valid Decision"),
        ({"since": datetime(2025, 1, 1)}, "since must be a timezone-aware"),
        ({"until": datetime(2025, 1, 1)}, "until must be a timezone-aware"),
    ],
)
def test_bad_filters_raise_instead_of_matching_nothing(
    store: AuditStore, filters: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        store.list_records(**filters)  # type: ignore[arg-type]


def test_get_of_a_missing_seq_is_none(store: AuditStore) -> None:
    assert store.get(424242) is None


def test_records_persist_across_reopening(backend: Backend, keyring: Keyring) -> None:
    with AuditStore(backend.url, keyring) as first:
        first.create_schema()
        seq = first.write(make_event(payload=canary_payload()))
    with AuditStore(backend.url, keyring) as second:
        second.create_schema()
        record = second.get(seq)
        assert record is not None
        assert second.decrypt_payload(record) == canary_payload()


def test_schema_creation_is_idempotent_and_versioned(store: AuditStore, backend: Backend) -> None:
    store.write(make_event())
    store.create_schema()
    assert len(store.list_records()) == 1
    assert backend.execute("SELECT version FROM audit_schema_version") == [(SCHEMA_VERSION,)]
    assert backend.execute("SELECT seq FROM audit_chain_head") == [(1,)]


def test_an_unknown_schema_version_is_refused(store: AuditStore, backend: Backend) -> None:
    backend.execute("UPDATE audit_schema_version SET version = %s", 99)
    with pytest.raises(AuditStoreError, match="schema version 99, this Voile knows version 2"):
        store.create_schema()


def test_seqs_are_never_reused_after_deleting_the_last_record(
    store: AuditStore, backend: Backend
) -> None:
    first = store.write(make_event(request_id="r1"))
    backend.execute("DELETE FROM audit_records WHERE seq = %s", first)
    assert store.write(make_event(request_id="r2")) > first, "the head row keeps counting"


def test_a_database_error_is_a_store_error_without_payload_data(
    store: AuditStore, backend: Backend
) -> None:
    store.write(make_event(request_id="r1"))
    # The next seq is taken: the insert fails on the primary key, as a corrupted head would.
    backend.execute("UPDATE audit_chain_head SET seq = 0")
    with pytest.raises(AuditStoreError, match="cannot write the audit record") as caught:
        store.write(make_event(request_id="r2", payload=canary_payload()))
    chain = "".join(traceback.format_exception(caught.value))
    assert not [canary for canary in CANARIES if canary in chain]
    assert "hr-assistant" not in chain, "bound parameters must not be shown"


def test_payload_is_unreadable_without_the_key(store: AuditStore, backend: Backend) -> None:
    """Canary values go in the payload; no byte the database holds may reveal them."""
    store.write(make_event(app="canary-visible-app", payload=canary_payload()))
    stored = backend.stored_bytes()
    assert b"canary-visible-app" in stored, "the scan must see what is stored in clear"
    for canary in CANARIES:
        for encoded in (canary.encode(), canary.encode("utf-16-le"), canary.lower().encode()):
            assert encoded not in stored, f"{canary!r} readable in the {backend.name} store"
    [record] = store.list_records()
    assert store.decrypt_payload(record) == canary_payload()


def test_a_ciphertext_moved_to_another_record_does_not_decrypt(
    store: AuditStore, backend: Backend
) -> None:
    victim = store.write(make_event(request_id="victim", payload={"note": "original"}))
    donor = store.write(make_event(request_id="donor", payload={"note": "forged"}))
    backend.execute(
        "UPDATE audit_records SET payload = (SELECT payload FROM audit_records WHERE seq = %s)"
        " WHERE seq = %s",
        donor,
        victim,
    )
    record = store.get(victim)
    assert record is not None
    with pytest.raises(AuditKeyError, match="authentication failed"):
        store.decrypt_payload(record)
    [finding, *_] = store.verify().findings
    assert (finding.seq, finding.problem) == (victim, "relocated")


def test_a_ciphertext_altered_in_the_database_does_not_decrypt(
    store: AuditStore, backend: Backend
) -> None:
    seq = store.write(make_event())
    [(payload,)] = backend.execute("SELECT payload FROM audit_records WHERE seq = %s", seq)
    tampered = bytearray(payload)
    tampered[20] ^= 0x80
    backend.execute("UPDATE audit_records SET payload = %s WHERE seq = %s", bytes(tampered), seq)
    record = store.get(seq)
    assert record is not None
    with pytest.raises(AuditKeyError, match="authentication failed"):
        store.decrypt_payload(record)


def test_the_aad_binds_seq_kind_app_request_id_and_key(store: AuditStore) -> None:
    record = store.get(store.write(make_event(request_id="req-42")))
    assert record is not None
    assert record.key_id is not None
    assert record.payload is not None
    assert (
        record_aad(1, "outcome", "hr-assistant", "req-42", record.key_id)
        == (
            f'["voile-audit/v2/payload",1,"outcome","hr-assistant","req-42","{record.key_id}"]'
        ).encode()
    )
    with store.keys_connection() as conn:
        key = store.keys.open(conn, record.key_id)
    good = record_aad(1, "outcome", "hr-assistant", "req-42", record.key_id)
    assert key.decrypt(record.payload, good)
    for seq, kind, app, request_id in [
        (2, "outcome", "hr-assistant", "req-42"),
        (1, "intent", "hr-assistant", "req-42"),
        (1, "outcome", "other-app", "req-42"),
        (1, "outcome", "hr-assistant", "req-43"),
    ]:
        with pytest.raises(AuditKeyError, match="authentication failed"):
            key.decrypt(record.payload, record_aad(seq, kind, app, request_id, record.key_id))


def test_an_intent_and_its_outcome_tell_the_whole_story(store: AuditStore) -> None:
    intent = store.write_intent(make_event(request_id="r", payload={"masked_request": "x"}))
    outcome = store.write(make_event(request_id="r", intent_seq=intent, payload={"response": "y"}))
    record = store.get(outcome)
    assert record is not None
    assert record.subject_seq == intent
    assert store.decrypt_payload(record) == {"masked_request": "x", "response": "y"}
    assert [r.seq for r in store.related(record)] == [intent, outcome]


def test_records_written_before_a_kek_rotation_still_decrypt(
    store: AuditStore, keyring: Keyring
) -> None:
    before = store.write(make_event(request_id="before", payload={"n": 1}))
    keyring.rotate()
    after = store.write(make_event(request_id="after", payload={"n": 2}))
    old_record, new_record = store.get(before), store.get(after)
    assert old_record is not None
    assert new_record is not None
    assert old_record.key_id == new_record.key_id, "same period: same data key"
    assert store.decrypt_payload(old_record) == {"n": 1}
    assert store.decrypt_payload(new_record) == {"n": 2}


def test_a_store_without_the_key_cannot_read_payloads(store: AuditStore, backend: Backend) -> None:
    seq = store.write(make_event(payload=canary_payload()))
    with AuditStore(backend.url, Keyring.generate()) as stranger:
        record = stranger.get(seq)
        assert record is not None
        with pytest.raises(AuditKeyError, match="unknown key id"):
            stranger.decrypt_payload(record)


def test_concurrent_writes_from_many_threads_all_land(store: AuditStore) -> None:
    threads, per_thread = 8, 25
    ids: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def writer(worker: int) -> None:
        barrier.wait()
        for n in range(per_thread):
            try:
                ids.append(store.write(make_event(request_id=f"w{worker}-{n}", payload={"n": n})))
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

    pool = [threading.Thread(target=writer, args=(w,)) for w in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    assert len(set(ids)) == threads * per_thread
    records = store.list_records(limit=1000)
    assert len(records) == threads * per_thread
    assert all(store.decrypt_payload(r)["n"] == int(r.request_id.split("-")[1]) for r in records)
    assert sorted(ids) == list(range(1, threads * per_thread + 1)), "one gapless chain"
    assert store.verify().ok


def test_ping_answers_when_the_database_is_reachable(store: AuditStore) -> None:
    store.ping()


def test_entity_counts_are_stored_as_canonical_json_text(
    store: AuditStore, backend: Backend
) -> None:
    seq = store.write(make_event(entity_counts={"PERSON": 1, "EMAIL_ADDRESS": 2}))
    rows = backend.execute("SELECT entity_counts FROM audit_records WHERE seq = %s", seq)
    assert rows == [('{"EMAIL_ADDRESS":2,"PERSON":1}',)]


def test_text_no_database_can_store_is_replaced_not_fatal(store: AuditStore) -> None:
    """A client's model name with NUL or a lone surrogate must not cost the request its record."""
    event = make_event(request_id="r\x00\ud800", model="gpt\x00-4o\ud800", payload={"x": 1})
    record = store.get(store.write(event))
    assert record is not None
    assert (record.request_id, record.model) == ("r\ufffd\ufffd", "gpt\ufffd-4o\ufffd")
    assert store.decrypt_payload(record) == {"x": 1}
