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
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from checker.hostile import EXPECTED, hostile_app  # noqa: E402
from checker.serving import served  # noqa: E402

MEASURED = """
import json, resource, sys
from prongsai.cli import main
try:
    main(sys.argv[1:], prog_name="prongsai")
finally:
    peak = {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}
    print("PEAK-MB " + json.dumps(peak), file=sys.stderr)
"""


def check(site: str, urls: dict[str, str], folder: Path) -> tuple[dict[str, dict[str, str]], float, dict[str, int]]:
    """One ``prongsai oit check`` of ``urls``: the report's items, the wall seconds, the peak memory in MB."""
    mapping = folder / "urls.json"
    mapping.write_text(json.dumps(urls), encoding="utf-8")
    args = ["oit", "check", str(mapping), "--year", "2568", "--allow-host", "127.0.0.1", "--json", "--interval", "0"]
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", MEASURED, *args], capture_output=True, text=True, cwd=ROOT)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"oit check exited {done.returncode}: {done.stderr[-2000:]}")
    peak = json.loads(done.stderr.rsplit("PEAK-MB ", 1)[1])
    items = {item["code"]: item for item in json.loads(done.stdout)["items"]}
    return items, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    runs = parser.parse_args().runs
    with served(hostile_app()) as site, tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        ordinary = f"{site}/ok.html"
        base = statistics.median(check(site, {"O1": ordinary, "O2": ordinary}, folder)[1] for _ in range(runs))
        print(f"a check of two ordinary pages: {base:.1f} s (the time every row below includes)\n")
        print("| file | verdict of O1 | wall s | beyond ordinary s | CLI peak MB | reading worker peak MB |")
        print("|---|---|---:|---:|---:|---:|")
        rows: list[tuple[str, dict[str, str]]] = [(path, {"O1": f"{site}{path}", "O2": ordinary}) for path in EXPECTED]
        every = {f"O{number}": f"{site}{path}" for number, path in enumerate(EXPECTED, 1)}
        rows.append(("all six in one check", every | {f"O{len(EXPECTED) + 1}": ordinary}))
        for name, urls in rows:
            results = [check(site, urls, folder) for _ in range(runs)]
            seconds = statistics.median(r[1] for r in results)
            own = max(r[2]["self"] for r in results)
            children = max(r[2]["children"] for r in results)
            items = results[-1][0]
            verdicts = sorted({items[code]["verdict"] for code in urls if urls[code] != ordinary})
            print(
                f"| {name} | {', '.join(verdicts)} | {seconds:.1f} | {seconds - base:.1f} | {own} | {children} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
