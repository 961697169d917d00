"""Reading files that people upload or name (CSV, XLSX, YAML) without trusting them.

Every reader of a results, answers, URL-map or published-results table, and of their YAML, comes through here, so
that a damaged or hostile file fails the same way everywhere: one InputError in Thai that names the row
or field and what to do, never a traceback, and never more memory or time than a valid file of that kind
could need. A valid file's size is known in advance (ten indicators, 43 OIT items, one row per respondent,
one row per agency and year), so each caller passes the ``TableLimits`` of its kind and reading stops as
soon as the file holds more: rows, cells (a row of 1.5 M cells is one row), characters, or XML parts.

An XLSX is first walked with expat (constant memory, no entity expansion) to count what openpyxl would
build: the row and column numbers a sheet claims (``<row r="1048576">`` makes openpyxl pad a million empty
rows), the cells per row, the size of each part, and any DTD, which Excel and LibreOffice never write and which
is the door for entity bombs; openpyxl only reads a workbook that passed.
"""

from __future__ import annotations

import contextlib
import csv
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

import yaml

from prongsai.errors import InputError

try:  # libyaml parses ten times faster than PyYAML's own Python parser; the result is the same
    from yaml import CSafeLoader as _FastLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _FastLoader  # type: ignore[assignment]

__all__ = [
    "ANSWER_LIMITS",
    "SMALL_LIMITS",
    "TableLimits",
    "YamlRefused",
    "load_yaml",
    "read_rows",
    "read_yaml_mapping",
    "widest_row",
    "yaml_problem_th",
]


@dataclass(frozen=True)
class TableLimits:
    """The most a valid file of one kind can hold; one more is refused before it is built."""

    rows: int
    columns: int
    cells: int  # cells that reading would build: each row counts up to its last filled column
    characters: int  # text in all cells (and in the workbook's shared strings)


# results (10 indicators), OIT answers (≤ 50 items) and URL maps, with room for notes and blank rows
SMALL_LIMITS = TableLimits(rows=2_000, columns=100, cells=50_000, characters=4_000_000)
# raw IIT/EIT answers: one row per respondent, about 60 question columns
ANSWER_LIMITS = TableLimits(rows=50_000, columns=256, cells=5_000_000, characters=50_000_000)

MAX_ZIP_MEMBERS = 2_000  # a workbook written by Excel or LibreOffice holds a few dozen parts
MAX_OTHER_ELEMENTS = 2_000_000  # styles, workbook, relationships: Excel's own style limit is 64,000
MAX_YAML_ALIASES = 20  # a few anchors are harmless; hundreds expand exponentially ("billion laughs")

_DAMAGED_XLSX = (
    "อ่านไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ .xlsx จริง: เปิดไฟล์ด้วย Excel หรือ LibreOffice "
    "แล้วบันทึกเป็น .xlsx ใหม่ หรือบันทึกเป็น CSV (UTF-8) แล้วนำเข้าอีกครั้ง (not a readable .xlsx file)"
)
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


