"""Everyday Thai conventions: Thai digits, Buddhist-era dates and the October–September fiscal year.

Digits and dates go through PyThaiNLP; the fiscal-year arithmetic is the one rule of the glossary
(FY B.E. N runs 1 Oct N-544 C.E. to 30 Sep N-543 C.E.).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit, thai_strftime

__all__ = [
    "BE_OFFSET",
    "fiscal_period",
    "fiscal_year_of",
    "format_score",
    "half_year_period",
    "round_half_up",
    "thai_date",
    "to_arabic_digits",
    "to_thai_digits",
]

BE_OFFSET = 543


def to_thai_digits(text: str) -> str:
    return str(arabic_digit_to_thai_digit(text))


_THAI_DIGIT = re.compile("[๐-๙]")


def to_arabic_digits(text: str) -> str:
    # Most text has no Thai digit: skip the per-character conversion (a hot path of the site checker).
    return str(thai_digit_to_arabic_digit(text)) if _THAI_DIGIT.search(text) else text


def round_half_up(value: float, decimals: int = 2) -> float:
    """Round as people (and published ITA results) do: 68.475 → 68.48, never banker's rounding.

    The float is first taken to 9 decimals so that sums like 26.4774 + 26.058 + 15.942 are not
    pushed across a boundary by binary noise.
    """
    exact = Decimal(repr(round(float(value), 9)))  # float(): NumPy 2 scalars repr as np.float64(…)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def format_score(value: float, *, thai_digits: bool = False, decimals: int = 2) -> str:
    text = f"{round_half_up(value, decimals):.{decimals}f}"
    return to_thai_digits(text) if thai_digits else text


def fiscal_year_of(day: dt.date) -> int:
    """The Buddhist-era fiscal year a day falls in: 10 Feb 2022 → 2565, 1 Oct 2021 → 2565."""
    return day.year + BE_OFFSET + (1 if day.month >= 10 else 0)


def fiscal_period(fiscal_year: int) -> tuple[dt.date, dt.date]:
    ce = fiscal_year - BE_OFFSET
    return dt.date(ce - 1, 10, 1), dt.date(ce, 9, 30)


def half_year_period(fiscal_year: int) -> tuple[dt.date, dt.date]:
    """รอบ 6 เดือน: 1 October – 31 March of the fiscal year."""
    ce = fiscal_year - BE_OFFSET
    return dt.date(ce - 1, 10, 1), dt.date(ce, 3, 31)


DATE_STYLES = {
    "long": "%-d %B %Y",  # 10 กุมภาพันธ์ 2565
    "short": "%-d %b %Y",  # 10 ก.พ. 2565
    "month": "%b %y",  # ก.พ. 65, as the seed writes periods
    "time": "%-d %b %Y %H:%M",  # 10 ก.พ. 2565 09:05
}


def thai_date(day: dt.date, *, thai_digits: bool = True, style: str = "long") -> str:
    """A Buddhist-era date as a ราชการ document writes it: 10 กุมภาพันธ์ ๒๕๖๕ (styles: DATE_STYLES)."""
    moment = day if isinstance(day, dt.datetime) else dt.datetime(day.year, day.month, day.day)
    return str(thai_strftime(moment, DATE_STYLES[style], thaidigit=thai_digits))
