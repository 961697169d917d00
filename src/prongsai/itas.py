"""The OIT answer sheet in the shape ITAS asks for: per item, its answer (มี/ไม่มี), URL(s) and explanation."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from prongsai._table import Sheet, spreadsheet_row, xlsx_bytes
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
    heading = title or f"แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ปีงบประมาณ พ.ศ. {framework.fiscal_year}"
    rows = itas_rows(framework, answers)
    sheet = Sheet(f"OIT {framework.fiscal_year}", HEADERS, rows, heading, widths=(7, 12, 55, 9, 45, 50), wrap=True)
    return xlsx_bytes(sheet)
