"""Damaged and hostile files shared by the reader tests (tests/test_fuzz_readers.py) and the web import
tests (tests/web/test_damaged_uploads.py): each is a file someone could upload, built here from a valid
one, so that no test depends on a fixture file that could drift from what the readers accept."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl

EXAMPLES = Path(__file__).parents[1] / "examples"

# a DTD whose entity would expand to 10^9 characters if any parser expanded it
BILLION_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(f'<!ENTITY lol{n} "{("&lol" + str(n - 1 if n > 1 else "") + ";") * 10}">'.encode() for n in range(1, 10))
    + b"]>"
)


def xlsx_of(rows: Iterable[Iterable[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replace_part(xlsx: bytes, name: str, body: bytes | Iterable[bytes] | None) -> bytes:
    """The workbook with one part replaced (streamed when ``body`` is chunks), or removed when None."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info, source.read(info.filename))
            elif isinstance(body, bytes):
                target.writestr(info.filename, body)
            elif body is not None:
                with target.open(info.filename, "w", force_zip64=True) as part:
                    for chunk in body:
                        part.write(chunk)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def with_doctype(xml: bytes, doctype: bytes) -> bytes:
    """The XML with a DTD before its root element (after the declaration, where there is one)."""
    return xml.replace(b"?>", b"?>" + doctype, 1) if xml.startswith(b"<?") else doctype + xml


_SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


@functools.cache
def results_xlsx() -> bytes:
    return (EXAMPLES / "songkhanong-2564.xlsx").read_bytes()


@functools.cache
def wide_row_xlsx(cells: int = 1_500_000) -> bytes:
    """One row of 1.5 M cells: 1 row, so a cap on rows alone lets it through."""

    def chunks() -> Iterable[bytes]:
        yield _SHEET_HEAD + b"<sheetData><row>"
        for _ in range(cells // 10_000):
            yield b"<c><v>1</v></c>" * 10_000
        yield b"</row></sheetData></worksheet>"

    return replace_part(results_xlsx(), SHEET, chunks())


@functools.cache
def many_rows_xlsx(rows: int = 3_000_000) -> bytes:
    """3 M short rows: under a megabyte zipped."""

    def chunks() -> Iterable[bytes]:
        yield _SHEET_HEAD + b"<sheetData>"
        for _ in range(rows // 10_000):
            yield b"<row><c><v>1</v></c></row>" * 10_000
        yield b"</sheetData></worksheet>"

    return replace_part(results_xlsx(), SHEET, chunks())


@functools.cache
def doctype_xlsx() -> bytes:
    """The sheet declares a DTD with a billion-laughs entity, and uses it in a cell."""
    body = zipfile.ZipFile(io.BytesIO(results_xlsx())).read(SHEET)
    body = with_doctype(body, BILLION_LAUGHS)
    body = re.sub(rb"<v>([^<]*)</v>", rb"<v>&lol9;</v>", body, count=1)
    return replace_part(results_xlsx(), SHEET, body)


@functools.cache
def huge_dimension_xlsx() -> bytes:
    """A valid sheet that claims A1:XFD1048576 (openpyxl would pad every row to 16,384 columns)."""
    body = zipfile.ZipFile(io.BytesIO(results_xlsx())).read(SHEET)
    body = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', body)
    return replace_part(results_xlsx(), SHEET, body)


@functools.cache
def far_row_xlsx() -> bytes:
    """A last row numbered 1,048,576: openpyxl would build a million empty rows before it."""
    body = zipfile.ZipFile(io.BytesIO(results_xlsx())).read(SHEET)
    body = body.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row></sheetData>')
    return replace_part(results_xlsx(), SHEET, body)


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def bad_crc_xlsx() -> bytes:
    """A zip whose sheet's bytes were damaged after it was written (the CRC no longer matches)."""
    data = bytearray(results_xlsx())
    data[len(data) // 3] ^= 0xFF
    return bytes(data)


YAML_BOMB = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n".encode() for n in range(8)
)
YAML_SYNTAX_ERROR = b"fiscal_year: 2564\nindicators:\n  1: [94.17\n"


def hostile_tables() -> dict[str, bytes]:
    """Hostile XLSX files by name: each must be refused quickly, in Thai."""
    return {
        "wide-row.xlsx": wide_row_xlsx(),
        "3m-rows.xlsx": many_rows_xlsx(),
        "doctype.xlsx": doctype_xlsx(),
        "far-row.xlsx": far_row_xlsx(),
        "truncated.xlsx": truncated(results_xlsx()),
        "bad-crc.xlsx": bad_crc_xlsx(),
        "not-a-zip.xlsx": b"PK\x03\x04" + b"\x00" * 200,
    }
