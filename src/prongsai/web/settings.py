"""Django settings, read from environment variables (all documented in docs/configuration.md).

The embedded default needs none: SQLite (WAL) in ./var, a secret key generated once into ./var,
the console e-mail backend. A wrong value fails loudly at start-up rather than being ignored.
"""

from __future__ import annotations

import os
import secrets
import urllib.parse
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

# Django's generic classes take type parameters at run time too (forms.ModelForm[Unit], admin.ModelAdmin[Agency]),
# as mypy --strict asks of them; django-stubs-ext adds the __class_getitem__ Django lacks.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} ต้องเป็น true หรือ false ไม่ใช่ {value!r} ({name} must be true or false)")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} ต้องเป็นจำนวนเต็ม ไม่ใช่ {value!r} ({name} must be a whole number, e.g. {name}={default})"
        ) from exc
    if number < minimum or (maximum is not None and number > maximum):
        th, en = (
            (f"ระหว่าง {minimum} ถึง {maximum}", f"{minimum}–{maximum}")
            if maximum is not None
            else (f"ไม่น้อยกว่า {minimum}", f"at least {minimum}")
        )
        raise ImproperlyConfigured(f"{name} ต้อง{th} ไม่ใช่ {number} ({name} must be {en}, e.g. {name}={default})")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [part.strip() for part in value.split(",") if part.strip()] if value else default


def env_url(name: str, default: str, schemes: tuple[str, ...], example: str) -> str:
    """A URL whose scheme, host, port and path can be read; anything else stops the start-up, naming ``name``."""
    value = os.environ.get(name, "") or default
    if not value:
        return ""
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} อ่านไม่ได้: {exc} (cannot read {name}; expected e.g. {name}={example})"
        ) from exc
    if parts.scheme not in schemes or (parts.scheme != "sqlite" and not (parts.hostname or parts.path)):
        raise ImproperlyConfigured(
            f"{name} ต้องขึ้นต้นด้วย {' หรือ '.join(s + '://' for s in schemes)} ไม่ใช่ {_redact(value)!r} "
            f"({name} must look like {example})"
        )
    return value


def _redact(url: str) -> str:
    """``url`` without its password, for messages."""
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.password:
            return url.replace(f":{parts.password}@", ":***@", 1)
    except ValueError:
        pass
    return url


DATA_DIR = Path(os.environ.get("PRONGSAI_DATA_DIR") or Path.cwd() / "var").resolve()
DEBUG = env_bool("PRONGSAI_DEBUG", False)
# Production mode (docs/deployment.md): nothing is generated or guessed; what a public server needs must be set.
PRODUCTION = env_bool("PRONGSAI_PRODUCTION", False)


def _production_needs(name: str, why: str) -> str:
    value = os.environ.get(name, "")
    if PRODUCTION and not value:
        raise ImproperlyConfigured(f"PRONGSAI_PRODUCTION=true ต้องตั้งค่า {name} ด้วย (production mode needs {name}: {why})")
    return value


_production_needs("PRONGSAI_DATA_DIR", "the folder of uploads and static files, e.g. /var/lib/prongsai")


def weak_secret_key(key: str) -> bool:
    """Django's own rule (security check W009): shorter than 50 characters, fewer than 5 different characters,
    or a key made by startproject (django-insecure-…). A key that signs sessions must not be guessable."""
    return len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure")


