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

import pytest

from ._deploy import (
    ROOT,
    environment,
    free_port,
    need_redis,
    postgres_database,
    prongsai,
    python,
    wait_for_port,
)

pytestmark = pytest.mark.slow  # starts servers, workers or other programs (CONTRIBUTING.md)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_gunicorn_on_postgres_and_redis(tmp_path: Path) -> None:
    redis_url = need_redis()
    with postgres_database("web") as database_url:
        port = free_port()
        demo_password = secrets.token_urlsafe(16)
        env = environment(
            tmp_path / "data",
            database_url,
            PRONGSAI_PRODUCTION="true",
            PRONGSAI_SECRET_KEY=secrets.token_urlsafe(50),
            PRONGSAI_ALLOWED_HOSTS="127.0.0.1",
            PRONGSAI_SITE_URL=f"https://127.0.0.1:{port}",
            # The test talks to gunicorn itself over plain HTTP, as nginx does after TLS: cookies go without "Secure".
            PRONGSAI_SECURE_COOKIES="false",
            PRONGSAI_DEMO_PASSWORD=demo_password,
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
            form = {"username": "demo", "password": demo_password, "csrfmiddlewaretoken": token}
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


# --- production mode refuses what is unsafe ------------------------------------------------------------------

UNSAFE_BASE = {
    "PRONGSAI_PRODUCTION": "true",
    "PRONGSAI_SECRET_KEY": "Vq3-" + "x7Lm_9" * 9,  # 58 characters, 9 different ones
    "PRONGSAI_ALLOWED_HOSTS": "ita.example.go.th",
    "PRONGSAI_SITE_URL": "https://ita.example.go.th",
    "PRONGSAI_CACHE_URL": "redis://127.0.0.1:1/5",  # never reached: a test that gets that far uses need_redis()
    "DATABASE_URL": "postgres://prongsai:secret@127.0.0.1:5432/prongsai",
}


def _refused(tmp_path: Path, *args: str, **variables: str) -> str:
    """The start is refused in one Thai line (no traceback), exit code 2; returns the line."""
    result = prongsai(environment(tmp_path, **{**UNSAFE_BASE, **variables}), "prepare", *args, check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("prongsai: ") and "Traceback" not in result.stderr, result.stderr
    assert re.search(r"[\u0e00-\u0e7f]", lines[0]), "the reason is in Thai"
    return lines[0]


def test_an_http_site_url_is_refused(tmp_path: Path) -> None:
    line = _refused(tmp_path, PRONGSAI_SITE_URL="http://ita.example.go.th")
    assert "PRONGSAI_SITE_URL" in line and "https://" in line


WEAK_KEYS = {
    "one letter, 40": "a" * 40,
    "one letter, 60": "a" * 60,
    "four letters, 60": "abcd" * 15,
    "49 random": secrets.token_urlsafe(37)[:49],
    "startproject's": "django-insecure-" + secrets.token_urlsafe(50),
}


@pytest.mark.parametrize("key", WEAK_KEYS.values(), ids=WEAK_KEYS.keys())
def test_a_weak_secret_key_is_refused(tmp_path: Path, key: str) -> None:
    line = _refused(tmp_path, PRONGSAI_SECRET_KEY=key)
    assert "PRONGSAI_SECRET_KEY" in line and "50" in line


def test_the_w009_rule_is_djangos(tmp_path: Path) -> None:
    """The same keys, through Django's own check: prongsai refuses exactly what Django warns of."""
    from django.core.checks.security.base import _check_secret_key

    from prongsai.web.settings import weak_secret_key

    for key in [*WEAK_KEYS.values(), UNSAFE_BASE["PRONGSAI_SECRET_KEY"], secrets.token_urlsafe(50)]:
        assert weak_secret_key(key) == (not _check_secret_key(key))


@pytest.mark.parametrize("password", [None, "prongsai-demo"], ids=["unset", "the README's"])
def test_the_demo_logins_need_a_password_of_their_own(tmp_path: Path, password: str | None) -> None:
    cache_url = need_redis()
    with postgres_database("demo") as database_url:
        variables = {"DATABASE_URL": database_url, "PRONGSAI_CACHE_URL": cache_url}
        variables |= {"PRONGSAI_DEMO_PASSWORD": password} if password else {}
        line = _refused(tmp_path, "--demo", **variables)
        assert "PRONGSAI_DEMO_PASSWORD" in line and "README" in line
        env = environment(tmp_path, **{**UNSAFE_BASE, **variables})
        count = (
            "import django; django.setup(); from django.db import connection; "
            "print('tables', len(connection.introspection.table_names()))"
        )
        assert python(env, count).split()[-1] == "0", "nothing was created: the refusal comes first"


def test_a_demo_login_left_on_the_readmes_password_is_shut(tmp_path: Path) -> None:
    """A trial server (demo with the README's password) turned into a production one: the demo logins
    are shut unless PRONGSAI_DEMO_PASSWORD gives them a password of their own."""
    cache_url = need_redis()
    with postgres_database("demo") as database_url:
        trial = environment(tmp_path / "trial", database_url, PRONGSAI_STATIC_ROOT=str(tmp_path / "static"))
        prongsai(trial, "prepare", "--demo")
        env = environment(
            tmp_path / "data", **{**UNSAFE_BASE, "DATABASE_URL": database_url, "PRONGSAI_CACHE_URL": cache_url},
            PRONGSAI_STATIC_ROOT=str(tmp_path / "static"),
        )  # fmt: skip
        out = prongsai(env, "prepare").stdout
        assert "ปิดการเข้าสู่ระบบของบัญชีตัวอย่าง demo " in out and "demo-office" in out
        usable = (
            "import django; django.setup(); from django.contrib.auth.models import User; "
            "print([(u.username, u.has_usable_password()) for u in User.objects.order_by('username')])"
        )
        assert python(env, usable).splitlines()[-1] == "[('demo', False), ('demo-office', False)]"
        own = secrets.token_urlsafe(16)
        out = prongsai({**env, "PRONGSAI_DEMO_PASSWORD": own}, "prepare", "--demo").stdout
        assert "ตั้งรหัสผ่านของบัญชีตัวอย่าง demo " in out
        check = (
            "import django; django.setup(); from django.contrib.auth.models import User; "
            f"u = User.objects.get(username='demo'); print(u.check_password({own!r}), "
            "u.check_password('prongsai-demo'))"
        )
        assert python(env, check).splitlines()[-1] == "True False"
