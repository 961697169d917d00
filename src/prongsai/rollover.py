"""Which items of one fiscal year feed each item of the next: what carries an agency's work across a year.

Item codes change between years (FY2569's O20 is FY2568's O21 and O22 merged), so the register's URLs,
explanations and units, and the OIT items a measure names, follow this mapping when a new year starts.

The mapping of an item, in this order:

1. its ``continues`` in the new year's framework, where the file says it (``[O21, O22]`` a merge,
   ``[]`` a new item);
2. otherwise a proposal for the items the file says nothing about (:func:`_without_continues`, the one
   place where a better proposal plugs in); today the previous year's item with exactly the same Thai title.

An item with no predecessor is new work for the year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from prongsai.framework import Framework, Item

__all__ = ["ItemMapping", "Source", "item_mapping"]

Source = Literal["continues", "title", "proposed"]


@dataclass(frozen=True)
class ItemMapping:
    """For every item of ``fiscal_year``, the items of ``previous_year`` it carries on (empty: a new item)."""

    previous_year: int
    fiscal_year: int
    predecessors: dict[str, tuple[str, ...]]  # this year's code → last year's codes, in the file's order
    how: dict[str, Source]  # where each non-empty mapping came from

    @property
    def new_items(self) -> tuple[str, ...]:
        """This year's items that no item of last year feeds: new work."""
        return tuple(code for code, before in self.predecessors.items() if not before)

    def successors(self, previous_code: str) -> tuple[str, ...]:
        """This year's items that carry on last year's item (usually one; none when it was dropped)."""
        return tuple(code for code, before in self.predecessors.items() if previous_code in before)

    def translate(self, previous_codes: Iterable[str]) -> list[str]:
        """Last year's item codes (a measure's ``items``) as this year's, in order, each once; an item
        that was dropped goes."""
        codes: list[str] = []
        for old in previous_codes:
            for new in self.successors(old):
                if new not in codes:
                    codes.append(new)
        return codes


def item_mapping(previous: Framework, current: Framework) -> ItemMapping:
    """Which of ``previous``'s items each item of ``current`` continues (see the module's docstring)."""
    known = {item.code for item in previous.items}
    predecessors: dict[str, tuple[str, ...]] = {}
    how: dict[str, Source] = {}
    unsaid: list[Item] = []
    for item in current.items:
        if item.continues is None:
            unsaid.append(item)
            continue
        predecessors[item.code] = tuple(code for code in item.continues if code in known)
        if predecessors[item.code]:
            how[item.code] = "continues"
    proposed = _without_continues(previous, current, unsaid)
    for item in unsaid:
        codes, source = proposed.get(item.code, ((), "title"))
        predecessors[item.code] = tuple(code for code in codes if code in known)
        if predecessors[item.code]:
            how[item.code] = source
    ordered = {item.code: predecessors[item.code] for item in current.items}
    return ItemMapping(previous.fiscal_year, current.fiscal_year, ordered, how)


def _without_continues(
    previous: Framework, current: Framework, items: Sequence[Item]
) -> dict[str, tuple[tuple[str, ...], Source]]:
    """Predecessors for the items whose file does not say what they continue: the single place where a
    proposal from the items' titles (``propose_mapping``) plugs in. Today: the same Thai title exactly."""
    if not items:
        return {}
    by_title: dict[str, str] = {}
    for item in previous.items:
        by_title.setdefault(_title_key(item.title_th), item.code)
    found: dict[str, tuple[tuple[str, ...], Source]] = {}
    for item in items:
        code = by_title.get(_title_key(item.title_th))
        if code is not None:
            found[item.code] = ((code,), "title")
    return found


def _title_key(title: str) -> str:
    return " ".join(title.split())
