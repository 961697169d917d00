"""Finding the ITA page and its items: item labels in the forms people type, the page's own signals, other item
lists (the health ministry's EB/MOIT, OVEC's), and links to outside services."""

from __future__ import annotations

import datetime as dt

import pytest

from prongsai.checker.extraction import Document, extract
from prongsai.checker.fetch import FetchResult, Outcome
from prongsai.checker.find import item_label, label_number, page_signals, propose, year_link
from prongsai.checker.lists import detect_list
from prongsai.checker.verdict import Verdict, external, judge
from prongsai.frameworks import available_years, get_framework

FY64 = get_framework(2564)
FY68 = get_framework(2568)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("O10", 10),
        ("o10", 10),
        ("O 10", 10),
        ("O.10", 10),
        ("O-10", 10),
        ("O:10 แผนดำเนินงานประจำปี", 10),
        ("O๑๐", 10),
        ("๐๑๐", 10),  # a zero typed for the letter O, in Thai digits
        ("010", 10),
        ("010 แผนดำเนินงานประจำปี", 10),
        ("01 โครงสร้าง", 1),
        ("๐๑ โครงสร้าง", 1),
        ("ข้อ 10", 10),
        ("ข้อที่ 10 แผนดำเนินงานประจำปี", 10),
        ("ข้อ ๑๐", 10),
        ("OIT 10", 10),
        ("OIT10", 10),
        ("oit-10", 10),
        ("ITA-O10", 10),
        ("ITA O10 แผนดำเนินงาน", 10),
        ("ita-o10", 10),
        ("[O10]", 10),
        ("[O10] แผนดำเนินงานประจำปี", 10),
        ("(O10) แผนดำเนินงานประจำปี", 10),
        ("O10. แผนดำเนินงานประจำปี", 10),
        ("ดาวน์โหลด O10", 10),
        ("O1.1 แผนผังโครงสร้าง", 1),  # a part of O1
        ("ITA 2564 O2 ข้อมูลผู้บริหาร", 2),
    ],
)
def test_an_item_label_in_any_form_people_type(text: str, number: int) -> None:
    assert label_number(text) == number
    assert item_label(text, 43) == number


@pytest.mark.parametrize(
    "text",
    [
        "1.1 หน่วยงานมีการกำหนดมาตรการ",  # a list number
        "2.3 หน่วยงานมีการเปิดเผยข้อมูลข่าวสาร",
        "12 มกราคม 2565 ข่าวกิจกรรม",  # a date
        "05 ม.ค. 2565",
        "01 ต.ค. 64",
        "3 ปี",  # a count
        "03 ปี",
        "10 คน",
        "10 แผน",  # a plain number
        "01. พรบ.การจัดซื้อจัดจ้าง",  # "01." numbers a list
        "010/2565",  # a document number
        "0800 123 456",
        "ภาพ 01/02",
        "ข้อ 1.1",
        "ข้อมูล 10",
        "2565",
        "ITA 2564",
        "OIT 2564",
        "MOIT10 หน่วยงานมีแนวปฏิบัติ",  # the health ministry's own list
        "EB10 รายงานผล",
        "Office 365",
        "O365",
        "hospital 10",
        "COVID-19",
        "",
    ],
)
def test_a_list_number_date_or_count_is_never_a_label(text: str) -> None:
    assert label_number(text) is None


def test_a_label_beyond_the_years_items_names_no_item() -> None:
    assert item_label("O43 การดำเนินการตามมาตรการ", len(FY68.items)) is None
    assert item_label("O28 รายงานผล", len(FY68.items)) == 28
    assert item_label("O0", 43) is None


def test_propose_reads_labels_and_titles_not_dates() -> None:
    links = [
        ("https://x.go.th/a", "010 แผนดำเนินงานประจำปี"),
        ("https://x.go.th/news", "12 มกราคม 2565 ข่าว"),
        ("https://x.go.th/b", "1.1 โครงสร้าง"),
        ("https://x.go.th/c", "ข้อ 3"),
    ]
    proposals = propose(links, FY64.items)
    assert proposals["O10"].url.endswith("/a") and proposals["O10"].confidence >= 0.9
    assert proposals["O3"].url.endswith("/c")
    assert "O12" not in proposals and proposals["O1"].confidence < 0.9  # O1 only by its title


