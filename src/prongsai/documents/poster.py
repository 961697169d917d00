"""The printable Thai poster that invites people to a survey: a practice IIT/EIT survey of the ITA, or the
agency's own satisfaction survey of those it served (tool SAT). Heading, agency, QR code, link, the key facts.

Pure core: no Django. The QR code is made by segno (pure Python, no image library). The poster is an A4
DOCX built with python-docx and typed the way the shipped templates are (scripts/build-templates):
"TH SarabunPSK" on all four rFonts slots with szCs/bCs and a Thai bidi language on every run and in the
defaults, because Word lays out Thai as a complex script and otherwise falls back to the theme's font.
The PDF goes through ``Converter.to_pdf``, whose ``pdf_variant`` swaps in the bundled Sarabun at 0.69×.

The URL is written under the QR code and is also a hyperlink, so the PDF works when it is shared by LINE
or e-mail rather than printed.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Required, TypedDict, Unpack
from xml.sax.saxutils import quoteattr

import docx
import segno
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from prongsai.documents.pdf import Converter
from prongsai.errors import InputError
from prongsai.thai import thai_date, to_thai_digits

__all__ = [
    "PRACTICE_NOTE_TH",
    "SATISFACTION_NOTE_TH",
    "TOOL_NAMES_TH",
    "poster_docx",
    "poster_pdf",
    "survey_qr_png",
    "survey_qr_svg",
]

FONT = "TH SarabunPSK"
ACCENT = "1F3864"  # dark navy: reads as a government blue, and prints as near-black on a mono printer
MUTED = "404040"
BOX_FILL, BOX_LINE = "EEF2F8", "8EA9DB"
# The pPr children that come after pBdr in the schema (python-docx adds spacing, keepLines and jc).
PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip

# Word sizes in points (TH SarabunPSK); the PDF path scales every size by 0.69 for Sarabun.
KICKER_PT, HEADING_PT, TOOL_PT, AUDIENCE_PT, AGENCY_PT, YEAR_PT = 18, 42, 32, 26, 30, 26
SCAN_PT, URL_PT, LONG_URL_PT, POINT_PT, NOTE_PT = 18, 22, 15, 22, 14
LONG_URL = 45  # characters: a longer link gets the smaller size so that it stays on one line

# A4 with even 2 cm margins: a poster is centred, so the memo's wider binding margin would look off-centre.
PAGE_W, PAGE_H, MARGIN = 21.0, 29.7, 2.0
QR_CM = 9.5  # big enough to scan from about a metre away on a notice board
BOX_CM = 13.0
QR_PIXELS = 1200  # ≈ 320 dpi at 9.5 cm, so the modules stay sharp however the PDF viewer scales
KICKER = "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)"
HEADING = "ขอเชิญร่วมตอบแบบสำรวจความคิดเห็น"
TOOL_NAMES_TH: dict[str, tuple[str, str]] = {
    "IIT": ("การรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน", "(บุคลากรในหน่วยงาน)"),
    "EIT": ("การรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก", "(ผู้รับบริการและผู้มาติดต่อ)"),
}
# A practice survey must not pass for NACC's own form in ITAS; callers may pass note=None to leave it out.
PRACTICE_NOTE_TH = "แบบสำรวจนี้หน่วยงานจัดทำเองเพื่อเตรียมความพร้อม ไม่ใช่แบบวัดของสำนักงาน ป.ป.ช. ในระบบ ITAS"

# The satisfaction survey (tool SAT): the agency asks those it served to rate its services, in its own name.
SATISFACTION = "SAT"
SAT_KICKER = "การสำรวจความพึงพอใจของผู้รับบริการ"
SAT_HEADING = "ขอเชิญร่วมประเมินความพึงพอใจ"
SAT_NAME = "ต่อการให้บริการ"
# one sentence, broken where a reader pauses (a line break, not a paragraph): Thai wraps only at a word boundary
# it finds itself, and "การให้บริการ" split over two lines reads badly on a poster
SAT_INVITATION = (
    "ขอความร่วมมือท่านที่มาติดต่อหรือใช้บริการของหน่วยงาน",
    "ให้คะแนนความพึงพอใจต่อบริการที่ได้รับ เพื่อนำผลไปปรับปรุงการให้บริการให้ดียิ่งขึ้น",
)
SATISFACTION_NOTE_TH = "หน่วยงานรายงานผลการสำรวจในภาพรวมเท่านั้น ไม่มีการระบุตัวผู้ตอบ"
INVITATION_PT = 20


@dataclass(frozen=True)
class _Wording:
    """What a poster says, per tool: the layout is the same for every survey."""

    kicker: str
    heading: str
    name: str
    audience: str  # under the name, in brackets; empty for none
    invitation: tuple[str, ...]  # a whole sentence under the year, in lines; () for none
    minutes: tuple[int, int]
    note: str


def _wording(tool: str) -> _Wording:
    if tool == SATISFACTION:
        return _Wording(SAT_KICKER, SAT_HEADING, SAT_NAME, "", SAT_INVITATION, (2, 3), SATISFACTION_NOTE_TH)
    name, audience = TOOL_NAMES_TH[tool]
    return _Wording(KICKER, HEADING, name, audience, (), (5, 10), PRACTICE_NOTE_TH)


class _ToolNote(Enum):
    """The default of ``note``: the tool's own foot note (the practice note, or the satisfaction survey's)."""

    TOOL = "tool"


TOOL_NOTE = _ToolNote.TOOL


# ---------------------------------------------------------------------------------------------------------
# QR code


def _qr(url: str) -> segno.QRCode:
    if not url.strip():
        raise InputError("", "ต้องระบุลิงก์ของแบบสำรวจ (the survey URL is empty)", field="url")
    # Level M survives a scuffed or badly printed poster; segno raises it further when that costs no size.
    return segno.make_qr(url, error="m")


def survey_qr_png(url: str, scale: int = 10) -> bytes:
    """The QR code of a survey link as a PNG, ``scale`` pixels per module, with the standard 4-module margin."""
    buffer = io.BytesIO()
    _qr(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def survey_qr_svg(url: str) -> str:
    """The QR code as inline SVG for a web page: no XML declaration and no fixed size, so CSS sizes it.
    The light modules and quiet zone are painted white: on a dark page a transparent code does not scan."""
    buffer = io.BytesIO()
    _qr(url).save(
        buffer,
        kind="svg",
        xmldecl=False,
        omitsize=True,
        border=4,
        light="#fff",
        svgclass="survey-qr",
        title=f"QR Code: {url}",
    )
    return buffer.getvalue().decode("utf-8")


def _poster_png(url: str) -> bytes:
    width, _ = _qr(url).symbol_size(scale=1, border=4)
    return survey_qr_png(url, scale=max(10, math.ceil(QR_PIXELS / width)))


# ---------------------------------------------------------------------------------------------------------
# Thai typography (the rules of scripts/build-templates, for a document built in one go)


def _rpr(size: float, *, bold: bool = False, color: str | None = None) -> BaseOxmlElement:
    """Run properties in schema order: four font slots, bold and size for both scripts, Thai language."""
    half_points = round(size * 2)
    font = quoteattr(FONT)
    parts = [f"<w:rFonts w:ascii={font} w:hAnsi={font} w:eastAsia={font} w:cs={font}/>"]
    if bold:
        parts += ["<w:b/>", "<w:bCs/>"]
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    parts += [f'<w:sz w:val="{half_points}"/>', f'<w:szCs w:val="{half_points}"/>']
    parts.append('<w:lang w:val="th-TH" w:bidi="th-TH"/>')
    element: BaseOxmlElement = parse_xml(f"<w:rPr {nsdecls('w')}>{''.join(parts)}</w:rPr>")
    return element


def _setup_styles(document: DocumentObject) -> None:
    styles = document.styles.element
    # A theme attribute (asciiTheme, cstheme…) wins over an explicit font name in Word: remove them all.
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None  # python-docx's default template has them
    _replace_child(defaults.find(qn("w:rPrDefault")), _rpr(16))
    single = parse_xml(f'<w:pPr {nsdecls("w")}><w:spacing w:after="0"/></w:pPr>')  # no gap unless asked for
    _replace_child(defaults.find(qn("w:pPrDefault")), single)
    normal = document.styles["Normal"].element
    _replace_child(normal, _rpr(16), successors=("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"))


def _replace_child(parent: BaseOxmlElement | None, child: BaseOxmlElement, successors: Sequence[str] = ()) -> None:
    assert parent is not None
    for old in parent.findall(child.tag):
        parent.remove(old)
    _insert_before(parent, child, successors)


def _insert_before(parent: BaseOxmlElement, child: BaseOxmlElement, successors: Sequence[str]) -> None:
    """Insert child before the first of its schema successors: Word rejects children out of order."""
    later = {qn(tag) for tag in successors}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(child)
            return
    parent.append(child)


def _setup_package(document: DocumentObject, *, title: str, agency_name: str) -> None:
    settings = document.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")  # Word 2013+ layout, not compatibility mode
    for lang in settings.iter(qn("w:themeFontLang")):
        lang.set(qn("w:bidi"), "th-TH")
    properties = document.core_properties
    properties.title, properties.author, properties.language = title, agency_name, "th-TH"
    properties.last_modified_by, properties.comments = "", ""
    # python-docx keeps its template's 2013 dates; a poster made today should say today.
    properties.created = properties.modified = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    _drop_template_extras(document)
    _add_font_to_table(document)


def _drop_template_extras(document: DocumentObject) -> None:
    """python-docx's thumbnail (of its own blank page) and the Word 2010 stylesWithEffects copy of its
    ~150 theme-font styles: the first misdescribes the file, the second could pull Thai into Calibri."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rid)


