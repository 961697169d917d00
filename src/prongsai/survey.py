"""IIT/EIT indicator scores from raw answers, vectorised with NumPy.

Answers arrive as a matrix of small integer codes, one row per respondent and one column per
sub-item (``Question.sub_item_codes()``):

* 4-level questions: 1 = น้อยที่สุดหรือไม่มีเลย … 4 = มากที่สุด
* yes/no questions: 1 = มี (yes), 2 = ไม่มี (no)
* 0 = no answer (skipped; it counts neither way)

The rule (framework data; unverified in the research): a question scores the mean of its
answered sub-items, a respondent's indicator score is the equal-weight mean of its answered
questions, and a group's indicator score is the mean over its respondents. Everything is array
arithmetic, in chunks of rows that stay in the CPU cache: consecutive questions of an indicator are
looked up together in a table of every combination of their answer codes (``AnswerBlock``), so a
country's 1.35 million answers score in about a tenth of a second (BENCHMARKS.md).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from prongsai.framework import Framework, Question

__all__ = [
    "ANSWER_CODES",
    "MIN_GROUP",
    "AnswerBlock",
    "SurveyLayout",
    "SurveyScores",
    "layout_for",
    "pool_batch",
    "question_scores",
    "score_answers",
]

NO_ANSWER = 0
# Accepted spellings of an answer, per answer type, normalised (see results.parse_answer_code).
ANSWER_CODES: dict[str, dict[str, int]] = {
    "scale4": {"1": 1, "2": 2, "3": 3, "4": 4},
    "yes_no": {"มี": 1, "ใช่": 1, "yes": 1, "y": 1, "ไม่มี": 2, "ไม่ใช่": 2, "no": 2, "n": 2},
}
# The smallest group of respondents whose answers are shown or exported together: fewer could single a person
# out. Practice-survey scores and the raw-answer export wait for this many answers, and new answers join the
# stored ones in batches of at least this many (docs/security.md, "Survey anonymity").
MIN_GROUP = 5
# A busy survey's new answers join the stored ones in bigger batches, so that rewriting them all costs about
# POOL_SHARE rows per answer, and the pool, itself rewritten with every answer, stays small: batches of
# MIN_GROUP up to 100 stored answers, a twentieth of the stored ones beyond, at most POOL_MAX.
POOL_SHARE, POOL_MAX = 20, 200


def pool_batch(stored: int) -> int:
    """How many pooled answers are written with the ``stored`` ones at once (never fewer than MIN_GROUP)."""
    return max(MIN_GROUP, min(POOL_MAX, stored // POOL_SHARE))


CHUNK_ROWS = 16_384  # rows scored at a time: the working set stays in the CPU cache
BLOCK_COLUMNS = 6  # columns per lookup table: 5**6 = 15,625 entries


@dataclass(frozen=True)
class AnswerBlock:
    """Consecutive whole questions of one indicator, scored by table lookup.

    A respondent's codes for the block's columns form a base-5 number (the first column most
    significant); ``sums`` and ``counts`` give, for every such number, the sum of the answered questions'
    scores and how many questions were answered. ``sums`` is None for a question too wide for a table,
    which is scored directly.
    """

    indicator: int  # position in SurveyLayout.indicator_numbers
    start: int  # first column
    stop: int  # one past the last column
    question_starts: npt.NDArray[np.intp]  # first column of each question, relative to start
    sums: npt.NDArray[np.float64] | None
    counts: npt.NDArray[np.float64] | None


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

    @functools.cached_property
    def blocks(self) -> tuple[AnswerBlock, ...]:
        """The scoring rules as lookup tables, built when the layout first scores answers."""
        return _blocks(self)


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


def _blocks(layout: SurveyLayout) -> tuple[AnswerBlock, ...]:
    """Each indicator's questions in runs of at most BLOCK_COLUMNS columns, with their lookup tables."""
    questions, numbers, points = layout.questions, layout.indicator_numbers, layout.points
    starts = layout.question_starts.tolist()
    runs: list[tuple[int, list[int]]] = []  # (indicator position, question indexes)
    for q, question in enumerate(questions):
        k = numbers.index(question.indicator)
        if (
            runs
            and runs[-1][0] == k
            and sum(questions[i].sub_items for i in runs[-1][1]) + question.sub_items <= BLOCK_COLUMNS
        ):
            runs[-1][1].append(q)
        else:
            runs.append((k, [q]))
    blocks = []
    for k, run in runs:
        start, stop = starts[run[0]], starts[run[-1]] + questions[run[-1]].sub_items
        relative = np.array([starts[q] - start for q in run], dtype=np.intp)
        sums = counts = None
        if stop - start <= BLOCK_COLUMNS:  # every combination of codes 0–4, the first column most significant
            combos = np.indices((5,) * (stop - start)).reshape(stop - start, -1).T
            scores = _segment_means(points[np.arange(start, stop), combos], relative)
            answered = ~np.isnan(scores)
            sums = np.where(answered, scores, 0.0).sum(axis=1)
            counts = answered.sum(axis=1).astype(np.float64)
        blocks.append(AnswerBlock(k, start, stop, relative, sums, counts))
    return tuple(blocks)


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
    sums = np.zeros((n_ind, n_groups))
    counts = np.zeros((n_ind, n_groups))
    for start in range(0, answers.shape[0], CHUNK_ROWS):
        chunk = slice(start, start + CHUNK_ROWS)
        question_sums, questions_answered = _respondent_sums(layout, _checked_codes(answers[chunk]))
        ids = group_ids[chunk]
        for k in range(n_ind):
            answered = questions_answered[k] > 0
            with np.errstate(invalid="ignore", divide="ignore"):
                per_respondent = np.where(answered, question_sums[k] / questions_answered[k], 0.0)
            sums[k] += np.bincount(ids, weights=per_respondent, minlength=n_groups)
            counts[k] += np.bincount(ids, weights=answered, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan).T
    return SurveyScores(
        tool=layout.tool,
        groups=tuple(group_names),
        indicator_numbers=layout.indicator_numbers,
        scores=np.ascontiguousarray(scores),
        respondents=np.bincount(group_ids, minlength=n_groups).astype(np.int64),
    )


