"""Start the web app on the embedded default: migrate, check the frameworks, load the demo, serve.

Waitress is a real, pure-Python WSGI server: the same command works on a district office's laptop
(Linux or Windows). A scaled-out setup runs gunicorn on PostgreSQL instead (docs/configuration.md).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import django
from django.core.exceptions import ImproperlyConfigured

from prongsai.errors import ProngsaiError


class ConfigurationError(ProngsaiError):
    """A setting that cannot work (docs/configuration.md); the CLI prints it as one line, exit code 2."""


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.web.settings")
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ConfigurationError(str(exc)) from exc


# Folders a process makes while it works (documents, backups, LibreOffice's profile, an import): removed when it
# ends, but left behind by a process that was killed. Older than any job may run (the Celery visibility timeout).
STALE_FOLDER_SECONDS = 6 * 3600
STALE_PREFIXES = ("prongsai-", ".prongsai-restore-")


def clean_stale_folders(*folders: Path, older_than: float = STALE_FOLDER_SECONDS) -> int:
    """Remove this app's temporary folders (STALE_PREFIXES) not touched for ``older_than`` seconds from the
    temporary folder and the data folder (or ``folders``). Returns how many were removed."""
    from django.conf import settings

    places = folders or (Path(tempfile.gettempdir()), Path(settings.DATA_DIR))
    cutoff = time.time() - older_than
    removed = 0
    for place in places:
        if not place.is_dir():
            continue
        for folder in place.iterdir():
            if folder.name.startswith(STALE_PREFIXES) and folder.is_dir() and not folder.is_symlink():
                try:
                    if folder.stat().st_mtime < cutoff:
                        shutil.rmtree(folder)
                        removed += 1
                except OSError:  # another process's folder, or removed meanwhile: not ours to fight over
                    continue
    return removed


def prepare(*, demo: bool = True) -> list[str]:
    """Migrate and load what the app needs; returns lines to tell the user."""
    setup()
    from django.conf import settings

    from prongsai.web.demo import demo_password, secure_demo_logins

    password = demo_password() if demo else None  # production mode refuses the README's, before anything is done
    from django.core.management import call_command

    from prongsai.frameworks import load_all

    call_command("migrate", interactive=False, verbosity=0)
    lines = [f"กรอบการประเมิน: ปีงบประมาณ {', '.join(str(f.fiscal_year) for f in load_all())}"]
    from prongsai.web import jobs

    restarted = jobs.reap()  # jobs whose process stopped with the last run (their heartbeat went stale)
    if restarted:
        lines.append(f"เริ่มงานเบื้องหลังที่ค้างอยู่ใหม่ {len(restarted)} งาน")
    swept = clean_stale_folders()
    if swept:
        lines.append(f"ลบโฟลเดอร์ชั่วคราวที่ค้างจากงานที่หยุดกลางคัน {swept} โฟลเดอร์")
    if demo:
        from prongsai.web.demo import DEMO_OFFICE_USERNAME, DEMO_USERNAME, demo_exists, load_demo

        assert password is not None
        if not demo_exists():
            load_demo(password)
            lines.append(f"สร้างหน่วยงานตัวอย่าง อบต.ทรงคนอง แล้ว: เข้าสู่ระบบด้วย {DEMO_USERNAME} / {password}")
            lines.append(f"สำนักงานกำกับดูแลตัวอย่าง (ข้อมูลสมมติ): เข้าสู่ระบบด้วย {DEMO_OFFICE_USERNAME} / {password}")
        else:
            lines.append(f"หน่วยงานตัวอย่างมีอยู่แล้ว: เข้าสู่ระบบด้วย {DEMO_USERNAME} หรือ {DEMO_OFFICE_USERNAME}")
    if settings.PRODUCTION:
        lines.extend(secure_demo_logins(password))
    return lines


def warm() -> None:
    """What every process would otherwise do on its first requests (≈0.2 s): import every view with the URLconf,
    build the table of URL names, read the frameworks and compile the page templates. gunicorn calls it in its
    master before the workers fork; the database is not touched."""
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver, reverse

    from prongsai.frameworks import load_all

    setup()
    get_resolver().url_patterns  # noqa: B018 -- imports the URLconf and with it every view module
    reverse("home")  # fills the resolver's table of names
    load_all()
    folder = Path(__file__).parent / "templates"
    for template in sorted(folder.rglob("*.html")):
        get_template(template.relative_to(folder).as_posix())  # kept compiled by Django's cached loader
    connections.close_all()  # should an import have opened one, no worker inherits a database connection


def prepare_site(*, demo: bool = False) -> list[str]:
    """What a production start needs (docs/deployment.md): migrate, collect the static files, reach the cache."""
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import DatabaseError

    setup()
    # Redis first: every write to the database also reaches the page cache (pagecache.py)
    if settings.CACHE_URL:
        try:
            cache.set("prongsai:prepare", "ok", timeout=10)
            reached = cache.get("prongsai:prepare") == "ok"
            cache.delete("prongsai:prepare")
        except Exception as exc:  # redis-py's errors: a connection refused, a wrong password, a wrong database
            reason = str(exc).strip() or type(exc).__name__
            raise ConfigurationError(
                f"PRONGSAI_CACHE_URL: ติดต่อ Redis ไม่ได้: {reason} (cannot reach Redis: check PRONGSAI_CACHE_URL and "
                "that redis-server is running)"
            ) from exc
        if not reached:
            raise ConfigurationError("PRONGSAI_CACHE_URL: Redis ไม่เก็บค่า (Redis did not keep a value)")
    try:
        lines = prepare(demo=demo)
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigurationError(
            f"DATABASE_URL: ติดต่อฐานข้อมูลไม่ได้: {reason} (cannot use the database: check DATABASE_URL and that "
            "PostgreSQL is running)"
        ) from exc
    call_command("collectstatic", interactive=False, verbosity=0)
    lines.append(f"ไฟล์ static อยู่ที่ {settings.STATIC_ROOT}")
    if settings.CACHE_URL:
        lines.append("แคช Redis ใช้งานได้")
    return lines


def serve(host: str, port: int, threads: int = 8) -> None:
    from waitress import serve as waitress_serve

    from prongsai.web import jobs
    from prongsai.web.wsgi import application

    jobs.start_reaper()  # a job whose thread died with a crash is handed out again (or failed) while serving
    waitress_serve(application, host=host, port=port, threads=threads, ident="prongsai")
