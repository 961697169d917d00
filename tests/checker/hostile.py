"""Hostile files and answers for the checker, made small on disk, and a site on 127.0.0.1 that serves them.

Each is what an agency's editor (or whoever controls a linked site) could put at a register URL to take a
shared server down: a PDF whose one content stream inflates to gigabytes, a page of 200,000 nested ``<div>``s,
an XLSX with one row of 1.5 million cells, a gzip bomb, and a server that sends one byte a second. The tests
(tests/checker/test_hostile.py, tests/web/test_hostile_checks.py) and the benchmark (benchmarks/hostile/run.py)
use them alike.
"""

from __future__ import annotations

import asyncio
import functools
import io
import json
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

from aiohttp import web

GB = 1024**3
CHUNK = 16 * 1024 * 1024


@functools.cache
def deflated_spaces(size: int) -> bytes:
    """A zlib stream of ``size`` spaces (whitespace in a PDF content stream), built without compressing
    gigabytes: once the window is all spaces, every further chunk deflates to the same bytes."""
    chunk = b" " * CHUNK
    packer = zlib.compressobj(9)
    first = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    repeated = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    assert repeated == again, "the deflated chunks do not repeat"
    chunks = size // CHUNK
    tail = packer.flush(zlib.Z_FINISH)  # the final empty block and the Adler-32 of three chunks: replaced below
    a, b = 1, 0
    # Adler-32 of n spaces: a = 1 + 32n, b = n + 32·n(n+1)/2 (both mod 65521).
    n = chunks * CHUNK
    a = (1 + 32 * n) % 65521
    b = (n + 32 * n * (n + 1) // 2) % 65521
    return first + repeated * (chunks - 1) + tail[:-4] + ((b << 16) | a).to_bytes(4, "big")


@functools.cache
def pdf_bomb(inflated: int = 4 * GB, *, hex_wrapped: bool = False) -> bytes:
    """A one-page PDF whose content stream is ``inflated`` bytes of spaces once inflated (about 4 MB on the wire
    for 4 GB). ``hex_wrapped``: the deflated stream is also hex-encoded (8 MB), which hides it from the cap on
    inflated streams (prongsai.checker.caps), so that the reading worker's memory bound is what must hold."""
    stream = deflated_spaces(inflated)
    filters = b"/FlateDecode"
    if hex_wrapped:
        stream, filters = stream.hex().encode() + b">", b"[/ASCIIHexDecode /FlateDecode]"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@functools.cache
def nested_html(depth: int = 200_000) -> bytes:
    """A 2.2 MB page of ``depth`` nested ``<div>``s with a word at the bottom."""
    return (
        b"<!doctype html><html><head><title>\xe0\xb8\x82\xe0\xb9\x88\xe0\xb8\xb2\xe0\xb8\xa7</title></head><body>"
        + b"<div>" * depth
        + b"O1"
        + b"</div>" * depth
        + b"</body></html>"
    )


@functools.cache
def wide_xlsx(cells: int = 1_500_000) -> bytes:
    """An XLSX (about 170 kB) whose one sheet has one row of ``cells`` numeric cells."""
    row = b'<row r="1">' + b"<c><v>1</v></c>" * cells + b"</row>"
    parts = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b"</Types>"
        ),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" '
            b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            b'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            + row
            + b"</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


