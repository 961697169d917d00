#!/usr/bin/env python3
"""A deterministic synthetic Thai agency website for the checker benchmark, and a fast server for it.

    uv run python benchmarks/checker/site.py build /tmp/site --pages 2000
    uv run python benchmarks/checker/site.py serve /tmp/site --port 8088

``build`` writes the site into a folder: ``pages`` HTML pages of about 35 KB (inline CSS/JS template weight,
a Thai nav menu of 40 links, about 3,600 characters of Thai text with years, dates, phone numbers and amounts,
about 10 body links), Thai PDFs made by LibreOffice from small DOCX files (a few distinct ones, copied to
``pdfs`` names), and ``urls.txt`` with every distinct URL a full crawl from ``/`` reaches. Page ``i`` links
to pages ``2i+1`` and ``2i+2`` (a binary tree), so every page is reachable from ``/``.

Links that fail or take a detour, spread over the pages: 30 to missing pages (404), 3 to URLs that answer 500,
2 to 127.0.0.1:9 (connection refused), 15 single 301 redirects and 5 two-hop ones (302 then 301), and 10 pages
that answer after 0.5 s.

``serve`` answers from memory with aiohttp.web (every file is read once at start), on 127.0.0.1 only, with
no access log, and sends ``LinkChecker: allow`` on every response: that header is how LinkChecker lets a site
lift its rate cap. ``--workers 2`` runs more server processes on one port (SO_REUSEPORT).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

SEED = 2565
NAV_LINKS = 40
MISSING, SERVER_ERRORS, REFUSED, REDIRECTS, CHAINS, SLOW = 30, 3, 2, 15, 5, 10
SLOW_SECONDS = 0.5
DISTINCT_PDFS = 15
PDF_VERSION = 1  # raise when the PDFs' DOCX sources change, so that the cached PDFs are made anew
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "prongsai-bench-checker"

MENU = (
    "หน้าแรก",
    "ข้อมูลพื้นฐาน",
    "โครงสร้างหน่วยงาน",
    "ข้อมูลผู้บริหาร",
    "อำนาจหน้าที่",
    "แผนยุทธศาสตร์หรือแผนพัฒนาหน่วยงาน",
    "ข้อมูลการติดต่อ",
    "กฎหมายที่เกี่ยวข้อง",
    "ข่าวประชาสัมพันธ์",
    "Q&A ถาม-ตอบ",
    "Social Network",
    "แผนดำเนินงานประจำปี",
    "รายงานการกำกับติดตามการดำเนินงาน รอบ 6 เดือน",
    "รายงานผลการดำเนินงานประจำปี",
    "คู่มือหรือมาตรฐานการปฏิบัติงาน",
    "คู่มือหรือมาตรฐานการให้บริการ",
    "ข้อมูลเชิงสถิติการให้บริการ",
    "รายงานผลการสำรวจความพึงพอใจการให้บริการ",
    "E-Service",
    "แผนการใช้จ่ายงบประมาณประจำปี",
    "รายงานการกำกับติดตามการใช้จ่ายงบประมาณ",
    "รายงานผลการใช้จ่ายงบประมาณประจำปี",
    "แผนการจัดซื้อจัดจ้าง",
    "ประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้าง",
    "สรุปผลการจัดซื้อจัดจ้างรายเดือน",
    "รายงานผลการจัดซื้อจัดจ้างประจำปี",
    "นโยบายการบริหารทรัพยากรบุคคล",
    "การดำเนินการตามนโยบายการบริหารทรัพยากรบุคคล",
    "หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล",
    "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี",
    "แนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริต",
    "ช่องทางแจ้งเรื่องร้องเรียนการทุจริต",
    "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตประจำปี",
    "การเปิดโอกาสให้เกิดการมีส่วนร่วม",
    "เจตจำนงสุจริตของผู้บริหาร",
    "การมีส่วนร่วมของผู้บริหาร",
    "การประเมินความเสี่ยงการทุจริตประจำปี",
    "การดำเนินการเพื่อจัดการความเสี่ยงการทุจริต",
    "แผนปฏิบัติการป้องกันการทุจริต",
    "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
)
SUBJECTS = (
    "องค์การบริหารส่วนตำบล",
    "เทศบาลตำบล",
    "สำนักปลัด",
    "กองคลัง",
    "กองช่าง",
    "กองการศึกษา ศาสนาและวัฒนธรรม",
    "คณะกรรมการจัดซื้อจัดจ้าง",
    "ศูนย์พัฒนาเด็กเล็ก",
    "งานป้องกันและบรรเทาสาธารณภัย",
    "ประชาชนในพื้นที่",
)
ACTIONS = (
    "ได้ดำเนินโครงการ",
    "ได้จัดทำรายงาน",
    "ได้ประกาศผลการพิจารณา",
    "ได้เปิดรับฟังความคิดเห็นเกี่ยวกับ",
    "ได้ติดตามและประเมินผล",
    "ได้เบิกจ่ายงบประมาณสำหรับ",
    "ได้ประชุมชี้แจงแนวทาง",
    "ได้เผยแพร่ข้อมูลข่าวสารเรื่อง",
)
OBJECTS = (
    "การก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ 4",
    "การจัดซื้อวัสดุสำนักงาน",
    "การป้องกันการทุจริตและประพฤติมิชอบ",
    "การส่งเสริมคุณธรรมและความโปร่งใส",
    "การพัฒนาศักยภาพบุคลากร",
    "การจัดเก็บภาษีที่ดินและสิ่งปลูกสร้าง",
    "การแก้ไขปัญหาภัยแล้งและน้ำท่วม",
    "การดูแลผู้สูงอายุและผู้พิการ",
    "การบริหารจัดการขยะมูลฝอยในชุมชน",
    "แผนพัฒนาท้องถิ่น 2566-2570",
)
TAILS = (
    "ประจำปีงบประมาณ พ.ศ. {be}",
    "ระหว่างวันที่ 1 ตุลาคม {prev} ถึง 31 มีนาคม {be}",
    "เมื่อวันที่ {day}/{month}/{be}",
    "งบประมาณ {amount} บาท",
    "จำนวน {count} คน",
    "สอบถามรายละเอียดได้ที่ โทร. 0 4{d1}{d2} 1{d3}{d4}{d1}",
    "รอบ 6 เดือน (ต.ค. {short1} – มี.ค. {short2})",
    "ตามระเบียบกระทรวงมหาดไทย ว่าด้วยการรับเงิน การเบิกจ่ายเงิน พ.ศ. 2547",
)


def _sentence(rng: random.Random) -> str:
    be = rng.choice((2564, 2565, 2566, 2567))
    tail = rng.choice(TAILS).format(
        be=be,
        prev=be - 1,
        day=rng.randint(1, 28),
        month=rng.randint(1, 12),
        amount=f"{rng.randint(10, 9_000) * 1000:,}",
        count=rng.randint(5, 400),
        short1=(be - 1) % 100,
        short2=be % 100,
        d1=rng.randint(0, 9),
        d2=rng.randint(0, 9),
        d3=rng.randint(0, 9),
        d4=rng.randint(0, 9),
    )
    return f"{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}{rng.choice(OBJECTS)} {tail}"


def _paragraphs(rng: random.Random, chars: int) -> list[str]:
    paragraphs, size = [], 0
    while size < chars:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph)
    return paragraphs


def _template() -> tuple[str, str]:
    """About 18 KB of inline CSS and JavaScript that every page carries, as CMS themes do."""
    css = "\n".join(
        f".c{k}{{margin:{k % 17}px {k % 11}px;padding:{k % 7}px;color:#{(k * 2654435761) % 0xFFFFFF:06x};"
        f"font:{12 + k % 6}px/1.5 'Sarabun',sans-serif;border-bottom:1px solid #e{k % 10}e{k % 10}e{k % 10}}}"
        for k in range(80)
    )
    js = "\n".join(
        f"function menu{k}(e){{var n=document.querySelectorAll('.c{k} li');for(var i=0;i<n.length;i++)"
        f"{{n[i].classList.toggle('open',i==={k % 9});}}"
        f"if(e&&e.preventDefault){{e.preventDefault();}}return n.length;}}"
        for k in range(50)
    )
    return css, js


class Layout:
    """Which URL is where: the plan both ``build`` and the benchmark's expectations are made from."""

    def __init__(self, pages: int, pdfs: int) -> None:
        if pages < NAV_LINKS + 1:
            raise ValueError(f"at least {NAV_LINKS + 1} pages")
        self.pages, self.pdfs = pages, pdfs

    @staticmethod
    def page(i: int) -> str:
        return "/" if i == 0 else f"/p/{i}.html"

    @staticmethod
    def pdf(k: int) -> str:
        return f"/files/doc-{k:03d}.pdf"

    def specials(self) -> list[tuple[str, str]]:
        """(path, kind) of every failing, redirecting or slow link; refused ones are absolute URLs."""
        found = [(f"/missing/{k}.html", "404") for k in range(MISSING)]
        found += [(f"/error/{k}", "500") for k in range(SERVER_ERRORS)]
        found += [(f"http://127.0.0.1:9/gone/{k}", "refused") for k in range(REFUSED)]
        found += [(f"/r/{k}", "301") for k in range(REDIRECTS)]
        found += [(f"/rr/{k}", "302+301") for k in range(CHAINS)]
        found += [(f"/slow/{k}.html", "slow") for k in range(SLOW)]
        return found

    def redirect_target(self, k: int) -> str:
        return self.page((k * 131 + 17) % (self.pages - 1) + 1)

    def body_links(self, i: int) -> list[tuple[str, str]]:
        """About 10 (href, Thai text) links in the body of page ``i``."""
        rng = random.Random(SEED * 100_003 + i)
        links = [(self.page(c), f"หน้าย่อย {c}") for c in (2 * i + 1, 2 * i + 2) if c < self.pages]
        if i:
            links.append((self.page((i - 1) // 2), "ย้อนกลับ"))
        links += [(self.page(rng.randrange(self.pages)), f"ข่าวที่เกี่ยวข้อง {k + 1}") for k in range(4)]
        links += [(self.pdf(rng.randrange(self.pdfs)), "ดาวน์โหลดเอกสาร (PDF)") for _ in range(2)]
        # Each PDF and each special link is on at least one page.
        for k in range(self.pdfs):
            if (k * 53 + 7) % self.pages == i:
                links.append((self.pdf(k), f"เอกสารประกอบ {k + 1}"))
        for j, (path, _kind) in enumerate(self.specials()):
            if (j * 37 + 5) % self.pages == i:
                links.append((path, f"ลิงก์ภายนอก {j + 1}"))
        return links

    def urls(self, base: str) -> list[str]:
        """Every distinct URL a full crawl reaches, in a fixed order."""
        paths = [self.page(i) for i in range(self.pages)] + [self.pdf(k) for k in range(self.pdfs)]
        paths += [path for path, _kind in self.specials()]
        return [path if path.startswith("http") else base + path for path in paths]


def _page_html(layout: Layout, i: int, css: str, js: str) -> str:
    rng = random.Random(SEED * 7919 + i)
    title = f"{rng.choice(MENU)} — องค์การบริหารส่วนตำบลตัวอย่าง หน้า {i}"
    nav = "\n".join(
        f'<li class="c{k}"><a href="{layout.page(k)}">{MENU[k % len(MENU)]}</a></li>' for k in range(NAV_LINKS)
    )
    paragraphs = _paragraphs(rng, 3600)
    links = layout.body_links(i)
    body: list[str] = []
    for n, paragraph in enumerate(paragraphs):
        body.append(f"<p>{paragraph}</p>")
        if n < len(links):
            href, text = links[n]
            body.append(f'<p class="c{n}"><a href="{href}">{text}</a></p>')
    body += [f'<p><a href="{href}">{text}</a></p>' for href, text in links[len(paragraphs) :]]
    table = "".join(
        f"<tr><td>{k + 1}</td><td>{rng.choice(OBJECTS)}</td><td>{rng.randint(1, 900) * 1000:,}</td></tr>"
        for k in range(8)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8"><title>{title}</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<style>\n{css}\n</style>\n'
        f"<script>\n{js}\n</script></head>\n<body><header><h2>องค์การบริหารส่วนตำบลตัวอย่าง</h2>"
        f'<nav class="menu"><ul>\n{nav}\n</ul></nav></header>\n<main><h1>{title}</h1>\n'
        + "\n".join(body)
        + f"\n<table><thead><tr><th>ลำดับ</th><th>รายการ</th><th>งบประมาณ (บาท)</th></tr></thead>{table}</table>"
        "</main>\n<footer>องค์การบริหารส่วนตำบลตัวอย่าง 99 หมู่ที่ 1 ตำบลตัวอย่าง อำเภอเมือง จังหวัดตัวอย่าง 40000 "
        "โทร. 0 4312 3456</footer></body></html>\n"
    )


# --- PDFs ----------------------------------------------------------------------------------------------------------


def _docx(path: Path, number: int) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rng = random.Random(SEED * 31 + number)
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Sarabun"
    style.font.size = Pt(11)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:cs"), "Sarabun")
    style.element.get_or_add_rPr().append(style.element.makeelement(qn("w:szCs"), {qn("w:val"): "22"}))
    document.core_properties.title = f"{MENU[number % len(MENU)]} ประจำปีงบประมาณ พ.ศ. 2566"
    document.add_heading(document.core_properties.title, level=1)
    for paragraph in _paragraphs(rng, 1200 + 1500 * (number % 3)):  # one to three pages
        document.add_paragraph(paragraph)
    document.save(str(path))


def _pdfs(count: int) -> list[bytes]:
    """``count`` distinct Thai PDFs, made by LibreOffice in one batch and cached between runs."""
    folder = CACHE / f"pdfs-v{PDF_VERSION}-{count}"
    wanted = [folder / f"doc-{k:02d}.pdf" for k in range(count)]
    if not all(path.exists() for path in wanted):
        from prongsai.documents.pdf import Converter

        folder.mkdir(parents=True, exist_ok=True)
        converter = Converter()
        try:
            with tempfile.TemporaryDirectory() as work:
                sources = []
                for k in range(count):
                    sources.append(Path(work) / f"doc-{k:02d}.docx")
                    _docx(sources[-1], k)
                converter.convert(sources, folder)
        finally:
            converter.close()
    return [path.read_bytes() for path in wanted]


def build(folder: Path, pages: int = 2000, pdfs: int = 150, base: str = "http://127.0.0.1:8088") -> dict[str, int]:
    """Write the site into ``folder`` (emptied first) and return its counts."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "p").mkdir(parents=True)
    (folder / "files").mkdir()
    layout = Layout(pages, pdfs)
    css, js = _template()
    page_bytes = 0
    for i in range(pages):
        data = _page_html(layout, i, css, js).encode("utf-8")
        page_bytes += len(data)
        (folder / ("index.html" if i == 0 else f"p/{i}.html")).write_bytes(data)
    distinct = _pdfs(min(DISTINCT_PDFS, pdfs))
    pdf_bytes = 0
    for k in range(pdfs):
        data = distinct[k % len(distinct)]
        pdf_bytes += len(data)
        (folder / "files" / f"doc-{k:03d}.pdf").write_bytes(data)
    urls = layout.urls(base)
    (folder / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    info = {
        "pages": pages,
        "pdfs": pdfs,
        "urls": len(urls),
        "page_kb": round(page_bytes / pages / 1024, 1),
        "pdf_kb": round(pdf_bytes / pdfs / 1024, 1),
        "mb": round((page_bytes + pdf_bytes) / 1024 / 1024, 1),
    }
    (folder / "site.json").write_text(json.dumps(info), encoding="utf-8")
    return info


def steady_list(folder: Path, repeat: int) -> Path:
    """urls.txt with each URL repeated ``repeat`` times as ``?v=0..repeat-1``: a list long enough for steady speed."""
    urls = (folder / "urls.txt").read_text(encoding="utf-8").split()
    target = folder / f"urls-x{repeat}.txt"
    target.write_text("\n".join(f"{url}?v={v}" for v in range(repeat) for url in urls) + "\n", encoding="utf-8")
    return target


# --- server --------------------------------------------------------------------------------------------------------


def _app(folder: Path, pages: int):  # type: ignore[no-untyped-def]
    from aiohttp import web

    layout = Layout(pages, len(list((folder / "files").glob("*.pdf"))))
    files: dict[str, tuple[bytes, str]] = {"/": ((folder / "index.html").read_bytes(), "text/html")}
    for path in (folder / "p").iterdir():
        files[f"/p/{path.name}"] = (path.read_bytes(), "text/html")
    for path in (folder / "files").iterdir():
        files[f"/files/{path.name}"] = (path.read_bytes(), "application/pdf")
    files["/robots.txt"] = (b"User-agent: *\nAllow: /\n", "text/plain")
    headers = {"LinkChecker": "allow"}
    slow_page = (
        '<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>หน้าที่ตอบช้า</title></head>'
        '<body><p>ข้อมูลนี้โหลดช้า ปีงบประมาณ พ.ศ. 2566</p><a href="/">หน้าแรก</a></body></html>'
    ).encode()

    async def handle(request: web.Request) -> web.StreamResponse:
        path = request.path
        found = files.get(path)
        if found is not None:
            return web.Response(body=found[0], content_type=found[1], charset=None, headers=headers)
        parts = path.split("/")
        if len(parts) == 3:
            section, name = parts[1], parts[2]
            if section == "slow":
                await asyncio.sleep(SLOW_SECONDS)
                return web.Response(body=slow_page, content_type="text/html", headers=headers)
            if section == "error":
                return web.Response(status=500, text="เซิร์ฟเวอร์ขัดข้อง", headers=headers)
            if section in ("r", "r2") and name.isdigit():
                return web.Response(status=301, headers={**headers, "Location": layout.redirect_target(int(name))})
            if section == "rr" and name.isdigit():
                return web.Response(status=302, headers={**headers, "Location": f"/r2/{name}"})
        return web.Response(status=404, text="ไม่พบหน้านี้", headers=headers)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def _serve_one(folder: Path, pages: int, sock: socket.socket) -> None:
    from aiohttp import web

    web.run_app(_app(folder, pages), sock=sock, access_log=None, print=None, handle_signals=True)


def serve(folder: Path, port: int, workers: int = 1) -> None:
    """Serve ``folder`` on 127.0.0.1:``port`` until killed (SIGTERM/SIGINT)."""
    pages = json.loads((folder / "site.json").read_text(encoding="utf-8"))["pages"]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(1024)
    sock.set_inheritable(True)
    if workers <= 1:
        _serve_one(folder, pages, sock)
        return
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_serve_one, args=(folder, pages, sock)) for _ in range(workers)]
    for child in children:
        child.start()

    def stop(signum: int, _frame: object) -> None:
        for child in children:
            child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for child in children:
            child.join()
    finally:
        for child in children:
            child.terminate()


def wait_until_up(port: int, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the site server did not start on port {port}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("build", help="write the site into a folder")
    make.add_argument("folder", type=Path)
    make.add_argument("--pages", type=int, default=2000)
    make.add_argument("--pdfs", type=int, default=150)
    make.add_argument("--port", type=int, default=8088, help="the port urls.txt names")
    run = commands.add_parser("serve", help="serve a built site on 127.0.0.1")
    run.add_argument("folder", type=Path)
    run.add_argument("--port", type=int, default=8088)
    run.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.command == "build":
        print(json.dumps(build(args.folder, args.pages, args.pdfs, f"http://127.0.0.1:{args.port}")))
    else:
        serve(args.folder, args.port, args.workers)


if __name__ == "__main__":
    sys.exit(main())
