"""Reading fetched bodies off the event loop: in this process for a few documents, in worker processes for a crawl.

``read`` is the checker's content work on one fetched body: ``extract`` (HTML text and links, PDF/DOCX/XLSX
text) and, when asked, the years the document mentions. It is CPU work. Run on the event loop, each read stalls
every fetch in flight and the crawl uses one core. A :class:`Reader` with ``processes > 0`` runs ``read`` in
worker processes instead, so reading and fetching overlap and use every core. Both ways give the same results
(tests/checker/test_reading.py).

Each worker talks to the event loop over its own pipe, which the loop watches directly. There are no executor
threads in this process: ProcessPoolExecutor's pickling threads and GIL hand-overs made 2,000 pages take 20%
longer. A worker reads one document at a time, with at most one more (a small one) waiting in its pipe, so
when it dies (a parser crash on hostile bytes, the OOM killer) it is known which document it was reading. That
document is unreadable, a new worker takes the dead one's place, the waiting one is read by the next, and the
crawl goes on.

Fetched content is untrusted: a 4 MB PDF can inflate to gigabytes, a page can nest 200,000 elements. So a worker
runs under :data:`READING_BOUNDS` (prongsai.bounded): an address-space limit set when it starts, a CPU budget
given afresh for each document, and a wall-clock limit kept by this process, which kills a worker that reads one
document for too long. A document that ends its worker so is ``unreadable`` with the bound that held, in Thai
(``Document.stopped_th``). Workers are the default wherever reading happens (the CLI, a web job's thread, a
Celery worker), so that no reader of fetched content runs unbounded in a process that serves others. Where no
worker can be started (a process limit, an event loop that cannot watch pipes), the Reader reads in this
process, and says so in the log.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

from prongsai.bounded import (
    MB,
    Bounds,
    LimitExceeded,
    MemoryExceeded,
    TimeExceeded,
    WorkerDied,
    apply_bounds,
    classify_exit,
    limit_cpu,
    memory_detail,
    start_child,
    start_context,
    time_detail,
)
from prongsai.checker.extraction import Document, detect_kind, extract
from prongsai.checker.ocr import BUDGET_SECONDS as OCR_BUDGET_SECONDS
from prongsai.checker.years import years_in

__all__ = ["READING_BOUNDS", "Reader", "Reading", "default_processes", "read"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reading:
    """What was read from one body: the document and, when asked for, the years of its title and text."""

    document: Document
    years: frozenset[int] | None = None  # years_in(title + "\n" + text), the text the verdict judges


def read(body: bytes, content_type: str, url: str, *, years: bool = False) -> Reading:
    """Extract one fetched body (never raises) and, with ``years``, find the years it mentions."""
    document = extract(body, content_type, url)
    if not years:
        return Reading(document)
    return Reading(document, frozenset(years_in(f"{document.title}\n{document.text}")))


# What reading one document may use. The largest real agency document (a 30-page scan, a 20,000-row sheet)
# reads in under 300 MB; a worker's interpreter, parsers and Tesseract's Thai model take about 420 MB of
# address space. The times leave room for OCR, which starts no page after its own budget (one thread, so CPU
# time is at most wall time), and for its last page.
READING_BOUNDS = Bounds(memory=1536 * MB, cpu=OCR_BUDGET_SECONDS + 60, seconds=OCR_BUDGET_SECONDS + 90)


def default_processes(*, crawl: bool) -> int:
    """Worker processes for a job: one per usable core for a crawl (hundreds of pages); one for the handful of
    documents of an item list, so that they too are read under bounds, away from the process that asked."""
    if not crawl:
        return 1
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on (containers, taskset)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _unreadable(body: bytes, content_type: str, url: str, stopped: LimitExceeded) -> Reading:
    kind = detect_kind(content_type, url, body)
    return Reading(
        Document(
            kind,
            "",
            "",
            (),
            needs_javascript=False,
            needs_login=False,
            unreadable=True,
            stopped_th=stopped.reason_th,
            stopped_en=stopped.reason_en,
        )
    )


Task = tuple[bytes, str, str, bool]  # body, content type, URL, years
PIPELINE = 2  # tasks a worker may have been sent at once
PIPELINE_BYTES = 64 * 1024  # the largest body sent to a worker that is still busy


def _serve(connection: Connection, function: Callable[..., Reading], bounds: Bounds) -> None:
    """A worker process: read each task that comes down the pipe and send back (True, reading) or (False, why),
    until the pipe closes. The parsers are imported before the bounds are set and the first task is read; each
    task has ``bounds.cpu`` seconds of CPU of its own."""
    import pypdfium2  # type: ignore[import-untyped]  # noqa: F401
    import selectolax.lexbor  # noqa: F401

    apply_bounds(Bounds(memory=bounds.memory, cpu=0, seconds=0))  # also: Ctrl-C is the parent's to handle
    while True:
        try:
            task: Task | None = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        body, content_type, url, years = task
        limit_cpu(bounds.cpu)
        try:
            answer: tuple[bool, Any] = (True, function(body, content_type, url, years=years))
        except MemoryError:  # the address-space bound held in Python code
            answer = (False, MemoryExceeded(memory_detail(bounds)))
        except Exception as exc:  # a bug: this document only
            answer = (False, f"{type(exc).__name__}: {exc}")
        try:
            connection.send(answer)
        except (OSError, ValueError):  # the parent is gone
            return


_PRELOAD = ("prongsai.checker.reading", "selectolax.lexbor", "pypdfium2")


class _NoWorkers(Exception):
    """Worker processes cannot be started or watched here."""


class _Worker:
    """One worker process, the parent's end of its pipe, and the tasks sent to it, in the order it reads them."""

    def __init__(self, context: Any, function: Callable[..., Reading], bounds: Bounds) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, function, bounds), daemon=True, name="prongsai-reader"
        )
        try:
            start_child(self.process)  # also from a Celery worker's (daemonic) process
        finally:
            child.close()  # the worker's end lives in the worker: a dead worker then reads as end of file here
        self.tasks: collections.deque[tuple[Task, asyncio.Future[Reading]]] = collections.deque()
        self.clock: asyncio.TimerHandle | None = None  # the wall-clock limit of the task it reads
        self.overdue = False  # killed for reading one task too long

    def stop(self) -> None:
        if self.clock is not None:
            self.clock.cancel()
        # A forked worker holds copies of the parents' ends of the pipes, so it would never see this end
        # close: it is told to stop, and exits after its current task.
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.connection.close()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


