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
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from prongsai.scoring import ScoreResult
from prongsai.thai import format_score, to_thai_digits

__all__ = ["FONT_DIR", "indicator_chart"]

FONT_DIR = Path(fontpkg_sarabun.__file__).parent / "files"
BELOW, ABOVE, PASS = "#c0392b", "#2e6da4", "#1e8449"


@functools.cache
def _font_family() -> str:
    for path in FONT_DIR.glob("Sarabun-*.ttf"):
        font_manager.fontManager.addfont(str(path))
    return "Sarabun"


def indicator_chart(result: ScoreResult, *, thai_digits: bool = True, dpi: int = 200) -> bytes:
    family = _font_family()
    rows = list(reversed(result.indicators))  # first indicator on top
    mark = result.framework.pass_mark
    figure = Figure(figsize=(6.3, 3.6), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(
        range(len(rows)), [i.score for i in rows], color=[BELOW if i.score < mark else ABOVE for i in rows], height=0.62
    )
    axes.axvline(mark, color=PASS, linestyle="--", linewidth=1.2)
    digits = to_thai_digits if thai_digits else str
    labels = [f"{digits(str(i.number))}. {i.label_th}" for i in rows]
    axes.text(mark, len(rows) - 0.35, f"เกณฑ์ {digits(f'{mark:g}')}", color=PASS, fontsize=8, ha="center", family=family)
    for bar, indicator in zip(bars, rows, strict=True):
        axes.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            format_score(indicator.score, thai_digits=thai_digits),
            va="center",
            fontsize=8,
            family=family,
        )
    axes.set_yticks(range(len(rows)), labels, fontsize=8.5, family=family)
    axes.set_xlim(0, 108)
    axes.set_xticks(range(0, 101, 20), [digits(str(x)) for x in range(0, 101, 20)], fontsize=8, family=family)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
