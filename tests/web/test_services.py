"""The services behind the pages: drafting, imports, rollover, history and reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from prongsai.web import services
from prongsai.web.demo import load_demo
from prongsai.web.models import AreaAssignment, Assessment, AuditEntry, Measure, Recommendation, ReminderSent
from prongsai.web.services.reminders import send_reminders

from .conftest import World


def test_drafting_the_seed_plan_adds_no_duplicate_of_its_measures(db: object) -> None:
    agency = load_demo("x-demo-password")
    plan = Assessment.objects.get(agency=agency, fiscal_year=2565)
    recommendations, added = services.plan_draft(None, plan)
    titles = list(plan.measures.values_list("title", flat=True))
    assert recommendations >= 10 and added > 0
    assert len(titles) == len(set(titles)) == 3 + added
    assert not plan.measures.filter(rule_code="guidelines").exclude(title__startswith="กำหนดแนวทาง มาตรการ").exists()
    services.plan_draft(None, plan)
    assert plan.measures.count() == 3 + added  # drafting twice adds nothing: the first draft is replaced


def test_drafting_needs_last_years_result(world: World) -> None:
    later = services.assessment_create(world.users["owner"], world.agency, 2567)
    with pytest.raises(ValidationError, match="2566"):
        services.plan_draft(world.users["owner"], later)


def test_the_agencys_unit_choice_survives_the_next_draft(world: World) -> None:
    services.plan_draft(world.users["owner"], world.y2565)
    procurement = next(r for r in Recommendation.objects.filter(assessment=world.y2565) if "O22" in r.items)
    services.recommendation_assign(world.users["owner"], procurement, world.office)
    assert AreaAssignment.objects.get(agency=world.agency, area_code=procurement.area_code).unit == world.office
    services.plan_draft(world.users["owner"], world.y2565)
    redrafted = Recommendation.objects.get(assessment=world.y2565, area_code=procurement.area_code)
    assert redrafted.unit == world.office


def test_a_bad_import_changes_nothing(world: World) -> None:
    before = world.y2564.scores()
    bad = SimpleUploadedFile(
        "r.csv", ("indicator,score\n" + "".join(f"{n},90\n" for n in range(1, 10)) + "10,120\n").encode()
    )
    with pytest.raises(ValidationError) as caught:
        services.results_import(world.users["owner"], world.y2564, bad)
    assert "แถว 11" in caught.value.message and "score" in caught.value.message
    assert world.y2564.scores() == before


def test_the_register_gives_indicators_9_and_10(world: World) -> None:
    scores = services.results_from_register(world.users["owner"], world.y2564)
    assert (scores[9], scores[10]) == (48.46, 31.25)


def test_every_change_is_recorded_with_before_and_after(world: World) -> None:
    entry = world.y2564.register.get(item_code="O22")
    services.register_update(world.users["editor"], entry, {"status": "ready", "urls": "https://example.org/p"})
    change = AuditEntry.objects.filter(model="registerentry", object_id=str(entry.pk)).first()
    assert change is not None and change.user == world.users["editor"]
    assert change.changes["status"] == ["todo", "ready"]
    assert change.changes["urls"] == ["", "https://example.org/p"]


def test_rollover_keeps_history_and_resets_statuses(world: World) -> None:
    entry = world.y2565.register.get(item_code="O1")
    services.register_update(
        world.users["owner"],
        entry,
        {"status": "checked", "answer": "yes", "urls": "https://example.org/o1", "unit": world.office},
    )
    services.measure_update_add(
        world.users["owner"], world.measure, date=dt.date(2022, 2, 1), text="ทำแล้ว", progress=100
    )
    nxt = services.assessment_rollover(world.users["owner"], world.y2565).assessment
    assert nxt.fiscal_year == 2566
    copied = nxt.measures.get(title=world.measure.title)
    assert (copied.status, copied.progress, copied.period_start) == ("planned", 0, dt.date(2023, 1, 1))
    o1 = nxt.register.get(item_code="O1")
    assert (o1.status, o1.answer, o1.urls, o1.unit) == ("to_check", "", "https://example.org/o1", world.office)
    world.measure.refresh_from_db()
    assert world.measure.progress == 100 and world.measure.updates.count() == 1  # this year untouched
    with pytest.raises(ValidationError):
        services.assessment_rollover(world.users["owner"], world.y2565)


def test_reminders_reach_the_responsible_unit_once(world: World) -> None:
    Measure.objects.filter(pk=world.measure.pk).update(period_end=dt.date(2026, 12, 1))
    assert send_reminders(dt.date(2026, 11, 24), days=14) == 1
    assert mail.outbox[0].to == ["finance@example.org"]
    assert world.measure.title in mail.outbox[0].body
    assert send_reminders(dt.date(2026, 11, 25), days=14) == 0  # not twice for the same due date
    assert ReminderSent.objects.count() == 1


def test_reminders_skip_what_is_done(world: World) -> None:
    Measure.objects.filter(pk=world.measure.pk).update(period_end=dt.date(2026, 12, 1), status="done")
    assert send_reminders(dt.date(2026, 11, 24), days=14) == 0