def _add_font_to_table(document: DocumentObject) -> None:
    # Word picks a substitute for a missing TH SarabunPSK from the font table: charset DE (Thai) and a
    # swiss family steer it to a Thai sans font rather than a Latin one, as in the shipped templates.
    part = next(rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FONT_TABLE)
    root = parse_xml(part.blob)
    font = OxmlElement("w:font", attrs={qn("w:name"): FONT})
    for child, value in (("charset", "DE"), ("family", "swiss"), ("pitch", "variable")):
        font.append(OxmlElement(f"w:{child}", attrs={qn("w:val"): value}))
    root.append(font)
    # python-docx loads the font table as a plain part, with no API to edit it.
    part._blob = serialize_part_xml(root)


def _setup_page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_W), Cm(PAGE_H)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(MARGIN))


# ---------------------------------------------------------------------------------------------------------
# Content


def _paragraph(
    container: DocumentObject | _Cell,
    *,
    before: float = 0,
    after: float = 0,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    reuse: Paragraph | None = None,
) -> Paragraph:
    paragraph = reuse if reuse is not None else container.add_paragraph()
    layout = paragraph.paragraph_format
    layout.alignment = align
    layout.space_before, layout.space_after, layout.line_spacing = Pt(before), Pt(after), 1.0
    layout.keep_together = True
    return paragraph


