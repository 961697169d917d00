"""The agency's ITA page in the web app: public and read-only per agency and year (no login, only the register's
published links, cacheable, allowed by the app's CSP), and the snippet for the agency's editors."""

from __future__ import annotations

import lxml.html
import pytest
from django.test import Client

from prongsai.frameworks import get_framework
from prongsai.itapage import NOT_PUBLISHED_TH
from prongsai.web import services
from prongsai.web.models import RegisterEntry, RegisterStatus

from ..conftest import World


def _url(world: World, year: int = 2565) -> str:
    return f"/ita/{world.agency.pk}/{year}/"


def _set(world: World, code: str, urls: str, *, answer: str = "yes", status: str = RegisterStatus.READY) -> None:
    RegisterEntry.objects.filter(assessment=world.y2565, item_code=code).update(urls=urls, answer=answer, status=status)


def _links(html: str) -> list[tuple[str, str]]:
    return [(a.get("href"), a.text_content()) for a in lxml.html.fromstring(html).iter("a")]


@pytest.fixture
def published(world: World) -> World:
    _set(world, "O1", "https://www.test.go.th/structure")
    _set(world, "O2", "https://www.test.go.th/executives\nhttps://www.test.go.th/executives.pdf")
    _set(world, "O3", "https://www.test.go.th/contact", answer="no")  # the agency says it has none
    _set(world, "O4", "https://www.test.go.th/news-2564", status=RegisterStatus.TO_CHECK)  # last year's, unchecked
    _set(world, "O5", "https://www.test.go.th/draft", answer="")  # not answered yet
    RegisterEntry.objects.filter(assessment=world.y2565, item_code="O6").update(
        answer="yes", explanation="ติดต่อ นายสมชาย ใจดี 081 234 5678", reviewer_note="หมายเหตุผู้ตรวจ: ยังไม่ผ่าน"
    )
    return world


def test_the_public_page_needs_no_login_and_shows_only_published_links(published: World) -> None:
    response = Client().get(_url(published))
    assert response.status_code == 200 and response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert _links(html) == [
        ("https://www.test.go.th/structure", "O1 โครงสร้าง"),
        ("https://www.test.go.th/executives", "O2 เอกสาร ๑"),
        ("https://www.test.go.th/executives.pdf", "O2 เอกสาร ๒"),
    ]
    text = lxml.html.fromstring(html).text_content()
    framework = get_framework(2565)
    assert text.count(NOT_PUBLISHED_TH) == len(framework.items) - 2
    assert "(ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๖๕" in text and published.agency.name in text
    # nothing of the register but its published links: no note, unit, status, person or other address
    for private in ("สมชาย", "081", "ยังไม่ผ่าน", "สำนักปลัด", "กองคลัง", "พร้อมส่ง", "news-2564", "draft", "contact"):
        assert private not in html, private
    assert "<script" not in html and "<form" not in html and "csrf" not in html.lower()


def test_every_item_is_there_in_the_frameworks_order(published: World) -> None:
    tree = lxml.html.fromstring(Client().get(_url(published)).content.decode())
    lines = [li.text_content() for li in tree.iter("li")]
    framework = get_framework(2565)
    assert [line.split(" ", 1)[0].rstrip(":") for line in lines] == [item.code for item in framework.items]


def test_an_unknown_agency_or_year_is_not_found(published: World) -> None:
    client = Client()
    assert client.get(f"/ita/{published.agency.pk}/2570/").status_code == 404  # no assessment of that year
    assert client.get(f"/ita/{published.agency.pk}/99999999999/").status_code == 404
    assert client.get(f"/ita/{published.other.pk + 1000}/2565/").status_code == 404
    assert client.get(f"/ita/{2**63}/2565/").status_code == 404
    assert client.get(f"/ita/{published.other.pk}/2565/").status_code == 404  # an agency without that year
    assert client.post(_url(published)).status_code in (403, 405)  # read-only


def test_the_page_is_cacheable_and_answers_not_modified(published: World) -> None:
    client = Client()
    response = client.get(_url(published))
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    again = client.get(_url(published), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    _set(published, "O7", "https://www.test.go.th/report")
    assert client.get(_url(published), headers={"If-None-Match": response["ETag"]}).status_code == 200


def test_the_apps_policy_allows_the_pages_own_style_and_nothing_else(published: World) -> None:
    response = Client().get(_url(published))
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["style-src"].startswith("'self' 'sha256-") and "unsafe-inline" not in policy["style-src"]
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"


def test_an_editor_downloads_the_snippet_and_the_page(published: World) -> None:
    client = published.client("editor")
    base = f"/a/{published.agency.pk}/2565/register/"
    snippet = client.get(base + "ita-snippet.html")
    assert snippet.status_code == 200 and snippet["Content-Type"] == "text/html; charset=utf-8"
    assert snippet["Content-Disposition"] == 'attachment; filename="ita-snippet-2565.html"'
    body = snippet.content.decode()
    assert body.startswith('<div lang="th">') and "<h2>" in body and "<html" not in body
    whole = client.get(base + "ita-page.html").content.decode()
    assert whole.startswith("<!DOCTYPE html>") and _links(whole) == _links(body)
    assert _links(body) == _links(Client().get(_url(published)).content.decode())
    assert client.get(base + "ita-other.html").status_code == 404


def test_the_register_shows_the_box_to_editors(published: World) -> None:
    page = published.client("editor").get(f"/a/{published.agency.pk}/2565/register/").content.decode()
    assert "หน้า ITA ของหน่วยงาน" in page and f"http://testserver/ita/{published.agency.pk}/2565/" in page
    box = lxml.html.fromstring(page).get_element_by_id("ita-snippet")
    assert box.text.startswith('<div lang="th">') and "https://www.test.go.th/structure" in box.text
    assert "มีลิงก์แล้ว 2 จาก" in page
    viewer = published.client("viewer").get(f"/a/{published.agency.pk}/2565/register/").content.decode()
    assert "ita-snippet" not in viewer


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("anonymous", 302), ("viewer", 403)])
def test_others_cannot_download_the_snippet(published: World, persona: str, status: int) -> None:
    response = published.client(persona).get(f"/a/{published.agency.pk}/2565/register/ita-snippet.html")
    assert response.status_code == status
    assert b"www.test.go.th" not in response.content


def test_an_agency_registers_page_from_a_real_assessment(world: World) -> None:
    """The seed's agency (songkhanong-2564): its register as imported, published through the register's form."""
    entry = world.y2564.register.get(item_code="O10")
    services.register_update(
        world.users["owner"],
        entry,
        {"answer": "yes", "urls": "https://www.songkhanong.go.th/plan-2564.pdf", "status": RegisterStatus.CHECKED},
    )
    response = Client().get(_url(world, 2564))
    assert response.status_code == 200
    assert _links(response.content.decode()) == [
        ("https://www.songkhanong.go.th/plan-2564.pdf", "O10 แผนดำเนินงานประจำปี")
    ]
