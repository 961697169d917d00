"""A job that makes the whole set of a year's documents (DOCX, and PDF through LibreOffice) as one ZIP."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from prongsai.document_kinds import year_documents
from prongsai.documents import Converter, make_docx

from .. import jobs
from ..models import Assessment
from ..services.documents import agency_template, document_data


def job_file(job_id: int, name: str) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "jobs" / str(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


@jobs.register("document_set")
def document_set(context: jobs.JobContext, *, assessment_id: int, pdf: bool = True) -> dict[str, Any]:
    assessment = Assessment.objects.select_related("agency").get(pk=assessment_id)
    data = document_data(assessment)
    today = timezone.localdate()
    documents = list(year_documents())  # every kind in each of its rounds (prongsai.document_kinds)
    total = len(documents) + (1 if pdf else 0)
    name = f"เอกสาร-ITA-{assessment.fiscal_year}.zip"
    target = job_file(context.job_id, name)
    with tempfile.TemporaryDirectory(prefix="prongsai-set-") as folder:
        sources = []
        for done, (kind, round_) in enumerate(documents):
            context.progress(done, total, f"ทำ {round_.file_th}.docx")
            template = agency_template(assessment, kind.code)
            body = make_docx(kind.code, data, annual=round_.annual, today=today, template=template)
            path = Path(folder) / f"{round_.file_th}.docx"
            path.write_bytes(body)
            sources.append(path)
        pdfs: list[Path] = []
        if pdf:
            context.progress(len(documents), total, "แปลงเป็น PDF ด้วย LibreOffice", force=True)
            pdfs = _to_pdf(sources, Path(folder) / "pdf")
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in [*sources, *pdfs]:
                archive.write(path, path.name)
    context.progress(total, total, force=True)
    return {"file": name, "url": reverse("job_file", args=[context.job_id]), "documents": len(sources) + len(pdfs)}


def _to_pdf(sources: list[Path], outdir: Path) -> list[Path]:
    converter = Converter()  # one soffice call for the whole set
    try:
        return converter.to_pdfs(sources, outdir)
    finally:
        converter.close()
