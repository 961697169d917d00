"""One safe, polite HTTP fetcher for every page the OIT checker visits.

Agency websites are untrusted input fetched from our server, so the defaults are the safe ones:

* **No server-side request forgery.** Every address a host name resolves to is checked with
  :func:`is_forbidden_address` (private, loopback, link-local, carrier-grade NAT, cloud metadata, multicast,
  reserved, unspecified, and IPv4-mapped IPv6 forms of these) *inside the resolver aiohttp connects with*, so the
  connection goes to exactly the addresses that were checked: there is no second DNS lookup and no DNS-rebinding
  window. Literal-IP URLs never reach a resolver in aiohttp, so they are checked before the request. Redirects are
  followed here, one hop at a time, and every hop goes through the same checks.
* **Bounded.** Connect and total time, decompressed body size (so a gzip bomb stops at ``max_bytes``), and the
  number of redirects are all limited.
* **Polite.** robots.txt is honoured (fetched once per site through the same safe path), at most ``per_host``
  requests run against one host with ``min_interval`` seconds between their starts, and 429/503 answers are retried
  after ``Retry-After`` (capped) or an exponential back-off.

``Fetcher.get`` never raises for a network or HTTP problem: it returns a :class:`FetchResult` whose
:class:`Outcome` says what happened, with an explanation in Thai and in English that a person can act on.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import ipaddress
import re
import socket
import ssl
import time
import urllib.robotparser
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from http import HTTPStatus
from types import TracebackType
from typing import Final

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from prongsai.checker import chain

__all__ = [
    "FetchPolicy",
    "FetchResult",
    "Fetcher",
    "Outcome",
    "is_forbidden_address",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Outcome(StrEnum):
    """What happened to one fetch. Only ``OK`` carries the page the caller asked for."""

    OK = "ok"
    HTTP_ERROR = "http_error"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    CONNECT_ERROR = "connect_error"
    ROBOTS = "robots_disallowed"
    INVALID_URL = "invalid_url"
    TOO_MANY_REDIRECTS = "too_many_redirects"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one :class:`Fetcher`. The defaults are safe for untrusted sites and polite to small servers."""

    timeout: float = 20.0  # total per HTTP request (one redirect hop, one attempt), body included, seconds
    connect_timeout: float = 5.0  # TCP connect, seconds
    max_bytes: int = 25 * 1024 * 1024  # decompressed body limit
    max_redirects: int = 5
    per_host: int = 2  # concurrent requests per host
    min_interval: float = 0.25  # seconds between request starts to one host
    retries: int = 2  # on 429/503, honouring Retry-After (capped at 10 s)
    respect_robots: bool = True
    # Host names or IPs exempt from the forbidden-address refusal: HOST (every port) or HOST:PORT, [IPv6]:PORT.
    allow_hosts: frozenset[str] = frozenset()
    trusted_roots: tuple[str, ...] = ()  # PEM files of CA certificates trusted besides the system's (intranets, tests)
    user_agent: str = "prongsai-checker/1.0 (+https://github.com/prongsai)"
    concurrency: int = 32  # total open requests

    def __post_init__(self) -> None:
        if self.per_host < 1 or self.concurrency < 1:
            raise ValueError("per_host and concurrency must be at least 1")
        if min(self.timeout, self.connect_timeout) <= 0 or self.max_bytes < 1:
            raise ValueError("timeouts and max_bytes must be positive")
        if min(self.max_redirects, self.retries) < 0 or self.min_interval < 0:
            raise ValueError("max_redirects, retries and min_interval must not be negative")
        for entry in self.allow_hosts:
            allow_entry(entry)  # a port that is not a number is an error now, not a silent refusal later


_EMPTY_HEADERS: Final[Mapping[str, str]] = CIMultiDictProxy(CIMultiDict())


@dataclass(frozen=True)
class FetchResult:
    """The answer to one :meth:`Fetcher.get`.

    ``redirects`` lists the URLs the site redirected to, in order (so ``final_url`` is the last of them when there
    were any). ``headers`` is case-insensitive (a multidict), from the last response. ``elapsed`` is the wall time
    of the whole ``get`` call, robots.txt, politeness waits, retries and redirects included.
    """

    url: str
    final_url: str
    outcome: Outcome
    status: int | None
    content_type: str  # lower-cased media type without parameters; "" when the server sent none
    body: bytes
    headers: Mapping[str, str]
    redirects: tuple[str, ...]
    elapsed: float
    fetched_at: datetime  # UTC, when the call started
    error_th: str  # why, when not OK ("" when OK)
    error_en: str
    truncated: bool = False  # body is only the first max_bytes (or nothing) of a larger response

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @functools.cached_property
    def sha256(self) -> str:
        """Hex digest of body; "" when there is no body. Worked out when first asked for: a crawl fetches
        hundreds of pages whose digest nobody needs (only the items' evidence is named by it)."""
        return hashlib.sha256(self.body).hexdigest() if self.body else ""


