"""Practice surveys: scoring like the real thing, anonymity, tokens, limits, and where results show."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from prongsai.survey import layout_for
from prongsai.web.models import Survey, SurveyPool, SurveyResponse, SurveyToken
from prongsai.web.services.surveys import pooled_count, tokens_issue

from .conftest import World


@pytest.fixture
def eit(world: World) -> Survey:
    return Survey.objects.create(assessment=world.y2565, tool="EIT", population=200)


def answers_for(survey: Survey, scale: str, yes_no: dict[str, str]) -> dict[str, str]:
    """Every scale item answered ``scale``; yes/no items by question code (e4 → "2" = ไม่มี …)."""
    layout = layout_for(survey.assessment.framework, survey.tool)
    data = {}
    for column, kind in zip(layout.columns, layout.answer_types, strict=True):
        data[column] = scale if kind == "scale4" else yes_no[column.split("_")[0]]
    return data


def submit(survey: Survey, data: dict[str, str], client: Client | None = None, **extra: Any) -> Any:
    return (client or Client()).post(reverse("survey_answer", args=[survey.slug]), data, **extra)


GOOD = {"e4": "2", "e8": "1", "e10": "1"}  # no bribe asked; has a feedback and a complaint channel


def test_a_submission_gets_a_thank_you_and_is_stored(eit: Survey) -> None:
    response = submit(eit, answers_for(eit, "4", GOOD))
    assert response.status_code == 200 and "ขอบคุณ" in response.content.decode()
    assert pooled_count(eit) == 1 and not SurveyResponse.objects.exists()  # joins the others in a batch of five
    for _ in range(4):
        submit(eit, answers_for(eit, "4", GOOD))
    assert pooled_count(eit) == 0 and SurveyResponse.objects.filter(survey=eit).count() == 5


def test_scores_match_hand_computed_values(world: World, eit: Survey) -> None:
    for _ in range(5):
        submit(eit, answers_for(eit, "3", GOOD))  # มาก = 66.67 on the 4-level scale
    page = world.client("owner").get(reverse("survey_detail", args=[world.agency.pk, 2565, "EIT"])).content.decode()
    # indicator 6: e1 e2 e3 e5 at 66.67 and e4 (yes/no, ไม่มี = 100): (4 × 66.67 + 100) / 5 = 73.336
    # indicator 7: e6 e7 e9 at 66.67, e8 and e10 (มี = 100): (3 × 66.67 + 200) / 5 = 80.002
    # indicator 8: e11–e15 all at 66.67
    assert "73.34" in page and "80.00" in page and "66.67" in page


def test_results_need_five_answers(world: World, eit: Survey) -> None:
    for _ in range(4):
        submit(eit, answers_for(eit, "4", GOOD))
    page = world.client("owner").get(reverse("survey_detail", args=[world.agency.pk, 2565, "EIT"])).content.decode()
    assert "อย่างน้อย 5 คน" in page and "100.00" not in page and "กำลังรวบรวมอีก 4 คำตอบ" in page
    # nor the raw answers: the admin is sent back to the survey's page with the reason
    owner = world.client("owner")
    export = owner.get(reverse("survey_export", args=[world.agency.pk, 2565, "EIT", "csv"]))
    assert export.status_code == 302 and "text/csv" not in export.get("Content-Type", "")
    page = owner.get(export["Location"]).content.decode()
    assert "ส่งออกคำตอบได้เมื่อมีผู้ตอบอย่างน้อย 5 คน" in page


def test_nothing_identifying_is_stored_or_exported(world: World, eit: Survey) -> None:
    for k in range(5):
        submit(eit, answers_for(eit, "4", GOOD), HTTP_USER_AGENT="Agent-Zeta-4711", REMOTE_ADDR=f"203.0.113.{k + 70}")
    assert {f.name for f in SurveyResponse._meta.get_fields()} == {"id", "survey", "answers"}
    assert {f.name for f in SurveyPool._meta.get_fields()} == {"survey", "answers"}
    assert {f.name for f in SurveyToken._meta.get_fields()} == {"id", "survey", "digest", "used"}
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    for trace in ("Agent-Zeta-4711", "203.0.113.7"):
        assert trace not in dump.getvalue()
    csv_text = world.client("owner").get(reverse("survey_export", args=[world.agency.pk, 2565, "EIT", "csv"])).content
    header = csv_text.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == list(layout_for(eit.assessment.framework, "EIT").columns)  # answers only: no id, no time


def test_one_answer_per_browser_without_tokens(eit: Survey) -> None:
    client = Client()
    submit(eit, answers_for(eit, "4", GOOD), client)
    again = client.get(reverse("survey_answer", args=[eit.slug]))
    assert "ตอบแบบสำรวจนี้แล้ว" in again.content.decode()


def test_staff_tokens_work_once_and_are_not_linked(world: World) -> None:
    iit = Survey.objects.create(assessment=world.y2565, tool="IIT", population=30, requires_token=True)
    code = tokens_issue(iit, 3)[0]
    base = answers_for(iit, "4", {"i4": "2", "i5": "2", "i6": "2", "i26": "1"})
    assert submit(iit, base | {"token": "WRONG-CODE"}).status_code == 400
    assert submit(iit, base | {"token": code.lower()}).status_code == 200  # typed in lower case is fine
    assert submit(iit, base | {"token": code}).status_code == 400  # used once
    assert SurveyToken.objects.filter(survey=iit, used=True).count() == 1
    assert pooled_count(iit) == 1


def test_submissions_are_rate_limited(eit: Survey, settings: Any) -> None:
    settings.SURVEY_RATE_LIMIT = 2
    statuses = [submit(eit, answers_for(eit, "4", GOOD), REMOTE_ADDR="198.51.100.9").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert submit(eit, answers_for(eit, "4", GOOD), REMOTE_ADDR="198.51.100.10").status_code == 200


def test_a_closed_survey_takes_nothing(eit: Survey) -> None:
    eit.is_open = False
    eit.save()
    assert submit(eit, answers_for(eit, "4", GOOD)).status_code == 410
    assert not SurveyResponse.objects.exists() and pooled_count(eit) == 0


def test_a_missing_answer_keeps_the_others(eit: Survey) -> None:
    data = answers_for(eit, "2", GOOD)
    del data["e3"]
    response = submit(eit, data)
    page = response.content.decode()
    assert response.status_code == 400 and "กรุณาตอบ" in page
    assert '<input type="radio" name="e1" value="2" id="id_e1_1" required checked>' in page
    assert not SurveyResponse.objects.exists() and pooled_count(eit) == 0


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("viewer", 200), ("oversight", 200), ("outsider", 404)]
)
def test_survey_pages_are_scoped(world: World, eit: Survey, persona: str, status: int) -> None:
    assert (
        world.client(persona).get(reverse("survey_detail", args=[world.agency.pk, 2565, "EIT"])).status_code == status
    )


def test_only_an_admin_creates_surveys(world: World) -> None:
    url = reverse("surveys", args=[world.agency.pk, 2565])
    data = {"tool": "IIT", "population": "25"}
    assert world.client("editor").post(url, data).status_code == 403
    assert world.client("owner").post(url, data).status_code == 302
    assert Survey.objects.get(tool="IIT").requires_token  # one-time codes are the default for IIT


def test_one_time_codes_by_tool_unless_chosen(world: World) -> None:
    url = reverse("surveys", args=[world.agency.pk, 2565])
    assert world.client("owner").post(url, {"tool": "EIT", "population": "300"}).status_code == 302
    assert not Survey.objects.get(tool="EIT").requires_token  # outsiders have no code to receive
    Survey.objects.all().delete()
    data = {"tool": "IIT", "population": "25", "requires_token": "no"}
    assert world.client("owner").post(url, data).status_code == 302
    assert not Survey.objects.get(tool="IIT").requires_token
    page = world.client("owner").get(url).content.decode()
    assert "ตามแบบวัด: IIT ใช้รหัสครั้งเดียว EIT ไม่ใช้รหัส" in page


def test_practice_results_show_beside_last_years_and_feed_the_plan(world: World, eit: Survey) -> None:
    for _ in range(5):
        submit(eit, answers_for(eit, "4", GOOD))
    page = world.client("viewer").get(reverse("analysis", args=[world.agency.pk, 2565])).content.decode()
    assert "ผลแบบสำรวจล่วงหน้าปีนี้" in page
    assert "86.13" in page and "100.00" in page  # indicator 6: last year's official beside this year's practice
    assert "คะแนนคาดการณ์" in page


def test_the_xlsx_export_holds_answers_only(world: World, eit: Survey) -> None:
    from openpyxl import load_workbook

    for _ in range(5):
        submit(eit, answers_for(eit, "4", GOOD))
    body = world.client("owner").get(reverse("survey_export", args=[world.agency.pk, 2565, "EIT", "xlsx"])).content
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    assert list(rows[0]) == list(layout_for(eit.assessment.framework, "EIT").columns) and len(rows) == 6
    # yes/no answers as words, which `prongsai survey` reads back
    assert {v for row in rows[1:] for v in row} == {4, "มี", "ไม่มี"}


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is installed by .ci/run")
def test_the_poster_is_a_pdf_with_the_link(world: World, eit: Survey) -> None:
    response = world.client("viewer").get(reverse("survey_poster", args=[world.agency.pk, 2565, "EIT"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_lowest_practice_questions_are_named_in_the_drafted_measure(world: World) -> None:
    """Last year's practice IIT (five answers): i19 scored 0, so the measure for indicator 4 (83.63 in the
    seed's FY2564 result) starts from that question; a question that scored well is not named."""
    from prongsai.web import services

    iit = Survey.objects.create(assessment=world.y2564, tool="IIT", population=20)
    framework = world.y2564.framework
    layout = layout_for(framework, "IIT")
    yes_no = {
        q.code: ("2" if q.no_points == 100 else "1") for q in framework.questions_of("IIT") if q.yes_points is not None
    }
    for _ in range(5):
        data = {
            c: ("4" if k == "scale4" else yes_no[c.split("_")[0]])
            for c, k in zip(layout.columns, layout.answer_types, strict=True)
        }
        data["i19"] = "4"  # reverse-scored: staff take government property for private use, very much
        data["i20"] = "4"
        submit(iit, data)
    services.plan_draft(None, world.y2565)
    steps = " ".join(m.method for m in world.y2565.measures.all())
    i19 = next(q for q in framework.questions if q.code == "i19")
    i20 = next(q for q in framework.questions if q.code == "i20")
    assert i19.summary_th in steps
    assert i20.summary_th not in steps
