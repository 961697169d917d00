"""Agencies' data on a shared server: the SQLite database, its WAL files, uploads and what jobs write are
readable by prongsai's own account only. Run in a fresh process on a fresh data folder, as a first start is."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

FIRST_START = """
import os
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "prongsai.web.settings"
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
call_command("migrate", verbosity=0)
print(default_storage.save("evidence/7/plan.pdf", ContentFile(b"%PDF-1.4")))
"""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_first_start_keeps_the_data_private(tmp_path: Path) -> None:
    data = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PRONGSAI_MEDIA_DIR")}
    env |= {"PRONGSAI_DATA_DIR": str(data)}
    # A umask that lets everyone read, as on many servers: the modes must not depend on it.
    done = subprocess.run(
        [sys.executable, "-c", f"import os; os.umask(0o022)\n{FIRST_START}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    database = data / "prongsai.sqlite3"
    assert _mode(database) == 0o600
    for journal in data.glob("prongsai.sqlite3-*"):  # WAL and shared memory, while they exist
        assert _mode(journal) & 0o077 == 0, journal
    media = data / "media"
    assert _mode(media) == 0o700
    saved = media / done.stdout.strip()
    assert saved.read_bytes() == b"%PDF-1.4"
    assert _mode(saved) == 0o600 and _mode(saved.parent) == 0o700 and _mode(saved.parent.parent) == 0o700


def test_a_database_made_readable_before_is_made_private(tmp_path: Path) -> None:
    data = tmp_path / "var"
    data.mkdir()
    database = data / "prongsai.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PRONGSAI_MEDIA_DIR")}
    env |= {"PRONGSAI_DATA_DIR": str(data)}
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='prongsai.web.settings'; django.setup()",
        ],
        env=env,
        check=True,
        timeout=120,
    )
    assert _mode(database) == 0o600
