"""The document kit: a page per assessment listing the datasets and the documents made from them, a dataset
editor generated from the dataset's fields, rows import, and the documents as DOCX and PDF.

Members who may edit (an editor of any unit, an admin) change the data; the agency admin marks it reviewed;
readers see values, not inputs; outsiders get 404 (access_for). Making a document fills its OIT item in the
register (services.kit), and a published URL goes into the item's URLs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prongsai import kit
from prongsai._table import Sheet, spreadsheet_row, xlsx_bytes
from prongsai.errors import ProngsaiError
from prongsai.framework import Item
from prongsai.kit.base import ComposeOptions, Dataset, Field, Kind
from prongsai.kit.kinds.risk import RISK_REGISTER, RiskLevel, risk_level
from prongsai.kit.render import docx_bytes, pdf_bytes
from prongsai.kit.tally import baht, digits_of
from prongsai.kit.validate import parse_value
from prongsai.thai import to_thai_digits

from ..access import Access, access_for, assessment_for
from ..forms_kit import DatasetForm, PublishForm, RowsImportForm, ShownUpdate, shown_updates
from ..http import SignedInRequest
from ..i18n import core_message
from ..models import Assessment, KitDataset, KitDocument
from ..services import kit as kit_services

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONTHS_TH = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
FISCAL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)
# a status's colour: the register's pills (app.css), from nothing to published
STATUS_CSS = {"nodata": "s-todo", "draft": "s-in_progress", "reviewed": "s-ready", "published": "s-checked"}


@dataclass(frozen=True)
class KindRow:
    kind: Kind
    item: Item | None
    status: str  # nodata, draft, reviewed, published
    status_label: str
    document: KitDocument | None
    source_year: int

    @property
    def css(self) -> str:
        return STATUS_CSS[self.status]


@dataclass(frozen=True)
class DatasetRow:
    dataset: Dataset
    record: KitDataset | None
    status: str
    status_label: str
    kinds: list[KindRow]

    @property
    def css(self) -> str:
        return STATUS_CSS[self.status]


def _labels() -> dict[str, str]:
    return {
        "nodata": _("ยังไม่มีข้อมูล"),
        "draft": _("ร่าง (ยังไม่ได้ตรวจทาน)"),
        "reviewed": _("ตรวจทานแล้ว"),
        "published": _("เผยแพร่แล้ว"),
    }


def _dataset_status(record: KitDataset | None) -> str:
    if record is None or not (record.rows or record.header):
        return "nodata"
    return "reviewed" if record.reviewed_at is not None else "draft"


def _kit_rows(assessment: Assessment) -> list[DatasetRow]:
    labels = _labels()
    years = {assessment.fiscal_year: assessment}
    previous = Assessment.objects.filter(agency=assessment.agency, fiscal_year=assessment.fiscal_year - 1).first()
    if previous is not None:
        years[previous.fiscal_year] = previous
    records = {(r.assessment_id, r.dataset): r for r in KitDataset.objects.filter(assessment__in=list(years.values()))}
    documents = {d.kind: d for d in assessment.kit_documents.all()}
    out = []
    for data in kit_services.datasets():
        record = records.get((assessment.pk, data.code))
        kinds = []
        for kind in kit_services.kinds_of(data.code):
            year = kit_services.source_year(assessment, kind)
            source = years.get(year)
            status = _dataset_status(records.get((source.pk, data.code)) if source else None)
            document = documents.get(kind.code)
            if status != "nodata" and document is not None and document.url:
                status = "published"
            kinds.append(KindRow(kind, kit_services.item_for(assessment, kind), status, labels[status], document, year))
        status = _dataset_status(record)
        out.append(DatasetRow(data, record, status, labels[status], kinds))
    return sorted(out, key=_official_order)


def _official_order(row: DatasetRow) -> tuple[int, str]:
    """Datasets in the order of the OIT items their documents answer this year (those without an item last)."""
    numbers = [int(k.item.code[1:]) for k in row.kinds if k.item is not None]
    return (min(numbers) if numbers else 10_000, row.dataset.title_th)


def _context(access: Access, assessment: Assessment, **extra: Any) -> dict[str, Any]:
    return {"access": access, "agency": access.agency, "assessment": assessment, **extra}


@login_required
def kit_page(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    rows = _kit_rows(assessment)
    context = _context(
        access,
        assessment,
        datasets=rows,
        months=[(m, f"{MONTHS_TH[m - 1]} {to_thai_digits(str(year - 1 if m >= 10 else year))}") for m in FISCAL_MONTHS],
        publish_form=PublishForm(),
    )
    return render(request, "prongsai/kit.html", context)


def _dataset(code: str) -> Dataset:
    try:
        return kit.dataset(code)
    except KeyError:
        raise Http404 from None


def _row_index(request: SignedInRequest, record: KitDataset | None) -> int | None:
    """The row being edited (?row=3, counted from 1 as the table shows), or None."""
    text = request.GET.get("row", "")
    if not text.isdigit() or record is None or not 1 <= int(text) <= len(record.rows):
        return None
    return int(text) - 1


@login_required
def kit_dataset(request: SignedInRequest, agency_id: int, year: int, code: str) -> HttpResponse:
    """The editor: the header form (POST here saves it) and the rows table with a row form."""
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    data = _dataset(code)
    record = kit_services.dataset_record(assessment, code)
    header = record.header if record else {}
    header_form = DatasetForm(request.POST or None, fields=data.header, initial=header, prefix="h")
    if request.method == "POST":
        access.require_edit(any_unit=True)
        if header_form.is_valid():
            try:
                kit_services.kit_header_save(request.user, assessment, code, header_form.stored())
            except ValidationError as exc:
                _refused(header_form, exc)
            else:
                messages.success(request, _("บันทึกส่วนหัวแล้ว"))
                return redirect("kit_dataset", agency_id=agency_id, year=year, code=code)
    return _editor(request, access, assessment, data, record, header_form=header_form)


def _editor(
    request: SignedInRequest,
    access: Access,
    assessment: Assessment,
    data: Dataset,
    record: KitDataset | None,
    *,
    header_form: DatasetForm | None = None,
    row_form: DatasetForm | None = None,
    row_index: int | None = None,
    import_error: str = "",
) -> HttpResponse:
    rows = list(record.rows) if record else []
    if row_form is None:
        row_index = _row_index(request, record)
        initial = rows[row_index] if row_index is not None else None
        row_form = DatasetForm(fields=data.rows, initial=initial, prefix="r")
    if header_form is None:
        header_form = DatasetForm(fields=data.header, initial=record.header if record else {}, prefix="h")
    table = [_cells(data, r) for r in rows]
    context = _context(
        access,
        assessment,
        data=data,
        record=record,
        header_form=header_form,
        row_form=row_form,
        row_index=row_index,
        row_number=row_index + 1 if row_index is not None else None,
        table=table,
        columns=_columns(data),
        status_label=_labels()[_dataset_status(record)],
        can_edit=access.can_edit_any,
        import_form=RowsImportForm(),
        import_error=import_error,
        kinds=[(k, kit_services.item_for(assessment, k)) for k in kit_services.kinds_of(data.code)],
    )
    failed = header_form.errors or row_form.errors or import_error  # "one more update" has no errors
    return render(request, "prongsai/kit_dataset.html", context, status=400 if failed else 200)


@dataclass(frozen=True)
class Cell:
    """One cell of the rows table: a value as typed, a row's updates, or a risk's level (the core's)."""

    text: str = ""
    updates: tuple[ShownUpdate, ...] | None = None
    level: RiskLevel | None = None
    kind: str = "text"  # text, updates, level


def _columns(data: Dataset) -> list[str]:
    """The rows table's headings: the fields', and the risk register's level after the impact."""
    headings = []
    for spec in data.rows:
        headings.append(spec.label_th)
        if data.code == RISK_REGISTER.code and spec.name == "impact":
            headings.append(_("ระดับความเสี่ยง"))
    return headings


def _cells(data: Dataset, row: dict[str, Any]) -> list[Cell]:
    """A row's values in the schema's order (updates as a list; the risk register's level after the impact)."""
    cells = []
    for spec in data.rows:
        value = row.get(spec.name)
        if spec.type == "updates":
            cells.append(Cell(updates=shown_updates(value), kind="updates"))
        else:
            cells.append(Cell(text=_shown(spec, value)))
        if data.code == RISK_REGISTER.code and spec.name == "impact":
            cells.append(Cell(level=_risk_level(data, row), kind="level"))
    return cells


def _shown(spec: Field, value: Any) -> str:
    """A value as the documents write it where the core reads it (money as 20,000.00 บาท are), else as typed."""
    if value is None:
        return ""
    if spec.type == "money" and str(value).strip():
        try:
            return baht(parse_value(spec, value), digits_of(False))
        except ValueError:
            pass  # shown as typed: the row's own check names it
    return str(value)


def _risk_level(data: Dataset, row: dict[str, Any]) -> RiskLevel | None:
    """The core's level of a risk as stored (its scores read by the core), or None while one does not read."""
    specs = {spec.name: spec for spec in data.rows}
    try:
        return risk_level(_score(specs["likelihood"], row), _score(specs["impact"], row))
    except (KeyError, ValueError):
        return None


def _score(spec: Field, row: dict[str, Any]) -> int:
    value = parse_value(spec, row[spec.name])
    if not isinstance(value, int):
        raise ValueError(spec.name)
    return value


def _refused(form: DatasetForm, exc: ValidationError) -> None:
    """The core's refusal under the field it names (else above the form): the message names row and field."""
    named = getattr(exc.__cause__, "field", None)
    spec = next((s for s in form.specs if named and named in (s.name, s.label_th)), None)
    form.add_error(spec.name if spec else None, exc.message)


@login_required
@require_POST
def kit_row(request: SignedInRequest, agency_id: int, year: int, code: str, index: int | None = None) -> HttpResponse:
    """Add a row (no index) or save row ``index`` (counted from 1, as the table shows it)."""
    access = access_for(request.user, agency_id)
    access.require_edit(any_unit=True)
    assessment = assessment_for(access, year)
    data = _dataset(code)
    record = kit_services.dataset_record(assessment, code)
    position = index - 1 if index is not None else None
    form = DatasetForm(request.POST, fields=data.rows, prefix="r")
    if form.more_asked:  # one more set of update inputs: the same form again, nothing checked or saved
        return _editor(request, access, assessment, data, record, row_form=form, row_index=position)
    if form.is_valid():
        try:
            kit_services.kit_row_save(request.user, assessment, code, position, form.stored())
        except ValidationError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("บันทึก%(row)sแล้ว") % {"row": data.row_name_th})
            return redirect(reverse("kit_dataset", args=[agency_id, year, code]) + "#rows")
    messages.error(request, _("ยังบันทึกไม่ได้: โปรดแก้ช่องที่แจ้งไว้"))
    return _editor(request, access, assessment, data, record, row_form=form, row_index=position)


