"""The oversight dashboard of an office: importing published results as a job, the numbers it shows
(hand-computed, the same five agencies as tests/test_oversight.py), XLSX exports, OIT readiness from the
latest checks, and 8,300 agencies in a bounded number of queries."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from prongsai.web.jobs.oversight_import import imports_folder
from prongsai.web.models import CheckRun, Job, Office, PublishedResult, ResultImport

from .conftest import World

HEADER = "หน่วยงาน,ประเภท,อำเภอ,จังหวัด,ปีงบประมาณ,1,2,3,4,5,6,7,8,9,10,คะแนนรวม\n"
# name, kind, district, province, FY2566 scores 1–10, total (see tests/test_oversight.py for the sums)
FIVE = [
    ("องค์การบริหารส่วนตำบลทดสอบ", "", "เมือง", "นนทบุรี", [90] * 10, "90.00"),  # the World's agency
    ("เทศบาลตำบลบี", "", "เมือง", "นนทบุรี", [90] * 8 + [50, 50], "74.00"),
    ("อบต.ซี", "", "ปากเกร็ด", "นนทบุรี", [80] * 5 + [70] * 3 + [100, 100], "85.00"),
    ("อบต.ดี", "", "ปากเกร็ด", "นนทบุรี", [60] * 8 + [80, 70], ""),  # 66.00, computed
    ("อบต.อี", "", "บางใหญ่", "ปทุมธานี", [84] * 8 + [95, 70], "83.40"),
]


def _csv(rows: list[tuple[Any, ...]], year: int = 2566, header: str = HEADER) -> bytes:
    lines = [
        ",".join([name, kind, district, province, str(year), *map(str, scores), total])
        for name, kind, district, province, scores, total in rows
    ]
    return (header + "\n".join(lines) + "\n").encode()


def _office(world: World) -> Office:
    assert world.oversight_office is not None
    return world.oversight_office


def _import(world: World, body: bytes, name: str = "ผล.csv", persona: str = "owner") -> Job:
    client = world.client(persona)
    response = client.post(
        reverse("oversight_import", args=[_office(world).pk]), {"file": SimpleUploadedFile(name, body)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    return job


def _dashboard(world: World, query: str = "", persona: str = "oversight") -> str:
    response = world.client(persona).get(reverse("oversight", args=[_office(world).pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_import_a_good_file_as_a_job(world: World) -> None:
    job = _import(world, _csv(FIVE))
    assert job.status == Job.Status.DONE, job.error
    assert job.result["rows"] == 5 and job.result["years"] == [2566]
    assert job.result["url"] == reverse("oversight", args=[_office(world).pk])
    assert job.result["matched"] == 1  # the World's agency, linked to the office, by name and province
    assert job.created_by == world.users["owner"]
    rows = {r.agency_name: r for r in PublishedResult.objects.filter(office=_office(world))}
    assert str(rows["อบต.ดี"].total) == "66.00" and rows["อบต.ดี"].passed is False and rows["อบต.ดี"].grade == ""
    assert rows["อบต.ซี"].passed is True and rows["อบต.ซี"].kind == "องค์การบริหารส่วนตำบล"
    assert rows["เทศบาลตำบลบี"].kind == "เทศบาล"
    assert rows["องค์การบริหารส่วนตำบลทดสอบ"].agency == world.agency
    assert not list(imports_folder().glob("*")), "the upload is removed after the import"
    page = world.client("owner").get(reverse("job", args=[job.pk])).content.decode()
    assert reverse("oversight", args=[_office(world).pk]) in page


def test_a_bad_file_stores_nothing_and_names_the_row_and_column(world: World) -> None:
    bad = [*FIVE[:2], ("อบต.ซี", "", "ปากเกร็ด", "นนทบุรี", [80] * 5 + [70] * 3 + ["1OO", 100], "85.00")]
    job = _import(world, _csv(bad))
    assert job.status == Job.Status.FAILED
    assert job.error.startswith("ผล.csv, แถว 4, ช่อง 9 (คอลัมน์ N): ตัวชี้วัด 9 '1OO' ไม่ใช่ตัวเลข")
    assert not PublishedResult.objects.exists() and not ResultImport.objects.exists()
    page = world.client("owner").get(reverse("job", args=[job.pk])).content.decode()
    assert "แถว 4, ช่อง 9 (คอลัมน์ N)" in page
    job = _import(world, _csv([(*FIVE[0][:5], "91.00")]))  # a total that disagrees with the indicators
    assert "คะแนนรวม 91.00 ไม่ตรงกับคะแนนรวมที่คำนวณ" in job.error and "ได้ 90.00" in job.error
    assert not PublishedResult.objects.exists()


def test_only_csv_and_xlsx_are_taken(world: World) -> None:
    response = world.client("owner").post(
        reverse("oversight_import", args=[_office(world).pk]), {"file": SimpleUploadedFile("ผล.pdf", b"%PDF")}
    )
    assert response.status_code == 400
    assert "รองรับเฉพาะไฟล์ .csv และ .xlsx" in response.content.decode()
    assert not Job.objects.exists()


def test_a_later_import_replaces_the_same_agency_and_year(world: World) -> None:
    _import(world, _csv(FIVE))
    again = _import(world, _csv([("อบต.ดี", "", "ปากเกร็ด", "นนทบุรี", [90] * 10, "")]))
    assert again.status == Job.Status.DONE
    rows = PublishedResult.objects.filter(office=_office(world))
    assert rows.count() == 5
    assert str(rows.get(agency_name="อบต.ดี").total) == "90.00"
    assert ResultImport.objects.count() == 2


def test_dashboard_numbers_are_the_hand_computed_ones(world: World) -> None:
    _import(world, _csv(FIVE[:2], year=2565))  # FY2565: 90.00 and 74.00, mean 82.00, 1 of 2 passes
    _import(world, _csv(FIVE))
    html = _dashboard(world)
    text = _text(html)
    assert "ปีงบประมาณ 2566" in text
    assert "5 หน่วยงาน" in text
    assert "คะแนนเฉลี่ย 79.68 -2.32" in text  # (90 + 74 + 85 + 66 + 83.4) / 5, against 82.00 in 2565
    assert "ผ่านเกณฑ์ 85 2 (40.0%) -10.0" in text
    assert "มัธยฐาน 83.40 · ต่ำสุด 66.00 · สูงสุด 90.00 · เทียบกับปี 2565" in text
    weakest = re.search(r"ตัวชี้วัดที่อ่อนที่สุด.*?<tbody>(.*?)</tbody>", html, re.S)
    assert weakest is not None
    first = _text(weakest.group(1)).split("10. การป้องกันการทุจริต")[1]
    assert first.split()[:5] == ["OIT", "76.00", "3", "(60%)", "4.80"]
    ranked = re.search(r'<table class="table ranked">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert ranked is not None
    names = re.findall(r"<td>([^<]+)<br>", ranked.group(1))
    assert names == ["เทศบาลตำบลบี", "อบต.อี", "อบต.ดี"]  # OIT alone passes B (+20) and E (+7); D needs more
    assert "ต่ำกว่าเกณฑ์ 3 หน่วยงาน ในจำนวนนี้ 2 หน่วยงานผ่านเกณฑ์ได้ด้วยการเผยแพร่ข้อมูล OIT ให้ครบอย่างเดียว" in text
    assert "ผ่านเกณฑ์ 85 ได้ด้วย OIT อย่างเดียว" in text
    # the charts are inline SVG drawn on the server: no inline style or script
    # (a chart drawn for phones too counts once: its narrow copy is the same chart)
    assert html.count("<svg") - html.count('<svg class="narrow"') == 4 and "style=" not in html
    assert "<script>" not in html
    assert 'aria-labelledby="histogram-title"' in html and "2565" in html
    # the 2565 column of the trend table
    assert "82.00" in _text(re.search(r"แนวโน้มรายปี(.*?)</table>", html, re.S).group(1))  # type: ignore[union-attr]


def test_filters_and_the_year_selector(world: World) -> None:
    _import(world, _csv(FIVE[:2], year=2565))
    _import(world, _csv(FIVE))
    text = _text(_dashboard(world, "?province=ปทุมธานี"))
    assert "1 หน่วยงาน" in text and "คะแนนเฉลี่ย 83.40" in text
    text = _text(_dashboard(world, "?district=ปากเกร็ด"))
    assert "2 หน่วยงาน" in text and "คะแนนเฉลี่ย 75.50" in text
    text = _text(_dashboard(world, "?kind=เทศบาล"))
    assert "1 หน่วยงาน" in text and "คะแนนเฉลี่ย 74.00" in text
    text = _text(_dashboard(world, "?year=2565"))
    assert "ปีงบประมาณ 2565" in text and "2 หน่วยงาน" in text and "คะแนนเฉลี่ย 82.00" in text
    text = _text(_dashboard(world, "?province=ไม่มี"))
    assert "ไม่มีหน่วยงานที่ตรงกับตัวกรองนี้" in text
    results = _text(_dashboard(world, "?passed=1"))
    assert "อบต.ซี" in results.split("ผลของทุกหน่วยงาน")[1] and "อบต.ดี" not in results.split("ผลของทุกหน่วยงาน")[1]


def test_an_office_without_results_invites_an_import(world: World) -> None:
    assert "ยังไม่มีผลคะแนนที่ประกาศ" in _dashboard(world, persona="owner")
    assert reverse("oversight_import", args=[_office(world).pk]) in _dashboard(world, persona="owner")


def _sheet(world: World, table: str, query: str = "") -> list[tuple[Any, ...]]:
    response = world.client("oversight").get(reverse("oversight_export", args=[_office(world).pk, table]) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_xlsx_exports_hold_the_rows(world: World) -> None:
    _import(world, _csv(FIVE[:2], year=2565))
    _import(world, _csv(FIVE))
    results = _sheet(world, "results")
    assert results[0][:6] == ("หน่วยงาน", "รหัส", "ประเภท", "อำเภอ", "จังหวัด", "ปีงบประมาณ")
    assert results[0][-3:] == ("คะแนนรวม", "ระดับผลการประเมิน", "ผ่านเกณฑ์")
    assert [r[0] for r in results[1:]] == ["องค์การบริหารส่วนตำบลทดสอบ", "อบต.ซี", "อบต.อี", "เทศบาลตำบลบี", "อบต.ดี"]
    # FY2566 publishes rating words: 85.00 with EIT 70 is ผ่าน, not ผ่านดี (every tool must reach 85)
    assert [r[-3:] for r in results[1:]] == [
        (90.0, "ผ่านดี", "ผ่าน"),
        (85.0, "ผ่าน", "ผ่าน"),
        (83.4, "ต้องปรับปรุง", "ไม่ผ่าน"),
        (74.0, "ต้องปรับปรุง", "ไม่ผ่าน"),
        (66.0, "ต้องปรับปรุงโดยด่วน", "ไม่ผ่าน"),
    ]
    assert _sheet(world, "results", "?year=2565")[1][-3:] == (90.0, "A", "ผ่าน")  # grades to FY2565
    ranking = _sheet(world, "ranking")
    assert ranking[0][6:8] == ("คะแนนรวม", "ระดับผลการประเมิน")
    assert [(r[0], r[1], r[6], r[7], r[9], r[11]) for r in ranking[1:]] == [
        (1, "เทศบาลตำบลบี", 74.0, "ต้องปรับปรุง", 20.0, "ใช่"),
        (2, "อบต.อี", 83.4, "ต้องปรับปรุง", 7.0, "ใช่"),
        (3, "อบต.ดี", 66.0, "ต้องปรับปรุงโดยด่วน", 10.0, "ไม่"),
    ]
    indicators = _sheet(world, "indicators")
    assert indicators[1][:3] == (1, 10, "การป้องกันการทุจริต") and indicators[1][5:] == (76.0, 3, 60.0, 4.8)
    trends = _sheet(world, "trends")
    assert [r[:4] for r in trends[1:]] == [(2565, 2, 82.0, 50.0), (2566, 5, 79.68, 40.0)]
    assert len(_sheet(world, "results", "?year=2565")) == 3
    assert _sheet(world, "readiness")[0][0] == "หน่วยงาน"
    assert (
        world.client("oversight").get(reverse("oversight_export", args=[_office(world).pk, "nope"])).status_code == 404
    )


def test_oit_readiness_from_the_latest_check(world: World) -> None:
    _import(world, _csv(FIVE))
    counts = {"ok": 30, "missing": 8, "broken": 2, "needs_person": 3}
    CheckRun.objects.create(
        assessment=world.y2565,
        status=CheckRun.Status.DONE,
        report={"counts": counts, "likely": {"indicator_9": 60.0, "indicator_10": 50.0}, "items": []},
    )
    CheckRun.objects.create(assessment=world.y2565, status=CheckRun.Status.FAILED, report={})  # not finished well
    html = _dashboard(world)
    section = _text(html.split("ความพร้อม OIT จากผลตรวจเว็บไซต์ล่าสุด")[1].split("</table>")[0])
    assert "ตรวจเว็บไซต์แล้ว 1 จาก 1 หน่วยงาน" in section
    assert "องค์การบริหารส่วนตำบลทดสอบ" in section and "2565" in section
    assert "30/43" in section and "10 (+3 ให้คนตรวจ)" in section and "60.00 / 50.00" in section
    # 1–8 at 90 from the published FY2566 result, 9–10 as the check predicts: 54 + 12 + 10 = 76.00
    assert "76.00 ไม่ผ่าน" in section
    readiness = _sheet(world, "readiness")
    assert readiness[1][:8] == ("องค์การบริหารส่วนตำบลทดสอบ", "เมือง", "นนทบุรี", 2565, 30, 10, 3, 43)
    assert readiness[1][8:] == (60.0, 50.0, 90.0, 76.0, "B")  # projected in FY2565, the check's year: a grade


def test_home_links_office_members_to_the_dashboard(world: World) -> None:
    page = world.client("oversight").get(reverse("home")).content.decode()
    assert reverse("oversight", args=[_office(world).pk]) in page and "สำนักงานส่งเสริมการปกครองท้องถิ่น" in page
    assert world.client("editor").get(reverse("home")).status_code == 302  # one agency, no office: straight there


def test_8300_agencies_import_and_render_in_few_queries(world: World, django_assert_max_num_queries: Any) -> None:
    rows = []
    for k in range(8300):
        base = 55 + (k * 37) % 45
        scores = [min(100, base + (k + n) % 7) for n in range(1, 11)]
        rows.append((f"หน่วยงานที่ {k}", "", f"อำเภอ {k % 40}", f"จังหวัด {k % 77}", scores, ""))
    for year in (2565, 2566):
        job = _import(world, _csv(rows, year=year), name=f"ทั้งประเทศ-{year}.csv")
        assert job.status == Job.Status.DONE, job.error
    assert PublishedResult.objects.count() == 16600
    client = world.client("oversight")
    client.get(reverse("home"))  # the session and user are loaded once, as in a browser
    url = reverse("oversight", args=[_office(world).pk])
    with django_assert_max_num_queries(20):
        response = client.get(url + "?page=3&rpage=2")
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "8300 หน่วยงาน" in text and "หน้า 3 จาก" in text and "หน้า 2 จาก 166" in text
    with django_assert_max_num_queries(20):
        assert client.get(url + "?province=จังหวัด 5").status_code == 200
    with django_assert_max_num_queries(12):
        sheet = client.get(reverse("oversight_export", args=[_office(world).pk, "ranking"]))
    book = openpyxl.load_workbook(io.BytesIO(sheet.content), read_only=True)
    below = PublishedResult.objects.filter(fiscal_year=2566, passed=False).count()
    assert below > 1000 and sum(1 for _ in book.worksheets[0].iter_rows()) == 1 + below


def test_an_office_admin_of_another_office_sees_nothing(world: World) -> None:
    other = Office.objects.create(name="สำนักงานอื่น")
    assert world.client("owner").get(reverse("oversight", args=[other.pk])).status_code == 404
    client = Client()
    assert client.get(reverse("oversight", args=[other.pk])).status_code == 302


def test_the_demo_has_an_office_with_example_agencies_named_as_such(db: Any) -> None:
    from prongsai.web.demo import DEMO_OFFICE_USERNAME, load_demo

    agency = load_demo("demo-password")
    office = Office.objects.get()
    assert list(office.agencies.all()) == [agency]
    rows = PublishedResult.objects.filter(office=office)
    # 60 invented agencies over FY2564–2567; the demo agency only with its own FY2564 result, linked to it
    assert rows.count() == 60 * 4 + 1
    assert list(rows.filter(agency=agency).values_list("fiscal_year", flat=True)) == [2564]
    assert all("ตัวอย่าง" in name for name in rows.exclude(agency=agency).values_list("agency_name", flat=True))
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username=DEMO_OFFICE_USERNAME))
    page = client.get(reverse("oversight", args=[office.pk]))
    assert page.status_code == 200 and '<span class="big">60</span> หน่วยงาน' in page.content.decode()
    client.force_login(User.objects.get(username="demo"))
    assert client.get(reverse("oversight", args=[office.pk])).status_code == 404  # the agency's admin is no member


def test_a_rating_year_shows_rating_words_not_grades(world: World) -> None:
    _import(world, _csv(FIVE))
    html = _dashboard(world)
    levels = _text(html.split("จำนวนหน่วยงานในแต่ละระดับ")[1].split("</svg>")[0])
    assert levels.split() == [
        *("ผ่านดีเยี่ยม", "0", "(0.0%)", "ผ่านดี", "1", "(20.0%)", "ผ่าน", "1", "(20.0%)"),
        *("ต้องปรับปรุง", "2", "(40.0%)", "ต้องปรับปรุงโดยด่วน", "1", "(20.0%)"),
    ]
    results = _text(html.split("ผลของทุกหน่วยงาน")[1])
    assert "90.00 ผ่านดี" in results and "85.00 ผ่าน" in results and "66.00 ต้องปรับปรุงโดยด่วน" in results
    ranked = _text(html.split('<table class="table ranked">')[1].split("</table>")[0])
    assert "74.00 ต้องปรับปรุง" in ranked
