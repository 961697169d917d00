"""One validator for a kit dataset, whether it comes from a CLI file, a CSV/XLSX table or the web's form:
every value is checked against its Field's type and comes out typed (dt.date, int, Decimal, str), and the
first problem is an InputError naming the row, the field's Thai label and the fix. Nothing is changed by a
parse that fails: it only returns a new DatasetData.

Dates are B.E. as people type them (1/10/2569, ๑/๑๐/๒๕๖๙, 1 ต.ค. 2569, 1 ตุลาคม 2569); a month is ต.ค. 2569,
10/2569 or 2569-10 (kept as the first day of that month); money is baht with up to two decimals (1,500.50).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from prongsai.errors import InputError
from prongsai.inputfiles import SMALL_LIMITS, read_rows
from prongsai.kit import dataset as get_dataset
from prongsai.kit.base import Dataset, DatasetData, Field
from prongsai.thai import BE_OFFSET, ThaiDateError, parse_be_date, to_arabic_digits

__all__ = ["MONTHS_TH", "TABLE_READERS", "parse_dataset", "parse_value", "rows_from_table"]

MAX_TEXT, MAX_LONGTEXT, MAX_ROWS, MAX_UPDATES = 1_000, 20_000, 1_000, 100
MAX_MONEY = Decimal("100000000000")  # a hundred billion baht: beyond any one line of an agency's plan
MONTHS_TH = (
    ("มกราคม", "ม.ค."), ("กุมภาพันธ์", "ก.พ."), ("มีนาคม", "มี.ค."), ("เมษายน", "เม.ย."), ("พฤษภาคม", "พ.ค."),
    ("มิถุนายน", "มิ.ย."), ("กรกฎาคม", "ก.ค."), ("สิงหาคม", "ส.ค."), ("กันยายน", "ก.ย."), ("ตุลาคม", "ต.ค."),
    ("พฤศจิกายน", "พ.ย."), ("ธันวาคม", "ธ.ค."),
)  # fmt: skip
_MONTH_NUMBER = {name: k for k, names in enumerate(MONTHS_TH, start=1) for name in (*names, names[1].rstrip("."))}
_NAMED_DATE = re.compile(r"^\s*(\d{1,2})\s+([ก-๙.]+)\s*(?:พ\.ศ\.)?\s*(\d{4})\s*$")
_MONTH_TEXT = re.compile(r"^\s*([ก-๙.]+)\s*(?:พ\.ศ\.)?\s*(\d{4})\s*$")
_MONTH_NUMERIC = re.compile(r"^\s*(?:(\d{1,2})\s*[/\-]\s*(\d{4})|(\d{4})\s*-\s*(\d{1,2}))\s*$")
UPDATE_KEYS = {"date": "วันที่", "progress": "ความคืบหน้า (ร้อยละ)", "text": "ผลการดำเนินการ", "spent": "ใช้จ่ายจริง (บาท)"}
# A dataset that people keep in an official form's own layout (title lines above the headings, the form's
# headings, cells the form combines: แบบ สขร. ๑) registers its reader: (table, source) → rows, each row already
# checked so that an error names the sheet's own row (callers number rows from 2, under one heading row).
TABLE_READERS: dict[str, Callable[[list[list[str]], str], list[dict[str, str]]]] = {}


class _Bad(ValueError):
    """A value that does not fit its field; the message is the Thai fix."""


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if value.year >= 2400:  # a B.E. year written the ISO way (2569-10-01): say how to type it
            raise _Bad("พิมพ์วันที่เป็นวัน/เดือน/ปี พ.ศ. เช่น 1/10/2569")
        return value
    text = to_arabic_digits(str(value)).strip()
    named = _NAMED_DATE.match(text)
    if named:
        month = _MONTH_NUMBER.get(named.group(2))
        if month is None:
            raise _Bad(f"ไม่รู้จักชื่อเดือน “{named.group(2)}” ใช้ชื่อเต็มหรือย่อ เช่น 1 ต.ค. 2569 หรือ 1 ตุลาคม 2569")
        text = f"{named.group(1)}/{month}/{named.group(3)}"
    try:
        day = parse_be_date(text)
    except ThaiDateError as exc:
        raise _Bad(str(exc)) from None
    if day is None:
        raise _Bad("ยังไม่ได้กรอกวันที่")
    return day


def _month(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return _date(value).replace(day=1)
    text = to_arabic_digits(str(value)).strip()
    named = _MONTH_TEXT.match(text)
    if named and named.group(1) in _MONTH_NUMBER:
        month, year = _MONTH_NUMBER[named.group(1)], int(named.group(2))
    elif numeric := _MONTH_NUMERIC.match(text):
        month = int(numeric.group(1) or numeric.group(4))
        year = int(numeric.group(2) or numeric.group(3))
    else:
        raise _Bad("พิมพ์เดือนและปี พ.ศ. เช่น ต.ค. 2569 หรือ 10/2569")
    if not 1 <= month <= 12:
        raise _Bad(f"เดือนต้องเป็นเลข 1 ถึง 12 (พิมพ์ไว้ {month})")
    if year < 2400:
        raise _Bad(f"ปี {year} เป็นปีคริสต์ศักราช กรุณาพิมพ์ปี พ.ศ. ({year + BE_OFFSET})")
    return dt.date(year - BE_OFFSET, month, 1)


def _number_text(value: Any) -> str:
    return to_arabic_digits(str(value)).replace(",", "").replace(" ", "").removesuffix("บาท").strip()


def _int(value: Any, low: int | None = None, high: int | None = None) -> int:
    if isinstance(value, bool):
        raise _Bad("ต้องเป็นตัวเลข")
    text = _number_text(value).removesuffix("%")
    if not re.fullmatch(r"-?\d+(?:\.0+)?", text):
        raise _Bad(f"ต้องเป็นเลขจำนวนเต็ม (พิมพ์ไว้ “{value}”)")
    number = int(Decimal(text))
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Bad(f"ต้องเป็นเลข {low} ถึง {high} (พิมพ์ไว้ {number})")
    return number


def _money(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _Bad("ต้องเป็นจำนวนเงิน")
    text = _number_text(value)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _Bad(f"ต้องเป็นจำนวนเงินบาท เช่น 15000 หรือ 15,000.50 (พิมพ์ไว้ “{value}”)") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_MONEY:
        raise _Bad(f"จำนวนเงินต้องไม่ติดลบและไม่เกิน 100,000 ล้านบาท (พิมพ์ไว้ “{value}”)")
    if amount != amount.quantize(Decimal("0.01")):
        raise _Bad(f"จำนวนเงินมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง (พิมพ์ไว้ “{value}”)")
    return amount.quantize(Decimal("0.01"))


def _text(value: Any, limit: int) -> str:
    if isinstance(value, (Mapping, list, tuple)):
        raise _Bad("ต้องเป็นข้อความ")
    text = str(value).replace("\r\n", "\n").strip()
    if len(text) > limit:
        raise _Bad(f"ข้อความยาว {len(text):,} ตัวอักษร เกิน {limit:,} ตัวอักษร ให้ย่อลง")
    return text


def _updates(value: Any) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, (list, tuple)):
        raise _Bad("ต้องเป็นรายการผลการดำเนินการ แต่ละรายการมี date, progress, text และ spent")
    if len(value) > MAX_UPDATES:
        raise _Bad(f"มีผลการดำเนินการเกิน {MAX_UPDATES} รายการ")
    updates = []
    for k, update in enumerate(value, start=1):
        if not isinstance(update, Mapping):
            raise _Bad(f"รายการที่ {k} ต้องมี date, progress, text และ spent")
        unknown = sorted(set(map(str, update)) - set(UPDATE_KEYS))
        if unknown:
            raise _Bad(f"รายการที่ {k} มีช่องที่ไม่รู้จัก {', '.join(unknown)} (ใช้ได้: {', '.join(UPDATE_KEYS)})")
        try:
            updates.append(
                {
                    "date": _date(update.get("date") or ""),
                    "progress": _int(update.get("progress", 0), 0, 100),
                    "text": _text(update.get("text") or "", MAX_TEXT),
                    "spent": _money(update["spent"]) if _given(update.get("spent")) else None,
                }
            )
        except _Bad as exc:
            raise _Bad(f"ผลการดำเนินการรายการที่ {k}: {exc}") from None
    return tuple(sorted(updates, key=lambda u: u["date"]))


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip()) and value != []


def parse_value(field: Field, value: Any) -> Any:
    """One value as its field's type; raises ValueError with the Thai fix."""
    kind = field.type
    if kind == "text":
        return _text(value, MAX_TEXT)
    if kind == "longtext":
        return _text(value, MAX_LONGTEXT)
    if kind == "date":
        return _date(value)
    if kind == "month":
        return _month(value)
    if kind == "int":
        return _int(value, 0)
    if kind == "money":
        return _money(value)
    if kind == "score":
        return _int(value, 1, 5)
    if kind == "choice":
        text = _text(value, MAX_TEXT)
        if text not in field.choices:
            raise _Bad(f"ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {', '.join(field.choices)} (พิมพ์ไว้ “{text}”)")
        return text
    if kind == "updates":
        return _updates(value)
    raise AssertionError(kind)


