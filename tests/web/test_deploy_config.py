"""Configuration for a production server: every variable documented, a wrong value stops the start-up with
one line naming the variable and the fix (Thai first), production mode refuses to start without what a public
server needs, and the settings a good production environment gives."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from prongsai.web.middleware import ProxyMiddleware

from ._deploy import ROOT, environment, need_redis, prongsai, python

pytestmark = pytest.mark.slow  # starts servers, workers or other programs (CONTRIBUTING.md)

NAME = re.compile(r"\b(PRONGSAI_[A-Z0-9_]*[A-Z0-9]|DATABASE_URL)\b")
SETUP = "import django; django.setup()"
KEY = "kR3v-9xQ_" * 6  # 54 characters, 8 different ones: passes Django's W009 rule
PRODUCTION = {
    "PRONGSAI_PRODUCTION": "true",
    "PRONGSAI_SECRET_KEY": KEY,
    "PRONGSAI_ALLOWED_HOSTS": "ita.example.go.th",
    "PRONGSAI_SITE_URL": "https://ita.example.go.th",
    "PRONGSAI_CACHE_URL": "redis://127.0.0.1:1/5",  # never reached: a test that gets that far uses need_redis()
    "DATABASE_URL": "postgres://prongsai:secret@127.0.0.1:5432/prongsai",
}


def test_every_variable_the_app_reads_is_documented() -> None:
    documented = set(NAME.findall((ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")))
    sources = [*(ROOT / "src" / "prongsai").rglob("*.py"), *(ROOT / "deploy").rglob("*")]
    used = {
        name: path.relative_to(ROOT)
        for path in sources
        if path.is_file()
        for name in NAME.findall(path.read_text(encoding="utf-8"))
    }
    assert {"DATABASE_URL", "PRONGSAI_SECRET_KEY", "PRONGSAI_CACHE_URL", "PRONGSAI_WEB_WORKERS"} <= used.keys()
    missing = {name: str(path) for name, path in used.items() if name not in documented}
    assert not missing, f"undocumented in docs/configuration.md: {missing}"


def _setup(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = environment(tmp_path, DJANGO_SETTINGS_MODULE="prongsai.web.settings", **variables)
    return subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, cwd=ROOT)


BAD = [
    ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL", "postgres://"),
    ({"DATABASE_URL": "postgres://u@h:port/db"}, "DATABASE_URL", "อ่านไม่ได้"),
    ({"DATABASE_URL": "postgres://u@127.0.0.1:5432/"}, "DATABASE_URL", "ไม่มีชื่อฐานข้อมูล"),
    ({"PRONGSAI_CACHE_URL": "memcached://127.0.0.1:11211"}, "PRONGSAI_CACHE_URL", "redis://"),
    ({"PRONGSAI_CACHE_URL": "redis://127.0.0.1:6379/cache"}, "PRONGSAI_CACHE_URL", "ต้องเป็นตัวเลข"),
    ({"PRONGSAI_UPLOAD_MAX_MB": "ten"}, "PRONGSAI_UPLOAD_MAX_MB", "จำนวนเต็ม"),
    ({"PRONGSAI_UPLOAD_MAX_MB": "0"}, "PRONGSAI_UPLOAD_MAX_MB", "ไม่น้อยกว่า 1"),
    ({"PRONGSAI_EMAIL_PORT": "99999"}, "PRONGSAI_EMAIL_PORT", "ระหว่าง 1 ถึง 65535"),
    ({"PRONGSAI_DEBUG": "maybe"}, "PRONGSAI_DEBUG", "true หรือ false"),
    ({"PRONGSAI_LOG_LEVEL": "loud"}, "PRONGSAI_LOG_LEVEL", "WARNING"),
    ({"PRONGSAI_SITE_URL": "ita.example.go.th"}, "PRONGSAI_SITE_URL", "https://"),
    ({"PRONGSAI_JOBS": "cron"}, "PRONGSAI_JOBS", "thread"),
    ({"PRONGSAI_PAGE_CACHE": "sometimes"}, "PRONGSAI_PAGE_CACHE", "on, off หรือ verify"),
    ({"PRONGSAI_PAGE_CACHE": "on"}, "PRONGSAI_PAGE_CACHE", "PRONGSAI_CACHE_URL=redis://"),  # no shared cache
]


@pytest.mark.parametrize(("variables", "name", "fix"), BAD, ids=[f"{b[1]}={next(iter(b[0].values()))}" for b in BAD])
def test_a_wrong_value_stops_the_start_with_one_line(
    tmp_path: Path, variables: dict[str, str], name: str, fix: str
) -> None:
    result = _setup(tmp_path, **variables)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: ") and name in last and fix in last
    assert "secret@" not in last  # a password is never echoed


PRODUCTION_MISSING = ["PRONGSAI_SECRET_KEY", "PRONGSAI_ALLOWED_HOSTS", "PRONGSAI_SITE_URL", "PRONGSAI_CACHE_URL"]


@pytest.mark.parametrize("missing", [*PRODUCTION_MISSING, "DATABASE_URL", "PRONGSAI_DATA_DIR"])
def test_production_mode_refuses_to_start_without(tmp_path: Path, missing: str) -> None:
    env = environment(tmp_path, **{k: v for k, v in PRODUCTION.items() if k != missing})
    if missing == "PRONGSAI_DATA_DIR":
        env.pop("PRONGSAI_DATA_DIR")
    result = prongsai(env, "prepare", check=False)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr  # one line, no traceback
    assert result.stderr.startswith("prongsai: ") and missing in result.stderr
    assert "PRONGSAI_PRODUCTION" in result.stderr or "PostgreSQL" in result.stderr


def test_production_mode_refuses_debug_and_a_short_key(tmp_path: Path) -> None:
    for bad in ({"PRONGSAI_DEBUG": "true"}, {"PRONGSAI_SECRET_KEY": "short"}):
        result = prongsai(environment(tmp_path, **{**PRODUCTION, **bad}), "prepare", check=False)
        assert result.returncode == 2 and next(iter(bad)) in result.stderr


def test_production_settings_behind_https(tmp_path: Path) -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.CSRF_TRUSTED_ORIGINS, "
        "s.CACHES['default']['BACKEND'], s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_USE_FINDERS, "
        "str(s.STATIC_ROOT), s.DEBUG, getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.MIDDLEWARE[0], s.SESSION_ENGINE]))"
    )
    env = environment(
        tmp_path,
        DJANGO_SETTINGS_MODULE="prongsai.web.settings",
        PRONGSAI_STATIC_ROOT=str(tmp_path / "collected"),
        PRONGSAI_BEHIND_PROXY="true",
        **PRODUCTION,
    )
    values = json.loads(python(env, code).splitlines()[-1])
    assert values == [
        True,
        True,
        365 * 24 * 3600,
        ["https://ita.example.go.th"],
        "django.core.cache.backends.redis.RedisCache",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        False,
        str(tmp_path / "collected"),
        False,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        "prongsai.web.middleware.ProxyMiddleware",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_the_embedded_default_is_unchanged(tmp_path: Path) -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.CACHES['default']['BACKEND'], s.WHITENOISE_USE_FINDERS, "
        "s.DATABASES['default']['ENGINE'], s.PAGE_CACHE]))"
    )
    values = json.loads(python(environment(tmp_path, DJANGO_SETTINGS_MODULE="prongsai.web.settings"), code))
    assert values == [
        False,
        0,
        "django.core.cache.backends.locmem.LocMemCache",
        True,
        "django.db.backends.sqlite3",
        "off",  # a cache of one process's memory would not hear the others' writes
    ]


def test_prepare_says_when_redis_or_postgres_cannot_be_reached(tmp_path: Path) -> None:
    result = prongsai(environment(tmp_path, PRONGSAI_CACHE_URL="redis://127.0.0.1:1/5"), "prepare", check=False)
    assert result.returncode == 2 and "PRONGSAI_CACHE_URL" in result.stderr and "ติดต่อ Redis ไม่ได้" in result.stderr
    result = prongsai(environment(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/none"), "prepare", check=False)
    assert result.returncode == 2 and "DATABASE_URL" in result.stderr and "ติดต่อฐานข้อมูลไม่ได้" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_gunicorn_config_rejects_a_wrong_number(tmp_path: Path) -> None:
    code = "import runpy; runpy.run_path('deploy/gunicorn.conf.py')"
    env = environment(tmp_path, PRONGSAI_WEB_WORKERS="many")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "PRONGSAI_WEB_WORKERS" in result.stderr and "จำนวนเต็ม" in result.stderr
    good = subprocess.run(
        [sys.executable, "-c", code + "['workers']"],
        env=environment(tmp_path, PRONGSAI_WEB_WORKERS="3"),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert good.returncode == 0


def test_the_cache_is_shared_between_processes(tmp_path: Path) -> None:
    """What gunicorn's workers need for one survey rate limit: a value set by one process is seen by another."""
    env = environment(tmp_path, PRONGSAI_CACHE_URL=need_redis(), DJANGO_SETTINGS_MODULE="prongsai.web.settings")
    setup = "import django; django.setup(); from django.core.cache import cache; "
    python(env, setup + "cache.set('deploy-test', 41, 30); cache.incr('deploy-test')")
    assert python(env, setup + "print(cache.get('deploy-test')); cache.delete('deploy-test')").strip() == "42"


