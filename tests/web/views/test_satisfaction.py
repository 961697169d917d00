"""The satisfaction survey (tool SAT) on the practice-survey engine: created with the core's questions, answered
through the public form with the same anonymity (pool, batches, burst limit), its results per question, the
results used in the kit's satisfaction report (dataset rows, audit entry, the PDF's text layer) only when its
dates fit the report's fiscal year and it is closed, its poster, and the kit page's links to it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prongsai.kit.kinds.services import SATISFACTION_QUESTIONS
from prongsai.survey import MIN_GROUP
from prongsai.thai import to_thai_digits
from prongsai.web import services
from prongsai.web.models import AuditEntry, KitDataset, Survey, SurveyPool, SurveyResponse
from prongsai.web.services.first_steps import Counts, first_steps
from prongsai.web.services.surveys import (
    answer_period,
    satisfaction_report_problem,
    survey_question_scores,
    survey_result,
    survey_to_satisfaction_report,
)
from prongsai.web.views.assessment import practice

from ..conftest import World

YEAR = 2565

# five respondents (rows) × the five questions (columns), levels 1..5
ANSWERS = [
    [5, 4, 5, 3, 4],
    [4, 4, 5, 2, 4],
    [5, 3, 4, 3, 5],
    [3, 4, 5, 2, 4],
    [4, 5, 4, 3, 5],
]
# by hand: question sums 21, 20, 23, 13, 22 over 5 answers; 4 or 5 chosen by 4, 4, 5, 0, 5 of them
MEANS = ["4.20", "4.00", "4.60", "2.60", "4.40"]
SATISFIED = ["80.00", "80.00", "100.00", "0.00", "100.00"]
LEVELS = ["มาก", "มาก", "มากที่สุด", "น้อย", "มากที่สุด"]
OVERALL_MEAN, OVERALL_SATISFIED = "3.96", "72.00"  # 99 / 25, 18 / 25


def detail_url(world: World, tail: str = "") -> str:
    return reverse("survey_detail", args=[world.agency.pk, YEAR, "SAT"]) + tail


def create(world: World) -> Survey:
    response = world.client("owner").post(
        reverse("surveys", args=[world.agency.pk, YEAR]), {"tool": "SAT", "population": "๑๒๐", "requires_token": ""}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Survey.objects.get(assessment=world.y2565, tool="SAT")


def answer(levels: list[int]) -> dict[str, str]:
    return {f"s{n}": str(level) for n, level in enumerate(levels, start=1)}


def submit(survey: Survey, data: dict[str, str], address: str) -> Any:
    return Client().post(reverse("survey_answer", args=[survey.slug]), data, REMOTE_ADDR=address)


@pytest.fixture
def sat(world: World) -> Survey:
    return create(world)


def run_between(survey: Survey, start: dt.date, end: dt.date) -> Survey:
    """The survey as if made on ``start`` and closed after ``end`` (the answers carry no date)."""
    made = timezone.make_aware(dt.datetime(start.year, start.month, start.day, 9))
    Survey.objects.filter(pk=survey.pk).update(created=made, closes=end, is_open=False)
    survey.refresh_from_db()
    return survey


def answered(survey: Survey, tag: int) -> Survey:
    for k, levels in enumerate(ANSWERS):
        assert submit(survey, answer(levels), f"10.{tag}.{k}.1").status_code == 200
    return survey


# FY2565 runs from 1 October 2021 to 30 September 2022
IN_FY2565 = (dt.date(2022, 1, 10), dt.date(2022, 3, 31))


def test_created_with_the_cores_questions_and_no_token(sat: Survey) -> None:
    assert sat.questions == list(SATISFACTION_QUESTIONS) and not sat.requires_token and sat.population == 120
    page = Client().get(reverse("survey_answer", args=[sat.slug])).content.decode()
    assert "แบบสำรวจความพึงพอใจต่อการให้บริการ" in page and "ความพึงพอใจต่อเจ้าหน้าที่ผู้ให้บริการ" in page
    assert page.count('type="radio"') == 5 * len(SATISFACTION_QUESTIONS) and "มากที่สุด" in page
    # a level outside the scale, or a question left out, is refused and nothing is kept
    assert submit(sat, {**answer([5, 5, 5, 5, 5]), "s3": "6"}, "10.1.0.1").status_code == 400
    assert submit(sat, {"s1": "5"}, "10.1.0.2").status_code == 400
    assert not SurveyPool.objects.filter(survey=sat).exclude(answers=[]).exists()


def test_results_per_question_and_the_satisfaction_report(world: World, sat: Survey, tmp_path: Path) -> None:
    for k, levels in enumerate(ANSWERS):
        response = submit(sat, answer(levels), f"10.2.{k}.1")
        assert response.status_code == 200 and "ขอบคุณ" in response.content.decode()
    assert SurveyResponse.objects.filter(survey=sat).count() == 5
    page = world.client("viewer").get(detail_url(world)).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    for row, question, mean, level, share in zip(rows, SATISFACTION_QUESTIONS, MEANS, LEVELS, SATISFIED, strict=True):
        assert question in row and f'<td class="n">{mean}</td>' in row and f"<td>{level}</td>" in row
        assert f'<td class="n">{share}</td>' in row and '<td class="n">5</td>' in row
    assert "ใช้ผลนี้ในรายงาน" not in page  # a reader sees the results, not the button
    # no IIT/EIT scoring: no indicator scores, nothing for the plan's question scores
    assert survey_result(sat).scores is None and survey_question_scores(sat) == {}

    run_between(sat, *IN_FY2565)  # answered and closed within the report's fiscal year
    editor = world.client("editor")
    response = editor.post(detail_url(world, "to-kit/"))
    assert response.status_code == 302 and response["Location"].endswith("/kit/data/satisfaction_report/")
    record = KitDataset.objects.get(assessment=world.y2565, dataset="satisfaction_report")
    by_hand = [[sum(1 for r in ANSWERS if r[q] == level) for level in (5, 4, 3, 2, 1)] for q in range(5)]
    assert [r["question"] for r in record.rows] == list(SATISFACTION_QUESTIONS)
    assert [[int(r[f"level{k}"]) for k in (5, 4, 3, 2, 1)] for r in record.rows] == by_hand
    assert record.header["respondents"] == "5" and record.reviewed_at is None
    assert (record.header["survey_start"], record.header["survey_end"]) == ("10/1/2565", "31/3/2565")
    assert AuditEntry.objects.filter(
        model__icontains="kit", object_id=str(record.pk), user=world.users["editor"]
    ).exists()

    # the report on FY2565 is a document of FY2566 (a report on the previous year)
    services.assessment_create(world.users["owner"], world.agency, YEAR + 1)
    response = world.client("owner").get(f"/a/{world.agency.pk}/{YEAR + 1}/kit/doc/satisfaction_report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf_path = tmp_path / "satisfaction.pdf"
    pdf_path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True)
    pdf = text.stdout.translate({0x2060: None, 0x200B: None})
    for number in [*MEANS, *SATISFIED, OVERALL_MEAN, OVERALL_SATISFIED]:
        assert to_thai_digits(number) in pdf, number
    assert "ความพึงพอใจต่อสิ่งอำนวยความสะดวก" in pdf and "มีผู้ตอบแบบสำรวจ ๕ คน" in pdf
    assert "ระหว่างวันที่ ๑๐ มกราคม ๒๕๖๕ ถึงวันที่ ๓๑ มีนาคม ๒๕๖๕" in " ".join(pdf.split())


def test_answers_wait_in_the_pool_and_count_only_as_a_batch(world: World, sat: Survey) -> None:
    """The engine's anonymity holds for the new kind (as test_survey_anonymity for IIT/EIT)."""
    for k, levels in enumerate(ANSWERS[: MIN_GROUP - 1]):
        assert submit(sat, answer(levels), f"10.3.{k}.1").status_code == 200
    assert not SurveyResponse.objects.exists()
    pool = SurveyPool.objects.get(survey=sat)
    assert sorted(map(sorted, (a.values() for a in pool.answers))) == sorted(map(sorted, ANSWERS[: MIN_GROUP - 1]))
    page = world.client("owner").get(detail_url(world)).content.decode()
    assert "กำลังรวบรวมอีก 4 คำตอบ" in page and "4.20" not in page
    # nothing to use in the report before the batch is written
    response = world.client("owner").post(detail_url(world, "to-kit/"), follow=True)
    assert "มีผู้ตอบอย่างน้อย 5 คน" in response.content.decode()
    assert not KitDataset.objects.filter(dataset="satisfaction_report").exists()
    assert submit(sat, answer(ANSWERS[-1]), "10.3.9.1").status_code == 200
    assert SurveyPool.objects.get(survey=sat).answers == []
    stored = list(SurveyResponse.objects.filter(survey=sat).values_list("answers", flat=True))
    assert all(set(a) == {"s1", "s2", "s3", "s4", "s5"} for a in stored)  # the answers and nothing else
    assert {f.name for f in SurveyResponse._meta.get_fields()} == {"id", "survey", "answers"}


