"""The one rounding rule and the one reading of typed scores and years (prongsai.numbers)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from prongsai.numbers import (
    NumberError,
    format_score,
    parse_fiscal_year,
    parse_score,
    round_decimal,
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


@pytest.mark.parametrize(
    ("value", "decimals", "rounded"),
    [
        ("12.345", 2, "12.35"),  # the kit's shares and money: a tie goes up, as scores do
        ("12.335", 2, "12.34"),  # banker's rounding would give 12.34 here and 12.34 above
        ("-1.515", 2, "-1.52"),
        ("4.25", 1, "4.3"),  # complaints' mean days to close
        ("3.999", 2, "4.00"),
    ],
)
def test_round_decimal_is_the_same_rule(value: str, decimals: int, rounded: str) -> None:
    from decimal import Decimal

    assert str(round_decimal(Decimal(value), decimals)) == rounded
    assert float(rounded) == round_half_up(float(value), decimals)


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


# --- item codes: one rule for result files, the checker's URL map, a data file's register and the measure form --


@pytest.mark.parametrize("text", ["O1", "o1", " O 1 ", "O01", "O๑", "๑", "1", "OIT1", "ITA-O1", "ita-o1"])
def test_find_item_reads_every_spelling_of_o1(text: str) -> None:
    from prongsai.frameworks import get_framework

    item = get_framework(2568).find_item(text)
    assert item is not None and item.code == "O1"


@pytest.mark.parametrize("text", ["O99", "", "O", "A1", "O1.5", "ITA-X1"])
def test_find_item_none_for_what_the_year_lacks(text: str) -> None:
    from prongsai.frameworks import get_framework

    assert get_framework(2568).find_item(text) is None


def test_the_cli_and_the_checker_read_ita_codes_alike(tmp_path: Any) -> None:
    """`score --oit` and `oit check` both take ITA-O1 (before, the checker's URL map refused it)."""
    from prongsai.checker.run import load_url_map
    from prongsai.frameworks import get_framework
    from prongsai.results import load_results

    framework = get_framework(2564)
    url_map = tmp_path / "urls.yaml"
    url_map.write_text("ITA-O1: https://example.org/o1\no๒: https://example.org/o2\n", encoding="utf-8")
    assert load_url_map(url_map, framework) == {"O1": ["https://example.org/o1"], "O2": ["https://example.org/o2"]}
    answers = tmp_path / "oit.csv"
    answers.write_text("item,answer\n" + "".join(f"ITA-{i.code},มี\n" for i in framework.items), encoding="utf-8")
    scores = tmp_path / "scores.csv"
    scores.write_text("indicator,score\n" + "".join(f"{n},90\n" for n in range(1, 9)), encoding="utf-8")
    result = load_results(scores, 2564, answers)
    assert result.oit is not None and result.indicators[9] == result.indicators[10] == 100
