"""Everyday Thai conventions: Thai digits, Buddhist-era dates and the October–September fiscal year.

Dates go through PyThaiNLP, digits through one translation table; the fiscal-year arithmetic is the one rule
of the glossary (FY B.E. N runs 1 Oct N-544 C.E. to 30 Sep N-543 C.E.).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from pythainlp.util import thai_strftime

__all__ = [
    "BE_OFFSET",
    "CODE_MAX",
    "ThaiDateError",
    "be_date_text",
    "code_of",
    "fiscal_period",
    "fiscal_year_of",
    "half_year_period",
    "is_code",
    "parse_be_date",
    "thai_date",
    "to_arabic_digits",
    "to_thai_digits",
]

BE_OFFSET = 543


# The one Thai-digit conversion (names, codes, scores, years and dates all go through these two).
_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def to_thai_digits(text: str) -> str:
    return text.translate(_TO_THAI)


def to_arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC)


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


# --- dates as people type them: วัน/เดือน/ปี พ.ศ. -----------------------------------------------------

BE_DATE_EXAMPLE = "15/01/2568"
_TYPED_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d+)\s*$")
# A four-digit year below this is a ค.ศ. year (2025) typed by habit: refused, never read as 2025 B.E.
# (482 C.E.). B.E. 2400 is 1857 C.E., before anything an agency records.
BE_FIRST_YEAR = 2400


class ThaiDateError(ValueError):
    """A typed date that is not วัน/เดือน/ปี พ.ศ.; the message is a Thai sentence for the person who typed it."""


def parse_be_date(text: str | None) -> dt.date | None:
    """The one rule for a date a person types: day/month/B.E. year, Thai or Arabic digits.

    ``15/01/2568`` and ``๑๕/๐๑/๒๕๖๘`` are 15 January 2025 C.E.; ``/``, ``-`` and ``.`` separate the parts;
    an empty text is None. The year must be the four-digit B.E. year: a ค.ศ.-looking year (``15/01/2025``)
    and a two-digit year (``15/01/68``, which could be either era) are refused, never guessed.
    An ISO date (``2025-01-15``) is refused too: it is what machines exchange (the API), not what people type.
    Raises ThaiDateError with a Thai message.
    """
    if text is None or not text.strip():
        return None
    match = _TYPED_DATE.match(to_arabic_digits(text))
    if match is None:
        raise ThaiDateError(f"กรุณาพิมพ์วันที่เป็นวัน/เดือน/ปี พ.ศ. เช่น {BE_DATE_EXAMPLE}")
    day, month, year = (int(part) for part in match.groups())
    if len(match.group(3)) != 4:
        raise ThaiDateError(f"กรุณาพิมพ์ปี พ.ศ. ให้ครบ 4 หลัก เช่น {BE_DATE_EXAMPLE}")
    if year < BE_FIRST_YEAR:
        raise ThaiDateError(
            f"ปี {year} เป็นปีคริสต์ศักราช กรุณาพิมพ์ปีพุทธศักราช (ค.ศ. {year} คือ พ.ศ. {year + BE_OFFSET}) "
            f"เช่น {day:02d}/{month:02d}/{year + BE_OFFSET}"
        )
    if not 1 <= month <= 12:
        raise ThaiDateError(f"เดือนต้องเป็นเลข 1 ถึง 12 (พิมพ์ไว้ {month}) เช่น {BE_DATE_EXAMPLE}")
    try:
        return dt.date(year - BE_OFFSET, month, day)
    except ValueError:
        last = calendar.monthrange(year - BE_OFFSET, month)[1]
        name = thai_strftime(dt.datetime(year - BE_OFFSET, month, 1), "%B %Y", thaidigit=False)
        raise ThaiDateError(f"เดือน{name} มี {last} วัน ไม่มีวันที่ {day}") from None


def be_date_text(day: dt.date, *, thai_digits: bool = False) -> str:
    """A date as people type it back: 15/01/2568 (the form fields show dates this way)."""
    text = f"{day.day:02d}/{day.month:02d}/{day.year + BE_OFFSET}"
    return to_thai_digits(text) if thai_digits else text


CODE_MAX = 40


def _code_char(char: str) -> bool:
    # letters, their marks (Thai vowels and tones are marks) and digits, Thai digits too
    return unicodedata.category(char)[0] in "LMN" or char in "-_"


def is_code(text: str) -> bool:
    """A code people may type for a unit: letters of any script (กองคลัง, finance), digits, - and _."""
    return 0 < len(text) <= CODE_MAX and all(_code_char(c) for c in text)


def code_of(name: str) -> str:
    """A code made from a name for whoever gave none: its words joined by -, Latin letters in lower case,
    other signs dropped (กองการศึกษา ศาสนาและวัฒนธรรม → กองการศึกษา-ศาสนาและวัฒนธรรม, Finance Division →
    finance-division). "" for a name of signs only."""
    text = unicodedata.normalize("NFC", name).lower()
    words = "".join(c if _code_char(c) and c not in "-_" else " " for c in text).split()
    code = "-".join(words)[:CODE_MAX]
    return code.rstrip("-")
