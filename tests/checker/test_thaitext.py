"""Thai text made fit for matching: repair, normalising, tidying and tokens."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prongsai.checker import thaitext
from prongsai.checker.thaitext import normalise, tokens
from prongsai.framework import Framework
from prongsai.frameworks import get_framework
from prongsai.thai import to_arabic_digits


@pytest.fixture(scope="module")
def fy2565() -> Framework:
    return get_framework(2565)


# --- normalising and tokens -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("ปีงบประมาณ  พ.ศ.\n๒๕๖๕", "ปีงบประมาณ พ.ศ. 2565"),
        ("E-Service  ONLINE", "e-service online"),
        ("ดําเนินงาน น้ํา", "ดำเนินงาน น้ำ"),  # ํ + า (PDF copy) → ำ, also after a tone mark
        ("ดำาเนินงาน", "ดำเนินงาน"),  # ำ drawn as ำ + า
        ("เเผนงาน", "แผนงาน"),  # เ + เ typed for แ
        ("ความ\u200bเสี่ยง", "ความเสี่ยง"),  # zero-width space of Thai web text
        ("ค\u00adวาม\ufeffเสี่\u2060ยง\u200c\u200d", "ความเสี่ยง"),  # soft hyphen, BOM, joiners
        ("อำนาจหน้าที่ ประจ ำปี", "อำนาจหน้าที่ ประจำปี"),  # PDFium's space before ำ in LibreOffice headings
        ("e\u0301", "\u00e9"),  # NFC
    ],
)
def test_normalise(text: str, normalised: str) -> None:
    assert normalise(text) == normalised


_TEXT_PARTS = [
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "\x0b",
    "\x1c",
    "\x85",
    "\xa0",
    "\u2028",
    "\u3000",
    "\u200b",
    "\u00ad",
    "\ufeff",
    "ก",
    "ำ",
    "\u0e4d",
    "\u0e32",
    "\u0e48",
    "เ",
    "A",
    "ß",
    "e",
    "\u0301",
    "๒๕๖๕",
    "1",
    "x y",
]


def _slow_squeeze(text: str) -> str:  # the regex formulation the fast one replaced
    return re.sub(r"\s+", " ", text).strip()


def _slow_tidy(text: str) -> str:
    lines = (line.strip() for line in re.sub(r"[^\S\n]+", " ", thaitext.repair(text)).split("\n"))
    return re.sub(r"\n\s*\n+", "\n", "\n".join(line for line in lines if line)).strip()


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*_TEXT_PARTS, "ß", "ﬁ", "İ"]), max_size=60))
def test_a_pages_visible_length_comes_from_its_tidied_text(parts: list[str]) -> None:
    # _extract_html decides "shows nothing" (< LITTLE_TEXT) from the tidied text instead of normalising the
    # page again: the lengths must agree, and case folding must only ever lengthen.
    raw = "".join(parts)
    tidied = thaitext.tidy(raw)
    assert len(tidied.casefold()) == len(normalise(raw)) >= len(tidied)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TEXT_PARTS), max_size=30))
def test_tidying_and_normalising_keep_their_meaning(parts: list[str]) -> None:
    # str.split() and ``in`` checks replaced regex passes: the same text must come out, whatever the whitespace.
    text = "".join(parts)
    repaired = thaitext.repair(text)
    assert "\u200b" not in repaired and "\u00ad" not in repaired and "\ufeff" not in repaired
    assert thaitext.tidy(text) == _slow_tidy(text)
    assert normalise(text) == _slow_squeeze(to_arabic_digits(repaired)).casefold()


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("แผนการจัดซื้อจัดจ้างประจำปี", ("แผน", "จัดซื้อจัดจ้าง", "ประจำปี"), ("แผนการ",)),
        ("รายงานการกำกับติดตามการดำเนินงานประจำปี รอบ ๖ เดือน", ("ติดตาม", "ดำเนินงาน", "6", "เดือน"), ()),
        ("พระราชบัญญัติข้อมูลข่าวสารของราชการ", ("ข้อมูลข่าวสาร",), ("ข่าว",)),
        ("ข่าวประชาสัมพันธ์ การให้บริการ", ("ข่าว", "ประชาสัมพันธ์", "บริการ"), ("ให้บริการ",)),
    ],
)
def test_tokens(text: str, present: tuple[str, ...], absent: tuple[str, ...]) -> None:
    found = tokens(text)
    assert all(token in found for token in present), found
    assert not any(token in found for token in absent), found
    assert " " not in found