def _page(title: str, body: str, url: str = "https://www.tambon.go.th/page") -> Document:
    html = f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"
    return extract(html.encode(), "text/html", url)


ITEM_LINKS_BY_TITLE = "".join(f"<li><a href='/doc/{item.number}'>{item.title_th}</a></li>" for item in FY64.items[:12])


def test_an_ita_page_is_found_by_its_heading_and_titles_without_labels() -> None:
    page = _page("เทศบาลตำบลหางดง", f"<h2>การเปิดเผยข้อมูลสาธารณะ ประจำปีงบประมาณ 2564</h2><ul>{ITEM_LINKS_BY_TITLE}</ul>")
    signals = page_signals(page, "https://www.tambon.go.th/page?id=88", "", FY64)
    assert signals.found and signals.ita_words and signals.year == 2 and len(signals.items) >= 10


def test_the_link_to_a_page_names_it_and_its_year() -> None:
    page = _page("เทศบาลตำบลหางดง", f"<ul>{ITEM_LINKS_BY_TITLE}</ul>")
    assert not page_signals(page, "https://www.tambon.go.th/page?id=88", "ข่าวสาร", FY64).ita_words
    via = page_signals(page, "https://www.tambon.go.th/page?id=88", "ITA ปีงบฯ 2564", FY64)
    assert via.found and via.year == 2


def test_the_page_of_the_year_checked_is_preferred_to_a_fuller_one_of_another_year() -> None:
    labels = "".join(f"<a href='/{i.number}'>{i.code} {i.title_th}</a>" for i in FY64.items)
    fuller = _page("ITA 2565", f"<h1>ITA 2565</h1>{labels}")
    checked = _page("ITA 2564", f"<h1>ITA ปีงบฯ 2564</h1>{labels[: len(labels) // 3]}")
    rank_fuller = page_signals(fuller, "https://x.go.th/ita65", "", FY64).rank
    rank_checked = page_signals(checked, "https://x.go.th/ita64", "", FY64).rank
    assert rank_checked > rank_fuller


@pytest.mark.parametrize(
    ("name", "year"),
    [("ITA 2569", 2569), ("ITA ปีงบฯ 2564", 2564), ("ita64", 2564), ("OIT ปีงบประมาณ 65", 2565), ("ITA 2021", 2564)],
)
def test_the_year_a_page_names(name: str, year: int) -> None:
    page = _page(name, f"<h1>{name}</h1>{ITEM_LINKS_BY_TITLE}")
    assert page_signals(page, "https://x.go.th/p", "", get_framework(year)).year == 2
    assert page_signals(page, "https://x.go.th/p", "", get_framework(year - 1)).year == 0


def test_an_index_of_years_leads_to_the_year_checked() -> None:
    index = _page(
        "ITA",
        "<a href='/ita/2563'>ITA 2563</a><a href='/page?id=64'>ITA ปีงบฯ 2564</a>"
        "<a href='/page?id=65'><img alt='ITA 2565'></a><a href='/news'>ข่าว 2565</a>",
    )
    assert year_link(index, FY64) == "https://www.tambon.go.th/page?id=64"
    assert year_link(index, get_framework(2565)) == "https://www.tambon.go.th/page?id=65"
    assert year_link(index, get_framework(2566)) is None
    assert year_link(_nacc_page(2564), FY64) is None  # a page of items is the page


@pytest.mark.parametrize(
    "url", ["https://www.hospital.go.th/news", "https://capital.go.th/", "https://itas.nacc.go.th/"]
)
def test_ita_is_a_word_not_part_of_one(url: str) -> None:
    assert not page_signals(_page("ข่าว", "<p>ข่าว</p>", url), url, "", FY64).ita_words


# --- other item lists ---------------------------------------------------------------------------------

