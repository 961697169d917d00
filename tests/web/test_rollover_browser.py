"""In a real browser (Debian's Chromium through Playwright), on a live server: a FY2568 plan started again
as FY2569 from the plan page's button carries a register URL to the FY2569 item that continues it, and a
date typed as วัน/เดือน/ปี พ.ศ. comes back as typed. Screenshots go to var/screenshots/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from prongsai.web import services
from prongsai.web.models import Agency, Assessment, Measure, Membership, Role, Unit

from .browsing import BROWSER, log_in, shot

PASSWORD = "a-long-browser-test-password"

pytestmark = BROWSER


@pytest.fixture
def admin(transactional_db: Any) -> User:
    agency = Agency.objects.create(name="องค์การบริหารส่วนตำบลทดสอบ", district="เมือง", province="นนทบุรี")
    unit = Unit.objects.create(agency=agency, name="สำนักปลัด", code="office")
    user = User.objects.create_user("admin", "admin@example.org", PASSWORD)
    Membership.objects.create(user=user, agency=agency, role=Role.ADMIN, unit=unit)
    return user


def _agency(user: User) -> Agency:
    return Membership.objects.get(user=user).agency


def _log_in(browser: Any, base: str) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    log_in(page, base, "admin", PASSWORD)
    return page


def test_a_fy2568_plan_rolls_over_and_the_url_follows_its_item(live_server: Any, browser: Any, admin: User) -> None:
    agency = _agency(admin)
    y2568 = services.assessment_create(admin, agency, 2568)
    services.register_update(admin, y2568.register.get(item_code="O21"), {"urls": "https://example.org/no-gift"})
    base = live_server.url
    page = _log_in(browser, base)
    page.goto(f"{base}/a/{agency.pk}/2568/plan/")
    page.click("text=เริ่มปีงบประมาณถัดไปจากแผนนี้")
    page.wait_for_url(f"{base}/a/{agency.pk}/2569/plan/")
    page.wait_for_selector(".msg")
    assert "เริ่มปีงบประมาณ 2569 จากแผนและทะเบียนของปี 2568 แล้ว" in page.inner_text(".msg")
    shot(page, "rollover-1-plan-2569")
    assert Assessment.objects.filter(agency=agency, fiscal_year=2569).exists()

    page.goto(f"{base}/a/{agency.pk}/2569/register/O20/")  # FY2569's O20 continues FY2568's O21 and O22
    assert "https://example.org/no-gift" in page.content()
    shot(page, "rollover-2-register-O20")


def test_a_be_date_round_trips_through_the_measure_form(live_server: Any, browser: Any, admin: User) -> None:
    agency = _agency(admin)
    services.assessment_create(admin, agency, 2569)
    base = live_server.url
    page = _log_in(browser, base)
    page.goto(f"{base}/a/{agency.pk}/2569/plan/new/")
    page.fill("input[name=title]", "เผยแพร่ข้อมูลการจัดซื้อจัดจ้างรายเดือน")
    page.fill("textarea[name=method]", "รวบรวมข้อมูล\nเผยแพร่บนเว็บไซต์")
    page.fill("input[name=period_start]", "15/01/2569")
    page.fill("input[name=period_end]", "๓๑/๐๓/๒๕๖๙")  # Thai digits
    shot(page, "rollover-3-measure-typed")
    page.click("form[action$='/plan/new/'] button.primary")
    page.wait_for_url(f"{base}/a/{agency.pk}/2569/plan/")
    measure = Measure.objects.get(assessment__agency=agency)
    assert (measure.period_start, measure.period_end) == (dt.date(2026, 1, 15), dt.date(2026, 3, 31))
    shot(page, "rollover-4-plan-with-measure")

    page.goto(f"{base}/a/{agency.pk}/2569/plan/{measure.pk}/")
    assert page.input_value("input[name=period_start]") == "15/01/2569"
    assert page.input_value("input[name=period_end]") == "31/03/2569"
    page.fill("input[name=period_end]", "15/01/2025")  # a ค.ศ. year is refused, what was typed is kept
    page.click(f"form[action$='/plan/{measure.pk}/'] button.primary")
    page.wait_for_selector("p.error")
    assert "กรุณาพิมพ์ปีพุทธศักราช" in page.inner_text("p.error")
    assert page.input_value("input[name=period_end]") == "15/01/2025"
    shot(page, "rollover-5-measure-ce-refused")
    measure.refresh_from_db()
    assert measure.period_end == dt.date(2026, 3, 31)
