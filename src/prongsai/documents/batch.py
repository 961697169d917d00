"""Many documents at once (a province's 200 agencies): DOCX in parallel threads, then each worker turns
its share into PDF with one LibreOffice call on a profile of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from prongsai.documents import load_document_data, make_docx
from prongsai.documents.pdf import Converter, pdf_variant

__all__ = ["BatchResult", "make_many"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BatchResult:
    docx: list[Path]
    pdf: list[Path]
    failed: list[tuple[Path, str]]  # data file and the reason: one bad file does not stop the batch


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
    shares = [list(data_files[k::workers]) for k in range(max(1, workers))]

    def work(share: list[Path]) -> BatchResult:
        made: list[Path] = []
        failed: list[tuple[Path, str]] = []
        for path in share:
            try:
                data = load_document_data(path)
                docx = make_docx(kind, data, thai_digits=thai_digits, annual=annual, on=on)
            except Exception as exc:  # reported per file; the rest of the batch goes on
                failed.append((path, str(exc)))
            else:
                target = outdir / f"{path.stem}-{kind}.docx"
                target.write_bytes(docx)
                made.append(target)
            tick(path.name)
        pdfs: list[Path] = []
        if pdf and made:
            converter = Converter()
            try:
                variants = []
                for docx_path in made:
                    variant = converter.workdir / docx_path.name
                    variant.write_bytes(pdf_variant(docx_path.read_bytes()))
                    variants.append(variant)
                pdfs = converter.convert(variants, outdir)
            finally:
                converter.close()
            tick(f"PDF ×{len(pdfs)}")
        return BatchResult(made, pdfs, failed)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(work, [s for s in shares if s]))
    return BatchResult(
        docx=sorted(p for r in results for p in r.docx),
        pdf=sorted(p for r in results for p in r.pdf),
        failed=[f for r in results for f in r.failed],
    )
