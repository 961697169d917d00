"""What a page says about its fiscal year, in the core's words (prongsai.report), in the page's language:
``{% provisional_line year as line %}`` (empty unless the year's framework is provisional),
``{% held_back_line result %}`` (why a rating is below the one the total reaches) and
``{{ item|coverage:year }}`` (the period an OIT item's document must cover, in words and dates)."""

from __future__ import annotations

from django import template

from prongsai import report
from prongsai.errors import FrameworkError
from prongsai.framework import Coverage, Item
from prongsai.frameworks import get_framework
from prongsai.scoring import ScoreResult

from ..i18n import language, say

register = template.Library()


@register.simple_tag
def provisional_line(fiscal_year: int | None) -> str:
    if not fiscal_year:
        return ""
    try:
        framework = get_framework(int(fiscal_year))
    except FrameworkError:
        return ""
    return report.provisional_line(say(), framework) if framework.provisional else ""


@register.simple_tag
def held_back_line(result: ScoreResult | None) -> str:
    return report.held_back_line(say(), result) if result is not None else ""


@register.filter
def coverage(item: Item, fiscal_year: int) -> str:
    """ข้อมูลของปีงบประมาณที่ประเมิน (1 ต.ค. 2563 – 30 ก.ย. 2564): prongsai.yearchange's words, never the
    framework's code (current_year), with the dates the period runs for this assessment's year."""
    from prongsai.thai import fiscal_period, half_year_period
    from prongsai.yearchange import COVERAGE_EN, COVERAGE_TH

    from .thai import be

    words = (COVERAGE_EN if language() == "en" else COVERAGE_TH)[item.coverage]
    year = int(fiscal_year)
    periods = {
        Coverage.CURRENT_YEAR: fiscal_period(year),
        Coverage.HALF_YEAR: half_year_period(year),
        Coverage.PREVIOUS_YEAR: fiscal_period(year - 1),
    }
    if item.coverage not in periods:
        return words
    first, last = periods[item.coverage]
    return f"{words} ({be(first)} – {be(last)})"
