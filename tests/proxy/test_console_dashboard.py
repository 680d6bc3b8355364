"""The console's dashboard as plain values (issue 14, item 1): periods cut into UTC buckets,
requests counted by decision, app, destination and type, latency percentiles, the app and
destination table (`proxy.console.dashboard`); and the charts' geometry, labels and colours
(`proxy.console.charts`). The pages themselves: tests/proxy/test_console.py and, in a
browser, test_console_browser.py."""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from audit.events import AuditEvent, Decision
from audit.keys import Keyring
from audit.review import Activity, RecordFilter
from audit.store import AuditStore
from audit.tally import Percentile, RequestGroup, Tally
from proxy.console.charts import (
    HEIGHT,
    PALETTE,
    contrast,
    lines,
    nice_ceiling,
    stacked_bars,
)
from proxy.console.dashboard import (
    DAY,
    DECISIONS,
    HOUR,
    LATENCY,
    OTHER,
    PERIODS,
    SHADOW,
    Figures,
    Pair,
    charts_of,
    destination,
    summarise,
    top,
)
from proxy.console.i18n import MESSAGES, translator
from tests.audit.support import postgres_backend, sqlite_backend

NOW = datetime(2025, 3, 14, 9, 26, tzinfo=UTC)


def activity(when: datetime, **overrides: Any) -> Activity:
    values: dict[str, Any] = {
        "seq": 1,
        "occurred_at": when,
        "app": "support",
        "provider": "openai",
        "region": "us",
        "decision": "forwarded",
        "entity_counts": {},
        "latency_ms": 100.0,
        "details": {},
    }
    values.update(overrides)
    return Activity(**values)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditStore]:
    """An empty trail on SQLite, then on the test PostgreSQL server: the dashboard's counts
    are the database's (`AuditStore.tally`), and both must give the same figures."""
    if request.param == "sqlite":
        backend = sqlite_backend(tmp_path)
    else:
        backend = postgres_backend(request.getfixturevalue("pg_schema"))
    with AuditStore(backend.url, Keyring.generate()) as opened:
        opened.create_schema()
        yield opened


def write(store: AuditStore, rows: Iterable[Activity]) -> None:
    """Each row as the outcome of a request of its own, as the proxy writes it."""
    for n, row in enumerate(rows):
        store.write(
            AuditEvent(
                request_id=f"req-{n}",
                occurred_at=row.occurred_at,
                app=row.app,
                provider=row.provider or "-",
                route="/v1/chat/completions",
                decision=Decision(row.decision),
                status=200,
                region=row.region,
                entity_counts=row.entity_counts,
                details=row.details,
                latency_ms=row.latency_ms or 0.0,
            )
        )


def counted(
    store: AuditStore, rows: Iterable[Activity], starts: Sequence[datetime], step: timedelta
) -> Figures:
    write(store, rows)
    filters = RecordFilter(since=starts[0], until=starts[-1] + step)
    return summarise(store.tally(filters, starts, starts[-1] + step), starts, step)


# -- periods and counting ------------------------------------------------------------------------


def test_a_day_period_ends_with_today_and_an_hour_period_with_this_hour() -> None:
    days = PERIODS["7d"].starts(NOW)
    assert days[-1] == datetime(2025, 3, 14, tzinfo=UTC)
    assert days[0] == datetime(2025, 3, 8, tzinfo=UTC)
    assert len(days) == 7
    hours = PERIODS["24h"].starts(NOW)
    assert hours[-1] == datetime(2025, 3, 14, 9, tzinfo=UTC)
    assert hours[0] == datetime(2025, 3, 13, 10, tzinfo=UTC)
    assert len(hours) == 24
    assert PERIODS["30d"].starts(NOW)[0] == datetime(2025, 2, 13, tzinfo=UTC)


