"""The production setup for real: `prongsai prepare` then gunicorn with deploy/gunicorn.conf.py, in production
mode on a PostgreSQL database and a Redis database of this test's own, with collected static files; checked
over HTTP on 127.0.0.1 as a browser would."""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from ._deploy import ROOT, environment, free_port, need_redis, postgres_database, prongsai, wait_for_port


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_gunicorn_on_postgres_and_redis(tmp_path: Path) -> None:
    redis_url = need_redis()
    with postgres_database("web") as database_url:
        port = free_port()
        env = environment(
            tmp_path / "data",
            database_url,
            PRONGSAI_PRODUCTION="true",
            PRONGSAI_SECRET_KEY=secrets.token_urlsafe(50),
            PRONGSAI_ALLOWED_HOSTS="127.0.0.1",
            PRONGSAI_SITE_URL=f"http://127.0.0.1:{port}",
            PRONGSAI_CACHE_URL=redis_url,
            PRONGSAI_STATIC_ROOT=str(tmp_path / "static"),
            PRONGSAI_WEB_BIND=f"127.0.0.1:{port}",
            PRONGSAI_WEB_WORKERS="2",
            PRONGSAI_WEB_ACCESS_LOG=str(tmp_path / "access.log"),
        )
        out = prongsai(env, "prepare", "--demo").stdout
        assert "ไฟล์ static" in out and "แคช Redis ใช้งานได้" in out
        assert any((tmp_path / "static" / "prongsai").glob("app.*.css"))  # hashed names for far-future caching
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        jar = http.cookiejar.CookieJar()
        try:
            wait_for_port(port, server)
            base = f"http://127.0.0.1:{port}"
            browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

            login = browser.open(f"{base}/login/").read().decode()
            assert '<html lang="th"' in login and "เข้าสู่ระบบ" in login

            css = re.search(r'href="(/static/prongsai/app\.[0-9a-f]{12}\.css)"', login)
            assert css, "the page links the hashed stylesheet"
            static = browser.open(base + css.group(1))
            assert "max-age=315360000" in static.headers["Cache-Control"]
            assert "immutable" in static.headers["Cache-Control"]

            token = next(c.value for c in jar if c.name == "csrftoken")
            form = {"username": "demo", "password": "prongsai-demo", "csrfmiddlewaretoken": token}
            request = urllib.request.Request(
                f"{base}/login/", data=urllib.parse.urlencode(form).encode(), headers={"Referer": f"{base}/login/"}
            )
            dashboard = browser.open(request)
            assert re.search(r"/a/\d+/$", dashboard.geturl())
            assert "ทรงคนอง" in dashboard.read().decode()

            refused = urllib.request.build_opener(_NoRedirect)
            try:
                refused.open(f"{base}/admin/")
                raise AssertionError("/admin/ did not redirect")
            except urllib.error.HTTPError as exc:
                assert exc.code == 302 and exc.headers["Location"].startswith("/admin/login/")

            assert '"GET /login/ HTTP/1.1" 200' in (tmp_path / "access.log").read_text()
        finally:
            server.terminate()
            _, errors = server.communicate(timeout=30)
            _forget_sessions(redis_url, [c.value for c in jar if c.name == "sessionid"])
        assert server.returncode == 0, errors.decode()


def _forget_sessions(redis_url: str, keys: list[str]) -> None:
    """Sessions live in Redis too (cached_db): remove this test's own from the shared Redis database."""
    import redis

    if keys:
        redis.Redis.from_url(redis_url).delete(*(f"prongsai:1:django.contrib.sessions.cached_db{k}" for k in keys))
