"""The complaints log and its statistics document (ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ).

The complainant is never in the log and nothing of a single case is in the document: the tests look for every
case's subject in every text the document prints and in its PDF's text layer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from prongsai.errors import InputError
from prongsai.kit import dataset, make
from prongsai.kit.base import ComposeOptions, DatasetData, Table
from prongsai.kit.files import load_dataset_file
from prongsai.kit.kinds.complaints import CORRUPTION, check_rows, summarize
from prongsai.kit.render import docx_bytes, pdf_bytes

from .statdocs import EXAMPLES, assert_verdicts, doc_texts, needs_pdf_tools, pdf_text, shifted, torn_lines, unspaced


@pytest.fixture(scope="module")
def example() -> DatasetData:
    return load_dataset_file(EXAMPLES / "complaints.yaml")


def _with_rows(data: DatasetData, *changes: dict[str, Any]) -> DatasetData:
    rows = [dict(r) for r in data.rows]
    for k, change in enumerate(changes):
        rows[k].update(change)
    return dataclasses.replace(data, rows=tuple(rows))


def test_the_log_has_no_field_for_who_complained() -> None:
    spec = dataset("complaints")
    """Exactly these fields: adding one (a name, a telephone, an address) must be a decision this test shows."""
    names = [f.name for f in (*spec.header, *spec.rows) if f.name not in ("signer_name", "signer_position")]
    assert names == ["received", "channel", "kind", "subject", "status", "closed"]


def test_counts_and_days_to_close(example: DatasetData) -> None:
    s = summarize(example)
    assert s.total == 8
    assert s.by_kind == {CORRUPTION: 3, "เรื่องร้องเรียนทั่วไป": 5}
    assert s.by_status == {"รับเรื่อง": 1, "อยู่ระหว่างดำเนินการ": 1, "ดำเนินการแล้วเสร็จ": 5, "ยุติเรื่อง": 1}
    # 7 + 44 + 7 + 2 + 25 + 39 days, counted by hand from the example's dates
    assert sorted(s.days) == [2, 7, 7, 25, 39, 44]
    assert s.mean_days == Decimal("20.7")
    assert [n for _, n, _ in s.by_month] == [1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1]


def test_the_document_says_the_numbers_in_sentences(example: DatasetData) -> None:
    doc = make("complaint_stats", example)
    text = "\n".join(doc_texts(doc))
    assert doc.title == "ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘" in doc.subtitle
    assert "ได้รับเรื่องร้องเรียนทั้งหมด ๘ เรื่อง เป็นเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ ๓ เรื่อง" in text
    assert "ใช้เวลาดำเนินการเฉลี่ย ๒๐.๗ วัน" in text and "ใช้เวลานานที่สุด ๔๔ วัน" in text
    (kinds, channels, months) = [b for b in doc.blocks if isinstance(b, Table)]
    assert kinds.total == ("รวม", "๘", "๑", "๑", "๕", "๑")
    assert len(months.rows) == 12 and months.total == ("รวม", "๘", "๓")
    assert [r[0] for r in channels.rows][:2] == ["เว็บไซต์", "โทรศัพท์"] and channels.rows[0][1:] == ("๒", "๒๕.๐๐")


def test_no_text_of_any_case_is_printed(example: DatasetData) -> None:
    texts = doc_texts(make("complaint_stats", example))
    subjects = [str(r["subject"]) for r in example.rows]
    assert not [s for s in subjects for t in texts if s in t or unspaced(s) in unspaced(t)]


def test_a_year_without_complaints_says_so() -> None:
    empty = DatasetData("complaints", 2568, "องค์การบริหารส่วนตำบลหนองบัว")
    doc = make("complaint_stats", empty)
    assert not [b for b in doc.blocks if isinstance(b, Table)]
    assert "ในปีงบประมาณ พ.ศ. ๒๕๖๘ องค์การบริหารส่วนตำบลหนองบัว ไม่มีเรื่องร้องเรียน" in doc_texts(doc)[3]


def test_no_corruption_complaint_is_said_in_words(example: DatasetData) -> None:
    general = dataclasses.replace(example, rows=tuple(r for r in example.rows if r["kind"] != CORRUPTION))
    text = "\n".join(doc_texts(make("complaint_stats", general)))
    assert "ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ" in text


@pytest.mark.parametrize(
    ("change", "fix"),
    [
        ({"closed": dt.date(2024, 10, 1)}, "อยู่ก่อนวันที่รับเรื่อง"),
        ({"status": "อยู่ระหว่างดำเนินการ"}, "ให้เปลี่ยนสถานะ"),
    ],
)
def test_a_closing_date_that_cannot_be_is_refused_naming_the_row(
    example: DatasetData, change: dict[str, Any], fix: str
) -> None:
    bad = _with_rows(example, {}, change)  # the second complaint
    with pytest.raises(InputError) as caught:
        check_rows(bad)
    assert (caught.value.row, caught.value.field) == (2, "วันที่ดำเนินการแล้วเสร็จหรือยุติเรื่อง")
    assert fix in caught.value.reason


def test_a_bad_value_in_the_file_names_row_field_and_fix(tmp_path: Any) -> None:
    text = (EXAMPLES / "complaints.yaml").read_text(encoding="utf-8").replace("channel: หนังสือ", "channel: ไปรษณีย์")
    path = tmp_path / "complaints.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_dataset_file(path)
    assert (caught.value.row, caught.value.field) == (5, "ช่องทางที่รับเรื่อง")
    assert "เว็บไซต์" in caught.value.reason  # the choices are listed


@pytest.fixture(scope="module")
def pdfs(example: DatasetData) -> Iterator[dict[str, tuple[bytes, str, int]]]:
    """FY2569 O18 covers the previous year: the FY2568 log is right, the FY2569 one (the current year's) is not."""
    on = ComposeOptions(on=dt.date(2025, 10, 20))
    yield {
        "stats": (pdf_bytes(make("complaint_stats", example, on)), "O18", 2569),
        "stats-wrong-year": (
            pdf_bytes(make("complaint_stats", shifted(example, 1), ComposeOptions(on=dt.date(2026, 10, 20)))),
            "O18",
            2569,
        ),
        "stats-fy2568-framework": (pdf_bytes(make("complaint_stats", shifted(example, -1))), "O19", 2568),
    }


def test_docx_out(example: DatasetData) -> None:
    assert docx_bytes(make("complaint_stats", example))[:2] == b"PK"


@needs_pdf_tools
def test_pdf_text_layer_has_the_title_digits_and_no_case(
    example: DatasetData, pdfs: dict[str, tuple[bytes, str, int]]
) -> None:
    text = pdf_text(pdfs["stats"][0])
    flat = unspaced(text)
    assert unspaced("ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ") in flat
    assert unspaced("ประจำปีงบประมาณ พ.ศ. ๒๕๖๘") in flat
    assert not [c for c in flat if c.isascii() and c.isdigit()]
    assert not torn_lines(text)
    assert not [r["subject"] for r in example.rows if unspaced(str(r["subject"])) in flat]


@needs_pdf_tools
def test_the_checker_agrees(pdfs: dict[str, tuple[bytes, str, int]]) -> None:
    assert_verdicts(
        pdfs,
        {
            "stats": "ok",
            "stats-wrong-year": "out_of_date",
            "stats-fy2568-framework": "ok",
        },
    )