def test_requests_are_counted_in_their_bucket_by_decision_app_destination_and_type(
    store: AuditStore,
) -> None:
    starts = PERIODS["7d"].starts(NOW)
    rows = [
        activity(NOW, entity_counts={"PERSON": 2, "EMAIL_ADDRESS": 1}),
        activity(NOW - DAY, app="hr", provider="mistral", region="eu", decision="blocked"),
        activity(NOW - 2 * DAY, provider="local", region=None, decision="failed"),
        activity(NOW - 30 * DAY),  # before the period: not counted
        activity(NOW + DAY),  # after it (a clock ahead): not counted
    ]
    figures = counted(store, rows, starts, DAY)
    assert figures.decisions["forwarded"] == [0, 0, 0, 0, 0, 0, 1]
    assert figures.decisions["blocked"] == [0, 0, 0, 0, 0, 1, 0]
    assert figures.decisions["failed"] == [0, 0, 0, 0, 1, 0, 0]
    assert figures.apps == {"support": [0, 0, 0, 0, 1, 0, 1], "hr": [0, 0, 0, 0, 0, 1, 0]}
    assert set(figures.destinations) == {"openai (us)", "mistral (eu)", "local"}
    assert figures.entities == {"PERSON": [0] * 6 + [2], "EMAIL_ADDRESS": [0] * 6 + [1]}
    assert (figures.requests, figures.total("blocked"), figures.findings) == (3, 1, 3)


def test_the_app_and_destination_table_sums_the_period(store: AuditStore) -> None:
    starts = PERIODS["14d"].starts(NOW)
    rows = [
        activity(NOW, entity_counts={"PERSON": 2, "IBAN_CODE": 1}),
        activity(NOW - DAY, entity_counts={"PERSON": 1, "LOCATION": 4, "FR_NIR": 1}),
        activity(NOW - DAY, decision="blocked", entity_counts={"IBAN_CODE": 1}),
        activity(NOW, decision="rejected"),
        activity(NOW, app="hr", provider="mistral", region="eu"),
    ]
    first, second = counted(store, rows, starts, DAY).pairs
    assert (first.app, first.destination) == ("support", "openai (us)")
    assert (first.requests, first.forwarded, first.blocked, first.refused) == (4, 2, 1, 1)
    assert first.findings == 10
    assert first.types == (("LOCATION", 4), ("PERSON", 3), ("IBAN_CODE", 2))
    assert (second.app, second.destination, second.requests) == ("hr", "mistral (eu)", 1)


def test_shadow_differences_count_once_per_request_by_the_strongest(store: AuditStore) -> None:
    starts = PERIODS["7d"].starts(NOW)
    policy = {"policy": "strict", "policy_hash": "ab" * 32}
    rows = [
        activity(NOW, details={"shadow": {**policy, "would_refuse": "destination_not_allowed"}}),
        activity(NOW, details={"shadow": {**policy, "would_block": ["PERSON"], "entities": {}}}),
        activity(NOW, details={"shadow": {**policy, "entities": {"PERSON": {"block": 1}}}}),
        activity(NOW - DAY, app="hr", details={"shadow": {**policy, "would_block": ["IBAN_CODE"]}}),
        activity(NOW, details={"shadow": {**policy, "error": "detection_failed"}}),  # no verdict
        activity(NOW, details={"shadow": "garbage"}),
        activity(NOW),
    ]
    figures = counted(store, rows, starts, DAY)
    assert figures.shadow == {
        "would_refuse": [0] * 6 + [1],
        "would_block": [0] * 5 + [1, 1],
        "would_change": [0] * 6 + [1],
    }
    assert figures.shadowed == 4
    support, hr = figures.pairs
    assert (support.app, support.shadow, hr.app, hr.shadow) == ("support", 3, "hr", 1)


def test_latency_percentiles_per_bucket_leave_gaps_where_nothing_was_measured(
    store: AuditStore,
) -> None:
    starts = PERIODS["24h"].starts(NOW)
    rows = [
        activity(NOW, details={"detect_ms": ms, "upstream_ms": 10 * ms}) for ms in range(1, 101)
    ]
    rows.append(activity(NOW - HOUR, decision="blocked", details={"detect_ms": 7}))
    rows.append(activity(NOW - HOUR, details={"detect_ms": "slow", "upstream_ms": True}))
    latency = counted(store, rows, starts, HOUR).latency
    assert latency["detect_p50"][-1] == 50
    assert latency["detect_p95"][-1] == 95
    assert latency["upstream_p95"][-1] == 950
    assert latency["detect_p50"][-2] == 7, "a value that is no number is ignored"
    assert latency["upstream_p50"][-2] is None
    assert latency["detect_p50"][0] is None


