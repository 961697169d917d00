"""The kit's browser tests' agency admin (the ``officer`` fixture in conftest.py): its password and year."""

from __future__ import annotations

PASSWORD = "kit-browser-password-for-tests"
YEAR = 2569