# --------------------------------------------------------------------------------------------------------------------
# Forbidden addresses

_METADATA: Final = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, DigitalOcean, ...
        ipaddress.ip_address("fd00:ec2::254"),  # AWS over IPv6
        ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    }
)
_THIS_NETWORK: Final = ipaddress.IPv4Network("0.0.0.0/8")
_CGNAT: Final = ipaddress.IPv4Network("100.64.0.0/10")
_PRIVATE: Final = (
    ipaddress.IPv4Network("10.0.0.0/8"),
    ipaddress.IPv4Network("172.16.0.0/12"),
    ipaddress.IPv4Network("192.168.0.0/16"),
    ipaddress.IPv6Network("fc00::/7"),
    ipaddress.IPv6Network("fec0::/10"),  # deprecated site-local
)
_NAT64: Final = ipaddress.IPv6Network("64:ff9b::/96")  # well-known NAT64 prefix: the last 32 bits are IPv4


def is_forbidden_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why the checker must not connect to ``ip`` ("private", "loopback", ...), or ``None`` if it is public.

    IPv6 forms that carry an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::a.b.c.d``, 6to4
    ``2002:AABB:CCDD::``) are judged by the IPv4 address inside. Anything not globally routable is refused.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ipaddress.IPv6Address(int(ip))  # drop any %scope so comparisons are by address only
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            reason = is_forbidden_address(embedded)
            if reason is not None or ip.ipv4_mapped is not None:
                return reason
    if ip in _METADATA:
        return "metadata"
    if ip.is_unspecified or (isinstance(ip, ipaddress.IPv4Address) and ip in _THIS_NETWORK):
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT:
        return "carrier-grade NAT"
    if ip.is_multicast:
        return "multicast"
    if any(ip in net for net in _PRIVATE if net.version == ip.version):
        return "private"
    if ip.is_reserved or ip.is_private or not ip.is_global:
        return "reserved"  # documentation, benchmarking, 240/4, broadcast, IETF special-purpose blocks
    return None


_REASON_TH: Final[Mapping[str, str]] = {
    "private": "เครือข่ายภายใน (private)",
    "loopback": "เครื่องเซิร์ฟเวอร์ของระบบเอง (loopback)",
    "link-local": "เครือข่ายเฉพาะจุด (link-local)",
    "carrier-grade NAT": "เครือข่ายภายในของผู้ให้บริการอินเทอร์เน็ต (carrier-grade NAT)",
    "metadata": "บริการข้อมูลภายในของระบบคลาวด์ (metadata)",
    "multicast": "ที่อยู่แบบกลุ่ม (multicast)",
    "reserved": "ที่อยู่สงวนที่ไม่ใช้บนอินเทอร์เน็ต (reserved)",
    "unspecified": "ที่อยู่ว่างที่ไม่ระบุเครื่อง (unspecified)",
}


class _ForbiddenAddress(OSError):
    """Raised by the resolver; an OSError so aiohttp wraps it in ClientConnectorDNSError like any lookup failure."""

    def __init__(self, host: str, ip: str, reason: str) -> None:
        super().__init__(f"{host} resolves to {reason} address {ip}")
        self.host = host
        self.ip = ip
        self.reason = reason


def _normal_host(host: str) -> str:
    return host.rstrip(".").lower()


def allow_entry(entry: str) -> tuple[str, int | None]:
    """An --allow-host / PRONGSAI_CHECK_ALLOW_HOSTS entry as (host, port): a port given allows that port only."""
    text = entry.strip()
    if text.startswith("["):  # [::1]:8443 or [::1]
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else rest
    elif text.count(":") == 1:  # name:port, 127.0.0.1:8443 (a bare IPv6 address has more colons)
        host, port = text.split(":")
    else:
        host, port = text, ""
    if port and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise ValueError(f"พอร์ตใน {entry!r} ต้องเป็นตัวเลข 1–65535 (the port in {entry!r} must be a number 1–65535)")
    try:
        host = str(ipaddress.ip_address(host))
    except ValueError:
        host = _normal_host(host)
    return host, int(port) if port else None


def _allowed(policy: FetchPolicy, host: str, ip: str | None, port: int | None) -> bool:
    """Whether the policy exempts this host (or the address it resolved to) at this port."""
    names = {_normal_host(host)}
    if ip is not None:
        with contextlib.suppress(ValueError):
            names.add(str(ipaddress.ip_address(ip.split("%")[0])))
    for allowed, allowed_port in map(allow_entry, policy.allow_hosts):
        if allowed in names and (allowed_port is None or allowed_port == port):
            return True
    return False