def test_the_databases_count_what_counting_each_request_in_python_did(
    store: AuditStore,
) -> None:
    """A varied trail (apps, destinations with and without a region, every decision, entity
    counts, shadow verdicts, timings that are numbers, booleans, text or missing, entries
    outside the period, intents, and a request with two outcomes) gives the very figures
    the dashboard counted in Python, request by request, before the counting moved to SQL
    (`in_python`, below, is that code)."""
    rng = random.Random(14)
    starts = PERIODS["7d"].starts(NOW)
    policy = {"policy": "strict", "policy_hash": "ab" * 32}
    verdicts: list[dict[str, Any]] = [
        {},
        {"shadow": {**policy, "would_refuse": "destination_not_allowed"}},
        {"shadow": {**policy, "would_block": ["IBAN_CODE"], "entities": {"PERSON": {"hash": 1}}}},
        {"shadow": {**policy, "entities": {"PERSON": {"block": 2}}}},
        {"shadow": {**policy, "error": "detection_failed"}},
    ]
    timings: list[object] = [None, 0, 3, 17, 250, 1200, True, "slow", -5, 12.5]
    rows = []
    for n in range(160):
        when = NOW - timedelta(minutes=rng.randrange(0, 9 * 24 * 60))  # some before the period
        details: dict[str, Any] = dict(rng.choice(verdicts))
        for stage in ("detect_ms", "upstream_ms"):
            value = rng.choice(timings)
            if value is not None:
                details[stage] = value
        rows.append(
            activity(
                when,
                seq=n,
                app=rng.choice(["support", "hr", "sales", "legal", "ops", "it", "data", "bi"]),
                provider=rng.choice(["openai", "mistral", "local"]),
                region=rng.choice(["us", "eu", None]),
                decision=rng.choice(DECISIONS),
                entity_counts={
                    kind: rng.randrange(0, 4)
                    for kind in rng.sample(["PERSON", "EMAIL_ADDRESS", "IBAN_CODE", "FR_NIR"], 2)
                },
                details=details,
            )
        )
    write(store, rows)
    # The answer of req-0 withheld (503): its second outcome is the one that counts.
    store.write(
        AuditEvent(
            request_id="req-0",
            occurred_at=NOW,
            app="support",
            provider="openai",
            route="/v1/chat/completions",
            decision=Decision.FORWARDED,
            status=503,
            entity_counts={"PERSON": 5},
        )
    )
    store.write_intent(  # an intent alone is no request's outcome
        AuditEvent(
            request_id="req-intent",
            occurred_at=NOW,
            app="support",
            provider="openai",
            route="/v1/chat/completions",
            decision=Decision.FORWARDED,
            status=0,
            entity_counts={"PERSON": 9},
        )
    )
    filters = RecordFilter(since=starts[0], until=starts[-1] + DAY)
    in_sql = summarise(store.tally(filters, starts, starts[-1] + DAY), starts, DAY)
    expected = in_python(store.activity(filters), starts, DAY)
    assert in_sql.requests > 100, "the check has something to count"
    assert in_sql.shadowed
    assert in_sql.findings
    assert in_sql.latency["detect_p95"][-1] is not None
    assert in_sql == expected


