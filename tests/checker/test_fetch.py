"""The checker's fetcher against real HTTP servers on 127.0.0.1: every safety and politeness rule, one test each.

Each test runs its own event loop with ``asyncio.run`` (no pytest plugin) and starts a fixture site on a random port.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import re
import socket
import time
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import cache
from typing import Any, TypeVar

import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from prongsai.checker.fetch import (
    Fetcher,
    FetchPolicy,
    FetchResult,
    Outcome,
    _retry_delay,
    _SafeResolver,
    is_forbidden_address,
)

T = TypeVar("T")
MB = 1024 * 1024
LOCAL = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), min_interval=0.0)
HTML = "<!doctype html><html lang='th'><title>หน้าแรก</title><p>ข้อมูลสาธารณะ</p></html>".encode()
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
THAI = re.compile(r"[\u0e00-\u0e7f]")


def run(fn: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(fn())


@cache
def gzip_bomb() -> bytes:
    """100 MB of zeros, gzip-compressed to about 100 KB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MB)
    return b"".join(compressor.compress(block) for _ in range(100)) + compressor.flush()


@dataclass
class Site:
    """What the fixture server saw."""

    port: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    active: int = 0
    max_active: int = 0
    starts: list[float] = field(default_factory=list)
    bytes_sent: int = 0
    robots: str | None = "User-agent: *\nDisallow: /private/\n"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def make_app(site: Site) -> web.Application:
    routes = web.RouteTableDef()

    def redirect(path: str, target: Callable[[], str], status: int = 302) -> None:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(status=status, headers={"Location": target()})

        routes.get(path)(handler)

    redirect("/to-private", lambda: "http://10.0.0.1/x")
    redirect("/to-metadata", lambda: "http://169.254.169.254/latest/meta-data")
    redirect("/to-v6-loopback", lambda: f"http://[::1]:{site.port}/page.html")
    redirect("/to-cgnat", lambda: "http://100.64.0.1/")
    redirect("/to-ftp", lambda: "ftp://x/")
    redirect("/loop", lambda: "/loop")
    redirect("/to-robots-private", lambda: "/private/x")
    redirect("/to-localhost", lambda: f"http://localhost:{site.port}/page.html", 301)

    @routes.get("/page.html")
    async def page(request: web.Request) -> web.Response:
        site.hits["page"] += 1
        return web.Response(body=HTML, content_type="text/html", charset="utf-8", headers={"X-Agency": "oit"})

    @routes.get("/doc.pdf")
    async def pdf(request: web.Request) -> web.Response:
        return web.Response(body=PDF, content_type="application/pdf")

    @routes.get("/r/{n}")
    async def chain(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        target = "/page.html" if n == 0 else f"/r/{n - 1}"
        return web.Response(status=301 if n % 2 else 302, headers={"Location": target})

    async def stream_zeros(request: web.Request, total: int, declare: bool) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        if declare:
            resp.content_length = total
        await resp.prepare(request)
        chunk = bytes(64 * 1024)
        with contextlib.suppress(ConnectionError, asyncio.CancelledError):
            while site.bytes_sent < total:
                await resp.write(chunk)
                site.bytes_sent += len(chunk)
        return resp

    @routes.get("/huge")
    async def huge(request: web.Request) -> web.StreamResponse:
        return await stream_zeros(request, 30 * MB, declare=False)

    @routes.get("/huge-declared")
    async def huge_declared(request: web.Request) -> web.StreamResponse:
        return await stream_zeros(request, 30 * MB, declare=True)

    @routes.get("/bomb")
    async def bomb(request: web.Request) -> web.Response:
        return web.Response(
            body=gzip_bomb(), headers={"Content-Encoding": "gzip", "Content-Type": "text/html; charset=utf-8"}
        )

    @routes.get("/slow")
    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(text="late")

    @routes.get("/retry-after")
    async def retry_after(request: web.Request) -> web.Response:
        site.hits["retry-after"] += 1
        if site.hits["retry-after"] == 1:
            return web.Response(status=429, headers={"Retry-After": "1"}, text="slow down")
        return web.Response(text="ok now")

    @routes.get("/busy")
    async def busy(request: web.Request) -> web.Response:
        site.hits["busy"] += 1
        return web.Response(status=503, headers={"Retry-After": "0"}, text="busy")

    @routes.get("/robots.txt")
    async def robots(request: web.Request) -> web.Response:
        site.hits["robots"] += 1
        if site.robots is None:
            raise web.HTTPNotFound()
        return web.Response(text=site.robots)

    @routes.get("/private/{rest:.*}")
    async def private(request: web.Request) -> web.Response:
        site.hits["private"] += 1
        return web.Response(text="hidden")

    @routes.get("/work")
    async def work(request: web.Request) -> web.Response:
        site.starts.append(time.monotonic())
        site.active += 1
        site.max_active = max(site.max_active, site.active)
        try:
            await asyncio.sleep(0.2)
        finally:
            site.active -= 1
        return web.Response(text="done")

    app = web.Application()
    app.add_routes(routes)
    return app


@contextlib.asynccontextmanager
async def serve(site: Site | None = None) -> AsyncIterator[Site]:
    site = site or Site()
    runner = web.AppRunner(make_app(site), handler_cancellation=True, shutdown_timeout=0.5, access_log=None)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    site.port = runner.addresses[0][1]
    try:
        yield site
    finally:
        await runner.cleanup()


async def fetch(site_path: str, policy: FetchPolicy = LOCAL, **kw: bool) -> tuple[FetchResult, Site]:
    async with serve() as site, Fetcher(policy) as fetcher:
        return await fetcher.get(site.base + site_path, **kw), site


def explained(result: FetchResult) -> FetchResult:
    """A failure must say why in Thai and in English; a success must not claim an error."""
    if result.ok:
        assert result.error_th == result.error_en == ""
    else:
        assert THAI.search(result.error_th), result.error_th
        assert result.error_en and not THAI.search(result.error_en), result.error_en
    assert result.fetched_at.tzinfo is UTC
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- is_forbidden_address ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("100.127.255.254", "carrier-grade NAT"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.1", "reserved"),  # documentation
        ("198.18.0.1", "reserved"),  # benchmarking
        ("2001:db8::1", "reserved"),  # documentation
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "unspecified"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "metadata"),
        ("64:ff9b::a9fe:a9fe", "metadata"),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("8.8.8.8", None),
        ("164.115.38.10", None),
        ("100.63.255.255", None),
        ("100.128.0.1", None),
        ("172.32.0.1", None),
        ("2001:4860:4860::8888", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_is_forbidden_address(address: str, reason: str | None) -> None:
    assert is_forbidden_address(ipaddress.ip_address(address)) == reason


# --- plain fetches -------------------------------------------------------------------------------------------------


def test_html_page_is_fetched_with_metadata() -> None:
    before = datetime.now(UTC)
    result, _ = run(lambda: fetch("/page.html"))
    explained(result)
    assert result.ok and result.outcome is Outcome.OK and result.status == 200
    assert result.body == HTML and result.content_type == "text/html"
    assert "sha256" not in vars(result)  # hashed only when asked for: a crawl never needs most digests
    assert result.sha256 == hashlib.sha256(HTML).hexdigest() and vars(result)["sha256"] == result.sha256
    assert result.headers["x-agency"] == "oit" and result.headers["X-AGENCY"] == "oit"
    assert result.redirects == () and result.final_url == result.url and not result.truncated
    assert before <= result.fetched_at <= datetime.now(UTC) and 0 < result.elapsed < 5


def test_binary_document_is_fetched_byte_for_byte() -> None:
    result, _ = run(lambda: fetch("/doc.pdf"))
    assert result.ok and result.body == PDF and result.content_type == "application/pdf"


def test_want_body_false_skips_the_body() -> None:
    result, _ = run(lambda: fetch("/doc.pdf", want_body=False))
    assert result.ok and result.status == 200 and result.body == b"" and result.sha256 == ""
    assert result.content_type == "application/pdf"


def test_404_is_an_http_error_with_status() -> None:
    result, _ = run(lambda: fetch("/missing"))
    explained(result)
    assert result.outcome is Outcome.HTTP_ERROR and result.status == 404 and not result.ok
    assert "404" in result.error_en and "ไม่พบ" in result.error_th


def test_connection_refused_is_a_connect_error() -> None:
    async def go() -> FetchResult:
        async with Fetcher(LOCAL) as fetcher:
            return await fetcher.get(f"http://127.0.0.1:{free_port()}/")

    result = explained(run(go))
    assert result.outcome is Outcome.CONNECT_ERROR and result.status is None


def test_dns_failure_is_a_connect_error() -> None:
    result = explained(run(lambda: get_via(FakeResolver({}), "http://no-such-agency.example/")))
    assert result.outcome is Outcome.CONNECT_ERROR and "DNS" in result.error_en and "DNS" in result.error_th


# --- redirects -----------------------------------------------------------------------------------------------------


def test_redirect_chain_is_followed_and_recorded() -> None:
    result, site = run(lambda: fetch("/r/3"))
    assert result.ok and result.body == HTML
    assert result.redirects == tuple(f"{site.base}{p}" for p in ("/r/2", "/r/1", "/r/0", "/page.html"))
    assert result.final_url == f"{site.base}/page.html"


def test_redirect_limit() -> None:
    async def go() -> tuple[FetchResult, FetchResult, FetchResult]:
        async with serve() as site, Fetcher(LOCAL) as fetcher:
            return (
                await fetcher.get(f"{site.base}/r/4"),  # 5 redirects: allowed
                await fetcher.get(f"{site.base}/r/5"),  # 6: one too many
                await fetcher.get(f"{site.base}/loop"),
            )

    five, six, loop = run(go)
    assert five.ok and len(five.redirects) == 5
    for result in (explained(six), explained(loop)):
        assert result.outcome is Outcome.TOO_MANY_REDIRECTS and len(result.redirects) == 5
        assert result.status in (301, 302)


@pytest.mark.parametrize(
    ("path", "reason", "target"),
    [
        ("/to-private", "private", "http://10.0.0.1/x"),
        ("/to-metadata", "metadata", "http://169.254.169.254/latest/meta-data"),
        ("/to-v6-loopback", "loopback", "http://[::1]:"),
        ("/to-cgnat", "carrier-grade NAT", "http://100.64.0.1/"),
    ],
)
def test_redirect_to_a_forbidden_address_is_refused(path: str, reason: str, target: str) -> None:
    # allow_hosts lets the test reach 127.0.0.1 only; every other internal address stays refused, even ::1
    result, _ = run(lambda: fetch(path))
    explained(result)
    assert result.outcome is Outcome.REFUSED and result.status is None and result.body == b""
    assert f"refused: {reason} address" in result.error_en and "redirect" in result.error_en
    assert "ระบบไม่เข้าถึงเพื่อความปลอดภัย" in result.error_th
    assert result.final_url.startswith(target) and result.redirects[-1] == result.final_url
    assert result.elapsed < 2  # refused before any connection attempt, not after a connect timeout


def test_redirect_to_another_scheme_is_refused() -> None:
    result, _ = run(lambda: fetch("/to-ftp"))
    explained(result)
    assert result.outcome is Outcome.REFUSED and "ftp" in result.error_en and result.final_url == "ftp://x/"


def test_private_example_message_reads_as_specified() -> None:
    result, _ = run(lambda: fetch("/to-private"))
    assert result.error_th.startswith("ที่อยู่นี้เป็นเครือข่ายภายใน (private) ระบบไม่เข้าถึงเพื่อความปลอดภัย")
    assert result.error_en.startswith("refused: private address")


# --- URLs refused before any request -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.go.th/file.pdf",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://127.0.0.1:70/",
        "http://user:pass@example.go.th/",
        "http://user@example.go.th/",
        "http://",
        "not a url",
        "",
        "http://[::1/",
        "http://example.go.th:99999/",
    ],
)
def test_invalid_urls(url: str) -> None:
    async def go() -> FetchResult:
        async with Fetcher(FetchPolicy()) as fetcher:
            return await fetcher.get(url)

    result = explained(run(go))
    assert result.outcome is Outcome.INVALID_URL, result