def _text(paragraph: Paragraph, text: str, size: float, *, bold: bool = False, color: str | None = None) -> None:
    run = paragraph.add_run(text)
    run._r.insert(0, _rpr(size, bold=bold, color=color))


def _line(
    container: DocumentObject | _Cell,
    text: str,
    size: float,
    *,
    bold: bool = False,
    color: str | None = None,
    before: float = 0,
    after: float = 0,
) -> Paragraph:
    paragraph = _paragraph(container, before=before, after=after)
    _text(paragraph, text, size, bold=bold, color=color)
    return paragraph


def _link(paragraph: Paragraph, url: str, size: float) -> None:
    """The URL as a clickable hyperlink run (python-docx has no API for adding one)."""
    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    run.append(_rpr(size, bold=True, color=ACCENT))
    text = OxmlElement("w:t")
    text.text = url
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _rule(paragraph: Paragraph, side: str) -> None:
    """A thin accent line above or below a paragraph, the width of the text area (a letterhead's rule)."""
    border = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="12" w:space="6" w:color="{ACCENT}"/></w:pBdr>'
    )
    _insert_before(paragraph._p.get_or_add_pPr(), border, PPR_AFTER_BORDER)


def _header(document: DocumentObject, wording: _Wording, agency_name: str, year: str) -> None:
    _rule(_line(document, wording.kicker, KICKER_PT, bold=True, color=ACCENT, after=24), "bottom")
    _line(document, wording.heading, HEADING_PT, bold=True, color=ACCENT, after=6)
    _line(document, wording.name, TOOL_PT, bold=True, after=0 if wording.audience else 22)
    if wording.audience:
        _line(document, wording.audience, AUDIENCE_PT, after=22)
    _line(document, agency_name.strip(), AGENCY_PT, bold=True)
    _line(document, f"ประจำปีงบประมาณ พ.ศ. {year}", YEAR_PT, after=12 if wording.invitation else 18)
    if wording.invitation:
        paragraph = _paragraph(document, after=12)
        for index, line in enumerate(wording.invitation):
            _text(paragraph, line, INVITATION_PT)
            if index < len(wording.invitation) - 1:
                paragraph.runs[-1].add_break()


