"""The JSON API over the same services and the same agency scoping as the pages.

Authentication: ``Authorization: Bearer <token>``; a person makes a token on the site's page /tokens/ (named,
with an expiry, shown once, stored hashed) and revokes it there. The OpenAPI description is served at
/api/openapi.json and tested with schemathesis; docs/api.md has a curl example of every operation.

The API keeps the forms' rules: links are http(s) only (forms.web_url), and a unit is one of the agency's own
(another agency's unit id is refused with 400, never ignored).

Dates are ISO (``2025-01-15``, Common Era) in both directions: the API is for machines. People type and
read วัน/เดือน/ปี พ.ศ. in the pages (forms.BuddhistDateField); the two never mix.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema, Status
from ninja.security import HttpBearer

from . import services
from .access import Access, access_for, agencies_for, assessment_for, entry_for, office_access_for
from .forms import web_url, web_urls
from .http import SignedInRequest
from .models import ApiToken, Job, Measure, MeasureStatus, RegisterAnswer, RegisterStatus, Unit


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        now = timezone.now()
        if found is None or not found.user.is_active or found.expired(now):
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="prongsai API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
    description="ITA assessments, results, the OIT register and the measures plan, per agency.",
)


class Error(Schema):
    detail: str | list[dict[str, Any]] = Field(description="a message, or the list of invalid fields")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> Any:
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> Any:
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> Any:
    return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=422)


# --- schemas -----------------------------------------------------------------------------------


class AgencyOut(Schema):
    id: int
    name: str
    district: str
    province: str
    role: str


class RatingOut(Schema):
    label_th: str = Field(description="the NACC's rating word, e.g. ผ่านดี")
    label_en: str


class AssessmentOut(Schema):
    fiscal_year: int
    source: str
    scores: dict[str, float] = Field(description="indicator number → score, empty before a result exists")
    total: float | None
    grade: str | None = Field(description="AA–F, for years that publish grades (to FY2565); else null")
    rating: RatingOut | None = Field(
        None, description="the rating word, for years that publish them (from FY2566: ผ่านดีเยี่ยม … ); else null"
    )
    passed: bool | None
    provisional: bool = Field(
        False, description="the year's framework is provisional: the last known year's until the NACC's manual is out"
    )


class ScoresIn(Schema):
    scores: dict[str, float] = Field(
        description="indicator number 1–10 → score 0–100; all 10 are required",
        # the example is a valid body: schemathesis sends it, so the operation is tested past its 422
        examples=[
            {str(n): s for n, s in enumerate([94.17, 86.76, 91.23, 83.63, 85.5, 86.13, 88.62, 85.83, 48.46, 31.25], 1)}
        ],
    )


class UnitOut(Schema):
    id: int
    name: str
    code: str


class EntryOut(Schema):
    item_code: str
    title_th: str
    answer: str
    urls: list[str]
    explanation: str
    unit: str | None = Field(description="the responsible unit's name")
    unit_id: int | None = Field(None, description="the responsible unit's id (GET /agencies/{agency_id}/units)")
    status: str
    due_date: dt.date | None


class EntryIn(Schema):
    answer: RegisterAnswer | None = None
    urls: list[str] | None = Field(
        None, max_length=20, description="http(s) links; one typed without a scheme gets https://"
    )
    unit: int | None = Field(None, description="the id of one of the agency's units, or null for none")
    explanation: str | None = Field(None, max_length=5000)
    status: RegisterStatus | None = None
    due_date: dt.date | None = None


class MeasureOut(Schema):
    id: int
    title: str
    method: list[str]
    units: list[str]
    period_start: dt.date
    period_end: dt.date
    follow_up: str
    status: str
    progress: int


class UpdateIn(Schema):
    date: dt.date
    text: str = Field(min_length=1, max_length=5000)
    progress: int = Field(ge=0, le=100)
    evidence_url: str = Field("", max_length=200, description="an http(s) link, or empty")


class UpdateOut(Schema):
    id: int
    date: dt.date
    text: str
    progress: int


# --- endpoints ---------------------------------------------------------------------------------

NOT_FOUND = {401: Error, 404: Error, 422: Error}
CHANGES = {400: Error, 401: Error, 403: Error, 404: Error, 422: Error}  # 400: a body that is not JSON


def _access(request: SignedInRequest, agency_id: int) -> Access:
    return access_for(request.user, agency_id)


def _assessment_out(assessment: Any) -> AssessmentOut:
    results = assessment.to_results()
    score = results.score() if results else None
    return AssessmentOut(
        fiscal_year=assessment.fiscal_year,
        source=assessment.source,
        scores={str(n): s for n, s in assessment.scores().items()},
        total=score.total if score else None,
        grade=score.grade if score else None,
        rating=RatingOut(label_th=score.rating.label_th, label_en=score.rating.label_en)
        if score and score.rating
        else None,
        passed=score.passed if score else None,
        provisional=assessment.framework.provisional,
    )


@api.get("/agencies", response={200: list[AgencyOut], 401: Error})
def agency_list(request: SignedInRequest) -> list[AgencyOut]:
    roles = {m.agency_id: m.role for m in request.user.memberships.all()}
    return [
        AgencyOut(id=a.pk, name=a.name, district=a.district, province=a.province, role=roles[a.pk])
        for a in agencies_for(request.user)
    ]


@api.get("/agencies/{agency_id}/units", response={200: list[UnitOut], **NOT_FOUND})
def unit_list(request: SignedInRequest, agency_id: int) -> Any:
    """The agency's units (ผู้รับผิดชอบ): their ids are what a register entry's ``unit`` takes."""
    return [UnitOut(id=u.pk, name=u.name, code=u.code) for u in _access(request, agency_id).agency.units.all()]


@api.get("/agencies/{agency_id}/assessments", response={200: list[AssessmentOut], **NOT_FOUND})
def assessment_list(request: SignedInRequest, agency_id: int) -> Any:
    access = _access(request, agency_id)
    return [_assessment_out(a) for a in access.agency.assessments.prefetch_related("results")]


@api.get("/agencies/{agency_id}/assessments/{year}", response={200: AssessmentOut, **NOT_FOUND})
def assessment_detail(request: SignedInRequest, agency_id: int, year: int) -> Any:
    return _assessment_out(assessment_for(_access(request, agency_id), year))


@api.put("/agencies/{agency_id}/assessments/{year}/results", response={200: AssessmentOut, **CHANGES})
def results_put(request: SignedInRequest, agency_id: int, year: int, body: ScoresIn) -> Any:
    access = _access(request, agency_id)
    assessment = assessment_for(access, year)
    access.require_admin()
    try:
        scores = {int(k): v for k, v in body.scores.items()}
    except ValueError as exc:
        raise ValidationError("indicator keys must be numbers 1–10") from exc
    services.results_set(request.user, assessment, scores)
    return _assessment_out(assessment)


def _entry_out(entry: Any) -> EntryOut:
    return EntryOut(
        item_code=entry.item_code,
        title_th=entry.item.title_th,
        answer=entry.answer,
        urls=entry.url_list(),
        explanation=entry.explanation,
        unit=entry.unit.name if entry.unit else None,
        unit_id=entry.unit_id,
        status=entry.status,
        due_date=entry.due_date,
    )


@api.get("/agencies/{agency_id}/assessments/{year}/register", response={200: list[EntryOut], **NOT_FOUND})
def register_list(request: SignedInRequest, agency_id: int, year: int) -> Any:
    assessment = assessment_for(_access(request, agency_id), year)
    return [_entry_out(e) for e in sorted(assessment.register.select_related("unit"), key=lambda e: e.number)]


@api.patch("/agencies/{agency_id}/assessments/{year}/register/{code}", response={200: EntryOut, **CHANGES})
def register_patch(request: SignedInRequest, agency_id: int, year: int, code: str, body: EntryIn) -> Any:
    access = _access(request, agency_id)
    entry = entry_for(access, year, code)
    access.require_edit(entry.unit_id)
    changes = body.dict(exclude_unset=True)
    if "urls" in changes:
        changes["urls"] = web_urls(changes["urls"] or [])
    if changes.get("unit") is not None:
        changes["unit"] = Unit.objects.filter(agency=access.agency, pk=changes["unit"]).first()
        if changes["unit"] is None:
            return Status(400, Error(detail=_("ไม่มีหน่วยงานย่อยนี้ในหน่วยงาน")))
    changes = {k: ("" if v is None and k in ("answer", "explanation") else v) for k, v in changes.items()}
    if changes.get("status") is None:
        changes.pop("status", None)
    return _entry_out(services.register_update(request.user, entry, changes))


def _measure_out(measure: Measure) -> MeasureOut:
    return MeasureOut(
        id=measure.pk,
        title=measure.title,
        method=measure.steps(),
        units=[u.name for u in measure.units.all()],
        period_start=measure.period_start,
        period_end=measure.period_end,
        follow_up=measure.follow_up,
        status=measure.status,
        progress=measure.progress,
    )


@api.get("/agencies/{agency_id}/assessments/{year}/measures", response={200: list[MeasureOut], **NOT_FOUND})
def measure_list(request: SignedInRequest, agency_id: int, year: int) -> Any:
    assessment = assessment_for(_access(request, agency_id), year)
    return [_measure_out(m) for m in assessment.measures.prefetch_related("units")]


@api.post(
    "/agencies/{agency_id}/assessments/{year}/measures/{measure_id}/updates", response={201: UpdateOut, **CHANGES}
)
def measure_update_post(request: SignedInRequest, agency_id: int, year: int, measure_id: int, body: UpdateIn) -> Any:
    access = _access(request, agency_id)
    measure = assessment_for(access, year).measures.filter(pk=measure_id).first()
    if measure is None:
        raise Http404
    if not (access.is_admin or any(access.can_edit(u.pk) for u in measure.units.all())):
        raise PermissionDenied("not allowed to report on this measure")
    evidence_url = web_url(body.evidence_url) if body.evidence_url.strip() else ""
    update = services.measure_update_add(
        request.user, measure, date=body.date, text=body.text, progress=body.progress, evidence_url=evidence_url
    )
    return Status(201, UpdateOut(id=update.pk, date=update.date, text=update.text, progress=update.progress))


__all__ = ["MeasureStatus", "api"]


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str = Field(description="queued, running, done, failed or cancelled")
    done: int
    total: int
    message: str
    result: dict[str, Any]
    error: str
    attempts: int


@api.get("/jobs/{job_id}", response={200: JobOut, **NOT_FOUND})
def job_detail(request: SignedInRequest, job_id: int) -> Any:
    """A background job's progress and result: an agency's jobs for its members, other jobs for who started them."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404
    if job.agency_id is not None:
        _access(request, job.agency_id)
    elif job.office_id is not None:
        office_access_for(request.user, job.office_id)
    elif job.created_by_id != request.user.pk:
        raise Http404
    return JobOut(
        id=job.pk, kind=job.kind, title=job.title, status=job.status, done=job.done, total=job.total,
        message=job.message, result=job.result, error=job.error, attempts=job.attempts,
    )  # fmt: skip