class _SafeResolver(AbstractResolver):
    """Resolves with the inner resolver, then returns only addresses that pass :func:`is_forbidden_address`.

    The connector connects to what this returns, so the check and the connection see the same address. The
    inner resolver is aiohttp's ThreadedResolver (the system's getaddrinfo: /etc/hosts and the machine's DNS)
    named on purpose: aiohttp's DefaultResolver becomes c-ares when aiodns happens to be installed, and what
    the guard checks must not change with what else is in the environment.
    """

    def __init__(self, policy: FetchPolicy, inner: AbstractResolver, *, owns_inner: bool) -> None:
        self._policy = policy
        self._inner = inner
        self._owns_inner = owns_inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        safe: list[ResolveResult] = []
        refusal: _ForbiddenAddress | None = None
        for answer in answers:
            try:
                ip = ipaddress.ip_address(answer["host"].split("%")[0])
            except ValueError:
                refusal = refusal or _ForbiddenAddress(host, answer["host"], "reserved")
                continue
            reason = is_forbidden_address(ip)
            if reason is None or _allowed(self._policy, host, str(ip), port):
                safe.append(answer)
            else:
                refusal = refusal or _ForbiddenAddress(host, str(ip), reason)
        if not safe:
            if refusal is not None:
                raise refusal
            raise OSError(f"no address found for {host}")
        return safe

    async def close(self) -> None:
        if self._owns_inner:
            await self._inner.close()


# --------------------------------------------------------------------------------------------------------------------
# Messages


class _Stop(Exception):
    """Ends a fetch early with an outcome and a human explanation (internal control flow)."""

    def __init__(self, outcome: Outcome, th: str, en: str, status: int | None = None) -> None:
        super().__init__(en)
        self.outcome = outcome
        self.th = th
        self.en = en
        self.status = status


def _refused(reason: str, ip: str, *, via_redirect: bool) -> _Stop:
    how_en = " (reached by a redirect)" if via_redirect else ""
    how_th = " (เว็บไซต์ส่งต่อมายังที่อยู่นี้)" if via_redirect else ""
    return _Stop(
        Outcome.REFUSED,
        f"ที่อยู่นี้เป็น{_REASON_TH.get(reason, reason)} ระบบไม่เข้าถึงเพื่อความปลอดภัย: {ip}{how_th}",
        f"refused: {reason} address {ip}{how_en}",
    )


def _invalid(th: str, en: str, *, via_redirect: bool) -> _Stop:
    if via_redirect:
        return _Stop(
            Outcome.REFUSED,
            f"เว็บไซต์ส่งต่อ (redirect) ไปยังที่อยู่ที่ระบบไม่ติดตาม: {th}",
            f"refused redirect: {en}",
        )
    return _Stop(Outcome.INVALID_URL, f"ที่อยู่เว็บไม่ถูกต้อง: {th}", f"invalid URL: {en}")


def _http_error(status: int) -> _Stop:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    en = f"HTTP {status} {phrase}".rstrip()
    if status == 404 or status == 410:
        th = "ไม่พบหน้านี้บนเว็บไซต์"
    elif status in (401, 407):
        th = "หน้านี้ต้องเข้าสู่ระบบก่อน ผู้เยี่ยมชมทั่วไปเปิดไม่ได้"
    elif status == 403:
        th = "เว็บไซต์ไม่อนุญาตให้เข้าถึงหน้านี้"
    elif status == 429:
        th = "เว็บไซต์ปฏิเสธเพราะมีการเรียกถี่เกินไป แม้รอแล้วก็ยังไม่ตอบ"
    elif status >= 500:
        th = "เซิร์ฟเวอร์ของเว็บไซต์ขัดข้อง"
    elif status >= 400:
        th = "เว็บไซต์ตอบว่าคำขอไม่ถูกต้อง"
    else:
        th = "เว็บไซต์ตอบกลับด้วยสถานะที่ไม่คาดไว้"
    return _Stop(Outcome.HTTP_ERROR, f"{th} ({en})", en, status)


def _timeout(seconds: float) -> _Stop:
    return _Stop(
        Outcome.TIMEOUT,
        f"เว็บไซต์ตอบช้าเกิน {seconds:g} วินาที ระบบจึงหยุดรอ",
        f"timed out after {seconds:g} s",
    )


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.3g}"


