"""The kit's browser tests' agency admin (the ``officer`` fixture in conftest.py) and how they sign in."""

from __future__ import annotations

from typing import Any

PASSWORD = "kit-browser-password-for-tests"
YEAR = 2569


def login(page: Any, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "somsri")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/a/*/")
