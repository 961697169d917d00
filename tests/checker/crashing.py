"""A reading function for worker processes that dies or fails on purpose (its own small module, so that a
worker started by forkserver imports only this to unpickle it)."""

from __future__ import annotations

import os
import time

from prongsai.checker.reading import Reading, read

CRASH = b"<html><body>crash the worker reading this</body></html>"
FAIL = b"<html><body>fail in the worker reading this</body></html>"
SLOW = b"<html><body>take your time reading this</body></html>"
HANG = b"<html><body>never finish reading this</body></html>"
SPIN = b"<html><body>spin the CPU reading this</body></html>"
ALLOCATE = b"<html><body>fill the memory reading this</body></html>"
ABORT = b"<html><body>abort as C code does when an allocation fails</body></html>"


def crash_on_marker(body: bytes, content_type: str, url: str, *, years: bool = False) -> Reading:
    """``read``, except that the worker process dies on CRASH, raises on FAIL and dawdles on SLOW; and, to try
    its bounds, waits forever on HANG, computes forever on SPIN, allocates without end on ALLOCATE and aborts
    on ABORT."""
    if body == SLOW:
        time.sleep(0.5)
    if body == HANG:
        time.sleep(3600)
    if body == SPIN:
        while True:
            pass
    if body == ALLOCATE:
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(1000)]
        return read(bytes(len(hoard)), content_type, url, years=years)
    if body == ABORT:
        os.abort()
    if body == CRASH:
        os._exit(3)
    if body == FAIL:
        raise MemoryError("the worker ran out of memory")
    return read(body, content_type, url, years=years)


def busy_read(body: bytes, content_type: str, url: str, *, years: bool = False) -> Reading:
    """``read`` after 0.3 s of computing."""
    until = time.process_time() + 0.3
    while time.process_time() < until:
        pass
    return read(body, content_type, url, years=years)
