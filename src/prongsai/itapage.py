"""The agency's ITA page: every OIT item of the year, in the framework's order, with the register's links.

An agency publishes its OIT items on its own website, and a reviewer (and prongsai's checker) looks for the
item's code and title as the year's framework writes them ("O1 โครงสร้าง หน้าที่และอำนาจ") beside the link.
Agencies that type this page by hand lose points for links that do not match their items. Here it is made
from the register: as a snippet to paste into the agency's own site (plain, valid HTML: no scripts, no
external resources, no classes, no inline styles, so any site's stylesheet shows it as its own text), and as
a whole document, which prongsai serves as the agency's public page and an editor may download.

Everything a person typed (the agency's name, a link) is escaped; only http(s) links become links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from prongsai.framework import Framework
from prongsai.thai import to_arabic_digits, to_thai_digits

__all__ = [
    "NOT_PUBLISHED_TH",
    "PAGE_STYLE",
    "ItaGroup",
    "ItaItem",
    "ItaLink",
    "ItaPage",
    "ItaSection",
    "heading_th",
    "is_web_link",
    "ita_page",
    "page_html",
    "snippet_html",
]

NOT_PUBLISHED_TH = "ยังไม่ได้เผยแพร่"
NOT_A_LINK_TH = "ไม่ใช่ลิงก์ของเว็บไซต์"
# Only the whole document has a style, in its head: the snippet takes the look of the site it is pasted into.
PAGE_STYLE = (
    "body{margin:0;background:#fff;color:#1f2328;"
    'font:16px/1.7 "Sarabun","TH Sarabun New","Noto Sans Thai","Leelawadee UI",Tahoma,sans-serif}'
    "main{max-width:50rem;margin:0 auto;padding:1rem 1.25rem 3rem}"
    "h1{font-size:1.45rem;line-height:1.45;margin:.5rem 0}"
    "h2{font-size:1.2rem;margin:1.75rem 0 .25rem;padding-bottom:.2rem;border-bottom:2px solid #d0d7de}"
    "h3{font-size:1.05rem;margin:1.1rem 0 .2rem}"
    "ul{margin:0;padding-left:1.25rem}li{margin:.35rem 0}"
    "a{color:#0b57d0;text-underline-offset:.2em;overflow-wrap:anywhere}"
    "em{color:#8a4600;font-style:normal;white-space:nowrap}"  # ยังไม่ได้เผยแพร่ is never cut in two
)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


@dataclass(frozen=True)
class ItaLink:
    """One value of an item's register entry: a web link (``is_link``), or text that is not one."""

    url: str
    text: str  # what the link says it is: "O1 โครงสร้าง …", or "O6 เอกสาร ๒" where an item has several
    is_link: bool


@dataclass(frozen=True)
class ItaItem:
    code: str  # as the framework writes it: O1
    title: str
    links: tuple[ItaLink, ...]

    @property
    def web_links(self) -> tuple[ItaLink, ...]:
        return tuple(link for link in self.links if link.is_link)

    @property
    def missing(self) -> bool:
        """Not published: the register holds no web link for it."""
        return not self.web_links


@dataclass(frozen=True)
class ItaGroup:
    heading: str  # the sub-indicator, as a person sees it: "9.1 ข้อมูลพื้นฐาน"
    items: tuple[ItaItem, ...]


@dataclass(frozen=True)
class ItaSection:
    heading: str  # the indicator: "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล"
    groups: tuple[ItaGroup, ...]


@dataclass(frozen=True)
class ItaPage:
    fiscal_year: int
    heading: str  # "การประเมินคุณธรรมและความโปร่งใส… (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๗๐"
    subheading: str  # "การเปิดเผยข้อมูลสาธารณะ (OIT)"
    agency_name: str
    sections: tuple[ItaSection, ...]
    provisional: bool  # the year's framework is prongsai's provisional copy, not yet the NACC's manual

    @property
    def items(self) -> tuple[ItaItem, ...]:
        """Every item in the framework's order."""
        return tuple(item for section in self.sections for group in section.groups for item in group.items)


