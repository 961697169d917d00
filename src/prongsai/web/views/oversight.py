"""The oversight dashboard of an office: the published results of many agencies at once, their
distribution, the weakest indicators, trends, OIT readiness from the latest checks and who gains most
from help; each table also as XLSX. Importing runs as a background job (jobs.oversight_import).

For 8,300 agencies × several years the page stays a handful of queries: one GROUP BY for the trend, one
query that reads the selected year's scores into NumPy (the core computes the rest), and pages of 50.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prongsai._table import spreadsheet_row
from prongsai.errors import FrameworkError, InputError
from prongsai.framework import Framework
from prongsai.frameworks import get_framework
from prongsai.oversight import HelpCandidate, TrendPoint, YearSummary, help_ranking, rating_indexes, summarize
from prongsai.scoring import score

from .. import jobs
from ..access import OfficeAccess, office_access_for
from ..jobs.oversight_import import save_upload
from ..models import CheckRun, PublishedResult
from ..pagecache import cached_page
from .assessment import indicator_bars

PAGE_SIZE = 50
SHORT_PAGE = 25  # tables with a long reason per row
SCORES = PublishedResult.SCORE_FIELDS
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OversightImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("ไฟล์ผลคะแนนที่ประกาศ (.csv .xlsx)"))


# --- what the request asks for ------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The year and the filters of a request, and the office's rows they select."""

    years: list[int]
    year: int | None
    province: str
    district: str
    kind: str
    rows: QuerySet[PublishedResult]  # every year, filtered by place and kind

    @property
    def year_rows(self) -> QuerySet[PublishedResult]:
        return self.rows.filter(fiscal_year=self.year)


def _selection(access: OfficeAccess, request: HttpRequest) -> Selection:
    rows = PublishedResult.objects.filter(office=access.office)
    years = sorted(rows.order_by().values_list("fiscal_year", flat=True).distinct())
    try:
        asked = int(request.GET.get("year", ""))
    except ValueError:
        asked = None
    year = asked if asked in years else (years[-1] if years else None)
    province, district, kind = (request.GET.get(k, "").strip() for k in ("province", "district", "kind"))
    if province:
        rows = rows.filter(province=province)
    if district:
        rows = rows.filter(district=district)
    if kind:
        rows = rows.filter(kind=kind)
    return Selection(years, year, province, district, kind, rows)


