"""Every reader of a file a person gives fails in Thai, never with a traceback (issue 16, item 6).

Hypothesis damages valid files (the examples, a framework, a URL map, a published-results table) the
ways files get damaged or crafted: flipped bits, cuts, inserted YAML and CSV syntax, odd Unicode digits
(①566, ๒๕๖๖, ２５６６), NUL bytes, and for XLSX damaged zips, damaged or missing parts, a DTD, a claimed
A1:XFD1048576, rows numbered in the millions. Each case must give a result or the product's own error
(ProngsaiError) with a Thai message; any other exception fails the test with the file that caused it.

Cases per reader: PRONGSAI_FUZZ_CASES (default below: 8,200 cases, about 50 s of CPU); a longer run is
``PRONGSAI_FUZZ_CASES=20000 uv run pytest tests/test_fuzz_readers.py`` (docs/security.md).
Below the fuzz, the hostile files of the audit are read one by one with their memory measured.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_files import (
    EXAMPLES,
    SHEET,
    YAML_BOMB,
    YAML_SYNTAX_ERROR,
    hostile_tables,
    huge_dimension_xlsx,
    replace_part,
    results_xlsx,
    with_doctype,
    xlsx_of,
)
from prongsai.checker.run import load_url_map
from prongsai.cli import main
from prongsai.documents.data import load_document_data
from prongsai.errors import ProngsaiError
from prongsai.frameworks import DATA_DIR, add_framework, get_framework, load_framework
from prongsai.inputfiles import ANSWER_LIMITS, read_rows
from prongsai.published import read_published
from prongsai.results import load_answers, load_results

THAI = re.compile("[\u0e00-\u0e7f]")
CASES = int(os.environ.get("PRONGSAI_FUZZ_CASES", "0")) or None
FY2564 = get_framework(2564)

# --- the valid files damaged below ----------------------------------------------------------------


def _csv(rows: list[list[str]]) -> bytes:
    return "\n".join(",".join(row) for row in rows).encode()


def _rows(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]


PUBLISHED = [
    ["หน่วยงาน", "อำเภอ", "จังหวัด", "ปีงบประมาณ", *[str(n) for n in range(1, 11)], "คะแนนรวม"],
    *[[f"อบต.{k}", "เมือง", "นนทบุรี", "2566", *[str(80 + k)] * 10, ""] for k in range(4)],
    ["เทศบาลตำบลห้า", "ปากเกร็ด", "นนทบุรี", "๒๕๖๗", *["90.5"] * 10, "90.50"],
]
URL_MAP = [["item", "url"], *[[i.code, f"https://example.org/{i.code.lower()}"] for i in FY2564.items]]
URL_YAML = "\n".join(f"{i.code}: https://example.org/{i.code.lower()}" for i in FY2564.items[:10]).encode()
SEEDS: dict[str, list[tuple[str, bytes]]] = {
    "results": [
        (".yaml", (EXAMPLES / "songkhanong-2564.yaml").read_bytes()),
        (".csv", (EXAMPLES / "songkhanong-2564.csv").read_bytes()),
        (".xlsx", (EXAMPLES / "songkhanong-2564.xlsx").read_bytes()),
    ],
    "oit answers": [
        (".csv", (EXAMPLES / "songkhanong-2564-oit.csv").read_bytes()),
        (".xlsx", xlsx_of(_rows(EXAMPLES / "songkhanong-2564-oit.csv"))),
    ],
    "answers": [
        (".csv", (EXAMPLES / "iit-answers-2564.csv").read_bytes()),
        (".xlsx", xlsx_of(_rows(EXAMPLES / "iit-answers-2564.csv"))),
    ],
    "url map": [(".yaml", URL_YAML), (".csv", _csv(URL_MAP)), (".xlsx", xlsx_of(URL_MAP))],
    "published": [(".csv", _csv(PUBLISHED)), (".xlsx", xlsx_of(PUBLISHED))],
    "framework": [(".yaml", (DATA_DIR / "fy2564.yaml").read_bytes())],
    "plan": [(".yaml", (EXAMPLES / "songkhanong-2565-plan.yaml").read_bytes())],
}


def _add_check(path: Path) -> object:
    # what `prongsai frameworks add --check` does with the file's text, without writing anything
    return add_framework(path.read_text(encoding="utf-8"), source=str(path), dry_run=True)


READERS: dict[str, Callable[[Path], object]] = {
    "results": lambda path: load_results(path, 2564 if path.suffix != ".yaml" else None),
    "oit answers": lambda path: load_results(EXAMPLES / "songkhanong-2564.csv", 2564, oit_path=path),
    "answers": lambda path: load_answers(path, FY2564),
    "url map": lambda path: load_url_map(path, FY2564),
    "published": read_published,
    "framework": load_framework,
    "plan": load_document_data,
}
# Cases per reader in CI (the slow readers parse a 40 kB framework, or a plan and its results, per case).
DEFAULT_CASES = {
    **{"results": 2000, "oit answers": 1000, "answers": 1000, "url map": 1500, "published": 1500},
    **{"framework": 800, "plan": 400},
}

# --- the damage ---------------------------------------------------------------------------------------

ODD_DIGITS = ["①", "๒", "٣", "２", "²", "߃", "𝟚", "Ⅻ", "⁵", "₆", "〇"]
TOKENS = [
    *ODD_DIGITS,
    *(f"{d}566" for d in ODD_DIGITS),
    "\x00", "\ufeff", "\u202e", "\r", "\n", "\t", '"', "'", ",", ",,,,", ";", "\\",
    ": [", "{", "}", "- ", "? ", "&a ", "*a", "<<: *a", "!!python/object/apply:os.system ['id']", "!!binary x",
    "!!float", "!!int x", "%YAML 1.1\n", "---\n", "...\n", "|\n", ">-\n", "~", "1e999", "-0", "nan", ".inf",
    "9" * 40, "2021-13-45", "0x1F", "=HYPERLINK(\"x\")", "ตัวชี้วัด", "O99", "i999", "e1", "มี", "ไม่มี",
]  # fmt: skip
_offset = st.integers(min_value=0, max_value=1 << 20)
BYTE_DAMAGE = st.one_of(
    st.tuples(st.just("flip"), _offset, st.integers(0, 7)),
    st.tuples(st.just("cut"), _offset),
    st.tuples(st.just("insert"), _offset, st.sampled_from(TOKENS).map(str.encode)),
    st.tuples(st.just("insert"), _offset, st.binary(min_size=1, max_size=12)),
    st.tuples(st.just("delete"), _offset, st.integers(1, 32)),
    st.tuples(st.just("repeat"), _offset, st.integers(1, 400)),
    st.tuples(st.just("digit"), _offset, st.sampled_from(ODD_DIGITS)),
)
ZIP_DAMAGE = st.one_of(
    st.tuples(st.just("part"), _offset, st.lists(BYTE_DAMAGE, min_size=1, max_size=3)),
    st.tuples(st.just("doctype"), _offset),
    st.tuples(st.just("drop"), _offset),
    st.tuples(st.just("dimension"), st.sampled_from(["A1:XFD1048576", "A1:A999999999", "ZZ", "A0:B-1"])),
    st.tuples(st.just("row number"), st.sampled_from(["1048576", "99999999999", "0", "-1", "๑", "①", "2x"])),
    st.tuples(st.just("cell reference"), st.sampled_from(["XFD1", "ZZZZ1", "A", "1A", "a1", "Ａ1"])),
    st.tuples(st.just("bytes"), st.lists(BYTE_DAMAGE, min_size=1, max_size=3)),
)


def _damage_bytes(data: bytes, damage: tuple[Any, ...]) -> bytes:
    kind, offset = damage[0], damage[1] % (len(data) + 1)
    if kind == "flip":
        if not data:
            return data
        at = offset % len(data)
        return data[:at] + bytes([data[at] ^ (1 << damage[2])]) + data[at + 1 :]
    if kind == "cut":
        return data[:offset]
    if kind == "insert":
        return data[:offset] + damage[2] + data[offset:]
    if kind == "delete":
        return data[:offset] + data[offset + damage[2] :]
    if kind == "repeat":
        return data[:offset] + data[offset : offset + 64] * damage[2] + data[offset:]
    digits = [m.start() for m in re.finditer(rb"[0-9]", data)]  # "digit": one ASCII digit becomes an odd one
    if not digits:
        return data
    at = digits[offset % len(digits)]
    return data[:at] + damage[2].encode() + data[at + 1 :]


def _damage_zip(data: bytes, damage: tuple[Any, ...]) -> bytes:
    kind = damage[0]
    if kind == "bytes":
        for each in damage[1]:
            data = _damage_bytes(data, each)
        return data
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        names = source.namelist()
        for name in names:
            source.read(name)  # raises on a part damaged already (its CRC)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):  # damaged already: keep that damage
        return data
    if not names:
        return data
    target = names[damage[1] % len(names)] if kind in ("part", "doctype", "drop") else "xl/worksheets/sheet1.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as damaged:
        for name in names:
            body = source.read(name)
            if name == target:
                if kind == "drop":
                    continue
                if kind == "part":
                    for each in damage[2]:
                        body = _damage_bytes(body, each)
                elif kind == "doctype":
                    body = with_doctype(body, b'<!DOCTYPE x [<!ENTITY e "eeeeeeee">]>')
                elif kind == "dimension":
                    body = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{damage[1]}"'.encode(), body)
                elif kind == "row number":
                    body = re.sub(rb'<row r="[^"]*"', f'<row r="{damage[1]}"'.encode(), body, count=1)
                else:
                    body = re.sub(rb'<c r="[^"]*"', f'<c r="{damage[1]}"'.encode(), body, count=1)
            damaged.writestr(name, body)
    return out.getvalue()


def _case(reader: str) -> st.SearchStrategy[tuple[str, bytes]]:
    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, bytes]:
        suffix, data = draw(st.sampled_from(SEEDS[reader]))
        if suffix == ".xlsx" and draw(st.booleans()):
            for damage in sorted(draw(st.lists(ZIP_DAMAGE, min_size=1, max_size=2)), key=lambda d: d[0] == "bytes"):
                data = _damage_zip(data, damage)
        else:
            for damage in draw(st.lists(BYTE_DAMAGE, min_size=1, max_size=4)):
                data = _damage_bytes(data, damage)
        return suffix, data

    return build()


def read_or_refuse_in_thai(reader: Callable[[Path], object], path: Path) -> object:
    """The reader's result, or None when it refused the file with a ProngsaiError in Thai."""
    try:
        return reader(path)
    except ProngsaiError as exc:
        message = str(exc)
        assert THAI.search(message), f"not Thai: {message[:300]}"
        assert "Traceback" not in message
        return None


