"""`PresidioDetector`: Presidio in worker processes, off the event loop, bounded and fair.

Detection is CPU-bound (about 20 ms per KB of text): run inline, it would stall every stream
the proxy relays. So it runs in worker processes (`worker.py`), each loading the models once.
How a request's texts get there:

0. **Cleared.** A short text made only of everyday words, in which `prefilter.py` proves no
   recognizer can find anything, gets its result (no finding) here, without a worker.
1. **Cut.** Texts are cut into pieces of at most `chunk_chars`, overlapping by
   `overlap_chars`, and the pieces grouped into batches of at most `batch_chars`
   (`chunking.py`): no task holds a worker for long (about 40 ms with the defaults).
2. **Queued fairly.** A request's batches form a job in a `FairQueue` (`scheduler.py`):
   the least-served job goes first, so a small request overtakes a big one already running,
   and no job holds every worker, but for a long prompt while no other request waits
   (`detection.parallel_max_chars`): its pieces then run on every worker at once. The
   caller also caps the text of a request
   (`limits.max_text_chars` in the relay), so the biggest job has a known size.
3. **Pulled by workers.** Each worker has a *slot*: a thread of this process that starts the
   worker, hands it one batch at a time, and collects its answer. The slot thread lives as
   long as the pool, which matters because a worker's parent-death signal is tied to the
   thread that started it (`worker.py`).
4. **Merged.** The pieces' findings are put back together per text (`chunking.merge`);
   the names found in a text cut in pieces are then propagated across the whole text by
   one more task per such text (`engine.propagate_batch`).

Everything fails closed: a failed batch (an exception in the worker, a dead or stuck worker,
an answer of the wrong shape) fails its request at once with a `DetectionError`, whose
message never contains a text, and the relay refuses the request; so does a request whose
`timeout_seconds` runs out (its queued batches are dropped). Other requests are unaffected.

Workers are replaced without failing anyone:
- a worker that died while idle is restarted by its slot (the pool runs one short meanwhile);
- a worker that died while analysing fails that one batch's request (the batch might be
  what killed it, so it is not retried elsewhere), then is restarted;
- a worker that does not answer a batch within `stuck_seconds` is killed and restarted;
- a worker whose resident memory exceeds `max_worker_memory_mb` after a batch gets a
  replacement started at once; it keeps serving until the replacement has loaded its
  models, then is stopped. The pool never runs short, at the price of one extra worker's
  memory for a few seconds.

Workers are plain subprocesses, so no `multiprocessing` resource tracker is started, and
they die with the proxy, even if it is killed with SIGKILL (see `worker.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from proxy.detection import chunking
from proxy.detection.custom import PolicyDetection
from proxy.detection.prefilter import Prefilter
from proxy.detection.scheduler import FairQueue, Task
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import Analysis, DetectionError
from proxy.detection.worker import Batch, BatchFailed, Done, Failed, Init, Ready, Stop
from proxy.logging import get_logger

log = get_logger("voile.detection")

MB = 1024 * 1024
# Propagating names over a whole text is a regex scan, about a tenth of analysing it.
PROPAGATION_COST_DIVISOR = 10
# How often an idle slot checks that its worker is still alive.
IDLE_CHECK_SECONDS = 0.25
# How long a stopped worker may take to exit before it is killed.
STOP_SECONDS = 2.0
# Restart back-off after a replacement worker failed to start: doubles up to the maximum.
RETRY_SECONDS, MAX_RETRY_SECONDS = 1.0, 30.0
# Started with -P (no current directory on sys.path); the directory holding the `proxy`
# package is appended, so a worker imports the same code as the proxy even when the proxy
# was started from a source tree rather than installed.
_SOURCE_ROOT = str(Path(__file__).resolve().parents[2])
_BOOTSTRAP = (
    "import sys; sys.path.append(sys.argv.pop(1)); from proxy.detection.worker import main; main()"
)


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What a started worker reports: its pid and, per language, what it can detect."""

    pid: int
    entities: dict[str, frozenset[str]]