def _year_arrays(selection: Selection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ids, (agencies, 10) scores and totals of the selected year, in one query."""
    # cast in SQL: 8,300 × 11 Decimals would cost more to convert than the whole statistics
    floats = {f"f_{name}": Cast(name, FloatField()) for name in (*SCORES, "total")}
    values = list(selection.year_rows.order_by("pk").annotate(**floats).values_list("pk", *floats))
    if not values:
        return np.empty(0, dtype=np.int64), np.empty((0, 10)), np.empty(0)
    matrix = np.array(values, dtype=np.float64)
    return matrix[:, 0].astype(np.int64), matrix[:, 1:11], matrix[:, 11]


def _trend(selection: Selection) -> list[TrendPoint]:
    """Per year in the database: count, mean total, passes and indicator means (one GROUP BY)."""
    aggregates = {f"m{n}": Avg(f"i{n}") for n in range(1, 11)}
    per_year = (
        selection.rows.order_by()
        .values("fiscal_year")
        .annotate(n=Count("pk"), mean=Avg("total"), passed=Count("pk", filter=Q(passed=True)), **aggregates)
        .order_by("fiscal_year")
    )
    return [
        TrendPoint(
            fiscal_year=p["fiscal_year"],
            agencies=p["n"],
            mean_total=float(p["mean"]),
            pass_rate=100 * p["passed"] / p["n"],
            indicator_means=tuple(float(p[f"m{n}"]) for n in range(1, 11)),
        )
        for p in per_year
    ]


def _page(request: HttpRequest, items: Any, name: str, size: int = PAGE_SIZE) -> Page:
    """A page, with the links to its neighbours that keep the rest of the query (year, filters …)."""
    page = Paginator(items, size).get_page(request.GET.get(name))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[name] = str(number)
        return "?" + query.urlencode()

    page.previous_url = link(page.previous_page_number()) if page.has_previous() else ""  # type: ignore[attr-defined]
    page.next_url = link(page.next_page_number()) if page.has_next() else ""  # type: ignore[attr-defined]
    return page


# --- charts (geometry here, drawn by the templates as inline SVG) --------------------------------------

SMALL_CHART_WIDTH = 440  # the histogram and grades: half a desktop card, a whole phone


def histogram_chart(summary: YearSummary) -> dict[str, Any]:
    """Bars of agencies per score range; ticks at the range edges (0, 50, 55 … 100), so labels never crowd."""
    width, left, top, plot_height = SMALL_CHART_WIDTH, 14, 18, 150
    bins = summary.histogram
    slot = (width - 2 * left) / len(bins)
    peak = max(b.count for b in bins) or 1
    bars = []
    for k, b in enumerate(bins):
        height = plot_height * b.count / peak
        x = left + k * slot
        bars.append(
            {
                "x": x + 2,
                "width": slot - 4,
                "y": top + plot_height - height,
                "height": height,
                "count": b.count,
                "label": b.label,
                "mid": x + slot / 2,
                "passing": b.low >= summary.pass_mark,
            }
        )
    ticks = [{"x": left + k * slot, "label": f"{edge:g}"} for k, edge in enumerate((*[b.low for b in bins], 100))]
    edge = next((k for k, b in enumerate(bins) if b.low >= summary.pass_mark), len(bins))
    return {
        "bars": bars,
        "ticks": ticks,
        "width": width,
        "height": top + plot_height + 44,
        "base": top + plot_height,
        "label_y": top + plot_height + 17,
        "axis_y": top + plot_height + 38,
        "left": left,
        "right": width - left,
        "pass_x": left + edge * slot,
        "pass_mark": summary.pass_mark,
        "top": top - 8,
    }


def grade_chart(summary: YearSummary) -> dict[str, Any]:
    """Agencies per level: the rating words where the year publishes them (from FY2566), else grades AA–F."""
    row = 28
    levels: list[tuple[str, int, float, bool]]
    if summary.ratings_published:
        label_width = 150  # ต้องปรับปรุงโดยด่วน
        levels = [
            (r.rating.label_th, r.count, r.share, r.rating.min_total >= summary.pass_mark) for r in summary.ratings
        ]
    else:
        label_width = 40
        bands = get_framework(summary.fiscal_year).grades
        levels = [
            (g.grade, g.count, g.share, band.min >= summary.pass_mark)
            for g, band in zip(summary.grades, bands, strict=True)
        ]
    scale_width = SMALL_CHART_WIDTH - label_width - 110
    peak = max(count for _, count, _, _ in levels) or 1
    bars = [
        {
            "label": label,
            "y": 8 + k * row,
            "width": scale_width * count / peak,
            "count": count,
            "share": share,
            "passing": passing,
        }
        for k, (label, count, share, passing) in enumerate(levels)
    ]
    return {"bars": bars, "width": SMALL_CHART_WIDTH, "height": 16 + len(bars) * row, "label_width": label_width}


def level_words(framework: Framework, rows: list[PublishedResult]) -> list[str]:
    """What each published result's level reads: its rating word (from FY2566), its grade (to FY2565), or ""."""
    if not framework.has_ratings:
        return [r.grade for r in rows]
    if not rows:
        return []
    scores = np.array([[float(getattr(r, f)) for f in SCORES] for r in rows], dtype=np.float64)
    totals = np.array([float(r.total) for r in rows], dtype=np.float64)
    return [framework.ratings[k].label_th for k in rating_indexes(framework, scores, totals).tolist()]


def _with_levels(framework: Framework, page: Page) -> Page:
    """The page's rows as a list, each with ``level`` (rating word or grade) for the template."""
    rows = list(page.object_list)
    for row, word in zip(rows, level_words(framework, rows), strict=True):
        row.level = word  # type: ignore[attr-defined]
    page.object_list = rows
    return page


def indicator_chart(summary: YearSummary, previous: TrendPoint | None) -> dict[str, Any]:
    """The office's indicator means, drawn like the analysis page's chart, with last year's means."""
    indicators = [(i.number, i.name_th, i.mean) for i in summary.indicators]
    return indicator_bars(indicators, list(previous.indicator_means) if previous else None, summary.pass_mark)


def trend_chart(points: list[TrendPoint], pass_mark: float) -> dict[str, Any] | None:
    """Mean total and pass rate per year on one 0–100 axis (both are out of 100)."""
    if not points:
        return None
    left, right, top, plot_height = 34, 26, 20, 150
    pad = 22  # the first and last points keep their labels clear of the axis and the edge
    span = SMALL_CHART_WIDTH - left - right - 2 * pad
    step = span / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return top + plot_height * (1 - value / 100)

    xs = [left + pad + (k * step if len(points) > 1 else span / 2) for k in range(len(points))]
    mean = [{"x": x, "y": y(p.mean_total), "value": p.mean_total} for x, p in zip(xs, points, strict=True)]
    rate = [{"x": x, "y": y(p.pass_rate), "value": p.pass_rate} for x, p in zip(xs, points, strict=True)]
    return {
        "width": SMALL_CHART_WIDTH,
        "height": top + plot_height + 30,
        "left": left,
        "right": SMALL_CHART_WIDTH - right,
        "grid": [{"y": y(v), "value": v} for v in (0, 25, 50, 75, 100)],
        "pass_y": y(pass_mark),
        "pass_mark": pass_mark,
        "mean": mean,
        "rate": rate,
        "mean_line": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in mean),
        "rate_line": " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in rate),
        "years": [{"x": x, "year": p.fiscal_year} for x, p in zip(xs, points, strict=True)],
        "year_y": top + plot_height + 22,
    }


