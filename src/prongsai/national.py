"""A whole country at once: every agency's 10 indicator scores, total, grade and pass.

The inputs are what NACC holds at the end of a year: raw IIT answers (staff) and EIT answers (outside
stakeholders), one row per respondent with the agency it answered for, and each agency's OIT item
results. The rules are the core's own, applied to arrays: ``survey.score_answers`` with agencies as the
groups (indicators 1–8), ``oit_indicator_matrix`` (9–10, the rule of ``scoring.oit_scores``), indicator
scores rounded as published, and the total, grade and pass of ``scoring.score``. ``NationalScores.result``
gives the full ``ScoreResult`` of one agency; for every agency it equals scoring that agency alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from prongsai.framework import Framework, OitRule
from prongsai.numbers import round_half_up_many
from prongsai.scoring import ScoreResult, score
from prongsai.survey import layout_for, score_answers

__all__ = ["NationalScores", "grade_indexes", "oit_indicator_matrix", "score_agencies"]


@dataclass(frozen=True)
class NationalScores:
    framework: Framework
    agencies: tuple[str, ...]
    indicators: npt.NDArray[np.float64]  # (agencies, 10), as published; NaN where nobody answered an indicator
    totals_exact: npt.NDArray[np.float64]  # (agencies,), NaN where an indicator is missing
    totals: npt.NDArray[np.float64]  # rounded as published
    grade_index: npt.NDArray[np.int8]  # index into framework.grades; -1 without a total or a grade
    passed: npt.NDArray[np.bool_]
    iit_respondents: npt.NDArray[np.int64]
    eit_respondents: npt.NDArray[np.int64]

    @property
    def grades(self) -> tuple[str | None, ...]:
        letters = [band.grade for band in self.framework.grades]
        return tuple(letters[k] if k >= 0 else None for k in self.grade_index.tolist())

    def result(self, agency: int) -> ScoreResult:
        """The full result of one agency (tools, points lost …), through ``scoring.score``."""
        row = self.indicators[agency]
        if np.isnan(row).any():
            missing = [n for n in range(1, 11) if np.isnan(row[n - 1])]
            raise ValueError(f"{self.agencies[agency]}: no answers for indicator(s) {missing}")
        return score(self.framework, {n: float(row[n - 1]) for n in range(1, 11)})


def score_agencies(
    framework: Framework,
    agencies: Sequence[str],
    iit_answers: npt.NDArray[np.integer],
    iit_agency: npt.NDArray[np.integer],
    eit_answers: npt.NDArray[np.integer],
    eit_agency: npt.NDArray[np.integer],
    oit_passed: npt.NDArray[np.bool_],
) -> NationalScores:
    """Score every agency of a year.

    ``iit_answers`` and ``eit_answers`` are (respondents, columns of ``layout_for(framework, tool)``) answer
    codes; ``iit_agency``/``eit_agency`` give each respondent's agency as an index into ``agencies``;
    ``oit_passed`` is (agencies, items), True where an item scores 100.
    """
    names = tuple(agencies)
    n = len(names)
    if oit_passed.shape[0] != n:
        raise ValueError(f"OIT answers are given for {oit_passed.shape[0]} agencies, not {n}")
    decimals = framework.rounding.decimals
    indicators = np.full((n, 10), np.nan)
    respondents: list[npt.NDArray[np.int64]] = []
    for tool, answers, ids in (("IIT", iit_answers, iit_agency), ("EIT", eit_answers, eit_agency)):
        if ids.shape != (answers.shape[0],):
            raise ValueError(f"{tool}: {answers.shape[0]} answers but {ids.shape[0]} agency ids")
        if ids.size and (ids.min() < 0 or ids.max() >= n):
            raise ValueError(f"{tool}: agency ids must be 0–{n - 1}")
        scored = score_answers(layout_for(framework, tool), answers, ids, names)
        for k, number in enumerate(scored.indicator_numbers):
            indicators[:, number - 1] = scored.scores[:, k]
        respondents.append(scored.respondents)
    indicators[:, :8] = round_half_up_many(indicators[:, :8], decimals)
    indicators[:, 8:] = oit_indicator_matrix(framework, oit_passed)
    # The total as scoring.score adds it: each indicator's points (score × weight / 100) in indicator order.
    totals_exact = np.zeros(n)
    for indicator in framework.indicators:
        totals_exact = totals_exact + indicators[:, indicator.number - 1] * indicator.weight / 100
    totals = round_half_up_many(totals_exact, decimals)
    known = ~np.isnan(totals)
    return NationalScores(
        framework=framework,
        agencies=names,
        indicators=indicators,
        totals_exact=totals_exact,
        totals=totals,
        grade_index=grade_indexes(framework, totals),
        passed=known & (np.where(known, totals, 0) >= framework.pass_mark),
        iit_respondents=respondents[0],
        eit_respondents=respondents[1],
    )


def grade_indexes(framework: Framework, totals: npt.NDArray[np.float64]) -> npt.NDArray[np.int8]:
    """``Framework.grade_for`` for many totals: indexes into ``framework.grades``, -1 for NaN or no grades."""
    result = np.full(totals.shape, -1, dtype=np.int8)
    known = ~np.isnan(totals)
    if framework.has_grades:  # the first band (from the top) whose minimum the total reaches
        mins = np.array([band.min for band in framework.grades])
        reached = totals[known, None] >= mins[None, :]
        result[known] = np.where(reached.any(axis=1), reached.argmax(axis=1), len(mins) - 1)
    return result


def oit_indicator_matrix(framework: Framework, passed: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """Indicator scores 9 and 10 of many agencies at once, rounded as published: ``oit_scores`` for a matrix.

    ``passed`` is (agencies, items) in ``framework.items`` order (O1 … On); the result is (agencies, 2).
    """
    items = framework.items
    if passed.ndim != 2 or passed.shape[1] != len(items):
        raise ValueError(f"OIT answers must have {len(items)} columns (O1…O{len(items)}), got shape {passed.shape}")
    position = {item.code: k for k, item in enumerate(items)}
    result = np.empty((passed.shape[0], 2))
    for column, number in enumerate((9, 10)):
        subs = framework.sub_indicators_of(number)
        counts = [passed[:, [position[i.code] for i in s.items]].sum(axis=1, dtype=np.float64) for s in subs]
        if framework.oit.rule is OitRule.MEAN_OF_ITEMS:
            value = 100 * sum(counts) / sum(len(s.items) for s in subs)
        else:  # the same arithmetic as SubIndicatorScore.rate and _indicator_from_subs, in the same order
            value = sum(100 * c / len(s.items) for c, s in zip(counts, subs, strict=True)) / len(subs)
        result[:, column] = value
    return round_half_up_many(result, framework.rounding.decimals)
