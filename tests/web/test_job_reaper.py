"""Jobs orphaned by a crash: a periodic reaper in every process kind hands them out again, a job whose worker
died twice at the same step (the file it was reading) fails with that step named instead of killing another
worker, and a check whose job was lost no longer blocks a new check."""

from __future__ import annotations

import runpy
import socket
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from prongsai.web import jobs
from prongsai.web.jobs import oit_check as checks
from prongsai.web.models import CheckRun, Job

from . import job_kinds
from .conftest import World

ROOT = Path(__file__).parents[2]
STEP = job_kinds.BOMB_STEP


def _stale(settings: Any) -> Any:
    return timezone.now() - timedelta(seconds=settings.JOBS_STALE_SECONDS + 5)


def _lost(settings: Any, **fields: Any) -> Job:
    """A job 'running' on a machine whose process is gone, last seen reading STEP."""
    values = {"kind": "test_steps", "params": {"steps": 1}, "status": "running", "attempts": 1,
              "heartbeat": _stale(settings), "worker": "elsewhere:1", "message": STEP, **fields}  # fmt: skip
    return Job.objects.create(**values)


def test_a_job_lost_twice_at_the_same_step_fails_with_the_step(db: Any, settings: Any) -> None:
    job = _lost(settings)
    assert jobs.reap() == [job.pk]  # the first death may be the machine's: handed out again, the step kept
    job.refresh_from_db()
    assert job.status == "queued" and job.result == {"lost_at": [STEP]}
    # taken again (as a worker would) and lost again while reading the same file
    Job.objects.filter(pk=job.pk).update(status="running", message=STEP, heartbeat=_stale(settings), attempts=2)
    assert jobs.reap() == []
    job.refresh_from_db()
    assert job.status == "failed" and "สองครั้งที่ขั้นเดียวกัน" in job.error and "bomb.pdf" in job.error
    assert jobs.execute(job.pk) == "skipped"  # never handed out again


def test_a_job_lost_at_another_step_is_retried(db: Any, settings: Any) -> None:
    job = _lost(settings, result={"lost_at": ["อ่าน https://agency.example/other.pdf"]})
    assert jobs.reap() == [job.pk]
    assert jobs.execute(job.pk) == "done"


def test_a_dead_local_worker_at_the_same_step_is_not_claimed_again(db: Any) -> None:
    """Celery hands a dead child's message to another child: the claim itself knows the step killed one before."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    job = Job.objects.create(
        kind="test_steps", params={"steps": 1}, status="running", attempts=1, heartbeat=timezone.now(),
        worker=f"{socket.gethostname()}:{gone.pid}", message=STEP, result={"lost_at": [STEP]},
    )  # fmt: skip
    assert jobs.execute(job.pk) == "failed"
    job.refresh_from_db()
    assert "bomb.pdf" in job.error and job.attempts == 1


def test_the_reaper_thread_reaps_without_anyone_asking(transactional_db: Any, settings: Any, monkeypatch: Any) -> None:
    settings.JOBS_STALE_SECONDS = 2
    monkeypatch.setattr(jobs, "_reaper_pid", 0)
    stop = threading.Event()
    try:
        assert jobs.start_reaper(stop) and not jobs.start_reaper(stop)  # once per process
        job = _lost(settings, message="")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.is_finished:
                break
            time.sleep(0.2)
        assert job.status == "done" and job.attempts == 2  # handed out again (inline here) and finished
    finally:
        stop.set()


def test_every_process_kind_starts_the_reaper() -> None:
    gunicorn = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert "start_reaper" in (ROOT / "deploy" / "gunicorn.conf.py").read_text() and callable(
        gunicorn["post_worker_init"]
    )
    assert "jobs.start_reaper()" in (ROOT / "src" / "prongsai" / "web" / "server.py").read_text()
    assert "jobs.start_reaper(" in (ROOT / "src" / "prongsai" / "web" / "celery_app.py").read_text()


def test_a_lost_check_does_not_block_a_new_one(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    job = Job.objects.create(kind="check", status="failed", error="งานนี้ทำให้โปรแกรม…", finished=timezone.now())
    orphan = CheckRun.objects.create(assessment=world.y2565, total=1, job=job)
    started: list[int] = []
    monkeypatch.setattr(checks, "check_start", lambda user, assessment: started.append(assessment.pk))
    url = reverse("check_start", args=[world.agency.pk, 2565])
    response = world.client("owner").post(url, follow=True)
    assert started == [world.y2565.pk] and "กำลังตรวจอยู่แล้ว" not in response.content.decode()
    orphan.refresh_from_db()
    assert orphan.status == "failed" and orphan.error.startswith("งานนี้ทำให้โปรแกรม")


def test_stale_temporary_folders_are_removed_at_start(tmp_path: Path) -> None:
    """What a killed process left (a document set, LibreOffice's profile, a restore) goes at the next start;
    a folder in use (recent) and other programs' folders stay."""
    import os

    from prongsai.web.server import clean_stale_folders

    old = time.time() - 7 * 3600
    left = [tmp_path / "prongsai-set-abc", tmp_path / "prongsai-lo-def", tmp_path / ".prongsai-restore-x"]
    for folder in left:
        (folder / "inner").mkdir(parents=True)
        (folder / "inner" / "big.docx").write_bytes(b"x" * 1000)
        os.utime(folder, (old, old))
    fresh, other = tmp_path / "prongsai-set-now", tmp_path / "someone-else"
    fresh.mkdir()
    other.mkdir()
    os.utime(other, (old, old))
    assert clean_stale_folders(tmp_path) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prongsai-set-now", "someone-else"]
    assert "clean_stale_folders()" in (ROOT / "src" / "prongsai" / "web" / "celery_app.py").read_text()
    assert "swept = clean_stale_folders()" in (ROOT / "src" / "prongsai" / "web" / "server.py").read_text()
