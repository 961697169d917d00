"""What the oversight dashboard asks the database: the request's year and filters, the year's scores as
NumPy arrays (one query), the trend (one GROUP BY), pages that keep the query, the help ranking's rows,
OIT readiness from each agency's latest check, and each published result's level word."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import HttpRequest

from prongsai.checker.report import CheckReport, projected_score
from prongsai.errors import FrameworkError
from prongsai.framework import Framework
from prongsai.frameworks import get_framework
from prongsai.oversight import HelpCandidate, TrendPoint, help_ranking
from prongsai.published import rating_indexes
from prongsai.scoring import ScoreResult

from ..access import OfficeAccess
from ..models import CheckRun, PublishedResult

PAGE_SIZE = 50
SHORT_PAGE = 25  # tables with a long reason per row
SCORES = PublishedResult.SCORE_FIELDS


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
        return self.rows.filter(fiscal_year=self.year) if self.year is not None else self.rows.none()


def selection_of(access: OfficeAccess, request: HttpRequest) -> Selection:
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


def year_arrays(selection: Selection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ids, (agencies, 10) scores and totals of the selected year, in one query."""
    # cast in SQL: 8,300 × 11 Decimals would cost more to convert than the whole statistics
    floats = {f"f_{name}": Cast(name, FloatField()) for name in (*SCORES, "total")}
    values = list(selection.year_rows.order_by("pk").annotate(**floats).values_list("pk", *floats))
    if not values:
        return np.empty(0, dtype=np.int64), np.empty((0, 10)), np.empty(0)
    matrix = np.array(values, dtype=np.float64)
    return matrix[:, 0].astype(np.int64), matrix[:, 1:11], matrix[:, 11]


def trend_points(selection: Selection) -> list[TrendPoint]:
    """Per year in the database: count, mean total, passes and indicator means (one GROUP BY)."""
    aggregates = {f"m{n}": Avg(f"i{n}") for n in range(1, 11)}
    per_year = (
        selection.rows.order_by()
        .values("fiscal_year")
        .annotate(n=Count("pk"), mean=Avg("total"), passed=Count("pk", filter=Q(passed=True)), **aggregates)
        .order_by("fiscal_year")
    )
    rows: Any = per_year  # its m1…m10 keys are made above, unknown to the stubs
    return [
        TrendPoint(
            fiscal_year=p["fiscal_year"],
            agencies=p["n"],
            mean_total=float(p["mean"]),
            pass_rate=100 * p["passed"] / p["n"],
            indicator_means=tuple(float(p[f"m{n}"]) for n in range(1, 11)),
        )
        for p in rows
    ]


def page_of(request: HttpRequest, items: Any, name: str, size: int = PAGE_SIZE) -> Page[Any]:
    """A page, with the links to its neighbours that keep the rest of the query (year, filters …)."""
    page = Paginator(items, size).get_page(request.GET.get(name))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[name] = str(number)
        return "?" + query.urlencode()

    page.previous_url = link(page.previous_page_number()) if page.has_previous() else ""  # type: ignore[attr-defined]
    page.next_url = link(page.next_page_number()) if page.has_next() else ""  # type: ignore[attr-defined]
    return page


def level_words(framework: Framework, rows: list[PublishedResult]) -> list[str]:
    """What each published result's level reads: its rating word (from FY2566), its grade (to FY2565), or ""."""
    if not framework.has_ratings:
        return [r.grade for r in rows]
    if not rows:
        return []
    scores = np.array([[float(getattr(r, f)) for f in SCORES] for r in rows], dtype=np.float64)
    totals = np.array([float(r.total) for r in rows], dtype=np.float64)
    return [framework.ratings[k].label_th for k in rating_indexes(framework, scores, totals).tolist()]


def with_levels(framework: Framework, page: Page[Any]) -> Page[Any]:
    """The page's rows as a list, each with ``level`` (rating word or grade) for the template."""
    rows = list(page.object_list)
    for row, word in zip(rows, level_words(framework, rows), strict=True):
        row.level = word
    page.object_list = rows
    return page


def level_array(framework: Framework, scores: np.ndarray, totals: np.ndarray) -> list[str]:
    """Rating word (from FY2566) or grade (to FY2565) of each row of the year's arrays."""
    if framework.has_ratings:
        return [framework.ratings[k].label_th for k in rating_indexes(framework, scores, totals).tolist()]
    if framework.has_grades:
        return [framework.grade_for(float(t)) for t in totals.tolist()]
    return ["" for _ in totals.tolist()]


def export_levels(framework: Framework, scores: list[Any], totals: list[Any]) -> list[str]:
    if not totals:
        return []
    return level_array(
        framework, np.array(scores, dtype=np.float64).reshape(-1, 10), np.array(totals, dtype=np.float64)
    )


@dataclass(frozen=True)
class RankedRow:
    rank: int
    result: PublishedResult
    candidate: HelpCandidate
    level: str = ""  # the rating word (from FY2566) or the grade


def ranked(selection: Selection, ids: np.ndarray, scores: np.ndarray, totals: np.ndarray) -> list[HelpCandidate]:
    if selection.year is None or not len(ids):
        return []
    return list(help_ranking(get_framework(selection.year), scores, totals))


def ranked_rows(framework: Framework, candidates: list[HelpCandidate], ids: np.ndarray, start: int) -> list[RankedRow]:
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


def readiness(
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
    page = listed if everything else page_of(request, listed, "opage", SHORT_PAGE)
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
        run: Any = runs.get(a["run"])
        counts = (run or {}).get("report__counts") or {}
        likely = (run or {}).get("report__likely") or {}
        result = published.get(a["pk"])
        year = run["assessment__fiscal_year"] if run else None
        report = CheckReport.from_json({"counts": counts, "likely": likely})
        projected = _projected(year, result, report)
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
                likely_9=report.likely_9,
                likely_10=report.likely_10,
                published_total=float(result.total) if result else None,
                projected_total=projected.total if projected else None,
                projected_passes=projected.passed if projected else None,
                projected_level=level_of(projected),
                projected_rating=projected.rating.label_th if projected and projected.rating else "",
            )
        )
    return {
        "page": page,
        "rows": rows,
        "agencies": len(listed),
        "checked": sum(1 for a in listed if a["run"]),
    }


def _projected(year: int | None, result: PublishedResult | None, report: CheckReport) -> ScoreResult | None:
    """The published result with the check's likely OIT (checker.report.projected_score); None without one."""
    if result is None or year is None:
        return None
    try:
        framework = get_framework(year)
    except FrameworkError:  # a check of a year this installation no longer knows
        return None
    return projected_score(framework, {n: float(getattr(result, f"i{n}")) for n in range(1, 9)}, report)


def level_of(result: ScoreResult | None) -> str:
    """A ScoreResult's rating word or grade ("" for none)."""
    if result is None:
        return ""
    if result.rating is not None:
        return str(result.rating.label_th)
    return str(result.grade or "")


def filter_options(access: OfficeAccess, selection: Selection) -> dict[str, list[str]]:
    base = PublishedResult.objects.filter(office=access.office).order_by()
    districts = base.filter(province=selection.province) if selection.province else base
    return {
        "provinces": sorted(p for p in base.values_list("province", flat=True).distinct() if p),
        "districts": sorted(d for d in districts.values_list("district", flat=True).distinct() if d),
        "kinds": sorted(k for k in base.values_list("kind", flat=True).distinct() if k),
    }
