"""The pages loaded by benchmarks/web_load.py do a fixed number of queries, whatever the number of register
items, measures and due dates, and still show the same counts and lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from prongsai.web.models import Measure, MeasureStatus, RegisterStatus

from .conftest import World


def test_dashboard_counts_and_due_lists(world: World, django_assert_max_num_queries: Any) -> None:
    today = timezone.localdate()
    month_end = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    entries = list(world.y2565.register.order_by("item_code"))
    statuses = [RegisterStatus.READY, RegisterStatus.CHECKED, RegisterStatus.READY] + [RegisterStatus.IN_PROGRESS] * 2
    for entry, status in zip(entries[:5], statuses, strict=True):
        entry.status = status
        entry.due_date = today - dt.timedelta(days=3)  # late unless checked
        entry.save()
    entries[5].due_date, entries[6].due_date = month_end, month_end + dt.timedelta(days=1)
    entries[5].save()
    entries[6].save()
    world.measure.period_end = today - dt.timedelta(days=1)
    world.measure.save()
    Measure.objects.create(
        assessment=world.y2565,
        title="ครบกำหนดเดือนนี้",
        period_start=today,
        period_end=month_end,
        status=MeasureStatus.DONE,
    )
    Measure.objects.create(assessment=world.y2565, title="กำลังทำ", period_start=today, period_end=month_end)
    for year in (world.y2564, world.y2565):  # due today, in two years: no query per measure
        title = f"ครบวันนี้ {year.fiscal_year}"
        Measure.objects.create(assessment=year, title=title, period_start=today, period_end=today)

    client = world.client("owner")
    with django_assert_max_num_queries(15):  # 14 now (the kit step: 1): a fixed number, a little room
        response = client.get(reverse("agency", args=[world.agency.pk]))
    rows = {row["assessment"].fiscal_year: row for row in response.context["rows"]}
    assert (rows[2565]["register_ready"], rows[2565]["register_total"]) == (3, len(entries))
    assert (rows[2565]["measures_done"], rows[2565]["measures"]) == (1, 4)
    assert rows[2564]["score"].total == 68.48
    assert [e.item_code for e in response.context["overdue_entries"]] == [entries[i].item_code for i in (0, 2, 3, 4)]
    assert [e.item_code for e in response.context["due_entries"]] == [entries[5].item_code]
    assert [m.title for m in response.context["overdue_measures"]] == [world.measure.title]
    assert sorted(m.title for m in response.context["due_measures"]) == ["กำลังทำ", "ครบวันนี้ 2564", "ครบวันนี้ 2565"]
    page = response.content.decode()
    assert f"/a/{world.agency.pk}/2565/plan/{world.measure.pk}/" in page and "กองคลัง" in page


def test_analysis_and_register_query_counts(world: World, django_assert_max_num_queries: Any) -> None:
    world.y2565.register.filter(item_code="O1").update(status=RegisterStatus.READY, answer="yes")
    client = world.client("owner")
    with django_assert_max_num_queries(11):  # 9 now
        analysis = client.get(reverse("analysis", args=[world.agency.pk, 2565]))
    assert analysis.status_code == 200
    with django_assert_max_num_queries(11):
        analysis = client.get(reverse("analysis", args=[world.agency.pk, 2564]))
    assert "68.48" in analysis.content.decode()
    with django_assert_max_num_queries(9):  # 7 now
        register = client.get(reverse("register", args=[world.agency.pk, 2565]))
    page = register.content.decode()
    assert reverse("register_entry", args=[world.agency.pk, 2565, "O1"]) in page
    assert page.count(f'href="/a/{world.agency.pk}/2565/register/O') >= len(world.y2565.framework.items)
    assert '<span class="pill s-ready">พร้อมส่ง</span>' in page and '<span class="ok">มี</span>' in page
    english = world.client("owner")
    english.cookies["django_language"] = "en"
    page = english.get(reverse("register", args=[world.agency.pk, 2565])).content.decode()
    assert '<span class="pill s-ready">Ready to submit</span>' in page
