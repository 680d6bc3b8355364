"""Charts as geometry for server-rendered SVG: plain values, no I/O, no markup. The template
(`charts.html`) draws what these return; Jinja2 escapes every label.

1. Two kinds, enough for the dashboard: bars stacked per time bucket (counts) and lines (a
   duration per bucket, gaps where nothing was measured). Both share one plot frame, a
   y axis with round ticks (1, 2 or 5 times a power of ten; whole numbers for counts) and
   x labels thinned to fit, the latest always shown.
2. Colour never carries meaning alone: every series is named in a legend and in each bar's
   or point's tooltip, dashed lines tell percentiles apart, and each chart comes with its
   data as a table and a one-sentence summary for screen readers (`summary`).
3. `PALETTE` holds colours with a contrast of at least 3:1 against the white page (WCAG
   1.4.11, graphical objects); a test computes it. Neighbouring bars are separated by a white
   gap so stacked segments never touch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Dark enough on white (>= 3:1), and told apart from their neighbours in the list.
PALETTE = (
    "#0b4f8a",  # blue
    "#a3261b",  # red
    "#8a6d00",  # ochre
    "#1d6b35",  # green
    "#6b3fa0",  # purple
    "#00707a",  # teal
    "#b0400f",  # orange
    "#4a5360",  # grey
)

WIDTH = 720.0
HEIGHT = 240.0
LEFT = 56.0  # room for the y axis' labels
RIGHT = 12.0
TOP = 12.0
BOTTOM = 28.0  # room for the x axis' labels
MAX_X_LABELS = 12


@dataclass(frozen=True)
class Tick:
    at: float  # pixels along the axis
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str  # "Dec 04 · support: 3"


@dataclass(frozen=True)
class Point:
    bucket: int
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Line:
    name: str
    color: str
    dashed: bool
    points: tuple[Point, ...]

    @property
    def segments(self) -> list[str]:
        """`points` attributes of the polylines: runs of consecutive buckets with a value
        (a bucket where nothing was measured breaks the line; a lone point is a dot)."""
        runs: list[list[Point]] = []
        for point in self.points:
            if runs and runs[-1][-1].bucket == point.bucket - 1:
                runs[-1].append(point)
            else:
                runs.append([point])
        return [" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in runs if len(run) > 1]


@dataclass(frozen=True)
class LegendItem:
    name: str
    color: str
    dashed: bool = False


@dataclass(frozen=True)
class Chart:
    """One chart: its frame, axes, marks, legend, and the data again as a table."""

    title: str
    summary: str
    unit: str
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]
    lines: tuple[Line, ...]
    legend: tuple[LegendItem, ...]
    columns: tuple[str, ...]  # the table's: the time, then each series
    rows: tuple[tuple[str, ...], ...]
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    top: float = TOP

    @property
    def plot_width(self) -> float:
        return self.width - LEFT - RIGHT

    @property
    def plot_height(self) -> float:
        return self.height - TOP - BOTTOM

    @property
    def bottom(self) -> float:
        return self.top + self.plot_height

    @property
    def empty(self) -> bool:
        return not self.bars and not any(line.points for line in self.lines)


def nice_ceiling(peak: float, *, whole: bool = False) -> tuple[float, float]:
    """The axis' top and its step: the lowest top of 4 or 5 steps of 1, 2 or 5 times a
    power of ten that reaches `peak` (`whole`: steps of at least 1, for counts). A peak of
    0 still gets an axis, up to 4."""
    if peak <= 0:
        return 4.0, 1.0
    power = float(10 ** math.floor(math.log10(peak / 5)))
    best: tuple[float, float] | None = None
    for scale in (power, power * 10):
        for multiple in (1, 2, 5):
            step = multiple * scale
            if whole and step < 1:
                continue
            for count in (4, 5):
                if step * count >= peak and (best is None or step * count < best[0]):
                    best = (step * count, step)
    assert best is not None, "50 * power * 5 >= 5 * peak"
    return best


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _y_ticks(top_value: float, step: float, plot_height: float) -> tuple[Tick, ...]:
    count = round(top_value / step)
    return tuple(
        Tick(TOP + plot_height - plot_height * i / count, _number(step * i))
        for i in range(count + 1)
    )


def _x_ticks(labels: Sequence[str], slot: float) -> tuple[Tick, ...]:
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    last = len(labels) - 1
    return tuple(
        Tick(LEFT + slot * (i + 0.5), label)
        for i, label in enumerate(labels)
        if (last - i) % every == 0  # the latest bucket is always labelled
    )


def _color(index: int, fixed: Mapping[str, str], name: str) -> str:
    return fixed.get(name, PALETTE[index % len(PALETTE)])


def stacked_bars(
    title: str,
    time_label: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[int]],
    *,
    colors: Mapping[str, str] | None = None,
    unit: str = "",
) -> Chart:
    """Counts per bucket (`labels`), one stacked segment per series, in `series`' order
    from the bottom up."""
    fixed = colors or {}
    names = list(series)
    totals = [sum(series[name][i] for name in names) for i in range(len(labels))]
    top_value, step = nice_ceiling(max(totals, default=0), whole=True)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    gap = min(6.0, slot * 0.2)
    bars = []
    for i, label in enumerate(labels):
        base = TOP + plot_height
        for index, name in enumerate(names):
            value = series[name][i]
            if value <= 0:
                continue
            height = plot_height * value / top_value
            bars.append(
                Bar(
                    x=round(LEFT + slot * i + gap / 2, 1),
                    y=round(base - height, 1),
                    width=round(slot - gap, 1),
                    height=round(height, 1),
                    color=_color(index, fixed, name),
                    title=f"{label} · {name}: {value}",
                )
            )
            base -= height
    summary = "; ".join(f"{name}: {sum(series[name])}" for name in names)
    return Chart(
        title=title,
        summary=f"{title}. {summary}." if names else f"{title}.",
        unit=unit,
        y_ticks=_y_ticks(top_value, step, plot_height),
        x_ticks=_x_ticks(labels, slot),
        bars=tuple(bars),
        lines=(),
        legend=tuple(
            LegendItem(name, _color(index, fixed, name)) for index, name in enumerate(names)
        ),
        columns=(time_label, *names),
        rows=tuple(
            (label, *(str(series[name][i]) for name in names)) for i, label in enumerate(labels)
        ),
    )


def lines(
    title: str,
    time_label: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    colors: Mapping[str, str] | None = None,
    dashed: frozenset[str] = frozenset(),
    unit: str = "",
) -> Chart:
    """A value per bucket per series; None where nothing was measured (a gap)."""
    fixed = colors or {}
    names = list(series)
    values = [v for name in names for v in series[name] if v is not None]
    top_value, step = nice_ceiling(max(values, default=0.0))
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    drawn = []
    for index, name in enumerate(names):
        points = tuple(
            Point(
                i,
                round(LEFT + slot * (i + 0.5), 1),
                round(TOP + plot_height - plot_height * value / top_value, 1),
                f"{labels[i]} · {name}: {_number(value)} {unit}".rstrip(),
            )
            for i, value in enumerate(series[name])
            if value is not None
        )
        drawn.append(Line(name, _color(index, fixed, name), name in dashed, points))
    summary = "; ".join(
        f"{name}: max {_number(max(measured))} {unit}".rstrip()
        for name in names
        if (measured := [v for v in series[name] if v is not None])
    )
    return Chart(
        title=title,
        summary=f"{title}. {summary}." if summary else f"{title}.",
        unit=unit,
        y_ticks=_y_ticks(top_value, step, plot_height),
        x_ticks=_x_ticks(labels, slot),
        bars=(),
        lines=tuple(drawn),
        legend=tuple(LegendItem(line.name, line.color, line.dashed) for line in drawn),
        columns=(time_label, *names),
        rows=tuple(
            (
                label,
                *(
                    "" if series[name][i] is None else _number(float(series[name][i] or 0))
                    for name in names
                ),
            )
            for i, label in enumerate(labels)
        ),
    )


def contrast(color: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two `#rrggbb` colours."""

    def luminance(value: str) -> float:
        channels = [int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(color), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
