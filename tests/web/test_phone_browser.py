"""Issue 17 in a real browser, at a desktop's width and a phone's (390 px, and 360 px for the tightest):
no page scrolls sideways and no table runs past its card (tables become stacked cards on a phone), chart
labels are drawn at 11 px or more, the header stays compact, the error pages are Thai with a way back, the
token page shows a new token once, and a progress update's file is listed and downloads. Screenshots go to
var/screenshots/ (issue17-*) for a person to look at."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai.web import services
from prongsai.web.demo import load_demo
from prongsai.web.models import Agency, Measure

from .browsing import BROWSER, log_in, shot

pytestmark = BROWSER
PASSWORD = "demo-password-for-tests"
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture
def demo(transactional_db: Any) -> Agency:
    agency = load_demo(PASSWORD)
    measure = Measure.objects.filter(assessment__agency=agency, assessment__fiscal_year=2565).first()
    assert measure is not None
    services.measure_update_add(
        agency.memberships.get().user, measure, date=measure.period_start, text="จัดประชุมชี้แจงบุคลากรแล้ว", progress=50,
        evidence_url="https://www.example.go.th/news/1",
        upload=SimpleUploadedFile("รายงานการประชุม.pdf", b"%PDF-1.4 minutes"),
    )  # fmt: skip
    return agency


def _page(browser: Any, width: int) -> Any:
    return browser.new_page(
        viewport={"width": width, "height": 844 if width < 500 else 900},
        device_scale_factor=2 if width < 500 else 1,
        locale="th-TH",
        accept_downloads=True,
    )


# What overflows: the page itself, or a table wider than the card it sits in (which then scrolls sideways).
OVERFLOW = """() => {
  const wide = [];
  const page = document.documentElement.scrollWidth;
  if (page > window.innerWidth + 1) wide.push('page ' + page);
  for (const t of document.querySelectorAll('table')) {
    if (t.offsetParent === null) continue;
    const box = t.parentElement.getBoundingClientRect();
    const own = t.getBoundingClientRect();
    if (own.right > box.right + 1 || t.scrollWidth > t.parentElement.clientWidth + 1)
      wide.push(t.className + ' ' + Math.round(own.width));
  }
  return wide;
}"""

# The drawn size of each visible chart text: its font size times the SVG's scale on screen.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('figure.chart svg')]
  .filter(s => s.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  })"""


def _pages(demo: Agency) -> dict[str, str]:
    measure = Measure.objects.filter(assessment__agency=demo, assessment__fiscal_year=2565).first()
    assert measure is not None
    a = f"/a/{demo.pk}"
    return {
        "home": f"{a}/",
        "analysis": f"{a}/2564/",
        "results": f"{a}/2564/results/",
        "register": f"{a}/2564/register/",
        "register-entry": f"{a}/2564/register/O1/",
        "plan": f"{a}/2565/plan/",
        "measure": f"{a}/2565/plan/{measure.pk}/",
        "followup": f"{a}/followup/?year=2565",
        "surveys": f"{a}/2565/surveys/",
        "tokens": "/tokens/",
    }


@pytest.mark.parametrize("size", WIDTHS)
def test_pages_fit_and_charts_read(live_server: Any, browser: Any, demo: Agency, size: str) -> None:
    width = WIDTHS[size]
    page = _page(browser, width)
    log_in(page, live_server.url, "demo", PASSWORD)
    problems: dict[str, Any] = {}
    for name, path in _pages(demo).items():
        page.goto(live_server.url + path)
        wide = page.evaluate(OVERFLOW)
        if wide:
            problems[name] = wide
        sizes = page.evaluate(CHART_TEXT_SIZES)
        if sizes and min(sizes) < 11:
            problems[name + " chart"] = round(min(sizes), 1)
        shot(page, f"issue17-{size}-{name}")
    assert not problems, problems
    if size == "phone":
        page.goto(live_server.url + f"/a/{demo.pk}/2564/")
        header = page.evaluate("document.querySelector('header.top').getBoundingClientRect().height")
        assert header <= 120, header  # was ~215 px: the brand, the menu and the user's line each a block


def test_the_tightest_phone(live_server: Any, browser: Any, demo: Agency) -> None:
    page = _page(browser, 360)
    log_in(page, live_server.url, "demo", PASSWORD)
    for name in ("analysis", "register", "plan"):
        page.goto(live_server.url + _pages(demo)[name])
        assert page.evaluate(OVERFLOW) == [], name
        sizes = page.evaluate(CHART_TEXT_SIZES)
        assert not sizes or min(sizes) >= 11, (name, min(sizes))
    page.goto(live_server.url + _pages(demo)["register"])
    shot(page, "issue17-360-register")
    # the status column is on screen, not cut off: the stacked card shows it with its label
    status = page.locator("table.register tbody tr").first.locator("td[data-label='สถานะ']")
    assert status.is_visible() and status.bounding_box()["x"] + status.bounding_box()["width"] <= 360


@pytest.mark.parametrize("size", WIDTHS)
def test_error_pages_are_thai_with_a_way_back(live_server: Any, browser: Any, demo: Agency, size: str) -> None:
    page = _page(browser, WIDTHS[size])
    log_in(page, live_server.url, "demo", PASSWORD)
    response = page.goto(f"{live_server.url}/a/999999/")
    assert response is not None and response.status == 404
    assert "ไม่พบหน้านี้" in page.inner_text("h1")
    assert page.evaluate(OVERFLOW) == []
    shot(page, f"issue17-{size}-404")
    page.click("text=กลับหน้าแรก")
    page.wait_for_url(f"{live_server.url}/a/*/")


def test_a_token_is_made_shown_once_and_revoked(live_server: Any, browser: Any, demo: Agency) -> None:
    page = _page(browser, 390)
    log_in(page, live_server.url, "demo", PASSWORD)
    page.click("text=โทเค็น API")
    page.fill("input[name=name]", "สคริปต์ส่งผลคะแนน")
    page.select_option("select[name=days]", "30")
    page.click("button.primary")
    token = page.input_value("input.token")
    assert token.startswith("ps_")
    assert page.evaluate(OVERFLOW) == []
    shot(page, "issue17-phone-token-new")
    page.goto(f"{live_server.url}/tokens/")
    assert token not in page.content() and "สคริปต์ส่งผลคะแนน" in page.inner_text("table.tokens")
    page.click("table.tokens button")
    assert "ยกเลิกโทเค็น" in page.inner_text(".msg")


def test_a_progress_updates_file_downloads_from_the_measure(live_server: Any, browser: Any, demo: Agency) -> None:
    page = _page(browser, 1280)
    log_in(page, live_server.url, "demo", PASSWORD)
    page.goto(live_server.url + _pages(demo)["measure"])
    with page.expect_download() as download:
        page.click("a.evidence-file")
    assert download.value.suggested_filename == "รายงานการประชุม.pdf"
    shot(page, "issue17-desktop-measure-evidence")


def test_the_offices_charts_read_on_a_phone(live_server: Any, browser: Any, demo: Agency) -> None:
    from prongsai.web.models import Office

    page = _page(browser, 390)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "demo-office")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()
    office = Office.objects.get(agencies=demo)
    page.goto(f"{live_server.url}/o/{office.pk}/")
    sizes = page.evaluate(CHART_TEXT_SIZES)
    shot(page, "issue17-phone-office")
    assert sizes and min(sizes) >= 11, sorted(sizes)[:5]
    assert page.evaluate(OVERFLOW) == []
