"""Find an agency's ITA/OIT page and propose a URL for each item, with a confidence.

Agencies label item links in many ways: "O1", "o1", "OIT 1", "ITA-O1", "O๑", "๐๑ โครงสร้าง", "ข้อ 1" or
only the item's title, in text or in an image's alt text. A label names the item outright; a title match is
weaker evidence. The ITA page is the page that says it is one (its title, headings, address or the link to
it name ITA, OIT or การเปิดเผยข้อมูลสาธารณะ) and links items, of the year being checked if there are several.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

from prongsai.checker.extraction import Document, Kind, detect_kind
from prongsai.checker.fetch import Fetcher
from prongsai.checker.matching import match_item
from prongsai.checker.reading import Reader, default_processes
from prongsai.checker.thaitext import normalise, tokens
from prongsai.checker.years import years_in
from prongsai.thai import to_arabic_digits

if TYPE_CHECKING:
    from prongsai.framework import Framework, Item

__all__ = [
    "Crawl",
    "CrawlLimits",
    "PageSignals",
    "Proposal",
    "crawl",
    "item_label",
    "label_number",
    "page_signals",
    "propose",
    "year_link",
]

# A label names its item outright: O10, o10, O 10, O.10, O-10, [O10], OIT 10, ITA-O10 (Thai digits read as
# Arabic ones first). No Latin letter may stand before the O, so MOIT10 (the health ministry's own list),
# "Office 10" or "hospital" are not labels.
_PREFIXED = re.compile(r"(?<![a-z0-9])(?:ita\s*[-–:]?\s*)?(?:oit|o)\s*[-–.:]?\s*(\d{1,2})(?!\d)", re.IGNORECASE)
# Without the letter, only at the start and only in forms people use for item numbers: ข้อ 10, ข้อที่ 10, and a
# zero typed for the letter O (010, 01 โครงสร้าง). A plain number is a list number, a date or a count (1.1 …,
# 12 มกราคม 2565, 3 ปี), and "01." numbers a list; neither is a label.
_UNPREFIXED = re.compile(r"^[\s\[(]*(?:ข้อ(?:ที่)?\s*|0)(\d{1,2})(?![\d.,/:\-–%])")
# Words that make the number before them a date or a count, not an item (01 ม.ค. 65, 03 ปี).
_NOT_ITEM = re.compile(
    r"\s*(?:(?:ม|ก|มี|เม|พ|มิ|ส|ต|ธ)\.\s?[คพย]\.|มกรา|กุมภา|มีนา|เมษา|พฤษภา|มิถุนา|กรกฎา|สิงหา|กันยา|ตุลา|พฤศจิกา|ธันวา"
    r"|(?:ปี|เดือน|วัน|คน|ราย|ครั้ง|หน้า|ชั่วโมง|นาที|บาท)(?![ก-๛]))"
)
# Words naming an ITA/OIT page, in its title, headings, address or the link that leads to it. "ita" and
# "oit" stand alone (ita64, /ita/, ITA-2565) and never inside a word (hospital, capital, itas).
_ITA_WORDS = re.compile(
    r"(?<![a-z])(?:ita|oit|moit)(?![a-z])|คุณธรรมและความโปร่งใส|เปิดเผยข้อมูลสาธารณะ|ประเมินคุณธรรม",
    re.IGNORECASE,
)
# A short year after ITA/OIT or ปี/ปีงบฯ: ita64, ITA 65, ปีงบฯ 64.
_SHORT_YEAR = re.compile(r"(?:(?<![a-z])(?:ita|oit)|ปี(?:งบ(?:ประมาณ|ฯ)?)?)\s*[-_.]?\s*(\d{2})(?!\d)", re.IGNORECASE)
MIN_ITEMS = 3  # item links a page must have to be taken for the ITA page
_COMMON_WORDS = frozenset(("ประจำปี", "ข้อมูล", "เกี่ยวกับ", "ต่าง ๆ"))
MAX_TITLE_TEXT = 150  # characters: an item's title with its label and year fits; a headline does not


def label_number(text: str) -> int | None:
    """The number a link text labels, whatever the list ("O10", "010", "ข้อ 10", "ITA-O10", "O๑๐"), or None."""
    plain = to_arabic_digits(text)
    match = _PREFIXED.search(plain)
    if match is None:
        match = _UNPREFIXED.match(plain)
        if match is None or _NOT_ITEM.match(plain, match.end()):
            return None
    return int(match.group(1))


def item_label(text: str, item_count: int) -> int | None:
    """The item number a link text names ("O1", "ITA-O1", "OIT 1", "O๑", "๐๑ โครงสร้าง"), if it is an item."""
    number = label_number(text)
    return number if number is not None and 1 <= number <= item_count else None


@dataclass(frozen=True)
class Proposal:
    code: str
    url: str
    confidence: float  # 0–1
    label: str  # the link text it came from


def propose(links: Sequence[tuple[str, str]], items: Sequence[Item], *, labels: bool = True) -> dict[str, Proposal]:
    """The best link for each item: a label is 0.9 (0.97 with the title too), a title alone up to 0.7.

    ``labels=False`` for a page that follows another item list, whose numbers name that list's items."""
    best: dict[str, Proposal] = {}
    by_number = {item.number: item for item in items}
    for href, text in links:
        number = item_label(text, len(items)) if labels else None
        candidates = []
        if number is not None and number in by_number:
            item = by_number[number]
            title = match_item(text, item).title_found
            candidates.append(Proposal(item.code, href, 0.97 if title else 0.9, text))
        else:
            plain = normalise(text)
            for item in items:
                if not any(cue in plain for cue in _cues(item)):
                    continue  # none of its words: no match (matching every link fully is most of a crawl's time)
                match = match_item(text, item)
                if match.title_found or match.score >= 0.75:
                    candidates.append(Proposal(item.code, href, 0.5 + 0.2 * match.score, text))
        for candidate in candidates:
            if candidate.confidence > best.get(candidate.code, Proposal("", "", 0, "")).confidence:
                best[candidate.code] = candidate
    return best


