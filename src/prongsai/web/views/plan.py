"""The measures plan: recommendations by area, measures, "draft the plan", and dated updates."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prongsai.document_kinds import KINDS
from prongsai.errors import ProngsaiError
from prongsai.framework import Framework

from .. import services
from ..access import Access, access_for, admin_access_for, assessment_for
from ..forms import MeasureForm, MeasureUpdateForm, PlanSigningForm
from ..http import SignedInRequest
from ..i18n import core_message
from ..models import Measure, MeasureUpdate, Recommendation, Unit


def document_items(framework: Framework) -> dict[str, object]:
    """The year's OIT items that publish the measures document and its report (FY2564 O42/O43, FY2569
    O25/O26), and which report round the report item asks for."""
    report = framework.document_item("measures_report")
    return {
        "measures_item": framework.document_item("measures"),
        "report_item": report,
        "report_round": "annual" if report is not None and report.coverage == "previous_year" else "half_year",
    }


def _name_items(form: MeasureForm, framework: Framework) -> MeasureForm:
    """The example under the form's OIT items field names this year's items, not a year's codes in code."""
    codes = [i.code for i in (framework.document_item("measures"), framework.document_item("measures_report")) if i]
    if codes and "items" in form.fields:
        form.fields["items"].help_text = _("เช่น %(codes)s") % {"codes": ", ".join(codes)}
    return form


@login_required
def plan(
    request: SignedInRequest, agency_id: int, year: int, signing_form: PlanSigningForm | None = None
) -> HttpResponse:
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    context = {
        **document_items(assessment.framework),
        "access": access,
        "agency": access.agency,
        "assessment": assessment,
        "recommendations": assessment.recommendations.select_related("unit"),
        "measures": assessment.measures.prefetch_related("units", "updates"),
        "units": access.agency.units.all(),
        "source_year": year - 1,
        "own_templates": {t.kind: t for t in access.agency.templates.all()},
        "template_kinds": [(kind.code, kind.short_th) for kind in KINDS.values()],
        # readers see the meeting and the signer as values (plan.html); only the admin gets the inputs
        "signing_form": signing_form or PlanSigningForm(instance=assessment),
    }
    return render(request, "prongsai/plan.html", context)