# OpenSSL's verify codes a person can act on (X509_V_ERR_*), as the rest of the sentence after "ใบรับรอง…ของเว็บไซต์".
_INCOMPLETE_CHAIN: Final = frozenset({2, 20})  # unable to get the issuer's certificate (locally)
_CERTIFICATE_TH: Final[Mapping[int | None, str]] = {
    9: "ยังไม่ถึงวันเริ่มใช้ (ตรวจนาฬิกาของเซิร์ฟเวอร์)",
    10: "หมดอายุแล้ว ควรต่ออายุใบรับรอง",
    18: "เป็นใบรับรองที่ออกเอง (self-signed) ไม่ได้ออกโดยผู้ออกใบรับรองที่เบราว์เซอร์เชื่อถือ",
    19: "อ้างถึงผู้ออกใบรับรองที่ออกให้ตัวเอง (self-signed) ซึ่งเบราว์เซอร์ไม่เชื่อถือ",
    2: "ส่งมาไม่ครบสาย (ขาดใบรับรองกลาง) และหาใบรับรองกลางจากที่อยู่ในใบรับรอง (AIA) ไม่ได้",
    20: "ส่งมาไม่ครบสาย (ขาดใบรับรองกลาง) และหาใบรับรองกลางจากที่อยู่ในใบรับรอง (AIA) ไม่ได้ หรือออกโดยผู้ที่เบราว์เซอร์ไม่เชื่อถือ",
    23: "ถูกเพิกถอนแล้ว",
    62: "ออกให้ชื่อเว็บไซต์อื่น ไม่ตรงกับ {host}",
    64: "ออกให้ที่อยู่ IP อื่น ไม่ตรงกับ {host}",
}


def _classify(exc: BaseException, host: str, policy: FetchPolicy, *, via_redirect: bool) -> _Stop:
    """Turn an aiohttp/OS exception into an outcome a person can understand."""
    if isinstance(exc, _Stop):
        return exc
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return _Stop(
            Outcome.TIMEOUT,
            f"เชื่อมต่อเซิร์ฟเวอร์ {host} ไม่สำเร็จภายใน {policy.connect_timeout:g} วินาที (เซิร์ฟเวอร์ไม่ตอบ)",
            f"could not connect to {host} within {policy.connect_timeout:g} s",
        )
    if isinstance(exc, TimeoutError):  # asyncio.timeout, ServerTimeoutError
        return _timeout(policy.timeout)
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        cause = exc.os_error
        if isinstance(cause, _ForbiddenAddress):
            return _refused(cause.reason, f"{cause.ip} ({cause.host})", via_redirect=via_redirect)
        return _Stop(
            Outcome.CONNECT_ERROR,
            f"ไม่พบชื่อโดเมน {host} ในระบบ DNS — ตรวจการสะกด หรือการต่ออายุโดเมน",
            f"DNS lookup failed for {host}: {cause.strerror or cause}",
        )
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        code = getattr(exc.certificate_error, "verify_code", None)
        th = _CERTIFICATE_TH.get(code, "ไม่ถูกต้อง").format(host=host)
        return _Stop(
            Outcome.CONNECT_ERROR,
            f"ใบรับรองความปลอดภัย (SSL/TLS) ของเว็บไซต์{th} เบราว์เซอร์ของประชาชนจะเตือนว่าไม่ปลอดภัยเช่นกัน",
            f"TLS certificate problem for {host}: {exc.certificate_error}",
        )
    if isinstance(exc, aiohttp.ClientSSLError):
        return _Stop(
            Outcome.CONNECT_ERROR,
            "เชื่อมต่อแบบเข้ารหัส (HTTPS) กับเว็บไซต์ไม่สำเร็จ",
            f"TLS handshake with {host} failed: {exc}",
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        return _Stop(
            Outcome.CONNECT_ERROR,
            f"เชื่อมต่อเซิร์ฟเวอร์ {host} ไม่ได้ (เซิร์ฟเวอร์ปิดอยู่ หรือปฏิเสธการเชื่อมต่อ)",
            f"could not connect to {host}: {exc.os_error.strerror or exc.os_error}",
        )
    if isinstance(exc, aiohttp.InvalidURL):
        return _invalid("รูปแบบที่อยู่ใช้ไม่ได้", str(exc), via_redirect=via_redirect)
    if isinstance(exc, aiohttp.ClientPayloadError):
        return _Stop(
            Outcome.CONNECT_ERROR,
            f"ข้อมูลที่ได้รับจาก {host} ขาดหายหรือเสียหายระหว่างทาง",
            f"damaged or incomplete response body from {host}: {exc}",
        )
    if isinstance(exc, aiohttp.ClientResponseError):
        return _Stop(
            Outcome.CONNECT_ERROR,
            f"เซิร์ฟเวอร์ {host} ตอบกลับในรูปแบบที่ไม่ถูกต้องตามมาตรฐาน HTTP",
            f"malformed HTTP response from {host}: {exc.message}",
        )
    return _Stop(
        Outcome.CONNECT_ERROR,
        f"การเชื่อมต่อกับ {host} ขาดหายระหว่างรับข้อมูล",
        f"connection to {host} failed: {type(exc).__name__}: {exc}".rstrip(": "),
    )


# --------------------------------------------------------------------------------------------------------------------
# URLs

_NUMERIC_HOST: Final = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.IGNORECASE)
_REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES: Final = frozenset({429, 503})
_RETRY_CAP: Final = 10.0
_ROBOTS_MAX_BYTES: Final = 512 * 1024
_DRAIN_MAX_BYTES: Final = 64 * 1024  # read at most this of a redirect/retry body to keep the connection reusable


