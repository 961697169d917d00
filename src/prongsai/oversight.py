"""Oversight: the numbers of many agencies' published results at once (a province, a district, the whole
country), pure Python over arrays (one row per agency), so that 8,300 agencies take milliseconds:
``summarize`` (histogram, grade counts, pass rate, indicator means and the share under the pass mark),
``trend`` (per year) and ``help_ranking`` — the agencies under the pass mark ranked by what help could
realistically add, with a short Thai reason each. Reading the published tables is ``prongsai.published``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from prongsai.framework import Framework, RatingBand
from prongsai.numbers import round_half_up_many
from prongsai.published import rating_indexes

__all__ = [
    "HISTOGRAM_EDGES",
    "Bin",
    "GradeCount",
    "HelpCandidate",
    "IndicatorStat",
    "RatingCount",
    "TrendPoint",
    "YearSummary",
    "help_ranking",
    "summarize",
    "trend",
]

FloatArray = npt.NDArray[np.float64]


# --- statistics ------------------------------------------------------------------------------------------

# Published totals gather between 50 and 100; 5-point bins put the pass mark 85 on an edge.
HISTOGRAM_EDGES: tuple[float, ...] = (0, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100)


@dataclass(frozen=True)
class Bin:
    low: float
    high: float  # exclusive, except for the last bin, which holds 100
    count: int

    @property
    def label(self) -> str:
        if self.low == 0:
            return f"<{self.high:g}"
        return f"{self.low:g}–{self.high:g}"


@dataclass(frozen=True)
class GradeCount:
    grade: str
    count: int
    share: float  # percent of the agencies


@dataclass(frozen=True)
class RatingCount:
    rating: RatingBand
    count: int
    share: float  # percent of the agencies


@dataclass(frozen=True)
class IndicatorStat:
    number: int
    name_th: str
    tool: str
    weight: float
    mean: float
    below: int  # agencies under the pass mark on this indicator
    below_share: float  # percent
    points_lost: float  # the mean of (100 − score) × weight, in total points

    @property
    def weak(self) -> bool:
        return self.below_share >= 50


@dataclass(frozen=True)
class YearSummary:
    fiscal_year: int
    pass_mark: float
    grades_published: bool
    agencies: int
    mean_total: float
    median_total: float
    min_total: float
    max_total: float
    passed: int
    pass_rate: float  # percent
    histogram: tuple[Bin, ...]
    grades: tuple[GradeCount, ...]  # best first; from the bands even in pass/fail years
    indicators: tuple[IndicatorStat, ...]  # 1–10
    ratings: tuple[RatingCount, ...] = ()  # best first; only where the year publishes rating words

    @property
    def ratings_published(self) -> bool:
        return bool(self.ratings)

    @property
    def weakest(self) -> tuple[IndicatorStat, ...]:
        """Lowest mean first (ties: the larger share under the pass mark, then the number)."""
        return tuple(sorted(self.indicators, key=lambda i: (round(i.mean, 9), -i.below_share, i.number)))


def _check_arrays(scores: FloatArray, totals: FloatArray) -> None:
    if scores.ndim != 2 or scores.shape[1] != 10 or totals.shape != (scores.shape[0],):
        raise ValueError(f"scores must be (agencies, 10) and totals (agencies,), got {scores.shape} and {totals.shape}")
    if scores.shape[0] == 0:
        raise ValueError("no agencies to summarize")


def summarize(framework: Framework, scores: FloatArray, totals: FloatArray) -> YearSummary:
    """The numbers of one fiscal year: ``scores`` is (agencies, 10), ``totals`` (agencies,), as published."""
    scores = np.asarray(scores, dtype=np.float64)
    totals = np.asarray(totals, dtype=np.float64)
    _check_arrays(scores, totals)
    n = len(totals)
    mark = framework.pass_mark
    counts, _ = np.histogram(totals, bins=np.asarray(HISTOGRAM_EDGES, dtype=np.float64))
    histogram = tuple(Bin(HISTOGRAM_EDGES[k], HISTOGRAM_EDGES[k + 1], int(c)) for k, c in enumerate(counts.tolist()))
    bands = framework.grades  # best first
    mins = np.asarray([b.min for b in reversed(bands)])
    band_index = len(bands) - np.searchsorted(mins, totals, side="right")  # index into bands
    grade_counts = np.bincount(band_index, minlength=len(bands))
    grades = tuple(
        GradeCount(b.grade, int(grade_counts[k]), 100 * int(grade_counts[k]) / n) for k, b in enumerate(bands)
    )
    below = (scores < mark).sum(axis=0)
    means = scores.mean(axis=0)
    indicators = tuple(
        IndicatorStat(
            number=i.number,
            name_th=i.name_th,
            tool=i.tool,
            weight=i.weight,
            mean=float(means[k]),
            below=int(below[k]),
            below_share=100 * int(below[k]) / n,
            points_lost=float((100 - means[k]) * i.weight / 100),
        )
        for k, i in enumerate(framework.indicators)
    )
    passed = int((totals >= mark).sum())
    ratings: tuple[RatingCount, ...] = ()
    if framework.has_ratings:
        rating_counts = np.bincount(rating_indexes(framework, scores, totals), minlength=len(framework.ratings))
        ratings = tuple(
            RatingCount(r, int(rating_counts[k]), 100 * int(rating_counts[k]) / n)
            for k, r in enumerate(framework.ratings)
        )
    return YearSummary(
        fiscal_year=framework.fiscal_year,
        pass_mark=mark,
        grades_published=framework.has_grades,
        agencies=n,
        mean_total=float(totals.mean()),
        median_total=float(np.median(totals)),
        min_total=float(totals.min()),
        max_total=float(totals.max()),
        passed=passed,
        pass_rate=100 * passed / n,
        histogram=histogram,
        grades=grades,
        indicators=indicators,
        ratings=ratings,
    )


@dataclass(frozen=True)
class TrendPoint:
    fiscal_year: int
    agencies: int
    mean_total: float
    pass_rate: float  # percent
    indicator_means: tuple[float, ...]  # 1–10


def trend(summaries: Iterable[YearSummary]) -> tuple[TrendPoint, ...]:
    """One point per fiscal year, oldest first."""
    return tuple(
        TrendPoint(s.fiscal_year, s.agencies, s.mean_total, s.pass_rate, tuple(i.mean for i in s.indicators))
        for s in sorted(summaries, key=lambda s: s.fiscal_year)
    )


# --- who gains most from help ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpCandidate:
    """An agency under the pass mark, with what help could realistically add and why."""

    index: int  # row of the arrays given to help_ranking
    total: float
    gap: float  # points short of the pass mark
    oit_points: float  # points indicators 9–10 can still add (publishing: a reviewer's checklist)
    oit_ceiling: float  # the total with 9–10 at 100 and 1–8 unchanged (the planner's OIT-only ceiling)
    oit_alone_passes: bool
    survey_points: float  # points from lifting IIT/EIT indicators under the pass mark up to it
    weak_indicators: tuple[int, ...]  # IIT/EIT indicators under the pass mark, most points first
    reason_th: str


def help_ranking(
    framework: Framework, scores: FloatArray, totals: FloatArray, target: float | None = None
) -> tuple[HelpCandidate, ...]:
    """Agencies under ``target`` (the pass mark), those whom help most likely changes first.

    First the agencies that publishing alone would pass (OIT 9–10 at 100 reaches the mark), most OIT
    points first: a reviewer's checklist, fixable in weeks. Then the others, closest to the mark after the
    OIT fix first; their reason names the IIT/EIT indicators to lift, by the points they would add.
    """
    scores = np.asarray(scores, dtype=np.float64)
    totals = np.asarray(totals, dtype=np.float64)
    if len(totals) == 0:
        return ()
    _check_arrays(scores, totals)
    mark = framework.pass_mark if target is None else target
    weights = np.asarray([i.weight for i in framework.indicators]) / 100
    oit = np.asarray([i.tool == "OIT" for i in framework.indicators])
    oit_points = ((100 - scores[:, oit]) * weights[oit]).sum(axis=1)
    ceiling = round_half_up_many(
        (scores[:, ~oit] * weights[~oit]).sum(axis=1) + 100 * weights[oit].sum(), framework.rounding.decimals
    )
    lift = np.clip(mark - scores[:, ~oit], 0, None) * weights[~oit]
    below = np.nonzero(totals < mark)[0]
    decimals = framework.rounding.decimals
    gap = round_half_up_many(mark - totals[below], decimals)
    points = round_half_up_many(oit_points[below], decimals)
    survey = round_half_up_many(lift[below].sum(axis=1), decimals)
    passes = ceiling[below] >= mark
    # the OIT-alone passes first, most OIT points first; then the closest to the mark after the OIT fix
    order = np.lexsort((below, gap, np.where(passes, -points, mark - ceiling[below]), ~passes))
    weak_order = np.argsort(-lift[below], axis=1, kind="stable")
    numbers = [i.number for i in framework.indicators if i.tool != "OIT"]
    names = {i.number: i.name_th for i in framework.indicators}
    candidates = []
    for j in order.tolist():
        k = int(below[j])
        weak = tuple(numbers[m] for m in weak_order[j].tolist() if lift[k, m] > 1e-9)
        fields: dict[str, Any] = {
            "index": k,
            "total": float(totals[k]),
            "gap": float(gap[j]),
            "oit_points": float(points[j]),
            "oit_ceiling": float(ceiling[k]),
            "oit_alone_passes": bool(passes[j]),
            "survey_points": float(survey[j]),
            "weak_indicators": weak,
        }
        lifts = dict(zip(numbers, lift[k].tolist(), strict=True))
        candidates.append(HelpCandidate(**fields, reason_th=_reason(fields, lifts, names, mark)))
    return tuple(candidates)


def _reason(c: dict[str, Any], lifts: dict[int, float], names: dict[int, str], mark: float) -> str:
    short = f"ขาด {c['gap']:.2f} คะแนน"
    if c["oit_alone_passes"]:
        return (
            f"{short} · เผยแพร่ข้อมูล OIT (ตัวชี้วัด 9–10) ให้ครบเพิ่มได้ {c['oit_points']:.2f} คะแนน "
            f"ผ่านเกณฑ์ {mark:g} ได้ด้วย OIT อย่างเดียว"
        )
    named = ", ".join(f"{n} {names[n]} (+{lifts[n]:.2f})" for n in c["weak_indicators"][:2])
    if c["oit_points"] >= 0.005:
        oit = f"OIT เพิ่มได้ {c['oit_points']:.2f} ได้สูงสุด {c['oit_ceiling']:.2f} ยังไม่ถึงเกณฑ์"
    else:
        oit = "OIT เต็มแล้ว"
    return f"{short} · {oit} ต้องยกตัวชี้วัด {named} ด้วย" if named else f"{short} · {oit}"
