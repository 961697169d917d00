"""The agency's public ITA page in a real browser, at a desktop's width and a phone's: the app's CSP lets its one
style apply (no violation), nothing scrolls sideways, and the register's box holds the snippet for an editor.
Screenshots go to var/screenshots/ (ita-page-*) for a person to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from prongsai.web import services
from prongsai.web.models import Agency, Assessment, Membership, RegisterEntry, RegisterStatus, Role

from ..browsing import BROWSER, SHOTS, shot

pytestmark = BROWSER
PASSWORD = "a-long-test-password"
LINKS = {
    "O1": "https://www.tambon-test.go.th/structure",
    "O2": "https://www.tambon-test.go.th/executives",
    "O3": "https://www.tambon-test.go.th/contact",
    "O5": "https://www.tambon-test.go.th/docs/strategic-plan-2566-2570.pdf",
    "O6": "https://www.tambon-test.go.th/docs/plan-2570.pdf\nhttps://www.tambon-test.go.th/docs/progress-2570.pdf",
    "O11": "https://www.tambon-test.go.th/procurement/monthly-2570",
    "O21": "https://www.tambon-test.go.th/docs/risk-2570.pdf",
    "O23": "https://www.tambon-test.go.th/docs/anti-corruption-plan-2570.pdf",
}


@pytest.fixture
def assessment(transactional_db: Any) -> Assessment:
    agency = Agency.objects.create(name="องค์การบริหารส่วนตำบลทดสอบ", district="เมือง", province="นนทบุรี")
    user = User.objects.create_user("editor", "editor@example.org", PASSWORD)
    Membership.objects.create(user=user, agency=agency, role=Role.ADMIN)
    assessment = services.assessment_create(user, agency, 2570)
    for code, urls in LINKS.items():
        RegisterEntry.objects.filter(assessment=assessment, item_code=code).update(
            urls=urls, answer="yes", status=RegisterStatus.CHECKED
        )
    return assessment


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_the_public_page_reads_plainly_at_both_widths(
    browser: Any, live_server: Any, assessment: Assessment, name: str, width: int
) -> None:
    page = browser.new_page(
        viewport={"width": width, "height": 844 if width < 500 else 900}, device_scale_factor=2 if width < 500 else 1
    )
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(f"{live_server.url}/ita/{assessment.agency_id}/2570/")
    assert response is not None and response.status == 200
    assert problems == []  # a style refused by the CSP is logged as an error
    assert page.evaluate("getComputedStyle(document.querySelector('main')).maxWidth") == "800px"  # the style applies
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("h1").inner_text().endswith("(ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๗๐")
    assert page.locator("a").count() == len(LINKS) + 1  # O6 has two documents
    assert page.locator("script, link, img, iframe").count() == 0
    shot(page, f"ita-page-{name}")
    page.close()


def test_the_register_box_holds_the_snippet(browser: Any, live_server: Any, assessment: Assessment) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/a/*/")
    page.goto(f"{live_server.url}/a/{assessment.agency_id}/2570/register/")
    page.click("details.ita-box summary")
    snippet = page.input_value("#ita-snippet")
    assert snippet.startswith('<div lang="th">') and LINKS["O1"] in snippet
    with page.expect_download() as download:
        page.click("text=ดาวน์โหลดโค้ดสำหรับวาง (.html)")
    assert download.value.suggested_filename == "ita-snippet-2570.html"
    assert Path(download.value.path()).read_text(encoding="utf-8") == snippet
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("details.ita-box").screenshot(path=str(SHOTS / "ita-page-register-box.png"))
    page.close()