def test_a_flood_from_one_address_is_stopped_at_the_burst_limit(sat: Survey) -> None:
    statuses = [submit(sat, answer(ANSWERS[k % 5]), "192.0.2.77").status_code for k in range(12)]
    assert statuses == [200] * 5 + [429] * 7


def test_access(world: World, sat: Survey) -> None:
    for k, levels in enumerate(ANSWERS):
        submit(sat, answer(levels), f"10.4.{k}.1")
    assert world.client("outsider").get(detail_url(world)).status_code == 404
    assert world.client("outsider").post(detail_url(world, "to-kit/")).status_code == 404
    assert world.client("viewer").post(detail_url(world, "to-kit/")).status_code == 403
    assert world.client("editor").get(detail_url(world, "to-kit/")).status_code == 405
    assert not KitDataset.objects.exists()
    # the raw answers for the admin only, headed by the questions' words
    assert world.client("editor").get(detail_url(world, "answers.csv")).status_code == 403
    export = world.client("owner").get(detail_url(world, "answers.csv")).content.decode("utf-8-sig").splitlines()
    assert export[0].split(",") == list(SATISFACTION_QUESTIONS) and len(export) == 1 + len(ANSWERS)
    # its own poster, linked from its page, for members only
    assert "poster.pdf" in world.client("viewer").get(detail_url(world)).content.decode()
    assert world.client("outsider").get(detail_url(world, "poster.pdf")).status_code == 404
    # an IIT/EIT survey has no satisfaction report to fill
    Survey.objects.create(assessment=world.y2565, tool="EIT", population=10)
    eit = reverse("survey_detail", args=[world.agency.pk, YEAR, "EIT"]) + "to-kit/"
    assert world.client("owner").post(eit).status_code == 404