@dataclass(eq=False)
class _Process:
    """A worker process and the parent's end of its socket."""

    popen: subprocess.Popen[bytes]
    conn: Connection
    started: float = field(default_factory=time.monotonic)
    info: WorkerInfo | None = None
    rss_bytes: int = 0
    lost: bool = False  # given up by its slot (dead, stuck, being killed)

    @property
    def alive(self) -> bool:
        # `lost` first: `poll()` says "running" while another thread is waiting for it.
        return not self.lost and self.popen.poll() is None


class PresidioDetector:
    """The `Detector` the relay uses in production. Start it before serving, close it after."""

    def __init__(self, settings: DetectionSettings) -> None:
        self._settings = settings
        self._queue: FairQueue[Batch, list[Analysis]] = FairQueue(settings.parallel_max_chars)
        self._slots: list[_Slot] = []
        self._closed = False
        self._prefilter = (
            Prefilter(frozenset(settings.spacy_models)) if settings.prefilter else None
        )
        # Texts the pre-filter cleared (no worker hop): how often it pays, for `/metrics`.
        self.prefiltered = 0

    @property
    def settings(self) -> DetectionSettings:
        return self._settings

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages with a model; a policy naming another one cannot be served."""
        return self._settings.languages

    @property
    def ready(self) -> bool:
        """True if a worker is alive and has loaded its models *now* (for /healthz)."""
        return not self._closed and any(slot.live is not None for slot in self._slots)

    @property
    def live_workers(self) -> int:
        """How many workers are alive and ready now."""
        return sum(slot.live is not None for slot in self._slots)

    @property
    def worker_pids(self) -> tuple[int, ...]:
        """Process ids of the workers alive and ready now (for health checks and operators)."""
        return tuple(sorted(p.info.pid for s in self._slots if (p := s.live) and p.info))

    @property
    def supported_entities(self) -> dict[str, frozenset[str]]:
        """Per language, the entity types the running engine reports it can produce."""
        for slot in self._slots:
            process = slot.live
            if process is not None and process.info is not None:
                return process.info.entities
        return {}

    @property
    def busy_workers(self) -> int:
        """How many workers are analysing a batch now."""
        return sum(slot.busy for slot in self._slots)

    def counters(self) -> dict[str, int]:
        """For `/metrics` (`types.CountingDetector`): counts only, never a text."""
        return {"voile_detection_prefiltered_total": self.prefiltered}

    @property
    def queued_batches(self) -> int:
        """Batches waiting for a worker, all requests together."""
        return self._queue.queued

    async def start(self) -> None:
        """Start the workers and wait until all of them have loaded their models."""
        if self._closed:
            raise DetectionError("detector is closed")
        if not self._slots:
            self._slots = [_Slot(self, index) for index in range(self._settings.workers)]
            for slot in self._slots:
                slot.start()
        await self.warmup()

    async def warmup(self) -> None:
        """Wait until every worker is ready; `DetectionError` if one fails to start."""
        started = time.monotonic()
        timeout = self._settings.startup_timeout_seconds
        while True:
            failures = sorted({slot.failure for slot in self._slots if slot.failure})
            if failures:
                raise DetectionError(f"detection workers failed to start ({'; '.join(failures)})")
            if self._slots and all(slot.live is not None for slot in self._slots):
                break
            if self._closed or not self._slots:
                raise DetectionError("detector is closed" if self._closed else "not started")
            if time.monotonic() - started > timeout:
                raise DetectionError(f"detection workers not ready after {timeout}s")
            await asyncio.sleep(0.05)
        log.info(
            "detection.ready",
            workers=self._settings.workers,
            languages=list(self.languages),
            seconds=round(time.monotonic() - started, 2),
        )

    async def analyze(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        *,
        options: PolicyDetection | None = None,
        timeout_seconds: float | None = None,
    ) -> list[Analysis]:
        """One `Analysis` per text, in order; blank texts never reach a worker, nor texts
        the pre-filter proves have nothing to find (`prefilter.py`, unless
        `detection.prefilter` is off).

        `options`: the policy's own recognizers and allow-list, if any. `timeout_seconds`
        overrides the configured timeout for this call (queueing included), e.g. with what
        is left of a request's own deadline.
        """
        if not languages:
            raise DetectionError("no candidate language given for detection")
        missing = [language for language in languages if language not in self.languages]
        if missing:
            raise DetectionError(f"no detection model for language(s) {missing}")
        if self._closed:
            raise DetectionError("detector is closed")
        prefilter = self._prefilter
        cleared = [
            prefilter.clear(text, languages, options) if prefilter is not None else None
            for text in texts
        ]
        todo = [index for index, analysis in enumerate(cleared) if analysis is None]
        self.prefiltered += len(texts) - len(todo)
        if len(todo) == len(texts):
            return await self._in_workers(texts, languages, options, timeout_seconds)
        if todo:
            found = await self._in_workers(
                [texts[index] for index in todo], languages, options, timeout_seconds
            )
            for index, analysis in zip(todo, found, strict=True):
                cleared[index] = analysis
        return [analysis for analysis in cleared if analysis is not None]

    async def _in_workers(
        self,
        texts: Sequence[str],
        languages: Sequence[str],
        options: PolicyDetection | None,
        timeout_seconds: float | None,
    ) -> list[Analysis]:
        """`analyze` for texts the pre-filter did not clear: cut, queued, merged."""
        settings = self._settings
        pieces = chunking.plan(texts, settings.chunk_chars, settings.overlap_chars)
        if not pieces:
            return chunking.merge(texts, [], [], languages[0])
        if self._closed or not self._slots:
            raise DetectionError("detector is closed" if self._closed else "detector not started")
        timeout = settings.timeout_seconds if timeout_seconds is None else timeout_seconds
        groups = chunking.batches(pieces, settings.batch_chars)
        batches = [
            Batch([texts[p.text][p.start : p.end] for p in group], list(languages), options)
            for group in groups
        ]
        try:
            async with asyncio.timeout(timeout):
                per_batch = await self._run(
                    [(b, sum(p.cost for p in g)) for b, g in zip(batches, groups, strict=True)]
                )
                analyses = chunking.merge(
                    texts, pieces, [a for batch in per_batch for a in batch], languages[0]
                )
                names = chunking.names_to_propagate(texts, pieces, analyses)
                if names:
                    extra = await self._run(
                        [
                            (
                                Batch([texts[index]], list(languages), options, names=[spans]),
                                len(texts[index]) // PROPAGATION_COST_DIVISOR,
                            )
                            for index, spans in names.items()
                        ]
                    )
                    for index, [found] in zip(names, extra, strict=True):
                        analyses[index] = chunking.with_findings(analyses[index], found.findings)
        except TimeoutError:
            raise DetectionError(f"detection timed out after {timeout}s") from None
        return analyses

    async def _run(self, tasks: list[tuple[Batch, int]]) -> list[list[Analysis]]:
        """Queue one job of (batch, cost) tasks; its answers in order. Cancelled (timeout,
        client gone): its batches not handed out yet are dropped."""
        job = self._queue.submit([batch for batch, _ in tasks], [cost for _, cost in tasks])
        try:
            return await asyncio.wrap_future(job.future)
        except DetectionError as error:
            raise DetectionError(str(error)) from None
        finally:
            self._queue.cancel(job)

    async def close(self) -> None:
        """Stop the workers; busy ones get `shutdown_grace_seconds`, then are killed."""
        if self._closed:
            return
        self._closed = True
        self._queue.close(DetectionError("detector is closed"))
        if self._slots:
            await asyncio.to_thread(self._stop_slots, self._settings.shutdown_grace_seconds)
        log.info("detection.closed")

    def _stop_slots(self, grace_seconds: float) -> None:
        deadline = time.monotonic() + grace_seconds
        for slot in self._slots:
            slot.join(max(0.0, deadline - time.monotonic()))
        for slot in self._slots:
            if slot.is_alive():
                slot.kill_all()  # a busy worker: its slot then sees the socket close
        for slot in self._slots:
            slot.join(STOP_SECONDS)

    # --- what slots use -----------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def queue(self) -> FairQueue[Batch, list[Analysis]]:
        return self._queue

    def workers_changed(self) -> None:
        """A slot's worker became ready or went away: the fairness cap follows."""
        self._queue.set_workers(self.live_workers)


