"""The register: evidence files."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from prongsai.web.models import Evidence

from ..conftest import World


def _entry_url(w: World, view: str = "register_entry") -> str:
    return reverse(view, kwargs={"agency_id": w.agency.pk, "year": 2564, "code": "O22"})


def test_evidence_is_type_and_size_limited(world: World, settings: Any) -> None:
    editor = world.client("editor")
    editor.post(_entry_url(world, "register_evidence"), {"file": SimpleUploadedFile("run.exe", b"MZ")})
    assert not Evidence.objects.exists()
    settings.UPLOAD_MAX_BYTES = 10
    editor.post(_entry_url(world, "register_evidence"), {"file": SimpleUploadedFile("big.pdf", b"%PDF" + b"x" * 20)})
    assert not Evidence.objects.exists()
    settings.UPLOAD_MAX_BYTES = 1024
    editor.post(_entry_url(world, "register_evidence"), {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 ok")})
    assert Evidence.objects.get().name == "plan.pdf"


def test_evidence_downloads_only_for_members(world: World) -> None:
    world.client("editor").post(
        _entry_url(world, "register_evidence"), {"file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 ok")}
    )
    url = reverse("evidence_file", args=[world.agency.pk, Evidence.objects.get().pk])
    for persona, status in [("owner", 200), ("viewer", 200), ("oversight", 200), ("outsider", 404)]:
        response = world.client(persona).get(url)
        assert response.status_code == status, persona
        if status == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 ok"
    assert Client().get(url).status_code == 302
