"""Surveys a respondent understands: every sub-item worded on the answer form (each year's framework), results
with the indicators' names, and the answers export that `prongsai survey` reads back to the same scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse

from prongsai.cli import main
from prongsai.frameworks import available_years, get_framework
from prongsai.web.models import Survey

from ..conftest import World
from ..test_surveys import GOOD, answers_for, submit


@pytest.mark.parametrize("year", available_years())
def test_every_sub_item_of_every_year_is_worded(year: int) -> None:
    for question in get_framework(year).questions:
        labels = question.sub_item_labels()
        assert len(labels) == question.sub_items
        if question.sub_items > 1:
            assert all(label and "ข้อย่อยที่" not in label for label in labels), question.code
            assert len(set(labels)) == len(labels), question.code
            # not the questionnaire's own wording: the data says so
            assert not question.is_verified("sub_items_th"), question.code


def test_the_answer_form_shows_what_each_sub_item_asks(world: World) -> None:
    survey = Survey.objects.create(assessment=world.y2565, tool="IIT", population=40)
    page = Client().get(reverse("survey_answer", args=[survey.slug])).content.decode()
    assert "ข้อย่อยที่" not in page
    assert "ปฏิบัติงานหรือให้บริการตามระยะเวลาที่กำหนด" in page  # i1, its second sub-item
    assert "ผู้ร้องเรียนปลอดภัย" in page  # i30, its fourth


def test_results_name_their_indicators(world: World) -> None:
    survey = Survey.objects.create(assessment=world.y2565, tool="EIT", population=200)
    for _ in range(5):
        submit(survey, answers_for(survey, "3", GOOD))
    page = world.client("viewer").get(reverse("survey_detail", args=[world.agency.pk, 2565, "EIT"])).content.decode()
    for indicator in world.y2565.framework.indicators[5:8]:
        assert f"{indicator.number}. {indicator.name_th}" in page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_answers_export_is_read_by_prongsai_survey(world: World, tmp_path: Path, fmt: str) -> None:
    survey = Survey.objects.create(assessment=world.y2565, tool="EIT", population=200)
    for k in range(10):  # two batches of five, mixed answers, yes/no ones both ways
        answers = answers_for(survey, "34"[k % 2], {"e4": "12"[k % 2], "e8": "1", "e10": "21"[k % 3 == 0]})
        submit(survey, answers, REMOTE_ADDR=f"203.0.113.{k + 1}")
    export = world.client("owner").get(reverse("survey_export", args=[world.agency.pk, 2565, "EIT", fmt]))
    assert export.status_code == 200
    path = tmp_path / f"answers.{fmt}"
    path.write_bytes(export.content)
    run = CliRunner().invoke(main, ["survey", str(path), "--year", "2565", "--json"])
    assert run.exit_code == 0, run.output
    read = json.loads(run.output)["groups"][0]
    page_scores = {str(n): s for n, s in survey_scores(survey).items()}
    assert read["respondents"] == 10 and read["indicators"] == page_scores


def survey_scores(survey: Survey) -> dict[int, float]:
    from prongsai.web.services.surveys import survey_result

    scores = survey_result(survey).scores
    assert scores is not None
    return scores
