"""The oversight dashboard's charts: geometry computed here, drawn by the templates as inline SVG."""

from __future__ import annotations

from typing import Any

from prongsai.frameworks import get_framework
from prongsai.oversight import TrendPoint, YearSummary

from .assessment import indicator_bars

SMALL_CHART_WIDTH = 440  # the histogram and grades: half a desktop card, a whole phone


def histogram_chart(summary: YearSummary) -> dict[str, Any]:
    """Bars of agencies per score range; ticks at the range edges (0, 50, 55 … 100), so labels never crowd."""
    width, left, top, plot_height = SMALL_CHART_WIDTH, 14, 18, 150
    bins = summary.histogram
    slot = (width - 2 * left) / len(bins)
    peak = max(b.count for b in bins) or 1
    bars = []
    for k, b in enumerate(bins):
        height = plot_height * b.count / peak
        x = left + k * slot
        bars.append(
            {
                "x": x + 2,
                "width": slot - 4,
                "y": top + plot_height - height,
                "height": height,
                "count": b.count,
                "label": b.label,
                "mid": x + slot / 2,
                "passing": b.low >= summary.pass_mark,
            }
        )
    ticks = [{"x": left + k * slot, "label": f"{edge:g}"} for k, edge in enumerate((*[b.low for b in bins], 100))]
    edge = next((k for k, b in enumerate(bins) if b.low >= summary.pass_mark), len(bins))
    return {
        "bars": bars,
        "ticks": ticks,
        "width": width,
        "height": top + plot_height + 44,
        "base": top + plot_height,
        "label_y": top + plot_height + 17,
        "axis_y": top + plot_height + 38,
        "left": left,
        "right": width - left,
        "pass_x": left + edge * slot,
        "pass_mark": summary.pass_mark,
        "top": top - 8,
    }


def grade_chart(summary: YearSummary) -> dict[str, Any]:
    """Agencies per level: the rating words where the year publishes them (from FY2566), else grades AA–F."""
    row = 28
    levels: list[tuple[str, int, float, bool]]
    if summary.ratings_published:
        label_width = 150  # ต้องปรับปรุงโดยด่วน
        levels = [
            (r.rating.label_th, r.count, r.share, r.rating.min_total >= summary.pass_mark) for r in summary.ratings
        ]
    else:
        label_width = 40
        bands = get_framework(summary.fiscal_year).grades
        levels = [
            (g.grade, g.count, g.share, band.min >= summary.pass_mark)
            for g, band in zip(summary.grades, bands, strict=True)
        ]
    scale_width = SMALL_CHART_WIDTH - label_width - 110
    peak = max(count for _, count, _, _ in levels) or 1
    bars = [
        {
            "label": label,
            "y": 8 + k * row,
            "width": scale_width * count / peak,
            "count": count,
            "share": share,
            "passing": passing,
        }
        for k, (label, count, share, passing) in enumerate(levels)
    ]
    return {"bars": bars, "width": SMALL_CHART_WIDTH, "height": 16 + len(bars) * row, "label_width": label_width}


def indicator_chart(summary: YearSummary, previous: TrendPoint | None) -> dict[str, Any]:
    """The office's indicator means, drawn like the analysis page's chart, with last year's means."""
    indicators = [(i.number, i.name_th, i.mean) for i in summary.indicators]
    return indicator_bars(indicators, list(previous.indicator_means) if previous else None, summary.pass_mark)


def trend_chart(points: list[TrendPoint], pass_mark: float) -> dict[str, Any] | None:
    """Mean total and pass rate per year on one 0–100 axis (both are out of 100)."""
    if not points:
        return None
    left, right, top, plot_height = 34, 26, 20, 150
    pad = 22  # the first and last points keep their labels clear of the axis and the edge
    span = SMALL_CHART_WIDTH - left - right - 2 * pad
    step = span / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return top + plot_height * (1 - value / 100)

    xs = [left + pad + (k * step if len(points) > 1 else span / 2) for k in range(len(points))]
    mean = [{"x": x, "y": y(p.mean_total), "value": p.mean_total} for x, p in zip(xs, points, strict=True)]
    rate = [{"x": x, "y": y(p.pass_rate), "value": p.pass_rate} for x, p in zip(xs, points, strict=True)]
    return {
        "width": SMALL_CHART_WIDTH,
        "height": top + plot_height + 30,
        "left": left,
        "right": SMALL_CHART_WIDTH - right,
        "grid": [{"y": y(v), "value": v} for v in (0, 25, 50, 75, 100)],
        "pass_y": y(pass_mark),
        "pass_mark": pass_mark,
        "mean": mean,
        "rate": rate,
        "mean_line": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in mean),
        "rate_line": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in rate),
        "years": [{"x": x, "year": p.fiscal_year} for x, p in zip(xs, points, strict=True)],
        "year_y": top + plot_height + 22,
    }
