"""Run the OIT checker over an assessment's register from the web app, as a background job.

The CheckRun keeps the report as evidence; its Job carries progress, cancellation and retries, and runs
wherever jobs run (a thread of the web process by default, a Celery worker when configured).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from prongsai.checker.fetch import FetchPolicy
from prongsai.checker.report import CheckReport
from prongsai.checker.run import SiteCheck, check_site
from prongsai.checker.verdict import ItemCheck

from .. import jobs, services
from ..models import Assessment, CheckRun, RegisterEntry


def check_start(user: User | None, assessment: Assessment) -> CheckRun:
    run = CheckRun.objects.create(assessment=assessment, total=len(assessment.framework.items), started_by=user)
    title = f"ตรวจเว็บไซต์ OIT ปี {assessment.fiscal_year}"
    job = jobs.submit(user, "oit_check", {"run_id": run.pk}, agency=assessment.agency, title=title)
    CheckRun.objects.filter(pk=run.pk).update(job=job)
    run.refresh_from_db()
    return run


@jobs.register("oit_check")
def check_execute(context: jobs.JobContext, *, run_id: int) -> dict[str, Any]:
    run = CheckRun.objects.select_related("assessment__agency").get(pk=run_id)
    try:
        site = _run_checker(run, context)
    except jobs.Cancelled:
        CheckRun.objects.filter(pk=run.pk).update(status=CheckRun.Status.CANCELLED, finished=timezone.now())
        raise
    except Exception as exc:  # reported on the register page too: a check that fails must say why
        error = jobs.failure_message(exc, context.job_id)[:2000]
        CheckRun.objects.filter(pk=run.pk).update(status=CheckRun.Status.FAILED, error=error, finished=timezone.now())
        raise
    report = CheckReport.of(site)
    CheckRun.objects.filter(pk=run.pk).update(
        status=CheckRun.Status.DONE, report=report.to_json(), done=run.total, finished=timezone.now()
    )
    return {"counts": dict(report.counts)}


def _run_checker(run: CheckRun, context: jobs.JobContext) -> SiteCheck:
    """The checker's event loop runs in a thread of its own (the ORM may not be used inside it); this
    thread records its progress twice a second and cancels the loop's work when the user cancels."""
    assessment = run.assessment
    urls = {e.item_code: e.url_list() for e in assessment.register.all() if e.url_list()}
    home = assessment.agency.website if not urls else None
    policy = FetchPolicy(allow_hosts=frozenset(settings.CHECK_ALLOW_HOSTS))
    evidence = Path(settings.MEDIA_ROOT) / "checks" / str(assessment.agency_id) / str(run.pk)
    framework = assessment.framework
    done = [0]
    outcome: dict[str, Any] = {}
    loop = asyncio.new_event_loop()
    check = loop.create_task(
        check_site(
            framework,
            urls=urls or None,
            home=home,
            policy=policy,
            evidence=evidence,
            on_item=_counter(done),
            # One reading worker (polite crawls wait on the network, not on reading): fetched files are read in
            # it, under prongsai.checker.reading's bounds, never in this process, which serves other agencies.
            processes=1,
        )
    )

    def work() -> None:
        try:
            outcome["site"] = loop.run_until_complete(check)
        except BaseException as exc:  # handed to the waiting thread, which records it
            outcome["error"] = exc
        finally:
            loop.close()

    worker = threading.Thread(target=work, name=f"oit-check-loop-{run.pk}")
    worker.start()
    while worker.is_alive():
        worker.join(0.5)
        try:
            CheckRun.objects.filter(pk=run.pk).update(done=done[0])
            context.progress(done[0], run.total, f"ตรวจแล้ว {done[0]} จาก {run.total} ข้อ")
        except jobs.Cancelled:
            if not loop.is_closed():
                loop.call_soon_threadsafe(check.cancel)
            worker.join()
            raise
    if "error" in outcome:
        raise outcome["error"]
    site: SiteCheck = outcome["site"]
    return site


def _counter(done: list[int]) -> Callable[[ItemCheck], None]:
    def item_done(_check: ItemCheck) -> None:
        done[0] += 1

    return item_done


def proposal_accept(user: User | None, entry: RegisterEntry, url: str) -> RegisterEntry:
    """Put a URL the checker proposed into the register (first among the item's URLs)."""
    urls = [url, *[u for u in entry.url_list() if u != url]]
    return services.register_update(user, entry, {"urls": "\n".join(urls)})
