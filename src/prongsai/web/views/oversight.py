"""The oversight dashboard of an office: the published results of many agencies at once, their
distribution, the weakest indicators, trends, OIT readiness from the latest checks and who gains most
from help; each table also as XLSX. Importing runs as a background job (jobs.oversight_import).

For 8,300 agencies × several years the page stays a handful of queries: one GROUP BY for the trend, one
query that reads the selected year's scores into NumPy (the core computes the rest), and pages of 50.
The queries are in oversight_selectors, the charts in oversight_charts, the XLSX tables in oversight_exports.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prongsai._table import Sheet, xlsx_bytes
from prongsai.errors import InputError
from prongsai.frameworks import get_framework
from prongsai.oversight import summarize

from .. import jobs
from ..access import office_access_for
from ..http import SignedInRequest
from ..i18n import core_message
from ..jobs.oversight_import import save_upload
from ..pagecache import cached_page
from .oversight_charts import grade_chart, histogram_chart, indicator_chart, trend_chart
from .oversight_exports import TABLES, XLSX, ExportQuery, table_sheet
from .oversight_selectors import (
    SHORT_PAGE,
    filter_options,
    page_of,
    ranked,
    ranked_rows,
    readiness,
    selection_of,
    trend_points,
    with_levels,
    year_arrays,
)


class OversightImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("ไฟล์ผลคะแนนที่ประกาศ (.csv .xlsx)"))


# --- pages ---------------------------------------------------------------------------------------------


@login_required
@cached_page
def dashboard(request: SignedInRequest, office_id: int) -> HttpResponse:
    access = office_access_for(request.user, office_id)
    selection = selection_of(access, request)
    context: dict[str, Any] = {
        "access": access,
        "office": access.office,
        "selection": selection,
        "options": filter_options(access, selection),
        "readiness": readiness(access, selection, request),
    }
    ids, scores, totals = year_arrays(selection) if selection.year else (np.empty(0), np.empty((0, 10)), np.empty(0))
    if selection.year is not None and len(ids):
        framework = get_framework(selection.year)
        summary = summarize(framework, scores, totals)
        points = trend_points(selection)
        previous = next((p for p in reversed(points) if p.fiscal_year < selection.year), None)
        candidates = ranked(selection, ids, scores, totals)
        ranking = page_of(request, candidates, "page", SHORT_PAGE)
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
                "ranked": ranked_rows(framework, list(ranking), ids, ranking.start_index()),
                "oit_alone": sum(1 for c in candidates if c.oit_alone_passes),
                "below": len(candidates),
                "results": with_levels(framework, page_of(request, results, "rpage")),
                "passed_filter": passed,
            }
        )
    return render(request, "prongsai/oversight.html", context)


@login_required
def import_page(request: SignedInRequest, office_id: int) -> HttpResponse:
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
                form.add_error("file", core_message(exc))
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


@login_required
def export(request: SignedInRequest, office_id: int, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404
    access = office_access_for(request.user, office_id)
    selection = selection_of(access, request)
    year = selection.year
    columns, rows = table_sheet(table, ExportQuery(access, request, selection))
    # agency names and imported text never run as formulas: xlsx_bytes passes every cell through spreadsheet_cell
    body = xlsx_bytes(Sheet(f"{table} {year or ''}".strip(), columns, rows))
    response = HttpResponse(body, content_type=XLSX)
    name = f"oversight-{access.office.pk}-{table}-{year or 'all'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
