"""The ITA page prongsai makes (prongsai.itapage), pasted into an agency's home page and served on 127.0.0.1 with
one document per item: prongsai's own checker, crawling from the home page as a reviewer's tool would, finds the
page and every item on it, each by its own link."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from click.testing import CliRunner

from prongsai.cli import main
from prongsai.framework import Coverage, Framework, Item
from prongsai.frameworks import get_framework
from prongsai.itapage import ita_page, snippet_html
from prongsai.thai import to_thai_digits

from .serving import served

AGENCY = "องค์การบริหารส่วนตำบลทดสอบ"
MENU = "<nav><a href='/'>หน้าหลัก</a> <a href='/news'>ข่าวประชาสัมพันธ์</a> <a href='/contact'>ติดต่อเรา</a></nav>"
TWO_LINKS = "O6"  # one item with two documents, as agencies publish a plan and its progress apart


def _links(year: int, base: str) -> dict[str, list[str]]:
    framework = get_framework(year)
    links = {item.code: [f"{base}/docs/{item.code}.html"] for item in framework.items}
    if TWO_LINKS in links:
        links[TWO_LINKS].append(f"{base}/docs/{TWO_LINKS}-2.html")
    return links


def _document(item: Item, framework: Framework, part: str = "") -> str:
    """An agency's document for the item: its title with its fiscal year in Thai digits (each document's own line:
    a line on many pages is the site's menu to the checker), the agency, and what it shows."""
    year = framework.fiscal_year - 1 if item.coverage is Coverage.PREVIOUS_YEAR else framework.fiscal_year
    period = "รอบ ๖ เดือน (ตุลาคม – มีนาคม) " if item.coverage is Coverage.HALF_YEAR else ""
    body = "".join(f"<li>{element}</li>" for element in item.must_show_th)
    title = f"{item.title_th}{part} {period}ประจำปีงบประมาณ พ.ศ. {to_thai_digits(str(year))}"
    return (
        f"<!DOCTYPE html><html lang='th'><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"{MENU}<main><h1>{title}</h1><p>{AGENCY}</p><p>{' '.join(item.key_terms_th)}</p><ul>{body}</ul></main>"
        "</body></html>"
    )


def _site(year: int) -> web.Application:
    framework = get_framework(year)
    app = web.Application()

    def page(text: str) -> web.Response:
        return web.Response(text=text, content_type="text/html")

    async def home(request: web.Request) -> web.Response:
        base = f"{request.scheme}://{request.host}"
        snippet = snippet_html(ita_page(framework, _links(year, base), agency_name=AGENCY))
        return page(
            f"<!DOCTYPE html><html lang='th'><head><meta charset='utf-8'><title>{AGENCY}</title></head><body>"
            f"{MENU}<main><h1>{AGENCY}</h1><p>ยินดีต้อนรับสู่เว็บไซต์ของ{AGENCY}</p>{snippet}</main></body></html>"
        )

    async def news(request: web.Request) -> web.Response:
        return page(f"<html><head><title>ข่าว</title></head><body>{MENU}<p>ข่าวกิจกรรมวันเด็ก</p></body></html>")

    async def document(request: web.Request) -> web.Response:
        code, _, part = request.match_info["name"].partition("-")
        try:
            item = framework.item(code)
        except KeyError:
            raise web.HTTPNotFound() from None
        return page(_document(item, framework, f" (ฉบับที่ {to_thai_digits(part)})" if part else ""))

    app.router.add_get("/", home)
    app.router.add_get("/news", news)
    app.router.add_get("/contact", news)
    app.router.add_get("/docs/{name}.html", document)
    return app


@pytest.fixture(scope="module", params=[2570, 2564])
def site(request: pytest.FixtureRequest) -> Iterator[tuple[int, str]]:
    with served(_site(request.param)) as base:
        yield request.param, base


def _crawl(year: int, base: str) -> dict[str, Any]:
    options = ["--allow-host", "127.0.0.1", "--interval", "0", "--processes", "0"]
    result = CliRunner().invoke(main, ["oit", "crawl", "--year", str(year), f"{base}/", "--json", *options])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_the_checker_finds_the_ita_page_and_every_item_by_its_own_link(site: tuple[int, str]) -> None:
    year, base = site
    data = _crawl(year, base)
    assert data["ita_page"] == f"{base}/" and data["ita_page_note"] is None and data["item_list"] is None
    framework = get_framework(year)
    proposals = data["proposals"]
    # every item, each by the link labelled with its own code (never another item's), as a label (0.9+)
    assert {code: p["url"] for code, p in proposals.items()} == {
        item.code: f"{base}/docs/{item.code}.html" for item in framework.items
    }
    assert all(p["confidence"] >= 0.9 for p in proposals.values())
    verdicts = {i["code"]: i["verdict"] for i in data["items"]}
    assert list(verdicts) == [item.code for item in framework.items]
    assert "missing" not in verdicts.values() and "wrong_content" not in verdicts.values()
    assert set(verdicts.values()) == {"ok"}, {c: v for c, v in verdicts.items() if v != "ok"}


def test_an_item_not_yet_published_is_missing_and_the_others_still_found() -> None:
    framework = get_framework(2570)
    app = web.Application()

    async def home(request: web.Request) -> web.Response:
        base = f"{request.scheme}://{request.host}"
        links = _links(2570, base)
        links["O3"] = []  # the register has no link for O3 yet: the page says ยังไม่ได้เผยแพร่
        links["O4"] = ["javascript:alert(1)"]  # not a link: shown as text, never followed
        html = snippet_html(ita_page(framework, links, agency_name=AGENCY))
        return web.Response(
            text=f"<html><head><title>{AGENCY}</title></head><body>{html}</body></html>", content_type="text/html"
        )

    async def document(request: web.Request) -> web.Response:
        code = request.match_info["name"].partition("-")[0]
        return web.Response(text=_document(framework.item(code), framework), content_type="text/html")

    app.router.add_get("/", home)
    app.router.add_get("/docs/{name}.html", document)
    with served(app) as base:
        data = _crawl(2570, base)
    verdicts = {i["code"]: i["verdict"] for i in data["items"]}
    assert verdicts["O3"] == verdicts["O4"] == "missing"
    assert {code for code, verdict in verdicts.items() if verdict != "ok"} == {"O3", "O4"}
