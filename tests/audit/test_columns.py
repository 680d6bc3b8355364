"""The audit record's one column table (`audit.columns`) and what derives from it."""

from __future__ import annotations

from datetime import UTC, datetime

from audit import chain
from audit.columns import HASHED_COLUMNS, RECORD_COLUMNS, SHOWN_COLUMNS, stored_row
from audit.events import Decision, Entry, EntryKind
from audit.models import RAW_RECORDS, RECORDS
from tests.audit.support import make_event

# The hashed columns of chain format voile-audit/v2, frozen here: stored trails verify
# only while the table hashes exactly these, in this order.
V2_HASHED = (
    ("seq", "int"),
    ("kind", "str"),
    ("request_id", "str"),
    ("occurred_at", "time"),
    ("written_at", "time"),
    ("app", "str"),
    ("provider", "str"),
    ("region", "str"),
    ("route", "str"),
    ("model", "str"),
    ("policy_name", "str"),
    ("policy_hash", "str"),
    ("decision", "str"),
    ("status", "int"),
    ("error_code", "str"),
    ("entity_counts", "str"),
    ("entity_actions", "str"),
    ("latency_ms", "float"),
    ("prompt_tokens", "int"),
    ("completion_tokens", "int"),
    ("unresolved_placeholders", "int"),
    ("end_user_hash", "str"),
    ("subject_seq", "int"),
    ("actor", "str"),
    ("details", "str"),
    ("key_id", "str"),
    ("payload_digest", "str"),
    ("legacy_id", "int"),
    ("prev_hash", "str"),
)


def test_the_model_has_the_tables_columns_in_its_order() -> None:
    names = tuple(column.name for column in RECORD_COLUMNS)
    assert tuple(RECORDS.columns.keys()) == names
    assert tuple(RAW_RECORDS.columns.keys()) == names


def test_the_hashed_columns_are_those_of_the_chain_format() -> None:
    assert chain.FORMAT == "voile-audit/v2"
    assert HASHED_COLUMNS == V2_HASHED
    assert chain.HASHED_COLUMNS is HASHED_COLUMNS
    assert set(chain.STORED_COLUMNS) == {column.name for column in RECORD_COLUMNS}


def test_an_entry_gives_every_column_but_the_stores_own() -> None:
    entry = Entry.outcome(make_event())
    row = stored_row(entry, {})
    own = {
        "seq",
        "written_at",
        "end_user_hash",
        "key_id",
        "payload",
        "payload_digest",
        "legacy_id",
        "prev_hash",
        "chain_hash",
        "mac_key_id",
        "mac",
    }
    assert set(row) == {column.name for column in RECORD_COLUMNS} - own
    assert row["entity_counts"] == '{"EMAIL_ADDRESS":2,"PERSON":1}'
    assert row["decision"] == "forwarded"
    assert "seq" in SHOWN_COLUMNS
    assert "payload" not in SHOWN_COLUMNS


def test_an_intent_has_no_status_latency_or_usage_whoever_writes_it() -> None:
    event = make_event(intent_seq=None)
    intent = Entry.intent(event)
    assert (intent.kind, intent.decision) == (EntryKind.INTENT, Decision.FORWARDED)
    assert (intent.status, intent.latency_ms, intent.prompt_tokens, intent.completion_tokens) == (
        None,
        None,
        None,
        None,
    )
    outcome = Entry.outcome(make_event(intent_seq=7))
    assert (outcome.kind, outcome.status, outcome.subject_seq) == (EntryKind.OUTCOME, 200, 7)
    assert outcome.occurred_at == datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)
