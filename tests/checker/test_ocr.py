"""OCR: pictures of Thai documents read with Tesseract's Thai model (Debian tesseract-ocr-tha, installed by .ci/run).

A scan is made here from Thai text drawn with a Thai font (words the test does not hand to the reader), and a real
scanned PDF of ../shared/real-docs is read; the verdict says the text came from OCR; PRONGSAI_OCR=off (or no
Tesseract) leaves a scan unreadable with its reason.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from prongsai.checker import ocr
from prongsai.checker.extraction import Kind, extract
from prongsai.checker.fetch import FetchResult, Outcome
from prongsai.checker.verdict import Verdict, judge
from prongsai.frameworks import get_framework

REAL_DOCS = Path(__file__).parents[2].parent / "shared" / "real-docs"
FONT = Path("/usr/share/fonts/truetype/tlwg/Garuda.ttf")  # Thai and Latin glyphs (fonts-thai-tlwg)
LINES = (
    "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    "ประจำปีงบประมาณ พ.ศ. 2565",
    "องค์การบริหารส่วนตำบลน้ำใส",
    "ผลการวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2565",
    "แนวทางการนำมาตรการไปสู่การปฏิบัติ ผู้รับผิดชอบ",
)
needs_tesseract = pytest.mark.skipif(not ocr.available(), reason="Tesseract's Thai model is installed by .ci/run")
needs_font = pytest.mark.skipif(not FONT.exists(), reason="fonts-thai-tlwg is installed by .ci/run")


def _scan(kind: str) -> bytes:
    """A page of typed Thai as a scanner gives it: a picture at 200 dpi, no text layer."""
    page = Image.new("L", (1654, 1169), "white")  # A4 landscape at 200 dpi, the text large and clear
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), 44)
    for number, line in enumerate(LINES):
        draw.text((100, 120 + number * 110), line, font=font, fill="black")
    buffer = io.BytesIO()
    page.save(buffer, kind, resolution=200)
    return buffer.getvalue()


def _fetched(url: str, body: bytes, content_type: str) -> FetchResult:
    from datetime import UTC, datetime

    return FetchResult(
        url=url,
        final_url=url,
        outcome=Outcome.OK,
        status=200,
        content_type=content_type,
        body=body,
        headers={},
        redirects=(),
        elapsed=0.1,
        fetched_at=datetime.now(UTC),
        error_th="",
        error_en="",
    )


@needs_tesseract
@needs_font
@pytest.mark.parametrize(("kind", "content_type"), [("PDF", "application/pdf"), ("PNG", "image/png")])
def test_a_scan_is_read_by_ocr(kind: str, content_type: str) -> None:
    document = extract(_scan(kind), content_type, "https://www.example.go.th/ita/o36/measures")
    assert document.text_source == "ocr" and not document.unreadable, document
    assert document.ocr_confidence is not None and document.ocr_confidence >= 60
    text = document.text.replace(" ", "")
    for phrase in ("มาตรการส่งเสริมคุณธรรม", "องค์การบริหารส่วนตำบล", "ผู้รับผิดชอบ"):
        assert phrase in text, (phrase, document.text)


@needs_tesseract
@needs_font
def test_the_verdict_says_the_text_came_from_ocr_and_wants_the_year_twice() -> None:
    framework = get_framework(2565)
    item = next(i for i in framework.items if "มาตรการส่งเสริมคุณธรรม" in i.title_th)
    body = _scan("PDF")
    document = extract(body, "application/pdf", "https://www.example.go.th/ita/measures.pdf")
    check = judge(
        item, framework, _fetched("https://www.example.go.th/ita/measures.pdf", body, "application/pdf"), document
    )
    data = check.as_dict()
    assert data["text_source"] == "ocr" and data["ocr_confidence"] >= 60
    # The scan states 2565 twice: OCR's reading of the year has its second signal.
    assert check.verdict is Verdict.OK, check
    assert "OCR" in check.reason_th


@needs_tesseract
def test_a_real_scan_is_read() -> None:
    path = REAL_DOCS / "yc-apgar-sp-scan.pdf"
    if not path.exists():
        pytest.skip("../shared/real-docs is not here")
    document = extract(path.read_bytes(), "application/pdf", "https://example.go.th/sp.pdf")
    assert document.text_source == "ocr" and document.kind is Kind.PDF
    assert "โรงพยาบาลสมเด็จพระยุพราชยะหา" in document.text.replace(" ", "")


def test_a_blank_scan_stays_unreadable() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "PDF")
    document = extract(buffer.getvalue(), "application/pdf", "https://example.go.th/blank.pdf")
    assert document.unreadable and document.text_source == "text" and document.ocr_confidence is None


@needs_font
def test_without_ocr_a_scan_is_unreadable_with_its_reason(tmp_path: Path) -> None:
    """PRONGSAI_OCR=off stands for a machine without Tesseract: the checker goes on and says what it could not read."""
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_scan("PDF"))
    script = (
        "import json, sys; from prongsai.checker.extraction import extract; "
        "d = extract(open(sys.argv[1], 'rb').read(), 'application/pdf', 'https://x.go.th/a.pdf'); "
        "print(json.dumps([d.unreadable, d.text_source, d.unusable_reason]))"
    )
    env = {**os.environ, "PRONGSAI_OCR": "off"}
    out = subprocess.run([sys.executable, "-c", script, str(scan)], capture_output=True, text=True, env=env, check=True)
    unreadable, source, _reason = json.loads(out.stdout)
    assert unreadable is True and source == "text"


@needs_tesseract
@needs_font
def test_a_pdf2htmlex_page_of_pictures_is_read_by_ocr() -> None:
    """A PDF shown as HTML by pdf2htmlEX whose pages are pictures (their backgrounds, as data: URLs)."""
    import base64

    picture = base64.b64encode(_scan("PNG")).decode()
    page = (
        '<!DOCTYPE html><html><head><meta name="generator" content="pdf2htmlEX"><title></title></head><body>'
        f'<div id="page-container"><div id="pf1" class="pf w0 h0"><img class="bi x0 y0 w1 h1" alt="" '
        f'src="data:image/png;base64,{picture}"/></div></div></body></html>'
    )
    document = extract(page.encode(), "text/html", "https://www.example.go.th/ita/o36.html")
    assert document.kind is Kind.HTML and document.text_source == "ocr" and not document.unreadable, document
    assert "มาตรการส่งเสริมคุณธรรม" in document.text.replace(" ", "")


@pytest.mark.parametrize(
    ("text", "legible"),
    [
        ("มาตรการส่งเสริมคุณธรรม\nประจำปีงบประมาณ พ.ศ. 2565\nองค์การบริหารส่วนตำบลหนองแก", True),
        ("นายสมชาย ใจดี\n| = ,\nt an, |\nนักวิชาการคลัง\n2 i 5\n~~ |\n; ; — กฒ DN", False),
        ("", False),
    ],
)
def test_legible_share_tells_typed_pages_from_photographs(text: str, legible: bool) -> None:
    from prongsai.checker.verdict import MIN_LEGIBLE_OCR

    assert (ocr.legible_share(text) >= MIN_LEGIBLE_OCR) is legible
