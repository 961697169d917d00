"""TLS as a browser sees it, on HTTPS servers on 127.0.0.1 with a test CA made here (root → intermediate → site).

A server that sends its certificate without the intermediate opens, as in a browser, by fetching the
intermediate from the address in the certificate's AIA field (served over HTTP on 127.0.0.1, through the
fetcher's address guard); expired, self-signed and wrong-name certificates stay broken, said in Thai.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from prongsai.checker import run
from prongsai.checker.fetch import Fetcher, FetchPolicy, FetchResult, Outcome
from prongsai.frameworks import get_framework

from .serving import served

NOW = dt.datetime.now(dt.UTC)
Key = ec.EllipticCurvePrivateKey


def _key() -> Key:
    return ec.generate_private_key(ec.SECP256R1())


def _certificate(
    name: str,
    key: Key,
    issuer: tuple[x509.Certificate, Key] | None,
    *,
    ca: bool,
    aia: str = "",
    ip: str = "127.0.0.1",
    days: tuple[int, int] = (-1, 30),
) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_name, signer = (issuer[0].subject, issuer[1]) if issuer else (subject, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW + dt.timedelta(days=days[0]))
        .not_valid_after(NOW + dt.timedelta(days=days[1]))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        import ipaddress

        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(ip))]), False)
    if aia:
        access = x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(aia))
        builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
    return builder.sign(signer, hashes.SHA256())


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _server_context(folder: Path, name: str, certificate: x509.Certificate, key: Key) -> ssl.SSLContext:
    """A server context that sends only its own certificate (no intermediate), as misconfigured servers do."""
    cert_file, key_file = folder / f"{name}.pem", folder / f"{name}.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


def _page_app() -> web.Application:
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        return web.Response(
            text="<html><head><meta charset='utf-8'><title>โครงสร้าง</title></head><body><h1>โครงสร้างองค์การบริหาร"
            "ส่วนตำบล</h1><p>แผนผังโครงสร้างการแบ่งส่วนราชการ สำนักปลัด กองคลัง กองช่าง</p></body></html>",
            content_type="text/html",
        )

    app.router.add_get("/{tail:.*}", page)
    return app


@dataclass
class Sites:
    root_file: str
    aia_hits: list[str]
    missing_intermediate: str  # leaf only; its AIA address serves the intermediate
    no_aia_certificate: str  # leaf only; its AIA address answers 404
    stranger_at_aia: str  # leaf only; its AIA address serves a certificate of another CA
    guarded_aia: str  # leaf only; its AIA address is a loopback address not allowed
    expired: str
    self_signed: str
    wrong_name: str


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    folder = tmp_path_factory.mktemp("pki")
    root_key, intermediate_key, stranger_key = _key(), _key(), _key()
    root = _certificate("prongsai test root", root_key, None, ca=True, days=(-1, 3650))
    intermediate = _certificate("prongsai test intermediate", intermediate_key, (root, root_key), ca=True)
    stranger = _certificate("another root", stranger_key, None, ca=True)
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    hits: list[str] = []
    aia = web.Application()

    async def certificate(request: web.Request) -> web.Response:
        hits.append(request.path)
        body = {"/intermediate.cer": _der(intermediate), "/stranger.cer": _der(stranger)}.get(request.path)
        if body is None:
            raise web.HTTPNotFound()
        return web.Response(body=body, content_type="application/pkix-cert")

    aia.router.add_get("/{name}", certificate)
    with contextlib.ExitStack() as stack:
        aia_base = stack.enter_context(served(aia))
        other_loopback = aia_base.replace("127.0.0.1", "127.0.0.2")

        def site(name: str, issuer: tuple[x509.Certificate, Key] | None, **kw: object) -> str:
            key = _key()
            leaf = _certificate(name, key, issuer, ca=False, **kw)  # type: ignore[arg-type]
            return stack.enter_context(served(_page_app(), ssl_context=_server_context(folder, name, leaf, key)))

        signed = (intermediate, intermediate_key)
        yield Sites(
            root_file=str(folder / "root.pem"),
            aia_hits=hits,
            missing_intermediate=site("site", signed, aia=f"{aia_base}/intermediate.cer"),
            no_aia_certificate=site("no-aia", signed, aia=f"{aia_base}/gone.cer"),
            stranger_at_aia=site("stranger", signed, aia=f"{aia_base}/stranger.cer"),
            guarded_aia=site("guarded", signed, aia=f"{other_loopback}/intermediate.cer"),
            expired=site("expired", signed, aia=f"{aia_base}/intermediate.cer", days=(-60, -1)),
            self_signed=site("self-signed", None),
            wrong_name=site("wrong-name", signed, aia=f"{aia_base}/intermediate.cer", ip="10.1.2.3"),
        )


def _policy(sites: Sites) -> FetchPolicy:
    return FetchPolicy(
        allow_hosts=frozenset({"127.0.0.1"}),
        trusted_roots=(sites.root_file,),
        respect_robots=False,
        min_interval=0,
        timeout=10,
    )


def _get(sites: Sites, *urls: str) -> list[FetchResult]:
    async def go() -> list[FetchResult]:
        async with Fetcher(_policy(sites)) as fetcher:
            return [await fetcher.get(url) for url in urls]

    return asyncio.run(go())


def test_a_site_without_its_intermediate_opens_as_in_a_browser(sites: Sites) -> None:
    before = len(sites.aia_hits)
    first, second = _get(sites, f"{sites.missing_intermediate}/o1", f"{sites.missing_intermediate}/o2")
    assert first.outcome is Outcome.OK and "โครงสร้าง" in first.body.decode()
    assert second.outcome is Outcome.OK
    assert sites.aia_hits[before:] == ["/intermediate.cer"]  # fetched once for the site, not per page


def test_without_the_root_the_completed_chain_is_still_not_trusted(sites: Sites) -> None:
    async def go() -> FetchResult:
        async with Fetcher(FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), respect_robots=False)) as fetcher:
            return await fetcher.get(f"{sites.missing_intermediate}/o1")

    result = asyncio.run(go())
    assert result.outcome is Outcome.CONNECT_ERROR and "ไม่ครบสาย" in result.error_th


@pytest.mark.parametrize(
    ("which", "words"),
    [
        ("no_aia_certificate", "ส่งมาไม่ครบสาย (ขาดใบรับรองกลาง)"),
        ("stranger_at_aia", "ส่งมาไม่ครบสาย"),  # a certificate of another CA links nothing
        ("guarded_aia", "ส่งมาไม่ครบสาย"),  # the AIA address goes through the same guard: 127.0.0.2 is refused
        ("expired", "หมดอายุแล้ว"),
        ("self_signed", "self-signed"),
        ("wrong_name", "ไม่ตรงกับ 127.0.0.1"),
    ],
)
def test_a_bad_certificate_stays_broken_with_its_reason_in_thai(sites: Sites, which: str, words: str) -> None:
    (result,) = _get(sites, f"{getattr(sites, which)}/o1")
    assert result.outcome is Outcome.CONNECT_ERROR
    assert words in result.error_th and "ใบรับรองความปลอดภัย (SSL/TLS)" in result.error_th


def test_the_checker_passes_the_completed_site_and_calls_the_expired_one_broken(sites: Sites) -> None:
    site = asyncio.run(
        run.check_site(
            get_framework(2565),
            urls={"O1": [f"{sites.missing_intermediate}/o1"], "O2": [f"{sites.expired}/o2"]},
            policy=_policy(sites),
            processes=0,
        )
    )
    verdicts = {c.code: c for c in site.checks}
    assert verdicts["O1"].verdict.value == "ok"
    assert verdicts["O2"].verdict.value == "broken" and "หมดอายุ" in verdicts["O2"].reason_th


def test_the_certificates_at_an_aia_address_in_every_form_cas_serve() -> None:
    from cryptography.hazmat.primitives.serialization import pkcs7

    from prongsai.checker import chain

    key = _key()
    root = _certificate("root", key, None, ca=True)
    intermediate = _certificate("intermediate", _key(), (root, key), ca=True)
    pem = intermediate.public_bytes(serialization.Encoding.PEM)
    bundle = pkcs7.serialize_certificates([intermediate, root], serialization.Encoding.DER)
    assert chain.certificates(_der(intermediate)) == [intermediate]
    assert chain.certificates(pem) == [intermediate]
    assert set(chain.certificates(bundle)) == {intermediate, root}  # a PKCS #7 set has no order
    assert chain.certificates(b"<html>not found</html>") == []
    assert chain.is_self_issued(root) and not chain.is_self_issued(intermediate)


def test_only_http_aia_addresses_are_followed() -> None:
    from prongsai.checker import chain

    leaf = _certificate("site", _key(), None, ca=False, aia="https://ca.example/int.cer")
    assert chain.ca_issuers(leaf) == []  # an https address could need its own chain completed: a loop
    leaf = _certificate("site", _key(), None, ca=False, aia="http://ca.example/int.cer")
    assert chain.ca_issuers(leaf) == ["http://ca.example/int.cer"]
