"""The one rounding rule and the one reading of typed scores and years (prongsai.numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from prongsai.numbers import (
    NumberError,
    format_score,
    parse_fiscal_year,
    parse_score,
    round_half_up,
    round_half_up_many,
)


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        (68.4774, 68.48),
        (0.125, 0.13),
        (84.995, 85.0),
        (26.4774 + 26.058 + 15.942, 68.48),
        (85.125, 85.13),  # an exact binary tie: banker's round() gives 85.12
        (1.005, 1.01),  # the float is 1.00499999…: "%.2f" gives 1.00
        (70.005, 70.01),
        (-1.515, -1.52),  # half away from zero, as the decimal text reads (a floor gives -1.51)
        (99.995, 100.0),
    ],
)
def test_round_half_up(value: float, rounded: float) -> None:
    assert round_half_up(value) == rounded
    assert round_half_up_many(np.array([value])).tolist() == [rounded]


def test_round_half_up_takes_numpy_scalars() -> None:
    assert round_half_up(np.float64(68.4774)) == 68.48


def test_format_score() -> None:
    assert format_score(31.25, thai_digits=True) == "๓๑.๒๕"
    assert format_score(85.125) == "85.13"


@pytest.mark.parametrize(
    ("text", "value"), [("85.125", 85.125), ("๘๕.๒๕", 85.25), (" 100 ", 100.0), ("0", 0.0), (".5", 0.5), ("70.", 70.0)]
)
def test_parse_score(text: str, value: float) -> None:
    assert parse_score(text) == value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "ว่าง"),
        ("85,25", "จุดทศนิยม"),
        ("abc", "ไม่ใช่ตัวเลข"),
        ("nan", "ไม่ใช่ตัวเลข"),
        ("inf", "ไม่ใช่ตัวเลข"),
        ("1e2", "ไม่ใช่ตัวเลข"),
        ("100.5", "0 ถึง 100"),
        ("-1", "0 ถึง 100"),
    ],
)
def test_parse_score_refuses_with_the_fix(text: str, words: str) -> None:
    with pytest.raises(NumberError, match=words):
        parse_score(text, "ตัวชี้วัด 9")


@pytest.mark.parametrize(
    ("text", "year"),
    [("2568", 2568), ("๒๕๖๘", 2568), ("พ.ศ. ๒๕๖๘", 2568), ("พ.ศ.2568", 2568), ("2568.0", 2568), ("2025", 2568)],
)
def test_parse_fiscal_year(text: str, year: int) -> None:
    assert parse_fiscal_year(text) == year


@pytest.mark.parametrize("text", ["", "สองพัน", "2568/69", "25.68", "ค.ศ. 2025"])
def test_parse_fiscal_year_refuses(text: str) -> None:
    with pytest.raises(NumberError, match=r"ไม่ใช่ปี พ\.ศ\."):
        parse_fiscal_year(text)
