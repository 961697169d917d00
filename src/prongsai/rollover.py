"""Which items of one fiscal year feed each item of the next: what carries an agency's work across a year.

Item codes change between years (FY2569's O20 is FY2568's O21 and O22 merged), so the register's URLs,
explanations and units, and the OIT items a measure names, follow this mapping when a new year starts.

The mapping of an item, in this order:

1. its ``continues`` in the new year's framework, where the file says it (``[O21, O22]`` a merge,
   ``[]`` a new item);
2. otherwise a proposal for the items the file says nothing about (:func:`_without_continues`, the one
   place where it plugs in): prongsai.yearchange.propose_mapping, which takes the previous year's item with
   the same title, else the most similar titles and elements; a person checks it (``how`` says "proposed").

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
    def proposed(self) -> dict[str, tuple[str, ...]]:
        """The mappings proposed from similar wording (not stated, not the same title): for a person to check."""
        return {code: self.predecessors[code] for code, source in self.how.items() if source == "proposed"}

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
    """Predecessors for the items whose file does not say what they continue: the single place where the
    proposal plugs in (prongsai.yearchange.propose_mapping: the same title, else similar titles and elements,
    for a person to check). A proposal that is the same title exactly counts as ``title``."""
    if not items:
        return {}
    from prongsai.yearchange import propose_mapping  # PyThaiNLP's tokenizer: only when a file leaves gaps

    links = propose_mapping(previous, current)
    found: dict[str, tuple[tuple[str, ...], Source]] = {}
    for item in items:
        link = links.get(item.code)
        if link is not None and link.previous:
            found[item.code] = (link.previous, "title" if _same_title(previous, link.previous, item) else "proposed")
    return found


def _same_title(previous: Framework, codes: tuple[str, ...], item: Item) -> bool:
    return len(codes) == 1 and _title_key(previous.item(codes[0]).title_th) == _title_key(item.title_th)


def _title_key(title: str) -> str:
    return " ".join(title.split())