def test_literal_and_disguised_internal_addresses_never_reach_the_server() -> None:
    async def go() -> tuple[list[FetchResult], Site]:
        async with serve() as site, Fetcher(FetchPolicy(min_interval=0)) as fetcher:
            p = site.port
            urls = [
                "http://10.0.0.1/",
                "http://169.254.169.254/latest/meta-data/",
                f"http://127.0.0.1:{p}/page.html",
                f"http://[::ffff:127.0.0.1]:{p}/page.html",
                f"http://0.0.0.0:{p}/page.html",
                f"http://127.1:{p}/page.html",
                f"http://2130706433:{p}/page.html",
                f"http://0x7f000001:{p}/page.html",
                f"http://0177.0.0.1:{p}/page.html",
            ]
            return [await fetcher.get(u) for u in urls], site

    results, site = run(go)
    for result in results:
        explained(result)
        assert result.outcome in (Outcome.REFUSED, Outcome.INVALID_URL), result
    assert [r.outcome for r in results[:5]] == [Outcome.REFUSED] * 5
    assert site.hits["page"] == 0 and site.hits["robots"] == 0


# --- loopback and allow_hosts --------------------------------------------------------------------------------------


def test_loopback_is_refused_by_default_by_ip_and_by_name() -> None:
    async def go() -> tuple[FetchResult, FetchResult, Site]:
        async with serve() as site, Fetcher(FetchPolicy()) as fetcher:
            by_ip = await fetcher.get(f"http://127.0.0.1:{site.port}/page.html")
            by_name = await fetcher.get(f"http://localhost:{site.port}/page.html")
            return by_ip, by_name, site

    by_ip, by_name, site = run(go)
    for result in (explained(by_ip), explained(by_name)):
        assert result.outcome is Outcome.REFUSED and "loopback" in result.error_en
    assert "localhost" in by_name.error_en  # the name is checked after resolution, in the resolver
    assert site.hits["page"] == 0 and site.hits["robots"] == 0