def _record(fields: Sequence[Field], given: Any, *, source: str, row: int | None, what: str) -> dict[str, Any]:
    if not isinstance(given, Mapping):
        raise InputError(source, f"{what}ต้องเป็นชุดของช่อง (ชื่อช่อง: ค่า)", row=row)
    known = {f.name: f for f in fields}
    by_label = {f.label_th: f for f in fields}
    record: dict[str, Any] = {}
    for key, value in given.items():
        field = known.get(str(key)) or by_label.get(str(key).strip())
        if field is None:
            names = ", ".join(f"{f.name} ({f.label_th})" for f in fields)
            raise InputError(source, f"ไม่รู้จักช่อง “{key}” ช่องที่ใช้ได้: {names}", row=row)
        if _given(value):
            try:
                record[field.name] = parse_value(field, value)
            except ValueError as exc:
                raise InputError(source, str(exc), row=row, field=field.label_th) from None
    for field in fields:
        if field.name not in record:
            if field.required:
                hint = f" ({field.help_th})" if field.help_th else ""
                raise InputError(source, f"ยังไม่ได้กรอก ต้องกรอกช่องนี้{hint}", row=row, field=field.label_th)
            record[field.name] = () if field.type == "updates" else None if field.type != "text" else ""
            if field.type == "longtext":
                record[field.name] = ""
    return record


