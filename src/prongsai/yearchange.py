"""OIT items across years: which previous item(s) each item continues, and what changed between two years.

A year's file may say it (``Item.continues``); where it does not, :func:`propose_mapping` proposes
predecessors from the items' titles and elements (``must_show_th``), for a person to confirm. Every link
says whether it was stated by the file or proposed, and a proposal carries its score (0–1).

How a proposal is made (no rule knows any particular year):

- an item whose title is the same as a previous item's (spaces, digits and case aside) continues it;
- otherwise each pair of items is scored by word overlap (PyThaiNLP's ``word_tokenize``, words weighted
  by how rare they are among the two years' items): mostly the title, then the elements, and a little
  for keeping the same number;
- each previous item goes to its best-scoring current item (several previous items on one current item
  is a merge), and a current item left without any gets its best previous item (a split), both only
  above :data:`MIN_SCORE`. Below it, an item is new (or the previous one removed).

:func:`diff` lists the changes between two years: items added, removed, renamed, renumbered, merged,
split, a changed period (coverage), and changes in weights, pass mark, grade bands and rating words; each
in Thai and English for people.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from prongsai.framework import Coverage, Framework, Item
from prongsai.thai import to_arabic_digits

__all__ = [
    "COVERAGE_EN",
    "COVERAGE_TH",
    "GROUPS",
    "MIN_SCORE",
    "Change",
    "ChangeKind",
    "Link",
    "carry_map",
    "diff",
    "grouped",
    "mapping",
    "propose_mapping",
    "similarity",
]

MIN_SCORE = 0.3  # below this, two items are not the same requirement
_WEIGHTS = (0.6, 0.35, 0.05)  # title, elements, same number

ChangeKind = Literal[
    "added",
    "removed",
    "merged",
    "split",
    "renamed",
    "renumbered",
    "coverage",
    "publication",
    "pass_mark",
    "tool_weight",
    "indicator_weight",
    "grades",
    "ratings",
]

# The groups a person reads, in this order: (kind, Thai heading, English heading).
GROUPS: tuple[tuple[ChangeKind, str, str], ...] = (
    ("added", "ข้อที่เพิ่มใหม่", "New items"),
    ("removed", "ข้อที่ยกเลิก", "Items dropped"),
    ("merged", "ข้อที่รวมกัน", "Items merged"),
    ("split", "ข้อที่แยกออกเป็นหลายข้อ", "Items split"),
    ("renamed", "ข้อที่เปลี่ยนชื่อ", "Items renamed"),
    ("renumbered", "ข้อที่เปลี่ยนเลขข้อ", "Items renumbered"),
    ("coverage", "ข้อที่เปลี่ยนช่วงเวลาของข้อมูล", "Items whose period changed"),
    ("publication", "วิธีประกาศผล", "How the result is published"),
    ("pass_mark", "เกณฑ์ผ่าน", "Pass mark"),
    ("tool_weight", "น้ำหนักของเครื่องมือ", "Tool weights"),
    ("indicator_weight", "น้ำหนักของตัวชี้วัด", "Indicator weights"),
    ("grades", "ช่วงคะแนนของระดับผล", "Grade bands"),
    ("ratings", "ระดับผลการประเมิน", "Rating words"),
)

COVERAGE_TH: dict[Coverage, str] = {
    Coverage.STANDING: "ข้อมูลที่เป็นปัจจุบัน",
    Coverage.CURRENT_YEAR: "ข้อมูลของปีงบประมาณที่ประเมิน",
    Coverage.HALF_YEAR: "ข้อมูลรอบ 6 เดือนแรกของปีงบประมาณที่ประเมิน",
    Coverage.PREVIOUS_YEAR: "ข้อมูลของปีงบประมาณก่อนปีที่ประเมิน",
}
COVERAGE_EN: dict[Coverage, str] = {
    Coverage.STANDING: "current standing information",
    Coverage.CURRENT_YEAR: "the assessed fiscal year",
    Coverage.HALF_YEAR: "the first half of the assessed fiscal year",
    Coverage.PREVIOUS_YEAR: "the fiscal year before the assessed one",
}


@dataclass(frozen=True)
class Link:
    """The previous year's item(s) one current item continues: stated by the file, or proposed with a score."""

    code: str
    previous: tuple[str, ...]
    stated: bool
    score: float | None = None  # proposals only: the weakest pair's score, 0–1

    @property
    def proposed(self) -> bool:
        return not self.stated


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    text_th: str
    text_en: str
    codes: tuple[str, ...] = ()  # the current year's item codes concerned
    previous: tuple[str, ...] = ()  # the previous year's item codes concerned
    proposed: bool = False  # rests on a proposed (not stated) mapping
    score: float | None = None
    extra: Mapping[str, object] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "codes": list(self.codes),
            "previous": list(self.previous),
            "proposed": self.proposed,
            "score": self.score,
            "text_th": self.text_th,
            "text_en": self.text_en,
            **dict(self.extra),
        }


