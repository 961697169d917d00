"""Survey anonymity against whoever runs the server (issue 16, docs/security.md "Survey anonymity"): the stored
answers cannot be put back in the order they came (rowid, ctid, xmin, key, timestamps) on SQLite and on
PostgreSQL (the web tests run on both), an answer waiting for its batch survives a killed process, no log line
names a survey request, raw answers go only to admins and only from MIN_GROUP answers, and the counters of the
rate limit hold nothing that leads back to an address."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from prongsai.survey import MIN_GROUP, layout_for
from prongsai.web.models import Survey, SurveyPool, SurveyResponse, SurveyToken
from prongsai.web.services import surveys as service

from ._deploy import ROOT, environment, free_port, python, unavailable, wait_for_port
from .conftest import World

ARRIVALS = 30  # answers per sequence: far more than a batch, so several batches are written and rewritten


@pytest.fixture
def eit(world: World) -> Survey:
    return Survey.objects.create(assessment=world.y2565, tool="EIT", population=200)


def numbered_answer(survey: Survey, number: int) -> dict[str, str]:
    """A complete, valid answer that says which one it is: ``number`` in base 4 over the first scale items."""
    layout = layout_for(survey.assessment.framework, survey.tool)
    scale = [c for c, kind in zip(layout.columns, layout.answer_types, strict=True) if kind == "scale4"]
    data = {c: ("1" if kind == "scale4" else "2") for c, kind in zip(layout.columns, layout.answer_types, strict=True)}
    for place, column in enumerate(scale[:4]):
        data[column] = str((number >> (2 * place)) % 4 + 1)
    return data


def answer_number(survey: Survey, stored: dict[str, Any]) -> int:
    layout = layout_for(survey.assessment.framework, survey.tool)
    scale = [c for c, kind in zip(layout.columns, layout.answer_types, strict=True) if kind == "scale4"]
    return sum((int(stored[c]) - 1) << (2 * place) for place, c in enumerate(scale[:4]))


def submit_in_order(survey: Survey, numbers: list[int]) -> None:
    """Each answer from its own address, through the public form, as respondents would send them."""
    for k, number in enumerate(numbers):
        response = Client().post(
            reverse("survey_answer", args=[survey.slug]), numbered_answer(survey, number), REMOTE_ADDR=f"10.9.{k}.1"
        )
        assert response.status_code == 200, response.content.decode()[:300]


def stored_orders(survey: Survey) -> dict[str, list[int]]:
    """The stored answers in every order the database can give them without being told: the physical place of
    the row (SQLite rowid, PostgreSQL ctid), the transaction that wrote it (xmin), the key, the model's order."""
    table = SurveyResponse._meta.db_table
    places = {"sqlite": ["rowid"], "postgresql": ["ctid", "xmin::text::bigint, ctid"]}[connection.vendor]
    orders = {}
    with connection.cursor() as cursor:
        for place in [*places, "id"]:
            cursor.execute(f"SELECT answers FROM {table} WHERE survey_id = %s ORDER BY {place}", [survey.pk])
            rows = [r[0] if isinstance(r[0], dict) else json.loads(r[0]) for r in cursor.fetchall()]
            orders[place] = [answer_number(survey, r) for r in rows]
    orders["model"] = [answer_number(survey, a) for a in survey.responses.values_list("answers", flat=True)]
    return orders


def kendall_tau(ranks: list[int]) -> float:
    """Rank correlation of a sequence with 0, 1, 2, …: 1 for the same order, -1 reversed, ~0 unrelated."""
    n = len(ranks)
    concordant = sum(1 if ranks[i] < ranks[j] else -1 for i in range(n) for j in range(i + 1, n))
    return concordant / (n * (n - 1) / 2)


def arrival_sequences(seed: int) -> dict[str, list[int]]:
    numbers = list(range(ARRIVALS))
    return {
        "ascending": numbers,
        "descending": numbers[::-1],
        "random": random.Random(seed).sample(numbers, ARRIVALS),
    }


