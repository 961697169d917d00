#!/usr/bin/env python3
"""The web app's pages under load, on the production setup: gunicorn with deploy/gunicorn.conf.py, PostgreSQL,
Redis, collected static files; loaded by wrk (Debian's package) from 127.0.0.1 with a logged-in session.
Prints requests/s, p50/p95/p99 latency, non-2xx responses and socket errors, per page and mixed, each run
twice: right after a write to the database (the page cache, src/prongsai/web/pagecache.py, then holds nothing
current and every page is built anew) and with the data unchanged; also gunicorn's CPU and its own p99 per
request, and the moments the machine stood still. Target p95 < 100 ms at 20 concurrent users.

    uv run python benchmarks/web_load.py --users 20 --seconds 20

Needs wrk (apt-get install wrk), a PostgreSQL server (PRONGSAI_BENCH_POSTGRES_URL, default trust auth on
127.0.0.1; the database prongsai_bench_web is made and dropped) and Redis (PRONGSAI_BENCH_REDIS_URL, default
database 6 on 127.0.0.1). The data: the demo agency อบต.ทรงคนอง plus --agencies more, each with FY2563 and
FY2564 results and a FY2565 register and plan; the benchmark's user is an admin of every agency (the pages
show every edit control), and each request picks an agency at random.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
from _local import drop_database, free_port, fresh_database, wait_for_port  # benchmarks/ is the script's folder

ROOT = Path(__file__).resolve().parents[1]
BENCH_DB = "prongsai_bench_web"
USER, PASSWORD = "bench", "benchmark-only-password"
# The pages, by name: a path template filled with a random agency id. The oversight dashboard (an office's view
# of many agencies, URL name OVERSIGHT_PAGE in src/prongsai/web/urls.py) is added by SEED below when this
# version has it. To load another page, add it here and, if it needs data, to SEED.
PAGES = {
    "dashboard": "/a/{agency}/",
    "analysis": "/a/{agency}/2564/",
    "register": "/a/{agency}/2565/register/",
}
OVERSIGHT_PAGE = "oversight"  # URL name looked up in the app; its path is printed by SEED when it exists

SEED = """
import datetime as dt, random, sys
from decimal import Decimal
from prongsai.web import server
server.prepare_site(demo=True)
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from prongsai.web import services
from prongsai.web.models import (Agency, Assessment, IndicatorResult, Measure, Membership, RegisterEntry,
    RegisterStatus, Role, Unit)

random.seed(7)
today = dt.date.today()
count = int(sys.argv[1])
user = User.objects.create_user("{user}", "bench@example.org", "{password}")
demo = Assessment.objects.get(fiscal_year=2565)
template = list(demo.measures.all())
provinces = ["นนทบุรี", "ปทุมธานี", "สมุทรปราการ", "นครปฐม", "อยุธยา"]
statuses = [RegisterStatus.TODO, RegisterStatus.IN_PROGRESS, RegisterStatus.READY, RegisterStatus.CHECKED]
for n in range(count):
    with transaction.atomic():
        agency = Agency.objects.create(name=f"องค์การบริหารส่วนตำบลทดสอบ {{n + 1:03d}}", district="เมือง",
                                       province=provinces[n % len(provinces)])
        office = Unit.objects.create(agency=agency, code="office", name="สำนักปลัด")
        finance = Unit.objects.create(agency=agency, code="finance", name="กองคลัง")
        Membership.objects.create(user=user, agency=agency, role=Role.ADMIN, unit=office)
        for year in (2563, 2564, 2565):
            assessment = services.assessment_create(user, agency, year)
            entries = list(assessment.register.all())
            for entry in entries:
                entry.unit = random.choice([office, finance])
                entry.status = random.choice(statuses)
                entry.answer = random.choice(["yes", "yes", "no"]) if year < 2565 else random.choice(["", "yes", "no"])
                if entry.answer == "yes":
                    entry.urls = f"https://www.example{{n}}.go.th/ita/{{entry.item_code.lower()}}"
                # this year's work falls due over the coming months; a few items are late
                entry.due_date = today + dt.timedelta(days=random.randint(-20, 150)) if year == 2565 else None
            RegisterEntry.objects.bulk_update(entries, ["unit", "status", "answer", "urls", "due_date"])
            if year < 2565:
                services.results_set(user, assessment, {{i: round(random.uniform(40, 98), 2) for i in range(1, 11)}})
        for m in template:
            measure = Measure.objects.create(assessment=assessment, title=m.title, method=m.method,
                period_start=today - dt.timedelta(days=60),
                period_end=today + dt.timedelta(days=random.randint(-30, 200)), follow_up=m.follow_up,
                indicators=m.indicators, items=m.items, order=m.order, progress=random.randint(0, 100))
            measure.units.set([random.choice([office, finance])])
