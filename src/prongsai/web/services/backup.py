"""Backups: one tar.gz holding the database, the media files (evidence, agency templates, check evidence)
and a manifest; a restore checks the archive before it writes anything.

    manifest.json          format, prongsai version, date, engine, applied migrations, media file count
    database.sqlite3       SQLite: a copy made with sqlite3's online backup API (safe while the app runs)
    database.dump          PostgreSQL: pg_dump --format=custom
    media/...              every file under MEDIA_ROOT

The archive is created readable by its owner only (0600): it holds every agency's data and the password
hashes. Sessions (django_session) are left out: their keys log a browser in, and a restored server has no use
for them (everyone logs in again). A restore refuses an archive of another engine, one whose migrations this
version does not know (made by a newer prongsai), and a database or media folder that already holds data unless
``force``. PostgreSQL is restored in one transaction (the old data stays if anything fails); then migrations
bring an older archive up to this version. The secret key is not in the archive: keep PRONGSAI_SECRET_KEY (or
the data folder's secret_key) beside it (only sessions and password-reset links depend on it).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import DatabaseError, connection

from prongsai.errors import ProngsaiError
from prongsai.web import pagecache

FORMAT = 1
MANIFEST = "manifest.json"
ENGINES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
# Rows that a migrated but unused database has already: they do not make it "not empty".
_SKELETON = {"contenttypes.contenttype", "auth.permission"}


class BackupError(ProngsaiError):
    """A backup or restore that cannot be done; the message says why and what to do (Thai, then English)."""


F = TypeVar("F", bound=Callable[..., Any])


def _database_errors(func: F) -> F:
    """A database that cannot be reached is one line too, not a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DatabaseError as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise BackupError(
                f"DATABASE_URL: ติดต่อฐานข้อมูลไม่ได้: {reason} (cannot use the database: check DATABASE_URL)"
            ) from exc

    return cast(F, wrapper)


@dataclass
class Manifest:
    engine: str
    migrations: dict[str, list[str]]
    media_files: int
    created: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    prongsai: str = field(default_factory=lambda: version("prongsai"))
    format: int = FORMAT

    @property
    def database_file(self) -> str:
        return ENGINES[self.engine]


# --- backup -------------------------------------------------------------------------------------------------


@_database_errors
def backup(target: Path) -> Manifest:
    """Write the archive to ``target`` (through a temporary file beside it, so a failed backup leaves none)."""
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    media = sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())
    manifest = Manifest(engine=engine, migrations=_applied_migrations(), media_files=len(media))
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="prongsai-backup-") as work:
        database = Path(work) / manifest.database_file
        sessions = _session_table()
        if engine == "sqlite":
            _sqlite_copy(_sqlite_file(), database)
            _sqlite_forget(database, sessions)
        else:
            dump = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--exclude-table-data={sessions}"]
            _run([*dump, f"--file={database}"], "pg_dump")
        partial = target.with_name(f".{target.name}.partial")
        try:
            # 0600 from the first byte (not chmod afterwards): no moment in which another user could open it
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(descriptor, 0o600)  # a partial file left by a killed backup keeps its old mode otherwise
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                _add_bytes(tar, MANIFEST, json.dumps(asdict(manifest), ensure_ascii=False, indent=2).encode())
                tar.add(database, arcname=manifest.database_file)
                for path in media:
                    tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}", recursive=False)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(dt.datetime.now().timestamp()), 0o644
    tar.addfile(info, io.BytesIO(data))


def _session_table() -> str:
    from django.contrib.sessions.models import Session

    return str(Session._meta.db_table)


def _sqlite_forget(database: Path, table: str) -> None:
    """The copy without the table's rows, and VACUUMed so that no free page keeps their bytes."""
    connection = sqlite3.connect(database)
    try:
        with connection:
            if connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone():
                connection.execute(f'DELETE FROM "{table}"')
        connection.execute("VACUUM")
    finally:
        connection.close()