class _Refused(Exception):
    """Raised from inside expat's callbacks to stop the walk; carries the user's message."""

    def __init__(self, reason: str, row: int | None = None, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason, self.row, self.field = reason, row, field


def read_rows(path: Path, limits: TableLimits, *, source: str | None = None) -> list[list[str]]:
    """Rows of a CSV (UTF-8) or XLSX file (its first sheet) as stripped strings, within ``limits``."""
    name = source or str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(name, "รองรับเฉพาะไฟล์ .csv และ .xlsx (supported: .csv, .xlsx)")
    try:
        if suffix == ".csv":
            return _read_csv(path, name, limits)
        return _read_xlsx(path, name, limits)
    except _Refused as exc:
        raise InputError(name, exc.reason, row=exc.row, field=exc.field) from exc
    except OSError as exc:
        raise InputError(name, f"เปิดไฟล์ไม่ได้ ตรวจว่าไฟล์ยังอยู่และอ่านได้ (cannot open file): {exc.strerror}") from exc


# --- CSV ----------------------------------------------------------------------------------------------


def _read_csv(path: Path, name: str, limits: TableLimits) -> list[list[str]]:
    counter = _Counter(limits)
    rows: list[list[str]] = []
    number = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                counter.row(number)
                counter.width(number, len(row))
                counter.text(sum(len(cell) for cell in row), number)
                rows.append([cell.strip() for cell in row])
    except UnicodeDecodeError as exc:
        raise InputError(
            name,
            "ไฟล์ต้องเข้ารหัส UTF-8: ใน Excel เลือกบันทึกเป็น CSV UTF-8 (file must be UTF-8 encoded)",
        ) from exc
    except csv.Error as exc:
        raise InputError(
            name,
            "อ่านแถวนี้ไม่ได้ มีอักขระที่ไฟล์ CSV ไม่ควรมี (เช่น อักขระ NUL) หรือช่องที่ยาวผิดปกติ: เปิดไฟล์ด้วยโปรแกรม"
            "ตารางคำนวณแล้วบันทึกเป็น CSV UTF-8 ใหม่ (damaged CSV row)",
            row=number + 1,
        ) from exc
    return rows


# --- XLSX ---------------------------------------------------------------------------------------------


class _Counter:
    """Rows, cells and characters seen so far, checked against the limits as they grow."""

    def __init__(self, limits: TableLimits) -> None:
        self.limits = limits
        self.cells = 0
        self.characters = 0

    def row(self, number: int) -> None:
        if number > self.limits.rows:
            raise _Refused(
                f"ไฟล์มีเกิน {self.limits.rows:,} แถว ซึ่งมากกว่าที่ไฟล์ประเภทนี้จะมีได้: ตรวจว่าเลือกไฟล์ถูกต้อง "
                f"และลบแถวว่างหรือแถวที่ไม่เกี่ยวข้องออก (more than {self.limits.rows:,} rows)",
                row=number,
            )

    def width(self, number: int, columns: int) -> None:
        if columns > self.limits.columns:
            raise _Refused(
                f"แถวนี้มีข้อมูลเกิน {self.limits.columns} คอลัมน์ ซึ่งมากกว่าที่ไฟล์ประเภทนี้จะมีได้: ลบคอลัมน์ที่ไม่ใช้ออก "
                f"(more than {self.limits.columns} columns)",
                row=number,
            )
        self.cells += columns
        if self.cells > self.limits.cells:
            raise _Refused(
                f"ไฟล์มีเกิน {self.limits.cells:,} ช่อง ซึ่งมากกว่าที่ไฟล์ประเภทนี้จะมีได้: ลบแถวและคอลัมน์ที่ไม่เกี่ยวข้องออก "
                f"หรือแบ่งเป็นหลายไฟล์ (more than {self.limits.cells:,} cells)",
                row=number,
            )

    def text(self, length: int, number: int | None = None) -> None:
        self.characters += length
        if self.characters > self.limits.characters:
            raise _Refused(
                f"ข้อความในไฟล์ยาวเกิน {self.limits.characters:,} ตัวอักษร ซึ่งมากกว่าที่ไฟล์ประเภทนี้จะมีได้: "
                f"ตรวจว่าเลือกไฟล์ถูกต้อง (more than {self.limits.characters:,} characters of text)",
                row=number,
            )


def _read_xlsx(path: Path, name: str, limits: TableLimits) -> list[list[str]]:
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise _Refused(_DAMAGED_XLSX) from exc
    except _Refused:
        raise
    except Exception as exc:  # zlib.error, RuntimeError (encrypted parts) …: a damaged archive, whatever its kind
        raise _Refused(_DAMAGED_XLSX) from exc
    return _openpyxl_rows(path)


def _openpyxl_rows(path: Path) -> list[list[str]]:
    import openpyxl  # imported here: only XLSX users pay for it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            if not book.worksheets:
                raise _Refused(_DAMAGED_XLSX)
            sheet = book.worksheets[0]
            if hasattr(sheet, "reset_dimensions"):  # a claimed A1:XFD1048576 must not pad every row
                sheet.reset_dimensions()
            return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
    except _Refused:
        raise
    except Exception as exc:  # openpyxl raises whatever its parsers raise on a damaged part (TypeError, KeyError …)
        raise _Refused(_DAMAGED_XLSX) from exc


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_archive(archive: zipfile.ZipFile, limits: TableLimits) -> None:
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise _Refused(_DAMAGED_XLSX)
    # each part may inflate to what the limits allow (Thai text is 3 bytes a character in UTF-8), no more:
    # ZipExtFile stops at the size the directory states, so this bounds what any reader gets out of it,
    # and with it the text of the cells (which the walks below therefore need not count)
    most = limits.characters * 3 + limits.cells * 64 + (4 << 20)
    for member in members:
        if member.file_size > most:
            raise _Refused(
                "ไฟล์ Excel นี้เมื่อขยายแล้วใหญ่เกินกว่าที่ไฟล์ประเภทนี้จะมีได้: ตรวจว่าเลือกไฟล์ถูกต้อง "
                "หรือบันทึกเฉพาะข้อมูลที่ต้องการเป็นไฟล์ใหม่ (the workbook inflates beyond what a valid file needs)"
            )
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        with archive.open(member) as part:
            if member.filename.startswith("xl/worksheets/"):
                _walk(part, _SheetWalk(_Counter(limits)))  # each sheet within the limits on its own
            elif member.filename.endswith("sharedStrings.xml"):
                _walk(part, _StringsWalk(limits))
            else:
                _walk(part, _PartWalk())


class _PartWalk:
    """Any XML part: no DTD, a bounded number of elements."""

    most_elements: float = MAX_OTHER_ELEMENTS

    def __init__(self) -> None:
        self.elements = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > self.most_elements:
            raise _Refused(_DAMAGED_XLSX)


class _StringsWalk(_PartWalk):
    """The shared strings: no more of them than there can be cells (their text is bounded by the part's size)."""

    def __init__(self, limits: TableLimits) -> None:
        super().__init__()
        self.limits = limits
        self.strings = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "si":
            self.strings += 1
            if self.strings > self.limits.cells:
                raise _Refused(_DAMAGED_XLSX)
        super().start(tag, attributes)


class _RowWalk(_PartWalk):
    """The one rule for counting the cells of an XLSX row (this reader's, and the checker's caps on fetched
    workbooks): what openpyxl builds for a row, one element for every ``<c>`` (even one that repeats a reference)
    and, when it hands the row over, one value for every column up to the last; so a row is as wide as the larger
    of the two. A cell's column is its reference's (B7 is 2), or the one after the cell before."""

    def __init__(self, most: int) -> None:
        super().__init__()
        self.most = most  # a row is reported as soon as it is wider: one row can be the bomb
        self.row_number = self.column = self.cells = self.width = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "row":
            self._end_row()
            self.row_number = self._row_number(attributes.get("r"))
            self.column = self.cells = self.width = 0
            self.row_started()
        elif tag == "c":
            self.column = self._column(attributes.get("r"))
            self.cells += 1
            self.width = max(self.width, self.column, self.cells)
            if self.width > self.most:
                self.row_too_wide()
        elif tag != "v" and tag != "t" and tag != "is" and tag != "f":
            super().start(tag, attributes)

    def _row_number(self, given: str | None) -> int:
        if given is not None and given.isascii() and given.isdigit():
            return int(given)
        if given is not None:
            self.damaged(self.row_number + 1)
        return self.row_number + 1

    def _column(self, reference: str | None) -> int:
        match = _CELL_REF.fullmatch(reference) if reference is not None else None
        if match is None:
            if reference is not None:
                self.damaged(self.row_number)
            return self.column + 1
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        return column

    def _end_row(self) -> None:
        if self.width:
            self.row_ended()
        self.width = 0

    def close(self) -> None:
        self._end_row()

    # What a walk does with what it counts.
    def row_started(self) -> None:
        pass

    def row_too_wide(self) -> None:
        pass

    def row_ended(self) -> None:
        pass

    def damaged(self, row: int) -> None:
        pass


class _SheetWalk(_RowWalk):
    """A worksheet, counted as openpyxl would build it: row numbers, padded row widths; a damaged reference is
    refused."""

    def __init__(self, counter: _Counter) -> None:
        super().__init__(counter.limits.columns)
        self.counter = counter

    def row_started(self) -> None:
        self.counter.row(self.row_number)

    def row_too_wide(self) -> None:
        self.counter.width(self.row_number, self.width)

    def row_ended(self) -> None:
        self.counter.width(self.row_number, self.width)

    def damaged(self, row: int) -> None:
        raise _Refused(_DAMAGED_XLSX, row=row)


class _Widest(_RowWalk):
    """The widest row of a part, by the same rule; the walk stops once one is wider than ``most``."""

    most_elements = float("inf")  # counting rows only: other elements are no reason to stop

    def __init__(self, most: int) -> None:
        super().__init__(most)
        self.widest = 0

    def row_too_wide(self) -> None:
        self.widest = self.width
        raise _Refused("")  # enough counted

    def row_ended(self) -> None:
        self.widest = max(self.widest, self.width)


def widest_row(part: IO[bytes], most: int) -> int:
    """The most cells openpyxl would build for one row of this XML part (``_RowWalk``'s rule), read with expat
    in chunks; counting stops past ``most``, and where the part stops being XML or declares a DTD (openpyxl's
    parser, expat too, stops there as well). For prongsai.checker.caps, which refuses rather than reports."""
    walk = _Widest(most)
    with contextlib.suppress(_Refused):
        _walk(part, walk)
    return max(walk.widest, walk.width)


def _walk(part: IO[bytes], walk: _PartWalk) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name: str, attributes: dict[str, str]) -> None:
        walk.start(name.rpartition(" ")[2], attributes)

    def doctype(*_: object) -> None:
        raise _Refused(
            "ไฟล์ Excel นี้มีส่วนที่ Excel และ LibreOffice ไม่เคยเขียน (การประกาศ DTD) จึงไม่อ่านเพื่อความปลอดภัย: "
            "เปิดด้วย Excel หรือ LibreOffice แล้วบันทึกเป็น .xlsx ใหม่ (the workbook declares a DTD; refused)"
        )

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        for chunk in iter(lambda: part.read(1 << 16), b""):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _Refused(_DAMAGED_XLSX) from exc
    if isinstance(walk, _RowWalk):
        walk.close()


