"""The page cache (prongsai/web/pagecache.py): a page is served again only while the database is unchanged.

Every web test runs with PRONGSAI_PAGE_CACHE=verify (conftest), so any page a test loads twice is also built
again and compared; these tests check the parts themselves: which statements make pages stale, that a hit
skips the work, that each kind of write is seen, the CSRF token, messages, users, and a cache that is down.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prongsai.web import pagecache
from prongsai.web.models import Agency, IndicatorResult, RegisterEntry, RegisterStatus

from .conftest import World

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


def _status_of_o1(page: str) -> str:
    """The status shown in the register page's row of item O1."""
    found = re.search(r'/">O1</a></td>.*?<span class="pill s-(\w+)">', page, re.DOTALL)
    assert found, "no row for O1"
    return found.group(1)


@pytest.fixture
def on(settings: Any) -> None:
    """The production mode: a hit is served without building the page."""
    settings.PAGE_CACHE = "on"


def _pages(world: World) -> dict[str, str]:
    agency, year = world.agency.pk, world.y2565.fiscal_year
    return {
        "agency": reverse("agency", args=[agency]),
        "analysis": reverse("analysis", args=[agency, world.y2564.fiscal_year]),
        "register": reverse("register", args=[agency, year]),
        "oversight": reverse("oversight", args=[world.oversight_office.pk]) if world.oversight_office else "",
    }


@pytest.mark.parametrize(
    ("sql", "stale"),
    [
        ('SELECT "prongsai_agency"."id" FROM "prongsai_agency"', False),
        ("  select 1", False),
        ('SAVEPOINT "s1_x1"', False),
        ('RELEASE SAVEPOINT "s1_x1"', False),
        ('ROLLBACK TO SAVEPOINT "s1_x1"', False),
        ("PRAGMA foreign_keys = ON", False),
        ("SET TIME ZONE 'UTC'", False),
        ('INSERT INTO "prongsai_agency" ("name") VALUES (%s)', True),
        ('UPDATE "prongsai_registerentry" SET "status" = %s', True),
        ('DELETE FROM "prongsai_measure" WHERE "id" = %s', True),
        ("update prongsai_checkrun set done = 3", True),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "axes_accesslog" ("username") VALUES (%s)', False),
        ('UPDATE "prongsai_job" SET "heartbeat" = %s', False),
        ('UPDATE "prongsai_jobx" SET "a" = 1', True),  # only the exact tables are unshown
        ('CREATE TABLE "x" ("id" integer)', True),
        ('TRUNCATE "prongsai_agency"', True),
        ('WITH t AS (SELECT 1) UPDATE "prongsai_agency" SET "name" = %s', True),
    ],
)
def test_which_statements_make_pages_stale(sql: str, stale: bool) -> None:
    assert pagecache.changes_pages(sql) is stale


def test_a_hit_skips_the_work_and_is_the_same_page(world: World, on: None) -> None:
    client = world.client("owner")
    for name, path in _pages(world).items():
        first = client.get(path)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(path)
        assert second.status_code == 200, name
        # the session and the user only (tests keep sessions in the database)
        assert len(queries) <= 2, (name, [q["sql"] for q in queries])
        assert TOKEN.sub("", first.content.decode()) == TOKEN.sub("", second.content.decode()), name


def test_every_kind_of_write_is_seen(world: World, on: None) -> None:
    client = world.client("owner")
    path = _pages(world)["register"]
    entry = world.y2565.register.get(item_code="O1")

    def shown() -> str:
        return client.get(path).content.decode()

    assert "กองคลัง</td>" not in shown()
    entry.unit = world.finance
    entry.save()  # the ORM's save()
    assert "กองคลัง</td>" in shown()
    RegisterEntry.objects.filter(pk=entry.pk).update(status=RegisterStatus.CHECKED, unit=None)  # .update()
    page = shown()
    assert "กองคลัง</td>" not in page and _status_of_o1(page) == RegisterStatus.CHECKED
    with connection.cursor() as cursor:  # raw SQL
        cursor.execute("UPDATE prongsai_agency SET name = %s WHERE id = %s", ["อบต.เขียนตรง", world.agency.pk])
    assert "อบต.เขียนตรง" in shown()
    analysis = _pages(world)["analysis"]
    before = client.get(analysis).content.decode()
    world.y2564.results.all().delete()  # a bulk delete
    IndicatorResult.objects.bulk_create(  # and bulk_create
        IndicatorResult(assessment=world.y2564, number=n, score=100) for n in range(1, 11)
    )
    after = client.get(analysis).content.decode()
    assert after != before and "100.00" in after


def test_verify_mode_finds_a_write_that_was_not_watched(world: World) -> None:
    """The safety net of the whole test suite can fail: a write behind the watcher's back is a stale page."""
    client = world.client("owner")
    path = _pages(world)["register"]
    client.get(path)
    connection.execute_wrappers.remove(pagecache._watch)
    try:
        RegisterEntry.objects.filter(assessment=world.y2565, item_code="O1").update(status=RegisterStatus.CHECKED)
    finally:
        connection.execute_wrappers.append(pagecache._watch)
    with pytest.raises(pagecache.StalePage, match="differs from the page built now"):
        client.get(path)