@login_required
@require_POST
def kit_row_delete(request: SignedInRequest, agency_id: int, year: int, code: str, index: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    access.require_edit(any_unit=True)
    assessment = assessment_for(access, year)
    data = _dataset(code)
    try:
        kit_services.kit_row_delete(request.user, assessment, code, index - 1)
    except ValidationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("ลบ%(row)sแถวที่ %(n)s แล้ว") % {"row": data.row_name_th, "n": index})
    return redirect(reverse("kit_dataset", args=[agency_id, year, code]) + "#rows")


@login_required
@require_POST
def kit_import(request: SignedInRequest, agency_id: int, year: int, code: str) -> HttpResponse:
    access = access_for(request.user, agency_id)
    access.require_edit(any_unit=True)
    assessment = assessment_for(access, year)
    data = _dataset(code)
    form = RowsImportForm(request.POST, request.FILES)
    if not form.is_valid():
        error = _("เลือกไฟล์ตาราง .csv หรือ .xlsx ก่อน")
    else:
        try:
            count = kit_services.kit_rows_import(request.user, assessment, code, form.cleaned_data["file"])
        except ValidationError as exc:
            error = _("นำเข้าไม่ได้ ข้อมูลเดิมยังอยู่ครบ: %(why)s") % {"why": exc.message}
        else:
            messages.success(request, _("นำเข้า %(n)s แถวแล้ว (แทนแถวเดิมทั้งหมด)") % {"n": count})
            return redirect(reverse("kit_dataset", args=[agency_id, year, code]) + "#rows")
    messages.error(request, error)
    record = kit_services.dataset_record(assessment, code)
    return _editor(request, access, assessment, data, record, import_error=error)


