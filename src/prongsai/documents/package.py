"""Rewriting a DOCX package (a zip) part by part: the one loop behind the reproducible DOCX's fixed entries
(docxstyle.normalized_zip) and the PDF variant's restyled XML (pdf.pdf_variant)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

__all__ = ["Part", "repack"]

Part = Callable[[zipfile.ZipInfo, bytes], tuple[zipfile.ZipInfo, bytes]]


def repack(package: bytes, part: Part) -> bytes:
    """The package again, in its order, deflated, each entry and its bytes as ``part`` gives them back."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(*part(info, source.read(info)))
    return buffer.getvalue()