# The shape of a district health office's ITA page (MOPH EB list): EB headings open folders (href="#l1"),
# documents are numbered 1.1, 1.2 …
EB_PAGE = """<h2>ITA 2564</h2>
<a href="#l1">EB1 หน่วยงานมีการกำหนดมาตรการ และวางระบบการเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์ของหน่วยงาน</a>
<a href="/upload/EB1/01.pdf">1.1 หน่วยงานมีการกำหนดมาตรการ และวางระบบการเผยแพร่ข้อมูล</a>
<a href="/upload/EB1/02.pdf">1.2 คำสั่งแต่งตั้งเจ้าหน้าที่เผยแพร่ข้อมูล</a>
<a href="#l2">EB2 หน่วยงานมีการเปิดเผยข้อมูลข่าวสารที่เป็นปัจจุบัน</a>
<a href="/upload/EB2/01.pdf">2.1 หน่วยงานมีการเปิดเผยข้อมูลข่าวสารที่เป็นปัจจุบัน</a>
<a href="#l3">EB3 หน่วยงานมีรายงานการวิเคราะห์ผลการจัดซื้อจัดจ้างและการจัดหาพัสดุประจำปีงบประมาณ พ.ศ.2563</a>
<a href="/upload/EB3/01.pdf">3.1 รายงานการวิเคราะห์ผลการจัดซื้อจัดจ้าง</a>
<a href="#l4">EB4 หน่วยงานมีมาตรการ และวางระบบเพื่อส่งเสริมความโปร่งใสในการจัดซื้อจัดจ้าง</a>
"""
# A vocational college's list (OVEC): the NACC's titles up to O10, then its own order (no 6-month report).
OVEC_TITLES = [
    "โครงสร้าง", "ข้อมูลผู้บริหาร", "อำนาจหน้าที่", "แผนพัฒนาสถานศึกษา", "ข้อมูลการติดต่อ", "กฎหมายที่เกี่ยวข้อง",
    "ข่าวประชาสัมพันธ์", "Q&A", "Social Network", "แผนดำเนินงานประจำปี", "รายงานผลการดำเนินงานประจำปี",
    "คู่มือหรือมาตรฐานการปฏิบัติงาน", "คู่มือหรือมาตรฐานการให้บริการ", "ข้อมูลเชิงสถิติการให้บริการ",
    "รายงานผลการสำรวจความพึงพอใจการให้บริการ", "E-Service", "แผนการใช้จ่ายงบประมาณประจำปี",
    "ผลการใช้จ่ายงบประมาณประจำปี", "แผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ",
    "ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ", "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน",
    "รายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี", "การดำเนินโครงการที่แสดงถึงการพัฒนาทรัพยากรบุคคล",
    "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล", "รายงานผลการดำเนินโครงการพัฒนาทรัพยากรบุคคล",
    "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "ช่องทางแจ้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", "การเปิดโอกาสให้เกิดการมีส่วนร่วม",
    "นโยบายไม่รับของขวัญ (No Gift Policy)", "การมีส่วนร่วมของผู้บริหารสถานศึกษา", "การประเมินผลควบคุมภายใน",
    "การเสริมสร้างวัฒนธรรมองค์กร", "โครงการที่เกี่ยวข้องกับการป้องกันการทุจริต",
    "รายงานผลการดำเนินโครงการที่เกี่ยวกับการป้องกันการทุจริต",
]  # fmt: skip
OVEC_PAGE = "<h1>ประเมินคุณธรรมและความโปร่งใส (ITA) วิทยาลัยเทคนิคทดสอบ</h1>" + "".join(
    f"<a href='/ita/{n}'>O{n} {title}</a>" for n, title in enumerate(OVEC_TITLES, 1)
)


def _nacc_page(framework_year: int) -> Document:
    framework = get_framework(framework_year)
    links = "".join(f"<a href='/{i.number}'>{i.code} {i.title_th}</a>" for i in framework.items)
    return _page(f"ITA {framework_year}", f"<h1>ITA {framework_year}</h1>{links}")


def _others(framework_year: int) -> list[object]:
    return [get_framework(y) for y in available_years() if y != framework_year]


def test_the_health_ministrys_eb_list_is_another_list() -> None:
    found = detect_list(_page("ITA 2564", EB_PAGE), FY64)
    assert found is not None and found.key == "moph" and "กระทรวงสาธารณสุข" in found.name_th
    assert found.seen[0].startswith("EB1")