@login_required
def kit_template(request: SignedInRequest, agency_id: int, year: int, code: str, fmt: str) -> HttpResponse:
    """An empty table to fill in: the rows' column headings (the import reads them back)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    access = access_for(request.user, agency_id)
    assessment_for(access, year)
    data = _dataset(code)
    headings = [spec.label_th for spec in data.rows]
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text).writerow(spreadsheet_row(headings))
        body, content_type = ("\ufeff" + text.getvalue()).encode(), "text/csv; charset=utf-8"
    else:
        body, content_type = _xlsx(data.title_th, headings), XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{code}-{year}.{fmt}"'
    return response


def _xlsx(title: str, headings: list[str]) -> bytes:
    """An empty workbook of the dataset's columns, through the one XLSX writer (prongsai._table)."""
    widths = [max(12, len(heading) + 4) for heading in headings]
    return xlsx_bytes(Sheet(title.replace("/", " "), headings, [], widths=widths))


@login_required
@require_POST
def kit_review(request: SignedInRequest, agency_id: int, year: int, code: str) -> HttpResponse:
    """ตรวจทานแล้ว (the agency admin): documents from this dataset no longer say ร่าง."""
    access = access_for(request.user, agency_id)
    access.require_admin()
    assessment = assessment_for(access, year)
    _dataset(code)
    try:
        kit_services.kit_dataset_review(request.user, assessment, code)
    except ValidationError as exc:
        messages.error(request, _("ยังตรวจทานไม่ได้: %(why)s") % {"why": exc.message})
    else:
        messages.success(request, _("บันทึกว่าตรวจทานแล้ว เอกสารจากข้อมูลนี้จะไม่มีคำว่า ร่าง"))
    return redirect("kit_dataset", agency_id=agency_id, year=year, code=code)


