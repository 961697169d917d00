"""Find an agency's ITA/OIT page and propose a URL for each item, with a confidence.

Agencies label item links in many ways: "O1", "o1", "OIT 1", "ITA-O1", "O๑", "๐๑ โครงสร้าง" or only
the item's title. A label names the item outright; a title match is weaker evidence.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

from prongsai.checker.extraction import Kind, detect_kind
from prongsai.checker.fetch import Fetcher
from prongsai.checker.matching import match_item
from prongsai.checker.reading import Reader, default_processes
from prongsai.thai import to_arabic_digits

if TYPE_CHECKING:
    from prongsai.framework import Framework, Item

__all__ = ["CrawlLimits", "Proposal", "crawl", "item_label", "propose"]

_LABEL = re.compile(r"^\s*(?:ita\s*[-–:]?\s*)?(?:oit\s*[-–:]?\s*|o\s*[-–.:]?\s*)?(\d{1,2})(?=\D|$)", re.IGNORECASE)
_O_LABEL = re.compile(r"\b(?:ita\s*[-–]?\s*)?(?:oit\s*|o)\s*[-–.:]?\s*(\d{1,2})(?!\d)", re.IGNORECASE)
ITA_WORDS = ("ita", "oit", "คุณธรรมและความโปร่งใส", "เปิดเผยข้อมูลสาธารณะ")


@dataclass(frozen=True)
class Proposal:
    code: str
    url: str
    confidence: float  # 0–1
    label: str  # the link text it came from


def item_label(text: str, item_count: int) -> int | None:
    """The item number a link text names ("O1", "ITA-O1", "OIT 1", "O๑", "๐๑ โครงสร้าง"), if any."""
    plain = to_arabic_digits(text).strip()
    match = _O_LABEL.search(plain) or _LABEL.match(plain)
    if match is None:
        return None
    number = int(match.group(1))
    return number if 1 <= number <= item_count else None


def propose(links: Sequence[tuple[str, str]], items: Sequence[Item]) -> dict[str, Proposal]:
    """The best link for each item: a label is 0.9 (0.97 with the title too), a title alone up to 0.7."""
    best: dict[str, Proposal] = {}
    by_number = {item.number: item for item in items}
    for href, text in links:
        number = item_label(text, len(items))
        candidates = []
        if number is not None and number in by_number:
            item = by_number[number]
            title = match_item(text, item).title_found
            candidates.append(Proposal(item.code, href, 0.97 if title else 0.9, text))
        else:
            for item in items:
                match = match_item(text, item)
                if match.title_found or match.score >= 0.75:
                    candidates.append(Proposal(item.code, href, 0.5 + 0.2 * match.score, text))
        for candidate in candidates:
            if candidate.confidence > best.get(candidate.code, Proposal("", "", 0, "")).confidence:
                best[candidate.code] = candidate
    return best


@dataclass(frozen=True)
class CrawlLimits:
    depth: int = 3
    pages: int = 300
    seconds: float = 120.0


def _same_site(url: str, root: str) -> bool:
    return (urlsplit(url).hostname or "").removeprefix("www.") == (urlsplit(root).hostname or "").removeprefix("www.")


def _ita_score(links: Sequence[tuple[str, str]], item_count: int) -> int:
    """How much a page looks like the ITA/OIT index: the number of distinct item labels it links."""
    return len({n for _href, text in links if (n := item_label(text, item_count)) is not None})


async def crawl(
    fetcher: Fetcher,
    start: str,
    framework: Framework,
    limits: CrawlLimits | None = None,
    progress: Callable[[str], None] | None = None,
    *,
    reader: Reader | None = None,
) -> tuple[str, dict[str, Proposal]]:
    """Breadth-first over the agency's own pages (bounded by depth, pages and time) to find its ITA page.

    Pages are read by ``reader``; without one, by a pool of worker processes for this crawl
    (:func:`~prongsai.checker.reading.default_processes`). The result does not depend on how pages are read.
    Returns the ITA page found ("" if none) and the proposals from it (or from every page seen)."""
    if reader is None:
        async with Reader(default_processes(crawl=True)) as own:
            return await crawl(fetcher, start, framework, limits, progress, reader=own)
    limits = limits or CrawlLimits()
    deadline = time.monotonic() + limits.seconds
    seen, queue = {urldefrag(start)[0]}, [(start, 0)]
    all_links: list[tuple[str, str]] = []
    best_page, best_score, best_links = "", 0, []
    while queue and len(seen) <= limits.pages and time.monotonic() < deadline:
        batch, queue = queue[:16], queue[16:]
        results = await asyncio.gather(*(fetcher.get(url) for url, _ in batch))
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
        for (url, depth), result, page in zip(batch, results, pages, strict=True):
            if progress:
                progress(url)
            if not page:
                continue
            document = next(readings).document
            all_links.extend(document.links)
            score = _ita_score(document.links, len(framework.items))
            words = f"{document.title} {url}".lower()
            score += 3 if any(w in words for w in ITA_WORDS) else 0
            if score > best_score:
                best_page, best_score, best_links = result.final_url, score, list(document.links)
            for href, text in document.links:
                link = urldefrag(href)[0]
                if depth < limits.depth and link not in seen and _same_site(link, start) and link.startswith("http"):
                    seen.add(link)
                    if any(w in f"{text} {link}".lower() for w in ITA_WORDS):
                        queue.insert(0, (link, depth + 1))  # likely the ITA page: visit it early
                    else:
                        queue.append((link, depth + 1))
    links = best_links if best_score >= 5 else all_links
    return (best_page if best_score >= 5 else ""), propose(links, framework.items)
