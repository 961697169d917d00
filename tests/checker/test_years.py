"""The years a text mentions and the periods it covers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prongsai.checker import years as years_module
from prongsai.checker.thaitext import normalise
from prongsai.checker.years import covers, years_in
from prongsai.framework import Framework
from prongsai.frameworks import get_framework
from prongsai.thai import BE_OFFSET

from .texts import HALF_YEAR_TEXT, RISK_TEXT


@pytest.fixture(scope="module")
def fy2565() -> Framework:
    return get_framework(2565)


# --- years and periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("ปีงบประมาณ พ.ศ. ๒๕๖๕", {2565}),
        ("ปีงบประมาณ พ.ศ. 2565", {2565}),
        ("๒๕๖๕ และ 2565", {2565}),
        ("Fiscal year 2022", {2565}),
        ("ค.ศ. 2019", {2562}),
        ("ลงวันที่ 1/10/2021", {2564}),
        ("ประกาศ ณ วันที่ 01.10.2564 เวลา 09.00 น.", {2564}),
        ("คำสั่งที่ 123/2565", {2565}),
        ("ต.ค. 64 – มี.ค. 65", {2564, 2565}),
        ("ปีงบประมาณ 65", {2565}),
        ("แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570)", {2566, 2567, 2568, 2569, 2570}),
        # not years: phone numbers, extensions, amounts, counts, decimals
        ("โทร 02-123-2565", set()),
        ("โทรศัพท์ 0 2123 2565 ต่อ 2564", set()),
        ("มือถือ 081-234-2565", set()),
        ("งบประมาณ 2,565,000 บาท", set()),
        ("ค่าจ้าง 2565 บาท", set()),
        ("ผู้รับบริการ 2564 คน", set()),
        ("ร้อยละ 2565.50", set()),
        ("บ้านเลขที่ 2565 หมู่ 4", set()),
        ("รหัสไปรษณีย์ 25650", set()),
    ],
)
def test_years_in(text: str, years: set[int]) -> None:
    assert years_in(text) == years


# The year patterns as they were, each with a leading look-behind and scanned on its own (six passes): the
# faster ones (starting on a digit, one pass for numbers and spans) must find exactly the same years.
_OLD_DATE = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d]|[.,]\d)")
_OLD_PHONE = re.compile(r"(?<![\d])(?:\+?66|0)(?:[\s.\-()]{0,2}\d){8,9}(?!\d)")
_OLD_NUMBER = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_OLD_RANGE = re.compile(r"(?<!\d)(\d{4})\s*(?:-|–|—|ถึง|to)\s*(\d{4}|\d{2})(?!\d)")
_OLD_SHORT_YEAR = re.compile(rf"(?:{years_module._MONTHS}|พ\.\s?ศ\.|ปีงบประมาณ|ปีงบ\.?|งป\.)\s*(\d{{2}})(?!\d|[.,:/]\d)")


def _old_years(norm: str) -> set[int]:
    years: set[int] = set()
    for match in _OLD_DATE.finditer(norm):
        day, month, year = (int(group) for group in match.groups())
        if 1 <= day <= 31 and 1 <= month <= 12:
            years.add(years_module._as_be(year, short=len(match.group(3)) == 2, ce_context=True) or 0)
    masked = norm
    for pattern in (_OLD_DATE, _OLD_PHONE):
        masked = pattern.sub(lambda match: " " * len(match.group(0)), masked)
    for match in _OLD_NUMBER.finditer(masked):
        years.add(years_module._number_year(masked, *match.span()) or 0)
    for match in _OLD_RANGE.finditer(masked):
        years.update(years_module._range(match.group(1), match.group(2)))
    for match in _OLD_SHORT_YEAR.finditer(masked):
        years.add(years_module._as_be(int(match.group(1)), short=True) or 0)
    return years - {0}


_YEAR_PARTS = [
    "2565", "2566", "2570", "65", "64", "99", "2021", "1999", "2599", "12", "1", "31", "0", "123", "12345", "/", "-",
    ".", ",", ":", " ", "   ", "–", "ถึง", "to", "ม.ค.", "ต.ค. ", "มี. ค.", "ตุลาคม", "กุมภาพันธ์", "พ.ศ.", "ปีงบประมาณ",
    "ปีงบ", "ปีงบ.", "งป.", "ค.ศ.", "โทร.", "ต่อ", "บาท", "จำนวน", "%", "+66", "66", "02", "081", "(", ")", "ก", "x",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_YEAR_PARTS), max_size=30))
def test_year_patterns_find_what_the_slow_ones_did(parts: list[str]) -> None:
    norm = normalise("".join(parts))
    assert years_module._years(norm) == _old_years(norm)


def test_the_era_offset_is_prongsai_thais() -> None:
    assert years_module._BE_OFFSET == BE_OFFSET
    assert years_in("ค.ศ. 2019") == {2019 + BE_OFFSET}


def test_year_patterns_on_a_long_page() -> None:
    text = " ".join(
        f"{RISK_TEXT} โทร. 0 2123 {n:04d} ลงวันที่ {n % 28 + 1}/{n % 12 + 1}/25{n % 100:02d} "
        f"งบประมาณ {n:,} บาท ต.ค. {n % 60 + 40} แผน {2560 + n % 9}-{2563 + n % 9}"
        for n in range(400)
    )
    norm = normalise(text)
    assert years_module._years(norm) == _old_years(norm)


@pytest.mark.parametrize(
    ("text", "code", "fiscal_year", "expected"),
    [
        (HALF_YEAR_TEXT, "O11", 2565, True),
        (HALF_YEAR_TEXT, "O11", 2566, False),
        ("รายงานการกำกับติดตามการดำเนินงาน ปีงบประมาณ 2565", "O11", 2565, False),  # no half-year phrase
        ("รายงานผลการดำเนินงาน รอบ 6 เดือน (1 ต.ค. 64 - 31 มี.ค. 65)", "O11", 2565, True),
        ("รายงานผลการดำเนินงาน รอบ 6 เดือน (1 ต.ค. 64 - 31 มี.ค. 65)", "O11", 2564, False),  # 2564 is October's
        ("รายงานผลการดำเนินงาน 1 ตุลาคม 2564 ถึง 31 มีนาคม 2565", "O19", 2565, True),
        ("รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๔", "O12", 2565, True),
        ("รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๔", "O12", 2566, False),
        ("รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๕", "O12", 2565, False),  # this year's, not last year's
        ("แผนการใช้จ่ายงบประมาณ ประจำปีงบประมาณ พ.ศ. 2566 เทียบกับผลการใช้จ่ายปี 2565", "O18", 2566, True),
        ("แผนพัฒนาท้องถิ่น (พ.ศ. 2566-2570)", "O4", 2568, True),
        ("ข่าวประชาสัมพันธ์ 10 ก.พ. 65", "O7", 2565, True),
        ("ข่าวประชาสัมพันธ์ ไม่ระบุวันที่", "O7", 2565, False),
        ("โครงสร้างองค์กร", "O1", 2565, None),  # standing information needs no period
    ],
)
def test_covers(fy2565: Framework, text: str, code: str, fiscal_year: int, expected: bool | None) -> None:
    assert covers(text, fy2565.item(code), fiscal_year) is expected
