"""The dashboard's figures, from the groups the audit store counts in SQL over the trail's
clear columns (`AuditStore.tally`, `audit.tally`): no aiohttp, no query, never a payload.

1. A period is a span cut into buckets in UTC (24 hours by the hour; 7, 14 or 30 days by the
   day), the last one being the current hour or day.
2. Per bucket: requests by decision, by app and by destination (the provider, with its region
   when the config gives one); the requests a policy or rule in shadow mode would have
   decided differently (the record's clear `shadow` details: refused first, then blocked,
   then masked otherwise; one request counts once); personal-data findings by type (the
   occurrences the policy acted upon, as `entity_counts`); the median and 95th percentile
   (nearest rank) of detection and of the provider's time to answer (an outcome's clear
   `detect_ms` and `upstream_ms`; entries written before they were kept have none, and
   leave a gap). The store groups and ranks; this module only lays the groups out.
3. Beyond the `TOP` largest, series are summed into one (`OTHER`), so that a legend stays
   legible however many apps or types there are.
4. Per app and destination over the whole period: requests, forwarded, blocked, rejected or
   failed, shadow differences, findings, and the most frequent types.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from audit.events import Decision
from audit.tally import Tally
from proxy.console.charts import PALETTE, Chart, lines, stacked_bars

TOP = 6
OTHER = ""  # the key of the summed remainder; no app, provider or type is named ""
DECISIONS = tuple(d.value for d in Decision)
LATENCY = ("detect_p50", "detect_p95", "upstream_p50", "upstream_p95")
SHADOW = ("would_refuse", "would_block", "would_change")
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@dataclass(frozen=True)
class Period:
    name: str
    buckets: int
    step: timedelta

    def starts(self, now: datetime) -> tuple[datetime, ...]:
        """Where each bucket starts, oldest first; the last holds `now`."""
        if self.step == HOUR:
            end = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + HOUR
        else:
            end = datetime.combine(now.astimezone(UTC).date(), time.min, UTC) + DAY
        return tuple(end - self.step * (self.buckets - i) for i in range(self.buckets))


PERIODS = {
    period.name: period
    for period in (
        Period("24h", 24, HOUR),
        Period("7d", 7, DAY),
        Period("14d", 14, DAY),
        Period("30d", 30, DAY),
    )
}
DEFAULT_PERIOD = "14d"


def destination(provider: str | None, region: str | None) -> str:
    """How the dashboard names where a request went: `mistral (eu)`, or the provider alone."""
    name = provider or "-"
    return f"{name} ({region})" if region else name


@dataclass(frozen=True)
class Pair:
    """One app and destination over the whole period."""

    app: str
    provider: str | None
    region: str | None
    requests: int
    forwarded: int
    blocked: int
    refused: int  # rejected or failed
    shadow: int  # requests shadow mode would have decided differently
    findings: int
    types: tuple[tuple[str, int], ...]  # the most frequent, at most three

    @property
    def destination(self) -> str:
        return destination(self.provider, self.region)


@dataclass(frozen=True)
class Figures:
    starts: tuple[datetime, ...]
    step: timedelta
    decisions: dict[str, list[int]]
    shadow: dict[str, list[int]]
    apps: dict[str, list[int]]
    destinations: dict[str, list[int]]
    entities: dict[str, list[int]]
    latency: dict[str, list[float | None]]
    pairs: tuple[Pair, ...]

    @property
    def requests(self) -> int:
        return sum(sum(counts) for counts in self.decisions.values())

    def total(self, decision: str) -> int:
        return sum(self.decisions[decision])

    @property
    def findings(self) -> int:
        return sum(sum(counts) for counts in self.entities.values())

    @property
    def shadowed(self) -> int:
        return sum(sum(counts) for counts in self.shadow.values())


def top(series: dict[str, list[int]], keep: int = TOP) -> dict[str, list[int]]:
    """The `keep` largest series (by total, then name), the rest summed under `OTHER`."""
    ranked = sorted(series, key=lambda name: (-sum(series[name]), name))
    kept = {name: series[name] for name in ranked[:keep]}
    rest = ranked[keep:]
    if rest:
        kept[OTHER] = [sum(values) for values in zip(*(series[n] for n in rest), strict=True)]
    return kept


def summarise(tally: Tally, starts: Sequence[datetime], step: timedelta) -> Figures:
    """The figures of the buckets that start at `starts`, from the groups the store counted
    (`AuditStore.tally`, whose bucket i is the one that starts at `starts[i]`)."""
    size = len(starts)

    def series() -> defaultdict[str, list[int]]:
        return defaultdict(lambda: [0] * size)

    decisions = {decision: [0] * size for decision in DECISIONS}
    shadow = {difference: [0] * size for difference in SHADOW}
    apps, destinations, entities = series(), series(), series()
    pairs: dict[tuple[str, str | None, str | None], Counter[str]] = defaultdict(Counter)
    pair_types: dict[tuple[str, str | None, str | None], Counter[str]] = defaultdict(Counter)
    for group in tally.requests:
        n, bucket = group.requests, group.bucket
        decision = group.decision if group.decision in decisions else Decision.FAILED.value
        decisions[decision][bucket] += n
        apps[group.app][bucket] += n
        destinations[destination(group.provider, group.region)][bucket] += n
        key = (group.app, group.provider, group.region)
        if group.shadow in shadow:
            shadow[group.shadow][bucket] += n
            pairs[key]["shadow"] += n
        pairs[key]["requests"] += n
        pairs[key][decision] += n
    for finding in tally.findings:
        entities[finding.entity][finding.bucket] += finding.occurrences
        key = (finding.app, finding.provider, finding.region)
        pairs[key]["findings"] += finding.occurrences
        pair_types[key][finding.entity] += finding.occurrences
    latency: dict[str, list[float | None]] = {name: [None] * size for name in LATENCY}
    for found in tally.percentiles:
        latency[f"{found.stage}_p{found.share}"][found.bucket] = found.milliseconds
    table = tuple(
        sorted(
            (
                Pair(
                    app=app,
                    provider=provider,
                    region=region,
                    requests=counts["requests"],
                    forwarded=counts[Decision.FORWARDED.value],
                    blocked=counts[Decision.BLOCKED.value],
                    refused=counts[Decision.REJECTED.value] + counts[Decision.FAILED.value],
                    shadow=counts["shadow"],
                    findings=counts["findings"],
                    types=tuple(
                        sorted(pair_types[(app, provider, region)].items(), key=_by_count)[:3]
                    ),
                )
                for (app, provider, region), counts in pairs.items()
            ),
            key=lambda pair: (-pair.requests, pair.app, pair.destination),
        )
    )
    return Figures(
        starts=tuple(starts),
        step=step,
        decisions=decisions,
        shadow=shadow,
        apps=top(dict(apps)),
        destinations=top(dict(destinations)),
        entities=top(dict(entities)),
        latency=latency,
        pairs=table,
    )


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


@dataclass(frozen=True)
class Charts:
    decisions: Chart
    shadow: Chart
    apps: Chart
    destinations: Chart
    entities: Chart
    detection: Chart
    upstream: Chart


DECISION_COLORS = {
    Decision.FORWARDED.value: "#0b4f8a",
    Decision.BLOCKED.value: "#a3261b",
    Decision.REJECTED.value: "#8a6d00",
    Decision.FAILED.value: "#4a5360",
}


def bucket_label(start: datetime, step: timedelta, language: str) -> str:
    if step == HOUR:
        return start.strftime("%H:00")
    return start.strftime("%d/%m" if language == "fr" else "%b %d")


def charts_of(figures: Figures, t: Callable[[str], str], language: str) -> Charts:
    """The dashboard's charts, every name in the reader's language."""
    labels = [bucket_label(start, figures.step, language) for start in figures.starts]
    when = t("time")

    def named(series: dict[str, list[int]]) -> dict[str, list[int]]:
        return {(name if name != OTHER else t("other")): values for name, values in series.items()}

    def durations(stage: str) -> Chart:
        median, slow = t("p50"), t("p95")
        return lines(
            t(f"chart_{stage}"),
            when,
            labels,
            {median: figures.latency[f"{stage}_p50"], slow: figures.latency[f"{stage}_p95"]},
            colors={median: PALETTE[0], slow: PALETTE[1]},
            dashed=frozenset({slow}),
            unit="ms",
        )

    return Charts(
        decisions=stacked_bars(
            t("chart_decisions"),
            when,
            labels,
            {t(decision): counts for decision, counts in figures.decisions.items()},
            colors={t(decision): color for decision, color in DECISION_COLORS.items()},
        ),
        shadow=stacked_bars(
            t("chart_shadow"),
            when,
            labels,
            {t(difference): counts for difference, counts in figures.shadow.items()},
            colors={
                t("would_refuse"): PALETTE[4],
                t("would_block"): PALETTE[1],
                t("would_change"): PALETTE[2],
            },
        ),
        apps=stacked_bars(t("chart_apps"), when, labels, named(figures.apps)),
        destinations=stacked_bars(
            t("chart_destinations"), when, labels, named(figures.destinations)
        ),
        entities=stacked_bars(t("chart_entities"), when, labels, named(figures.entities)),
        detection=durations("detect"),
        upstream=durations("upstream"),
    )
