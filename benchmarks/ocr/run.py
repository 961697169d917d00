"""OCR speed and memory: prongsai's in-process Tesseract (prongsai.checker.ocr) against the `tesseract` CLI on the
same pages in the same run.

    uv run python benchmarks/ocr/run.py [--pages N]

The pages are the scanned PDFs of ../shared/real-docs (their first pages, rendered once at the DPI prongsai
uses), falling back to a page of Thai drawn here. Each side reads every page once; the CLI is given each page as a
PNG file, as a script around it would. Prints pages/s and peak resident memory (the CLI's: the largest child).
"""

from __future__ import annotations

import argparse
import io
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from prongsai.checker import ocr

REAL_DOCS = Path(__file__).parents[2].parent / "shared" / "real-docs"
SCANS = ("yc-apgar-sp-scan.pdf", "yc-service-complaint-wi-scan.pdf")


def pages(limit: int) -> list[bytes]:
    """PNG bytes of the first pages of the real scans, at prongsai's DPI."""
    found: list[bytes] = []
    for name in SCANS:
        path = REAL_DOCS / name
        if not path.exists():
            continue
        document = pdfium.PdfDocument(path.read_bytes())
        for number in range(min(len(document), limit - len(found))):
            image = document[number].render(scale=ocr.DPI / 72, grayscale=True).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, "PNG")
            found.append(buffer.getvalue())
    if not found:
        sys.exit("the scans of ../shared/real-docs are needed")
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=4)
    args = parser.parse_args()
    images = pages(args.pages)
    if not ocr.available():
        sys.exit("Tesseract's Thai model is not installed (tesseract-ocr-tha)")

    start = time.perf_counter()
    ours = [ocr.read_image(image) for image in images]
    ours_seconds = time.perf_counter() - start
    ours_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    with tempfile.TemporaryDirectory() as folder:
        files = []
        for number, image in enumerate(images):
            files.append(Path(folder) / f"{number}.png")
            files[-1].write_bytes(image)
        start = time.perf_counter()
        for file in files:
            subprocess.run(["tesseract", str(file), "-", "-l", "tha+eng"], capture_output=True, check=True)
        cli_seconds = time.perf_counter() - start
    cli_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    characters = sum(len(r.text) for r in ours if r)
    print(f"pages: {len(images)}  characters read by prongsai: {characters}")
    print(f"prongsai (libtesseract in process): {len(images) / ours_seconds:.3f} pages/s, peak {ours_peak:.0f} MB")
    print(f"tesseract CLI (a process a page):   {len(images) / cli_seconds:.3f} pages/s, peak {cli_peak:.0f} MB")
    print(f"speed ratio prongsai / CLI: {cli_seconds / ours_seconds:.2f}x")


if __name__ == "__main__":
    main()
