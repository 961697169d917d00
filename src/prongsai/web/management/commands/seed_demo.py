"""Load the demo agency อบต.ทรงคนอง (once): ``django-admin seed_demo``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from prongsai.web.demo import DEMO_USERNAME, demo_exists, demo_password, load_demo
from prongsai.web.server import ConfigurationError


class Command(BaseCommand):
    help = "Create the demo agency อบต.ทรงคนอง with its FY2564 result, FY2565 plan and a demo login."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            self.stdout.write("demo data already present")
            return
        try:
            password = demo_password()  # production mode refuses the README's
        except ConfigurationError as exc:
            raise CommandError(str(exc)) from exc
        agency = load_demo(password)
        self.stdout.write(f"demo agency {agency.name}: login {DEMO_USERNAME} / {password}")