class Reader:
    """Reads bodies with ``function`` (:func:`read`): in this process, or in ``processes`` worker processes.

    Use it as an async context manager (``async with Reader(2) as reader``), or call :meth:`close`. The workers
    start on entering, before any fetch, so that they can be forked from a process with one thread.
    """

    def __init__(
        self, processes: int = 0, *, function: Callable[..., Reading] = read, bounds: Bounds = READING_BOUNDS
    ) -> None:
        self.processes = max(0, processes)
        self.function = function  # what each worker runs: tests swap in one that crashes
        self.bounds = bounds
        self.restarts = 0  # workers replaced after one died
        self._workers: list[_Worker] = []
        self._waiting: collections.deque[tuple[Task, asyncio.Future[Reading]]] = collections.deque()
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __aenter__(self) -> Reader:
        if self.processes:
            try:
                self._start()
            except _NoWorkers as exc:
                self._inline(exc)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        workers, self._workers = self._workers, []
        for worker in workers:
            self._unwatch(worker)
            for _task, future in worker.tasks:
                future.cancel()
            worker.stop()
        while self._waiting:
            self._waiting.popleft()[1].cancel()

    def _inline(self, exc: BaseException) -> None:
        log.warning("reading in this process: no worker processes (%s)", exc)
        self.close()
        self.processes = 0

    def _start(self) -> None:
        self._loop = asyncio.get_running_loop()
        context = start_context(_PRELOAD)
        while len(self._workers) < self.processes:
            try:
                worker = _Worker(context, self.function, self.bounds)
            except Exception as exc:  # a daemonic process (Celery's prefork pool), a process limit
                raise _NoWorkers(exc) from exc
            try:
                self._loop.add_reader(worker.connection.fileno(), self._answered, worker)
            except NotImplementedError as exc:  # an event loop that cannot watch pipes (Windows' proactor)
                worker.stop()
                raise _NoWorkers(exc) from exc
            self._workers.append(worker)

    def _unwatch(self, worker: _Worker) -> None:
        if self._loop is not None and not self._loop.is_closed() and not worker.connection.closed:
            self._loop.remove_reader(worker.connection.fileno())

    async def read(self, body: bytes, content_type: str, url: str, *, years: bool = False) -> Reading:
        """The reading of one fetched body. Never raises for what the body holds."""
        if self.processes and not self._workers:
            try:
                self._start()
            except _NoWorkers as exc:
                self._inline(exc)
        if not self.processes:
            return self.function(body, content_type, url, years=years)
        future: asyncio.Future[Reading] = asyncio.get_running_loop().create_future()
        self._waiting.append(((body, content_type, url, years), future))
        self._hand_out()
        return await future

    def _hand_out(self) -> None:
        for worker in self._workers:
            while self._waiting and (
                not worker.tasks
                # A second task waits in the pipe while the worker reads the first, so that it never idles
                # waiting for the event loop; only a small one, as sending blocks once the pipe is full.
                or (len(worker.tasks) < PIPELINE and len(self._waiting[0][0][0]) <= PIPELINE_BYTES)
            ):
                task, future = self._waiting.popleft()
                if future.done():  # its reader was cancelled while it waited
                    continue
                try:
                    worker.connection.send(task)
                except (OSError, ValueError):  # the worker is gone: its pipe says so, and _answered replaces it
                    self._waiting.appendleft((task, future))
                    break
                worker.tasks.append((task, future))
                if len(worker.tasks) == 1:
                    self._time(worker)

    def _time(self, worker: _Worker) -> None:
        """Start the wall-clock limit of the task the worker reads now (the first of its tasks)."""
        if worker.clock is not None:
            worker.clock.cancel()
            worker.clock = None
        if worker.tasks and self.bounds.seconds and self._loop is not None:
            worker.clock = self._loop.call_later(self.bounds.seconds, self._overdue, worker)

    def _overdue(self, worker: _Worker) -> None:
        """The worker has read one document for longer than the bound: it is killed, and its pipe's end of
        file tells _answered, which replaces it."""
        worker.clock = None
        worker.overdue = True
        with contextlib.suppress(OSError, ValueError):
            worker.process.kill()

    def _answered(self, worker: _Worker) -> None:
        """The loop saw the worker's pipe readable: its answer, or the end of the pipe if it died."""
        try:
            ok, value = worker.connection.recv()
        except (EOFError, OSError):
            self._died(worker)
            return
        if worker.tasks:
            (_body, _type, url, _years), future = worker.tasks.popleft()
            self._time(worker)  # the next task, already in its pipe, is being read now
            if not ok:
                log.warning("reading %s failed in a worker process: %s", url, value)
            if not future.done():
                stopped = value if isinstance(value, LimitExceeded) else None
                future.set_result(value if ok else _unreadable(_body, _type, url, stopped or _failed(value)))
        self._hand_out()

    def _died(self, worker: _Worker) -> None:
        self._unwatch(worker)
        self._workers.remove(worker)
        worker.stop()
        if worker.tasks:  # the first task killed it; the others were not started and go back in the queue
            (body, content_type, url, _years), future = worker.tasks.popleft()
            self._waiting.extendleft(reversed(worker.tasks))
            if worker.overdue:
                stopped: LimitExceeded = TimeExceeded(time_detail(self.bounds.seconds))
            else:
                stopped = classify_exit(worker.process.exitcode, self.bounds)
            log.warning(
                "a reading process ended (exit code %s, %s) on %s: unreadable",
                worker.process.exitcode,
                stopped.limit.value,
                url,
            )
            if not future.done():
                future.set_result(_unreadable(body, content_type, url, stopped))
        self.restarts += 1
        try:
            self._start()
        except _NoWorkers as exc:
            log.warning("no new reading process (%s): %d left", exc, len(self._workers))
            if not self._workers:  # none left: what waits, and what comes, is read here
                self.processes = 0
                while self._waiting:
                    (body, content_type, url, years), future = self._waiting.popleft()
                    if not future.done():
                        future.set_result(self.function(body, content_type, url, years=years))
                return
        self._hand_out()


def _failed(why: object) -> LimitExceeded:
    """A reader's own failure (a bug) on one document, as the reason it is unreadable."""
    return WorkerDied(str(why)[:200])