def in_python(rows: Iterable[Activity], starts: Sequence[datetime], step: timedelta) -> Figures:
    """The dashboard's former counting, one request at a time: the reference the database's
    counts are checked against."""
    size = len(starts)
    first, end = starts[0], starts[-1] + step

    def series() -> defaultdict[str, list[int]]:
        return defaultdict(lambda: [0] * size)

    def milliseconds(details: dict[str, object], key: str) -> float | None:
        value = details.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            return None
        return float(value)

    def difference(details: dict[str, object]) -> str | None:
        shadow = details.get("shadow")
        if not isinstance(shadow, dict):
            return None
        if shadow.get("would_refuse"):
            return "would_refuse"
        if shadow.get("would_block"):
            return "would_block"
        return "would_change" if shadow.get("entities") else None

    def percentile(values: Sequence[float], share: float) -> float | None:
        ordered = sorted(values)
        return float(ordered[max(0, math.ceil(share * len(ordered)) - 1)]) if values else None

    decisions = {decision: [0] * size for decision in DECISIONS}
    shadow = {kind: [0] * size for kind in SHADOW}
    apps, destinations, entities = series(), series(), series()
    timings: dict[str, list[list[float]]] = {"detect": [[] for _ in starts], "upstream": []}
    timings["upstream"] = [[] for _ in starts]
    pairs: dict[tuple[str, str | None, str | None], Counter[str]] = defaultdict(Counter)
    types: dict[tuple[str, str | None, str | None], Counter[str]] = defaultdict(Counter)
    for row in rows:
        if not first <= row.occurred_at < end:
            continue
        bucket = int((row.occurred_at - first) / step)
        decision = row.decision if row.decision in decisions else "failed"
        decisions[decision][bucket] += 1
        apps[row.app][bucket] += 1
        destinations[destination(row.provider, row.region)][bucket] += 1
        for kind, count in row.entity_counts.items():
            entities[kind][bucket] += count
        for stage, values in timings.items():
            measured = milliseconds(row.details, f"{stage}_ms")
            if measured is not None:
                values[bucket].append(measured)
        key = (row.app, row.provider, row.region)
        found = difference(row.details)
        if found is not None:
            shadow[found][bucket] += 1
            pairs[key]["shadow"] += 1
        pairs[key]["requests"] += 1
        pairs[key][decision] += 1
        pairs[key]["findings"] += sum(row.entity_counts.values())
        types[key].update(row.entity_counts)
    latency = {
        f"{stage}_p{share}": [percentile(values, share / 100) for values in per_bucket]
        for stage, per_bucket in timings.items()
        for share in (50, 95)
    }
    table = sorted(
        (
            Pair(
                app,
                provider,
                region,
                counts["requests"],
                counts["forwarded"],
                counts["blocked"],
                counts["rejected"] + counts["failed"],
                counts["shadow"],
                counts["findings"],
                tuple(
                    sorted(types[(app, provider, region)].items(), key=lambda t: (-t[1], t[0]))[:3]
                ),
            )
            for (app, provider, region), counts in pairs.items()
        ),
        key=lambda pair: (-pair.requests, pair.app, pair.destination),
    )
    return Figures(
        tuple(starts),
        step,
        decisions,
        shadow,
        top(dict(apps)),
        top(dict(destinations)),
        top(dict(entities)),
        {name: latency[name] for name in LATENCY},
        tuple(table),
    )


def test_percentiles_are_nearest_rank(store: AuditStore) -> None:
    """The value of rank ceil(p·n): for 4 values, the 2nd is the median and the 4th the
    95th percentile; one value is every percentile."""
    starts = PERIODS["24h"].starts(NOW)
    rows = [activity(NOW, details={"detect_ms": ms}) for ms in (4, 1, 3, 2)]
    rows.append(activity(NOW - HOUR, details={"detect_ms": 3}))
    latency = counted(store, rows, starts, HOUR).latency
    assert (latency["detect_p50"][-1], latency["detect_p95"][-1]) == (2.0, 4.0)
    assert (latency["detect_p50"][-2], latency["detect_p95"][-2]) == (3.0, 3.0)


def test_beyond_the_largest_series_the_rest_is_summed_as_other() -> None:
    series = {f"app{i}": [i, 1] for i in range(9)}
    kept = top(series, keep=3)
    assert list(kept) == ["app8", "app7", "app6", OTHER]
    assert kept[OTHER] == [sum(range(6)), 6]
    assert top({"a": [1], "b": [1]}, keep=3) == {"a": [1], "b": [1]}


def test_a_destination_names_its_region_when_the_config_gives_one() -> None:
    assert destination("mistral", "eu") == "mistral (eu)"
    assert destination("ollama", None) == "ollama"
    assert destination(None, None) == "-"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_charts_speak_the_readers_language(language: str) -> None:
    starts = PERIODS["7d"].starts(NOW)
    tally = Tally(
        [RequestGroup(6, f"app{i}", "openai", "us", "forwarded", None, 1) for i in range(8)],
        [],
        [Percentile("detect", share, 6, 20.0) for share in (50, 95)],
    )
    figures = summarise(tally, starts, DAY)
    words = MESSAGES[language]
    charts = charts_of(figures, translator(language), language)
    assert charts.decisions.title == words["chart_decisions"]
    assert [item.name for item in charts.decisions.legend] == [
        words[d] for d in ("forwarded", "blocked", "rejected", "failed")
    ]
    assert charts.apps.legend[-1].name == words["other"]
    assert [item.name for item in charts.shadow.legend] == [
        words[d] for d in ("would_refuse", "would_block", "would_change")
    ]
    assert charts.detection.legend[1].dashed
    assert charts.detection.legend[1].name == words["p95"]
    assert charts.decisions.rows[-1][0] == ("14/03" if language == "fr" else "Mar 14")


