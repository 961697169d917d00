"""Flows across pages: invitations, evidence, bad input kept and explained, the admin's agency."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from prongsai.web.demo import agency_with_admin
from prongsai.web.models import Evidence, Invitation, Membership

from .conftest import World


def _entry_url(w: World, view: str = "register_entry") -> str:
    return reverse(view, kwargs={"agency_id": w.agency.pk, "year": 2564, "code": "O22"})


def test_an_invitation_makes_a_member(world: World) -> None:
    owner = world.client("owner")
    response = owner.post(
        reverse("members", args=[world.agency.pk]),
        {"invite-email": "new@example.org", "invite-role": "editor", "invite-unit": world.finance.pk},
        follow=True,
    )
    invitation = Invitation.objects.get(email="new@example.org")
    assert f"/invite/{invitation.token}/" in response.content.decode()
    guest = Client()
    assert guest.get(f"/invite/{invitation.token}/").status_code == 200
    response = guest.post(f"/invite/{invitation.token}/", {"username": "newbie", "password": "a-long-new-password"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="newbie", agency=world.agency)
    assert (membership.role, membership.unit) == ("editor", world.finance)
    assert guest.get(reverse("agency", args=[world.agency.pk])).status_code == 200  # logged in
    assert Client().get(f"/invite/{invitation.token}/").status_code == 404  # used once


def test_an_editor_invitation_needs_a_unit(world: World) -> None:
    response = world.client("owner").post(
        reverse("members", args=[world.agency.pk]), {"invite-email": "x@example.org", "invite-role": "editor"}
    )
    assert response.status_code == 400 and not Invitation.objects.exists()  # a form with errors: 400
    assert "ผู้แก้ไขต้องสังกัดหน่วยงานย่อย" in response.content.decode()


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


def test_a_form_with_errors_keeps_what_was_typed(world: World) -> None:
    response = world.client("editor").post(
        _entry_url(world),
        {
            "answer": "yes",
            "urls": "https://example.org/ok\nnot a url",
            "explanation": "คำอธิบายที่พิมพ์ไว้",
            "unit": world.finance.pk,
            "status": "ready",
            "due_date": "",
            "reviewer_note": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "บรรทัด 2" in page and "not a url" in page and "คำอธิบายที่พิมพ์ไว้" in page
    assert world.y2564.register.get(item_code="O22").status == "todo"  # nothing saved


def test_scores_out_of_range_are_refused_and_kept(world: World) -> None:
    data = {f"i{n}": "90" for n in range(1, 11)} | {"i3": "120"}
    response = world.client("owner").post(reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564}), data)
    assert response.status_code == 400 and 'value="120"' in response.content.decode()
    assert world.y2564.scores()[3] == 91.23


def test_a_bad_import_names_row_and_column_and_saves_nothing(world: World) -> None:
    body = "indicator,score\n" + "".join(f"{n},90\n" for n in range(1, 10)) + "10,abc\n"
    response = world.client("owner").post(
        reverse("results_import", kwargs={"agency_id": world.agency.pk, "year": 2564}),
        {"file": SimpleUploadedFile("scores.csv", body.encode())},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "แถว 11" in page and "ช่อง score" in page
    assert world.y2564.scores()[10] == 31.25


def test_the_results_page_shows_who_changed_the_scores(world: World) -> None:
    response = world.client("viewer").get(reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564}))
    assert "ประวัติการแก้ไข" in response.content.decode() and "owner" in response.content.decode()


def test_createadmin_can_start_an_agency(db: Any) -> None:
    User.objects.create_superuser("root", "root@example.org", "a-long-admin-password")
    agency = agency_with_admin("เทศบาลตำบลใหม่", "root")
    membership = Membership.objects.get(agency=agency)
    assert membership.user.username == "root" and membership.role == "admin" and membership.unit.name == "สำนักปลัด"


def test_the_site_admin_is_mounted(db: Any) -> None:
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-admin-password")
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/prongsai/agency/").status_code == 200
    assert client.get("/admin/prongsai/auditentry/").status_code == 200


def _measure_data(w: World, **changes: Any) -> dict[str, Any]:
    return {
        "title": "มาตรการ",
        "method": "ขั้นที่ 1",
        "period_start": "01/01/2565",
        "period_end": "31/03/2565",
        "follow_up": "",
        "status": "planned",
        "units": [w.finance.pk],
        "indicators": ["9", "10"],
        "items": "o42, O43",
        **changes,
    }


def test_a_measure_links_indicators_and_items(world: World) -> None:
    url = reverse("measure", kwargs={"agency_id": world.agency.pk, "year": 2565, "measure_id": world.measure.pk})
    assert world.client("editor").post(url, _measure_data(world)).status_code == 302
    world.measure.refresh_from_db()
    assert (world.measure.indicators, world.measure.items) == ([9, 10], ["O42", "O43"])
    response = world.client("editor").post(url, _measure_data(world, items="O42, O99"))
    assert response.status_code == 400 and "O99" in response.content.decode()


def test_posts_without_a_csrf_token_are_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"], backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564})
    assert client.post(url, {f"i{n}": "90" for n in range(1, 11)}).status_code == 403
    assert world.y2564.scores()[1] == 94.17


def test_changing_a_units_area_updates_in_place_with_htmx(world: World) -> None:
    from prongsai.web.models import Recommendation

    rec = Recommendation.objects.create(
        assessment=world.y2565, area_code="procurement", area_th="การจัดซื้อจัดจ้าง", text="ข้อเสนอแนะ", unit=world.office
    )
    url = reverse("recommendation_unit", kwargs={"agency_id": world.agency.pk, "year": 2565, "rec_id": rec.pk})
    response = world.client("owner").post(url, {"unit": world.finance.pk}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith(f'<li id="rec-{rec.pk}"')
    assert "<html" not in page  # a fragment, not a page
    rec.refresh_from_db()
    assert rec.unit == world.finance


def test_the_analysis_shows_last_year_beside_this_year(world: World) -> None:
    from prongsai.web import services

    y2563 = services.assessment_create(world.users["owner"], world.agency, 2563)
    services.results_set(world.users["owner"], y2563, dict.fromkeys(range(1, 11), 60.0))
    page = world.client("viewer").get(reverse("analysis", kwargs={"agency_id": world.agency.pk, "year": 2564}))
    text = page.content.decode()
    assert "เทียบกับปีงบประมาณ 2563" in text and "60.00" in text and "8.48" in text  # 68.48 − 60.00
    wide = text.split('<svg class="wide"', 1)[1].split("</svg>", 1)[0]  # the desktop chart; the phone's repeats it
    assert wide.count('class="prev"') == 10  # last year's bar under each of this year's
    assert text.count('class="prev"') == 10 * text.count("<svg class=")


def test_date_inputs_show_the_saved_dates(world: World) -> None:
    url = reverse("measure", kwargs={"agency_id": world.agency.pk, "year": 2565, "measure_id": world.measure.pk})
    page = world.client("editor").get(url).content.decode()
    assert 'name="period_start" value="01/01/2565"' in page  # วัน/เดือน/ปี พ.ศ., never the ค.ศ. ISO date
    assert 'name="period_end" value="31/03/2565"' in page