def test_answers_are_stored_only_in_batches_and_a_pool_has_no_order(eit: Survey) -> None:
    submit_in_order(eit, list(range(MIN_GROUP - 1)))
    assert not SurveyResponse.objects.exists()
    pool = SurveyPool.objects.get(survey=eit)
    assert sorted(answer_number(eit, a) for a in pool.answers) == list(range(MIN_GROUP - 1))
    submit_in_order(eit, [MIN_GROUP - 1])
    assert SurveyResponse.objects.filter(survey=eit).count() == MIN_GROUP
    assert SurveyPool.objects.get(survey=eit).answers == []


def test_nothing_about_time_is_a_field() -> None:
    for model in (SurveyResponse, SurveyPool, SurveyToken):
        times = [f.name for f in model._meta.get_fields() if isinstance(f, models.DateField | models.TimeField)]
        assert not times, f"{model.__name__} keeps {times}"


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_no_stored_order_follows_arrival(eit: Survey, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """Seeded shuffles, so the figures are the same on every run: for three arrival sequences, no order the
    database gives (physical place, writing transaction, key) correlates with arrival beyond chance. With 30
    answers Kendall's tau of an unrelated order has a standard deviation of 0.13; 0.45 is 3.5 of them."""
    monkeypatch.setattr(service, "shuffler", random.Random(seed))
    for name, arrivals in arrival_sequences(seed).items():
        SurveyResponse.objects.filter(survey=eit).delete()
        cache.clear()
        submit_in_order(eit, arrivals)
        arrival_rank = {number: rank for rank, number in enumerate(arrivals)}
        for order, numbers in stored_orders(eit).items():
            assert sorted(numbers) == sorted(arrivals)  # every answer is there
            tau = kendall_tau([arrival_rank[n] for n in numbers])
            assert abs(tau) < 0.45, f"{name} arrivals stored by {order}: tau {tau:.2f}"


def test_a_random_key_alone_would_keep_the_arrival_order(eit: Survey) -> None:
    """The control, and why every batch rewrites all the rows: answers stored one by one as they come, with
    random UUID keys (the design before issue 16). The key order is unrelated to arrival, but the same measure
    reads the arrival order from the rows' physical places."""
    for number in range(ARRIVALS):
        SurveyResponse.objects.create(survey=eit, answers=numbered_answer(eit, number))
    orders = stored_orders(eit)
    # Far above the 0.45 the real store must stay under, not exactly 1: PostgreSQL may put a row or two in space
    # an earlier test's deleted rows freed (one run read [22, 0, 1, 2, …]: tau 0.90).
    assert kendall_tau(orders["rowid" if connection.vendor == "sqlite" else "ctid"]) > 0.75
    assert abs(kendall_tau(orders["id"])) < 0.45


def test_with_the_real_shuffle_the_order_is_neither_kept_nor_reversed(eit: Survey) -> None:
    """The system's own CSPRNG: the chance that 30 answers land in arrival order or its reverse is 2/30!."""
    submit_in_order(eit, list(range(ARRIVALS)))
    for order, numbers in stored_orders(eit).items():
        assert numbers not in (list(range(ARRIVALS)), list(range(ARRIVALS))[::-1]), order


@pytest.mark.django_db(transaction=True)
def test_postgresql_one_transaction_writes_every_stored_row(world: World) -> None:
    """On PostgreSQL each row records the transaction that wrote it (xmin), in the order transactions began. All
    the stored answers of a survey carry the same one: the last batch's rewrite."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's; SQLite has no per-row transaction number")
    survey = Survey.objects.create(assessment=world.y2565, tool="EIT", population=200)
    submit_in_order(survey, list(range(3 * MIN_GROUP + 2)))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT xmin::text), count(*) FROM prongsai_surveyresponse WHERE survey_id = %s",
            [survey.pk],
        )
        assert cursor.fetchone() == (1, 3 * MIN_GROUP)


def test_a_failed_rewrite_changes_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The move from the pool to the responses is one transaction with the answer and its token: if it fails
    half-way, the stored answers, the pool and the code are as they were."""
    iit = Survey.objects.create(assessment=world.y2565, tool="IIT", population=30, requires_token=True)
    codes = service.tokens_issue(iit, MIN_GROUP)
    answer = {c: "1" for c in layout_for(iit.assessment.framework, "IIT").columns}
    for code in codes[: MIN_GROUP - 1]:
        service.survey_submit(iit, answer, code, iit.created.date())
    before = list(SurveyPool.objects.get(survey=iit).answers)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(SurveyResponse.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        service.survey_submit(iit, answer, codes[-1], iit.created.date())
    assert SurveyPool.objects.get(survey=iit).answers == before
    assert not SurveyResponse.objects.exists()
    assert not SurveyToken.objects.get(digest=service.token_digest(codes[-1])).used  # the code can be used again


@pytest.mark.slow
def test_a_pooled_answer_survives_a_killed_process(tmp_path: Path) -> None:
    """Answers waiting for their batch are in the database, committed with the answer: a process killed with
    SIGKILL right after accepting them loses none, and the next answers complete the batch."""
    env = environment(tmp_path, DJANGO_SETTINGS_MODULE="prongsai.web.settings")
    slug = python(
        env,
        "from prongsai.web import server; server.setup()\n"
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from prongsai.web.models import Agency, Assessment, Survey\n"
        "a = Assessment.objects.create(agency=Agency.objects.create(name='อบต.ทดสอบ'), fiscal_year=2565)\n"
        "print(Survey.objects.create(assessment=a, tool='EIT', population=50).slug)",
    ).strip()
    submit = (
        "import datetime, os, signal, sys\n"
        "from prongsai.web import server; server.setup()\n"
        "from prongsai.survey import layout_for\n"
        "from prongsai.web.models import Survey\n"
        "from prongsai.web.services.surveys import survey_submit\n"
        f"survey = Survey.objects.get(slug={slug!r})\n"
        "answer = {c: '3' for c in layout_for(survey.assessment.framework, 'EIT').columns}\n"
        "for _ in range(int(sys.argv[1])):\n"
        "    survey_submit(survey, answer, None, datetime.date(2022, 1, 10))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    database = tmp_path / "prongsai.sqlite3"

    def run(count: int) -> None:
        process = subprocess.run(
            [sys.executable, "-c", submit, str(count)], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert process.returncode == -signal.SIGKILL, process.stderr

    def counts() -> tuple[int, int]:
        with sqlite3.connect(database) as db:
            pooled = db.execute("SELECT json_array_length(answers) FROM prongsai_surveypool").fetchone()[0]
            stored = db.execute("SELECT count(*) FROM prongsai_surveyresponse").fetchone()[0]
        return pooled, stored

    run(MIN_GROUP - 2)
    assert counts() == (MIN_GROUP - 2, 0)
    run(3)
    assert counts() == (1, MIN_GROUP)


# --- logs --------------------------------------------------------------------------------------------


@pytest.fixture
def gunicorn_site(tmp_path: Path) -> Iterator[tuple[str, str, Path, Path]]:
    """gunicorn with deploy/gunicorn.conf.py and the app's logging, at the most talkative level, behind a
    pretend nginx (X-Real-IP); a demo site on SQLite with one open EIT survey. Yields (base URL, survey slug,
    access log, error log)."""
    port = free_port()
    access, errors = tmp_path / "access.log", tmp_path / "errors.log"
    env = environment(
        tmp_path / "data",
        PRONGSAI_SECRET_KEY="survey-anonymity-test-" + "k" * 40,
        PRONGSAI_ALLOWED_HOSTS="127.0.0.1",
        PRONGSAI_WEB_BIND=f"127.0.0.1:{port}",
        PRONGSAI_WEB_WORKERS="1",
        PRONGSAI_WEB_ACCESS_LOG=str(access),
        PRONGSAI_BEHIND_PROXY="true",
        PRONGSAI_LOG_LEVEL="DEBUG",
    )
    slug = python(
        env,
        "from prongsai.web import server; server.prepare(demo=False); server.setup()\n"
        "from prongsai.web.models import Agency, Assessment, Survey\n"
        "a = Assessment.objects.create(agency=Agency.objects.create(name='อบต.ทดสอบ'), fiscal_year=2565)\n"
        "print(Survey.objects.create(assessment=a, tool='EIT', population=50).slug)",
    ).strip()
    with errors.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            env=env,
            cwd=ROOT,
            stdout=stderr,
            stderr=stderr,
        )
        try:
            wait_for_port(port, server)
            yield f"http://127.0.0.1:{port}", slug, access, errors
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert server.returncode == 0, errors.read_text()


RESPONDENT = "203.0.113.77"
STAFF = "198.51.100.5"


def _request(opener: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None) -> int:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"X-Real-IP": RESPONDENT})
    try:
        with opener.open(request) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.slow
def test_no_log_line_names_a_survey_request(gunicorn_site: tuple[str, str, Path, Path]) -> None:
    """Through gunicorn with the production logging: the form, an answer, a missing answer (400), a missing
    CSRF token (403), a flood (429) and an unknown survey (404). The access log records other pages with the
    address, so it is on; it has no line for /s/, and neither log holds the respondent's address or the slug."""
    base, slug, access, errors = gunicorn_site
    form = f"{base}/s/{slug}/"

    def browser() -> tuple[urllib.request.OpenerDirector, str, str]:
        """A respondent's browser that has opened the form: (browser, CSRF token, the page)."""
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(urllib.request.Request(form, headers={"X-Real-IP": RESPONDENT})).read().decode()
        return opener, next(c.value for c in jar if c.name == "csrftoken"), page

    hasty, hasty_csrf, page = browser()
    assert "ระบบเก็บอะไรไว้บ้าง" in page
    careful, careful_csrf, _ = browser()
    columns = dict.fromkeys(re.findall(r'name="(e\d+(?:_\d+)?)" value="1"', page))
    statuses = [
        _request(hasty, form, {"csrfmiddlewaretoken": hasty_csrf}),  # nothing answered
        _request(urllib.request.build_opener(), form, dict.fromkeys(columns, "1")),  # no CSRF cookie
        _request(careful, form, dict.fromkeys(columns, "1") | {"csrfmiddlewaretoken": careful_csrf}),
        *(_request(hasty, form, {"csrfmiddlewaretoken": hasty_csrf}) for _ in range(settings.SURVEY_BURST_LIMIT)),
        _request(hasty, f"{base}/s/no-such-survey/"),
    ]
    assert statuses[:3] == [400, 403, 200] and 429 in statuses[3:-1] and statuses[-1] == 404
    staff = urllib.request.Request(f"{base}/login/", headers={"X-Real-IP": STAFF})
    assert urllib.request.urlopen(staff).status == 200
    urllib.request.urlopen(f"{base}/login/?after-the-survey").read()

    deadline = time.monotonic() + 10
    while "/login/?after-the-survey" not in access.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # the worker writes its line after the response: wait for the last one
    logged = access.read_text()
    assert "/login/?after-the-survey" in logged  # written up to the end of the test
    assert f"{STAFF} " in logged and '"GET /login/ HTTP/1.1" 200' in logged  # the access log names addresses
    server_log = errors.read_text()
    for text, where in ((logged, "access log"), (server_log, "error log")):
        assert RESPONDENT not in text, where
        assert slug not in text and "/s/" not in text and "no-such-survey" not in text, where
    assert "Bad Request" not in server_log and "Forbidden" not in server_log  # Django's own 4xx lines


def test_the_log_filter_keeps_other_lines() -> None:
    import logging

    from prongsai.web.logs import SurveyRequests

    def record(message: str, *args: object) -> logging.LogRecord:
        return logging.LogRecord("django.request", logging.WARNING, __file__, 1, message, args, None)

    keep = SurveyRequests().filter
    assert not keep(record("Bad Request: %s", "/s/Ab3_x9/"))
    assert not keep(record('"POST /s/Ab3_x9/ HTTP/1.1" 429'))
    assert keep(record("Bad Request: %s", "/a/1/2565/surveys/"))
    assert keep(record("fetched %s", "https://www.example.go.th/s/news/"))  # another site's page
    assert reverse("survey_answer", args=["x"]).startswith("/s/")  # the prefix the filter and the configs use


# --- who gets the raw answers ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner", 200), ("editor", 403), ("other_unit", 403), ("viewer", 403), ("oversight", 403), ("outsider", 404)],
)
def test_raw_answers_only_for_the_agency_admin(world: World, eit: Survey, persona: str, status: int, fmt: str) -> None:
    submit_in_order(eit, list(range(MIN_GROUP)))
    response = world.client(persona).get(reverse("survey_export", args=[world.agency.pk, 2565, "EIT", fmt]))
    assert response.status_code == status


