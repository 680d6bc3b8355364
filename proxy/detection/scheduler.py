"""`FairQueue`: which request's batch a free detection worker takes next.

Each request's detection is a `Job` of small batches (see `chunking`). Workers pull batches
one at a time, and the queue chooses among the jobs that have some left:

1. **Least served first.** The job that has had the fewest characters analysed so far goes
   first; among equals, the oldest. A request that just arrived has had none, so it is
   served at the next free worker, however big the requests already running; two big ones
   take turns (round robin). A small request waits at most for one batch to finish.
2. **No big job holds every worker; a long prompt alone may.** With two workers or more, a
   job may have at most `workers - 1` batches in flight, so one worker is always left for
   the next request that arrives: its detection starts at once instead of after a batch of
   someone else's. Except for a job of at most `parallel_max_cost` (a long prompt, 10-20 KB
   by default, not a maximal document): when no job under the cap has a batch, a free worker
   takes one of such a job rather than idle, so that prompt is analysed on every worker at
   once (a 10 KB prompt on both cores of a two-core machine, about twice as fast). A
   request arriving meanwhile waits for one batch (at most `batch_chars` of text, about
   40 ms), only while such a job runs (a few hundred milliseconds); then it is served first
   (least served), and the job goes back under its cap. Measured (bench/README.md, issue
   13): lending the free worker to every job made small requests beside a maximal one wait
   twice as long at p95, which issue 8 does not allow.
3. **Dropped when given up.** A job whose future is cancelled (its request timed out or its
   client went away) leaves the queue with its batches; batches already in flight finish.
   A failed batch fails its whole job at once (fail closed: a partial detection is useless).

Thread-safe: the pool's worker threads call `take`/`finish`/`fail`, the event loop calls
`submit` and reads the job's `concurrent.futures.Future`, which any event loop can await.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(eq=False)
class Job(Generic[T, R]):
    """One request's batches, their results as they come, and the future of all of them."""

    seq: int
    batches: list[T]
    costs: list[int]
    future: Future[list[R]] = field(default_factory=Future)
    results: dict[int, R] = field(default_factory=dict)
    todo: deque[int] = field(default_factory=deque)  # batches not handed out, in order
    in_flight: int = 0
    served: int = 0  # cost handed out so far (characters)
    spread: bool = False  # may use every worker while no other job waits (point 2)

    def __post_init__(self) -> None:
        self.todo.extend(range(len(self.batches)))


@dataclass(frozen=True, eq=False)
class Task(Generic[T, R]):
    """One batch handed to a worker."""

    job: Job[T, R]
    index: int
    batch: T


class FairQueue(Generic[T, R]):
    def __init__(self, parallel_max_cost: int = 0) -> None:
        """`parallel_max_cost`: the largest job (total cost) that may use every worker
        while no other job waits (point 2 of the module docstring); 0: none."""
        self._parallel_max_cost = parallel_max_cost
        self._lock = threading.Condition()
        self._jobs: list[Job[T, R]] = []  # jobs with batches not handed out yet
        self._active: set[Job[T, R]] = set()  # jobs whose future is not settled
        self._seq = itertools.count()
        self._workers = 1
        self._closed: BaseException | None = None

    def submit(self, batches: Sequence[T], costs: Sequence[int]) -> Job[T, R]:
        """Queue a job; its future gets the results in batch order, or the first error."""
        job: Job[T, R] = Job(next(self._seq), list(batches), list(costs))
        job.spread = len(batches) > 1 and sum(costs) <= self._parallel_max_cost
        with self._lock:
            if self._closed is not None:
                job.future.set_exception(self._closed)
            elif not batches:
                job.future.set_result([])
            else:
                self._jobs.append(job)
                self._active.add(job)
                self._lock.notify_all()
        return job

    def set_workers(self, count: int) -> None:
        """How many workers are ready now: the per-job cap is one fewer (at least one)."""
        with self._lock:
            self._workers = count
            self._lock.notify_all()

    def take(self, timeout: float) -> Task[T, R] | None:
        """The next batch to analyse, or None if none is due within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                if self._closed is not None:
                    return None
                job = self._choose()
                if job is not None:
                    index = job.todo.popleft()
                    job.in_flight += 1
                    job.served += job.costs[index]
                    if not job.todo:
                        self._jobs.remove(job)
                    return Task(job, index, job.batches[index])
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._lock.wait(remaining)

    def _choose(self) -> Job[T, R] | None:
        """Point 2 of the module docstring: jobs under the cap first (least served), else,
        rather than leave this worker idle, a job small enough to spread."""
        cap = max(1, self._workers - 1)
        for job in [job for job in self._jobs if job.future.cancelled()]:
            self._jobs.remove(job)
            self._active.discard(job)
        eligible = [job for job in self._jobs if job.in_flight < cap] or [
            job for job in self._jobs if job.spread
        ]
        return min(eligible, key=lambda job: (job.served, job.seq), default=None)

    def requeue(self, task: Task[T, R]) -> None:
        """Give back a batch no worker has seen (its worker was found dead before the send)."""
        with self._lock:
            job = task.job
            job.in_flight -= 1
            job.served -= job.costs[task.index]
            job.todo.appendleft(task.index)
            if job not in self._jobs and not job.future.done():
                self._jobs.append(job)
            self._lock.notify_all()

    def finish(self, task: Task[T, R], result: R) -> None:
        with self._lock:
            job = task.job
            job.in_flight -= 1
            job.results[task.index] = result
            if len(job.results) == len(job.batches):
                _settle(job.future, result=[job.results[i] for i in range(len(job.batches))])
                self._active.discard(job)
            self._lock.notify_all()  # a capped job may take another worker now

    def fail(self, task: Task[T, R], error: BaseException) -> None:
        """A batch failed: the whole job fails now and its other batches are dropped."""
        with self._lock:
            job = task.job
            job.in_flight -= 1
            if job in self._jobs:
                self._jobs.remove(job)
            self._active.discard(job)
            _settle(job.future, error=error)
            self._lock.notify_all()

    def cancel(self, job: Job[T, R]) -> None:
        """Drop a job's batches not handed out yet (its request gave up)."""
        with self._lock:
            job.future.cancel()
            if job in self._jobs:
                self._jobs.remove(job)
            self._active.discard(job)

    def close(self, error: BaseException) -> None:
        """Fail every unfinished job with `error`; `take` returns None from now on."""
        with self._lock:
            self._closed = error
            for job in self._active:
                _settle(job.future, error=error)
            self._jobs.clear()
            self._active.clear()
            self._lock.notify_all()

    @property
    def queued(self) -> int:
        """Batches not handed out yet, all jobs together."""
        with self._lock:
            return sum(len(job.todo) for job in self._jobs if not job.future.cancelled())


def _settle(
    future: Future[list[R]], *, result: list[R] | None = None, error: BaseException | None = None
) -> None:
    """Set a future's outcome unless it is already settled (cancelled by its request)."""
    try:
        if error is not None:
            future.set_exception(error)
        elif result is not None:
            future.set_result(result)
    except InvalidStateError:
        pass