def _parse_url(raw: str, *, via_redirect: bool) -> URL:
    try:
        url = URL(raw.strip())
    except (ValueError, TypeError) as exc:
        raise _invalid("รูปแบบที่อยู่ใช้ไม่ได้", f"malformed ({exc})", via_redirect=via_redirect) from None
    return _check_url(url, via_redirect=via_redirect)


def _check_url(url: URL, *, via_redirect: bool) -> URL:
    if url.scheme not in ("http", "https"):
        shown = url.scheme or "(none)"
        raise _invalid(
            f"ระบบตรวจได้เฉพาะที่อยู่ที่ขึ้นต้นด้วย http:// หรือ https:// (ได้ {shown}) {url}",
            f"only http:// and https:// addresses can be fetched (got scheme {shown!r}): {url}",
            via_redirect=via_redirect,
        )
    if url.raw_user is not None or url.raw_password is not None:
        raise _invalid(
            "ที่อยู่มีชื่อผู้ใช้หรือรหัสผ่านฝังอยู่ ระบบไม่ส่งข้อมูลเข้าสู่ระบบให้เว็บไซต์ใด",
            "the address contains a user name or password; credentials are never sent",
            via_redirect=via_redirect,
        )
    if not url.raw_host:
        raise _invalid("ไม่มีชื่อโดเมน", f"no host name: {url}", via_redirect=via_redirect)
    try:
        _ = url.port
    except ValueError:
        raise _invalid("หมายเลขพอร์ตไม่ถูกต้อง", f"bad port: {url}", via_redirect=via_redirect) from None
    return url.with_fragment(None)


def _literal_ip(url: URL) -> IPAddress | None:
    host = url.host or ""
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None


def _retry_delay(retry_after: str | None, attempt: int, *, now: datetime | None = None) -> float:
    """Seconds to wait before retry number ``attempt + 1``: Retry-After (seconds or HTTP date), else 1, 2, 4 ...

    Always between 0 and 10 seconds.
    """
    delay = float(2**attempt)
    value = (retry_after or "").strip()
    if value:
        try:
            delay = float(value)
        except ValueError:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                pass
            else:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                delay = (when - (now or datetime.now(UTC))).total_seconds()
    if delay != delay:  # NaN from a hostile header
        delay = _RETRY_CAP
    return min(max(delay, 0.0), _RETRY_CAP)


def _media_type(headers: Mapping[str, str]) -> str:
    return headers.get("Content-Type", "").split(";", 1)[0].strip().lower()


# --------------------------------------------------------------------------------------------------------------------
# Politeness


class _HostGate:
    """At most ``per_host`` requests at a time to one host, starts at least ``min_interval`` apart."""

    def __init__(self, per_host: int) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.lock = asyncio.Lock()
        self.next_start = 0.0  # loop.time() before which no request may start

    async def wait_ready(self) -> None:
        loop = asyncio.get_running_loop()
        while (delay := self.next_start - loop.time()) > 0:
            await asyncio.sleep(delay)

    async def claim(self, interval: float) -> None:
        loop = asyncio.get_running_loop()
        async with self.lock:
            await self.wait_ready()
            self.next_start = loop.time() + interval

    def back_off(self, seconds: float) -> None:
        self.next_start = max(self.next_start, asyncio.get_running_loop().time() + seconds)


@dataclass
class _Hop:
    """What one HTTP request produced: either a redirect target or a final response."""

    status: int
    headers: Mapping[str, str]
    redirect_to: URL | None = None
    body: bytes = b""
    truncated: bool = False
    declared_too_large: bool = False
    retry_delay: float | None = None


