"""Every page and action, for every persona: owner, editor of the responsible unit, member of another
unit, viewer, oversight, outsider and anonymous. Outsiders get 404, members without the right 403."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from prongsai.survey import MIN_GROUP, layout_for
from prongsai.web.models import Recommendation, Survey, SurveyResponse

from .conftest import World

READERS = ("owner", "editor", "other_unit", "viewer", "oversight")
OK = "ok"


def _reader_statuses(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {**dict.fromkeys(READERS, OK), "outsider": 404, "anonymous": 302, **(extra or {})}


def _args(w: World, year: int = 2564) -> dict[str, int]:
    return {"agency_id": w.agency.pk, "year": year}


ADMIN_PAGE = _reader_statuses({"editor": 403, "other_unit": 403, "viewer": 403, "oversight": 403})

PAGES: list[tuple[str, Callable[[World], str], dict[str, Any]]] = [
    ("agency", lambda w: reverse("agency", args=[w.agency.pk]), _reader_statuses()),
    ("followup", lambda w: reverse("followup", args=[w.agency.pk]), _reader_statuses()),
    (
        "members",
        lambda w: reverse("members", args=[w.agency.pk]),
        _reader_statuses({"editor": 403, "other_unit": 403, "viewer": 403, "oversight": 403}),
    ),
    ("units", lambda w: reverse("units", args=[w.agency.pk]), ADMIN_PAGE),
    ("profile", lambda w: reverse("profile", args=[w.agency.pk]), ADMIN_PAGE),
    ("password_change", lambda w: reverse("password_change"), {**_reader_statuses(), "outsider": OK}),
    ("password_reset", lambda w: reverse("password_reset"), {**_reader_statuses(), "outsider": OK, "anonymous": OK}),
    ("analysis", lambda w: reverse("analysis", kwargs=_args(w)), _reader_statuses()),
    ("results", lambda w: reverse("results", kwargs=_args(w)), _reader_statuses()),
    ("register", lambda w: reverse("register", kwargs=_args(w)), _reader_statuses()),
    ("register_entry", lambda w: reverse("register_entry", kwargs={**_args(w), "code": "O22"}), _reader_statuses()),
    ("export csv", lambda w: reverse("register_export", kwargs={**_args(w), "fmt": "csv"}), _reader_statuses()),
    ("export xlsx", lambda w: reverse("register_export", kwargs={**_args(w), "fmt": "xlsx"}), _reader_statuses()),
    ("plan", lambda w: reverse("plan", kwargs=_args(w, 2565)), _reader_statuses()),
    (
        "measure",
        lambda w: reverse("measure", kwargs={**_args(w, 2565), "measure_id": w.measure.pk}),
        _reader_statuses(),
    ),
]


def _survey_export(w: World, fmt: str) -> str:
    """A practice survey with enough answers to export: only the agency's admin gets the raw answers."""
    survey, _ = Survey.objects.get_or_create(assessment=w.y2565, tool="EIT", defaults={"population": 100})
    columns = layout_for(w.y2565.framework, "EIT").columns
    SurveyResponse.objects.bulk_create(
        SurveyResponse(survey=survey, answers=dict.fromkeys(columns, 1)) for _ in range(MIN_GROUP)
    )
    return reverse("survey_export", kwargs={**_args(w, 2565), "tool": "EIT", "fmt": fmt})


RAW_ANSWERS = _reader_statuses({"owner": 200, "editor": 403, "other_unit": 403, "viewer": 403, "oversight": 403})
PAGES += [
    ("survey answers csv", lambda w: _survey_export(w, "csv"), RAW_ANSWERS),
    ("survey answers xlsx", lambda w: _survey_export(w, "xlsx"), RAW_ANSWERS),
]


# An oversight office: owner is its admin, the oversight persona its viewer; members of its agencies are not
# members of the office, so they get 404 like outsiders.
OFFICE_READERS = {
    "owner": OK,
    "oversight": OK,
    "editor": 404,
    "other_unit": 404,
    "viewer": 404,
    "outsider": 404,
    "anonymous": 302,
}


def _office(w: World) -> int:
    assert w.oversight_office is not None
    return w.oversight_office.pk


