"""The change history in Thai: field labels, choice labels and B.E. dates, never raw names or CE dates."""

from __future__ import annotations

from django.urls import reverse

from prongsai.web import services

from ..conftest import World


def test_a_measures_history_reads_in_thai(world: World) -> None:
    import datetime as dt

    services.measure_update_add(
        world.users["editor"], world.measure, date=dt.date(2022, 2, 1), text="ประชุม", progress=40
    )
    url = reverse("measure", kwargs={"agency_id": world.agency.pk, "year": 2565, "measure_id": world.measure.pk})
    page = world.client("viewer").get(url).content.decode()
    history = page[page.index("ประวัติการแก้ไข") :]
    assert "<b>สถานะ</b>: ยังไม่เริ่ม → กำลังดำเนินการ" in history
    assert "<b>ความคืบหน้า (%)</b>: 0 → 40" in history
    assert "<b>เริ่ม</b>: – → 1 ม.ค. 2565" in history
    assert "<b>ผู้รับผิดชอบ</b>: – → กองคลัง" in history
    for internal in ("status", "in_progress", "planned", "period_start", "2022-01-01", "[&#x27;"):
        assert internal not in history, internal


def test_a_register_entrys_history_reads_in_thai(world: World) -> None:
    import datetime as dt

    entry = world.y2564.register.get(item_code="O22")
    services.register_update(world.users["owner"], entry, {"status": "ready", "due_date": dt.date(2025, 1, 1)})
    url = reverse("register_entry", kwargs={"agency_id": world.agency.pk, "year": 2564, "code": "O22"})
    history = world.client("owner").get(url).content.decode().split("ประวัติการแก้ไข", 1)[1]
    assert "<b>กำหนดเสร็จ</b>: – → 1 ม.ค. 2568" in history and "พร้อมส่ง" in history
    assert "2025-01-01" not in history and "due_date" not in history and "ready" not in history


def test_results_history_names_the_indicators(world: World) -> None:
    page = world.client("owner").get(reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564}))
    history = page.content.decode().split("ประวัติการแก้ไข", 1)[1]
    assert "ตัวชี้วัดที่ 1" in history and "<b>1</b>" not in history


def test_the_period_an_item_covers_is_in_words(world: World) -> None:
    url = reverse("register_entry", kwargs={"agency_id": world.agency.pk, "year": 2564, "code": "O1"})
    page = world.client("viewer").get(url).content.decode()
    assert "ข้อมูลที่เป็นปัจจุบัน" in page or "ข้อมูลของปีงบประมาณ" in page
    for code in ("standing", "current_year", "previous_year", "half_year"):
        assert code not in page
