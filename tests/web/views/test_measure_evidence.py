"""Progress-update files follow the register's evidence rules (one rule: services.evidence_checked): an
office document, a PDF or a picture within the size limit; served only to members, as an attachment; listed
on the measure's page and linked from the progress report."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import urlsplit

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.documents.typeset import plain
from prongsai.web.models import MeasureUpdate

from ..conftest import World


def _post(world: World, upload: SimpleUploadedFile, persona: str = "editor") -> Any:
    url = reverse("measure_update", kwargs={"agency_id": world.agency.pk, "year": 2565, "measure_id": world.measure.pk})
    data = {"date": "01/02/2565", "text": "จัดประชุมชี้แจงแล้ว", "progress": "40", "evidence_url": "", "file": upload}
    return world.client(persona).post(url, data)


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "script.svg", "no-suffix"])
def test_a_file_of_another_type_is_refused_and_nothing_is_saved(world: World, name: str) -> None:
    response = _post(world, SimpleUploadedFile(name, b"<script>alert(1)</script>"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "ชนิดที่รับไม่ได้" in page and ".pdf" in page
    assert not MeasureUpdate.objects.exists()
    world.measure.refresh_from_db()
    assert world.measure.progress == 0


def test_a_file_over_the_limit_is_refused(world: World, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    response = _post(world, SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 2048))
    assert response.status_code == 400
    assert "ไม่เกิน" in response.content.decode()
    assert not MeasureUpdate.objects.exists()


def test_a_pdf_is_listed_served_as_an_attachment_and_linked_from_the_report(world: World, settings: Any) -> None:
    settings.SITE_URL = "https://ita.example.go.th"
    response = _post(world, SimpleUploadedFile("รายงานการประชุม.pdf", b"%PDF-1.4 minutes"))
    assert response.status_code == 302
    update = MeasureUpdate.objects.get()
    link = reverse("update_file", args=[world.agency.pk, update.pk])
    page = world.client("viewer").get(response["Location"]).content.decode()
    assert f'href="{link}"' in page and "รายงานการประชุม.pdf" in page

    served = world.client("oversight").get(link)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert b"".join(served.streaming_content) == b"%PDF-1.4 minutes"
    assert world.client("outsider").get(link).status_code == 404

    report = world.client("owner").get(
        reverse("document", kwargs={"agency_id": world.agency.pk, "year": 2565, "kind": "progress", "fmt": "docx"})
    )
    document = docx.Document(io.BytesIO(report.content))
    text = plain("\n".join(c.text for t in document.tables for r in t.rows for c in r.cells))
    found = re.findall(r"https://ita\.example\.go\.th\S+", text)
    assert [urlsplit(u).path for u in found] == [link]  # the report's link is the page that serves the file
