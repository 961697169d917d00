"""What the checker reads behind a link: extraction of real-shaped Thai fixtures made here (no network).

Fixtures are built in the test: HTML in UTF-8 and TIS-620, a JavaScript shell, login pages, a DOCX (python-docx),
an XLSX (openpyxl), a text PDF (LibreOffice, skipped without soffice) and a scanned PDF (Pillow).
"""

from __future__ import annotations

import io
import shutil
import threading
import time
import zipfile
from functools import cache
from typing import Any
from urllib.parse import urljoin

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from prongsai.checker import extraction
from prongsai.checker.extraction import Document, Kind, detect_kind, extract
from prongsai.checker.matching import match_item
from prongsai.checker.years import covers
from prongsai.framework import Framework
from prongsai.frameworks import get_framework

from .texts import MEASURES_TEXT, RISK_TEXT, URL


@pytest.fixture(scope="module")
def fy2565() -> Framework:
    return get_framework(2565)


def _html(body: str, *, title: str = "องค์การบริหารส่วนตำบลน้ำใส", head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


RISK_PAGE = _html(
    f"""<nav><a href="/">หน้าแรก</a> <a href="/ita/">ITA</a></nav>
    <h1>O36 การประเมินความเสี่ยงการทุจริตประจำปี</h1>
    <script>var note = "ข่าวประชาสัมพันธ์ในสคริปต์ ไม่ใช่ข้อความของหน้า";</script>
    <style>.x {{ content: "ผู้บริหาร"; }}</style>
    <p>{RISK_TEXT}</p>
    <table><tr><td>แผน</td><td>งาน</td></tr></table>
    <a href="plan.pdf">ดาวน์โหลด</a>
    <a href="https://drive.google.com/file/d/abc/view"><img src="pdf.png" alt="เอกสาร O36"></a>
    <a href="javascript:void(0)">พิมพ์</a> <a href="#top">ขึ้นบน</a>
    <iframe src="/files/o36.pdf" title="ไฟล์ O36"></iframe>""",
    title="O36 การประเมินความเสี่ยงการทุจริต - อบต.น้ำใส",
)

TIS_BODY = "<p>ข่าวประชาสัมพันธ์ ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ องค์การบริหารส่วนตำบลน้ำใส</p>"
TIS_PAGE = _html(TIS_BODY, title="ข่าวประชาสัมพันธ์")
META_TIS = _html(TIS_BODY, head='<meta http-equiv="Content-Type" content="text/html; charset=tis-620">')

JS_SHELL = _html(
    '<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>'
    '<script src="/static/js/main.8a1b.js"></script>',
    title="ITA",
)
LOGIN_PAGE = _html(
    '<h2>เข้าสู่ระบบ</h2><form method="post" action="/login"><label>ชื่อผู้ใช้</label><input name="user">'
    '<label>รหัสผ่าน</label><input type="password" name="pass"><button>เข้าสู่ระบบ</button></form>',
    title="เข้าสู่ระบบ",
)
SIDEBAR_LOGIN_PAGE = _html(
    f'<aside><form><input name="u"><input type="PASSWORD" name="p"><button>เข้าสู่ระบบ</button></form></aside>'
    f"<main><h1>มาตรการส่งเสริมคุณธรรม</h1><p>{MEASURES_TEXT}</p><p>{RISK_TEXT}</p><p>{MEASURES_TEXT}</p></main>"
)
LOGIN_MESSAGE_PAGE = _html("<p>กรุณาเข้าสู่ระบบก่อนดูเอกสาร</p>", title="ITA")


def _expect(kind: Kind, *, javascript: bool = False, login: bool = False, unreadable: bool = False) -> dict[str, Any]:
    return {"kind": kind, "needs_javascript": javascript, "needs_login": login, "unreadable": unreadable}


def _fields(document: Document) -> dict[str, Any]:
    return {
        "kind": document.kind,
        "needs_javascript": document.needs_javascript,
        "needs_login": document.needs_login,
        "unreadable": document.unreadable,
    }


# --- fixtures: office files and PDFs ------------------------------------------------------------


@cache
def docx_bytes() -> bytes:
    document = docx.Document()
    document.core_properties.title = "รายงานผลการดำเนินการป้องกันการทุจริต"
    document.sections[0].header.paragraphs[0].text = "องค์การบริหารส่วนตำบลน้ำใส"
    document.add_heading("รายงานผลการดำเนินการป้องกันการทุจริตประจำปี", 1)
    document.add_paragraph("ประจำปีงบประมาณ พ.ศ. ๒๕๖๔ ผู้บริหารท้องถิ่นกำกับติดตามการดำเนินงานตามแผนปฏิบัติการ")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "โครงการ"
    table.cell(0, 1).text = "ผลการดำเนินงาน"
    table.cell(1, 0).text = "อบรมคุณธรรมจริยธรรม"
    table.cell(1, 1).text = "ดำเนินการแล้ว"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@cache
def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "สรุปผลจัดซื้อจัดจ้าง ต.ค. 64"
    sheet.append(["ลำดับ", "งานที่จัดซื้อจัดจ้าง", "วงเงิน (บาท)", "วิธีซื้อหรือจ้าง"])
    sheet.append([1, "จัดซื้อวัสดุสำนักงาน", 12500.0, "เฉพาะเจาะจง"])
    sheet.append([2, "จ้างซ่อมแซมถนน", 2565, "เฉพาะเจาะจง"])
    second = workbook.create_sheet("พ.ย. 64")
    second.append(["สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือนพฤศจิกายน 2564"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@cache
def scanned_pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buffer, "PDF")  # a page that is only a picture
    return buffer.getvalue()


@cache
def text_pdf_bytes() -> bytes:
    from prongsai.documents.pdf import Converter

    converter = Converter()
    try:
        return converter.to_pdf(docx_bytes(), "report")
    finally:
        converter.close()


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is needed")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


# --- kinds ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "url", "body", "kind"),
    [
        pytest.param("text/html; charset=utf-8", URL, b"<html><body>x</body></html>", Kind.HTML, id="html"),
        pytest.param("application/xhtml+xml", URL, b"<html/>", Kind.HTML, id="xhtml"),
        pytest.param("application/pdf", URL, b"%PDF-1.7\n...", Kind.PDF, id="pdf"),
        pytest.param("text/html", f"{URL}download.php?id=7", b"%PDF-1.4\n...", Kind.PDF, id="pdf-served-as-html"),
        pytest.param("application/pdf", URL, b"<!DOCTYPE html><html>404</html>", Kind.HTML, id="error-page-as-pdf"),
        pytest.param("application/octet-stream", f"{URL}get?f=1", None, Kind.DOCX, id="docx-by-magic"),
        pytest.param("application/zip", URL, "xlsx", Kind.XLSX, id="xlsx-by-magic"),
        pytest.param("image/jpeg", URL, b"\xff\xd8\xff\xe0", Kind.IMAGE, id="jpeg-type"),
        pytest.param("", f"{URL}o1.png", PNG, Kind.IMAGE, id="png-magic"),
        pytest.param("application/octet-stream", f"{URL}plan.PDF", b"broken", Kind.PDF, id="pdf-by-extension"),
        pytest.param("", f"{URL}o1.jpg", b"", Kind.IMAGE, id="image-by-extension"),
        pytest.param("application/msword", f"{URL}old.doc", b"\xd0\xcf\x11\xe0", Kind.OTHER, id="doc"),
        pytest.param("", URL, b"", Kind.OTHER, id="nothing"),
    ],
)
def test_detect_kind(content_type: str, url: str, body: bytes | str | None, kind: Kind) -> None:
    data = docx_bytes() if body is None else xlsx_bytes() if body == "xlsx" else body
    assert isinstance(data, bytes)
    assert detect_kind(content_type, url, data) is kind


# --- HTML -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "expected", "contains"),
    [
        pytest.param(
            RISK_PAGE.encode(),
            "text/html; charset=utf-8",
            _expect(Kind.HTML),
            "การประเมินความเสี่ยงการทุจริต",
            id="utf-8",
        ),
        pytest.param(
            META_TIS.encode("tis-620"),
            "text/html",
            _expect(Kind.HTML),
            "ข่าวประชาสัมพันธ์",
            id="tis-620-meta",
        ),
        pytest.param(
            TIS_PAGE.encode("cp874"),
            "text/html; charset=windows-874",
            _expect(Kind.HTML),
            "ข่าวประชาสัมพันธ์",
            id="cp874-header",
        ),
        pytest.param(
            TIS_PAGE.encode("tis-620"),
            "text/html; charset=utf-8",
            _expect(Kind.HTML),
            "ข่าวประชาสัมพันธ์",
            id="tis-620-header-says-utf-8",
        ),
        pytest.param(
            TIS_PAGE.encode("tis-620"),
            "text/html; charset=ISO-8859-1",
            _expect(Kind.HTML),
            "ข่าวประชาสัมพันธ์",
            id="tis-620-header-says-latin-1",
        ),
        pytest.param(
            META_TIS.encode("utf-8"),
            "text/html",
            _expect(Kind.HTML),
            "ข่าวประชาสัมพันธ์",
            id="utf-8-meta-says-tis-620",
        ),
        pytest.param(
            b"\xef\xbb\xbf" + RISK_PAGE.encode(),
            "text/html; charset=tis-620",
            _expect(Kind.HTML),
            "ความเสี่ยง",
            id="bom",
        ),
        pytest.param(
            JS_SHELL.encode(),
            "text/html",
            _expect(Kind.HTML, javascript=True),
            "",
            id="javascript-shell",
        ),
        pytest.param(
            LOGIN_PAGE.encode(),
            "text/html",
            _expect(Kind.HTML, login=True),
            "รหัสผ่าน",
            id="login-form",
        ),
        pytest.param(
            LOGIN_MESSAGE_PAGE.encode(),
            "text/html",
            _expect(Kind.HTML, login=True),
            "กรุณาเข้าสู่ระบบ",
            id="login-message",
        ),
        pytest.param(
            SIDEBAR_LOGIN_PAGE.encode(),
            "text/html",
            _expect(Kind.HTML),
            "มาตรการส่งเสริมคุณธรรม",
            id="content-with-sidebar-login",
        ),
    ],
)
def test_extract_html(body: bytes, content_type: str, expected: dict[str, Any], contains: str) -> None:
    document = extract(body, content_type, URL)
    assert _fields(document) == expected
    assert contains in document.text
    assert "\ufffd" not in document.text  # every encoding decoded without replacement characters


