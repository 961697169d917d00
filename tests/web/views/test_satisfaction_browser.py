"""The satisfaction survey in Chromium: a respondent answers the public form on a phone, the officer reads the
results, closes the survey and uses them in the satisfaction report from the kit page (screenshots in
var/screenshots/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prongsai.kit.kinds.services import SATISFACTION_QUESTIONS
from prongsai.web.models import Assessment, KitDataset, Survey

from ..browsing import BROWSER, log_in, shot
from .kit_people import PASSWORD, YEAR

pytestmark = BROWSER


def test_a_respondent_answers_and_the_officer_uses_the_results(
    live_server: Any,
    browser: Any,
    officer: Assessment,
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
    log_in(page, base, "somsri", PASSWORD)
    page.goto(f"{base}/a/{officer.agency.pk}/{YEAR}/surveys/SAT/")
    table = page.inner_text("table")
    assert all(q in table for q in SATISFACTION_QUESTIONS)
    assert "ยังเปิดรับคำตอบอยู่" in page.inner_text("#satisfaction")  # not used while answers may still come
    page.click("text=ปิดรับคำตอบ")
    # the answers carry no date: the survey's own dates must fall in FY2569 (October 2025 – September 2026)
    Survey.objects.filter(pk=survey.pk).update(
        created=timezone.make_aware(dt.datetime(2026, 6, 1, 9)), closes=dt.date(2026, 8, 31)
    )
    page.goto(f"{base}/a/{officer.agency.pk}/{YEAR}/surveys/SAT/")
    shot(page, "satisfaction-results")
    # the kit page shows where the report's data comes from, and the button that uses it
    page.goto(f"{base}/a/{officer.agency.pk}/{YEAR}/kit/")
    source = page.inner_text("#satisfaction-survey")
    assert "มีผู้ตอบแล้ว 5 คน" in source and "รับคำตอบระหว่าง 1 มิ.ย. 2569 ถึง 31 ส.ค. 2569" in source
    page.locator("#satisfaction-survey").scroll_into_view_if_needed()
    shot(page, "satisfaction-kit-page")
    page.click("text=ใช้ผลจากแบบสำรวจในข้อมูลนี้")
    page.wait_for_url(f"{base}/a/{officer.agency.pk}/{YEAR}/kit/data/satisfaction_report/")
    assert "นำผลการสำรวจไปใส่ในข้อมูล" in page.inner_text(".msg")
    shot(page, "satisfaction-kit-dataset")
    assert len(KitDataset.objects.get(assessment=officer, dataset="satisfaction_report").rows) == 5