# --- the fuzz --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz")
    shutil.copy(EXAMPLES / "songkhanong-2564.yaml", path)  # the plan's results file, beside it
    return path


@pytest.mark.parametrize("reader", list(READERS))
def test_every_reader_fails_in_thai_never_with_a_traceback(reader: str, folder: Path) -> None:
    cases = CASES or DEFAULT_CASES[reader]

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(case=_case(reader))
    def run(case: tuple[str, bytes]) -> None:
        suffix, data = case
        path = folder / f"damaged{suffix}"
        path.write_bytes(data)
        try:
            read_or_refuse_in_thai(READERS[reader], path)
        except AssertionError:
            raise
        except Exception as exc:  # the file is kept for a person to reproduce with
            kept = folder / f"crash-{reader.replace(' ', '-')}{suffix}"
            kept.write_bytes(data)
            raise AssertionError(f"{reader} raised {type(exc).__name__} on {kept}: {exc!s:.300}") from exc

    run()


def test_the_seeds_themselves_are_read(folder: Path) -> None:
    """The fuzz starts from valid files: each seed gives a result (else the fuzz tests only refusals)."""
    for reader, seeds in SEEDS.items():
        for suffix, data in seeds:
            path = folder / f"seed{suffix}"
            path.write_bytes(data)
            assert READERS[reader](path) is not None, (reader, suffix)


