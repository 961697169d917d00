"""Fixture sites in the shapes of real agency sites, served on 127.0.0.1, checked through the CLI:

* a municipality whose ITA pages are linked from the menu as "ITA", then "ITA ปีงบฯ 2564" and an image whose alt
  text is "ITA 2565"; item links labelled 010, ข้อ 1, [O3], O.5, by an image's alt text, and a Facebook link; the
  menu on every page says คณะผู้บริหาร;
* a district health office whose ITA page follows the health ministry's EB list;
* a vocational college whose ITA page follows OVEC's list (o1–o35 with its own titles);
* a site with no ITA page at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from click.testing import CliRunner

from prongsai.cli import main

from .serving import served
from .test_find import EB_PAGE, OVEC_PAGE

MENU = (
    "<header><nav class='menu'><ul><li><a href='/'>หน้าหลัก</a></li><li><a href='/about'>เกี่ยวกับเรา</a></li>"
    "<li><a href='/executives'>คณะผู้บริหาร</a></li><li><a href='/ita'>ITA</a></li></ul></nav></header>"
)


def _html(title: str, body: str, *, menu: str = MENU) -> str:
    head = f"<head><meta charset='utf-8'><title>{title}</title></head>"
    return f"<html>{head}<body>{menu}<main>{body}</main></body></html>"


ITA_2564 = [
    ("ข้อ 1 โครงสร้าง", "/doc/1"),
    ("", "/doc/2"),  # an image button: <img alt="O2 ข้อมูลผู้บริหาร">
    ("[O3] อำนาจหน้าที่", "/doc/3"),
    ("O.5 ข้อมูลการติดต่อ", "/doc/5"),
    ("O 9 Social Network", "https://www.facebook.com/tambon.test"),
    ("010 แผนดำเนินงานประจำปี", "/doc/10"),
]
DOCS = {
    "1": ("โครงสร้าง", "<h1>โครงสร้างเทศบาลตำบลทดสอบ</h1><p>แผนผังโครงสร้างการแบ่งส่วนราชการ สำนักปลัด กองคลัง กองช่าง</p>"),
    "2": ("ผู้บริหาร", "<h1>ข้อมูลผู้บริหาร</h1><p>นายกเทศมนตรี นายทดสอบ ใจดี โทรศัพท์ 053 000 000</p>"),
    "3": ("อำนาจหน้าที่", "<h1>อำนาจหน้าที่ของเทศบาลตำบล</h1><p>ตามพระราชบัญญัติเทศบาล พ.ศ. 2496</p>"),
    "5": ("ติดต่อ", "<h1>ข้อมูลการติดต่อ</h1><p>ที่อยู่ 99 หมู่ 1 ตำบลทดสอบ โทรศัพท์ 053 000 000</p>"),
    "10": (
        "แผนดำเนินงาน",
        "<h1>แผนการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๔</h1><p>แผนดำเนินงานประจำปี โครงการ งบประมาณ ระยะเวลา</p>",
    ),
}


def _municipality() -> web.Application:
    app = web.Application()

    def page(title: str, body: str) -> web.Response:
        return web.Response(text=_html(title, body), content_type="text/html")

    async def home(request: web.Request) -> web.Response:
        return page(
            "เทศบาลตำบลทดสอบ",
            "<ul><li><a href='/news/1'>12 มกราคม 2565 ข่าว</a></li><li><a href='/news/2'>1.1 ข่าวกิจกรรมวันเด็ก</a></li>"
            "<li><a href='/news/3'>3 ปี ของการพัฒนา</a></li></ul>",
        )

    async def ita(request: web.Request) -> web.Response:
        return page(
            "เทศบาลตำบลทดสอบ",
            "<p><a href='/page.php?id=64'>ITA ปีงบฯ 2564</a></p>"
            "<p><a href='/page.php?id=65'><img src='/ita65.png' alt='ITA 2565'></a></p>",
        )

    async def by_id(request: web.Request) -> web.Response:
        if request.query.get("id") == "64":
            image = "<img alt='O2 ข้อมูลผู้บริหาร'>"
            links = "".join(f"<li><a href='{href}'>{text or image}</a></li>" for text, href in ITA_2564)
            return page("เทศบาลตำบลทดสอบ", f"<h2>การเปิดเผยข้อมูลสาธารณะ</h2><ul>{links}</ul>")
        if request.query.get("id") == "65":
            from prongsai.frameworks import get_framework

            items = get_framework(2565).items
            links = "".join(f"<li><a href='/doc/{i.number}'>{i.code} {i.title_th}</a></li>" for i in items)
            return page("ITA 2565", f"<h1>ITA 2565</h1><ul>{links}</ul>")
        raise web.HTTPNotFound()

    async def doc(request: web.Request) -> web.Response:
        title, body = DOCS.get(request.match_info["n"], ("ข่าว", "<p>ข่าวกิจกรรม</p>"))
        return page(title, body)

    async def news(request: web.Request) -> web.Response:
        return page("ข่าว", "<h1>ข่าวกิจกรรมวันเด็ก</h1><p>เด็ก ๆ มาร่วมงานวันเด็กที่สนามกีฬาของเทศบาลจำนวนมาก</p>")

    app.router.add_get("/", home)
    app.router.add_get("/about", home)
    app.router.add_get("/executives", news)
    app.router.add_get("/ita", ita)
    app.router.add_get("/page.php", by_id)
    app.router.add_get("/doc/{n}", doc)
    app.router.add_get("/news/{n}", news)
    return app


def _single(title: str, body: str) -> web.Application:
    """A site whose home links (in its menu, as "ITA") the one page ``body``."""
    app = web.Application()

    async def home(request: web.Request) -> web.Response:
        return web.Response(text=_html(title, "<p>ยินดีต้อนรับ</p>"), content_type="text/html")

    async def ita(request: web.Request) -> web.Response:
        return web.Response(text=_html(title, body), content_type="text/html")

    app.router.add_get("/", home)
    app.router.add_get("/ita", ita)
    return app


def _no_ita() -> web.Application:
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        links = "".join(f"<a href='/news/{n}'>ข่าวที่ {n}</a>" for n in range(1, 6))
        return web.Response(text=_html("อบต.ไม่มีหน้า", links, menu=""), content_type="text/html")

    app.router.add_get("/", page)
    app.router.add_get("/news/{n}", page)
    return app


@pytest.fixture(scope="module")
def municipality() -> Iterator[str]:
    with served(_municipality()) as base:
        yield base


def _run(*args: str) -> tuple[dict[str, Any], str]:
    options = ["--allow-host", "127.0.0.1", "--interval", "0", "--processes", "0"]
    result = CliRunner().invoke(main, ["oit", *args, *options])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout) if "--json" in args else {}
    return data, result.stderr


def test_the_crawl_finds_the_ita_page_of_the_year_linked_as_ita_pibngop_2564(municipality: str) -> None:
    data, _ = _run("crawl", "--year", "2564", f"{municipality}/", "--json")
    assert data["ita_page"] == f"{municipality}/page.php?id=64" and data["ita_page_note"] is None
    proposals = data["proposals"]
    assert {code: proposals[code]["url"].removeprefix(municipality) for code in ("O1", "O2", "O3", "O5", "O10")} == {
        "O1": "/doc/1",
        "O2": "/doc/2",  # by the image's alt text, not the menu's คณะผู้บริหาร
        "O3": "/doc/3",
        "O5": "/doc/5",
        "O10": "/doc/10",  # "010": a zero typed for the letter O
    }
    assert all(proposals[code]["confidence"] >= 0.9 for code in ("O1", "O2", "O3", "O5", "O10"))
    verdicts = {i["code"]: i for i in data["items"]}
    assert verdicts["O10"]["verdict"] == "ok" and verdicts["O1"]["verdict"] == "ok"
    # Facebook is a person's to open, decided before any fetch (there is no internet here: it would fail)
    assert verdicts["O9"]["verdict"] == "needs_person" and "Facebook" in verdicts["O9"]["reason_th"]


def test_the_crawl_prefers_the_page_of_the_year_checked(municipality: str) -> None:
    data, _ = _run("crawl", "--year", "2565", f"{municipality}/", "--json")
    assert data["ita_page"] == f"{municipality}/page.php?id=65"


def test_an_ita_page_that_lists_years_leads_to_the_year_checked(municipality: str) -> None:
    data, err = _run("check", "--year", "2564", f"{municipality}/ita", "--json")
    assert data["ita_page"] == f"{municipality}/page.php?id=64" and "page.php?id=64" in err
    assert {i["code"]: i["verdict"] for i in data["items"]}["O10"] == "ok"


def test_a_page_given_that_links_no_item_says_so(municipality: str) -> None:
    data, err = _run("check", "--year", "2564", f"{municipality}/news/1", "--json")
    assert data["ita_page_note"].startswith("หน้าที่ให้มา") and "จึงอาจไม่ใช่หน้า ITA" in err
    assert sum(i["verdict"] == "missing" for i in data["items"]) >= 40  # the menu's คณะผู้บริหาร may propose O2


def test_a_menu_word_does_not_pass_an_item(municipality: str, tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text(f"item,url\nO2,{municipality}/news/7\nO1,{municipality}/doc/1\n", encoding="utf-8")
    data, _ = _run("check", "--year", "2564", str(register), "--json")
    verdicts = {i["code"]: i["verdict"] for i in data["items"]}
    assert verdicts["O1"] == "ok"
    assert verdicts["O2"] == "wrong_content"  # "ผู้บริหาร" is only in the menu's คณะผู้บริหาร


def test_a_page_of_the_health_ministrys_list_is_reported_as_such() -> None:
    with served(_single("สำนักงานสาธารณสุขอำเภอทดสอบ", EB_PAGE)) as site:
        data, err = _run("check", "--year", "2564", f"{site}/ita", "--json")
    assert data["item_list"]["key"] == "moph"
    assert {i["verdict"] for i in data["items"]} == {"needs_person"} and len(data["items"]) == 43
    assert "กระทรวงสาธารณสุข" in data["items"][0]["reason_th"] and "ป.ป.ช." in data["items"][0]["reason_th"]
    assert "กระทรวงสาธารณสุข" in err


def test_a_college_following_ovecs_list_is_reported_and_its_links_matched_by_title(tmp_path: Path) -> None:
    with served(_single("วิทยาลัยเทคนิคทดสอบ", OVEC_PAGE)) as site:
        data, err = _run("crawl", "--year", "2564", f"{site}/", "--json", "--html", str(tmp_path / "r.html"))
    assert data["ita_page"].endswith("/ita") and data["item_list"]["key"] == "ovec"
    # its O11 is the NACC's O12 (an annual report): numbers name OVEC's items, so only titles are read
    assert data["proposals"]["O12"]["label"].startswith("O11 ")
    o12 = next(i for i in data["items"] if i["code"] == "O12")
    assert o12["verdict"] == "needs_person" and "O11 รายงานผลการดำเนินงานประจำปี" in o12["reason_th"]
    assert "อาชีวศึกษา" in err and "อาชีวศึกษา" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_no_ita_page_is_said_plainly_in_json_html_and_on_stderr(tmp_path: Path) -> None:
    with served(_no_ita()) as site:
        data, err = _run("crawl", "--year", "2564", f"{site}/", "--json", "--html", str(tmp_path / "r.html"))
    assert data["ita_page"] is None and data["item_list"] is None
    assert data["ita_page_note"].startswith("ไม่พบหน้า ITA/OIT ของเว็บไซต์: ตรวจแล้ว 6 หน้า")
    assert data["ita_page_note_en"].startswith("no ITA/OIT page found")
    assert "ไม่พบหน้า ITA/OIT" in err and "ไม่พบหน้า ITA/OIT" in (tmp_path / "r.html").read_text(encoding="utf-8")