def parse_dataset(
    code: str,
    mapping: Mapping[str, Any],
    *,
    fiscal_year: int,
    agency_name: str,
    reviewed: bool = False,
    source: str = "",
    first_row: int = 1,
) -> DatasetData:
    """The dataset ``code`` from ``{"header": {...}, "rows": [...]}`` (field names or Thai labels as keys).
    ``first_row`` is the number the first row has where the person sees it (2 for a spreadsheet under its
    header row); ``source`` names the file in errors (else the dataset's Thai title)."""
    try:
        spec: Dataset = get_dataset(code)
    except KeyError:
        raise InputError(source, f"ไม่รู้จักชุดข้อมูล “{code}”") from None
    where = source or spec.title_th
    if not isinstance(fiscal_year, int) or not 2500 <= fiscal_year <= 2700:
        raise InputError(where, f"ปีงบประมาณต้องเป็นปี พ.ศ. 4 หลัก เช่น 2570 (พิมพ์ไว้ {fiscal_year})", field="ปีงบประมาณ")
    agency = str(agency_name or "").strip()
    if not agency:
        raise InputError(where, "ยังไม่ได้กรอกชื่อหน่วยงาน", field="หน่วยงาน")
    header = _record(spec.header, mapping.get("header") or {}, source=where, row=None, what="ส่วนหัว")
    rows_given = mapping.get("rows") or []
    if not isinstance(rows_given, (list, tuple)):
        raise InputError(where, f"rows ต้องเป็นรายการของ{spec.row_name_th}")
    if len(rows_given) > MAX_ROWS:
        raise InputError(where, f"มี{spec.row_name_th} {len(rows_given):,} แถว เกิน {MAX_ROWS:,} แถว")
    rows = tuple(
        _record(spec.rows, given, source=where, row=k, what=f"{spec.row_name_th}แต่ละแถว")
        for k, given in enumerate(rows_given, start=first_row)
    )
    return DatasetData(code, fiscal_year, agency, header, rows, bool(reviewed))


def rows_from_table(code: str, path: Path, *, source: str | None = None) -> list[dict[str, str]]:
    """The rows of a CSV/XLSX file (its first sheet) whose first row names the columns by the Thai labels or
    the field names of the dataset's rows; empty rows are skipped. Values stay text: parse_dataset checks them
    (with ``first_row=2``, so that errors name the row as the spreadsheet numbers it)."""
    spec = get_dataset(code)
    name = source or path.name
    table = read_rows(path, SMALL_LIMITS, source=name)
    if not table:
        raise InputError(name, "ไฟล์ว่าง ต้องมีแถวหัวตารางเป็นชื่อช่อง แล้วตามด้วยข้อมูล")
    if code in TABLE_READERS:
        return TABLE_READERS[code](table, name)
    fields = {f.label_th: f.name for f in spec.rows} | {f.name: f.name for f in spec.rows}
    columns: list[str | None] = []
    for k, heading in enumerate(table[0], start=1):
        heading = heading.strip()
        if heading and heading not in fields:
            labels = ", ".join(f.label_th for f in spec.rows if f.type != "updates")
            raise InputError(name, f"ไม่รู้จักหัวคอลัมน์ “{heading}” (คอลัมน์ที่ {k}) ใช้ได้: {labels}", row=1)
        columns.append(fields.get(heading))
    rows: list[dict[str, str]] = []
    for cells in table[1:]:
        if not any(c.strip() for c in cells):
            rows.append({})  # kept as an empty mapping so row numbers stay those of the sheet; dropped below
            continue
        rows.append({col: cell for col, cell in zip(columns, cells, strict=False) if col and cell.strip()})
    while rows and not rows[-1]:
        rows.pop()
    for k, row in enumerate(rows, start=2):
        if not row:
            raise InputError(name, "แถวว่างอยู่ระหว่างข้อมูล ให้ลบแถวนี้ออก", row=k)
    return rows
