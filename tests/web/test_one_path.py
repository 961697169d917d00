"""One path for every number (issue 18): the same result, with scores that end in a 5 in the third decimal,
fed through the CLI, the web form, the API, a web file import, an office's import of published results and
a practice survey, is stored as the same indicator scores and total everywhere, equal to the golden file
tests/golden/one_path.yaml (computed by hand there, line by line).

Before the one rule, the paths disagreed: the web form refused 85.125 (two decimals at most), the web import
and the API stored round()'s 85.12 and 70.00, the office import stored "%.2f"'s 85.12 and a total of 77.12
summed from the unrounded scores, and the CLI printed 85.125 and the same 77.12."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from prongsai.cli import main
from prongsai.web.models import ApiToken, Job, PublishedResult, Survey, SurveyResponse
from prongsai.web.services.surveys import survey_result

from .conftest import World

GOLDEN = yaml.safe_load((Path(__file__).parents[1] / "golden" / "one_path.yaml").read_text(encoding="utf-8"))
YEAR: int = GOLDEN["fiscal_year"]
GIVEN: dict[int, str] = GOLDEN["given"]
STORED: dict[int, Decimal] = {n: Decimal(text) for n, text in GOLDEN["stored"].items()}
TOTAL = Decimal(GOLDEN["total"])


def _exact(value: Any) -> Decimal:
    """A stored or printed number as it is (85.125 stays 85.125; a float goes through its shortest repr)."""
    return Decimal(str(value))


def _assert_golden(scores: dict[int, Any], total: Any) -> None:
    found = {n: _exact(scores[n]) for n in range(1, 11)}
    assert found == STORED
    assert _exact(total) == TOTAL


def _scores_csv() -> bytes:
    return ("ตัวชี้วัด,คะแนน\n" + "".join(f"{n},{GIVEN[n]}\n" for n in range(1, 11))).encode()


def _api(world: World) -> Client:
    _, token = ApiToken.issue(world.users["owner"], "one path")
    return Client(headers={"Authorization": f"Bearer {token}"})


def _stored_through_api(world: World) -> tuple[dict[int, Any], Any]:
    body = _api(world).get(f"/api/agencies/{world.agency.pk}/assessments/{YEAR}").json()
    return {int(n): s for n, s in body["scores"].items()}, body["total"]


def _stored_rows(world: World) -> dict[int, Decimal]:
    assessment = world.agency.assessments.get(fiscal_year=YEAR)
    return {r.number: r.score for r in assessment.results.all()}


def test_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "ผล.csv"
    path.write_bytes(_scores_csv())
    result = CliRunner().invoke(main, ["score", str(path), "--year", str(YEAR), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    _assert_golden({i["number"]: i["score"] for i in body["indicators"]}, body["total"])
    assert (body["grade"], body["passed"]) == (GOLDEN["grade"], GOLDEN["passed"])


def test_the_web_form(world: World) -> None:
    data = {f"i{n}": GIVEN[n] for n in range(1, 11)}
    response = world.client("owner").post(reverse("results", args=[world.agency.pk, YEAR]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _stored_rows(world) == STORED
    _assert_golden(*_stored_through_api(world))


def test_the_api(world: World) -> None:
    scores = {str(n): float(GIVEN[n]) for n in range(1, 11)}
    response = _api(world).put(
        f"/api/agencies/{world.agency.pk}/assessments/{YEAR}/results",
        {"scores": scores},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    _assert_golden({int(n): s for n, s in body["scores"].items()}, body["total"])
    assert (body["grade"], body["passed"]) == (GOLDEN["grade"], GOLDEN["passed"])
    assert _stored_rows(world) == STORED


def test_a_file_import_on_the_web(world: World) -> None:
    upload = SimpleUploadedFile("ผล.csv", _scores_csv())
    response = world.client("owner").post(reverse("results_import", args=[world.agency.pk, YEAR]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _stored_rows(world) == STORED
    _assert_golden(*_stored_through_api(world))


def test_an_offices_import_of_published_results(world: World) -> None:
    assert world.oversight_office is not None
    header = "หน่วยงาน,อำเภอ,จังหวัด,ปีงบประมาณ," + ",".join(str(n) for n in range(1, 11)) + ",คะแนนรวม\n"
    row = ",".join([world.agency.name, "เมือง", "นนทบุรี", str(YEAR), *(GIVEN[n] for n in range(1, 11)), ""])
    response = world.client("owner").post(
        reverse("oversight_import", args=[world.oversight_office.pk]),
        {"file": SimpleUploadedFile("ผล.csv", (header + row + "\n").encode())},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "done", job.error
    stored = PublishedResult.objects.get(office=world.oversight_office, fiscal_year=YEAR)
    _assert_golden({n: getattr(stored, f"i{n}") for n in range(1, 11)}, stored.total)
    assert (stored.grade, stored.passed) == (GOLDEN["grade"], GOLDEN["passed"])
    # and the office's XLSX of the results holds the same numbers
    export = world.client("owner").get(reverse("oversight_export", args=[world.oversight_office.pk, "results"]))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    header, row = (list(r) for r in sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    start = header.index("ตัวชี้วัด 1")
    _assert_golden({n: row[start + n - 1] for n in range(1, 11)}, row[header.index("คะแนนรวม")])


@pytest.fixture
def eit_answers(world: World) -> Survey:
    """32 stored EIT answers whose indicator 7 averages exactly 85.625: every 4-level answer มากที่สุด (100);
    of the two yes/no questions (e8, e10: มี = 100), 9 people answered both มี (a respondent score of
    (3 × 100 + 2 × 100) / 5 = 100) and 23 one of them (80): (9 × 100 + 23 × 80) / 32 = 2740 / 32 = 85.625."""
    survey = Survey.objects.create(assessment=world.y2564, tool="EIT", population=200)
    framework = world.y2564.framework
    from prongsai.survey import layout_for

    layout = layout_for(framework, "EIT")

    def answers(e8: int, e10: int) -> dict[str, int]:
        codes = {c: 4 if kind == "scale4" else 2 for c, kind in zip(layout.columns, layout.answer_types, strict=True)}
        return codes | {"e8": e8, "e10": e10}  # e4 ไม่มี (2): nobody was asked for a bribe

    rows = [answers(1, 1)] * 9 + [answers(1, 2)] * 12 + [answers(2, 1)] * 11
    SurveyResponse.objects.bulk_create(SurveyResponse(survey=survey, answers=a) for a in rows)
    return survey


def test_a_practice_survey(world: World, eit_answers: Survey) -> None:
    result = survey_result(eit_answers)
    assert result.scores is not None and result.answers == 32
    assert _exact(result.scores[7]) == STORED[7]
    page = world.client("owner").get(reverse("survey_detail", args=[world.agency.pk, YEAR, "EIT"])).content.decode()
    assert f"{STORED[7]}" in page and "85.62" not in page
