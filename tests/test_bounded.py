"""prongsai.bounded: each bound holds and says which it was, from the main thread (fork) and from a thread
(forkserver), and the process that asked goes on."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from prongsai import bounded
from prongsai.bounded import Bounds, CpuExceeded, Limit, MemoryExceeded, TimeExceeded, WorkerDied

# The wall clock is generous: on a loaded machine a child gets a fraction of a core, and the CPU bound must
# hold first.
BOUNDS = Bounds(memory=512 * bounded.MB, cpu=1, seconds=60)


def answer(value: int) -> int:
    return value * 2


def allocate() -> int:
    return len(bytearray(2_000_000_000))  # far beyond the address-space bound


def spin() -> None:
    while True:
        pass


def sleep() -> None:
    time.sleep(60)


def die() -> None:
    os._exit(3)


def abort() -> None:
    os.abort()  # what C code does when an allocation fails under the bound (bad_alloc, glibc's checks)


def refuse() -> None:
    raise ValueError("ไม่ใช่ไฟล์ที่อ่านได้")


def in_thread(function: Callable[[], Any]) -> Any:
    """``function()`` run in a second thread, so that the child is started by the fork server."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = function()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@pytest.mark.parametrize("threaded", [False, True], ids=["fork", "forkserver"])
@pytest.mark.parametrize(
    ("function", "error", "limit"),
    [
        (allocate, MemoryExceeded, Limit.MEMORY),
        (spin, CpuExceeded, Limit.CPU),
        (abort, MemoryExceeded, Limit.MEMORY),
        (die, WorkerDied, Limit.DIED),
    ],
)
def test_each_bound_says_which_it_was(
    function: Callable[[], Any], error: type[bounded.LimitExceeded], limit: Limit, threaded: bool
) -> None:
    started = time.monotonic()
    with pytest.raises(error) as caught:
        if threaded:
            in_thread(lambda: bounded.run(function, bounds=BOUNDS))
        else:
            bounded.run(function, bounds=BOUNDS)
    assert caught.value.limit is limit
    assert caught.value.reason_th.startswith(("ไฟล์นี้", "โปรแกรมอ่านไฟล์"))
    assert time.monotonic() - started < BOUNDS.seconds
    # This process is unharmed, and its own limits untouched.
    assert bounded.run(answer, 21, bounds=BOUNDS) == 42


def test_wall_clock_kills_a_child_that_waits() -> None:
    started = time.monotonic()
    with pytest.raises(TimeExceeded) as caught:
        bounded.run(sleep, bounds=Bounds(seconds=1))
    assert 1 <= time.monotonic() - started < 5
    assert "1 วินาที" in caught.value.reason_th


def test_results_and_own_exceptions_come_back() -> None:
    assert bounded.run(answer, value=5) == 10
    assert in_thread(lambda: bounded.run(answer, 4)) == 8
    with pytest.raises(ValueError, match="ไม่ใช่ไฟล์"):
        bounded.run(refuse, bounds=BOUNDS)


def test_errors_cross_processes_whole() -> None:
    import pickle

    error = pickle.loads(pickle.dumps(CpuExceeded("3 วินาที CPU")))
    assert isinstance(error, CpuExceeded) and error.reason_th == CpuExceeded("3 วินาที CPU").reason_th


def _from_a_daemon(queue: Any) -> None:
    """In a daemonic billiard process (as Celery's prefork pool runs a job), from a thread of it."""
    queue.put(in_thread(lambda: bounded.run(answer, 4, bounds=BOUNDS)))


def test_a_celery_prefork_process_may_start_bounded_children() -> None:
    import billiard

    queue = billiard.Queue()
    process = billiard.Process(target=_from_a_daemon, args=(queue,), daemon=True)
    process.start()
    assert queue.get(timeout=60) == 8
    process.join(10)


def use_100_mb() -> int:
    return len(bytearray(100 * bounded.MB))


def test_the_budget_is_the_works_whatever_the_parent_has_reserved() -> None:
    """A long test run or a server that has had many threads holds gigabytes of address space it never
    touches (glibc keeps a 64 MB arena per thread that ever allocated). A child forked from it inherits that
    address space: the memory bound counts from what the child starts with, so the work still has its whole
    budget, and a bomb is still refused."""
    import mmap

    reserved = mmap.mmap(-1, 2048 * bounded.MB)  # address space only: never touched, so no real memory
    try:
        assert bounded.run(use_100_mb, bounds=BOUNDS) == 100 * bounded.MB
        with pytest.raises(MemoryExceeded):
            bounded.run(allocate, bounds=BOUNDS)
    finally:
        reserved.close()
