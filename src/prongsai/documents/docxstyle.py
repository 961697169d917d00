"""The typography of a Thai official document in python-docx, written once: the shipped docxtpl templates
(scripts/build-templates) and the document kit (prongsai.kit.render) both build their files with these helpers,
so a rule changed here changes every document prongsai makes.

Typography, and why:
* "TH SarabunPSK" 16 pt on all four rFonts slots, with szCs/bCs and a Thai bidi language. Word lays out
  Thai as a complex script, so it reads the cs font, szCs and bCs; without them Thai falls back to the
  theme's font and size and loses bold. Theme font attributes are stripped everywhere, since a theme
  attribute (asciiTheme, cstheme…) wins over the explicit name.
* Body text is justified with thaiDistribute (Word's Thai justification) and has a 2.5 cm first-line
  indent, as memos do; table cells are left-aligned because distributing Thai in narrow cells
  spreads the letters of short lines apart.
* Tables have fixed <w:gridCol> widths (LibreOffice ignores cell widths without them), a repeated
  header row, borders on every cell and cell margins that keep Thai upper marks off the borders.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree  # type: ignore[import-untyped]

from prongsai.documents.package import repack

__all__ = [
    "BODY_PT", "DOTS", "FONT", "HEADER_FILL", "HEADING_PT", "LANDSCAPE_TEXT_W", "PORTRAIT_TEXT_W", "TITLE_PT",
    "cell_text", "drop", "new_document", "normalized_zip", "para", "put", "row", "set_font", "set_spacing",
    "styled_run", "table",
]  # fmt: skip
FONT = "TH SarabunPSK"
BODY_PT = 16
HEADING_PT = 18
TITLE_PT = 20
HEADER_FILL = "D9D9D9"  # light grey: prints on a black-and-white office printer
# The zip entries get one fixed timestamp, so that rebuilding gives byte-identical files (clean diffs).
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
CORE_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

# A4 with the margins of ระเบียบงานสารบรรณ: top 2.5 cm, bottom 2 cm, left 3 cm, right 2 cm.
PAGE_W, PAGE_H = 21.0, 29.7
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2.5, 2.0, 3.0, 2.0
PORTRAIT_TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 16.0 cm
LANDSCAPE_TEXT_W = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT  # 24.7 cm

# Schema order of the children we touch. Word rejects a file whose children are out of order
# ("unreadable content"), while LibreOffice silently accepts it, so the order is kept by hand.
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
    "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
    "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
    "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)  # fmt: skip
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)  # fmt: skip
STYLE_ORDER = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
    "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr", "rPr",
    "tblPr", "trPr", "tcPr", "tblStylePr",
)  # fmt: skip
TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption",
    "tblDescription",
)  # fmt: skip
TRPR_ORDER = (
    "cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight", "tblHeader",
    "tblCellSpacing", "jc", "hidden",
)  # fmt: skip
TCPR_ORDER = (
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
    "tcFitText", "vAlign", "hideMark",
)  # fmt: skip

# The styles kept from python-docx's default template; the other ~150 (coloured table styles, lists,
# quotes) reference the theme's fonts and colours and would only invite off-style formatting.
KEEP_STYLES = {
    "Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "Footer", "Heading1", "Heading2",
    "Title", "Subtitle", "BodyText", "Caption", "TableGrid",
}  # fmt: skip

# Shown on an empty signature or date line, so the printed form still has a line to fill in by hand.
DOTS = "……………………………………"


# ---------------------------------------------------------------------------------------------------------
# Low-level XML helpers


def put(parent: BaseOxmlElement, tag: str, order: Sequence[str], **attrs: str) -> BaseOxmlElement:
    """Replace (or add) the child w:<tag> of parent, inserted at its schema position."""
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    child = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        child.set(qn(f"w:{name}"), value)
    rank = order.index(tag)
    later = {qn(f"w:{t}") for t in order[rank + 1 :]}
    for index, sibling in enumerate(parent):
        if sibling.tag in later:
            parent.insert(index, child)
            break
    else:
        parent.append(child)
    return child


def drop(parent: BaseOxmlElement, *tags: str) -> None:
    for tag in tags:
        for old in parent.findall(qn(f"w:{tag}")):
            parent.remove(old)


def twips(cm: float) -> str:
    return str(round(Cm(cm).twips))


def set_font(rpr: BaseOxmlElement, size: float = BODY_PT, *, bold: bool | None = None) -> None:
    """The Thai font rules on one rPr: four font slots, size for both scripts, bold for both, Thai language."""
    put(rpr, "rFonts", RPR_ORDER, ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT)
    if bold is None:
        drop(rpr, "b", "bCs")
    else:
        # Explicit off (val=0) matters in a style based on a bold one; plain <w:b/> means on.
        for name in ("b", "bCs"):
            element = put(rpr, name, RPR_ORDER)
            if not bold:
                element.set(qn("w:val"), "0")
    half_points = str(round(size * 2))
    put(rpr, "sz", RPR_ORDER, val=half_points)
    put(rpr, "szCs", RPR_ORDER, val=half_points)
    put(rpr, "lang", RPR_ORDER, val="th-TH", bidi="th-TH")


def _rpr_of(parent: BaseOxmlElement, order: Sequence[str]) -> BaseOxmlElement:
    found = parent.find(qn("w:rPr"))
    return found if found is not None else put(parent, "rPr", order)


def _ppr_of(parent: BaseOxmlElement, order: Sequence[str]) -> BaseOxmlElement:
    found = parent.find(qn("w:pPr"))
    return found if found is not None else put(parent, "pPr", order)


def set_spacing(ppr: BaseOxmlElement, *, before: float = 0, after: float = 0, line: float = 1.0) -> None:
    """Spacing in points before/after and a line multiple (1.0 = single, as Thai memos are typed)."""
    put(
        ppr, "spacing", PPR_ORDER,
        before=str(round(before * 20)), after=str(round(after * 20)), line=str(round(line * 240)), lineRule="auto",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# Styles


def _strip_theme_references(styles: BaseOxmlElement) -> None:
    # A theme attribute overrides the explicit font name in Word, and the default theme maps Thai to
    # Cordia/Angsana: remove every reference so that nothing can pull Thai text away from TH SarabunPSK.
    theme_attrs = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in theme_attrs:
            fonts.attrib.pop(attr, None)
    for color in styles.iter(qn("w:color")):
        color.getparent().remove(color)


def _reset_style(style_element: BaseOxmlElement) -> tuple[BaseOxmlElement, BaseOxmlElement]:
    """Clear a style's paragraph and run properties (and its link to a *Char style we drop)."""
    drop(style_element, "pPr", "rPr", "link", "tblPr", "trPr", "tcPr", "tblStylePr")
    return put(style_element, "pPr", STYLE_ORDER), put(style_element, "rPr", STYLE_ORDER)


