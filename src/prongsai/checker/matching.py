"""Which OIT item a text shows, and how well: the item's key terms found on Thai word boundaries and its title."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prongsai.checker.thaitext import _prepared, _Text, tokens

if TYPE_CHECKING:
    from prongsai.framework import Item

__all__ = ["TITLE_WEIGHT", "Match", "best_item", "match_item"]

TITLE_WEIGHT = 0.2  # a found title adds this much; key terms share the rest


@dataclass(frozen=True)
class Match:
    score: float  # 0–1: key terms weigh 1 - TITLE_WEIGHT by their share found, the item's title TITLE_WEIGHT
    found: tuple[str, ...]
    missing: tuple[str, ...]
    title_found: bool


# Words too common to tell titles apart.
_STOP = frozenset(("การ", "และ", "หรือ", "ของ", "ที่", "ใน", "ให้", "ความ", "เพื่อ", "ตาม", "กับ", "ประจำปี"))


@functools.lru_cache(maxsize=1024)
def _title_tokens(title: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(token for token in tokens(title) if len(token) > 1 and token not in _STOP))


def _title_found(prepared: _Text, title: str) -> bool:
    # A long title may run into the next word (…ประจำปีงบประมาณ), so only its start must be a word edge.
    return prepared.has(title, loose_end=len(_title_tokens(title)) >= 3)


def match_item(text: str, item: Item) -> Match:
    """How well ``text`` shows ``item``: its key terms, found on word boundaries, and its title."""
    prepared = _prepared(text)
    found = tuple(term for term in item.key_terms_th if prepared.has(term))
    missing = tuple(term for term in item.key_terms_th if term not in found)
    title_found = _title_found(prepared, item.title_th)
    share = len(found) / len(item.key_terms_th) if item.key_terms_th else 0.0
    score = round((1 - TITLE_WEIGHT) * share + (TITLE_WEIGHT if title_found else 0.0), 4)
    return Match(score=score, found=found, missing=missing, title_found=title_found)


def best_item(text: str, items: Sequence[Item]) -> tuple[str, float]:
    """The code of the item ``text`` shows best, and its score; ("", 0.0) without items.

    Items sharing key terms (O36 and O37 both need ความเสี่ยง and การทุจริต) are told apart by their
    titles: the found title wins, then the share of title words present, then the longer (more specific)
    found title, since O43's title contains all of O42's.
    """
    prepared = _prepared(text)
    best: tuple[tuple[float, float, int, int], str] | None = None
    for item in items:
        match = match_item(text, item)
        words = _title_tokens(item.title_th)
        coverage = sum(prepared.has(word) for word in words) / len(words) if words else 0.0
        rank = (match.score, coverage, len(item.title_th) if match.title_found else 0, len(match.found))
        if best is None or rank > best[0]:
            best = (rank, item.code)
    return (best[1], best[0][0]) if best is not None else ("", 0.0)
