"""An OfficialDoc as DOCX (python-docx, with the typography of prongsai.documents.docxstyle that the shipped
templates use) and as PDF (LibreOffice, through prongsai.documents.pdf.Converter).

Every text goes through prongsai.documents.typeset with the document's terms, so no line breaks inside a
number, a date or an official term; bold text (title, headings, table headings, the total row) keeps no
joiners, because poppler tears a stacked mark off a joined bold word (see prongsai.documents.render).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from prongsai.documents.docxstyle import (
    ARABIC_PAGE,
    DOTS,
    LANDSCAPE_TEXT_W,
    PORTRAIT_TEXT_W,
    THAI_PAGE,
    new_document,
    para,
    row,
    styled_run,
    table,
)
from prongsai.documents.pdf import Converter
from prongsai.documents.typeset import WJ, ZWSP, typeset
from prongsai.documents.wording import DRAFT_NOTE
from prongsai.kit.base import Heading, Image, OfficialDoc, Para, Signature, Table

__all__ = ["docx_bytes", "pdf_bytes", "text_width"]

_P, _TBL, _TR = qn("w:p"), qn("w:tbl"), qn("w:tr")
_ALIGN = {
    "justify": None,  # the Body Text style's own thaiDistribute
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def text_width(doc: OfficialDoc) -> float:
    """The text column in cm: what a kind's table widths must sum to."""
    return LANDSCAPE_TEXT_W if doc.landscape else PORTRAIT_TEXT_W


def _set(text: str, terms: Sequence[str], *, bold: bool = False) -> str:
    done = typeset(text, terms)
    return done.replace(WJ, "").replace(ZWSP, "") if bold else done


def docx_bytes(doc: OfficialDoc) -> bytes:
    """The document as DOCX bytes."""
    terms = list(doc.terms)
    document = new_document(
        landscape=doc.landscape, title=doc.title, page_instruction=THAI_PAGE if doc.thai_digits else ARABIC_PAGE
    )
    if doc.notice:
        paragraph = para(document, "", style="Normal")
        paragraph.add_run(_set(doc.notice, terms)).italic = True
    if doc.draft:  # first, centred and bold, as the measures document prints it
        styled_run(para(document, "", style="Subtitle"), DRAFT_NOTE, bold=True)
    para(document, _set(doc.title, terms, bold=True), style="Title")
    for k, line in enumerate(doc.subtitle):
        paragraph = para(document, _set(line, terms, bold=True), style="Subtitle")
        if k == len(doc.subtitle) - 1:
            paragraph.paragraph_format.space_after = Pt(6)
    width = text_width(doc)
    for k, block in enumerate(doc.blocks):
        _block(document, block, terms, width)
        if k + 1 < len(doc.blocks) and isinstance(doc.blocks[k + 1], Signature):
            _keep_with_next(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _block(document: DocumentObject, block: object, terms: list[str], width: float) -> None:
    if isinstance(block, Heading):
        para(document, _set(block.text, terms, bold=True), style="Heading 1" if block.level == 1 else "Heading 2")
    elif isinstance(block, Para):
        paragraph = para(document, _set(block.text, terms), style="Body Text")
        if not block.indent:
            paragraph.paragraph_format.first_line_indent = Cm(0)
        align = _ALIGN[block.align]
        if align is not None:
            paragraph.alignment = align
    elif isinstance(block, Table):
        _table(document, block, terms, width)
    elif isinstance(block, Image):
        _image(document, block)
    elif isinstance(block, Signature):
        _signature(document, block, terms, width)
    else:
        raise TypeError(f"not a block of an official document: {block!r}")


def _keep_with_next(document: DocumentObject) -> None:
    """Keep what was last written (a paragraph, or a table's last row) on the page of what follows: a signature
    never stands alone on a last page."""
    body = document.element.body
    last = [child for child in body.iterchildren() if child.tag in (_P, _TBL)][-1]
    rows = last.findall(_TR) if last.tag == _TBL else []
    for p in rows[-1].iter(_P) if rows else [last]:
        Paragraph(p, document._body).paragraph_format.keep_with_next = True


def _table(document: DocumentObject, block: Table, terms: list[str], width: float) -> None:
    widths = [c.width_cm for c in block.columns]
    # A table wider than the text column runs into the margin: a kind's widths are checked, not trusted.
    if abs(sum(widths) - width) > 0.05:
        raise ValueError(f"table widths sum to {sum(widths):.2f} cm, the text column is {width:.2f} cm")
    if block.caption:
        para(document, _set(block.caption, terms, bold=True), style="Caption")
    tbl = table(document, widths, [_set(c.label, terms, bold=True) for c in block.columns])
    lines = [(r, False) for r in block.rows] + ([(block.total, True)] if block.total else [])
    for values, bold in lines:
        cells = row(tbl, widths, cant_split=True)
        for cell, column, value in zip(cells, block.columns, values, strict=True):
            _cell(cell, value, column.align, terms, bold=bold)


def _cell(cell: _Cell, value: str, align: str, terms: list[str], *, bold: bool) -> None:
    """One paragraph per line of the value; centred codes and right-aligned numbers."""
    style = "Table Center" if align == "center" else "Table Text"
    for k, line in enumerate(value.split("\n") or [""]):
        paragraph = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        paragraph.style = style
        if align == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if line:
            styled_run(paragraph, _set(line, terms, bold=bold), bold=True if bold else None)


def _image(document: DocumentObject, block: Image) -> None:
    paragraph = para(document, "", style="Figure")
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
    # The alternative text (Word's Alt Text, what a screen reader says) on the picture's wp:docPr.
    for doc_pr in run._r.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"):
        doc_pr.set("descr", block.alt)
        doc_pr.set("title", block.alt[:80])


def _signature(document: DocumentObject, block: Signature, terms: list[str], width: float) -> None:
    """The signing block of ระเบียบงานสารบรรณ in the right half of the text column, centred there and kept
    on one page: room to sign, the full name in parentheses, the position, then the date when given."""
    lines: list[tuple[str, float]] = [
        (DOTS, 36.0),
        (f"({block.name or DOTS})", 0.0),
        (block.position or f"ตำแหน่ง {DOTS}", 0.0),
    ]
    if block.date_text:
        lines.append((block.date_text, 0.0))
    for k, (text, before) in enumerate(lines):
        paragraph = para(document, _set(text, terms), style="Signature Block")
        paragraph.paragraph_format.left_indent = Cm(width / 2)
        paragraph.paragraph_format.space_before = Pt(before)
        paragraph.paragraph_format.keep_with_next = k < len(lines) - 1


_CONVERTER: Converter | None = None


def pdf_bytes(doc: OfficialDoc, converter: Converter | None = None) -> bytes:
    """The document as PDF bytes, through LibreOffice (one converter per process unless one is given)."""
    global _CONVERTER
    if converter is None:
        if _CONVERTER is None:
            _CONVERTER = Converter()
        converter = _CONVERTER
    return converter.to_pdf(docx_bytes(doc), name=_file_stem(doc.title))


def _file_stem(title: str) -> str:
    return re.sub(r"[^0-9A-Za-z\u0e00-\u0e7f]+", "-", title)[:60].strip("-") or "document"