def _paragraph_style(
    document: DocumentObject, name: str, *, base: str = "Normal", size: float = BODY_PT, bold: bool | None = None,
    align: str | None = None, before: float = 0, after: float = 0, line: float = 1.0,
    first_line: float | None = None, keep_next: bool = False, outline: int | None = None, follow: str | None = None,
) -> None:  # fmt: skip
    """Define a paragraph style from scratch; `follow` is the style Word gives the paragraph after it (Enter)."""
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    element = style.element
    ppr, rpr = _reset_style(element)
    if name != "Normal":
        put(element, "basedOn", STYLE_ORDER, val=styles[base].style_id)
        put(element, "next", STYLE_ORDER, val=styles[follow].style_id if follow else element.get(qn("w:styleId")))
        put(element, "qFormat", STYLE_ORDER)
    if keep_next:
        put(ppr, "keepNext", PPR_ORDER)
    set_spacing(ppr, before=before, after=after, line=line)
    if first_line is not None:
        put(ppr, "ind", PPR_ORDER, firstLine=twips(first_line))
    if align is not None:
        put(ppr, "jc", PPR_ORDER, val=align)
    if outline is not None:
        put(ppr, "outlineLvl", PPR_ORDER, val=str(outline))
    set_font(rpr, size, bold=bold)


def _table_style(document: DocumentObject) -> None:
    """'Table Grid': single borders on every cell, cell margins, and the same Thai font as Normal."""
    element = document.styles["Table Grid"].element
    ppr, rpr = _reset_style(element)
    set_spacing(ppr)
    set_font(rpr)
    tblpr = put(element, "tblPr", STYLE_ORDER)
    borders = put(tblpr, "tblBorders", TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        for attr, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            border.set(qn(f"w:{attr}"), value)
        borders.append(border)
    _cell_margins(tblpr)


def _cell_margins(tblpr: BaseOxmlElement) -> None:
    # Thai stacks up to three levels (consonant, vowel above, tone mark) above the line, and Word's default
    # cell margins are 0 top and bottom: 0.05 cm on top of the font's own line gap keeps ปั้น/ญี่ปุ่น clear of
    # the borders, also with Sarabun (tighter line than TH SarabunPSK) in the PDF path (checked at 200 dpi).
    margins = put(tblpr, "tblCellMar", TBLPR_ORDER)
    for side, cm in (("top", 0.05), ("left", 0.15), ("bottom", 0.05), ("right", 0.15)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), twips(cm))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)


