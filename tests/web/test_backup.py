"""Backup and restore round trips: the demo agency plus uploaded files, backed up with `prongsai backup`,
restored with `prongsai restore` into a fresh empty database (SQLite, and PostgreSQL), then every model's
row count and every media file byte for byte compared. Restore refuses what it must refuse."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from ._deploy import environment, need_redis, postgres_database, prongsai, python

pytestmark = pytest.mark.slow  # starts servers, workers or other programs (CONTRIBUTING.md)

SEED = """
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.conf import settings
from pathlib import Path
from prongsai.web import server
server.prepare()
from django.contrib.auth.models import User
from prongsai.web import services
from prongsai.web.models import AgencyTemplate, Assessment
user = User.objects.get(username="demo")
entry = Assessment.objects.get(fiscal_year=2565).register.get(item_code="O1")
pdf = b"%PDF-1.4\\n" + bytes(range(256)) * 40
services.evidence_add(user, entry, SimpleUploadedFile("โครงสร้างหน่วยงาน.pdf", pdf))
AgencyTemplate.objects.create(agency=entry.assessment.agency, kind="measures", file=ContentFile(b"PK-docx", "m.docx"))
check = Path(settings.MEDIA_ROOT) / "checks" / str(entry.assessment.agency_id) / "1" / "page.html"
check.parent.mkdir(parents=True)
check.write_text("<html>หน้าแรก</html>", encoding="utf-8")
"""
GENERATION = """
from prongsai.web import server
server.setup()
from prongsai.web import pagecache
print(pagecache.generation())
"""
COUNTS = """
import json
from prongsai.web import server
server.setup()
from django.apps import apps

print(json.dumps({m._meta.label: m._default_manager.count() for m in apps.get_models()}))
"""


def _counts(env: dict[str, str]) -> dict[str, int]:
    counts: dict[str, int] = json.loads(python(env, COUNTS).splitlines()[-1])
    return counts


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _round_trip(tmp_path: Path, source: dict[str, str], target: dict[str, str]) -> Path:
    python(source, SEED)
    archive = tmp_path / "backup" / "prongsai.tar.gz"
    out = prongsai(source, "backup", str(archive)).stdout
    assert "สำรองข้อมูลแล้ว" in out and "ไฟล์แนบ 3 ไฟล์" in out
    assert not any(p.name.endswith(".partial") for p in archive.parent.iterdir())
    restored = prongsai(target, "restore", str(archive)).stdout
    assert "กู้คืนข้อมูลแล้ว" in restored
    before, after = _counts(source), _counts(target)
    assert before == after
    assert before["prongsai.Agency"] == 1 and before["prongsai.Evidence"] == 1 and before["prongsai.RegisterEntry"] > 80
    media_before = _files(Path(source["PRONGSAI_DATA_DIR"]) / "media")
    assert len(media_before) == 3
    assert _files(Path(target["PRONGSAI_DATA_DIR"]) / "media") == media_before
    return archive


def _rewrite_manifest(archive: Path, target: Path, **changes: object) -> Path:
    """A copy of ``archive`` whose manifest says something else (another engine, a newer version)."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member)
            if member.name == "manifest.json" and data is not None:
                manifest = {**json.loads(data.read()), **changes}
                payload = json.dumps(manifest).encode()
                member.size = len(payload)
                dst.addfile(member, io.BytesIO(payload))
            else:
                dst.addfile(member, data)
    return target


