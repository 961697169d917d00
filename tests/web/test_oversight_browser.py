"""The oversight dashboard in a real browser (Debian's Chromium through Playwright) for a province of 150
agencies over three years: the charts render with no CSP or script error, nothing is wider than a phone,
and the screenshots (var/screenshots/oversight-*.png) show what an office sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from prongsai.published import read_published_rows
from prongsai.web.demo import example_province_table, load_demo
from prongsai.web.jobs.oversight_import import import_rows
from prongsai.web.models import CheckRun, Office, OfficeMembership, OfficeRole

from .browsing import BROWSER, log_in, shot

PASSWORD = "office-password-for-tests"

pytestmark = BROWSER

DISTRICTS = ["เมืองนนทบุรี", "บางกรวย", "บางใหญ่", "บางบัวทอง", "ไทรน้อย", "ปากเกร็ด"]
PLACES = ["บางรัก", "ท่าอิฐ", "คลองข่อย", "บางพลับ", "ไทรม้า", "บางเลน", "ละหาร", "ราษฎร์นิยม", "ขุนศรี", "หนองเพรางาย"]


@pytest.fixture
def office(transactional_db: Any) -> Office:
    demo = load_demo("demo-password-for-tests")
    user = User.objects.create_user("office", "office@example.org", PASSWORD)
    office = Office.objects.create(name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนนทบุรี", province="นนทบุรี")
    office.agencies.add(demo)
    OfficeMembership.objects.create(user=user, office=office, role=OfficeRole.ADMIN)
    import_rows(
        None,
        office,
        read_published_rows("นนทบุรี.csv", example_province_table(demo, "นนทบุรี", DISTRICTS, PLACES)),
        "นนทบุรี.csv",
        user.pk,
    )
    assessment = demo.assessments.get(fiscal_year=2565)
    counts = {"ok": 31, "missing": 6, "broken": 2, "wrong_content": 1, "needs_person": 3}
    CheckRun.objects.create(
        assessment=assessment,
        status=CheckRun.Status.DONE,
        report={"counts": counts, "likely": {"indicator_9": 71.43, "indicator_10": 62.5}, "items": []},
    )
    return office


def test_the_dashboard_on_a_desktop_and_a_phone(live_server: Any, browser: Any, office: Office) -> None:
    base = live_server.url
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})):
        page = browser.new_page(viewport=viewport, device_scale_factor=2 if name == "phone" else 1, locale="th-TH")
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        log_in(page, base, "office", PASSWORD, lands_on="/")
        page.click("text=สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนนทบุรี")
        page.wait_for_selector("figure.chart svg")
        assert page.locator("figure.chart svg >> visible=true").count() == 4  # the phone draws its own narrow chart
        assert "150 หน่วยงาน" in page.inner_text("section.headline")
        assert page.locator("table.ranked tbody tr").count() > 0
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        shot(page, f"oversight-{name}")
        assert not errors, errors  # no CSP violation or script error
        page.close()


def test_a_bad_import_shows_row_and_column_on_the_job_page(
    live_server: Any, browser: Any, office: Office, tmp_path: Path
) -> None:
    bad = tmp_path / "ผลคะแนน.csv"
    header = "หน่วยงาน,ปีงบประมาณ,1,2,3,4,5,6,7,8,9,10,คะแนนรวม\n"
    bad.write_text(
        header + "อบต.หนึ่ง,2567,90,90,90,90,90,90,90,90,90,90,90\nอบต.สอง,2567,90,90,90,90,90,90,90,90,90,90,95\n"
    )
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="th-TH")
    log_in(page, live_server.url, "office", PASSWORD, lands_on="/")
    page.goto(f"{live_server.url}/o/{office.pk}/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button.primary")
    page.wait_for_selector(".job-status .error")
    error = page.inner_text(".job-status .error")
    assert error.startswith("ผลคะแนน.csv, แถว 3, ช่อง คะแนนรวม (คอลัมน์ M): คะแนนรวม 95.00 ไม่ตรง")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    shot(page, "oversight-import-error")
    page.goto(f"{live_server.url}/o/{office.pk}/import/")
    assert "นนทบุรี.csv" in page.inner_text("table")  # the earlier import only: the bad file stored nothing
    shot(page, "oversight-import")