def test_proxy_middleware_believes_only_a_local_proxy() -> None:
    seen: list[str] = []
    middleware = ProxyMiddleware(lambda request: seen.append(request.META["REMOTE_ADDR"]) or None)  # type: ignore[func-returns-value,arg-type,return-value]
    factory = RequestFactory()
    middleware(factory.get("/", HTTP_X_REAL_IP="203.0.113.7", REMOTE_ADDR="127.0.0.1"))
    middleware(factory.get("/", HTTP_X_REAL_IP="203.0.113.7", REMOTE_ADDR="198.51.100.2"))  # not through nginx
    middleware(factory.get("/", REMOTE_ADDR="127.0.0.1"))
    assert seen == ["203.0.113.7", "198.51.100.2", "127.0.0.1"]


def test_the_example_env_file_is_a_working_production_configuration(tmp_path: Path) -> None:
    """deploy/prongsai.env.example, once its secret key is set, passes every start-up check."""
    lines = (ROOT / "deploy" / "prongsai.env.example").read_text(encoding="utf-8").splitlines()
    variables = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert variables["PRONGSAI_SECRET_KEY"] == ""  # an unset key stops the start: the example cannot go live as is
    result = _setup(tmp_path, **variables)
    assert result.returncode == 1 and "PRONGSAI_SECRET_KEY" in result.stderr
    variables.update(PRONGSAI_SECRET_KEY=KEY, PRONGSAI_DATA_DIR=str(tmp_path))
    result = _setup(tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    for unit in (ROOT / "deploy" / "systemd").glob("*.service"):
        text = unit.read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/prongsai/prongsai.env" in text, unit.name
    web = (ROOT / "deploy" / "systemd" / "prongsai-web.service").read_text(encoding="utf-8")
    assert "prongsai prepare" in web and "gunicorn -c /opt/prongsai/deploy/gunicorn.conf.py" in web


WARM = """
from prongsai.web.server import warm
warm()
from pathlib import Path
from django.template import engines
import prongsai.web
loader = engines["django"].engine.template_loaders[0]
folder = Path(prongsai.web.__file__).parent / "templates"
print(len(list(folder.rglob("*.html"))), len({k for k in loader.get_template_cache if not k.startswith("admin")}))
"""


def test_warm_compiles_every_template_without_the_database(tmp_path: Path) -> None:
    """gunicorn's master warms up before forking (deploy/gunicorn.conf.py): a database that cannot be reached
    does not matter, and every page template is compiled once for all workers."""
    env = environment(tmp_path, "postgres://nobody@127.0.0.1:1/none")
    templates, compiled = map(int, python(env, WARM).split())
    assert templates > 30 and compiled >= templates


def test_a_write_in_any_process_makes_every_cached_page_stale(tmp_path: Path) -> None:
    """The page cache's generation lives in Redis and every process that runs Django watches its own writes:
    a command-line process or a Celery worker as much as the web workers (pagecache.py, apps.py)."""
    env = environment(
        tmp_path,
        PRONGSAI_CACHE_URL=need_redis(),
        PRONGSAI_PAGE_CACHE="on",
        DJANGO_SETTINGS_MODULE="prongsai.web.settings",
    )
    setup = "import django; django.setup(); from prongsai.web import pagecache; "
    python(env, setup + "from django.core.management import call_command; call_command('migrate', verbosity=0)")
    read = setup + "print(pagecache.generation())"
    before = int(python(env, read))
    python(env, setup + "from prongsai.web.models import Agency; Agency.objects.filter(pk=-1).update(name='x')")
    python(env, setup + "from prongsai.web.models import Agency; list(Agency.objects.all())")  # reads change nothing
    assert int(python(env, read)) == before + 1
