"""Read results and answer files (YAML, CSV, XLSX) into validated objects.

Everything is checked before anything is used: a bad file raises one InputError that names the
file, the row (as a spreadsheet numbers it, header = row 1) and the field, in Thai with English.
The formats are documented in docs/formats.md, with one example of each in examples/.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from prongsai.errors import FrameworkError, InputError
from prongsai.framework import Framework, normalize_name
from prongsai.frameworks import available_years, get_framework
from prongsai.inputfiles import ANSWER_LIMITS, SMALL_LIMITS, TableLimits, read_rows, read_yaml_mapping
from prongsai.numbers import NumberError, parse_fiscal_year, parse_score
from prongsai.scoring import OitScores, ScoreResult, oit_scores, score
from prongsai.survey import ANSWER_CODES, SurveyLayout, encode_groups, layout_for
from prongsai.thai import to_arabic_digits

if TYPE_CHECKING:
    from prongsai.report import Say  # report reads results: imported for the annotation only

__all__ = [
    "Agency",
    "AnswerSheet",
    "Results",
    "fractions_message",
    "load_answers",
    "load_results",
    "read_table",
    "scores_template",
    "unknown_item_message",
]

INDICATOR_HEADERS = {"indicator": "indicator", "ตัวชี้วัด": "indicator", "score": "score", "คะแนน": "score"}
ITEM_HEADERS = {"item": "item", "ข้อ": "item", "answer": "answer", "คำตอบ": "answer"}
GROUP_HEADERS = {"group", "กลุ่ม"}
IGNORED_HEADERS = {"respondent", "ผู้ตอบ", "id"}
PASSED_WORDS = {"มี", "yes", "y", "ผ่าน", "pass", "100", "1", "true"}
FAILED_WORDS = {"ไม่มี", "no", "n", "ไม่ผ่าน", "fail", "0", "false"}


@dataclass(frozen=True)
class Agency:
    name: str
    district: str = ""
    province: str = ""


@dataclass(frozen=True)
class Results:
    """One agency's result for one fiscal year, as read from a file."""

    source: str
    framework: Framework
    indicators: dict[int, float]
    labels_th: dict[int, str] = field(default_factory=dict)
    oit: OitScores | None = None
    agency: Agency | None = None
    published_total: float | None = None
    published_grade: str | None = None

    @property
    def fiscal_year(self) -> int:
        return self.framework.fiscal_year

    def score(self) -> ScoreResult:
        return score(self.framework, self.indicators, self.labels_th)


# --- tables ------------------------------------------------------------------------------------


def read_table(path: Path, limits: TableLimits = SMALL_LIMITS) -> list[list[str]]:
    """Rows of a CSV or XLSX file as stripped strings (the first sheet of a workbook), within ``limits``."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(str(path), "รองรับเฉพาะไฟล์ .yaml .csv .xlsx (supported: .yaml, .csv, .xlsx)")
    return read_rows(path, limits)


def _data_rows(rows: list[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Non-empty rows after the header, with their spreadsheet row numbers."""
    for number, row in enumerate(rows[1:], start=2):
        if any(cell for cell in row):
            yield number, row


def _header(rows: list[list[str]], names: Mapping[str, str]) -> dict[str, int] | None:
    if not rows:
        return None
    found = {names[normalize_name(cell)]: k for k, cell in enumerate(rows[0]) if normalize_name(cell) in names}
    return found if len(set(found)) == len(set(names.values())) else None


# --- results -----------------------------------------------------------------------------------


def load_results(path: Path, fiscal_year: int | None = None, oit_path: Path | None = None) -> Results:
    """Read a result: 10 indicator scores, and/or OIT item answers that give indicators 9 and 10."""
    source = str(path)
    if not path.exists():
        raise InputError(source, "ไม่พบไฟล์ (file not found)")
    if path.suffix.lower() in (".yaml", ".yml"):
        raw = read_yaml_mapping(path)
        framework = framework_for(source, _year_from(source, raw, fiscal_year))
        indicators, labels = _indicators_from_mapping(source, framework, raw.get("indicators") or {})
        answers = _items_from_mapping(source, framework, raw.get("oit_items"))
        agency = _agency(source, raw.get("agency"))
        published = _published(source, raw.get("published"))
    else:
        framework = framework_for(source, _require_year(source, fiscal_year))
        indicators, labels, answers = _from_table(source, framework, read_table(path))
        agency, published = None, (None, None)
    if oit_path is not None:
        answers = _load_items_file(oit_path, framework)
    oit = _merge_oit(source, framework, indicators, answers)
    _require_all_indicators(source, indicators)
    return Results(source, framework, indicators, labels, oit, agency, *published)


