"""The JSON API: token auth, the same agency scoping as the pages, and the forms' rules; schemathesis checks
its OpenAPI description in tests/web/test_api_schema.py (no server error, no response outside the schema)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from prongsai.web.models import ApiToken

from .conftest import World


def api(world: World, persona: str) -> Client:
    _, token = ApiToken.issue(world.users[persona], "test")
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_no_token_no_access(world: World) -> None:
    assert Client().get("/api/agencies").status_code == 401
    assert Client(headers={"Authorization": "Bearer ps_wrong"}).get("/api/agencies").status_code == 401


def test_a_user_sees_only_their_agencies(world: World) -> None:
    body = api(world, "outsider").get("/api/agencies").json()
    assert [a["name"] for a in body] == [world.other.name]
    assert api(world, "outsider").get(f"/api/agencies/{world.agency.pk}/assessments/2564").status_code == 404


def test_reading_a_result(world: World) -> None:
    body = api(world, "oversight").get(f"/api/agencies/{world.agency.pk}/assessments/2564").json()
    assert (body["total"], body["grade"], body["passed"]) == (68.48, "C", False)


@pytest.mark.parametrize(
    ("persona", "status"), [("owner", 200), ("editor", 403), ("oversight", 403), ("outsider", 404)]
)
def test_setting_results(world: World, persona: str, status: int) -> None:
    scores = {str(n): 90 for n in range(1, 11)}
    response = api(world, persona).put(
        f"/api/agencies/{world.agency.pk}/assessments/2564/results", {"scores": scores}, content_type="application/json"
    )
    assert response.status_code == status
    if status == 200:
        assert response.json()["total"] == 90.0


@pytest.mark.parametrize(("persona", "status"), [("viewer", 200), ("oversight", 200), ("outsider", 404)])
def test_a_jobs_progress_is_read_by_the_agencys_members(world: World, persona: str, status: int) -> None:
    from prongsai.web.models import Job

    job = Job.objects.create(kind="oit_check", agency=world.agency, status="running", done=5, total=43)
    response = api(world, persona).get(f"/api/jobs/{job.pk}")
    assert response.status_code == status
    if status == 200:
        assert (response.json()["status"], response.json()["done"], response.json()["total"]) == ("running", 5, 43)


def test_invalid_results_are_refused_and_change_nothing(world: World) -> None:
    response = api(world, "owner").put(
        f"/api/agencies/{world.agency.pk}/assessments/2564/results",
        {"scores": {"1": 120}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert world.y2564.scores()[1] == 94.17


@pytest.mark.parametrize(
    ("persona", "status"), [("editor", 200), ("other_unit", 403), ("viewer", 403), ("outsider", 404)]
)
def test_patching_a_register_entry(world: World, persona: str, status: int) -> None:
    response = api(world, persona).patch(
        f"/api/agencies/{world.agency.pk}/assessments/2564/register/O22",
        {"status": "ready", "urls": ["https://example.org/o22"]},
        content_type="application/json",
    )
    assert response.status_code == status
    if status == 200:
        assert response.json()["urls"] == ["https://example.org/o22"]


def test_reporting_progress_on_a_measure(world: World) -> None:
    url = f"/api/agencies/{world.agency.pk}/assessments/2565/measures/{world.measure.pk}/updates"
    body = {"date": "2022-02-01", "text": "ประชุมแล้ว", "progress": 50}
    assert api(world, "other_unit").post(url, body, content_type="application/json").status_code == 403
    assert api(world, "editor").post(url, body, content_type="application/json").status_code == 201
    listed = api(world, "viewer").get(f"/api/agencies/{world.agency.pk}/assessments/2565/measures").json()
    assert listed[0]["progress"] == 50 and listed[0]["status"] == "in_progress"


# --- the forms' rules hold in the API too -------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/o22"])
def test_the_api_refuses_links_the_form_refuses(world: World, url: str) -> None:
    response = api(world, "owner").patch(
        f"/api/agencies/{world.agency.pk}/assessments/2564/register/O22",
        {"urls": ["https://example.org/ok", url]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "บรรทัด 2" in response.json()["detail"]
    assert world.y2564.register.get(item_code="O22").urls == ""


def test_a_link_typed_without_its_scheme_is_kept_with_https(world: World) -> None:
    response = api(world, "owner").patch(
        f"/api/agencies/{world.agency.pk}/assessments/2564/register/O22",
        {"urls": ["www.example.go.th/o22"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["urls"] == ["https://www.example.go.th/o22"]


def test_a_unit_of_another_agency_is_refused(world: World) -> None:
    from prongsai.web.models import Unit

    theirs = Unit.objects.create(agency=world.other, name="กองช่าง", code="engineering")
    url = f"/api/agencies/{world.agency.pk}/assessments/2564/register/O22"
    client = api(world, "owner")
    response = client.patch(url, {"unit": theirs.pk}, content_type="application/json")
    assert response.status_code == 400
    assert world.y2564.register.get(item_code="O22").unit_id == world.finance.pk
    ours = client.patch(url, {"unit": world.office.pk}, content_type="application/json")
    assert ours.status_code == 200 and ours.json()["unit_id"] == world.office.pk


def test_the_units_are_listed_for_members_only(world: World) -> None:
    body = api(world, "viewer").get(f"/api/agencies/{world.agency.pk}/units").json()
    assert {u["name"] for u in body} == {"สำนักปลัด", "กองคลัง"}
    assert api(world, "outsider").get(f"/api/agencies/{world.agency.pk}/units").status_code == 404


def test_a_progress_updates_evidence_link_follows_the_form_rule(world: World) -> None:
    url = f"/api/agencies/{world.agency.pk}/assessments/2565/measures/{world.measure.pk}/updates"
    body = {"date": "2022-02-01", "text": "ประชุมแล้ว", "progress": 50, "evidence_url": "javascript:alert(1)"}
    assert api(world, "owner").post(url, body, content_type="application/json").status_code == 422
    assert not world.measure.updates.exists()


def test_docs_api_has_a_curl_example_of_every_operation(db: Any) -> None:
    """docs/api.md drifts from the API as a bug: every path and method of the description has its example."""
    import re
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```sh")[1:]]
    described = Client().get("/api/openapi.json").json()["paths"]
    assert len(described) >= 9 and all(p.startswith("/api/") for p in described)
    missing = []
    for path, methods in described.items():
        pattern = re.compile(re.escape("$PRONGSAI" + path).replace(r"\{", "{").replace(r"\}", "}"))
        pattern = re.compile(re.sub(r"\{[^}]+\}", r"[^/\"\\s]+", pattern.pattern) + r"[\"\s]")
        for method in methods:
            flag = "" if method == "get" else f"-X {method.upper()}"
            if not any("curl" in b and flag in b and pattern.search(b) for b in blocks):
                missing.append(f"{method.upper()} {path}")
    assert missing == []
