"""Each test run its own Redis database, so that two checkouts (or two xdist workers) on one machine never
flush each other's queue or cache.

``PRONGSAI_TEST_REDIS_URL`` is used as it is when set. Otherwise the run claims the first empty database
of 127.0.0.1:6379 from 3 to 15 (0 and 2 are a real prongsai's job queue and cache, docs/deployment.md) by
setting a claim key with NX and an expiry; a database holding anything else is left alone. At exit the
run empties what it claimed (it was empty when claimed, so only this run's data goes).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import socket
from typing import Any

HOST, PORT = "127.0.0.1", 6379
CLAIM_KEY = "prongsai-tests:claimed-by"
CLAIM_SECONDS = 4 * 3600  # a run that died leaves its claim for at most this long
FIRST_DB, LAST_DB = 3, 15


class RedisUnavailable(Exception):
    pass


def _client(db: int) -> Any:
    import redis

    return redis.Redis(host=HOST, port=PORT, db=db, socket_connect_timeout=2)


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@functools.cache
def redis_url() -> str:
    """This run's Redis URL; RedisUnavailable when Redis cannot be reached or every database is taken."""
    given = os.environ.get("PRONGSAI_TEST_REDIS_URL")
    if given:
        return given
    import redis

    try:
        for db in range(FIRST_DB, LAST_DB + 1):
            client = _client(db)
            if not client.set(CLAIM_KEY, _owner(), nx=True, ex=CLAIM_SECONDS):
                continue  # another run's
            if client.dbsize() != 1:  # something else lives here: not ours to use or to empty
                client.delete(CLAIM_KEY)
                continue
            atexit.register(_release, db)
            return f"redis://{HOST}:{PORT}/{db}"
    except redis.RedisError as exc:
        raise RedisUnavailable(f"Redis at {HOST}:{PORT}: {exc}") from exc
    raise RedisUnavailable(f"every Redis database {FIRST_DB}–{LAST_DB} at {HOST}:{PORT} is in use")


def flush() -> None:
    """Empty this run's database between tests, keeping the claim."""
    url = redis_url()
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
        if not os.environ.get("PRONGSAI_TEST_REDIS_URL"):
            client.set(CLAIM_KEY, _owner(), ex=CLAIM_SECONDS)
    except redis.RedisError as exc:
        raise RedisUnavailable(f"Redis at {url}: {exc}") from exc


def _release(db: int) -> None:
    with contextlib.suppress(Exception):  # the server may be gone at exit; the claim expires by itself
        _client(db).flushdb()
