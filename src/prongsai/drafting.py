"""Draft the measures plan (มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน) from last year's ITA result.

The seed drafted อบต.ทรงคนอง's FY2565 measures from its FY2564 result: recommendations by area (ด้าน…) for
the OIT items it missed and the survey indicators that scored low, each with a responsible unit, and a
table of measures with method, unit, period and follow-up. This module proposes the same from a Results.

The rules are data (``rules/drafting.yaml``), never code: which area an item belongs to (by its group and
title, so one rule serves every framework year), the Thai text of each recommendation and measure, the
default units and the periods. Templates take a few named placeholders only (``{items}``, ``{unit}`` …),
checked when the rules load and filled with str.format_map from plain strings: no expression is evaluated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import string
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypeAlias

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pythainlp.util import thai_strftime

from prongsai.errors import FrameworkError, InputError
from prongsai.framework import Coverage, Framework, Item, normalize_name
from prongsai.frameworks import field_path, get_framework
from prongsai.report import thai_list
from prongsai.results import Results
from prongsai.rollover import item_mapping
from prongsai.thai import fiscal_period, format_score, to_thai_digits

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

RULES_PATH = Path(__file__).parent / "rules" / "drafting.yaml"
OIT_INDICATORS = (9, 10)
NO_AGENCY_TH = "หน่วยงาน"  # {agency} when the result names none

# What each kind of template may say; a measure may use the placeholders of what it belongs to.
COMMON_PLACEHOLDERS = frozenset({"unit", "year", "result_year", "agency"})
AREA_PLACEHOLDERS = COMMON_PLACEHOLDERS | {"items", "codes"}
# {codes}: an OIT indicator's missing items; {questions}: a survey indicator's lowest questions (if known)
INDICATOR_PLACEHOLDERS = COMMON_PLACEHOLDERS | {"indicator", "score", "threshold", "codes", "questions"}
FOLLOW_UP_PLACEHOLDER = "follow_up_unit"  # areas with a follow_up_unit only
SUB_INDICATORS_PLACEHOLDER = "sub_indicators"  # indicator rules 9 and 10 only


class RulesError(FrameworkError):
    """A drafting rules file is missing or invalid."""


class _FieldError(ValueError):
    """A validation failure that knows its field below the object validated (pydantic keeps it in ctx)."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


# --- the rules ---------------------------------------------------------------------------------

Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _nfc(cls, data: Any) -> Any:
        # Thai typed on different systems orders its marks differently; compare and print one form.
        return _nfc(data)


class Unit(_Rule):
    """A responsible unit (ผู้รับผิดชอบ) of a local agency."""

    code: Code
    name_th: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    short_th: str = Field(min_length=1)  # as the plan writes it: สำนักปลัดฯ


class MonthSpan(_Rule):
    """Calendar months inside a fiscal year (October–September): 1–3 is ม.ค. – มี.ค., 10–9 the whole year."""

    start_month: int = Field(ge=1, le=12)
    end_month: int = Field(ge=1, le=12)

    @model_validator(mode="after")
    def _in_fiscal_order(self) -> MonthSpan:
        if _fiscal_index(self.start_month) > _fiscal_index(self.end_month):
            raise ValueError(
                f"month {self.start_month} comes after month {self.end_month} in a fiscal year (October–September)"
            )
        return self

    @property
    def whole_year(self) -> bool:
        return (self.start_month, self.end_month) == (10, 9)

    def dates(self, fiscal_year: int) -> tuple[dt.date, dt.date]:
        """First and last day of the span in the given Buddhist-era fiscal year."""
        first, last = fiscal_period(fiscal_year)
        start_year = first.year if self.start_month >= 10 else last.year
        end_year = first.year if self.end_month >= 10 else last.year
        end_day = calendar.monthrange(end_year, self.end_month)[1]
        return dt.date(start_year, self.start_month, 1), dt.date(end_year, self.end_month, end_day)


class MeasureText(_Rule):
    """มาตรการ/แนวทาง with วิธีการดำเนินการ, ระยะเวลาดำเนินการ and การติดตามผล; the unit is its owner's."""

    title_th: str = Field(min_length=1)
    steps_th: tuple[str, ...] = Field(min_length=1)
    period: MonthSpan
    follow_up_th: str = Field(min_length=1)

    def templates(self) -> Iterator[tuple[str, str]]:
        yield "title_th", self.title_th
        for k, step in enumerate(self.steps_th):
            yield f"steps_th[{k}]", step
        yield "follow_up_th", self.follow_up_th


class GeneralMeasure(MeasureText):
    """A measure proposed every year, whatever the result."""

    code: Code
    default_unit: Code

    @model_validator(mode="after")
    def _placeholders(self) -> GeneralMeasure:
        _check_templates(self.templates(), COMMON_PLACEHOLDERS)
        return self


