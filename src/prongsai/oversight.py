"""Oversight: the published results of many agencies (a province, a district, the whole country) at once.

Two halves, both pure Python:

* ``read_published`` reads a table of published results (CSV or XLSX: agency, fiscal year, the 10
  indicator scores and the total) and checks every cell before anything is used. A bad file raises one
  InputError that names the row (as a spreadsheet numbers it), the column (its header and letter) and the
  fix, in Thai. A total must agree with the weighted indicators of that year's framework within rounding
  (0.01), or is computed when left empty; grade, rating word and pass come from the framework's bands.
* The statistics work on arrays (one row per agency), so that 8,300 agencies take milliseconds:
  ``summarize`` (histogram, grade counts, pass rate, indicator means and the share under the pass mark),
  ``trend`` (per year) and ``help_ranking`` — the agencies under the pass mark ranked by what help could
  realistically add, with a short Thai reason each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from prongsai.errors import InputError
from prongsai.framework import Framework, RatingBand, normalize_name
from prongsai.frameworks import available_years, get_framework
from prongsai.inputfiles import TableLimits
from prongsai.results import framework_for, read_table
from prongsai.scoring import PUBLISHED_TOLERANCE
from prongsai.thai import round_half_up, to_arabic_digits

__all__ = [
    "HISTOGRAM_EDGES",
    "Bin",
    "GradeCount",
    "HelpCandidate",
    "IndicatorStat",
    "PublishedResult",
    "RatingCount",
    "TrendPoint",
    "YearSummary",
    "help_ranking",
    "kind_label",
    "rating_indexes",
    "rating_of",
    "read_published",
    "read_published_rows",
    "summarize",
    "trend",
]

Progress = Callable[[int, int, str], None]
FloatArray = npt.NDArray[np.float64]

MAX_ROWS = 200_000  # 8,300 agencies × many years fits easily; a larger file is a mistake
# what reading may build before the rows are checked: MAX_ROWS with room for blank rows and a few extra columns
TABLE_LIMITS = TableLimits(rows=MAX_ROWS + 1_000, columns=256, cells=MAX_ROWS * 40, characters=MAX_ROWS * 1_000)
PROGRESS_EVERY = 1_000

# Accepted headers (compared with normalize_name: no spaces, case-folded, Thai digits as Arabic).
FIELD_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("agency", "agencyname", "name", "หน่วยงาน", "ชื่อหน่วยงาน", "ชื่อ"),
    "code": ("code", "agencycode", "รหัส", "รหัสหน่วยงาน"),
    "kind": ("kind", "type", "agencytype", "ประเภท", "ประเภทหน่วยงาน"),
    "district": ("district", "อำเภอ"),
    "province": ("province", "จังหวัด"),
    "fiscal_year": ("year", "fiscalyear", "fiscal_year", "ปี", "ปีงบ", "ปีงบฯ", "ปีงบประมาณ", "ปีงบประมาณพ.ศ.", "พ.ศ."),
    "total": ("total", "totalscore", "score", "คะแนน", "คะแนนรวม", "รวม"),
}
FIELD_NAMES_TH = {
    "name": "ชื่อหน่วยงาน",
    "code": "รหัสหน่วยงาน",
    "kind": "ประเภท",
    "district": "อำเภอ",
    "province": "จังหวัด",
    "fiscal_year": "ปีงบประมาณ",
    "total": "คะแนนรวม",
}
_HEADER_LOOKUP = {normalize_name(h): name for name, headers in FIELD_HEADERS.items() for h in headers}
_INDICATOR_HEADER = re.compile(r"^(?:indicator|ตัวชี้วัดที่|ตัวชี้วัด|i)?(\d{1,2})(?:[.:)_-]?\D.*)?$")

# Kinds as people write them → one label, so that a filter finds every อบต. however it was typed.
KIND_LABELS: dict[str, tuple[str, ...]] = {
    "องค์การบริหารส่วนตำบล": ("sao", "อบต", "อบต.", "องค์การบริหารส่วนตำบล"),
    "เทศบาล": ("municipality", "เทศบาล", "เทศบาลตำบล", "เทศบาลเมือง", "เทศบาลนคร", "ทต.", "ทม.", "ทน."),
    "องค์การบริหารส่วนจังหวัด": ("pao", "อบจ", "อบจ.", "องค์การบริหารส่วนจังหวัด"),
}
_KIND_LOOKUP = {normalize_name(word): label for label, words in KIND_LABELS.items() for word in words}
_KIND_PREFIXES = (
    ("องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนตำบล"),
    ("อบต.", "องค์การบริหารส่วนตำบล"),
    ("องค์การบริหารส่วนจังหวัด", "องค์การบริหารส่วนจังหวัด"),
    ("อบจ.", "องค์การบริหารส่วนจังหวัด"),
    ("เทศบาล", "เทศบาล"),
    ("ทต.", "เทศบาล"),
    ("ทม.", "เทศบาล"),
    ("ทน.", "เทศบาล"),
)


def kind_label(kind: str, name: str = "") -> str:
    """The kind as one label: อบต./sao → องค์การบริหารส่วนตำบล; empty → guessed from the agency's name."""
    text = kind.strip()
    if text:
        return _KIND_LOOKUP.get(normalize_name(text), text)
    for prefix, label in _KIND_PREFIXES:
        if name.strip().startswith(prefix):
            return label
    return ""


