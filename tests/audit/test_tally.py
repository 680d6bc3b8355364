"""`AuditStore.tally` (`audit.tally`), on SQLite and PostgreSQL: requests grouped per bucket,
app, destination, decision and shadow verdict, findings per type, nearest-rank percentiles;
an entry at a bucket's start is in that bucket, one at the end of the last is out. What the
console makes of the groups, checked against counting each request: in
tests/proxy/test_console_dashboard.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from audit.review import RecordFilter
from audit.store import AuditStore
from audit.tally import FindingGroup, Percentile, RequestGroup
from tests.audit.support import make_event

START = datetime(2025, 3, 14, tzinfo=UTC)
HOUR = timedelta(hours=1)
STARTS = [START, START + HOUR, START + 2 * HOUR]
END = START + 3 * HOUR


def test_requests_findings_and_percentiles_per_bucket(store: AuditStore) -> None:
    events = [
        make_event(request_id="a", occurred_at=START, details={"detect_ms": 10}),
        make_event(request_id="b", occurred_at=START + HOUR - timedelta(microseconds=1)),
        make_event(request_id="c", occurred_at=START + HOUR, details={"detect_ms": 30}),
        make_event(
            request_id="d",
            occurred_at=START + HOUR,
            details={"detect_ms": 20, "upstream_ms": 900},
            shadow={"policy": "strict", "would_block": ["PERSON"]},
        ),
        make_event(request_id="e", occurred_at=END),  # the end is not in the period
        make_event(request_id="f", occurred_at=START - HOUR),
    ]
    for event in events:
        store.write(event)
    tally = store.tally(RecordFilter(), STARTS, END)
    assert sorted(tally.requests, key=lambda g: (g.bucket, str(g.shadow))) == [
        RequestGroup(0, "hr-assistant", "openai", None, "forwarded", None, 2),
        RequestGroup(1, "hr-assistant", "openai", None, "forwarded", None, 1),
        RequestGroup(1, "hr-assistant", "openai", None, "forwarded", "would_block", 1),
    ]
    assert sorted(tally.findings, key=lambda g: (g.bucket, g.entity)) == [
        FindingGroup(0, "hr-assistant", "openai", None, "EMAIL_ADDRESS", 4),
        FindingGroup(0, "hr-assistant", "openai", None, "PERSON", 2),
        FindingGroup(1, "hr-assistant", "openai", None, "EMAIL_ADDRESS", 4),
        FindingGroup(1, "hr-assistant", "openai", None, "PERSON", 2),
    ]
    assert sorted(tally.percentiles, key=lambda p: (p.stage, p.bucket, p.share)) == [
        Percentile("detect", 50, 0, 10.0),
        Percentile("detect", 95, 0, 10.0),
        Percentile("detect", 50, 1, 20.0),
        Percentile("detect", 95, 1, 30.0),
        Percentile("upstream", 50, 1, 900.0),
        Percentile("upstream", 95, 1, 900.0),
    ]


def test_a_tally_needs_buckets_in_aware_times(store: AuditStore) -> None:
    with pytest.raises(ValueError, match="at least one bucket"):
        store.tally(RecordFilter(), [], END)
    with pytest.raises(ValueError, match="starts"):
        store.tally(RecordFilter(), [datetime(2025, 3, 14)], END)
    assert store.tally(RecordFilter(), STARTS, END).requests == []
