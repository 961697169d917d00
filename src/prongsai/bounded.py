"""Run work on untrusted content in a child process with bounds: address space, CPU time and wall-clock time.

A fetched PDF whose one content stream inflates to gigabytes, a page of 200,000 nested elements or a sheet of
millions of cells costs memory or CPU in C code (PDFium, lexbor, zlib) that Python cannot interrupt. Read in the
process that serves the web app or runs a job, such a file takes that process down, and with it every other
agency's work. In a child with an address-space limit (RLIMIT_AS), a CPU limit (RLIMIT_CPU) and a kill after a
wall-clock time, the worst it can do is end the child: :func:`run` then raises a :class:`LimitExceeded` that says
which bound held (:class:`MemoryExceeded`, :class:`CpuExceeded`, :class:`TimeExceeded`) or that the child died
(:class:`WorkerDied`), with the reason in Thai for the person who published the file.

The same bounds serve long-lived workers (prongsai.checker.reading): :func:`apply_bounds` sets the memory limit
once, and :func:`limit_cpu` gives each task its own CPU budget, counted from what the worker has used so far.
"""

from __future__ import annotations

import contextlib
import enum
import faulthandler
import multiprocessing
import multiprocessing.forkserver
import os
import resource
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from prongsai.errors import ProngsaiError

__all__ = [
    "Bounds",
    "CpuExceeded",
    "Limit",
    "LimitExceeded",
    "MemoryExceeded",
    "TimeExceeded",
    "WorkerDied",
    "apply_bounds",
    "classify_exit",
    "limit_cpu",
    "run",
    "start_child",
    "start_context",
]

T = TypeVar("T")
MB = 1024 * 1024


@dataclass(frozen=True)
class Bounds:
    """What one piece of work on untrusted content may use.

    ``memory`` is address space, not resident memory: it counts what a parser reserves (an arena, a decode
    buffer) before it touches it, so it stops a bomb before the machine swaps. It is what the work may add to
    the address space the child starts with (:func:`address_space_in_use`), so the same work fits whatever
    process the child was forked from. The default leaves room for the parsers' libraries as they load and for
    the largest real agency document the checker reads (a 30-page scanned PDF renders in well under 300 MB).
    """

    memory: int = 1536 * MB  # bytes of address space the work may add (RLIMIT_AS); 0 for none
    cpu: float = 60.0  # seconds of CPU (RLIMIT_CPU, whole seconds, rounded up); 0 for none
    seconds: float = 120.0  # wall-clock seconds before the child is killed; 0 for none


class Limit(enum.StrEnum):
    MEMORY = "memory"
    CPU = "cpu"
    TIME = "time"
    DIED = "died"


_REASONS = {
    Limit.MEMORY: (
        "ไฟล์นี้ต้องใช้หน่วยความจำเกินกว่าที่ระบบอนุญาต ({detail}) จึงหยุดอ่าน",
        "reading it needed more memory than allowed ({detail})",
    ),
    Limit.CPU: (
        "ไฟล์นี้ใช้เวลาประมวลผลเกินกว่าที่ระบบอนุญาต ({detail}) จึงหยุดอ่าน",
        "reading it used more CPU time than allowed ({detail})",
    ),
    Limit.TIME: (
        "การอ่านไฟล์นี้ใช้เวลานานเกินกว่าที่ระบบอนุญาต ({detail}) จึงหยุดอ่าน",
        "reading it took longer than allowed ({detail})",
    ),
    Limit.DIED: (
        "โปรแกรมอ่านไฟล์หยุดทำงานกลางคันขณะอ่านไฟล์นี้ ({detail}) ไฟล์อาจเสียหายหรือมีโครงสร้างผิดปกติ",
        "the reading process died on it ({detail})",
    ),
}


class LimitExceeded(ProngsaiError):
    """Work in a bounded child ended without a result: which bound held (``limit``), and why in Thai."""

    limit: Limit = Limit.DIED

    def __init__(self, detail: str) -> None:
        self.detail = detail
        template_th, template_en = _REASONS[self.limit]
        self.reason_th = template_th.format(detail=detail)
        self.reason_en = template_en.format(detail=detail)
        super().__init__(f"{self.reason_th} ({self.reason_en})")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.detail,))


class MemoryExceeded(LimitExceeded):
    limit = Limit.MEMORY


class CpuExceeded(LimitExceeded):
    limit = Limit.CPU


class TimeExceeded(LimitExceeded):
    limit = Limit.TIME


class WorkerDied(LimitExceeded):
    limit = Limit.DIED


def memory_detail(bounds: Bounds) -> str:
    return f"{bounds.memory // MB:,} MB"


def cpu_detail(bounds: Bounds) -> str:
    return f"{bounds.cpu:g} วินาที CPU"


def time_detail(seconds: float) -> str:
    return f"{seconds:g} วินาที"


# --- in the child ------------------------------------------------------------------------------------


def apply_bounds(bounds: Bounds) -> None:
    """Bound this process (call it first thing in a child): its address space, no core files, and a CPU
    budget from now. Raising a limit later is impossible for the hard limit, so only the soft ones are set."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    faulthandler.disable()  # a bound that holds in C code is expected: the parent logs it in one line
    # SIGXCPU and SIGABRT would otherwise write a core file of up to the address-space limit.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if bounds.memory:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = address_space_in_use() + bounds.memory
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    limit_cpu(bounds.cpu)


def address_space_in_use() -> int:
    """Bytes of address space this process holds now (0 where /proc is missing).

    A forked child inherits its parent's whole address space, most of it reserved and never touched: a test
    run or a server that has had many threads holds gigabytes (glibc keeps a 64 MB arena for each thread that
    ever allocated). The memory bound is counted from here, so the work has the same budget whatever process
    it was forked from, and an absolute limit below what the child already holds cannot fail its first
    allocation."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * resource.getpagesize()


