#!/usr/bin/env python3
"""Practice-survey answers per second over HTTP, on the production setup: gunicorn on PostgreSQL, loaded
by wrk (Debian's package) from 127.0.0.1. Prints answers/s, p95 latency and errors; target ≥ 200/s.

    uv run python benchmarks/survey_load.py --seconds 20 --connections 32

Needs wrk and a PostgreSQL server (PRONGSAI_BENCH_POSTGRES_URL, default trust auth on 127.0.0.1). The
per-address rate limit is lifted for the run: every request comes from the same address.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
from _local import free_port, fresh_database, wait_for_port  # benchmarks/ is the script's folder

BENCH_DB = "prongsai_bench"
SETUP = """
from prongsai.web import server
server.prepare()
from prongsai.web.models import Assessment, Survey
print(Survey.objects.create(assessment=Assessment.objects.get(fiscal_year=2565), tool="EIT", population=50000).slug)
"""
WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken={token}"
wrk.headers["Referer"] = "{url}"
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT %d %.3f %.3f %.3f %d\\n", summary.requests, seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, errors))
  io.write(string.format("ERRORS status=%d connect=%d read=%d write=%d timeout=%d\\n", summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"""


def _form(url: str) -> tuple[str, str]:
    """A valid answer body and the CSRF cookie it goes with (one pair serves every request)."""
    from prongsai.frameworks import get_framework
    from prongsai.survey import layout_for

    jar = http.cookiejar.CookieJar()
    urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open(url).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    layout = layout_for(get_framework(2565), "EIT")
    answers = {c: ("2" if k == "yes_no" else "3") for c, k in zip(layout.columns, layout.answer_types, strict=True)}
    return urllib.parse.urlencode({**answers, "csrfmiddlewaretoken": token}), token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 2) + 1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="prongsai-bench-"))
    env = {
        **os.environ,
        "PRONGSAI_DATA_DIR": str(folder),
        "PRONGSAI_SURVEY_RATE": str(10**9),
        "PRONGSAI_SURVEY_BURST": str(10**9),
        "PRONGSAI_SECRET_KEY": "benchmark-only-secret",
        "PRONGSAI_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": fresh_database(
            os.environ.get("PRONGSAI_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"), BENCH_DB
        ),
    }
    slug = subprocess.run(
        [sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True
    ).stdout.split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "prongsai.web.wsgi:application",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        wait_for_port(port, server)
        url = f"http://127.0.0.1:{port}/s/{slug}/"
        body, token = _form(url)
        script = folder / "post.lua"
        script.write_text(WRK_SCRIPT.format(body=body, token=token, url=url), encoding="utf-8")
        out = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "5s", "-s", str(script), url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        requests, seconds, p50, p95, errors = next(
            line.split()[1:] for line in out.splitlines() if line.startswith("RESULT")
        )
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            stored = conn.execute(  # the stored answers and those waiting in the pool for their batch
                "SELECT (SELECT COUNT(*) FROM prongsai_surveyresponse) "
                "+ (SELECT COALESCE(SUM(jsonb_array_length(answers::jsonb)), 0) FROM prongsai_surveypool)"
            ).fetchone()
        print(next(line for line in out.splitlines() if line.startswith("ERRORS")))
        print(f"gunicorn {args.workers} workers on PostgreSQL, wrk {args.connections} connections, {args.seconds} s")
        print(
            f"answers/s {int(requests) / float(seconds):.1f}  p50 {float(p50):.1f} ms  p95 {float(p95):.1f} ms  "
            f"errors {errors}  stored {stored[0] if stored else 0} of {requests}"
        )
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
