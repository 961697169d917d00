"""IIT/EIT indicator scores from raw answers, vectorised with NumPy.

Answers arrive as a matrix of small integer codes, one row per respondent and one column per
sub-item (``Question.sub_item_codes()``):

* 4-level questions: 1 = น้อยที่สุดหรือไม่มีเลย … 4 = มากที่สุด
* yes/no questions: 1 = มี (yes), 2 = ไม่มี (no)
* 0 = no answer (skipped; it counts neither way)

The rule (framework data; unverified in the research): a question scores the mean of its
answered sub-items, a respondent's indicator score is the equal-weight mean of its answered
questions, and a group's indicator score is the mean over its respondents. Everything is array
arithmetic, so a country's 1.35 million answers score in seconds, in chunks of bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from prongsai.framework import Framework, Question

__all__ = ["ANSWER_CODES", "SurveyLayout", "SurveyScores", "layout_for", "score_answers"]

NO_ANSWER = 0
# Accepted spellings of an answer, per answer type, normalised (see results.parse_answer_code).
ANSWER_CODES: dict[str, dict[str, int]] = {
    "scale4": {"1": 1, "2": 2, "3": 3, "4": 4},
    "yes_no": {"มี": 1, "ใช่": 1, "yes": 1, "y": 1, "ไม่มี": 2, "ไม่ใช่": 2, "no": 2, "n": 2},
}
CHUNK_ROWS = 250_000


@dataclass(frozen=True)
class SurveyLayout:
    """Column layout of one tool's answers and the point table that turns codes into points."""

    tool: str
    questions: tuple[Question, ...]
    columns: tuple[str, ...]
    answer_types: tuple[str, ...]  # per column: "scale4" or "yes_no"
    points: npt.NDArray[np.float64]  # (columns, 5): points per answer code, NaN for code 0
    question_starts: npt.NDArray[np.intp]  # first column of each question
    indicator_numbers: tuple[int, ...]
    indicator_starts: npt.NDArray[np.intp]  # first question of each indicator


def layout_for(framework: Framework, tool: str) -> SurveyLayout:
    questions = tuple(sorted(framework.questions_of(tool), key=lambda q: (q.indicator, _code_number(q))))
    if not questions:
        raise ValueError(f"the FY{framework.fiscal_year} framework has no {tool} questions")
    columns: list[str] = []
    answer_types: list[str] = []
    rows: list[list[float]] = []
    starts: list[int] = []
    for question in questions:
        starts.append(len(columns))
        columns.extend(question.sub_item_codes())
        answer_types.extend([question.answer_type] * question.sub_items)
        rows.extend(_point_rows(framework, question))
    numbers = tuple(sorted({q.indicator for q in questions}))
    indicator_starts = [next(k for k, q in enumerate(questions) if q.indicator == n) for n in numbers]
    return SurveyLayout(
        tool=tool,
        questions=questions,
        columns=tuple(columns),
        answer_types=tuple(answer_types),
        points=np.array(rows, dtype=np.float64),
        question_starts=np.array(starts, dtype=np.intp),
        indicator_numbers=numbers,
        indicator_starts=np.array(indicator_starts, dtype=np.intp),
    )


def _code_number(question: Question) -> int:
    return int(question.code[1:])


def _point_rows(framework: Framework, question: Question) -> list[list[float]]:
    nan = float("nan")
    if question.answer_type == "yes_no":
        assert question.yes_points is not None and question.no_points is not None
        return [[nan, question.yes_points, question.no_points, nan, nan]] * question.sub_items
    scale = framework.answer_scale
    return [[nan, *(scale.reverse_points if reverse else scale.points)] for reverse in question.reversed_sub_items()]


@dataclass(frozen=True)
class SurveyScores:
    tool: str
    groups: tuple[str, ...]
    indicator_numbers: tuple[int, ...]
    scores: npt.NDArray[np.float64]  # (groups, indicators), NaN where a group has no answer
    respondents: npt.NDArray[np.int64]  # (groups,)

    def as_dict(self) -> dict[str, dict[int, float]]:
        return {
            group: {n: float(self.scores[g, k]) for k, n in enumerate(self.indicator_numbers)}
            for g, group in enumerate(self.groups)
        }


def score_answers(
    layout: SurveyLayout,
    answers: npt.NDArray[np.integer],
    group_ids: npt.NDArray[np.integer] | None = None,
    group_names: Sequence[str] = ("",),
) -> SurveyScores:
    """Indicator scores per respondent group. ``answers`` is (respondents, len(layout.columns))."""
    if answers.ndim != 2 or answers.shape[1] != len(layout.columns):
        raise ValueError(f"answers must have {len(layout.columns)} columns, got shape {answers.shape}")
    if group_ids is None:
        group_ids = np.zeros(answers.shape[0], dtype=np.intp)
    n_groups = len(group_names)
    n_ind = len(layout.indicator_numbers)
    sums = np.zeros((n_groups, n_ind))
    counts = np.zeros((n_groups, n_ind))
    for start in range(0, answers.shape[0], CHUNK_ROWS):
        chunk = slice(start, start + CHUNK_ROWS)
        per_respondent = _respondent_indicator_scores(layout, answers[chunk])
        answered = ~np.isnan(per_respondent)
        ids = group_ids[chunk]
        for k in range(n_ind):
            sums[:, k] += np.bincount(
                ids, weights=np.where(answered[:, k], per_respondent[:, k], 0), minlength=n_groups
            )
            counts[:, k] += np.bincount(ids, weights=answered[:, k], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return SurveyScores(
        tool=layout.tool,
        groups=tuple(group_names),
        indicator_numbers=layout.indicator_numbers,
        scores=scores,
        respondents=np.bincount(group_ids, minlength=n_groups).astype(np.int64),
    )


def _respondent_indicator_scores(layout: SurveyLayout, answers: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
    codes = answers.astype(np.intp, copy=False)
    if codes.size and (codes.min() < 0 or codes.max() > 4):
        raise ValueError("answer codes must be 0–4")
    points = layout.points[np.arange(codes.shape[1]), codes]  # (respondents, columns)
    question_scores = _segment_means(points, layout.question_starts)
    return _segment_means(question_scores, layout.indicator_starts)


def _segment_means(values: npt.NDArray[np.float64], starts: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Row-wise NaN-ignoring means over consecutive column segments beginning at ``starts``."""
    answered = ~np.isnan(values)
    sums = np.add.reduceat(np.where(answered, values, 0.0), starts, axis=1)
    counts = np.add.reduceat(answered.astype(np.float64), starts, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def encode_groups(labels: Iterable[str]) -> tuple[npt.NDArray[np.intp], tuple[str, ...]]:
    """Integer group ids for ``score_answers`` from a column of group labels, in first-seen order."""
    names: dict[str, int] = {}
    ids = [names.setdefault(label, len(names)) for label in labels]
    return np.array(ids, dtype=np.intp), tuple(names)