def test_html_text_title_and_links() -> None:
    document = extract(RISK_PAGE.encode(), "text/html; charset=utf-8", URL)
    assert document.title == "O36 การประเมินความเสี่ยงการทุจริต - อบต.น้ำใส"
    assert "สคริปต์" not in document.text and "ผู้บริหาร" not in document.text  # script and style are not text
    assert "แผน\nงาน" in document.text  # table cells do not run together into one word
    assert document.links == (
        ("https://www.abt-namsai.go.th/", "หน้าแรก"),
        ("https://www.abt-namsai.go.th/ita/", "ITA"),
        ("https://www.abt-namsai.go.th/ita/o36/plan.pdf", "ดาวน์โหลด"),
        ("https://drive.google.com/file/d/abc/view", "เอกสาร O36"),  # an image button: its alt text
        ("https://www.abt-namsai.go.th/files/o36.pdf", "ไฟล์ O36"),  # an embedded document
    )


def test_html_base_href_and_refresh() -> None:
    page = _html(
        '<a href="o1.html">โครงสร้าง</a>',
        head='<base href="https://www.abt-namsai.go.th/new/"><meta http-equiv="refresh" content="0; url=/ita/o1">',
    )
    links = extract(page.encode(), "text/html", URL).links
    assert links == (
        ("https://www.abt-namsai.go.th/new/o1.html", "โครงสร้าง"),
        ("https://www.abt-namsai.go.th/ita/o1", ""),
    )


