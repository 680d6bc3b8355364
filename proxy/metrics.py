"""Counters the proxy exposes at `GET /metrics`, in Prometheus' text format.

Label values are always Voile's own codes (reasons, error codes, entity types), never
caller text: a metric is as public as a log line. A handful of counters do not justify a
dependency; the exposition format written here is the plain-text one Prometheus scrapes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

Labels = tuple[tuple[str, str], ...]


class Metrics:
    def __init__(self) -> None:
        self._counters: Counter[tuple[str, Labels]] = Counter()

    def inc(self, name: str, amount: int = 1, **labels: str) -> None:
        self._counters[(name, tuple(sorted(labels.items())))] += amount

    def value(self, name: str, **labels: str) -> int:
        return self._counters[(name, tuple(sorted(labels.items())))]

    def render(self, sampled: Mapping[str, int] | None = None) -> str:
        """Every counter, then `sampled` figures read from other parts at scrape time (a name
        ending in `_total` is a counter, any other a gauge)."""
        lines: list[str] = []
        typed: set[str] = set()
        for (name, labels), value in sorted(self._counters.items()):
            if name not in typed:
                lines.append(f"# TYPE {name} counter")
                typed.add(name)
            rendered = ",".join(f'{key}="{_escape(val)}"' for key, val in labels)
            lines.append(f"{name}{{{rendered}}} {value}" if rendered else f"{name} {value}")
        for name, value in sorted((sampled or {}).items()):
            lines.append(f"# TYPE {name} {'counter' if name.endswith('_total') else 'gauge'}")
            lines.append(f"{name} {value}")
        return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