# --- the audit's hostile files, one by one ------------------------------------------------------------


def _peak_bytes(call: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name", list(hostile_tables()))
@pytest.mark.parametrize("reader", ["results", "answers", "url map", "published"])
def test_a_hostile_workbook_is_refused_in_thai_with_bounded_memory(name: str, reader: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(hostile_tables()[name])
    result, peak = _peak_bytes(lambda: read_or_refuse_in_thai(READERS[reader], path))
    assert result is None, "refused"
    assert peak < 40 * 2**20, f"{name}: {peak / 2**20:.0f} MB"  # before the caps: 1.1–1.45 GB


def test_the_refusal_names_what_is_too_much(tmp_path: Path) -> None:
    messages = {}
    for name in ("wide-row.xlsx", "3m-rows.xlsx", "doctype.xlsx", "far-row.xlsx"):
        path = tmp_path / name
        path.write_bytes(hostile_tables()[name])
        with pytest.raises(ProngsaiError) as caught:
            load_answers(path, FY2564)
        messages[name] = str(caught.value)
    assert "แถว 1:" in messages["wide-row.xlsx"] and "เกิน 256 คอลัมน์" in messages["wide-row.xlsx"]
    assert "แถว 50001:" in messages["3m-rows.xlsx"] and "เกิน 50,000 แถว" in messages["3m-rows.xlsx"]
    assert "DTD" in messages["doctype.xlsx"] and "บันทึกเป็น .xlsx ใหม่" in messages["doctype.xlsx"]
    assert "แถว 1048576:" in messages["far-row.xlsx"]
    path = tmp_path / "wide-row.xlsx"
    with pytest.raises(ProngsaiError, match="เมื่อขยายแล้วใหญ่เกิน"):  # a results file is refused by its size alone
        load_results(path, 2564)


def test_a_row_counts_every_cell_even_one_that_names_the_same_cell_again(tmp_path: Path) -> None:
    # openpyxl builds an element for every <c> of a row before it pads the row to its last column: 300 cells
    # all named A1 cost 300 cells, though the row's last column is A (inputfiles._RowWalk, the one rule)
    row = b'<row r="1">' + b'<c r="A1"><v>1</v></c>' * 300 + b"</row>"
    sheet = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    sheet += row + b"</sheetData></worksheet>"
    path = tmp_path / "repeated.xlsx"
    path.write_bytes(replace_part(results_xlsx(), SHEET, sheet))
    with pytest.raises(ProngsaiError, match="เกิน 256 คอลัมน์") as caught:
        read_rows(path, ANSWER_LIMITS)
    assert "แถว 1:" in str(caught.value)


def test_a_sheet_that_claims_a_huge_size_is_read_for_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "dimension.xlsx"
    path.write_bytes(huge_dimension_xlsx())
    result, peak = _peak_bytes(lambda: load_results(path, 2564))
    assert result.score().total == 68.48  # type: ignore[attr-defined]
    assert peak < 40 * 2**20


@pytest.mark.parametrize(
    ("reader", "suffix"), [("results", ".yaml"), ("url map", ".yaml"), ("framework", ".yaml"), ("plan", ".yaml")]
)
def test_yaml_syntax_errors_and_alias_bombs_are_refused_in_thai(reader: str, suffix: str, folder: Path) -> None:
    path = folder / f"broken{suffix}"
    path.write_bytes(YAML_SYNTAX_ERROR)
    with pytest.raises(ProngsaiError, match=r"อ่านไฟล์ YAML ไม่ได้ที่บรรทัด 4 คอลัมน์ 1 \(ส่วนที่เริ่มที่บรรทัด 3\)"):
        READERS[reader](path)
    path.write_bytes(YAML_BOMB)
    with pytest.raises(ProngsaiError, match="การอ้างซ้ำ"):
        READERS[reader](path)
    assert len(yaml.safe_load(YAML_BOMB)) == 9  # the bomb is valid YAML: refused for what it expands to


@pytest.mark.parametrize("year", ["①566", "２５６６", "๒๕๖๖", "2566²"])
def test_odd_unicode_digits_in_a_year(year: str, tmp_path: Path) -> None:
    path = tmp_path / "published.csv"
    path.write_bytes(_csv([PUBLISHED[0], [*PUBLISHED[1][:3], year, *PUBLISHED[1][4:]]]))
    result = read_or_refuse_in_thai(read_published, path)
    if year in ("２５６６", "๒๕๖๖"):  # decimal digits of other scripts are numbers people type
        assert result is not None
    else:
        assert result is None


# --- through the command line: exit 2 and one Thai line ----------------------------------------------


@pytest.mark.parametrize(
    ("args", "name", "body"),
    [
        (["score", "--year", "2564"], "damaged.xlsx", hostile_tables()["truncated.xlsx"]),
        (["score", "--year", "2564"], "wide.xlsx", hostile_tables()["wide-row.xlsx"]),
        (["score"], "broken.yaml", YAML_SYNTAX_ERROR),
        (["survey", "--year", "2564"], "doctype.xlsx", hostile_tables()["doctype.xlsx"]),
        (["oit", "check", "--year", "2564"], "urls.yaml", YAML_SYNTAX_ERROR),
        (["frameworks", "add", "--check"], "fy2570.yaml", YAML_BOMB),
    ],
)
def test_the_cli_prints_one_thai_line_and_exits_2(args: list[str], name: str, body: bytes, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(body)
    result = CliRunner().invoke(main, [*args, str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and THAI.search(result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit)
