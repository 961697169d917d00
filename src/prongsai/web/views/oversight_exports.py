"""The oversight dashboard's tables as XLSX: a registry of tables (name → columns and a rows function), each
row built from the same selection the page shows. Numbers are rounded by the one rule (prongsai.numbers)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from prongsai.frameworks import get_framework
from prongsai.numbers import round_half_up
from prongsai.oversight import summarize

from ..access import OfficeAccess
from .oversight_selectors import (
    SCORES,
    Selection,
    export_levels,
    level_array,
    ranked,
    readiness,
    trend_points,
    year_arrays,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_RESULTS = ["ยังไม่มีผลคะแนน"]


@dataclass(frozen=True)
class ExportQuery:
    """What a table's rows come from: the office, the request (its filters) and their selection."""

    access: OfficeAccess
    request: HttpRequest
    selection: Selection

    @property
    def year(self) -> int:
        assert self.selection.year is not None  # tables that need a year are only asked with one
        return self.selection.year


Rows = Callable[[ExportQuery], Iterable[Sequence[Any]]]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: Rows
    needs_year: bool = True  # without a year of results the sheet says so instead


def _f(value: Any) -> float | None:
    return None if value is None else round_half_up(float(value))


def _trends(query: ExportQuery) -> Iterable[Sequence[Any]]:
    for p in trend_points(query.selection):
        yield [p.fiscal_year, p.agencies, _f(p.mean_total), _f(p.pass_rate), *[_f(m) for m in p.indicator_means]]


def _readiness(query: ExportQuery) -> Iterable[Sequence[Any]]:
    found = readiness(query.access, query.selection, query.request, everything=True)
    for r in found["rows"] if found else []:
        yield [
            *(r.name, r.district, r.province, r.fiscal_year, r.ok, r.to_fix, r.needs_person, r.items),
            *(_f(r.likely_9), _f(r.likely_10), _f(r.published_total), _f(r.projected_total), r.projected_level),
        ]


def _results(query: ExportQuery) -> Iterable[Sequence[Any]]:
    fields = ["agency_name", "agency_code", "kind", "district", "province", "fiscal_year", *SCORES, "total"]
    rows = query.selection.year_rows.order_by("-total", "agency_name")
    values = list(rows.values_list(*fields, "grade", "passed"))
    levels = export_levels(get_framework(query.year), [v[6:16] for v in values], [v[16] for v in values])
    for v, level in zip(values, levels, strict=True):
        yield [*v[:6], *[_f(s) for s in v[6:17]], level, "ผ่าน" if v[18] else "ไม่ผ่าน"]


def _indicators(query: ExportQuery) -> Iterable[Sequence[Any]]:
    _, scores, totals = year_arrays(query.selection)
    summary = summarize(get_framework(query.year), scores, totals)
    for k, i in enumerate(summary.weakest, start=1):
        yield [k, i.number, i.name_th, i.tool, i.weight, _f(i.mean), i.below, _f(i.below_share), _f(i.points_lost)]


def _ranking(query: ExportQuery) -> Iterable[Sequence[Any]]:
    ids, scores, totals = year_arrays(query.selection)
    candidates = ranked(query.selection, ids, scores, totals)
    names = {
        v[0]: v[1:]
        for v in query.selection.year_rows.values_list(
            "pk", "agency_name", "agency_code", "kind", "district", "province"
        )
    }
    levels = dict(zip(ids.tolist(), level_array(get_framework(query.year), scores, totals), strict=True))
    for k, c in enumerate(candidates, start=1):
        pk = int(ids[c.index])
        yield [
            *(k, *names[pk], _f(c.total), levels[pk]),
            *(_f(c.gap), _f(c.oit_points), _f(c.oit_ceiling)),
            *("ใช่" if c.oit_alone_passes else "ไม่", ", ".join(str(n) for n in c.weak_indicators), c.reason_th),
        ]


INDICATOR_COLUMNS = tuple(f"ตัวชี้วัด {n}" for n in range(1, 11))
TABLES: dict[str, Table] = {
    "results": Table(
        (
            *("หน่วยงาน", "รหัส", "ประเภท", "อำเภอ", "จังหวัด", "ปีงบประมาณ", *INDICATOR_COLUMNS),
            *("คะแนนรวม", "ระดับผลการประเมิน", "ผ่านเกณฑ์"),
        ),
        _results,
    ),
    "indicators": Table(
        (
            *("อันดับ", "ตัวชี้วัด", "ชื่อตัวชี้วัด", "แบบวัด", "น้ำหนัก", "คะแนนเฉลี่ย"),
            *("จำนวนหน่วยงานที่ต่ำกว่าเกณฑ์", "ร้อยละที่ต่ำกว่าเกณฑ์", "คะแนนรวมที่เสียเฉลี่ย"),
        ),
        _indicators,
    ),
    "ranking": Table(
        (
            *("อันดับ", "หน่วยงาน", "รหัส", "ประเภท", "อำเภอ", "จังหวัด", "คะแนนรวม", "ระดับผลการประเมิน", "ขาดอีก"),
            *("OIT เพิ่มได้", "คะแนนสูงสุดจาก OIT", "ผ่านด้วย OIT อย่างเดียว", "ตัวชี้วัดที่ควรยก", "เหตุผล"),
        ),
        _ranking,
    ),
    "trends": Table(
        ("ปีงบประมาณ", "จำนวนหน่วยงาน", "คะแนนเฉลี่ย", "ร้อยละที่ผ่าน", *INDICATOR_COLUMNS), _trends, needs_year=False
    ),
    "readiness": Table(
        (
            *("หน่วยงาน", "อำเภอ", "จังหวัด", "ปีที่ตรวจ", "ผ่าน", "ต้องแก้", "ต้องให้คนตรวจ", "จำนวนข้อ"),
            *("คาดตัวชี้วัด 9", "คาดตัวชี้วัด 10", "คะแนนรวมที่ประกาศ", "คะแนนรวมคาดการณ์", "ระดับผลการประเมินคาดการณ์"),
        ),
        _readiness,
        needs_year=False,
    ),
}


def table_sheet(name: str, query: ExportQuery) -> tuple[Sequence[str], Iterable[Sequence[Any]]]:
    """The columns and rows of a registered table (KeyError for a name not in TABLES)."""
    table = TABLES[name]
    if table.needs_year and query.selection.year is None:
        return NO_RESULTS, []
    return table.columns, table.rows(query)
