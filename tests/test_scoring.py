"""Scoring must reproduce published NACC results: golden cases, then properties."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from prongsai.frameworks import available_years, get_framework
from prongsai.numbers import round_half_up
from prongsai.scoring import item_worth, oit_scores, score

GOLDEN: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "golden" / "published.yaml").read_text("utf-8"))


def _case_id(case: dict[str, Any]) -> str:
    return str(case["name"])


@pytest.mark.parametrize("case", GOLDEN["totals"], ids=_case_id)
def test_it_reproduces_published_totals(case: dict[str, Any]) -> None:
    result = score(get_framework(case["year"]), dict(enumerate(case["indicators"], start=1)))
    assert result.total == pytest.approx(case["total"], abs=0.01)
    assert result.grade == case["grade"]
    assert result.passed is case["passed"]
    assert result.matches_published(case["total"], case["grade"])


def test_it_gives_the_seed_exactly_68_48_c() -> None:
    scores = [94.17, 86.76, 91.23, 83.63, 85.50, 86.13, 88.62, 85.83, 48.46, 31.25]
    result = score(get_framework(2564), dict(enumerate(scores, start=1)))
    assert (result.total, result.grade) == (68.48, "C")
    assert result.total_exact == pytest.approx(68.4774)
    assert [round(t.points, 4) for t in result.tools] == [26.4774, 26.058, 15.942]


@pytest.mark.parametrize("case", GOLDEN["oit_points"], ids=_case_id)
def test_it_reproduces_published_oit_columns(case: dict[str, Any]) -> None:
    indicators = {n: 80.0 for n in range(1, 9)} | {9: case["ind9"], 10: case["ind10"]}
    oit = score(get_framework(case["year"]), indicators).tools[2]
    assert oit.code == "OIT"
    assert round_half_up(oit.points) == pytest.approx(case["points"], abs=0.01)


@pytest.mark.parametrize("case", GOLDEN["tool_points"], ids=_case_id)
def test_it_weighs_tool_scores(case: dict[str, Any]) -> None:
    tool = get_framework(case["year"]).tool(case["tool"])
    assert round_half_up(case["score"] * tool.weight / 100) == case["points"]


def _answers(year: int, passed_per_sub: dict[str, int]) -> dict[str, bool]:
    framework = get_framework(year)
    answers = {item.code: True for item in framework.items}
    for sub in framework.oit.sub_indicators:
        if sub.code in passed_per_sub:
            for k, item in enumerate(sub.items):
                answers[item.code] = k < passed_per_sub[sub.code]
    return answers


@pytest.mark.parametrize("case", GOLDEN["oit_indicators"], ids=_case_id)
def test_it_reproduces_published_oit_indicator_scores(case: dict[str, Any]) -> None:
    oit = oit_scores(get_framework(case["year"]), _answers(case["year"], case["passed"]))
    assert oit.indicators[case["indicator"]] == case["score"]


@pytest.mark.parametrize("case", GOLDEN["solutions"], ids=lambda c: f"{c['year']}-{c['indicator']}")
def test_only_sub_indicator_averaging_explains_the_seed(case: dict[str, Any]) -> None:
    """Brute force over every pass count: the rule yields exactly the solutions REPORT.md lists."""
    framework = get_framework(case["year"])
    subs = framework.sub_indicators_of(case["indicator"])
    found = []
    for counts in itertools.product(*(range(len(s.items) + 1) for s in subs)):
        value = sum(100 * c / len(s.items) for c, s in zip(counts, subs, strict=True)) / len(subs)
        if round_half_up(value) == case["score"]:
            found.append(list(counts))
    assert found == case["expected"]


def test_a_mean_over_items_could_not_give_31_25() -> None:
    n_items = len([i for s in get_framework(2564).sub_indicators_of(10) for i in s.items])
    assert all(round_half_up(100 * k / n_items) != 31.25 for k in range(n_items + 1))


def test_the_seed_items_give_48_46_and_31_25() -> None:
    from prongsai.results import load_results

    results = load_results(Path(__file__).parents[1] / "examples" / "songkhanong-2564.yaml")
    assert results.oit is not None
    assert results.oit.indicators == {9: 48.46, 10: 31.25}
    assert {"O2", "O3", "O4", "O6", "O37", "O42", "O43"} <= set(results.oit.failed_items)


def test_it_refuses_to_score_with_an_item_unanswered() -> None:
    answers = _answers(2564, {})
    del answers["O7"]
    with pytest.raises(ValueError, match="O7"):
        oit_scores(get_framework(2564), answers)


@pytest.mark.parametrize(
    ("code", "worth"),
    [("O42", 5.0), ("O43", 5.0), ("O34", 1.25), ("O25", 1.0), ("O29", 0.8), ("O18", 20 / 7 / 5), ("O1", 20 / 9 / 5)],
)
def test_item_worth_in_fy2564(code: str, worth: float) -> None:
    assert item_worth(get_framework(2564), code) == pytest.approx(worth)


@pytest.mark.parametrize("year", available_years())
def test_every_item_together_is_worth_the_whole_oit_weight(year: int) -> None:
    framework = get_framework(year)
    assert sum(item_worth(framework, i.code) for i in framework.items) == pytest.approx(framework.tool("OIT").weight)


# --- properties ------------------------------------------------------------------------------

scores_st = st.lists(st.floats(0, 100, allow_nan=False), min_size=10, max_size=10)


@given(st.sampled_from(available_years()), scores_st, st.integers(1, 10), st.floats(0, 100))
def test_the_total_never_falls_when_an_indicator_rises(year: int, base: list[float], k: int, raised: float) -> None:
    framework = get_framework(year)
    before = dict(enumerate(base, start=1))
    after = before | {k: max(before[k], raised)}
    assert score(framework, after).total_exact >= score(framework, before).total_exact
    assert score(framework, after).total >= score(framework, before).total


@given(st.sampled_from(available_years()), st.integers(0, 10_000))
def test_grades_cover_0_to_100_without_gaps(year: int, hundredths: int) -> None:
    framework = get_framework(year)
    total = hundredths / 100
    grade = framework.grade_for(total)
    band = next(b for b in framework.grades if b.grade == grade)
    assert band.min <= total <= band.max
    assert sum(b.min <= total <= b.max for b in framework.grades) == 1


@given(st.sampled_from(available_years()), st.floats(0, 100, allow_nan=False))
def test_passing_means_reaching_the_pass_mark(year: int, value: float) -> None:
    framework = get_framework(year)
    result = score(framework, dict.fromkeys(range(1, 11), value))
    assert result.passed is (result.total >= 85)
    assert (result.grade is None) is (not framework.has_grades)