def is_web_link(url: str) -> bool:
    """An absolute http(s) address with a host and nothing a browser would read otherwise (spaces, controls)."""
    if _CONTROL.search(url) or "\\" in url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced [ in the host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def heading_th(framework: Framework, *, thai_digits: bool = True) -> str:
    """The year's name as the framework writes it, with "(ITA)" as reviewers look for it and the year in พ.ศ."""
    name = framework.name_th
    if "ITA" not in name:
        head, sep, tail = name.partition(" ประจำปีงบประมาณ")
        name = f"{head} (ITA){sep}{tail}"
    if str(framework.fiscal_year) not in to_arabic_digits(name):
        name = f"{name} ประจำปีงบประมาณ พ.ศ. {framework.fiscal_year}"
    return to_thai_digits(name) if thai_digits else name


def ita_page(
    framework: Framework, links: Mapping[str, Sequence[str]], *, agency_name: str, thai_digits: bool = True
) -> ItaPage:
    """The page of ``framework``'s year: every OIT item in order, with ``links`` (item code → URLs) as given.

    Codes ``links`` holds that the year does not have are ignored; an item it lacks is not published."""

    def digits(text: str) -> str:
        return to_thai_digits(text) if thai_digits else text

    sections = []
    for number in (9, 10):
        indicator = framework.indicator(number)
        groups = tuple(
            ItaGroup(
                digits(sub.label_th),
                tuple(_item(item.code, item.title_th, links.get(item.code, ()), digits) for item in sub.items),
            )
            for sub in framework.sub_indicators_of(number)
        )
        sections.append(ItaSection(f"ตัวชี้วัดที่ {digits(str(number))} {indicator.name_th}", groups))
    oit = framework.tool("OIT")
    return ItaPage(
        fiscal_year=framework.fiscal_year,
        heading=heading_th(framework, thai_digits=thai_digits),
        subheading=f"{oit.name_th} (OIT)",
        agency_name=agency_name.strip(),
        sections=tuple(sections),
        provisional=framework.provisional,
    )


def _item(code: str, title: str, urls: Sequence[str], digits: Callable[[str], str]) -> ItaItem:
    values = list(dict.fromkeys(u.strip() for u in urls if u.strip()))  # each once, in the register's order
    web = [u for u in values if is_web_link(u)]
    # One link says which item it is; several are told apart by number, each still naming its item's code.
    texts = {u: f"{code} {title}" if len(web) == 1 else f"{code} เอกสาร {digits(str(k))}" for k, u in enumerate(web, 1)}
    return ItaItem(code, title, tuple(ItaLink(u, texts.get(u, u), u in texts) for u in values))


# --- HTML ----------------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _item_html(item: ItaItem) -> str:
    web = item.web_links
    if len(web) == 1:
        parts = [f'<a href="{_e(web[0].url)}">{_e(web[0].text)}</a>']
    else:
        parts = [_e(f"{item.code} {item.title}")]
        if web:
            parts.append(": " + " · ".join(f'<a href="{_e(link.url)}">{_e(link.text)}</a>' for link in web))
    if not web:
        parts.append(f": <em>{NOT_PUBLISHED_TH}</em>")
    others = [link.url for link in item.links if not link.is_link]
    if others:  # shown so the editor sees them, never as a link a visitor could follow
        parts.append(f" ({NOT_A_LINK_TH}: {_e(', '.join(others))})")
    return f"<li>{''.join(parts)}</li>"


def _lines(page: ItaPage, level: int) -> Iterator[str]:
    top, section, group = (f"h{min(level + k, 6)}" for k in range(3))
    yield '<div lang="th">'
    yield f"<{top}>{_e(page.heading)}</{top}>"
    agency = f" · {_e(page.agency_name)}" if page.agency_name else ""
    yield f"<p>{_e(page.subheading)}{agency}</p>"
    if page.provisional:
        yield "<p>กรอบการประเมินของปีนี้ยังเป็นฉบับชั่วคราว รายการอาจเปลี่ยนเมื่อสำนักงาน ป.ป.ช. ประกาศคู่มือของปี</p>"
    for part in page.sections:
        yield f"<{section}>{_e(part.heading)}</{section}>"
        for sub in part.groups:
            yield f"<{group}>{_e(sub.heading)}</{group}>"
            yield "<ul>"
            yield from (_item_html(item) for item in sub.items)
            yield "</ul>"
    yield "</div>"


def snippet_html(page: ItaPage, *, level: int = 2) -> str:
    """The page as a block to paste into the agency's own site; its title is an h``level`` (h2 under the
    site's own h1). Plain HTML a strict parser accepts, and XML too (every element closed)."""
    return "\n".join(_lines(page, level)) + "\n"


def page_html(page: ItaPage) -> str:
    """A whole document around the snippet (title in h1): prongsai's public page, and the file to download."""
    title = f"{page.heading} · {page.agency_name}" if page.agency_name else page.heading
    return (
        "<!DOCTYPE html>\n"
        '<html lang="th">\n<head>\n<meta charset="utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        f"<title>{_e(title)}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{snippet_html(page, level=1)}</main>\n</body>\n</html>\n"
    )
