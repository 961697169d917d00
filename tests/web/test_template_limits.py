"""An agency's Word template cannot exhaust the server: operation limits in the sandbox ('x' * 3e9, nested
range(100000) loops, doubling text), a cap on how far its parts inflate (a 700 MB document.xml in a 750 kB
upload) and the memory bound of the child process it is checked and rendered in. Each is refused quickly with
a Thai reason: in the core, through the CLI, and through the web app's upload and download (never a 500)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.documents import sample_context, validate_template
from prongsai.documents.render import DocumentTemplateError, render_agency_docx
from prongsai.documents.sandbox import MAX_STEPS
from prongsai.documents.typeset import plain
from prongsai.web.models import AgencyTemplate

from .conftest import EXAMPLES, World

ROOT = Path(__file__).parents[2]
THAI = re.compile(r"[\u0e00-\u0e7f]")
SECONDS = 20  # each refusal, however the machine is loaded (alone: well under 2 s)


def template(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def inflated(megabytes: int = 700) -> bytes:
    """A real .docx whose word/document.xml inflates to ``megabytes`` (a paragraph of that much text)."""
    source = zipfile.ZipFile(io.BytesIO(template("{{ agency_name }}")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for part in source.infolist():
            if part.filename != "word/document.xml":
                package.writestr(part, source.read(part))
        xml = source.read("word/document.xml").decode()
        head, tail = xml.split("{{ agency_name }}")
        with package.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(head.encode())
            chunk = b"x" * (1024 * 1024)
            for _ in range(megabytes):
                stream.write(chunk)
            stream.write(tail.encode())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = inflated()
    assert len(data) < 1024 * 1024, len(data)  # under 1 MB on the wire
    return data


HOSTILE = {
    "x times 3e9": template('{{ "x" * 3000000000 }}'),
    "nested range(100000)": template(
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}"
    ),
    "nested range(10000)": template("{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}"),
    "doubling text": template(
        '{% set ns = namespace(x="ab") %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}{{ ns.x }}'
    ),
    "a huge power": template("{{ 7 ** 99999999 }}"),
    "a width": template('{{ "%3000000000s" % agency_name }}'),
    "endless recursion": template("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}"),
}
REASONS = {
    "x times 3e9": "ยาวเกิน",
    "nested range(100000)": "range()",
    "nested range(10000)": f"{MAX_STEPS:,} ครั้ง",
    "doubling text": "ยาวเกิน",
    "a huge power": "ยาวเกิน",
    "a width": "ความกว้าง",
    "endless recursion": "เรียกตัวเองซ้ำ",
}


def _refused_quickly(data: bytes, kind: str = "measures") -> str:
    started = time.monotonic()
    problems = validate_template(data, *sample_context(kind))
    assert time.monotonic() - started < SECONDS
    assert len(problems) == 1 and THAI.search(problems[0]), problems
    return problems[0]


@pytest.mark.parametrize("name", HOSTILE)
def test_the_sandbox_refuses_what_costs_too_much(name: str) -> None:
    problem = _refused_quickly(HOSTILE[name])
    assert problem.startswith("แม่แบบใช้ไม่ได้") and REASONS[name] in problem, problem


def test_an_inflated_docx_is_refused_before_it_is_unzipped(bomb: bytes) -> None:
    problem = _refused_quickly(bomb)
    assert "คลาย" in problem and "MB" in problem, problem


def test_what_the_sandbox_cannot_foresee_the_memory_bound_holds() -> None:
    """Each of 10,000 values is within the limits (a width of 1,000,000); together they are 10 GB. The child
    the template renders in runs out of its address space, not the server."""
    data = template('{{ range(10000)|map("string")|map("center", 1000000)|list|length }}')
    problem = _refused_quickly(data)
    assert "หน่วยความจำ" in problem, problem


def test_a_stored_template_is_rendered_under_the_same_limits() -> None:
    context, images = sample_context("measures")
    with pytest.raises(DocumentTemplateError, match="range"):
        render_agency_docx(HOSTILE["nested range(100000)"], context, images)


def test_a_real_agency_template_still_renders() -> None:
    context, images = sample_context("measures")
    body = render_agency_docx(
        template("{{ agency_name }}", "{% for m in measures %}{{ loop.index }}. {{ m.title }}{% endfor %}"),
        context,
        images,
    )
    text = plain("\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs))
    assert "ทรงคนอง" in text and "1. กำหนดแนวทาง" in text


@pytest.mark.parametrize("name", ["x times 3e9", "nested range(100000)", "inflated"])
def test_the_cli_refuses_in_one_thai_line(tmp_path: Path, name: str, bomb: bytes) -> None:
    path = tmp_path / "mine.docx"
    path.write_bytes(bomb if name == "inflated" else HOSTILE[name])
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "prongsai.cli", "document", "measures", str(EXAMPLES / "songkhanong-2565-plan.yaml"),
         "--template", str(path), "--out", str(tmp_path / "out.docx")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert time.monotonic() - started < SECONDS + 10
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("prongsai: ") and "แม่แบบ" in lines[0], result.stderr
    assert not (tmp_path / "out.docx").exists()


def _upload_url(world: World) -> str:
    return reverse("template_upload", kwargs={"agency_id": world.agency.pk, "year": 2565, "kind": "measures"})


@pytest.mark.parametrize("name", ["x times 3e9", "nested range(100000)", "inflated"])
def test_an_upload_is_refused_on_the_page(world: World, name: str, bomb: bytes) -> None:
    data = bomb if name == "inflated" else HOSTILE[name]
    started = time.monotonic()
    response = world.client("owner").post(
        _upload_url(world), {"file": SimpleUploadedFile("mine.docx", data)}, follow=True
    )
    assert time.monotonic() - started < SECONDS
    page = response.content.decode()
    assert response.status_code == 200 and "แม่แบบมาตรการใช้ไม่ได้" in page, page[:3000]
    assert not AgencyTemplate.objects.exists()


def test_a_stored_hostile_template_gives_a_reason_not_a_500(world: World) -> None:
    """A template stored before these limits (or by other means): the download says why, in Thai."""
    stored = AgencyTemplate(agency=world.agency, kind="measures", uploaded_by=world.users["owner"])
    stored.file.save("measures.docx", ContentFile(HOSTILE["nested range(10000)"]), save=True)
    url = reverse("document", kwargs={"agency_id": world.agency.pk, "year": 2565, "kind": "measures", "fmt": "docx"})
    started = time.monotonic()
    response = world.client("owner").get(url, follow=True)
    assert time.monotonic() - started < SECONDS
    page = response.content.decode()
    assert response.status_code == 200 and "ทำเอกสารไม่ได้" in page and f"{MAX_STEPS:,} ครั้ง" in page, page[:3000]
