"""The bar chart of the 10 indicators against the pass mark, as a PNG for the documents.

matplotlib 3.11 is the first to shape Thai (libraqm); earlier versions drop or stack tone marks.
The font is the bundled Sarabun (OFL), so the chart looks the same on a machine without Thai fonts.
The object API (Figure + FigureCanvasAgg) is used instead of pyplot, so that threads may draw at once.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import fontpkg_sarabun
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from prongsai.numbers import format_score
from prongsai.report import thai_list
from prongsai.scoring import ScoreResult
from prongsai.thai import to_thai_digits

__all__ = ["FONT_DIR", "chart_description", "draw_chart", "indicator_chart"]

FONT_DIR = Path(fontpkg_sarabun.__file__).parent / "files"
BELOW, ABOVE, PASS = "#c0392b", "#2e6da4", "#1e8449"
# Red and blue print as the same grey: an indicator below the mark is told apart by its hatching (white bar,
# dark diagonal lines), not by colour alone; every bar also carries its score, and a legend says which is which.
BELOW_HATCH = "////"


@functools.cache
def _font_family() -> str:
    for path in FONT_DIR.glob("Sarabun-*.ttf"):
        font_manager.fontManager.addfont(str(path))
    return "Sarabun"


def chart_description(result: ScoreResult, *, thai_digits: bool = True) -> str:
    """The chart in words, for the picture's alternative text (what a screen reader says, what a search finds)."""
    digits = to_thai_digits if thai_digits else str
    mark = result.framework.pass_mark
    scores = " ".join(f"{i.label_th} {format_score(i.score, thai_digits=thai_digits)}" for i in result.indicators)
    below = [i.label_th for i in result.indicators if i.score < mark]
    verdict = f"ตัวชี้วัดที่ต่ำกว่าเกณฑ์ ได้แก่ {thai_list(below)}" if below else "ทุกตัวชี้วัดผ่านเกณฑ์"
    return (
        f"แผนภูมิแท่งแสดงคะแนนรายตัวชี้วัด {digits(str(len(result.indicators)))} ตัวชี้วัด"
        f" เทียบกับเกณฑ์ {digits(f'{mark:g}')} คะแนน: {scores} {verdict}"
    )


def indicator_chart(result: ScoreResult, *, thai_digits: bool = True, dpi: int = 200) -> bytes:
    """The chart as PNG: bars (hatched below the mark), each with its score, the dashed pass line and a legend."""
    buffer = io.BytesIO()
    draw_chart(result, thai_digits=thai_digits, dpi=dpi).savefig(buffer, format="png")
    return buffer.getvalue()


def draw_chart(result: ScoreResult, *, thai_digits: bool = True, dpi: int = 200) -> Figure:
    family = _font_family()
    rows = list(reversed(result.indicators))  # first indicator on top
    mark = result.framework.pass_mark
    figure = Figure(figsize=(6.3, 3.9), dpi=dpi)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    below = [i.score < mark for i in rows]
    bars = axes.barh(
        range(len(rows)),
        [i.score for i in rows],
        color=["white" if low else ABOVE for low in below],
        edgecolor=[BELOW if low else ABOVE for low in below],
        hatch=[BELOW_HATCH if low else "" for low in below],
        linewidth=0.8,
        height=0.62,
    )
    axes.axvline(mark, color=PASS, linestyle="--", linewidth=1.2, zorder=1)
    digits = to_thai_digits if thai_digits else str
    labels = [f"{digits(str(i.number))}. {i.label_th}" for i in rows]
    # Above the top bar and right of the line, so that the line never crosses it.
    axes.set_ylim(-0.6, len(rows) + 0.15)
    axes.text(
        mark + 1,
        len(rows) - 0.3,
        f"เกณฑ์ {digits(f'{mark:g}')} คะแนน",
        color=PASS,
        fontsize=8,
        ha="left",
        va="center",
        family=family,
    )
    for bar, indicator in zip(bars, rows, strict=True):
        y = bar.get_y() + bar.get_height() / 2
        axes.text(
            bar.get_width() + 1,
            y,
            format_score(indicator.score, thai_digits=thai_digits),
            va="center",
            fontsize=8,
            family=family,
        )
    axes.set_yticks(range(len(rows)), labels, fontsize=8.5, family=family)
    axes.set_xlim(0, 110)
    axes.set_xticks(range(0, 101, 20), [digits(str(x)) for x in range(0, 101, 20)], fontsize=8, family=family)
    axes.spines[["top", "right"]].set_visible(False)
    legend = [
        Patch(facecolor=ABOVE, edgecolor=ABOVE, label=f"ได้ {digits(f'{mark:g}')} คะแนนขึ้นไป"),
        Patch(facecolor="white", edgecolor=BELOW, hatch=BELOW_HATCH, label=f"ต่ำกว่า {digits(f'{mark:g}')} คะแนน"),
    ]
    figure.legend(handles=legend, loc="lower center", ncols=2, frameon=False, prop={"family": family, "size": 8})
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    _clear_of_the_line(axes, mark, canvas)
    return figure


def _clear_of_the_line(axes: Axes, mark: float, canvas: FigureCanvasAgg) -> None:
    """A score written across the pass line (a bar just below the mark) moves to the line's right."""
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    line = axes.transData.transform((mark, 0))[0]
    for text in axes.texts:
        box = text.get_window_extent(renderer)
        if box.x0 - 2 < line < box.x1 + 2:
            text.set_x(mark + 1)
