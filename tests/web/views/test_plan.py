"""The plan: a measure, its dates, a recommendation unit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ..conftest import World


def _measure_data(w: World, **changes: Any) -> dict[str, Any]:
    return {
        "title": "มาตรการ",
        "method": "ขั้นที่ 1",
        "period_start": "01/01/2565",
        "period_end": "31/03/2565",
        "follow_up": "",
        "status": "planned",
        "units": [w.finance.pk],
        "indicators": ["9", "10"],
        "items": "o42, O43",
        **changes,
    }


def test_a_measure_links_indicators_and_items(world: World) -> None:
    url = reverse("measure", kwargs={"agency_id": world.agency.pk, "year": 2565, "measure_id": world.measure.pk})
    assert world.client("editor").post(url, _measure_data(world)).status_code == 302
    world.measure.refresh_from_db()
    assert (world.measure.indicators, world.measure.items) == ([9, 10], ["O42", "O43"])
    response = world.client("editor").post(url, _measure_data(world, items="O42, O99"))
    assert response.status_code == 400 and "O99" in response.content.decode()


def test_changing_a_units_area_updates_in_place_with_htmx(world: World) -> None:
    from prongsai.web.models import Recommendation

    rec = Recommendation.objects.create(
        assessment=world.y2565, area_code="procurement", area_th="การจัดซื้อจัดจ้าง", text="ข้อเสนอแนะ", unit=world.office
    )
    url = reverse("recommendation_unit", kwargs={"agency_id": world.agency.pk, "year": 2565, "rec_id": rec.pk})
    response = world.client("owner").post(url, {"unit": world.finance.pk}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith(f'<li id="rec-{rec.pk}"')
    assert "<html" not in page  # a fragment, not a page
    rec.refresh_from_db()
    assert rec.unit == world.finance


def test_date_inputs_show_the_saved_dates(world: World) -> None:
    url = reverse("measure", kwargs={"agency_id": world.agency.pk, "year": 2565, "measure_id": world.measure.pk})
    page = world.client("editor").get(url).content.decode()
    assert 'name="period_start" value="01/01/2565"' in page  # วัน/เดือน/ปี พ.ศ., never the ค.ศ. ISO date
    assert 'name="period_end" value="31/03/2565"' in page
