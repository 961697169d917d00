"""PDF that looks like the DOCX, made by LibreOffice — the one engine that shaped Thai, broke lines at
word boundaries, justified and kept a searchable text layer in the research (shared/research).

* Fonts: the DOCX names TH SarabunPSK (what a government PC has). TH SarabunPSK cannot be shipped here,
  so the PDF is made from a variant naming the bundled Sarabun (OFL) at 0.69× the size, which matches
  TH Sarabun's metrics (16 pt → 11 pt). LibreOffice sees the bundled fonts through a private fontconfig
  file, so the PDF is right on a machine without Thai fonts. Debian's "TH Sarabun" alias is not used:
  LibreOffice ignores its scaling and the text comes out 1.5× too large.
* Bold: LibreOffice sees only Sarabun's Regular and Italic faces and emboldens them itself. With the
  real Bold face (and with Laksaman Bold and Noto Sans Thai too) poppler — pdftotext, and the search of
  Evince and Okular — splits stacked marks (ตัวชี้วัด → ตัวชีว / ้ ัด), so a bold heading could not be
  found; Regular's mark positions extract intact.
* Justification: LibreOffice 7.4 renders Word's thaiDistribute ragged but justifies Thai with ``both``.
* Speed: one soffice call converts a whole batch (≈0.25 s/document warm instead of ≈1.1 s cold), and
  every converter has its own profile, because soffice processes sharing one silently drop documents.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from prongsai.documents.chart import FONT_DIR
from prongsai.errors import ProngsaiError

__all__ = ["Converter", "ConverterError", "pdf_variant", "soffice"]

WORD_FONT, PDF_FONT, SCALE = "TH SarabunPSK", "Sarabun", 0.69
PDF_FACES = ("Sarabun-Regular.ttf", "Sarabun-Italic.ttf")
TIMEOUT_PER_DOCUMENT = 60
_SIZE = re.compile(r'(<w:sz(?:Cs)? w:val=")(\d+)(")')


class ConverterError(ProngsaiError):
    """LibreOffice is missing or failed to convert."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ConverterError(
            "ไม่พบ LibreOffice สำหรับทำ PDF: ติดตั้งด้วย apt-get install libreoffice-writer-nogui "
            "(LibreOffice is needed for PDF)"
        )
    return found


def pdf_variant(docx: bytes) -> bytes:
    """The same document naming the bundled Sarabun at matching size, justified as LibreOffice does Thai."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                data = _restyle(data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    return buffer.getvalue()


def _restyle(xml: str) -> str:
    xml = xml.replace(f'"{WORD_FONT}"', f'"{PDF_FONT}"').replace('w:val="thaiDistribute"', 'w:val="both"')
    return _SIZE.sub(lambda m: f"{m.group(1)}{max(2, round(int(m.group(2)) * SCALE))}{m.group(3)}", xml)


_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


class Converter:
    """One LibreOffice profile; ``convert`` turns a batch of DOCX files into PDFs with one soffice call."""

    def __init__(self, workdir: Path | None = None) -> None:
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="prongsai-lo-"))
        self.profile = self.workdir / "profile"
        self.fonts_conf = self.workdir / "fonts.conf"
        self.workdir.mkdir(parents=True, exist_ok=True)
        fonts = self.workdir / "fonts"
        fonts.mkdir(exist_ok=True)
        for face in PDF_FACES:
            target = fonts / face
            if not target.exists():
                target.symlink_to(FONT_DIR / face)
        self.fonts_conf.write_text(_FONTS_CONF.format(fonts=fonts, cache=self.workdir / "fontcache"), encoding="utf-8")

    def convert(self, docx_files: Sequence[Path], outdir: Path) -> list[Path]:
        if not docx_files:
            return []
        outdir.mkdir(parents=True, exist_ok=True)
        command = [
            soffice(),
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *[str(p) for p in docx_files],
        ]
        env = {**os.environ, "FONTCONFIG_FILE": str(self.fonts_conf), "HOME": str(self.workdir)}
        try:
            finished = subprocess.run(
                command,
                env=env,
                capture_output=True,
                text=True,
                timeout=30 + TIMEOUT_PER_DOCUMENT * len(docx_files),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ConverterError("LibreOffice ใช้เวลานานเกินไป (LibreOffice timed out)") from exc
        pdfs = [outdir / f"{p.stem}.pdf" for p in docx_files]
        missing = [p.name for p in pdfs if not p.exists()]
        if missing:
            detail = (finished.stderr or finished.stdout).strip()[-300:]
            raise ConverterError(f"LibreOffice แปลงไม่สำเร็จ: {', '.join(missing)} ({detail})")
        return pdfs

    def to_pdfs(self, docx_files: Sequence[Path], outdir: Path) -> list[Path]:
        """Many documents in one soffice call, each through its Sarabun variant; PDFs named as the DOCX files."""
        variants = []
        for docx_path in docx_files:
            variant = self.workdir / docx_path.name
            variant.write_bytes(pdf_variant(docx_path.read_bytes()))
            variants.append(variant)
        return self.convert(variants, outdir)

    def to_pdf(self, docx: bytes, name: str = "document") -> bytes:
        """One document, DOCX bytes in, PDF bytes out (through the Sarabun variant)."""
        with tempfile.TemporaryDirectory(dir=self.workdir) as folder:
            source = Path(folder) / f"{name}.docx"
            source.write_bytes(pdf_variant(docx))
            (pdf,) = self.convert([source], Path(folder) / "out")
            return pdf.read_bytes()

    def close(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)
