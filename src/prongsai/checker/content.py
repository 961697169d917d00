"""What a reviewer will find behind an OIT link: the text of a page or file, and whether it is the item.

``extract`` turns fetched bytes into a :class:`Document` (HTML through selectolax, PDF through PDFium,
DOCX through python-docx, XLSX through openpyxl) and never raises: a file it cannot read is marked
``unreadable``. The matching functions then say which item a text is about (``match_item``,
``best_item``) and which fiscal years it covers (``years_in``, ``covers``).

Thai has no spaces between words, so "the page contains the term แผน" cannot be a substring test:
แผนที่ (map) and แผนผัง (chart) contain แผน but are not plans, ข้อมูลข่าวสาร (official information) is not
ข่าว (news). A term matches only where it starts and ends on PyThaiNLP newmm word boundaries. The
dictionary is PyThaiNLP's with the frameworks' key terms added and the compounds that would swallow a
key term into a longer grammatical word removed (แผนการ, ให้บริการ, การป้องกัน, รายงานประจำปี …), so
แผนการจัดซื้อจัดจ้าง still shows แผน and จัดซื้อจัดจ้าง.
"""

from __future__ import annotations

import bisect
import codecs
import contextlib
import functools
import io
import re
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    from pythainlp.util import Trie
    from selectolax.lexbor import LexborHTMLParser, LexborNode

    from prongsai.framework import Item

__all__ = [
    "Document",
    "Kind",
    "Match",
    "best_item",
    "covers",
    "detect_kind",
    "extract",
    "match_item",
    "normalise",
    "tokens",
    "years_in",
]

MAX_TEXT_CHARS = 2_000_000  # ~2 MB: more text than any OIT document needs, and tokenising stays bounded
MAX_PDF_PAGES = 30
MAX_SHEETS = 5
MAX_SHEET_ROWS = 20_000
MAX_LINKS = 5_000
MAX_UNZIPPED = 200_000_000  # a DOCX/XLSX declaring more than this is a zip bomb, not an agency document
LITTLE_TEXT = 200  # characters of visible text below which a page "shows nothing" by itself
LOGIN_PAGE_TEXT = 500  # with a password field, the text outside forms/menus of a page that is only a login
TITLE_WEIGHT = 0.2  # a found title adds this much; key terms share the rest
_WINDOW = 60  # characters of context tokenised around a candidate match (newmm decisions are local)
_MAX_TRIES = 200  # candidate occurrences examined per term before giving up (a term that only hides in words)


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


@dataclass(frozen=True)
class Match:
    score: float  # 0–1: key terms weigh 1 - TITLE_WEIGHT by their share found, the item's title TITLE_WEIGHT
    found: tuple[str, ...]
    missing: tuple[str, ...]
    title_found: bool


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
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            # A truncated download has no central directory, but local headers still name the parts.
            head = body[:65536]
            return Kind.DOCX if b"word/" in head else Kind.XLSX if b"xl/" in head else None
        if any(name.startswith("word/") for name in names):
            return Kind.DOCX
        if any(name.startswith("xl/") for name in names):
            return Kind.XLSX
    return None


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


# --- text tidying and normalising ------------------------------------------------------------------

# Text is repaired and normalised several times per page, so these are written for speed: a regex pass
# instead of str.translate (which walks Thai text at ~55 ns a character), ``in`` checks before a pass that
# usually finds nothing, and str.split() for whitespace (3–4× faster than re.sub(r"\s+", " ", …)).
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
_THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
# Thai fonts without proper mapping make PDFs (and text copied from them) spell ำ as ํ + า, sometimes
# with the tone mark in between, and people type แ as เ + เ; both hide words from the matcher.
_SARA_AM = re.compile("\u0e4d([\u0e48-\u0e4b]?)\u0e32")


def _repair(text: str) -> str:
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if any(char in text for char in _INVISIBLE_CHARS):
        text = _INVISIBLE.sub("", text)
    if "\u0e4d" in text:
        text = _SARA_AM.sub("\\1\u0e33", text)
    # ำ never starts a syllable: a space before it is a PDF artefact (PDFium reads LibreOffice's headings
    # as ประจ ำปี, placing a separately drawn space by its position).
    text = text.replace("\u0e40\u0e40", "\u0e41").replace(" \u0e33", "\u0e33")
    return text.replace("\u0e33\u0e32", "\u0e33")  # ำ drawn as its own glyph plus า