def _secret_key() -> str:
    """PRONGSAI_SECRET_KEY, or (embedded default) a key made once and kept in DATA_DIR."""
    configured = _production_needs(
        "PRONGSAI_SECRET_KEY",
        "a random string of 50 characters, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
    )
    if PRODUCTION and weak_secret_key(configured):
        raise ImproperlyConfigured(
            "PRONGSAI_SECRET_KEY เดาง่ายเกินไป ต้องยาวอย่างน้อย 50 ตัวอักษร มีตัวอักษรต่างกันอย่างน้อย 5 ตัว และไม่ขึ้นต้นด้วย "
            "django-insecure ให้สร้างใหม่ด้วย python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
            "(PRONGSAI_SECRET_KEY is weak: Django's rule W009 asks for 50 characters or more, 5 or more different "
            "ones, and no django-insecure prefix)"
        )
    if configured:
        return configured
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
_production_needs("PRONGSAI_ALLOWED_HOSTS", "the host names of the site, e.g. ita.example.go.th")
ALLOWED_HOSTS = env_list("PRONGSAI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
_production_needs("PRONGSAI_SITE_URL", "the public address, e.g. https://ita.example.go.th")
SITE_URL = env_url("PRONGSAI_SITE_URL", "http://127.0.0.1:8000", ("http", "https"), "https://ita.example.go.th")
SITE_URL = SITE_URL.rstrip("/")
HTTPS = SITE_URL.startswith("https://")
if PRODUCTION and not HTTPS:
    raise ImproperlyConfigured(
        f"PRONGSAI_SITE_URL ต้องขึ้นต้นด้วย https:// ในโหมดใช้งานจริง ไม่ใช่ {SITE_URL} เพราะรหัสผ่านและคุกกี้เข้าสู่ระบบจะส่งผ่าน"
        "เครือข่ายโดยไม่เข้ารหัส (production mode needs an https:// PRONGSAI_SITE_URL, e.g. https://ita.example.go.th: "
        "over http:// passwords and session cookies cross the network in the clear)"
    )
# Behind HTTPS the site's own origin is trusted for CSRF (a TLS-terminating proxy forwards plain HTTP).
CSRF_TRUSTED_ORIGINS = env_list("PRONGSAI_CSRF_TRUSTED_ORIGINS", [SITE_URL] if HTTPS else [])
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "PRONGSAI_DEBUG ต้องเป็น false ในโหมดใช้งานจริง "
        "(PRONGSAI_DEBUG=true shows internals: never with PRONGSAI_PRODUCTION=true)"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_htmx",
    "prongsai.web.apps.WebConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "prongsai.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "prongsai.web.urls"
WSGI_APPLICATION = "prongsai.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL ---------------------------

DEFAULT_SQLITE = f"sqlite:///{DATA_DIR / 'prongsai.sqlite3'}"
DATABASE_EXAMPLE = "postgres://prongsai:PASSWORD@127.0.0.1:5432/prongsai"


def _database() -> dict[str, object]:
    url = env_url("DATABASE_URL", DEFAULT_SQLITE, ("postgres", "postgresql", "pgsql", "sqlite"), DATABASE_EXAMPLE)
    if PRODUCTION and not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured(
            f"PRONGSAI_PRODUCTION=true ต้องใช้ PostgreSQL: ตั้งค่า DATABASE_URL (production mode runs on PostgreSQL: "
            f"set DATABASE_URL={DATABASE_EXAMPLE})"
        )
    if not url.startswith("sqlite") and not urllib.parse.urlsplit(url).path.strip("/"):
        raise ImproperlyConfigured(
            f"DATABASE_URL ไม่มีชื่อฐานข้อมูล ({_redact(url)!r} names no database: expected {DATABASE_EXAMPLE})"
        )
    try:
        return dict(dj_database_url.parse(url, conn_max_age=env_int("PRONGSAI_DB_CONN_MAX_AGE", 60)))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL อ่านไม่ได้: {exc} (cannot read DATABASE_URL; expected {DATABASE_EXAMPLE})"
        ) from exc


