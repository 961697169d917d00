"""The background job that imports an office's published-results file (8,300 agencies × several years).

Every row is read and checked by the core first (``prongsai.published.read_published``); only then are the
rows written, in one transaction, replacing earlier rows of the same agency and year. A bad file, a
cancel or a crash leaves the office's results as they were.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from prongsai.errors import InputError
from prongsai.framework import normalize_name
from prongsai.published import PublishedResult as Row
from prongsai.published import read_published

from .. import jobs
from ..models import Job, Office, PublishedResult, ResultImport

IMPORT_SUFFIXES = (".csv", ".xlsx")
MAX_UPLOAD = 50 * 1024 * 1024  # a national table of 8,300 agencies × 6 years is about 6 MB as XLSX
WRITE_BATCH = 1000
DELETE_BATCH = 500


def imports_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def save_upload(upload: UploadedFile[bytes]) -> Path:
    """Keep the upload under MEDIA_ROOT/imports for the job (a worker may run on another process)."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise InputError(upload.name or "", _("รองรับเฉพาะไฟล์ .csv และ .xlsx"))
    if upload.size is not None and upload.size > MAX_UPLOAD:
        raise InputError(upload.name or "", _("ไฟล์ต้องไม่เกิน 50 MB แบ่งไฟล์ตามปีงบประมาณ"))
    folder = imports_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def _place_key(name: str, province: str) -> tuple[str, str]:
    return normalize_name(name), normalize_name(province)


def _agency_matcher(office: Office) -> dict[tuple[str, str], int | None]:
    """The office's own agencies by name and province (None where two share both: no guess)."""
    found: dict[tuple[str, str], int | None] = {}
    for pk, name, province in office.agencies.values_list("pk", "name", "province"):
        key = _place_key(name, province)
        found[key] = None if key in found else pk
    return found


def _model(office: Office, batch: ResultImport, row: Row, agency_id: int | None) -> PublishedResult:
    return PublishedResult(
        office=office,
        batch=batch,
        agency_key=row.key[:400],
        agency_name=row.name[:200],
        agency_code=row.code[:40],
        kind=row.kind[:100],
        district=row.district[:100],
        province=row.province[:100],
        agency_id=agency_id,
        fiscal_year=row.fiscal_year,
        total=f"{row.total:.2f}",
        grade=row.grade or "",
        passed=row.passed,
        **{f"i{n}": f"{score:.2f}" for n, score in enumerate(row.scores, start=1)},
    )


def import_rows(
    context: jobs.JobContext | None, office: Office, rows: list[Row], filename: str, user_id: int | None
) -> ResultImport:
    """Write checked rows in one transaction; a later row of the same agency and year replaces the earlier."""
    matcher = _agency_matcher(office)
    total = len(rows)
    with transaction.atomic():
        batch = ResultImport.objects.create(
            office=office,
            filename=filename[:200],
            rows=total,
            years=sorted({r.fiscal_year for r in rows}),
            imported_by_id=user_id,
            job_id=context.job_id if context else None,
        )
        by_year: dict[int, list[str]] = {}
        for row in rows:
            by_year.setdefault(row.fiscal_year, []).append(row.key)
        for year, keys in by_year.items():
            for start in range(0, len(keys), DELETE_BATCH):
                PublishedResult.objects.filter(
                    office=office, fiscal_year=year, agency_key__in=keys[start : start + DELETE_BATCH]
                ).delete()
        for start in range(0, total, WRITE_BATCH):
            chunk = rows[start : start + WRITE_BATCH]
            PublishedResult.objects.bulk_create(
                _model(office, batch, row, matcher.get(_place_key(row.name, row.province))) for row in chunk
            )
            if context is not None:
                done = start + len(chunk)
                context.progress(total + done, 2 * total, f"บันทึกแล้ว {done:,} จาก {total:,} แถว")
    return batch


@jobs.register("oversight_import")
def oversight_import(context: jobs.JobContext, *, office_id: int, path: str, filename: str) -> dict[str, Any]:
    upload = Path(path).resolve()
    if imports_folder().resolve() not in upload.parents:
        raise InputError(filename, _("ไฟล์นำเข้าต้องอยู่ในโฟลเดอร์ imports"))
    office = Office.objects.get(pk=office_id)
    user_id = Job.objects.values_list("created_by_id", flat=True).get(pk=context.job_id)
    try:
        context.progress(0, None, "กำลังอ่านไฟล์", force=True)
        rows = read_published(
            upload, source=filename, progress=lambda done, total, message: context.progress(done, 2 * total, message)
        )
        batch = import_rows(context, office, rows, filename, user_id)
    finally:
        upload.unlink(missing_ok=True)
    return {
        "rows": batch.rows,
        "years": batch.years,
        "matched": batch.results.filter(agency__isnull=False).count(),
        "url": reverse("oversight", args=[office_id]),
    }
