"""The survey QR code and the printable Thai poster: PNG/SVG, DOCX typography and text, and the PDF."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import docx
import pytest
import segno
from docx.shared import Cm
from PIL import Image

from prongsai.documents.pdf import Converter
from prongsai.documents.poster import (
    KICKER,
    PRACTICE_NOTE_TH,
    SATISFACTION_NOTE_TH,
    TOOL_NAMES_TH,
    poster_docx,
    poster_pdf,
    survey_qr_png,
    survey_qr_svg,
)
from prongsai.errors import InputError

URL = "https://prongsai.example.go.th/s/iit/Ab3kZ9"
AGENCY = "องค์การบริหารส่วนตำบลทรงคนอง"
HEADING = "ขอเชิญร่วมตอบแบบสำรวจความคิดเห็น"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
IIT: dict[str, Any] = {"agency_name": AGENCY, "tool": "IIT", "fiscal_year": 2565, "url": URL}
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None or shutil.which("pdfimages") is None,
    reason="LibreOffice and poppler-utils are installed by .ci/run",
)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [p.text for table in document.tables for cell in table._cells for p in cell.paragraphs]
    parts += [p.text for section in document.sections for p in section.footer.paragraphs]
    return "\n".join(parts)


def part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def modules(png: bytes, url: str) -> list[list[bool]]:
    """The dark/light modules read back from a QR PNG, sampled at each module's centre."""
    image = Image.open(io.BytesIO(png)).convert("L")
    size = len(segno.make_qr(url, error="m").matrix) + 8  # 4-module quiet zone on each side
    step = image.width / size
    return [
        [image.getpixel((int((x + 0.5) * step), int((y + 0.5) * step))) < 128 for x in range(4, size - 4)]  # type: ignore[operator]
        for y in range(4, size - 4)
    ]


def expected_modules(url: str) -> list[list[bool]]:
    return [[bool(bit) for bit in row] for row in segno.make_qr(url, error="m").matrix]


# ---------------------------------------------------------------------------------------------------------
# QR code


def test_the_png_is_a_square_qr_of_the_url_at_the_asked_scale() -> None:
    png = survey_qr_png(URL, scale=7)
    image = Image.open(io.BytesIO(png))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    side = (len(segno.make_qr(URL, error="m").matrix) + 8) * 7
    assert image.size == (side, side)
    assert modules(png, URL) == expected_modules(URL)


def test_a_different_url_gives_a_different_code() -> None:
    other = URL.replace("Ab3kZ9", "Ab3kZ8")
    assert survey_qr_png(URL) != survey_qr_png(other)
    assert survey_qr_svg(URL) != survey_qr_svg(other)


def test_the_svg_is_inline_and_scalable() -> None:
    svg = survey_qr_svg(URL)
    assert not svg.startswith("<?xml")
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "viewBox" in root.attrib and "width" not in root.attrib
    assert root.attrib["class"] == "survey-qr"
    assert URL in svg  # in the <title>, for screen readers
    assert 'fill="#fff"' in svg  # a white quiet zone, so the code scans on a dark page too


def test_an_empty_url_is_refused() -> None:
    with pytest.raises(InputError, match="the survey URL is empty"):
        survey_qr_png("  ")


# ---------------------------------------------------------------------------------------------------------
# DOCX


@pytest.fixture(scope="module")
def iit_docx() -> bytes:
    return poster_docx(**IIT, closes=dt.date(2022, 4, 30))


def test_the_poster_says_who_asks_what_and_until_when(iit_docx: bytes) -> None:
    text = docx_text(iit_docx)
    for expected in (
        HEADING,
        "การรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน",
        "(บุคลากรในหน่วยงาน)",
        AGENCY,
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
        URL,
        "ไม่ต้องลงชื่อ ไม่เก็บข้อมูลที่ระบุตัวตน",
        "ใช้เวลาประมาณ ๕–๑๐ นาที",
        "โทรศัพท์มือถือ",
        "เปิดรับคำตอบถึงวันที่ ๓๐ เมษายน ๒๕๖๕",
        PRACTICE_NOTE_TH,
    ):
        assert expected in text, expected