# --- comparing texts ---------------------------------------------------------------------------

_WORD = re.compile(r"[\w\u0E00-\u0E7F]")
_PUNCTUATION = " ()[]{}\"'“”‘’,.:;!?/"
MERGE_SHARE = 0.5  # a further predecessor of one item needs at least this share of its best one's score


def _normal(text: str) -> str:
    return to_arabic_digits(unicodedata.normalize("NFC", text)).casefold()


def _same_title(a: str, b: str) -> bool:
    return re.sub(r"[\s\W_]+", "", _normal(a)) == re.sub(r"[\s\W_]+", "", _normal(b))


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    from pythainlp.tokenize import word_tokenize  # slow to import: only when years are compared

    words = word_tokenize(_normal(text), engine="newmm", keep_whitespace=False)
    return frozenset(w for w in (w.strip(_PUNCTUATION) for w in words) if len(w) > 1 and _WORD.search(w))


def _title_words(item: Item) -> frozenset[str]:
    return _words(item.title_th)


def _body_words(item: Item) -> frozenset[str]:
    return frozenset().union(*(_words(text) for text in item.must_show_th))


def _weights(items: Iterable[Item]) -> dict[str, float]:
    """Inverse document frequency over the items of both years: a word every item has counts little."""
    documents = [_title_words(i) | _body_words(i) for i in items]
    counts = Counter(w for doc in documents for w in doc)
    n = len(documents)
    return {w: math.log(1 + n / c) for w, c in counts.items()}


def _overlap(a: frozenset[str], b: frozenset[str], weight: Mapping[str, float]) -> tuple[float, float]:
    """Weighted Jaccard and weighted containment (the shared part of the smaller set)."""
    if not a or not b:
        return 0.0, 0.0

    def w(words: Iterable[str]) -> float:
        return sum(weight.get(x, 1.0) for x in words)

    shared = w(a & b)
    return shared / w(a | b), shared / min(w(a), w(b))


def similarity(previous: Item, current: Item, weight: Mapping[str, float] | None = None) -> float:
    """How likely ``current`` continues ``previous``, 0–1 (1: the same title)."""
    if _same_title(previous.title_th, current.title_th):
        return 1.0
    weight = weight if weight is not None else _weights((previous, current))
    jaccard, contained = _overlap(_title_words(previous), _title_words(current), weight)
    title = (jaccard + contained) / 2
    body, _ = _overlap(_body_words(previous), _body_words(current), weight)
    number = 1.0 if previous.number == current.number else 0.0
    w_title, w_body, w_number = _WEIGHTS
    return round(w_title * title + w_body * body + w_number * number, 3)


# --- the mapping -------------------------------------------------------------------------------


