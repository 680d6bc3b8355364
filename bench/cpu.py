"""CPU time per process during a benchmark phase, from /proc (Linux).

On this shared two-core machine a throughput figure is the CPU left to a proxy divided by
the CPU one request takes, so a benchmark that reports requests per second should also say
who used the CPU meanwhile: the proxy (its main process, its detection workers), the
harness (the client, the fake provider) and other processes (other sessions, the kernel's
own work). `Meter` reads that around a phase; `Usage` adds phases up.

Vanilla Presidio runs in one thread, so it cannot use more than one core: what the harness
and other sessions take of the second core costs it nothing, while every bit of it is taken
from Voile, whose workers use both. A ratio measured while others are busy therefore
measures them as much as the proxies; the per-request CPU figures do not depend on them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bench.latency import machine_busy_seconds

TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (all its threads); 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def group_pids(leader: int) -> list[int]:
    """The processes of `leader`'s process group: a server started as a session leader by
    `servers`, and its detection workers."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == leader:
            pids.append(int(entry.name))
    return pids


def schedstat(pid: int) -> tuple[float, float]:
    """Seconds the main thread of `pid` ran on a CPU and waited runnable for one (the
    kernel's /proc/PID/task/PID/schedstat); the rest of the wall time it slept (idle)."""
    try:
        ran, waited, _ = Path(f"/proc/{pid}/task/{pid}/schedstat").read_text().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(ran) / 1e9, int(waited) / 1e9


@dataclass
class Usage:
    """CPU seconds per role over some phases, the requests they answered and their wall time."""

    requests: int = 0
    seconds: float = 0.0
    machine: float = 0.0  # every process of the machine, the kernel's interrupts included
    cpu: dict[str, float] = field(default_factory=dict)
    ran: dict[str, float] = field(default_factory=dict)  # main threads on a CPU
    waited: dict[str, float] = field(default_factory=dict)  # main threads runnable, waiting

    def add(self, role: str, seconds: float, into: str = "cpu") -> None:
        bucket = getattr(self, into)
        bucket[role] = bucket.get(role, 0.0) + seconds

    def ms_per_request(self, role: str) -> float:
        return 1000 * self.cpu.get(role, 0.0) / max(1, self.requests)

    def cores(self, role: str) -> float:
        return self.cpu.get(role, 0.0) / self.seconds if self.seconds else 0.0


class Meter:
    """Reads the CPU of `roles` (role -> pids) and of the whole machine around one phase.
    `ours`: every process the benchmark started (the other targets too, idle or not): the
    machine's busy time minus theirs is the role "others"."""

    def __init__(self, roles: dict[str, list[int]], ours: list[int]) -> None:
        self.roles, self.ours = roles, ours

    def __enter__(self) -> Meter:
        self._cpu = {role: sum(process_cpu(p) for p in ps) for role, ps in self.roles.items()}
        self._sched = {role: [schedstat(p) for p in ps] for role, ps in self.roles.items()}
        self._ours = sum(process_cpu(p) for p in self.ours)
        self._machine = machine_busy_seconds()
        return self

    def __exit__(self, *_: object) -> None:
        machine = machine_busy_seconds() - self._machine
        ours = sum(process_cpu(p) for p in self.ours) - self._ours
        self.cpu = {
            role: sum(process_cpu(p) for p in ps) - self._cpu[role]
            for role, ps in self.roles.items()
        }
        self.cpu["others"] = max(0.0, machine - ours)
        self.machine = machine
        self.ran, self.waited = {}, {}
        for role, ps in self.roles.items():
            now = [schedstat(p) for p in ps]
            self.ran[role] = sum(n[0] - b[0] for n, b in zip(now, self._sched[role], strict=True))
            self.waited[role] = sum(
                n[1] - b[1] for n, b in zip(now, self._sched[role], strict=True)
            )

    def into(self, usage: Usage, requests: int, seconds: float) -> None:
        """Add this phase to `usage`."""
        usage.requests += requests
        usage.seconds += seconds
        usage.machine += self.machine
        for role, value in self.cpu.items():
            usage.add(role, value)
        for role, value in self.ran.items():
            usage.add(role, value, "ran")
        for role, value in self.waited.items():
            usage.add(role, value, "waited")