def test_raw_answers_from_the_minimum_group_on(world: World, eit: Survey) -> None:
    url = reverse("survey_export", args=[world.agency.pk, 2565, "EIT", "csv"])
    submit_in_order(eit, list(range(MIN_GROUP - 1)))
    assert world.client("owner").get(url).status_code == 302  # four answers wait in the pool: nothing to export
    submit_in_order(eit, [MIN_GROUP - 1])
    lines = world.client("owner").get(url).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + MIN_GROUP
    page = world.client("viewer").get(reverse("survey_detail", args=[world.agency.pk, 2565, "EIT"])).content.decode()
    assert "answers.csv" not in page  # a viewer is not offered the file


# --- the rate limit --------------------------------------------------------------------------------------


def test_a_flood_from_one_address_is_stopped_at_the_burst_limit(eit: Survey) -> None:
    """Twenty answers at once from one address (the audit's 0.9 s): the burst limit lets five through."""
    statuses = [
        Client()
        .post(reverse("survey_answer", args=[eit.slug]), numbered_answer(eit, k), REMOTE_ADDR="192.0.2.44")
        .status_code
        for k in range(20)
    ]
    assert statuses == [200] * 5 + [429] * 15
    assert (
        Client()
        .post(reverse("survey_answer", args=[eit.slug]), numbered_answer(eit, 21), REMOTE_ADDR="192.0.2.45")
        .status_code
        == 200
    )


