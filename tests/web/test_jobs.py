"""Background jobs in the embedded setup: inline and in a thread of the web process, with progress,
cancel, failures explained, lost jobs restarted, and pages scoped like every other page."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prongsai.web import jobs
from prongsai.web.models import Job

from . import job_kinds  # noqa: F401  (registers the test kinds)
from .conftest import World


def wait_for(job: Job, seconds: float = 20) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} still {job.status} after {seconds} s")


def test_an_inline_job_runs_and_keeps_its_result(db: Any) -> None:
    job = jobs.submit(None, "test_steps", {"steps": 3})
    assert job.status == "done" and job.result["counted"] == 3 and job.attempts == 1 and job.percent == 100


def test_bad_input_fails_with_the_users_message_and_a_bug_says_so(db: Any) -> None:
    bad = jobs.submit(None, "test_bad_input", {})
    assert bad.status == "failed" and bad.error == "x.csv, แถว 3, ช่อง total: ใส่ตัวเลข (enter a number)"
    bug = jobs.submit(None, "test_bug", {})
    # A fault of the system: the page says so in Thai with the job's number; the exception stays in the log.
    assert bug.status == "failed" and "ข้อผิดพลาดในระบบ" in bug.error and str(bug.pk) in bug.error
    assert "ZeroDivisionError" not in bug.error


def test_unknown_kinds_and_unserialisable_params_fail_at_submit(db: Any) -> None:
    with pytest.raises(ValueError, match="unknown job kind"):
        jobs.submit(None, "no_such_kind", {})
    with pytest.raises(TypeError):
        jobs.submit(None, "test_steps", {"steps": object()})
    assert not Job.objects.exists()


def test_a_thread_job_reports_progress_and_can_be_cancelled(transactional_db: Any, settings: Any) -> None:
    settings.JOBS_RUNNER = "thread"
    job = jobs.submit(None, "test_steps", {"steps": 400, "pause": 0.02, "hold_at": 3})  # held there until cancelled
    deadline = time.monotonic() + 30
    while job.done < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
        job.refresh_from_db()
    assert job.status == "running" and 0 < job.done < 400 and job.message.startswith("step")
    jobs.cancel(job)
    job = wait_for(job)
    assert job.status == "cancelled" and job.done < 400


def test_a_queued_job_is_cancelled_at_once(db: Any, settings: Any) -> None:
    job = Job.objects.create(kind="test_steps", params={"steps": 1})
    jobs.cancel(job)
    assert job.status == "cancelled" and jobs.execute(job.pk) == "skipped"


def test_a_job_whose_worker_stopped_beating_is_started_again(db: Any, settings: Any) -> None:
    stale = timezone.now() - timedelta(seconds=settings.JOBS_STALE_SECONDS + 5)
    job = Job.objects.create(
        kind="test_steps", params={"steps": 2}, status="running", attempts=1, heartbeat=stale, worker="elsewhere:1"
    )
    assert jobs.reap() == [job.pk]
    # reap hands the job out after commit; the test's transaction never commits, so run it as a worker would
    assert jobs.execute(job.pk) == "done"
    job.refresh_from_db()
    assert job.attempts == 2 and job.result["attempt"] == 2


def test_a_job_that_keeps_losing_its_worker_is_reported_not_retried_forever(db: Any, settings: Any) -> None:
    stale = timezone.now() - timedelta(seconds=settings.JOBS_STALE_SECONDS + 5)
    job = Job.objects.create(
        kind="test_steps", params={"steps": 2}, status="running", heartbeat=stale, worker="elsewhere:1",
        attempts=settings.JOBS_MAX_ATTEMPTS,
    )  # fmt: skip
    jobs.reap()
    assert jobs.execute(job.pk) == "failed"
    job.refresh_from_db()
    assert "หยุดทำงาน 3 ครั้ง" in job.error


def test_a_job_of_a_dead_local_process_is_claimed_and_a_live_one_is_not(db: Any) -> None:
    import socket
    import subprocess

    gone = subprocess.Popen(["true"])
    gone.wait()
    job = Job.objects.create(
        kind="test_steps", params={"steps": 1}, status="running", attempts=1, heartbeat=timezone.now(),
        worker=f"{socket.gethostname()}:{gone.pid}",
    )  # fmt: skip
    assert jobs.execute(job.pk) == "done"
    alive = Job.objects.create(
        kind="test_steps", params={"steps": 1}, status="running", attempts=1, heartbeat=timezone.now(),
        worker=jobs.worker_name(),
    )  # fmt: skip
    assert jobs.execute(alive.pk) == "skipped"


def test_the_document_set_is_one_zip_of_docx_and_pdf(world: World) -> None:
    response = world.client("viewer").post(reverse("document_set", args=[world.agency.pk, 2565]), follow=True)
    job = Job.objects.get(kind="document_set")
    assert job.status == "done", job.error
    assert "ดาวน์โหลด" in response.content.decode()
    download = world.client("viewer").get(reverse("job_file", args=[job.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()  # type: ignore[attr-defined]
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["docx"] * 4 + ["pdf"] * 4
    assert "มาตรการส่งเสริมคุณธรรม.pdf" in names


@pytest.mark.parametrize(
    ("persona", "page", "cancel"),
    [("owner", 200, 302), ("editor", 200, 302), ("viewer", 200, 403), ("oversight", 200, 403), ("outsider", 404, 404)],
)
def test_job_pages_are_scoped_to_the_agency(world: World, persona: str, page: int, cancel: int) -> None:
    job = Job.objects.create(kind="test_steps", params={"steps": 1}, agency=world.agency, status="running", total=4)
    client = world.client(persona)
    assert client.get(reverse("job", args=[job.pk])).status_code == page
    assert client.get(reverse("job_status", args=[job.pk])).status_code == page
    assert client.get(reverse("agency_jobs", args=[world.agency.pk])).status_code == page
    assert client.post(reverse("job_cancel", args=[job.pk])).status_code == cancel
    assert Client().get(reverse("job", args=[job.pk])).status_code == 302  # anonymous: to the login page


def test_a_job_of_no_agency_nor_office_is_seen_only_by_who_started_it(world: World) -> None:
    job = Job.objects.create(kind="test_steps", params={"steps": 1}, created_by=world.users["oversight"])
    assert world.client("oversight").get(reverse("job", args=[job.pk])).status_code == 200
    assert world.client("owner").get(reverse("job", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "page", "cancel"), [("owner", 200, 302), ("oversight", 200, 403), ("viewer", 404, 404)]
)
def test_an_offices_job_is_seen_by_its_members_and_cancelled_by_its_admins(
    world: World, persona: str, page: int, cancel: int
) -> None:
    """An import started by one office admin can be followed by the office's other members."""
    job = Job.objects.create(
        kind="test_steps", params={"steps": 1}, office=world.oversight_office, created_by=world.users["owner"],
        status="running",
    )  # fmt: skip
    client = world.client(persona)
    response = client.get(reverse("job", args=[job.pk]))
    assert response.status_code == page
    if page == 200:
        assert reverse("oversight", args=[world.oversight_office.pk]) in response.content.decode()  # type: ignore[union-attr]
    assert client.post(reverse("job_cancel", args=[job.pk])).status_code == cancel


def test_the_progress_fragment_polls_until_the_job_is_finished(world: World) -> None:
    job = Job.objects.create(
        kind="test_steps", params={"steps": 1}, agency=world.agency, status="running", done=3, total=4,
        heartbeat=timezone.now(), message="ทำขั้นที่ 3",
    )  # fmt: skip
    page = world.client("viewer").get(reverse("job_status", args=[job.pk])).content.decode()
    assert "hx-trigger" in page and "3/4" in page and "75%" in page and "ทำขั้นที่ 3" in page
    Job.objects.filter(pk=job.pk).update(status="failed", error="ไฟล์เสีย")
    page = world.client("viewer").get(reverse("job_status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page and "ไฟล์เสีย" in page
