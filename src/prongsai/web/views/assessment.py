"""The analysis page of an assessment, and entering its result (by hand, by file, from the register)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prongsai._table import Sheet, spreadsheet_row, xlsx_bytes
from prongsai.analysis import analyze
from prongsai.frameworks import available_years, get_framework
from prongsai.planner import plan
from prongsai.report import group_sentence, thai_list
from prongsai.results import Results, scores_template
from prongsai.scoring import OitScores, ScoreResult, oit_scores

from .. import services
from ..access import access_for, admin_access_for, assessment_for
from ..forms import ImportForm, ResultsForm
from ..http import SignedInRequest
from ..i18n import language, say
from ..models import Assessment, RegisterStatus
from ..pagecache import cached_page

CHART_WIDTH, BAR_HEIGHT, LABEL_WIDTH = 600, 30, 250


@dataclass(frozen=True)
class Bar:
    number: int
    label: str
    score: float
    y: int
    width: float
    previous_width: float | None
    below: bool


def indicator_bars(
    indicators: list[tuple[int, str, float]], previous: list[float] | None, pass_mark: float
) -> dict[str, object]:
    """Bar geometry for the SVG chart of the 10 indicators (number, name, score) against the pass mark, with
    last year's scores in the same order (drawn by the template); the analysis page's and the office's."""
    scale = (CHART_WIDTH - LABEL_WIDTH - 60) / 100
    bars = [
        Bar(
            number,
            name,
            score,
            10 + k * BAR_HEIGHT,
            score * scale,
            previous[k] * scale if previous else None,
            score < pass_mark,
        )
        for k, (number, name, score) in enumerate(indicators)
    ]
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": 30 + len(bars) * BAR_HEIGHT,
        "label_width": LABEL_WIDTH,
        "pass_x": LABEL_WIDTH + pass_mark * scale,
        "pass_mark": pass_mark,
        "bottom": 14 + len(bars) * BAR_HEIGHT,
        "narrow": narrow_bars(indicators, previous, pass_mark),
    }


# The phone's chart: each label on its own line above its bar, in a drawing about as wide as a phone's card, so
# that its text is drawn at close to its own size (13 px), not shrunk with a 600-unit-wide drawing (to ~6 px).
NARROW_WIDTH, NARROW_ROW = 320, 44


def narrow_bars(
    indicators: list[tuple[int, str, float]], previous: list[float] | None, pass_mark: float
) -> dict[str, object]:
    scale = (NARROW_WIDTH - 52) / 100  # room after the longest bar for its value (100.00)
    bars = [
        Bar(number, name, score, 4 + k * NARROW_ROW, score * scale, previous[k] * scale if previous else None,
            score < pass_mark)
        for k, (number, name, score) in enumerate(indicators)
    ]  # fmt: skip
    return {
        "bars": bars,
        "width": NARROW_WIDTH,
        "height": 24 + len(bars) * NARROW_ROW,
        "pass_x": pass_mark * scale,
        "bottom": 4 + len(bars) * NARROW_ROW,
    }


def chart(result: ScoreResult, previous: ScoreResult | None) -> dict[str, object]:
    indicators = [(i.number, i.label_th, i.score) for i in result.indicators]
    before = [previous.indicator(n).score for n, _, _ in indicators] if previous else None
    return indicator_bars(indicators, before, result.framework.pass_mark)


def _checked_oit(assessment: Assessment) -> OitScores | None:
    """OIT as the latest website check predicts a reviewer will score it."""
    run = assessment.check_runs.filter(status="done").first()
    return run.report_obj.oit(assessment.framework) if run is not None else None


