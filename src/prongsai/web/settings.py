"""Django settings, read from environment variables (all documented in docs/configuration.md).

The embedded default needs none: SQLite (WAL) in ./var, a secret key generated once into ./var,
the console e-mail backend. A wrong value fails loudly at start-up rather than being ignored.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [part.strip() for part in value.split(",") if part.strip()] if value else default


DATA_DIR = Path(os.environ.get("PRONGSAI_DATA_DIR") or Path.cwd() / "var").resolve()
DEBUG = env_bool("PRONGSAI_DEBUG", False)


def _secret_key() -> str:
    """PRONGSAI_SECRET_KEY, or (embedded default) a key made once and kept in DATA_DIR."""
    configured = os.environ.get("PRONGSAI_SECRET_KEY", "")
    if configured:
        return configured
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("PRONGSAI_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("PRONGSAI_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("PRONGSAI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_SQLITE, conn_max_age=env_int("PRONGSAI_DB_CONN_MAX_AGE", 60)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
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
AXES_FAILURE_LIMIT = env_int("PRONGSAI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out login may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "prongsai/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# --- secure headers and the Content-Security-Policy ------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("PRONGSAI_SECURE_COOKIES", False)
SECURE_SSL_REDIRECT = env_bool("PRONGSAI_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("PRONGSAI_HSTS_SECONDS", 0)
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

# --- language, time --------------------------------------------------------------------------------

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

# --- files -----------------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even when serving from finders
MEDIA_ROOT = Path(os.environ.get("PRONGSAI_MEDIA_DIR") or DATA_DIR / "media")
MEDIA_URL = "media/"
UPLOAD_MAX_BYTES = env_int("PRONGSAI_UPLOAD_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # the embedded default serves static files without collectstatic

# --- e-mail: the console by default ----------------------------------------------------------------

EMAIL_BACKEND = os.environ.get("PRONGSAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("PRONGSAI_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PRONGSAI_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("PRONGSAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("PRONGSAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PRONGSAI_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("PRONGSAI_EMAIL_FROM", "prongsai@localhost")
REMINDER_DAYS = env_int("PRONGSAI_REMINDER_DAYS", 14)
SURVEY_RATE_LIMIT = env_int("PRONGSAI_SURVEY_RATE", 20)  # submissions per 10 minutes from one address
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PRONGSAI_LOG_LEVEL", "WARNING")},
}
