"""Template filters over prongsai.thai: Buddhist-era dates in Thai, the way offices write them.

``{{ day|be }}`` → 10 ก.พ. 2565, ``{{ day|be:"long" }}`` → 10 กุมภาพันธ์ 2565, ``{{ day|be:"month" }}`` → ก.พ. 65.
In English the same filters print ordinary dates.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as django_format

from prongsai.thai import thai_date

from ..i18n import core_message, language

register = template.Library()
ENGLISH = {"long": "j F Y", "short": "j M Y", "month": "M y", "time": "j M Y H:i"}


@register.filter
def be(value: dt.date | dt.datetime | None, style: str = "short") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if language() == "en":
        return django_format(value, ENGLISH.get(style, ENGLISH["short"]))
    return thai_date(value, thai_digits=False, style=style)


@register.filter
def in_language(message: str | None) -> str:
    """A stored core message ("ไทย (English)", a failed job's or check's) in the page's language only."""
    return core_message(message) if message else ""