Membership.objects.create(user=user, agency=demo.agency, role=Role.ADMIN)
print("AGENCIES", " ".join(str(pk) for pk in Agency.objects.values_list("pk", flat=True)))
try:  # the oversight dashboard, when this version has it: an office overseeing every agency, the user a viewer
    from prongsai.web.models import Office, OfficeMembership
    office = Office.objects.create(name="สำนักงานทดสอบ", province="นนทบุรี")
    office.agencies.set(Agency.objects.all())
    OfficeMembership.objects.create(user=user, office=office)
    print("OVERSIGHT", reverse("{oversight}", args=[office.pk]))
except (ImportError, NoReverseMatch) as exc:
    print("NOTE no oversight dashboard in this version:", exc)
"""

# What a write through the app does to the page cache (any form, job or import): every cached page is stale.
STALE = "from prongsai.web import server; server.setup(); from prongsai.web import pagecache; pagecache.bump()"

WRK_SCRIPT = """
local paths = {{{paths}}}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
wrk.headers["Cookie"] = "{cookie}"
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
{delay}response = function(status, headers, body) if status < 200 or status > 299 then bad = bad + 1 end end
done = function(summary, latency, requests)
  local non2xx = 0
  for _, t in ipairs(threads) do non2xx = non2xx + t:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %.2f %.2f %.2f %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, non2xx,
    e.connect + e.read + e.write + e.timeout))
end
"""


def _forget_cache(url: str) -> None:
    """The run's sessions and counters in its Redis database (the app's keys start with "prongsai:")."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter("prongsai:*"))
    if keys:
        client.delete(*keys)


def _login(base: str) -> str:
    """Log in through the login form, as a browser does; returns the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode({"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token})
    opener.open(urllib.request.Request(f"{base}/login/", data=form.encode(), headers={"Referer": f"{base}/login/"}))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        sys.exit("logging in failed: no session cookie")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _cpu_seconds(master: int) -> float:
    """CPU time of gunicorn: the master with its finished workers, plus the live workers (from /proc). Divided by
    the requests it is the app's CPU per page, a figure that other load on the machine changes little."""

    def fields(pid: str | int) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    own = fields(master)
    ticks = sum(int(x) for x in own[11:15])  # utime, stime, cutime, cstime
    for child in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        with contextlib.suppress(FileNotFoundError):  # a worker renewed meanwhile
            ticks += sum(int(x) for x in fields(child)[11:13])
    return ticks / os.sysconf("SC_CLK_TCK")