def test_the_first_steps_count_only_iit_and_eit(world: World, sat: Survey) -> None:
    for k, levels in enumerate(ANSWERS):
        submit(sat, answer(levels), f"10.5.{k}.1")
    steps = first_steps(world.agency, [world.y2564, world.y2565], Counts({}, {}), YEAR)
    [survey_step] = [s for s in steps if "แบบสำรวจ" in s.title]
    assert not survey_step.done and "SAT" not in survey_step.detail
    assert "IIT ยังไม่ได้สร้าง · EIT ยังไม่ได้สร้าง" in survey_step.detail
    # nor do the year's analysis (indicators 1–8 from the practice surveys) and the plan's question scores
    assert practice(world.y2565, None) is None  # no indicator score came from the satisfaction answers
    assert world.client("owner").get(reverse("analysis", args=[world.agency.pk, YEAR])).status_code == 200
    assert services._practice_question_scores(world.y2565) == {}


# --- its poster ------------------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/run")
def test_the_poster_invites_those_served_and_gives_the_closing_date(world: World, tmp_path: Path) -> None:
    response = world.client("owner").post(
        reverse("surveys", args=[world.agency.pk, YEAR]),
        {"tool": "SAT", "population": "120", "requires_token": "", "closes": "31/08/2565"},
    )
    assert response.status_code == 302
    sat = Survey.objects.get(tool="SAT")
    response = world.client("viewer").get(detail_url(world, "poster.pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="poster-SAT-{YEAR}.pdf"'
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        "ขอเชิญร่วมประเมินความพึงพอใจ",
        "ขอความร่วมมือท่านที่มาติดต่อหรือใช้บริการของหน่วยงาน",
        "ให้คะแนนความพึงพอใจต่อบริการที่ได้รับ",
        world.agency.name,
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
        "เปิดรับคำตอบถึงวันที่ ๓๑ สิงหาคม ๒๕๖๕",
        f"/s/{sat.slug}/",
    ):
        assert expected in text, expected
    assert "ITA" not in text and "ป.ป.ช." not in text  # not the practice ITA survey's poster


# --- the kit page: where the satisfaction report's data can come from ---------------------------------


def kit_source(world: World, persona: str) -> str:
    page = world.client(persona).get(reverse("kit", args=[world.agency.pk, YEAR])).content.decode()
    section = page.split('id="data-satisfaction_report"')[1].split("</section>")[0]
    assert 'id="satisfaction-survey"' in section
    return section


def test_the_kit_page_links_the_satisfaction_report_to_the_years_survey(world: World) -> None:
    create_url = reverse("surveys", args=[world.agency.pk, YEAR]) + "?tool=SAT"
    to_kit = reverse("survey_to_kit", args=[world.agency.pk, YEAR, "SAT"])
    # no survey yet: the admin is offered to create one, with SAT chosen on the form
    assert create_url in kit_source(world, "owner")
    assert create_url not in kit_source(world, "editor")  # only an admin creates a survey
    form = world.client("owner").get(create_url).content.decode()
    assert '<option value="SAT" selected>' in form
    sat = create(world)
    section = kit_source(world, "editor")
    assert reverse("survey_detail", args=[world.agency.pk, YEAR, "SAT"]) in section and create_url not in section
    assert to_kit not in section and "มีผู้ตอบอย่างน้อย 5 คน" in section  # too few answers to use
    answered(sat, 20)
    section = kit_source(world, "editor")
    assert to_kit not in section and "ยังเปิดรับคำตอบ" in section  # enough answers, but more may come
    run_between(sat, *IN_FY2565)
    section = kit_source(world, "editor")
    assert f'action="{to_kit}"' in section and "รับคำตอบระหว่าง 10 ม.ค. 2565 ถึง 31 มี.ค. 2565" in section
    assert to_kit not in kit_source(world, "viewer")  # a reader sees where the data comes from, no button
    # the button uses the results (the existing view) and lands on the dataset
    response = world.client("editor").post(to_kit)
    assert response.status_code == 302 and response["Location"].endswith("/kit/data/satisfaction_report/")
    assert KitDataset.objects.get(assessment=world.y2565, dataset="satisfaction_report").header["respondents"] == "5"
    # the next year's report is made from this year's data: its kit page says so and leads here
    services.assessment_create(world.users["owner"], world.agency, YEAR + 1)
    page = world.client("editor").get(reverse("kit", args=[world.agency.pk, YEAR + 1])).content.decode()
    section = page.split('id="satisfaction-survey"')[1].split("</section>")[0]
    assert f"ทำจากข้อมูลปี {YEAR}" in section
    assert reverse("kit", args=[world.agency.pk, YEAR]) + "#data-satisfaction_report" in section


# --- the dates check: only this year's answers, and only once they are all in ----------------------------


def test_a_survey_still_open_is_refused_with_what_to_do(world: World, sat: Survey) -> None:
    answered(sat, 21)
    response = world.client("editor").post(detail_url(world, "to-kit/"), follow=True)
    page = response.content.decode()
    assert "แบบสำรวจนี้ยังเปิดรับคำตอบอยู่ ผลจึงยังไม่ครบ ให้ผู้ดูแลหน่วยงานปิดรับคำตอบที่หน้าแบบสำรวจก่อน" in page
    assert not KitDataset.objects.filter(dataset="satisfaction_report").exists()
    # a closing date still ahead does not make it closed either
    Survey.objects.filter(pk=sat.pk).update(closes=timezone.localdate() + dt.timedelta(days=3))
    world.client("editor").post(detail_url(world, "to-kit/"))
    assert not KitDataset.objects.filter(dataset="satisfaction_report").exists()


def test_closing_by_hand_records_the_day_and_reopening_brings_back_the_planned_one(world: World, sat: Survey) -> None:
    today = timezone.localdate()
    planned = today + dt.timedelta(days=30)
    Survey.objects.filter(pk=sat.pk).update(closes=planned)
    toggle = reverse("survey_toggle", args=[world.agency.pk, YEAR, "SAT"])
    world.client("owner").post(toggle)
    sat.refresh_from_db()
    assert not sat.is_open and sat.closed_on == today and sat.closes == planned
    assert answer_period(sat, today + dt.timedelta(days=40)).end == today  # the report's end of the survey
    world.client("owner").post(toggle)
    sat.refresh_from_db()
    assert sat.is_open and sat.closed_on is None and sat.closes == planned and sat.accepting(today)
    assert answer_period(sat, planned + dt.timedelta(days=1)).end == planned  # closed by its planned day


def test_reopening_after_the_planned_day_clears_it(world: World, sat: Survey) -> None:
    today = timezone.localdate()
    Survey.objects.filter(pk=sat.pk).update(closes=today - dt.timedelta(days=2))
    sat.refresh_from_db()
    assert not sat.accepting(today)
    page = world.client("owner").get(detail_url(world)).content.decode()
    assert ">เปิดรับคำตอบ</button>" in page  # closed by its date: the button opens it (is_open is still true)
    world.client("owner").post(reverse("survey_toggle", args=[world.agency.pk, YEAR, "SAT"]))
    sat.refresh_from_db()
    assert sat.is_open and sat.closes is None and sat.closed_on is None and sat.accepting(today)
    assert ">ปิดรับคำตอบ</button>" in world.client("owner").get(detail_url(world)).content.decode()


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        # made and closed in FY2566 (1 Oct 2022 – 30 Sep 2023), on FY2565's page
        (dt.date(2022, 11, 1), dt.date(2022, 12, 15), ["ซึ่งอยู่ในปีงบประมาณ พ.ศ. 2566", "ไม่ใช่ปีงบประมาณ พ.ศ. 2565"]),
        # made in FY2564, before FY2565 began
        (dt.date(2021, 9, 1), dt.date(2021, 9, 20), ["ซึ่งอยู่ในปีงบประมาณ พ.ศ. 2564"]),
        # across the end of FY2565: the answers carry no date, so this year's cannot be picked out
        (dt.date(2022, 9, 1), dt.date(2022, 10, 15), ["คาบเกี่ยวกับปีงบประมาณอื่น", "แยกคำตอบของปีนี้ออกมาไม่ได้"]),
    ],
)
def test_a_survey_of_another_fiscal_year_is_refused(
    world: World, sat: Survey, start: dt.date, end: dt.date, words: list[str]
) -> None:
    run_between(answered(sat, 22), start, end)
    response = world.client("editor").post(detail_url(world, "to-kit/"), follow=True)
    page = response.content.decode()
    for expected in [*words, "(1 ตุลาคม 2564 ถึง 30 กันยายน 2565)", "ในข้อมูลรายงานเอง"]:
        assert expected in page, expected
    assert not KitDataset.objects.filter(dataset="satisfaction_report").exists()
    assert "ใช้ผลนี้ในรายงาน" not in world.client("editor").get(detail_url(world)).content.decode()


def test_the_fiscal_years_first_and_last_days_are_in_it(world: World, sat: Survey) -> None:
    run_between(answered(sat, 23), dt.date(2021, 10, 1), dt.date(2022, 9, 30))
    later = dt.date(2023, 1, 5)  # used months after the year: the survey's own dates count, not today's
    assert satisfaction_report_problem(sat, later) == ""
    record = survey_to_satisfaction_report(world.users["editor"], sat, later)
    assert (record.header["survey_start"], record.header["survey_end"]) == ("1/10/2564", "30/9/2565")
    Survey.objects.filter(pk=sat.pk).update(closes=dt.date(2022, 10, 1))  # one day into FY2566
    sat.refresh_from_db()
    assert "คาบเกี่ยว" in satisfaction_report_problem(sat, later)
