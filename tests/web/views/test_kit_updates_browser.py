"""In a real browser (Debian's Chromium through Playwright): an officer adds a project of the anti-corruption
plan with two dated progress updates (the second set of inputs through "one more"), sees them in the tables,
removes one, and makes the six-month report from what is left. Without JavaScript, "one more" still works (the
form comes back with another set of inputs). Pictures go to var/screenshots/ (kit-updates.png, the rows and the
row form, is the one in docs/img/)."""

from __future__ import annotations

import io
from typing import Any

import docx

from prongsai.web.models import Assessment, KitDataset

from ..browsing import BROWSER, SHOTS, log_in, shot
from .kit_people import PASSWORD, YEAR
from .test_kit_updates import PROJECT

pytestmark = BROWSER

FIRST = {"date": "๑๕/๑๒/๒๕๖๘", "progress": "๔๐", "text": "จัดอบรมรุ่นที่ 1 แล้ว", "spent": "8,500"}
SECOND = {"date": "20/03/2569", "progress": "100", "text": "จัดอบรมรุ่นที่ 2 ครบตามแผน", "spent": "11500"}


def _fill(form: Any, j: int, update: dict[str, str]) -> None:
    for part, value in update.items():
        form.locator(f"[name=r-updates-new-{j}-{part}]").fill(value)


def test_two_updates_added_one_removed_and_the_report_made(live_server: Any, browser: Any, officer: Assessment) -> None:
    base = live_server.url
    agency = officer.agency
    data = f"{base}/a/{agency.pk}/{YEAR}/kit/data/anticorruption_plan/"
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH", accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base, "somsri", PASSWORD)
    page.goto(data)

    form = page.locator("#row-form form")
    for name, value in PROJECT.items():
        form.locator(f"[name=r-{name}]").fill(value)
    _fill(form, 0, FIRST)
    form.locator("text=เพิ่มช่องกรอกอีกหนึ่งครั้ง").click()  # htmx brings a second set in place
    form.locator("[name=r-updates-new-1-date]").wait_for()
    assert form.locator("[name=r-updates-new-0-date]").input_value() == "15/12/2568"  # kept, digits made Arabic
    assert form.locator("[name=r-project]").input_value() == PROJECT["project"]
    _fill(form, 1, SECOND)
    form.locator("button.primary").click()
    page.wait_for_selector(".msg")
    rows = page.inner_text("table.kit-rows tbody")
    assert "15 ธ.ค. 2568 · ร้อยละ 40 · จัดอบรมรุ่นที่ 1 แล้ว · เบิกจ่าย 8,500.00 บาท" in rows
    assert "20 มี.ค. 2569 · ร้อยละ 100 · จัดอบรมรุ่นที่ 2 ครบตามแผน · เบิกจ่าย 11,500.00 บาท" in rows

    page.click("table.kit-rows a.button:text-is('แก้ไข')")
    page.wait_for_url("**?row=1#row-form")
    updates = page.locator("table.kit-updates tbody tr.kept")
    assert updates.count() == 2
    assert "15 ธ.ค. 2568" in updates.nth(0).inner_text() and "8,500.00" in updates.nth(0).inner_text()
    assert "20 มี.ค. 2569" in updates.nth(1).inner_text() and "100" in updates.nth(1).inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#rows").screenshot(path=str(SHOTS / "kit-updates.png"))
    shot(page, "kit-updates-page")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    shot(page, "kit-updates-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.check("text=ลบครั้งที่ 1")
    page.locator("#row-form button.primary").click()
    page.wait_for_selector(".msg")
    rows = page.inner_text("table.kit-rows tbody")
    assert "จัดอบรมรุ่นที่ 1 แล้ว" not in rows and "จัดอบรมรุ่นที่ 2 ครบตามแผน" in rows
    [row] = KitDataset.objects.get(assessment=officer, dataset="anticorruption_plan").rows
    assert row["updates"] == [{"date": "20/03/2569", "progress": "100", "text": SECOND["text"], "spent": "11500"}]

    page.goto(f"{base}/a/{agency.pk}/{YEAR}/kit/")
    with page.expect_download() as download:
        page.click("#anticorruption_half_year >> text=DOCX")
    body = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    tables = "\n".join(c.text for t in body.tables for r in t.rows for c in r.cells).translate(
        {0x2060: None, 0x200B: None}
    )
    assert "จัดอบรมรุ่นที่ ๒ ครบตามแผน" in tables and "รุ่นที่ ๑" not in tables  # the report's Thai digits
    assert "๑๑,๕๐๐.๐๐" in tables  # the money spent, as the report writes it
    assert not errors, errors


def test_one_more_set_of_inputs_without_javascript(live_server: Any, browser: Any, officer: Assessment) -> None:
    base = live_server.url
    context = browser.new_context(java_script_enabled=False, locale="th-TH")
    page = context.new_page()
    log_in(page, base, "somsri", PASSWORD)
    page.goto(f"{base}/a/{officer.agency.pk}/{YEAR}/kit/data/anticorruption_plan/")
    form = page.locator("#row-form form")
    form.locator("[name=r-project]").fill(PROJECT["project"])
    _fill(form, 0, FIRST)
    form.locator("text=เพิ่มช่องกรอกอีกหนึ่งครั้ง").click()  # a plain post: the page comes back
    page.locator("[name=r-updates-new-1-date]").wait_for()
    assert page.locator("[name=r-updates-new-0-text]").input_value() == FIRST["text"]
    assert page.locator(".error").count() == 0
    assert not KitDataset.objects.filter(assessment=officer).exists()
    context.close()