@functools.lru_cache(maxsize=1024)
def _cues(item: Item) -> tuple[str, ...]:
    """Words one of which a text must contain to match ``item``: its key terms and its title's longer words."""
    words = (*item.key_terms_th, *(t for t in tokens(item.title_th) if len(t) >= 4 and t not in _COMMON_WORDS))
    return tuple(dict.fromkeys(normalise(word) for word in words))


@dataclass(frozen=True)
class CrawlLimits:
    depth: int = 3
    pages: int = 300
    seconds: float = 120.0


def _same_site(url: str, root: str) -> bool:
    return (urlsplit(url).hostname or "").removeprefix("www.") == (urlsplit(root).hostname or "").removeprefix("www.")


def _years_named(name: str) -> set[int]:
    """The fiscal years a page's name gives: 2564, ITA 2021 (2564), ita64, ปีงบฯ 64."""
    short = {2500 + int(m.group(1)) for m in _SHORT_YEAR.finditer(to_arabic_digits(name))}
    return years_in(name) | short


def year_link(document: Document, framework: Framework) -> str | None:
    """On a page that links no item but the years' ITA pages (ITA 2564, ITA ปีงบฯ 2565, an image "ITA 2566"),
    the link to the page of the year checked."""
    count = len(framework.items)
    if any(item_label(text, count) is not None for _href, text in document.links):
        return None
    return next(
        (
            href
            for href, text in document.links
            if len(text) <= MAX_TITLE_TEXT
            and _ITA_WORDS.search(f"{text} {urlsplit(href).path}")
            and framework.fiscal_year in _years_named(text)
        ),
        None,
    )


@dataclass(frozen=True)
class PageSignals:
    """What makes a page the ITA page: it says so (title, headings, address or the link to it), links
    items (by label or title), and names the year being checked rather than another."""

    items: frozenset[int]  # item numbers linked, by label or by title
    ita_words: bool
    year: int  # 2: names the year checked, 1: names no year, 0: names only other years

    @property
    def found(self) -> bool:
        return len(self.items) >= MIN_ITEMS and (self.ita_words or len(self.items) >= 2 * MIN_ITEMS)

    @property
    def rank(self) -> tuple[bool, int, int]:
        """Pages compare by this: an ITA page first, of the year checked first, then the most items."""
        return (self.found, self.year if self.found else 0, len(self.items) + (3 if self.ita_words else 0))


def page_signals(
    document: Document, url: str, via: str, framework: Framework, *, titles: bool | None = None
) -> PageSignals:
    """The signals of one page; ``via`` is the text of the link the crawl followed to it.

    Titles are matched only on pages that name ITA/OIT or label two items, and not yet six (``titles``
    overrides): matching every link of every page against every item would cost the crawl more than all its
    reading. A link labelled with an item ("ITA-O1 โครงสร้าง") leads to that item's page, not the ITA page."""
    via = "" if label_number(via) is not None else via
    name = " ".join((document.title, *document.headings, urlsplit(url).path, via))
    ita_words = bool(_ITA_WORDS.search(name))
    count = len(framework.items)
    numbers = {n for _href, text in document.links if (n := item_label(text, count)) is not None}
    if titles if titles is not None else (ita_words or len(numbers) >= 2) and len(numbers) < 2 * MIN_ITEMS:
        # Each text once (a menu repeats its links); a sentence-long text is a news headline, not a title.
        texts = {text: None for _href, text in document.links if 3 <= len(text) <= MAX_TITLE_TEXT}
        numbers |= {int(code[1:]) for code in propose([("", text) for text in texts], framework.items, labels=False)}
    years = _years_named(name)
    year = 1 if not years else 2 if framework.fiscal_year in years else 0
    return PageSignals(frozenset(numbers), ita_words, year)


