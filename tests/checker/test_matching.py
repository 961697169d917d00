"""Which item a text shows: key terms on Thai word boundaries, and titles."""

from __future__ import annotations

import pytest

from prongsai.checker.matching import best_item, match_item
from prongsai.checker.years import years_in
from prongsai.framework import Framework
from prongsai.frameworks import get_framework

from .texts import HALF_YEAR_TEXT, MEASURES_TEXT, RISK_TEXT


@pytest.fixture(scope="module")
def fy2565() -> Framework:
    return get_framework(2565)


# --- matching -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "term", "found"),
    [
        # A naive substring test would be wrong in each of these: the term hides inside another word.
        ("พระราชบัญญัติข้อมูลข่าวสารของราชการ พ.ศ. 2540", "O7", "ข่าว", False),
        ("โครงการพัฒนาโครงสร้างพื้นฐาน ถนน ประปา", "O1", "โครงสร้าง", False),
        ("ขอแสดงความยินดีกับผู้ได้รับประกาศนียบัตร", "O22", "ประกาศ", False),
        ("ติดต่อหน่วยงาน ที่อยู่ แผนที่ และแผนผังอาคาร", "O4", "แผน", False),
        ("การป้องกันและลดความเสี่ยงภัยจากน้ำท่วม", "O36", "ความเสี่ยง", False),
        # …and found where they are words, however the dictionary glues them to their neighbours.
        ("แผนการจัดซื้อจัดจ้างประจำปีงบประมาณ พ.ศ. 2565", "O21", "แผน", True),
        ("ข่าวประชาสัมพันธ์", "O7", "ข่าว", True),
        ("แผนปฏิบัติการป้องกันการทุจริต", "O39", "ป้องกัน", True),
        ("แผนปฏิบัติการป้องกันการทุจริต", "O39", "ทุจริต", True),
        ("คู่มือการให้บริการประชาชน", "O14", "บริการ", True),
        ("แผนการดำเนินงานประจำปี", "O10", "ดำเนินงาน", True),
        ("ประเมินความ เสี่ยง การทุจริต", "O36", "ความเสี่ยง", True),  # a word split by a stray space
        ("ติดตามเราได้ที่ www.facebook.com/abtnamsai", "O9", "Facebook", True),
        ("ระบบยื่นคำร้องออนไลน์ (E-Service)", "O17", "E-Service", True),
        ("รายงานผลการดำเนินงาน รอบ 16 เดือน", "O11", "6 เดือน", False),
    ],
)
def test_terms_match_whole_words(fy2565: Framework, text: str, code: str, term: str, found: bool) -> None:
    item = fy2565.item(code)
    assert term in item.key_terms_th
    match = match_item(text, item)
    assert (term in match.found) is found
    assert (term in match.missing) is not found


def test_match_score_and_title(fy2565: Framework) -> None:
    o11 = fy2565.item("O11")
    assert match_item(HALF_YEAR_TEXT, o11) == match_item(HALF_YEAR_TEXT, o11)  # cached look-ups are stable
    full = match_item(HALF_YEAR_TEXT, o11)
    assert full.score == 1.0 and full.title_found and full.found == ("ติดตาม", "6 เดือน") and full.missing == ()
    # Without the title, the terms give 0.8 and the title's words found in the head a share of the rest.
    terms_only = match_item("ติดตามผล 6 เดือน", o11)
    assert 0.8 < terms_only.score < 1.0 and not terms_only.title_found
    assert match_item("ติดตามผล 6 เดือน", o11, head="").score == 0.8
    half = match_item("ติดตามผล", o11, head="")
    assert half.score == 0.4 and half.missing == ("6 เดือน",)
    assert match_item("", o11).score == 0.0


@pytest.mark.parametrize(
    ("head", "year", "code", "found"),
    [
        ("อำนาจและหน้าที่ของเทศบาลตำบล", 2565, "O3", True),  # และ added between the title's words
        ("อำนาจ หน้าที่", 2565, "O3", True),  # a space in the title
        ("กฏหมายที่เกี่ยวข้อง", 2565, "O6", True),  # ฏ typed for ฎ
        ("กฏหมายทีเกี่ยวข้อง", 2565, "O6", True),  # and a tone mark left out
        ("แผนปฏิบัติการป้องกันการทุจริตฯ ประจำปี", 2565, "O39", True),  # ฯ after the title
        ("ข่าวกิจกรรม", 2565, "O3", False),
        ("หน้าที่ของเจ้าหน้าที่ในการให้บริการ", 2565, "O3", False),  # one word of a two-word title
    ],
)
def test_titles_in_the_head_are_matched_tolerantly(head: str, year: int, code: str, found: bool) -> None:
    item = get_framework(year).item(code)
    assert match_item(head, item).title_found is found


def test_a_partial_title_in_the_head_gives_part_of_the_title_weight(fy2565: Framework) -> None:
    o13 = fy2565.item("O13")  # คู่มือหรือมาตรฐานการปฏิบัติงาน
    body = "ขั้นตอนการรับเรื่อง ระยะเวลา 3 วัน"
    partial = match_item(body, o13, head="มาตรฐานงานสารบรรณ")
    none = match_item(body, o13, head="ประกาศรับสมัครงาน")
    assert none.score < partial.score < match_item(body, o13, head="คู่มือ งานสารบรรณ").score
    assert not partial.title_found
    # One side of หรือ with the shared words is the whole title: คู่มือการปฏิบัติงาน, มาตรฐานการปฏิบัติงาน.
    assert match_item(body, o13, head="คู่มือการปฏิบัติงาน ด้านสารบรรณ").title_found
    assert match_item("มาตรฐานการปฏิบัติงาน ด้านสารบรรณ", o13).title_found


@pytest.mark.parametrize(
    ("head", "found"),
    [
        ("วิธีปฏิบัติการพยาบาล ห้องคลอด", True),  # the stem with การ in the document's own title
        ("ปฏิบัติงาน", True),
        ("แผนปฏิบัติการ", True),
        ("ปฏิบัติตามระเบียบ", False),  # the stem alone is not the term
    ],
)
def test_a_key_term_variant_counts_in_the_head_only(head: str, found: bool) -> None:
    o8 = get_framework(2568).item("O8")  # คู่มือหรือแนวทางการปฏิบัติงานของเจ้าหน้าที่: คู่มือ, ปฏิบัติงาน
    body = "การดูแลผู้ป่วยหลังคลอด ปฏิบัติการพยาบาลตามลำดับ"
    assert ("ปฏิบัติงาน" in match_item(body, o8, head=head).found) is found
    assert "ปฏิบัติงาน" not in match_item(body, o8, head="").found  # in the body, the variant is not the term


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (RISK_TEXT, "O36"),
        (MEASURES_TEXT, "O42"),
        ("การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ผลการดำเนินการ ปี 2565", "O43"),
        (HALF_YEAR_TEXT, "O11"),
        ("ข่าวประชาสัมพันธ์ อบต.น้ำใส จัดกิจกรรมวันเด็ก", "O7"),
        ("แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ 2565", "O39"),
    ],
)
def test_best_item(fy2565: Framework, text: str, code: str) -> None:
    best, score = best_item(text, fy2565.items)
    assert best == code
    assert score >= 0.8


def test_best_item_without_items() -> None:
    assert best_item(RISK_TEXT, []) == ("", 0.0)


def test_large_text_is_fast_enough(fy2565: Framework) -> None:
    text = f"{RISK_TEXT} " * 10_000  # ~1.3 MB of text, the size of a long PDF
    assert best_item(text, fy2565.items) == ("O36", 1.0)
    assert years_in(text) == {2565}
