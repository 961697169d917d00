"""What a reviewer will find behind an OIT link: the text of a page or file.

``extract`` turns fetched bytes into a :class:`Document` (HTML through selectolax, PDF through PDFium,
DOCX through python-docx, XLSX through openpyxl) and never raises: a file it cannot read is marked
``unreadable``. Matching the text to items is prongsai.checker.matching's; its years, prongsai.checker.years'.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import dataclasses
import functools
import io
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from prongsai.checker import ocr
from prongsai.checker.caps import MAX_SHEET_CELLS, TooCostly, check_html, check_pdf, check_xlsx
from prongsai.checker.thaitext import (
    MAX_TEXT_CHARS,
    QUALITY_SAMPLE,
    TextQuality,
    normalise,
    quality,
    repair,
    squeeze,
    tidy,
    usable,
)

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["Document", "Kind", "detect_kind", "extract"]

MAX_PDF_PAGES = 30
MAX_SHEETS = 5
MAX_SHEET_ROWS = 20_000
MAX_LINKS = 5_000
MAX_HEADINGS = 20
MAX_UNZIPPED = 200_000_000  # a DOCX/XLSX declaring more than this is a zip bomb, not an agency document
LITTLE_TEXT = 200  # characters of visible text below which a page "shows nothing" by itself
LOGIN_PAGE_TEXT = 500  # with a password field, the text outside forms/menus of a page that is only a login


class Kind(StrEnum):
    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    XLSX = "xlsx"
    IMAGE = "image"
    OTHER = "other"


@dataclass(frozen=True)
class Document:
    """The readable content of one fetched URL.

    ``text`` is NFC with zero-width characters removed, common Thai PDF artefacts repaired (ํ + า → ำ,
    เ + เ → แ) and whitespace tidied line by line; digits and case are kept as published, for showing
    excerpts. The matching functions normalise it themselves.
    """

    kind: Kind
    text: str
    title: str
    links: tuple[tuple[str, str], ...]  # (absolute href, link text): HTML only
    needs_javascript: bool
    needs_login: bool
    unreadable: bool
    pages: int | None = None
    headings: tuple[str, ...] = ()  # h1–h3 of an HTML page, first ones first: what the page says it is
    # Why the text cannot be judged although a person can read the document (a TextQuality value, or
    # "image_only" for a page that is pictures): OCR reads exactly these documents. Empty when usable.
    unusable_reason: str = ""
    # Why reading stopped before the parser ran or finished (a cap of prongsai.checker.caps, or the reading
    # worker's memory, CPU or time bound): Thai and English. Empty when reading was not stopped.
    stopped_th: str = ""
    text_source: str = "text"  # "ocr" where the text was read from pictures of the pages (prongsai.checker.ocr)
    ocr_confidence: float | None = None  # Tesseract's mean word confidence, 0–100, for OCR text
    stopped_en: str = ""


# --- kinds -------------------------------------------------------------------------------------------

_CONTENT_TYPES = {
    "text/html": Kind.HTML,
    "application/xhtml+xml": Kind.HTML,
    "application/pdf": Kind.PDF,
    "application/x-pdf": Kind.PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": Kind.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": Kind.XLSX,
}
# Types that say nothing about the bytes: download scripts of Thai CMSs send these for every file.
_GENERIC_TYPES = {
    "",
    "application/octet-stream",
    "binary/octet-stream",
    "application/download",
    "application/force-download",
    "application/x-download",
    "application/unknown",
    "application/zip",
    "application/x-zip-compressed",
    "text/plain",
}
_EXTENSIONS = {
    ".pdf": Kind.PDF,
    ".docx": Kind.DOCX,
    ".xlsx": Kind.XLSX,
    **dict.fromkeys((".html", ".htm", ".shtml", ".xhtml", ".php", ".asp", ".aspx", ".jsp"), Kind.HTML),
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg"), Kind.IMAGE),
}
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _sniff(body: bytes) -> Kind | None:
    """The kind the bytes themselves prove, whatever the server said."""
    if b"%PDF-" in body[:1024]:  # the PDF standard lets junk precede the header
        return Kind.PDF
    if body.startswith(_IMAGE_MAGIC) or (body[:4] == b"RIFF" and body[8:12] == b"WEBP"):
        return Kind.IMAGE
    if body.startswith(b"PK\x03\x04"):
        head = body[:65536]
        try:
            if _zip_entries(body) > MAX_SNIFFED_ENTRIES:
                # Sniffing runs in the process that fetched, not in a bounded reading worker: a directory of
                # 300,000 entries would cost it 2 s and 150 MB. No Office file has that many parts.
                raise zipfile.BadZipFile("too many entries to list here")
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            # A truncated download has no central directory, but local headers still name the parts.
            return Kind.DOCX if b"word/" in head else Kind.XLSX if b"xl/" in head else None
        if any(name.startswith("word/") for name in names):
            return Kind.DOCX
        if any(name.startswith("xl/") for name in names):
            return Kind.XLSX
    return None


MAX_SNIFFED_ENTRIES = 10_000


def _zip_entries(body: bytes) -> int:
    """The entry count a zip's end-of-central-directory record states (65,535 for a ZIP64 one; 0 if none)."""
    end = body.rfind(b"PK\x05\x06", max(0, len(body) - 65_557))
    return int.from_bytes(body[end + 10 : end + 12], "little") if end >= 0 else 0


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or any(tag in head for tag in (b"<head", b"<body"))


