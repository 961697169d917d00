"""Numbers as ITA publishes them and as people type them: the one rounding rule (half-up, exact in decimal, for
one value or an array of them), and the one reading of a typed score and a typed fiscal year.

Every path that stores or shows a score goes through here (the CLI, the web form, the API, file imports, an
office's published results, practice surveys, the national scorer), so that 85.125 is 85.13 everywhere: never
Python's banker's ``round()`` (85.12) nor ``"%.2f"`` (which rounds the binary float: 70.005 → 70.00).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt

from prongsai.thai import BE_OFFSET, to_arabic_digits, to_thai_digits

__all__ = [
    "NumberError",
    "format_score",
    "parse_fiscal_year",
    "parse_score",
    "round_decimal",
    "round_half_up",
    "round_half_up_many",
]


class NumberError(ValueError):
    """A typed score or year that is refused; the message is a Thai sentence (the English after it) saying the fix."""


def round_half_up(value: float, decimals: int = 2) -> float:
    """Round as people (and published ITA results) do: 68.475 → 68.48, 1.005 → 1.01, −1.515 → −1.52.

    The float is first taken to 9 decimals so that binary noise (1.005 is 1.00499999… as a float, a sum like
    26.4774 + 26.058 + 15.942 lands a hair off) does not push a value across a boundary; then the decimal value
    is rounded half away from zero.
    """
    exact = Decimal(repr(round(float(value), 9)))  # float(): NumPy 2 scalars repr as np.float64(…)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def round_decimal(value: Decimal, decimals: int = 2) -> Decimal:
    """The same rule for an exact decimal (money, a share, a mean of counts): half away from zero, so that a
    document's 12.345 % reads 12.35 like a score does."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


_SAFE_MAGNITUDE = 1e6  # below this, value * 1e9 is exact to well under 1e-3 of a unit in the 9th decimal


def round_half_up_many(values: npt.ArrayLike, decimals: int = 2) -> npt.NDArray[np.float64]:
    """:func:`round_half_up` element-wise, giving exactly the same floats (NaN stays NaN).

    Like the scalar rule, the value is first taken to 9 decimals and then rounded half away from zero. The
    rare values whose 9th decimal is itself a near-tie, or that are too large for the integer arithmetic,
    go through the scalar function.
    """
    values = np.asarray(values, dtype=np.float64)
    scaled = values * 1e9
    nano = np.rint(scaled)
    doubtful = ~np.isnan(values) & ((np.abs(np.abs(scaled - nano) - 0.5) < 1e-3) | (np.abs(values) >= _SAFE_MAGNITUDE))
    finite = ~np.isnan(values) & ~doubtful
    step = 10 ** (9 - decimals)
    whole = np.where(finite, np.abs(nano), 0).astype(np.int64)
    rounded = (whole + step // 2) // step
    result: npt.NDArray[np.float64] = np.where(finite, np.copysign(rounded / 10**decimals, values), np.nan)
    for index in zip(*np.nonzero(doubtful), strict=True):
        result[index] = round_half_up(float(values[index]), decimals)
    return result


def format_score(value: float, *, thai_digits: bool = False, decimals: int = 2) -> str:
    text = f"{round_half_up(value, decimals):.{decimals}f}"
    return to_thai_digits(text) if thai_digits else text


_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)$")


def parse_score(text: str, what: str = "คะแนน") -> float:
    """A score 0–100 as a person or a spreadsheet writes it: Thai or Arabic digits, a decimal point.

    ``what`` names the field in the message (คะแนน, ตัวชี้วัด 9 …). A decimal comma (85,25) is refused with the
    fix rather than guessed: "1,000" and "85,25" cannot both be right. Raises NumberError.
    """
    typed = text.strip()
    digits = to_arabic_digits(typed)
    if not digits:
        raise NumberError(f"{what} ว่าง ใส่คะแนน 0–100 เช่น 85.25 (the score is empty)")
    if "," in digits:
        raise NumberError(f"{what} '{typed}' มีจุลภาค ใช้จุดทศนิยมแทน เช่น 85.25 (use a decimal point, not a comma)")
    value = float(digits) if _NUMBER.match(digits) else math.nan
    if not math.isfinite(value):
        raise NumberError(f"{what} '{typed}' ไม่ใช่ตัวเลข ใส่คะแนนเป็นตัวเลข เช่น 85.25 (score is not a number)")
    if not 0 <= value <= 100:
        raise NumberError(f"{what} ต้องอยู่ระหว่าง 0 ถึง 100 แต่ได้ {typed} แก้ให้อยู่ในช่วงนี้ (score must be 0–100)")
    return value


_YEAR = re.compile(r"^(?:(?:ปีงบประมาณ|ปี)\s*)?(?:พ\.?\s*ศ\.?\s*)?(\d+)(?:\.0+)?$")
_CE_YEARS = range(1901, 2200)  # a ค.ศ. year typed by habit: forgiven, since no B.E. fiscal year is in this range


def parse_fiscal_year(text: str) -> int:
    """A B.E. fiscal year as people and spreadsheets write it: 2568, ๒๕๖๘, พ.ศ. ๒๕๖๘, 2568.0 (a spreadsheet's
    number); a ค.ศ. year (2025) is taken as its B.E. year (2568). Raises NumberError."""
    typed = text.strip()
    match = _YEAR.match(to_arabic_digits(typed))
    if match is None:
        raise NumberError(
            f"ปีงบประมาณ '{typed}' ไม่ใช่ปี พ.ศ. ใส่เป็นตัวเลข 4 หลัก เช่น 2566 (the fiscal year must be a B.E. year)"
        )
    year = int(match.group(1))
    return year + BE_OFFSET if year in _CE_YEARS else year
