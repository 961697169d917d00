"""A new agency's first day in a real browser (Debian's Chromium through Playwright), at a desktop's width and
a phone's (390 px): the home shows the year's steps, the admin adds units from the drafting rules' list and one
of its own (a Thai code made for it; a duplicate refused in Thai), gives a member another role and a one-time
password. Nothing is wider than the screen, no script or CSP error; screenshots in var/screenshots/people-*."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from prongsai.web.models import Agency, Membership, PublishedResult, Role, Unit
from prongsai.web.services import people

from ..browsing import BROWSER, log_in, shot

PASSWORD = "ทรงคนอง-ผู้ดูแล-2568"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

pytestmark = BROWSER


@pytest.fixture
def agency(transactional_db: Any) -> Agency:
    made = people.agency_admin_create("somchai", "somchai@example.org", PASSWORD, "เทศบาลตำบลบางพลีใหญ่")
    viewer = User.objects.create_user("malee", "malee@example.org", "a-long-test-password")
    Membership.objects.create(user=viewer, agency=made, role=Role.VIEWER)
    return made


def _page(browser: Any, name: str) -> tuple[Any, list[str]]:
    """A page at the viewport's size and the console errors it will report."""
    scale = 2 if name == "phone" else 1
    page = browser.new_page(viewport=VIEWPORTS[name], device_scale_factor=scale, locale="th-TH")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return page, errors


def _fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1


@pytest.mark.parametrize("name", list(VIEWPORTS))
def test_a_new_agencys_first_steps_units_and_members(live_server: Any, browser: Any, agency: Agency, name: str) -> None:
    base, viewport = live_server.url, VIEWPORTS[name]
    page, errors = _page(browser, name)
    log_in(page, base, "somchai", PASSWORD, lands_on=None)
    page.wait_for_url(f"{base}/a/{agency.pk}/")

    steps = page.locator("ol.steps-list > li")
    assert steps.count() == 7  # units, last year's result, register, plan, surveys, documents, the kit
    assert "เสร็จแล้ว" in steps.nth(0).inner_text() and "ยังไม่เสร็จ" in steps.nth(1).inner_text()
    assert page.locator("ol.steps-list form button.primary").count() == 2  # start last year's and this year's
    _fits(page, viewport["width"])
    shot(page, f"people-first-steps-{name}")

    steps.nth(0).locator("a").click()
    page.wait_for_url(f"{base}/a/{agency.pk}/units/")
    page.click("ul.quick button:has-text('กองคลัง')")
    page.wait_for_selector(".msg")
    assert "เพิ่มกองคลังแล้ว (รหัส finance)" in page.inner_text(".msg")
    add = page.locator("#add")
    add.locator("input[name=name]").fill("งานป้องกันและบรรเทาสาธารณภัย")
    add.locator("button.primary").click()
    page.wait_for_selector(".msg")
    assert "(รหัส งานป้องกันและบรรเทาสาธารณภัย)" in page.inner_text(".msg")
    add = page.locator("#add")
    add.locator("input[name=name]").fill("กองคลัง")
    add.locator("button.primary").click()
    page.wait_for_selector("#add .error")
    assert "มีหน่วยงานย่อยชื่อ กองคลัง อยู่แล้ว" in page.inner_text("#add")
    assert Unit.objects.filter(agency=agency).count() == 3
    page.locator("ul.units summary", has_text="กองคลัง").click()
    _fits(page, viewport["width"])
    shot(page, f"people-units-{name}")

    page.goto(f"{base}/a/{agency.pk}/members/")
    member = page.locator("ul.people > li", has_text="malee")
    member.locator("summary").click()
    member.locator("select[name$=-role]").select_option("editor")
    member.locator("select[name$=-unit]").select_option(label="กองคลัง")
    member.locator("button:has-text('บันทึกบทบาท')").click()
    page.wait_for_selector(".msg")
    assert "บันทึกบทบาทของ malee แล้ว: ผู้แก้ไข (หน่วยงานย่อย)" in page.inner_text(".msg")
    member = page.locator("ul.people > li", has_text="malee")
    member.locator("summary").click()
    member.get_by_role("button", name="ตั้งรหัสผ่าน", exact=True).click()
    page.wait_for_selector(".onetime code")
    one_time = page.inner_text(".onetime code").strip()
    assert User.objects.get(username="malee").check_password(one_time)
    _fits(page, viewport["width"])
    shot(page, f"people-members-{name}")

    page.goto(f"{base}/a/{agency.pk}/")
    assert "มี 2 หน่วย" not in page.inner_text("ol.steps-list")  # three units now, each with its role or not
    assert "มี 3 หน่วย ยังไม่ได้เลือกหน้าที่ 1 หน่วย" in page.inner_text("ol.steps-list")
    # the refused duplicate is answered 400, as every form with errors is; anything else is a script or CSP error
    assert [e for e in errors if "status of 400" not in e] == [], errors
    page.close()


@pytest.fixture
def demo(transactional_db: Any) -> Agency:
    from prongsai.web.demo import load_demo

    return load_demo("demo-password-for-tests")


@pytest.mark.parametrize("name", list(VIEWPORTS))
def test_the_office_opens_its_agency_read_only(live_server: Any, browser: Any, demo: Agency, name: str) -> None:
    """From the office's dashboard to อบต.ทรงคนอง's own pages: its FY2564 result is the one the office has, and
    a register item shows its values, with nothing to type into."""
    base, viewport = live_server.url, VIEWPORTS[name]
    page, errors = _page(browser, name)
    log_in(page, base, "demo-office", "demo-password-for-tests", lands_on=None)
    page.goto(f"{base}/o/{demo.offices.get().pk}/?year=2564")
    published = f"{PublishedResult.objects.get(agency=demo).total:.2f}"
    assert published in page.inner_text("table.ranked")
    page.locator("table.ranked a", has_text="องค์การบริหารส่วนตำบลทรงคนอง").click()
    page.wait_for_url(f"{base}/a/{demo.pk}/")
    assert "ผู้กำกับดูแล (อำเภอ/จังหวัด)" in page.inner_text("header")
    assert published in page.inner_text("main")  # the dashboard's total is the agency's own
    page.goto(f"{base}/a/{demo.pk}/2565/register/O1/")
    assert page.locator("main form[method=post] input:not([type=hidden]), main textarea, main select").count() == 0
    assert "ดูได้อย่างเดียว" in page.inner_text("dl.values + p")
    _fits(page, viewport["width"])
    shot(page, f"people-office-reads-{name}")
    assert not errors, errors
    page.close()
