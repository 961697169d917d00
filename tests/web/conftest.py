"""Shared personas for the web tests (healthchecks' habit): an agency with two units and one user per role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from prongsai.web import pagecache, services
from prongsai.web.models import (
    Agency,
    Assessment,
    Measure,
    Membership,
    Office,
    OfficeMembership,
    OfficeRole,
    Role,
    Unit,
)

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOBS_RUNNER = "inline"  # jobs run inside the request; tests of other runners say so
    # Every page a test loads twice is served from the page cache and built again: a stale page fails the test.
    settings.PAGE_CACHE = "verify"
    pagecache.watch_writes()
    cache.clear()


@dataclass
class World:
    agency: Agency
    other: Agency
    office: Unit
    finance: Unit
    y2564: Assessment
    y2565: Assessment
    measure: Measure
    users: dict[str, User]
    oversight_office: Office | None = None  # the province office: owner is its admin, oversight its viewer

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona], backend="django.contrib.auth.backends.ModelBackend")
        return client


def _user(name: str, agency: Agency | None, role: str | None, unit: Unit | None = None) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", "a-long-test-password")
    if agency is not None and role is not None:
        Membership.objects.create(user=user, agency=agency, role=role, unit=unit)
    return user


@pytest.fixture
def world(db: Any) -> World:
    agency = Agency.objects.create(name="องค์การบริหารส่วนตำบลทดสอบ", district="เมือง", province="นนทบุรี")
    other = Agency.objects.create(name="เทศบาลอื่น")
    office = Unit.objects.create(agency=agency, name="สำนักปลัด", code="office", email="office@example.org")
    finance = Unit.objects.create(agency=agency, name="กองคลัง", code="finance", email="finance@example.org")
    users = {
        "owner": _user("owner", agency, Role.ADMIN, office),
        "editor": _user("editor", agency, Role.EDITOR, finance),  # edits what กองคลัง is responsible for
        "other_unit": _user("other_unit", agency, Role.EDITOR, office),  # a member of another unit
        "viewer": _user("viewer", agency, Role.VIEWER),
        "oversight": _user("oversight", agency, Role.OVERSIGHT),
        "outsider": _user("outsider", other, Role.ADMIN),
    }
    y2564 = services.assessment_create(users["owner"], agency, 2564)
    example = EXAMPLES / "songkhanong-2564.yaml"
    services.results_import(users["owner"], y2564, SimpleUploadedFile(example.name, example.read_bytes()))
    y2564.register.filter(item_code__in=["O21", "O22", "O23", "O24"]).update(unit=finance)
    y2564.register.exclude(item_code__in=["O21", "O22", "O23", "O24"]).update(unit=office)
    y2565 = services.assessment_create(users["owner"], agency, 2565)
    measure = Measure(
        assessment=y2565,
        title="จัดทำแผนการจัดซื้อจัดจ้าง",
        method="ขั้นที่ 1\nขั้นที่ 2",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 3, 31),
        follow_up="รายงานทุกเดือน",
    )
    services.measure_save(users["owner"], measure, [finance], created=True)
    oversight_office = Office.objects.create(name="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนนทบุรี", province="นนทบุรี")
    oversight_office.agencies.add(agency)
    OfficeMembership.objects.create(user=users["owner"], office=oversight_office, role=OfficeRole.ADMIN)
    OfficeMembership.objects.create(user=users["oversight"], office=oversight_office, role=OfficeRole.VIEWER)
    return World(agency, other, office, finance, y2564, y2565, measure, users, oversight_office=oversight_office)


@pytest.fixture(scope="session", autouse=True)
def _no_stray_sessions(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The live server's thread may leave a PostgreSQL session open, which would stop the test database
    from being dropped at the end; end such sessions first."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, for the browser tests (tests/web/browsing.py)."""
    from playwright.sync_api import sync_playwright

    from .browsing import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


@pytest.fixture
def loaded_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder of loaded frameworks of the test's own (PRONGSAI_FRAMEWORKS_DIR), read afresh before and after."""
    from prongsai.frameworks import forget_sources

    folder = tmp_path / "frameworks"
    monkeypatch.setenv("PRONGSAI_FRAMEWORKS_DIR", str(folder))
    forget_sources()
    yield folder
    forget_sources()
