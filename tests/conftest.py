"""What every test run shares."""

from __future__ import annotations

import gc
import os

import pytest

IN_XDIST_WORKER = bool(os.environ.get("PYTEST_XDIST_WORKER"))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """An xdist worker collects its garbage before it reports that it has finished, then freezes the rest.

    pytest's unconfigure hook collects once more over the whole heap (1–2 GB late in a worker): that took
    over the 5 seconds xdist gives a finished worker, which then SIGINTs it and prints a KeyboardInterrupt
    traceback under a green run. Collected here, anything left unraisable is still reported; frozen, that
    later pass skips what is known to be alive."""
    if IN_XDIST_WORKER:
        gc.collect()
        gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Unfrozen after pytest's own pass, so that the objects are freed at exit as usual (frozen, DuckDB's
    bindings report them as leaked)."""
    if IN_XDIST_WORKER:
        gc.unfreeze()