def detect_kind(content_type: str, url: str, body: bytes) -> Kind:
    """The kind of a fetched body: definitive magic bytes, then the content type, then the URL's extension.

    Magic bytes come first because Thai agency sites often serve files through download scripts with a
    wrong type (a PDF as text/html); an HTML error page served as application/pdf is HTML.
    """
    sniffed = _sniff(body)
    if sniffed is not None:
        return sniffed
    media = _media_type(content_type)
    declared = _CONTENT_TYPES.get(media) or (Kind.IMAGE if media.startswith("image/") else None)
    if declared is not None:
        return Kind.HTML if declared is not Kind.HTML and _looks_like_html(body) else declared
    if _looks_like_html(body):
        return Kind.HTML
    if media not in _GENERIC_TYPES:
        return Kind.OTHER
    path = urlsplit(url).path.lower()
    for extension, kind in _EXTENSIONS.items():
        if path.endswith(extension):
            return kind
    return Kind.OTHER


# --- extraction ------------------------------------------------------------------------------------


def _document(kind: Kind, text: str = "", title: str = "", *, tidied: bool = False, **flags: Any) -> Document:
    text = text if tidied else tidy(text)
    reason = flags.pop("unusable_reason", "")
    if text and not reason and kind is not Kind.HTML:
        # A text layer that is font codes or a scanner's OCR noise is no text: the file is unreadable for us.
        found = quality(text)
        reason = "" if found is TextQuality.GOOD else found.value
    if reason:
        flags["unreadable"] = True
    return Document(
        kind=kind,
        text=text,
        title=squeeze(repair(title)),
        links=flags.pop("links", ()),
        needs_javascript=flags.pop("needs_javascript", False),
        needs_login=flags.pop("needs_login", False),
        unreadable=flags.pop("unreadable", not text),
        pages=flags.pop("pages", None),
        headings=flags.pop("headings", ()),
        unusable_reason=reason,
        stopped_th=flags.pop("stopped_th", ""),
        text_source=flags.pop("text_source", "text"),
        ocr_confidence=flags.pop("ocr_confidence", None),
        stopped_en=flags.pop("stopped_en", ""),
    )


def extract(body: bytes, content_type: str, url: str) -> Document:
    """The readable content of a fetched body. Never raises: what cannot be read is ``unreadable``."""
    kind = detect_kind(content_type, url, body)
    if not body:
        return _document(kind, unreadable=True)
    try:
        if kind is Kind.HTML:
            return _extract_html(body, content_type, url)
        if kind is Kind.PDF:
            return _extract_pdf(body)
        if kind is Kind.DOCX:
            return _extract_docx(body)
        if kind is Kind.XLSX:
            return _extract_xlsx(body)
        if kind is Kind.OTHER and _media_type(content_type).startswith("text/"):
            return _document(kind, _decode(body, content_type))
    except TooCostly as exc:  # refused before a parser spent what the file asks for
        return _document(kind, unreadable=True, stopped_th=exc.reason_th, stopped_en=exc.reason_en)
    except Exception:  # any parser failure on hostile or broken bytes means "cannot read"
        return _document(kind, unreadable=True)
    if kind is Kind.IMAGE:  # a picture of a document: read it as a person would, when Tesseract is here
        return _ocr_document(kind, ocr.read_image(body)) or _document(kind, unreadable=True)
    return _document(kind, unreadable=True)


# Below this mean word confidence OCR text is mostly wrong characters (measured on the real scans in
# ../shared/real-docs: typed pages read at 85–92, stamps and handwriting below 50).
MIN_OCR_CONFIDENCE = 60.0


