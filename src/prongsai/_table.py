"""Tables: plain-text tables that line up with Thai text, the one rule for a cell of an exported
spreadsheet (CSV or XLSX), and the one XLSX writer (:func:`xlsx_bytes`).

Thai tone marks and above/below vowels (Unicode category Mn) take no column of their own, so
``len()`` over-counts them; the width here is what a terminal actually draws.

Exported cells hold an agency's own text (URLs, explanations, names). A spreadsheet program runs a cell that
begins with = + - @ (or a tab or carriage return before one) as a formula (=HYPERLINK to a tracking site,
+cmd|… to a program: "CSV injection"), so every CSV and XLSX writer passes its cells through
:func:`spreadsheet_cell`, which prefixes such text with a single quote (OWASP's rule) and leaves numbers as
numbers.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = [
    "FORMULA_STARTS",
    "Sheet",
    "column_letter",
    "display_width",
    "render_table",
    "spreadsheet_cell",
    "spreadsheet_row",
    "xlsx_bytes",
]

# What a spreadsheet program reads as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = TypeVar("Cell")


def display_width(text: str) -> int:
    width = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Columns separated by two spaces; the columns numbered in ``right`` are right-aligned."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [
        "  ".join(_pad(cell, w, k in right) for k, (cell, w) in enumerate(zip(line, widths, strict=True))).rstrip()
        for line in [list(headers), *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def spreadsheet_cell(value: Cell) -> Cell | str:
    """Text that a spreadsheet would run as a formula, as text: a single quote in front. Anything else (numbers,
    dates, None, other text) is returned as it is, so numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(values: Iterable[Cell]) -> list[Cell | str]:
    """:func:`spreadsheet_cell` over one row, for ``csv.writer.writerow`` and openpyxl's ``append``."""
    return [spreadsheet_cell(value) for value in values]


@dataclass(frozen=True)
class Sheet:
    """One worksheet of an export: bold headers, then the rows (every cell through :func:`spreadsheet_cell`)."""

    title: str  # the tab's name (Excel allows 31 characters)
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    heading: str = ""  # a larger bold line above the headers (the document's title)
    widths: Sequence[float] = ()  # column widths from A, in characters
    wrap: bool = False  # long text wrapped, top-aligned, below the headers
    number_formats: Mapping[int, str] = field(default_factory=dict)  # column index → format, e.g. "0.00"


def column_letter(index: int) -> str:
    """A column's spreadsheet letters: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def xlsx_bytes(sheet: Sheet) -> bytes:
    """The workbook of one sheet, written row by row (an office's 8,300 agencies stay small in memory)."""
    from openpyxl import Workbook  # imported here: only exports pay for it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=True)
    out = book.create_sheet(sheet.title[:31])
    for k, width in enumerate(sheet.widths):
        out.column_dimensions[column_letter(k)].width = width
    if sheet.heading:
        title = WriteOnlyCell(out, value=sheet.heading)
        title.font = Font(bold=True, size=14)
        out.append([title])
    bold = Font(bold=True)
    headers = []
    for text in sheet.headers:
        cell = WriteOnlyCell(out, value=spreadsheet_cell(text))
        cell.font = bold
        headers.append(cell)
    out.append(headers)
    out.freeze_panes = f"A{3 if sheet.heading else 2}"
    if not sheet.wrap and not sheet.number_formats:
        for row in sheet.rows:
            out.append(spreadsheet_row(row))
    else:
        wrapped = Alignment(wrap_text=True, vertical="top")
        for row in sheet.rows:
            cells = []
            for k, value in enumerate(spreadsheet_row(row)):
                cell = WriteOnlyCell(out, value=value)
                if sheet.wrap:
                    cell.alignment = wrapped
                if k in sheet.number_formats:
                    cell.number_format = sheet.number_formats[k]
                cells.append(cell)
            out.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
