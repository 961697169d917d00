"""Plain-text tables that line up with Thai text.

Thai tone marks and above/below vowels (Unicode category Mn) take no column of their own, so
``len()`` over-counts them; the width here is what a terminal actually draws.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["display_width", "render_table"]


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
