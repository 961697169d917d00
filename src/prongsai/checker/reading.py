"""Reading fetched bodies off the event loop: in this process for a few documents, in worker processes for a crawl.

``read`` is the checker's content work on one fetched body: ``extract`` (HTML text and links, PDF/DOCX/XLSX
text) and, when asked, the years the document mentions. It is CPU work. Run on the event loop, each read stalls
every fetch in flight and the crawl uses one core. A :class:`Reader` with ``processes > 0`` runs ``read`` in a
pool of worker processes instead, so reading and fetching overlap and use every core. Both ways give the same
results (tests/checker/test_reading.py).

A worker that dies (a parser crash on hostile bytes, the OOM killer) costs one document, not the crawl: the
pool is replaced, and the documents it was reading are read again one by one; the one that kills a worker
again is marked unreadable. Where no pool can be started (a daemonic process, a process limit), the Reader
reads in this process.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import TracebackType

from prongsai.checker.content import Document, detect_kind, extract, years_in

__all__ = ["Reader", "Reading", "default_processes", "read"]

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


def default_processes(*, crawl: bool) -> int:
    """Worker processes for a job: one per usable core for a crawl (hundreds of pages); none, that is reading
    in this process, for the handful of documents of an item list."""
    if not crawl:
        return 0
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may run on (containers, taskset)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _unreadable(body: bytes, content_type: str, url: str) -> Reading:
    kind = detect_kind(content_type, url, body)
    return Reading(Document(kind, "", "", (), needs_javascript=False, needs_login=False, unreadable=True))


def _start_worker() -> None:
    """Pool initialiser: Ctrl-C is the parent's to handle (it shuts the pool down), and the parsers are
    imported before the first document rather than during it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import pypdfium2  # type: ignore[import-untyped]  # noqa: F401
    import selectolax.lexbor  # noqa: F401


def _context() -> multiprocessing.context.BaseContext:
    """fork when this process has one thread (cheap: workers share the loaded modules); otherwise forkserver,
    since forking a threaded process (a web server's job thread) can copy a lock another thread holds."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["prongsai.checker.reading", "selectolax.lexbor", "pypdfium2"])
        return context
    return multiprocessing.get_context("spawn")


class _NoPool(Exception):
    """Worker processes cannot be started here."""


class Reader:
    """Reads bodies with ``function`` (:func:`read`): in this process, or in ``processes`` worker processes.

    Use it as an async context manager (``async with Reader(2) as reader``), or call :meth:`close`. The pool
    starts on entering, before any fetch, so that it can fork a process with one thread.

    When a worker dies, every read in flight in its pool fails with it. Each of those documents is then read
    again on its own, one at a time, in a second pool of one process: the document that kills that one too is
    the culprit, and only it is marked unreadable.
    """

    def __init__(self, processes: int = 0, *, function: Callable[..., Reading] = read) -> None:
        self.processes = max(0, processes)
        self.function = function  # what each worker runs: tests swap in one that crashes
        self._pool: Executor | None = None
        self._alone: Executor | None = None  # the one-process pool for reading a suspect on its own
        self._one_at_a_time = asyncio.Lock()
        self.restarts = 0  # pools replaced after a worker died

    async def __aenter__(self) -> Reader:
        if self.processes:
            try:
                self._pool = self._start(self.processes)
            except _NoPool as exc:
                self._inline(exc)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        for pool in (self._pool, self._alone):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._alone = None

    def _start(self, workers: int) -> Executor:
        try:
            return ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start_worker)
        except Exception as exc:
            raise _NoPool(exc) from exc

    def _inline(self, exc: BaseException) -> None:
        log.warning("reading in this process: no worker processes (%s)", exc)
        self.close()
        self.processes = 0

    async def _in(self, pool: Executor, call: Callable[[], Reading]) -> Reading:
        try:
            future = asyncio.get_running_loop().run_in_executor(pool, call)
        except BrokenProcessPool:
            raise
        except Exception as exc:  # the pool could not start its processes (a daemonic process, a limit)
            raise _NoPool(exc) from exc
        return await future

    async def read(self, body: bytes, content_type: str, url: str, *, years: bool = False) -> Reading:
        """The reading of one fetched body. Never raises for what the body holds."""
        call = functools.partial(self.function, body, content_type, url, years=years)
        if not self.processes:
            return call()
        try:
            if self._pool is None:
                self._pool = self._start(self.processes)
            pool = self._pool
            try:
                return await self._in(pool, call)
            except BrokenProcessPool:
                if self._pool is pool:  # the first read to notice replaces the pool for all
                    self._pool = None
                    pool.shutdown(wait=False, cancel_futures=True)
                    self.restarts += 1
            async with self._one_at_a_time:
                if self._alone is None:
                    self._alone = self._start(1)
                alone = self._alone
                try:
                    return await self._in(alone, call)
                except BrokenProcessPool:
                    log.warning("a reading process died on %s: it counts as unreadable", url)
                    self._alone = None
                    alone.shutdown(wait=False, cancel_futures=True)
                    self.restarts += 1
        except _NoPool as exc:
            self._inline(exc)
            return call()
        except Exception:  # raised in the worker (MemoryError) or on the way back: this document only
            log.warning("reading %s failed in a worker process", url, exc_info=True)
        return _unreadable(body, content_type, url)