# --- reading a published-results table ------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedResult:
    """One agency's published result of one fiscal year, as read (and checked) from a row of the table."""

    row: int
    name: str
    code: str
    kind: str
    district: str
    province: str
    fiscal_year: int
    scores: tuple[float, ...]  # indicators 1–10
    total: float  # as published, or computed when the file left it empty
    total_given: bool
    grade: str | None  # None where the year publishes pass/fail only
    passed: bool
    rating: RatingBand | None = None  # the rating word where the year publishes them (from FY2566)

    @property
    def key(self) -> str:
        """Who this is within a year: the agency code when given, else name, district and province."""
        if self.code:
            return f"code:{normalize_name(self.code)}"
        return "name:" + "|".join(normalize_name(part) for part in (self.name, self.district, self.province))


@dataclass(frozen=True)
class _Columns:
    fields: dict[str, int]
    indicators: dict[int, int]
    headers: list[str]

    def where(self, index: int) -> str:
        return f"{self.headers[index] or '(ไม่มีหัว)'} (คอลัมน์ {_column_letter(index)})"


def read_published(path: Path, *, source: str | None = None, progress: Progress | None = None) -> list[PublishedResult]:
    """Read a CSV or XLSX file of published results; ``source`` is the name errors give (the upload's name)."""
    name = source or str(path)
    if not path.exists():
        raise InputError(name, "ไม่พบไฟล์ (file not found)")
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(name, "รองรับเฉพาะไฟล์ .csv และ .xlsx (supported: .csv, .xlsx)")
    try:
        rows = read_table(path, TABLE_LIMITS)
    except InputError as exc:
        raise InputError(name, exc.reason, row=exc.row, field=exc.field) from exc
    return read_published_rows(name, rows, progress=progress)