def test_sqlite_round_trip_and_refusals(tmp_path: Path) -> None:
    source, target = environment(tmp_path / "a"), environment(tmp_path / "b")
    archive = _round_trip(tmp_path, source, target)

    again = prongsai(target, "restore", str(archive), check=False)  # b now holds data
    assert again.returncode == 2 and "--force" in again.stderr and "มีข้อมูลอยู่แล้ว" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    # with the page cache on, a restore (which replaces the database behind Django's back) makes every page stale
    cached = {**target, "PRONGSAI_CACHE_URL": need_redis(), "PRONGSAI_PAGE_CACHE": "on"}
    generation = int(python(cached, GENERATION).splitlines()[-1])
    assert prongsai(cached, "restore", "--force", str(archive)).returncode == 0
    assert int(python(cached, GENERATION).splitlines()[-1]) > generation
    assert _counts(target) == _counts(source)

    fresh = environment(tmp_path / "c")
    newer = _rewrite_manifest(
        archive, tmp_path / "newer.tar.gz", migrations={"prongsai": ["0001_initial", "9999_from_the_future"]}
    )
    refused = prongsai(fresh, "restore", str(newer), check=False)
    assert refused.returncode == 2 and "ใหม่กว่า" in refused.stderr and "newer prongsai" in refused.stderr
    other = _rewrite_manifest(archive, tmp_path / "pg.tar.gz", engine="postgresql")
    refused = prongsai(fresh, "restore", str(other), check=False)
    assert refused.returncode == 2 and "postgresql" in refused.stderr and "sqlite" in refused.stderr
    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    refused = prongsai(fresh, "restore", str(tmp_path / "junk.tar.gz"), check=False)
    assert refused.returncode == 2 and "not a prongsai backup" in refused.stderr
    assert not (tmp_path / "c" / "media").exists() or not any((tmp_path / "c" / "media").iterdir())
    unreachable = environment(tmp_path / "d", "postgres://nobody@127.0.0.1:1/none")
    refused = prongsai(unreachable, "backup", str(tmp_path / "d.tar.gz"), check=False)
    assert refused.returncode == 2 and "ติดต่อฐานข้อมูลไม่ได้" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and not (tmp_path / "d.tar.gz").exists()


def test_postgres_round_trip_into_a_fresh_database(tmp_path: Path) -> None:
    with postgres_database("bk_src") as source_url, postgres_database("bk_dst") as target_url:
        source = environment(tmp_path / "a", source_url)
        target = environment(tmp_path / "b", target_url)
        archive = _round_trip(tmp_path, source, target)
        with tarfile.open(archive) as tar:
            assert tar.getnames()[:2] == ["manifest.json", "database.dump"]

        again = prongsai(target, "restore", str(archive), check=False)
        assert again.returncode == 2 and "--force" in again.stderr
        assert prongsai(target, "restore", "--force", str(archive)).returncode == 0  # over live tables, atomically
        assert _counts(target) == _counts(source)

        sqlite_archive = tmp_path / "sqlite.tar.gz"
        prongsai(environment(tmp_path / "s"), "backup", str(sqlite_archive))
        refused = prongsai(target, "restore", "--force", str(sqlite_archive), check=False)
        assert refused.returncode == 2 and "sqlite" in refused.stderr and "postgresql" in refused.stderr


SESSIONS = """
from prongsai.web import server
server.prepare(demo=False)
from django.contrib.sessions.backends.db import SessionStore
keys = []
for n in range(3):
    store = SessionStore()
    store["_auth_user_id"] = str(n)
    store.create()
    keys.append(store.session_key)
print(" ".join(keys))
"""
SESSION_COUNT = """
from prongsai.web import server
server.setup()
from django.contrib.sessions.models import Session
print(Session.objects.count())
"""


def _backup_without_sessions(tmp_path: Path, source: dict[str, str], target: dict[str, str]) -> bytes:
    """Sessions in the source; the archive is 0600, holds none of their keys, and restores without them."""
    keys = python(source, SESSIONS).split()[-3:]
    assert python(source, SESSION_COUNT).split()[-1] == "3"
    archive = tmp_path / "backup.tar.gz"
    prongsai(source, "backup", str(archive))
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        database = next(m for m in tar if m.name.startswith("database."))
        handle = tar.extractfile(database)
        assert handle is not None
        data = handle.read()
    assert not [key for key in keys if key.encode() in data], "a session key is in the backup"
    prongsai(target, "restore", str(archive))
    assert python(target, SESSION_COUNT).split()[-1] == "0"
    return data


def test_a_sqlite_backup_is_private_and_holds_no_session(tmp_path: Path) -> None:
    _backup_without_sessions(tmp_path, environment(tmp_path / "a"), environment(tmp_path / "b"))


def test_a_postgres_backup_is_private_and_holds_no_session(tmp_path: Path) -> None:
    with postgres_database("bk_s") as source_url, postgres_database("bk_t") as target_url:
        _backup_without_sessions(
            tmp_path, environment(tmp_path / "a", source_url), environment(tmp_path / "b", target_url)
        )
