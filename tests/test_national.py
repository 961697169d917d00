"""A whole country at once (prongsai.national) against each agency scored alone, against the plain survey
rule, and against the benchmark's DuckDB SQL, on a small synthetic country."""

from __future__ import annotations

import importlib.util
import itertools
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from prongsai.framework import OitRule
from prongsai.frameworks import available_years, get_framework
from prongsai.national import NationalScores, grade_indexes, oit_indicator_matrix, score_agencies
from prongsai.numbers import round_half_up, round_half_up_many
from prongsai.scoring import oit_scores, score
from prongsai.survey import SurveyLayout, layout_for, score_answers


def _benchmark() -> ModuleType:
    path = Path(__file__).parents[1] / "benchmarks" / "national.py"
    spec = importlib.util.spec_from_file_location("national_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


BENCH = _benchmark()
F = get_framework(2565)
AGENCIES = 30


@pytest.fixture(scope="module")
def country() -> Any:
    return BENCH.make_country(F, AGENCIES, 3000, seed=5)


def _national(country: Any) -> NationalScores:
    names = tuple(f"หน่วยงาน {k}" for k in range(AGENCIES))
    c = country
    return score_agencies(F, names, c.iit_answers, c.iit_agency, c.eit_answers, c.eit_agency, c.oit_passed)


def test_the_synthetic_country_is_what_the_benchmark_claims(country: Any) -> None:
    c = country
    assert len(c.iit_agency) == 1200 and len(c.eit_agency) == 1800
    assert set(np.unique(c.iit_agency)) == set(range(AGENCIES))
    assert (c.iit_answers == 0).any() and (c.iit_answers == 4).any()
    assert c.oit_passed.shape == (AGENCIES, 43)


def test_every_agency_scores_as_it_would_alone(country: Any) -> None:
    c = country
    national = _national(c)
    iit, eit = layout_for(F, "IIT"), layout_for(F, "EIT")
    grades = national.grades
    for k in range(AGENCIES):
        indicators: dict[int, float] = {}
        for layout, answers, ids in ((iit, c.iit_answers, c.iit_agency), (eit, c.eit_answers, c.eit_agency)):
            alone = score_answers(layout, answers[ids == k])
            indicators |= {n: round_half_up(v) for n, v in alone.as_dict()[""].items()}
        items = {item.code: bool(c.oit_passed[k, j]) for j, item in enumerate(F.items)}
        indicators |= oit_scores(F, items).indicators
        expected = score(F, indicators)
        assert national.indicators[k].tolist() == [indicators[n] for n in range(1, 11)]
        assert (national.totals[k], grades[k], bool(national.passed[k])) == (
            expected.total,
            expected.grade,
            expected.passed,
        )
        assert national.totals_exact[k] == expected.total_exact
        assert national.result(k).total == expected.total
    assert len(set(grades)) >= 3  # the country is varied enough to test something


def test_the_country_scores_as_the_duckdb_sql_does(country: Any) -> None:
    national = _national(country)
    sql = BENCH.duckdb_scores(F, country)
    assert np.allclose(national.indicators, sql["indicators"], rtol=0, atol=1e-6)
    assert national.totals.tolist() == sql["totals"].tolist()
    assert [g or "" for g in national.grades] == sql["grades"].tolist()
    assert national.passed.tolist() == sql["passed"].tolist()


def test_an_agency_nobody_answered_for_has_no_total_on_either_side(country: Any) -> None:
    c = country
    keep = c.iit_agency != 3
    silent = BENCH.Country(
        c.year, AGENCIES, c.iit_answers[keep], c.iit_agency[keep], c.eit_answers, c.eit_agency, c.oit_passed
    )
    national = _national(silent)
    assert np.isnan(national.indicators[3, :5]).all() and not np.isnan(national.indicators[3, 5:]).any()
    assert math.isnan(national.totals[3]) and national.grades[3] is None and not national.passed[3]
    assert national.iit_respondents[3] == 0
    with pytest.raises(ValueError, match=r"indicator\(s\) \[1, 2, 3, 4, 5\]"):
        national.result(3)
    sql = BENCH.duckdb_scores(F, silent)
    assert np.isnan(sql["totals"][3]) and sql["grades"][3] == "" and not sql["passed"][3]
    assert np.array_equal(national.totals, sql["totals"], equal_nan=True)


def test_a_half_way_mean_rounds_up_on_both_sides() -> None:
    """Two EIT respondents give e11 33.33 and 100: indicator 8 is 66.665, published as 66.67 (half-up).
    SQL's round() of the double alone would give 66.66."""
    iit, eit = layout_for(F, "IIT"), layout_for(F, "EIT")
    eit_answers = np.zeros((2, len(eit.columns)), dtype=np.int8)
    for k, column in enumerate(eit.columns):
        if int(column.split("_")[0][1:]) <= 10:
            eit_answers[:, k] = 1 if eit.answer_types[k] == "yes_no" else 4
    eit_answers[:, eit.columns.index("e11")] = [2, 4]
    country = BENCH.Country(
        2565,
        1,
        np.full((1, len(iit.columns)), 1, dtype=np.int8),
        np.zeros(1, dtype=np.int32),
        eit_answers,
        np.zeros(2, dtype=np.int32),
        np.ones((1, len(F.items)), dtype=bool),
    )
    c = country
    national = score_agencies(F, ["ก"], c.iit_answers, c.iit_agency, c.eit_answers, c.eit_agency, c.oit_passed)
    assert national.indicators[0, 7] == 66.67
    sql = BENCH.duckdb_scores(F, country)
    assert sql["indicators"][0, 7] == 66.67 and sql["totals"].tolist() == national.totals.tolist()


@pytest.mark.parametrize("year", available_years())
def test_grade_indexes_equal_grade_for(year: int) -> None:
    framework = get_framework(year)
    edges = [x for band in framework.grades for x in (band.min, band.max, band.min - 0.01, band.max + 0.01)]
    totals = np.array([*edges, 0.0, 100.0, 84.999, np.nan])
    letters = [band.grade for band in framework.grades]
    got = [letters[k] if k >= 0 else None for k in grade_indexes(framework, totals).tolist()]
    expected = [framework.grade_for(t) if framework.has_grades else None for t in totals[:-1].tolist()]
    assert got == [*expected, None]
    import duckdb

    query = f"SELECT {BENCH.grade_sql(framework)} FROM (SELECT unnest($1)::DECIMAL(18,2) AS total)"
    published = [t for t in totals[:-1].tolist() if t == round(t, 2)]  # the SQL grades rounded totals
    sql = [row[0] for row in duckdb.execute(query, [[*published, None]]).fetchall()]
    assert sql == [*(framework.grade_for(t) if framework.has_grades else None for t in published), None]


# --- the table-driven survey scoring is the plain rule -------------------------------------------------


def _plain_rule(layout: SurveyLayout, answers: np.ndarray, ids: np.ndarray, groups: int) -> np.ndarray:
    """The rule written out: points per sub-item (NaN unanswered), question = mean of its answered
    sub-items, respondent indicator = mean of its answered questions, group = mean over its respondents."""
    points = layout.points[np.arange(len(layout.columns)), answers.astype(np.intp)]
    bounds = [*layout.question_starts.tolist(), len(layout.columns)]
    questions = np.column_stack([np.nanmean(points[:, a:b], axis=1) for a, b in itertools.pairwise(bounds)])
    q_bounds = [*layout.indicator_starts.tolist(), len(layout.questions)]
    per_respondent = np.column_stack([np.nanmean(questions[:, a:b], axis=1) for a, b in itertools.pairwise(q_bounds)])
    result = np.full((groups, len(layout.indicator_numbers)), np.nan)
    for g in range(groups):
        mine = per_respondent[ids == g]
        for k in range(mine.shape[1]):
            answered = mine[~np.isnan(mine[:, k]), k]
            if answered.size:
                result[g, k] = answered.mean()
    return result


@pytest.mark.filterwarnings("ignore:Mean of empty slice:RuntimeWarning")
@pytest.mark.parametrize(("year", "tool"), [(2564, "IIT"), (2565, "EIT"), (2568, "IIT")])
@pytest.mark.parametrize("block_columns", [6, 1, 3])  # 3: i30's four sub-items are too wide for a table
def test_table_lookup_equals_the_plain_rule(
    monkeypatch: pytest.MonkeyPatch, year: int, tool: str, block_columns: int
) -> None:
    monkeypatch.setattr("prongsai.survey.BLOCK_COLUMNS", block_columns)
    monkeypatch.setattr("prongsai.survey.CHUNK_ROWS", 301)
    layout = layout_for(get_framework(year), tool)
    rng = np.random.default_rng(year + block_columns)
    answers = rng.integers(0, 5, size=(2000, len(layout.columns)), dtype=np.int8)  # yes/no 3–4 count as unanswered
    answers[rng.random(answers.shape) < 0.5] = 0  # many skips: whole questions go unanswered
    ids = rng.integers(0, 38, size=2000)
    ids[0], answers[0], answers[0, 0] = 38, 0, 1  # group 38 answered one sub-item; group 39 nothing at all
    got = score_answers(layout, answers, ids, [str(g) for g in range(40)]).scores
    expected = _plain_rule(layout, answers, ids, 40)
    assert np.isnan(expected).any()
    assert np.allclose(got, expected, rtol=0, atol=1e-9, equal_nan=True)


def test_codes_out_of_range_are_refused_in_any_dtype() -> None:
    layout = layout_for(F, "EIT")
    for bad in (np.full((3, len(layout.columns)), -1, dtype=np.int8), np.full((3, len(layout.columns)), 5)):
        with pytest.raises(ValueError, match="0–4"):
            score_answers(layout, bad)


# --- the vectorised pieces equal the scalar functions ----------------------------------------------------


def test_round_half_up_many_equals_round_half_up() -> None:
    rng = np.random.default_rng(0)
    values = np.concatenate(
        [
            np.array([16.665, 68.475, 68.4774, 2.675, 0.005, 1.005, 0.0, 100.0, -16.665, 99.995, 1e7 + 0.125]),
            np.array([33.33 / 2, (100 + 33.33) / 2 / 3, 200 / 3, 26.4774 + 26.058 + 15.942]),
            rng.integers(0, 10_001, 500) / 100 + 0.005,  # exact half-way cases, as floats
            rng.integers(0, 10**11, 500) / 1e9 + 5e-10,  # near ties in the 9th decimal
            rng.uniform(0, 100, 2000),
        ]
    )
    expected = [round_half_up(float(v)) for v in values]
    assert round_half_up_many(values).tolist() == expected
    assert round_half_up_many(values, 3).tolist() == [round_half_up(float(v), 3) for v in values]
    assert np.isnan(round_half_up_many(np.array([np.nan, 1.0]))[0])


@pytest.mark.parametrize("year", available_years())
@pytest.mark.parametrize("rule", list(OitRule))
def test_oit_indicator_matrix_equals_oit_scores(year: int, rule: OitRule) -> None:
    framework = get_framework(year)
    framework = framework.model_copy(update={"oit": framework.oit.model_copy(update={"rule": rule})})
    passed = np.random.default_rng(year).random((60, len(framework.items))) < 0.6
    passed[0], passed[1] = True, False
    matrix = oit_indicator_matrix(framework, passed)
    for k in range(60):
        alone = oit_scores(framework, {item.code: bool(passed[k, j]) for j, item in enumerate(framework.items)})
        assert matrix[k].tolist() == [alone.indicators[9], alone.indicators[10]]