def limit_cpu(seconds: float) -> None:
    """Let this process use ``seconds`` more of CPU (0: no limit); past them the kernel sends SIGXCPU, whose
    default action ends the process even while it runs C code. A long-lived worker calls it before each task."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if not seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime + seconds + 0.999)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _child(connection: Connection, bounds: Bounds, function: Callable[..., Any], args: Any, kwargs: Any) -> None:
    apply_bounds(bounds)
    try:
        answer: tuple[str, Any] = ("ok", function(*args, **kwargs))
    except MemoryError:
        answer = ("memory", None)
    except BaseException as exc:  # the caller's own exceptions are raised again in the parent
        answer = ("raised", exc)
    try:
        connection.send(answer)
    except MemoryError:
        connection.send(("memory", None))
    except Exception as exc:  # an unpicklable result or exception
        connection.send(("raised", RuntimeError(f"{type(exc).__name__}: {exc}")))
    connection.close()


# --- in the parent -----------------------------------------------------------------------------------


def start_context(preload: Sequence[str] = ()) -> multiprocessing.context.BaseContext:
    """fork when this process has one thread (cheap: the child shares the loaded modules); otherwise
    forkserver, since forking a threaded process (a web server's job thread, a Celery worker's heartbeat)
    can copy a lock another thread holds. ``preload``: modules the fork server imports once for every child
    (it takes effect when the fork server starts, so the first caller's list counts)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        if preload:
            context.set_forkserver_preload(["prongsai.bounded", *preload])
        return context
    return multiprocessing.get_context("spawn")


def _forget_inherited_fork_server() -> None:
    """In a process just forked (a Celery prefork child, say) from one that had started a fork server: that
    server is not this process's child, so multiprocessing cannot wait for it (ChildProcessError) and would
    fail to start any child through it. This process starts a fork server of its own when it needs one."""
    server: Any = multiprocessing.forkserver._forkserver
    server._lock = threading.Lock()  # another thread of the parent may have held it at the fork
    if server._forkserver_pid is not None:
        with contextlib.suppress(OSError):
            os.close(server._forkserver_alive_fd)  # the parent keeps its own end: its server lives on
        server._forkserver_pid = server._forkserver_address = server._forkserver_alive_fd = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited_fork_server)


def start_child(process: Any) -> None:
    """Start a bounded child, also from a Celery prefork worker's process.

    multiprocessing refuses to start children of a daemonic process (a Celery prefork child is one), because
    they would be orphaned when it is terminated; a bounded child cannot outlive its bounds (its CPU limit
    ends it, and an idle worker ends at its pipe's end of file), so the refusal is lifted while it starts.
    Billiard (Celery's multiprocessing) also leaves its own kind of authentication key in the process
    configuration, which the fork server cannot pickle: while the child starts, the same key is of the
    standard kind."""
    config: dict[str, Any] = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    saved = dict(config)
    config["daemon"] = False
    config["authkey"] = multiprocessing.process.AuthenticationString(bytes(saved["authkey"]))  # type: ignore[attr-defined]
    process.authkey = saved["authkey"]
    try:
        process.start()
    finally:
        config.update(saved)


def classify_exit(exitcode: int | None, bounds: Bounds) -> LimitExceeded:
    """What ended a child that gave no answer, from its exit code.

    SIGXCPU is the CPU limit. Under an address-space limit, C code whose allocation fails aborts (C++'s
    bad_alloc, glibc's malloc checks: SIGABRT) or follows a null pointer (SIGSEGV): with a memory bound set,
    those count as the memory bound holding. SIGKILL from outside is the system's out-of-memory killer."""
    if exitcode == -signal.SIGXCPU:
        return CpuExceeded(cpu_detail(bounds))
    if bounds.memory and exitcode in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS):
        return MemoryExceeded(memory_detail(bounds))
    if exitcode == -signal.SIGKILL:
        return WorkerDied("ระบบปฏิบัติการสั่งหยุด อาจเพราะหน่วยความจำของเครื่องไม่พอ")
    if exitcode is not None and exitcode < 0:
        return WorkerDied(f"สัญญาณ {signal.Signals(-exitcode).name}")
    return WorkerDied(f"รหัสออก {exitcode}")


def run(
    function: Callable[..., T],
    *args: Any,
    bounds: Bounds | None = None,
    preload: Sequence[str] = (),
    **kwargs: Any,
) -> T:
    """``function(*args, **kwargs)`` in a bounded child process: its result, the exception it raised, or a
    :class:`LimitExceeded` naming the bound that held. ``function`` must be importable by name (a module-level
    function) when this process has threads, as the child is then started by a fork server."""
    bounds = bounds or Bounds()
    context: Any = start_context(preload)
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, bounds, function, args, kwargs), daemon=True, name="prongsai-bounded"
    )
    try:
        start_child(process)
    finally:
        sender.close()  # the child's end lives in the child: its death reads as end of file here
    try:
        answer = _wait(receiver, bounds.seconds)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    status, value = answer
    if status == "time":
        raise TimeExceeded(time_detail(bounds.seconds))
    if status == "died":
        raise classify_exit(process.exitcode, bounds)
    if status == "ok":
        return value  # type: ignore[no-any-return]
    if status == "memory":
        raise MemoryExceeded(memory_detail(bounds))
    raise value


def _wait(receiver: Connection, seconds: float) -> tuple[str, Any]:
    """The child's answer; ("time", None) when its wall-clock time ran out, ("died", None) when it died."""
    try:
        if not receiver.poll(seconds or None):
            return ("time", None)
        answer: tuple[str, Any] = receiver.recv()
    except (EOFError, OSError):
        return ("died", None)
    return answer