@functools.cache
def gzip_bomb(inflated: int = 1 * GB) -> bytes:
    """A gzip body (about 1 MB) of ``inflated`` bytes of spaces: a Content-Encoding bomb."""
    deflated = deflated_spaces(inflated)[2:-4]  # the raw deflate data inside the zlib wrapper
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    crc = 0
    chunk = b" " * CHUNK
    for _ in range(inflated // CHUNK):
        crc = zlib.crc32(chunk, crc)
    return header + deflated + crc.to_bytes(4, "little") + (inflated % 2**32).to_bytes(4, "little")


SLOW_SECONDS = 1.0  # between the bytes the slow sender sends


def hostile_app(*, slow_bytes: int = 3600) -> web.Application:
    """A site with each hostile answer at its own path: /bomb.pdf, /bomb-hex.pdf, /nested.html, /wide.xlsx,
    /gzip.html, /slow.html, and /ok.html, an ordinary page, to show that the check goes on."""

    async def pdf(_request: web.Request) -> web.Response:
        return web.Response(body=pdf_bomb(), content_type="application/pdf")

    async def hex_pdf(_request: web.Request) -> web.Response:
        return web.Response(body=pdf_bomb(hex_wrapped=True), content_type="application/pdf")

    async def nested(_request: web.Request) -> web.Response:
        return web.Response(body=nested_html(), content_type="text/html", charset="utf-8")

    async def xlsx(_request: web.Request) -> web.Response:
        return web.Response(
            body=wide_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    async def gzipped(_request: web.Request) -> web.Response:
        return web.Response(
            body=gzip_bomb(), headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
        )

    async def slow(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
        await response.prepare(request)
        try:
            for _ in range(slow_bytes):
                await response.write(b" ")
                await asyncio.sleep(SLOW_SECONDS)
        except ConnectionResetError:  # the checker gave up waiting, as it should
            pass
        return response

    async def ok(_request: web.Request) -> web.Response:
        body = "<html><head><title>ข่าวประชาสัมพันธ์</title></head><body><p>ข่าวประชาสัมพันธ์ ปี 2568</p></body></html>"
        return web.Response(text=body, content_type="text/html")

    for make in (pdf_bomb, nested_html, wide_xlsx, gzip_bomb):  # made before any request, not on the clock
        make()
    pdf_bomb(hex_wrapped=True)
    app = web.Application()
    app.router.add_get("/bomb.pdf", pdf)
    app.router.add_get("/bomb-hex.pdf", hex_pdf)
    app.router.add_get("/nested.html", nested)
    app.router.add_get("/wide.xlsx", xlsx)
    app.router.add_get("/gzip.html", gzipped)
    app.router.add_get("/slow.html", slow)
    app.router.add_get("/ok.html", ok)
    return app


# What each hostile path must come to (verdict, a word of the Thai reason) and within how many seconds, on a
# loaded machine: the caps refuse at once, the memory bound holds within the reading worker's CPU budget, the
# fetch's timeout (20 s) stops the slow sender.
EXPECTED = {
    "/bomb.pdf": ("unreadable", "PDF", 15.0),
    "/bomb-hex.pdf": ("unreadable", "หน่วยความจำ", 75.0),
    "/nested.html": ("unreadable", "ซ้อน", 15.0),
    "/wide.xlsx": ("unreadable", "เซลล์", 15.0),
    "/gzip.html": ("broken", "MB", 15.0),
    "/slow.html": ("broken", "ช้า", 40.0),
}


ROOT = Path(__file__).parents[2]
# The CLI in-process, then the peak resident memory of itself and of its largest child (a reading worker).
# Its own peak is VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across exec, so a CLI started from
# a large pytest process would report the test runner's peak as its own.
MEASURED = """
import json, re, resource, sys
from pathlib import Path
from prongsai.cli import main
try:
    main(sys.argv[1:], prog_name="prongsai")
finally:
    hwm = re.search(r"VmHWM:\\s+(\\d+) kB", Path("/proc/self/status").read_text())
    peak = {"self": int(hwm.group(1)) // 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}
    print("PEAK-MB " + json.dumps(peak), file=sys.stderr)
"""


def oit_check(urls: dict[str, str], folder: Path) -> tuple[dict[str, dict[str, str]], dict[str, int], float]:
    """``prongsai oit check`` of the map ``urls`` in a process of its own: the report's items by code, the peak
    resident memory in MB (``self``: the CLI; ``children``: its largest child) and the wall seconds."""
    mapping = folder / "urls.json"
    mapping.write_text(json.dumps(urls), encoding="utf-8")
    args = ["oit", "check", str(mapping), "--year", "2568", "--allow-host", "127.0.0.1", "--json", "--interval", "0"]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, *args], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    seconds = time.monotonic() - started
    if done.returncode != 0 or "Traceback" in done.stderr:
        raise AssertionError(f"oit check exited {done.returncode}: {done.stderr[-2000:]}")
    peak = json.loads(done.stderr.rsplit("PEAK-MB ", 1)[1])
    items = {item["code"]: item for item in json.loads(done.stdout)["items"]}
    return items, peak, seconds
