"""Background jobs seen from the browser: a page with progress, cancel, the result and its file."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import jobs
from ..access import Access, OfficeAccess, access_for, assessment_for, office_access_for
from ..http import SignedInRequest
from ..models import Job

JobAccess = Access | OfficeAccess | None


def _job_for(request: HttpRequest, job_id: int) -> tuple[Job, JobAccess]:
    """An agency's job is seen by the agency's members, an office's job by the office's members, any other
    job by whoever started it; everyone else gets 404, as for the agency itself."""
    job = Job.objects.select_related("agency", "office").filter(pk=job_id).first()
    if job is None or not request.user.is_authenticated:
        raise Http404
    if job.agency_id is not None:
        return job, access_for(request.user, job.agency_id)
    if job.office_id is not None:
        return job, office_access_for(request.user, job.office_id)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return job, None


def _may_cancel(job: Job, access: JobAccess) -> bool:
    if job.is_finished:
        return False
    if isinstance(access, Access):
        return access.can_edit_any
    if isinstance(access, OfficeAccess):
        return access.is_admin
    return True


def _context(request: HttpRequest, job: Job, access: JobAccess) -> dict[str, object]:
    _reap_if_stale(job)
    agency_access = access if isinstance(access, Access) else None
    return {
        "job": job,
        "access": agency_access,
        "agency": agency_access.agency if agency_access else None,
        "office": access.office if isinstance(access, OfficeAccess) else None,
        "may_cancel": _may_cancel(job, access),
    }


def _reap_if_stale(job: Job) -> None:
    """With in-process jobs no worker reaps: a page watching a job whose process died starts it again."""
    if job.status != Job.Status.RUNNING or job.heartbeat is None:
        return
    if (timezone.now() - job.heartbeat).total_seconds() > settings.JOBS_STALE_SECONDS:
        jobs.reap()
        job.refresh_from_db()


@login_required
def job_page(request: SignedInRequest, job_id: int) -> HttpResponse:
    job, access = _job_for(request, job_id)
    return render(request, "prongsai/job.html", _context(request, job, access))


@login_required
def job_status(request: SignedInRequest, job_id: int) -> HttpResponse:
    job, access = _job_for(request, job_id)
    return render(request, "prongsai/_job_status.html", _context(request, job, access))


@login_required
@require_POST
def job_cancel(request: SignedInRequest, job_id: int) -> HttpResponse:
    job, access = _job_for(request, job_id)
    if isinstance(access, Access):
        access.require_edit(any_unit=True)
    elif isinstance(access, OfficeAccess):
        access.require_admin()
    jobs.cancel(job)
    messages.info(request, _("สั่งยกเลิกแล้ว งานจะหยุดที่ขั้นถัดไป"))
    return redirect("job", job_id=job.pk)


@login_required
def job_file(request: SignedInRequest, job_id: int) -> FileResponse:
    job, _access = _job_for(request, job_id)
    name = str(job.result.get("file", "")) if job.status == Job.Status.DONE else ""
    path = Path(settings.MEDIA_ROOT) / "jobs" / str(job.pk) / name
    if not name or "/" in name or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


@login_required
def agency_jobs(request: SignedInRequest, agency_id: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    recent = Job.objects.filter(agency=access.agency).select_related("created_by")[:50]
    return render(request, "prongsai/jobs.html", {"agency": access.agency, "access": access, "jobs": recent})


@login_required
@require_POST
def document_set_start(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    job = jobs.submit(
        request.user,
        "document_set",
        {"assessment_id": assessment.pk, "pdf": request.POST.get("pdf") != "0"},
        agency=access.agency,
        title=f"เอกสาร ITA ปี {year} ทั้งชุด (DOCX + PDF)",
    )
    return redirect("job", job_id=job.pk)