# --- the tables ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedRow:
    rank: int
    result: PublishedResult
    candidate: HelpCandidate
    level: str = ""  # the rating word (from FY2566) or the grade


def _ranked(selection: Selection, ids: np.ndarray, scores: np.ndarray, totals: np.ndarray) -> list[HelpCandidate]:
    if selection.year is None or not len(ids):
        return []
    return list(help_ranking(get_framework(selection.year), scores, totals))


def _ranked_rows(framework: Framework, candidates: list[HelpCandidate], ids: np.ndarray, start: int) -> list[RankedRow]:
    wanted = [int(ids[c.index]) for c in candidates]
    found = PublishedResult.objects.in_bulk(wanted)
    results = [found[pk] for pk in wanted]
    words = level_words(framework, results)
    return [
        RankedRow(start + k, result, c, word)
        for k, (result, c, word) in enumerate(zip(results, candidates, words, strict=True))
    ]


@dataclass(frozen=True)
class Readiness:
    agency_id: int
    name: str
    district: str
    province: str
    fiscal_year: int | None
    checked: Any
    ok: int
    to_fix: int
    needs_person: int
    items: int
    likely_9: float | None
    likely_10: float | None
    published_total: float | None
    projected_total: float | None
    projected_passes: bool | None
    projected_level: str = ""  # the projected rating word (from FY2566) or grade
    projected_rating: str = ""  # the projected rating word only (from FY2566)


