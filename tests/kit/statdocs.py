"""Helpers of the statistics kinds' tests (procurement, complaints, services): a document's PDF text layer,
every text a document prints, a dataset moved to another fiscal year, and the checker's verdict on a PDF served
on 127.0.0.1 the way tests/checker serves documents."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from checker.serving import served  # tests/checker's helper (tests/ is on the path)
from prongsai.checker.fetch import FetchPolicy
from prongsai.checker.run import check_site
from prongsai.frameworks import get_framework
from prongsai.kit.base import DatasetData, Heading, Image, OfficialDoc, Para, Signature, Table

needs_pdf_tools = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="LibreOffice and pdftotext needed"
)
THAI_MARKS = "\u0e31\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "kit"


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def unspaced(text: str) -> str:
    return re.sub(r"\s+", "", text)


def torn_lines(text: str) -> list[str]:
    """Lines that start with a vowel or tone mark (ำ too) torn from its consonant."""
    return [line[:12] for line in text.splitlines() if line[:1] and line[0] in THAI_MARKS]


def doc_texts(doc: OfficialDoc) -> list[str]:
    """Every text the document prints, in order: title, subtitle, headings, paragraphs, table cells, the
    pictures' alternative text and the signature."""
    out: list[str] = [doc.title, *doc.subtitle]
    for block in doc.blocks:
        if isinstance(block, (Heading, Para)):
            out.append(block.text)
        elif isinstance(block, Table):
            out += [block.caption, *(c.label for c in block.columns), *(c for row in block.rows for c in row)]
            out += list(block.total or ())
        elif isinstance(block, Image):
            out.append(block.alt)
        elif isinstance(block, Signature):
            out += [block.name, block.position, block.date_text]
    return out


def _shift(value: Any, years: int) -> Any:
    if isinstance(value, dt.date):
        return value.replace(year=value.year + years)
    if isinstance(value, str):  # contract numbers (๑/๒๕๖๙) and the like carry their year
        return re.sub(r"(?<!\d)25\d\d(?!\d)", lambda m: str(int(m.group(0)) + years), value)
    return value


def shifted(data: DatasetData, years: int) -> DatasetData:
    """The same dataset ``years`` fiscal years later (earlier when negative): every date and B.E. year moved."""

    def move(row: Mapping[str, Any]) -> dict[str, Any]:
        return {k: _shift(v, years) for k, v in row.items()}

    return dataclasses.replace(
        data, fiscal_year=data.fiscal_year + years, header=move(data.header), rows=tuple(move(r) for r in data.rows)
    )


def verdicts(pdfs: Mapping[str, tuple[bytes, str, int]]) -> dict[str, tuple[str, str]]:
    """name → (verdict, reason) of prongsai's checker for each PDF, served as /NAME.pdf and checked as the item
    ``code`` of the framework of ``year`` (as ``prongsai oit check --year`` checks a register)."""
    app = web.Application()

    def handler(body: bytes) -> Any:
        async def serve(request: web.Request) -> web.Response:
            return web.Response(body=body, content_type="application/pdf")

        return serve

    for name, (pdf, _, _) in pdfs.items():
        app.router.add_get(f"/{name}.pdf", handler(pdf))
    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), min_interval=0, respect_robots=False)
    out: dict[str, tuple[str, str]] = {}
    with served(app) as base:
        for name, (_, code, year) in pdfs.items():
            site = asyncio.run(
                check_site(get_framework(year), urls={code: [f"{base}/{name}.pdf"]}, policy=policy, processes=0)
            )
            check = next(c for c in site.checks if c.code == code)
            out[name] = (check.verdict.value, check.reason_en)
    return out


def assert_verdicts(pdfs: Mapping[str, tuple[bytes, str, int]], expected: Mapping[str, str]) -> None:
    """The checker's verdict on each served PDF is the expected one (the reasons shown when not)."""
    got = verdicts(pdfs)
    assert {name: verdict for name, (verdict, _) in got.items()} == dict(expected), got
