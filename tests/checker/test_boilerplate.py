"""A site's menus told from a page's content by repetition across the site's pages."""

from __future__ import annotations

import asyncio

from aiohttp import web

from prongsai.checker.boilerplate import SiteText
from prongsai.checker.extraction import Document, extract
from prongsai.checker.fetch import FetchPolicy
from prongsai.checker.run import check_site
from prongsai.frameworks import get_framework

from .serving import served

# A template that marks nothing as navigation: its menu is a table like the content.
MENU = "<table><tr><td>หน้าแรก</td><td>คณะผู้บริหาร</td><td>ข่าวประชาสัมพันธ์</td><td>ติดต่อเรา</td></tr></table>"


def _page(content: str) -> bytes:
    head = "<head><meta charset='utf-8'><title>อบต.ตัวอย่าง</title></head>"
    return f"<html>{head}<body>{MENU}{content}</body></html>".encode()


PAGES = {
    "/o1": _page("<h1>โครงสร้างองค์กร</h1><p>แผนผังโครงสร้างการแบ่งส่วนราชการ สำนักปลัด กองคลัง กองช่าง</p>"),
    "/o2": _page("<h1>กิจกรรมวันเด็กแห่งชาติ</h1><p>เด็ก ๆ มาร่วมงานที่ลานหน้าที่ทำการ</p>"),
    "/o3": _page("<h1>อำนาจหน้าที่</h1><p>ตามพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. 2537</p>"),
    "/o5": _page("<h1>ติดต่อเรา</h1><p>ที่ทำการ อบต.ตัวอย่าง โทรศัพท์ 0 4412 3456 อีเมล saraban@example.go.th</p>"),
}


def _documents(paths: list[str]) -> list[tuple[str, Document]]:
    return [(f"https://www.example.go.th{path}", extract(PAGES[path], "text/html", path)) for path in paths]


def test_lines_on_many_pages_of_a_site_are_the_sites() -> None:
    pairs = _documents(list(PAGES))
    site = SiteText.of(pairs)
    url, document = pairs[1]
    content = site.content(url, document)
    assert "คณะผู้บริหาร" in document.text and "คณะผู้บริหาร" not in content.text
    assert "กิจกรรมวันเด็กแห่งชาติ" in content.text
    # Another site's pages are not judged by this site's menu.
    other = extract(PAGES["/o2"], "text/html", "/o2")
    assert site.content("https://other.example.go.th/o2", other) is other


def test_two_pages_cannot_tell_a_menu() -> None:
    pairs = _documents(["/o1", "/o2"])
    site = SiteText.of(pairs)
    url, document = pairs[1]
    assert site.content(url, document) is document


def test_a_menu_word_does_not_make_a_page_the_items() -> None:
    async def page(request: web.Request) -> web.Response:
        return web.Response(body=PAGES[request.path], content_type="text/html")

    app = web.Application()
    for path in PAGES:
        app.router.add_get(path, page)
    framework = get_framework(2565)
    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), min_interval=0, respect_robots=False)
    with served(app) as base:
        urls = {code: [f"{base}/{code.lower()}"] for code in ("O1", "O2", "O3", "O5")}
        site = asyncio.run(check_site(framework, urls=urls, policy=policy, processes=0))
    verdicts = {check.code: check.verdict.value for check in site.checks if check.code in urls}
    # The O2 page is news; only the menu on every page says ผู้บริหาร.
    assert verdicts == {"O1": "ok", "O2": "wrong_content", "O3": "ok", "O5": "ok"}