def _qr_block(document: DocumentObject, url: str) -> None:
    picture = _paragraph(document, after=2)
    picture.paragraph_format.keep_with_next = True
    run = picture.add_run()
    run._r.insert(0, _rpr(SCAN_PT))  # the Thai run rules here too, for anything typed next to the code in Word
    run.add_picture(io.BytesIO(_poster_png(url)), width=Cm(QR_CM), height=Cm(QR_CM))
    _line(document, "สแกน QR Code หรือเปิดลิงก์", SCAN_PT, color=MUTED)
    _link(_paragraph(document, after=24), url, LONG_URL_PT if len(url) > LONG_URL else URL_PT)


def _points(wording: _Wording, closes: dt.date | None, thai_digits: bool) -> list[str]:
    minutes = "–".join(str(n) for n in wording.minutes)
    minutes = to_thai_digits(minutes) if thai_digits else minutes
    points = ["ไม่ต้องลงชื่อ ไม่เก็บข้อมูลที่ระบุตัวตน", f"ใช้เวลาประมาณ {minutes} นาที", "ตอบผ่านโทรศัพท์มือถือได้"]
    if closes is not None:
        points.append(f"เปิดรับคำตอบถึงวันที่ {thai_date(closes, thai_digits=thai_digits)}")
    return points


