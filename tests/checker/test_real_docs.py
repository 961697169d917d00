"""The checker on real agency documents (/work/shared/real-docs), judged by the rules of that set's README.

Each document is served on 127.0.0.1 and checked as the item its manifest claims, in the framework of the
claimed fiscal year, exactly as ``prongsai oit check --year Y register.csv`` checks a register. The result is
right when it is what a careful reviewer would say (README "How a result is judged"); the target is at least
90 % right and no false ``ok``. Run ``uv run python -m tests.checker.test_real_docs`` to print every verdict.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

from prongsai.checker.fetch import FetchPolicy
from prongsai.checker.run import check_site
from prongsai.checker.verdict import ItemCheck
from prongsai.frameworks import get_framework

from .serving import served

REAL_DOCS = Path(os.environ.get("PRONGSAI_REAL_DOCS", "/work/shared/real-docs"))
TARGET = 0.9

pytestmark = pytest.mark.skipif(not (REAL_DOCS / "manifest.yaml").exists(), reason="no real-docs set here")


@dataclass(frozen=True)
class Outcome:
    id: str
    file: str
    item: str
    year: int
    expected: str
    true_verdict: str
    got: str
    reason: str
    text_source: str

    @property
    def right(self) -> bool:
        """The README's rules: ok must be ok; wrong_content/out_of_date may be any of those or missing;
        unreadable may be unreadable or needs_person, or the true verdict when the text came from OCR."""
        if self.expected == "ok":
            return self.got == "ok"
        if self.expected in ("wrong_content", "out_of_date"):
            return self.got in ("wrong_content", "out_of_date", "missing")
        if self.got in ("unreadable", "needs_person"):
            return True
        if self.text_source == "ocr":
            return Outcome(**{**self.__dict__, "expected": self.true_verdict}).right
        return False

    @property
    def false_ok(self) -> bool:
        return self.got == "ok" and self.true_verdict != "ok"


def _app() -> web.Application:
    app = web.Application()
    app.router.add_static("/", REAL_DOCS)
    return app


def _source(check: ItemCheck) -> str:
    return str(check.extra.get("text_source", "")) if check.extra else ""


async def _check(base: str, entry: dict[str, Any]) -> Outcome:
    claim = entry["claim"]
    framework = get_framework(int(claim["year"]))
    policy = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}), min_interval=0, respect_robots=False)
    site = await check_site(framework, urls={claim["item"]: [f"{base}/{entry['file']}"]}, policy=policy, processes=0)
    check = next(c for c in site.checks if c.code == claim["item"])
    data = check.as_dict()
    return Outcome(
        entry["id"],
        entry["file"],
        claim["item"],
        int(claim["year"]),
        entry["verdict"],
        entry["true_verdict"],
        check.verdict.value,
        check.reason_en,
        str(data.get("text_source") or _source(check)),
    )


def outcomes() -> list[Outcome]:
    manifest = yaml.safe_load((REAL_DOCS / "manifest.yaml").read_text(encoding="utf-8"))
    with served(_app()) as base:
        return [asyncio.run(_check(base, entry)) for entry in manifest["documents"]]


@pytest.fixture(scope="module")
def judged() -> Iterator[list[Outcome]]:
    yield outcomes()


def _table(results: list[Outcome]) -> str:
    return "\n".join(
        f"{'  ' if o.right else 'XX'} {o.id} {o.file:42} {o.year} {o.item:4} "
        f"want {o.expected:13} got {o.got:13} {o.reason}"
        for o in results
    )


def test_no_false_ok(judged: list[Outcome]) -> None:
    false_ok = [o for o in judged if o.false_ok]
    assert not false_ok, _table(false_ok)


def test_at_least_90_percent_as_the_manifest_says(judged: list[Outcome]) -> None:
    right = sum(o.right for o in judged)
    assert right >= TARGET * len(judged), f"{right}/{len(judged)} right\n{_table(judged)}"


if __name__ == "__main__":
    results = outcomes()
    print(_table(results))
    print(f"{sum(o.right for o in results)}/{len(results)} right, {sum(o.false_ok for o in results)} false ok")