class _Slot:
    """Keeps one worker process running and feeds it batches (see the module docstring).

    Every process of the slot is started by this thread, which outlives them all: their
    parent-death signal fires when it ends, so they must not outlive it anyway.
    """

    def __init__(self, pool: PresidioDetector, index: int) -> None:
        self._thread = threading.Thread(
            target=self._main, name=f"voile-detection-{index}", daemon=True
        )
        self._pool = pool
        self._settings = pool.settings
        self._index = index
        self._current: _Process | None = None
        self._processes: set[_Process] = set()
        self._lock = threading.Lock()
        self.failure: str | None = None  # why the first worker failed to start
        self.busy = False  # a batch is in the worker now

    @property
    def live(self) -> _Process | None:
        """The worker serving now, if it is alive."""
        process = self._current
        return process if process is not None and process.alive else None

    @property
    def _memory_limit(self) -> int | None:
        limit = self._settings.max_worker_memory_mb
        return None if limit is None else limit * MB

    @property
    def _stuck_seconds(self) -> float:
        return max(10.0, 3 * self._settings.timeout_seconds)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def _main(self) -> None:
        try:
            self._run()
        except Exception as error:  # a bug here must not leave a worker behind
            log.error("detection.slot_failed", slot=self._index, error_type=type(error).__name__)
            self.failure = self.failure or f"slot failed ({type(error).__name__})"
        finally:
            self._set_current(None)
            self._stop_all()

    def _run(self) -> None:
        candidate: _Process | None = None
        retry = RETRY_SECONDS
        first = True
        while not self._pool.closed:
            process = self._wait_ready(candidate or self._launch(), first=first)
            if process is None:
                if first:
                    return
                self._sleep(retry)
                retry = min(2 * retry, MAX_RETRY_SECONDS)
                candidate = None
                continue
            first, retry = False, RETRY_SECONDS
            candidate = self._serve(process)

    def _launch(self) -> _Process:
        parent_end, child_end = multiprocessing.Pipe(duplex=True)
        fd = child_end.fileno()
        popen = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            [
                sys.executable,
                "-P",
                "-c",
                _BOOTSTRAP,
                _SOURCE_ROOT,
                "--fd",
                str(fd),
                "--parent",
                str(os.getpid()),
            ],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
        )
        child_end.close()
        process = _Process(popen, parent_end)
        with self._lock:
            self._processes.add(process)
        with contextlib.suppress(OSError):  # it died at once: `_check_start` says so
            parent_end.send(Init(self._settings.model_dump(mode="json")))
        return process

    def _check_start(self, process: _Process) -> bool | str:
        """True once `process` is ready, False while it loads, or why it failed."""
        message = self._start_message(process)
        if message is None:
            return False
        if isinstance(message, str):
            return message
        limit = self._memory_limit
        if limit is not None and message.rss_bytes >= limit:
            return (
                f"a worker uses {message.rss_bytes // MB} MB once its models are loaded, "
                f"more than detection.max_worker_memory_mb ({limit // MB})"
            )
        process.info = WorkerInfo(message.pid, message.entities)
        process.rss_bytes = message.rss_bytes
        return True

    def _start_message(self, process: _Process) -> Ready | str | None:
        """The worker's `Ready`, None while it loads, or why it failed to start."""
        try:
            if not process.conn.poll(0):
                if not process.alive:
                    return f"the worker exited while starting (code {process.popen.returncode})"
                timeout = self._settings.startup_timeout_seconds
                late = time.monotonic() - process.started > timeout
                return f"the worker was not ready after {timeout}s" if late else None
            message = process.conn.recv()
        except (EOFError, OSError):
            return "the worker exited while starting"
        if isinstance(message, Ready):
            return message
        if isinstance(message, Failed):
            return f"{message.error_type}: {message.message}"
        return "the worker answered something else than Ready"

    def _wait_ready(self, process: _Process, *, first: bool) -> _Process | None:
        while not self._pool.closed:
            state = self._check_start(process)
            if state is True:
                return process
            if isinstance(state, str):
                log.error("detection.worker_failed", slot=self._index, reason=state)
                if first:
                    self.failure = state
                self._kill_process(process)
                return None
            time.sleep(0.05)
        return None

    def _serve(self, process: _Process) -> _Process | None:
        """Feed `process` batches until it must go; returns its replacement if one started."""
        self._set_current(process)
        replacement: _Process | None = None
        try:
            while not self._pool.closed:
                if replacement is not None:
                    state = self._check_start(replacement)
                    if state is True:
                        retired, process, replacement = process, replacement, None
                        self._set_current(process)
                        log.info(
                            "detection.worker_replaced",
                            slot=self._index,
                            reason="memory",
                            rss_mb=retired.rss_bytes // MB,
                        )
                        self._stop_process(retired)
                    elif isinstance(state, str):
                        log.error("detection.worker_failed", slot=self._index, reason=state)
                        self._kill_process(replacement)
                        replacement = None
                task = self._pool.queue.take(IDLE_CHECK_SECONDS)
                if task is None:
                    if not process.alive:
                        self._kill_process(process)  # reaps it, closes its socket
                        self._replaced(process, "died")
                        return replacement
                    continue
                outcome = self._exchange(process, task)
                if outcome != "ok":
                    self._kill_process(process)
                    self._replaced(process, outcome)
                    return replacement
                limit = self._memory_limit
                if limit is not None and process.rss_bytes > limit and replacement is None:
                    replacement = self._launch()
            return replacement
        finally:
            self._set_current(None)

    def _exchange(self, process: _Process, task: Task[Batch, list[Analysis]]) -> str:
        """Run one batch on `process`; settles the task. Returns "ok", "died" or "stuck"."""
        queue = self._pool.queue
        if not process.alive:
            queue.requeue(task)  # no worker has seen it: another will take it
            return "died"
        self.busy = True
        try:
            process.conn.send(task.batch)
            if not process.conn.poll(self._stuck_seconds):
                process.lost = True
                queue.fail(
                    task, DetectionError("a detection worker stopped answering; it was replaced")
                )
                return "stuck"
            reply = process.conn.recv()
        except (EOFError, OSError):
            process.lost = True  # before the request hears of it: no longer "ready"
            queue.fail(task, DetectionError("a detection worker died; it was replaced"))
            return "died"
        except Exception as error:  # an answer that does not unpickle: never trust it again
            process.lost = True
            queue.fail(
                task, DetectionError(f"detection answer unreadable ({type(error).__name__})")
            )
            return "broken"
        finally:
            self.busy = False
        if isinstance(reply, Done | BatchFailed):
            process.rss_bytes = reply.rss_bytes
        if isinstance(reply, BatchFailed):
            # The worker's exception may quote the text: only its type crossed over.
            queue.fail(task, DetectionError(f"detection failed in a worker ({reply.error_type})"))
        elif (
            isinstance(reply, Done)
            and len(reply.analyses) == len(task.batch.texts)
            and all(isinstance(a, Analysis) for a in reply.analyses)
        ):
            queue.finish(task, reply.analyses)
        else:
            queue.fail(task, DetectionError("detection returned a malformed answer"))
        return "ok"

    def _replaced(self, process: _Process, reason: str) -> None:
        if self._pool.closed:
            return  # killed by `close`, not lost
        pid = process.info.pid if process.info else process.popen.pid
        log.warning("detection.worker_replaced", slot=self._index, reason=reason, pid=pid)

    def _set_current(self, process: _Process | None) -> None:
        self._current = process
        self._pool.workers_changed()

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._pool.closed and time.monotonic() < deadline:
            time.sleep(0.05)

    def _stop_process(self, process: _Process) -> None:
        """Ask an idle worker to exit; kill it if it does not within `STOP_SECONDS`."""
        with contextlib.suppress(OSError):
            process.conn.send(Stop())
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(STOP_SECONDS)
        self._kill_process(process)

    def _kill_process(self, process: _Process) -> None:
        process.lost = True
        if process.popen.poll() is None:
            with contextlib.suppress(OSError):
                process.popen.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.popen.wait(STOP_SECONDS)
        process.conn.close()
        with self._lock:
            self._processes.discard(process)

    def _stop_all(self) -> None:
        with self._lock:
            processes = list(self._processes)
        for process in processes:
            self._stop_process(process)

    def kill_all(self) -> None:
        """Kill this slot's processes now (from another thread, at close)."""
        with self._lock:
            processes = list(self._processes)
        for process in processes:
            process.lost = True
            if process.popen.poll() is None:
                with contextlib.suppress(OSError):
                    process.popen.kill()
