"""A reading function for worker processes that dies or fails on purpose (its own small module, so that a
worker started by forkserver imports only this to unpickle it)."""

from __future__ import annotations

import os

from prongsai.checker.reading import Reading, read

CRASH = b"<html><body>crash the worker reading this</body></html>"
FAIL = b"<html><body>fail in the worker reading this</body></html>"


def crash_on_marker(body: bytes, content_type: str, url: str, *, years: bool = False) -> Reading:
    """``read``, except that the worker process dies on CRASH and raises on FAIL."""
    if body == CRASH:
        os._exit(3)
    if body == FAIL:
        raise MemoryError("the worker ran out of memory")
    return read(body, content_type, url, years=years)
