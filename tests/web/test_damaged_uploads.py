"""Damaged and hostile files uploaded through the pages answer with a Thai form error (or a failed job with
a Thai reason), never a 500, and change nothing: the results import, the oversight import (a job) and the
framework upload. The files are those of tests/hostile_files.py (the audit's of issue 16)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hostile_files import YAML_BOMB, YAML_SYNTAX_ERROR, hostile_tables
from prongsai.web.models import AuditEntry, Job, PublishedResult

from .conftest import World

THAI = re.compile("[\u0e00-\u0e7f]")
UPLOADS = {
    **hostile_tables(),
    "broken.yaml": YAML_SYNTAX_ERROR,
    "bomb.yaml": YAML_BOMB,
    "nul.csv": b"indicator,score\n\x00\x00,1\n",
    "latin1.csv": "indicator,score\nการปฏิบัติหน้าที่,94\n".encode("cp874"),
    "year.csv": "หน่วยงาน,ปีงบประมาณ,1,2,3,4,5,6,7,8,9,10\nอบต.หนึ่ง,①566,1,1,1,1,1,1,1,1,1,1\n".encode(),
}


def _errors(html: str) -> list[str]:
    """The page's error texts (what a person reads beside the field)."""
    return [re.sub(r"\s+", " ", text) for text in re.findall(r'<p class="error">(.*?)</p>', html, re.S)]


@pytest.mark.parametrize("name", [n for n in UPLOADS if not n.startswith("year")])
def test_the_results_import_answers_a_thai_form_error(world: World, name: str) -> None:
    before, audit = world.y2564.scores(), AuditEntry.objects.count()
    response = world.client("owner").post(
        reverse("results_import", args=[world.agency.pk, 2564]), {"file": SimpleUploadedFile(name, UPLOADS[name])}
    )
    assert response.status_code == 400
    (error,) = _errors(response.content.decode())
    assert error.startswith(name) and THAI.search(error) and "Traceback" not in error, error
    assert world.y2564.scores() == before and AuditEntry.objects.count() == audit


@pytest.mark.parametrize("name", [n for n in UPLOADS if n.endswith((".xlsx", ".csv"))])
def test_the_oversight_import_fails_its_job_with_a_thai_reason(world: World, name: str) -> None:
    assert world.oversight_office is not None
    client = world.client("owner")
    response = client.post(
        reverse("oversight_import", args=[world.oversight_office.pk]), {"file": SimpleUploadedFile(name, UPLOADS[name])}
    )
    assert response.status_code == 302
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert job.status == Job.Status.FAILED
    assert job.error.startswith(f"{name}") and THAI.search(job.error), job.error
    assert "เกิดข้อผิดพลาดในระบบ" not in job.error  # the message for an unexpected exception
    assert not PublishedResult.objects.exists()
    assert client.get(reverse("job", args=[job.pk])).status_code == 200


@pytest.mark.parametrize("name", ["broken.yaml", "bomb.yaml", "doctype.xlsx"])
def test_the_framework_upload_answers_a_thai_error(world: World, name: str, loaded_folder: Path) -> None:
    admin = User.objects.create_user("siteadmin", "site@example.org", "a-long-test-password", is_staff=True)
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/frameworks/", {"file": SimpleUploadedFile("fy2570.yaml", UPLOADS[name])})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ไฟล์นี้ใช้ไม่ได้" in page or "อ่านไฟล์ไม่ได้" in page
    assert not loaded_folder.exists() or not list(loaded_folder.iterdir())
