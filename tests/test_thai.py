"""Thai digits, Buddhist-era dates, the fiscal year and Thai-width tables (rounding: tests/test_numbers.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from prongsai._table import display_width, render_table
from prongsai.report import thai_list
from prongsai.thai import (
    ThaiDateError,
    be_date_text,
    fiscal_period,
    fiscal_year_of,
    half_year_period,
    parse_be_date,
    thai_date,
    to_arabic_digits,
    to_thai_digits,
)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2021, 10, 1), 2565),
        (dt.date(2022, 2, 10), 2565),
        (dt.date(2022, 9, 30), 2565),
        (dt.date(2022, 10, 1), 2566),
    ],
)
def test_fiscal_year_of(day: dt.date, year: int) -> None:
    assert fiscal_year_of(day) == year


def test_fiscal_and_half_year_periods() -> None:
    assert fiscal_period(2565) == (dt.date(2021, 10, 1), dt.date(2022, 9, 30))
    assert half_year_period(2564) == (dt.date(2020, 10, 1), dt.date(2021, 3, 31))


def test_digits_and_dates() -> None:
    assert to_thai_digits("68.48") == "๖๘.๔๘"
    assert to_arabic_digits("๒๕๖๕") == "2565"
    assert thai_date(dt.date(2022, 2, 10)) == "๑๐ กุมภาพันธ์ ๒๕๖๕"


def test_thai_width_ignores_tone_marks() -> None:
    assert display_width("การใช้อำนาจ") == 10  # ้ is a combining mark; ำ takes a cell
    table = render_table(["ตัวชี้วัด", "คะแนน"], [["การใช้อำนาจ", "91.23"], ["ข้อมูล", "1.00"]], right=(1,))
    lines = table.splitlines()
    assert len({display_width(line) for line in lines}) == 1


def test_thai_list() -> None:
    assert thai_list(["O42", "O43"]) == "O42 และ O43"
    assert thai_list(["O26", "O27", "O28"]) == "O26 O27 และ O28"
    assert thai_list(["ข้อมูลผู้บริหาร", "อำนาจหน้าที่", "กฎหมาย"]) == "ข้อมูลผู้บริหาร อำนาจหน้าที่ และกฎหมาย"
    assert thai_list(["O1", "O2"], "en") == "O1 and O2"
    assert thai_list(["O1", "O2"], "en") == "O1 and O2"


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("15/01/2568", dt.date(2025, 1, 15)),  # B.E. 2568 is 2025 C.E., never the year 2568
        ("๑๕/๐๑/๒๕๖๘", dt.date(2025, 1, 15)),  # Thai digits
        ("15/1/2568", dt.date(2025, 1, 15)),
        (" 15-01-2568 ", dt.date(2025, 1, 15)),
        ("15.01.2568", dt.date(2025, 1, 15)),
        ("29/02/2567", dt.date(2024, 2, 29)),  # 2024 C.E. is a leap year
        ("01/10/2568", dt.date(2025, 10, 1)),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_a_typed_be_date_is_read(typed: str | None, day: dt.date | None) -> None:
    assert parse_be_date(typed) == day


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("29/02/2568", "เดือนกุมภาพันธ์ 2568 มี 28 วัน"),  # 2025 C.E. is not a leap year
        ("31/04/2568", "เดือนเมษายน 2568 มี 30 วัน"),
        ("15/01/2025", "พ.ศ. 2568"),  # a ค.ศ. year is refused, with the B.E. year to type instead
        ("15/01/68", "4 หลัก"),  # two digits could be either era
        ("2025-01-15", "วัน/เดือน/ปี พ.ศ."),  # ISO is for machines (the API)
        ("15/13/2568", "1 ถึง 12"),
        ("พรุ่งนี้", "วัน/เดือน/ปี พ.ศ."),
    ],
)
def test_a_wrong_be_date_is_refused_in_thai(typed: str, says: str) -> None:
    with pytest.raises(ThaiDateError) as caught:
        parse_be_date(typed)
    assert says in str(caught.value)


def test_a_date_is_shown_as_it_is_typed() -> None:
    assert be_date_text(dt.date(2026, 1, 15)) == "15/01/2569"
    assert be_date_text(dt.date(2026, 1, 15), thai_digits=True) == "๑๕/๐๑/๒๕๖๙"
    assert parse_be_date(be_date_text(dt.date(2024, 2, 29))) == dt.date(2024, 2, 29)
