"""Many documents at once (a province's 200 agencies).

DOCX rendering is Python work (the chart, the template), so it runs in worker processes; the PDF step is
LibreOffice's work, so threads share the documents out, each driving one soffice call on a profile of
its own (soffice processes sharing a profile silently drop conversions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from prongsai.documents import load_document_data, make_docx
from prongsai.documents.pdf import Converter

__all__ = ["BatchResult", "make_many"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BatchResult:
    docx: list[Path]
    pdf: list[Path]
    failed: list[tuple[Path, str]]  # data file and the reason: one bad file does not stop the batch


def _one_docx(kind: str, path: Path, outdir: Path, thai_digits: bool, annual: bool, on: dt.date | None) -> Path:
    docx = make_docx(kind, load_document_data(path), thai_digits=thai_digits, annual=annual, on=on)
    target = outdir / f"{path.stem}-{kind}.docx"
    target.write_bytes(docx)
    return target


def _pdf_share(share: list[Path], outdir: Path) -> list[Path]:
    converter = Converter()
    try:
        return converter.to_pdfs(share, outdir)
    finally:
        converter.close()


def make_many(
    kind: str,
    data_files: Sequence[Path],
    outdir: Path,
    *,
    workers: int = 2,
    pdf: bool = False,
    thai_digits: bool = True,
    annual: bool = False,
    on: dt.date | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    outdir.mkdir(parents=True, exist_ok=True)
    tick = progress or (lambda _name: None)
    made: list[Path] = []
    failed: list[tuple[Path, str]] = []
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(_one_docx, kind, p, outdir, thai_digits, annual, on): p for p in data_files}
        for future in as_completed(futures):
            path = futures[future]
            try:
                made.append(future.result())
            except Exception as exc:  # reported per file; the rest of the batch goes on
                failed.append((path, str(exc)))
            tick(path.name)
    pdfs: list[Path] = []
    if pdf and made:
        shares = [s for s in (sorted(made)[k::workers] for k in range(max(1, workers))) if s]
        with ThreadPoolExecutor(max_workers=len(shares)) as threads:
            for converted in threads.map(lambda share: _pdf_share(share, outdir), shares):
                pdfs.extend(converted)
                tick(f"PDF ×{len(converted)}")
    return BatchResult(docx=sorted(made), pdf=sorted(pdfs), failed=sorted(failed))