def question_scores(layout: SurveyLayout, answers: npt.NDArray[np.integer]) -> dict[str, float]:
    """Each question's mean score (0–100) over the respondents who answered it: which questions pulled an
    indicator down, for a plan to name. A question scores, per respondent, the mean of its answered
    sub-items, as in ``score_answers``; questions nobody answered are left out."""
    if answers.ndim != 2 or answers.shape[1] != len(layout.columns):
        raise ValueError(f"answers must have {len(layout.columns)} columns, got shape {answers.shape}")
    if not answers.shape[0]:
        return {}
    codes = _checked_codes(answers)  # (columns, respondents)
    values = layout.points[np.arange(len(layout.columns))[:, None], codes].T  # (respondents, columns)
    per_respondent = _segment_means(values, layout.question_starts)  # (respondents, questions)
    answered = ~np.isnan(per_respondent)
    sums = np.where(answered, per_respondent, 0.0).sum(axis=0)
    counts = answered.sum(axis=0)
    return {q.code: float(sums[k] / counts[k]) for k, q in enumerate(layout.questions) if counts[k]}


def _checked_codes(answers: npt.NDArray[np.integer]) -> npt.NDArray[np.int8]:
    """The chunk's codes column by column, (columns, respondents), after checking they are 0–4."""
    if answers.size:
        if answers.dtype == np.int8 or answers.dtype == np.uint8:
            bad = int(answers.view(np.uint8).max()) > 4  # a negative int8 reads as 128 or more
        else:
            bad = int(answers.min()) < 0 or int(answers.max()) > 4
        if bad:
            raise ValueError("answer codes must be 0–4")
    return np.ascontiguousarray(answers.T, dtype=np.int8)


def _respondent_sums(
    layout: SurveyLayout, codes: npt.NDArray[np.int8]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Per indicator and respondent: the sum of the answered questions' scores and how many there are.

    The respondent's indicator score is their ratio (a question scores the mean of its answered
    sub-items); answers are looked up block by block in the layout's tables.
    """
    n_ind = len(layout.indicator_numbers)
    sums = np.zeros((n_ind, codes.shape[1]))
    counts = np.zeros((n_ind, codes.shape[1]))
    key = np.empty(codes.shape[1], dtype=np.intp)
    for block in layout.blocks:
        if block.sums is None or block.counts is None:
            scores = _segment_means(
                layout.points[np.arange(block.start, block.stop), codes[block.start : block.stop].T],
                block.question_starts,
            )
            answered = ~np.isnan(scores)
            sums[block.indicator] += np.where(answered, scores, 0.0).sum(axis=1)
            counts[block.indicator] += answered.sum(axis=1)
            continue
        key[:] = codes[block.start]
        for column in range(block.start + 1, block.stop):
            key *= 5
            key += codes[column]
        sums[block.indicator] += block.sums.take(key)
        counts[block.indicator] += block.counts.take(key)
    return sums, counts


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