def practice(assessment: Assessment, previous: Results | None) -> dict[str, object] | None:
    """This year's own evidence beside last year's official result, and the plan it projects: indicators
    1–8 from the practice surveys (else last year's), 9–10 from the latest website check, else from this
    year's register once every item is answered, else last year's."""
    from ..services.surveys import survey_result

    scores: dict[int, float] = {}
    counts = {}
    for survey in assessment.surveys.all():
        result = survey_result(survey)
        counts[survey.tool] = result.answers
        scores.update(result.scores or {})
    framework = assessment.framework
    checked = _checked_oit(assessment)
    if not scores and checked is None:
        return None
    answers = assessment.item_answers() if checked is None else None
    oit = checked or (oit_scores(framework, answers) if answers is not None else None)
    base = dict(previous.indicators) if previous else {}
    projected = {**base, **scores, **(oit.indicators if oit else {})}
    rows = [(i, base.get(i.number), scores.get(i.number)) for i in framework.indicators if i.number <= 8]
    the_plan = None
    if all(n in projected for n in range(1, 11)):
        the_plan = plan(Results("practice", framework, projected, oit=oit))
    source = "check" if checked else ("register" if oit else "last_year")
    return {"rows": rows, "counts": counts, "plan": the_plan, "oit_source": source, "oit": oit}