def test_the_external_poster_names_its_audience_and_can_use_arabic_digits() -> None:
    text = docx_text(poster_docx(**{**IIT, "tool": "EIT"}, thai_digits=False, note=None))
    assert "การรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก" in text and TOOL_NAMES_TH["EIT"][1] in text
    assert "ประจำปีงบประมาณ พ.ศ. 2565" in text and "5–10 นาที" in text
    assert "เปิดรับคำตอบ" not in text  # no closing date given
    assert PRACTICE_NOTE_TH not in text


# the satisfaction survey's invitation, as the poster prints it (two lines of one sentence)
SAT_INVITATION = (
    "ขอความร่วมมือท่านที่มาติดต่อหรือใช้บริการของหน่วยงาน",
    "ให้คะแนนความพึงพอใจต่อบริการที่ได้รับ เพื่อนำผลไปปรับปรุงการให้บริการให้ดียิ่งขึ้น",
)


def test_the_satisfaction_poster_invites_those_served_to_rate_the_services() -> None:
    text = docx_text(poster_docx(**{**IIT, "tool": "SAT"}, closes=dt.date(2022, 8, 31)))
    for expected in (
        "ขอเชิญร่วมประเมินความพึงพอใจ",
        "ต่อการให้บริการ",
        *SAT_INVITATION,
        AGENCY,
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
        URL,
        "ไม่ต้องลงชื่อ ไม่เก็บข้อมูลที่ระบุตัวตน",
        "ใช้เวลาประมาณ ๒–๓ นาที",
        "เปิดรับคำตอบถึงวันที่ ๓๑ สิงหาคม ๒๕๖๕",
        SATISFACTION_NOTE_TH,
    ):
        assert expected in text, expected
    # nothing of the ITA: it is the agency's own survey of its services, not a practice IIT/EIT
    for ita in (KICKER, "ITA", HEADING, PRACTICE_NOTE_TH, "ผู้มีส่วนได้ส่วนเสีย", "ป.ป.ช."):
        assert ita not in text, ita
    assert not re.search(r"[A-Za-z]", text.replace(URL, "").replace("QR Code", ""))  # no English words
    assert SATISFACTION_NOTE_TH not in docx_text(poster_docx(**{**IIT, "tool": "SAT"}, note=None))


def test_every_run_and_the_defaults_are_th_sarabunpsk_for_thai(iit_docx: bytes) -> None:
    for name in ("word/document.xml", "word/footer1.xml"):
        root = ElementTree.fromstring(part(iit_docx, name))
        runs = list(root.iter(f"{W}r"))
        assert runs
        for run in runs:
            rpr = run.find(f"{W}rPr")
            assert rpr is not None, name
            fonts = rpr.find(f"{W}rFonts")
            assert fonts is not None
            assert {fonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"TH SarabunPSK"}
            assert rpr.find(f"{W}szCs") is not None
            lang = rpr.find(f"{W}lang")
            assert lang is not None and lang.get(f"{W}bidi") == "th-TH"
            # Bold for Latin and for Thai together (Word reads bCs for Thai), or neither.
            assert (rpr.find(f"{W}b") is None) == (rpr.find(f"{W}bCs") is None)
    styles = part(iit_docx, "word/styles.xml")
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S)
    assert defaults is not None and 'w:cs="TH SarabunPSK"' in defaults.group(0)
    assert '<w:lang w:val="th-TH" w:bidi="th-TH"/>' in defaults.group(0)
    assert "Theme=" not in styles and "cstheme" not in styles


def test_the_package_is_clean_a4_with_a_large_qr_and_a_live_link(iit_docx: bytes) -> None:
    names = zipfile.ZipFile(io.BytesIO(iit_docx)).namelist()
    assert not any("thumbnail" in n or "stylesWithEffects" in n for n in names)
    assert 'w:name="TH SarabunPSK"' in part(iit_docx, "word/fontTable.xml")
    document = docx.Document(io.BytesIO(iit_docx))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    (shape,) = document.inline_shapes
    assert 9 <= shape.width / Cm(1) <= 10 and shape.width == shape.height
    assert f'Target="{URL}" TargetMode="External"' in part(iit_docx, "word/_rels/document.xml.rels")
    assert document.core_properties.author == AGENCY


