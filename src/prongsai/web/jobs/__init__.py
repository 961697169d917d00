"""Background jobs: one way to run long work, in the web process or on Celery workers.

A job kind is a function registered with ``@register("kind")``; it takes a JobContext and the job's
JSON parameters and returns a JSON result. ``submit`` records a Job and hands it to the configured runner:

- ``thread`` (the embedded default): a thread of the web process, no extra service;
- ``inline``: inside the request (tests, scripts);
- ``celery``: a Celery worker reached through Redis (PRONGSAI_BROKER_URL), on as many machines as needed.

Whatever runs it, the Job row holds the truth: progress and messages for the page, a heartbeat written by a
side thread while the job runs, and a cancel flag the job sees at its next progress call. A job whose
worker died (a killed process, a lost machine) stops beating; ``reap`` finds it, starts it again up to
JOBS_MAX_ATTEMPTS times and otherwise reports it as failed, so no job is ever silently dropped.

A lost job is not handed out blindly: where it was (its last progress message: the page or file it was
reading) is kept with it, and a job whose worker dies a second time at the same step fails at once with that
step named: that document or file killed the worker, and another attempt would only kill another. Every
process kind reaps: the Celery workers (celery_app), ``prongsai serve`` and each gunicorn worker
(``start_reaper``), besides ``prongsai prepare`` at start and the job's own page.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from prongsai.errors import ProngsaiError

from ..models import Agency, Job, Office

log = logging.getLogger(__name__)

JobFunction = Callable[..., "dict[str, Any] | None"]
_KINDS: dict[str, JobFunction] = {}

# Modules whose import registers job kinds; imported once, lazily, by whoever runs or submits a job.
JOB_MODULES = ["prongsai.web.jobs.oit_check", "prongsai.web.jobs.documents", "prongsai.web.jobs.oversight_import"]
_loaded = False


class Cancelled(Exception):
    """Raised inside a job at its next progress call after someone asked to cancel it."""


def register(kind: str) -> Callable[[JobFunction], JobFunction]:
    def decorate(function: JobFunction) -> JobFunction:
        _KINDS[kind] = function
        return function

    return decorate


def _load_kinds() -> None:
    global _loaded
    if _loaded:
        return
    for name in JOB_MODULES:
        import_module(name)
    _loaded = True


def kind_function(kind: str) -> JobFunction:
    _load_kinds()
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind!r}; known: {', '.join(sorted(_KINDS))}")
    return _KINDS[kind]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --- the context a job function works with --------------------------------------------------------------


@dataclass
class JobContext:
    job_id: int
    params: dict[str, Any]
    cancelled_event: threading.Event = field(default_factory=threading.Event)
    _last_write: float = 0.0

    @property
    def cancelled(self) -> bool:
        return self.cancelled_event.is_set()

    def progress(self, done: int, total: int | None = None, message: str | None = None, *, force: bool = False) -> None:
        """Record progress for the page (at most a few writes a second) and stop here if cancelled."""
        if self.cancelled:
            raise Cancelled
        now = time.monotonic()
        if not force and now - self._last_write < 0.5:
            return
        self._last_write = now
        changes: dict[str, Any] = {"done": done, "heartbeat": timezone.now()}
        if total is not None:
            changes["total"] = total
        if message is not None:
            changes["message"] = message[:300]
        # One query writes the progress and reads the cancel flag: nothing is written once cancel is asked.
        if not Job.objects.filter(pk=self.job_id, cancel_requested=False).update(**changes):
            self.cancelled_event.set()
            raise Cancelled


class _Heartbeat(threading.Thread):
    """Beats for a running job and watches its cancel flag, whether or not the job calls progress."""

    def __init__(self, context: JobContext, interval: float) -> None:
        super().__init__(name=f"job-heartbeat-{context.job_id}", daemon=True)
        self.context = context
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    Job.objects.filter(pk=self.context.job_id).update(heartbeat=timezone.now())
                    if Job.objects.filter(pk=self.context.job_id, cancel_requested=True).exists():
                        self.context.cancelled_event.set()
                except DatabaseError:  # a busy database: beat again next time, or the job would look lost
                    log.warning("job %s: heartbeat not written this time", self.context.job_id)
        finally:
            close_old_connections()


# --- submitting, cancelling ----------------------------------------------------------------------------


def submit(
    user: Any,
    kind: str,
    params: dict[str, Any],
    *,
    agency: Agency | None = None,
    office: Office | None = None,
    title: str = "",
) -> Job:
    kind_function(kind)  # an unknown kind fails here, in the request, not later in a worker
    json.dumps(params)  # parameters travel as JSON: fail now if they cannot
    job = Job.objects.create(
        kind=kind,
        params=params,
        agency=agency,
        office=office,
        title=title[:200],
        runner=settings.JOBS_RUNNER,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if settings.JOBS_RUNNER == "inline":
        execute(job.pk)
        job.refresh_from_db()
    else:
        # Another thread or machine must see the row: hand the job over once its transaction has committed.
        transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> None:
    runner = settings.JOBS_RUNNER
    if runner == "inline":
        execute(job_id)
    elif runner == "thread":
        threading.Thread(target=_in_thread, args=(job_id,), daemon=True, name=f"job-{job_id}").start()
    else:
        from ..celery_app import run_job

        run_job.apply_async((job_id,))


def _in_thread(job_id: int) -> None:
    """A thread has its own database connection: opened fresh, closed when done."""
    close_old_connections()
    try:
        execute(job_id)
    finally:
        close_old_connections()


def cancel(job: Job) -> None:
    """A queued job is cancelled at once; a running one stops at its next progress call."""
    stopped = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED, finished=timezone.now(), message="ยกเลิกก่อนเริ่ม"
    )
    if not stopped:
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(cancel_requested=True)
    job.refresh_from_db()


# --- running ----------------------------------------------------------------------------------------------


def execute(job_id: int) -> str:
    """Run one job here, if it is ours to run. Returns what happened: the job's final status, or
    'skipped' when it is finished already or another live process is running it."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    if job.status == Job.Status.FAILED:  # claimed only to be reported: too many attempts
        return job.status
    function = kind_function(job.kind)
    context = JobContext(job_id=job.pk, params=job.params)
    heartbeat = _Heartbeat(context, interval=max(0.5, settings.JOBS_STALE_SECONDS / 4))
    heartbeat.start()
    try:
        result = function(context, **job.params) or {}
        _finish(job.pk, Job.Status.DONE, result=result)
    except Cancelled:
        _finish(job.pk, Job.Status.CANCELLED, message="ยกเลิกแล้วตามคำขอ")
    except ProngsaiError as exc:  # bad input: its message is written for the user
        _finish(job.pk, Job.Status.FAILED, error=failure_message(exc, job.pk))
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job.pk, Job.Status.FAILED, error=failure_message(exc, job.pk))
    finally:
        heartbeat.stopped.set()
        heartbeat.join()
    return Job.objects.values_list("status", flat=True).get(pk=job.pk)


