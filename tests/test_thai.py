"""Thai digits, Buddhist-era dates, the fiscal year, rounding and Thai-width tables."""

from __future__ import annotations

import datetime as dt

import pytest

from prongsai._table import display_width, render_table
from prongsai.report import thai_list
from prongsai.thai import (
    fiscal_period,
    fiscal_year_of,
    format_score,
    half_year_period,
    round_half_up,
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


@pytest.mark.parametrize(
    ("value", "rounded"), [(68.4774, 68.48), (0.125, 0.13), (84.995, 85.0), (26.4774 + 26.058 + 15.942, 68.48)]
)
def test_round_half_up(value: float, rounded: float) -> None:
    assert round_half_up(value) == rounded


def test_round_half_up_takes_numpy_scalars() -> None:
    import numpy as np

    assert round_half_up(np.float64(68.4774)) == 68.48


def test_digits_and_dates() -> None:
    assert to_thai_digits("68.48") == "๖๘.๔๘"
    assert to_arabic_digits("๒๕๖๕") == "2565"
    assert format_score(31.25, thai_digits=True) == "๓๑.๒๕"
    assert thai_date(dt.date(2022, 2, 10)) == "๑๐ กุมภาพันธ์ ๒๕๖๕"


def test_thai_width_ignores_tone_marks() -> None:
    assert display_width("การใช้อำนาจ") == 10  # ้ is a combining mark; ำ takes a cell
    table = render_table(["ตัวชี้วัด", "คะแนน"], [["การใช้อำนาจ", "91.23"], ["ข้อมูล", "1.00"]], right=(1,))
    lines = table.splitlines()
    assert len({display_width(line) for line in lines}) == 1


def test_thai_list() -> None:
    assert thai_list(["O42", "O43"]) == "O42 และ O43"
    assert thai_list(["O26", "O27", "O28"]) == "O26, O27 และ O28"
    assert thai_list(["O1", "O2"], "en") == "O1 and O2"
