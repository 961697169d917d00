"""The document kit's use cases: keep a dataset (header, rows, import, review), make a document from it and
record it in the register (making fills the item's answer; publishing records its URL).

What is valid is the core's one rule (prongsai.kit.validate.parse_dataset), the same that reads the CLI's
files: the web keeps values as a person typed them, in the file's shape, and asks the core about them before
anything is saved. Every change goes through one transaction with its AuditEntry.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai import kit
from prongsai.errors import InputError, in_language
from prongsai.framework import Item
from prongsai.kit.base import Dataset, DatasetData, Kind
from prongsai.kit.validate import parse_dataset, rows_from_table

from ..i18n import language
from ..models import Assessment, KitDataset, KitDocument, RegisterAnswer, RegisterEntry, RegisterStatus
from . import audit_record, register_update

IMPORT_SUFFIXES = (".csv", ".xlsx")
IMPORT_MAX_BYTES = 2 * 1024 * 1024
# the register's statuses in the order an item moves through them: making a document moves an item up to
# กำลังดำเนินการ, never back from พร้อมส่ง or ตรวจแล้ว
STATUS_ORDER = (RegisterStatus.TODO, RegisterStatus.TO_CHECK, RegisterStatus.IN_PROGRESS, RegisterStatus.READY,
                RegisterStatus.CHECKED)  # fmt: skip

Row = dict[str, Any]


def _gone() -> str:
    """The row a person edits or deletes was deleted meanwhile (another tab, another member)."""
    return _("ไม่พบแถวนี้ อาจมีผู้ลบไปแล้ว โปรดเปิดหน้านี้ใหม่")


# --- reading ----------------------------------------------------------------------------------------------


def datasets() -> list[Dataset]:
    kit.load_kinds()
    return sorted(kit.DATASETS.values(), key=lambda d: d.title_th)


def kinds_of(code: str) -> list[Kind]:
    kit.load_kinds()
    return [k for k in kit.KINDS.values() if k.dataset == code]


def dataset_record(assessment: Assessment, code: str) -> KitDataset | None:
    return assessment.kit_datasets.filter(dataset=code).first()


def source_year(assessment: Assessment, kind: Kind) -> int:
    """The fiscal year of the dataset a kind published in the assessment's year is made from (prongsai.kit)."""
    return kit.dataset_year(kind, assessment.fiscal_year)


def source_assessment(assessment: Assessment, kind: Kind) -> Assessment | None:
    """The assessment whose dataset a kind is made from: last year's for a report on the previous year."""
    year = source_year(assessment, kind)
    if year == assessment.fiscal_year:
        return assessment
    return Assessment.objects.filter(agency=assessment.agency, fiscal_year=year).first()


def item_for(assessment: Assessment, kind: Kind) -> Item | None:
    """The OIT item of the assessment's year that the kind answers (framework data: ``document:``), if any."""
    return kit.item_for(kind.code, assessment.fiscal_year)


