"""The compliance officer's other commands: export for a SIEM, the monthly report, verify's
verdict, purge and erase, read back from what they print."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from audit import cli
from audit.events import Decision
from audit.store import AuditStore, RecordFilter
from tests.audit.support import Backend, make_event

MAR = datetime(2025, 3, 14, 9, 0, tzinfo=UTC)
NAME = "Aurélie Vasseur-Kowalski"


@pytest.fixture
def month(store: AuditStore) -> AuditStore:
    """March: hr sends to openai (eu) twice, one blocked; support to anthropic (us), once
    redacting and hashing."""
    intent = store.write_intent(make_event(request_id="a", occurred_at=MAR, region="eu"))
    store.write(
        make_event(
            request_id="a",
            occurred_at=MAR,
            region="eu",
            intent_seq=intent,
            end_user="u1",
            entity_counts={"PERSON": 2},
            payload={"entity_map": {"<PERSON_1>": NAME}},
            entity_actions={"PERSON": {"mask": 2}, "LOCATION": {"allow": 1}},
        )
    )
    store.write(
        make_event(
            request_id="b",
            occurred_at=MAR + timedelta(hours=1),
            region="eu",
            end_user="u2",
            decision=Decision.BLOCKED,
            status=400,
            entity_counts={"IBAN_CODE": 1, "PERSON": 1},
            entity_actions={"IBAN_CODE": {"block": 1}, "PERSON": {"mask": 1}},
        )
    )
    store.write(
        make_event(
            request_id="c",
            occurred_at=MAR + timedelta(days=2),
            app="support",
            provider="anthropic",
            region="us",
            model="claude",
            policy_name="strict",
            entity_counts={"EMAIL_ADDRESS": 1, "PERSON": 3},
            entity_actions={"EMAIL_ADDRESS": {"redact": 1}, "PERSON": {"hash": 2, "mask": 1}},
        )
    )
    store.write_intent(
        make_event(
            request_id="d",
            occurred_at=MAR + timedelta(days=3),
            app="support",
            provider="anthropic",
            region="us",
        )
    )
    store.write(make_event(request_id="april", occurred_at=datetime(2025, 4, 1, tzinfo=UTC)))
    return store


def run(function: object, *args: object, **kwargs: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = function(*args, out=out, err=err, **kwargs)  # type: ignore[operator]
    return code, out.getvalue(), err.getvalue()


def test_report_counts_per_app_and_destination(month: AuditStore) -> None:
    code, out, err = run(cli.report_month, month, "2025-03", fmt="json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["month"] == "2025-03"
    hr, support = document["groups"]
    assert (hr["app"], hr["provider"], hr["region"]) == ("hr-assistant", "openai", "eu")
    assert hr["requests"] == {"total": 2, "blocked": 1, "forwarded": 1}
    assert hr["policies"] == ["default@abababababab"]
    assert hr["end_users"] == 2
    none = {"sent_in_clear": 0, "masked": 0, "redacted": 0, "hashed": 0, "blocked": 0}
    assert hr["entity_types"] == {
        "IBAN_CODE": {**none, "blocked": 1},
        "LOCATION": {**none, "sent_in_clear": 1},
        "PERSON": {**none, "masked": 2, "blocked": 1},
    }
    assert (support["provider"], support["region"]) == ("anthropic", "us")
    assert support["requests"] == {"total": 1, "forwarded": 1, "incomplete": 1}
    assert support["entity_types"] == {
        "EMAIL_ADDRESS": {**none, "redacted": 1},  # irreversible: not "masked"
        "PERSON": {**none, "masked": 1, "hashed": 2},
    }
    assert document["refused_before_identification"] == {"total": 0}
    assert NAME not in out


def refused_callers(store: AuditStore) -> AuditStore:
    """Two callers refused before an app was identified, as trails written before those
    refusals stopped being audited hold them (app '-')."""
    for n, provider in enumerate(["openai", "nowhere"]):
        store.write(
            make_event(
                request_id=f"anon{n}",
                occurred_at=MAR + timedelta(days=4),
                app="-",
                provider=provider,
                policy_name=None,
                policy_hash=None,
                model=None,
                decision=Decision.REJECTED,
                status=401 if n == 0 else 404,
                entity_counts={},
            )
        )
    return store


def test_report_counts_refused_callers_apart_from_the_apps(month: AuditStore) -> None:
    code, out, _ = run(cli.report_month, refused_callers(month), "2025-03", fmt="json")
    document = json.loads(out)
    assert [g["app"] for g in document["groups"]] == ["hr-assistant", "support"]
    assert document["refused_before_identification"] == {"total": 2, "rejected": 2}
    code, out, _ = run(cli.report_month, month, "2025-03")
    assert code == 0
    assert "app -" not in out
    assert (
        "requests refused before an app was identified (no or unknown key, unknown "
        "provider; nothing forwarded): 2 (rejected 2)"
    ) in out
    code, out, _ = run(cli.report_month, month, "2025-03", fmt="csv")
    assert {row["app"] for row in csv.DictReader(io.StringIO(out))} == {"hr-assistant", "support"}


def test_report_as_text_and_csv(month: AuditStore) -> None:
    code, out, _ = run(cli.report_month, month, "2025-03")
    assert code == 0
    assert "app hr-assistant -> provider openai (region eu)" in out
    assert "  requests: 2 (blocked 1, forwarded 1)" in out
    assert any(line.split() == ["LOCATION", "1", "0", "0", "0", "0"] for line in out.splitlines())
    assert any(line.split() == ["PERSON", "0", "1", "0", "2", "0"] for line in out.splitlines())
    assert "sent in clear  masked  redacted  hashed  blocked" in out
    assert "requests refused before an app was identified" not in out  # none this month
    code, out, _ = run(cli.report_month, month, "2025-03", fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["app"], r["entity_type"], r["masked"], r["redacted"]) for r in rows} >= {
        ("hr-assistant", "PERSON", "2", "0"),
        ("support", "EMAIL_ADDRESS", "0", "1"),
    }
    assert {r["app"] for r in rows} == {"hr-assistant", "support"}


def test_report_does_not_guess_the_action_of_records_that_did_not_record_it(
    store: AuditStore,
) -> None:
    """Records written before actions were recorded (schema v1, migrated) say which types
    were acted upon, not whether masked, redacted or hashed: counted apart."""
    store.write(make_event(request_id="old", occurred_at=MAR, entity_counts={"PERSON": 2}))
    code, out, _ = run(cli.report_month, store, "2025-03", fmt="json")
    assert code == 0
    [group] = json.loads(out)["groups"]
    assert group["entity_types"]["PERSON"] == {
        "sent_in_clear": 0,
        "masked": 0,
        "redacted": 0,
        "hashed": 0,
        "blocked": 0,
        "action_not_recorded": 2,
    }
    code, out, _ = run(cli.report_month, store, "2025-03")
    assert code == 0
    assert (
        "and 2 occurrences in records from before Voile recorded actions: masked, "
        "redacted or hashed, not sent in clear"
    ) in out


@pytest.mark.parametrize("month_text", ["2025-13", "March", ""])
def test_report_of_a_bad_month_is_a_usage_error(store: AuditStore, month_text: str) -> None:
    code, out, err = run(cli.report_month, store, month_text)
    assert (code, out) == (2, "")
    assert "expected YYYY-MM" in err


def test_export_jsonl_is_metadata_only_every_entry(month: AuditStore) -> None:
    code, out, err = run(cli.export_records, month, RecordFilter(requests_only=False), fmt="jsonl")
    assert (code, err) == (0, "")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3, 4, 5, 6]
    assert [line["kind"] for line in lines] == [
        "intent",
        "outcome",
        "outcome",
        "outcome",
        "intent",
        "outcome",
    ]
    assert "payload" not in lines[1]
    assert len(lines[1]["chain_hash"]) == 64
    assert NAME not in out
    assert month.list_records(kind="access") == [], "metadata only: no decryption"


def test_export_csv_with_filters(month: AuditStore) -> None:
    filters = RecordFilter(app="hr-assistant", since=MAR, until=MAR + timedelta(days=1))
    code, out, _ = run(cli.export_records, month, filters, fmt="csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["request_id"], r["decision"]) for r in rows] == [
        ("a", "forwarded"),
        ("b", "blocked"),
    ]
    assert json.loads(rows[0]["entity_actions"]) == {
        "LOCATION": {"allow": 1},
        "PERSON": {"mask": 2},
    }


def test_export_with_payloads_needs_a_reason_and_is_recorded(month: AuditStore) -> None:
    filters = RecordFilter(app="hr-assistant")
    code, _, err = run(cli.export_records, month, filters, fmt="jsonl", payload_reason=" ")
    assert (code, err) == (2, "a reason is required to export payloads (--reason TEXT)\n")
    code, out, _ = run(
        cli.export_records,
        month,
        filters,
        fmt="jsonl",
        payload_reason="SIEM backfill",
        reviewer="carol",
    )
    assert code == 0
    first = json.loads(out.splitlines()[0])
    assert first["payload_status"] == "available"
    assert NAME in json.dumps(first["payload"], ensure_ascii=False)
    [access] = month.list_records(kind="access")
    assert (access.actor, access.details["action"], access.details["count"]) == (
        "carol",
        "export",
        3,
    )


def test_export_neutralises_spreadsheet_formulas(store: AuditStore) -> None:
    store.write(make_event(model='=HYPERLINK("http://x")'))
    _, out, _ = run(cli.export_records, store, RecordFilter(), fmt="csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["model"].startswith("'=")


def test_list_warns_about_requests_without_an_outcome(month: AuditStore) -> None:
    code, out, err = run(cli.list_records, month)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["6", "4", "3", "2"]
    assert err == (
        "note: 1 request(s) have a write-ahead intent but no recorded outcome "
        "(see: voile audit list --incomplete)\n"
    )
    code, out, _ = run(cli.list_records, month, incomplete=True)
    [row] = out.splitlines()[1:]
    assert row.split()[0] == "5"
    assert "incomplete" in row


def test_list_of_other_kinds_uses_their_own_columns(month: AuditStore) -> None:
    record = month.get(2)
    assert record is not None
    month.record_access([record], actor="alice", reason="check")
    _code, out, _ = run(cli.list_records, month, kind="access")
    header, row = out.splitlines()
    assert header.split() == ["ID", "TIME", "(UTC)", "KIND", "APP", "ACTOR", "SUBJECT", "DETAILS"]
    assert row.split()[3:6] == ["access", "hr-assistant", "alice"]
    assert run(cli.list_records, month, kind="bogus")[0] == 2


def test_verify_says_ok_with_what_it_checked(month: AuditStore) -> None:
    code, out, _ = run(cli.verify_trail, month, sink=None, public_keys=None)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"audit trail {month.trail_id}: OK"
    assert lines[1] == "  entries: 6 (#1..#6): intent 2, outcome 4"
    assert "MAC checked" in lines[2]
    assert "incomplete requests (intent, no outcome): 1" in out


def test_verify_names_the_first_bad_record(month: AuditStore, backend: Backend) -> None:
    backend.execute("UPDATE audit_records SET status = 200 WHERE seq = 3")
    backend.execute("DELETE FROM audit_records WHERE seq = 5")
    code, out, _ = run(cli.verify_trail, month, sink=None, public_keys=None)
    assert code == 1
    first, *rest = out.splitlines()
    assert first == (
        f"audit trail {month.trail_id}: FAILED — first bad entry #3: modified: "
        "its content does not match its hash"
    )
    assert "  also: entry #6: deleted: entries #5 are missing (gap before it)" in rest
    code, out, _ = run(cli.verify_trail, month, sink=None, public_keys=None, as_json=True)
    document = json.loads(out)
    assert (document["ok"], document["findings"][0]["seq"]) == (False, 3)


def test_purge_and_erase_report_what_they_did(month: AuditStore) -> None:
    code, out, _ = run(
        cli.purge, month, datetime(2025, 3, 20, tzinfo=UTC), actor="ops", dry_run=True
    )
    assert (code, out) == (
        0,
        "dry run: up to 5 entries before 2025-03-20T00:00:00+00:00 would lose their payloads\n",
    )
    signed: list[str] = []
    code, out, _ = run(
        cli.erase,
        month,
        "u1",
        app="hr-assistant",
        actor="dpo",
        reason="DSAR-1",
        after=lambda: signed.append("erase"),
    )
    assert code == 0
    assert out.startswith(
        "erased the end user in app hr-assistant: destroyed 1 data keys "
        "protecting 1 entries; recorded as entry #7"
    )
    code, out, _ = run(
        cli.purge,
        month,
        datetime(2025, 3, 20, tzinfo=UTC),
        actor="ops",
        dry_run=False,
        after=lambda: signed.append("purge"),
    )
    assert code == 0
    assert out.startswith("purged 5 payloads of entries before 2025-03-20T00:00:00+00:00")
    assert signed == ["erase", "purge"], "each anchored by a checkpoint"
    assert month.verify().ok
    assert run(cli.erase, month, "u1", app=None, actor="dpo", reason="")[0] == 2


def test_activity_reads_one_row_per_request_in_clear_and_no_payload(month: AuditStore) -> None:
    """What the console's dashboard counts: the latest outcome of each request, its clear
    columns only; an intent without outcome, an access entry and other months are left out."""
    store = month
    store.record_access([store.list_records(1)[0]], actor="console:rita", reason=NAME)
    rows = list(store.activity(RecordFilter(since=MAR, until=datetime(2025, 4, 1, tzinfo=UTC))))
    assert [(r.app, r.provider, r.region, r.decision) for r in rows] == [
        ("hr-assistant", "openai", "eu", "forwarded"),
        ("hr-assistant", "openai", "eu", "blocked"),
        ("support", "anthropic", "us", "forwarded"),
    ]
    assert rows[1].entity_counts == {"IBAN_CODE": 1, "PERSON": 1}
    assert rows[0].occurred_at == MAR
    assert rows[0].latency_ms == 412.5
    assert not hasattr(rows[0], "payload")
    assert NAME not in repr(rows)
    assert [r.app for r in store.activity(RecordFilter(app="support"))] == ["support"]
    assert [r.decision for r in store.activity(RecordFilter(region="eu", decision="blocked"))] == [
        "blocked"
    ]


def test_activity_reads_in_pages_without_losing_a_row(
    store: AuditStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit import review  # noqa: PLC0415

    monkeypatch.setattr(review, "PAGE", 2)
    for index in range(5):
        store.write(make_event(request_id=f"r{index}", occurred_at=MAR + timedelta(minutes=index)))
    assert [r.occurred_at.minute for r in store.activity(RecordFilter())] == [0, 1, 2, 3, 4]


def test_entries_after_a_seq_of_one_kind_since_a_time(store: AuditStore) -> None:
    from audit.events import Entry, EntryKind  # noqa: PLC0415

    def sign_out(minutes: int) -> Entry:
        return Entry(
            kind=EntryKind.SIGN_OUT,
            request_id=f"sign-out-{minutes}",
            occurred_at=MAR + timedelta(minutes=minutes),
            app="-",
            actor="vera",
            details={"session": f"s{minutes}", "until": 0},
        )

    old, first = (a.seq for a in store.append([sign_out(0), sign_out(10)]))
    store.write(make_event(occurred_at=MAR + timedelta(minutes=11)))
    [second] = (a.seq for a in store.append([sign_out(20)]))
    since = MAR + timedelta(minutes=5)
    found = store.entries_after(EntryKind.SIGN_OUT, after=0, since=since)
    assert [e.seq for e in found] == [first, second], "the old one and the request left out"
    assert [e.seq for e in store.entries_after(EntryKind.SIGN_OUT, after=first, since=since)] == [
        second
    ]
    assert old < first