def _box(document: DocumentObject, points: Sequence[str]) -> None:
    """The key facts in a pale, thin-bordered box, left-aligned so the bullets line up."""
    table = document.add_table(rows=1, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # LibreOffice ignores cell widths unless the grid column has one too.
    table._tbl.tblGrid.gridCol_lst[0].w = Cm(BOX_CM)
    cell = table.cell(0, 0)
    cell.width = Cm(BOX_CM)
    _box_style(table._tbl.tblPr, cell._tc.get_or_add_tcPr())
    for index, point in enumerate(points):
        reuse = cell.paragraphs[0] if index == 0 else None
        paragraph = _paragraph(cell, before=3, after=3, align=WD_ALIGN_PARAGRAPH.LEFT, reuse=reuse)
        _text(paragraph, "•  ", POINT_PT, bold=True, color=ACCENT)
        _text(paragraph, point, POINT_PT)


def _box_style(tbl_pr: BaseOxmlElement, tc_pr: BaseOxmlElement) -> None:
    sides = "".join(
        f'<w:{side} w:val="single" w:sz="8" w:space="0" w:color="{BOX_LINE}"/>'
        for side in ("top", "left", "bottom", "right")
    )
    borders = parse_xml(f"<w:tblBorders {nsdecls('w')}>{sides}</w:tblBorders>")
    _insert_before(tbl_pr, borders, ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption"))
    # Generous cell margins: Thai upper marks must not touch the border, and the box should breathe.
    margins = "".join(
        f'<w:{side} w:w="{round(Cm(cm).twips)}" w:type="dxa"/>'
        for side, cm in (("top", 0.25), ("left", 0.6), ("bottom", 0.25), ("right", 0.6))
    )
    cell_margins = parse_xml(f"<w:tblCellMar {nsdecls('w')}>{margins}</w:tblCellMar>")
    _insert_before(tbl_pr, cell_margins, ("w:tblLook", "w:tblCaption", "w:tblDescription"))
    shading = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{BOX_FILL}"/>')
    _insert_before(tc_pr, shading, ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign"))


def _footer(document: DocumentObject, note: str) -> None:
    """The tool's note at the foot of the page, under a rule, wherever the content above ends."""
    paragraph = _paragraph(document, reuse=document.sections[0].footer.paragraphs[0])
    _text(paragraph, note, NOTE_PT, color=MUTED)
    _rule(paragraph, "top")


def _check(agency_name: str, tool: str, fiscal_year: int) -> None:
    if tool not in (*TOOL_NAMES_TH, SATISFACTION):
        raise InputError(
            "", f"แบบสำรวจต้องเป็น IIT, EIT หรือ SAT ไม่ใช่ {tool!r} (tool must be IIT, EIT or SAT)", field="tool"
        )
    if not agency_name.strip():
        raise InputError("", "ต้องระบุชื่อหน่วยงาน (the agency name is empty)", field="agency_name")
    if not 2500 <= fiscal_year <= 2700:
        raise InputError("", f"ปีงบประมาณต้องเป็น พ.ศ. เช่น 2565 ไม่ใช่ {fiscal_year} (a B.E. year)", field="fiscal_year")


def poster_docx(
    *,
    agency_name: str,
    tool: str,
    fiscal_year: int,
    url: str,
    closes: dt.date | None = None,
    thai_digits: bool = True,
    note: str | _ToolNote | None = TOOL_NOTE,
) -> bytes:
    """An A4 poster inviting people to the survey at ``url``; ``fiscal_year`` is Buddhist-era (2565). ``tool``
    is IIT or EIT (a practice ITA survey) or SAT (the agency's satisfaction survey). ``note`` is the line at
    the foot: by default the tool's own (PRACTICE_NOTE_TH, SATISFACTION_NOTE_TH), None for none."""
    _check(agency_name, tool, fiscal_year)
    wording = _wording(tool)
    year = to_thai_digits(str(fiscal_year)) if thai_digits else str(fiscal_year)
    document = docx.Document()
    _setup_styles(document)
    _setup_page(document)
    _setup_package(document, title=f"{wording.heading} {wording.name}", agency_name=agency_name.strip())
    _header(document, wording, agency_name, year)
    _qr_block(document, url)
    _box(document, _points(wording, closes, thai_digits))
    foot = wording.note if note is TOOL_NOTE else note
    if isinstance(foot, str) and foot:
        _footer(document, foot)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class PosterFields(TypedDict, total=False):
    """What ``poster_docx`` takes, so that ``poster_pdf`` passes it on without naming it again."""

    agency_name: Required[str]
    tool: Required[str]
    fiscal_year: Required[int]
    url: Required[str]
    closes: dt.date | None
    thai_digits: bool
    note: str | _ToolNote | None


def poster_pdf(converter: Converter, **poster: Unpack[PosterFields]) -> bytes:
    """The poster as PDF, through LibreOffice and the bundled Sarabun (see ``pdf_variant``)."""
    return converter.to_pdf(poster_docx(**poster), "poster")
