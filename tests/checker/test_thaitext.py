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


# --- repair of Thai text layers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        # Private-Use-Area marks of old Thai fonts (Windows U+F7xx, Mac U+F8xx) are the Unicode marks.
        ("ป\uf70bายประกาศ", "ป้ายประกาศ"),
        ("ที\uf70a", "ที่"),
        ("ป\uf710\uf713น", "ปั่น"),
        ("น\uf711\uf70bา", "น้ำ"),  # ํ (PUA) + tone + า is ำ
        ("กฎ\uf718", "กฎุ"),
        ("\uf700าน", "ฐาน"),
        ("ป\uf88dา", "ป้า"),  # Mac positions
        # ำ split: a space where the lost ํ was, after the consonant and any mark above it.
        ("ส านักงานเทศบาลต าบล", "สำนักงานเทศบาลตำบล"),
        ("น้ า ประปา", "น้ำ ประปา"),
        ("ค าน า", "คำนำ"),
        # a space before a mark above or below is the PDF's placing, never a word break
        ("ย ั่งยืน ทั ่วไป", "ยั่งยืน ทั่วไป"),
        # ำ lost or put for า, put right by the dictionary where the text shows the symptom
        ("แผนการดาเนินงานประจาปีของสานักงาน", "แผนการดำเนินงานประจำปีของสำนักงาน"),
        ("ยุทธศำสตร์กำรพัฒนำจังหวัด", "ยุทธศาสตร์การพัฒนาจังหวัด"),
        ("คำกล่ำวของนำยกเทศมนตรี กำร", "คำกล่าวของนายกเทศมนตรี การ"),  # a real ำ (คำ) stays
        ("กฏหมายว่าด้วยการปฎิบัติราชการ", "กฎหมายว่าด้วยการปฏิบัติราชการ"),
        # sound text is left as it is, even with words that a broken spelling could be
        ("ตามีนาข้าว ทาสีบ้าน จาก", "ตามีนาข้าว ทาสีบ้าน จาก"),
        ("ประจำปี ดำเนินงาน การ ความ ปรากฏ กฎ", "ประจำปี ดำเนินงาน การ ความ ปรากฏ กฎ"),
    ],
)
def test_repair(broken: str, repaired: str) -> None:
    assert thaitext.repair(broken) == repaired
    assert thaitext.repair(repaired) == repaired  # repairing twice changes nothing more


def test_repair_is_fast_on_sound_text() -> None:
    # The dictionary pass runs only on text that shows the symptom; sound text costs one regex scan.
    sound = "ประกาศเทศบาลตำบล เรื่อง การดำเนินงานประจำปี " * 20_000
    assert thaitext.repair_am(sound) is sound


def _legacy(thai: str) -> str:
    """Thai as a pre-Unicode Mac Thai font stores it, read as Mac Roman: how such PDFs' text layers read."""
    return thai.encode("cp874").decode("mac_roman")


@pytest.mark.parametrize(
    ("text", "quality"),
    [
        ("ประกาศเทศบาลตำบลน้ำใส เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๗", "good"),
        ("The annual report of the subdistrict administrative organisation for the fiscal year 2024 is here.", "good"),
        ("ตารางที่ 1 2567 1,250 3,400 12.5 %", "good"),  # few letters: taken as it is
        ("", "empty"),
        ("  \n ", "empty"),
        ("".join(chr(0xE0D0 + (i * 7) % 90) for i in range(400)), "pua_glyphs"),  # pdf2htmlEX glyph numbers
        (_legacy("แนวทางเวชปฏิบัติการป้องกันโรค ฉบับปรับปรุง สำนักโรคติดต่อทั่วไป กรมควบคุมโรค") * 3, "legacy_encoding"),
        ("".join(chr(3 + i % 20) for i in range(300)) + " ก", "control_codes"),
        (
            "I:tlrura aau t6 ovr:st ?'t:1 ge,uu1 SULUUflU9I{'lU tonAl:u8J1U Lior , nr:l:vffiu x41t? u{'-ll-t " * 3,
            "ocr_noise",
        ),
        ("ฤฦฃฅ ฌฆฑ ฒณ ฎฏ ฐฑ ฤๅ ฦๅ ฌฆ ฃฅ " * 20, "ocr_noise"),  # Thai letters that make no words
    ],
)
def test_text_quality(text: str, quality: str) -> None:
    assert thaitext.quality(text).value == quality
    assert thaitext.usable(text) is (quality == "good")
