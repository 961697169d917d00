"""Certificates for completing a site's chain as a browser does.

Many agency servers send their own certificate without the intermediate one that links it to a root.
Browsers open such sites anyway: they fetch the missing certificate from the address in the site
certificate's Authority Information Access (AIA) field, "CA Issuers". The fetcher does the same
(:meth:`~prongsai.checker.fetch.Fetcher.get`), through its own address guard and limits, and these are
the pieces it needs: where the issuer is, reading what is served there, and a context that trusts the
system's roots with the fetched certificates as links only — never as roots.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import AuthorityInformationAccessOID

__all__ = [
    "MAX_CERTIFICATE_BYTES",
    "MAX_LINKS",
    "Certificate",
    "ca_issuers",
    "certificates",
    "context",
    "is_self_issued",
    "parse",
]

Certificate = x509.Certificate

MAX_CERTIFICATE_BYTES = 64 * 1024  # a certificate is 1–2 KB; a bundle of a few stays far below this
MAX_LINKS = 3  # intermediates fetched one after another; real chains have one or two


def parse(der: bytes) -> x509.Certificate | None:
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError:
        return None


def ca_issuers(certificate: x509.Certificate) -> list[str]:
    """The http addresses the certificate names for its issuer's certificate (AIA "CA Issuers")."""
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [
        description.access_location.value
        for description in access
        if description.access_method == AuthorityInformationAccessOID.CA_ISSUERS
        and isinstance(description.access_location, x509.UniformResourceIdentifier)
        # http only, as CAs publish them (RFC 5280): an https address could need its own chain completed
        and description.access_location.value.lower().startswith("http://")
    ]


def certificates(body: bytes) -> list[x509.Certificate]:
    """The certificates served at an AIA address: DER (the usual .cer/.crt), PEM, or a PKCS #7 bundle (.p7c)."""
    loaders = (
        lambda b: [x509.load_der_x509_certificate(b)],
        x509.load_pem_x509_certificates,
        pkcs7.load_der_pkcs7_certificates,
        pkcs7.load_pem_pkcs7_certificates,
    )
    for load in loaders:
        try:
            found = load(body)
        except ValueError:
            continue
        if found:
            return list(found)
    return []


def is_self_issued(certificate: x509.Certificate) -> bool:
    """A root (issuer = subject): never taken from an AIA address, only from the trust store."""
    return certificate.issuer == certificate.subject


def context(roots: Iterable[str], links: Iterable[x509.Certificate] = ()) -> ssl.SSLContext:
    """A verifying context: the system's roots, the extra ``roots`` (PEM files), and ``links`` to build
    chains with. Without partial-chain verification a chain must still end at a self-signed trusted root,
    so a fetched certificate can complete a chain but never stand in for a root."""
    ctx = ssl.create_default_context()
    for root in roots:
        ctx.load_verify_locations(cafile=root)
    pem = "".join(link.public_bytes(Encoding.PEM).decode("ascii") for link in links if not is_self_issued(link))
    if pem:
        ctx.load_verify_locations(cadata=pem)
    ctx.verify_flags &= ~ssl.VERIFY_X509_PARTIAL_CHAIN
    return ctx