PAGES += [
    ("oversight", lambda w: reverse("oversight", args=[_office(w)]), OFFICE_READERS),
    ("oversight_import", lambda w: reverse("oversight_import", args=[_office(w)]), OFFICE_READERS),
    ("oversight_export", lambda w: reverse("oversight_export", args=[_office(w), "results"]), OFFICE_READERS),
]


def _check(response: Any, expected: Any) -> None:
    """OK is the page itself (200) or, after an action, a redirect to a page of the app: never a redirect to
    the login page, which would pass a reader who was in fact turned away."""
    status = response.status_code
    if expected == OK:
        assert status in (200, 302), status
        if status == 302:
            assert not response["Location"].startswith(resolve_url(settings.LOGIN_URL)), response["Location"]
    else:
        assert status == expected
        if status == 302:  # an anonymous person is sent to log in, and back
            assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), response["Location"]


@pytest.mark.parametrize("persona", [*READERS, "outsider", "anonymous"])
@pytest.mark.parametrize(("name", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages(world: World, persona: str, name: str, url: Callable[[World], str], expected: dict[str, Any]) -> None:
    response = world.client(persona).get(url(world))
    _check(response, expected[persona])


def test_a_page_of_an_unknown_year_is_404(world: World) -> None:
    assert world.client("owner").get(reverse("analysis", kwargs=_args(world, 2599))).status_code == 404


# --- actions ------------------------------------------------------------------------------------

ADMIN_ONLY = {
    "owner": OK,
    "editor": 403,
    "other_unit": 403,
    "viewer": 403,
    "oversight": 403,
    "outsider": 404,
    "anonymous": 302,
}
UNIT_SCOPED = {**ADMIN_ONLY, "editor": OK}  # the finance editor may change what finance is responsible for


def _csv(w: World) -> dict[str, Any]:
    body = "indicator,score\n" + "".join(f"{n},90\n" for n in range(1, 11))
    return {"file": SimpleUploadedFile("r.csv", body.encode(), content_type="text/csv")}


def _measure_form(w: World) -> dict[str, Any]:
    return {
        "title": "มาตรการใหม่",
        "method": "ขั้นที่ 1",
        "period_start": "01/01/2565",
        "period_end": "30/06/2565",
        "follow_up": "ติดตามรายเดือน",
        "status": "planned",
        "units": [w.finance.pk],
    }


def _spare_unit(w: World) -> int:
    from prongsai.web.models import Unit

    return Unit.objects.get_or_create(agency=w.agency, name="กองช่าง", defaults={"code": "กองช่าง"})[0].pk


def _viewer(w: World) -> int:
    return w.users["viewer"].memberships.get(agency=w.agency).pk


def _recommendation_url(w: World) -> str:
    rec = Recommendation.objects.create(
        assessment=w.y2565, area_code="procurement", area_th="การจัดซื้อจัดจ้าง", text="ข้อเสนอแนะ", unit=w.office
    )
    return reverse("recommendation_unit", kwargs={**_args(w, 2565), "rec_id": rec.pk})


ACTIONS: list[tuple[str, Callable[[World], str], Callable[[World], dict[str, Any]], dict[str, Any]]] = [
    (
        "assessment_new",
        lambda w: reverse("assessment_new", args=[w.agency.pk]),
        lambda w: {"fiscal_year": 2566},
        ADMIN_ONLY,
    ),
    (
        "results",
        lambda w: reverse("results", kwargs=_args(w)),
        lambda w: {f"i{n}": "90" for n in range(1, 11)},
        ADMIN_ONLY,
    ),
    ("results_import", lambda w: reverse("results_import", kwargs=_args(w)), _csv, ADMIN_ONLY),
    ("results_from_register", lambda w: reverse("results_from_register", kwargs=_args(w)), lambda w: {}, ADMIN_ONLY),
    ("rollover", lambda w: reverse("rollover", kwargs=_args(w, 2565)), lambda w: {}, ADMIN_ONLY),
    ("plan_draft", lambda w: reverse("plan_draft", kwargs=_args(w, 2565)), lambda w: {}, ADMIN_ONLY),
    ("recommendation_unit", _recommendation_url, lambda w: {"unit": w.finance.pk}, ADMIN_ONLY),
    ("measure_new", lambda w: reverse("measure_new", kwargs=_args(w, 2565)), _measure_form, ADMIN_ONLY),
    (
        "members",
        lambda w: reverse("members", args=[w.agency.pk]),
        lambda w: {"invite-email": "new@example.org", "invite-role": "viewer", "invite-unit": ""},
        ADMIN_ONLY,
    ),
    (
        "units",
        lambda w: reverse("units", args=[w.agency.pk]),
        lambda w: {"name": "กองช่าง", "role": "engineering"},
        ADMIN_ONLY,
    ),
    (
        "unit_edit",
        lambda w: reverse("unit_edit", args=[w.agency.pk, w.finance.pk]),
        lambda w: {
            f"u{w.finance.pk}-name": "กองคลังใหม่",
            f"u{w.finance.pk}-role": "finance",
            f"u{w.finance.pk}-code": "",
        },
        ADMIN_ONLY,
    ),
    ("unit_remove", lambda w: reverse("unit_remove", args=[w.agency.pk, _spare_unit(w)]), lambda w: {}, ADMIN_ONLY),
    (
        "member_edit",
        lambda w: reverse("member_edit", args=[w.agency.pk, _viewer(w)]),
        lambda w: {f"m{_viewer(w)}-role": "editor", f"m{_viewer(w)}-unit": w.finance.pk},
        ADMIN_ONLY,
    ),
    ("member_remove", lambda w: reverse("member_remove", args=[w.agency.pk, _viewer(w)]), lambda w: {}, ADMIN_ONLY),
    ("member_password", lambda w: reverse("member_password", args=[w.agency.pk, _viewer(w)]), lambda w: {}, ADMIN_ONLY),
    (
        "member_reset_mail",
        lambda w: reverse("member_reset_mail", args=[w.agency.pk, _viewer(w)]),
        lambda w: {},
        ADMIN_ONLY,
    ),
    (
        "profile",
        lambda w: reverse("profile", args=[w.agency.pk]),
        lambda w: {"name": w.agency.name, "kind": "sao", "province": "นนทบุรี", "district": "เมืองนนทบุรี", "website": ""},
        ADMIN_ONLY,
    ),
    (
        "register_entry",
        lambda w: reverse("register_entry", kwargs={**_args(w), "code": "O22"}),
        lambda w: {
            "answer": "yes",
            "urls": "https://example.org/o22",
            "explanation": "",
            "unit": w.finance.pk,
            "status": "ready",
            "due_date": "",
            "reviewer_note": "",
        },
        UNIT_SCOPED,
    ),
    (
        "register_evidence",
        lambda w: reverse("register_evidence", kwargs={**_args(w), "code": "O22"}),
        lambda w: {"file": SimpleUploadedFile("ev.pdf", b"%PDF-1.4 test", content_type="application/pdf")},
        UNIT_SCOPED,
    ),
    (
        "measure",
        lambda w: reverse("measure", kwargs={**_args(w, 2565), "measure_id": w.measure.pk}),
        _measure_form,
        UNIT_SCOPED,
    ),
    (
        "measure_update",
        lambda w: reverse("measure_update", kwargs={**_args(w, 2565), "measure_id": w.measure.pk}),
        lambda w: {"date": "01/02/2565", "text": "จัดประชุมแล้ว", "progress": "40", "evidence_url": ""},
        UNIT_SCOPED,
    ),
]


def _published_csv(w: World) -> dict[str, Any]:
    body = "หน่วยงาน,ปีงบประมาณ,1,2,3,4,5,6,7,8,9,10\nอบต.ทดสอบ,2566,90,90,90,90,90,90,90,90,90,90\n"
    return {"file": SimpleUploadedFile("ผล.csv", body.encode(), content_type="text/csv")}


ACTIONS.append(
    (
        "oversight_import",
        lambda w: reverse("oversight_import", args=[_office(w)]),
        _published_csv,
        {**OFFICE_READERS, "oversight": 403},
    )
)


@pytest.mark.parametrize("persona", [*READERS, "outsider", "anonymous"])
@pytest.mark.parametrize(("name", "url", "data", "expected"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_actions(
    world: World,
    persona: str,
    name: str,
    url: Callable[[World], str],
    data: Callable[[World], dict[str, Any]],
    expected: dict[str, Any],
) -> None:
    response = world.client(persona).post(url(world), data(world))
    _check(response, expected[persona])


def test_thai_by_default_even_for_an_english_browser(world: World) -> None:
    response = world.client("owner").get(reverse("agency", args=[world.agency.pk]), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response["Content-Language"] == "th"
    assert '<html lang="th">' in response.content.decode()


def test_security_headers(world: World) -> None:
    response = world.client("owner").get(reverse("agency", args=[world.agency.pk]))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_passwords_are_hashed_with_argon2(settings: Any) -> None:
    from django.contrib.auth.hashers import make_password

    from prongsai.web import settings as app_settings  # the tests themselves use a fast hasher

    assert app_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    settings.PASSWORD_HASHERS = app_settings.PASSWORD_HASHERS
    assert make_password("a-long-test-password").startswith("argon2$")


# --- API tokens, progress-update evidence and the API's new operations (issue 17) ----------------

EVERY_USER = {**dict.fromkeys(READERS, OK), "outsider": OK, "anonymous": 302}  # a person's own tokens
OWNER_OF_THE_TOKEN = {**dict.fromkeys(READERS, 404), "outsider": 404, "owner": OK, "anonymous": 302}


def _owners_token(w: World) -> str:
    from prongsai.web.models import ApiToken

    made, _ = ApiToken.issue(w.users["owner"], "owner's script")
    return reverse("token_revoke", args=[made.pk])


def _update_with_file(w: World) -> str:
    from prongsai.web.models import MeasureUpdate

    update = MeasureUpdate.objects.create(
        measure=w.measure,
        date=w.measure.period_start,
        text="ประชุมแล้ว",
        progress=40,
        file=SimpleUploadedFile("รายงานการประชุม.pdf", b"%PDF-1.4 test"),
    )
    return reverse("update_file", args=[w.agency.pk, update.pk])


@pytest.mark.parametrize("persona", [*READERS, "outsider", "anonymous"])
@pytest.mark.parametrize(
    ("name", "url", "data", "expected"),
    [
        ("tokens page", lambda w: reverse("tokens"), None, EVERY_USER),
        ("token create", lambda w: reverse("tokens"), {"name": "สคริปต์", "days": "30"}, EVERY_USER),
        ("token revoke", _owners_token, {}, OWNER_OF_THE_TOKEN),
        ("update file", _update_with_file, None, _reader_statuses()),
        (
            "results template",
            lambda w: reverse("results_template", kwargs={**_args(w), "fmt": "xlsx"}),
            None,
            _reader_statuses(),
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_token_and_evidence_pages(
    world: World, persona: str, name: str, url: Callable[[World], str], data: dict[str, Any] | None, expected: Any
) -> None:
    client = world.client(persona)
    response = client.get(url(world)) if data is None else client.post(url(world), data)
    _check(response, expected[persona])


API_READERS = {**dict.fromkeys(READERS, 200), "outsider": 404, "anonymous": 401}


@pytest.mark.parametrize("persona", [*READERS, "outsider", "anonymous"])
def test_api_units_by_persona(world: World, persona: str) -> None:
    from django.test import Client

    from prongsai.web.models import ApiToken

    headers = {}
    if persona != "anonymous":
        headers = {"Authorization": f"Bearer {ApiToken.issue(world.users[persona], 'persona')[1]}"}
    response = Client(headers=headers).get(f"/api/agencies/{world.agency.pk}/units")
    assert response.status_code == API_READERS[persona]


@pytest.mark.parametrize("persona", [*READERS, "outsider", "anonymous"])
def test_api_unit_change_by_persona(world: World, persona: str) -> None:
    """Changing an entry's unit: an admin or the responsible unit's editor (O22 is กองคลัง's)."""
    from django.test import Client

    from prongsai.web.models import ApiToken

    expected = {"owner": 200, "editor": 200, "other_unit": 403, "viewer": 403, "oversight": 403}
    headers = {}
    if persona != "anonymous":
        headers = {"Authorization": f"Bearer {ApiToken.issue(world.users[persona], 'persona')[1]}"}
    response = Client(headers=headers).patch(
        f"/api/agencies/{world.agency.pk}/assessments/2564/register/O22",
        {"unit": world.finance.pk},
        content_type="application/json",
    )
    assert response.status_code == {**expected, "outsider": 404, "anonymous": 401}[persona]
