"""The check job on a real Celery worker (prefork: its process is daemonic) through a real Redis, on hostile
files: the worker's process starts its bounded reading worker all the same, each item comes to its verdict
with the reason, the job is done once (not handed out again), and the Celery process is never replaced."""

from __future__ import annotations

import json

import pytest

from checker.hostile import EXPECTED, hostile_app  # tests/checker's helpers (tests/ is on the path)
from checker.serving import served

from .test_celery import Stack, stack  # noqa: F401  (the fixture: a migrated database, Redis, workers)

pytestmark = pytest.mark.slow  # starts servers, workers or other programs (CONTRIBUTING.md)

SETUP = """
import json
from prongsai.web import server
server.prepare()
from prongsai.web.jobs import oit_check as checks
from prongsai.web.models import Assessment
assessment = Assessment.objects.filter(agency__name__contains="ทรงคนอง").order_by("-fiscal_year").first()
for code, url in json.loads({urls!r}).items():
    assessment.register.filter(item_code=code).update(urls=url)
print(checks.check_start(None, assessment).pk)
"""
RESULT = """
import json
from prongsai.web.models import CheckRun

run = CheckRun.objects.select_related("job").get(pk={run})
print(json.dumps({{"status": run.status, "report": run.report, "attempts": run.job.attempts, "error": run.error}}))
"""


def test_a_celery_worker_reads_hostile_files_in_a_bounded_worker(stack: Stack) -> None:  # noqa: F811
    stack.env["PRONGSAI_CHECK_ALLOW_HOSTS"] = "127.0.0.1"
    celery = stack.worker()
    with served(hostile_app()) as site:
        codes = {path: f"O{number}" for number, path in enumerate(EXPECTED, 1)}
        urls = {code: f"{site}{path}" for path, code in codes.items()}
        run = int(stack.django(SETUP.format(urls=json.dumps(urls))).split()[-1])
        job_of = "from prongsai.web.models import CheckRun\nprint(CheckRun.objects.get(pk={run}).job_id)"
        job = int(stack.django(job_of.format(run=run)))
        stack.wait(job, lambda j: j["status"] in ("done", "failed"), seconds=240)
    result = json.loads(stack.django(RESULT.format(run=run)))
    assert result["status"] == "done" and result["attempts"] == 1, result["error"]
    items = {item["code"]: item for item in result["report"]["items"]}
    for path, code in codes.items():
        verdict, said, _budget = EXPECTED[path]
        assert items[code]["verdict"] == verdict and said in items[code]["reason_th"], (path, items[code])
    assert celery.poll() is None
    log = (stack.folder / "worker0.log").read_text(errors="replace")
    assert "daemonic processes are not allowed" not in log and "reading in this process" not in log