def _readiness(
    access: OfficeAccess, selection: Selection, request: HttpRequest, *, everything: bool = False
) -> dict[str, Any] | None:
    """The latest finished website check of each agency the office oversees in this system (a page of them)."""
    agencies = access.office.agencies.all()
    if selection.province:
        agencies = agencies.filter(province=selection.province)
    if selection.district:
        agencies = agencies.filter(district=selection.district)
    latest = CheckRun.objects.filter(assessment__agency=OuterRef("pk"), status=CheckRun.Status.DONE).order_by(
        "-started"
    )
    listed = list(
        agencies.annotate(run=Subquery(latest.values("pk")[:1])).values("pk", "name", "district", "province", "run")
    )
    if not listed:
        return None
    page = listed if everything else _page(request, listed, "opage", SHORT_PAGE)
    runs = {
        r["pk"]: r
        for r in CheckRun.objects.filter(pk__in=[a["run"] for a in page if a["run"]]).values(
            "pk", "started", "finished", "assessment__fiscal_year", "report__counts", "report__likely"
        )
    }
    published = {}
    if selection.year is not None:
        published = {
            r.agency_id: r
            for r in PublishedResult.objects.filter(
                office=access.office, fiscal_year=selection.year, agency_id__in=[a["pk"] for a in page]
            )
        }
    rows = []
    for a in page:
        run = runs.get(a["run"])
        counts = (run or {}).get("report__counts") or {}
        likely = (run or {}).get("report__likely") or {}
        result = published.get(a["pk"])
        year = run["assessment__fiscal_year"] if run else None
        projected = None
        if result is not None and run and likely:
            try:
                indicators = {n: float(getattr(result, f"i{n}")) for n in range(1, 9)}
                indicators |= {9: float(likely["indicator_9"]), 10: float(likely["indicator_10"])}
                projected = score(get_framework(year), indicators)
            except (FrameworkError, KeyError, TypeError, ValueError):
                projected = None
        items = sum(int(v) for v in counts.values()) if counts else 0
        rows.append(
            Readiness(
                agency_id=a["pk"],
                name=a["name"],
                district=a["district"],
                province=a["province"],
                fiscal_year=year,
                checked=(run["finished"] or run["started"]) if run else None,
                ok=int(counts.get("ok", 0)),
                to_fix=items - int(counts.get("ok", 0)) - int(counts.get("needs_person", 0)),
                needs_person=int(counts.get("needs_person", 0)),
                items=items,
                likely_9=likely.get("indicator_9"),
                likely_10=likely.get("indicator_10"),
                published_total=float(result.total) if result else None,
                projected_total=projected.total if projected else None,
                projected_passes=projected.passed if projected else None,
                projected_level=_level_of(projected),
                projected_rating=projected.rating.label_th if projected and projected.rating else "",
            )
        )
    return {
        "page": page,
        "rows": rows,
        "agencies": len(listed),
        "checked": sum(1 for a in listed if a["run"]),
    }


def _level_of(result: Any) -> str:
    """A ScoreResult's rating word or grade ("" for none)."""
    if result is None:
        return ""
    if result.rating is not None:
        return str(result.rating.label_th)
    return str(result.grade or "")


def _filter_options(access: OfficeAccess, selection: Selection) -> dict[str, list[str]]:
    base = PublishedResult.objects.filter(office=access.office).order_by()
    districts = base.filter(province=selection.province) if selection.province else base
    return {
        "provinces": sorted(p for p in base.values_list("province", flat=True).distinct() if p),
        "districts": sorted(d for d in districts.values_list("district", flat=True).distinct() if d),
        "kinds": sorted(k for k in base.values_list("kind", flat=True).distinct() if k),
    }


# --- pages ---------------------------------------------------------------------------------------------


