"""First steps: a new agency's home shows the year's steps in order, done or not, with where to do each; the
demo's office dashboard and the demo agency's own pages agree; an office member opens its agencies' pages
read-only; and read-only means values, not inputs, wherever a person cannot save."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from prongsai.frameworks import current_fiscal_year
from prongsai.web import services
from prongsai.web.demo import DEMO_OFFICE_USERNAME, load_demo
from prongsai.web.models import Agency, Office, OfficeMembership, PublishedResult, Unit
from prongsai.web.services import people
from prongsai.web.services.first_steps import steps_year

from ..conftest import EXAMPLES, World

ORDER = [
    "หน่วยงานย่อยและหน้าที่", "ผลการประเมินปี", "ทะเบียน OIT ปี", "มาตรการส่งเสริม", "แบบสำรวจทดลอง", "เอกสาร:",
    "เอกสาร OIT ที่หน่วยงานจัดทำเอง",
]  # fmt: skip


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _steps(html: str) -> list[str]:
    block = html.split('<ol class="steps-list">')[1].split("</ol>")[0]
    return [_text(li) for li in block.split("<li ")[1:]]


@pytest.fixture
def new_agency(db: Any) -> Agency:
    return people.agency_admin_create("somchai", "somchai@example.org", "ทรงคนอง-ผู้ดูแล-2568", "เทศบาลตำบลใหม่")


def test_a_new_agency_sees_the_years_steps_in_order(new_agency: Agency) -> None:
    year = current_fiscal_year(dt.date.today())
    client = _client(User.objects.get(username="somchai"))
    html = client.get(reverse("agency", args=[new_agency.pk])).content.decode()
    assert f"ขั้นตอนของปีงบประมาณ {year}" in html and "เหลือ 6 ขั้นตอน" in html
    steps = _steps(html)
    assert [next(t for t in sorted(ORDER, key=len, reverse=True) if t in s) for s in steps] == ORDER
    assert "เสร็จแล้ว" in steps[0] and "มี 1 หน่วย ทุกหน่วยมีหน้าที่ตามกฎการร่างแผน" in steps[0]
    assert f"ผลการประเมินปี {year - 1} (ปีที่แล้ว) ยังไม่เสร็จ" in steps[1]
    assert f"เริ่มการประเมินปี {year - 1}" in steps[1] and f"เริ่มการประเมินปี {year}" in steps[2]
    assert all("ยังไม่เสร็จ" in s for s in steps[1:])
    assert f'href="{reverse("units", args=[new_agency.pk])}"' in html
    assert "ยังไม่ได้ระบุจังหวัดและอำเภอ" in html and f'href="{reverse("profile", args=[new_agency.pk])}"' in html


def test_the_steps_follow_what_the_agency_does(new_agency: Agency) -> None:
    user = User.objects.get(username="somchai")
    client = _client(user)
    year = current_fiscal_year(dt.date.today())
    response = client.post(reverse("assessment_new", args=[new_agency.pk]), {"fiscal_year": year - 1})
    assert response.status_code == 302
    last = new_agency.assessments.get(fiscal_year=year - 1)
    body = "indicator,score\n" + "".join(f"{n},90\n" for n in range(1, 11))
    services.results_import(user, last, SimpleUploadedFile("r.csv", body.encode()))
    assert steps_year(list(new_agency.assessments.all()), dt.date.today()) == year
    steps = _steps(client.get(reverse("agency", args=[new_agency.pk])).content.decode())
    assert "เสร็จแล้ว" in steps[1] and "กรอกหรือนำเข้าแล้ว" in steps[1]
    client.post(reverse("assessment_new", args=[new_agency.pk]), {"fiscal_year": year})
    steps = _steps(client.get(reverse("agency", args=[new_agency.pk])).content.decode())
    assert re.search(r"พร้อมส่ง 0 จาก \d+ ข้อ", steps[2]) and "มาตรการ 0 รายการ ยังไม่ได้ตรวจทาน" in steps[3]
    assert "IIT ยังไม่ได้สร้าง · EIT ยังไม่ได้สร้าง" in steps[4] and "ยังไม่ได้ลงนาม" in steps[5]


def test_units_without_a_role_are_not_done(world: World) -> None:
    """The persona agency works on FY2565 (its FY2564 has a result); its units were made without roles."""
    assert steps_year(list(world.agency.assessments.all()), dt.date.today()) == 2565
    steps = _steps(world.client("viewer").get(reverse("agency", args=[world.agency.pk])).content.decode())
    assert "ยังไม่เสร็จ" in steps[0] and "มี 2 หน่วย ยังไม่ได้เลือกหน้าที่ 2 หน่วย" in steps[0]
    assert "ผลการประเมินปี 2564 (ปีที่แล้ว) เสร็จแล้ว" in steps[1]
    Unit.objects.filter(pk=world.office.pk).update(role="office")
    Unit.objects.filter(pk=world.finance.pk).update(role="finance")
    steps = _steps(world.client("viewer").get(reverse("agency", args=[world.agency.pk])).content.decode())
    assert "เสร็จแล้ว" in steps[0]


def test_readers_see_the_steps_without_the_admins_buttons(new_agency: Agency) -> None:
    viewer = User.objects.create_user("viewer", "", "a-long-test-password")
    new_agency.memberships.create(user=viewer, role="viewer")
    html = _client(viewer).get(reverse("agency", args=[new_agency.pk])).content.decode()
    assert "ขั้นตอนของปีงบประมาณ" in html and reverse("assessment_new", args=[new_agency.pk]) not in html
    assert f'href="{reverse("units", args=[new_agency.pk])}"' not in html


# --- the demo: the office and the agency agree; the office reads the agency ------------------------------


@pytest.fixture
def demo(db: Any) -> Agency:
    return load_demo("demo-password-for-tests")


def test_the_demo_office_shows_only_the_results_the_demo_agency_has(demo: Agency) -> None:
    rows = PublishedResult.objects.filter(agency=demo)
    assert list(rows.values_list("fiscal_year", flat=True)) == [2564]  # no invented FY2565–2567 for a real name
    own = demo.assessments.get(fiscal_year=2564)
    published = rows.get()
    assert {n: float(getattr(published, f"i{n}")) for n in range(1, 11)} == own.scores()
    result = own.to_results()
    assert result is not None
    assert float(published.total) == pytest.approx(result.score().total, abs=0.005)
    office = Office.objects.get()
    page = _client(User.objects.get(username=DEMO_OFFICE_USERNAME)).get(
        reverse("oversight", args=[office.pk]) + "?year=2564"
    )
    html = page.content.decode()
    assert f'<a href="{reverse("agency", args=[demo.pk])}">องค์การบริหารส่วนตำบลทรงคนอง</a>' in html
    agency_page = _client(User.objects.get(username="demo")).get(reverse("analysis", args=[demo.pk, 2564]))
    assert f"{published.total:.2f}" in agency_page.content.decode()
    for year in (2565, 2566, 2567):
        html = _client(User.objects.get(username=DEMO_OFFICE_USERNAME)).get(
            reverse("oversight", args=[office.pk]) + f"?year={year}"
        )
        text = html.content.decode()  # the readiness table lists it as never checked, which it is
        assert "ทรงคนอง" not in text.split("ความพร้อม OIT")[0] and "ทรงคนอง" not in text.split("ผลของทุกหน่วยงาน")[1]


def test_an_office_member_opens_its_agencys_pages_read_only(demo: Agency) -> None:
    office_user = User.objects.get(username=DEMO_OFFICE_USERNAME)
    client = _client(office_user)
    pages = [
        reverse("agency", args=[demo.pk]),
        reverse("analysis", args=[demo.pk, 2564]),
        reverse("results", args=[demo.pk, 2564]),
        reverse("register", args=[demo.pk, 2565]),
        reverse("register_entry", args=[demo.pk, 2565, "O1"]),
        reverse("plan", args=[demo.pk, 2565]),
        reverse("measure", args=[demo.pk, 2565, demo.assessments.get(fiscal_year=2565).measures.first().pk]),
        reverse("followup", args=[demo.pk]),
    ]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "ผู้กำกับดูแล (อำเภอ/จังหวัด)" in html  # the header says how the office reads it
        assert _post_inputs(html) == [], url
    for url in (reverse("members", args=[demo.pk]), reverse("units", args=[demo.pk])):
        assert client.get(url).status_code == 403
    posts = [
        (reverse("register_entry", args=[demo.pk, 2565, "O1"]), {"answer": "yes"}),
        (reverse("results", args=[demo.pk, 2564]), {f"i{n}": "99" for n in range(1, 11)}),
        (reverse("assessment_new", args=[demo.pk]), {"fiscal_year": "2566"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert demo.assessments.get(fiscal_year=2564).scores()[1] != 99


def test_an_office_that_does_not_oversee_the_agency_gets_404(demo: Agency) -> None:
    stranger = User.objects.create_user("other-office", "", "a-long-test-password")
    OfficeMembership.objects.create(user=stranger, office=Office.objects.create(name="สำนักงานอื่น"))
    assert _client(stranger).get(reverse("agency", args=[demo.pk])).status_code == 404


# --- read-only means read-only --------------------------------------------------------------------------


def _post_inputs(html: str) -> list[str]:
    """What a person could type or choose in a form that saves (filters are GET forms and save nothing)."""
    forms = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
    fields = [f for form in forms for f in re.findall(r"<(?:textarea|select|input)\b[^>]*>", form)]
    return [f for f in fields if 'type="hidden"' not in f]


def _inputs(html: str, section: str) -> list[str]:
    part = html.split(section)[1].split("</section>")[0]
    return re.findall(r"<(?:textarea|select|input)\b[^>]*>", part)


def test_an_editor_sees_values_not_inputs_on_an_item_not_theirs(world: World) -> None:
    url = reverse("register_entry", args=[world.agency.pk, 2564, "O1"])  # สำนักปลัด's item
    html = world.client("editor").get(url).content.decode()
    assert _inputs(html, "คำตอบสำหรับ ITAS") == []
    values = _text(html.split("คำตอบสำหรับ ITAS")[1].split("</section>")[0])
    assert "ผู้รับผิดชอบ สำนักปลัด" in values and "ดูได้อย่างเดียว" in values
    own = world.client("editor").get(reverse("register_entry", args=[world.agency.pk, 2564, "O22"])).content.decode()
    assert _inputs(own, "คำตอบสำหรับ ITAS") and "บันทึก" in own


def test_a_viewer_sees_a_measure_and_the_scores_as_values(world: World) -> None:
    measure = reverse("measure", args=[world.agency.pk, 2565, world.measure.pk])
    html = world.client("viewer").get(measure).content.decode()
    assert _inputs(html, "<h2>มาตรการ</h2>") == []
    values = _text(html.split("<h2>มาตรการ</h2>")[1].split("</section>")[0])
    assert "ผู้รับผิดชอบ กองคลัง" in values and "01/01/2565" in values
    results = world.client("viewer").get(reverse("results", args=[world.agency.pk, 2564])).content.decode()
    assert "<input" not in results.split("<main>")[1].replace('type="hidden"', "")
    assert "คะแนน 10 ตัวชี้วัด" in results and "นำเข้าจากไฟล์" not in results
    assert _inputs(world.client("owner").get(measure).content.decode(), "<h2>มาตรการ</h2>")


def test_the_shown_value_of_a_choice_is_its_label(world: World) -> None:
    entry = world.y2564.register.get(item_code="O1")
    entry.answer, entry.status = "yes", "ready"
    entry.save()
    html = world.client("viewer").get(reverse("register_entry", args=[world.agency.pk, 2564, "O1"])).content.decode()
    values = _text(html.split("คำตอบสำหรับ ITAS")[1].split("</section>")[0])
    assert "คำตอบ มี" in values and "สถานะ พร้อมส่ง" in values and "ready" not in values


def test_the_demo_is_the_examples_agency(demo: Agency) -> None:
    assert (EXAMPLES / "songkhanong-2564.yaml").exists() and demo.units.filter(role="office").exists()


def test_the_steps_and_the_people_pages_in_english(world: World) -> None:
    from django.conf import settings
    from django.utils import translation

    client = world.client("owner")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    try:
        home = client.get(reverse("agency", args=[world.agency.pk])).content.decode()
        assert "Steps of fiscal year 2565" in home and "Units and their roles" in home
        assert "Last year&#x27;s result (FY 2564)" in home and "ขั้นตอน" not in home
        units = client.get(reverse("units", args=[world.agency.pk])).content.decode()
        assert "Role in the drafting rules" in units and "Add from the drafting rules" in units
        members = client.get(reverse("members", args=[world.agency.pk])).content.decode()
        assert "Remove from the agency" in members and "Agency profile" in members
    finally:
        translation.activate(settings.LANGUAGE_CODE)


def test_readers_see_the_meeting_and_the_signer_as_values(world: World) -> None:
    world.y2565.meeting_date, world.y2565.signer_name = dt.date(2022, 2, 10), "นายสมชาย ใจดี"
    world.y2565.save()
    plan = reverse("plan", args=[world.agency.pk, 2565])
    html = world.client("editor").get(plan).content.decode()
    assert _inputs(html, "การประชุมและการลงนาม") == []
    values = _text(html.split("การประชุมและการลงนาม")[1].split("</section>")[0])
    assert "10/02/2565" in values and "นายสมชาย ใจดี" in values and "ผู้ดูแลหน่วยงานเป็นผู้แก้ไข" in values
    assert _inputs(world.client("owner").get(plan).content.decode(), "การประชุมและการลงนาม")
