"""Imports that catch the likely mistakes: percentage cells (0.834) refused with the fix, a template CSV and XLSX
to download that the import reads back, and errors that never name a command-line option."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from ..conftest import World

SCORES = [94.17, 86.76, 91.23, 83.63, 85.5, 86.13, 88.62, 85.83, 48.46, 31.25]  # the seed's FY2564 result


def _import(world: World, name: str, body: bytes) -> tuple[int, str]:
    url = reverse("results_import", kwargs={"agency_id": world.agency.pk, "year": 2564})
    response = world.client("owner").post(url, {"file": SimpleUploadedFile(name, body)})
    return response.status_code, response.content.decode() if response.status_code != 302 else ""


def _template(world: World, fmt: str) -> bytes:
    url = reverse("results_template", kwargs={"agency_id": world.agency.pk, "year": 2564, "fmt": fmt})
    response = world.client("viewer").get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    return response.content


def test_the_csv_template_filled_in_imports(world: World) -> None:
    rows = list(csv.reader(io.StringIO(_template(world, "csv").decode("utf-8-sig"))))
    assert rows[0] == ["ตัวชี้วัด", "ชื่อตัวชี้วัด", "คะแนน"] and len(rows) == 11
    assert rows[1] == ["1", world.y2564.framework.indicator(1).name_th, ""]
    filled = io.StringIO()
    csv.writer(filled).writerows([rows[0], *([*row[:2], str(s)] for row, s in zip(rows[1:], SCORES, strict=True))])
    assert _import(world, "คะแนน.csv", filled.getvalue().encode("utf-8"))[0] == 302
    world.y2564.refresh_from_db()
    assert [world.y2564.scores()[n] for n in range(1, 11)] == SCORES


def test_the_xlsx_template_filled_in_imports(world: World) -> None:
    book = load_workbook(io.BytesIO(_template(world, "xlsx")))
    sheet = book.active
    assert sheet is not None and sheet["A1"].value == "ตัวชี้วัด" and sheet["C2"].number_format == "0.00"
    for row, score in enumerate(SCORES, start=2):
        sheet.cell(row=row, column=3, value=score)
    out = io.BytesIO()
    book.save(out)
    assert _import(world, "คะแนน.xlsx", out.getvalue())[0] == 302


def _percentage_book(values: list[float]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["indicator", "score"])
    for number, value in enumerate(values, start=1):
        sheet.append([number, value])
        sheet.cell(row=number + 1, column=2).number_format = "0.00%"  # shows 83.40 %, holds 0.834
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["percent.xlsx", "fractions.csv"])
def test_percentage_cells_are_refused_with_the_fix(world: World, name: str) -> None:
    fractions = [round(s / 100, 4) for s in SCORES]
    if name.endswith(".xlsx"):
        body = _percentage_book(fractions)
    else:
        body = ("indicator,score\n" + "".join(f"{n},{v}\n" for n, v in enumerate(fractions, start=1))).encode()
    before = world.y2564.scores()
    status, page = _import(world, name, body)
    assert status == 400
    assert "ไม่เกิน 1" in page and "คูณคะแนนด้วย 100" in page and "94.17" in page  # the fix, with its example
    assert world.y2564.scores() == before  # nothing changed


def test_a_year_mismatch_names_no_command_line_option(world: World) -> None:
    body = "fiscal_year: 2565\nindicators: {" + ", ".join(f"{n}: 90" for n in range(1, 11)) + "}\n"
    status, page = _import(world, "ผล.yaml", body.encode())
    assert status == 400
    assert "--year" not in page and "ปีงบประมาณ 2565" in page and "2564" in page


def test_fractions_typed_in_the_form_or_sent_to_the_api_are_refused(world: World) -> None:
    from prongsai.web.models import ApiToken

    before = world.y2564.scores()
    url = reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564})
    response = world.client("owner").post(url, {f"i{n}": "0.9" for n in range(1, 11)})
    assert response.status_code == 400 and "คูณคะแนนด้วย 100" in response.content.decode()
    token = ApiToken.issue(world.users["owner"], "t")[1]
    from django.test import Client

    api = Client(headers={"Authorization": f"Bearer {token}"}).put(
        f"/api/agencies/{world.agency.pk}/assessments/2564/results",
        {"scores": {str(n): 0.9 for n in range(1, 11)}},
        content_type="application/json",
    )
    assert api.status_code == 422 and "คูณคะแนนด้วย 100" in api.json()["detail"]
    assert world.y2564.scores() == before
