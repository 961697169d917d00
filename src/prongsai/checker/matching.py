"""Which OIT item a text shows, and how well: the item's key terms found on Thai word boundaries and its title."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prongsai.checker.thaitext import _prepared, _Text, normalise, tokens

if TYPE_CHECKING:
    from prongsai.framework import Item

__all__ = ["TITLE_WEIGHT", "Match", "best_item", "head_of", "match_item"]

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


# --- the document's own title and headings --------------------------------------------------------
# What a document calls itself (its title, headings and first lines: its "head") says more than a word
# anywhere in its body. There a title is matched as people write it: with และ/หรือ added or left out
# (อำนาจและหน้าที่ for อำนาจหน้าที่), ฯ and spaces anywhere, and a letter or two misspelled (กฏหมาย for กฎหมาย)
# — an approximate match with one edit per EDIT_CHARS characters. A title found only in part gives the
# share of its words found; a key term ending in a grammatical morpheme (ปฏิบัติงาน) counts when the head
# has its stem with the other one (วิธีปฏิบัติการ), as the two say the same of a document.

HEAD_LINES = 8
HEAD_CHARS = 600
EDIT_CHARS = 8  # one edit allowed per this many characters of a title
MIN_FUZZY = 6  # characters: shorter titles must match exactly
_FILLERS = re.compile(r"และ|หรือ|ฯ|\s+")
_SWAP_GLUE = {"งาน": "การ", "การ": "งาน"}


def head_of(text: str, headings: Sequence[str] = ()) -> str:
    """The document's head: its headings, then its first HEAD_LINES non-empty lines, HEAD_CHARS at most."""
    lines = [line for line in text.split("\n", HEAD_LINES * 4) if line.strip()][:HEAD_LINES]
    return "\n".join((*headings, *lines))[:HEAD_CHARS]


def _form(text: str) -> str:
    """Text as titles are compared in a head: normalised, without และ/หรือ, ฯ and spaces."""
    return _FILLERS.sub("", normalise(text))


def _within(pattern: str, text: str, edits: int) -> bool:
    """Whether ``pattern`` occurs in ``text`` with at most ``edits`` insertions, deletions or substitutions.

    Myers' bit-parallel algorithm (1999) in its search form: one pass over ``text``, a few integer
    operations a character, for patterns of any length (Python integers have no width)."""
    length = len(pattern)
    if length <= edits:
        return True
    masks: dict[str, int] = {}
    for index, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << index)
    full, last = (1 << length) - 1, 1 << (length - 1)
    plus, minus, score = full, 0, length
    for char in text:
        equal = masks.get(char, 0)
        vertical = equal | minus
        horizontal = (((equal & plus) + plus) ^ plus) | equal
        h_plus = minus | (~(horizontal | plus) & full)
        h_minus = plus & horizontal
        if h_plus & last:
            score += 1
        elif h_minus & last:
            score -= 1
        h_plus = (h_plus << 1) & full
        h_minus = (h_minus << 1) & full
        plus = h_minus | (~(vertical | h_plus) & full)
        minus = h_plus & vertical
        if score <= edits:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _title_in_head(title: str, head: str) -> bool:
    wanted, form = _form(title), _form(head)
    if wanted in form:
        return True
    return len(wanted) >= MIN_FUZZY and _within(wanted, form, len(wanted) // EDIT_CHARS)


@functools.lru_cache(maxsize=4096)
def _title_share(title: str, head: str) -> float:
    """The share of the title's words that the head has (a partial title: คู่มือการปฏิบัติงาน of a longer one)."""
    words = _title_tokens(title)
    if not words:
        return 0.0
    prepared = _Text.of(head)
    return sum(prepared.has(word) for word in words) / len(words)


def _variant_in_head(term: str, head: _Text) -> bool:
    """A key term such as ปฏิบัติงาน or ดำเนินการ whose stem the head has with the other morpheme."""
    for glue, other in _SWAP_GLUE.items():
        stem = term[: -len(glue)]
        if term.endswith(glue) and len(stem) >= 4 and head.has(stem + other):
            return True
    return False


@functools.lru_cache(maxsize=1024)
def _titles(title: str) -> tuple[str, ...]:
    """The title and the titles its หรือ offers between two kinds of document: คู่มือหรือมาตรฐานการปฏิบัติงาน
    is also มาตรฐานการปฏิบัติงาน and คู่มือการปฏิบัติงาน; แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน either plan.
    A หรือ inside a phrase (ทรัพย์สินหรือประโยชน์อื่นใด) offers nothing: its sides are not titles."""
    if "หรือ" not in title:
        return (title,)
    from pythainlp.tokenize import word_tokenize

    left, right = (part.strip() for part in title.split("หรือ", 1))
    left_words = word_tokenize(left, engine="newmm", keep_whitespace=False)
    right_words = word_tokenize(right, engine="newmm", keep_whitespace=False)
    subject = right.find("การ")  # the subject after the second kind: แนวทาง|การปฏิบัติงาน…
    if len(left_words) == 1 and subject > 0:  # a kind of document, then another with its subject
        return (title, right, left + right[subject:])
    if left_words and right_words and left_words[0] == right_words[0]:  # two plans, two reports
        return (title, left, right)
    return (title,)


def match_item(text: str, item: Item, *, head: str | None = None) -> Match:
    """How well ``text`` shows ``item``: its key terms, found on word boundaries, and its title.

    ``head`` is what the document calls itself (:func:`head_of`; by default the first lines of ``text``):
    there the title is matched tolerantly and in part, and a key term's variant counts."""
    prepared = _prepared(text)
    head = head_of(text) if head is None else head
    head_text = _Text.of(head)
    found = tuple(
        term
        for term in item.key_terms_th
        if prepared.has(term) or head_text.has(term) or _variant_in_head(normalise(term), head_text)
    )
    missing = tuple(term for term in item.key_terms_th if term not in found)
    title_found = any(_title_found(prepared, title) or _title_in_head(title, head) for title in _titles(item.title_th))
    title_part = 1.0 if title_found else _title_share(item.title_th, head)
    share = len(found) / len(item.key_terms_th) if item.key_terms_th else 0.0
    score = round((1 - TITLE_WEIGHT) * share + TITLE_WEIGHT * title_part, 4)
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
