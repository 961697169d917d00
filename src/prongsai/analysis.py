"""The analysis of one result, as part 1 of the measures document lays it out (the seed):
the ranking table, highest and lowest, indicators under the pass mark, a summary per tool, the
missing OIT items, and the change from the previous year when two years are given."""

from __future__ import annotations

from dataclasses import dataclass

from prongsai.results import Results
from prongsai.scoring import IndicatorScore, ScoreResult, ToolScore

__all__ = ["Analysis", "IndicatorChange", "RankRow", "analyze"]


@dataclass(frozen=True)
class RankRow:
    rank: int
    indicator: IndicatorScore


@dataclass(frozen=True)
class IndicatorChange:
    number: int
    previous: float
    current: float

    @property
    def delta(self) -> float:
        return self.current - self.previous


@dataclass(frozen=True)
class Analysis:
    results: Results
    score: ScoreResult
    ranking: tuple[RankRow, ...]
    below_pass: tuple[IndicatorScore, ...]
    previous: ScoreResult | None
    changes: tuple[IndicatorChange, ...]

    @property
    def highest(self) -> RankRow:
        return self.ranking[0]

    @property
    def lowest(self) -> RankRow:
        return self.ranking[-1]

    @property
    def tools(self) -> tuple[ToolScore, ...]:
        return self.score.tools

    @property
    def total_change(self) -> float | None:
        return None if self.previous is None else self.score.total - self.previous.total

    @property
    def published_matches(self) -> bool | None:
        """Whether the computed total and grade agree with the published ones (±0.01), if given."""
        if self.results.published_total is None:
            return None
        return self.score.matches_published(self.results.published_total, self.results.published_grade)

    def missing_items(self) -> tuple[str, ...]:
        return () if self.results.oit is None else self.results.oit.failed_items


def rank(result: ScoreResult) -> tuple[RankRow, ...]:
    """Highest score first; equal scores keep the framework's indicator order, as the seed's table does."""
    ordered = sorted(result.indicators, key=lambda i: (-i.score, i.number))
    return tuple(RankRow(rank, indicator) for rank, indicator in enumerate(ordered, start=1))


def analyze(results: Results, previous: Results | None = None) -> Analysis:
    result = results.score()
    before = previous.score() if previous is not None else None
    changes: tuple[IndicatorChange, ...] = ()
    if before is not None:
        changes = tuple(IndicatorChange(n, before.indicator(n).score, result.indicator(n).score) for n in range(1, 11))
    return Analysis(
        results=results,
        score=result,
        ranking=rank(result),
        below_pass=tuple(i for i in result.indicators if i.score < results.framework.pass_mark),
        previous=before,
        changes=changes,
    )