def _sqlite_copy(source: Path, target: Path) -> None:
    """sqlite3's online backup API: a consistent copy even while the app writes (WAL included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


# --- restore ------------------------------------------------------------------------------------------------


def read_manifest(archive: Path) -> Manifest:
    if not archive.is_file():
        raise BackupError(f"ไม่พบไฟล์ข้อมูลสำรอง {archive} (no backup file at {archive})")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.next()
            handle = tar.extractfile(member) if member is not None and member.name == MANIFEST else None
            data: dict[str, Any] = json.loads(handle.read()) if handle is not None else {}
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise BackupError(f"{archive}: ไม่ใช่ไฟล์ข้อมูลสำรองของโปร่งใส ({exc}) (not a prongsai backup)") from exc
    if data.get("format") != FORMAT or data.get("engine") not in ENGINES:
        raise BackupError(f"{archive}: ไม่ใช่ไฟล์ข้อมูลสำรองของโปร่งใสที่รุ่นนี้อ่านได้ (not a prongsai backup of format {FORMAT})")
    return Manifest(
        engine=data["engine"],
        migrations={app: list(names) for app, names in data["migrations"].items()},
        media_files=int(data["media_files"]),
        created=data["created"],
        prongsai=data["prongsai"],
    )


@_database_errors
def restore(archive: Path, *, force: bool = False) -> Manifest:
    """Replace this installation's database and media files with the archive's."""
    manifest = read_manifest(archive)
    engine = _engine()
    if manifest.engine != engine:
        raise BackupError(
            f"ข้อมูลสำรองนี้เป็นฐานข้อมูล {manifest.engine} แต่ระบบนี้ใช้ {engine}: กู้คืนข้ามชนิดฐานข้อมูลไม่ได้ "
            f"(the backup is of a {manifest.engine} database; this installation uses {engine}: set DATABASE_URL "
            "to the same kind of database)"
        )
    unknown = sorted(
        f"{app}.{name}" for app, names in manifest.migrations.items() for name in names if (app, name) not in _known()
    )
    if unknown:
        raise BackupError(
            f"ข้อมูลสำรองมาจากโปร่งใสรุ่นที่ใหม่กว่า ({manifest.prongsai}; migration {', '.join(unknown[:3])}): "
            f"ปรับรุ่นโปร่งใสก่อนกู้คืน (the backup was made by a newer prongsai: upgrade this one first)"
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        occupied = _occupied_tables()
        if occupied or _has_files(media_root):
            what = ", ".join(occupied[:3]) if occupied else str(media_root)
            raise BackupError(
                f"ฐานข้อมูลหรือโฟลเดอร์ไฟล์มีข้อมูลอยู่แล้ว ({what}): ใช้ --force เพื่อเขียนทับ "
                "(the database or media folder is not empty: add --force to replace it)"
            )
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".prongsai-restore-", dir=media_root.parent) as work:
        staging = Path(work)
        _extract(archive, manifest, staging)
        connection.close()
        if engine == "sqlite":
            _sqlite_restore(staging / manifest.database_file, _sqlite_file())
        else:
            _postgres_restore(staging / manifest.database_file, staging / "restore.sql")
        _replace_media(staging / "media", media_root)
    connection.close()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)  # an older archive comes up to this version
    pagecache.bump()  # the database was replaced outside Django: no cached page of the old one may be served
    return manifest


def _extract(archive: Path, manifest: Manifest, staging: Path) -> None:
    (staging / "media").mkdir()
    allowed = {MANIFEST, manifest.database_file}
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar:
            if member.name not in allowed and not member.name.startswith("media/"):
                raise BackupError(f"{archive}: มีไฟล์ที่ไม่รู้จัก {member.name} (unexpected file in the backup)")
            if not (member.isfile() or member.isdir()):
                raise BackupError(f"{archive}: {member.name} ไม่ใช่ไฟล์ธรรมดา (not a regular file)")
            tar.extract(member, staging, filter="data")  # "data": no absolute paths, no escaping the folder
    if not (staging / manifest.database_file).is_file():
        raise BackupError(f"{archive}: ไม่มีฐานข้อมูล {manifest.database_file} (the backup holds no database)")


def _sqlite_restore(source: Path, target: Path) -> None:
    check = sqlite3.connect(source)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"ฐานข้อมูลในไฟล์ข้อมูลสำรองเสีย ({exc}) (the backup's database is damaged)") from exc
    finally:
        check.close()
    if ok != ("ok",):
        raise BackupError(f"ฐานข้อมูลในไฟล์ข้อมูลสำรองเสีย ({ok}) (the backup's database is damaged)")
    target.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(source, target)  # page by page into the live file: its WAL stays consistent


def _postgres_restore(dump: Path, script: Path) -> None:
    """One transaction: the public schema is emptied and the dump loaded, or nothing changes."""
    _run(["pg_restore", "--no-owner", "--no-privileges", "--no-comments", f"--file={script}", str(dump)], "pg_restore")
    preamble = script.with_name("preamble.sql")
    preamble.write_text("DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n", encoding="utf-8")
    psql = ["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction"]
    _run([*psql, f"--file={preamble}", f"--file={script}"], "psql")


def _replace_media(staged: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    for child in staged.iterdir():
        shutil.move(child, media_root / child.name)


# --- the database -------------------------------------------------------------------------------------------


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ENGINES:
        raise BackupError(f"สำรองข้อมูลฐานข้อมูล {vendor} ไม่ได้ (backups support SQLite and PostgreSQL only)")
    return vendor


def _applied_migrations() -> dict[str, list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _known() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _occupied_tables() -> list[str]:
    """Tables of this app's models that hold rows (a freshly migrated database has none)."""
    from django.apps import apps

    tables = set(connection.introspection.table_names())
    return [
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.label_lower not in _SKELETON
        and model._meta.db_table in tables
        and model._default_manager.using("default").exists()
    ]


def _has_files(folder: Path) -> bool:
    return folder.exists() and any(p.is_file() for p in folder.rglob("*"))


def _sqlite_file() -> Path:
    """The SQLite database's file: its NAME in settings.DATABASES (typed there as an object)."""
    return Path(str(settings.DATABASES["default"]["NAME"]))


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def _run(command: list[str], tool: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(
            f"ไม่พบคำสั่ง {tool}: ติดตั้งด้วย apt-get install postgresql-client ({tool} is missing: install "
            "Debian's postgresql-client, of the server's major version or newer)"
        )
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or [f"exit code {result.returncode}"])[-1]
        raise BackupError(f"{tool} ทำงานไม่สำเร็จ: {reason} ({tool} failed)")
