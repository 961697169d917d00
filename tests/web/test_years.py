"""Years on the web: rating words from FY2566 and the held-back sentence, provisional years marked on every
page of the year, the measures document's items named from the year's framework, placeholder codes never
shown, and the year select of a new assessment."""

from __future__ import annotations

import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import prongsai.web
from prongsai.frameworks import available_years, current_fiscal_year
from prongsai.web import services
from prongsai.web.models import ApiToken, Assessment

from .conftest import World

PROVISIONAL = "เป็นกรอบชั่วคราวที่ใช้กรอบปี"


def api(world: World, persona: str) -> Client:
    _, token = ApiToken.issue(world.users[persona], "test")
    return Client(headers={"Authorization": f"Bearer {token}"})


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _year(world: World, year: int, scores: dict[int, float] | None = None) -> Assessment:
    assessment = services.assessment_create(world.users["owner"], world.agency, year)
    if scores is not None:
        services.results_set(world.users["owner"], assessment, scores)
    return assessment


def _get(world: World, view: str, year: int) -> str:
    response = world.client("owner").get(reverse(view, args=[world.agency.pk, year]))
    assert response.status_code == 200, view
    return _text(response.content.decode())


# IIT 90 (1–5), EIT 80 (6–8), OIT 90 (9–10): FY2568 total 6·5·90/100·… = 27 + 24 + 36 = 87.00, EIT < 85
HELD_BACK = {**{n: 90.0 for n in range(1, 6)}, 6: 80.0, 7: 80.0, 8: 80.0, 9: 90.0, 10: 90.0}


def test_a_held_back_result_shows_its_rating_word_and_why(world: World) -> None:
    _year(world, 2568, HELD_BACK)
    page = _get(world, "analysis", 2568)
    assert "87.00" in page
    assert "ระดับผลการประเมิน ผ่าน " in page and "ผ่านดี " not in page.split("คะแนนรวมถึงระดับ")[0]
    assert "คะแนนรวมถึงระดับผ่านดี แต่ได้ระดับผ่าน เพราะคะแนน EIT ต่ำกว่า 85" in page
    agency = _text(world.client("owner").get(reverse("agency", args=[world.agency.pk])).content.decode())
    assert "2568 87.00 ผ่าน " in agency
    body = api(world, "owner").get(f"/api/agencies/{world.agency.pk}/assessments/2568").json()
    assert body["grade"] is None and body["rating"] == {"label_th": "ผ่าน", "label_en": "Pass"}
    assert body["provisional"] is False


def test_a_result_with_every_tool_over_the_bar_is_not_held_back(world: World) -> None:
    _year(world, 2568, {n: 90.0 for n in range(1, 11)})
    page = _get(world, "analysis", 2568)
    assert "ระดับผลการประเมิน ผ่านดี " in page and "คะแนนรวมถึงระดับ" not in page


def test_grade_years_keep_their_grades(world: World) -> None:
    page = _get(world, "analysis", 2564)
    assert "ระดับผลการประเมิน C" in page and "คะแนนรวมถึงระดับ" not in page
    body = api(world, "owner").get(f"/api/agencies/{world.agency.pk}/assessments/2564").json()
    assert body["rating"] is None and body["grade"] == "C"


def test_every_page_of_a_provisional_year_says_so(world: World) -> None:
    year = current_fiscal_year()
    assert year == 2570  # the tests' clock: FY2570 has no NACC manual yet, so it is made from FY2569
    _year(world, 2570, {n: 90.0 for n in range(1, 11)})
    _year(world, 2569)
    for view in ("analysis", "results", "register", "plan", "surveys"):
        page = _get(world, view, 2570)
        assert "กรอบการประเมินปี 2570 เป็นกรอบชั่วคราวที่ใช้กรอบปี 2569 ไปก่อน" in page, view
        assert "ผู้ดูแลระบบเพิ่มกรอบการประเมินฉบับจริงได้" in page, view
        assert PROVISIONAL not in _get(world, view, 2569), view
    assert api(world, "owner").get(f"/api/agencies/{world.agency.pk}/assessments/2570").json()["provisional"]


def test_the_year_select_offers_every_year_newest_first_with_the_current_one_chosen(world: World) -> None:
    html = world.client("owner").get(reverse("agency", args=[world.agency.pk])).content.decode()
    select = html.split('name="fiscal_year"')[1].split("</select>")[0]
    options = re.findall(r"<option( selected)?>(\d{4})</option>", select)
    years = [int(y) for _, y in options]
    assert years == sorted((y for y in available_years() if y not in (2564, 2565)), reverse=True)
    assert years[:2] == [2570, 2569]
    assert [int(y) for chosen, y in options if chosen] == [2570]
    response = world.client("owner").post(reverse("assessment_new", args=[world.agency.pk]), {"fiscal_year": "2570"})
    assert response.status_code == 302
    assert Assessment.objects.filter(agency=world.agency, fiscal_year=2570).exists()


def test_the_plan_names_the_years_own_document_items(world: World) -> None:
    _year(world, 2569)
    _year(world, 2568)
    page = _get(world, "plan", 2569)
    assert "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน (O25)" in page
    assert "(O26)" in page and "O42" not in page and "O43" not in page
    page = _get(world, "plan", 2568)
    assert "(O27)" in page and "(O28)" in page and "O42" not in page
    assert "(O42)" in _get(world, "plan", 2564) and "(O43)" in _get(world, "plan", 2564)
    form = _get(world, "measure_new", 2569)
    assert "เช่น O25, O26" in form and "O42" not in form


def test_placeholder_sub_indicator_codes_are_never_shown(world: World) -> None:
    _year(world, 2569)
    page = _get(world, "register", 2569)
    assert "ข้อมูลพื้นฐานและการประชาสัมพันธ์" in page
    assert not re.search(r"\b(9|10)\.[a-z]\b", page)
    assert "9.1 " in _get(world, "register", 2564)  # the NACC's own codes stay


def test_a_review_date_on_a_page_is_buddhist_era(world: World) -> None:
    """Dates on pages go through the ``be`` filter (prongsai.web.templatetags.thai): the plan's review date is
    shown with the B.E. year, never the C.E. one that Django's own date filter prints."""
    url = f"/a/{world.agency.pk}/{world.y2565.fiscal_year}/plan/"
    client = world.client("owner")
    assert client.post(f"{url}review/").status_code in (200, 302)
    world.y2565.refresh_from_db()
    assert world.y2565.plan_reviewed_at is not None
    reviewed = timezone.localtime(world.y2565.plan_reviewed_at)  # the page's day, in Bangkok
    page = _text(client.get(url).content.decode())
    assert f"ตรวจทานแล้ว {reviewed.day} " in page and str(reviewed.year + 543) in page
    assert f"/{reviewed.year}" not in page


def test_no_template_prints_a_date_with_djangos_date_filter() -> None:
    """Django's ``date`` filter prints the C.E. year: every template uses ``be`` instead."""
    templates = Path(prongsai.web.__file__).parent / "templates"
    found = [
        f"{path.name}: {match}"
        for path in sorted(templates.rglob("*.html"))
        for match in re.findall(r"\|\s*date\b[^}]*", path.read_text(encoding="utf-8"))
    ]
    assert found == []
