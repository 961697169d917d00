"""Reading pictures of Thai text: scanned PDFs, image pages and images, with Tesseract's Thai model.

Tesseract is called through its C API (libtesseract, loaded with ctypes) rather than its command line: the Thai
model is loaded once per reading worker process and every page is handed over in memory, where the CLI would
start a process, load the model and read a temporary file for each page (benchmarks/ocr compares the two).
Without libtesseract or its Thai model, :func:`available` is False and the checker says what it could not read.

OCR runs in the checker's reading worker processes (prongsai.checker.reading), which bound its memory and time;
here a document is bounded by pages (``MAX_PAGES``) and a time budget (``BUDGET_SECONDS``) checked between
pages. Confidence is Tesseract's mean word confidence (0–100) over the pages read.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import functools
import os
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["BUDGET_SECONDS", "MAX_PAGES", "Ocr", "available", "legible_share", "read_image", "read_images", "read_pdf"]

MAX_PAGES = 3  # an OIT document shows what it is (title, agency, year) on its first pages; more only costs time
BUDGET_SECONDS = 60.0  # per document: pages are not started after this
DPI = 200  # Thai marks need ~200 dpi; 300 doubles the time for little gain on typed documents
MAX_PIXELS = 20_000_000  # a page or image larger than this is scaled down first (a poster at 600 dpi)
_LANGUAGE = b"tha+eng"
_DATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata")


@dataclass(frozen=True)
class Ocr:
    text: str
    confidence: float  # 0–100, the mean word confidence over the pages read
    pages: int  # pages read (at most MAX_PAGES)


def _data_dir() -> str | None:
    configured = os.environ.get("TESSDATA_PREFIX")
    for folder in (configured, *_DATA_DIRS):
        if folder and (Path(folder) / "tha.traineddata").is_file():
            return folder
    return None


@functools.cache
def _library() -> Any:
    # One thread per page: the reading workers are the parallelism, and OpenMP threads in each of them would
    # only fight over the same cores.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.TessBaseAPICreate.restype = ctypes.c_void_p
    lib.TessBaseAPIInit3.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.TessBaseAPISetImage.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
        ctypes.c_int,
    ]
    lib.TessBaseAPISetSourceResolution.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.TessBaseAPIGetUTF8Text.argtypes = [ctypes.c_void_p]
    lib.TessBaseAPIGetUTF8Text.restype = ctypes.c_void_p
    lib.TessBaseAPIMeanTextConf.argtypes = [ctypes.c_void_p]
    lib.TessDeleteText.argtypes = [ctypes.c_void_p]
    lib.TessBaseAPIClear.argtypes = [ctypes.c_void_p]
    lib.TessBaseAPIDelete.argtypes = [ctypes.c_void_p]
    lib.TessBaseAPIEnd.argtypes = [ctypes.c_void_p]
    return lib


class _Engine:
    """One Tesseract instance with the Thai model loaded, for one process; not thread-safe, hence the lock."""

    def __init__(self, lib: Any, data_dir: str) -> None:
        self.lib = lib
        self.handle = lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit3(self.handle, data_dir.encode(), _LANGUAGE) != 0:
            lib.TessBaseAPIDelete(self.handle)
            raise OSError("Tesseract could not load its Thai model")
        self.lock = threading.Lock()
        atexit.register(self.close)  # else Tesseract's caches report "LEAK!" on stderr as the process ends

    def close(self) -> None:
        with self.lock:
            if self.handle:
                self.lib.TessBaseAPIEnd(self.handle)
                self.lib.TessBaseAPIDelete(self.handle)
                self.handle = None

    def read(self, image: Image) -> tuple[str, float]:
        if image.mode in ("P", "PA"):  # a palette with transparency (pdf2htmlEX's PNGs): through RGBA to gray
            image = image.convert("RGBA")
        gray = image.convert("L")
        if gray.width * gray.height > MAX_PIXELS:
            scale = (MAX_PIXELS / (gray.width * gray.height)) ** 0.5
            gray = gray.resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))))
        data = gray.tobytes()
        with self.lock:
            self.lib.TessBaseAPISetImage(self.handle, data, gray.width, gray.height, 1, gray.width)
            self.lib.TessBaseAPISetSourceResolution(self.handle, DPI)
            pointer = self.lib.TessBaseAPIGetUTF8Text(self.handle)
            try:
                text = ctypes.string_at(pointer).decode("utf-8", errors="replace") if pointer else ""
            finally:
                if pointer:
                    self.lib.TessDeleteText(pointer)
            confidence = float(self.lib.TessBaseAPIMeanTextConf(self.handle))
            self.lib.TessBaseAPIClear(self.handle)
        return text, confidence


@functools.cache
def _engine() -> _Engine | None:
    lib, data_dir = _library(), _data_dir()
    if lib is None or data_dir is None:
        return None
    try:
        return _Engine(lib, data_dir)
    except OSError:
        return None


def available() -> bool:
    """Whether Tesseract and its Thai model are installed (Debian: tesseract-ocr, tesseract-ocr-tha) and OCR
    is not turned off (PRONGSAI_OCR=off: a server that must not spend CPU on it)."""
    if os.environ.get("PRONGSAI_OCR", "on").strip().lower() in ("off", "0", "false", "no"):
        return False
    return _library() is not None and _data_dir() is not None


def _combine(parts: list[tuple[str, float]]) -> Ocr:
    words = [(text, confidence) for text, confidence in parts if text.strip()]
    weight = sum(len(text) for text, _ in words)
    confidence = sum(len(text) * c for text, c in words) / weight if weight else 0.0
    return Ocr("\n".join(text for text, _ in parts), round(confidence, 1), len(parts))


def read_image(body: bytes) -> Ocr | None:
    """The text of an image (PNG, JPEG, TIFF, …); None without Tesseract or when the bytes are no image."""
    return read_images([body])


def read_images(bodies: Iterable[bytes], *, budget: float = BUDGET_SECONDS) -> Ocr | None:
    """The text of the first MAX_PAGES images (the pages of a document shown as pictures, such as pdf2htmlEX's
    page backgrounds); None without Tesseract or when none of them is an image."""
    import io

    from PIL import Image as PilImage

    engine = _engine() if available() else None
    if engine is None:
        return None
    started = time.monotonic()
    parts: list[tuple[str, float]] = []
    for body in bodies:
        if len(parts) >= MAX_PAGES or (parts and time.monotonic() - started > budget):
            break
        try:
            with PilImage.open(io.BytesIO(body)) as image:
                image.draft("L", (4000, 4000))  # JPEG: decode at a reduced size straight away
                parts.append(engine.read(image))
        except (OSError, ValueError, PilImage.DecompressionBombError):
            continue
    return _combine(parts) if parts else None


def read_pdf(document: Any, *, budget: float = BUDGET_SECONDS) -> Ocr | None:
    """The text of an open pypdfium2 PdfDocument's first pages, rendered and read; None without Tesseract.

    The caller holds the PDFium lock (prongsai.checker.extraction): rendering is PDFium too."""
    engine = _engine() if available() else None
    if engine is None:
        return None
    started = time.monotonic()
    parts: list[tuple[str, float]] = []
    for number in range(min(len(document), MAX_PAGES)):
        if parts and time.monotonic() - started > budget:
            break
        page = document[number]
        try:
            width, height = page.get_size()
            scale = min(DPI / 72, (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
            bitmap = page.render(scale=scale, grayscale=True)
            try:
                parts.append(engine.read(bitmap.to_pil()))
            finally:
                bitmap.close()
        finally:
            page.close()
    return _combine(parts) if parts else None


_LEGIBLE = re.compile("[\u0e01-\u0e4e0-9\u0e50-\u0e59]")


def legible_share(text: str) -> float:
    """The share of OCR lines that read as Thai text: at least 4 characters, 70 % of them Thai letters or digits.

    Typed pages read cleanly (0.7–1.0 measured on real scans); a page of photographs with captions, or an
    organisation chart, gives mostly fragments (| = ,  t an, 2 i 5), 0.35–0.45 measured: too little to judge."""
    lines = [line for line in (raw.strip() for raw in text.split("\n")) if line]

    def legible(line: str) -> bool:
        letters = [char for char in line if not char.isspace()]
        return len(letters) >= 4 and sum(bool(_LEGIBLE.match(char)) for char in letters) >= 0.7 * len(letters)

    return sum(legible(line) for line in lines) / len(lines) if lines else 0.0