@login_required
@cached_page
def analysis(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    previous_assessment = Assessment.objects.filter(agency=access.agency, fiscal_year=year - 1).first()
    both = [a for a in (assessment, previous_assessment) if a is not None]
    for a in both:
        a.agency = access.agency  # the same row: no query per assessment for its name
    prefetch_related_objects(both, "results")
    results = assessment.to_results()
    previous = previous_assessment.to_results() if previous_assessment else None
    context: dict[str, object] = {
        "access": access,
        "agency": access.agency,
        "assessment": assessment,
        "practice": practice(assessment, previous),
    }
    if results is not None:
        the_analysis = analyze(results, previous)
        the_plan = plan(results)
        words = say()
        context.update(
            {
                "analysis": the_analysis,
                "plan": the_plan,
                "chart": chart(the_analysis.score, the_analysis.previous),
                "group_sentences": [
                    group_sentence(words, g.actions, g.worth, words(g.sub_indicator.label_th, g.sub_indicator.label_en))
                    for g in the_plan.groups
                ],
                "unverified": [f for f in results.framework.unverified_facts() if f.endswith(".weight")],
                "weights_from": _weights_verified_in(results.framework.fiscal_year),
            }
        )
    return render(request, "prongsai/analysis.html", context)


def _weights_verified_in(year: int) -> int | None:
    """The latest year up to ``year`` whose indicator weights the research confirmed (what later years assume)."""
    for earlier in sorted((y for y in available_years() if y <= year), reverse=True):
        if not any(f.endswith(".weight") for f in get_framework(earlier).unverified_facts()):
            return earlier
    return None


@login_required
def results_edit(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    if request.method == "POST":
        access.require_admin()
    initial = {f"i{n}": s for n, s in assessment.scores().items()}
    form = ResultsForm(request.POST or None, framework=assessment.framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.results_set(request.user, assessment, form.scores())
        messages.success(request, _("บันทึกคะแนนแล้ว"))
        return redirect("analysis", agency_id=agency_id, year=year)
    context = {
        "access": access,
        "agency": access.agency,
        "assessment": assessment,
        "form": form,
        "import_form": ImportForm(),
        "history": services.history_of(assessment)[:20],
    }
    return render(request, "prongsai/results.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def results_import(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.results_import(request.user, assessment, form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("นำเข้าผลการประเมินแล้ว"))
            return redirect("analysis", agency_id=agency_id, year=year)
    results_form = ResultsForm(
        framework=assessment.framework, initial={f"i{n}": s for n, s in assessment.scores().items()}
    )
    context = {
        "access": access,
        "agency": access.agency,
        "assessment": assessment,
        "form": results_form,
        "import_form": form,
        "history": services.history_of(assessment)[:20],
    }
    return render(request, "prongsai/results.html", context, status=400)


@login_required
def results_template(request: SignedInRequest, agency_id: int, year: int, fmt: str) -> HttpResponse:
    """An empty scores file of the year (ตัวชี้วัด,คะแนน, the 10 indicators named) that the import reads back."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    assessment = assessment_for(access_for(request.user, agency_id), year)
    rows = scores_template(assessment.framework)
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(spreadsheet_row(row) for row in rows)
        body, content_type = ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    else:
        body = _template_xlsx(rows, year)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="scores-{year}.{fmt}"'
    return response


def _template_xlsx(rows: list[list[str]], year: int) -> bytes:
    # scores typed as numbers (83.40), never as percentages (83.4 % is 0.834)
    return xlsx_bytes(Sheet(f"คะแนน {year}", rows[0], rows[1:], widths=(10, 48, 10), number_formats={2: "0.00"}))


@login_required
@require_POST
def results_from_register(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    try:
        services.results_from_register(request.user, assessment)
    except ValidationError as exc:
        messages.error(request, exc.message)
        return redirect("results", agency_id=agency_id, year=year)
    messages.success(request, _("คำนวณตัวชี้วัด 9 และ 10 จากทะเบียน OIT แล้ว"))
    return redirect("analysis", agency_id=agency_id, year=year)


@login_required
@require_POST
def rollover(request: SignedInRequest, agency_id: int, year: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    assessment = assessment_for(access, year)
    try:
        done = services.assessment_rollover(request.user, assessment)
    except ValidationError as exc:
        messages.error(request, exc.message)
        return redirect("plan", agency_id=agency_id, year=year)
    nxt = done.assessment.fiscal_year
    started = (
        _(
            "เริ่มปีงบประมาณ %(next)s จากแผนและทะเบียนของปี %(year)s แล้ว ยกมาตรการมา %(measures)s มาตรการ "
            "และยก URL คำอธิบาย และผู้รับผิดชอบไปยังข้อของปี %(next)s รวม %(carried)s ข้อ "
            "ข้อที่ยกมามีสถานะ “%(status)s” เพื่อให้ผู้รับผิดชอบตรวจทานอีกครั้ง"
        )
        if done.measures
        else _(
            "เริ่มปีงบประมาณ %(next)s จากแผนและทะเบียนของปี %(year)s แล้ว "
            "ยก URL คำอธิบาย และผู้รับผิดชอบไปยังข้อของปี %(next)s รวม %(carried)s ข้อ "
            "ข้อที่ยกมามีสถานะ “%(status)s” เพื่อให้ผู้รับผิดชอบตรวจทานอีกครั้ง"
        )
    )
    facts = {"next": nxt, "year": year, "measures": done.measures, "carried": done.carried}
    messages.success(request, started % {**facts, "status": RegisterStatus.TO_CHECK.label})
    words = say()
    if done.new_items:
        listed = "; ".join(f"{i.code} {words(i.title_th, i.title_en or i.title_th)}" for i in done.new_items)
        messages.warning(
            request,
            _("ข้อที่เป็นงานใหม่ของปี %(next)s ซึ่งไม่มีข้อใดของปี %(year)s ต่อเนื่องมา จึงยังไม่มีข้อมูล %(n)s ข้อ ได้แก่ %(items)s")
            % {**facts, "n": len(done.new_items), "items": listed},
        )
    if done.proposed:
        listed = "; ".join(
            _("%(code)s %(title)s (จากข้อ %(codes)s ของปี %(year)s)")
            % {
                "code": item.code,
                "title": words(item.title_th, item.title_en or item.title_th),
                "codes": thai_list(before, language()),
                "year": year,
            }
            for item, before in done.proposed
        )
        messages.warning(
            request,
            _(
                "กรอบการประเมินของปี %(next)s ไม่ได้ระบุว่าข้อต่อไปนี้ต่อเนื่องจากข้อใดของปี %(year)s "
                "ระบบจึงจับคู่ให้จากความคล้ายของชื่อและสิ่งที่ต้องแสดง โปรดตรวจสอบ URL และคำอธิบายที่ยกมา "
                "%(n)s ข้อ ได้แก่ %(items)s"
            )
            % {**facts, "n": len(done.proposed), "items": listed},
        )
    return redirect("plan", agency_id=agency_id, year=nxt)