def test_the_rate_limit_keeps_no_address(eit: Survey) -> None:
    """The counters are in the cache, under a keyed hash whose salt is random and itself only in the cache:
    neither the address nor the secret key derives a counter's name, and nothing reaches the database."""
    import hashlib

    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    memory = caches["default"]
    if not isinstance(memory, LocMemCache):
        pytest.skip("reads the keys of the in-process cache")
    Client().post(reverse("survey_answer", args=[eit.slug]), numbered_answer(eit, 1), REMOTE_ADDR="192.0.2.61")
    keys = [k for k in memory._cache if "survey-rate:" in k or "survey-burst:" in k]
    assert len(keys) == 2
    plain = hashlib.sha256(f"{eit.slug}:192.0.2.61".encode()).hexdigest()
    assert all("192.0.2.61" not in k and plain not in k for k in keys)
    cache.clear()  # a new day's salt: the same address counts under another name
    Client().post(reverse("survey_answer", args=[eit.slug]), numbered_answer(eit, 2), REMOTE_ADDR="192.0.2.61")
    assert not set(keys) & set(memory._cache)


def test_a_busy_survey_rewrites_in_bigger_batches() -> None:
    """Batches of five while a survey is small; on a busy one a twentieth of the stored answers, so the rewrite
    costs about twenty rows per answer, and never more than 200 in the pool (rewritten with every answer)."""
    from prongsai.survey import pool_batch

    assert [pool_batch(n) for n in (0, 5, 100, 119, 120, 2000, 4000, 10**6)] == [5, 5, 5, 5, 6, 100, 200, 200]