HREF_CASES = [
    "/ita/o1",
    "/ita/o1?page=2#top",
    "o2.html",
    "sub/o3.php?id=7",
    "../o4",
    "./o5",
    "/a/../b",
    "/a//b",
    "//cdn.example.org/x.js",
    "/a?",
    "/a#",
    "/a;v=1",
    "/a;",
    "?page=3",
    "mailto:ita@abt.go.th",
    "https://other.go.th/x",
    "/ข่าว/ประกาศ.html",
    "a b.html",
    "x:y",
    ".hidden",
    "/.well-known/x",
    "/a?b=c:d",
    "\x01o6",
]
BASE_CASES = [
    URL,
    "https://www.abt-namsai.go.th",
    "https://www.abt-namsai.go.th/index.php?x=1#f",
    "HTTP://WWW.Abt-Namsai.go.th:8080/a/b.html",
    "https://www.abt-namsai.go.th/a//b/c.html",
    "https://www.abt-namsai.go.th/a/./b/",
    "ftp://files.abt-namsai.go.th/pub/",
    "",
]


@pytest.mark.parametrize("base", BASE_CASES)
@pytest.mark.parametrize("href", HREF_CASES)
def test_links_are_joined_as_urljoin_does(base: str, href: str) -> None:
    # The fast path for plain /path and relative hrefs must give exactly urljoin's result.
    assert extraction._joiner(base)(href) == urljoin(base, href)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(BASE_CASES),
    st.lists(
        st.sampled_from(["/", "a", "ข่าว", ".", "..", "?", "#", ";", ":", "=", "%20", " ", "\t", "-", "1", "//"]),
        min_size=1,
    ),
)
def test_any_href_is_joined_as_urljoin_does(base: str, parts: list[str]) -> None:
    href = "".join(parts).strip()
    if href:
        assert extraction._joiner(base)(href) == urljoin(base, href)