class Area(_Rule):
    """One ด้าน… of the recommendations, and which OIT items belong to it."""

    code: Code
    name_th: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    default_unit: Code
    follow_up_unit: Code | None = None
    groups_th: tuple[str, ...] = ()
    title_keywords_th: tuple[str, ...] = ()
    catch_all: bool = False
    recommendation_th: str = Field(min_length=1)
    measure: MeasureText | None = None

    @model_validator(mode="after")
    def _matching_and_placeholders(self) -> Area:
        matches = bool(self.groups_th or self.title_keywords_th)
        if self.catch_all and matches:
            raise _FieldError(
                "catch_all", "the catch-all area takes what no area matches; give it no groups or keywords"
            )
        if not self.catch_all and not matches:
            raise _FieldError("groups_th", "give groups_th or title_keywords_th (or make it the catch_all area)")
        _check_owner_templates(self.recommendation_th, self.measure, self.placeholders())
        return self

    def placeholders(self) -> frozenset[str]:
        return AREA_PLACEHOLDERS | ({FOLLOW_UP_PLACEHOLDER} if self.follow_up_unit else set())

    def matches_title(self, item: Item) -> bool:
        title = normalize_name(item.title_th)
        return any(normalize_name(word) in title for word in self.title_keywords_th)

    def matches_group(self, item: Item) -> bool:
        return normalize_name(item.group_th) in {normalize_name(g) for g in self.groups_th}


class IndicatorRule(_Rule):
    """What to recommend, and which measure to propose, when an indicator scores under the threshold."""

    number: int = Field(ge=1, le=10)
    code: Code
    default_unit: Code
    recommendation_th: str = Field(min_length=1)
    measure: MeasureText | None = None
    # indicators 9 and 10 when the result has item answers: the row that names the missing items ({codes})
    missing_items_measure: MeasureText | None = None

    @model_validator(mode="after")
    def _placeholders(self) -> IndicatorRule:
        _check_owner_templates(self.recommendation_th, self.measure, self.placeholders())
        _check_names_indicator("measure", self.measure)
        if self.missing_items_measure is not None:
            if self.number not in OIT_INDICATORS:
                raise _FieldError("missing_items_measure", "only the OIT indicators 9 and 10 have missing items")
            _check_owner_templates(self.recommendation_th, self.missing_items_measure, self.placeholders())
            _check_names_indicator("missing_items_measure", self.missing_items_measure)
        return self

    def placeholders(self) -> frozenset[str]:
        extra = {SUB_INDICATORS_PLACEHOLDER} if self.number in OIT_INDICATORS else set()
        return INDICATOR_PLACEHOLDERS | extra


class DraftingRules(_Rule):
    schema_: Literal[1] = Field(alias="schema")
    thai_digits: bool = True  # write ๐–๙ in drafted text
    units: tuple[Unit, ...] = Field(min_length=1)
    areas: tuple[Area, ...] = Field(min_length=1)
    indicator_rules: tuple[IndicatorRule, ...]
    measures: tuple[GeneralMeasure, ...] = ()
    # the step put first in a survey indicator's measure when its lowest questions are known ({questions})
    low_questions_step_th: str = "แก้ไขประเด็นที่ได้คะแนนต่ำที่สุดในแบบวัด ได้แก่ {questions}"

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _cross_references(self) -> DraftingRules:
        self._check_unique_codes()
        self._check_units()
        self._check_areas()
        self._check_indicator_rules()
        return self

    def _check_unique_codes(self) -> None:
        _require_unique([("units", u.code) for u in self.units], "")
        owners = [("areas", a.code) for a in self.areas] + [("indicator_rules", r.code) for r in self.indicator_rules]
        # one namespace, so that unit_overrides can name any of them
        _require_unique(
            owners + [("measures", m.code) for m in self.measures], " (areas, rules and measures share codes)"
        )

    def _check_units(self) -> None:
        known = {u.code for u in self.units}
        for field, code in self._unit_references():
            if code not in known:
                raise _FieldError(field, f"unknown unit '{code}'; units are {', '.join(sorted(known))}")

    def _unit_references(self) -> Iterator[tuple[str, str]]:
        for area in self.areas:
            yield f"areas[{area.code}].default_unit", area.default_unit
            if area.follow_up_unit is not None:
                yield f"areas[{area.code}].follow_up_unit", area.follow_up_unit
        for rule in self.indicator_rules:
            yield f"indicator_rules[{rule.code}].default_unit", rule.default_unit
        for measure in self.measures:
            yield f"measures[{measure.code}].default_unit", measure.default_unit

    def _check_areas(self) -> None:
        catch_alls = [a.code for a in self.areas if a.catch_all]
        if len(catch_alls) != 1:
            raise _FieldError("areas", f"exactly one area must be catch_all, found {len(catch_alls)}: {catch_alls}")
        owner: dict[str, str] = {}
        for area in self.areas:
            for group in area.groups_th:
                key = normalize_name(group)
                if key in owner:
                    # the first area would always win, leaving this entry dead
                    raise _FieldError(f"areas[{area.code}].groups_th", f"'{group}' is already in area {owner[key]}")
                owner[key] = area.code

    def _check_indicator_rules(self) -> None:
        numbers = sorted(r.number for r in self.indicator_rules)
        if numbers != list(range(1, 11)):
            raise _FieldError("indicator_rules", f"need one rule for each indicator 1–10, found {numbers}")

    # --- lookups -------------------------------------------------------------------------------

    def unit(self, code: str) -> Unit:
        return next(u for u in self.units if u.code == code)

    @property
    def catch_all(self) -> Area:
        return next(a for a in self.areas if a.catch_all)

    def area_for(self, item: Item) -> Area:
        """The area of an OIT item: a title keyword first (the most specific), then its group, else the catch-all."""
        return (
            next((a for a in self.areas if a.matches_title(item)), None)
            or next((a for a in self.areas if a.matches_group(item)), None)
            or self.catch_all
        )

    def default_units(self) -> dict[str, str]:
        """Rule code → default unit code, for every area, indicator rule and general measure."""
        owners: list[Area | IndicatorRule | GeneralMeasure] = [*self.areas, *self.indicator_rules, *self.measures]
        return {owner.code: owner.default_unit for owner in owners}