def framework_for(source: str, fiscal_year: int, *, row: int | None = None, field: str = "fiscal_year") -> Framework:
    """The year's framework, or an InputError on ``source`` (and ``row``) that lists the years there are."""
    try:
        return get_framework(fiscal_year)
    except FrameworkError as exc:
        years = ", ".join(str(y) for y in available_years())
        raise InputError(
            source,
            f"ไม่มีกรอบการประเมินปีงบประมาณ {fiscal_year} มีเฉพาะปี {years} "
            f"(no framework for fiscal year {fiscal_year}; available: {years})",
            row=row,
            field=field,
        ) from exc


def _year_from(source: str, raw: Mapping[str, Any], option: int | None) -> int:
    value = raw.get("fiscal_year")
    if value is None:
        return _require_year(source, option)
    year = _parse_year(source, str(value))
    if option is not None and option != year:
        raise InputError(
            source,
            # no command-line option named: the web app's import shows this sentence too
            f"ไฟล์นี้เป็นผลของปีงบประมาณ {year} แต่กำลังนำเข้าเป็นปีงบประมาณ {option}: "
            f"ใช้ไฟล์ของปี {option} หรือนำเข้าไฟล์นี้ที่ปี {year} (the file is FY{year}, imported as FY{option})",
            field="fiscal_year",
        )
    return year


def _require_year(source: str, option: int | None) -> int:
    if option is None:
        raise InputError(
            source,
            "ต้องระบุปีงบประมาณด้วย --year เช่น --year 2564 (give the fiscal year with --year)",
            field="fiscal_year",
        )
    return option


def _parse_year(source: str, text: str) -> int:
    try:
        return parse_fiscal_year(text)
    except NumberError as exc:
        raise InputError(source, str(exc), field="fiscal_year") from exc


def _indicators_from_mapping(source: str, framework: Framework, raw: object) -> tuple[dict[int, float], dict[int, str]]:
    if not isinstance(raw, dict):
        raise InputError(source, "indicators ต้องเป็น mapping ตัวชี้วัด: คะแนน", field="indicators")
    rows = [(None, str(key), str(value)) for key, value in raw.items()]
    return _indicator_scores(source, framework, rows, field_prefix="indicators.")


def _indicator_scores(
    source: str, framework: Framework, rows: Sequence[tuple[int | None, str, str]], field_prefix: str = ""
) -> tuple[dict[int, float], dict[int, str]]:
    scores: dict[int, float] = {}
    labels: dict[int, str] = {}
    for row, key, value in rows:
        where = f"{field_prefix}{key}" if field_prefix else "indicator"
        indicator = framework.find_indicator(key)
        if indicator is None:
            raise InputError(
                source,
                f"ไม่รู้จักตัวชี้วัด '{key}' ใช้เลข 1–10 หรือชื่อภาษาไทย เช่น การเปิดเผยข้อมูล "
                f"(unknown indicator '{key}': use 1–10 or its Thai name)",
                row=row,
                field=where,
            )
        if indicator.number in scores:
            raise InputError(
                source,
                f"ตัวชี้วัด {indicator.number} ซ้ำ (indicator {indicator.number} given twice)",
                row=row,
                field=where,
            )
        scores[indicator.number] = _parse_score(source, value, row, f"{field_prefix}{key}" if field_prefix else "score")
        if not key.strip().isdigit() and not to_arabic_digits(key.strip()).isdigit():
            labels[indicator.number] = key.strip()
    _refuse_fractions(source, scores, field_prefix)
    return scores, labels


