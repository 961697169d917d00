"""The kit page's word on where the satisfaction report's data can come from: ``{% satisfaction_source %}``
beside the satisfaction_report dataset links to the year's satisfaction survey (or to creating one) and, once
its results may be used (services.surveys.satisfaction_report_problem: enough answers, closed, all within the
fiscal year), the button that puts them into the dataset (views.surveys.survey_satisfaction_report)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from ..models import MIN_GROUP, Survey
from ..services import kit as kit_services
from ..services.surveys import answer_period, satisfaction_report_problem

register = template.Library()


@register.inclusion_tag("prongsai/_kit_satisfaction.html", takes_context=True)
def satisfaction_source(context: template.Context) -> dict[str, Any]:
    assessment = context["assessment"]
    survey = assessment.surveys.filter(tool=Survey.Tool.SAT).first()
    today = timezone.localdate()
    out: dict[str, Any] = {
        "agency": context["agency"],
        "assessment": assessment,
        "access": context["access"],
        "csrf_token": context.get("csrf_token"),
        "survey": survey,
        "min_group": MIN_GROUP,
        "earlier": _earlier(assessment),
    }
    if survey is not None:
        out |= {
            "answers": survey.responses.count(),
            "period": answer_period(survey, today),
            "problem": satisfaction_report_problem(survey, today),
        }
    return out


def _earlier(assessment: Any) -> int | None:
    """The year whose data this year's satisfaction report is made from, when it is another year's (a report on
    the previous year) and the agency has that year: its own kit page has that year's survey and button."""
    for kind in kit_services.kinds_of("satisfaction_report"):
        source = kit_services.source_assessment(assessment, kind)
        if source is not None and source.pk != assessment.pk:
            return int(source.fiscal_year)
    return None
