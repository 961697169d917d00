"""Run the OIT checker over an assessment's register from the web app.

On the embedded default a check runs in a thread of the web process, with its progress in the database
for the page to show; CHECK_IN_THREAD=False runs it inline (tests). Issue 7 moves long work to workers.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import close_old_connections
from django.utils import timezone

from prongsai.checker.fetch import FetchPolicy
from prongsai.checker.run import SiteCheck, check_site, report_json
from prongsai.checker.verdict import ItemCheck

from . import services
from .models import Assessment, CheckRun, RegisterEntry


def check_start(user: AbstractBaseUser | None, assessment: Assessment) -> CheckRun:
    run = CheckRun.objects.create(assessment=assessment, total=len(assessment.framework.items), started_by=user)
    if settings.CHECK_IN_THREAD:
        threading.Thread(target=_in_thread, args=(run.pk,), daemon=True, name=f"oit-check-{run.pk}").start()
    else:
        check_execute(run.pk)
    return run


def _in_thread(run_id: int) -> None:
    """A background thread has its own database connection, to open fresh and to close when done."""
    close_old_connections()
    try:
        check_execute(run_id)
    finally:
        close_old_connections()


def check_execute(run_id: int) -> None:
    run = CheckRun.objects.select_related("assessment__agency").get(pk=run_id)
    try:
        site = _run_checker(run)
        CheckRun.objects.filter(pk=run.pk).update(
            status=CheckRun.Status.DONE, report=report_json(site), done=run.total, finished=timezone.now()
        )
    except Exception as exc:  # reported on the page: a check that fails must say why, not vanish
        CheckRun.objects.filter(pk=run.pk).update(
            status=CheckRun.Status.FAILED, error=str(exc)[:2000], finished=timezone.now()
        )


def _run_checker(run: CheckRun) -> SiteCheck:
    """The checker's event loop runs in a thread of its own (the ORM may not be used inside it); this
    thread writes its progress to the database once a second for the page to show."""
    assessment = run.assessment
    urls = {e.item_code: e.url_list() for e in assessment.register.all() if e.url_list()}
    home = assessment.agency.website if not urls else None
    policy = FetchPolicy(allow_hosts=frozenset(settings.CHECK_ALLOW_HOSTS))
    evidence = Path(settings.MEDIA_ROOT) / "checks" / str(assessment.agency_id) / str(run.pk)
    framework = assessment.framework
    done = [0]
    outcome: dict[str, Any] = {}

    def item_done(_check: ItemCheck) -> None:
        done[0] += 1

    def work() -> None:
        try:
            outcome["site"] = asyncio.run(
                check_site(framework, urls=urls or None, home=home, policy=policy, evidence=evidence, on_item=item_done)
            )
        except Exception as exc:  # handed to the waiting thread, which records it
            outcome["error"] = exc

    worker = threading.Thread(target=work, name=f"oit-check-loop-{run.pk}")
    worker.start()
    while worker.is_alive():
        worker.join(1.0)
        CheckRun.objects.filter(pk=run.pk).update(done=done[0])
    if "error" in outcome:
        raise outcome["error"]
    site: SiteCheck = outcome["site"]
    return site


def proposal_accept(user: AbstractBaseUser | None, entry: RegisterEntry, url: str) -> RegisterEntry:
    """Put a URL the checker proposed into the register (first among the item's URLs)."""
    urls = [url, *[u for u in entry.url_list() if u != url]]
    return services.register_update(user, entry, {"urls": "\n".join(urls)})
