"""One detection worker process: `python -m proxy.detection.worker --fd N --parent PID`.

The pool (`pool.py`) starts it with one end of a socket pair as file descriptor N. Over it
the worker receives `Init` (the detection settings), builds its engine (`engine.init_worker`,
5-7 s for en + fr) and answers `Ready` or `Failed`; then it answers each `Batch` with `Done`
or `BatchFailed`, one at a time, until `Stop` or the end of the socket. Each answer carries
the worker's resident memory, which the pool compares with its limit.

A worker never outlives the proxy, even one killed by SIGKILL (nothing runs in the proxy
then), by three means, any one of which suffices:
1. on Linux, `prctl(PR_SET_PDEATHSIG, SIGKILL)`: the kernel kills the worker when the
   thread that started it ends (a pool thread that lives as long as the pool) or when the
   whole proxy dies;
2. a watchdog thread that exits the process once its parent is no longer `--parent` (other
   systems, and the moment before `prctl` takes effect);
3. the socket: an idle worker reads its end, and exits.
It is a plain subprocess, not a `multiprocessing` child: no resource tracker or other helper
process is started that could itself be left behind.

It ignores SIGINT and SIGHUP: a Ctrl-C or a hang-up sent to the terminal's process group is
for the proxy to handle, and the proxy stops its workers itself.

Errors that name no text cross the socket as exception type names only: an exception raised
while analysing a request may quote it. Start-up errors keep their message (no request
text exists yet; it names e.g. the missing model).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from proxy.detection.custom import PolicyDetection
from proxy.detection.types import Analysis

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCHDOG_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class Init:
    settings: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Batch:
    """Texts to analyse; or, with `names` (PERSON spans and scores found in each text's
    pieces), whole texts to propagate those names across (`engine.propagate_batch`)."""

    texts: list[str]
    languages: list[str]
    options: PolicyDetection | None
    names: list[list[tuple[int, int, float]]] | None = None


@dataclass(frozen=True, slots=True)
class Stop:
    pass


@dataclass(frozen=True, slots=True)
class Ready:
    pid: int
    entities: dict[str, frozenset[str]]
    rss_bytes: int


@dataclass(frozen=True, slots=True)
class Failed:
    error_type: str
    message: str


@dataclass(frozen=True, slots=True)
class Done:
    analyses: list[Analysis]
    rss_bytes: int


@dataclass(frozen=True, slots=True)
class BatchFailed:
    error_type: str
    rss_bytes: int


def rss_bytes() -> int:
    """This process's resident memory now (Linux); elsewhere its peak, which only grows."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def die_with_parent(parent: int) -> None:
    """Means 1 and 2 of the module docstring; exits now if the parent is already gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCHDOG_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="voile-parent-watchdog", daemon=True).start()


def serve(conn: Connection) -> None:
    """Answer the parent until `Stop` or the end of the socket (the module docstring)."""
    from proxy.detection import engine  # noqa: PLC0415 - after the signals are set up

    message = conn.recv()
    if not isinstance(message, Init):
        raise TypeError("the first message to a detection worker must be Init")
    try:
        engine.init_worker(message.settings)
        conn.send(Ready(os.getpid(), engine.worker_entities(), rss_bytes()))
    except Exception as error:  # reported to the pool, which fails its start
        conn.send(Failed(type(error).__name__, str(error)))
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if not isinstance(message, Batch):
            return
        try:
            if message.names is None:
                analyses = engine.analyze_batch(message.texts, message.languages, message.options)
            else:
                analyses = engine.propagate_batch(message.texts, message.names, message.options)
        except Exception as error:  # its message may quote the text: send the type only
            conn.send(BatchFailed(type(error).__name__, rss_bytes()))
        else:
            conn.send(Done(analyses, rss_bytes()))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Voile detection worker (started by the pool)")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    die_with_parent(args.parent)
    conn = Connection(args.fd)
    try:
        serve(conn)
    except (EOFError, OSError):
        pass  # the parent went away
    finally:
        conn.close()
    # Tearing down the models' heap takes a while and achieves nothing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
