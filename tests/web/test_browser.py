"""The main journey in a real browser (Debian's Chromium through Playwright), on a live server:
log in, open the analysis, draft the plan, update a measure, export the register. Screenshots go to
var/screenshots/ (phone and desktop sizes) so that a person can look at them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from prongsai.web.demo import load_demo
from prongsai.web.models import Agency, Measure

from .browsing import BROWSER, log_in, shot

PASSWORD = "demo-password-for-tests"

pytestmark = BROWSER


@pytest.fixture
def demo(transactional_db: Any) -> Agency:
    return load_demo(PASSWORD)


def test_the_main_journey(live_server: Any, browser: Any, demo: Agency, tmp_path: Path) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH", accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base, "demo", PASSWORD)
    shot(page, "1-dashboard")

    page.click("text=68.48")  # the FY2564 row of the dashboard
    page.wait_for_selector("table.ranking")
    ranking = page.locator("table.ranking tbody tr td:nth-child(2)").all_inner_texts()
    assert ranking[0] == "การปฏิบัติหน้าที่" and ranking[-1] == "การป้องกันการทุจริต"
    assert page.locator("figure.chart svg.wide rect.bar").count() == 10
    assert "เผยแพร่ O42 และ O43 ให้ครบถ้วน จะเพิ่มคะแนนรวม 10.00 คะแนน" in page.inner_text("ul.actions")
    shot(page, "2-analysis")

    page.goto(f"{base}/a/{demo.pk}/2565/plan/")
    before = page.locator("table.measures tbody tr").count()
    page.click("text=ร่างแผนจากผลการประเมินปี 2564")
    page.wait_for_selector(".msg")
    assert "ร่างแผนแล้ว" in page.inner_text(".msg")
    assert page.locator("table.measures tbody tr").count() > before
    assert page.locator("ol.recs li").count() >= 10
    shot(page, "3-plan")

    measure = Measure.objects.filter(assessment__agency=demo, assessment__fiscal_year=2565).first()
    assert measure is not None
    page.goto(f"{base}/a/{demo.pk}/2565/plan/{measure.pk}/")
    page.fill("input[name=date]", "15/02/2565")
    page.fill("textarea[name=text]", "จัดประชุมผู้บริหารและบุคลากรแล้ว")
    page.fill("input[name=progress]", "60")
    page.click("text=บันทึกความคืบหน้า")
    page.wait_for_selector(".msg")
    measure.refresh_from_db()
    assert measure.progress == 60 and measure.updates.count() == 1
    shot(page, "4-measure")

    page.goto(f"{base}/a/{demo.pk}/2564/register/")
    with page.expect_download() as download_info:
        page.click("text=ส่งออกสำหรับ ITAS (XLSX)")
    saved = tmp_path / "oit.xlsx"
    download_info.value.save_as(saved)
    from openpyxl import load_workbook

    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[1][0] == "ข้อ" and len(rows) == 2 + 43
    assert next(r for r in rows if r[0] == "O42")[3] == "ไม่มี"
    shot(page, "5-register")
    assert not errors, errors  # no CSP violations or script errors


def test_phone_sized_pages(live_server: Any, browser: Any, demo: Agency) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="th-TH")
    log_in(page, base, "demo", PASSWORD)
    page.goto(f"{base}/a/{demo.pk}/2564/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # nothing wider than the phone's screen
    shot(page, "phone-analysis")


def test_login_is_throttled(live_server: Any, browser: Any, demo: Agency) -> None:
    page = browser.new_page()
    for _ in range(5):
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "demo")
        page.fill("input[name=password]", "wrong-password")
        page.click("button.primary")
    assert "ล็อกชั่วคราว" in page.content()
    assert User.objects.get(username="demo").is_active


def test_the_survey_form_on_a_phone_keeps_answers_and_submits(live_server: Any, browser: Any, demo: Agency) -> None:
    from prongsai.web.models import Survey
    from prongsai.web.services.surveys import pooled_count

    assessment = demo.assessments.get(fiscal_year=2565)
    survey = Survey.objects.create(assessment=assessment, tool="EIT", population=100)
    page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="th-TH")
    url = f"{live_server.url}/s/{survey.slug}/"
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    shot(page, "survey-phone-top")
    radios = page.locator("fieldset.q").all()
    for fieldset in radios[:3]:  # answer three questions, then lose the page
        for group in fieldset.locator(".choices").all():
            group.locator("label.choice").nth(3).click()
    page.goto(url)  # a dropped connection or a reload: the answers come back from the phone's storage
    assert page.locator("input[name=e1][value='4']").is_checked()
    for fieldset in page.locator("fieldset.q").all():
        for group in fieldset.locator(".choices").all():
            choices = group.locator("label.choice")
            choices.nth(choices.count() - 1 if choices.count() == 2 else 2).click()
    shot(page, "survey-phone-filled")
    page.click("button[type=submit]")
    page.wait_for_selector(".done")
    assert "ขอบคุณ" in page.inner_text(".done")
    assert pooled_count(survey) == 1  # waiting for four more before it joins the stored answers
    assert page.evaluate(f"localStorage.getItem('survey-{survey.slug}')") is None  # cleared after sending
    shot(page, "survey-phone-thanks")


def test_the_agencys_survey_page(live_server: Any, browser: Any, demo: Agency) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    log_in(page, live_server.url, "demo", PASSWORD)
    page.goto(f"{live_server.url}/a/{demo.pk}/2565/surveys/")
    page.fill("input[name=population]", "120")
    page.click("button.primary")
    page.wait_for_selector(".qr svg")
    assert "/s/" in page.inner_text("body")
    shot(page, "survey-agency")


def test_a_background_job_shows_its_progress_and_its_file(
    live_server: Any, browser: Any, demo: Agency, settings: Any, tmp_path: Path
) -> None:
    """The document set runs in a thread of the server; the job page follows it without a reload."""
    settings.JOBS_RUNNER = "thread"
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH", accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base, "demo", PASSWORD)
    page.goto(f"{base}/a/{demo.pk}/2565/plan/")
    page.click("text=ทำเอกสารทั้งชุดเป็น ZIP (DOCX + PDF)")
    page.wait_for_url(f"{base}/jobs/*/")
    page.wait_for_selector(".job-status progress")
    shot(page, "6-job-running")
    page.wait_for_selector("text=ดาวน์โหลด", timeout=120_000)  # replaced in place by htmx when the job is done
    assert "เสร็จแล้ว" in page.inner_text(".job-status")
    shot(page, "7-job-done")
    with page.expect_download() as download_info:
        page.click("text=ดาวน์โหลด")
    saved = tmp_path / "set.zip"
    download_info.value.save_as(saved)
    import zipfile

    assert len(zipfile.ZipFile(saved).namelist()) == 8
    assert not errors, errors
