"""Published results of many agencies, read from a table (CSV or XLSX: agency, fiscal year, the 10 indicator
scores and the total) and checked cell by cell before anything is used.

A bad file raises one InputError that names the row (as a spreadsheet numbers it), the column (its header and
letter) and the fix, in Thai. Scores and years are read by ``prongsai.numbers`` (Thai digits, พ.ศ.); each
indicator score is kept as published (half-up to the year's decimals) and the total must agree with the
weighted indicators of that year's framework within rounding (0.01), or is computed when left empty; grade,
rating word and pass come from the framework's bands.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from prongsai._table import column_letter
from prongsai.errors import InputError
from prongsai.framework import Framework, RatingBand, normalize_name
from prongsai.frameworks import available_years, get_framework
from prongsai.inputfiles import TableLimits
from prongsai.numbers import NumberError, parse_fiscal_year, parse_score, round_half_up, round_half_up_many
from prongsai.results import framework_for, read_table
from prongsai.scoring import PUBLISHED_TOLERANCE

__all__ = [
    "PublishedResult",
    "kind_label",
    "rating_indexes",
    "rating_of",
    "read_published",
    "read_published_rows",
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
        return f"{self.headers[index] or '(ไม่มีหัว)'} (คอลัมน์ {column_letter(index)})"


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
                field=f"{text} (คอลัมน์ {column_letter(index)})",
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
    decimals = framework.rounding.decimals
    scores = tuple(  # as published: half-up to the year's decimals, as scoring.score keeps them
        round_half_up(
            _score(source, columns, number, columns.indicators[n], _cell(row, columns.indicators[n]), f"ตัวชี้วัด {n}"),
            decimals,
        )
        for n in range(1, 11)
    )
    # the total as scoring.score adds it: each indicator's points (score × weight / 100) in indicator order
    total_exact = sum(s * i.weight / 100 for s, i in zip(scores, framework.indicators, strict=True))
    computed = round_half_up(total_exact, decimals)
    total_index = fields.get("total")
    total_text = _cell(row, total_index)
    if total_text and total_index is not None:
        total = round_half_up(_score(source, columns, number, total_index, total_text, "คะแนนรวม"), decimals)
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
    try:
        year = parse_fiscal_year(text)
    except NumberError as exc:
        raise InputError(source, str(exc), row=number, field=where) from exc
    return framework_for(source, year, row=number, field=where)


def _score(source: str, columns: _Columns, number: int, index: int, text: str, what: str) -> float:
    try:
        return parse_score(text, what)
    except NumberError as exc:
        raise InputError(source, str(exc), row=number, field=columns.where(index)) from exc


def _tool_scores(framework: Framework, scores: FloatArray) -> FloatArray:
    """(agencies, 3) tool scores on 0–100 (IIT, EIT, OIT), rounded as the year publishes them."""
    weights = np.asarray([i.weight for i in framework.indicators])
    columns = []
    for tool in framework.tools:
        own = np.asarray([i.tool == tool.code for i in framework.indicators])
        columns.append((scores[:, own] * weights[own]).sum(axis=1) / tool.weight)
    return round_half_up_many(np.stack(columns, axis=1), framework.rounding.decimals)


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