def _ocr_document(kind: Kind, read: ocr.Ocr | None, title: str = "", pages: int | None = None) -> Document | None:
    """A Document of OCR text, or None when OCR could not run or read too little, too unsurely."""
    if read is None or read.confidence < MIN_OCR_CONFIDENCE or not usable(read.text):
        return None
    document = _document(kind, read.text, title, pages=pages, text_source="ocr", ocr_confidence=read.confidence)
    return document if not document.unreadable else None


# HTML ----------------------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)""", re.IGNORECASE)
_THAI_LABELS = {"tis-620", "tis620", "tis_620", "iso-8859-11", "iso8859-11", "windows-874", "x-windows-874", "cp874"}
# Server defaults that rarely describe a Thai page: an agency page labelled so is TIS-620 more often
# than Latin-1, so these labels are ignored in favour of UTF-8, then cp874.
_WEAK_LABELS = {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def _codec(label: str) -> str | None:
    label = label.strip().strip("\"'").lower()
    if label in _THAI_LABELS:
        return "cp874"  # Windows-874 is a superset of TIS-620 (it adds quotes and the euro sign)
    if not label or label in _WEAK_LABELS:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decode(body: bytes, content_type: str) -> str:
    """Bytes to text: BOM, then UTF-8 if it decodes cleanly, then the declared charsets, then cp874.

    Valid multi-byte UTF-8 practically never arises by chance from TIS-620 bytes, so trying UTF-8
    strictly before the declaration protects against the many Thai sites whose header or meta lies.
    """
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    declared = []
    header = re.search(r"charset\s*=\s*([^;\s]+)", content_type, re.IGNORECASE)
    if header:
        declared.append(_codec(header.group(1)))
    meta = _CHARSET.search(body[:4096])
    if meta:
        declared.append(_codec(meta.group(1).decode("ascii", "replace")))
    candidates = ["utf-8", *(c for c in declared if c), "cp874"]
    for codec in candidates:
        try:
            return body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode(next((c for c in declared if c), "cp874"), errors="replace")


_BLOCKS = (
    "address, article, aside, blockquote, br, caption, dd, div, dl, dt, figcaption, footer, form, h1, h2, h3, "
    "h4, h5, h6, header, hr, li, main, nav, ol, option, p, pre, section, table, tbody, td, tfoot, th, thead, "
    "tr, ul"
)
_APP_ROOTS = "#root, #app, #__next, #__nuxt, #___gatsby, app-root, [ng-app], [ng-version], [data-reactroot]"
_JAVASCRIPT = re.compile(r"javascript|จาวาสคริปต์|จาวาสคริปท์|จาว่าสคริปต์", re.IGNORECASE)
_LOGIN = re.compile(r"เข้าสู่ระบบ|ลงชื่อเข้าใช้|ล็อกอิน|ล๊อกอิน|log\s?in|sign\s?in", re.IGNORECASE)
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)


def _node_text(node: LexborNode) -> str:
    text = node.text(separator=" ")
    return _link_text(text) if len(text) <= 200 else squeeze(repair(text))


@functools.lru_cache(maxsize=4096)
def _link_text(text: str) -> str:
    """A short link text, tidied: the menu of a site repeats on each of its pages, and is tidied once."""
    return squeeze(repair(text))


# An href that urljoin would only append to the page's origin (/path) or folder (path): no scheme, no
# empty query, fragment or ;params that urljoin drops, no control characters or spaces that urlsplit removes.
_PLAIN_HREF = re.compile(r"([^\s\x00-\x1f\x7f:?#;]+)(?:\?[^\s\x00-\x1f\x7f:#;]+)?(?:#[^\s\x00-\x1f\x7f:]+)?")


def _joiner(base: str) -> Callable[[str], str]:
    """``urljoin(base, href)``, with a fast path for the plain /path and relative hrefs most links are.

    urljoin parses both URLs and rebuilds the result for every link (about 50 a page); for a plain path
    without dot segments or doubled slashes the result is the base's origin (or folder) plus the href.
    """
    origin = folder = ""
    with contextlib.suppress(ValueError):
        parts = urlsplit(base)
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if parts.path.startswith("/") and "//" not in parts.path and "/." not in parts.path:
                folder = origin + parts.path[: parts.path.rfind("/") + 1]

    def join(href: str) -> str:
        plain = _PLAIN_HREF.fullmatch(href) if origin else None
        if plain is not None:
            path = plain.group(1)
            if "//" not in path and "/." not in path:
                if path[0] == "/":
                    return origin + href
                if folder and path[0] != ".":
                    return folder + href
        return urljoin(base, href)

    return join