def _wrk(script: Path, url: str, users: int, seconds: int) -> dict[str, float]:
    threads = min(users, max(1, (os.cpu_count() or 2) // 2))
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{users}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = next(line.split()[1:] for line in out.splitlines() if line.startswith("RESULT"))
    keys = ("requests", "seconds", "p50", "p95", "p99", "non2xx", "errors")
    return dict(zip(keys, map(float, fields), strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent connections, each a busy user")
    parser.add_argument("--seconds", type=int, default=20, help="length of each run (one per page, one mixed)")
    parser.add_argument("--agencies", type=int, default=200, help="agencies besides the demo")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: deploy/gunicorn.conf.py's)")
    parser.add_argument(
        "--threads",
        type=int,
        help="threads per worker (gthread workers, which keep idle connections without tying up a worker; "
        "needed with --think-ms when no buffering proxy such as nginx is in front)",
    )
    parser.add_argument(
        "--think-ms",
        type=int,
        default=0,
        help="each user's pause between a page and the next (0: click again at once, the hardest case)",
    )
    parser.add_argument("--pages", nargs="+", help="only these runs: dashboard analysis register oversight mixed")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (Debian's package)")
    admin_url = os.environ.get("PRONGSAI_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    folder = Path(tempfile.mkdtemp(prefix="prongsai-web-bench-"))
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_") and k != "DATABASE_URL"},
        "PRONGSAI_PRODUCTION": "true",
        "PRONGSAI_DATA_DIR": str(folder),
        "PRONGSAI_SECRET_KEY": secrets.token_urlsafe(50),
        "PRONGSAI_ALLOWED_HOSTS": "127.0.0.1",
        "PRONGSAI_SITE_URL": f"http://127.0.0.1:{port}",
        "PRONGSAI_CACHE_URL": os.environ.get("PRONGSAI_BENCH_REDIS_URL", "redis://127.0.0.1:6379/6"),
        "PRONGSAI_WEB_BIND": f"127.0.0.1:{port}",
        "PRONGSAI_WEB_ACCESS_LOG": str(folder / "access.log"),
        "DATABASE_URL": fresh_database(admin_url, BENCH_DB),
    }
    if args.workers:
        env["PRONGSAI_WEB_WORKERS"] = str(args.workers)
    if args.threads:
        env["PRONGSAI_WEB_THREADS"] = str(args.threads)
    server: subprocess.Popen[bytes] | None = None
    try:
        started = time.monotonic()
        seed = SEED.format(user=USER, password=PASSWORD, oversight=OVERSIGHT_PAGE)
        out = subprocess.run(
            [sys.executable, "-c", seed, str(args.agencies)], env=env, capture_output=True, text=True, cwd=ROOT
        )
        if out.returncode != 0:
            sys.exit(f"seeding failed:\n{out.stderr}")
        lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if line.startswith(("AGENCIES", "OVER")))
        for line in out.stdout.splitlines():
            if line.startswith("NOTE"):
                print(line)
        agencies = lines["AGENCIES"].split()
        pages = dict(PAGES)
        if "OVERSIGHT" in lines:
            pages["oversight"] = lines["OVERSIGHT"].strip()
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:  # as a database that has run a while
            conn.execute("VACUUM ANALYZE")
        print(f"seeded {len(agencies)} agencies in {time.monotonic() - started:.0f} s")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")], env=env, cwd=ROOT
        )
        wait_for_port(port, server)
        base = f"http://127.0.0.1:{port}"
        cookie = _login(base)
        runs = {name: [path.format(agency=a) for a in agencies] for name, path in pages.items()}
        runs["mixed"] = [p for paths in runs.values() for p in paths]
        runs = {name: paths for name, paths in runs.items() if not args.pages or name in args.pages}
        think = f", think time {args.think_ms} ms ± 50 %" if args.think_ms else ", no think time"
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        kind = f"{args.threads} threads per worker" if args.threads else "sync workers"
        print(f"gunicorn (deploy/gunicorn.conf.py, {kind}), PostgreSQL, Redis; wrk {args.users} connections{think}")
        print(f"{args.seconds} s per run; {os.cpu_count()} cores; load average before: {load}")
        print(
            f"{'page':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>7} "
            f"{'CPU ms/req':>10} {'app p99':>8} {'machine stalls ≥ 0.2 s'}"
        )
        worst = {True: 0.0, False: 0.0}
        for name, paths in runs.items():
            for changed in (True, False):
                if changed:  # a write, as any form or job makes: every cached page is stale (pagecache.py)
                    subprocess.run([sys.executable, "-c", STALE], env=env, cwd=ROOT, check=True)
                label = f"{name}{' (changed)' if changed else ''}"
                worst[changed] = max(worst[changed], _run(args, folder, paths, cookie, base, server.pid, label))
        print(f"target p95 < 100 ms at {args.users} users, data unchanged: {_verdict(worst[False])}")
        print(f"the same, each run starting right after a change (every page built anew): {_verdict(worst[True])}")
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        drop_database(admin_url, BENCH_DB)
        _forget_cache(env["PRONGSAI_CACHE_URL"])
        shutil.rmtree(folder, ignore_errors=True)


def _verdict(worst: float) -> str:
    return f"{'met' if worst < 100 else 'NOT met'} (worst p95 {worst:.1f} ms)"


class _Stalls:
    """Moments the whole machine stood still: a thread that asks to sleep 10 ms and wakes up 0.2 s or more
    later. On a shared virtual machine they come from outside, and every request in flight waits them out."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        last = time.monotonic()
        while not self._stop.wait(0.01):
            now = time.monotonic()
            if now - last >= 0.2:
                self.gaps.append(now - last)
            last = now

    def __enter__(self) -> _Stalls:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _app_ms(log: Path, start: int) -> list[float]:
    """gunicorn's own time per request (the access log's "123ms" field) for the lines written since ``start``."""
    with log.open("rb") as f:
        f.seek(start)
        lines = f.read().decode("utf-8", "replace").splitlines()
    return sorted(float(m.group(1)) for line in lines if (m := re.search(r" (\d+)ms ", line)))


def _run(
    args: argparse.Namespace, folder: Path, paths: list[str], cookie: str, base: str, pid: int, label: str
) -> float:
    """One wrk run over ``paths``; prints its row and returns its p95."""
    script = folder / "run.lua"
    quoted = ", ".join(f'"{p}"' for p in paths)
    delay = f"delay = function() return math.random({args.think_ms // 2}, {args.think_ms * 3 // 2}) end\n"
    lua = WRK_SCRIPT.format(paths=quoted, cookie=cookie, delay=delay if args.think_ms else "")
    script.write_text(lua, encoding="utf-8")
    log = folder / "access.log"
    start = log.stat().st_size
    cpu = _cpu_seconds(pid)
    with _Stalls() as stalls:
        r = _wrk(script, base + paths[0], args.users, args.seconds)
    cpu_ms = (_cpu_seconds(pid) - cpu) * 1000 / max(r["requests"], 1)
    app = _app_ms(log, start)
    app_p99 = app[int(len(app) * 0.99)] if app else float("nan")
    longest = f" ({max(stalls.gaps):.1f} s)" if stalls.gaps else ""
    print(
        f"{label:<20} {r['requests'] / r['seconds']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
        f"{int(r['non2xx']):>8} {int(r['errors']):>7} {cpu_ms:>10.1f} {app_p99:>8.0f} {len(stalls.gaps):>4}{longest}"
    )
    return r["p95"]


if __name__ == "__main__":
    main()