@login_required
@require_POST
def plan_signing(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    """The meeting and the signature of the plan's documents (an agency admin's)."""
    access = admin_access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    form = PlanSigningForm(request.POST, instance=assessment)
    if form.is_valid():
        services.plan_signing_save(request.user, assessment, form.cleaned_data)
        messages.success(request, _("บันทึกการประชุมและผู้ลงนามแล้ว"))
        return redirect("plan", agency_id=agency_id, year=year)
    messages.error(request, _("ยังบันทึกไม่ได้: โปรดแก้ช่องที่แจ้งไว้"))
    response = plan(request, agency_id, year, signing_form=form)
    response.status_code = 400
    return response


@login_required
def update_file(request: SignedInRequest, agency_id: int, update_id: int) -> FileResponse:
    """A progress update's evidence file, served only to members of its agency (never a public media URL)."""
    access = access_for(request.user, agency_id)
    update = MeasureUpdate.objects.filter(pk=update_id, measure__assessment__agency=access.agency).first()
    if update is None or not update.file:
        raise Http404
    name = update.file_name or Path(update.file.name or "").name  # a stored file has a name
    return FileResponse(update.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def plan_draft(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    try:
        made = services.plan_draft(request.user, assessment)
    except (ValidationError, ProngsaiError) as exc:
        messages.error(request, core_message(exc))
    else:
        messages.success(
            request,
            _("ร่างแผนแล้ว: ข้อเสนอแนะ %(recommendations)s ด้าน มาตรการ %(measures)s รายการ")
            % {"recommendations": made[0], "measures": made[1]},
        )
    return redirect("plan", agency_id=agency_id, year=year)


@login_required
@require_POST
def plan_review(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    """ตรวจทานแล้ว: the agency admin has read the plan; its documents lose ร่าง (who and when: the history)."""
    access = admin_access_for(request.user, agency_id)
    services.plan_review(request.user, assessment_for(access, year))
    messages.success(request, _("บันทึกว่าตรวจทานแผนแล้ว เอกสารจะไม่มีคำว่า ร่าง"))
    return redirect("plan", agency_id=agency_id, year=year)


@login_required
@require_POST
def recommendation_text(request: SignedInRequest, agency_id: int, year: int, rec_id: int) -> HttpResponse:
    """A person's wording of a recommendation (kept when the plan is drafted again)."""
    access = admin_access_for(request.user, agency_id)
    recommendation = _recommendation(access, year, rec_id)
    try:
        services.recommendation_edit(request.user, recommendation, request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("บันทึกข้อเสนอแนะแล้ว"))
    return redirect("plan", agency_id=agency_id, year=year)


@login_required
@require_POST
def recommendation_unit(request: SignedInRequest, agency_id: int, year: int, rec_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    recommendation = _recommendation(access, year, rec_id)
    unit = Unit.objects.filter(agency=access.agency, pk=request.POST.get("unit") or 0).first()
    if unit is None:
        raise Http404
    services.recommendation_assign(request.user, recommendation, unit)
    if request.htmx:
        return render(
            request,
            "prongsai/_recommendation.html",
            {
                "r": recommendation,
                "units": access.agency.units.all(),
                "agency": access.agency,
                "access": access,
                "assessment": recommendation.assessment,
            },
        )
    return redirect("plan", agency_id=agency_id, year=year)


def _recommendation(access: Access, year: int, rec_id: int) -> Recommendation:
    recommendations = assessment_for(access, year).recommendations.select_related("assessment")
    recommendation = recommendations.filter(pk=rec_id).first()
    if recommendation is None:
        raise Http404
    return recommendation


def _measure(access: Access, year: int, measure_id: int) -> Measure:
    measure = Measure.objects.filter(
        pk=measure_id, assessment__agency=access.agency, assessment__fiscal_year=year
    ).first()
    if measure is None:
        raise Http404
    return measure


def _can_edit_measure(access: Access, measure: Measure | None) -> bool:
    if measure is None:
        return access.is_admin
    return access.is_admin or any(access.can_edit(u.pk) for u in measure.units.all())


@login_required
def measure_edit(request: SignedInRequest, agency_id: int, year: int, measure_id: int | None = None) -> HttpResponse:
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    measure = _measure(access, year, measure_id) if measure_id else None
    form = MeasureForm(request.POST or None, instance=measure or Measure(assessment=assessment), agency=access.agency)
    _name_items(form, assessment.framework)
    if request.method == "POST":
        if not _can_edit_measure(access, measure):
            access.require_admin()
        if form.is_valid():
            saved = form.save(commit=False)
            saved.assessment = assessment
            services.measure_save(request.user, saved, form.cleaned_data["units"], created=measure is None)
            messages.success(request, _("บันทึกมาตรการแล้ว"))
            return redirect("plan", agency_id=agency_id, year=year)
    context = {
        "access": access,
        "agency": access.agency,
        "assessment": assessment,
        "measure": measure,
        "form": form,
        "update_form": MeasureUpdateForm(),
        "can_edit": _can_edit_measure(access, measure),
        "history": services.history_of(measure)[:20] if measure else [],
    }
    return render(request, "prongsai/measure.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def measure_update(request: SignedInRequest, agency_id: int, year: int, measure_id: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    measure = _measure(access, year, measure_id)
    if not _can_edit_measure(access, measure):
        access.require_admin()
    form = MeasureUpdateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.measure_update_add(
                request.user,
                measure,
                date=form.cleaned_data["date"],
                text=form.cleaned_data["text"],
                progress=form.cleaned_data["progress"],
                evidence_url=form.cleaned_data["evidence_url"],
                upload=form.cleaned_data.get("file"),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("บันทึกความคืบหน้าแล้ว"))
            return redirect("measure", agency_id=agency_id, year=year, measure_id=measure.pk)
    context = {
        "access": access,
        "agency": access.agency,
        "assessment": measure.assessment,
        "measure": measure,
        "form": _name_items(MeasureForm(instance=measure, agency=access.agency), measure.assessment.framework),
        "update_form": form,
        "can_edit": True,
        "history": services.history_of(measure)[:20],
    }
    return render(request, "prongsai/measure.html", context, status=400)
