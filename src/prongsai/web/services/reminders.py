"""Reminders by e-mail to the responsible unit before a measure or a register item falls due."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from ..models import Measure, MeasureStatus, RegisterEntry, RegisterStatus, ReminderSent, Unit


@dataclass(frozen=True)
class Due:
    kind: str
    object_id: int
    due_date: dt.date
    line: str


def _due_items(today: dt.date, days: int) -> dict[Unit, list[Due]]:
    horizon = today + dt.timedelta(days=days)
    by_unit: dict[Unit, list[Due]] = defaultdict(list)
    measures = (
        Measure.objects.filter(period_end__lte=horizon)
        .exclude(status__in=[MeasureStatus.DONE, MeasureStatus.CANCELLED])
        .select_related("assessment__agency")
        .prefetch_related("units")
    )
    for m in measures:
        for unit in m.units.all():
            by_unit[unit].append(
                Due(
                    "measure",
                    m.pk,
                    m.period_end,
                    f"มาตรการ: {m.title} (ครบกำหนด {m.period_end:%d/%m/%Y}, ความคืบหน้า {m.progress}%)",
                )
            )
    entries = (
        RegisterEntry.objects.filter(due_date__lte=horizon, unit__isnull=False)
        .exclude(status=RegisterStatus.CHECKED)
        .select_related("unit", "assessment")
    )
    for e in entries:
        assert e.unit is not None and e.due_date is not None
        by_unit[e.unit].append(
            Due("register", e.pk, e.due_date, f"ข้อ {e.item_code} {e.item.title_th} (ครบกำหนด {e.due_date:%d/%m/%Y})")
        )
    return by_unit


def send_reminders(today: dt.date, days: int | None = None) -> int:
    """Send each unit one e-mail listing what falls due within ``days`` (or is overdue) and has not
    been reminded for that due date yet. Returns the number of e-mails sent."""
    sent = 0
    for unit, items in _due_items(today, settings.REMINDER_DAYS if days is None else days).items():
        fresh = [
            d
            for d in items
            if not ReminderSent.objects.filter(kind=d.kind, object_id=d.object_id, due_date=d.due_date).exists()
        ]
        if not unit.email or not fresh:
            continue
        with transaction.atomic():
            for d in fresh:
                ReminderSent.objects.create(kind=d.kind, object_id=d.object_id, due_date=d.due_date, unit=unit)
            body = "\n".join(
                [
                    "เรียน " + unit.name,
                    "",
                    "รายการที่ใกล้ครบกำหนดหรือเลยกำหนด:",
                    "",
                    *[f"- {d.line}" for d in sorted(fresh, key=lambda d: d.due_date)],
                    "",
                    f"ดูรายละเอียดที่ {settings.SITE_URL}/a/{unit.agency_id}/followup/",
                ]
            )
            send_mail(
                f"[โปร่งใส] แจ้งเตือน {len(fresh)} รายการของ{unit.name}", body, settings.DEFAULT_FROM_EMAIL, [unit.email]
            )
        sent += 1
    return sent
