"""A new agency's admin starts the current fiscal year (FY2570, provisional until the NACC's manual is out)
from the agency page in a real browser, and sees the provisional banner. Screenshot: var/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from prongsai.web.demo import agency_with_admin
from prongsai.web.models import Agency

from .browsing import BROWSER, SHOTS

PASSWORD = "a-long-test-password"

pytestmark = BROWSER


@pytest.fixture
def new_agency(transactional_db: Any) -> Agency:
    User.objects.create_user("newadmin", "newadmin@example.org", PASSWORD)
    return agency_with_admin("องค์การบริหารส่วนตำบลหนองใหม่", "newadmin")


def test_a_new_admin_starts_the_provisional_year(live_server: Any, browser: Any, new_agency: Agency) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "newadmin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/a/{new_agency.pk}/")
    select = page.locator("select[name=fiscal_year]")
    assert select.input_value() == "2570"  # the current fiscal year is chosen
    assert select.locator("option").all_inner_texts()[:2] == ["2570", "2569"]
    page.click("form.inline:has(select[name=fiscal_year]) button")  # the year chosen above, not a first step's
    page.wait_for_url(f"{base}/a/{new_agency.pk}/2570/")
    banner = page.locator("p.provisional").inner_text()
    assert "กรอบการประเมินปี 2570 เป็นกรอบชั่วคราวที่ใช้กรอบปี 2569 ไปก่อน" in banner
    assert "ผู้ดูแลระบบเพิ่มกรอบการประเมินฉบับจริงได้" in banner
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "years-provisional-2570.png"), full_page=True)
    page.click("nav.tabs >> text=ทะเบียน OIT")
    page.wait_for_url(f"{base}/a/{new_agency.pk}/2570/register/")
    assert page.locator("p.provisional").count() == 1