def propose_mapping(previous: Framework, current: Framework, *, use_continues: bool = True) -> dict[str, Link]:
    """Every current item's predecessors: as the file states them (``continues``), or proposed.

    ``use_continues=False`` proposes for every item (a year's file replaced by another file of the same
    year: its ``continues`` name the year before, not the file it replaces)."""
    stated = {
        item.code: Link(item.code, tuple(item.continues), stated=True)
        for item in current.items
        if use_continues and item.continues is not None
    }
    open_items = [item for item in current.items if item.code not in stated]
    if not open_items:
        return {item.code: stated[item.code] for item in current.items}
    weight = _weights((*previous.items, *current.items))
    scores = {(p.code, c.code): similarity(p, c, weight) for p in previous.items for c in open_items}
    exact = {pair for pair, s in scores.items() if s == 1.0}
    chosen: dict[str, set[str]] = defaultdict(set)
    for old_code, new_code in exact:
        chosen[new_code].add(old_code)
    # an exact title wins: those items take no other predecessor, those previous items go nowhere else
    closed_p, closed_c = {pair[0] for pair in exact}, {pair[1] for pair in exact}
    candidates = [c for c in open_items if c.code not in closed_c]
    # each other previous item to its best current item (several on one item: a merge) …
    for p in previous.items:
        if p.code in closed_p or not candidates:
            continue
        best = max(candidates, key=lambda c: (scores[(p.code, c.code)], -abs(c.number - p.number)))
        if scores[(p.code, best.code)] >= MIN_SCORE:
            chosen[best.code].add(p.code)
    # … where a further predecessor is far weaker than the item's best one, it is not the same requirement
    for c in candidates:
        if len(chosen[c.code]) > 1:
            top = max(scores[(code, c.code)] for code in chosen[c.code])
            chosen[c.code] = {code for code in chosen[c.code] if scores[(code, c.code)] >= MERGE_SHARE * top}
    # a current item still without one takes its best previous item (one continued by several: a split)
    for c in candidates:
        if chosen[c.code]:
            continue
        best_p = max(previous.items, key=lambda p: (scores[(p.code, c.code)], -abs(c.number - p.number)))
        if scores[(best_p.code, c.code)] >= MIN_SCORE:
            chosen[c.code].add(best_p.code)
    links = dict(stated)
    for c in open_items:
        codes = tuple(sorted(chosen[c.code], key=lambda code: int(code[1:])))
        score = min((scores[(code, c.code)] for code in codes), default=None)
        links[c.code] = Link(c.code, codes, stated=False, score=score)
    return {item.code: links[item.code] for item in current.items}


mapping = propose_mapping


def carry_map(links: Mapping[str, Link]) -> dict[str, tuple[str, ...]]:
    """Previous code → the current codes that continue it (empty: nothing continues it)."""
    found: dict[str, list[str]] = defaultdict(list)
    for link in links.values():
        for code in link.previous:
            found[code].append(link.code)
    return {p: tuple(sorted(cs, key=lambda c: int(c[1:]))) for p, cs in found.items()}


# --- the changes -------------------------------------------------------------------------------


def _and(codes: Sequence[str], word: str) -> str:
    if len(codes) <= 1:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} {word} {codes[-1]}"


def _proposed_th(proposed: bool) -> str:
    return " (ระบบเสนอจากความคล้ายของข้อ ไฟล์ไม่ได้ระบุ โปรดตรวจสอบ)" if proposed else ""


def _proposed_en(proposed: bool) -> str:
    return " (proposed from similar wording, not stated by the file: please check)" if proposed else ""