def test_allowing_an_ip_allows_names_that_resolve_to_it() -> None:
    """Decision: the check is on the resolved address, so allow_hosts={"127.0.0.1"} also admits ``localhost``."""

    async def go() -> tuple[FetchResult, FetchResult, FetchResult]:
        async with serve() as site, Fetcher(LOCAL) as fetcher:
            return (
                await fetcher.get(f"http://127.0.0.1:{site.port}/page.html"),
                await fetcher.get(f"http://localhost:{site.port}/page.html"),
                await fetcher.get(f"{site.base}/to-localhost"),
            )

    for result in run(go):
        assert result.ok and result.body == HTML, result


# --- the resolver pins connections to checked addresses ------------------------------------------------------------


class FakeResolver(AbstractResolver):
    """A DNS that answers from a table and counts lookups."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.lookups: Counter[str] = Counter()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.lookups[host] += 1
        if host not in self.table:
            raise OSError(f"Domain name not found: {host}")
        return [
            ResolveResult(
                hostname=host,
                host=ip,
                port=port,
                family=socket.AF_INET6 if ":" in ip else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for ip in self.table[host]
        ]

    async def close(self) -> None:
        pass


async def get_via(resolver: AbstractResolver, *urls: str, policy: FetchPolicy = LOCAL) -> FetchResult:
    async with Fetcher(policy, resolver=resolver) as fetcher:
        results = [await fetcher.get(u) for u in urls]
    return results[-1]


def test_connection_goes_only_to_checked_addresses() -> None:
    # agency.example answers with a private address and 127.0.0.1 (allowed here): the private one is dropped
    # before aiohttp sees it, so aiohttp connects to 127.0.0.1, and nothing resolves the name a second time.
    dns = FakeResolver({"agency.example": ["10.0.0.1", "127.0.0.1"]})

    async def go() -> FetchResult:
        async with serve() as site:
            url = f"http://agency.example:{site.port}/page.html"
            return await get_via(dns, url, url, url)

    result = run(go)
    assert result.ok and result.body == HTML
    assert dns.lookups["agency.example"] == 1  # one lookup, cached with only the checked answers


def test_resolver_refuses_when_every_answer_is_forbidden() -> None:
    dns = FakeResolver({"intranet.example": ["10.0.0.1", "fd00::5"]})
    policy = FetchPolicy(respect_robots=False)  # robots.txt would be one more (refused) lookup
    result = explained(run(lambda: get_via(dns, "http://intranet.example/", policy=policy)))
    assert result.outcome is Outcome.REFUSED and "private address 10.0.0.1" in result.error_en
    assert dns.lookups["intranet.example"] == 1


def test_safe_resolver_filters_answers() -> None:
    dns = FakeResolver({"mixed.example": ["8.8.8.8", "127.0.0.1", "::ffff:10.1.1.1", "2001:4860:4860::8888"]})

    async def go() -> list[str]:
        answers = await _SafeResolver(FetchPolicy(), dns, owns_inner=False).resolve("mixed.example", 80)
        return [a["host"] for a in answers]

    assert run(go) == ["8.8.8.8", "2001:4860:4860::8888"]


# --- size and time -------------------------------------------------------------------------------------------------


def test_huge_streamed_body_stops_at_max_bytes() -> None:
    async def go() -> tuple[FetchResult, Site]:
        async with serve() as site:
            async with Fetcher(replace(LOCAL, max_bytes=MB)) as fetcher:
                result = await fetcher.get(f"{site.base}/huge")
            await asyncio.sleep(0.2)  # let the server notice the closed connection
            return result, site

    result, site = run(go)
    explained(result)
    assert result.outcome is Outcome.TOO_LARGE and result.truncated and result.status == 200
    assert len(result.body) == MB and result.sha256 == hashlib.sha256(bytes(MB)).hexdigest()
    assert site.bytes_sent < 30 * MB  # we hung up; the server could not push the rest
    assert result.elapsed < 5


def test_declared_oversize_body_is_not_downloaded() -> None:
    async def go() -> tuple[FetchResult, Site]:
        async with serve() as site:
            async with Fetcher(replace(LOCAL, max_bytes=MB)) as fetcher:
                result = await fetcher.get(f"{site.base}/huge-declared")
            await asyncio.sleep(0.2)
            return result, site

    result, site = run(go)
    assert result.outcome is Outcome.TOO_LARGE and result.truncated and result.body == b""
    assert site.bytes_sent < 30 * MB


def test_gzip_bomb_stops_at_max_bytes_of_decompressed_data() -> None:
    assert len(gzip_bomb()) < MB  # small on the wire ...
    result, _ = run(lambda: fetch("/bomb"))  # ... 100 MB decompressed; the default limit is 25 MB
    explained(result)
    assert result.outcome is Outcome.TOO_LARGE and result.truncated
    assert len(result.body) == FetchPolicy().max_bytes and result.content_type == "text/html"


def test_slow_server_times_out() -> None:
    result, _ = run(lambda: fetch("/slow", replace(LOCAL, timeout=1.0)))
    explained(result)
    assert result.outcome is Outcome.TIMEOUT and result.status is None
    assert 0.9 < result.elapsed < 2.5


# --- retries -------------------------------------------------------------------------------------------------------


def test_429_is_retried_after_retry_after() -> None:
    result, site = run(lambda: fetch("/retry-after"))
    assert result.ok and result.body == b"ok now"
    assert site.hits["retry-after"] == 2 and result.elapsed >= 0.95


def test_503_gives_up_after_the_retries() -> None:
    result, site = run(lambda: fetch("/busy", replace(LOCAL, retries=2)))
    explained(result)
    assert result.outcome is Outcome.HTTP_ERROR and result.status == 503 and result.body == b"busy"
    assert site.hits["busy"] == 3  # the first try and two retries


@pytest.mark.parametrize(
    ("header", "attempt", "seconds"),
    [
        (None, 0, 1.0),
        (None, 1, 2.0),
        (None, 2, 4.0),
        (None, 5, 10.0),  # exponential, capped
        ("3", 0, 3.0),
        ("0", 3, 0.0),
        ("3600", 0, 10.0),  # honoured but capped
        ("-5", 0, 0.0),
        ("nan", 0, 10.0),
        ("soon", 1, 2.0),  # unreadable: fall back to the exponential delay
    ],
)
def test_retry_delay(header: str | None, attempt: int, seconds: float) -> None:
    assert _retry_delay(header, attempt) == seconds


def test_retry_delay_http_date() -> None:
    now = datetime(2026, 1, 5, 8, 0, 0, tzinfo=UTC)
    assert _retry_delay(format_datetime(now + timedelta(seconds=7), usegmt=True), 0, now=now) == 7.0
    assert _retry_delay(format_datetime(now - timedelta(hours=1), usegmt=True), 0, now=now) == 0.0
    assert _retry_delay(format_datetime(now + timedelta(days=1), usegmt=True), 0, now=now) == 10.0


# --- robots.txt ----------------------------------------------------------------------------------------------------


def test_robots_txt_is_honoured_and_fetched_once() -> None:
    async def go() -> tuple[list[FetchResult], Site]:
        async with serve() as site, Fetcher(LOCAL) as fetcher:
            urls = [f"{site.base}/private/secret.pdf", f"{site.base}/page.html", f"{site.base}/private/x"]
            return list(await asyncio.gather(*(fetcher.get(u) for u in urls))), site

    (secret, page, other), site = run(go)
    for result in (explained(secret), explained(other)):
        assert result.outcome is Outcome.ROBOTS and "robots.txt" in result.error_en and "robots.txt" in result.error_th
    assert page.ok
    assert site.hits["private"] == 0 and site.hits["robots"] == 1


def test_robots_txt_can_be_ignored_and_missing_means_allowed() -> None:
    async def go() -> tuple[FetchResult, FetchResult, Site]:
        async with serve() as site:
            async with Fetcher(replace(LOCAL, respect_robots=False)) as fetcher:
                ignored = await fetcher.get(f"{site.base}/private/secret.pdf")
            site.robots = None  # now robots.txt is a 404
            async with Fetcher(LOCAL) as fetcher:
                missing = await fetcher.get(f"{site.base}/private/secret.pdf")
            return ignored, missing, site

    ignored, missing, site = run(go)
    assert ignored.ok and missing.ok and site.hits["private"] == 2 and site.hits["robots"] == 1


def test_robots_txt_applies_to_redirect_targets() -> None:
    result, site = run(lambda: fetch("/to-robots-private"))
    explained(result)
    assert result.outcome is Outcome.ROBOTS and result.final_url == f"{site.base}/private/x"
    assert site.hits["private"] == 0


# --- politeness ----------------------------------------------------------------------------------------------------


def test_per_host_limit_caps_concurrent_requests() -> None:
    async def go() -> tuple[list[FetchResult], Site]:
        async with serve() as site, Fetcher(replace(LOCAL, per_host=2)) as fetcher:
            results = await asyncio.gather(*(fetcher.get(f"{site.base}/work") for _ in range(8)))
            return list(results), site

    results, site = run(go)
    assert all(r.ok for r in results)
    assert site.max_active == 2  # concurrent, but never more than two at once


def test_min_interval_spaces_request_starts() -> None:
    async def go() -> Site:
        async with serve() as site, Fetcher(replace(LOCAL, per_host=4, min_interval=0.3)) as fetcher:
            await asyncio.gather(*(fetcher.get(f"{site.base}/work") for _ in range(4)))
            return site

    site = run(go)
    gaps = [b - a for a, b in zip(site.starts, site.starts[1:], strict=False)]
    assert len(site.starts) == 4 and min(gaps) >= 0.25, gaps  # 0.3 s apart, less scheduling jitter


def test_user_agent_is_sent() -> None:
    seen: list[str] = []

    async def go() -> None:
        app = web.Application()

        async def echo(request: web.Request) -> web.Response:
            seen.append(request.headers["User-Agent"])
            return web.Response(text="hi")

        app.router.add_get("/", echo)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        try:
            async with Fetcher(replace(LOCAL, respect_robots=False)) as fetcher:
                assert (await fetcher.get(f"http://127.0.0.1:{runner.addresses[0][1]}/")).ok
        finally:
            await runner.cleanup()

    run(go)
    assert seen == [FetchPolicy().user_agent]


def test_fetcher_must_be_opened() -> None:
    with pytest.raises(RuntimeError):
        run(lambda: Fetcher().get("http://example.go.th/"))


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        FetchPolicy(per_host=0)
    with pytest.raises(ValueError):
        FetchPolicy(timeout=0)
