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

import functools
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from prongsai.documents.chart import FONT_DIR
from prongsai.documents.package import repack
from prongsai.errors import ProngsaiError

__all__ = ["Converter", "ConverterError", "pdf_variant", "soffice"]

WORD_FONT, PDF_FONT, SCALE = "TH SarabunPSK", "Sarabun", 0.69
PDF_FACES = ("Sarabun-Regular.ttf", "Sarabun-Italic.ttf")
TIMEOUT_PER_DOCUMENT = 60
_SIZE = re.compile(r'(<w:sz(?:Cs)? w:val=")(\d+)(")')
_JUSTIFIED = re.compile(r'(<w:jc w:val=")(?:both|thaiDistribute|distribute)(")')


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

    def restyled(item: zipfile.ZipInfo, data: bytes) -> tuple[zipfile.ZipInfo, bytes]:
        if item.filename.startswith("word/") and item.filename.endswith(".xml"):
            data = _restyle(data.decode("utf-8"), item.filename).encode("utf-8")
        return item, data

    return repack(docx, restyled)


# LibreOffice breaks lines of text tagged Thai with its own Thai dictionary, which splits runs of Thai digits,
# joined words and even Latin words ("O๔" / "๒", "(๘๒." / "๐๐)", "F" / "acebook"); tagged en-US, ICU's line
# breaker still finds Thai word boundaries by its dictionary, keeps numbers whole (UAX #14: no break between
# digits) and joined words joined. Headers and footers stay Thai: the page number's native numbering gives
# Thai digits only in a Thai paragraph. The DOCX keeps th-TH for Word.
_THAI_LANG = re.compile(r'(w:(?:val|bidi))="th-TH"')
_STYLE = re.compile(r"<w:style\b.*?</w:style>", re.DOTALL)
_PAGE_STYLES = ('w:styleId="Header"', 'w:styleId="Footer"')


def _untag_thai(xml: str, part: str) -> str:
    if part.startswith(("word/header", "word/footer")):
        return xml
    english = functools.partial(_THAI_LANG.sub, r'\1="en-US"')
    if part != "word/styles.xml":
        return english(xml)
    return _STYLE.sub(lambda m: m.group(0) if any(s in m.group(0) for s in _PAGE_STYLES) else english(m.group(0)), xml)


def _restyle(xml: str, part: str = "word/document.xml") -> str:
    xml = _untag_thai(xml, part)
    xml = _JUSTIFIED.sub(r"\1left\2", xml.replace(f'"{WORD_FONT}"', f'"{PDF_FONT}"'))
    return _SIZE.sub(lambda m: f"{m.group(1)}{max(2, round(int(m.group(2)) * SCALE))}{m.group(3)}", xml)


_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


# LibreOffice reads Word's PAGE \\* ThaiArabic as Thai letters (ก ข ค: writerfilter maps ThaiArabic, ThaiLetter
# and ThaiCardText alike to CHARS_THAI), and neither a field switch, <w:pgNumType w:fmt="thaiNumbers"> nor the
# CTL numerals option gives Thai digits in the text layer (the last only draws other glyphs for "2"). A page
# number field of "native numbering" (12) in a Thai paragraph does: this macro replaces each CHARS_THAI (32)
# page field with one, then exports the PDF, for every "docx<TAB>pdf" line of a list; one soffice call a batch.
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Convert(listFile As String)
  On Error Resume Next
  Dim hidden(0) As New com.sun.star.beans.PropertyValue
  hidden(0).Name = &quot;Hidden&quot; : hidden(0).Value = True
  Dim pdf(0) As New com.sun.star.beans.PropertyValue
  pdf(0).Name = &quot;FilterName&quot; : pdf(0).Value = &quot;writer_pdf_Export&quot;
  listing = FreeFile
  Open listFile For Input As #listing
  Do While Not EOF(listing)
    Line Input #listing, entry
    paths = Split(entry, Chr(9))
    doc = Nothing
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(paths(0)), &quot;_blank&quot;, 0, hidden())
    If Not IsNull(doc) Then
      Dim thai(99) As Object
      n = 0
      fields = doc.getTextFields().createEnumeration()
      Do While fields.hasMoreElements()
        field = fields.nextElement()
        If field.supportsService(&quot;com.sun.star.text.textfield.PageNumber&quot;) And n &lt; 100 Then
          If field.NumberingType = 32 Then
            thai(n) = field
            n = n + 1
          End If
        End If
      Loop
      For i = 0 To n - 1
        anchor = thai(i).getAnchor()
        native = doc.createInstance(&quot;com.sun.star.text.TextField.PageNumber&quot;)
        native.NumberingType = 12
        native.SubType = com.sun.star.text.PageNumberType.CURRENT
        anchor.getText().insertTextContent(anchor, native, True)
      Next i
      doc.getTextFields().refresh()
      doc.storeToURL(ConvertToURL(paths(1)), pdf())
      doc.close(True)
    End If
  Loop
  Close #listing
End Sub
</script:module>
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

    def _macro(self) -> None:
        """Put the conversion macro in the profile's Standard library; a new profile is made first, since
        LibreOffice replaces the library files of a profile it has not initialised itself."""
        library = self.profile / "user" / "basic" / "Standard"
        if not (library / "script.xlb").exists():
            try:
                profile = f"-env:UserInstallation={self.profile.as_uri()}"
                subprocess.run(
                    [soffice(), "--headless", "--terminate_after_init", profile],
                    env=self._env(),
                    capture_output=True,
                    timeout=120,
                    check=False,
                )
            except subprocess.TimeoutExpired as exc:
                raise ConverterError("LibreOffice ใช้เวลานานเกินไป (LibreOffice timed out)") from exc
        library.mkdir(parents=True, exist_ok=True)
        (library / "Module1.xba").write_text(_MACRO, encoding="utf-8")

    def _env(self) -> dict[str, str]:
        return {**os.environ, "FONTCONFIG_FILE": str(self.fonts_conf), "HOME": str(self.workdir)}

    def convert(self, docx_files: Sequence[Path], outdir: Path) -> list[Path]:
        if not docx_files:
            return []
        outdir.mkdir(parents=True, exist_ok=True)
        self._macro()
        # The macro reads a list of ASCII paths (a Basic file read has no encoding): links named by number.
        batch = Path(tempfile.mkdtemp(prefix="batch-", dir=self.workdir))
        lines = []
        for k, source in enumerate(docx_files):
            link = batch / f"{k}.docx"
            link.symlink_to(source.resolve())
            lines.append(f"{link}\t{batch / f'{k}.pdf'}\n")
        listing = batch / "list.txt"
        listing.write_text("".join(lines), encoding="ascii")
        command = [
            soffice(),
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"-env:UserInstallation={self.profile.as_uri()}",
            f'macro:///Standard.Module1.Convert("{listing}")',
        ]
        try:
            finished = subprocess.run(
                command,
                env=self._env(),
                capture_output=True,
                text=True,
                timeout=30 + TIMEOUT_PER_DOCUMENT * len(docx_files),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ConverterError("LibreOffice ใช้เวลานานเกินไป (LibreOffice timed out)") from exc
        pdfs = [outdir / f"{p.stem}.pdf" for p in docx_files]
        for k, pdf in enumerate(pdfs):
            made = batch / f"{k}.pdf"
            if made.exists():
                shutil.move(made, pdf)
        shutil.rmtree(batch, ignore_errors=True)
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
