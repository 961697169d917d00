"""The web check job on hostile files: a real server (prongsai serve's waitress, jobs in its threads, SQLite) is
asked over HTTP to check a register whose URLs are the hostile files of tests/checker/hostile.py, served on
127.0.0.1. Each item comes to its verdict with the reason, the server's own memory stays small (the files are
read in a bounded worker process), it answers pages all along, and it is the same process afterwards."""

from __future__ import annotations

import http.cookiejar
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from checker.hostile import EXPECTED, hostile_app  # tests/checker's helpers (tests/ is on the path)
from checker.serving import served
from prongsai.checker.reading import READING_BOUNDS

from ._deploy import ROOT, environment, free_port, python, wait_for_port

PASSWORD = "hostile-files-test"
SETUP = """
import json, sys
from prongsai.web import server
server.prepare()
from prongsai.web.models import Assessment
assessment = Assessment.objects.filter(agency__name__contains="ทรงคนอง").order_by("-fiscal_year").first()
urls = json.loads(sys.argv[1])
for code, url in urls.items():
    assessment.register.filter(item_code=code).update(urls=url)
print(json.dumps({"agency": assessment.agency_id, "year": assessment.fiscal_year}))
"""
SERVE = "from prongsai.web import server; server.setup(); server.serve('127.0.0.1', {port}, threads=4)"
SERVER_MB = 600  # the web process: Django, the framework, the bodies it fetched (25 MB at most each)
FORK_SERVER_MB = 400  # the fork server that starts reading workers: the readers' modules, loaded once
JOB_BUDGET = 240.0  # seconds for the whole check on a loaded machine (the slow sender alone takes 20)


def _rss_mb(pid: int) -> int:
    """Resident memory of a process, in MB (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) // 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the fork server and its reading workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _login(base: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.open(f"{base}/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = {"username": "demo", "password": PASSWORD, "csrfmiddlewaretoken": token}
    request = urllib.request.Request(
        f"{base}/login/", data=urllib.parse.urlencode(form).encode(), headers={"Referer": f"{base}/login/"}
    )
    browser.open(request).read()
    return browser


def _post(browser: urllib.request.OpenerDirector, url: str) -> None:
    jar = next(h.cookiejar for h in browser.handlers if isinstance(h, urllib.request.HTTPCookieProcessor))
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
    browser.open(urllib.request.Request(url, data=data, headers={"Referer": url})).read()


def test_the_web_check_job_reads_hostile_files_in_a_bounded_worker_and_the_server_answers(tmp_path: Path) -> None:
    env = environment(tmp_path, PRONGSAI_CHECK_ALLOW_HOSTS="127.0.0.1", PRONGSAI_DEMO_PASSWORD=PASSWORD)
    with served(hostile_app()) as site:
        codes = {path: f"O{number}" for number, path in enumerate(EXPECTED, 1)}
        ordinary = f"O{len(codes) + 1}"
        urls = {code: f"{site}{path}" for path, code in codes.items()} | {ordinary: f"{site}/ok.html"}
        where = json.loads(python(env, SETUP.replace("sys.argv[1]", repr(json.dumps(urls)))).split("\n")[-2])
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE.format(port=port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(port, server)
            base = f"http://127.0.0.1:{port}"
            browser = _login(base)
            year_url = f"{base}/a/{where['agency']}/{where['year']}/"
            _post(browser, f"{year_url}register/check/")
            database = sqlite3.connect(tmp_path / "prongsai.sqlite3", timeout=30)
            started = time.monotonic()
            slowest_page = server_peak = worker_peak = 0.0
            status = "running"
            while status not in ("done", "failed", "cancelled"):
                assert time.monotonic() - started < JOB_BUDGET, "the check did not finish within its budget"
                asked = time.monotonic()
                page = browser.open(f"{year_url}register/").read().decode()  # the server keeps answering
                slowest_page = max(slowest_page, time.monotonic() - asked)
                assert "ทะเบียน" in page or "OIT" in page
                server_peak = max(server_peak, _rss_mb(server.pid))
                worker_peak = max([worker_peak, *(_rss_mb(pid) for pid in _descendants(server.pid))])
                row = database.execute("SELECT status FROM prongsai_checkrun ORDER BY id DESC LIMIT 1").fetchone()
                status = row[0] if row else "running"
                time.sleep(0.5)
            figures = f"web process {server_peak:.0f} MB, worker {worker_peak:.0f} MB, page {slowest_page:.1f} s"
            print(f"check {time.monotonic() - started:.0f} s, {figures}")  # shown with pytest -s
            assert status == "done"
            report = json.loads(database.execute("SELECT report FROM prongsai_checkrun").fetchone()[0])
            items = {item["code"]: item for item in report["items"]}
            for path, code in codes.items():
                verdict, said, _budget = EXPECTED[path]
                assert items[code]["verdict"] == verdict and said in items[code]["reason_th"], (path, items[code])
            assert items[ordinary]["verdict"] != "unreadable"
            assert server.poll() is None  # the same process, never restarted
            after = browser.open(f"{year_url}register/")
            assert after.status == 200
            assert server_peak < SERVER_MB, f"the web process reached {server_peak} MB"
            # A worker may add READING_BOUNDS.memory to what it was forked with (the fork server's modules).
            worker_bound = READING_BOUNDS.memory / 2**20 + FORK_SERVER_MB
            assert worker_peak < worker_bound, f"a reading worker reached {worker_peak} MB"
            assert slowest_page < 15, f"a page took {slowest_page:.1f} s during the check"
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    errors = server.stderr.read().decode() if server.stderr else ""
    assert "Traceback" not in errors, errors[-3000:]
    assert os.path.exists(tmp_path / "prongsai.sqlite3")