def _private_file(path: Path) -> None:
    """Create ``path`` empty, readable and writable by this user only (an empty file is an empty SQLite
    database, and SQLite gives its -wal and -shm files the database's mode); one made before by this user is
    made private too. Other accounts on a shared server must not read every agency's data and survey answers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    if path.stat().st_uid == os.geteuid():
        path.chmod(0o600)


DATABASES = {"default": _database()}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if _sqlite_name and _sqlite_name != ":memory:" and not _sqlite_name.startswith("file:"):
        _private_file(Path(_sqlite_name))
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE avoids "database is locked" upgrades.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth: argon2, throttled logins -----------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AXES_FAILURE_LIMIT = env_int("PRONGSAI_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out login may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "prongsai/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Failed logins from one address, whatever the user names, before it must wait 15 minutes (throttle.py).
LOGIN_ADDRESS_LIMIT = env_int("PRONGSAI_LOGIN_ADDRESS_LIMIT", 30, minimum=1)

# --- secure headers and the Content-Security-Policy ------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A site on https:// sends cookies over HTTPS only and asks browsers to stay on HTTPS for a year (HSTS).
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("PRONGSAI_SECURE_COOKIES", HTTPS)
SECURE_SSL_REDIRECT = env_bool("PRONGSAI_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("PRONGSAI_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
# Behind nginx (docs/deployment.md): the scheme from X-Forwarded-Proto and the client's address from X-Real-IP,
# which the survey rate limit and the login throttle count by; trusted only from a proxy on this machine.
BEHIND_PROXY = env_bool("PRONGSAI_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    MIDDLEWARE.insert(0, "prongsai.web.middleware.ProxyMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- cache: in the process by default; Redis when several gunicorn workers must share rate limits ------

CACHE_URL = env_url("PRONGSAI_CACHE_URL", "", ("redis", "rediss", "unix"), "redis://127.0.0.1:6379/2")
if PRODUCTION and not CACHE_URL:
    raise ImproperlyConfigured(
        "PRONGSAI_PRODUCTION=true ต้องตั้งค่า PRONGSAI_CACHE_URL ด้วย (production mode needs PRONGSAI_CACHE_URL so that "
        "gunicorn's workers share the rate limits, e.g. PRONGSAI_CACHE_URL=redis://127.0.0.1:6379/2)"
    )
if CACHE_URL and CACHE_URL.startswith(("redis://", "rediss://")):
    _db = urllib.parse.urlsplit(CACHE_URL).path.strip("/")
    if _db and not _db.isdigit():
        raise ImproperlyConfigured(
            f"PRONGSAI_CACHE_URL: ฐานข้อมูล Redis ต้องเป็นตัวเลข ไม่ใช่ {_db!r} (the Redis database must be a number, "
            "e.g. redis://127.0.0.1:6379/2)"
        )
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": "prongsai"}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
if CACHE_URL:  # sessions are read from Redis (one database query less per page) and written to both
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Rendered pages kept until the database changes (prongsai/web/pagecache.py): only with a cache that every
# process shares, since each process's writes must reach the others.
PAGE_CACHE = os.environ.get("PRONGSAI_PAGE_CACHE", "") or ("on" if CACHE_URL else "off")
if PAGE_CACHE not in ("on", "off", "verify"):
    raise ImproperlyConfigured(
        f"PRONGSAI_PAGE_CACHE ต้องเป็น on, off หรือ verify ไม่ใช่ {PAGE_CACHE!r} "
        "(PRONGSAI_PAGE_CACHE must be on, off or verify, e.g. PRONGSAI_PAGE_CACHE=on)"
    )
if PAGE_CACHE == "on" and not CACHE_URL:
    raise ImproperlyConfigured(
        "PRONGSAI_PAGE_CACHE=on ต้องมี PRONGSAI_CACHE_URL (the page cache needs a cache that every process shares: "
        "set PRONGSAI_CACHE_URL=redis://127.0.0.1:6379/1)"
    )

# --- language, time --------------------------------------------------------------------------------

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

# --- files -----------------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("PRONGSAI_STATIC_ROOT") or DATA_DIR / "static").resolve()
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even when serving from finders
MEDIA_ROOT = Path(os.environ.get("PRONGSAI_MEDIA_DIR") or DATA_DIR / "media")
# Uploads (evidence, templates, imports) and what jobs write are agencies' files, served only through the
# views that check access: no other account on the server reads them. The folder is made private when
# prongsai makes it, and Django writes files and folders under it private too.
MEDIA_ROOT.mkdir(mode=0o700, parents=True, exist_ok=True)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MEDIA_URL = "media/"
UPLOAD_MAX_BYTES = env_int("PRONGSAI_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves what `prongsai prepare` collected, under hashed names cached for a year.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION  # the embedded default serves static files without collectstatic

# --- e-mail: the console by default ----------------------------------------------------------------

EMAIL_BACKEND = os.environ.get("PRONGSAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("PRONGSAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PRONGSAI_EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = os.environ.get("PRONGSAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PRONGSAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PRONGSAI_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("PRONGSAI_EMAIL_FROM", "prongsai@localhost")
REMINDER_DAYS = env_int("PRONGSAI_REMINDER_DAYS", 14)
SURVEY_RATE_LIMIT = env_int("PRONGSAI_SURVEY_RATE", 20, minimum=1)  # submissions per 10 minutes from one address
SURVEY_BURST_LIMIT = env_int("PRONGSAI_SURVEY_BURST", 5, minimum=1)  # and per 10 seconds: no person answers that fast
CHECK_ALLOW_HOSTS = env_list("PRONGSAI_CHECK_ALLOW_HOSTS", [])  # private/loopback hosts the checker may visit

# --- background jobs: threads of the web process by default, Celery workers on Redis when a broker is set ---


def _jobs_runner() -> tuple[str, str]:
    broker = os.environ.get("PRONGSAI_BROKER_URL", "")
    runner = os.environ.get("PRONGSAI_JOBS", "") or ("celery" if broker else "thread")
    if runner not in ("thread", "inline", "celery"):
        raise ImproperlyConfigured(f"PRONGSAI_JOBS must be thread, inline or celery, not {runner!r}")
    if runner == "celery" and not broker.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(
            f"PRONGSAI_JOBS=celery needs PRONGSAI_BROKER_URL=redis://host:6379/0, not {broker!r}"
        )
    return runner, broker


JOBS_RUNNER, JOBS_BROKER_URL = _jobs_runner()
JOBS_STALE_SECONDS = env_int("PRONGSAI_JOBS_STALE_SECONDS", 60)  # no heartbeat for this long: the worker died
JOBS_MAX_ATTEMPTS = env_int("PRONGSAI_JOBS_MAX_ATTEMPTS", 3)

LOG_LEVEL = os.environ.get("PRONGSAI_LOG_LEVEL", "").upper() or "WARNING"
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"PRONGSAI_LOG_LEVEL ต้องเป็น DEBUG, INFO, WARNING, ERROR หรือ CRITICAL ไม่ใช่ {LOG_LEVEL!r} "
        "(PRONGSAI_LOG_LEVEL must be a Python logging level, e.g. WARNING)"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No record about the public survey form: its time (and address) could match a respondent to an answer.
    "filters": {"no_survey_requests": {"()": "prongsai.web.logs.SurveyRequests"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_survey_requests"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own handlers (a console one when PRONGSAI_DEBUG is on) would bypass the filter: its records go
    # to the root's handler only.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
    },
}