def _links(tree: LexborHTMLParser, url: str) -> tuple[tuple[str, str], ...]:
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None:
        with contextlib.suppress(ValueError):
            base = urljoin(url, (base_node.attributes.get("href") or "").strip())
    join = _joiner(base)
    found: dict[tuple[str, str], None] = {}

    def add(href: str | None, text: str) -> None:
        href = (href or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(("javascript:", "data:")):
            return
        with contextlib.suppress(ValueError):
            found.setdefault((join(href), text), None)

    for node in tree.css("a[href], area[href]"):
        text = _node_text(node)
        if not text:  # image buttons are how many Thai sites link their ITA pages
            image = node.css_first("img[alt], img[title]")
            attrs = image.attributes if image is not None else {}
            text = (attrs.get("alt") or attrs.get("title") or node.attributes.get("title") or "").strip()
            text = text or (node.attributes.get("aria-label") or "").strip()
        add(node.attributes.get("href"), text)
    # Embedded documents (a PDF in an iframe, a framed site) are what a reviewer sees on the page.
    for selector, attribute in (
        ("iframe[src]", "src"),
        ("frame[src]", "src"),
        ("embed[src]", "src"),
        ("object[data]", "data"),
    ):
        for node in tree.css(selector):
            add(node.attributes.get(attribute), (node.attributes.get("title") or "").strip())
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").lower() == "refresh":
            target = _REFRESH.search(node.attributes.get("content") or "")
            if target:
                add(target.group(1), "")
        if len(found) >= MAX_LINKS:
            break
    return tuple(list(found)[:MAX_LINKS])


def _body_text(tree: LexborHTMLParser) -> str:
    root = tree.body or tree.root
    return root.text(separator="") if root is not None else ""


# The parts of a page around its content: menus, banners, footers and sidebars. Their words are the site's,
# not the page's (a menu "คณะผู้บริหาร" on every page is no page about the executives). HTML5 elements and
# ARIA roles say so outright; class and id tokens are what Thai CMS templates (Joomla, WordPress, vendors'
# own) use instead, matched as whole tokens so that "menu" does not catch "menu-open" wrappers.
_CHROME_TAGS = (
    "nav, aside, [role=navigation], [role=banner], [role=contentinfo], [role=complementary], [role=menu], "
    "[role=menubar], [role=search]"
)
_CHROME_TOKENS = (
    "nav",
    "navbar",
    "navigation",
    "menu",
    "mainmenu",
    "main-menu",
    "topmenu",
    "top-menu",
    "menubar",
    "sidebar",
    "side-bar",
    "sidenav",
    "breadcrumb",
    "breadcrumbs",
    "footer",
    "site-footer",
    "site-header",
    "widget-area",
)
_CHROME_CLASSES = ", ".join(f'[class~="{token}"], [id="{token}"]' for token in _CHROME_TOKENS)
_CONTENT_ROOTS = "main, [role=main], #page-container"
WRAPPER_SHARE = 0.8  # a "menu" element holding this share of the page's text is the page's wrapper, not a menu


def _inside(node: LexborNode, selector_tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in selector_tags:
            return True
        parent = parent.parent
    return False


def _content_text(tree: LexborHTMLParser, raw: str) -> str:
    """The text of the page's content, without its menus, banners, footers and sidebars (decomposed from
    ``tree``). A page with a <main> (or a pdf2htmlEX document) has its content there."""
    root = tree.css_first(_CONTENT_ROOTS)
    if root is not None and root.text(separator="").strip():
        for node in root.css(f"{_CHROME_TAGS}, #sidebar"):
            node.decompose()
        return root.text(separator="")
    for node in tree.css(_CHROME_TAGS):
        node.decompose()
    # <header> and <footer> of the page, not those of an article (which hold its title and date).
    for node in tree.css("header, footer"):
        if not _inside(node, ("article", "main")):
            node.decompose()
    total = len(raw)
    for node in tree.css(_CHROME_CLASSES):
        if len(node.text(separator="")) < WRAPPER_SHARE * total:
            node.decompose()
    return _body_text(tree)


def _pdf2htmlex(tree: LexborHTMLParser) -> bool:
    """A PDF converted to HTML by pdf2htmlEX: its pages are absolutely placed text over a background image."""
    generator = tree.css_first('meta[name="generator"]')
    if generator is not None and "pdf2htmlex" in (generator.attributes.get("content") or "").lower():
        return True
    return tree.css_first("#page-container .pf") is not None


_PUA = re.compile("[\ue000-\uf8ff]")


def _html_unusable(text: str, converted: bool, images: bool) -> str:
    """Why an HTML page's text cannot be judged: a pdf2htmlEX page whose text is font glyph numbers, or
    which is only pictures of its pages; a page whose text is mostly Private-Use-Area glyphs."""
    if converted or _PUA.search(text, 0, QUALITY_SAMPLE) is not None:
        found = quality(text)
        if found not in (TextQuality.GOOD, TextQuality.EMPTY):
            return found.value
    if converted and images and len(text) < LITTLE_TEXT:
        return "image_only"
    return ""


_PICTURE = re.compile(r"data:image/(?:png|jpe?g|gif|webp);base64,(.+)", re.DOTALL)


def _page_pictures(tree: LexborHTMLParser) -> Iterator[bytes]:
    """The pictures embedded in a pdf2htmlEX page (data: URLs, each page's background first), decoded."""
    for node in tree.css("img[src]"):
        found = _PICTURE.match(node.attributes.get("src") or "")
        if found is not None:
            with contextlib.suppress(ValueError):
                yield base64.b64decode(found.group(1), validate=False)


def _extract_html(body: bytes, content_type: str, url: str) -> Document:
    from selectolax.lexbor import LexborHTMLParser

    decoded = _decode(body, content_type)
    check_html(decoded)  # lexbor's cost grows with the square of the nesting: count it first
    tree = LexborHTMLParser(decoded)
    title_node = tree.css_first("title")
    title = title_node.text() if title_node is not None else ""
    if not title.strip():
        og = tree.css_first('meta[property="og:title"]')
        title = (og.attributes.get("content") or "") if og is not None else ""
    links = _links(tree, url)
    headings = tuple(h for node in tree.css("h1, h2, h3")[:MAX_HEADINGS] if (h := _node_text(node)))
    noscript = " ".join(node.text() for node in tree.css("noscript"))
    has_scripts = tree.css_first("script") is not None
    app_root = tree.css_first(_APP_ROOTS) is not None
    has_frames = tree.css_first("iframe, frame, embed, object") is not None
    password = any((n.attributes.get("type") or "").lower() == "password" for n in tree.css("input[type]"))

    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    # Without separators, block elements run together (…</td><td>… would join two Thai words into one).
    for node in tree.css(_BLOCKS):
        node.insert_before("\n")
        node.insert_after("\n")
    raw = _body_text(tree)
    converted = _pdf2htmlex(tree)
    images = tree.css_first("img") is not None
    text = tidy(raw)
    # len(normalise(raw)) without normalising the page again: the tidied text has the same words, as many
    # separators (a line break for a space) and Thai digits in place of Arabic ones. Only case folding can
    # change the length, never shortening it, so a long text is long enough as it is.
    visible = len(text) if len(text) >= LITTLE_TEXT else len(text.casefold())

    needs_javascript = visible < LITTLE_TEXT and (
        app_root
        or bool(_JAVASCRIPT.search(noscript))
        or (has_scripts and visible < 50 and not links and not has_frames)
    )
    inner = _content_text(tree, raw)
    content = text if inner == raw else tidy(inner)  # a page without menus is tidied once
    if password:
        # A sidebar login box sits on many content pages of Thai CMSs; only a page that is little more
        # than its login form is "behind a login".
        for node in tree.css("form, nav, header, footer, aside"):
            node.decompose()
        needs_login = len(normalise(_body_text(tree))) < LOGIN_PAGE_TEXT
    else:
        needs_login = visible < LITTLE_TEXT and bool(_LOGIN.search(f"{title} {raw}"))
    # A PDF shown as HTML is a document, not an application: its scripts only zoom and turn pages.
    unusable = _html_unusable(content, converted, images)
    if unusable and converted and ocr.available():  # its pages as pictures: read them as a reviewer does
        read = _ocr_document(Kind.HTML, ocr.read_images(_page_pictures(tree)), title)
        if read is not None:
            return dataclasses.replace(read, links=links, headings=headings)
    return _document(
        Kind.HTML,
        content,
        title,
        links=links,
        headings=headings,
        needs_javascript=needs_javascript and not converted,
        needs_login=needs_login,
        unreadable=bool(unusable),  # an HTML page is readable unless its text is glyph codes or pictures
        unusable_reason=unusable,
        tidied=True,
    )


# Files ---------------------------------------------------------------------------------------------


def _capped(parts: Iterable[str]) -> str:
    """Join text parts until MAX_TEXT_CHARS, so a huge file stops being read early."""
    kept: list[str] = []
    size = 0
    for part in parts:
        kept.append(part)
        size += len(part) + 1
        if size >= MAX_TEXT_CHARS:
            break
    return "\n".join(kept)


# PDF -----------------------------------------------------------------------------------------------
# PDFium reads what a reviewer's PDF viewer shows. That includes the marked-content ActualText spans that
# LibreOffice and Word write for Thai clusters drawn with shaped glyph variants (a tone mark moved left over
# ป, ำ as two glyphs), whose ToUnicode entries alone would give ทูอง for ท้อง. PDFium is not thread-safe:
# one lock serialises every use of it in a process (web jobs run checks in threads).

_PDFIUM = threading.Lock()


def _pdf_text(document: Any) -> tuple[str, int, str]:
    """(text of the first MAX_PDF_PAGES pages, page count, metadata title) of an open PdfDocument."""
    pages = len(document)

    texts: list[str] = []
    for number in range(min(pages, MAX_PDF_PAGES)):
        try:
            page = document[number]
        except Exception:  # one broken page must not hide the others
            continue
        try:
            textpage = page.get_textpage()
            try:
                texts.append(textpage.get_text_range())
            finally:
                textpage.close()
        except Exception:
            continue
        finally:
            page.close()
    text = _capped(texts)
    title = ""
    with contextlib.suppress(Exception):
        title = str(document.get_metadata_value("Title") or "")
    return text, pages, title


def _extract_pdf(body: bytes) -> Document:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    check_pdf(body)  # PDFium inflates a whole stream into memory before reading it
    with _PDFIUM:
        try:
            # Many agency PDFs are "encrypted" only against editing: PDFium opens them with the empty user
            # password. A real password (or a file that is not a PDF) fails here: the file is unreadable.
            document = pdfium.PdfDocument(body)
        except pdfium.PdfiumError:
            return _document(Kind.PDF, unreadable=True)
        try:
            text, pages, title = _pdf_text(document)
            found = _document(Kind.PDF, text, title, pages=pages)
            # No text on any page (a scan, pictures of text) or a text layer that is no text: read the pages'
            # pictures as a reviewer reads them, else the file stays unreadable for us.
            if found.unreadable and ocr.available():
                found = _ocr_document(Kind.PDF, ocr.read_pdf(document), found.title, pages) or found
        finally:
            document.close()
    return found


def _check_zip(body: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
            raise ValueError("the archive unpacks to more than MAX_UNZIPPED bytes")


def _extract_docx(body: bytes) -> Document:
    import docx
    from docx.oxml.ns import qn

    _check_zip(body)
    document = docx.Document(io.BytesIO(body))
    paragraph, text_run, tab = qn("w:p"), qn("w:t"), qn("w:tab")

    def paragraphs() -> Iterator[str]:
        for section in document.sections:
            yield from (p.text for p in section.header.paragraphs)
        # Every w:p in the body, in order: plain paragraphs, table cells and text boxes (which Thai
        # documents use for headings and which Document.paragraphs leaves out).
        for node in document.element.body.iter(paragraph):
            yield "".join((child.text or "") if child.tag == text_run else " " for child in node.iter(text_run, tab))

    return _document(Kind.DOCX, _capped(paragraphs()), document.core_properties.title or "")


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _extract_xlsx(body: bytes) -> Document:
    import openpyxl

    _check_zip(body)
    check_xlsx(body)  # openpyxl builds a whole row, and loads every shared string, before handing them over
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:

        def rows() -> Iterator[str]:
            for sheet in workbook.worksheets[:MAX_SHEETS]:
                yield sheet.title
                cells_read = 0
                for number, row in enumerate(sheet.iter_rows(values_only=True)):
                    # Cells, not only rows: openpyxl pads each row to the sheet's declared width with blanks.
                    cells_read += len(row)
                    if number >= MAX_SHEET_ROWS or cells_read > MAX_SHEET_CELLS:
                        break
                    cells = [_cell_text(value) for value in row if value is not None and str(value).strip()]
                    if cells:
                        yield " ".join(cells)

        text = _capped(rows())
        title = workbook.properties.title or ""
    finally:
        workbook.close()
    return _document(Kind.XLSX, text, title)
