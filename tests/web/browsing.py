"""What the browser tests share: Debian's Chromium, the marks that skip them without it, and screenshots in
var/screenshots/ for a person to look at. The ``browser`` fixture is in conftest.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

# pytestmark of every browser test module
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
]

# Playwright's sync API runs an event loop in the test's thread; the ORM calls beside it are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(
    page: Any, base: str, username: str, password: str, *, next_url: str = "", lands_on: str | None = "/a/*/"
) -> None:
    """Sign in through the login page, as a person does, and wait for the page it lands on (``lands_on``, a
    URL glob under ``base``; None: anywhere but the login page)."""
    page.goto(f"{base}/login/" + (f"?next={next_url}" if next_url else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_url(f"{base}{lands_on}" if lands_on is not None else lambda url: "/login/" not in url)
