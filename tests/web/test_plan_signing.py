"""The meeting and the signature of a plan, entered on the plan page; evidence files of progress updates."""

from __future__ import annotations

import datetime as dt
import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from prongsai.web import services
from prongsai.web.services.documents import document_data

from .conftest import World


def _post(world: World, persona: str, **values: str) -> object:
    url = reverse("plan_signing", kwargs={"agency_id": world.agency.pk, "year": 2565})
    fields = {"meeting_date": "", "meeting_attendees": "", "meeting_note": "", "signer_name": "", "signer_position": ""}
    return world.client(persona).post(url, {**fields, "signed_on": "", **values})


def test_an_admin_records_the_meeting_and_the_signature(world: World) -> None:
    response = _post(
        world,
        "owner",
        meeting_date="10/02/2565",
        meeting_attendees="ผู้บริหารและเจ้าหน้าที่",
        meeting_note="ร่วมกันพิจารณากำหนดมาตรการ",
        signer_name="นายสมชาย ใจดี",
        signer_position="นายกองค์การบริหารส่วนตำบลทดสอบ",
        signed_on="๑๕/๐๒/๒๕๖๕",
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    world.y2565.refresh_from_db()
    data = document_data(world.y2565)
    assert data.meeting is not None and data.meeting.date == dt.date(2022, 2, 10)
    assert data.meeting.attendees == "ผู้บริหารและเจ้าหน้าที่" and data.meeting.decision == "ร่วมกันพิจารณากำหนดมาตรการ"
    assert data.signed_on == dt.date(2022, 2, 15) and data.signer.name == "นายสมชาย ใจดี"
    page = world.client("owner").get(reverse("plan", kwargs={"agency_id": world.agency.pk, "year": 2565}))
    assert "15/02/2565" in page.content.decode()


def test_a_signing_date_outside_the_fiscal_year_is_a_thai_error_on_the_field(world: World) -> None:
    response = _post(world, "owner", signed_on="15/01/2569")
    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.content.decode()  # type: ignore[attr-defined]
    assert "ปีงบประมาณ 2565" in body and "01/10/2564" in body and "30/09/2565" in body
    world.y2565.refresh_from_db()
    assert world.y2565.signed_on is None


def test_a_meeting_needs_its_date_and_without_one_none_is_claimed(world: World) -> None:
    response = _post(world, "owner", meeting_note="ประชุมแล้ว")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "วันที่ประชุม" in response.content.decode()  # type: ignore[attr-defined]
    assert document_data(world.y2565).meeting is None


def test_only_an_admin_records_the_signature(world: World) -> None:
    for persona in ("viewer", "editor", "oversight"):
        assert _post(world, persona, signer_name="x").status_code in (403, 404)  # type: ignore[attr-defined]
    assert _post(world, "outsider", signer_name="x").status_code == 404  # type: ignore[attr-defined]


def test_an_update_file_is_linked_in_the_progress_report(world: World, settings: object) -> None:
    settings.SITE_URL = "https://ita.example.go.th"  # type: ignore[attr-defined]
    update = services.measure_update_add(
        world.users["owner"],
        world.measure,
        date=dt.date(2022, 3, 1),
        text="จัดทำร่างแผน",
        progress=60,
        upload=SimpleUploadedFile("แผน.pdf", b"%PDF-1.4 evidence"),
        note="รอการอนุมัติจากผู้บริหาร",
    )
    link = f"https://ita.example.go.th/a/{world.agency.pk}/updates/{update.pk}/file/"
    (row,) = document_data(world.y2565).measures
    assert row.updates[0].links == (link,) and row.updates[0].note == "รอการอนุมัติจากผู้บริหาร"
    url = reverse("document", kwargs={"agency_id": world.agency.pk, "year": 2565, "kind": "progress", "fmt": "docx"})
    body = world.client("owner").get(url).content
    cells = (c.text for t in docx.Document(io.BytesIO(body)).tables for r in t.rows for c in r.cells)
    text = "\n".join(cells).replace("\u2060", "").replace("\u200b", "")  # the typesetter's joiners and breaks
    assert link in text
    assert "รอการอนุมัติจากผู้บริหาร" in text  # ended 31 March at 60 %: the reason
    file_url = reverse("update_file", kwargs={"agency_id": world.agency.pk, "update_id": update.pk})
    assert world.client("owner").get(file_url).status_code == 200
    assert world.client("outsider").get(file_url).status_code == 404
