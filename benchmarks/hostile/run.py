#!/usr/bin/env python3
"""Peak memory and time of ``prongsai oit check`` on each hostile file of issue 16, served on 127.0.0.1.

    uv run python benchmarks/hostile/run.py            # each file on its own, then all of them in one check
    uv run python benchmarks/hostile/run.py --runs 3   # the median of three runs

The files are made by tests/checker/hostile.py (small on the wire): a 4 MB PDF whose one content stream
inflates to 4 GB, the same hex-wrapped (8 MB, past the cap on inflated streams, so that the reading worker's
memory bound must hold), 200,000 nested ``<div>``s (2.2 MB), an XLSX with one row of 1.5 million cells (45 kB),
a gzip bomb (1 MB to 1 GB) and a server that sends a byte a second. Each check is a process of its own, as an
operator runs it; its map has the hostile URL as O1 and an ordinary page as O2. Printed per check: the verdict
of O1, the wall time, the time beyond a check of two ordinary pages, and the peak resident memory of the CLI
process and of its largest child (a reading worker). Before issue 16 the PDF bomb ended the CLI (exit 134 at
7.5 GB), the nested page cost 89 s of CPU and the wide sheet 21 s and 1.45 GB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from checker.hostile import EXPECTED, hostile_app, oit_check  # noqa: E402
from checker.serving import served  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    runs = parser.parse_args().runs
    with served(hostile_app()) as site, tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        ordinary = f"{site}/ok.html"
        base = statistics.median(oit_check({"O1": ordinary, "O2": ordinary}, folder)[2] for _ in range(runs))
        print(f"a check of two ordinary pages: {base:.1f} s (the time every row below includes)\n")
        print("| file | verdict of O1 | wall s | beyond ordinary s | CLI peak MB | reading worker peak MB |")
        print("|---|---|---:|---:|---:|---:|")
        rows: list[tuple[str, dict[str, str]]] = [(path, {"O1": f"{site}{path}", "O2": ordinary}) for path in EXPECTED]
        every = {f"O{number}": f"{site}{path}" for number, path in enumerate(EXPECTED, 1)}
        rows.append(("all six in one check", every | {f"O{len(EXPECTED) + 1}": ordinary}))
        for name, urls in rows:
            results = [oit_check(urls, folder) for _ in range(runs)]
            seconds = statistics.median(r[2] for r in results)
            own = max(r[1]["self"] for r in results)
            children = max(r[1]["children"] for r in results)
            items = results[-1][0]
            verdicts = sorted({items[code]["verdict"] for code in urls if urls[code] != ordinary})
            print(
                f"| {name} | {', '.join(verdicts)} | {seconds:.1f} | {seconds - base:.1f} | {own} | {children} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