def _refuse_fractions(source: str, scores: Mapping[int, float], field_prefix: str) -> None:
    message = fractions_message(scores)
    if message:
        raise InputError(source, message, field=f"{field_prefix}1" if field_prefix else "score")


def fractions_message(scores: Mapping[int, float], say: Say | None = None) -> str | None:
    """Scores all at most 1 (0.834 …) are fractions, typically Excel percentage cells (83.4 % is stored as 0.834):
    taken as they are, the total would be about 0.7 instead of 70. The one rule for a file, the form and the API:
    the sentence that refuses them with the fix, or None. Never guessed. With ``say`` (a page's language, from
    prongsai.web.i18n) in that language; without, Thai with the English in parentheses, as the CLI writes."""
    if len(scores) < 2 or not all(s <= 1 for s in scores.values()) or not any(s > 0 for s in scores.values()):
        return None
    example = next(s for s in scores.values() if s > 0)
    thai = (
        f"คะแนนทุกตัวชี้วัดไม่เกิน 1 (เช่น {example:g}) ดูเหมือนเป็นสัดส่วนหรือเซลล์แบบเปอร์เซ็นต์ของ Excel "
        f"แต่คะแนนต้องเป็นเลข 0–100 เช่น {example * 100:.2f}: คูณคะแนนด้วย 100 หรือเปลี่ยนรูปแบบเซลล์จากเปอร์เซ็นต์เป็นตัวเลข "
        f"แล้วลองอีกครั้ง"
    )
    if say is not None:
        return say(
            thai,
            f"Every score is at most 1 (e.g. {example:g}): these look like fractions or Excel percentage cells, but "
            f"scores are numbers from 0 to 100, e.g. {example * 100:.2f}. Multiply the scores by 100 or change the "
            f"cells' format from percentage to number, then try again.",
        )
    return (
        f"{thai} (every score is at most 1, e.g. {example:g}: fractions or percentage cells; "
        f"scores are 0–100, e.g. {example * 100:.2f})"
    )


def _parse_score(source: str, text: str, row: int | None, field_name: str) -> float:
    try:
        return parse_score(text)
    except NumberError as exc:
        raise InputError(source, str(exc), row=row, field=field_name) from exc


def _require_all_indicators(source: str, scores: Mapping[int, float]) -> None:
    missing = [n for n in range(1, 11) if n not in scores]
    if missing:
        listed = ", ".join(str(n) for n in missing)
        raise InputError(
            source,
            f"ขาดคะแนนตัวชี้วัด {listed} ต้องมีครบ 10 ตัวชี้วัด (missing indicator(s) {listed}; all 10 are needed)",
            field="indicator",
        )


def _from_table(
    source: str, framework: Framework, rows: list[list[str]]
) -> tuple[dict[int, float], dict[int, str], dict[str, bool] | None]:
    columns = _header(rows, INDICATOR_HEADERS)
    if columns is not None:
        cells = [
            (number, _cell(row, columns["indicator"]), _cell(row, columns["score"])) for number, row in _data_rows(rows)
        ]
        scores, labels = _indicator_scores(source, framework, [(n, k, v) for n, k, v in cells])
        return scores, labels, None
    if _header(rows, ITEM_HEADERS) is not None:
        return {}, {}, _items_from_table(source, framework, rows)
    raise InputError(
        source,
        "แถวแรกต้องเป็นหัวตาราง indicator,score หรือ item,answer "
        "(the first row must be the header indicator,score or item,answer)",
        row=1,
    )


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def scores_template(framework: Framework) -> list[list[str]]:
    """The rows of an empty scores file this module reads back: the Thai header ตัวชี้วัด,ชื่อตัวชี้วัด,คะแนน and one
    row per indicator, its number, its name (a column the reader skips: there for the person) and its score left
    to fill in."""
    indicator, score = (
        next(k for k, v in INDICATOR_HEADERS.items() if v == n and not k.isascii()) for n in ("indicator", "score")
    )
    return [[indicator, "ชื่อตัวชี้วัด", score], *([str(i.number), i.name_th, ""] for i in framework.indicators)]


# --- OIT item answers --------------------------------------------------------------------------