@dataclass(frozen=True)
class Crawl:
    """What a crawl found: the ITA page ("" if none) and its document, the proposals from it (or, without
    it, from every page seen), how many pages were read and why the crawl stopped."""

    page: str
    document: Document | None
    proposals: dict[str, Proposal]
    visited: int
    stopped: str  # "done" (every page within the depth), "pages" or "time"
    limits: CrawlLimits

    def not_found(self) -> tuple[str, str]:
        """Why no ITA page was found, in Thai and English; ("", "") when one was."""
        if self.page:
            return "", ""
        pages, seconds = self.limits.pages, f"{self.limits.seconds:g}"
        why_th = {"pages": f" (หยุดเมื่อครบ {pages} หน้า)", "time": f" (หยุดเมื่อครบ {seconds} วินาที)"}
        why_en = {"pages": f" (stopped at {pages} pages)", "time": f" (stopped at {seconds} s)"}
        return (
            f"ไม่พบหน้า ITA/OIT ของเว็บไซต์: ตรวจแล้ว {self.visited} หน้า ลึกไม่เกิน {self.limits.depth} ชั้นจากหน้าแรก"
            f"{why_th.get(self.stopped, '')} ไม่มีหน้าใดที่ชื่อ หัวข้อ ที่อยู่ หรือลิงก์ที่มายังหน้านั้นระบุว่า ITA, OIT"
            f" หรือการเปิดเผยข้อมูลสาธารณะ พร้อมลิงก์ของข้อ OIT อย่างน้อย {MIN_ITEMS} ข้อ"
            " ลิงก์ที่เสนอสำหรับแต่ละข้อจึงมาจากทุกหน้าที่พบและอาจไม่ถูกต้อง ควรระบุหน้า ITA หรือ URL ของแต่ละข้อเอง",
            f"no ITA/OIT page found: {self.visited} pages read, at most {self.limits.depth} links from the home page"
            f"{why_en.get(self.stopped, '')}; no page named ITA, OIT or public disclosure (title, headings, address"
            f" or the link to it) with links to at least {MIN_ITEMS} OIT items. Proposals come from every page seen.",
        )


async def crawl(
    fetcher: Fetcher,
    start: str,
    framework: Framework,
    limits: CrawlLimits | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    reader: Reader | None = None,
) -> Crawl:
    """Breadth-first over the agency's own pages (bounded by depth, pages and time) to find its ITA page.

    Links whose text or address names ITA/OIT are visited first. Pages are read by ``reader``; without
    one, by a pool of worker processes for this crawl (:func:`~prongsai.checker.reading.default_processes`).
    The result does not depend on how pages are read."""
    if reader is None:
        async with Reader(default_processes(crawl=True)) as own:
            return await crawl(fetcher, start, framework, limits, progress, reader=own)
    limits = limits or CrawlLimits()
    deadline = time.monotonic() + limits.seconds
    seen, queue = {urldefrag(start)[0]}, [(start, 0, "")]
    all_links: list[tuple[str, str]] = []
    best: tuple[tuple[bool, int, int], str, Document] | None = None
    visited = 0
    while queue and len(seen) <= limits.pages and time.monotonic() < deadline:
        batch, queue = queue[:16], queue[16:]
        try:
            # The time limit holds for the crawl as a whole, reading included: a batch still being fetched or
            # read when it runs out is dropped (its URLs count as not visited).
            async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                results = await asyncio.gather(*(fetcher.get(url) for url, _, _ in batch))
                # Only pages link onward; reading a PDF here would be wasted work.
                pages = [r.ok and detect_kind(r.content_type, r.final_url, r.body) is Kind.HTML for r in results]
                readings = iter(
                    await asyncio.gather(
                        *(
                            reader.read(r.body, r.content_type, r.final_url)
                            for r, page in zip(results, pages, strict=True)
                            if page
                        )
                    )
                )
        except TimeoutError:
            queue[:0] = batch
            break
        for (url, depth, via), result, page in zip(batch, results, pages, strict=True):
            visited += 1
            if progress:
                progress(url)
            if not page:
                continue
            document = next(readings).document
            all_links.extend(document.links)
            rank = page_signals(document, result.final_url, via, framework).rank
            if best is None or rank > best[0]:
                best = (rank, result.final_url, document)
            for href, text in document.links:
                link = urldefrag(href)[0]
                if depth < limits.depth and link not in seen and _same_site(link, start) and link.startswith("http"):
                    seen.add(link)
                    if _ITA_WORDS.search(f"{text} {urlsplit(link).path}"):
                        queue.insert(0, (link, depth + 1, text))  # likely the ITA page: visit it early
                    else:
                        queue.append((link, depth + 1, text))
    stopped = "done" if not queue else "time" if time.monotonic() >= deadline else "pages"
    if best is not None and best[0][0]:
        _rank, page_url, document = best
        return Crawl(page_url, document, propose(document.links, framework.items), visited, stopped, limits)
    return Crawl("", None, propose(all_links, framework.items), visited, stopped, limits)
