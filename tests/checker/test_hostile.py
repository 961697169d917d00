"""Hostile files served on 127.0.0.1 to ``prongsai oit check`` run as an operator runs it (a subprocess): each
comes to a verdict with its reason within its budget, with bounded memory, and the check goes on to the next
item. The files are made in the test (tests/checker/hostile.py); the web check job has its own test
(tests/web/test_hostile_checks.py)."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from prongsai.bounded import MB
from prongsai.checker import caps
from prongsai.checker.extraction import Kind, detect_kind, extract
from prongsai.checker.reading import READING_BOUNDS

from .hostile import EXPECTED, hostile_app, nested_html, oit_check, pdf_bomb, wide_xlsx
from .serving import served

PARENT_MB = 400  # the CLI itself: its modules, the framework and the bodies it fetched (25 MB at most each)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with served(hostile_app()) as base:
        yield base


@pytest.fixture(scope="module")
def baseline(site: str, tmp_path_factory: pytest.TempPathFactory) -> float:
    """Seconds of a check of two ordinary pages: starting the CLI alone takes seconds on a loaded machine, and
    each budget is what a hostile file may add to it."""
    return check(site, tmp_path_factory.mktemp("baseline"), "/ok.html")[2]


def check(site: str, tmp_path: Path, path: str) -> tuple[dict[str, dict[str, str]], dict[str, int], float]:
    """A check of a map whose O1 is ``path`` and O2 an ordinary page."""
    return oit_check({"O1": f"{site}{path}", "O2": f"{site}/ok.html"}, tmp_path)


@pytest.mark.parametrize("path", list(EXPECTED))
def test_oit_check_comes_to_a_verdict_on_each_hostile_file(
    site: str, baseline: float, tmp_path: Path, path: str
) -> None:
    verdict, said, budget = EXPECTED[path]
    items, peak, seconds = check(site, tmp_path, path)
    assert items["O1"]["verdict"] == verdict and said in items["O1"]["reason_th"], items["O1"]
    assert items["O2"]["verdict"] != "unreadable"  # the check went on: the ordinary page was read
    assert seconds < baseline + budget, f"{path}: {seconds:.1f} s, {baseline:.1f} s without it"
    assert peak["self"] < PARENT_MB, peak
    # A worker may add READING_BOUNDS.memory to the address space it was forked with, the CLI's (under
    # PARENT_MB resident); what it inherited resident counts in its own peak too.
    assert peak["children"] < READING_BOUNDS.memory // MB + PARENT_MB, peak


# --- the caps on their own: refused before the parser, and real documents untouched ----------------------


@pytest.mark.parametrize(
    ("body", "content_type", "said"),
    [
        (pdf_bomb(), "application/pdf", "PDF"),
        (nested_html(), "text/html", "ซ้อน"),
        (wide_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "เซลล์"),
    ],
    ids=["pdf", "html", "xlsx"],
)
def test_the_caps_refuse_before_parsing(body: bytes, content_type: str, said: str) -> None:
    started = time.process_time()
    document = extract(body, content_type, "https://www.abt-namsai.go.th/file")
    assert document.unreadable and said in document.stopped_th and document.stopped_en
    assert time.process_time() - started < 2


def test_html_depth_counts_what_nests_not_what_closes_itself() -> None:
    flat = "<html><body>" + "<p>ย่อหน้า<br><img src=a.png>" * 5000 + "<table>" + "<tr><td>ก<td>ข" * 5000
    caps.check_html(flat + "</table></body></html>")  # unclosed <p>, <td> and void elements add no depth
    icons = "<svg>" + "<path d='M0 0'/>" * 5000 + "</svg>"
    caps.check_html(f"<div>{icons}</div>")  # SVG elements close themselves
    script = "<script>" + "if (a<b && c<d) {}" * 5000 + "</script>"
    caps.check_html(script)  # a script's "<b" is not a tag
    for hostile in ("<div/>" * 2000, "<svg><div/>" + "<div/>" * 2000, "<b>" * 2000, "<div>" * 2000):
        with pytest.raises(caps.TooCostly):
            caps.check_html(hostile)


def test_xlsx_cells_are_counted_by_the_readers_one_rule() -> None:
    # a row costs its <c> elements or its last column, whichever is more (prongsai.inputfiles.widest_row)
    def book(row: bytes) -> bytes:
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w") as archive:
            sheet = b'<worksheet><sheetData><row r="1">' + row + b"</row></sheetData></worksheet>"
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
        return packed.getvalue()

    caps.check_xlsx(book(b'<c r="A1"/><c r="XFD1"/>'))  # Excel's last column: a row a spreadsheet can hold
    for hostile in (b'<c r="A1"/>' * (caps.MAX_ROW_CELLS + 1), b'<c r="XFE1"/>'):  # one cell again and again; past XFD
        with pytest.raises(caps.TooCostly):
            caps.check_xlsx(book(hostile))


def test_the_caps_leave_every_real_document_alone() -> None:
    real = sorted(p for p in Path("/work/shared/real-docs").rglob("*") if p.suffix.lower() in (".pdf", ".html"))
    assert real, "no real documents to try"
    for path in real:
        document = extract(path.read_bytes(), "", f"https://www.example.go.th/{path.name}")
        assert not document.stopped_th, path.name


def test_a_zip_of_many_entries_is_not_listed_by_the_process_that_fetched_it() -> None:
    # Sniffing a body's kind happens before any reading worker: a 24 MB zip directory of 300,000 entries
    # would cost this process 2 s and 150 MB to list.
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        for number in range(300_000):
            archive.writestr(zipfile.ZipInfo(str(number)), b"")
    started = time.process_time()
    assert detect_kind("application/octet-stream", "https://www.abt-namsai.go.th/file", packed.getvalue()) is Kind.XLSX
    assert time.process_time() - started < 0.1
