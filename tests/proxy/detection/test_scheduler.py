"""`FairQueue`: least-served first, no big job holds every worker (a long prompt alone
may), given-up jobs leave, a failed batch fails its job. Pure and single-threaded here:
`take` never waits (timeout 0)."""

from __future__ import annotations

import pytest

from proxy.detection.scheduler import FairQueue, Task
from proxy.detection.types import DetectionError


def drain(queue: FairQueue[str, str], count: int) -> list[Task[str, str]]:
    """Take up to `count` tasks without finishing them."""
    tasks = []
    for _ in range(count):
        task = queue.take(0)
        if task is None:
            break
        tasks.append(task)
    return tasks


def test_a_new_job_is_served_before_the_rest_of_a_big_one() -> None:
    queue: FairQueue[str, str] = FairQueue()
    big = queue.submit([f"big{i}" for i in range(10)], [2000] * 10)
    [first] = drain(queue, 1)
    queue.finish(first, "done")
    small = queue.submit(["small"], [100])
    order = []
    while (task := queue.take(0)) is not None:
        order.append(task.batch)
        queue.finish(task, task.batch.upper())
    assert order == ["small", *[f"big{i}" for i in range(1, 10)]]
    assert small.future.result() == ["SMALL"]
    assert big.future.result() == ["done", *[f"BIG{i}" for i in range(1, 10)]]


def test_two_big_jobs_take_turns() -> None:
    queue: FairQueue[str, str] = FairQueue()
    queue.submit(["a1", "a2", "a3"], [1000] * 3)
    queue.submit(["b1", "b2", "b3"], [1000] * 3)
    order = []
    while (task := queue.take(0)) is not None:
        order.append(task.batch)
        queue.finish(task, "")
    assert order == ["a1", "b1", "a2", "b2", "a3", "b3"]


def test_a_job_never_holds_every_worker() -> None:
    queue: FairQueue[str, str] = FairQueue(parallel_max_cost=5000)
    queue.set_workers(3)
    queue.submit([f"big{i}" for i in range(10)], [1000] * 10)  # more than 5000: capped
    held = drain(queue, 3)
    assert [t.batch for t in held] == ["big0", "big1"]  # the third worker stays free
    queue.submit(["small"], [100])
    [task] = drain(queue, 3)
    assert task.batch == "small"
    queue.finish(held[0], "")
    assert [t.batch for t in drain(queue, 3)] == ["big2"]
    queue.set_workers(1)  # alone, a job may use the only worker
    queue.finish(held[1], "")
    assert drain(queue, 3) == []  # big2 is still in flight


def test_a_long_prompt_alone_uses_every_worker_and_gives_one_back_to_a_newcomer() -> None:
    """A job within `parallel_max_cost` takes a worker that would idle; a job that arrives
    meanwhile takes the next free worker, and the long one goes back under its cap.
    (`take` is called by a free worker: each call here is one more worker asking.)"""
    queue: FairQueue[str, str] = FairQueue(parallel_max_cost=6000)
    queue.set_workers(3)
    queue.submit([f"long{i}" for i in range(6)], [1000] * 6)
    held = drain(queue, 3)
    assert [t.batch for t in held] == ["long0", "long1", "long2"]  # every worker
    queue.submit(["small1", "small2"], [100, 100])  # every worker busy: it waits for one
    queue.finish(held[0], "")
    [first] = drain(queue, 1)
    assert first.batch == "small1"  # the next free worker is the newcomer's
    queue.finish(held[1], "")
    [second] = drain(queue, 1)
    assert second.batch == "small2"  # the long job is over its cap while the small one waits
    for task in (held[2], first, second):
        queue.finish(task, "")
    assert [t.batch for t in drain(queue, 3)] == ["long3", "long4", "long5"]  # alone again


def test_while_others_wait_a_long_prompt_holds_every_worker_but_one() -> None:
    queue: FairQueue[str, str] = FairQueue(parallel_max_cost=10_000)
    queue.set_workers(3)
    queue.submit([f"a{i}" for i in range(10)], [1000] * 10)
    queue.submit([f"b{i}" for i in range(10)], [1000] * 10)
    assert [t.batch for t in drain(queue, 3)] == ["a0", "b0", "a1"]  # least served first
    # `a` holds two of three workers, its cap while `b` waits: the next batch is b's, though
    # both have been served as much.
    assert [t.batch for t in drain(queue, 1)] == ["b1"]


def test_a_cancelled_job_leaves_the_queue_with_its_batches() -> None:
    queue: FairQueue[str, str] = FairQueue()
    gone = queue.submit(["g1", "g2", "g3"], [10] * 3)
    kept = queue.submit(["k1"], [100])
    [task] = drain(queue, 1)
    assert task.batch == "g1"
    gone.future.cancel()  # what awaiting it and timing out does
    assert queue.queued == 1
    [task2] = drain(queue, 1)
    assert task2.batch == "k1"
    queue.finish(task, "late")  # its batch in flight still finishes, harmlessly
    queue.finish(task2, "K1")
    assert kept.future.result() == ["K1"]
    assert drain(queue, 5) == []


def test_a_failed_batch_fails_its_job_at_once_and_drops_the_rest() -> None:
    queue: FairQueue[str, str] = FairQueue()
    queue.set_workers(3)
    job = queue.submit(["a", "b", "c"], [1] * 3)
    first, second = drain(queue, 2)
    queue.fail(first, DetectionError("worker died"))
    with pytest.raises(DetectionError, match="worker died"):
        job.future.result(0)
    queue.finish(second, "late")  # no effect on a settled job
    assert queue.queued == 0


def test_a_batch_no_worker_saw_is_handed_out_again_first() -> None:
    queue: FairQueue[str, str] = FairQueue()
    queue.set_workers(3)
    job = queue.submit(["a", "b", "c"], [1] * 3)
    first, second = drain(queue, 2)
    queue.requeue(first)
    [again] = drain(queue, 1)
    assert again.batch == "a"
    queue.finish(again, "a")
    queue.finish(second, "b")
    [last] = drain(queue, 1)
    queue.finish(last, last.batch)
    assert job.future.result(0) == ["a", "b", "c"]


def test_close_fails_every_unfinished_job() -> None:
    queue: FairQueue[str, str] = FairQueue()
    running = queue.submit(["r"], [1])
    waiting = queue.submit(["w1", "w2"], [1, 1])
    drain(queue, 1)
    queue.close(DetectionError("detector is closed"))
    for job in (running, waiting):
        with pytest.raises(DetectionError, match="closed"):
            job.future.result(0)
    assert queue.take(0) is None
    late = queue.submit(["x"], [1])
    with pytest.raises(DetectionError, match="closed"):
        late.future.result(0)