def load_rules(path: Path | None = None) -> DraftingRules:
    """Read and validate a drafting rules file (default: the shipped one); problems raise RulesError."""
    return _shipped_rules() if path is None else _read_rules(path)


@functools.cache
def _shipped_rules() -> DraftingRules:
    return _read_rules(RULES_PATH)


def _read_rules(path: Path) -> DraftingRules:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(str(path), "", f"cannot read YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise RulesError(str(path), "", "the file must hold a mapping at the top level")
    try:
        return DraftingRules.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field, reason = field_path(raw, first["loc"]), first["msg"]
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, _FieldError):
            field, reason = ".".join(part for part in (field, cause.field) if part), cause.reason
        elif isinstance(cause, ValueError):
            reason = str(cause)  # without pydantic's "Value error, " prefix
        raise RulesError(str(path), field, reason) from exc


# --- templates ---------------------------------------------------------------------------------


def _placeholders(template: str) -> set[str]:
    """Names a template uses; anything beyond a bare {name} (attributes, indexes, specs) is refused."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"{exc} (write {{{{ and }}}} for literal braces)") from exc
    names: set[str] = set()
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(f"placeholder {{{name}}} must be a plain {{name}}: no !conversion, :format, . or []")
        names.add(name)
    return names


def _check_templates(templates: Iterable[tuple[str, str]], allowed: frozenset[str]) -> None:
    for field, template in templates:
        try:
            unknown = sorted(_placeholders(template) - allowed)
        except ValueError as exc:
            raise _FieldError(field, str(exc)) from exc
        if unknown:
            names = ", ".join(f"{{{n}}}" for n in unknown)
            known = ", ".join(f"{{{n}}}" for n in sorted(allowed))
            raise _FieldError(field, f"unknown placeholder {names}; allowed here: {known}")


def _check_owner_templates(recommendation: str, measure: MeasureText | None, allowed: frozenset[str]) -> None:
    _check_templates([("recommendation_th", recommendation)], allowed)
    if measure is not None:
        _check_templates(((f"measure.{field}", text) for field, text in measure.templates()), allowed)


def _check_names_indicator(field: str, measure: MeasureText | None) -> None:
    """An indicator's measure row says which indicator failed: {indicator} (the plan year's name, so a
    renamed indicator stays right) in its title or first step, where an officer reads it first."""
    if measure is None:
        return
    first = [measure.title_th, *measure.steps_th[:1]]
    if not any("indicator" in _placeholders(text) for text in first):
        raise _FieldError(field, "name the indicator: write {indicator} in title_th or the first of steps_th")


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


def _fiscal_index(month: int) -> int:
    """0 for October … 11 for September."""
    return (month - 10) % 12


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


def _require_unique(owners: Sequence[tuple[str, str]], note: str) -> None:
    seen: set[str] = set()
    for where, code in owners:
        if code in seen:
            raise _FieldError(f"{where}[{code}].code", f"code '{code}' is used more than once{note}")
        seen.add(code)


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nfc(v) for v in value]
    return value