def read_published_rows(
    source: str, rows: Sequence[Sequence[str]], *, progress: Progress | None = None
) -> list[PublishedResult]:
    """The checked results of a table already read into rows of strings (header first)."""
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InputError(
            source,
            "แถวแรกต้องเป็นหัวตาราง เช่น หน่วยงาน, ปีงบประมาณ, 1, 2, …, 10, คะแนนรวม "
            "(the first row must be the header: agency, year, 1 … 10, total)",
            row=1,
        )
    data = [(number, list(row)) for number, row in enumerate(rows[1:], start=2) if any(c.strip() for c in row)]
    if not data:
        raise InputError(source, "ไม่มีแถวข้อมูลใต้หัวตาราง (no data rows under the header)", row=2)
    if len(data) > MAX_ROWS:
        raise InputError(
            source,
            f"มี {len(data):,} แถว เกิน {MAX_ROWS:,} แถว แบ่งไฟล์ตามปีงบประมาณแล้วนำเข้าทีละไฟล์ "
            f"(more than {MAX_ROWS:,} rows: split the file by year)",
        )
    columns = _columns(source, list(rows[0]))
    results: list[PublishedResult] = []
    seen: dict[tuple[int, str], int] = {}
    for done, (number, row) in enumerate(data, start=1):
        result = _row(source, columns, number, row)
        earlier = seen.setdefault((result.fiscal_year, result.key), number)
        if earlier != number:
            raise InputError(
                source,
                f"หน่วยงาน '{result.name}' ปี {result.fiscal_year} ซ้ำกับแถว {earlier} ลบแถวที่ซ้ำออกให้เหลือแถวเดียว "
                f"(agency given twice for {result.fiscal_year}, also in row {earlier})",
                row=number,
                field=columns.where(columns.fields["name"]),
            )
        results.append(result)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(data), f"ตรวจแล้ว {done:,} จาก {len(data):,} แถว")
    return results


def _column_letter(index: int) -> str:
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _indicator_number(header: str) -> int | None:
    key = normalize_name(header)
    match = _INDICATOR_HEADER.match(key)
    if match and 1 <= int(match.group(1)) <= 10:
        return int(match.group(1))
    framework = get_framework(available_years()[-1])  # the 10 names are the same in every year
    for indicator in framework.indicators:
        if key in {normalize_name(n) for n in (*indicator.names(), indicator.name_en)}:
            return indicator.number
    return None


def _columns(source: str, header: list[str]) -> _Columns:
    fields: dict[str, int] = {}
    indicators: dict[int, int] = {}
    headers = [cell.strip() for cell in header]
    for index, text in enumerate(headers):
        if not text:
            continue
        name = _HEADER_LOOKUP.get(normalize_name(text))
        number = None if name else _indicator_number(text)
        if name is not None:
            first = fields.setdefault(name, index)
        elif number is not None:
            first = indicators.setdefault(number, index)
        else:
            continue  # other columns (ลำดับ, grade, notes …) are left alone
        if first != index:
            raise InputError(
                source,
                f"คอลัมน์ '{text}' กับ '{headers[first]}' เป็นข้อมูลเดียวกัน ลบคอลัมน์หนึ่งออก "
                f"(columns '{headers[first]}' and '{text}' hold the same field; keep one)",
                row=1,
                field=f"{text} (คอลัมน์ {_column_letter(index)})",
            )
    missing = [FIELD_NAMES_TH[f] for f in ("name", "fiscal_year") if f not in fields]
    missing += [f"ตัวชี้วัด {n}" for n in range(1, 11) if n not in indicators]
    if missing:
        listed = ", ".join(missing)
        raise InputError(
            source,
            f"หัวตารางขาดคอลัมน์ {listed} เพิ่มคอลัมน์เหล่านี้ในแถวแรก: ชื่อหน่วยงาน (หรือ agency), "
            "ปีงบประมาณ (หรือ year), ตัวชี้วัด 1–10 (หัวเป็นเลข 1 … 10 หรือชื่อตัวชี้วัด) "
            f"และคะแนนรวม (หรือ total) ถ้ามี (missing column(s): {listed})",
            row=1,
        )
    return _Columns(fields, indicators, headers)