def mapping(header: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A dataset as its CLI file has it: the header's fields and the rows."""
    return {"header": dict(header), "rows": [dict(r) for r in rows]}


def parsed(assessment: Assessment, record: KitDataset) -> DatasetData:
    """The record read by the core (raises InputError, naming row and field, if it is incomplete)."""
    return parse_dataset(
        record.dataset,
        mapping(record.header, record.rows),
        fiscal_year=assessment.fiscal_year,
        agency_name=assessment.agency.name,
        reviewed=record.reviewed_at is not None,
    )


def problem(exc: InputError, data: Dataset) -> str:
    """An InputError as a person reads it: which row (and what it holds), which field, and the reason."""
    parts = []
    if exc.row is not None:
        parts.append(_("แถวที่ %(row)s (%(name)s)") % {"row": exc.row, "name": data.row_name_th})
    if exc.field:
        labels = {f.name: f.label_th for f in (*data.header, *data.rows)}
        parts.append(_("ช่อง “%(field)s”") % {"field": labels.get(exc.field, exc.field)})
    where = " ".join(parts)
    reason = in_language(exc.reason, language())
    return f"{where}: {reason}" if where else reason


def check(
    assessment: Assessment,
    code: str,
    header: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    *,
    first_row: int = 1,
    rows_only: bool = False,
) -> None:
    """Raise a Thai ValidationError (row, field, fix) unless the core reads the candidate dataset.
    ``first_row``: 1 for the web's table, 2 for a spreadsheet under its heading row. ``rows_only``: rows may
    be entered (or imported) before the header is complete, so a header problem (no row named) is left to the
    header form and the rows are checked again under a header that reads."""
    data = kit.dataset(code)
    try:
        parse_dataset(
            code,
            mapping(header, rows),
            fiscal_year=assessment.fiscal_year,
            agency_name=assessment.agency.name,
            first_row=first_row,
        )
    except InputError as exc:
        if rows_only and exc.row is None and _header_field(data, exc.field):
            check(assessment, code, stand_in_header(assessment, data), rows, first_row=first_row)
            return
        raise ValidationError(problem(exc, data)) from exc


def _header_field(data: Dataset, name: str | None) -> bool:
    """Whether an error's field (the core names a field by its Thai label) is one of the header's."""
    return any(name in (f.name, f.label_th) for f in data.header)


def stand_in_header(assessment: Assessment, data: Dataset) -> Row:
    """A header that the validator reads (for checking rows only, never saved): a value of each field's type."""
    year = assessment.fiscal_year
    values = {
        "date": f"1/10/{year - 1}",
        "month": f"ต.ค. {year - 1}",
        "int": "1",
        "money": "1",
        "score": "1",
    }
    return {f.name: (f.choices[0] if f.choices else values.get(f.type, "-")) for f in data.header}


# --- changing a dataset -----------------------------------------------------------------------------------


def _record(assessment: Assessment, code: str) -> tuple[KitDataset, bool]:
    kit.dataset(code)  # KeyError for an unknown dataset
    record, created = KitDataset.objects.select_for_update().get_or_create(assessment=assessment, dataset=code)
    return record, created


def _save(user: User | None, record: KitDataset, created: bool, before: Mapping[str, Any], what: str) -> KitDataset:
    """Save a changed record: a reviewed dataset that changes is a draft (ร่าง) again until reviewed anew."""
    was_reviewed = record.reviewed_at is not None
    record.reviewed_at, record.reviewed_by = None, None
    record.save()
    after = {"header": record.header, "rows": len(record.rows), "change": what}
    if was_reviewed:
        after["reviewed_at"] = None
    audit_record(user, record.assessment.agency, record, None if created else before, after)
    return record


def _before(record: KitDataset) -> dict[str, Any]:
    return {"header": dict(record.header), "rows": len(record.rows), "change": ""}


@transaction.atomic
def kit_header_save(user: User | None, assessment: Assessment, code: str, header: Mapping[str, Any]) -> KitDataset:
    record, created = _record(assessment, code)
    data = kit.dataset(code)
    values = {f.name: header.get(f.name, "") for f in data.header}
    check(assessment, code, values, record.rows)
    before = _before(record)
    record.header = {k: v for k, v in values.items() if v not in ("", None)}
    return _save(user, record, created, before, "ส่วนหัว")


@transaction.atomic
def kit_row_save(user: User | None, assessment: Assessment, code: str, index: int | None, row: Row) -> KitDataset:
    """Add a row (index None) or replace row ``index`` (0-based); the error names the row as the table shows it."""
    record, created = _record(assessment, code)
    rows = list(record.rows)
    if index is not None and not 0 <= index < len(rows):
        raise ValidationError(_gone())
    value = {k: v for k, v in row.items() if v not in ("", None, [])}
    if index is None:
        rows.append(value)
    else:
        rows[index] = value
    check(assessment, code, record.header, rows, rows_only=True)
    before = _before(record)
    record.rows = rows
    return _save(user, record, created, before, "เพิ่มแถว" if index is None else f"แก้ไขแถวที่ {index + 1}")


@transaction.atomic
def kit_row_delete(user: User | None, assessment: Assessment, code: str, index: int) -> KitDataset:
    record, created = _record(assessment, code)
    rows = list(record.rows)
    if not 0 <= index < len(rows):
        raise ValidationError(_gone())
    before = _before(record)
    del rows[index]
    record.rows = rows
    return _save(user, record, created, before, f"ลบแถวที่ {index + 1}")


def kit_rows_import(user: User | None, assessment: Assessment, code: str, upload: UploadedFile[bytes]) -> int:
    """Replace the rows with a CSV/XLSX file's: every row is checked before anything is saved; a file that
    fails changes nothing. Returns how many rows were read."""
    data = kit.dataset(code)
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise ValidationError(
            _("%(name)s: รองรับเฉพาะไฟล์ .csv และ .xlsx โปรดบันทึกตารางจาก Excel เป็นไฟล์ .xlsx หรือ .csv แบบ UTF-8")
            % {"name": name}
        )
    if upload.size is not None and upload.size > IMPORT_MAX_BYTES:
        raise ValidationError(_("%(name)s: ไฟล์ต้องไม่เกิน 2 MB") % {"name": name})
    with tempfile.TemporaryDirectory(prefix="prongsai-import-") as folder:  # prongsai-*: swept at start
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            rows: list[Row] = [dict(r) for r in rows_from_table(code, path, source=name)]
        except InputError as exc:
            raise ValidationError(f"{name}: {problem(exc, data)}") from exc
    with transaction.atomic():
        record, created = _record(assessment, code)
        try:
            check(assessment, code, record.header, rows, first_row=2, rows_only=True)
        except ValidationError as exc:
            raise ValidationError(f"{name}: {exc.message}") from exc
        before = _before(record)
        record.rows = rows
        _save(user, record, created, before, f"นำเข้าแถวจาก {name}")
    return len(rows)


@transaction.atomic
def kit_dataset_review(user: User | None, assessment: Assessment, code: str) -> KitDataset:
    """ตรวจทานแล้ว: a person checked the data; documents made from it lose ร่าง. Only a whole dataset."""
    record, _created = _record(assessment, code)
    check(assessment, code, record.header, record.rows)
    record.reviewed_at, record.reviewed_by = timezone.now(), user
    record.save(update_fields=["reviewed_at", "reviewed_by", "updated"])
    audit_record(
        user, assessment.agency, record, {"reviewed_at": None}, {"reviewed_at": record.reviewed_at.isoformat()}
    )
    return record


# --- documents and the register -------------------------------------------------------------------------


def _entry(assessment: Assessment, kind: Kind) -> RegisterEntry | None:
    item = item_for(assessment, kind)
    if item is None:
        return None
    return assessment.register.select_related("assessment__agency").filter(item_code=item.code).first()


def kit_data(assessment: Assessment, kind: Kind) -> DatasetData:
    """The validated data a kind is made from (last year's for a report on the previous year)."""
    source = source_assessment(assessment, kind)
    record = dataset_record(source, kind.dataset) if source is not None else None
    data = kit.dataset(kind.dataset)
    if record is None or source is None:
        year = source_year(assessment, kind)
        raise ValidationError(
            _("ยังไม่มีข้อมูล “%(data)s” ของปีงบประมาณ %(year)s กรอกข้อมูลก่อนทำเอกสารนี้") % {"data": data.title_th, "year": year}
        )
    try:
        return parsed(source, record)
    except InputError as exc:
        raise ValidationError(
            _("ข้อมูล “%(data)s” ยังไม่ครบ: %(why)s") % {"data": data.title_th, "why": problem(exc, data)}
        ) from exc


@transaction.atomic
def kit_document_made(user: User | None, assessment: Assessment, kind: Kind) -> RegisterEntry | None:
    """A member made (downloaded) the document: its item this year is answered มี and at least
    กำลังดำเนินการ; the history says who and when. Returns the item's entry (None: no item this year)."""
    document, _ = KitDocument.objects.select_for_update().get_or_create(assessment=assessment, kind=kind.code)
    document.made_at, document.made_by = timezone.now(), user
    document.save(update_fields=["made_at", "made_by"])
    entry = _entry(assessment, kind)
    return _answered(user, entry, {}) if entry is not None else None


def _answered(user: User | None, entry: RegisterEntry, changes: dict[str, Any]) -> RegisterEntry:
    """The item's entry with ``changes``, answered มี and at least กำลังดำเนินการ (never moved back)."""
    if entry.answer != RegisterAnswer.YES:
        changes["answer"] = RegisterAnswer.YES
    if STATUS_ORDER.index(RegisterStatus(entry.status)) < STATUS_ORDER.index(RegisterStatus.IN_PROGRESS):
        changes["status"] = RegisterStatus.IN_PROGRESS
    return register_update(user, entry, changes) if changes else entry


@transaction.atomic
def kit_document_publish(user: User | None, assessment: Assessment, kind: Kind, url: str) -> RegisterEntry | None:
    """The document is on the agency's website at ``url`` (already checked: http(s)): the item's URLs get
    it (first) and the document is published. Returns the item's entry (None: no item this year)."""
    document, created = KitDocument.objects.select_for_update().get_or_create(assessment=assessment, kind=kind.code)
    before = {"url": document.url}
    document.url, document.published_at = url, timezone.now()
    document.save(update_fields=["url", "published_at"])
    audit_record(user, assessment.agency, document, None if created else before, {"url": url})
    entry = _entry(assessment, kind)
    if entry is None:
        return None
    urls = [url, *[u for u in entry.url_list() if u != url]]
    return _answered(user, entry, {"urls": "\n".join(urls)})


__all__ = [
    "check",
    "dataset_record",
    "datasets",
    "item_for",
    "kinds_of",
    "kit_data",
    "kit_dataset_review",
    "kit_document_made",
    "kit_document_publish",
    "kit_header_save",
    "kit_row_delete",
    "kit_row_save",
    "kit_rows_import",
    "mapping",
    "parsed",
    "problem",
    "source_assessment",
    "source_year",
]