def diff(
    previous: Framework,
    current: Framework,
    links: Mapping[str, Link] | None = None,
    *,
    use_continues: bool = True,
) -> list[Change]:
    """The changes from ``previous`` to ``current``, in the order of :data:`GROUPS`."""
    links = links if links is not None else propose_mapping(previous, current, use_continues=use_continues)
    p_th, c_th, p_en, c_en = _labels(previous, current)
    before = {item.code: item for item in previous.items}
    after = {item.code: item for item in current.items}
    successors = carry_map(links)
    changes: list[Change] = []

    for link in links.values():
        item = after[link.code]
        flag_th, flag_en = _proposed_th(link.proposed), _proposed_en(link.proposed)
        known = [code for code in link.previous if code in before]
        if not known:
            changes.append(
                Change(
                    "added",
                    f"ข้อ {link.code} {item.title_th} เป็นข้อใหม่ของ{c_th}{flag_th}",
                    f"{link.code} {item.title_en} is new in {c_en}{flag_en}",
                    (link.code,),
                    link.previous,
                    link.proposed,
                    link.score,
                )
            )
            continue
        if len(known) > 1:
            titles = "; ".join(f"{c} {before[c].title_th}" for c in known)
            changes.append(
                Change(
                    "merged",
                    f"ข้อ {link.code} {item.title_th} ของ{c_th} รวมข้อ {_and(known, 'และ')} ของ{p_th} "
                    f"({titles}) ไว้เป็นข้อเดียว{flag_th}",
                    f"{c_en} {link.code} {item.title_en} merges {p_en} {_and(known, 'and')}{flag_en}",
                    (link.code,),
                    link.previous,
                    link.proposed,
                    link.score,
                )
            )
        else:
            old = before[known[0]]
            if len(successors.get(old.code, ())) == 1:
                if not _same_title(old.title_th, item.title_th):
                    changes.append(
                        Change(
                            "renamed",
                            f"ข้อ {link.code} เปลี่ยนชื่อจาก “{old.title_th}” (ข้อ {old.code} ของ{p_th}) "
                            f"เป็น “{item.title_th}”{flag_th}",
                            f"{link.code} is renamed from “{old.title_en}” ({p_en} {old.code}) "
                            f"to “{item.title_en}”{flag_en}",
                            (link.code,),
                            link.previous,
                            link.proposed,
                            link.score,
                        )
                    )
                if old.code != link.code:
                    changes.append(
                        Change(
                            "renumbered",
                            f"ข้อ {old.code} ของ{p_th} ({old.title_th}) เป็นข้อ {link.code} ใน{c_th}{flag_th}",
                            f"{p_en} {old.code} ({old.title_en}) is {link.code} in {c_en}{flag_en}",
                            (link.code,),
                            link.previous,
                            link.proposed,
                            link.score,
                        )
                    )
        covered = {before[c].coverage for c in known}
        if covered != {item.coverage}:
            was_th = " และ".join(COVERAGE_TH[c] for c in sorted(covered))
            was_en = " and ".join(COVERAGE_EN[c] for c in sorted(covered))
            changes.append(
                Change(
                    "coverage",
                    f"ข้อ {link.code} {item.title_th} เปลี่ยนช่วงเวลาของข้อมูลจาก{was_th} "
                    f"เป็น{COVERAGE_TH[item.coverage]}{flag_th}",
                    f"{link.code} {item.title_en} now covers {COVERAGE_EN[item.coverage]} (was {was_en}){flag_en}",
                    (link.code,),
                    link.previous,
                    link.proposed,
                    link.score,
                    {"from": sorted(c.value for c in covered), "to": item.coverage.value},
                )
            )

    for old_code, codes in successors.items():
        if len(codes) > 1 and old_code in before:
            proposed = any(links[c].proposed for c in codes)
            changes.append(
                Change(
                    "split",
                    f"ข้อ {old_code} {before[old_code].title_th} ของ{p_th} แยกเป็นข้อ {_and(codes, 'และ')} "
                    f"ของ{c_th}{_proposed_th(proposed)}",
                    f"{p_en} {old_code} {before[old_code].title_en} is split into {c_en} "
                    f"{_and(codes, 'and')}{_proposed_en(proposed)}",
                    codes=codes,
                    previous=(old_code,),
                    proposed=proposed,
                )
            )
    for old in previous.items:
        if old.code not in successors:
            proposed = any(link.proposed for link in links.values())
            changes.append(
                Change(
                    "removed",
                    f"ข้อ {old.code} {old.title_th} ของ{p_th} ไม่มีใน{c_th}{_proposed_th(proposed)}",
                    f"{p_en} {old.code} {old.title_en} is dropped in {c_en}{_proposed_en(proposed)}",
                    previous=(old.code,),
                    proposed=proposed,
                )
            )
    changes += _rule_changes(previous, current)
    order = {kind: n for n, (kind, _, _) in enumerate(GROUPS)}
    return sorted(changes, key=lambda ch: order[ch.kind])  # stable: items keep the current year's order


