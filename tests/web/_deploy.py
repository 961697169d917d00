"""Helpers of the production-setup tests: their own PostgreSQL databases and Redis database, servers in
subprocesses. PostgreSQL and Redis are skipped locally when they are not running, and fail under CI (env CI),
as scripts/test treats PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from .redisdb import RedisUnavailable, redis_url

ROOT = Path(__file__).parents[2]
PG_ADMIN_URL = os.environ.get("PRONGSAI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def unavailable(what: str) -> None:
    """Skip locally; under CI a missing service is a failure, not a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not reachable: CI must run these tests")
    pytest.skip(f"{what} is not reachable")


def need_redis() -> str:
    """This run's own Redis database (tests/web/redisdb.py)."""
    try:
        return redis_url()
    except RedisUnavailable as exc:
        unavailable(str(exc))
        raise  # unavailable() skips or fails


@contextmanager
def postgres_database(label: str) -> Iterator[str]:
    """A fresh, empty database of this test alone (prongsai_deploy_…), dropped afterwards."""
    name = f"prongsai_deploy_{label}_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        unavailable(f"PostgreSQL at {PG_ADMIN_URL}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            parts = urllib.parse.urlsplit(PG_ADMIN_URL)
            yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRONGSAI_") and k != "DATABASE_URL"}
    env.update({"PRONGSAI_DATA_DIR": str(data_dir), "PRONGSAI_DB_CONN_MAX_AGE": "0", **extra})
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prongsai(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "prongsai.cli", *args], env=env, capture_output=True, text=True, cwd=ROOT
    )
    if check and result.returncode != 0:
        pytest.fail(f"prongsai {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result


def python(env: dict[str, str], code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        pytest.fail(f"python -c failed ({result.returncode}): {result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode} before it listened")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing listened on 127.0.0.1:{port} within {seconds} s")