def test_the_poster_qr_encodes_the_url(iit_docx: bytes) -> None:
    png = zipfile.ZipFile(io.BytesIO(iit_docx)).read("word/media/image1.png")
    assert Image.open(io.BytesIO(png)).width >= 1000  # sharp at 9.5 cm in print
    assert modules(png, URL) == expected_modules(URL)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tool": "OIT"}, "tool must be IIT, EIT or SAT"),
        ({"agency_name": " "}, "the agency name is empty"),
        ({"fiscal_year": 2022}, "a B.E. year"),
        ({"url": ""}, "the survey URL is empty"),
    ],
)
def test_bad_input_is_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        poster_docx(**{**IIT, **change})


# ---------------------------------------------------------------------------------------------------------
# PDF (LibreOffice, bundled Sarabun)

LONG = {
    "agency_name": "สำนักงานสาธารณสุขจังหวัดนครศรีธรรมราช สำนักงานปลัดกระทรวงสาธารณสุข กระทรวงสาธารณสุข",
    "tool": "EIT",
    "fiscal_year": 2568,
    "url": "https://ita-practice.nakhonsithammarat-provincial-health.go.th/survey/eit/9f8e7d6c5b4a3210",
    "closes": dt.date(2025, 5, 31),
}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    folder = tmp_path_factory.mktemp("poster")
    converter = Converter(folder / "lo")
    try:
        paths = {"iit": folder / "iit.pdf", "long": folder / "long.pdf", "sat": folder / "sat.pdf"}
        paths["iit"].write_bytes(poster_pdf(converter, **IIT, closes=dt.date(2022, 4, 30)))
        paths["long"].write_bytes(poster_pdf(converter, **LONG))
        paths["sat"].write_bytes(poster_pdf(converter, **{**LONG, "tool": "SAT"}))
        yield paths
    finally:
        converter.close()


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@needs_libreoffice
def test_the_pdf_has_searchable_thai_text_and_the_url(pdfs: dict[str, Path]) -> None:
    text = run("pdftotext", str(pdfs["iit"]), "-")
    for expected in (HEADING, "การรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน", AGENCY, "พ.ศ. ๒๕๖๕", URL, "๓๐ เมษายน ๒๕๖๕"):
        assert expected in text, expected
    assert "Sarabun" in run("pdffonts", str(pdfs["iit"]))


@needs_libreoffice
def test_the_pdf_holds_the_qr_image(pdfs: dict[str, Path]) -> None:
    rows = run("pdfimages", "-list", str(pdfs["iit"])).splitlines()[2:]
    assert len(rows) == 1
    width, height = (int(v) for v in rows[0].split()[3:5])
    assert width == height >= 1000


@needs_libreoffice
def test_a_long_agency_name_and_link_still_fit_on_one_page(pdfs: dict[str, Path]) -> None:
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", str(pdfs["long"])), re.M)
    text = run("pdftotext", str(pdfs["long"]), "-")
    assert LONG["url"] in text and "พ.ศ. ๒๕๖๘" in text and "๓๑ พฤษภาคม ๒๕๖๘" in text


@needs_libreoffice
def test_the_satisfaction_poster_pdf_is_one_page_of_whole_thai_words(pdfs: dict[str, Path]) -> None:
    """The long agency name and link too; pdftotext reads the invitation and the closing date whole."""
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", str(pdfs["sat"])), re.M)
    text = run("pdftotext", str(pdfs["sat"]), "-")
    for expected in (*SAT_INVITATION, "ขอเชิญร่วมประเมินความพึงพอใจ", "เปิดรับคำตอบถึงวันที่ ๓๑ พฤษภาคม ๒๕๖๘",
                     "พ.ศ. ๒๕๖๘", SATISFACTION_NOTE_TH, LONG["url"]):  # fmt: skip
        assert expected in text, expected
    rows = run("pdfimages", "-list", str(pdfs["sat"])).splitlines()[2:]
    assert len(rows) == 1  # the QR code
