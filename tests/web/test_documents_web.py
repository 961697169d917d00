"""Documents from the web app: a button per assessment, the agency's own template, scoping."""

from __future__ import annotations

import io
import shutil

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.documents.typeset import plain
from prongsai.web import services
from prongsai.web.models import AgencyTemplate

from .conftest import World


def _url(w: World, kind: str, fmt: str, year: int = 2565) -> str:
    return reverse("document", kwargs={"agency_id": w.agency.pk, "year": year, "kind": kind, "fmt": fmt})


def _text(body: bytes) -> str:
    """The document's text as a reader searches it (the typesetter's invisible joiners dropped)."""
    document = docx.Document(io.BytesIO(body))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return plain("\n".join([p.text for p in document.paragraphs] + cells))


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("viewer", 200), ("oversight", 200), ("outsider", 404)]
)
def test_the_measures_document_per_persona(world: World, persona: str, status: int) -> None:
    services.plan_draft(world.users["owner"], world.y2565)
    response = world.client(persona).get(_url(world, "measures", "docx"))
    assert response.status_code == status
    if status == 200:
        text = _text(response.content)
        assert world.agency.name in text and world.measure.title in text and "๖๘.๔๘" in text


def test_progress_and_itas_documents(world: World) -> None:
    progress = _text(world.client("owner").get(_url(world, "progress", "docx") + "?round=annual").content)
    assert "รอบ ๑๒ เดือน" in progress and world.measure.title in progress
    itas = _text(world.client("owner").get(_url(world, "itas", "docx", 2564)).content)
    assert "O๔๒" in itas and "ไม่มี" in itas


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/run")
def test_a_pdf_download(world: World) -> None:
    response = world.client("viewer").get(_url(world, "measures", "pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def _template(text: str) -> SimpleUploadedFile:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("mine.docx", buffer.getvalue())


def test_a_broken_agency_template_is_refused_with_its_placeholder(world: World) -> None:
    url = reverse("template_upload", kwargs={"agency_id": world.agency.pk, "year": 2565, "kind": "measures"})
    response = world.client("owner").post(url, {"file": _template("{{ agency_nme }}")}, follow=True)
    assert "agency_nme" in response.content.decode() and not AgencyTemplate.objects.exists()


def test_an_agency_template_is_used(world: World) -> None:
    url = reverse("template_upload", kwargs={"agency_id": world.agency.pk, "year": 2565, "kind": "measures"})
    world.client("owner").post(url, {"file": _template("ตราครุฑ {{ agency_name }} คะแนน {{ total }}")})
    assert AgencyTemplate.objects.filter(agency=world.agency, kind="measures").exists()
    text = _text(world.client("viewer").get(_url(world, "measures", "docx")).content)
    assert text.strip() == f"ตราครุฑ {world.agency.name} คะแนน ๖๘.๔๘"


def test_only_an_admin_uploads_templates(world: World) -> None:
    url = reverse("template_upload", kwargs={"agency_id": world.agency.pk, "year": 2565, "kind": "measures"})
    assert world.client("editor").post(url, {"file": _template("{{ agency_name }}")}).status_code == 403
    assert world.client("outsider").post(url, {"file": _template("{{ agency_name }}")}).status_code == 404


def test_without_last_years_result_the_measures_document_explains(world: World) -> None:
    later = services.assessment_create(world.users["owner"], world.agency, 2567)
    response = world.client("owner").get(_url(world, "measures", "docx", later.fiscal_year), follow=True)
    assert "ต้องมีผลการประเมินของปีก่อน" in response.content.decode()
