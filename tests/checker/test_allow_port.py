"""--allow-host HOST:PORT and PRONGSAI_CHECK_ALLOW_HOSTS entries with a port open that port of the host only:
an intranet server's other ports (a database, an admin console) stay refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from prongsai.checker.fetch import Fetcher, FetchPolicy, FetchResult, Outcome, allow_entry

from .test_fetch import HTML, explained, run, serve

ROOT = Path(__file__).parents[2]


def _both(entry: str) -> tuple[FetchResult, FetchResult, FetchResult]:
    """A page from the allowed server, by address and by name, and from another port of the same host."""

    async def go() -> tuple[FetchResult, FetchResult, FetchResult]:
        async with serve() as allowed, serve() as other:
            policy = FetchPolicy(allow_hosts=frozenset({entry.format(port=allowed.port)}), min_interval=0.0)
            async with Fetcher(policy) as fetcher:
                return (
                    await fetcher.get(f"http://127.0.0.1:{allowed.port}/page.html"),
                    await fetcher.get(f"http://localhost:{allowed.port}/page.html"),
                    await fetcher.get(f"http://127.0.0.1:{other.port}/page.html"),
                )

    return run(go)


@pytest.mark.parametrize("entry", ["127.0.0.1:{port}", "localhost:{port}"])
def test_an_entry_with_a_port_allows_that_port_only(entry: str) -> None:
    by_ip, by_name, other_port = _both(entry)
    if entry.startswith("127"):
        assert by_ip.ok and by_ip.body == HTML and by_name.ok  # localhost resolves to the allowed address
    else:
        assert by_name.ok and by_name.body == HTML
    refused = explained(other_port)
    assert refused.outcome is Outcome.REFUSED and "loopback" in refused.error_en


def test_an_entry_without_a_port_allows_every_port() -> None:
    by_ip, _, other_port = _both("127.0.0.1")
    assert by_ip.ok and other_port.ok


def test_entries_are_read_as_people_write_them() -> None:
    assert allow_entry("127.0.0.1:8443") == ("127.0.0.1", 8443)
    assert allow_entry("[::1]:8443") == ("::1", 8443)
    assert allow_entry("::1") == ("::1", None)
    assert allow_entry("[0:0::1]") == ("::1", None)
    assert allow_entry("Intranet.Example.:80") == ("intranet.example", 80)
    for bad in ("intranet:http", "intranet:0", "intranet:70000", "[::1]:x"):
        with pytest.raises(ValueError, match="พอร์ต"):
            allow_entry(bad)


def test_the_cli_says_a_bad_port_in_one_thai_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "prongsai.cli", "oit", "check", "--year", "2566", "--allow-host", "127.0.0.1:http",
         "http://127.0.0.1:9/"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and "พอร์ต" in lines[0] and "--allow-host" in lines[0], result
