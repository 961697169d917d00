"""Caps on what reading one fetched file may cost, checked before a parser spends it.

The reading worker's bounds (prongsai.bounded: address space, CPU, wall clock) stop any file, but only after
it has cost the whole budget: a PDF bomb fills 1.5 GB before PDFium gives up, 200,000 nested ``<div>``s cost
lexbor minutes of CPU (its tree builder searches the stack of open elements for each tag, so the cost grows
with the square of the depth). These scans count what costs, cheaply and before parsing, so that such a file
is refused in a fraction of a second with a reason a person can act on:

* HTML: the depth of nesting and the number of elements, by a linear scan of the tags;
* PDF: the inflated size of each FlateDecode stream that is not an image (images are not decoded to read text);
* XLSX: the cells of each row (openpyxl builds a whole row before it hands it over; counted by the one rule the
  readers of uploaded tables use, prongsai.inputfiles.widest_row) and the size of the shared strings, which
  openpyxl loads whole.

A file refused here is ``unreadable`` with :class:`TooCostly`'s reason. The caps are far above what a real
agency document needs (the largest of /work/shared/real-docs is well inside each).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from prongsai.inputfiles import widest_row

__all__ = [
    "MAX_HTML_DEPTH",
    "MAX_HTML_ELEMENTS",
    "MAX_PDF_INFLATED",
    "MAX_PDF_STREAM",
    "MAX_ROW_CELLS",
    "MAX_SHARED_STRINGS",
    "MAX_SHEET_CELLS",
    "TooCostly",
    "check_html",
    "check_pdf",
    "check_xlsx",
]

MAX_HTML_DEPTH = 1_000  # counted open elements; real pages stay under 100
MAX_HTML_ELEMENTS = 500_000  # lexbor keeps about 340 bytes an element; a 5,000-row table of ten columns is 60,000
MAX_PDF_STREAM = 64 * 1024 * 1024  # inflated bytes of one content, font or form stream
MAX_PDF_INFLATED = 256 * 1024 * 1024  # of all of them together
MAX_ROW_CELLS = 16_384  # Excel's last column (XFD): no spreadsheet program writes a wider row
MAX_SHEET_CELLS = 1_000_000  # cells (counted with the blanks openpyxl fills in) read from one sheet
MAX_SHARED_STRINGS = 64 * 1024 * 1024  # inflated bytes of xl/sharedStrings.xml


class TooCostly(Exception):
    """Reading the file would cost more than a real document can: why, in Thai and English."""

    def __init__(self, reason_th: str, reason_en: str) -> None:
        self.reason_th, self.reason_en = reason_th, reason_en
        super().__init__(reason_en)


# --- HTML --------------------------------------------------------------------------------------------

# A tag, or a stretch the HTML tokenizer reads as text: a comment, or the content of a raw-text element (a
# script's "a<b" is not a tag). An unclosed one runs to the end, as in the tokenizer, and a tag ends at the next
# "<" at the latest (a quoted ">" or "<" in an attribute is rare and only miscounts one tag): the scan is linear.
_TOKENS = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)\b.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([a-zA-Z][^\s/<>]*)[^<>]*?(/?)>",
    re.DOTALL | re.IGNORECASE,
)
# Elements that add no depth: void ones, and those whose end tag is optional (the parser closes a <p> or <li>
# at the next one, so a page of unclosed <p>s is flat). A table nests as table > tbody > tr > td, of which one
# is counted, so the count is at most four times below the true depth.
_FLAT_NAMES = (
    "area base br col embed hr img input link meta param source track wbr keygen html head body p li dt dd "
    "option optgroup tr td th thead tbody tfoot colgroup caption rb rt rtc rp"
)
_FLAT = frozenset(_FLAT_NAMES.split())
_FOREIGN = frozenset(("svg", "math"))
# Tags that end foreign content (SVG, MathML): after one, a self-closing slash means nothing again.
_BREAKOUT_NAMES = (
    "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing "
    "menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var"
)
_BREAKOUT = frozenset(_BREAKOUT_NAMES.split())


def check_html(text: str) -> None:
    """Refuse a page nested deeper than MAX_HTML_DEPTH or with more than MAX_HTML_ELEMENTS elements."""
    if text.count("<") <= MAX_HTML_DEPTH:  # each element and each level needs a "<": nothing to count (most pages)
        return
    depth = elements = foreign = 0
    for match in _TOKENS.finditer(text):
        closing, name, self_closing = match.group(2, 3, 4)
        if name is None:  # a comment or raw text: one element at most
            elements += 1 if match.group(1) else 0
            continue
        name = name.lower()
        if closing:
            if name in _FOREIGN:
                foreign = max(0, foreign - 1)
            if name not in _FLAT:
                depth = max(0, depth - 1)
            continue
        elements += 1
        if name in _FOREIGN:
            foreign += 1
        elif foreign and name in _BREAKOUT:
            foreign = 0
        # In HTML, <div/> opens a div like <div>: only SVG and MathML elements close themselves.
        if name not in _FLAT and not (self_closing and foreign):
            depth += 1
        if depth > MAX_HTML_DEPTH:
            raise TooCostly(
                f"หน้าเว็บมีแท็กซ้อนกันลึกเกิน {MAX_HTML_DEPTH:,} ชั้น ซึ่งหน้าเว็บปกติไม่มี",
                f"elements nested deeper than {MAX_HTML_DEPTH:,}",
            )
        if elements > MAX_HTML_ELEMENTS:
            raise TooCostly(
                f"หน้าเว็บมีแท็กมากกว่า {MAX_HTML_ELEMENTS:,} แท็ก ควรแบ่งเป็นหลายหน้า",
                f"more than {MAX_HTML_ELEMENTS:,} elements",
            )


# --- PDF ---------------------------------------------------------------------------------------------

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_INFLATE_STEP = 1024 * 1024


def _inflated_size(body: bytes, start: int, limit: int) -> int:
    """Bytes the zlib data at ``start`` inflates to, counted up to just past ``limit`` without keeping them;
    0 when it is not zlib data (another filter, or none)."""
    inflater = zlib.decompressobj()
    size, position = 0, start
    try:
        while position < len(body) and not inflater.eof:
            chunk = body[position : position + 65536]
            position += len(chunk)
            size += len(inflater.decompress(chunk, _INFLATE_STEP))
            while inflater.unconsumed_tail and size <= limit:
                size += len(inflater.decompress(inflater.unconsumed_tail, _INFLATE_STEP))
            if size > limit:
                break
    except zlib.error:
        pass
    return size


def check_pdf(body: bytes) -> None:
    """Refuse a PDF whose content, font or form streams inflate past MAX_PDF_STREAM each or MAX_PDF_INFLATED
    together: PDFium inflates a whole stream into memory before it reads any of it."""
    total = 0
    for match in _STREAM.finditer(body):
        dictionary = body[max(0, match.start() - 2048) : match.start()]
        dictionary = dictionary[dictionary.rfind(b"obj") + 1 :]  # this object's dictionary only
        if _IMAGE.search(dictionary):
            continue
        size = _inflated_size(body, match.end(), min(MAX_PDF_STREAM, MAX_PDF_INFLATED - total))
        total += size
        if size > MAX_PDF_STREAM:
            raise TooCostly(
                f"ไฟล์ PDF มีส่วนที่คลายบีบอัดแล้วใหญ่เกิน {MAX_PDF_STREAM // 1024**2:,} MB (ลักษณะของไฟล์ที่ทำขึ้นเพื่อให้ระบบล่ม)",
                f"a PDF stream inflates past {MAX_PDF_STREAM // 1024**2:,} MB",
            )
        if total > MAX_PDF_INFLATED:
            raise TooCostly(
                f"ไฟล์ PDF คลายบีบอัดแล้วใหญ่เกิน {MAX_PDF_INFLATED // 1024**2:,} MB",
                f"the PDF's streams inflate past {MAX_PDF_INFLATED // 1024**2:,} MB",
            )


# --- XLSX --------------------------------------------------------------------------------------------

_NOT_XML = (".png", ".jpg", ".jpeg", ".gif", ".emf", ".wmf", ".bin", ".tif", ".tiff", ".bmp")


def check_xlsx(body: bytes) -> None:
    """Refuse a workbook with a row wider than MAX_ROW_CELLS or shared strings past MAX_SHARED_STRINGS."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for info in archive.infolist():
            name = info.filename.lower()
            if name.endswith("sharedstrings.xml") and info.file_size > MAX_SHARED_STRINGS:
                raise TooCostly(
                    f"ไฟล์ Excel มีข้อความรวมเกิน {MAX_SHARED_STRINGS // 1024**2:,} MB",
                    f"shared strings past {MAX_SHARED_STRINGS // 1024**2:,} MB",
                )
            if name.endswith(_NOT_XML) or info.is_dir():
                continue
            with archive.open(info) as part:
                if widest_row(part, MAX_ROW_CELLS) > MAX_ROW_CELLS:  # the readers' one rule for a row's cells
                    raise TooCostly(
                        f"ไฟล์ Excel มีแถวที่มีเกิน {MAX_ROW_CELLS:,} เซลล์ ซึ่งโปรแกรมตารางคำนวณสร้างไม่ได้ "
                        "(ลักษณะของไฟล์ที่ทำขึ้นเพื่อให้ระบบล่ม)",
                        f"a row of more than {MAX_ROW_CELLS:,} cells",
                    )