def test_ovecs_list_with_its_own_titles_is_another_list() -> None:
    found = detect_list(_page("วิทยาลัยเทคนิคทดสอบ", OVEC_PAGE), FY64, _others(2564))  # type: ignore[arg-type]
    assert found is not None and found.key == "ovec" and "อาชีวศึกษา" in found.name_th
    assert "O11 รายงานผลการดำเนินงานประจำปี" in found.seen  # where its titles leave the NACC's


@pytest.mark.parametrize("year", [2564, 2566, 2568])
def test_the_naccs_own_list_is_not_another_list(year: int) -> None:
    assert detect_list(_nacc_page(year), get_framework(year), _others(year)) is None  # type: ignore[arg-type]


def test_an_older_nacc_page_is_out_of_date_not_another_list() -> None:
    assert detect_list(_nacc_page(2567), FY68, _others(2568)) is None  # type: ignore[arg-type]


def test_an_agencys_own_wording_of_the_titles_is_still_the_naccs_list() -> None:
    links = "".join(
        f"<a href='/{i.number}'>{i.code} {i.title_th if i.number % 2 else f'เอกสารเผยแพร่ชุดที่ {i.number}'}</a>"
        for i in FY64.items
    )
    assert detect_list(_page("ITA 2564", links), FY64, _others(2564)) is None  # type: ignore[arg-type]


def test_a_hospital_showing_both_lists_is_checked_against_the_naccs() -> None:
    page = _nacc_page(2564)
    both = _page(
        "ITA 2564", EB_PAGE + "".join(f"<a href='/{n}'>{text}</a>" for n, (_href, text) in enumerate(page.links))
    )
    assert detect_list(both, FY64) is None


def test_a_few_labels_tell_nothing() -> None:
    page = _page("ITA", "<a href='/1'>O1 แผนพัฒนาสถานศึกษา</a><a href='/2'>O2 ข่าว</a>")
    assert detect_list(page, FY64) is None


# --- outside services ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "service"),
    [
        ("https://drive.google.com/file/d/abc/view", "Google Drive"),
        ("https://docs.google.com/document/d/abc", "Google Docs"),
        ("https://www.facebook.com/tambon", "Facebook"),
        ("https://m.facebook.com/tambon", "Facebook"),
        ("https://youtu.be/abc", "YouTube"),
        ("https://www.youtube.com/watch?v=abc", "YouTube"),
        ("https://www.canva.com/design/abc/view", "Canva"),
        ("https://tambon-my.sharepoint.com/:b:/g/abc", "SharePoint"),
        ("https://1drv.ms/b/abc", "OneDrive"),
        ("https://www.dropbox.com/s/abc/plan.pdf", "Dropbox"),
        ("https://line.me/R/ti/p/@tambon", "LINE"),
        ("https://online.anyflip.com/abc/def/", "AnyFlip"),
        ("https://fliphtml5.com/abc/def", "FlipHTML5"),
    ],
)
def test_an_outside_service_needs_a_person_before_any_fetch(url: str, service: str) -> None:
    item = FY64.items[9]
    check = external(item, url)
    assert check is not None and check.verdict is Verdict.NEEDS_PERSON and service in check.reason_th
    offline = FetchResult(
        url, url, Outcome.CONNECT_ERROR, None, "", b"", {}, (), 0.1, dt.datetime.now(dt.UTC), "ไม่พบชื่อโดเมน", "dns"
    )
    judged = judge(item, FY64, offline, None)  # offline, a failed fetch of it is still not "broken"
    assert judged.verdict is Verdict.NEEDS_PERSON and service in judged.reason_th


def test_a_redirect_to_an_outside_service_needs_a_person_too() -> None:
    url = "https://www.tambon.go.th/file/10"
    failed = FetchResult(
        url, "https://drive.google.com/file/d/x", Outcome.TIMEOUT, None, "", b"", {},
        ("https://drive.google.com/file/d/x",), 20.0, dt.datetime.now(dt.UTC), "ช้า", "slow",
    )  # fmt: skip
    assert judge(FY64.items[0], FY64, failed, None).verdict is Verdict.NEEDS_PERSON
    assert external(FY64.items[0], "https://www.tambon.go.th/drive.google.com") is None
    assert external(FY64.items[0], "https://notfacebook.com/") is None