def _load_items_file(path: Path, framework: Framework) -> dict[str, bool]:
    source = str(path)
    if not path.exists():
        raise InputError(source, "ไม่พบไฟล์ (file not found)")
    if path.suffix.lower() in (".yaml", ".yml"):
        return _items_from_mapping(source, framework, read_yaml_mapping(path).get("oit_items")) or {}
    rows = read_table(path)
    if _header(rows, ITEM_HEADERS) is None:
        raise InputError(source, "แถวแรกต้องเป็นหัวตาราง item,answer (header must be item,answer)", row=1)
    return _items_from_table(source, framework, rows)


def _items_from_table(source: str, framework: Framework, rows: list[list[str]]) -> dict[str, bool]:
    columns = _header(rows, ITEM_HEADERS)
    assert columns is not None
    cells = [(number, _cell(row, columns["item"]), _cell(row, columns["answer"])) for number, row in _data_rows(rows)]
    return _item_answers(source, framework, cells)


def _items_from_mapping(source: str, framework: Framework, raw: object) -> dict[str, bool] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InputError(source, "oit_items ต้องเป็น mapping ข้อ: คำตอบ (must map item to answer)", field="oit_items")
    return _item_answers(source, framework, [(None, str(k), _answer_text(v)) for k, v in raw.items()])


def _answer_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _item_answers(source: str, framework: Framework, cells: Sequence[tuple[int | None, str, str]]) -> dict[str, bool]:
    answers: dict[str, bool] = {}
    for row, key, value in cells:
        item = framework.find_item(key)
        where = f"oit_items.{key}" if row is None else "item"
        if item is None:
            raise InputError(source, unknown_item_message(framework, key), row=row, field=where)
        code = item.code
        if code in answers:
            raise InputError(source, f"ข้อ {code} ซ้ำ (item {code} given twice)", row=row, field=where)
        answers[code] = _parse_answer(source, value, row, where if row is None else "answer")
    missing = [item.code for item in framework.items if item.code not in answers]
    if missing:
        raise InputError(
            source,
            f"ขาดคำตอบข้อ {', '.join(missing)} ตอบ มี หรือ ไม่มี ให้ครบทุกข้อ (missing answers: {', '.join(missing)})",
            field="item",
        )
    return answers


def unknown_item_message(framework: Framework, key: str) -> str:
    """The Thai sentence for an item code the year does not have (files, the register, the checker's URL map)."""
    n = len(framework.items)
    return (
        f"ไม่มีข้อ {key} ในกรอบปี {framework.fiscal_year} ซึ่งมีข้อ O1–O{n} "
        f"(no item '{key}' in FY{framework.fiscal_year}: O1–O{n})"
    )


def _parse_answer(source: str, text: str, row: int | None, field_name: str) -> bool:
    key = normalize_name(text)
    if key in PASSED_WORDS:
        return True
    if key in FAILED_WORDS:
        return False
    raise InputError(
        source,
        f"คำตอบ '{text}' ต้องเป็น มี/ไม่มี หรือ 100/0 (answer must be มี/ไม่มี or 100/0)",
        row=row,
        field=field_name,
    )


def _merge_oit(
    source: str, framework: Framework, indicators: dict[int, float], answers: dict[str, bool] | None
) -> OitScores | None:
    """Indicators 9 and 10 come from item answers when given; a stated score that disagrees is an error."""
    if answers is None:
        return None
    oit = oit_scores(framework, answers)
    for number, computed in oit.indicators.items():
        stated = indicators.get(number)
        if stated is not None and abs(stated - computed) > 0.01:
            raise InputError(
                source,
                f"คะแนนตัวชี้วัด {number} ในไฟล์คือ {stated:.2f} แต่คำนวณจากคำตอบรายข้อ OIT ได้ {computed:.2f} "
                f"(indicator {number} is {stated:.2f} but the OIT answers give {computed:.2f})",
                field=f"indicators.{number}",
            )
        indicators[number] = computed
    return oit


def _agency(source: str, raw: object) -> Agency | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return Agency(raw)
    if not isinstance(raw, dict) or not raw.get("name"):
        raise InputError(source, "agency ต้องมี name (agency needs a name)", field="agency")
    return Agency(str(raw["name"]), str(raw.get("district", "")), str(raw.get("province", "")))