def failure_message(exc: BaseException, job_id: int) -> str:
    """What a person reads about a job that failed, stored the core's way ("ไทย (English)", shown in the page's
    language). Bad input says its own fix; anything else is a fault of the system, whose exception and
    traceback go to the server's log, never to the page: the person gets the job's number to report."""
    if isinstance(exc, ProngsaiError):
        return str(exc)
    return (
        f"เกิดข้อผิดพลาดในระบบ งานนี้จึงไม่สำเร็จ โปรดแจ้งผู้ดูแลระบบพร้อมหมายเลขงาน {job_id} "
        f"(a system error stopped this job; give the administrator its number, {job_id})"
    )


def _claim(job_id: int) -> Job | None:
    """Take the job if it is queued, or if it is 'running' in a process that is gone. One atomic update
    decides, so two workers handed the same job (a redelivered message, a reaped job) never both run it."""
    now = timezone.now()
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.is_finished:
        return None
    claimable = Q(status=Job.Status.QUEUED)
    if job.status == Job.Status.RUNNING and _worker_gone(job):
        claimable |= Q(status=Job.Status.RUNNING, worker=job.worker)
    if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
        gave_up = Job.objects.filter(Q(pk=job_id) & claimable).update(
            status=Job.Status.FAILED, finished=now, error=_gave_up_message(job.attempts)
        )
        return Job.objects.get(pk=job_id) if gave_up else None
    lost = job.status == Job.Status.RUNNING and _worker_gone(job)
    if lost and _died_here_before(job):
        killed = Job.objects.filter(Q(pk=job_id) & claimable).update(
            status=Job.Status.FAILED, finished=now, error=_killed_message(job.message)
        )
        return Job.objects.get(pk=job_id) if killed else None
    taken = Job.objects.filter(Q(pk=job_id) & claimable).update(
        status=Job.Status.RUNNING,
        attempts=F("attempts") + 1,
        worker=worker_name(),
        started=now,
        heartbeat=now,
        cancel_requested=False,
        message="",  # the step it reaches now, and nothing older, is where a death is charged
        result=_with_loss(job) if lost else job.result,
    )
    return Job.objects.get(pk=job_id) if taken else None


