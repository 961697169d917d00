"""Thai digits typed into number fields are taken (๙๐.๕๐ is 90.50), never dropped as an empty field."""

from __future__ import annotations

from django.urls import reverse

from prongsai.thai import to_thai_digits
from prongsai.web.models import Survey

from ..conftest import World


def test_scores_in_thai_digits(world: World) -> None:
    data = {f"i{n}": to_thai_digits(f"{80 + n}.50") for n in range(1, 11)}
    response = world.client("owner").post(reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564}), data)
    assert response.status_code == 302
    assert world.y2564.scores()[3] == 83.5
    page = world.client("owner").get(reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564}))
    assert 'type="number"' not in page.content.decode()  # a browser's number box drops Thai digits
    assert 'inputmode="decimal"' in page.content.decode()


def test_progress_in_thai_digits(world: World) -> None:
    url = reverse("measure_update", kwargs={"agency_id": world.agency.pk, "year": 2565, "measure_id": world.measure.pk})
    data = {"date": "๐๑/๐๒/๒๕๖๕", "text": "ประชุมแล้ว", "progress": "๔๐", "evidence_url": ""}
    assert world.client("editor").post(url, data).status_code == 302
    world.measure.refresh_from_db()
    assert world.measure.progress == 40


def test_a_survey_population_and_token_count_in_thai_digits(world: World) -> None:
    owner = world.client("owner")
    url = reverse("surveys", kwargs={"agency_id": world.agency.pk, "year": 2565})
    response = owner.post(url, {"tool": "IIT", "population": "๓๕", "requires_token": "yes", "closes": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    survey = Survey.objects.get(assessment=world.y2565, tool="IIT")
    assert survey.population == 35
    tokens = owner.post(reverse("survey_tokens", args=[world.agency.pk, 2565, "IIT"]), {"count": "๑๒"})
    assert tokens.status_code == 200 and survey.tokens.count() == 12


def test_a_wrong_number_is_still_explained(world: World) -> None:
    data = {f"i{n}": "๑๒๐" for n in range(1, 11)}
    response = world.client("owner").post(reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564}), data)
    assert response.status_code == 400
    assert "100" in response.content.decode()
