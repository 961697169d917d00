"""Send the reminder e-mails; run it once a day (cron, systemd timer): ``django-admin send_reminders``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from prongsai.web.services.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail each responsible unit what falls due within PRONGSAI_REMINDER_DAYS days or is overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None, help="Override PRONGSAI_REMINDER_DAYS.")

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_reminders(timezone.localdate(), options["days"])
        self.stdout.write(f"sent {count} reminder e-mail(s)")