def grouped(changes: Iterable[Change]) -> list[tuple[ChangeKind, str, str, list[Change]]]:
    """The changes by group, in the order of :data:`GROUPS`, leaving out empty groups."""
    found: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        found[change.kind].append(change)
    return [(kind, th, en, found[kind]) for kind, th, en in GROUPS if found[kind]]


def _labels(previous: Framework, current: Framework) -> tuple[str, str, str, str]:
    """How the two sides are named: by year, or (a file replacing one of the same year) old and new."""
    py, cy = previous.fiscal_year, current.fiscal_year
    if py == cy:
        return "กรอบเดิม", "กรอบใหม่", "the framework in use", "the new file"
    return f"ปี {py}", f"ปี {cy}", f"FY{py}", f"FY{cy}"


def _num(value: float) -> str:
    return f"{value:g}"


def _rule_changes(previous: Framework, current: Framework) -> list[Change]:
    p_th, c_th, p_en, c_en = _labels(previous, current)
    changes: list[Change] = []
    if previous.publication != current.publication:
        names_th = {"grades": "ระดับ AA–F", "pass_fail": "ผ่าน/ไม่ผ่าน", "ratings": "ระดับผลการประเมินเป็นคำ (ผ่านดีเยี่ยม …)"}
        changes.append(
            Change(
                "publication",
                f"ประกาศผลเป็น{names_th[current.publication.value]} ({p_th} ประกาศเป็น"
                f"{names_th[previous.publication.value]})",
                f"the result is published as {current.publication.value} ({p_en}: {previous.publication.value})",
            )
        )
    if previous.pass_mark != current.pass_mark:
        changes.append(
            Change(
                "pass_mark",
                f"เกณฑ์ผ่านเปลี่ยนจาก {_num(previous.pass_mark)} เป็น {_num(current.pass_mark)} คะแนน",
                f"the pass mark changes from {_num(previous.pass_mark)} to {_num(current.pass_mark)}",
            )
        )
    for tool in current.tools:
        was = previous.tool(tool.code).weight
        if was != tool.weight:
            changes.append(
                Change(
                    "tool_weight",
                    f"{tool.code} ({tool.name_th}) มีน้ำหนักร้อยละ {_num(tool.weight)} ({p_th} ร้อยละ {_num(was)})",
                    f"{tool.code} weighs {_num(tool.weight)}% ({p_en}: {_num(was)}%)",
                )
            )
    for ind in current.indicators:
        old = previous.indicator(ind.number)
        if old.weight != ind.weight:
            changes.append(
                Change(
                    "indicator_weight",
                    f"ตัวชี้วัดที่ {ind.number} {ind.name_th} มีน้ำหนักร้อยละ {_num(ind.weight)} "
                    f"({p_th} ร้อยละ {_num(old.weight)})",
                    f"indicator {ind.number} {ind.name_en} weighs {_num(ind.weight)}% ({p_en}: {_num(old.weight)}%)",
                )
            )
    if [(g.grade, g.min, g.max) for g in previous.grades] != [(g.grade, g.min, g.max) for g in current.grades]:
        bands = ", ".join(f"{g.grade} {_num(g.min)}–{_num(g.max)}" for g in current.grades)
        changes.append(Change("grades", f"ช่วงคะแนนของระดับผลใน{c_th}: {bands}", f"{c_en} grade bands: {bands}"))
    old_r = [(r.label_th, r.min_total, r.min_each_tool) for r in previous.ratings]
    new_r = [(r.label_th, r.min_total, r.min_each_tool) for r in current.ratings]
    if old_r != new_r and current.ratings:
        words_th = ", ".join(f"{r.label_th} ({_num(r.min_total)} ขึ้นไป)" for r in current.ratings)
        words_en = ", ".join(f"{r.label_en} ({_num(r.min_total)}+)" for r in current.ratings)
        changes.append(Change("ratings", f"ระดับผลการประเมินของ{c_th}: {words_th}", f"{c_en} rating words: {words_en}"))
    return changes
