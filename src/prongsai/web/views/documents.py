"""Download an assessment's documents (DOCX or PDF), and upload an agency's own templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prongsai.document_kinds import KINDS, get_kind
from prongsai.documents import Converter, ConverterError, make_docx, sample_context, validate_template
from prongsai.errors import ProngsaiError

from .. import services
from ..access import access_for, assessment_for
from ..http import SignedInRequest
from ..i18n import say
from ..models import AgencyTemplate
from ..services.documents import agency_template, document_data

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _name(kind: str) -> str:
    """The kind's word in the page's language (มาตรการ, รายงานผล: prongsai.document_kinds)."""
    found = get_kind(kind)
    return say()(found.short_th, found.short_en)


@login_required
def document(request: SignedInRequest, agency_id: int, year: int, kind: str, fmt: str) -> HttpResponse:
    if kind not in KINDS or fmt not in ("docx", "pdf"):
        raise Http404
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    annual = request.GET.get("round") == "annual"
    try:
        docx = make_docx(
            kind,
            document_data(assessment),
            annual=annual,
            today=timezone.localdate(),
            template=agency_template(assessment, kind),
        )
        body, content_type = (docx, DOCX_TYPE) if fmt == "docx" else (_pdf(docx, kind), "application/pdf")
    except (ProngsaiError, ConverterError) as exc:
        messages.error(request, _("ทำเอกสารไม่ได้: %(reason)s") % {"reason": exc})
        return redirect("plan", agency_id=agency_id, year=year)
    suffix = "-annual" if annual else ""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{kind}{suffix}-{year}.{fmt}"'
    return response


def _pdf(docx: bytes, name: str) -> bytes:
    converter = Converter()
    try:
        return converter.to_pdf(docx, name)
    finally:
        converter.close()


@login_required
@require_POST
def template_upload(request: SignedInRequest, agency_id: int, year: int, kind: str) -> HttpResponse:
    access = access_for(request.user, agency_id)
    access.require_admin()
    if kind not in KINDS:
        raise Http404
    upload = request.FILES.get("file")
    if upload is None or not (upload.name or "").lower().endswith(".docx"):
        messages.error(request, _("เลือกไฟล์แม่แบบ .docx"))
        return redirect("plan", agency_id=agency_id, year=year)
    data = upload.read(10 * 1024 * 1024 + 1)
    problems = validate_template(data, *sample_context(kind))
    if problems:
        messages.error(
            request, _("แม่แบบ%(kind)sใช้ไม่ได้: %(problems)s") % {"kind": _name(kind), "problems": "; ".join(problems)}
        )
        return redirect("plan", agency_id=agency_id, year=year)
    AgencyTemplate.objects.filter(agency=access.agency, kind=kind).delete()
    saved = AgencyTemplate(agency=access.agency, kind=kind, uploaded_by=request.user)
    saved.file.save(f"{kind}.docx", ContentFile(data), save=True)
    services.audit_record(request.user, access.agency, saved, None, {"kind": kind, "file": upload.name})
    messages.success(request, _("ใช้แม่แบบ%(kind)sของหน่วยงานแล้ว") % {"kind": _name(kind)})
    return redirect("plan", agency_id=agency_id, year=year)


@login_required
@require_POST
def template_reset(request: SignedInRequest, agency_id: int, year: int, kind: str) -> HttpResponse:
    access = access_for(request.user, agency_id)
    access.require_admin()
    AgencyTemplate.objects.filter(agency=access.agency, kind=kind).delete()
    messages.success(request, _("กลับไปใช้แม่แบบ%(kind)sมาตรฐานแล้ว") % {"kind": _name(kind) if kind in KINDS else kind})
    return redirect("plan", agency_id=agency_id, year=year)