def _nginx_site(site: str, tmp: Path, port: int, plain_port: int, upstream: str) -> str:
    """deploy/nginx/prongsai.conf made runnable on 127.0.0.1 without TLS: only the listeners, certificates and
    paths change; the maps, the log directives and the locations are the file's own."""
    lines = []
    for line in site.splitlines():
        if line.strip().startswith(("listen [::]", "ssl_")):
            continue
        line = line.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
        lines.append(line.replace("listen 80;", f"listen 127.0.0.1:{plain_port};"))
    text = "\n".join(lines)
    for old, new in [
        ("/var/log/nginx/", f"{tmp}/nginx-"),
        ("http://127.0.0.1:8000", upstream),
        ("/var/lib/prongsai/static/", f"{tmp}/static/"),
        ("/var/www/html", f"{tmp}/www"),
        ("server_name ita.example.go.th;", "server_name 127.0.0.1;"),
    ]:
        text = text.replace(old, new)
    return text


@pytest.mark.slow
def test_the_nginx_site_logs_no_survey_request(gunicorn_site: tuple[str, str, Path, Path], tmp_path: Path) -> None:
    """nginx with the deploy site in front of the same gunicorn, logging as Debian's nginx.conf does (an
    access_log in http {}, an error log at info): requests from 127.0.0.77 (a respondent) to /s/ leave no line
    in either log, while 127.0.0.5 (staff) on /login/ is logged — including the error line of an upload too
    large, which the survey location would otherwise write with the client's address."""
    import http.client
    import shutil

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        unavailable("nginx (apt-get install nginx-light)")
        return
    base, slug, _, _ = gunicorn_site
    port = free_port()
    site = _nginx_site((ROOT / "deploy" / "nginx" / "prongsai.conf").read_text(), tmp_path, port, free_port(), base)
    assert "listen 127.0.0.1:" in site and "listen 443" not in site and " 80;" not in site
    (tmp_path / "site.conf").write_text(site)
    temp = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user} worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log info;\n"
        f"events {{}}\nhttp {{ access_log {tmp_path}/nginx-conf-access.log; {temp}\n"
        f"include {tmp_path}/site.conf; }}\n"
    )
    server = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def request(source: str, method: str, path: str, headers: dict[str, str] | None = None) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=90, source_address=(source, 0))
        try:
            connection.request(method, path, headers=headers or {})
            return connection.getresponse().status
        finally:
            connection.close()

    try:
        wait_for_port(port, server)
        too_large = {"Content-Length": str(30 * 1024 * 1024), "Content-Type": "application/x-www-form-urlencoded"}
        assert request("127.0.0.5", "GET", "/login/") == 200
        assert request("127.0.0.77", "GET", f"/s/{slug}/") == 200
        assert request("127.0.0.77", "POST", f"/s/{slug}/", {"Content-Length": "0"}) == 403  # no CSRF token
        assert request("127.0.0.77", "POST", f"/s/{slug}/", too_large) == 413
        assert request("127.0.0.5", "POST", "/login/", too_large) == 413
        assert request("127.0.0.5", "GET", "/login/") == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
    logged = (tmp_path / "nginx-access.log").read_text()
    errors = (tmp_path / "error.log").read_text()
    assert "127.0.0.5" in logged and "GET /login/ HTTP/1.1" in logged  # the site's access log is on
    assert "127.0.0.5" in errors and "too large body" in errors  # and so is the error log
    for text in (logged, errors, (tmp_path / "nginx-conf-access.log").read_text()):
        assert "127.0.0.77" not in text and "/s/" not in text and slug not in text


@pytest.mark.django_db(transaction=True)
def test_postgresql_concurrent_answers_all_arrive(world: World) -> None:
    """Twenty answers at the same moment, each in its own connection: they queue on the pool's row lock, none is
    lost or refused, and they end up as four batches of five."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database is one in-memory connection; PostgreSQL takes real concurrent writers")
    import threading

    from django.db import connections

    survey = Survey.objects.create(assessment=world.y2565, tool="EIT", population=200)
    start, failures = threading.Barrier(20), []

    def answer(number: int) -> None:
        try:
            start.wait()
            service.survey_submit(survey, numbered_answer(survey, number), None, survey.created.date())
        except Exception as exc:  # any failure is the finding
            failures.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(k,)) for k in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    stored = sorted(answer_number(survey, a) for a in survey.responses.values_list("answers", flat=True))
    assert stored == list(range(20)) and service.pooled_count(survey) == 0
