#!/usr/bin/env python3
"""The prongsai side of the checker benchmark: one process, one mode, a JSON summary on stdout.

    python benchmarks/checker/drive.py crawl http://127.0.0.1:8088/
    python benchmarks/checker/drive.py list /tmp/site/urls.txt

``crawl`` is a breadth-first walk over the whole site from the start URL with the product's ``Fetcher`` (every
politeness limit lifted: no robots.txt, no interval, 32 connections to the one host, no retries). Every page of
the site is read with ``extract`` (HTML text and links, PDF text) and its years found with ``years_in``: that is
the content checking the OIT checker does on top of a link checker. Links to other hosts are checked (fetched)
but neither read nor followed, as LinkChecker's ``--check-extern`` does.

``list`` only fetches every URL of a file (full GET, redirects followed), as lychee does with a URL list.

Content is read by the product's own ``Reader`` and ``read`` (``prongsai.checker.reading``): ``extract``, then
``years_in`` of the title and text, as ``check_site`` reads each item's document. ``--processes K`` reads in K
worker processes (0: on the event loop); by default it uses the product's default for a crawl, one per core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from prongsai.checker.extraction import Kind
from prongsai.checker.fetch import Fetcher, FetchPolicy, FetchResult
from prongsai.checker.reading import Reader, default_processes

CONCURRENCY = 32


def policy() -> FetchPolicy:
    """Every politeness limit lifted for 127.0.0.1 (the run is against our own server)."""
    return FetchPolicy(
        allow_hosts=frozenset({"127.0.0.1"}),
        per_host=CONCURRENCY,
        min_interval=0,
        respect_robots=False,
        concurrency=CONCURRENCY,
        retries=0,
    )


class Tally:
    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.failed: list[str] = []
        self.redirected = 0
        self.bytes = 0
        self.chars = 0
        self.links = 0
        self.with_years = 0
        self.years = 0

    def fetched(self, result: FetchResult) -> None:
        self.outcomes[result.outcome.value] += 1
        self.bytes += len(result.body)
        self.redirected += bool(result.redirects)
        if not result.ok:
            self.failed.append(result.url)

    def summary(self, mode: str, seconds: float) -> dict[str, object]:
        urls = sum(self.outcomes.values())
        usage = resource.getrusage(resource.RUSAGE_SELF)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the reading processes, once they have exited
        return {
            "mode": mode,
            "urls": urls,
            "seconds": round(seconds, 3),
            "urls_per_s": round(urls / seconds, 1) if seconds else None,
            "outcomes": dict(self.outcomes),
            "failures": len(self.failed),
            "redirected": self.redirected,
            "kinds_read": dict(self.kinds),
            "text_chars": self.chars,
            "links_seen": self.links,
            "pages_with_years": self.with_years,
            "years_found": self.years,
            "mb_downloaded": round(self.bytes / 1024 / 1024, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime, 2),
            "cpu_main_s": round(usage.ru_utime + usage.ru_stime, 2),  # the event loop's process alone
            "max_rss_mb": round(max(usage.ru_maxrss, workers.ru_maxrss) / 1024, 1),
        }


def _same_site(url: str, start: str) -> bool:
    a, b = urlsplit(url), urlsplit(start)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


async def crawl(start: str, processes: int) -> Tally:
    tally = Tally()
    seen = {urldefrag(start)[0]}
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(start)
    errors: list[str] = []

    async def worker(fetcher: Fetcher, reader: Reader) -> None:
        while True:
            url = await queue.get()
            try:
                result = await fetcher.get(url)
                tally.fetched(result)
                if result.ok and _same_site(result.final_url, start):
                    reading = await reader.read(result.body, result.content_type, result.final_url, years=True)
                    document, years = reading.document, len(reading.years or ())
                    links = [href for href, _text in document.links] if document.kind is Kind.HTML else []
                    tally.kinds[document.kind.value] += 1
                    tally.chars += len(document.text)
                    tally.links += len(links)
                    tally.with_years += years > 0
                    tally.years += years
                    for href in links:
                        link = urldefrag(href)[0] if "#" in href else href  # urldefrag returns it as is
                        if link not in seen and link.startswith(("http://", "https://")):
                            seen.add(link)
                            queue.put_nowait(link)
            except Exception as exc:  # a bug in the benchmark or the product: report it, do not hide it
                errors.append(f"{url}: {exc!r}")
            finally:
                queue.task_done()

    # The reader first, as check_site does: its workers fork before the fetcher exists.
    async with Reader(processes) as reader, Fetcher(policy()) as fetcher:
        tasks = [asyncio.create_task(worker(fetcher, reader)) for _ in range(CONCURRENCY)]
        await queue.join()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    if errors:
        raise RuntimeError(f"{len(errors)} URLs could not be processed, first: {errors[0]}")
    return tally


async def check_list(urls: list[str]) -> Tally:
    tally = Tally()
    pending = iter(urls)

    async def worker(fetcher: Fetcher) -> None:
        for url in pending:  # one shared iterator: each URL is taken by exactly one worker
            tally.fetched(await fetcher.get(url))

    async with Fetcher(policy()) as fetcher:
        await asyncio.gather(*(worker(fetcher) for _ in range(CONCURRENCY)))
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("crawl", "list"))
    parser.add_argument("target", help="start URL (crawl) or a file of URLs, one a line (list)")
    parser.add_argument(
        "--processes", type=int, help="read content in this many processes (crawl; 0: on the event loop)"
    )
    parser.add_argument("--failures", action="store_true", help="list the failing URLs in the summary")
    args = parser.parse_args()
    started = time.perf_counter()
    processes = 0
    if args.mode == "crawl":
        processes = default_processes(crawl=True) if args.processes is None else args.processes
        tally = asyncio.run(crawl(args.target, processes))
    else:
        tally = asyncio.run(check_list(Path(args.target).read_text(encoding="utf-8").split()))
    summary = tally.summary(args.mode, time.perf_counter() - started)
    if args.mode == "crawl":
        summary["processes"] = processes
    if args.failures:
        summary["failed"] = sorted(tally.failed)
    json.dump(summary, sys.stdout)
    print()


if __name__ == "__main__":
    main()
