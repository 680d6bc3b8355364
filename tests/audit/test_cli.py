"""What `voile audit list`, `show`, `export`, `report` and `verify` print, read back."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from audit import cli
from audit.events import Decision
from audit.keys import Keyring
from audit.store import AuditStore
from tests.audit.support import Backend, make_event

T0 = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
NAME, EMAIL = "Aurélie Vasseur-Kowalski", "aurelie.vasseur-kowalski@example.org"


def run_list(store: AuditStore, **filters: object) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.list_records(store, out=out, err=err, **filters)  # type: ignore[arg-type]
    return code, out.getvalue().splitlines(), err.getvalue()


def run_show(
    store: AuditStore, seq: int, reason: str = "DSAR 2025-17", reviewer: str = "alice"
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.show_record(store, seq, reason=reason, reviewer=reviewer, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def filled(store: AuditStore) -> AuditStore:
    store.write(
        make_event(
            request_id="r1",
            occurred_at=T0,
            entity_counts={"PERSON": 1, "EMAIL_ADDRESS": 2},
            latency_ms=412.4,
            payload={"entities": {"<PERSON_1>": NAME, "<EMAIL_ADDRESS_1>": EMAIL}},
        )
    )
    store.write(
        make_event(
            request_id="r2",
            occurred_at=T0 + timedelta(minutes=1),
            app="support-bot",
            provider="anthropic",
            model="claude-3-5-haiku",
            decision=Decision.BLOCKED,
            status=403,
            entity_counts={"IBAN_CODE": 1},
            latency_ms=38.0,
        )
    )
    store.write(
        make_event(
            request_id="r3",
            occurred_at=T0 + timedelta(minutes=2),
            decision=Decision.FAILED,
            status=503,
            model=None,
            entity_counts={},
            latency_ms=5001.0,
        )
    )
    return store


def test_list_prints_an_aligned_table_newest_first(filled: AuditStore) -> None:
    code, lines, err = run_list(filled, limit=10)
    assert (code, err) == (0, "")
    header, *rows = lines
    assert header.split() == [
        "ID", "TIME", "(UTC)", "APP", "PROVIDER", "MODEL", "DECISION", "STATUS", "ENTITIES",
        "LATENCY",
    ]  # fmt: skip
    assert [row.split()[0] for row in rows] == ["3", "2", "1"]
    assert rows[0].split()[1:] == [
        "2025-03-14", "09:02:00", "hr-assistant", "openai", "-", "failed", "503", "-", "5001",
        "ms",
    ]  # fmt: skip
    assert "IBAN_CODE=1" in rows[1]
    assert "blocked" in rows[1]
    assert "EMAIL_ADDRESS=2 PERSON=1" in rows[2]
    assert rows[2].endswith("412 ms")
    for column in ("APP", "DECISION", "ENTITIES"):  # every row starts each column together
        start = header.index(column)
        assert all(row[start - 2 : start] == "  " and row[start] != " " for row in rows)
    assert all(line.endswith("ms") for line in rows), "latency is the last, right-aligned"
    assert len({len(row) for row in rows}) == 1


def test_list_passes_the_filters_to_the_store(filled: AuditStore) -> None:
    _, lines, _ = run_list(filled, app="support-bot")
    assert [row.split()[0] for row in lines[1:]] == ["2"]
    _, lines, _ = run_list(filled, decision="forwarded")
    assert [row.split()[0] for row in lines[1:]] == ["1"]
    _, lines, _ = run_list(filled, provider="openai", limit=1)
    assert [row.split()[0] for row in lines[1:]] == ["3"]


def test_list_shows_types_and_counts_never_values(filled: AuditStore) -> None:
    _, lines, _ = run_list(filled)
    text = "\n".join(lines)
    assert "PERSON=1" in text
    assert NAME not in text
    assert EMAIL not in text


def test_list_of_nothing_says_so(store: AuditStore) -> None:
    assert run_list(store) == (0, ["no audit records"], "")


def test_list_with_an_unknown_decision_is_a_usage_error(store: AuditStore) -> None:
    code, lines, err = run_list(store, decision="allowed")
    assert (code, lines) == (2, [])
    assert err == (
        "unknown decision 'allowed': expected one of forwarded, blocked, rejected, failed\n"
    )


def test_list_with_a_bad_limit_is_a_usage_error(store: AuditStore) -> None:
    assert run_list(store, limit=0) == (2, [], "limit must be at least 1, got 0\n")


def test_list_escapes_terminal_controls_and_cuts_long_names(store: AuditStore) -> None:
    store.write(make_event(model="gpt\x1b[2J\u202eevil", app="a" * 60))
    _, lines, _ = run_list(store)
    row = lines[1]
    assert "\x1b" not in row
    assert "\u202e" not in row
    assert "gpt\\u001b[2J\\u202eevil" in row
    assert "a" * 31 + "…" in row
    assert "a" * 33 not in row


def test_list_reports_an_unreachable_store(keyring: Keyring) -> None:
    with AuditStore("postgresql://voile:pw@127.0.0.1:1/audit", keyring) as store:
        code, lines, err = run_list(store)
    assert (code, lines) == (1, [])
    assert err.startswith("audit store error: cannot list audit records: OperationalError")
    assert "pw@" not in err


def test_show_prints_metadata_and_the_decrypted_payload_as_json(filled: AuditStore) -> None:
    code, out, err = run_show(filled, 1)
    assert (code, err) == (0, "")
    assert out.startswith('{\n  "seq": 1,\n  "kind": "outcome",\n  "request_id": "r1",\n')
    document = json.loads(out)
    key_id = document.pop("key_id")
    assert key_id.startswith("dk_")
    assert document == {
        "seq": 1,
        "kind": "outcome",
        "request_id": "r1",
        "occurred_at": "2025-03-14T09:00:00+00:00",
        "app": "hr-assistant",
        "provider": "openai",
        "region": None,
        "route": "/openai/v1/chat/completions",
        "model": "gpt-4o-mini",
        "policy_name": "default",
        "policy_hash": "ab" * 32,
        "decision": "forwarded",
        "status": 200,
        "error_code": None,
        "entity_counts": {"EMAIL_ADDRESS": 2, "PERSON": 1},
        "entity_actions": {},
        "latency_ms": 412.4,
        "prompt_tokens": 57,
        "completion_tokens": 21,
        "unresolved_placeholders": 0,
        "end_user_hash": None,
        "subject_seq": None,
        "actor": None,
        "details": {},
        "entries": [1],
        "access_entry": 4,
        "payload_status": "available",
        "payload": {"entities": {"<PERSON_1>": NAME, "<EMAIL_ADDRESS_1>": EMAIL}},
    }
    assert NAME in out, "readable accents: the payload is printed as UTF-8, not \\u escapes"


def test_every_show_is_recorded_before_anything_is_decrypted(filled: AuditStore) -> None:
    reason = "Complaint by Aurélie Vasseur-Kowalski, ticket 88"
    assert run_show(filled, 2, reason=reason, reviewer="bob")[0] == 0
    [access] = filled.list_records(kind="access")
    assert (access.actor, access.subject_seq, access.app) == ("bob", 2, "support-bot")
    assert access.details == {"action": "show", "count": 1, "entries": [2]}
    assert "Vasseur" not in json.dumps(access.details), "the reason is stored encrypted"
    assert filled.decrypt_entry(access) == {"reason": reason}
    assert filled.verify().ok


@pytest.mark.parametrize("reason", ["", "   "])
def test_show_without_a_reason_is_refused_and_decrypts_nothing(
    filled: AuditStore, reason: str
) -> None:
    assert run_show(filled, 1, reason=reason) == (
        2,
        "",
        "a reason is required to decrypt an audit record (--reason TEXT)\n",
    )
    assert filled.list_records(kind="access") == []


def test_show_escapes_terminal_controls_but_stays_valid_json(store: AuditStore) -> None:
    payload = {"content": "hi\x1b]0;owned\x07 \u202edlrow \x9b31m \U000e0041 a\ud800b"}
    record_id = store.write(make_event(payload=payload))
    code, out, _ = run_show(store, record_id)
    assert code == 0
    assert all(ch == "\n" or ch.isprintable() for ch in out)
    assert json.loads(out)["payload"] == payload


def test_show_of_a_missing_record_exits_1(store: AuditStore) -> None:
    assert run_show(store, 99) == (1, "", "audit record 99 not found\n")


def test_show_without_the_kek_records_nothing_and_names_the_kid_never_the_key(
    store: AuditStore, backend: Backend, keyring: Keyring
) -> None:
    seq = store.write(make_event(payload={"name": NAME}))
    stranger_ring = Keyring.generate()
    with AuditStore(backend.url, stranger_ring) as stranger:
        code, out, err = run_show(stranger, seq)
    assert (code, out) == (1, "")
    assert err.startswith("cannot record this access, so nothing was decrypted: ")
    assert f"unknown key id {keyring.active_kid!r}" in err
    assert NAME not in err


def test_show_of_a_tampered_payload_exits_1(store: AuditStore, backend: Backend) -> None:
    victim = store.write(make_event(request_id="victim"))
    donor = store.write(make_event(request_id="donor"))
    backend.execute(
        "UPDATE audit_records SET payload = (SELECT payload FROM audit_records WHERE seq = %s)"
        " WHERE seq = %s",
        donor,
        victim,
    )
    code, out, err = run_show(store, victim)
    assert (code, out) == (1, "")
    assert err.startswith("cannot decrypt: authentication failed under data key")


def test_errors_go_to_out_when_no_err_stream_is_given(store: AuditStore) -> None:
    out = io.StringIO()
    assert cli.show_record(store, 7, reason="x", reviewer="a", out=out) == 1
    assert out.getvalue() == "audit record 7 not found\n"


@pytest.mark.parametrize(
    ("counts", "text"),
    [({}, "-"), ({"PERSON": 1, "EMAIL_ADDRESS": 2}, "EMAIL_ADDRESS=2 PERSON=1")],
)
def test_format_counts_sorts_by_type(counts: dict[str, int], text: str) -> None:
    assert cli.format_counts(counts) == text
