"""The Celery application: jobs on workers, through Redis.

Start a worker with ``celery -A prongsai.web.celery_app worker -l info`` and the same environment as the
web app (DATABASE_URL, PRONGSAI_BROKER_URL, …). A message is acknowledged only after its job has run
(acks_late) and goes back to the queue when the process running it dies (reject_on_worker_lost); the job
row decides who runs it (prongsai.web.jobs._claim), so a redelivered message never runs a job twice.
Each worker also reaps: every few seconds it hands out again the jobs whose worker stopped beating.
"""

from __future__ import annotations

import os
import threading
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.web.settings")

import django
from django.apps import apps

if not apps.ready:
    django.setup()

from celery import Celery, signals
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections

if not settings.JOBS_BROKER_URL:
    raise ImproperlyConfigured(
        "Celery workers need PRONGSAI_BROKER_URL, e.g. redis://127.0.0.1:6379/0 "
        "(ตั้งค่า PRONGSAI_BROKER_URL ก่อนเริ่ม worker)"
    )

app = Celery("prongsai")
app.conf.update(
    broker_url=settings.JOBS_BROKER_URL,
    broker_connection_retry_on_startup=True,
    # Longer than any job: Redis hands an unacknowledged message out again only after this; the reaper
    # (below) restarts a lost job long before, and the late redelivery then finds the job finished.
    broker_transport_options={"visibility_timeout": 6 * 3600},
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_ignore_result=True,  # results live in the Job row
    worker_prefetch_multiplier=1,  # long jobs: a worker takes one at a time
    worker_hijack_root_logger=False,
)


@app.task(name="prongsai.run_job")
def run_job(job_id: int) -> str:
    from . import jobs

    close_old_connections()
    try:
        return jobs.execute(job_id)
    finally:
        close_old_connections()


_reaper_stop = threading.Event()


@signals.worker_ready.connect
def _start_reaper(**_: Any) -> None:
    from . import jobs

    jobs.start_reaper(_reaper_stop)  # the same reaper as the web processes' (jobs.start_reaper)
    from .server import clean_stale_folders

    clean_stale_folders()  # what a killed worker left in the temporary folder


@signals.worker_shutdown.connect
def _stop_reaper(**_: Any) -> None:
    _reaper_stop.set()