# --- files ----------------------------------------------------------------------------------------


def test_docx() -> None:
    document = extract(docx_bytes(), "application/octet-stream", f"{URL}report.docx")
    assert _fields(document) == _expect(Kind.DOCX)
    assert document.title == "รายงานผลการดำเนินการป้องกันการทุจริต"
    for part in ("องค์การบริหารส่วนตำบลน้ำใส", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๔", "อบรมคุณธรรมจริยธรรม", "ผลการดำเนินงาน"):
        assert part in document.text  # header, paragraphs and table cells


def test_xlsx() -> None:
    document = extract(xlsx_bytes(), "application/vnd.ms-excel", f"{URL}o23.xlsx")
    assert _fields(document) == _expect(Kind.XLSX)
    assert "สรุปผลจัดซื้อจัดจ้าง ต.ค. 64" in document.text  # sheet names
    assert "จัดซื้อวัสดุสำนักงาน 12500 เฉพาะเจาะจง" in document.text  # a row, its whole float as an integer
    assert "รอบเดือนพฤศจิกายน 2564" in document.text  # the second sheet


@needs_libreoffice
def test_text_pdf(fy2565: Framework) -> None:
    document = extract(text_pdf_bytes(), "application/pdf", f"{URL}report.pdf")
    assert _fields(document) == _expect(Kind.PDF)
    assert document.pages == 1
    assert document.title == "รายงานผลการดำเนินการป้องกันการทุจริต"  # the PDF's metadata title
    # LibreOffice draws ำ and tone marks over ป/ท with glyph variants; their ActualText must win.
    for part in ("การป้องกันการทุจริต", "ผู้บริหารท้องถิ่น", "ดำเนินงาน", "อบรมคุณธรรมจริยธรรม"):
        assert part in document.text
    assert match_item(document.text, fy2565.item("O41")).found == ("รายงาน", "ป้องกัน", "ทุจริต")
    assert covers(document.text, fy2565.item("O41"), 2565) is True


def test_scanned_pdf() -> None:
    document = extract(scanned_pdf_bytes(), "application/pdf", f"{URL}scan.pdf")
    assert _fields(document) == _expect(Kind.PDF, unreadable=True)
    assert document.pages == 1 and document.text == ""


@pytest.mark.parametrize(
    ("body", "content_type", "url", "kind"),
    [
        pytest.param(b"%PDF-1.4\n1 0 obj <<>> garbage", "application/pdf", URL, Kind.PDF, id="corrupt-pdf"),
        pytest.param(b"%PDF-1.7", "application/pdf", URL, Kind.PDF, id="truncated-pdf"),
        pytest.param(b"PK\x03\x04word/document.xml junk", "", f"{URL}a.docx", Kind.DOCX, id="corrupt-docx"),
        pytest.param(b"PK\x03\x04xl/workbook.xml junk", "", f"{URL}a.xlsx", Kind.XLSX, id="corrupt-xlsx"),
        pytest.param(b"\x00\x01\x02", "application/vnd.ms-excel", f"{URL}a.xls", Kind.OTHER, id="binary"),
        pytest.param(PNG, "image/png", URL, Kind.IMAGE, id="image"),
        pytest.param(b"", "application/pdf", URL, Kind.PDF, id="empty"),
    ],
)
def test_unreadable_never_raises(body: bytes, content_type: str, url: str, kind: Kind) -> None:
    document = extract(body, content_type, url)
    assert document.kind is kind
    assert document.unreadable and document.text == ""


def test_zip_bomb_is_unreadable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction, "MAX_UNZIPPED", 1_000_000)  # the real limit is 200 MB; the check is the same
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * 2_000_000)
    document = extract(buffer.getvalue(), "", f"{URL}bomb.docx")
    assert document.kind is Kind.DOCX and document.unreadable


