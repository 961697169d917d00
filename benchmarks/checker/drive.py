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

``--processes K`` reads content in K worker processes instead of the event loop (0, the default, reads
inline, as the product's ``find.crawl`` does).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from prongsai.checker.fetch import Fetcher, FetchPolicy, FetchResult

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


def read(body: bytes, content_type: str, url: str) -> tuple[str, int, tuple[str, ...], int]:
    """(kind, characters of text, links, years found) of one body: the content work per page."""
    from prongsai.checker.content import Kind, extract, years_in  # imported only where content is read

    document = extract(body, content_type, url)
    years = years_in(document.text)
    links = tuple(href for href, _text in document.links) if document.kind is Kind.HTML else ()
    return document.kind.value, len(document.text), links, len(years)


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
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "max_rss_mb": round(usage.ru_maxrss / 1024, 1),
        }


def _same_site(url: str, start: str) -> bool:
    a, b = urlsplit(url), urlsplit(start)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


async def crawl(start: str, processes: int) -> Tally:
    tally = Tally()
    seen = {urldefrag(start)[0]}
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(start)
    loop = asyncio.get_running_loop()
    pool: Executor | None = ProcessPoolExecutor(processes) if processes else None

    errors: list[str] = []

    async def worker(fetcher: Fetcher) -> None:
        while True:
            url = await queue.get()
            try:
                result = await fetcher.get(url)
                tally.fetched(result)
                if result.ok and _same_site(result.final_url, start):
                    args = (result.body, result.content_type, result.final_url)
                    if pool is None:
                        kind, chars, links, years = read(*args)
                    else:
                        kind, chars, links, years = await loop.run_in_executor(pool, read, *args)
                    tally.kinds[kind] += 1
                    tally.chars += chars
                    tally.links += len(links)
                    tally.with_years += years > 0
                    tally.years += years
                    for href in links:
                        link = urldefrag(href)[0]
                        if link not in seen and link.startswith(("http://", "https://")):
                            seen.add(link)
                            queue.put_nowait(link)
            except Exception as exc:  # a bug in the benchmark or the product: report it, do not hide it
                errors.append(f"{url}: {exc!r}")
            finally:
                queue.task_done()

    try:
        async with Fetcher(policy()) as fetcher:
            tasks = [asyncio.create_task(worker(fetcher)) for _ in range(CONCURRENCY)]
            await queue.join()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        if pool is not None:
            pool.shutdown()
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
    parser.add_argument("--processes", type=int, default=0, help="read content in this many processes (crawl)")
    parser.add_argument("--failures", action="store_true", help="list the failing URLs in the summary")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.mode == "crawl":
        tally = asyncio.run(crawl(args.target, args.processes))
    else:
        tally = asyncio.run(check_list(Path(args.target).read_text(encoding="utf-8").split()))
    summary = tally.summary(args.mode, time.perf_counter() - started)
    if args.failures:
        summary["failed"] = sorted(tally.failed)
    json.dump(summary, sys.stdout)
    print()


if __name__ == "__main__":
    main()
