"""In a real browser (Debian's Chromium through Playwright): an officer enters two risks in the risk register,
downloads the risk assessment, and sees its OIT item answered in the register (issue 19's "done when").
Screenshots of the kit page and the dataset editor, at a desktop's and a phone's width, go to var/screenshots/."""

from __future__ import annotations

import io
from typing import Any

import docx

from prongsai import kit
from prongsai.web.models import Assessment

from ..browsing import BROWSER, log_in, shot
from .kit_people import PASSWORD, YEAR
from .test_kit import RISKS

pytestmark = BROWSER


def test_a_risk_assessment_made_in_the_browser_answers_its_item(
    live_server: Any, browser: Any, officer: Assessment
) -> None:
    item = kit.item_for("risk_assessment", YEAR)
    assert item is not None, "FY2569's framework names the risk assessment's item"
    base = live_server.url
    agency = officer.agency
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH", accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base, "somsri", PASSWORD)

    page.click("#steps >> text=เอกสาร OIT ที่หน่วยงานจัดทำเอง")  # the home's first steps lead to the kit
    page.wait_for_url(f"{base}/a/{agency.pk}/{YEAR}/kit/")
    assert item.code in page.inner_text("#risk_assessment")
    page.click("#data-risk_register >> text=กรอกหรือแก้ไขข้อมูล")
    for risk in RISKS:
        form = page.locator("#row-form form")
        for name in ("process", "event", "controls", "measures", "owner"):
            form.locator(f"[name=r-{name}]").fill(risk.get(name, ""))
        form.locator("[name=r-likelihood]").select_option(risk["likelihood"])
        form.locator("[name=r-impact]").select_option(risk["impact"])
        form.locator("button.primary").click()
        page.wait_for_selector(".msg")
    rows = page.inner_text("table.kit-rows tbody")
    assert RISKS[0]["event"] in rows and RISKS[1]["event"] in rows
    shot(page, "kit-dataset")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "kit-dataset-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{base}/a/{agency.pk}/{YEAR}/kit/")
    with page.expect_download() as download:
        page.click("#risk_assessment >> text=DOCX")
    body = download.value.path().read_bytes()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
    assert "ร่าง" in text and "การประเมินความเสี่ยง" in text
    tables = "\n".join(c.text for t in docx.Document(io.BytesIO(body)).tables for r in t.rows for c in r.cells)
    assert RISKS[0]["event"] in tables.translate({0x2060: None, 0x200B: None})
    page.goto(f"{base}/a/{agency.pk}/{YEAR}/kit/")
    shot(page, "kit-page")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "kit-page-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("nav.tabs >> text=ทะเบียน OIT")
    row = page.locator(f"tr:has(a:text-is('{item.code}'))")
    assert "มี" in row.inner_text() and "กำลังดำเนินการ" in row.inner_text()
    assert not errors, errors
