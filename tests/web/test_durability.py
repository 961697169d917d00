"""An answer that got a thank-you page is on disk, whatever happens to the process next: a real server on
the embedded default (SQLite in WAL), a real HTTP submission, then SIGKILL, then the database file."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from prongsai.frameworks import get_framework
from prongsai.survey import layout_for

from ._deploy import free_port, wait_for_port

pytestmark = pytest.mark.slow  # starts servers, workers or other programs (CONTRIBUTING.md)

SETUP = """
from prongsai.web import server
server.prepare()
from prongsai.web.models import Assessment, Survey

survey = Survey.objects.create(assessment=Assessment.objects.get(fiscal_year=2565), tool="EIT", population=50)
print(survey.slug)
"""
SERVE = "from prongsai.web import server; server.setup(); server.serve('127.0.0.1', {port}, threads=2)"


def test_a_thanked_answer_survives_sigkill(tmp_path: Path) -> None:
    env = {**os.environ, "PRONGSAI_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    slug = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE.format(port=port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, server)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        url = f"http://127.0.0.1:{port}/s/{slug}/"
        opener.open(url).read()
        token = next(c.value for c in jar if c.name == "csrftoken")
        layout = layout_for(get_framework(2565), "EIT")
        form = {c: ("2" if k == "yes_no" else "4") for c, k in zip(layout.columns, layout.answer_types, strict=True)}
        body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token}).encode()
        page = opener.open(urllib.request.Request(url, data=body, headers={"Referer": url})).read().decode()
        assert "ขอบคุณ" in page
    finally:
        server.send_signal(signal.SIGKILL)  # no shutdown, no flush: the process is simply gone
        server.wait()
    database = sqlite3.connect(tmp_path / "prongsai.sqlite3")
    # the answer waits in its survey's pool for the next batch (docs/security.md), committed like any row
    assert database.execute("SELECT json_array_length(answers) FROM prongsai_surveypool").fetchone()[0] == 1
