"""The procurement dataset and its two documents: the monthly แบบ สขร. ๑ and the annual summary.

Data in: the example workbook in the form's own layout (title lines, the form's headings, column numbers,
Thai digits in half the rows, dates typed both ways), a CSV headed by the dataset's labels; bad rows refused
naming the sheet's row, the field and the fix. Out: DOCX and PDF (LibreOffice), the PDF's text layer, and the
checker's verdict on each PDF served on 127.0.0.1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from prongsai.errors import InputError
from prongsai.inputfiles import SMALL_LIMITS, read_rows
from prongsai.kit import make
from prongsai.kit.base import ComposeOptions, DatasetData, Para, Table
from prongsai.kit.files import load_dataset_file
from prongsai.kit.kinds.procurement import (
    EBIDDING,
    SPECIFIC,
    by_method,
    form_rows,
    method_of,
    month_rows,
)
from prongsai.kit.render import docx_bytes, pdf_bytes
from prongsai.kit.tally import baht, digits_of
from prongsai.kit.validate import parse_dataset, rows_from_table
from prongsai.thai import to_thai_digits

from .statdocs import EXAMPLES, assert_verdicts, doc_texts, needs_pdf_tools, pdf_text, shifted, torn_lines, unspaced

AGENCY = "องค์การบริหารส่วนตำบลหนองบัว"


def _from_table(path: Path, year: int = 2569) -> DatasetData:
    first, rows = form_rows(read_rows(path, SMALL_LIMITS))
    return parse_dataset("procurement", {"rows": rows}, fiscal_year=year, agency_name=AGENCY, first_row=first)


@pytest.fixture(scope="module")
def example() -> DatasetData:
    return _from_table(EXAMPLES / "procurement.xlsx")


# ---- data in ---------------------------------------------------------------------------------------------


def test_the_forms_workbook_is_read_with_its_own_headings(example: DatasetData) -> None:
    """15 rows under 3 title lines, the headings and the (๑)…(๙) row; the combined cells are split and the
    Thai-digit rows read as the Arabic ones."""
    assert len(example.rows) == 15
    second = example.rows[1]  # typed with Thai digits and a named date (๑๕ ต.ค. ๒๕๖๘)
    assert second["budget"] == Decimal("38000.00")
    assert second["contract_price"] == Decimal("37500.00")
    assert second["winner"] == "อู่ช่างเอกการช่าง"
    assert second["contract_date"] == dt.date(2025, 10, 15)
    assert second["method"] == SPECIFIC
    fifth = example.rows[4]
    assert fifth["method"] == EBIDDING  # typed "e-bidding"
    assert fifth["contract_no"] == "สัญญาจ้างเลขที่ 1/2569"
    assert fifth["reference_price"] == Decimal("1948500.00")
    assert example.rows[2]["contract_date"] == dt.date(2025, 11, 4)  # typed 4/11/2568


def test_a_csv_headed_by_the_datasets_labels_with_thai_digits_and_be_dates(tmp_path: Path) -> None:
    labels = "งานที่จัดซื้อหรือจัดจ้าง,วงเงินที่จัดซื้อหรือจ้าง (บาท),ราคากลาง (บาท),วิธีซื้อหรือจ้าง,"
    labels += "รายชื่อผู้เสนอราคาและราคาที่เสนอ,ผู้ได้รับการคัดเลือก,ราคาที่ตกลงซื้อหรือจ้าง (บาท),"
    labels += "เหตุผลที่คัดเลือกโดยสรุป,เลขที่สัญญาหรือข้อตกลง,วันที่ของสัญญาหรือข้อตกลง"
    row = '"จัดซื้อวัสดุสำนักงาน","๑๒,๕๐๐.๕๐",,วิธีเฉพาะเจาะจง,"ร้านก ๑๒,๕๐๐.๕๐ บาท",ร้านก,๑๒๕๐๐.๕๐,ราคาเหมาะสม,๑/๒๕๖๙,๓/๑๐/๒๕๖๘'
    path = tmp_path / "list.csv"
    path.write_text(labels + "\n" + row + "\n", encoding="utf-8")
    for rows, first in ((rows_from_table("procurement", path), 2), form_rows(read_rows(path, SMALL_LIMITS))[::-1]):
        data = parse_dataset("procurement", {"rows": rows}, fiscal_year=2569, agency_name=AGENCY, first_row=first)
        (only,) = data.rows
        assert only["budget"] == Decimal("12500.50")
        assert only["reference_price"] is None
        assert only["contract_date"] == dt.date(2025, 10, 3)


def _workbook_with(tmp_path: Path, row: int, column: int, value: str) -> Path:
    book = openpyxl.load_workbook(EXAMPLES / "procurement.xlsx")
    book.active.cell(row=row, column=column, value=value)
    path = tmp_path / "bad.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("column", "value", "field", "fix"),
    [
        (3, "สามหมื่นบาท", "วงเงินที่จัดซื้อหรือจ้าง (บาท)", "15,000.50"),
        (5, "วิธีพิเศษ", "วิธีซื้อหรือจ้าง", "วิธีเฉพาะเจาะจง"),
        (9, "ใบสั่งซื้อเลขที่ 9/2569\nลงวันที่ 9/9/2025", "วันที่ของสัญญาหรือข้อตกลง", "ปีพุทธศักราช"),
        (2, "", "งานที่จัดซื้อหรือจัดจ้าง", "ต้องกรอก"),
    ],
)
def test_a_bad_row_is_refused_naming_the_sheets_row_the_field_and_the_fix(
    tmp_path: Path, column: int, value: str, field: str, fix: str
) -> None:
    """Row 9 of the sheet is the 4th procurement (3 title lines, the headings, the column numbers)."""
    with pytest.raises(InputError) as caught:
        _from_table(_workbook_with(tmp_path, 9, column, value))
    assert (caught.value.row, caught.value.field) == (9, field)
    assert fix in caught.value.reason


def test_a_workbook_without_the_forms_headings_is_refused_in_thai(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("ชื่อ,จำนวน\nก,1\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("แบบ สขร. ๑")):
        form_rows(read_rows(path, SMALL_LIMITS))


def test_methods_as_agencies_write_them() -> None:
    assert method_of("e-bidding") == EBIDDING
    assert method_of("ประกาศเชิญชวนทั่วไป (e-bidding)") == EBIDDING
    assert method_of(" เฉพาะเจาะจง ") == SPECIFIC
    assert method_of("วิธีพิเศษ") == "วิธีพิเศษ"  # left for the validator to refuse with the list


# ---- numbers ---------------------------------------------------------------------------------------------


def test_baht_is_decimal_half_up_with_separators() -> None:
    d = digits_of(True)
    assert baht(Decimal("2.675"), d) == "๒.๖๘"  # a float 2.675 is 2.67499…: rounds down
    assert baht(Decimal("1234567.5"), d) == "๑,๒๓๔,๕๖๗.๕๐"
    assert baht(Decimal("0.1") + Decimal("0.2"), digits_of(False)) == "0.30"


def test_totals_are_exact_sums_of_the_rows(example: DatasetData) -> None:
    """The annual table's total is the Decimal sum of the rows, to the satang (prices like .10 + .20 that a
    float sum misses)."""
    rows = [dict(r) for r in example.rows]
    for k, row in enumerate(rows):
        row["contract_price"] = row["contract_price"] + Decimal("0.10") * (k % 3)
    data = DatasetData("procurement", 2569, AGENCY, rows=tuple(rows))
    expected = sum((r["contract_price"] for r in rows), Decimal(0))
    doc = make("procurement_annual", data)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables[0].total is not None and tables[0].total[4] == baht(expected, digits_of(True))
    assert sum(t.contract for t in by_method(rows)) == expected
    assert expected == Decimal("4168971.50")  # summed by hand: 4,168,970 + 15 × 0.10


def test_the_month_is_chosen_by_contract_date(example: DatasetData) -> None:
    december = month_rows(example, 12)
    assert [r["item"] for r in december] == ["ก่อสร้างถนนคอนกรีตเสริมเหล็ก สายบ้านโนนสูง หมู่ที่ 3"]
    assert len(month_rows(example, 10)) == 2
    doc = make("procurement_monthly", example, ComposeOptions(month=12))
    assert "สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือนธันวาคม พ.ศ. ๒๕๖๘" in doc.subtitle[0]
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(table.rows) == 1 and table.rows[0][2] == "๑,๙๕๐,๐๐๐.๐๐"
    assert doc.landscape


def test_a_month_without_procurement_says_so_in_a_sentence(example: DatasetData) -> None:
    doc = make("procurement_monthly", example, ComposeOptions(month=2))
    assert not [b for b in doc.blocks if isinstance(b, Table)]
    (para,) = [b for b in doc.blocks if isinstance(b, Para)]
    assert para.text.startswith(f"ในรอบเดือนกุมภาพันธ์ พ.ศ. ๒๕๖๙ {AGENCY} ไม่มีการจัดซื้อจัดจ้าง")


def test_the_annual_summary_drafts_from_the_numbers(example: DatasetData) -> None:
    text = "\n".join(doc_texts(make("procurement_annual", example)))
    assert "รายงานสรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุของหน่วยงาน" in text
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๙" in text
    assert "การจัดซื้อจัดจ้างส่วนใหญ่ใช้วิธีเฉพาะเจาะจง จำนวน ๑๐ รายการ คิดเป็นร้อยละ ๖๖.๖๗" in text
    assert "ประหยัดงบประมาณได้" in text
    assert "ผู้ประกอบการ" not in text  # the header's own problems are not in this dataset
    assert "ปัญหาและอุปสรรค" in text and "ข้อเสนอแนะ" in text


# ---- documents out ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(example: DatasetData) -> Iterator[dict[str, tuple[bytes, str, int]]]:
    """name → (PDF, item, framework year): each right document and the same made for the wrong year."""
    last_year = shifted(example, -1)
    yield {
        "monthly": (pdf_bytes(make("procurement_monthly", example, ComposeOptions(month=12))), "O11", 2569),
        "monthly-empty": (pdf_bytes(make("procurement_monthly", example, ComposeOptions(month=2))), "O11", 2569),
        "monthly-wrong-year": (
            pdf_bytes(make("procurement_monthly", last_year, ComposeOptions(month=12))),
            "O11",
            2569,
        ),
        "annual": (pdf_bytes(make("procurement_annual", last_year)), "O12", 2569),
        "annual-wrong-year": (pdf_bytes(make("procurement_annual", example)), "O12", 2569),
    }


def test_docx_holds_the_forms_headings(example: DatasetData) -> None:
    data = docx_bytes(make("procurement_monthly", example, ComposeOptions(month=12)))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert 'w:orient="landscape"' in xml
    for heading in ("ราคากลาง", "เหตุผลที่คัดเลือกโดยสรุป", "ร่าง"):
        assert heading in xml


@needs_pdf_tools
@pytest.mark.parametrize("name", ["monthly", "monthly-empty", "annual"])
def test_pdf_text_layer(pdfs: dict[str, tuple[bytes, str, int]], name: str) -> None:
    text = pdf_text(pdfs[name][0])
    flat = unspaced(text)
    title = {"monthly": "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน", "monthly-empty": "รายเดือน"}
    assert unspaced(title.get(name, "รายงานสรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุของหน่วยงาน")) in flat
    assert "ปีงบประมาณพ.ศ.๒๕๖" in flat
    assert not torn_lines(text)
    assert "ร่าง" in flat
    # Thai digits throughout; the only Latin letters are the methods' e-bidding/e-market
    assert not [c for c in flat if c.isascii() and c.isdigit()]
    if name == "monthly":
        assert "๑,๖๙๐,๐๐๐.๐๐" in flat and "หจก.ศรีสมบูรณ์ก่อสร้าง" in flat
    if name == "monthly-empty":
        assert unspaced("ในรอบเดือนกุมภาพันธ์ พ.ศ. ๒๕๖๙") + unspaced(AGENCY) + "ไม่มีการจัดซื้อจัดจ้าง" in flat


@needs_pdf_tools
def test_the_checker_agrees(pdfs: dict[str, tuple[bytes, str, int]]) -> None:
    """FY2569 O11 (current year) and O12 (previous year): the kit's documents are ok, the same documents made
    for the wrong fiscal year out of date."""
    assert_verdicts(
        pdfs,
        {
            "monthly": "ok",
            "monthly-empty": "ok",
            "monthly-wrong-year": "out_of_date",
            "annual": "ok",
            "annual-wrong-year": "out_of_date",
        },
    )


def test_thai_digits_can_be_turned_off(example: DatasetData) -> None:
    doc = make("procurement_monthly", example, ComposeOptions(month=12, thai_digits=False))
    text = "\n".join(doc_texts(doc))
    assert "1,950,000.00" in text and to_thai_digits("1") not in text


def test_the_cli_file_reads_the_forms_workbook_beside_it(tmp_path: Path) -> None:
    """examples/kit/procurement.yaml names its rows_file: the form's workbook is read through the dataset's own
    reader, and a bad cell is refused with the row the sheet shows (row 12: the 7th procurement)."""
    data = load_dataset_file(EXAMPLES / "procurement.yaml")
    assert (data.fiscal_year, len(data.rows), data.header["signer_name"]) == (2569, 15, "นางสาวสมใจ ใจดี")
    assert "ผู้ประกอบการในพื้นที่" in "\n".join(doc_texts(make("procurement_annual", data)))
    (tmp_path / "procurement.yaml").write_text((EXAMPLES / "procurement.yaml").read_text(encoding="utf-8"))
    bad = _workbook_with(tmp_path, 12, 4, "ไม่มี")
    bad.rename(tmp_path / "procurement.xlsx")
    with pytest.raises(InputError) as caught:
        load_dataset_file(tmp_path / "procurement.yaml")
    assert (caught.value.file, caught.value.row, caught.value.field) == ("procurement.xlsx", 12, "ราคากลาง (บาท)")


def test_without_a_month_the_last_month_with_procurement_is_made(example: DatasetData) -> None:
    doc = make("procurement_monthly", example)
    assert doc.subtitle[0].endswith("ในรอบเดือนมิถุนายน พ.ศ. ๒๕๖๙")  # the last contract: 24 June 2569
    with pytest.raises(ValueError, match="1 ถึง 12"):
        make("procurement_monthly", example, ComposeOptions(month=13))


def test_the_form_saved_as_csv_reads_as_the_workbook(tmp_path: Path, example: DatasetData) -> None:
    """The same form saved from Excel as CSV (UTF-8), through rows_from_table as the CLI and the web read it."""
    path = tmp_path / "sor-kor-ror-1.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(read_rows(EXAMPLES / "procurement.xlsx", SMALL_LIMITS))
    rows = rows_from_table("procurement", path)
    data = parse_dataset("procurement", {"rows": rows}, fiscal_year=2569, agency_name=AGENCY)
    assert data.rows == example.rows