def _kind(code: str) -> Kind:
    try:
        return kit.kind(code)
    except KeyError:
        raise Http404 from None


def _month(request: SignedInRequest, kind: Kind) -> int | None:
    if kind.period != "month":
        return None
    text = request.GET.get("month", "")
    return int(text) if text.isdigit() and 1 <= int(text) <= 12 else None


@login_required
def kit_document(request: SignedInRequest, agency_id: int, year: int, kind_code: str, fmt: str) -> HttpResponse:
    """A kit document as DOCX or PDF (LibreOffice, as the measures documents). A member who may edit
    making it fills its OIT item in the register; a reader's download changes nothing."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    kind = _kind(kind_code)
    month = _month(request, kind)
    if kind.period == "month" and month is None:
        messages.error(request, _("เลือกเดือนของสรุปผลก่อน"))
        return redirect("kit", agency_id=agency_id, year=year)
    try:
        data = kit_services.kit_data(assessment, kind)
        doc = kit.make(kind.code, data, ComposeOptions(month=month))
        body = docx_bytes(doc) if fmt == "docx" else pdf_bytes(doc)
    except ValidationError as exc:
        messages.error(request, exc.message)
        return redirect("kit", agency_id=agency_id, year=year)
    except ProngsaiError as exc:
        messages.error(request, _("ทำเอกสารไม่ได้: %(why)s") % {"why": core_message(exc)})
        return redirect("kit", agency_id=agency_id, year=year)
    if access.can_edit_any:
        kit_services.kit_document_made(request.user, assessment, kind)
    response = HttpResponse(body, content_type=DOCX_TYPE if fmt == "docx" else "application/pdf")
    suffix = f"-{month:02d}" if month else ""
    response["Content-Disposition"] = f'attachment; filename="{kind.code}-{year}{suffix}.{fmt}"'
    return response


@login_required
@require_POST
def kit_publish(request: SignedInRequest, agency_id: int, year: int, kind_code: str) -> HttpResponse:
    """The document is on the agency's website: its URL goes into the item's URLs in the register."""
    access = access_for(request.user, agency_id)
    access.require_edit(any_unit=True)
    assessment = assessment_for(access, year)
    kind = _kind(kind_code)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("url", [])) or _("URL ไม่ถูกต้อง"))
        return redirect(reverse("kit", args=[agency_id, year]) + f"#{kind.code}")
    entry = kit_services.kit_document_publish(request.user, assessment, kind, form.cleaned_data["url"])
    if entry is not None:
        messages.success(request, _("บันทึก URL ในทะเบียนข้อ %(code)s แล้ว") % {"code": entry.item_code})
    else:
        messages.success(request, _("บันทึก URL แล้ว (ปีนี้ไม่มีข้อ OIT สำหรับเอกสารนี้)"))
    return redirect(reverse("kit", args=[agency_id, year]) + f"#{kind.code}")
