"""The OIT checker end to end, on a fixture site served on 127.0.0.1: every verdict, the ITA page, the
crawl from the home page, evidence snapshots, and the CLI's JSON/XLSX/HTML reports."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from click.testing import CliRunner
from PIL import Image

from prongsai.cli import main
from prongsai.documents import load_document_data, make_docx

from .serving import served

EXAMPLES = Path(__file__).parents[2] / "examples"


def _html(title: str, body: str) -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"


def _scanned_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 560), "white").save(buffer, "PDF")
    return buffer.getvalue()


def _measures_docx() -> bytes:
    return make_docx("measures", load_document_data(EXAMPLES / "songkhanong-2565-plan.yaml"), on=dt.date(2022, 2, 10))


PAGES: dict[str, tuple[str, bytes]] = {
    "/o1": (
        "text/html",
        _html(
            "โครงสร้าง", "<h1>โครงสร้างองค์การบริหารส่วนตำบล</h1><p>แผนผังโครงสร้างการแบ่งส่วนราชการ สำนักปลัด กองคลัง กองช่าง</p>"
        ).encode(),
    ),
    "/o3": ("text/html", _html("ข่าว", "<h1>ข่าวกิจกรรมวันเด็ก</h1><p>เด็ก ๆ มาร่วมงานจำนวนมาก</p>").encode()),
    "/o11": (
        "text/html",
        _html(
            "รายงานรอบ 6 เดือน",
            "<h1>รายงานการกำกับติดตามการดำเนินงาน ประจำปี รอบ ๖ เดือน</h1>"
            "<p>ปีงบประมาณ พ.ศ. ๒๕๖๔ (๑ ตุลาคม ๒๕๖๓ – ๓๑ มีนาคม ๒๕๖๔)</p>",
        ).encode(),
    ),
    "/o13.pdf": ("application/pdf", _scanned_pdf()),
    "/o14": (
        "text/html",
        b"<html><head><title>app</title><script src='/app.js'></script></head>"
        b"<body><div id='root'></div><noscript>You need to enable JavaScript to run this app."
        b"</noscript></body></html>",
    ),
    "/o15": (
        "text/html",
        _html(
            "เข้าสู่ระบบ", "<form><input name='user'><input type='password' name='p'><button>เข้าสู่ระบบ</button></form>"
        ).encode(),
    ),
    "/o42.docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _measures_docx()),
}
ITA_LINKS = [
    ("O1 โครงสร้าง", "/o1"),
    ("O2 ข้อมูลผู้บริหาร", "/gone"),
    ("O3 อำนาจหน้าที่", "/o3"),
    ("O๑๑ รายงานการกำกับติดตามการดำเนินงาน ประจำปี รอบ 6 เดือน", "/o11"),
    ("ITA-O13 คู่มือหรือมาตรฐานการปฏิบัติงาน", "/o13.pdf"),
    ("OIT 14", "/o14"),
    ("o15", "/o15"),
    ("O16 ข้อมูลเชิงสถิติการให้บริการ", "/private"),
    ("O18 E-Service", "/o1"),
    ("O42 มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "/o42.docx"),
]


def _app() -> web.Application:
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        content_type, body = PAGES[request.path]
        return web.Response(body=body, content_type=content_type)

    async def ita(request: web.Request) -> web.Response:
        links = "".join(f"<li><a href='{href}'>{text}</a></li>" for text, href in ITA_LINKS)
        return web.Response(
            text=_html("ITA 2565", f"<h1>การประเมินคุณธรรมและความโปร่งใส (ITA) 2565</h1><ul>{links}</ul>"),
            content_type="text/html",
        )

    async def home(request: web.Request) -> web.Response:
        return web.Response(
            text=_html("อบต.ทดสอบ", "<a href='/about'>เกี่ยวกับเรา</a> <a href='/ita'>ITA</a>"), content_type="text/html"
        )

    async def private(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://10.0.0.1/stats")

    for path in PAGES:
        app.router.add_get(path, page)
    app.router.add_get("/ita", ita)
    app.router.add_get("/", home)
    app.router.add_get("/about", home)
    app.router.add_get("/private", private)
    return app


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with served(_app()) as base:
        yield base


def _check(*args: str) -> tuple[int, dict[str, object] | None, str]:
    result = CliRunner().invoke(main, ["oit", *args])
    data = json.loads(result.stdout) if result.exit_code == 0 and "--json" in args else None
    return result.exit_code, data, result.stderr


EXPECTED = {
    "O1": "ok",
    "O2": "broken",
    "O3": "wrong_content",
    "O11": "out_of_date",
    "O13": "unreadable",
    "O14": "needs_person",
    "O15": "needs_person",
    "O16": "refused",
    "O17": "missing",
    "O18": "wrong_content",
    "O42": "ok",
}


def test_every_verdict_from_the_ita_page(site: str, tmp_path: Path) -> None:
    code, data, err = _check(
        "check",
        "--year",
        "2565",
        f"{site}/ita",
        "--allow-host",
        "127.0.0.1",
        "--json",
        "--per-host",
        "8",
        "--interval",
        "0",
        "--evidence",
        str(tmp_path / "evidence"),
    )
    assert code == 0, err
    assert data is not None
    verdicts = {item["code"]: item["verdict"] for item in data["items"]}  # type: ignore[index]
    assert len(verdicts) == 43
    assert {c: verdicts[c] for c in EXPECTED} == EXPECTED
    o11 = next(i for i in data["items"] if i["code"] == "O11")  # type: ignore[index]
    assert "2565" in o11["reason_th"] and 2564 in o11["years"]
    o1 = next(i for i in data["items"] if i["code"] == "O1")  # type: ignore[index]
    assert len(o1["sha256"]) == 64 and Path(o1["snapshot"]).read_bytes() == PAGES["/o1"][1]
    assert data["likely"]["indicator_10"] < 100  # type: ignore[index]


def test_loopback_is_refused_unless_allowed(site: str, tmp_path: Path) -> None:
    urls = tmp_path / "urls.yaml"
    urls.write_text(f"O1: {site}/o1\nO42: {site}/o42.docx\n", encoding="utf-8")
    code, data, _ = _check("check", "--year", "2565", str(urls), "--json")
    assert code == 0 and data is not None
    verdicts = {item["code"]: item["verdict"] for item in data["items"]}  # type: ignore[index]
    assert verdicts["O1"] == "refused" and verdicts["O42"] == "refused" and verdicts["O2"] == "missing"


def test_the_crawl_finds_the_ita_page_from_home(site: str) -> None:
    code, data, err = _check(
        "crawl", "--year", "2565", f"{site}/", "--allow-host", "127.0.0.1", "--json", "--interval", "0"
    )
    assert code == 0, err
    assert data is not None and str(data["ita_page"]).endswith("/ita")
    proposals = data["proposals"]
    assert proposals["O1"]["url"].endswith("/o1") and proposals["O1"]["confidence"] >= 0.9  # type: ignore[index]
    assert proposals["O11"]["url"].endswith("/o11")  # type: ignore[index]


def test_reports_in_xlsx_and_html(site: str, tmp_path: Path) -> None:
    code, _, err = _check(
        "check",
        "--year",
        "2565",
        f"{site}/ita",
        "--allow-host",
        "127.0.0.1",
        "--interval",
        "0",
        "--xlsx",
        str(tmp_path / "r.xlsx"),
        "--html",
        str(tmp_path / "r.html"),
    )
    assert code == 0, err
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "r.xlsx").active.iter_rows(values_only=True))
    assert rows[0][0] == "ข้อ" and len(rows) == 44
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "ผลตรวจการเปิดเผยข้อมูลสาธารณะ" in page and "<script" not in page


def test_a_map_file_with_an_unknown_item_is_one_clear_line(tmp_path: Path) -> None:
    urls = tmp_path / "urls.yaml"
    urls.write_text("O99: https://example.org/\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["oit", "check", "--year", "2565", str(urls)])
    assert result.exit_code == 2 and "O99" in result.stderr and "Traceback" not in result.stderr


def test_the_map_can_be_the_registers_itas_export(site: str, tmp_path: Path) -> None:
    sheet = tmp_path / "register.csv"
    sheet.write_text(f"item,url\nO1,{site}/o1\nO3,{site}/o3\n", encoding="utf-8")
    code, data, err = _check(
        "check", "--year", "2565", str(sheet), "--allow-host", "127.0.0.1", "--json", "--interval", "0"
    )
    assert code == 0, err
    verdicts = {item["code"]: item["verdict"] for item in data["items"]}  # type: ignore[index]
    assert verdicts["O1"] == "ok" and verdicts["O3"] == "wrong_content"


def test_an_ita_page_on_loopback_is_refused_in_one_line(site: str) -> None:
    result = CliRunner().invoke(main, ["oit", "check", "--year", "2565", f"{site}/ita"])
    assert result.exit_code == 2 and "refused" in result.stderr and "Traceback" not in result.stderr


def test_the_cli_reads_in_worker_processes_with_the_same_verdicts(site: str) -> None:
    def verdicts(processes: str) -> dict[str, object]:
        code, data, err = _check(
            "crawl", "--year", "2565", f"{site}/", "--allow-host", "127.0.0.1", "--json", "--interval", "0",
            "--processes", processes,
        )  # fmt: skip
        assert code == 0, err
        assert data is not None
        items = {i["code"]: (i["verdict"], i["reason_th"], i["years"], i["score"]) for i in data["items"]}  # type: ignore[index]
        return {"ita_page": data["ita_page"], "proposals": data["proposals"], "items": items}

    inline = verdicts("0")
    assert inline == verdicts("2")
    assert inline["items"]["O1"][0] == "ok" and inline["items"]["O13"][0] == "unreadable"  # type: ignore[index]
    result = CliRunner().invoke(main, ["oit", "crawl", "--year", "2565", f"{site}/", "--processes", "-1"])
    assert result.exit_code == 2 and "--processes" in result.stderr
