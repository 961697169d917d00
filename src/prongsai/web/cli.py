"""The web app's commands of ``prongsai``: serve, createadmin, prepare, backup, restore, and the web database's
part of ``prongsai frameworks add``. prongsai.cli adds them to its group; this module imports Django only
when one of them runs, so that ``prongsai --help`` and the core's commands stay fast and work without it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from prongsai._cli import FILE, fail_cleanly
from prongsai.errors import ProngsaiError
from prongsai.framework import Framework
from prongsai.frameworks import loaded_dir

__all__ = ["COMMANDS", "framework_load"]


def framework_load(framework: Framework, text: str, source: str, loaded_by: str, *, check: bool, yes: bool) -> bool:
    """Load a framework file where the web app's database holds agencies' data of its year: show what would
    change and which item's data goes where, and change it only with ``yes`` (as the upload page does).
    False where there is no such data: the core adds the file alone."""
    plan = _web_plan(text, source)
    if plan is None or not plan.affected:
        return False
    year = framework.fiscal_year
    from prongsai.web.services.yearload import apply_load, preview_lines

    for line in preview_lines(plan):
        click.echo(line)
    if check:
        click.echo(f"ไฟล์ถูกต้อง: กรอบการประเมินปี {year} มีข้อ OIT {len(framework.items)} ข้อ (nothing changed)")
        return True
    if not yes:
        click.echo(
            f"ยังไม่ได้เปลี่ยนแปลงสิ่งใด: ปี {year} มีข้อมูลของหน่วยงานแล้ว ตรวจสอบรายการข้างต้น "
            "แล้วสั่งอีกครั้งพร้อม --yes เพื่อยืนยัน (nothing changed: add --yes to confirm)",
            err=True,
        )
        sys.exit(1)
    apply_load(plan, loaded_by=loaded_by)
    click.echo(f"เพิ่มกรอบการประเมินปี {year} แล้ว และย้ายข้อมูลของ {plan.agencies} หน่วยงานไปยังข้อใหม่ เก็บไฟล์ไว้ที่ {loaded_dir()}")
    return True


def _web_plan(text: str, source: str) -> Any:
    """The web app's preview of loading this file, or None where there is no web database to look at."""
    try:
        from prongsai.web import server

        server.setup()
        from django.db import DatabaseError, connection

        from prongsai.web.models import Assessment
        from prongsai.web.services.yearload import plan_load
    except (ImportError, ProngsaiError):
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and not (name.startswith(("file:", ":memory:")) or Path(name).exists()):
        return None  # no database yet: nothing to move (and do not create one)
    try:
        if Assessment._meta.db_table not in connection.introspection.table_names():
            return None
        Assessment.objects.exists()
    except (DatabaseError, RuntimeError):  # unreachable or not migrated; RuntimeError: a test without a database
        return None
    return plan_load(text, source)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-demo", is_flag=True, help="Do not create the demo agency อบต.ทรงคนอง.")
@fail_cleanly
def serve(host: str, port: int, no_demo: bool) -> None:
    """Start the web app: migrate, load the frameworks and the demo, print the address, serve."""
    from prongsai.web import server  # Django is imported only when a web command runs

    for line in server.prepare(demo=not no_demo):
        click.echo(line)
    click.echo(f"เปิดเบราว์เซอร์ที่ http://{host}:{port}/  (Ctrl+C เพื่อหยุด)")
    server.serve(host, port)


ADMIN_PASSWORD_ENV = "PRONGSAI_ADMIN_PASSWORD"


def _admin_password() -> str:
    """The password typed twice at a terminal, or PRONGSAI_ADMIN_PASSWORD where there is no terminal."""
    import os

    if given := os.environ.get(ADMIN_PASSWORD_ENV):
        return given
    if not sys.stdin.isatty():
        raise ProngsaiError(
            "ต้องพิมพ์รหัสผ่านที่เทอร์มินัล แต่คำสั่งนี้ไม่ได้ทำงานในเทอร์มินัล "
            f"ให้เรียกคำสั่งจากเทอร์มินัล หรือตั้งรหัสผ่านไว้ในตัวแปร {ADMIN_PASSWORD_ENV}"
        )
    return str(click.prompt("รหัสผ่าน", hide_input=True, confirmation_prompt="พิมพ์รหัสผ่านอีกครั้ง"))


@click.command()
@click.argument("username")
@click.option("--email", default="", help="The admin's e-mail address (for resetting the password by e-mail).")
@click.option(
    "--agency",
    "agency_name",
    default="",
    help="Create this agency with USERNAME as its admin (an agency admin, not a site administrator).",
)
@fail_cleanly
def createadmin(username: str, email: str, agency_name: str) -> None:
    """Create the site administrator (a superuser, for /admin/ and frameworks), or with --agency a new agency
    and its admin. Asks for the password twice; without a terminal it reads PRONGSAI_ADMIN_PASSWORD."""
    from prongsai.web import server

    server.setup()
    from django.core.management import call_command
    from django.utils import translation

    from prongsai.web.services import people

    translation.activate("th")  # Django's password rules speak Thai too (locale/th)
    call_command("migrate", interactive=False, verbosity=0)
    password = _admin_password()
    if agency_name:
        agency = people.agency_admin_create(username, email, password, agency_name)
        click.echo(f"สร้างหน่วยงาน {agency.name} แล้ว ({username} เป็นผู้ดูแลหน่วยงาน)")
    else:
        people.site_admin_create(username, email, password)
        click.echo(f"สร้างผู้ดูแลระบบ {username} แล้ว")


@click.command()
@click.option("--demo", is_flag=True, help="Also create the demo agency อบต.ทรงคนอง (a trial server).")
@fail_cleanly
def prepare(demo: bool) -> None:
    """Get a production server ready (docs/deployment.md): check the settings, migrate, collect static files,
    reach the cache. Run it after every install or upgrade, before starting gunicorn."""
    from prongsai.web import server

    for line in server.prepare_site(demo=demo):
        click.echo(line)


@click.command()
@click.argument("file", type=FILE)
@fail_cleanly
def backup(file: Path) -> None:
    """Back up the database and the uploaded files into FILE (a .tar.gz), safe while the app runs."""
    from prongsai.web import server

    server.setup()
    from prongsai.web.services.backup import backup as make_backup

    manifest = make_backup(file)
    click.echo(
        f"สำรองข้อมูลแล้ว: {file} (ฐานข้อมูล {manifest.engine}, ไฟล์แนบ {manifest.media_files} ไฟล์, {manifest.created})"
    )


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--force", is_flag=True, help="Replace a database or media folder that already holds data.")
@fail_cleanly
def restore(file: Path, force: bool) -> None:
    """Restore a backup made by `prongsai backup` into this installation's database and media folder."""
    from prongsai.web import server

    server.setup()
    from prongsai.web.services.backup import restore as do_restore

    manifest = do_restore(file, force=force)
    click.echo(
        f"กู้คืนข้อมูลแล้ว จาก {file} (สำรองเมื่อ {manifest.created}, โปร่งใส {manifest.prongsai}, "
        f"ไฟล์แนบ {manifest.media_files} ไฟล์)"
    )


COMMANDS = (serve, createadmin, prepare, backup, restore)