@pytest.mark.django_db(transaction=True)
def test_a_transaction_marks_pages_stale_at_each_write_and_at_commit() -> None:
    pagecache.watch_writes()
    before = pagecache.generation()
    with transaction.atomic():
        Agency.objects.create(name="ก")
        Agency.objects.create(name="ข")
        during = pagecache.generation()
        assert during == before + 2  # the same connection reads its own writes at once
    assert pagecache.generation() == during + 1  # the others, from the commit on: once per transaction
    with transaction.atomic():
        Agency.objects.create(name="ค")
        transaction.set_rollback(True)
    after_rollback = pagecache.generation()
    Agency.objects.create(name="ง")  # autocommit: the write is its own commit
    assert pagecache.generation() == after_rollback + 1


def test_the_csrf_token_of_a_cached_page_is_the_readers_own(world: World, on: None) -> None:
    path = _pages(world)["register"]
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for browser in browsers:  # one user in two browsers: two CSRF secrets, the second page from the cache
        browser.force_login(world.users["owner"], backend="django.contrib.auth.backends.ModelBackend")
        tokens.append(TOKEN.findall(browser.get(path).content.decode()))
    assert tokens[0] and tokens[1] and set(tokens[0]).isdisjoint(tokens[1])
    for browser, found in zip(browsers, tokens, strict=True):
        answer = browser.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": found[0]})
        assert answer.status_code == 302  # 403 had the token been the other browser's
    stranger = browsers[1].post("/i18n/setlang/", {"language": "th", "next": "/", "csrfmiddlewaretoken": "x" * 64})
    assert stranger.status_code == 403


def test_a_page_with_messages_is_built_and_shows_them(world: World, on: None) -> None:
    client = world.client("owner")
    path = _pages(world)["register"]
    client.get(path)
    storage = CookieStorage(RequestFactory().get(path))  # a message waiting, as after a form: no write with it
    client.cookies[storage.cookie_name] = storage._encode([Message(constants.SUCCESS, "ข้อความทดสอบ")])
    assert "ข้อความทดสอบ" in client.get(path).content.decode()
    assert "ข้อความทดสอบ" not in client.get(path).content.decode()  # shown once, then the cached page again


def test_each_user_sees_their_own_page(world: World, on: None) -> None:
    path = _pages(world)["register"]
    owner = world.client("owner").get(path).content.decode()
    viewer = world.client("viewer").get(path).content.decode()
    assert "ตรวจเว็บไซต์</button>" in owner
    assert "ตรวจเว็บไซต์</button>" not in viewer  # a viewer cannot start a check, nor get the owner's page
    assert world.client("outsider").get(path).status_code == 404


def test_cached_pages_read_no_unshown_table(world: World) -> None:
    """Writes to UNSHOWN_TABLES leave the cached pages as they are: the pages must not show those tables."""
    client = world.client("owner")
    for name, path in _pages(world).items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        view_queries = [q["sql"] for q in queries if "django_session" not in q["sql"]]
        for table in pagecache.UNSHOWN_TABLES - {"django_session"}:
            assert not [q for q in view_queries if f'"{table}"' in q], (name, table)


@pytest.fixture
def cache_down(settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }


def test_a_cache_that_is_down_stops_neither_pages_nor_writes(world: World, on: None, cache_down: None) -> None:
    client = world.client("owner")
    path = _pages(world)["register"]
    assert _status_of_o1(client.get(path).content.decode()) != RegisterStatus.CHECKED
    RegisterEntry.objects.filter(assessment=world.y2565, item_code="O1").update(status=RegisterStatus.CHECKED)
    assert _status_of_o1(client.get(path).content.decode()) == RegisterStatus.CHECKED


def test_an_unchanged_page_is_built_the_same_twice(world: World) -> None:
    """Verify mode (every web test's) needs pages that are a function of the data: no random ids in charts."""
    client = world.client("owner")
    for name, path in _pages(world).items():
        first = client.get(path)
        second = client.get(path)  # verify mode: built again and compared with the kept page
        assert first.status_code == second.status_code == 200, name


def test_a_lost_generation_brings_back_no_old_page(world: World, on: None) -> None:
    """Should Redis evict the generation, the number it starts again from is not one an old page was kept at."""
    client = world.client("owner")
    path = _pages(world)["register"]
    cache.delete(pagecache.GENERATION_KEY)
    kept = client.get(path).content.decode()  # kept at the generation this reader started
    assert _status_of_o1(kept) != RegisterStatus.CHECKED
    connection.execute_wrappers.remove(pagecache._watch)  # a change, and the generation lost with it
    try:
        RegisterEntry.objects.filter(assessment=world.y2565, item_code="O1").update(status=RegisterStatus.CHECKED)
    finally:
        connection.execute_wrappers.append(pagecache._watch)
    cache.delete(pagecache.GENERATION_KEY)
    assert _status_of_o1(client.get(path).content.decode()) == RegisterStatus.CHECKED


def test_a_loaded_framework_file_makes_pages_stale(world: World, on: None, tmp_path: Any, monkeypatch: Any) -> None:
    """Loading a year's file writes no row, yet every page of that year must show the new framework: the
    provisional banner of FY2570 goes once the real file is loaded."""
    from prongsai.frameworks import add_framework
    from prongsai.web.services import assessment_create

    from .yearfiles import fy2570_text

    monkeypatch.setenv("PRONGSAI_FRAMEWORKS_DIR", str(tmp_path))
    assessment_create(None, world.agency, 2570)
    client = world.client("owner")
    path = reverse("register", args=[world.agency.pk, 2570])
    assert "กรอบชั่วคราว" in client.get(path).content.decode()
    assert "กรอบชั่วคราว" in client.get(path).content.decode()  # now served from the cache
    add_framework(fy2570_text(), source="fy2570.yaml")
    assert "กรอบชั่วคราว" not in client.get(path).content.decode()
