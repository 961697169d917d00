"""The schema of the drafting rules (``drafting.yaml`` beside this module), and their loading.

The rules are data, never code: which area an OIT item belongs to (by its group and title, so one rule serves
every framework year), the Thai text of each recommendation and measure, the default units and the periods.
Templates take a few named placeholders only (``{items}``, ``{unit}`` …), checked here when the rules load;
prongsai.drafting fills them with str.format_map from plain strings: no expression is evaluated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import string
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from prongsai.errors import FrameworkError
from prongsai.framework import Item, normalize_name
from prongsai.frameworks import field_path
from prongsai.thai import fiscal_period

__all__ = [
    "FOLLOW_UP_PLACEHOLDER",
    "OIT_INDICATORS",
    "RULES_PATH",
    "SUB_INDICATORS_PLACEHOLDER",
    "Area",
    "DraftingRules",
    "GeneralMeasure",
    "IndicatorRule",
    "MeasureText",
    "MonthSpan",
    "RulesError",
    "Unit",
    "load_rules",
]

RULES_PATH = Path(__file__).parent / "drafting.yaml"
OIT_INDICATORS = (9, 10)

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


# --- helpers ---------------------------------------------------------------------------------


def _fiscal_index(month: int) -> int:
    """0 for October … 11 for September."""
    return (month - 10) % 12


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
