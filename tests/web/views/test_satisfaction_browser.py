"""The satisfaction survey in Chromium: a respondent answers the public form on a phone, the officer reads the
results and uses them in the satisfaction report (screenshots in var/screenshots/)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from prongsai.kit.kinds.services import SATISFACTION_QUESTIONS
from prongsai.web.models import Assessment, KitDataset, Survey

from ..browsing import BROWSER, shot
from .test_kit_browser import _login, officer  # noqa: F401 (officer: the same agency admin's fixture)

YEAR = 2569
pytestmark = BROWSER


def test_a_respondent_answers_and_the_officer_uses_the_results(
    live_server: Any,
    browser: Any,
    officer: Assessment,  # noqa: F811 (the fixture imported above)
) -> None:
    base = live_server.url
    survey = Survey.objects.create(
        assessment=officer, tool="SAT", population=300, questions=list(SATISFACTION_QUESTIONS)
    )
    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="th-TH")
    phone.goto(f"{base}/s/{survey.slug}/")
    assert "แบบสำรวจความพึงพอใจต่อการให้บริการ" in phone.inner_text("h1")
    phone.click("button[type=submit]")  # nothing answered: every question is marked
    assert phone.locator(".missing").count() == len(SATISFACTION_QUESTIONS)
    for n in range(1, len(SATISFACTION_QUESTIONS) + 1):
        phone.check(f"input[name=s{n}][value='{5 if n % 2 else 4}']")
    shot(phone, "satisfaction-form-phone")
    phone.click("button[type=submit]")
    assert "ขอบคุณ" in phone.inner_text("body")
    for k in range(4):  # four more respondents, so that the batch is written and the results show
        data = {f"s{n}": str(3 + (n + k) % 3) for n in range(1, len(SATISFACTION_QUESTIONS) + 1)}
        assert (
            Client().post(reverse("survey_answer", args=[survey.slug]), data, REMOTE_ADDR=f"10.7.{k}.1").status_code
            == 200
        )

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    _login(page, base)
    page.goto(f"{base}/a/{officer.agency.pk}/{YEAR}/surveys/SAT/")
    table = page.inner_text("table")
    assert all(q in table for q in SATISFACTION_QUESTIONS)
    shot(page, "satisfaction-results")
    page.click("text=ใช้ผลนี้ในรายงานผลการสำรวจความพึงพอใจ")
    page.wait_for_url(f"{base}/a/{officer.agency.pk}/{YEAR}/kit/data/satisfaction_report/")
    assert "นำผลการสำรวจไปใส่ในข้อมูล" in page.inner_text(".msg")
    shot(page, "satisfaction-kit-dataset")
    assert len(KitDataset.objects.get(assessment=officer, dataset="satisfaction_report").rows) == 5
