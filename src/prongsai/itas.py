"""The OIT answer sheet in the shape ITAS asks for: per item, its answer (มี/ไม่มี), URL(s) and explanation."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from prongsai._table import spreadsheet_row
from prongsai.framework import Framework

__all__ = ["HEADERS", "ItasAnswer", "itas_csv", "itas_rows", "itas_xlsx"]

HEADERS = ("ข้อ", "ตัวชี้วัดย่อย", "หัวข้อ", "คำตอบ", "URL", "คำอธิบายเพิ่มเติม")


@dataclass(frozen=True)
class ItasAnswer:
    answer: bool | None  # None: not answered yet
    urls: Sequence[str] = ()
    explanation: str = ""


def itas_rows(framework: Framework, answers: Mapping[str, ItasAnswer]) -> list[list[str]]:
    """One row per item of the framework, in item order; unanswered items keep an empty answer."""
    rows = []
    for sub in framework.oit.sub_indicators:
        for item in sub.items:
            given = answers.get(item.code, ItasAnswer(None))
            answer = "" if given.answer is None else ("มี" if given.answer else "ไม่มี")
            rows.append([item.code, sub.label_th, item.title_th, answer, "\n".join(given.urls), given.explanation])
    return rows


def itas_csv(framework: Framework, answers: Mapping[str, ItasAnswer]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel on a government PC shows the Thai text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(spreadsheet_row(row) for row in itas_rows(framework, answers))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def itas_xlsx(framework: Framework, answers: Mapping[str, ItasAnswer], title: str = "") -> bytes:
    """A formatted workbook: a title row, bold headers, wrapped text and fixed column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"OIT {framework.fiscal_year}"
    sheet.append([title or f"แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ปีงบประมาณ พ.ศ. {framework.fiscal_year}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for values in itas_rows(framework, answers):
        sheet.append(spreadsheet_row(values))
    for column, width in zip("ABCDEF", (7, 12, 55, 9, 45, 50), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
