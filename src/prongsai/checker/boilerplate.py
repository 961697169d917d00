"""A site's menus told from a page's content by repetition: lines seen on many of the site's pages are the site's.

Extraction drops what a page marks as navigation (nav, header, footer, sidebars). Many Thai CMS templates mark
nothing: their menus are tables and divs like the content. But a menu is on every page of the site, and a
page's content is on that page only. So after the pages of one check are read, a line found on at least
MIN_PAGES pages of a host, and on at least SHARE of the host's pages that were read, is the site's and not
the page's: it is left out of the text the page is judged by (menu "คณะผู้บริหาร" then no longer makes every
page look like item O2's).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from prongsai.checker.extraction import Document, Kind

__all__ = ["MIN_PAGES", "SHARE", "SiteText"]

MIN_PAGES = 3  # fewer pages of a site cannot tell a menu from two pages that share a sentence
SHARE = 0.5
MAX_LINE = 200  # characters: longer lines are paragraphs, which a menu is not


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _lines(document: Document) -> frozenset[str]:
    return frozenset(line for line in document.text.split("\n") if 1 < len(line) <= MAX_LINE)


@dataclass
class SiteText:
    """The lines that repeat across the HTML pages read for each host, and the text of a page without them."""

    repeated: dict[str, frozenset[str]] = field(default_factory=dict)  # host → lines of the site, not of a page

    @classmethod
    def of(cls, pages: Iterable[tuple[str, Document]]) -> SiteText:
        """From (final URL, document) pairs: each distinct HTML page counts once."""
        seen: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
        for url, document in pages:
            if document.kind is Kind.HTML and document.text:
                seen[_host(url)].setdefault(url.split("#", 1)[0], _lines(document))
        repeated = {}
        for host, by_page in seen.items():
            if len(by_page) < MIN_PAGES:
                continue
            counts = Counter(line for lines in by_page.values() for line in lines)
            least = max(MIN_PAGES, SHARE * len(by_page))
            repeated[host] = frozenset(line for line, count in counts.items() if count >= least)
        return cls(repeated)

    def content(self, url: str, document: Document) -> Document:
        """``document`` with the lines its site repeats on its other pages left out (HTML pages only)."""
        site = self.repeated.get(_host(url))
        if not site or document.kind is not Kind.HTML:
            return document
        kept = [line for line in document.text.split("\n") if line not in site]
        text = "\n".join(kept)
        return document if len(text) == len(document.text) else replace(document, text=text)
