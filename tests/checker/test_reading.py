"""Reading off the event loop: a pool of worker processes gives exactly what reading in-process gives, for one
document, a crawl and a whole site check, and a worker that dies or fails costs one document, not the crawl."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web

from prongsai import bounded
from prongsai.checker import reading, run
from prongsai.checker.extraction import Document, Kind, extract
from prongsai.checker.fetch import Fetcher, FetchPolicy
from prongsai.checker.find import CrawlLimits, crawl
from prongsai.checker.reading import Reader, Reading, default_processes, read
from prongsai.checker.verdict import judge
from prongsai.checker.years import years_in
from prongsai.frameworks import get_framework

from .crashing import ABORT, ALLOCATE, CRASH, FAIL, HANG, SLOW, SPIN, busy_read, crash_on_marker
from .serving import served
from .test_extraction import RISK_PAGE, TIS_PAGE, docx_bytes, scanned_pdf_bytes, xlsx_bytes

FY = get_framework(2565)
URL = "https://www.abt-namsai.go.th/"
PAGES = 40  # more than one crawl batch (16)


BODIES = [
    (RISK_PAGE.encode(), "text/html; charset=utf-8", "https://www.abt-namsai.go.th/ita/o36/"),
    (TIS_PAGE.encode("cp874"), "text/html", "https://www.abt-namsai.go.th/news"),
    (docx_bytes(), "application/octet-stream", "https://www.abt-namsai.go.th/o41.docx"),
    (xlsx_bytes(), "application/vnd.ms-excel", "https://www.abt-namsai.go.th/o23.xlsx"),
    (scanned_pdf_bytes(), "application/pdf", "https://www.abt-namsai.go.th/scan.pdf"),
    (b"%PDF-1.4\n1 0 obj <<>> garbage", "application/pdf", "https://www.abt-namsai.go.th/broken.pdf"),
    (b"\x00\x01\x02", "application/octet-stream", "https://www.abt-namsai.go.th/x.bin"),
]


async def _read_all(reader: Reader, bodies: list[tuple[bytes, str, str]]) -> list[Reading]:
    async with reader:
        reads = asyncio.gather(*(reader.read(*body, years=True) for body in bodies))
        return list(await asyncio.wait_for(reads, 60))  # a read that is lost would wait for ever


def test_read_gives_the_document_and_the_years_of_its_title_and_text() -> None:
    body, content_type, url = BODIES[0]
    document = extract(body, content_type, url)
    assert read(body, content_type, url) == Reading(document)
    reading_with_years = read(body, content_type, url, years=True)
    assert reading_with_years.document == document
    assert reading_with_years.years == frozenset(years_in(f"{document.title}\n{document.text}")) == {2565}


def test_a_pool_reads_exactly_what_this_process_reads() -> None:
    here = asyncio.run(_read_all(Reader(0), BODIES))
    pooled = asyncio.run(_read_all(Reader(2), BODIES))
    assert pooled == here
    assert [r.document.kind for r in here] == [
        Kind.HTML,
        Kind.HTML,
        Kind.DOCX,
        Kind.XLSX,
        Kind.PDF,
        Kind.PDF,
        Kind.OTHER,
    ]


def test_a_worker_that_dies_costs_one_document() -> None:
    bodies = [*BODIES[:2], (CRASH, "text/html", "https://www.abt-namsai.go.th/crash"), *BODIES[2:4]]
    reader = Reader(2, function=crash_on_marker)
    readings = asyncio.run(_read_all(reader, bodies))
    crashed = readings.pop(2)
    assert crashed.document.unreadable and crashed.document.kind is Kind.HTML and crashed.years is None
    assert readings == [read(*body, years=True) for body in [*BODIES[:2], *BODIES[2:4]]]
    assert reader.restarts == 1  # one new worker took the dead one's place


def test_what_a_dead_worker_had_not_started_is_read_by_the_next() -> None:
    # One worker, sent the crashing document and, while busy with it, the next one: the next is not lost.
    bodies = [(CRASH, "text/html", "https://www.abt-namsai.go.th/crash"), *BODIES[:3]]
    reader = Reader(1, function=crash_on_marker)
    crashed, *rest = asyncio.run(_read_all(reader, bodies))
    assert crashed.document.unreadable and reader.restarts == 1
    assert rest == [read(*body, years=True) for body in BODIES[:3]]


def test_a_busy_worker_is_sent_a_small_document_ahead_but_not_a_large_one() -> None:
    small = BODIES[0]
    large = (small[0] + b"<!--" + b"x" * reading.PIPELINE_BYTES + b"-->", *small[1:])

    async def send() -> tuple[list[int], list[Reading]]:
        async with Reader(1, function=crash_on_marker) as reader:
            worker = reader._workers[0]
            reads = [asyncio.ensure_future(reader.read(*body)) for body in ((SLOW, "text/html", URL), small, large)]
            await asyncio.sleep(0.1)  # the worker is still on SLOW
            queued = [len(worker.tasks), len(reader._waiting)]
            return queued, list(await asyncio.gather(*reads))

    queued, readings = asyncio.run(send())
    assert queued == [2, 1]  # SLOW and the small one sent; the large one waits until the worker is free
    assert readings[1:] == [read(*small), read(*large)]


def test_an_error_in_a_worker_marks_that_document_unreadable() -> None:
    bodies = [(FAIL, "text/html", "https://www.abt-namsai.go.th/fail"), BODIES[0]]
    reader = Reader(1, function=crash_on_marker)
    failed, fine = asyncio.run(_read_all(reader, bodies))
    assert failed.document.unreadable and fine == read(*BODIES[0], years=True)
    assert "หน่วยความจำ" in failed.document.stopped_th  # the MemoryError is the memory bound, said so
    assert reader.restarts == 0  # an exception does not cost the worker


def test_a_worker_killed_while_idle_is_replaced() -> None:
    async def kill_then_read() -> tuple[Reader, Reading, list[Any]]:
        async with Reader(1) as reader:
            first = reader._workers[0].process
            os.kill(first.pid or 0, 9)  # the OOM killer, say
            first.join()
            await asyncio.sleep(0.1)  # the loop sees the pipe end
            reading_ = await reader.read(*BODIES[0])
            processes = [w.process for w in reader._workers]
        return reader, reading_, processes

    reader, reading_, processes = asyncio.run(kill_then_read())
    assert reading_ == read(*BODIES[0]) and reader.restarts == 1
    assert not any(process.is_alive() for process in processes)  # closing stopped the new worker too


MB = bounded.MB


@pytest.mark.parametrize(
    ("marker", "bounds", "said"),
    [
        (HANG, bounded.Bounds(cpu=30, seconds=2), "ใช้เวลานานเกิน"),
        (SPIN, bounded.Bounds(cpu=1, seconds=60), "ใช้เวลาประมวลผลเกิน"),
        (ALLOCATE, bounded.Bounds(memory=768 * MB, seconds=60), "หน่วยความจำ"),
        (ABORT, bounded.Bounds(memory=768 * MB, seconds=60), "หน่วยความจำ"),
    ],
    ids=["time", "cpu", "memory", "abort"],
)
def test_a_bound_that_holds_costs_one_document_and_says_which(marker: bytes, bounds: bounded.Bounds, said: str) -> None:
    bodies = [(marker, "text/html", "https://www.abt-namsai.go.th/hostile"), *BODIES[:2]]
    reader = Reader(1, function=crash_on_marker, bounds=bounds)
    started = time.monotonic()
    stopped, *rest = asyncio.run(_read_all(reader, bodies))
    assert time.monotonic() - started < bounds.seconds + 10
    assert stopped.document.unreadable and said in stopped.document.stopped_th
    assert rest == [read(*body, years=True) for body in BODIES[:2]]  # the check goes on, in a new worker
    assert reader.restarts == (0 if marker == ALLOCATE else 1)  # a MemoryError in Python code spares the worker


def test_each_document_has_a_cpu_budget_of_its_own() -> None:
    # Ten documents of 0.3 s of CPU each are 3 s in all: more than one budget, never more than one each.
    async def read_slowly() -> list[Reading]:
        async with Reader(1, function=busy_read, bounds=bounded.Bounds(cpu=1, seconds=30)) as reader:
            return [await reader.read(*BODIES[0]) for _ in range(10)]

    readings = asyncio.run(read_slowly())
    assert all(not r.document.stopped_th for r in readings)


class _NoChildren:
    """A multiprocessing context in a process that may not start any (a process limit, a sandbox)."""

    def __init__(self, _preload: Any = ()) -> None:
        pass

    def Pipe(self) -> Any:
        import multiprocessing

        return multiprocessing.Pipe()

    def Process(self, **kwargs: Any) -> Any:
        class Refused:
            def start(self) -> None:
                raise AssertionError("daemonic processes are not allowed to have children")

        return Refused()


def test_without_worker_processes_it_reads_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "start_context", _NoChildren)
    reader = Reader(2)
    assert asyncio.run(_read_all(reader, BODIES[:2])) == [read(*body, years=True) for body in BODIES[:2]]
    assert reader.processes == 0


def test_when_no_new_worker_can_start_the_rest_is_read_here(monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = [(CRASH, "text/html", "https://www.abt-namsai.go.th/crash"), *BODIES[:3]]

    async def crash_then_refuse() -> list[Reading]:
        async with Reader(1, function=crash_on_marker) as reader:
            monkeypatch.setattr(reading, "start_context", _NoChildren)  # the first worker runs; no other can start
            readings = await asyncio.gather(*(reader.read(*body, years=True) for body in bodies))
            assert reader.processes == 0 and reader.restarts == 1
        return list(readings)

    crashed, *rest = asyncio.run(crash_then_refuse())
    assert crashed.document.unreadable
    assert rest == [read(*body, years=True) for body in BODIES[:3]]


def test_default_processes() -> None:
    assert default_processes(crawl=False) == 1  # an item list too is read away from this process, under bounds
    assert default_processes(crawl=True) == len(os.sched_getaffinity(0)) >= 1


@pytest.mark.parametrize(("threads", "method"), [(1, "fork"), (3, "forkserver")])
def test_a_threaded_process_does_not_fork_its_workers(
    monkeypatch: pytest.MonkeyPatch, threads: int, method: str
) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: threads)
    assert bounded.start_context().get_start_method() == method


# --- a crawl and a site check, with and without the pool ------------------------------------------------


def _page(title: str, body: str) -> str:
    return f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{body}</body></html>"


def _app() -> web.Application:
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        number = int(request.match_info["number"])
        links = " ".join(f"<a href='/p/{child}'>หน้า {child}</a>" for child in (2 * number + 1, 2 * number + 2))
        if number == 5:
            links += " <a href='/crash'>เอกสาร</a>"
        if number == 7:
            links += " <a href='/ita'>ITA</a>"
        text = f"<h1>ข่าวประชาสัมพันธ์ {number}</h1><p>ประจำปีงบประมาณ พ.ศ. 2565 โทร. 02 123 4567</p>"
        return web.Response(text=_page(f"หน้า {number}", text + links), content_type="text/html")

    async def home(request: web.Request) -> web.Response:
        return web.Response(text=_page("อบต.ทดสอบ", "<a href='/p/0'>เริ่ม</a>"), content_type="text/html")

    async def crash(request: web.Request) -> web.Response:
        return web.Response(body=CRASH, content_type="text/html")

    async def ita(request: web.Request) -> web.Response:
        items = "".join(f"<li><a href='/o/{n}'>O{n} {FY.items[n - 1].title_th}</a></li>" for n in (1, 2, 3, 11, 36))
        return web.Response(text=_page("ITA 2565", f"<h1>ITA 2565</h1><ul>{items}</ul>"), content_type="text/html")

    async def item(request: web.Request) -> web.Response:
        number = int(request.match_info["number"])
        found = FY.items[number - 1]
        text = f"<h1>{found.title_th}</h1><p>{' '.join(found.key_terms_th)} ปีงบประมาณ พ.ศ. 2565</p>"
        return web.Response(text=_page(found.title_th, text), content_type="text/html")

    app.router.add_get("/", home)
    app.router.add_get("/p/{number}", page)
    app.router.add_get("/crash", crash)
    app.router.add_get("/ita", ita)
    app.router.add_get("/o/{number}", item)
    return app


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with served(_app()) as base:
        yield base


POLICY = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), per_host=8, min_interval=0, respect_robots=False)
LIMITS = CrawlLimits(depth=6, pages=PAGES)  # the ITA page is linked from page 7, four levels down


async def _crawl(site: str, reader: Reader) -> tuple[Any, list[str]]:
    visited: list[str] = []
    async with reader, Fetcher(POLICY) as fetcher:
        found = await crawl(fetcher, f"{site}/", FY, LIMITS, visited.append, reader=reader)
    return found, visited


def test_a_crawl_finds_the_same_with_and_without_the_pool(site: str) -> None:
    found, visited = asyncio.run(_crawl(site, Reader(0)))
    assert found.page == f"{site}/ita" and set(found.proposals) == {"O1", "O2", "O3", "O11", "O36"}
    assert asyncio.run(_crawl(site, Reader(2))) == (found, visited)  # same pages, in the same order


def test_a_worker_crash_does_not_stop_the_crawl(site: str) -> None:
    reader = Reader(2, function=crash_on_marker)
    found, visited = asyncio.run(_crawl(site, reader))
    assert f"{site}/crash" in visited and reader.restarts >= 1
    assert (found, visited) == asyncio.run(_crawl(site, Reader(0)))


def _verdicts(check: run.SiteCheck) -> dict[str, tuple[Any, ...]]:
    return {c.code: (c.verdict, c.reason_th, c.final_url, c.score, c.found_terms, c.years) for c in check.checks}


@pytest.mark.parametrize("start", ["home", "ita_page"])
def test_a_site_check_is_the_same_with_and_without_the_pool(site: str, start: str) -> None:
    where = {"home": f"{site}/", "ita_page": f"{site}/ita"}
    checks = [
        asyncio.run(run.check_site(FY, policy=POLICY, limits=LIMITS, processes=processes, **{start: where[start]}))
        for processes in (0, 2)
    ]
    assert _verdicts(checks[0]) == _verdicts(checks[1])
    assert checks[0].proposals == checks[1].proposals and checks[0].ita_page == checks[1].ita_page
    assert {code: v[0].value for code, v in _verdicts(checks[0]).items() if code in ("O1", "O36")} == {
        "O1": "ok",
        "O36": "ok",
    }


@pytest.mark.parametrize(
    ("start", "expected"),
    [("home", default_processes(crawl=True)), ("ita_page", 1), ("urls", 1), ("explicit", 1)],
)
def test_check_site_reads_in_workers_by_default_a_pool_only_to_crawl(
    monkeypatch: pytest.MonkeyPatch, site: str, start: str, expected: int
) -> None:
    made: list[int] = []

    class Counted(Reader):
        def __init__(self, processes: int = 0, **kwargs: Any) -> None:
            made.append(processes)
            super().__init__(processes, **kwargs)

    monkeypatch.setattr(run, "Reader", Counted)
    where: dict[str, Any] = {
        "home": {"home": f"{site}/", "limits": CrawlLimits(pages=5)},
        "ita_page": {"ita_page": f"{site}/ita"},
        "urls": {"urls": {"O1": [f"{site}/o/1"]}},
        "explicit": {"home": f"{site}/", "limits": CrawlLimits(pages=5), "processes": 1},
    }
    asyncio.run(run.check_site(FY, policy=POLICY, **where[start]))
    assert made == [expected]


def test_the_verdict_takes_the_years_read_with_the_document(site: str) -> None:
    async def fetch() -> Any:
        async with Fetcher(POLICY) as fetcher:
            return await fetcher.get(f"{site}/o/11")

    fetched = asyncio.run(fetch())
    known = read(fetched.body, fetched.content_type, fetched.final_url, years=True)
    item = FY.item("O11")
    assert judge(item, FY, fetched, known.document, years=known.years) == judge(item, FY, fetched, known.document)
    assert judge(item, FY, fetched, known.document, years={2560}).years == (2560,)  # given years are used as given


def test_an_unreadable_reading_is_a_plain_document_with_the_bound_that_held() -> None:
    held = bounded.CpuExceeded("30 วินาที CPU")
    reading_ = reading._unreadable(b"%PDF-1.7 ...", "application/pdf", "https://www.abt-namsai.go.th/a.pdf", held)
    assert reading_ == Reading(
        Document(Kind.PDF, "", "", (), False, False, True, stopped_th=held.reason_th, stopped_en=held.reason_en)
    )
