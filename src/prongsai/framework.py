"""The ITA framework of one fiscal year, as typed, validated objects.

Frameworks are data (``frameworks/fy*.yaml``), never code: adding a fiscal year means adding one file.
Everything here is immutable once loaded, and every cross-reference (indicator → tool, item →
sub-indicator, question → indicator) is checked by the loader, so the rest of the core can trust it.

Facts the research could not confirm are listed per object in ``unverified`` (field names); the
CLI and the web app show them as such.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from prongsai.thai import to_arabic_digits

__all__ = [
    "AnswerScale",
    "Coverage",
    "DocumentKind",
    "Framework",
    "GradeBand",
    "Indicator",
    "Item",
    "Publication",
    "Question",
    "RatingBand",
    "SubIndicator",
    "Tool",
    "ToolCode",
    "normalize_name",
]

ToolCode = Literal["IIT", "EIT", "OIT"]
# The documents prongsai drafts: the measures document and its report (prongsai.documents), and the kinds of
# the document kit (prongsai.kit; tests/kit checks this list names every registered kind).
DocumentKind = Literal[
    "measures", "measures_report",
    "integrity_declaration", "risk_assessment", "risk_report",
    "anticorruption_plan", "anticorruption_half_year", "anticorruption_report",
    "hr_policy", "hr_report", "no_gift", "no_gift_report",
    "procurement_monthly", "procurement_annual", "complaint_stats", "service_stats", "satisfaction_report",
]  # fmt: skip
TOOL_CODES: tuple[ToolCode, ...] = ("IIT", "EIT", "OIT")
WEIGHT_TOLERANCE = 1e-6


class Publication(StrEnum):
    """How NACC publishes a year's result: letter grades AA–F (to FY2565), rating words (from FY2566:
    ผ่านดีเยี่ยม … ต้องปรับปรุงโดยด่วน, the year's ``ratings``) or plain pass/fail."""

    GRADES = "grades"
    PASS_FAIL = "pass_fail"
    RATINGS = "ratings"


class Coverage(StrEnum):
    """The period an OIT item's document must cover, relative to the assessed fiscal year."""

    STANDING = "standing"  # standing information (structure, contacts): must simply be current
    CURRENT_YEAR = "current_year"  # plans, announcements: the assessed fiscal year
    HALF_YEAR = "half_year"  # รอบ 6 เดือน: 1 October – 31 March of the assessed fiscal year
    PREVIOUS_YEAR = "previous_year"  # annual reports: the fiscal year before the assessed one


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)

    unverified: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unverified_names_fields(self) -> _Data:
        unknown = [name for name in self.unverified if name not in type(self).model_fields]
        if unknown:
            raise ValueError(f"unverified names unknown field(s): {', '.join(unknown)}")
        return self

    def is_verified(self, field: str) -> bool:
        return field not in self.unverified


class Tool(_Data):
    code: ToolCode
    name_th: str
    name_en: str
    weight: float = Field(gt=0, le=100)


class Indicator(_Data):
    number: int = Field(ge=1, le=10)
    tool: ToolCode
    weight: float = Field(gt=0, le=100)
    name_th: str
    name_en: str
    name_en_nacc: str = ""
    aliases_th: tuple[str, ...] = ()  # other spellings agencies use (the seed: การใช้ทรัพยากรของราชการ)

    def names(self) -> Iterator[str]:
        yield self.name_th
        yield from self.aliases_th


