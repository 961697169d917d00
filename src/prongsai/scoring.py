"""Scores as NACC publishes them: indicator scores → tool scores, weighted total, grade and pass;
OIT item answers → sub-indicator pass rates → indicator scores 9 and 10.

Published indicator scores and totals carry 2 decimals (half-up). The total is the weighted sum of
the indicator scores *as published*, which is what reproduces published totals (REPORT.md §2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from prongsai.framework import Framework, Indicator, OitRule, RatingBand, SubIndicator
from prongsai.numbers import round_half_up

__all__ = [
    "IndicatorScore",
    "OitScores",
    "ScoreResult",
    "SubIndicatorScore",
    "ToolScore",
    "item_worth",
    "oit_scores",
    "score",
]

PUBLISHED_TOLERANCE = 0.01  # published indicator scores are themselves rounded


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    score: float
    label_th: str  # the name as the user wrote it (the seed: การใช้ทรัพยากรของราชการ), else the official one

    @property
    def number(self) -> int:
        return self.indicator.number

    @property
    def points(self) -> float:
        """Points this indicator contributes to the 100-point total."""
        return self.score * self.indicator.weight / 100

    @property
    def points_lost(self) -> float:
        return (100 - self.score) * self.indicator.weight / 100


@dataclass(frozen=True)
class ToolScore:
    code: str
    name_th: str
    name_en: str
    weight: float
    score: float  # mean of the tool's indicator scores, 0–100
    points: float  # contribution to the total, 0–weight

    @property
    def points_lost(self) -> float:
        return self.weight - self.points


@dataclass(frozen=True)
class ScoreResult:
    framework: Framework
    indicators: tuple[IndicatorScore, ...]
    tools: tuple[ToolScore, ...]
    total_exact: float
    total: float
    grade: str | None  # AA–F where the year publishes grades (to FY2565), else None
    passed: bool
    rating: RatingBand | None = None  # the rating word where the year publishes them (from FY2566), else None

    @property
    def fiscal_year(self) -> int:
        return self.framework.fiscal_year

    def indicator(self, number: int) -> IndicatorScore:
        return self.indicators[number - 1]

    def held_back(self) -> tuple[RatingBand, tuple[str, ...]] | None:
        """The better rating whose total the result reaches but whose tool bar it does not, and the tools
        below that bar (the สตง.'s FY2568 94.64: ผ่าน, not ผ่านดี, because its EIT was below 85)."""
        if self.rating is None:
            return None
        decimals = self.framework.rounding.decimals
        for band in self.framework.ratings:
            if band == self.rating:
                return None
            if self.total >= band.min_total and band.min_each_tool is not None:
                low = tuple(t.code for t in self.tools if round_half_up(t.score, decimals) < band.min_each_tool)
                return band, low
        return None

    def matches_published(self, total: float, grade: str | None = None) -> bool:
        if abs(self.total - total) > PUBLISHED_TOLERANCE + 1e-9:
            return False
        return grade is None or self.grade is None or grade == self.grade


def score(
    framework: Framework,
    indicator_scores: Mapping[int, float],
    labels_th: Mapping[int, str] | None = None,
) -> ScoreResult:
    """Score one result from its 10 indicator scores (0–100 each; rounded as the year publishes them)."""
    missing = [n for n in range(1, 11) if n not in indicator_scores]
    if missing:
        raise ValueError(f"indicator scores missing for {missing}")
    labels = labels_th or {}
    decimals = framework.rounding.decimals
    # Indicator scores as published (85.125 → 85.13): the total is the weighted sum of those, whatever path
    # (file, form, API, survey) brought them.
    indicators = tuple(
        IndicatorScore(i, round_half_up(indicator_scores[i.number], decimals), labels.get(i.number, i.name_th))
        for i in framework.indicators
    )
    tools = tuple(_tool_score(framework, code, indicators) for code in ("IIT", "EIT", "OIT"))
    total_exact = sum(i.points for i in indicators)
    total = round_half_up(total_exact, decimals)
    tool_scores = {t.code: round_half_up(t.score, decimals) for t in tools}
    return ScoreResult(
        framework=framework,
        indicators=indicators,
        tools=tools,
        total_exact=total_exact,
        total=total,
        grade=framework.grade_for(total) if framework.has_grades else None,
        passed=total >= framework.pass_mark,
        rating=framework.rating_for(total, tool_scores),
    )


def _tool_score(framework: Framework, code: str, indicators: tuple[IndicatorScore, ...]) -> ToolScore:
    tool = framework.tool(code)
    own = [i for i in indicators if i.indicator.tool == code]
    points = sum(i.points for i in own)
    return ToolScore(
        code=code,
        name_th=tool.name_th,
        name_en=tool.name_en,
        weight=tool.weight,
        score=points / tool.weight * 100,
        points=points,
    )


@dataclass(frozen=True)
class SubIndicatorScore:
    sub_indicator: SubIndicator
    passed_items: tuple[str, ...]
    failed_items: tuple[str, ...]

    @property
    def rate(self) -> float:
        """Share of the sub-indicator's items that passed, 0–100."""
        return 100 * len(self.passed_items) / len(self.sub_indicator.items)


@dataclass(frozen=True)
class OitScores:
    sub_indicators: tuple[SubIndicatorScore, ...]
    indicators: dict[int, float]  # 9 and 10, rounded as published

    @property
    def failed_items(self) -> tuple[str, ...]:
        return tuple(code for s in self.sub_indicators for code in s.failed_items)


def oit_scores(framework: Framework, passed: Mapping[str, bool]) -> OitScores:
    """Indicator scores 9 and 10 from item results (True = the item scores 100).

    Every item of the framework must be present: an unanswered item is a question for the user,
    not a silent zero.
    """
    missing = [item.code for item in framework.items if item.code not in passed]
    if missing:
        raise ValueError(f"OIT items missing: {', '.join(missing)}")
    subs = tuple(
        SubIndicatorScore(
            sub_indicator=sub,
            passed_items=tuple(i.code for i in sub.items if passed[i.code]),
            failed_items=tuple(i.code for i in sub.items if not passed[i.code]),
        )
        for sub in framework.oit.sub_indicators
    )
    decimals = framework.rounding.decimals
    indicators = {n: round_half_up(_indicator_from_subs(framework, subs, n), decimals) for n in (9, 10)}
    return OitScores(sub_indicators=subs, indicators=indicators)


def _indicator_from_subs(framework: Framework, subs: tuple[SubIndicatorScore, ...], number: int) -> float:
    own = [s for s in subs if s.sub_indicator.indicator == number]
    if framework.oit.rule is OitRule.MEAN_OF_ITEMS:
        passed = sum(len(s.passed_items) for s in own)
        return 100 * passed / sum(len(s.sub_indicator.items) for s in own)
    return sum(s.rate for s in own) / len(own)


def item_worth(framework: Framework, item_code: str) -> float:
    """Total points an item adds when it goes from 0 to 100 (FY2564: O42 and O43 are worth 5.00 each)."""
    sub = framework.sub_indicator_of(item_code)
    indicator = framework.indicator(sub.indicator)
    if framework.oit.rule is OitRule.MEAN_OF_ITEMS:
        n_items = sum(len(s.items) for s in framework.sub_indicators_of(sub.indicator))
        indicator_gain = 100 / n_items
    else:
        indicator_gain = 100 / len(sub.items) / len(framework.sub_indicators_of(sub.indicator))
    return indicator_gain * indicator.weight / 100