def _cell(row: Sequence[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _row(source: str, columns: _Columns, number: int, row: Sequence[str]) -> PublishedResult:
    fields = columns.fields
    name = _cell(row, fields["name"])
    if not name:
        raise InputError(
            source,
            "ชื่อหน่วยงานว่าง ใส่ชื่อหน่วยงาน หรือลบแถวนี้ (the agency name is empty)",
            row=number,
            field=columns.where(fields["name"]),
        )
    framework = _year(source, columns, number, _cell(row, fields["fiscal_year"]))
    scores = tuple(
        _score(source, columns, number, columns.indicators[n], _cell(row, columns.indicators[n]), f"ตัวชี้วัด {n}")
        for n in range(1, 11)
    )
    total_exact = sum(s * i.weight / 100 for s, i in zip(scores, framework.indicators, strict=True))
    computed = round_half_up(total_exact, framework.rounding.decimals)
    total_index = fields.get("total")
    total_text = _cell(row, total_index)
    if total_text and total_index is not None:
        total = _score(source, columns, number, total_index, total_text, "คะแนนรวม")
        if abs(total - computed) > PUBLISHED_TOLERANCE + 1e-9:
            raise InputError(
                source,
                f"คะแนนรวม {total:.2f} ไม่ตรงกับคะแนนรวมที่คำนวณจากตัวชี้วัด 1–10 ตามน้ำหนักของกรอบปี "
                f"{framework.fiscal_year} ซึ่งได้ {computed:.2f} ตรวจคะแนนรายตัวชี้วัดหรือคะแนนรวมของแถวนี้ "
                f"หรือเว้นคะแนนรวมว่างให้ระบบคำนวณ (total {total:.2f} disagrees with the weighted indicators: "
                f"{computed:.2f})",
                row=number,
                field=columns.where(total_index),
            )
    else:
        total = computed
    return PublishedResult(
        row=number,
        name=" ".join(name.split()),
        code=_cell(row, fields.get("code")),
        kind=kind_label(_cell(row, fields.get("kind")), name),
        district=_cell(row, fields.get("district")),
        province=_cell(row, fields.get("province")),
        fiscal_year=framework.fiscal_year,
        scores=scores,
        total=total,
        total_given=bool(total_text),
        grade=framework.grade_for(total) if framework.has_grades else None,
        passed=total >= framework.pass_mark,
        rating=rating_of(framework, scores, total),
    )


def _year(source: str, columns: _Columns, number: int, text: str) -> Framework:
    where = columns.where(columns.fields["fiscal_year"])
    digits = to_arabic_digits(text)
    if digits.endswith(".0"):  # a spreadsheet's number
        digits = digits[:-2]
    if not digits.isdecimal():  # not isdigit(): ①566 is "digits" that int() refuses
        raise InputError(
            source,
            f"ปีงบประมาณ '{text}' ไม่ใช่ปี พ.ศ. ใส่เป็นตัวเลข 4 หลัก เช่น 2566 (the fiscal year must be a B.E. year)",
            row=number,
            field=where,
        )
    year = int(digits)
    year = year + 543 if 1900 < year < 2200 else year  # forgive a C.E. year
    return framework_for(source, year, row=number, field=where)


def _score(source: str, columns: _Columns, number: int, index: int, text: str, what: str) -> float:
    where = columns.where(index)
    if not text:
        raise InputError(source, f"{what} ว่าง ใส่คะแนน 0–100 (the score is empty)", row=number, field=where)
    try:
        value = float(to_arabic_digits(text).replace(",", ""))
    except ValueError:
        value = float("nan")
    if not np.isfinite(value):
        raise InputError(
            source,
            f"{what} '{text}' ไม่ใช่ตัวเลข ใส่คะแนนเป็นตัวเลข เช่น 85.25 (score is not a number)",
            row=number,
            field=where,
        )
    if not 0 <= value <= 100:
        raise InputError(
            source,
            f"{what} ต้องอยู่ระหว่าง 0 ถึง 100 แต่ได้ {text} แก้ให้อยู่ในช่วงนี้ (score must be 0–100)",
            row=number,
            field=where,
        )
    return value


# --- statistics ------------------------------------------------------------------------------------------

# Published totals gather between 50 and 100; 5-point bins put the pass mark 85 on an edge.
HISTOGRAM_EDGES: tuple[float, ...] = (0, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100)


@dataclass(frozen=True)
class Bin:
    low: float
    high: float  # exclusive, except for the last bin, which holds 100
    count: int

    @property
    def label(self) -> str:
        if self.low == 0:
            return f"<{self.high:g}"
        return f"{self.low:g}–{self.high:g}"


@dataclass(frozen=True)
class GradeCount:
    grade: str
    count: int
    share: float  # percent of the agencies


@dataclass(frozen=True)
class RatingCount:
    rating: RatingBand
    count: int
    share: float  # percent of the agencies


@dataclass(frozen=True)
class IndicatorStat:
    number: int
    name_th: str
    tool: str
    weight: float
    mean: float
    below: int  # agencies under the pass mark on this indicator
    below_share: float  # percent
    points_lost: float  # the mean of (100 − score) × weight, in total points

    @property
    def weak(self) -> bool:
        return self.below_share >= 50


@dataclass(frozen=True)
class YearSummary:
    fiscal_year: int
    pass_mark: float
    grades_published: bool
    agencies: int
    mean_total: float
    median_total: float
    min_total: float
    max_total: float
    passed: int
    pass_rate: float  # percent
    histogram: tuple[Bin, ...]
    grades: tuple[GradeCount, ...]  # best first; from the bands even in pass/fail years
    indicators: tuple[IndicatorStat, ...]  # 1–10
    ratings: tuple[RatingCount, ...] = ()  # best first; only where the year publishes rating words

    @property
    def ratings_published(self) -> bool:
        return bool(self.ratings)

    @property
    def weakest(self) -> tuple[IndicatorStat, ...]:
        """Lowest mean first (ties: the larger share under the pass mark, then the number)."""
        return tuple(sorted(self.indicators, key=lambda i: (round(i.mean, 9), -i.below_share, i.number)))


def _check_arrays(scores: FloatArray, totals: FloatArray) -> None:
    if scores.ndim != 2 or scores.shape[1] != 10 or totals.shape != (scores.shape[0],):
        raise ValueError(f"scores must be (agencies, 10) and totals (agencies,), got {scores.shape} and {totals.shape}")
    if scores.shape[0] == 0:
        raise ValueError("no agencies to summarize")


def summarize(framework: Framework, scores: FloatArray, totals: FloatArray) -> YearSummary:
    """The numbers of one fiscal year: ``scores`` is (agencies, 10), ``totals`` (agencies,), as published."""
    scores = np.asarray(scores, dtype=np.float64)
    totals = np.asarray(totals, dtype=np.float64)
    _check_arrays(scores, totals)
    n = len(totals)
    mark = framework.pass_mark
    counts, _ = np.histogram(totals, bins=np.asarray(HISTOGRAM_EDGES, dtype=np.float64))
    histogram = tuple(Bin(HISTOGRAM_EDGES[k], HISTOGRAM_EDGES[k + 1], int(c)) for k, c in enumerate(counts.tolist()))
    bands = framework.grades  # best first
    mins = np.asarray([b.min for b in reversed(bands)])
    band_index = len(bands) - np.searchsorted(mins, totals, side="right")  # index into bands
    grade_counts = np.bincount(band_index, minlength=len(bands))
    grades = tuple(
        GradeCount(b.grade, int(grade_counts[k]), 100 * int(grade_counts[k]) / n) for k, b in enumerate(bands)
    )
    below = (scores < mark).sum(axis=0)
    means = scores.mean(axis=0)
    indicators = tuple(
        IndicatorStat(
            number=i.number,
            name_th=i.name_th,
            tool=i.tool,
            weight=i.weight,
            mean=float(means[k]),
            below=int(below[k]),
            below_share=100 * int(below[k]) / n,
            points_lost=float((100 - means[k]) * i.weight / 100),
        )
        for k, i in enumerate(framework.indicators)
    )
    passed = int((totals >= mark).sum())
    ratings: tuple[RatingCount, ...] = ()
    if framework.has_ratings:
        rating_counts = np.bincount(rating_indexes(framework, scores, totals), minlength=len(framework.ratings))
        ratings = tuple(
            RatingCount(r, int(rating_counts[k]), 100 * int(rating_counts[k]) / n)
            for k, r in enumerate(framework.ratings)
        )
    return YearSummary(
        fiscal_year=framework.fiscal_year,
        pass_mark=mark,
        grades_published=framework.has_grades,
        agencies=n,
        mean_total=float(totals.mean()),
        median_total=float(np.median(totals)),
        min_total=float(totals.min()),
        max_total=float(totals.max()),
        passed=passed,
        pass_rate=100 * passed / n,
        histogram=histogram,
        grades=grades,
        indicators=indicators,
        ratings=ratings,
    )


def _tool_scores(framework: Framework, scores: FloatArray) -> FloatArray:
    """(agencies, 3) tool scores on 0–100 (IIT, EIT, OIT), rounded as the year publishes them."""
    weights = np.asarray([i.weight for i in framework.indicators])
    columns = []
    for tool in framework.tools:
        own = np.asarray([i.tool == tool.code for i in framework.indicators])
        columns.append((scores[:, own] * weights[own]).sum(axis=1) / tool.weight)
    return _round_many(np.stack(columns, axis=1), framework.rounding.decimals)


def rating_indexes(framework: Framework, scores: FloatArray, totals: FloatArray) -> npt.NDArray[np.int64]:
    """For each agency, the index into ``framework.ratings`` of its rating word (the year must have them):
    the first band, best first, whose total and per-tool bar it reaches (``RatingBand.reached_by``)."""
    scores = np.asarray(scores, dtype=np.float64).reshape(-1, 10)
    totals = np.asarray(totals, dtype=np.float64)
    if not framework.has_ratings:
        raise ValueError(f"fiscal year {framework.fiscal_year} publishes no rating words")
    lowest_tool = _tool_scores(framework, scores).min(axis=1) if len(totals) else np.empty(0)
    found = np.full(len(totals), len(framework.ratings) - 1, dtype=np.int64)
    for k in reversed(range(len(framework.ratings))):  # the best band last, so it wins
        band = framework.ratings[k]
        reached = totals >= band.min_total
        if band.min_each_tool is not None:
            reached &= lowest_tool >= band.min_each_tool
        found[reached] = k
    return found


def rating_of(framework: Framework, scores: Sequence[float], total: float) -> RatingBand | None:
    """The rating word of one published result (indicator scores 1–10 and its total); None before FY2566."""
    if not framework.has_ratings:
        return None
    return framework.ratings[
        int(rating_indexes(framework, np.asarray([scores], dtype=np.float64), np.asarray([total]))[0])
    ]


@dataclass(frozen=True)
class TrendPoint:
    fiscal_year: int
    agencies: int
    mean_total: float
    pass_rate: float  # percent
    indicator_means: tuple[float, ...]  # 1–10


def trend(summaries: Iterable[YearSummary]) -> tuple[TrendPoint, ...]:
    """One point per fiscal year, oldest first."""
    return tuple(
        TrendPoint(s.fiscal_year, s.agencies, s.mean_total, s.pass_rate, tuple(i.mean for i in s.indicators))
        for s in sorted(summaries, key=lambda s: s.fiscal_year)
    )


# --- who gains most from help ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpCandidate:
    """An agency under the pass mark, with what help could realistically add and why."""

    index: int  # row of the arrays given to help_ranking
    total: float
    gap: float  # points short of the pass mark
    oit_points: float  # points indicators 9–10 can still add (publishing: a reviewer's checklist)
    oit_ceiling: float  # the total with 9–10 at 100 and 1–8 unchanged (the planner's OIT-only ceiling)
    oit_alone_passes: bool
    survey_points: float  # points from lifting IIT/EIT indicators under the pass mark up to it
    weak_indicators: tuple[int, ...]  # IIT/EIT indicators under the pass mark, most points first
    reason_th: str


def _round_many(values: FloatArray, decimals: int) -> FloatArray:
    """round_half_up element-wise for totals (at most 4 real decimals: 2-decimal scores × whole weights)."""
    factor = 10.0**decimals
    result: FloatArray = np.floor(values * factor + 0.5 + 1e-7) / factor
    return result


def help_ranking(
    framework: Framework, scores: FloatArray, totals: FloatArray, target: float | None = None
) -> tuple[HelpCandidate, ...]:
    """Agencies under ``target`` (the pass mark), those whom help most likely changes first.

    First the agencies that publishing alone would pass (OIT 9–10 at 100 reaches the mark), most OIT
    points first: a reviewer's checklist, fixable in weeks. Then the others, closest to the mark after the
    OIT fix first; their reason names the IIT/EIT indicators to lift, by the points they would add.
    """
    scores = np.asarray(scores, dtype=np.float64)
    totals = np.asarray(totals, dtype=np.float64)
    if len(totals) == 0:
        return ()
    _check_arrays(scores, totals)
    mark = framework.pass_mark if target is None else target
    weights = np.asarray([i.weight for i in framework.indicators]) / 100
    oit = np.asarray([i.tool == "OIT" for i in framework.indicators])
    oit_points = ((100 - scores[:, oit]) * weights[oit]).sum(axis=1)
    ceiling = _round_many(
        (scores[:, ~oit] * weights[~oit]).sum(axis=1) + 100 * weights[oit].sum(), framework.rounding.decimals
    )
    lift = np.clip(mark - scores[:, ~oit], 0, None) * weights[~oit]
    below = np.nonzero(totals < mark)[0]
    decimals = framework.rounding.decimals
    gap = _round_many(mark - totals[below], decimals)
    points = _round_many(oit_points[below], decimals)
    survey = _round_many(lift[below].sum(axis=1), decimals)
    passes = ceiling[below] >= mark
    # the OIT-alone passes first, most OIT points first; then the closest to the mark after the OIT fix
    order = np.lexsort((below, gap, np.where(passes, -points, mark - ceiling[below]), ~passes))
    weak_order = np.argsort(-lift[below], axis=1, kind="stable")
    numbers = [i.number for i in framework.indicators if i.tool != "OIT"]
    names = {i.number: i.name_th for i in framework.indicators}
    candidates = []
    for j in order.tolist():
        k = int(below[j])
        weak = tuple(numbers[m] for m in weak_order[j].tolist() if lift[k, m] > 1e-9)
        fields: dict[str, Any] = {
            "index": k,
            "total": float(totals[k]),
            "gap": float(gap[j]),
            "oit_points": float(points[j]),
            "oit_ceiling": float(ceiling[k]),
            "oit_alone_passes": bool(passes[j]),
            "survey_points": float(survey[j]),
            "weak_indicators": weak,
        }
        lifts = dict(zip(numbers, lift[k].tolist(), strict=True))
        candidates.append(HelpCandidate(**fields, reason_th=_reason(fields, lifts, names, mark)))
    return tuple(candidates)


def _reason(c: dict[str, Any], lifts: dict[int, float], names: dict[int, str], mark: float) -> str:
    short = f"ขาด {c['gap']:.2f} คะแนน"
    if c["oit_alone_passes"]:
        return (
            f"{short} · เผยแพร่ข้อมูล OIT (ตัวชี้วัด 9–10) ให้ครบเพิ่มได้ {c['oit_points']:.2f} คะแนน "
            f"ผ่านเกณฑ์ {mark:g} ได้ด้วย OIT อย่างเดียว"
        )
    named = ", ".join(f"{n} {names[n]} (+{lifts[n]:.2f})" for n in c["weak_indicators"][:2])
    if c["oit_points"] >= 0.005:
        oit = f"OIT เพิ่มได้ {c['oit_points']:.2f} ได้สูงสุด {c['oit_ceiling']:.2f} ยังไม่ถึงเกณฑ์"
    else:
        oit = "OIT เต็มแล้ว"
    return f"{short} · {oit} ต้องยกตัวชี้วัด {named} ด้วย" if named else f"{short} · {oit}"
