"""Practice surveys: the agency's pages (create, share, tokens, results, export) and the public answer form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from prongsai.kit.kinds.services import SATISFACTION_QUESTIONS
from prongsai.thai import to_arabic_digits

from ..access import Access, access_for, admin_access_for, assessment_for
from ..forms import BuddhistDateField, ThaiNumberInput
from ..http import SignedInRequest
from ..models import MIN_GROUP, Assessment, Survey
from ..services import surveys as service

DONE_COOKIE = "ps_done_{slug}"


TOKEN_CHOICES = [
    ("", _("ตามแบบวัด: IIT ใช้รหัสครั้งเดียว EIT ไม่ใช้รหัส")),
    ("yes", _("ใช้รหัสครั้งเดียวต่อคน")),
    ("no", _("ไม่ใช้รหัส: รับหนึ่งคำตอบต่อเบราว์เซอร์")),
]


class SurveyForm(forms.ModelForm[Survey]):
    # One-time codes are the default for IIT: staff are a small known group, and a code lets each answer once
    # without the answer being tied to anyone. EIT respondents are outsiders who have no code to receive.
    requires_token = forms.ChoiceField(label=_("ใช้รหัสตอบครั้งเดียวต่อคน"), choices=TOKEN_CHOICES, required=False)

    class Meta:
        model = Survey
        fields = ["tool", "population", "requires_token", "closes"]
        field_classes = {"closes": BuddhistDateField}
        widgets = {"population": ThaiNumberInput()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choice = cleaned.get("requires_token", "")
        cleaned["requires_token"] = cleaned.get("tool") == Survey.Tool.IIT if not choice else choice == "yes"
        return cleaned


def _survey(access: Access, year: int, tool: str) -> Survey:
    survey = (
        Survey.objects.filter(assessment__agency=access.agency, assessment__fiscal_year=year, tool=tool.upper())
        .select_related("assessment")
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def _public_url(request: HttpRequest, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("survey_answer", args=[survey.slug]))


@login_required
def survey_list(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    # ?tool=SAT: the kit page's link to create the year's satisfaction survey
    chosen = request.GET.get("tool", "").upper()
    form = SurveyForm(request.POST or None, initial={"tool": chosen if chosen in Survey.Tool.values else "IIT"})
    if request.method == "POST":
        access.require_admin()
        if form.is_valid():
            if assessment.surveys.filter(tool=form.cleaned_data["tool"]).exists():
                form.add_error("tool", _("มีแบบสำรวจนี้ของปีนี้อยู่แล้ว"))
            else:
                survey = form.save(commit=False)
                survey.assessment = assessment
                if not survey.scored:  # its questions are fixed now: later answers keep their words
                    survey.questions = list(SATISFACTION_QUESTIONS)
                survey.save()
                return redirect("survey_detail", agency_id=agency_id, year=year, tool=survey.tool)
    results = [service.survey_result(s) for s in assessment.surveys.all()]
    context = {"access": access, "agency": access.agency, "assessment": assessment, "form": form, "results": results}
    return render(request, "prongsai/surveys.html", context, status=400 if form.errors else 200)


@login_required
def survey_detail(request: SignedInRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    from prongsai.documents.poster import survey_qr_svg

    access = access_for(request.user, agency_id)
    survey = _survey(access, year, tool)
    url = _public_url(request, survey)
    context = {
        "access": access,
        "agency": access.agency,
        "assessment": survey.assessment,
        "survey": survey,
        "accepting": survey.accepting(timezone.localdate()),  # what the open/close button does
        "result": service.survey_result(survey),
        "url": url,
        "qr_svg": survey_qr_svg(url),
        "tokens_total": survey.tokens.count(),
        "tokens_used": survey.tokens.filter(used=True).count(),
        "rate_limit": settings.SURVEY_RATE_LIMIT,
        "burst_limit": settings.SURVEY_BURST_LIMIT,
        "burst_seconds": service.BURST_SECONDS,
        "min_group": MIN_GROUP,
        # why its results may not go into the satisfaction report yet (too few, still open, another year)
        "problem": "" if survey.scored else service.satisfaction_report_problem(survey, timezone.localdate()),
    }
    return render(request, "prongsai/survey.html", context)


@login_required
@require_POST
def survey_toggle(request: SignedInRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    survey = _survey(access, year, tool)
    service.survey_toggle_open(survey, timezone.localdate())
    return redirect("survey_detail", agency_id=agency_id, year=year, tool=survey.tool)


@login_required
@require_POST
def survey_tokens(request: SignedInRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    survey = _survey(access, year, tool)
    try:
        count = int(to_arabic_digits(request.POST.get("count", "")))
    except ValueError:
        count = 0
    if not 1 <= count <= 2000:
        messages.error(request, _("จำนวนรหัสต้องอยู่ระหว่าง 1 ถึง 2000"))
        return redirect("survey_detail", agency_id=agency_id, year=year, tool=survey.tool)
    codes = service.tokens_issue(survey, count)
    context = {
        "access": access,
        "agency": access.agency,
        "assessment": survey.assessment,
        "survey": survey,
        "codes": codes,
        "url": _public_url(request, survey),
    }
    return render(request, "prongsai/survey_tokens.html", context)


@login_required
def survey_poster(request: SignedInRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    from prongsai.documents import Converter
    from prongsai.documents.poster import poster_pdf

    access = access_for(request.user, agency_id)
    survey = _survey(access, year, tool)
    converter = Converter()
    try:
        pdf = poster_pdf(
            converter,
            agency_name=access.agency.name,
            tool=survey.tool,
            fiscal_year=year,
            url=_public_url(request, survey),
            closes=survey.closes,
        )
    finally:
        converter.close()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="poster-{survey.tool}-{year}.pdf"'
    return response


@login_required
def survey_export(request: SignedInRequest, agency_id: int, year: int, tool: str, fmt: str) -> HttpResponse:
    """The raw answers, for the agency's admins only and only once MIN_GROUP answers are stored."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    access = admin_access_for(request.user, agency_id)
    survey = _survey(access, year, tool)
    if not service.exportable(survey):
        messages.error(request, _("ส่งออกคำตอบได้เมื่อมีผู้ตอบอย่างน้อย %(n)s คน เพื่อไม่ให้ระบุตัวผู้ตอบได้") % {"n": MIN_GROUP})
        return redirect("survey_detail", agency_id=agency_id, year=year, tool=survey.tool)
    if fmt == "csv":
        response = HttpResponse(service.export_csv(survey), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            service.export_xlsx(survey),
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    response["Content-Disposition"] = f'attachment; filename="answers-{survey.tool}-{year}.{fmt}"'
    return response


@login_required
@require_POST
def survey_satisfaction_report(request: SignedInRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    """Use a satisfaction survey's results in the kit's satisfaction report (its dataset for this year)."""
    access = access_for(request.user, agency_id)
    access.require_edit(any_unit=True)
    survey = _survey(access, year, tool)
    if survey.scored:
        raise Http404
    try:
        service.survey_to_satisfaction_report(request.user, survey, timezone.localdate())
    except ValidationError as exc:
        messages.error(request, exc.message)
        return redirect("survey_detail", agency_id=agency_id, year=year, tool=survey.tool)
    messages.success(
        request,
        _("นำผลการสำรวจไปใส่ในข้อมูลรายงานผลการสำรวจความพึงพอใจแล้ว ตรวจทานข้อมูลแล้วจึงทำเอกสาร"),
    )
    return redirect("kit_dataset", agency_id=agency_id, year=year, code="satisfaction_report")


# --- the public form: no account, nothing identifying kept --------------------------------------


def survey_answer(request: HttpRequest, slug: str) -> HttpResponse:
    survey = service.open_survey(slug)
    if survey is None:
        raise Http404
    assessment: Assessment = survey.assessment
    today = timezone.localdate()
    page = {
        "survey": survey,
        "agency_name": assessment.agency.name,
        "fiscal_year": assessment.fiscal_year,
        "min_group": MIN_GROUP,
    }
    if not survey.accepting(today):
        return render(request, "prongsai/answer_closed.html", page, status=410)
    cookie = DONE_COOKIE.format(slug=slug)
    if not survey.requires_token and request.get_signed_cookie(cookie, default="", salt="survey") == "1":
        return render(request, "prongsai/answer_done.html", page)
    form_class = service.survey_answer_form(survey)
    form = form_class(request.POST or None)
    if request.method == "POST":
        if service.rate_limited(request, survey):
            return render(request, "prongsai/answer_limited.html", page, status=429)
        if form.is_valid():
            try:
                service.survey_submit(survey, form.cleaned_data, form.cleaned_data.get("token"), today)
            except ValidationError as exc:
                form.add_error("token" if survey.requires_token else None, exc.message)
            else:
                response = render(request, "prongsai/answer_thanks.html", page)
                if not survey.requires_token:
                    response.set_signed_cookie(
                        cookie, "1", salt="survey", max_age=400 * 24 * 3600, httponly=True, samesite="Lax"
                    )
                return response
    grouped = [(q, [(label, form[column]) for column, label in q.columns]) for q in service.survey_questions(survey)]
    page |= {"form": form, "questions": grouped, "total": len(grouped)}
    return render(request, "prongsai/answer.html", page, status=400 if form.errors else 200)
