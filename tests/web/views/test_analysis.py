"""The analysis page."""

from __future__ import annotations

from django.urls import reverse

from ..conftest import World


def test_the_analysis_shows_last_year_beside_this_year(world: World) -> None:
    from prongsai.web import services

    y2563 = services.assessment_create(world.users["owner"], world.agency, 2563)
    services.results_set(world.users["owner"], y2563, dict.fromkeys(range(1, 11), 60.0))
    page = world.client("viewer").get(reverse("analysis", kwargs={"agency_id": world.agency.pk, "year": 2564}))
    text = page.content.decode()
    assert "เทียบกับปีงบประมาณ 2563" in text and "60.00" in text and "8.48" in text  # 68.48 − 60.00
    wide = text.split('<svg class="wide"', 1)[1].split("</svg>", 1)[0]  # the desktop chart; the phone's repeats it
    assert wide.count('class="prev"') == 10  # last year's bar under each of this year's
    assert text.count('class="prev"') == 10 * text.count("<svg class=")