def test_plain_text_is_read() -> None:
    document = extract("ข่าวประชาสัมพันธ์ ปี ๒๕๖๕".encode("cp874"), "text/plain; charset=tis-620", URL)
    assert document.kind is Kind.OTHER and document.text == "ข่าวประชาสัมพันธ์ ปี ๒๕๖๕" and not document.unreadable


def test_pdfium_is_used_by_one_thread_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # PDFium is not thread-safe and web jobs check sites in threads: every document is opened, read and
    # closed under one lock.
    import pypdfium2

    real = pypdfium2.PdfDocument
    state = {"open": 0, "most": 0}
    guard = threading.Lock()

    class Watched(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            with guard:
                state["open"] += 1
                state["most"] = max(state["most"], state["open"])
            time.sleep(0.01)  # widen the window in which another thread could come in
            super().__init__(*args, **kwargs)

        def close(self) -> None:
            with guard:
                state["open"] -= 1
            super().close()

    monkeypatch.setattr(pypdfium2, "PdfDocument", Watched)
    expected = extract(scanned_pdf_bytes(), "application/pdf", URL)
    results: list[Document] = []
    threads = [
        threading.Thread(target=lambda: results.append(extract(scanned_pdf_bytes(), "application/pdf", URL)))
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 6
    assert state == {"open": 0, "most": 1}


@needs_libreoffice
@pytest.mark.parametrize(("user_password", "readable"), [("", True), ("secret", False)])
def test_encrypted_pdf(user_password: str, readable: bool) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf_bytes())))
    # Agencies often lock PDFs against editing only: an empty user password opens them for reading.
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    document = extract(buffer.getvalue(), "application/pdf", f"{URL}locked.pdf")
    assert document.unreadable is not readable
    assert ("การป้องกันการทุจริต" in document.text) is readable


# --- the page's content, not its menus; text layers that cannot be judged -------------------------

SITE_CHROME = """<header class="site-header"><img src="/logo.png" alt="โลโก้"><h2>เทศบาลตำบลนาดี</h2></header>
<nav><ul class="menu"><li><a href="/exec">คณะผู้บริหาร</a></li><li><a href="/plan">แผนพัฒนาท้องถิ่น</a></li></ul></nav>
<div id="sidebar"><a href="/news">ข่าวประชาสัมพันธ์</a> <a href="/ita">ITA 2567</a></div>
<footer>ติดต่อ โทร 0 5312 3456 สงวนลิขสิทธิ์ 2567</footer>"""


