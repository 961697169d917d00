"""A reading function for worker processes that dies or fails on purpose (its own small module, so that a
worker started by forkserver imports only this to unpickle it)."""

from __future__ import annotations

import os
import time

from prongsai.checker.reading import Reading, read

CRASH = b"<html><body>crash the worker reading this</body></html>"
FAIL = b"<html><body>fail in the worker reading this</body></html>"
SLOW = b"<html><body>take your time reading this</body></html>"


def crash_on_marker(body: bytes, content_type: str, url: str, *, years: bool = False) -> Reading:
    """``read``, except that the worker process dies on CRASH, raises on FAIL and dawdles on SLOW."""
    if body == SLOW:
        time.sleep(0.5)
    if body == CRASH:
        os._exit(3)
    if body == FAIL:
        raise MemoryError("the worker ran out of memory")
    return read(body, content_type, url, years=years)