def setup_styles(document: DocumentObject) -> None:
    styles_element = document.styles.element
    for style in list(styles_element.findall(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles_element.remove(style)
    _strip_theme_references(styles_element)

    # Document defaults: what every run and paragraph inherits, including text in table cells,
    # headers and anything a user types into the template later.
    defaults = styles_element.find(qn("w:docDefaults"))
    set_font(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    set_spacing(defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")))

    _paragraph_style(document, "Normal")
    _paragraph_style(document, "Body Text", align="thaiDistribute", after=3, first_line=2.5)
    _paragraph_style(document, "Title", size=TITLE_PT, bold=True, align="center")
    _paragraph_style(document, "Subtitle", size=HEADING_PT, bold=True, align="center", follow="Body Text")
    for name, size, before, level in (("Heading 1", HEADING_PT, 12, 0), ("Heading 2", BODY_PT, 6, 1)):
        _paragraph_style(
            document,
            name,
            size=size,
            bold=True,
            before=before,
            after=3,
            keep_next=True,
            outline=level,
            follow="Body Text",
        )
    _paragraph_style(document, "Caption", bold=True, align="center", before=6, after=3, keep_next=True)
    _paragraph_style(document, "Figure", align="center", before=6, after=6, keep_next=True)
    _paragraph_style(document, "Table Text", after=0)
    _paragraph_style(document, "Table Center", base="Table Text", align="center")
    # A list in a cell (URLs, dated actions): a little space after each item shows where a wrapped one ends.
    _paragraph_style(document, "Table List", base="Table Text", after=2)
    _paragraph_style(document, "Table Heading", base="Table Text", bold=True, align="center", keep_next=True)
    _paragraph_style(document, "Signature Block", align="center")
    _paragraph_style(document, "Header")
    _paragraph_style(document, "Footer")
    _table_style(document)


def setup_font_table(document: DocumentObject) -> None:
    # Word reads the font table to pick a substitute when TH SarabunPSK is missing: charset DE (Thai)
    # and a variable-pitch swiss family steer it to a Thai sans font instead of a Latin one.
    font_part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
    root = etree.fromstring(font_part.blob)
    if not any(f.get(qn("w:name")) == FONT for f in root.findall(qn("w:font"))):
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), FONT)
        for child, value in (("charset", "DE"), ("family", "swiss"), ("pitch", "variable")):
            etree.SubElement(font, qn(f"w:{child}")).set(qn("w:val"), value)
    # python-docx loads the font table as a plain (blob) part, with no API to edit it.
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def setup_settings(document: DocumentObject) -> None:
    settings = document.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        # Word 2013+ layout (mode 15), so Word does not open the template in compatibility mode.
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    # The theme's complex-script language: Thai rather than the template's default.
    for lang in settings.iter(qn("w:themeFontLang")):
        lang.set(qn("w:bidi"), "th-TH")
    # Stale revision ids from python-docx's template say nothing about these files.
    drop(settings, "rsids")


def drop_package_extras(document: DocumentObject) -> None:
    """Remove parts that would misdescribe the template: python-docx's thumbnail and the Word 2010
    stylesWithEffects copy of its original 150 styles (which we trimmed from styles.xml)."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package.rels.pop(rid)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rid)


# ---------------------------------------------------------------------------------------------------------
# Page setup, header


# Word's PAGE field; its \* ThaiArabic switch prints the page number in Thai digits.
THAI_PAGE = " PAGE \\* ThaiArabic "
ARABIC_PAGE = " PAGE "


def setup_page(section: Section, *, landscape: bool = False, page_instruction: str = THAI_PAGE) -> None:
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(PAGE_H), Cm(PAGE_W)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(PAGE_W), Cm(PAGE_H)
    section.top_margin, section.bottom_margin = Cm(MARGIN_TOP), Cm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Cm(MARGIN_LEFT), Cm(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Cm(1.25), Cm(1.0)
    section.gutter = Cm(0)
    # Page numbers from page 2 on, top centre, as "- ๒ -": page 1 of a Thai official document has none.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.style = "Header"
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    _page_field(paragraph, page_instruction)
    paragraph.add_run(" -")


def _page_field(paragraph: Paragraph, instruction: str) -> None:
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("result", "2"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "result":
            run.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


# ---------------------------------------------------------------------------------------------------------
# Content helpers


def para(document: DocumentObject | _Cell, text: str = "", style: str = "Body Text") -> Paragraph:
    """A paragraph of one run, so that docxtpl sees each {{ }} / {% %} tag whole (Word splits tags it edits
    across runs; docxtpl copes with that, but a generated template need not rely on it)."""
    paragraph = document.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    return paragraph


def styled_run(paragraph: Paragraph, text: str, *, bold: bool | None = None, size: float | None = None) -> None:
    run = paragraph.add_run(text)
    if bold is not None or size is not None:
        rpr = run._r.get_or_add_rPr()
        if bold is not None:
            for name in ("b", "bCs"):
                element = put(rpr, name, RPR_ORDER)
                if not bold:
                    element.set(qn("w:val"), "0")
        if size is not None:
            put(rpr, "sz", RPR_ORDER, val=str(round(size * 2)))
            put(rpr, "szCs", RPR_ORDER, val=str(round(size * 2)))


def cell_text(cell: _Cell, lines: Iterable[str], style: str = "Table Text") -> None:
    """Fill a cell with one paragraph per line, reusing the empty paragraph every new cell has."""
    first = True
    for line in lines:
        if first:
            paragraph = cell.paragraphs[0]
            paragraph.style = style
            if line:
                paragraph.add_run(line)
            first = False
        else:
            para(cell, line, style=style)


def table(document: DocumentObject, widths: Sequence[float], headers: Sequence[str], *, center: bool = False) -> Table:
    """A fixed-layout table: gridCol and cell widths, header row repeated on every page, bold and centred."""
    result: Table = document.add_table(rows=1, cols=len(widths))
    result.style = document.styles["Table Grid"]
    result.autofit = False  # writes <w:tblLayout w:type="fixed"/>: Word must not re-flow the widths
    result.alignment = WD_TABLE_ALIGNMENT.CENTER if center else WD_TABLE_ALIGNMENT.LEFT
    for column, width in zip(result.columns, widths, strict=True):
        column.width = Cm(width)  # <w:gridCol>, which LibreOffice needs
    tblpr = result._tbl.tblPr
    put(tblpr, "tblW", TBLPR_ORDER, w=str(sum(round(Cm(w).twips) for w in widths)), type="dxa")
    header = result.rows[0]
    trpr = header._tr.get_or_add_trPr()
    put(trpr, "cantSplit", TRPR_ORDER)
    put(trpr, "tblHeader", TRPR_ORDER)  # repeated at the top of each page
    for cell, text, width in zip(header.cells, headers, widths, strict=True):
        cell.width = Cm(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        put(cell._tc.get_or_add_tcPr(), "shd", TCPR_ORDER, val="clear", color="auto", fill=HEADER_FILL)
        cell_text(cell, [text], style="Table Heading")
    return result


def row(tbl: Table, widths: Sequence[float], *, cant_split: bool = False) -> list[_Cell]:
    new = tbl.add_row()  # type: ignore[no-untyped-call]
    if cant_split:
        put(new._tr.get_or_add_trPr(), "cantSplit", TRPR_ORDER)
    for cell, width in zip(new.cells, widths, strict=True):
        cell.width = Cm(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        cell.paragraphs[0].style = "Table Text"
    return list(new.cells)


def new_document(*, landscape: bool, title: str, page_instruction: str = THAI_PAGE) -> DocumentObject:
    document = Document()
    setup_styles(document)
    setup_settings(document)
    setup_font_table(document)
    drop_package_extras(document)
    setup_page(document.sections[0], landscape=landscape, page_instruction=page_instruction)
    # Fixed core properties: no build time in the file, so a rebuild is byte-identical.
    core = document.core_properties
    core.title, core.author, core.last_modified_by = title, "prongsai", "prongsai"
    core.comments, core.keywords, core.subject, core.category = "", "", "", ""
    core.created = core.modified = CORE_TIME
    core.revision = 1
    return document


def normalized_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry timestamps, so the same build gives the same bytes."""

    def fixed(info: zipfile.ZipInfo, body: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o644 << 16
        return entry, body

    return repack(data, fixed)