def _squeeze(text: str) -> str:
    """Runs of whitespace as one space, none at either end."""
    return " ".join(text.split())


def _tidy(text: str) -> str:
    """Text for Document.text: repaired, lines kept, runs of spaces and blank lines collapsed."""
    lines = _repair(text).split("\n")
    return "\n".join([" ".join(words) for line in lines if (words := line.split())])[:MAX_TEXT_CHARS]


def normalise(text: str) -> str:
    """NFC, Thai digits as Arabic (PyThaiNLP), whitespace collapsed to single spaces, Latin case-folded."""
    text = _repair(text)
    if any(digit in text for digit in _THAI_DIGITS):
        from prongsai.thai import to_arabic_digits  # PyThaiNLP: imported the first time it is needed

        text = to_arabic_digits(text)
    return _squeeze(text).casefold()


# --- extraction ------------------------------------------------------------------------------------


def _document(kind: Kind, text: str = "", title: str = "", *, tidied: bool = False, **flags: Any) -> Document:
    text = text if tidied else _tidy(text)
    return Document(
        kind=kind,
        text=text,
        title=_squeeze(_repair(title)),
        links=flags.pop("links", ()),
        needs_javascript=flags.pop("needs_javascript", False),
        needs_login=flags.pop("needs_login", False),
        unreadable=flags.pop("unreadable", not text),
        pages=flags.pop("pages", None),
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
    except Exception:  # any parser failure on hostile or broken bytes means "cannot read"
        return _document(kind, unreadable=True)
    # Images: a reviewer may accept one, but there is no text to check.
    return _document(kind, unreadable=True)


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
    return _link_text(text) if len(text) <= 200 else _squeeze(_repair(text))


@functools.lru_cache(maxsize=4096)
def _link_text(text: str) -> str:
    """A short link text, tidied: the menu of a site repeats on each of its pages, and is tidied once."""
    return _squeeze(_repair(text))


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


def _extract_html(body: bytes, content_type: str, url: str) -> Document:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_decode(body, content_type))
    title_node = tree.css_first("title")
    title = title_node.text() if title_node is not None else ""
    if not title.strip():
        og = tree.css_first('meta[property="og:title"]')
        title = (og.attributes.get("content") or "") if og is not None else ""
    links = _links(tree, url)
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
    text = _tidy(raw)
    # len(normalise(raw)) without normalising the page again: the tidied text has the same words, as many
    # separators (a line break for a space) and Thai digits in place of Arabic ones. Only case folding can
    # change the length, never shortening it, so a long text is long enough as it is.
    visible = len(text) if len(text) >= LITTLE_TEXT else len(text.casefold())

    needs_javascript = visible < LITTLE_TEXT and (
        app_root
        or bool(_JAVASCRIPT.search(noscript))
        or (has_scripts and visible < 50 and not links and not has_frames)
    )
    if password:
        # A sidebar login box sits on many content pages of Thai CMSs; only a page that is little more
        # than its login form is "behind a login".
        for node in tree.css("form, nav, header, footer, aside"):
            node.decompose()
        needs_login = len(normalise(_body_text(tree))) < LOGIN_PAGE_TEXT
    else:
        needs_login = visible < LITTLE_TEXT and bool(_LOGIN.search(f"{title} {raw}"))
    return _document(
        Kind.HTML,
        text,
        title,
        links=links,
        needs_javascript=needs_javascript,
        needs_login=needs_login,
        unreadable=False,  # an HTML page is always readable; an empty one simply has no text
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

    with _PDFIUM:
        try:
            # Many agency PDFs are "encrypted" only against editing: PDFium opens them with the empty user
            # password. A real password (or a file that is not a PDF) fails here: the file is unreadable.
            document = pdfium.PdfDocument(body)
        except pdfium.PdfiumError:
            return _document(Kind.PDF, unreadable=True)
        try:
            text, pages, title = _pdf_text(document)
        finally:
            document.close()
    # No text on any page (its tidied text is empty): a scan, or pictures of text. A reviewer can look at it;
    # we cannot read it.
    return _document(Kind.PDF, text, title, pages=pages)


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
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    try:

        def rows() -> Iterator[str]:
            for sheet in workbook.worksheets[:MAX_SHEETS]:
                yield sheet.title
                for number, row in enumerate(sheet.iter_rows(values_only=True)):
                    if number >= MAX_SHEET_ROWS:
                        break
                    cells = [_cell_text(value) for value in row if value is not None and str(value).strip()]
                    if cells:
                        yield " ".join(cells)

        text = _capped(rows())
        title = workbook.properties.title or ""
    finally:
        workbook.close()
    return _document(Kind.XLSX, text, title)


# --- tokens and term matching ---------------------------------------------------------------------

_THAI = re.compile("[\u0e00-\u0e7f]")
# Grammatical morphemes that PyThaiNLP's dictionary glues onto content words (แผน+การ, ให้+บริการ,
# รายงาน+ประจำปี): a dictionary word made only of these and key terms is split so that the key terms show.
_GLUE = ("การ", "ความ", "ให้", "งาน", "ประจำปี")
# Agency words newmm otherwise splits or swallows (ดำเนิน|งานประจำปี).
_AGENCY_WORDS = (
    "ดำเนินงาน",
    "ประจำปี",
    "ปีงบประมาณ",
    "ความเสี่ยง",
    "ความโปร่งใส",
    "จัดซื้อจัดจ้าง",
    "ทรัพยากรบุคคล",
    "เจตจำนง",
    "ไตรมาส",
    "องค์การบริหารส่วนตำบล",
    "เทศบาลตำบล",
)


def _segmentable(word: str, parts: frozenset[str]) -> bool:
    """True when ``word`` can be cut into two or more pieces, each one of ``parts``."""
    most = [0] + [-1] * len(word)  # the most pieces that reach each position; -1: unreachable
    for end in range(1, len(word) + 1):
        for start in range(end):
            if most[start] >= 0 and word[start:end] in parts:
                most[end] = max(most[end], most[start] + 1)
    return most[-1] >= 2


@functools.cache
def _key_terms() -> frozenset[str]:
    from prongsai.frameworks import load_all

    terms = {normalise(term) for framework in load_all() for item in framework.items for term in item.key_terms_th}
    return frozenset(term for term in terms if _THAI.search(term) and " " not in term)


@functools.cache
def _trie() -> Trie:
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie

    keys = _key_terms()
    parts = keys | frozenset(_GLUE)
    words = set(thai_words()) | keys | set(_AGENCY_WORDS)
    starts = tuple(parts)
    return dict_trie({word for word in words if not (word.startswith(starts) and _segmentable(word, parts))})


def _tokenise(text: str) -> list[str]:
    from pythainlp.tokenize import word_tokenize

    return list(word_tokenize(text, custom_dict=_trie(), engine="newmm", keep_whitespace=True))


def tokens(text: str) -> list[str]:
    """PyThaiNLP newmm word tokens of ``normalise(text)``, spaces dropped, with the agency dictionary."""
    return [token for token in _tokenise(normalise(text)) if not token.isspace()]


@functools.lru_cache(maxsize=4096)
def _boundaries(window: str) -> frozenset[int]:
    positions = [0]
    for token in _tokenise(window):
        positions.append(positions[-1] + len(token))
    return frozenset(positions)


@dataclass
class _Text:
    """A normalised text prepared for many term look-ups (best_item asks about 43 items at once)."""

    norm: str
    compact: str  # norm without spaces: terms are found here whatever spacing the author used
    shifts: list[int]  # compact index of the character after each removed space
    _seen: dict[tuple[str, bool], bool] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> _Text:
        norm = normalise(text)
        spaces = [match.start() for match in re.finditer(" ", norm)]
        return cls(norm, norm.replace(" ", ""), [position - rank for rank, position in enumerate(spaces)])

    def _norm_index(self, compact_index: int) -> int:
        return compact_index + bisect.bisect_right(self.shifts, compact_index)

    def has(self, term: str, *, loose_end: bool = False) -> bool:
        key = (term, loose_end)
        if key not in self._seen:
            self._seen[key] = self._search(term, loose_end)
        return self._seen[key]

    def _search(self, term: str, loose_end: bool) -> bool:
        needle = normalise(term)
        if not needle:
            return False
        if not _THAI.search(needle):
            # Latin terms (Facebook, Q&A, E-Service): word boundaries are not newmm's business.
            pattern = r"\s*".join(re.escape(part) for part in needle.split(" "))
            return re.search(rf"(?<![a-z0-9]){pattern}(?![a-z0-9])", self.norm) is not None
        needle = needle.replace(" ", "")
        start = self.compact.find(needle)
        for _ in range(_MAX_TRIES):
            if start < 0:
                return False
            begin, end = self._norm_index(start), self._norm_index(start + len(needle) - 1) + 1
            if self._on_boundaries(begin, end, loose_end):
                return True
            start = self.compact.find(needle, start + 1)
        return False

    def _on_boundaries(self, begin: int, end: int, loose_end: bool) -> bool:
        low, high = max(0, begin - _WINDOW), min(len(self.norm), end + _WINDOW)
        # Cut the window at spaces outside the match, so it starts and ends on real word edges.
        cut = self.norm.find(" ", low, begin)
        low = cut + 1 if low > 0 and cut >= 0 else low
        cut = self.norm.rfind(" ", end, high)
        high = cut if high < len(self.norm) and cut >= 0 else high
        edges = _boundaries(self.norm[low:high])
        return begin - low in edges and (loose_end or end - low in edges)


@functools.lru_cache(maxsize=8)
def _prepared(text: str) -> _Text:
    return _Text.of(text)


# Words too common to tell titles apart.
_STOP = frozenset(("การ", "และ", "หรือ", "ของ", "ที่", "ใน", "ให้", "ความ", "เพื่อ", "ตาม", "กับ", "ประจำปี"))


@functools.lru_cache(maxsize=1024)
def _title_tokens(title: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(token for token in tokens(title) if len(token) > 1 and token not in _STOP))


def _title_found(prepared: _Text, title: str) -> bool:
    # A long title may run into the next word (…ประจำปีงบประมาณ), so only its start must be a word edge.
    return prepared.has(title, loose_end=len(_title_tokens(title)) >= 3)


def match_item(text: str, item: Item) -> Match:
    """How well ``text`` shows ``item``: its key terms, found on word boundaries, and its title."""
    prepared = _prepared(text)
    found = tuple(term for term in item.key_terms_th if prepared.has(term))
    missing = tuple(term for term in item.key_terms_th if term not in found)
    title_found = _title_found(prepared, item.title_th)
    share = len(found) / len(item.key_terms_th) if item.key_terms_th else 0.0
    score = round((1 - TITLE_WEIGHT) * share + (TITLE_WEIGHT if title_found else 0.0), 4)
    return Match(score=score, found=found, missing=missing, title_found=title_found)


def best_item(text: str, items: Sequence[Item]) -> tuple[str, float]:
    """The code of the item ``text`` shows best, and its score; ("", 0.0) without items.

    Items sharing key terms (O36 and O37 both need ความเสี่ยง and การทุจริต) are told apart by their
    titles: the found title wins, then the share of title words present, then the longer (more specific)
    found title, since O43's title contains all of O42's.
    """
    prepared = _prepared(text)
    best: tuple[tuple[float, float, int, int], str] | None = None
    for item in items:
        match = match_item(text, item)
        words = _title_tokens(item.title_th)
        coverage = sum(prepared.has(word) for word in words) / len(words) if words else 0.0
        rank = (match.score, coverage, len(item.title_th) if match.title_found else 0, len(match.found))
        if best is None or rank > best[0]:
            best = (rank, item.code)
    return (best[1], best[0][0]) if best is not None else ("", 0.0)


# --- years and periods -----------------------------------------------------------------------------

_MONTHS = (
    r"ม\.\s?ค\.|ก\.\s?พ\.|มี\.\s?ค\.|เม\.\s?ย\.|พ\.\s?ค\.|มิ\.\s?ย\.|ก\.\s?ค\.|ส\.\s?ค\.|ก\.\s?ย\.|ต\.\s?ค\.|พ\.\s?ย\.|"
    r"ธ\.\s?ค\.|มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม"
)
# Every year pattern starts on a digit (or the + of +66), with its "no digit before" check as a look-behind
# after that digit. _years finds the runs of digits in one scan and tries each pattern only where it can start.
_DIGITS = re.compile(r"\d+")
_DATE = re.compile(r"(\d(?<![\d.]\d)\d?)[./-](\d{1,2})[./-](\d{4}|\d{2})(?![\d]|[.,]\d)")
# Thai phone numbers: 0 + 8–9 digits (02 123 4567, 081-234-5678) or +66, in any grouping.
_PHONE = re.compile(r"(?:\+(?<!\d\+)66|6(?<!\d6)6|0(?<!\d0))(?:[\s.\-()]{0,2}\d){8,9}(?!\d)")
_NOT_YEAR_BEFORE = re.compile(
    r"(?:โทร\.?|โทรศัพท์|โทรสาร|แฟกซ์|fax|tel\.?|ต่อ|ext\.?|เลขที่|หมายเลข|รหัส|no\.?|หมู่ที่|หมู่|ตู้\s?ปณ\.?|ปณ\.?|"
    r"จำนวน|ร้อยละ|฿)\s*[:.]?\s*$"
)
_NOT_YEAR_AFTER = re.compile(
    r"^\s*(?:บาท|ล้าน|แสน|หมื่น|คน|ชิ้น|เครื่อง|ตัน|ลิตร|กิโลเมตร|กม\.|เมตร|ตร\.ม\.|ไร่|ชั่วโมง|นาที|ครัวเรือน|%|"
    r"เปอร์เซ็นต์|baht|thb)"
)
_FRACTION_AFTER = re.compile(r"[.,:]\d")
_CE_BEFORE = re.compile(r"ค\.\s?ศ\.\s*$|a\.?d\.?\s*$")
# A two-digit year after a month or พ.ศ./ปีงบประมาณ (ต.ค. 64): the two digits are found first, then what
# stands before them (and the spaces between) is checked, as a whole-text scan for the words is slow.
_SHORT_YEAR_DIGITS = re.compile(r"(\d(?<!\d\d)\d)(?!\d|[.,:/]\d)")
_SHORT_YEAR_BEFORE = re.compile(rf"(?:{_MONTHS}|พ\.\s?ศ\.|ปีงบประมาณ|ปีงบ\.?|งป\.)\Z")
_SHORT_YEAR_REACH = 12  # characters: the longest word above (ปีงบประมาณ, กุมภาพันธ์) and then some
_SHORT_YEAR_LAST = ".มน์ณบ"  # the last characters of those words: a quick test before the regex
# A span's end after its 4-digit start (2566-2570, 2566 ถึง 70).
_RANGE_END = re.compile(r"\s*(?:-|–|—|ถึง|to)\s*(\d{4}|\d{2})(?!\d)")
_HALF_YEAR = re.compile(
    r"(?<!\d)6\s*เดือน|หก\s*เดือน|ครึ่ง\s*ปี"
    r"|(?:ต\.\s?ค\.|ตุลาคม|\boct(?:ober)?\b).{0,80}?(?:มี\.\s?ค\.|มีนาคม|\bmar(?:ch)?\b)"
    r"|ไตรมาส(?:ที่)?\s*1\s*(?:-|–|—|ถึง|และ|,)\s*(?:ไตรมาส(?:ที่)?\s*)?2(?!\d)"
)
# ต.ค. 64 – มี.ค. 65 / 1 ตุลาคม 2564 ถึง 31 มีนาคม 2565: the year after March is the fiscal year.
_HALF_SPAN = re.compile(
    r"(?:ต\.\s?ค\.|ตุลาคม|\boct(?:ober)?\b).{0,60}?(?:มี\.\s?ค\.|มีนาคม|\bmar(?:ch)?\b)\.?\s*(?:พ\.\s?ศ\.\s*)?(\d{4}|\d{2})(?!\d)"
)
_MAX_RANGE = 10  # a plan's span (แผนพัฒนา 2566-2570); longer "ranges" are something else
_BE_OFFSET = 543  # prongsai.thai.BE_OFFSET, without importing PyThaiNLP (60 ms) for it


def _as_be(number: int, *, ce_context: bool = False, short: bool = False) -> int | None:
    """A Buddhist-era year for a written number, or None when it is not plausibly a year."""
    if short:
        return 2500 + number if 40 <= number <= 99 else None
    if ce_context and 1957 <= number <= 2056:
        return number + _BE_OFFSET
    if 2500 <= number <= 2599:
        return number
    if 2021 <= number <= 2030:  # C.E. years of the ITA era; other bare C.E. numbers are too often amounts
        return number + _BE_OFFSET
    return None


def _date_years(norm: str, runs: list[tuple[int, int]], years: set[int]) -> tuple[str, list[tuple[int, int]]]:
    """Add the years of dates (1/10/2564, 10-2-65) to ``years``: the text with the dates blanked out, and the
    runs of digits outside them. A date starts where a run of one or two digits does, and ends with a run."""
    pieces: list[str] = []
    left: list[tuple[int, int]] = []
    done = 0  # where the last date ended
    for start, end in runs:
        if start < done:
            continue
        match = _DATE.match(norm, start) if end - start <= 2 else None
        if match is None:
            left.append((start, end))
            continue
        day, month, year = (int(group) for group in match.groups())
        if 1 <= day <= 31 and 1 <= month <= 12:
            be = _as_be(year, short=len(match.group(3)) == 2, ce_context=True)
            if be is not None:
                years.add(be)
        pieces += (norm[done:start], " " * (match.end() - start))
        done = match.end()
    return ("".join(pieces) + norm[done:] if pieces else norm), left


def _without_phones(text: str, runs: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """The text with Thai phone numbers blanked out, and the runs of digits outside them. A number starts with
    +66 just before a run, or where a run starts with 0 or 66, and ends with a run."""
    pieces: list[str] = []
    left: list[tuple[int, int]] = []
    done = 0
    for start, end in runs:
        if start < done:
            continue
        match = _PHONE.match(text, start - 1) if start and text[start - 1] == "+" else None
        if match is None and text[start] in "06":
            match = _PHONE.match(text, start)
        if match is None:
            left.append((start, end))
            continue
        pieces += (text[done : match.start()], " " * (match.end() - match.start()))
        done = match.end()
    return ("".join(pieces) + text[done:] if pieces else text), left


def _number_year(norm: str, start: int, end: int) -> int | None:
    """The year a bare 4-digit number at ``norm[start:end]`` is, judged by what stands around it."""
    number = int(norm[start:end])
    if not (1957 <= number <= 2056 or 2500 <= number <= 2599):
        return None  # not a year in any context (_as_be): no need to read around it
    before, after = norm[max(0, start - 16) : start], norm[end : end + 16]
    if (before.endswith((".", ",", ":")) and before[-2:-1].isdigit()) or _FRACTION_AFTER.match(after):
        return None  # a decimal, a thousands group or a time, not a year
    if _NOT_YEAR_BEFORE.search(before) or _NOT_YEAR_AFTER.match(after):
        return None
    return _as_be(number, ce_context=bool(_CE_BEFORE.search(before)))


def _range(start: str, end: str) -> range:
    """The years of a span written ``start``-``end`` (empty when it is not a plausible span)."""
    first = _as_be(int(start))
    if first is None:
        return range(0)
    if len(end) == 2:
        second: int | None = first - first % 100 + int(end)
    else:
        second = _as_be(int(end))
        # A C.E. end with a B.E. start (or the reverse) is not one range.
        if second is not None and (int(end) < 2500) != (int(start) < 2500):
            second = None
    return range(first, second + 1) if second is not None and 0 < second - first <= _MAX_RANGE else range(0)


def _short_year(norm: str, start: int) -> int | None:
    """The year two digits at ``norm[start:]`` are, after a month or พ.ศ./ปีงบประมาณ (ต.ค. 64)."""
    if _SHORT_YEAR_DIGITS.match(norm, start) is None:
        return None
    end = start
    while end > 0 and norm[end - 1].isspace():  # what \s* between the word and the digits would take
        end -= 1
    if (
        end
        and norm[end - 1] in _SHORT_YEAR_LAST
        and _SHORT_YEAR_BEFORE.search(norm, max(0, end - _SHORT_YEAR_REACH), end)
    ):
        return _as_be(int(norm[start : start + 2]), short=True)
    return None


def _years(norm: str) -> set[int]:
    """The years in a normalised text. One scan finds the runs of digits; each pattern is then tried only where
    it can start, in the order the separate scans ran: dates, then phone numbers (both blanked out), then
    4-digit numbers and spans, and two-digit years."""
    years: set[int] = set()
    runs = [match.span() for match in _DIGITS.finditer(norm)]
    if not runs:
        return years
    masked, runs = _date_years(norm, runs, years)
    masked, runs = _without_phones(masked, runs)
    span_end = 0  # a span's end year does not start another span (2560-2565-2570 is one span)
    for start, end in runs:
        if end - start == 4:
            be = _number_year(masked, start, end)
            if be is not None:
                years.add(be)
            if start >= span_end:
                span = _RANGE_END.match(masked, end)
                if span is not None:
                    years.update(_range(masked[start:end], span.group(1)))
                    span_end = span.end()
        elif end - start == 2:
            be = _short_year(masked, start)
            if be is not None:
                years.add(be)
    return years


def years_in(text: str) -> set[int]:
    """Buddhist-era years mentioned in ``text``.

    Found: 2565 and ๒๕๖๕; C.E. 2021–2030 written bare (2022 → 2565) and any C.E. year after ค.ศ. or in a
    date (1/10/2021); two-digit years after a month or พ.ศ./ปีงบประมาณ (ต.ค. 64 → 2564); every year of a
    span (2566-2570). Skipped: Thai phone numbers, numbers after โทร/ต่อ/เลขที่/หมู่/จำนวน and before
    units (บาท, คน, …), decimals and thousands groups. Limits: a bare 4-digit number in 2500–2599 or
    2021–2030 that is not a year (a count written without its unit) is still taken for one.
    """
    return _years(normalise(text))


def covers(text: str, item: Item, fiscal_year: int) -> bool | None:
    """Whether ``text`` covers the period ``item`` needs for ``fiscal_year``; None for standing items.

    current_year needs ``fiscal_year``, previous_year ``fiscal_year - 1``, half_year ``fiscal_year`` and a
    half-year phrase (รอบ 6 เดือน, ครึ่งปี, ต.ค. … มี.ค., ไตรมาส 1-2); a dated span (ต.ค. 64 – มี.ค. 65)
    decides the half-year's fiscal year by its March. Any mention of the year counts otherwise: a FY2566
    plan that compares itself with 2565 also "covers" 2565. Preferring the year a document states for
    itself (ปีงบประมาณ 2566) was tried and dropped, because site menus (ITA ประจำปี 2564, แผนพัฒนา
    2561-2565) state years too and made current pages look out of date.
    """
    from prongsai.framework import Coverage  # pydantic: imported where needed, not by every reader

    if item.coverage is Coverage.STANDING:
        return None
    norm = normalise(text)
    years = _years(norm)
    if item.coverage is Coverage.PREVIOUS_YEAR:
        return fiscal_year - 1 in years
    if item.coverage is Coverage.HALF_YEAR:
        # A dated half-year span (ต.ค. 64 – มี.ค. 65) names its fiscal year better than any other mention.
        spans = {_as_be(int(m.group(1)), short=len(m.group(1)) == 2) for m in _HALF_SPAN.finditer(norm)} - {None}
        return fiscal_year in (spans or years) and _HALF_YEAR.search(norm) is not None
    return fiscal_year in years
