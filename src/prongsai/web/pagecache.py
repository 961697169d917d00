"""Rendered pages kept in the shared cache until the data changes.

The busiest pages (an agency's dashboard, analysis and register, an office's dashboard) cost 10–15 ms of
CPU to build, most of it Django's ORM and templates, and people reload them far more often than anyone
changes the data behind them. ``@cached_page`` keeps a page's HTML and serves it again while nothing in the
database has changed.

"Nothing has changed" is decided below the ORM, not by remembering to invalidate: every SQL statement goes
through ``_watch`` (a Django execute wrapper on every connection), and any statement that may write, on any
table but the few in ``UNSHOWN_TABLES``, bumps one generation number in the cache. A page is kept with the
generation it was built at and served only while that is still the generation, so every write (a form, a
background job, a Celery worker, ``.update()``, ``bulk_create``, raw SQL) makes every cached page stale.
Inside a transaction the generation is bumped at each write (the same connection already reads its own
changes) and once more after commit (other connections read them only from then on), so no page built from
the old data is ever served as current.

A page is kept per user, language, day, path with query string and HTMX or not; the per-request CSRF token
is taken out before the page is stored and put back, freshly masked, when it is served. Pages with messages
to show, pages that set cookies or headers, and any response but a 200 are never stored.

``PRONGSAI_PAGE_CACHE``: ``on`` (the default when ``PRONGSAI_CACHE_URL`` names a shared Redis),
``off`` (the default without one: a per-process cache would not hear writes made by other processes, such as
the command line), ``verify`` (tests: a stored page is built again on every hit and must be the same).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any, ParamSpec, cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from prongsai.frameworks import sources_stamp

log = logging.getLogger(__name__)
P = ParamSpec("P")

GENERATION_KEY = "page:generation"
TIMEOUT = 600  # seconds: a page nobody asks for again leaves the cache by itself
# Tables no cached page reads, written far more often than anything shown: sessions, the login throttle
# (django-axes), the job queue's bookkeeping (progress and heartbeats every few seconds). A test checks that
# the cached pages never read them.
UNSHOWN_TABLES = frozenset(
    {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "prongsai_job"}
)
# This process's pages only: a restart (a new version of the code) starts with an empty cache. gunicorn
# imports this in its master, so all its workers share one.
BUILD = secrets.token_hex(4)

_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW", "EXPLAIN", "PRAGMA")
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]+)(")')
_CSRF_MARK = "\x00csrf\x00"


class StalePage(AssertionError):
    """PRONGSAI_PAGE_CACHE=verify found a stored page that differs from the page built now."""


# --- the generation ---------------------------------------------------------------------------------


def changes_pages(sql: str) -> bool:
    """Whether a statement may change what a cached page shows: any write outside ``UNSHOWN_TABLES``."""
    head = sql.lstrip()[:10].upper()
    if head.startswith(_READS):
        return False
    write = _WRITE.match(sql)
    return not (write and write.group(1).lower() in UNSHOWN_TABLES)


def generation() -> int:
    # a random start, not 0: should the key be evicted, no page kept at an old generation comes back to life
    # cast: get_or_set gives None only for a stored None, and this key holds an int (django-stubs: Any | None)
    return int(cast(int, cache.get_or_set(GENERATION_KEY, _random_start, timeout=None)))


def _random_start() -> int:
    return secrets.randbelow(2**31)


def bump() -> None:
    """A write reached the database: every cached page is stale. A cache that cannot be reached does not stop the
    write; its pages, should it come back with them, are at most ``TIMEOUT`` old, and the next write passes them."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet, or evicted
            cache.add(GENERATION_KEY, _random_start(), timeout=None)
            cache.incr(GENERATION_KEY)
    except Exception:  # redis-py's errors: the cache is down
        log.warning("page cache: cannot mark the cached pages stale", exc_info=True)


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    if changes_pages(sql):
        connection: BaseDatabaseWrapper = context["connection"]
        bump()
        # (savepoints, func, robust) since Django 4.2; django-stubs still describe pairs, so by index
        if connection.in_atomic_block and not any(entry[1] is bump for entry in connection.run_on_commit):
            connection.on_commit(bump)
    return result


def _install(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def watch_writes() -> None:
    """Watch every database connection this process opens (called at start-up when the page cache is on)."""
    connection_created.connect(_install, dispatch_uid="prongsai.pagecache")
    for connection in connections.all():  # this thread's connections, should one be open already
        _install(None, connection)


# --- pages ------------------------------------------------------------------------------------------


def _key(request: HttpRequest) -> str:
    parts = [
        BUILD,
        str(request.user.pk),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        sources_stamp(),  # a framework file loaded (no database write) changes every page of its year
        "htmx" if request.headers.get("HX-Request") else "",
        request.get_full_path(),
    ]
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> str | None:
    """The page's HTML with the CSRF token taken out, or None when this response must not be kept."""
    if response.status_code != 200 or response.cookies or set(response.headers) - {"Content-Type"}:
        return None
    if getattr(request, "_csp_nonce", None):  # a nonce is per response: a page that used one is not kept
        return None
    return _CSRF.sub(rf"\g<1>{_CSRF_MARK}\g<3>", response.content.decode())


def _serve(request: HttpRequest, html: str, content_type: str) -> HttpResponse:
    return HttpResponse(html.replace(_CSRF_MARK, get_token(request)), content_type=content_type)


def cached_page(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Serve ``view``'s page from the cache while the database is unchanged (GET, logged-in users)."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        request = args[0]
        assert isinstance(request, HttpRequest)
        mode = settings.PAGE_CACHE
        if mode == "off" or request.method != "GET" or len(messages.get_messages(request)):
            return view(*args, **kwargs)
        key = _key(request)
        try:  # one round trip: the generation now and the page with the generation it was built at
            found = cache.get_many([GENERATION_KEY, key])
            gen = found[GENERATION_KEY] if GENERATION_KEY in found else generation()
        except Exception:  # the cache is down: build the page as if there were none
            log.warning("page cache: cannot read the cache", exc_info=True)
            return view(*args, **kwargs)
        built_at, kept, content_type = found.get(key) or (None, None, "")
        if built_at != gen:
            kept = None
        if kept is not None and mode != "verify":
            return _serve(request, kept, content_type)
        response = view(*args, **kwargs)
        html = _storable(request, response)
        if html is None:
            return response
        if kept is not None and kept != html:
            diff = "\n".join(difflib.unified_diff(kept.splitlines(), html.splitlines(), lineterm="", n=1))
            raise StalePage(f"{request.get_full_path()}: the cached page differs from the page built now\n{diff}")
        # Kept with the generation read before it was built: should a write come meanwhile, the page is already
        # stale, since every later request reads the next generation.
        with contextlib.suppress(Exception):  # the cache went down meanwhile: nothing is kept, nothing is lost
            cache.set(key, (gen, html, response.headers.get("Content-Type", "text/html")), TIMEOUT)
        return response

    return wrapper
