"""The results page: the form, its import and its history."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ..conftest import World


def _entry_url(w: World, view: str = "register_entry") -> str:
    return reverse(view, kwargs={"agency_id": w.agency.pk, "year": 2564, "code": "O22"})


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


def test_posts_without_a_csrf_token_are_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"], backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564})
    assert client.post(url, {f"i{n}": "90" for n in range(1, 11)}).status_code == 403
    assert world.y2564.scores()[1] == 94.17