def _published(source: str, raw: object) -> tuple[float | None, str | None]:
    if raw is None:
        return None, None
    if not isinstance(raw, dict):
        raise InputError(source, "published ต้องเป็น mapping total/grade", field="published")
    total = raw.get("total")
    grade = raw.get("grade")
    return (
        _parse_score(source, str(total), None, "published.total") if total is not None else None,
        str(grade) if grade is not None else None,
    )


# --- raw survey answers ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerSheet:
    source: str
    framework: Framework
    layout: SurveyLayout
    codes: npt.NDArray[np.int8]
    group_ids: npt.NDArray[np.intp]
    group_names: tuple[str, ...]


def load_answers(path: Path, framework: Framework) -> AnswerSheet:
    """Raw IIT or EIT answers: one row per respondent, one column per sub-item (i1_1, i1_2, i2 …)."""
    source = str(path)
    rows = read_table(path, ANSWER_LIMITS)
    if not rows:
        raise InputError(source, "ไฟล์ว่าง (empty file)")
    header = [normalize_name(cell) for cell in rows[0]]
    tool = _answer_tool(source, header)
    layout = layout_for(framework, tool)
    positions = _answer_columns(source, header, layout)
    group_col = next((k for k, name in enumerate(header) if name in GROUP_HEADERS), None)
    labels: list[str] = []
    codes: list[list[int]] = []
    for number, row in _data_rows(rows):
        labels.append(_cell(row, group_col) if group_col is not None else "")
        codes.append(_answer_row(source, framework, layout, positions, row, number))
    group_ids, group_names = encode_groups(labels)
    matrix = np.array(codes, dtype=np.int8).reshape(len(codes), len(layout.columns))
    return AnswerSheet(source, framework, layout, matrix, group_ids, group_names)


def _answer_tool(source: str, header: list[str]) -> str:
    prefixes = {name[0] for name in header if name[:1] in ("i", "e") and name[1:2].isdigit()}
    if len(prefixes) != 1:
        raise InputError(
            source,
            "หัวตารางต้องเป็นรหัสข้อคำถาม IIT (i1, i1_2 …) หรือ EIT (e1 …) อย่างใดอย่างหนึ่ง "
            "(header must name the IIT or the EIT question columns, not both)",
            row=1,
        )
    return "IIT" if prefixes == {"i"} else "EIT"


def _answer_columns(source: str, header: list[str], layout: SurveyLayout) -> list[int]:
    known = set(layout.columns) | GROUP_HEADERS | IGNORED_HEADERS
    unknown = [name for name in header if name and name not in known]
    if unknown:
        raise InputError(source, f"ไม่รู้จักคอลัมน์ {', '.join(unknown)} (unknown column(s))", row=1, field=unknown[0])
    missing = [column for column in layout.columns if column not in header]
    if missing:
        raise InputError(source, f"ขาดคอลัมน์ {', '.join(missing)} (missing column(s))", row=1, field=missing[0])
    return [header.index(column) for column in layout.columns]


def _answer_row(
    source: str, framework: Framework, layout: SurveyLayout, positions: list[int], row: list[str], number: int
) -> list[int]:
    return [
        _answer_code(source, framework, answer_type, _cell(row, position), number, column)
        for column, answer_type, position in zip(layout.columns, layout.answer_types, positions, strict=True)
    ]


def _answer_code(source: str, framework: Framework, answer_type: str, text: str, row: int, column: str) -> int:
    key = normalize_name(text)
    if not key:
        return 0
    code = ANSWER_CODES[answer_type].get(key)
    if code is None and answer_type == "scale4":
        labels = [normalize_name(label) for label in framework.answer_scale.labels_th]
        code = labels.index(key) + 1 if key in labels else None
    if code is None:
        allowed = "1–4 หรือ น้อยที่สุดหรือไม่มีเลย/น้อย/มาก/มากที่สุด" if answer_type == "scale4" else "มี/ไม่มี"
        raise InputError(source, f"คำตอบ '{text}' ไม่ถูกต้อง ใช้ {allowed} (invalid answer)", row=row, field=column)
    return code
