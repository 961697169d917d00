"""Starting next year from this one carries the work (register URLs, explanations, units and the measures)
to next year's items; dates are typed and shown as วัน/เดือน/ปี พ.ศ."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from django.urls import reverse

from prongsai.frameworks import get_framework
from prongsai.rollover import item_mapping
from prongsai.web import services
from prongsai.web.models import Assessment, AuditEntry, Measure

from .conftest import World


def _rollover(w: World, year: int) -> Any:
    return w.client("owner").post(reverse("rollover", kwargs={"agency_id": w.agency.pk, "year": year}), follow=True)


def test_fy2568_rolls_over_to_fy2569_by_continues_with_the_merge(world: World) -> None:
    owner = world.users["owner"]
    y2568 = services.assessment_create(owner, world.agency, 2568)
    register = {e.item_code: e for e in y2568.register.all()}
    services.register_update(
        owner,
        register["O21"],
        {
            "urls": "https://example.org/gift\nhttps://example.org/shared",
            "explanation": "ประกาศนโยบาย",
            "unit": world.finance,
            "status": "checked",
            "answer": "yes",
        },
    )
    services.register_update(
        owner,
        register["O22"],
        {"urls": "https://example.org/shared\nhttps://example.org/gift-report", "explanation": "รายงานผล"},
    )
    services.register_update(owner, register["O27"], {"urls": "https://example.org/ita", "unit": world.office})
    measure = Measure(
        assessment=y2568,
        title="ขับเคลื่อนนโยบายไม่รับของขวัญ",
        method="ขั้นที่ 1",
        period_start=dt.date(2025, 1, 15),
        period_end=dt.date(2025, 9, 30),
        items=["O21", "O22", "O27"],
        indicators=[9],
    )
    services.measure_save(owner, measure, [world.finance], created=True)

    response = _rollover(world, 2568)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("plan", kwargs={"agency_id": world.agency.pk, "year": 2569})
    y2569 = Assessment.objects.get(agency=world.agency, fiscal_year=2569)
    o20 = y2569.register.get(item_code="O20")  # FY2568's O21 and O22, merged
    assert o20.url_list() == [
        "https://example.org/gift",
        "https://example.org/shared",
        "https://example.org/gift-report",
    ]
    assert o20.explanation == "ประกาศนโยบาย\n\nรายงานผล"
    assert (o20.unit, o20.status, o20.answer) == (world.finance, "to_check", "")
    o25 = y2569.register.get(item_code="O25")  # FY2568's O27
    assert (o25.urls, o25.unit) == ("https://example.org/ita", world.office)
    assert y2569.register.get(item_code="O21").urls == ""  # FY2569's O21 continues FY2568's O23
    copy = y2569.measures.get(title=measure.title)
    assert copy.items == ["O20", "O25"]
    assert (copy.period_start, copy.period_end) == (dt.date(2026, 1, 15), dt.date(2026, 9, 30))
    assert list(copy.units.all()) == [world.finance]
    page = response.content.decode()
    assert "เริ่มปีงบประมาณ 2569 จากแผนและทะเบียนของปี 2568 แล้ว" in page
    assert "งานใหม่" not in page  # every FY2569 item continues a FY2568 one
    # the register page of the mapped item shows last year's URL; last year is untouched
    entry_page = world.client("viewer").get(
        reverse("register_entry", kwargs={"agency_id": world.agency.pk, "year": 2569, "code": "O20"})
    )
    assert "https://example.org/gift-report" in entry_page.content.decode()
    register["O21"].refresh_from_db()
    assert (register["O21"].status, register["O21"].answer) == ("checked", "yes")


def test_items_with_no_predecessor_are_listed_as_new_work_and_proposals_to_check(world: World) -> None:
    y2567 = services.assessment_create(world.users["owner"], world.agency, 2567)
    mapping = item_mapping(y2567.framework, get_framework(2568))  # FY2568's file says no continues
    assert mapping.new_items and mapping.proposed
    response = _rollover(world, 2567)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and Assessment.objects.filter(fiscal_year=2568).exists()
    assert "ข้อที่เป็นงานใหม่ของปี 2568" in page
    for code in mapping.new_items:
        assert f"{code} {get_framework(2568).item(code).title_th}" in page
    assert "ระบบจึงจับคู่ให้จากความคล้าย" in page
    code, before = next(iter(mapping.proposed.items()))
    assert f"(จากข้อ {' และ '.join(before)} ของปี 2567)" in page


def test_a_year_without_a_framework_says_so_in_thai_and_changes_nothing(world: World) -> None:
    services.assessment_create(world.users["owner"], world.agency, 2570)  # provisional, from FY2569
    assessments, audits = Assessment.objects.count(), AuditEntry.objects.count()
    response = _rollover(world, 2570)
    assert response.status_code == 200  # back on FY2570's plan, never a server error
    assert response.redirect_chain[-1][0] == reverse("plan", kwargs={"agency_id": world.agency.pk, "year": 2570})
    page = response.content.decode()
    assert "ยังไม่มีกรอบการประเมินของปีงบประมาณ 2571" in page
    assert "prongsai frameworks add" in page and "หน้าเพิ่มกรอบการประเมิน" in page
    assert (Assessment.objects.count(), AuditEntry.objects.count()) == (assessments, audits)
    assert not Assessment.objects.filter(fiscal_year=2571).exists()


def test_a_second_rollover_of_the_same_year_is_refused_in_thai(world: World) -> None:
    assert _rollover(world, 2565).status_code == 200
    response = _rollover(world, 2565)
    assert "มีการประเมินของปีงบประมาณ 2566 อยู่แล้ว" in response.content.decode()
    assert Assessment.objects.filter(fiscal_year=2566).count() == 1


# --- dates in B.E. -----------------------------------------------------------------------------


def _measure_url(w: World) -> str:
    return reverse("measure", kwargs={"agency_id": w.agency.pk, "year": 2565, "measure_id": w.measure.pk})


def _measure_data(w: World, **changes: Any) -> dict[str, Any]:
    return {
        "title": "มาตรการ",
        "method": "ขั้นที่ 1",
        "period_start": "01/01/2565",
        "period_end": "31/03/2565",
        "follow_up": "",
        "status": "planned",
        "units": [w.finance.pk],
        **changes,
    }


def test_a_measure_period_is_typed_in_be_with_thai_digits_too(world: World) -> None:
    response = world.client("editor").post(
        _measure_url(world), _measure_data(world, period_start="๑๕/๐๑/๒๕๖๕", period_end="30/09/2565")
    )
    assert response.status_code == 302
    world.measure.refresh_from_db()
    assert (world.measure.period_start, world.measure.period_end) == (dt.date(2022, 1, 15), dt.date(2022, 9, 30))
    page = world.client("editor").get(_measure_url(world)).content.decode()
    assert 'value="15/01/2565"' in page and 'value="30/09/2565"' in page
    assert "2022-01-15" not in page  # the history shows the change in B.E. too
    assert "15 ม.ค. 2565" in page


def test_a_measure_outside_its_fiscal_year_is_refused_naming_field_and_range(world: World) -> None:
    response = world.client("editor").post(_measure_url(world), _measure_data(world, period_end="01/10/2565"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "ช่อง “สิ้นสุด” ต้องเป็นวันในปีงบประมาณ 2565 คือตั้งแต่ 01/10/2564 ถึง 30/09/2565" in page
    assert 'value="01/10/2565"' in page  # what was typed is kept
    response = world.client("editor").post(_measure_url(world), _measure_data(world, period_start="30/09/2564"))
    assert response.status_code == 400 and "ช่อง “เริ่ม”" in response.content.decode()
    world.measure.refresh_from_db()
    assert world.measure.period_start == dt.date(2022, 1, 1)  # nothing saved


def test_a_ce_year_is_refused_never_read_as_be(world: World) -> None:
    response = world.client("editor").post(_measure_url(world), _measure_data(world, period_start="15/01/2022"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "ปี 2022 เป็นปีคริสต์ศักราช" in page and "พ.ศ. 2565" in page


def test_register_due_date_and_measure_update_date_in_be(world: World) -> None:
    url = reverse("register_entry", kwargs={"agency_id": world.agency.pk, "year": 2564, "code": "O22"})
    data = {"answer": "yes", "urls": "", "explanation": "", "unit": world.finance.pk, "status": "ready"}
    assert world.client("editor").post(url, {**data, "due_date": "31/03/2564", "reviewer_note": ""}).status_code == 302
    entry = world.y2564.register.get(item_code="O22")
    assert entry.due_date == dt.date(2021, 3, 31)
    assert 'name="due_date" value="31/03/2564"' in world.client("editor").get(url).content.decode()
    response = world.client("editor").post(url, {**data, "due_date": "31/02/2564", "reviewer_note": ""})
    assert response.status_code == 400 and "เดือนกุมภาพันธ์ 2564 มี 28 วัน" in response.content.decode()

    update_url = reverse(
        "measure_update", kwargs={"agency_id": world.agency.pk, "year": 2565, "measure_id": world.measure.pk}
    )
    response = world.client("editor").post(update_url, {"date": "๐๑/๐๒/๒๕๖๕", "text": "ประชุมแล้ว", "progress": "40"})
    assert response.status_code == 302
    assert world.measure.updates.get().date == dt.date(2022, 2, 1)


def test_a_survey_closing_date_is_typed_in_be(world: World) -> None:
    url = reverse("surveys", kwargs={"agency_id": world.agency.pk, "year": 2565})
    data = {"tool": "IIT", "population": "30", "closes": "30/09/2565"}
    response = world.client("owner").post(url, {**data, "closes": "30/09/2022"})
    assert response.status_code != 302 and "พ.ศ. 2565" in response.content.decode()
    assert world.client("owner").post(url, data).status_code == 302
    assert world.y2565.surveys.get(tool="IIT").closes == dt.date(2022, 9, 30)
