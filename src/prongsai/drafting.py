"""Draft the measures plan (มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน) from last year's ITA result.

The seed drafted อบต.ทรงคนอง's FY2565 measures from its FY2564 result: recommendations by area (ด้าน…) for
the OIT items it missed and the survey indicators that scored low, each with a responsible unit, and a
table of measures with method, unit, period and follow-up. This module proposes the same from a Results.

The rules are data (``rules/drafting.yaml``, its schema in prongsai.rules.schema), never code; this module
drafts from them, filling their templates with str.format_map from plain strings.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from pythainlp.util import thai_strftime

from prongsai.errors import FrameworkError, InputError
from prongsai.framework import Coverage, Framework, Item, normalize_name
from prongsai.frameworks import get_framework
from prongsai.numbers import format_score
from prongsai.report import thai_list
from prongsai.results import Results
from prongsai.rollover import item_mapping
from prongsai.rules.schema import (
    FOLLOW_UP_PLACEHOLDER,
    OIT_INDICATORS,
    RULES_PATH,
    SUB_INDICATORS_PLACEHOLDER,
    Area,
    DraftingRules,
    GeneralMeasure,
    IndicatorRule,
    MeasureText,
    MonthSpan,
    RulesError,
    Unit,
    load_rules,
)
from prongsai.thai import to_thai_digits

__all__ = [
    "RULES_PATH",
    "Area",
    "DraftMeasure",
    "DraftPlan",
    "DraftRecommendation",
    "DraftingRules",
    "GeneralMeasure",
    "IndicatorRule",
    "MeasureText",
    "MonthSpan",
    "RulesError",
    "Unit",
    "draft_plan",
    "load_rules",
    "recommendation_sentence",
    "responsibility_clause",
    "strip_responsibility",
    "thai_spacing",
]

NO_AGENCY_TH = "หน่วยงาน"  # {agency} when the result names none


# --- the draft ---------------------------------------------------------------------------------

# A responsibility clause at the end of a text: what an older draft glued on (sometimes twice), removed
# before the clause of the unit chosen now is added once. With a follow-up unit, in today's words
# (มอบกองคลังเป็นผู้รับผิดชอบ และให้สำนักปลัดฯ เป็นหน่วยติดตามผล) or the seed's older ones (มอบกองคลังดำเนินการ…).
_FOLLOW_UP = r"\s*และ(?:โดย)?ให้\S+?\s?เป็นหน่วยติดตามผล"
_TRAILING_CLAUSE = re.compile(
    rf"\s*(?:โดย)?มอบ(?!หมาย)\S+?\s?(?:เป็นผู้รับผิดชอบ(?:{_FOLLOW_UP})?|ดำเนินการ{_FOLLOW_UP})\s*$"
)
# A text that names only who follows it up (…โดยให้สำนักปลัดฯ เป็นหน่วยติดตามผล): the responsible unit is
# put in front of it, in the one clause.
_OWN_FOLLOW_UP = re.compile(r"\s*(?:โดย)?ให้(\S+?)\s?เป็นหน่วยติดตามผล\s*$")
# A text that already says who does it, in a person's own words (…เป็นผู้รับผิดชอบ, มอบกองคลังดำเนินการ): no
# clause is added. Saying only who follows it up (มอบสำนักปลัดฯ ติดตามผล…) still leaves the clause to add.
_OWN_CLAUSE = re.compile(r"ผู้รับผิดชอบ|มอบ(?!หมาย)\S+?\s?ดำเนินการ")


def strip_responsibility(text: str) -> str:
    """The text without trailing responsibility clauses (โดยมอบ…เป็นผู้รับผิดชอบ), however many."""
    text = text.strip()
    while (stripped := _TRAILING_CLAUSE.sub("", text)) != text:
        text = stripped
    return text


def _after_name(name: str) -> str:
    # "สำนักปลัดฯ เป็น…" but "กองคลังเป็น…": Thai runs on after a Thai letter, never after ฯ or Latin text
    return "" if "\u0e01" <= name[-1:] <= "\u0e4e" and not name.endswith("ฯ") else " "


def responsibility_clause(unit: str, follow_up_unit: str | None = None) -> str:
    """โดยมอบสำนักปลัดฯ เป็นผู้รับผิดชอบ, or with a follow-up unit (procurement, as the seed assigns it):
    โดยมอบกองคลังเป็นผู้รับผิดชอบ และให้สำนักปลัดฯ เป็นหน่วยติดตามผล. "" when no unit is chosen."""
    unit = unit.strip()
    if not unit:
        return ""
    clause = f"โดยมอบ{unit}{_after_name(unit)}เป็นผู้รับผิดชอบ"
    if follow_up_unit and follow_up_unit.strip() and follow_up_unit.strip() != unit:
        follow = follow_up_unit.strip()
        return f"{clause} และให้{follow}{_after_name(follow)}เป็นหน่วยติดตามผล"
    return clause


def recommendation_sentence(area_th: str, text: str, unit: str, follow_up_unit: str | None = None) -> str:
    """One recommendation as the plan prints it: ด้าน… , what to do, and who does it, said once.

    The clause comes from the unit chosen now; one that an older draft left in the text is dropped, and
    a text whose own words already say who does it (a person's edit, a hand-written plan) gets none. A
    text that names only who follows it up (…โดยให้สำนักปลัดฯ เป็นหน่วยติดตามผล) gets the unit in front of it.
    """
    body = strip_responsibility(text)
    area = area_th.strip()
    heading = area if not area or area.startswith("ด้าน") else f"ด้าน{area}"
    if (own := _OWN_FOLLOW_UP.search(body)) and not _OWN_CLAUSE.search(body[: own.start()]):
        body, follow_up_unit = body[: own.start()], own.group(1)
    clause = "" if _OWN_CLAUSE.search(body) else responsibility_clause(unit, follow_up_unit)
    return " ".join(part for part in (heading, body, clause) if part)


@dataclass(frozen=True)
class DraftRecommendation:
    """ข้อเสนอแนะ of one area (or one low indicator), as the seed's ๑) ด้านข้อมูลพื้นฐาน …

    ``text_th`` says what to do and nothing else: the heading (ด้าน…) and the responsibility clause are
    added once, from the unit chosen, by :func:`recommendation_sentence` (``DraftPlan.sentence``)."""

    area_code: str
    area_th: str
    text_th: str
    unit: str  # unit code
    items: tuple[str, ...] = ()  # OIT item codes it addresses, of the plan's year
    indicators: tuple[int, ...] = ()
    follow_up_unit: str | None = None

    @property
    def title_th(self) -> str:
        return f"ด้าน{self.area_th}"


@dataclass(frozen=True)
class DraftMeasure:
    """One row of the measures table: มาตรการ/แนวทาง, วิธีการดำเนินการ, ผู้รับผิดชอบ, ระยะเวลา, การติดตามผล."""

    code: str  # the rule it comes from: a general measure, an area or an indicator rule
    title_th: str
    method_steps: tuple[str, ...]
    unit: str
    period_start: dt.date
    period_end: dt.date
    period_th: str  # ม.ค. – มี.ค. ๖๕
    follow_up_th: str
    items: tuple[str, ...] = ()
    indicators: tuple[int, ...] = ()


@dataclass(frozen=True)
class DraftPlan:
    fiscal_year: int  # the year the plan is for: the result's year + 1
    result_fiscal_year: int
    threshold: float
    recommendations: tuple[DraftRecommendation, ...]  # areas in rule order, then low indicators
    measures: tuple[DraftMeasure, ...]  # those that answer a weakness first, then the general ones
    units: tuple[Unit, ...]

    def unit(self, code: str) -> Unit:
        return next(u for u in self.units if u.code == code)

    def sentence(self, recommendation: DraftRecommendation) -> str:
        """The recommendation as printed, with its responsibility clause once (short unit names)."""
        follow = self.unit(recommendation.follow_up_unit).short_th if recommendation.follow_up_unit else None
        return recommendation_sentence(
            recommendation.area_th, recommendation.text_th, self.unit(recommendation.unit).short_th, follow
        )


def draft_plan(
    results: Results,
    rules: DraftingRules | None = None,
    *,
    unit_overrides: Mapping[str, str] | None = None,
    threshold: float | None = None,
    question_scores: Mapping[str, float] | None = None,
) -> DraftPlan:
    """Propose next year's recommendations and measures from a result.

    The plan is for the year after the result's and names that year's items: a failing item is carried to
    the items of the plan's year that continue it (prongsai.rollover.item_mapping), an item the plan's year
    dropped is left out. Every such item lands in exactly one area. Every indicator under the threshold
    (default: the framework's pass mark) gets a row in the measures table that names what failed: the
    missing items for 9 and 10, the lowest survey questions for 1–8 where ``question_scores`` (question
    code → 0–100) are known. ``unit_overrides`` maps a rule code to the unit the agency chose instead.
    """
    rules = rules if rules is not None else load_rules()
    limit = results.framework.pass_mark if threshold is None else _checked_threshold(threshold)
    drafter = _Drafter(rules, results, limit, _assigned_units(rules, unit_overrides or {}), question_scores or {})
    drafted = [*drafter.from_items(), *drafter.from_indicators()]
    specific = [measure for _, measure in drafted if measure is not None]
    specific += drafter.missing_items_measures()
    return DraftPlan(
        fiscal_year=drafter.year,
        result_fiscal_year=results.fiscal_year,
        threshold=limit,
        recommendations=tuple(recommendation for recommendation, _ in drafted if recommendation is not None),
        measures=_distinct([*specific, *drafter.general_measures()]),
        units=rules.units,
    )


def _checked_threshold(threshold: float) -> float:
    if not 0 <= threshold <= 100:
        raise InputError(
            "", f"เกณฑ์ต้องอยู่ระหว่าง 0 ถึง 100 แต่ได้ {threshold:g} (threshold must be 0–100)", field="threshold"
        )
    return float(threshold)


def _assigned_units(rules: DraftingRules, overrides: Mapping[str, str]) -> dict[str, str]:
    units = rules.default_units()
    known_units = [u.code for u in rules.units]
    for code, unit in overrides.items():
        if code not in units:
            raise InputError(
                "",
                f"ไม่มีด้านหรือมาตรการรหัส '{code}' (no area, indicator rule or measure '{code}'; "
                f"codes are {', '.join(units)})",
                field=f"unit_overrides.{code}",
            )
        if unit not in known_units:
            raise InputError(
                "",
                f"ไม่มีหน่วยงานย่อยรหัส '{unit}' (no unit '{unit}'; units are {', '.join(known_units)})",
                field=f"unit_overrides.{code}",
            )
        units[code] = unit
    return units


def _distinct(measures: Iterable[DraftMeasure]) -> tuple[DraftMeasure, ...]:
    """Each row once: a row with the title or the steps of an earlier row says the same thing."""
    seen: set[str] = set()
    kept: list[DraftMeasure] = []
    for measure in measures:
        keys = {normalize_name(measure.title_th), "|".join(normalize_name(s) for s in measure.method_steps)}
        if keys & seen:
            continue
        seen |= keys
        kept.append(measure)
    return tuple(kept)


def plan_framework(result_framework: Framework) -> Framework:
    """The framework of the year after the result's (the plan's year); the result's own where that year
    cannot be read, so that a plan is still drafted (with last year's items) rather than refused."""
    try:
        return get_framework(result_framework.fiscal_year + 1)
    except FrameworkError:
        return result_framework


_Drafted: TypeAlias = tuple[DraftRecommendation | None, DraftMeasure | None]


class _Drafter:
    """Fills the rules' templates for one result; holds what every template shares."""

    def __init__(
        self,
        rules: DraftingRules,
        results: Results,
        threshold: float,
        units: Mapping[str, str],
        question_scores: Mapping[str, float],
    ) -> None:
        self.rules, self.results, self.threshold, self.units = rules, results, threshold, units
        self.question_scores = question_scores
        self.year = results.fiscal_year + 1
        self.framework = plan_framework(results.framework)
        self.missing = self._missing_items()

    def _missing_items(self) -> list[Item]:
        """The plan year's items that carry on an item the result failed, in the plan year's order."""
        if self.results.oit is None:
            return []
        failed = list(self.results.oit.failed_items)
        if self.framework is self.results.framework:
            codes = set(failed)
        else:
            codes = set(item_mapping(self.results.framework, self.framework).translate(failed))
        return [item for item in self.framework.items if item.code in codes]

    def from_items(self) -> Iterator[_Drafted]:
        """One recommendation per area with missing OIT items, areas in rule order."""
        by_area: dict[str, list[Item]] = {}
        for item in self.missing:
            by_area.setdefault(self.rules.area_for(item).code, []).append(item)
        for area in self.rules.areas:
            if area.code in by_area:
                yield self._area(area, by_area[area.code])

    def _area(self, area: Area, items: list[Item]) -> _Drafted:
        unit = self.units[area.code]
        values = self._values(unit) | {
            "items": self._item_phrases(items),
            "codes": thai_list([i.code for i in items]),
        }
        if area.follow_up_unit is not None:
            values[FOLLOW_UP_PLACEHOLDER] = self.rules.unit(area.follow_up_unit).short_th
        codes = tuple(i.code for i in items)
        indicators = tuple(sorted({self.framework.sub_indicator_of(i.code).indicator for i in items}))
        recommendation = DraftRecommendation(
            area_code=area.code,
            area_th=_without_parenthesis(area.name_th),
            text_th=self._render(area.recommendation_th, values),
            unit=unit,
            items=codes,
            indicators=indicators,
            follow_up_unit=area.follow_up_unit,
        )
        measure = self._measure(area.code, area.measure, unit, values, codes, indicators) if area.measure else None
        return recommendation, measure

    def _item_phrases(self, items: Sequence[Item]) -> str:
        """The items' titles as one Thai list, each with the period it must cover in the plan's year
        (a previous-year report of a FY2569 plan covers 2568); a Latin term the titles share (No Gift
        Policy) is said once, at the end."""
        by_period: dict[str, list[Item]] = {}
        for item in items:
            by_period.setdefault(self._period_phrase(item), []).append(item)
        ordered = [item for group in by_period.values() for item in group]
        titles = dict(zip((i.code for i in ordered), _shared_term_once([i.title_th for i in ordered]), strict=True))
        # one flat list (no และ inside a และ): a group's period follows its last title
        parts = []
        for period, group in by_period.items():
            parts += [titles[i.code] for i in group]
            if period:
                parts[-1] = f"{parts[-1]} {period}"
        return thai_list(parts)

    def _period_phrase(self, item: Item) -> str:
        title = item.title_th
        if item.coverage == Coverage.PREVIOUS_YEAR:
            return f"ของปีงบประมาณ พ.ศ. {self.year - 1}"
        if item.coverage == Coverage.HALF_YEAR:
            return "" if "6 เดือน" in title else f"รอบ 6 เดือนของปีงบประมาณ พ.ศ. {self.year}"
        if item.coverage == Coverage.CURRENT_YEAR:
            return f"ประจำปีงบประมาณ พ.ศ. {self.year}" if "ประจำปี" not in title else f"พ.ศ. {self.year}"
        return ""

    def from_indicators(self) -> Iterator[_Drafted]:
        """Indicators under the threshold, in rule order; 9 and 10 by sub-indicator only when the result
        has no item answers (else their items are recommended by area and named in their own row)."""
        for rule in self.rules.indicator_rules:
            score = self.results.indicators[rule.number]
            if score >= self.threshold or (rule.number in OIT_INDICATORS and self.results.oit is not None):
                continue
            yield self._indicator(rule, score)

    def _indicator_values(self, rule: IndicatorRule, unit: str, score: float) -> dict[str, str]:
        framework = self.framework
        values = self._values(unit) | {
            "indicator": framework.indicator(rule.number).name_th,
            "score": format_score(score, decimals=framework.rounding.decimals),
            "threshold": f"{self.threshold:g}",
            "codes": "",
            "questions": "",
        }
        if rule.number in OIT_INDICATORS:
            subs = [s.label_th for s in framework.sub_indicators_of(rule.number)]
            values[SUB_INDICATORS_PLACEHOLDER] = thai_list(subs)
        return values

    def _indicator(self, rule: IndicatorRule, score: float) -> _Drafted:
        unit = self.units[rule.code]
        values = self._indicator_values(rule, unit, score)
        numbers = (rule.number,)
        recommendation = DraftRecommendation(
            area_code=rule.code,
            area_th=self.framework.indicator(rule.number).name_th,
            text_th=self._render(rule.recommendation_th, values),
            unit=unit,
            indicators=numbers,
        )
        measure = self._measure(rule.code, rule.measure, unit, values, (), numbers) if rule.measure else None
        if measure is not None and (questions := self._lowest_questions(rule.number)):
            first = self._render(self.rules.low_questions_step_th, {"questions": questions})
            measure = DraftMeasure(**{**measure.__dict__, "method_steps": (first, *measure.method_steps)})
        return recommendation, measure

    def _lowest_questions(self, number: int, at_most: int = 2) -> str:
        """The survey questions of an indicator that scored lowest (under the threshold), where known."""
        scored = [
            (self.question_scores[q.code], q.summary_th)
            for q in self.results.framework.questions
            if q.indicator == number and q.code in self.question_scores
        ]
        low = sorted(s for s in scored if s[0] < self.threshold)[:at_most]
        return thai_list([summary for _, summary in low])

    def missing_items_measures(self) -> list[DraftMeasure]:
        """A row per OIT indicator under the threshold that names the items of the plan's year it misses."""
        rows: list[DraftMeasure] = []
        if self.results.oit is None:
            return rows
        for rule in self.rules.indicator_rules:
            score = self.results.indicators[rule.number]
            if rule.number not in OIT_INDICATORS or score >= self.threshold:
                continue
            items = [i for i in self.missing if self.framework.sub_indicator_of(i.code).indicator == rule.number]
            text = rule.missing_items_measure if items else rule.measure
            if text is None:
                continue
            unit = self.units[rule.code]
            values = self._indicator_values(rule, unit, score) | {"codes": thai_list([i.code for i in items])}
            rows.append(self._measure(rule.code, text, unit, values, tuple(i.code for i in items), (rule.number,)))
        return rows

    def general_measures(self) -> Iterator[DraftMeasure]:
        for measure in self.rules.measures:
            unit = self.units[measure.code]
            yield self._measure(measure.code, measure, unit, self._values(unit), (), ())

    def _measure(
        self,
        code: str,
        text: MeasureText,
        unit: str,
        values: Mapping[str, str],
        items: tuple[str, ...],
        indicators: tuple[int, ...],
    ) -> DraftMeasure:
        start, end = text.period.dates(self.year)
        return DraftMeasure(
            code=code,
            title_th=self._render(text.title_th, values),
            method_steps=tuple(self._render(step, values) for step in text.steps_th),
            unit=unit,
            period_start=start,
            period_end=end,
            period_th=self._digits(_period_th(text.period, self.year)),
            follow_up_th=self._render(text.follow_up_th, values),
            items=items,
            indicators=indicators,
        )

    def _values(self, unit: str) -> dict[str, str]:
        agency = self.results.agency
        return {
            "unit": self.rules.unit(unit).short_th,
            "year": str(self.year),
            "result_year": str(self.results.fiscal_year),
            "agency": agency.name if agency is not None else NO_AGENCY_TH,
        }

    def _render(self, template: str, values: Mapping[str, str]) -> str:
        # The rules were checked at load time to name only placeholders that values holds.
        return self._digits(thai_spacing(unicodedata.normalize("NFC", template.format_map(values))))

    def _digits(self, text: str) -> str:
        return to_thai_digits(text) if self.rules.thai_digits else text


# --- helpers -----------------------------------------------------------------------------------


def _period_th(span: MonthSpan, fiscal_year: int) -> str:
    """ม.ค. – มี.ค. 65 as the seed writes it; a span across 1 January names both years."""
    if span.whole_year:
        return f"ตลอดปีงบประมาณ พ.ศ. {fiscal_year}"
    start, end = span.dates(fiscal_year)
    last = _month_th(end, with_year=True)
    if start.month == end.month:
        return last
    return f"{_month_th(start, with_year=start.year != end.year)} – {last}"


def _month_th(day: dt.date, *, with_year: bool) -> str:
    moment = dt.datetime(day.year, day.month, day.day)
    return str(thai_strftime(moment, "%b %y" if with_year else "%b"))


def thai_spacing(text: str) -> str:
    """Single spaces; a space between Thai and Latin words (ช่องทาง Social Network) and after ฯ before a
    Thai word (สำนักปลัดฯ สรุปผล), as official Thai is typed; ฯลฯ and item codes (O๒) stay whole."""
    text = re.sub(r"([\u0e01-\u0e4e])(?=[A-Za-z])", r"\1 ", text)
    text = re.sub(r"(?<=[A-Za-z\)])(?=[\u0e01-\u0e2e])", " ", text)
    text = re.sub(r"ฯ(?=[\u0e01-\u0e2e])(?!ล)", "ฯ ", text)
    return " ".join(text.split())


_LATIN_TERM = re.compile(r"\(?[A-Za-z][A-Za-z&\- ]*[A-Za-z]\)?")


def _shared_term_once(titles: Sequence[str]) -> list[str]:
    """Titles that all carry the same Latin term (No Gift Policy) name it in the last one only."""
    if len(titles) < 2:
        return list(titles)
    terms = [set(m.group().strip("()") for m in _LATIN_TERM.finditer(t)) for t in titles]
    shared = set.intersection(*terms)
    if not shared:
        return list(titles)
    out = []
    for title in titles[:-1]:
        for term in shared:
            title = re.sub(rf"\s*\(?{re.escape(term)}\)?", "", title)
        out.append(" ".join(title.split()))
    return [*out, titles[-1]]


def _without_parenthesis(name: str) -> str:
    """ด้านการป้องกันการรับสินบน, not ด้านการป้องกันการรับสินบน (No Gift Policy): the items say the term."""
    return " ".join(re.sub(r"\([^)]*\)", "", name).split()) or name
