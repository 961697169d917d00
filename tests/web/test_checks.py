"""The OIT checker from the web app: a run over the register, progress, verdicts, proposals accepted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from django.urls import reverse

from checker.serving import served  # tests/checker's helper (tests/ is on the path)
from prongsai.web.models import CheckRun

from .conftest import World


@pytest.fixture
def site() -> Iterator[str]:
    app = web.Application()

    async def structure(request: web.Request) -> web.Response:
        return web.Response(
            text="<html><body><h1>โครงสร้างองค์กร</h1><p>แผนผังโครงสร้าง สำนักปลัด กองคลัง</p></body></html>",
            content_type="text/html",
        )

    async def ita(request: web.Request) -> web.Response:
        return web.Response(text="<html><body><a href='/o1'>O1 โครงสร้าง</a></body></html>", content_type="text/html")

    app.router.add_get("/o1", structure)
    app.router.add_get("/ita", ita)
    app.router.add_get("/", ita)
    with served(app) as base:
        yield base


@pytest.fixture(autouse=True)
def _inline_checks(settings: Any) -> None:
    settings.JOBS_RUNNER = "inline"
    settings.CHECK_ALLOW_HOSTS = ["127.0.0.1"]


def test_a_check_over_the_register_shows_verdicts(world: World, site: str) -> None:
    world.y2564.register.filter(item_code="O1").update(urls=f"{site}/o1")
    world.y2564.register.filter(item_code="O2").update(urls=f"{site}/gone")
    response = world.client("owner").post(reverse("check_start", args=[world.agency.pk, 2564]), follow=True)
    run = CheckRun.objects.get()
    assert run.status == "done" and run.done == run.total == 43
    verdicts = {code: check.verdict for code, check in run.report_obj.by_code.items()}
    assert verdicts["O1"] == "ok" and verdicts["O2"] == "broken" and verdicts["O3"] == "missing"
    page = response.content.decode()
    assert "ลิงก์เสีย" in page and "v-ok" in page


def test_without_urls_it_crawls_the_agency_site_and_proposals_can_be_accepted(world: World, site: str) -> None:
    world.agency.website = f"{site}/"
    world.agency.save()
    world.client("owner").post(reverse("check_start", args=[world.agency.pk, 2564]))
    run = CheckRun.objects.get()
    assert run.report["proposals"]["O1"]["url"] == f"{site}/o1"
    page = world.client("viewer").get(reverse("register", args=[world.agency.pk, 2564])).content.decode()
    assert f"{site}/o1" in page and "ใช้ URL นี้" not in page  # a reader sees the proposal, not the button
    page = world.client("editor").get(reverse("register", args=[world.agency.pk, 2564])).content.decode()
    assert "ใช้ URL นี้" in page
    world.client("owner").post(reverse("proposal_accept", args=[world.agency.pk, 2564, "O1"]))
    assert world.y2564.register.get(item_code="O1").url_list() == [f"{site}/o1"]


def test_a_check_of_a_private_address_is_refused_without_the_setting(world: World, site: str, settings: Any) -> None:
    settings.CHECK_ALLOW_HOSTS = []
    world.y2564.register.filter(item_code="O1").update(urls=f"{site}/o1")
    world.client("owner").post(reverse("check_start", args=[world.agency.pk, 2564]))
    assert CheckRun.objects.get().report_obj.by_code["O1"].verdict == "refused"


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 302), ("editor", 302), ("viewer", 403), ("oversight", 403), ("outsider", 404)]
)
def test_who_may_run_a_check(world: World, persona: str, status: int) -> None:
    assert world.client(persona).post(reverse("check_start", args=[world.agency.pk, 2564])).status_code == status


def test_progress_fragment_is_scoped(world: World) -> None:
    run = CheckRun.objects.create(assessment=world.y2564, total=43, done=10)
    url = reverse("check_status", args=[world.agency.pk, 2564, run.pk])
    assert "10/43" in world.client("viewer").get(url).content.decode()
    assert world.client("outsider").get(url).status_code == 404


def test_in_a_background_thread_the_page_can_watch_it_finish(transactional_db: Any, site: str, settings: Any) -> None:
    import time

    from prongsai.web import services
    from prongsai.web.jobs.oit_check import check_start
    from prongsai.web.models import Agency

    settings.JOBS_RUNNER = "thread"
    agency = Agency.objects.create(name="อบต.ทดสอบเธรด")
    assessment = services.assessment_create(None, agency, 2565)
    assessment.register.filter(item_code="O1").update(urls=f"{site}/o1")
    run = check_start(None, assessment)
    for _ in range(100):
        run.refresh_from_db()
        if run.status != "running":
            break
        time.sleep(0.2)
    assert run.status == "done" and run.report_obj.by_code["O1"].verdict == "ok"


def test_a_check_feeds_the_projection_and_the_planner(world: World, site: str) -> None:
    world.y2565.register.filter(item_code="O1").update(urls=f"{site}/o1")
    world.client("owner").post(reverse("check_start", args=[world.agency.pk, 2565]))
    page = world.client("viewer").get(reverse("analysis", args=[world.agency.pk, 2565])).content.decode()
    assert "ตัวชี้วัด 9–10 จากผลตรวจเว็บไซต์ล่าสุด" in page
    assert "คะแนน OIT ที่คาดการณ์" in page and "O42, O43" in page  # the missing measures, worth most


def test_the_status_says_when_no_ita_page_was_found_or_the_site_follows_another_list(world: World) -> None:
    report = {
        "counts": {"needs_person": 43},
        "likely": {"indicator_9": 0, "indicator_10": 0},
        "ita_page_note": "ไม่พบหน้า ITA/OIT ของเว็บไซต์: ตรวจแล้ว 6 หน้า",
        "ita_page_note_en": "no ITA/OIT page found: 6 pages read",
        "item_list": {"key": "moph", "note_th": "หน้า ITA ของเว็บไซต์นี้จัดตามรายการ MOIT", "note_en": "follows MOIT"},
    }
    run = CheckRun.objects.create(assessment=world.y2564, total=43, done=43, status=CheckRun.Status.DONE, report=report)
    page = world.client("viewer").get(reverse("check_status", args=[world.agency.pk, 2564, run.pk])).content.decode()
    assert "ไม่พบหน้า ITA/OIT ของเว็บไซต์" in page and "จัดตามรายการ MOIT" in page


def test_a_report_an_older_version_stored_shows_on_the_register_and_feeds_the_projection(world: World) -> None:
    """Stored by the checker's first version (tests/checker/data): no notes, no item list, fewer item fields.
    (Its year is 2564; the web reads the verdicts of the assessment it belongs to, 2565's, whose items are alike.)"""
    stored = json.loads((Path(__file__).parents[1] / "checker" / "data" / "report-7b2cff6.json").read_text("utf-8"))
    run = CheckRun.objects.create(assessment=world.y2565, total=43, done=43, status=CheckRun.Status.DONE, report=stored)
    viewer = world.client("viewer")
    register = viewer.get(reverse("register", args=[world.agency.pk, 2565])).content.decode()
    assert 'class="pill v-broken" title="เปิดลิงก์ไม่ได้ (HTTP 404)">ลิงก์เสีย</span>' in register
    assert "https://www.example-sao.go.th/about" in register  # O3's proposal
    status = viewer.get(reverse("check_status", args=[world.agency.pk, 2565, run.pk])).content.decode()
    assert "9 = 2.22, 10 = 0.00" in status and "missing 41" in status
    analysis = viewer.get(reverse("analysis", args=[world.agency.pk, 2565])).content.decode()
    assert "ตัวชี้วัด 9–10 จากผลตรวจเว็บไซต์ล่าสุด" in analysis
    owner = world.client("owner")
    owner.post(reverse("proposal_accept", args=[world.agency.pk, 2565, "O3"]))
    assert world.y2565.register.get(item_code="O3").url_list()[0] == "https://www.example-sao.go.th/about"
    assert owner.post(reverse("proposal_accept", args=[world.agency.pk, 2565, "O4"])).status_code == 404