class GradeBand(_Data):
    grade: str = Field(pattern=r"^[A-F]{1,2}$")
    min: float = Field(ge=0, le=100)
    max: float = Field(ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> GradeBand:
        if self.min > self.max:
            raise ValueError(f"grade {self.grade}: min {self.min} is above max {self.max}")
        return self


class RatingBand(_Data):
    """One rating word of a year (ผ่านดี …): reached when the total is at least ``min_total`` and, where
    ``min_each_tool`` is set, each tool's score (IIT, EIT, OIT on 0–100) is at least that too.

    The bands are data because the rule found so far is not the NACC's own text: a corrected rule is a
    change of the year's file, not of code."""

    label_th: str
    label_en: str
    min_total: float = Field(ge=0, le=100)
    min_each_tool: float | None = Field(default=None, ge=0, le=100)

    def reached_by(self, total: float, tool_scores: Mapping[str, float]) -> bool:
        if total < self.min_total:
            return False
        return self.min_each_tool is None or all(s >= self.min_each_tool for s in tool_scores.values())


class AnswerScale(_Data):
    """The 4-level perception scale (น้อยที่สุดหรือไม่มีเลย … มากที่สุด) and its points."""

    labels_th: tuple[str, str, str, str]
    labels_en: tuple[str, str, str, str] = ("none or least", "little", "much", "most")
    points: tuple[float, float, float, float]
    reverse_points: tuple[float, float, float, float]


class Question(_Data):
    code: str = Field(pattern=r"^[ie][0-9]+$")
    tool: Literal["IIT", "EIT"]
    indicator: int = Field(ge=1, le=8)
    answer_type: Literal["scale4", "yes_no"]
    sub_items: int = Field(default=1, ge=1, le=10)
    # scale4 only: True/False for every sub-item, or one flag per sub-item (i11: only the second is reversed)
    reverse: bool | tuple[bool, ...] = False
    # yes_no only: points for มี (yes) and ไม่มี (no); a misconduct question scores 100 for ไม่มี
    yes_points: float | None = None
    no_points: float | None = None
    summary_th: str
    summary_en: str
    # what each sub-item asks, in the respondent's words (one per sub-item; a question of one item needs none):
    # the answer form shows them beside the sub-item's answer buttons
    sub_items_th: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _answer_type_fields(self) -> Question:
        if self.sub_items_th and len(self.sub_items_th) != self.sub_items:
            raise ValueError(
                f"{self.code}: sub_items_th words {len(self.sub_items_th)} sub-items, the question has {self.sub_items}"
            )
        if self.answer_type == "yes_no":
            if self.yes_points is None or self.no_points is None:
                raise ValueError(f"{self.code}: a yes_no question needs yes_points and no_points")
            if self.reverse not in (False, ()):
                raise ValueError(f"{self.code}: reverse applies to scale4 questions only")
        else:
            if self.yes_points is not None or self.no_points is not None:
                raise ValueError(f"{self.code}: yes_points/no_points apply to yes_no questions only")
            if isinstance(self.reverse, tuple) and len(self.reverse) != self.sub_items:
                raise ValueError(f"{self.code}: reverse lists {len(self.reverse)} flags for {self.sub_items} sub-items")
        return self

    def reversed_sub_items(self) -> tuple[bool, ...]:
        if isinstance(self.reverse, tuple):
            return self.reverse
        return (self.reverse,) * self.sub_items

    def sub_item_labels(self) -> tuple[str, ...]:
        """What each sub-item asks: its wording, else ข้อย่อยที่ k (a file of the agency's own without wording)."""
        if self.sub_items == 1:
            return ("",)
        return self.sub_items_th or tuple(f"ข้อย่อยที่ {k}" for k in range(1, self.sub_items + 1))

    def sub_item_codes(self) -> tuple[str, ...]:
        """Column names of the sub-items in raw answer files: i1 for a single item, i1_1, i1_2, … otherwise."""
        if self.sub_items == 1:
            return (self.code,)
        return tuple(f"{self.code}_{k}" for k in range(1, self.sub_items + 1))


class Item(_Data):
    """One OIT item (ข้อ O1 …): something the agency must publish on its website."""

    code: str = Field(pattern=r"^O[1-9][0-9]*$")
    title_th: str
    title_en: str
    group_th: str
    coverage: Coverage
    must_show_th: tuple[str, ...] = Field(min_length=1)  # the elements a reviewer checks
    key_terms_th: tuple[str, ...] = Field(min_length=1)  # words the published page must contain
    # The previous year's item(s) this one continues: [O21, O22] for a merge, [] for a new item, absent
    # (None) where the file does not say: then a mapping is proposed for a person to confirm.
    continues: tuple[str, ...] | None = None
    # The agency's own document this item publishes, which prongsai drafts: the measures document
    # (มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน), its progress report, or a kind of the document kit
    # (the mapping of kit kinds to items is prongsai's own reading of each year's titles). Its code changes by year
    # (FY2564 O42/O43, FY2568 O27/O28, FY2569 O25/O26), so pages name it from here, never from code.
    document: DocumentKind | None = None

    @field_validator("continues")
    @classmethod
    def _item_codes(cls, codes: tuple[str, ...] | None) -> tuple[str, ...] | None:
        bad = [c for c in codes or () if not re.fullmatch(r"O[1-9][0-9]*", c)]
        if bad:
            raise ValueError(f"continues must list item codes of the previous year (O1, O2, …), not {bad}")
        return codes

    @property
    def number(self) -> int:
        return int(self.code[1:])


class SubIndicator(_Data):
    code: str = Field(pattern=r"^(9|10)\.[0-9a-z]+$")
    indicator: Literal[9, 10]
    name_th: str
    name_en: str
    items: tuple[Item, ...] = Field(min_length=1)

    @property
    def shows_code(self) -> bool:
        """NACC numbers sub-indicators 9.1, 9.2 …; codes with letters (9.a) are prongsai's placeholders
        where the year's grouping is unknown, and are never shown to a person."""
        return self.code.split(".", 1)[1].isdigit()

    @property
    def label_th(self) -> str:
        """How a person sees it: "9.1 การเปิดเผยข้อมูล", or the name alone where the code is a placeholder."""
        return f"{self.code} {self.name_th}" if self.shows_code else self.name_th

    @property
    def label_en(self) -> str:
        return f"{self.code} {self.name_en}" if self.shows_code else self.name_en


class OitRule(StrEnum):
    """How OIT item scores (0/100) become an indicator score."""

    # Verified for FY2564 (REPORT.md §2): only averaging sub-indicator pass rates reproduces 48.46 and 31.25.
    MEAN_OF_SUB_INDICATORS = "mean_of_sub_indicators"
    MEAN_OF_ITEMS = "mean_of_items"


class Oit(_Data):
    rule: OitRule = OitRule.MEAN_OF_SUB_INDICATORS
    sub_indicators: tuple[SubIndicator, ...] = Field(min_length=1)


class Rounding(_Data):
    decimals: int = Field(default=2, ge=0, le=4)
    mode: Literal["half_up"] = "half_up"


class SampleSize(_Data):
    iit_minimum: int | None = None
    eit_minimum: int | None = None
    notes: tuple[str, ...] = ()


class Period(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dt.date
    end: dt.date


class Framework(_Data):
    schema_: Literal[1] = Field(alias="schema")
    fiscal_year: int = Field(ge=2500, le=2700)  # Buddhist era
    period: Period
    name_th: str
    name_en: str
    family: str
    confidence: str
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    publication: Publication
    ratings: tuple[RatingBand, ...] = ()  # best first; required where publication is "ratings"
    pass_mark: float = Field(ge=0, le=100)
    rounding: Rounding = Rounding()
    tools: tuple[Tool, ...]
    indicators: tuple[Indicator, ...]
    grades: tuple[GradeBand, ...]
    answer_scale: AnswerScale
    questions: tuple[Question, ...]
    oit: Oit
    sample_size: SampleSize = SampleSize()
    schedule: dict[str, str] = Field(default_factory=dict)
    # A year whose NACC manual is not out yet: made by prongsai from the last known year (``based_on``),
    # replaced by the real file when an administrator loads it.
    provisional: bool = False
    based_on: int | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @field_validator("tools")
    @classmethod
    def _three_tools(cls, tools: tuple[Tool, ...]) -> tuple[Tool, ...]:
        codes = [t.code for t in tools]
        if sorted(codes) != sorted(TOOL_CODES):
            raise ValueError(f"must list each of IIT, EIT, OIT once, found {codes}")
        if abs(sum(t.weight for t in tools) - 100) > WEIGHT_TOLERANCE:
            raise ValueError(f"tool weights sum to {sum(t.weight for t in tools):g}, not 100")
        return tools

    @field_validator("indicators")
    @classmethod
    def _ten_indicators(cls, indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
        numbers = [i.number for i in indicators]
        if numbers != list(range(1, 11)):
            raise ValueError(f"must list indicators 1–10 in order, found {numbers}")
        total = sum(i.weight for i in indicators)
        if abs(total - 100) > WEIGHT_TOLERANCE:
            raise ValueError(f"indicator weights sum to {total:g}, not 100")
        return indicators

    @field_validator("grades")
    @classmethod
    def _contiguous_grades(cls, grades: tuple[GradeBand, ...]) -> tuple[GradeBand, ...]:
        if not grades:
            raise ValueError("at least one grade band is needed")
        if grades[0].max != 100 or grades[-1].min != 0:
            raise ValueError("grade bands must run from 100 down to 0")
        for upper, lower in itertools.pairwise(grades):
            # Published scores have 2 decimals: C ends at 74.99 and B starts at 75.00.
            if round(upper.min - lower.max, 6) != 0.01:
                raise ValueError(
                    f"grade {lower.grade} ends at {lower.max} but {upper.grade} starts at {upper.min}: "
                    "bands must be contiguous (max of one + 0.01 = min of the next)"
                )
        if len({g.grade for g in grades}) != len(grades):
            raise ValueError("grade letters must be unique")
        return grades

    @field_validator("ratings")
    @classmethod
    def _ordered_ratings(cls, ratings: tuple[RatingBand, ...]) -> tuple[RatingBand, ...]:
        if not ratings:
            return ratings
        for better, worse in itertools.pairwise(ratings):
            if (better.min_total, better.min_each_tool or 0) < (worse.min_total, worse.min_each_tool or 0):
                raise ValueError(
                    f"{worse.label_en} asks more than {better.label_en} above it: list the best rating first"
                )
        if ratings[-1].min_total != 0 or ratings[-1].min_each_tool is not None:
            raise ValueError("the last rating must have min_total 0 and no tool condition, so every total has one")
        if len({r.label_th for r in ratings}) != len(ratings):
            raise ValueError("rating words must be unique")
        return ratings

    @model_validator(mode="after")
    def _cross_references(self) -> Framework:
        self._check_period()
        self._check_tool_weights()
        self._check_questions()
        self._check_items()
        self._check_publication()
        return self

    def _check_publication(self) -> None:
        if self.publication is Publication.RATINGS and not self.ratings:
            raise ValueError('publication "ratings" needs the year\'s ratings (best first)')
        if self.publication is not Publication.RATINGS and self.ratings:
            raise ValueError(f'ratings are listed but publication is "{self.publication.value}", not "ratings"')
        if self.provisional and self.based_on is None:
            raise ValueError("a provisional framework names the year it is based_on")

    def _check_period(self) -> None:
        ce = self.fiscal_year - 543
        expected = Period(start=dt.date(ce - 1, 10, 1), end=dt.date(ce, 9, 30))
        if self.period != expected:
            raise ValueError(f"period must be {expected.start} – {expected.end} for fiscal year {self.fiscal_year}")

    def _check_tool_weights(self) -> None:
        for tool in self.tools:
            total = sum(i.weight for i in self.indicators if i.tool == tool.code)
            if abs(total - tool.weight) > WEIGHT_TOLERANCE:
                raise ValueError(f"indicators of {tool.code} weigh {total:g}, but the tool weighs {tool.weight:g}")

    def _check_questions(self) -> None:
        codes = [q.code for q in self.questions]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"question codes are not unique: {', '.join(duplicates)}")
        for question in self.questions:
            indicator = self.indicators[question.indicator - 1]
            if indicator.tool != question.tool:
                raise ValueError(
                    f"question {question.code} is {question.tool} but indicator {indicator.number} "
                    f"belongs to {indicator.tool}"
                )

    def _check_items(self) -> None:
        codes = [item.code for item in self.items]
        duplicates = sorted({c for c in codes if codes.count(c) > 1}, key=lambda c: int(c[1:]))
        if duplicates:
            raise ValueError(
                f"OIT items must each be in exactly one sub-indicator; listed more than once: {', '.join(duplicates)}"
            )
        expected = [f"O{n}" for n in range(1, len(codes) + 1)]
        if sorted(codes, key=lambda c: int(c[1:])) != expected:
            raise ValueError(f"OIT items must be numbered O1…O{len(codes)} without gaps")
        sub_codes = [s.code for s in self.oit.sub_indicators]
        if len(set(sub_codes)) != len(sub_codes):
            raise ValueError("sub-indicator codes are not unique")
        for number in (9, 10):
            if not any(s.indicator == number for s in self.oit.sub_indicators):
                raise ValueError(f"indicator {number} has no sub-indicator")
        documents = [item.document for item in self.items if item.document is not None]
        twice = sorted({d for d in documents if documents.count(d) > 1})
        if twice:
            raise ValueError(f"only one item may be the {', '.join(twice)} document")

    # --- lookups -------------------------------------------------------------------------------

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for sub in self.oit.sub_indicators for item in sub.items)

    @property
    def has_grades(self) -> bool:
        return self.publication is Publication.GRADES

    def tool(self, code: str) -> Tool:
        return next(t for t in self.tools if t.code == code)

    def indicator(self, number: int) -> Indicator:
        return self.indicators[number - 1]

    def indicators_of(self, tool: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.tool == tool)

    def questions_of(self, tool: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.tool == tool)

    def sub_indicators_of(self, indicator: int) -> tuple[SubIndicator, ...]:
        return tuple(s for s in self.oit.sub_indicators if s.indicator == indicator)

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    def find_item(self, text: str) -> Item | None:
        """The OIT item a person or a file means: O1, o1, O 1, O01, O๑, ๑, 1, OIT1 and ITA-O1 all name O1
        (the one rule for every file, form and command); None when this year has no such item."""
        match = _ITEM_CODE.match(normalize_name(text))
        if match is None:
            return None
        code = f"O{int(match.group(1))}"
        return next((item for item in self.items if item.code == code), None)

    def document_item(self, kind: DocumentKind) -> Item | None:
        """The OIT item that publishes the agency's measures document ("measures"), its progress report
        ("measures_report") or a kit document (prongsai.kit) in this year; None where the year's file does not say."""
        return next((item for item in self.items if item.document == kind), None)

    def sub_indicator_of(self, item_code: str) -> SubIndicator:
        for sub in self.oit.sub_indicators:
            if any(item.code == item_code for item in sub.items):
                return sub
        raise KeyError(item_code)

    def find_indicator(self, name: str) -> Indicator | None:
        """The indicator a user means by its number (1–10, Thai digits too) or any accepted Thai spelling."""
        key = normalize_name(name)
        if key.isdecimal() and 1 <= int(key) <= 10:  # isdigit() lets ① through to int()
            return self.indicator(int(key))
        for indicator in self.indicators:
            if any(normalize_name(n) == key for n in indicator.names()):
                return indicator
        return None

    @property
    def has_ratings(self) -> bool:
        return self.publication is Publication.RATINGS

    def rating_for(self, total: float, tool_scores: Mapping[str, float]) -> RatingBand | None:
        """The year's rating word for a total and its tool scores; None for years without rating words."""
        return next((r for r in self.ratings if r.reached_by(total, tool_scores)), None)

    def grade_for(self, total: float) -> str:
        for band in self.grades:
            if total >= band.min:
                return band.grade
        return self.grades[-1].grade

    def unverified_facts(self) -> list[str]:
        """Dotted paths of every unverified fact, for showing users what the data cannot vouch for."""
        found = [f"framework.{f}" for f in self.unverified]
        found += [f"tools.{t.code}.{f}" for t in self.tools for f in t.unverified]
        found += [f"indicators.{i.number}.{f}" for i in self.indicators for f in i.unverified]
        found += [f"grades.{g.grade}.{f}" for g in self.grades for f in g.unverified]
        found += [f"ratings.{r.label_en}.{f}" for r in self.ratings for f in r.unverified]
        found += [f"rounding.{f}" for f in self.rounding.unverified]
        found += [f"answer_scale.{f}" for f in self.answer_scale.unverified]
        found += [f"questions.{q.code}.{f}" for q in self.questions for f in q.unverified]
        found += [f"oit.{f}" for f in self.oit.unverified]
        found += [f"oit.{s.code}.{f}" for s in self.oit.sub_indicators for f in s.unverified]
        found += [f"oit.{i.code}.{f}" for i in self.items for f in i.unverified]
        found += [f"sample_size.{f}" for f in self.sample_size.unverified]
        return found


# An item code after normalize_name: an optional ITA- (how ITAS labels items), then O or OIT, then its number.
_ITEM_CODE = re.compile(r"^(?:ita-?)?(?:oit|o)?(\d{1,3})$")


def normalize_name(name: str) -> str:
    """Compare names as people type them: NFC, Thai digits as Arabic, no spaces, case-folded."""
    text = to_arabic_digits(unicodedata.normalize("NFC", name))
    return re.sub(r"\s+", "", text).casefold()