# --- YAML ---------------------------------------------------------------------------------------------


class YamlRefused(yaml.YAMLError):
    """A YAML file that parses but is refused (too many aliases); its message is Thai."""


class _BoundedLoader(_FastLoader):
    """Safe loading that refuses many aliases: each use of an anchor may double what the file expands to
    when it is walked (a "billion laughs" of 1 kB), so more than a few are refused."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects:  # reached again: through an alias
            self.aliases += 1
            if self.aliases > MAX_YAML_ALIASES:
                raise YamlRefused(
                    f"ไฟล์ใช้การอ้างซ้ำ (*alias) เกิน {MAX_YAML_ALIASES} ครั้ง: เขียนค่าออกมาตรง ๆ แทนการอ้างซ้ำ "
                    f"(more than {MAX_YAML_ALIASES} YAML aliases)"
                )
        return super().construct_object(node, deep)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` with a bound on aliases; raises yaml.YAMLError (or ValueError on odd numbers)."""
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # a constructor's, e.g. 2021-13-45
        raise YamlRefused(
            "ไฟล์ YAML มีค่าที่อ่านไม่ได้ (เช่น วันที่ที่ไม่มีจริง หรือการซ้อนลึกเกินไป): แก้ค่านั้นหรือใส่ในเครื่องหมายคำพูด "
            "(a value in the YAML cannot be read)"
        ) from exc
    finally:
        loader.dispose()


