"""`PresidioDetector`: Presidio in a pool of worker processes, off the event loop.

Detection is CPU-bound (about 0.2 s for 10 KB of text): run inline, it would stall every
stream the proxy relays. Each worker process loads the models once (`engine.init_worker`)
and then analyses whole batches, one batch per request, so a request crosses the process
boundary once. Workers are started with `spawn`: `fork` copies the parent's threads and locks and
was seen to hang at shutdown.

Everything fails closed: any failure (an exception in the worker, a timeout, a dead worker,
an answer of the wrong shape) raises `DetectionError`, whose message never contains a text,
and the relay refuses the request. A pool whose worker died is replaced at once, so the next
request can succeed; a request that merely timed out leaves the pool alone (its batch still
finishes, bounded by the per-regex limit `engine` sets, and later requests queue behind it).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import multiprocessing.synchronize
import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from proxy.detection import engine
from proxy.detection.custom import PolicyDetection
from proxy.detection.settings import DetectionSettings
from proxy.detection.types import Analysis, DetectionError
from proxy.logging import get_logger

log = get_logger("voile.detection")

# Set in each worker by `_init_pool_worker`: makes every warm-up ping wait for all workers.
_warmup_barrier: multiprocessing.synchronize.Barrier | None = None


def _init_pool_worker(
    settings_dict: dict[str, Any], barrier: multiprocessing.synchronize.Barrier
) -> None:
    global _warmup_barrier  # noqa: PLW0603 - per-process state set by the pool initializer
    _warmup_barrier = barrier
    engine.init_worker(settings_dict)


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    """What a warmed-up worker reports: its pid and, per language, what it can detect."""

    pid: int
    entities: dict[str, frozenset[str]]


def _ping(timeout: float) -> WorkerInfo:
    """Warm-up task: returns once *every* worker holds one ping, so each worker has loaded
    its models (initializers run before a worker takes any task)."""
    if _warmup_barrier is not None:
        _warmup_barrier.wait(timeout)
    return WorkerInfo(pid=os.getpid(), entities=engine.worker_entities())


class PresidioDetector:
    """The `Detector` the relay uses in production. Start it before serving, close it after."""

    def __init__(self, settings: DetectionSettings) -> None:
        self._settings = settings
        self._executor: ProcessPoolExecutor | None = None
        self._warmup: list[concurrent.futures.Future[WorkerInfo]] = []
        self._closed = False

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages with a model; a policy naming another one cannot be served."""
        return self._settings.languages

    @property
    def ready(self) -> bool:
        """True once every worker of the current pool has loaded its models."""
        return (
            self._executor is not None
            and bool(self._warmup)
            and all(f.done() and not f.cancelled() and f.exception() is None for f in self._warmup)
        )

    @property
    def worker_pids(self) -> tuple[int, ...]:
        """Process ids of the warmed-up workers (for health checks and operators)."""
        if not self.ready:
            return ()
        return tuple(sorted(f.result().pid for f in self._warmup))

    @property
    def supported_entities(self) -> dict[str, frozenset[str]]:
        """Per language, the entity types the running engine reports it can produce."""
        if not self.ready:
            return {}
        return self._warmup[0].result().entities

    async def start(self) -> None:
        """Spawn the workers and wait until all of them have loaded their models."""
        if self._closed:
            raise DetectionError("detector is closed")
        if self._executor is None:
            self._spawn()
        await self.warmup()

    async def warmup(self) -> None:
        """Wait for the current pool's workers to be ready; `DetectionError` if they fail."""
        started = time.monotonic()
        timeout = self._settings.startup_timeout_seconds
        waiting = [asyncio.wrap_future(f) for f in self._warmup]
        try:
            outcomes = await asyncio.wait_for(
                asyncio.gather(*waiting, return_exceptions=True), timeout
            )
        except TimeoutError:
            raise DetectionError(f"detection workers not ready after {timeout}s") from None
        errors = sorted({type(o).__name__ for o in outcomes if isinstance(o, BaseException)})
        if errors or not waiting:
            raise DetectionError(f"detection workers failed to start ({', '.join(errors)})")
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
        """One `Analysis` per text, in order; blank texts never reach a worker.

        `options`: the policy's own recognizers and allow-list, if any. `timeout_seconds`
        overrides the configured timeout for this call, e.g. with what is left of a
        request's own deadline.
        """
        if not languages:
            raise DetectionError("no candidate language given for detection")
        missing = [language for language in languages if language not in self.languages]
        if missing:
            raise DetectionError(f"no detection model for language(s) {missing}")
        analyses = [Analysis(language=languages[0], findings=()) for _ in texts]
        todo = [index for index, text in enumerate(texts) if text.strip()]
        if not todo:
            return analyses
        batch = [texts[index] for index in todo]
        timeout = self._settings.timeout_seconds if timeout_seconds is None else timeout_seconds
        try:
            async with asyncio.timeout(timeout):
                results = await self._run_in_pool(batch, list(languages), options)
        except TimeoutError:
            raise DetectionError(f"detection timed out after {timeout}s") from None
        if len(results) != len(batch) or not all(isinstance(r, Analysis) for r in results):
            raise DetectionError("detection returned a malformed answer")
        for index, result in zip(todo, results, strict=True):
            analyses[index] = result
        return analyses

    async def _run_in_pool(
        self, batch: list[str], languages: list[str], options: PolicyDetection | None
    ) -> list[Analysis]:
        executor = self._executor
        if executor is None:
            raise DetectionError("detector is closed" if self._closed else "detector not started")
        try:
            future = executor.submit(engine.analyze_batch, batch, languages, options)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self._replace(executor)
            raise DetectionError("a detection worker died; the pool was replaced") from None
        except Exception as error:
            # The worker's exception (and its remote traceback) may quote the text: keep
            # only its type.
            raise DetectionError(f"detection failed in a worker ({type(error).__name__})") from None

    def _spawn(self) -> None:
        context = multiprocessing.get_context("spawn")
        workers = self._settings.workers
        barrier = context.Barrier(workers)
        self._executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_pool_worker,
            initargs=(self._settings.model_dump(mode="json"), barrier),
        )
        timeout = self._settings.startup_timeout_seconds
        self._warmup = [self._executor.submit(_ping, timeout) for _ in range(workers)]

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Swap a broken pool for a fresh one, once even if many requests saw it break."""
        if self._executor is not broken or self._closed:
            return
        log.warning("detection.pool_replaced", reason="worker died")
        broken.shutdown(wait=False, cancel_futures=True)
        self._spawn()

    async def close(self) -> None:
        """Stop the workers; busy ones get `shutdown_grace_seconds`, then are terminated."""
        self._closed = True
        executor, self._executor = self._executor, None
        if executor is None:
            return
        await asyncio.to_thread(_shutdown, executor, self._settings.shutdown_grace_seconds)
        log.info("detection.closed")


def _shutdown(executor: ProcessPoolExecutor, grace_seconds: float) -> None:
    """Shut `executor` down without waiting on a stuck worker forever.

    `shutdown(wait=True)` would wait for a long analysis to finish; Python 3.11 has no
    public way to stop the workers, so their processes are taken before shutdown forgets
    them (`_processes`, private but stable since 3.2) and terminated after the grace period.
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace_seconds
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.terminate()
            process.join(1.0)
        if process.is_alive():
            process.kill()
            process.join()
