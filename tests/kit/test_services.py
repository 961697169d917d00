"""Service statistics and the satisfaction report: the examples' files in, the numbers computed once and by
hand here, rows the types cannot refuse refused by row and field, DOCX/PDF out, and the checker's verdicts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from prongsai.errors import InputError
from prongsai.kit import make
from prongsai.kit.base import ComposeOptions, DatasetData, Table
from prongsai.kit.files import load_dataset_file
from prongsai.kit.kinds.services import (
    QuestionResult,
    check_services,
    level_of,
    question_results,
    satisfaction_rows,
    service_totals,
)
from prongsai.kit.render import docx_bytes, pdf_bytes
from prongsai.kit.validate import parse_dataset

from .statdocs import EXAMPLES, assert_verdicts, doc_texts, needs_pdf_tools, pdf_text, shifted, torn_lines, unspaced

AGENCY = "องค์การบริหารส่วนตำบลหนองบัว"


@pytest.fixture(scope="module")
def services() -> DatasetData:
    return load_dataset_file(EXAMPLES / "services.yaml")


@pytest.fixture(scope="module")
def satisfaction() -> DatasetData:
    return load_dataset_file(EXAMPLES / "satisfaction.yaml")


# ---- service statistics ----------------------------------------------------------------------------------


def test_totals_per_service_and_month(services: DatasetData) -> None:
    totals = service_totals(services)
    assert [t.service for t in totals][:2] == ["การรับชำระภาษีที่ดินและสิ่งปลูกสร้าง", "การขออนุญาตก่อสร้างอาคาร"]
    assert sum(t.total for t in totals) == sum(r["count"] for r in services.rows)
    assert sum(t.online for t in totals) == sum(r["online"] for r in services.rows)
    tax = totals[0]
    assert tax.per_month[0] == 50  # ต.ค. 2567, the file's first row


def test_a_small_year_by_hand() -> None:
    rows = [
        {"service": "งานทะเบียน", "month": "ต.ค. 2567", "count": "10", "online": "๔"},
        {"service": "งานทะเบียน", "month": "๙/๒๕๖๘", "count": "๕"},
        {"service": "งานภาษี", "month": "2568-02", "count": "7", "online": "7"},
    ]
    data = parse_dataset("services", {"rows": rows}, fiscal_year=2568, agency_name=AGENCY)
    doc = make("service_stats", data)
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert table.rows[0] == ("งานทะเบียน", "๑๐", *["๐"] * 10, "๕", "๑๕", "๔")
    assert table.total is not None and table.total[-2:] == ("๒๒", "๑๑")
    text = "\n".join(doc_texts(doc))
    assert "รวมทั้งสิ้น ๒๒ ครั้ง เป็นการให้บริการออนไลน์ ๑๑ ครั้ง คิดเป็นร้อยละ ๕๐.๐๐" in text
    assert "เดือนที่มีการให้บริการมากที่สุด คือ เดือนตุลาคม" in text
    assert doc.title == "ข้อมูลสถิติการให้บริการ" and doc.landscape


@pytest.mark.parametrize(
    ("change", "field", "fix"),
    [
        ({"online": 999}, "ในจำนวนนี้ให้บริการออนไลน์", "ไม่เกินจำนวนทั้งหมด"),
        ({"month": dt.date(2025, 10, 1)}, "เดือน", "ไม่อยู่ในปีงบประมาณ พ.ศ. 2568"),
        ({"month": dt.date(2024, 10, 1)}, "งานบริการ", "มีอยู่แล้วที่แถว 1"),
    ],
)
def test_rows_the_types_cannot_refuse_are_refused_by_row(
    services: DatasetData, change: dict[str, Any], field: str, fix: str
) -> None:
    rows = [dict(r) for r in services.rows]
    rows[1].update(change)  # the second row: พ.ย. 2567 of the first service
    with pytest.raises(InputError) as caught:
        check_services(dataclasses.replace(services, rows=tuple(rows)))
    assert (caught.value.row, caught.value.field) == (2, field)
    assert fix in caught.value.reason


# ---- satisfaction ----------------------------------------------------------------------------------------


def test_answers_become_rows_and_results() -> None:
    rows = satisfaction_rows({"ความสะดวก": [5, 5, 4, 3], "ระยะเวลา": [2, 3, 4, 1, 5], "ไม่มีผู้ตอบ": []})
    assert rows[0] == {"question": "ความสะดวก", "level5": 2, "level4": 1, "level3": 1, "level2": 0, "level1": 0}
    results = [QuestionResult(str(r["question"]), {k: int(r[f"level{k}"]) for k in range(1, 6)}) for r in rows]
    assert [r.mean for r in results] == [Decimal("4.25"), Decimal("3.00"), Decimal(0)]  # 17/4, 15/5
    assert [r.satisfied for r in results] == [3, 2, 0]
    with pytest.raises(ValueError, match="นอกระดับ"):
        satisfaction_rows({"ข้อ": [6]})


def test_levels_of_a_mean() -> None:
    assert [level_of(Decimal(m)) for m in ("4.21", "4.20", "3.41", "3.40", "2.61", "1.81", "1.80")] == [
        "มากที่สุด",
        "มาก",
        "มาก",
        "ปานกลาง",
        "ปานกลาง",
        "น้อย",
        "น้อยที่สุด",
    ]


def test_the_report_names_the_lowest_scored_questions(satisfaction: DatasetData) -> None:
    results = question_results(satisfaction)
    # E-Service: (28×5 + 44×4 + 31×3 + 9×2 + 3×1) / 115 = 430 / 115 = 3.739… → 3.74, the lowest;
    # the time taken: (35×5 + 51×4 + 29×3 + 7×2 + 2) / 124 = 482 / 124 = 3.887… → 3.89, the next
    assert [str(r.mean) for r in results] == ["4.31", "3.89", "4.02", "4.48", "3.74", "4.27"]
    text = "\n".join(doc_texts(make("satisfaction_report", satisfaction)))
    assert (
        "ประเด็นที่ได้คะแนนต่ำที่สุด คือ ความพึงพอใจต่อการให้บริการออนไลน์ (E-Service) (ค่าเฉลี่ย ๓.๗๔) "
        "และระยะเวลาการให้บริการมีความเหมาะสม (ค่าเฉลี่ย ๓.๘๙)"
    ) in text
    assert "ประเด็นที่ผู้รับบริการพึงพอใจมากที่สุด คือ เจ้าหน้าที่ให้บริการด้วยความสุภาพและเต็มใจ" in text
    assert "ระหว่างวันที่ ๑ กรกฎาคม ๒๕๖๘ ถึงวันที่ ๓๑ สิงหาคม ๒๕๖๘" in text
    assert "มีผู้ตอบแบบสำรวจ ๑๒๔ คน" in text


def test_a_survey_that_ends_before_it_starts_is_refused(satisfaction: DatasetData) -> None:
    header = {**satisfaction.header, "survey_end": dt.date(2025, 6, 1)}
    with pytest.raises(InputError, match="อยู่ก่อนวันที่เริ่มสำรวจ"):
        make("satisfaction_report", dataclasses.replace(satisfaction, header=header))


# ---- documents out ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(services: DatasetData, satisfaction: DatasetData) -> Iterator[dict[str, tuple[bytes, str, int]]]:
    """Service statistics answer FY2568 O11 and the satisfaction report FY2567 O17, both on the previous year:
    the FY2567 and FY2566 datasets are right, those of the assessed year itself are not."""
    yield {
        "service": (pdf_bytes(make("service_stats", shifted(services, -1))), "O11", 2568),
        "service-wrong-year": (pdf_bytes(make("service_stats", services)), "O11", 2568),
        "satisfaction": (
            pdf_bytes(make("satisfaction_report", shifted(satisfaction, -2), ComposeOptions(on=dt.date(2023, 10, 15)))),
            "O17",
            2567,
        ),
        "satisfaction-wrong-year": (pdf_bytes(make("satisfaction_report", shifted(satisfaction, -1))), "O17", 2567),
    }


def test_docx_out(services: DatasetData, satisfaction: DatasetData) -> None:
    assert docx_bytes(make("service_stats", services))[:2] == b"PK"
    assert docx_bytes(make("satisfaction_report", satisfaction))[:2] == b"PK"


@needs_pdf_tools
@pytest.mark.parametrize(
    ("name", "title", "year"),
    [
        ("service", "ข้อมูลสถิติการให้บริการ", "๒๕๖๗"),
        ("satisfaction", "รายงานผลการสำรวจความพึงพอใจการให้บริการ", "๒๕๖๖"),
    ],
)
def test_pdf_text_layer(pdfs: dict[str, tuple[bytes, str, int]], name: str, title: str, year: str) -> None:
    text = pdf_text(pdfs[name][0])
    flat = unspaced(text)
    assert unspaced(title) in flat
    assert unspaced(f"ประจำปีงบประมาณ พ.ศ. {year}") in flat
    assert not [c for c in flat if c.isascii() and c.isdigit()]
    assert not torn_lines(text)


@needs_pdf_tools
def test_the_checker_agrees(pdfs: dict[str, tuple[bytes, str, int]]) -> None:
    assert_verdicts(
        pdfs,
        {
            "service": "ok",
            "service-wrong-year": "out_of_date",
            "satisfaction": "ok",
            "satisfaction-wrong-year": "out_of_date",
        },
    )
