"""The README's main command prepares the embedded default: migrations, frameworks, demo, SQLite in WAL."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts servers, workers or other programs (CONTRIBUTING.md)


def test_serve_prepares_a_wal_sqlite_with_the_demo(tmp_path: Path) -> None:
    env = {**os.environ, "PRONGSAI_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    code = "from prongsai.web import server; print('\\n'.join(server.prepare()))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert "2563, 2564, 2565, 2566, 2567, 2568" in out and "demo / prongsai-demo" in out
    assert "demo-office / prongsai-demo" in out
    database = sqlite3.connect(tmp_path / "prongsai.sqlite3")
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute("SELECT name FROM prongsai_agency").fetchall() == [("องค์การบริหารส่วนตำบลทรงคนอง",)]
    assert database.execute("SELECT COUNT(*) FROM prongsai_measure").fetchone()[0] == 3
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert "มีอยู่แล้ว" in again  # a second start keeps the data


def test_models_and_migrations_agree(db: object) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "prongsai", "--check", "--dry-run", verbosity=0)  # exits non-zero on drift
