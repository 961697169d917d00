"""The OIT register: every item of the year with its answer, URLs, evidence, unit and status."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prongsai.checker.report import CheckReport, ProposedUrl
from prongsai.checker.run import VERDICT_TH
from prongsai.checker.verdict import ItemCheck
from prongsai.framework import Item
from prongsai.itas import itas_csv, itas_xlsx

from .. import jobs, services
from ..access import access_for, assessment_for, entry_for
from ..forms import EvidenceForm, RegisterEntryForm
from ..http import SignedInRequest
from ..jobs import oit_check as checks
from ..models import Assessment, CheckRun, Evidence, Job, RegisterEntry, RegisterStatus
from ..pagecache import cached_page
from ..services.documents import register_answers


@dataclass(frozen=True)
class RegisterRow:
    """One item's line of the register: the agency's entry beside what the latest check found for it."""

    item: Item
    entry: RegisterEntry
    status_label: str  # the entry's status, in the page's language
    check: ItemCheck | None  # the latest finished check's verdict
    proposal: ProposedUrl | None  # a URL that check found on the site's ITA page

    @property
    def verdict_th(self) -> str:
        return VERDICT_TH[self.check.verdict] if self.check is not None else ""


def _entries(assessment: Assessment) -> list[RegisterEntry]:
    return sorted(assessment.register.select_related("unit"), key=lambda e: e.number)


@login_required
@cached_page
def register(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    framework = assessment.framework
    entries = {e.item_code: e for e in _entries(assessment)}
    unit, status = request.GET.get("unit", ""), request.GET.get("status", "")
    counts = {s.value: sum(e.status == s for e in entries.values()) for s in RegisterStatus}
    status_labels = {value: str(label) for value, label in RegisterStatus.choices}  # translated once, not per row
    run = assessment.check_runs.first()
    report = run.report_obj if run else CheckReport.from_json(None)
    checks = report.by_code if run and run.status == CheckRun.Status.DONE else {}
    groups = []
    for sub in framework.oit.sub_indicators:
        rows = [
            RegisterRow(
                item, e, status_labels.get(e.status, e.status), checks.get(item.code), report.proposals.get(item.code)
            )
            for item in sub.items
            if (e := entries.get(item.code)) is not None
            and (not unit or str(e.unit_id) == unit)
            and (not status or e.status == status)
        ]
        if rows:
            groups.append({"sub": sub, "rows": rows})
    context = {
        "access": access,
        "agency": access.agency,
        "assessment": assessment,
        "groups": groups,
        "counts": counts,
        "statuses": RegisterStatus.choices,
        "units": access.agency.units.all(),
        "unit": unit,
        "status": status,
        "total": len(entries),
        "run": run,
        # each row links to register/<code>/: one reverse() for the page instead of one per row
        "entry_base": reverse("register", args=[agency_id, year]),
    }
    return render(request, "prongsai/register.html", context)


@login_required
@require_POST
def check_start(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    access.require_edit(any_unit=True)
    assessment = assessment_for(access, year)
    _settle_orphans(assessment)
    if assessment.check_runs.filter(status=CheckRun.Status.RUNNING).exists():
        messages.error(request, _("กำลังตรวจอยู่แล้ว รอให้เสร็จก่อน"))
    else:
        checks.check_start(request.user, assessment)
    return redirect("register", agency_id=agency_id, year=year)


def _settle_orphans(assessment: Assessment) -> None:
    """A check whose job was lost (its worker died) or failed outside the check's own code would stay "running"
    and block every new check: reap first, then such a run takes its job's end and reason."""
    jobs.reap()
    for run in assessment.check_runs.filter(status=CheckRun.Status.RUNNING).exclude(job=None).select_related("job"):
        job = run.job
        if job is not None and job.is_finished:
            status = CheckRun.Status.CANCELLED if job.status == Job.Status.CANCELLED else CheckRun.Status.FAILED
            CheckRun.objects.filter(pk=run.pk, status=CheckRun.Status.RUNNING).update(
                status=status, error=job.error[:2000], finished=job.finished or timezone.now()
            )


@login_required
def check_status(request: SignedInRequest, agency_id: int, year: int, run_id: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    run = CheckRun.objects.filter(pk=run_id, assessment__agency=access.agency, assessment__fiscal_year=year).first()
    if run is None:
        raise Http404
    return render(
        request, "prongsai/_check_status.html", {"run": run, "agency": access.agency, "assessment": run.assessment}
    )


@login_required
@require_POST
def proposal_accept(request: SignedInRequest, agency_id: int, year: int, code: str) -> HttpResponse:
    access = access_for(request.user, agency_id)
    entry = entry_for(access, year, code)
    access.require_edit(entry.unit_id)
    run = entry.assessment.check_runs.first()
    proposal = run.report_obj.proposals.get(entry.item_code) if run else None
    if proposal is None:
        raise Http404
    checks.proposal_accept(request.user, entry, proposal.url)
    messages.success(request, _("ใช้ URL ที่ระบบเสนอสำหรับข้อ %(code)s แล้ว") % {"code": entry.item_code})
    return redirect("register", agency_id=agency_id, year=year)


@login_required
def register_entry(request: SignedInRequest, agency_id: int, year: int, code: str) -> HttpResponse:
    access = access_for(request.user, agency_id)
    entry = entry_for(access, year, code)
    form = RegisterEntryForm(request.POST or None, instance=entry, agency=access.agency)
    if request.method == "POST":
        access.require_edit(entry.unit_id)
        if form.is_valid():
            services.register_update(request.user, entry, {f: form.cleaned_data[f] for f in form.fields})
            messages.success(request, _("บันทึกข้อ %(code)s แล้ว") % {"code": entry.item_code})
            return redirect("register", agency_id=agency_id, year=year)
        entry.refresh_from_db()
    context = {
        "access": access,
        "agency": access.agency,
        "assessment": entry.assessment,
        "entry": entry,
        "item": entry.item,
        "form": form,
        "evidence_form": EvidenceForm(),
        "history": services.history_of(entry)[:20],
        "can_edit": access.can_edit(entry.unit_id),
    }
    return render(request, "prongsai/register_entry.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def register_evidence(request: SignedInRequest, agency_id: int, year: int, code: str) -> HttpResponse:
    access = access_for(request.user, agency_id)
    entry = entry_for(access, year, code)
    access.require_edit(entry.unit_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(request.user, entry, form.cleaned_data["file"])
            messages.success(request, _("แนบหลักฐานแล้ว"))
        except ValidationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("เลือกไฟล์หลักฐานก่อน"))
    return redirect("register_entry", agency_id=agency_id, year=year, code=entry.item_code)


@login_required
def register_export(request: SignedInRequest, agency_id: int, year: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    name = f"oit-{year}-{access.agency.pk}"
    if fmt == "xlsx":
        title = f"แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) ปีงบประมาณ พ.ศ. {year} {access.agency.name}"
        body = itas_xlsx(assessment.framework, register_answers(assessment), title)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, content_type = itas_csv(assessment.framework, register_answers(assessment)), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def evidence_file(request: SignedInRequest, agency_id: int, evidence_id: int) -> FileResponse:
    """Evidence is served only to members of its agency, never from a public media URL."""
    access = access_for(request.user, agency_id)
    evidence = Evidence.objects.filter(pk=evidence_id, entry__assessment__agency=access.agency).first()
    if evidence is None:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)
