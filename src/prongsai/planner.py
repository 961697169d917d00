"""The what-if planner: which actions raise the total most, and what passing takes.

An OIT item that goes from 0 to 100 adds a fixed number of total points, and the total is linear
in the items, so the fewest items that reach a target are simply the most valuable ones first
(a greedy choice is optimal for the count). Each candidate set is still re-scored through the
ordinary scoring path, so published rounding is honoured exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from prongsai.framework import Framework, Item, SubIndicator
from prongsai.results import Results
from prongsai.scoring import IndicatorScore, ScoreResult, item_worth, oit_scores, score

__all__ = ["ItemAction", "ItemGroup", "Plan", "Route", "plan"]


@dataclass(frozen=True)
class ItemAction:
    item: Item
    sub_indicator: SubIndicator
    worth: float  # total points gained when the item passes


@dataclass(frozen=True)
class ItemGroup:
    """The failing items of one sub-indicator: the seed's 'O42 and O43 together are worth 10 points'."""

    sub_indicator: SubIndicator
    actions: tuple[ItemAction, ...]

    @property
    def worth(self) -> float:
        return sum(a.worth for a in self.actions)


@dataclass(frozen=True)
class Route:
    """A smallest set of items to publish and the total it gives (None when it cannot reach)."""

    goal: str  # "pass" or a grade letter
    target: float
    actions: tuple[ItemAction, ...]
    total: float
    reached: bool


@dataclass(frozen=True)
class Plan:
    score: ScoreResult
    target: float
    indicators: tuple[IndicatorScore, ...]  # by points lost, most first
    item_actions: tuple[ItemAction, ...] | None  # failing items, most valuable first; None without answers
    groups: tuple[ItemGroup, ...]
    to_target: Route | None
    to_next_grade: Route | None
    oit_ceiling: float  # the total with every OIT item published, indicators 1–8 unchanged

    @property
    def framework(self) -> Framework:
        return self.score.framework


def plan(results: Results, target: float | None = None) -> Plan:
    framework = results.framework
    goal = framework.pass_mark if target is None else target
    current = results.score()
    ceiling = score(framework, {**results.indicators, 9: 100.0, 10: 100.0}).total
    indicators = tuple(sorted(current.indicators, key=lambda i: (-i.points_lost, i.number)))
    if results.oit is None:
        return Plan(current, goal, indicators, None, (), None, None, ceiling)
    actions = _failing_items(framework, results.oit.failed_items)
    passed = {item.code: item.code not in results.oit.failed_items for item in framework.items}
    next_grade = _next_grade(framework, current)
    return Plan(
        score=current,
        target=goal,
        indicators=indicators,
        item_actions=actions,
        groups=_groups(actions),
        to_target=_route(results, passed, actions, "pass", goal),
        to_next_grade=_route(results, passed, actions, next_grade[0], next_grade[1]) if next_grade else None,
        oit_ceiling=ceiling,
    )


def _failing_items(framework: Framework, failed: tuple[str, ...]) -> tuple[ItemAction, ...]:
    actions = [
        ItemAction(framework.item(code), framework.sub_indicator_of(code), item_worth(framework, code))
        for code in failed
    ]
    return tuple(sorted(actions, key=lambda a: (-round(a.worth, 9), a.item.number)))


def _groups(actions: tuple[ItemAction, ...]) -> tuple[ItemGroup, ...]:
    by_sub: dict[str, list[ItemAction]] = {}
    for action in actions:
        by_sub.setdefault(action.sub_indicator.code, []).append(action)
    groups = [
        ItemGroup(group[0].sub_indicator, tuple(sorted(group, key=lambda a: a.item.number)))
        for group in by_sub.values()
    ]
    return tuple(sorted(groups, key=lambda g: (-round(g.worth, 9), g.sub_indicator.code)))


def _next_grade(framework: Framework, current: ScoreResult) -> tuple[str, float] | None:
    if not framework.has_grades:
        return None
    above = [band for band in framework.grades if band.min > current.total]
    return (above[-1].grade, above[-1].min) if above else None


def _route(
    results: Results, passed: dict[str, bool], actions: tuple[ItemAction, ...], goal: str, target: float
) -> Route:
    chosen: list[ItemAction] = []
    total = _total_with(results, passed, chosen)
    for action in actions:
        if total >= target:
            break
        chosen.append(action)
        total = _total_with(results, passed, chosen)
    return Route(goal, target, tuple(chosen), total, total >= target)


def _total_with(results: Results, passed: dict[str, bool], extra: list[ItemAction]) -> float:
    framework = results.framework
    fixed = {**passed, **{a.item.code: True for a in extra}}
    oit = oit_scores(framework, fixed)
    return score(framework, {**results.indicators, **oit.indicators}).total
