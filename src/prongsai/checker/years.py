"""Which fiscal years a text mentions, and whether it covers the period an item needs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from prongsai.checker.thaitext import normalise

if TYPE_CHECKING:
    from prongsai.framework import Item

__all__ = ["covers", "stated_span", "years_in"]

_MONTHS = (
    r"ม\.\s?ค\.|ก\.\s?พ\.|มี\.\s?ค\.|เม\.\s?ย\.|พ\.\s?ค\.|มิ\.\s?ย\.|ก\.\s?ค\.|ส\.\s?ค\.|ก\.\s?ย\.|ต\.\s?ค\.|พ\.\s?ย\.|"
    r"ธ\.\s?ค\.|มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
)
# Every year pattern starts on a digit (or the + of +66), with its "no digit before" check as a look-behind
# after that digit. _years finds the runs of digits in one scan and tries each pattern only where it can start.
_DIGITS = re.compile(r"\d+")
_DATE = re.compile(r"(\d(?<![\d.]\d)\d?)[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d]|[.,]\d)")
# Thai phone numbers: 0 + 8–9 digits (02 123 4567, 081-234-5678) or +66, in any grouping.
_PHONE = re.compile(r"(?:\+(?<!\d\+)66|6(?<!\d6)6|0(?<!\d0))(?:[\s.\-()]{0,2}\d){8,9}(?!\d)")
_NOT_YEAR_BEFORE = re.compile(
    r"(?:โทร\.?|โทรศัพท์|โทรสาร|แฟกซ์|fax|tel\.?|ต่อ|ext\.?|เลขที่|หมายเลข|รหัส|no\.?|หมู่ที่|หมู่|ตู้\s?ปณ\.?|ปณ\.?|"
    r"จำนวน|ร้อยละ|฿)\s*[:.]?\s*$"
)
_NOT_YEAR_AFTER = re.compile(
    r"^\s*(?:บาท|ล้าน|แสน|หมื่น|คน|ชิ้น|เครื่อง|ตัน|ลิตร|กิโลเมตร|กม\.|เมตร|ตร\.ม\.|ไร่|ชั่วโมง|นาที|ครัวเรือน|%|"
    r"เปอร์เซ็นต์|baht|thb)"
)
_FRACTION_AFTER = re.compile(r"[.,:]\d")
_CE_BEFORE = re.compile(r"ค\.\s?ศ\.\s*$|a\.?d\.?\s*$")
# A two-digit year after a month or พ.ศ./ปีงบประมาณ (ต.ค. 64): the two digits are found first, then what
# stands before them (and the spaces between) is checked, as a whole-text scan for the words is slow.
_SHORT_YEAR_DIGITS = re.compile(r"(\d(?<!\d\d)\d)(?!\d|[.,:/]\d)")
_SHORT_YEAR_BEFORE = re.compile(rf"(?:{_MONTHS}|พ\.\s?ศ\.|ปีงบประมาณ|ปีงบ\.?|งป\.)\Z")
_SHORT_YEAR_REACH = 12  # characters: the longest word above (ปีงบประมาณ, กุมภาพันธ์) and then some
_SHORT_YEAR_LAST = ".มน์ณบ"  # the last characters of those words: a quick test before the regex
# A span's end after its 4-digit start (2566-2570, 2566 ถึง 70).
_RANGE_END = re.compile(r"\s*(?:-|–|—|ถึง|to)\s*(\d{4}|\d{2})(?!\d)")
_HALF_YEAR = re.compile(
    r"(?<!\d)6\s*เดือน|หก\s*เดือน|ครึ่ง\s*ปี"
    r"|(?:ต\.\s?ค\.|ตุลาคม|\boct(?:ober)?\b).{0,80}?(?:มี\.\s?ค\.|มีนาคม|\bmar(?:ch)?\b)"
    r"|ไตรมาส(?:ที่)?\s*1\s*(?:-|–|—|ถึง|และ|,)\s*(?:ไตรมาส(?:ที่)?\s*)?2(?!\d)"
)
# ต.ค. 64 – มี.ค. 65 / 1 ตุลาคม 2564 ถึง 31 มีนาคม 2565: the year after March is the fiscal year.
_HALF_SPAN = re.compile(
    r"(?:ต\.\s?ค\.|ตุลาคม|\boct(?:ober)?\b).{0,60}?(?:มี\.\s?ค\.|มีนาคม|\bmar(?:ch)?\b)\.?\s*(?:พ\.\s?ศ\.\s*)?(\d{4}|\d{2})(?!\d)"
)
_MAX_RANGE = 10  # a plan's span (แผนพัฒนา 2566-2570); longer "ranges" are something else
_BE_OFFSET = 543  # prongsai.thai.BE_OFFSET, without importing PyThaiNLP (60 ms) for it


def _as_be(number: int, *, ce_context: bool = False, short: bool = False) -> int | None:
    """A Buddhist-era year for a written number, or None when it is not plausibly a year."""
    if short:
        return 2500 + number if 40 <= number <= 99 else None
    if ce_context and 1957 <= number <= 2056:
        return number + _BE_OFFSET
    if 2500 <= number <= 2599:
        return number
    if 2021 <= number <= 2030:  # C.E. years of the ITA era; other bare C.E. numbers are too often amounts
        return number + _BE_OFFSET
    return None


def _date_years(norm: str, runs: list[tuple[int, int]], years: set[int]) -> tuple[str, list[tuple[int, int]]]:
    """Add the years of dates (1/10/2564, 10-2-65) to ``years``: the text with the dates blanked out, and the
    runs of digits outside them. A date starts where a run of one or two digits does, and ends with a run."""
    pieces: list[str] = []
    left: list[tuple[int, int]] = []
    done = 0  # where the last date ended
    for start, end in runs:
        if start < done:
            continue
        match = _DATE.match(norm, start) if end - start <= 2 else None
        if match is None:
            left.append((start, end))
            continue
        day, month, year = (int(group) for group in match.groups())
        if 1 <= day <= 31 and 1 <= month <= 12:
            be = _as_be(year, short=len(match.group(3)) == 2, ce_context=True)
            if be is not None:
                years.add(be)
        pieces += (norm[done:start], " " * (match.end() - start))
        done = match.end()
    return ("".join(pieces) + norm[done:] if pieces else norm), left


def _without_phones(text: str, runs: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """The text with Thai phone numbers blanked out, and the runs of digits outside them. A number starts with
    +66 just before a run, or where a run starts with 0 or 66, and ends with a run."""
    pieces: list[str] = []
    left: list[tuple[int, int]] = []
    done = 0
    for start, end in runs:
        if start < done:
            continue
        match = _PHONE.match(text, start - 1) if start and text[start - 1] == "+" else None
        if match is None and text[start] in "06":
            match = _PHONE.match(text, start)
        if match is None:
            left.append((start, end))
            continue
        pieces += (text[done : match.start()], " " * (match.end() - match.start()))
        done = match.end()
    return ("".join(pieces) + text[done:] if pieces else text), left


def _number_year(norm: str, start: int, end: int) -> int | None:
    """The year a bare 4-digit number at ``norm[start:end]`` is, judged by what stands around it."""
    number = int(norm[start:end])
    if not (1957 <= number <= 2056 or 2500 <= number <= 2599):
        return None  # not a year in any context (_as_be): no need to read around it
    before, after = norm[max(0, start - 16) : start], norm[end : end + 16]
    if (before.endswith((".", ",", ":")) and before[-2:-1].isdigit()) or _FRACTION_AFTER.match(after):
        return None  # a decimal, a thousands group or a time, not a year
    if _NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(after):
        return None
    return _as_be(number, ce_context=bool(_CE_BEFORE.search(before)))


def _range(start: str, end: str) -> range:
    """The years of a span written ``start``-``end`` (empty when it is not a plausible span)."""
    first = _as_be(int(start))
    if first is None:
        return range(0)
    if len(end) == 2:
        second: int | None = first - first % 100 + int(end)
    else:
        second = _as_be(int(end))
        # A C.E. end with a B.E. start (or the reverse) is not one range.
        if second is not None and (int(end) < 2500) != (int(start) < 2500):
            second = None
    return range(first, second + 1) if second is not None and 0 < second - first <= _MAX_RANGE else range(0)


def _short_year(norm: str, start: int) -> int | None:
    """The year two digits at ``norm[start:]`` are, after a month or พ.ศ./ปีงบประมาณ (ต.ค. 64)."""
    if _SHORT_YEAR_DIGITS.match(norm, start) is None:
        return None
    end = start
    while end > 0 and norm[end - 1].isspace():  # what \s* between the word and the digits would take
        end -= 1
    if (
        end
        and norm[end - 1] in _SHORT_YEAR_LAST
        and _SHORT_YEAR_BEFORE.search(norm, max(0, end - _SHORT_YEAR_REACH), end)
    ):
        return _as_be(int(norm[start : start + 2]), short=True)
    return None


def _years(norm: str) -> set[int]:
    """The years in a normalised text. One scan finds the runs of digits; each pattern is then tried only where
    it can start, in the order the separate scans ran: dates, then phone numbers (both blanked out), then
    4-digit numbers and spans, and two-digit years."""
    years: set[int] = set()
    runs = [match.span() for match in _DIGITS.finditer(norm)]
    if not runs:
        return years
    masked, runs = _date_years(norm, runs, years)
    masked, runs = _without_phones(masked, runs)
    span_end = 0  # a span's end year does not start another span (2560-2565-2570 is one span)
    for start, end in runs:
        if end - start == 4:
            be = _number_year(masked, start, end)
            if be is not None:
                years.add(be)
            if start >= span_end:
                span = _RANGE_END.match(masked, end)
                if span is not None:
                    years.update(_range(masked[start:end], span.group(1)))
                    span_end = span.end()
        elif end - start == 2:
            be = _short_year(masked, start)
            if be is not None:
                years.add(be)
    return years


def years_in(text: str) -> set[int]:
    """Buddhist-era years mentioned in ``text``.

    Found: 2565 and ๒๕๖๕; C.E. 2021–2030 written bare (2022 → 2565) and any C.E. year after ค.ศ. or in a
    date (1/10/2021); two-digit years after a month or พ.ศ./ปีงบประมาณ (ต.ค. 64 → 2564); every year of a
    span (2566-2570). Skipped: Thai phone numbers, numbers after โทร/ต่อ/เลขที่/หมู่/จำนวน and before
    units (บาท, คน, …), decimals and thousands groups. Limits: a bare 4-digit number in 2500–2599 or
    2021–2030 that is not a year (a count written without its unit) is still taken for one.
    """
    return _years(normalise(text))


def covers(text: str, item: Item, fiscal_year: int) -> bool | None:
    """Whether ``text`` covers the period ``item`` needs for ``fiscal_year``; None for standing items.

    current_year needs ``fiscal_year``, previous_year ``fiscal_year - 1``, half_year ``fiscal_year`` and a
    half-year phrase (รอบ 6 เดือน, ครึ่งปี, ต.ค. … มี.ค., ไตรมาส 1-2); a dated span (ต.ค. 64 – มี.ค. 65)
    decides the half-year's fiscal year by its March. Any mention of the year counts otherwise: a FY2566
    plan that compares itself with 2565 also "covers" 2565. Preferring the year a document states for
    itself (ปีงบประมาณ 2566) was tried and dropped, because site menus (ITA ประจำปี 2564, แผนพัฒนา
    2561-2565) state years too and made current pages look out of date.
    """
    from prongsai.framework import Coverage  # pydantic: imported where needed, not by every reader

    if item.coverage is Coverage.STANDING:
        return None
    norm = normalise(text)
    years = _years(norm)
    if item.coverage is Coverage.PREVIOUS_YEAR:
        return fiscal_year - 1 in years
    if item.coverage is Coverage.HALF_YEAR:
        # A dated half-year span (ต.ค. 64 – มี.ค. 65) names its fiscal year better than any other mention.
        spans = {_as_be(int(m.group(1)), short=len(m.group(1)) == 2) for m in _HALF_SPAN.finditer(norm)} - {None}
        return fiscal_year in (spans or years) and _HALF_YEAR.search(norm) is not None
    return fiscal_year in years


# A line of a document's opening that states the document's own years: a plan, strategy or policy, or a
# fiscal year (แผนยุทธศาสตร์ … ปีงบประมาณ พ.ศ. 2557 – 2561).
_OWN_YEARS = re.compile(r"แผน|ยุทธศาสตร์|นโยบาย|ปีงบประมาณ|ปี งบประมาณ|พ\.\s?ศ\.")
_SPAN = re.compile(r"(?<!\d)(\d{4})(?=\s*(?:-|–|—|ถึง)\s*(?:\d{4}|\d{2})(?!\d))")


def stated_span(lines: list[str]) -> range | None:
    """The years a document states for itself in its opening ``lines`` (normalised), when they are a span.

    A plan (แผนยุทธศาสตร์ พ.ศ. 2557 – 2561, แผนอัตรากำลัง 3 ปี 2561-2563) is in force for its span only:
    the first span on a line that names a plan, strategy, policy or พ.ศ./ปีงบประมาณ, or on the line after
    one (titles are often broken before the years). None when the opening states no span.
    """
    for number, line in enumerate(lines):
        if not (_OWN_YEARS.search(line) or (number and _OWN_YEARS.search(lines[number - 1]))):
            continue
        for match in _SPAN.finditer(line):
            span = _RANGE_END.match(line, match.end())
            years = _range(match.group(1), span.group(1)) if span is not None else range(0)
            if len(years) > 1:
                return years
    return None
