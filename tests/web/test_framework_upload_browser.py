"""A site administrator loads FY2570's framework in a real browser (Debian's Chromium through Playwright)
while an agency already works on FY2570: the preview, the confirmation, the agency's URL on the mapped
item; and a broken file refused with its field named. Screenshots go to var/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from prongsai.frameworks import sources
from prongsai.web import services
from prongsai.web.models import Agency, Membership, RegisterEntry, Role

from .browsing import BROWSER, log_in, shot
from .yearfiles import fy2570_text

PASSWORD = "a-long-browser-test-password"

pytestmark = [*BROWSER, pytest.mark.usefixtures("loaded_folder")]


@pytest.fixture
def agency_2570(transactional_db: Any) -> Agency:
    agency = Agency.objects.create(name="องค์การบริหารส่วนตำบลทดลองปีใหม่", district="เมือง", province="นนทบุรี")
    officer = User.objects.create_user("officer", "officer@example.org", PASSWORD)
    Membership.objects.create(user=officer, agency=agency, role=Role.ADMIN)
    assessment = services.assessment_create(officer, agency, 2570)
    entry = assessment.register.get(item_code="O5")
    services.register_update(officer, entry, {"urls": "https://example.go.th/strategy-plan"})
    User.objects.create_user("siteadmin", "site@example.org", PASSWORD, is_staff=True)
    return agency


def test_an_administrator_loads_fy2570_over_the_agencys_data(
    live_server: Any, browser: Any, agency_2570: Agency, tmp_path: Path, loaded_folder: Path
) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base, "siteadmin", PASSWORD, next_url="/frameworks/", lands_on="/frameworks/")
    assert "ชั่วคราว (จากกรอบปี 2569" in page.inner_text("table.sources")
    shot(page, "framework-1-years")

    broken = tmp_path / "fy2570-broken.yaml"
    broken.write_text(fy2570_text(pass_mark=120), encoding="utf-8")
    page.set_input_files("input[name=file]", str(broken))
    page.click("text=อัปโหลดและตรวจไฟล์")
    page.wait_for_selector("p.msg.error")
    assert "ช่อง “pass_mark” ไม่ถูกต้อง" in page.inner_text("p.msg.error")
    shot(page, "framework-2-refused")
    assert not loaded_folder.exists() or not list(loaded_folder.iterdir())

    good = tmp_path / "itas-2570.yaml"
    good.write_text(fy2570_text(drop=["O26"], merge={"O2": ["O2", "O3"]}), encoding="utf-8")
    page.set_input_files("input[name=file]", str(good))
    page.click("text=อัปโหลดและตรวจไฟล์")
    page.wait_for_selector("section.preview")
    preview = page.inner_text("section.preview")
    assert "มีหน่วยงาน 1 แห่ง" in preview and "O2 ข้อมูลผู้บริหาร" in preview
    shot(page, "framework-3-preview")
    assert sources()[2570].kind == "provisional"

    page.click("text=ยืนยัน ใช้กรอบนี้และย้ายข้อมูลของหน่วยงาน")
    page.wait_for_selector("p.msg")
    assert "ย้ายข้อมูลของ 1 หน่วยงาน" in page.inner_text("p.msg")
    shot(page, "framework-4-loaded")
    assert sources()[2570].loaded_by == "siteadmin"
    entry = RegisterEntry.objects.get(assessment__agency=agency_2570, item_code="O4")  # FY2569 O5 is O4 now
    assert entry.urls == "https://example.go.th/strategy-plan"

    # the agency sees its URL on the mapped item, and what changed
    agency_page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    register = f"/a/{agency_2570.pk}/2570/register/"
    log_in(agency_page, base, "officer", PASSWORD, next_url=register, lands_on=register)
    row = agency_page.locator("table.register tr", has_text="https://example.go.th/strategy-plan")
    assert row.locator("td").first.inner_text() == "O4"
    agency_page.click("text=กรอบการประเมินปี 2570 เปลี่ยนไปจากปีก่อนอย่างไร")
    agency_page.wait_for_url(f"{base}/years/2570/changes/")
    assert "ข้อที่รวมกัน" in agency_page.inner_text("main")
    shot(agency_page, "framework-5-what-changed")
    assert [e for e in errors if "status of 400" not in e] == []  # the refused file's page is a 400, on purpose