# -- charts ---------------------------------------------------------------------------------------


def test_every_colour_stands_out_from_the_page() -> None:
    """WCAG 1.4.11: graphical objects need 3:1 against what is next to them."""
    for color in PALETTE:
        assert contrast(color) >= 3.0, color
    assert contrast("#ffffff") == 1.0
    assert round(contrast("#000000"), 1) == 21.0
    assert len(set(PALETTE)) == len(PALETTE)


@pytest.mark.parametrize(
    ("peak", "expected"),
    [
        (0, (4, 1)),
        (3, (4, 1)),
        (7, (8, 2)),
        (9, (10, 2)),
        (50, (50, 10)),
        (123, (200, 50)),
        (2000, (2000, 500)),
        (0.3, (0.4, 0.1)),
    ],
)
def test_the_axis_ends_on_a_round_number_above_the_peak(
    peak: float, expected: tuple[float, float]
) -> None:
    top_value, step = nice_ceiling(peak)
    assert (round(top_value, 6), round(step, 6)) == expected
    assert top_value >= peak


def test_counts_get_whole_ticks() -> None:
    assert nice_ceiling(1, whole=True) == (4, 1)
    assert nice_ceiling(1) == (1.0, 0.2)


def test_stacked_bars_are_proportional_and_named() -> None:
    chart = stacked_bars(
        "Requests", "Time", ["d1", "d2", "d3"], {"ok": [2, 0, 4], "blocked": [2, 0, 0]}
    )
    by_title = {bar.title: bar for bar in chart.bars}
    assert set(by_title) == {"d1 · ok: 2", "d1 · blocked: 2", "d3 · ok: 4"}, "no empty bar"
    full = chart.plot_height
    assert by_title["d3 · ok: 4"].height == pytest.approx(full)  # 4 is the axis' top
    assert by_title["d1 · ok: 2"].height == pytest.approx(full / 2)
    ok, blocked = by_title["d1 · ok: 2"], by_title["d1 · blocked: 2"]
    assert blocked.y + blocked.height == pytest.approx(ok.y), "stacked, no overlap"
    assert ok.y + ok.height == pytest.approx(chart.bottom)
    assert ok.color != blocked.color
    assert chart.summary == "Requests. ok: 6; blocked: 2."
    assert chart.rows == (("d1", "2", "2"), ("d2", "0", "0"), ("d3", "4", "0"))
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2", "3", "4"]
    assert chart.bottom < HEIGHT


def test_x_labels_are_thinned_to_fit_and_the_latest_bucket_is_labelled() -> None:
    labels = [f"{day:02d}" for day in range(1, 31)]
    chart = stacked_bars("t", "Time", labels, {"a": [1] * 30})
    shown = [tick.label for tick in chart.x_ticks]
    assert len(shown) <= 12
    assert shown[-1] == "30"


def test_lines_break_where_a_bucket_has_no_value() -> None:
    chart = lines(
        "Detection",
        "Time",
        ["a", "b", "c", "d", "e"],
        {"median": [10.0, 20.0, None, 40.0, 50.0], "p95": [None, None, 5.0, None, None]},
        colors={"median": PALETTE[0]},
        dashed=frozenset({"p95"}),
        unit="ms",
    )
    median, slow = chart.lines
    assert len(median.segments) == 2, "a gap, not a line through nothing"
    assert slow.segments == [], "a lone value is a dot, not a line"
    assert len(slow.points) == 1
    assert slow.dashed
    assert median.color == PALETTE[0]
    assert median.points[0].title == "a · median: 10 ms"
    assert chart.rows[2] == ("c", "", "5")
    assert chart.summary == "Detection. median: max 50 ms; p95: max 5 ms."
    assert not chart.empty
    assert lines("x", "Time", ["a"], {"m": [None]}).empty
