"""The what-if planner, table-driven over small item-level situations and on the seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from prongsai.frameworks import get_framework
from prongsai.planner import plan
from prongsai.report import plan_text
from prongsai.results import Results, load_results
from prongsai.scoring import oit_scores

SEED = Path(__file__).parents[1] / "examples" / "songkhanong-2564.yaml"


def _results(year: int, indicators_1_8: float, failed: set[str]) -> Results:
    framework = get_framework(year)
    oit = oit_scores(framework, {item.code: item.code not in failed for item in framework.items})
    indicators = dict.fromkeys(range(1, 9), indicators_1_8) | oit.indicators
    return Results("test", framework, indicators, oit=oit)


def test_it_says_in_thai_that_o42_and_o43_add_10_points() -> None:
    text = plan_text(plan(load_results(SEED)))
    assert "เผยแพร่ O42 และ O43 ให้ครบถ้วน จะเพิ่มคะแนนรวม 10.00 คะแนน" in text


def test_seed_groups_put_the_measures_first() -> None:
    the_plan = plan(load_results(SEED))
    first = the_plan.groups[0]
    assert [a.item.code for a in first.actions] == ["O42", "O43"]
    assert first.worth == pytest.approx(10.0)


def test_seed_routes() -> None:
    the_plan = plan(load_results(SEED))
    assert the_plan.to_next_grade is not None and the_plan.to_target is not None
    assert the_plan.to_next_grade.goal == "B"
    assert [a.item.code for a in the_plan.to_next_grade.actions] == ["O42", "O43"]
    assert the_plan.to_next_grade.total == 78.48
    # O42, O43 (5.00 each), then 10.1's O34, O37, O40 (1.25 each), then 9.4's O26, O27, O28 (1.00 each)
    assert [a.item.code for a in the_plan.to_target.actions] == ["O42", "O43", "O34", "O37", "O40", "O26", "O27", "O28"]
    assert the_plan.to_target.total == 85.23
    assert the_plan.to_target.reached


def test_seed_oit_ceiling() -> None:
    # 26.4774 (IIT) + 26.058 (EIT) + 40 (OIT at 100) = 92.5354
    assert plan(load_results(SEED)).oit_ceiling == 92.54


def test_seed_indicator_worth_ranks_the_oit_first() -> None:
    the_plan = plan(load_results(SEED))
    assert [i.number for i in the_plan.indicators[:2]] == [10, 9]
    assert the_plan.indicators[0].points_lost == pytest.approx(13.75)


@pytest.mark.parametrize(
    ("year", "ind_1_8", "failed", "target", "route", "total", "reached"),
    [
        # one missing measure item in FY2564 costs 5 points: 89 → 94 with it
        (2564, 90.0, {"O42"}, 94.0, ["O42"], 94.0, True),
        # already above target: nothing to do
        (2564, 90.0, {"O1"}, 85.0, [], 93.56, True),
        # the most valuable item first, not the lowest number
        (2564, 80.0, {"O1", "O25", "O43"}, 85.0, ["O43"], 86.56, True),
        # a target OIT alone cannot reach
        (2564, 50.0, {"O1", "O42"}, 85.0, ["O42", "O1"], 70.0, False),
        # FY2566: 10.2 has 5 items, so each is worth 2 points
        (2566, 80.0, {"O39", "O40"}, 88.0, ["O39", "O40"], 88.0, True),
    ],
)
def test_routes_to_a_target(
    year: int, ind_1_8: float, failed: set[str], target: float, route: list[str], total: float, reached: bool
) -> None:
    the_plan = plan(_results(year, ind_1_8, failed), target)
    assert the_plan.to_target is not None
    assert [a.item.code for a in the_plan.to_target.actions] == route
    assert the_plan.to_target.total == total
    assert the_plan.to_target.reached is reached


def test_without_item_answers_it_still_ranks_indicators() -> None:
    framework = get_framework(2564)
    results = Results("test", framework, dict.fromkeys(range(1, 11), 70.0))
    the_plan = plan(results)
    assert the_plan.item_actions is None and the_plan.to_target is None
    assert the_plan.oit_ceiling == 82.0
    assert "ยังไม่มีคำตอบรายข้อ OIT" in plan_text(the_plan)


def test_pass_fail_years_have_no_next_grade() -> None:
    the_plan = plan(_results(2566, 70.0, {"O1"}))
    assert the_plan.score.grade is None
    assert the_plan.to_next_grade is None