@login_required
@cached_page
def dashboard(request: HttpRequest, office_id: int) -> HttpResponse:
    access = office_access_for(request.user, office_id)
    selection = _selection(access, request)
    context: dict[str, Any] = {
        "access": access,
        "office": access.office,
        "selection": selection,
        "options": _filter_options(access, selection),
        "readiness": _readiness(access, selection, request),
    }
    ids, scores, totals = _year_arrays(selection) if selection.year else (np.empty(0), np.empty((0, 10)), np.empty(0))
    if selection.year is not None and len(ids):
        framework = get_framework(selection.year)
        summary = summarize(framework, scores, totals)
        points = _trend(selection)
        previous = next((p for p in reversed(points) if p.fiscal_year < selection.year), None)
        candidates = _ranked(selection, ids, scores, totals)
        ranking = _page(request, candidates, "page", SHORT_PAGE)
        passed = request.GET.get("passed", "")
        results = selection.year_rows.order_by("-total", "agency_name")
        if passed in ("1", "0"):
            results = results.filter(passed=passed == "1")
        context.update(
            {
                "summary": summary,
                "framework": framework,
                "previous": previous,
                "mean_change": summary.mean_total - previous.mean_total if previous else None,
                "rate_change": summary.pass_rate - previous.pass_rate if previous else None,
                "histogram": histogram_chart(summary),
                "grades": grade_chart(summary),
                "chart": indicator_chart(summary, previous),
                "chart_previous": {"previous": {"fiscal_year": previous.fiscal_year}} if previous else None,
                "trend": points,
                "trend_chart": trend_chart(points, summary.pass_mark),
                "ranking": ranking,
                "ranked": _ranked_rows(framework, list(ranking), ids, ranking.start_index()),
                "oit_alone": sum(1 for c in candidates if c.oit_alone_passes),
                "below": len(candidates),
                "results": _with_levels(framework, _page(request, results, "rpage")),
                "passed_filter": passed,
            }
        )
    return render(request, "prongsai/oversight.html", context)


@login_required
def import_page(request: HttpRequest, office_id: int) -> HttpResponse:
    access = office_access_for(request.user, office_id)
    form = OversightImportForm()
    status = 200
    if request.method == "POST":
        access.require_admin()
        form = OversightImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                saved = save_upload(upload)
            except InputError as exc:
                form.add_error("file", str(exc))
            else:
                job = jobs.submit(
                    request.user,
                    "oversight_import",
                    {"office_id": access.office.pk, "path": str(saved), "filename": upload.name},
                    office=access.office,
                    title=_("นำเข้าผลคะแนน %(name)s") % {"name": upload.name},
                )
                return redirect("job", job_id=job.pk)
        status = 400
    context = {
        "access": access,
        "office": access.office,
        "form": form,
        "imports": access.office.imports.select_related("imported_by", "job")[:20],
        "agencies": access.office.agencies.count(),
    }
    return render(request, "prongsai/oversight_import.html", context, status=status)


# --- XLSX ----------------------------------------------------------------------------------------------

TABLES = ("results", "indicators", "ranking", "trends", "readiness")