class Fetcher:
    """Fetches untrusted URLs safely and politely. Use as ``async with Fetcher(policy) as f: await f.get(url)``.

    One aiohttp session (and connection pool) is shared by all calls, so create one Fetcher per run.
    ``resolver`` replaces the underlying DNS resolver (tests, a custom DNS server); its answers are still checked.
    """

    def __init__(
        self,
        policy: FetchPolicy = FetchPolicy(),  # frozen, so one shared default is safe
        *,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self.policy = policy
        self._inner_resolver = resolver
        self._resolver: _SafeResolver | None = None
        self._session: aiohttp.ClientSession | None = None
        self._global: asyncio.Semaphore | None = None
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, asyncio.Task[urllib.robotparser.RobotFileParser | None]] = {}
        self._ssl: ssl.SSLContext | bool = True
        # Per host:port, the context that completes the site's chain (None: it could not be completed).
        self._chains: dict[str, asyncio.Task[ssl.SSLContext | None]] = {}

    async def __aenter__(self) -> Fetcher:
        policy = self.policy
        if self._session is not None:
            raise RuntimeError("this Fetcher is already open")
        resolver = self._resolver = _SafeResolver(
            policy, self._inner_resolver or ThreadedResolver(), owns_inner=self._inner_resolver is None
        )
        connector = aiohttp.TCPConnector(
            limit=policy.concurrency,
            limit_per_host=policy.per_host,
            ttl_dns_cache=300,
            resolver=resolver,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=policy.timeout, sock_connect=policy.connect_timeout),
            headers={
                "User-Agent": policy.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "th,en;q=0.8",
            },
            trust_env=False,  # never pick up proxies or .netrc credentials from the environment
            auto_decompress=True,
            raise_for_status=False,
        )
        self._global = asyncio.Semaphore(policy.concurrency)
        self._ssl = chain.context(policy.trusted_roots) if policy.trusted_roots else True
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for task in (*self._robots.values(), *self._chains.values()):
            task.cancel()
        if self._robots or self._chains:
            await asyncio.gather(*self._robots.values(), *self._chains.values(), return_exceptions=True)
        self._robots.clear()
        self._chains.clear()
        if self._session is not None:
            await self._session.close()  # closes the connector, which does not close a resolver it was given
            self._session = None
        if self._resolver is not None:
            await self._resolver.close()
            self._resolver = None
        self._gates.clear()

    async def get(self, url: str, *, want_body: bool = True) -> FetchResult:
        """Fetch ``url`` (following redirects, each hop checked). Never raises for network or HTTP problems."""
        return await self._fetch(
            url, want_body=want_body, max_bytes=self.policy.max_bytes, check_robots=self.policy.respect_robots
        )

    # ----------------------------------------------------------------------------------------------------------------

    async def _fetch(self, url: str, *, want_body: bool, max_bytes: int, check_robots: bool) -> FetchResult:
        if self._session is None:
            raise RuntimeError("Fetcher must be used as 'async with Fetcher(...) as fetcher'")
        started = time.monotonic()
        fetched_at = datetime.now(UTC)
        redirects: list[str] = []
        current_text = url
        hop: _Hop | None = None

        def result(outcome: Outcome, th: str = "", en: str = "", status: int | None = None) -> FetchResult:
            body = hop.body if hop is not None else b""
            headers = hop.headers if hop is not None else _EMPTY_HEADERS
            return FetchResult(
                url=url,
                final_url=current_text,
                outcome=outcome,
                status=status if status is not None else (hop.status if hop is not None else None),
                content_type=_media_type(headers),
                body=body,
                headers=headers,
                redirects=tuple(redirects),
                elapsed=time.monotonic() - started,
                fetched_at=fetched_at,
                error_th=th,
                error_en=en,
                truncated=hop.truncated if hop is not None else False,
            )

        try:
            current = _parse_url(url, via_redirect=False)
            current_text = str(current)
            while True:
                via_redirect = bool(redirects)
                ip = _literal_ip(current)
                host = current.raw_host or ""
                if ip is None and _NUMERIC_HOST.match(host):
                    raise _invalid(
                        f"ตัวเลขที่อยู่ IP อยู่ในรูปแบบที่ไม่เป็นมาตรฐาน ({host})",
                        f"numeric host in a non-standard form: {host}",
                        via_redirect=via_redirect,
                    )
                if ip is not None and not _allowed(self.policy, host, str(ip), current.port):
                    reason = is_forbidden_address(ip)
                    if reason is not None:
                        raise _refused(reason, str(ip), via_redirect=via_redirect)
                if check_robots and not await self._robots_allow(current):
                    raise _Stop(
                        Outcome.ROBOTS,
                        "ไฟล์ robots.txt ของเว็บไซต์ไม่อนุญาตให้ระบบอัตโนมัติเข้าหน้านี้ ระบบจึงไม่เปิด",
                        f"disallowed by {current.origin()}/robots.txt for {self.policy.user_agent}",
                    )
                hop = None
                hop = await self._request(current, want_body=want_body, max_bytes=max_bytes, via_redirect=via_redirect)
                if hop.redirect_to is None:
                    break
                if len(redirects) >= self.policy.max_redirects:
                    raise _Stop(
                        Outcome.TOO_MANY_REDIRECTS,
                        f"เว็บไซต์ส่งต่อ (redirect) เกิน {self.policy.max_redirects} ครั้ง อาจวนซ้ำไม่รู้จบ",
                        f"more than {self.policy.max_redirects} redirects (next: {hop.redirect_to})",
                    )
                current_text = str(hop.redirect_to)
                redirects.append(current_text)
                hop = None
                current = _check_url(URL(current_text), via_redirect=True)
                current_text = str(current)
        except _Stop as stop:
            # hop is the last response only for TOO_MANY_REDIRECTS; otherwise the failing URL produced no response
            return result(stop.outcome, stop.th, stop.en, stop.status)

        if hop.declared_too_large or hop.truncated:
            limit = _mb(max_bytes)
            return result(
                Outcome.TOO_LARGE,
                f"ไฟล์มีขนาดเกิน {limit} MB ที่ระบบกำหนด จึงหยุดดาวน์โหลด",
                f"response is larger than the {limit} MB limit; download stopped",
            )
        if hop.status >= 400:
            error = _http_error(hop.status)
            return result(error.outcome, error.th, error.en)
        return result(Outcome.OK)

    async def _request(self, url: URL, *, want_body: bool, max_bytes: int, via_redirect: bool) -> _Hop:
        """One hop: politeness, retries on 429/503, and the bounded read. Raises _Stop on failure."""
        assert self._session is not None and self._global is not None
        host = _normal_host(url.raw_host or "")
        gate = self._gates.get(host)
        if gate is None:
            gate = self._gates[host] = _HostGate(self.policy.per_host)
        attempt = 0
        while True:
            incomplete: aiohttp.ClientConnectorCertificateError | None = None
            completed = self._chain_context(url)
            async with gate.slots:
                await gate.wait_ready()
                async with self._global:
                    await gate.claim(self.policy.min_interval)
                    try:
                        async with asyncio.timeout(self.policy.timeout):
                            hop = await self._one(
                                url, want_body=want_body, max_bytes=max_bytes, retrying=attempt, ssl_context=completed
                            )
                    except aiohttp.ClientConnectorCertificateError as exc:
                        if getattr(exc.certificate_error, "verify_code", None) not in _INCOMPLETE_CHAIN:
                            raise _classify(exc, host, self.policy, via_redirect=via_redirect) from exc
                        incomplete = exc
                    except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
                        raise _classify(exc, host, self.policy, via_redirect=via_redirect) from exc
            if incomplete is not None:
                # Outside the host's gate: completing the chain fetches from other hosts.
                if completed is not None or await self._complete_chain(url) is None:
                    raise _classify(incomplete, host, self.policy, via_redirect=via_redirect) from incomplete
                continue
            if hop.retry_delay is None:
                return hop
            gate.back_off(hop.retry_delay)
            attempt += 1

    async def _one(
        self, url: URL, *, want_body: bool, max_bytes: int, retrying: int, ssl_context: ssl.SSLContext | None = None
    ) -> _Hop:
        assert self._session is not None
        async with self._session.get(url, allow_redirects=False, ssl=ssl_context or self._ssl) as resp:
            status = resp.status
            headers: Mapping[str, str] = resp.headers
            if status in _RETRY_STATUSES and retrying < self.policy.retries:
                await self._drain(resp)
                return _Hop(status, headers, retry_delay=_retry_delay(headers.get("Retry-After"), retrying))
            location = headers.get("Location")
            if status in _REDIRECT_STATUSES and location:
                await self._drain(resp)
                try:
                    target = resp.url.join(URL(location.strip()))
                except (ValueError, TypeError) as exc:
                    raise _invalid("ที่อยู่ปลายทางใช้ไม่ได้", f"bad Location {location!r}: {exc}", via_redirect=True) from None
                return _Hop(status, headers, redirect_to=target)
            if not want_body:
                resp.close()
                return _Hop(status, headers)
            declared = resp.content_length
            if declared is not None and declared > max_bytes:
                resp.close()  # do not download what we would throw away
                return _Hop(status, headers, truncated=True, declared_too_large=True)
            body, truncated = await _read_bounded(resp, max_bytes)
            return _Hop(status, headers, body=body, truncated=truncated)

    @staticmethod
    async def _drain(resp: aiohttp.ClientResponse) -> None:
        """Read a small body so the connection can be reused; close the connection if it is not small."""
        _, truncated = await _read_bounded(resp, _DRAIN_MAX_BYTES)
        if truncated:
            resp.close()

    # ----------------------------------------------------------------------------------------------------------------
    # Certificate chains: completed from the site certificate's AIA address, as browsers do (see chain.py)

    def _chain_context(self, url: URL) -> ssl.SSLContext | None:
        """The context that completed this site's chain, once there is one."""
        task = self._chains.get(_chain_key(url))
        return task.result() if task is not None and task.done() and not task.cancelled() else None

    async def _complete_chain(self, url: URL) -> ssl.SSLContext | None:
        """A context that verifies ``url``'s site with its missing intermediates, once per host and port."""
        key = _chain_key(url)
        task = self._chains.get(key)
        if task is None:
            task = self._chains[key] = asyncio.create_task(self._chase(url))
        return await asyncio.shield(task)

    async def _chase(self, url: URL) -> ssl.SSLContext | None:
        try:
            async with asyncio.timeout(self.policy.timeout * (chain.MAX_LINKS + 1)):
                return await self._links_to_root(url)
        except Exception:  # hostile certificate bytes or a server that stalls: the chain is not completed
            return None

    async def _links_to_root(self, url: URL) -> ssl.SSLContext | None:
        leaf = await self._leaf(url)
        links: list[chain.Certificate] = []
        current = leaf
        while current is not None and len(links) < chain.MAX_LINKS and not chain.is_self_issued(current):
            found: list[chain.Certificate] = []
            for address in chain.ca_issuers(current)[:2]:
                # The same guard, limits and politeness as every fetch; robots.txt is for pages, not for CAs.
                got = await self._fetch(
                    address, want_body=True, max_bytes=chain.MAX_CERTIFICATE_BYTES, check_robots=False
                )
                found = chain.certificates(got.body) if got.ok else []
                if found:
                    break
            links.extend(found)
            issuer = current.issuer  # a bundle may hold more than the issuer, in any order
            current = next((certificate for certificate in found if certificate.subject == issuer), None)
        if not any(not chain.is_self_issued(link) for link in links):
            return None
        try:
            return chain.context(self.policy.trusted_roots, links)
        except (ValueError, ssl.SSLError):  # a certificate OpenSSL will not load links nothing
            return None

    async def _leaf(self, url: URL) -> chain.Certificate | None:
        """The site's own certificate, from a handshake that does not verify it, to an address the guard passed."""
        assert self._resolver is not None
        host, port = url.raw_host or "", url.port or 443
        unverified = ssl.create_default_context()
        unverified.check_hostname = False
        unverified.verify_mode = ssl.CERT_NONE
        try:
            answers = await self._resolver.resolve(host, port, socket.AF_UNSPEC)
        except OSError:
            return None
        for answer in answers[:2]:
            try:
                async with asyncio.timeout(self.policy.connect_timeout):
                    _, writer = await asyncio.open_connection(
                        answer["host"], port, ssl=unverified, server_hostname=host
                    )
            except (OSError, TimeoutError, ssl.SSLError):
                continue
            try:
                der = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
            finally:
                writer.close()
            return chain.parse(der) if der else None
        return None

    # ----------------------------------------------------------------------------------------------------------------
    # robots.txt

    async def _robots_allow(self, url: URL) -> bool:
        origin = str(url.origin())
        task = self._robots.get(origin)
        if task is None:
            task = self._robots[origin] = asyncio.create_task(self._load_robots(origin))
        parser = await asyncio.shield(task)
        return parser is None or parser.can_fetch(self.policy.user_agent, str(url))

    async def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The site's robots rules, or None (everything allowed) when robots.txt is missing or unreadable."""
        res = await self._fetch(f"{origin}/robots.txt", want_body=True, max_bytes=_ROBOTS_MAX_BYTES, check_robots=False)
        if res.outcome is not Outcome.OK and not (res.outcome is Outcome.TOO_LARGE and res.body):
            return None
        if res.status is None or not 200 <= res.status < 300:
            return None
        parser = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        parser.parse(res.body.decode("utf-8", errors="replace").splitlines())
        return parser


def _chain_key(url: URL) -> str:
    return f"{_normal_host(url.raw_host or '')}:{url.port or 443}"


async def _read_bounded(resp: aiohttp.ClientResponse, limit: int) -> tuple[bytes, bool]:
    """Read at most ``limit`` decompressed bytes; ``(body, truncated)``. Closes the connection when truncated."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(64 * 1024):  # chunks arrive already decompressed
        if size + len(chunk) > limit:
            chunks.append(chunk[: limit - size])
            resp.close()
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False
