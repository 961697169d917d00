"""Jobs on real Celery workers through a real Redis: progress, cancel, and no job lost when a worker dies.

The database follows the pass: a SQLite file on the default pass, a fresh PostgreSQL database on the
PostgreSQL pass (scripts/test sets DATABASE_URL). Redis must be reachable; under CI its absence fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from . import redisdb

pytestmark = pytest.mark.slow  # starts servers, workers or other programs (CONTRIBUTING.md)

REPO = Path(__file__).parents[2]


def _redis_or_skip() -> str:
    """This run's own Redis database, emptied for the stack (tests/web/redisdb.py)."""
    try:
        redisdb.flush()
        return redisdb.redis_url()
    except redisdb.RedisUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable ({exc}); CI must run the worker tests")
        pytest.skip(f"Redis is not reachable ({exc})")


@dataclass
class Stack:
    env: dict[str, str]
    folder: Path
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def django(self, code: str) -> str:
        script = "import django; django.setup()\n" + code
        done = subprocess.run(
            [sys.executable, "-c", script], env=self.env, cwd=REPO, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.strip()

    def submit(self, kind: str, **params: Any) -> int:
        code = (
            "import tests.web.job_kinds\nfrom prongsai.web import jobs\n"
            f"print(jobs.submit(None, {kind!r}, {params!r}).pk)"
        )
        return int(self.django(code))

    def cancel(self, job_id: int) -> None:
        code = "from prongsai.web import jobs\nfrom prongsai.web.models import Job\n"
        self.django(code + f"jobs.cancel(Job.objects.get(pk={job_id}))")

    def job(self, job_id: int) -> dict[str, Any]:
        code = (
            "import json\nfrom prongsai.web.models import Job\n"
            f"j = Job.objects.get(pk={job_id})\n"
            "print(json.dumps({'status': j.status, 'done': j.done, 'attempts': j.attempts, 'worker': j.worker,"
            " 'result': j.result, 'error': j.error, 'runner': j.runner}))"
        )
        return dict(json.loads(self.django(code)))

    def worker(self) -> subprocess.Popen[bytes]:
        log = (self.folder / f"worker{len(self.workers)}.log").open("wb")
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "prongsai.web.celery_app",
            "worker",
            "-P",
            "prefork",
            "-c",
            "1",
        ]
        command += ["-I", "tests.web.job_kinds", "--without-mingle", "--without-gossip", "-l", "info"]
        command += ["-n", f"w{len(self.workers)}-{uuid.uuid4().hex[:6]}@%h"]
        process = subprocess.Popen(
            command, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.workers.append(process)
        return process

    def wait(self, job_id: int, until: Any, seconds: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if until(job):
                return job
            time.sleep(0.3)
        logs = "\n".join(p.read_text(errors="replace")[-1500:] for p in self.folder.glob("worker*.log"))
        raise AssertionError(f"job {job_id} never got there: {self.job(job_id)}\n{logs}")


def _database(tmp_path: Path) -> Iterator[str]:
    """A SQLite file on the default pass; a fresh PostgreSQL database on the PostgreSQL pass."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
        return
    import psycopg

    name = f"prongsai_jobs_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(configured, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield configured.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(configured, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    redis_url = _redis_or_skip()
    for database_url in _database(tmp_path):
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PRONGSAI_BROKER_URL": redis_url,
            "PRONGSAI_DATA_DIR": str(tmp_path / "data"),
            "PRONGSAI_JOBS_STALE_SECONDS": "3",
            "PRONGSAI_DB_CONN_MAX_AGE": "0",
            "DJANGO_SETTINGS_MODULE": "prongsai.web.settings",
            "PYTHONPATH": str(REPO),
        }
        env.pop("PRONGSAI_JOBS", None)
        migrated = subprocess.run(
            [sys.executable, "-m", "django", "migrate", "-v0"], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert migrated.returncode == 0, migrated.stderr[-2000:]
        stack = Stack(env, tmp_path)
        try:
            yield stack
        finally:
            for process in stack.workers:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_a_worker_runs_a_job_and_reports_progress(stack: Stack) -> None:
    stack.worker()
    gate = stack.folder / "go-on"
    job_id = stack.submit("test_steps", steps=30, pause=0.01, hold_at=5, gate=str(gate))
    running = stack.wait(job_id, lambda j: j["status"] == "running" and j["done"] == 5)
    assert running["runner"] == "celery"
    gate.touch()
    done = stack.wait(job_id, lambda j: j["status"] == "done")
    assert done["result"]["counted"] == 30 and done["result"]["pid"] != os.getpid() and done["attempts"] == 1


def test_a_killed_worker_process_loses_no_job(stack: Stack) -> None:
    """The job kills the process running it at step 3: the message goes back to the queue, a new process
    sees the old one is gone and runs the job again from the start."""
    stack.worker()
    job_id = stack.submit("test_steps", steps=6, pause=0.05, die_at=3)
    done = stack.wait(job_id, lambda j: j["status"] == "done")
    assert done["attempts"] == 2 and done["result"]["attempt"] == 2


def test_a_whole_worker_killed_mid_job_is_taken_over_by_another(stack: Stack) -> None:
    first = stack.worker()
    job_id = stack.submit("test_steps", steps=10, pause=0.01, hold_at=3)  # the first attempt holds at step 3
    before = stack.wait(job_id, lambda j: j["status"] == "running" and j["done"] == 3)
    os.killpg(first.pid, signal.SIGKILL)  # the machine is gone: no process left to requeue anything
    first.wait()
    assert stack.job(job_id)["status"] == "running"  # nobody knows yet
    stack.worker()  # another worker's reaper sees the heartbeat stop and hands the job out again
    done = stack.wait(job_id, lambda j: j["status"] == "done", seconds=90)
    assert done["attempts"] == 2 and done["worker"] != before["worker"]


def test_a_job_that_always_kills_its_worker_is_reported_failed(stack: Stack) -> None:
    """Not handed out blindly: the second death at the same step fails the job, naming that step (the file)."""
    stack.worker()
    job_id = stack.submit("test_killed_by_a_file")
    failed = stack.wait(job_id, lambda j: j["status"] == "failed", seconds=90)
    assert failed["attempts"] == 2 and "สองครั้งที่ขั้นเดียวกัน" in failed["error"], failed
    assert "bomb.pdf" in failed["error"]


def test_a_running_job_on_a_worker_can_be_cancelled(stack: Stack) -> None:
    stack.worker()
    job_id = stack.submit("test_steps", steps=300, pause=0.01, hold_at=2)  # held until cancelled
    stack.wait(job_id, lambda j: j["status"] == "running" and j["done"] == 2)
    stack.cancel(job_id)
    cancelled = stack.wait(job_id, lambda j: j["status"] != "running")
    assert cancelled["status"] == "cancelled" and cancelled["done"] < 300


def test_a_worker_without_a_broker_refuses_to_start(stack: Stack) -> None:
    env = {**stack.env, "PRONGSAI_BROKER_URL": ""}
    done = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "prongsai.web.celery_app", "worker"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0 and "PRONGSAI_BROKER_URL" in done.stderr