def _xlsx(title: str, headers: list[str], rows: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append(spreadsheet_row(row))  # agency names and imported text never run as formulas
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _f(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _level_array(framework: Framework, scores: np.ndarray, totals: np.ndarray) -> list[str]:
    """Rating word (from FY2566) or grade (to FY2565) of each row of the year's arrays."""
    if framework.has_ratings:
        return [framework.ratings[k].label_th for k in rating_indexes(framework, scores, totals).tolist()]
    if framework.has_grades:
        return [framework.grade_for(float(t)) for t in totals.tolist()]
    return ["" for _ in totals.tolist()]


def _export_levels(framework: Framework, scores: list[Any], totals: list[Any]) -> list[str]:
    if not totals:
        return []
    return _level_array(
        framework, np.array(scores, dtype=np.float64).reshape(-1, 10), np.array(totals, dtype=np.float64)
    )


@login_required
def export(request: HttpRequest, office_id: int, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404
    access = office_access_for(request.user, office_id)
    selection = _selection(access, request)
    year = selection.year
    headers: list[str]
    rows: Any
    if table == "trends":
        headers = ["ปีงบประมาณ", "จำนวนหน่วยงาน", "คะแนนเฉลี่ย", "ร้อยละที่ผ่าน", *[f"ตัวชี้วัด {n}" for n in range(1, 11)]]
        rows = (
            [p.fiscal_year, p.agencies, _f(p.mean_total), _f(p.pass_rate), *[_f(m) for m in p.indicator_means]]
            for p in _trend(selection)
        )
    elif table == "readiness":
        readiness = _readiness(access, selection, request, everything=True)
        headers = ["หน่วยงาน", "อำเภอ", "จังหวัด", "ปีที่ตรวจ", "ผ่าน", "ต้องแก้", "ต้องให้คนตรวจ", "จำนวนข้อ"]
        headers += ["คาดตัวชี้วัด 9", "คาดตัวชี้วัด 10", "คะแนนรวมที่ประกาศ", "คะแนนรวมคาดการณ์", "ระดับผลการประเมินคาดการณ์"]
        rows = (
            [
                *(r.name, r.district, r.province, r.fiscal_year, r.ok, r.to_fix, r.needs_person, r.items),
                *(_f(r.likely_9), _f(r.likely_10), _f(r.published_total), _f(r.projected_total), r.projected_level),
            ]
            for r in (readiness["rows"] if readiness else [])
        )
    elif year is None:
        headers, rows = ["ยังไม่มีผลคะแนน"], []
    elif table == "results":
        headers = ["หน่วยงาน", "รหัส", "ประเภท", "อำเภอ", "จังหวัด", "ปีงบประมาณ"]
        headers += [f"ตัวชี้วัด {n}" for n in range(1, 11)] + ["คะแนนรวม", "ระดับผลการประเมิน", "ผ่านเกณฑ์"]
        fields = ["agency_name", "agency_code", "kind", "district", "province", "fiscal_year", *SCORES, "total"]
        values = list(selection.year_rows.order_by("-total", "agency_name").values_list(*fields, "grade", "passed"))
        levels = _export_levels(get_framework(year), [v[6:16] for v in values], [v[16] for v in values])
        rows = (
            [*v[:6], *[_f(s) for s in v[6:17]], level, "ผ่าน" if v[18] else "ไม่ผ่าน"]
            for v, level in zip(values, levels, strict=True)
        )
    elif table == "indicators":
        ids, scores, totals = _year_arrays(selection)
        summary = summarize(get_framework(year), scores, totals)
        headers = ["อันดับ", "ตัวชี้วัด", "ชื่อตัวชี้วัด", "แบบวัด", "น้ำหนัก", "คะแนนเฉลี่ย"]
        headers += ["จำนวนหน่วยงานที่ต่ำกว่าเกณฑ์", "ร้อยละที่ต่ำกว่าเกณฑ์", "คะแนนรวมที่เสียเฉลี่ย"]
        rows = (
            [k, i.number, i.name_th, i.tool, i.weight, _f(i.mean), i.below, _f(i.below_share), _f(i.points_lost)]
            for k, i in enumerate(summary.weakest, start=1)
        )
    else:  # ranking
        ids, scores, totals = _year_arrays(selection)
        candidates = _ranked(selection, ids, scores, totals)
        names = {
            v[0]: v[1:]
            for v in selection.year_rows.values_list("pk", "agency_name", "agency_code", "kind", "district", "province")
        }
        levels = dict(zip(ids.tolist(), _level_array(get_framework(year), scores, totals), strict=True))
        headers = ["อันดับ", "หน่วยงาน", "รหัส", "ประเภท", "อำเภอ", "จังหวัด", "คะแนนรวม", "ระดับผลการประเมิน", "ขาดอีก"]
        headers += ["OIT เพิ่มได้", "คะแนนสูงสุดจาก OIT", "ผ่านด้วย OIT อย่างเดียว", "ตัวชี้วัดที่ควรยก", "เหตุผล"]
        rows = (
            [
                *(k, *names[int(ids[c.index])], _f(c.total), levels[int(ids[c.index])]),
                *(_f(c.gap), _f(c.oit_points), _f(c.oit_ceiling)),
                *("ใช่" if c.oit_alone_passes else "ไม่", ", ".join(str(n) for n in c.weak_indicators), c.reason_th),
            ]
            for k, c in enumerate(candidates, start=1)
        )
    body = _xlsx(f"{table} {year or ''}".strip(), headers, rows)
    response = HttpResponse(body, content_type=XLSX)
    name = f"oversight-{access.office.pk}-{table}-{year or 'all'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