def yaml_problem_th(exc: Exception) -> str:
    """Why a YAML text could not be read, in Thai, with the line and column to look at."""
    if isinstance(exc, YamlRefused):
        return str(exc)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context_mark", None)
    where = english = ""
    if mark is not None:
        where = f"ที่บรรทัด {mark.line + 1} คอลัมน์ {mark.column + 1}"
        english = f" at line {mark.line + 1}, column {mark.column + 1}"
        if context is not None and context.line != mark.line:  # e.g. a bracket opened earlier and never closed
            where += f" (ส่วนที่เริ่มที่บรรทัด {context.line + 1})"
    return (
        f"อ่านไฟล์ YAML ไม่ได้{where}: ตรวจการย่อหน้า เครื่องหมาย : วงเล็บ และเครื่องหมายคำพูดในบรรทัดนั้นและบรรทัดก่อนหน้า "
        f"และบันทึกไฟล์เป็นข้อความ UTF-8 (invalid YAML{english})"
    )


MAX_YAML_BYTES = 1 << 20  # a results file with every OIT item is about 3 KB; a data file a few more


def read_yaml_mapping(path: Path) -> dict[str, Any]:
    """The one reader of a YAML file people give (results, answers, data, URL maps): its top-level mapping,
    with Thai errors; a file larger than any valid one is not read at all."""
    source = str(path)
    try:
        if path.stat().st_size > MAX_YAML_BYTES:
            raise InputError(
                source,
                f"ไฟล์ YAML ใหญ่เกิน {MAX_YAML_BYTES // 1024:,} KB ซึ่งมากกว่าที่ไฟล์ผลการประเมินจะมีได้: ตรวจว่าเลือกไฟล์ถูกต้อง "
                "(larger than any valid results file)",
            )
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(source, "ไฟล์ต้องเข้ารหัส UTF-8: บันทึกไฟล์เป็นข้อความ UTF-8 (file must be UTF-8 encoded)") from exc
    except OSError as exc:
        raise InputError(source, f"เปิดไฟล์ไม่ได้ ตรวจว่าไฟล์ยังอยู่และอ่านได้ (cannot open file): {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise InputError(source, yaml_problem_th(exc)) from exc
    if not isinstance(raw, dict):
        raise InputError(str(path), "ไฟล์ YAML ต้องเป็น mapping (the YAML file must hold a mapping)")
    return raw
