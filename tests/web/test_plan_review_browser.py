"""In a real browser (Debian's Chromium through Playwright): draft the plan, edit a recommendation, draft
again (the edit stays), mark the plan reviewed, and ร่าง leaves the measures document (read with python-docx)."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest

from prongsai.web.demo import load_demo
from prongsai.web.models import Agency, Recommendation

from .browsing import BROWSER

PASSWORD = "demo-password-for-tests"
EDITED = "ให้จัดทำข้อมูลผู้บริหารและอำนาจหน้าที่ให้ครบองค์ประกอบตามที่ผู้บริหารกำหนด"

pytestmark = BROWSER


@pytest.fixture
def demo(transactional_db: Any) -> Agency:
    return load_demo(PASSWORD)


def _docx_lines(page: Any, url: str) -> list[str]:
    response = page.request.get(url)
    assert response.ok, response.status
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.body())).paragraphs)
    return [line for line in text.translate({0x2060: None, 0x200B: None}).splitlines() if line.strip()]


def test_draft_edit_redraft_and_review(live_server: Any, browser: Any, demo: Agency) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "demo")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/a/*/")

    plan = f"{base}/a/{demo.pk}/2565/plan/"
    page.goto(plan)
    page.click("text=ร่างแผนจากผลการประเมินปี 2564")
    page.wait_for_selector(".msg")
    first = Recommendation.objects.filter(assessment__agency=demo, assessment__fiscal_year=2565).first()
    assert first is not None
    item = page.locator(f"#rec-{first.pk}")
    item.locator("summary").click()
    item.locator("textarea[name=text]").fill(EDITED)
    item.locator("text=บันทึกข้อความ").click()
    page.wait_for_selector(".msg")
    assert EDITED in page.inner_text(f"#rec-{first.pk}")

    page.click("text=ร่างแผนจากผลการประเมินปี 2564")  # again: the edit stays
    page.wait_for_selector(".msg")
    assert EDITED in page.inner_text("ol.recs")
    document = f"{base}/a/{demo.pk}/2565/documents/measures.docx"
    lines = _docx_lines(page, document)
    assert lines[0].startswith("ร่าง")
    line = next(t for t in lines if EDITED in t)
    assert line.count("เป็นผู้รับผิดชอบ") == 1

    page.click("#review button")
    page.wait_for_selector(".msg")
    assert "ตรวจทานแล้ว" in page.inner_text("#review")
    lines = _docx_lines(page, document)
    assert "ร่าง" not in lines[0] and lines[0].startswith("มาตรการส่งเสริมคุณธรรม")
    assert not errors, errors