def _losses(job: Job) -> list[str]:
    """The steps (progress messages) at which this job's workers died, kept in its result until it finishes."""
    lost = job.result.get("lost_at", []) if isinstance(job.result, dict) else []
    return [str(step) for step in lost] if isinstance(lost, list) else []


def _died_here_before(job: Job) -> bool:
    return job.message in _losses(job)


def _with_loss(job: Job) -> dict[str, Any]:
    return {"lost_at": [*_losses(job), job.message]}


def _killed_message(step: str) -> str:
    where = f"ขณะ “{step}”" if step else "ก่อนรายงานความคืบหน้าครั้งแรก"
    return (
        f"งานนี้ทำให้โปรแกรมที่ทำงานหยุดทำงานสองครั้งที่ขั้นเดียวกัน {where} ซึ่งมักเป็นเพราะเอกสารหรือไฟล์ที่กำลังอ่านในขั้นนั้น"
        "ใช้หน่วยความจำหรือเวลาเกินกำลังเครื่อง จึงไม่เริ่มงานนี้ใหม่อีก ตรวจหรือแก้ไฟล์นั้น แล้วสั่งงานใหม่ "
        f"(the worker running this job died twice at the same step{f': {step}' if step else ''}; the document or file "
        "read there killed it, so the job is not handed out again)"
    )


def _worker_gone(job: Job) -> bool:
    """On this machine a dead process is certain; elsewhere only a stale heartbeat tells."""
    host, _, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    stale = timezone.now() - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    return job.heartbeat is None or job.heartbeat < stale


def _gave_up_message(attempts: int) -> str:
    return (
        f"งานนี้หยุดกลางคันเพราะโปรแกรมที่ทำงานหยุดทำงาน {attempts} ครั้ง จึงไม่เริ่มใหม่อีก "
        "โปรดตรวจบันทึกของ worker แล้วสั่งงานใหม่ "
        f"(the worker running this job died {attempts} times; not retried again)"
    )


def _finish(job_id: int, status: str, **changes: Any) -> None:
    changes.setdefault("message", "")
    Job.objects.filter(pk=job_id).update(status=status, finished=timezone.now(), heartbeat=timezone.now(), **changes)


def reap() -> list[int]:
    """Find running jobs whose worker is gone and start them again, or report them: one that died twice at the
    same step fails with that step named. Returns the ids of the jobs handed out again."""
    stale = timezone.now() - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    lost = Job.objects.filter(status=Job.Status.RUNNING).filter(Q(heartbeat__lt=stale) | Q(heartbeat__isnull=True))
    restarted = []
    for job in lost:
        still = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, heartbeat=job.heartbeat)
        if _died_here_before(job):
            if still.update(status=Job.Status.FAILED, finished=timezone.now(), error=_killed_message(job.message)):
                log.warning("job %s (%s) killed its worker twice at %r; failed", job.pk, job.kind, job.message)
            continue
        moved = still.update(
            status=Job.Status.QUEUED,
            message=f"เริ่มใหม่ เพราะโปรแกรมที่ทำงานนี้หยุดไป (ครั้งที่ {job.attempts})",
            result=_with_loss(job),
        )
        if moved:
            log.warning("job %s (%s) lost its worker %s; handing it out again", job.pk, job.kind, job.worker)
            restarted.append(job.pk)
            transaction.on_commit(functools.partial(dispatch, job.pk))
    return restarted


_reaper_lock = threading.Lock()
_reaper_pid = 0


def start_reaper(stop: threading.Event | None = None) -> bool:
    """Reap every JOBS_STALE_SECONDS / 2 in a daemon thread of this process (once per process: a forked
    gunicorn worker starts its own). Returns whether a thread was started now."""
    global _reaper_pid
    with _reaper_lock:
        if _reaper_pid == os.getpid():
            return False
        _reaper_pid = os.getpid()
    interval = max(1.0, settings.JOBS_STALE_SECONDS / 2)
    threading.Thread(
        target=_reap_forever, args=(stop or threading.Event(), interval), daemon=True, name="job-reaper"
    ).start()
    return True


def _reap_forever(stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            reap()
        except Exception:  # the reaper must outlive a database hiccup
            log.exception("reaping lost jobs failed")
        finally:
            close_old_connections()
