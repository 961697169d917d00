"""Tables: plain-text tables that line up with Thai text, and the one rule for a cell of an exported
spreadsheet (CSV or XLSX).

Thai tone marks and above/below vowels (Unicode category Mn) take no column of their own, so
``len()`` over-counts them; the width here is what a terminal actually draws.

Exported cells hold an agency's own text (URLs, explanations, names). A spreadsheet program runs a cell that
begins with = + - @ (or a tab or carriage return before one) as a formula (=HYPERLINK to a tracking site,
+cmd|… to a program: "CSV injection"), so every CSV and XLSX writer passes its cells through
:func:`spreadsheet_cell`, which prefixes such text with a single quote (OWASP's rule) and leaves numbers as
numbers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TypeVar

__all__ = ["FORMULA_STARTS", "display_width", "render_table", "spreadsheet_cell", "spreadsheet_row"]

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
