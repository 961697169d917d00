"""What a page says about its fiscal year, in the core's words (prongsai.report), in the page's language:
``{% provisional_line year as line %}`` (empty unless the year's framework is provisional) and
``{% held_back_line result %}`` (why a rating is below the one the total reaches)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from prongsai import report
from prongsai.errors import FrameworkError
from prongsai.frameworks import get_framework
from prongsai.scoring import ScoreResult

register = template.Library()


def _say() -> report.Say:
    return report.Say("en" if (get_language() or "th").startswith("en") else "th")


@register.simple_tag
def provisional_line(fiscal_year: int | None) -> str:
    if not fiscal_year:
        return ""
    try:
        framework = get_framework(int(fiscal_year))
    except FrameworkError:
        return ""
    return report.provisional_line(_say(), framework) if framework.provisional else ""


@register.simple_tag
def held_back_line(result: ScoreResult | None) -> str:
    return report.held_back_line(_say(), result) if result is not None else ""
