#!/usr/bin/env python3
"""Documents per second: DOCX alone, and DOCX + PDF through LibreOffice, for a province's worth of agencies.

    uv run python benchmarks/documents.py --agencies 40 --workers 2

Prints figures, not verdicts; BENCHMARKS.md records runs. LibreOffice must be installed for the PDF part.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from prongsai.documents.batch import make_many
from prongsai.examples import example_path


def _agencies(folder: Path, count: int) -> list[Path]:
    result = example_path("songkhanong-2564.yaml").read_text(encoding="utf-8")
    paths = []
    for k in range(count):
        path = folder / f"agency-{k:03d}.yaml"
        path.write_text(result.replace("ทรงคนอง", f"ตัวอย่างที่ {k + 1}"), encoding="utf-8")
        paths.append(path)
    return paths


def _run(label: str, paths: list[Path], out: Path, **options: object) -> None:
    started = time.perf_counter()
    result = make_many("measures", paths, out, **options)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    made = len(result.pdf) if options.get("pdf") else len(result.docx)
    print(
        f"{label:<28} {made:>4} documents  {seconds:7.2f} s  {made / seconds:7.2f} documents/s"
        + (f"  ({len(result.failed)} failed)" if result.failed else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = _agencies(Path(folder), args.agencies)
        _run("DOCX, 1 worker", paths, Path(folder) / "docx1", workers=1)
        _run(f"DOCX, {args.workers} workers", paths, Path(folder) / "docx2", workers=args.workers)
        if shutil.which("soffice"):
            _run("DOCX+PDF, 1 worker", paths, Path(folder) / "pdf1", workers=1, pdf=True)
            _run(f"DOCX+PDF, {args.workers} workers", paths, Path(folder) / "pdf2", workers=args.workers, pdf=True)
        else:
            print("LibreOffice not installed: PDF figures skipped")


if __name__ == "__main__":
    main()