@pytest.mark.parametrize(
    ("body", "kept", "dropped"),
    [
        pytest.param(
            SITE_CHROME + "<div class='content'><h1>ประกาศรับสมัครพนักงานจ้าง</h1><p>รับสมัคร 3 อัตรา</p></div>",
            ("ประกาศรับสมัครพนักงานจ้าง", "รับสมัคร 3 อัตรา"),
            ("คณะผู้บริหาร", "แผนพัฒนาท้องถิ่น", "ข่าวประชาสัมพันธ์", "สงวนลิขสิทธิ์", "เทศบาลตำบลนาดี"),
            id="nav-header-footer-sidebar",
        ),
        pytest.param(
            SITE_CHROME + "<main><article><header><h1>ข่าวกิจกรรมวันเด็ก</h1><time>12 ม.ค. 2567</time></header>"
            "<p>เด็ก ๆ มาร่วมงาน</p><footer>ผู้เขียน งานประชาสัมพันธ์</footer></article></main>",
            ("ข่าวกิจกรรมวันเด็ก", "12 ม.ค. 2567", "เด็ก ๆ มาร่วมงาน", "ผู้เขียน งานประชาสัมพันธ์"),
            ("คณะผู้บริหาร", "สงวนลิขสิทธิ์"),
            id="main-and-article-header",
        ),
        pytest.param(
            # A template that wraps the whole page in class="menu": the wrapper is no menu.
            "<div class='menu'><ul class='nav'><li>หน้าแรก</li></ul><h1>อำนาจหน้าที่</h1><p>"
            + "ตามพระราชบัญญัติเทศบาล พ.ศ. 2496 เทศบาลมีอำนาจหน้าที่ " * 10
            + "</p></div>",
            ("อำนาจหน้าที่", "พระราชบัญญัติเทศบาล"),
            ("หน้าแรก",),
            id="menu-wrapper",
        ),
    ],
)
def test_html_text_is_the_content_not_the_sites_menus(
    body: str, kept: tuple[str, ...], dropped: tuple[str, ...]
) -> None:
    document = extract(_html(body).encode(), "text/html; charset=utf-8", URL)
    for part in kept:
        assert part in document.text
    for part in dropped:
        assert part not in document.text
    # The menus' links are still the page's links (the ITA page is found through them).
    assert ("https://www.abt-namsai.go.th/ita", "ITA 2567") in document.links or "ITA" not in body


def _pdf2htmlex(page: str) -> bytes:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"/><meta name="generator" content="pdf2htmlEX"/>'
        "<script>pdf2htmlEX.defaultViewer = new pdf2htmlEX.Viewer({});</script></head><body>"
        '<div id="sidebar"><div id="outline"></div></div><div id="page-container">'
        f'<div id="pf1" class="pf w0 h0" data-page-no="1"><div class="pc pc1 w0 h0">{page}</div></div>'
        "</div></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        # Text drawn with a subset font's glyph numbers (Private-Use Area), which only the font can show.
        (
            '<div class="t m0 x0 h1 y0 ff1">' + "".join(chr(0xE0D0 + i % 60) for i in range(300)) + "</div>",
            "pua_glyphs",
        ),
        # A scanned page: one background image, no text.
        ('<img class="bi x0 y0 w1 h1" src="data:image/png;base64,iVBORw0KGgo="/>', "image_only"),
        ('<img class="bi x0 y0 w1 h1" src="bg1.png"/><div class="t">.</div>', "image_only"),
    ],
)
def test_pdf2htmlex_pages_that_cannot_be_read(page: str, reason: str) -> None:
    document = extract(_pdf2htmlex(page), "text/html", URL)
    assert _fields(document) == _expect(Kind.HTML, unreadable=True)  # a document, not a JavaScript application
    assert document.unusable_reason == reason


def test_pdf2htmlex_page_with_text_is_read() -> None:
    text = "ประกาศเทศบาลตำบลนาดี เรื่อง เจตจำนงสุจริตของผู้บริหาร ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ " * 4
    document = extract(_pdf2htmlex(f'<img class="bi" src="bg1.png"/><div class="t">{text}</div>'), "text/html", URL)
    assert _fields(document) == _expect(Kind.HTML)
    assert "เจตจำนงสุจริต" in document.text and document.unusable_reason == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("แนวทางเวชปฏิบัติ ฉบับปรับปรุง".encode("cp874").decode("mac_roman") * 10, "legacy_encoding"),
        ("I:tilururaau t6 ovr:st ?'t:1 ge,uu1 SULUUUUflU9I{'lU tonAl:u8J1U Lior nr:l:vffiu " * 3, "ocr_noise"),
        ("ระเบียบปฏิบัติงาน การประเมินคะแนนแรกเกิด โรงพยาบาลชุมชน " * 3, ""),
    ],
)
def test_a_file_whose_text_layer_cannot_be_judged_is_unreadable(text: str, reason: str) -> None:
    document = extraction._document(Kind.PDF, text, pages=1)
    assert document.unusable_reason == reason
    assert document.unreadable is bool(reason)
