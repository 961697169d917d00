"""The date a document is signed (ประกาศ ณ วันที่ / วันที่ under the signature), checked against its year.

Which days may sign a document, for any agency and year:

* the measures document of fiscal year Y: a day of Y (1 October Y-1 – 30 September Y);
* the half-year progress report: from the end of its period (31 March Y) to the end of Y;
* the annual progress report: from the end of Y (30 September Y) to the end of the year after.

A date someone gave (the plan's ``signed_on``, the web's date of signing, ``--date``) outside its window is
refused with a Thai message naming the window: it is a mistake to correct, never printed. When no date was
given, today is used if it lies in the window; otherwise the date is left blank (the dotted line, to be
written by hand when signing) and the reason is returned for the command line or the page to show.
"""

from __future__ import annotations

import datetime as dt

from prongsai.document_kinds import get_kind
from prongsai.documents.data import DocumentData
from prongsai.errors import InputError
from prongsai.thai import fiscal_period, half_year_period, thai_date

__all__ = ["signing_date", "signing_problem", "signing_window"]


def signing_window(kind: str, fiscal_year: int, *, annual: bool = False) -> tuple[dt.date, dt.date]:
    """The first and last day that may sign a document of ``kind`` (its ``signing`` in prongsai.document_kinds)."""
    start, end = fiscal_period(fiscal_year)
    if get_kind(kind).signing == "fiscal_year":
        return start, end
    if annual:
        return end, fiscal_period(fiscal_year + 1)[1]
    return half_year_period(fiscal_year)[1], end


def _what(kind: str, fiscal_year: int, annual: bool) -> str:
    """มาตรการ ประจำปีงบประมาณ พ.ศ. 2565, รายงานผลรอบ 6 เดือน ประจำปีงบประมาณ พ.ศ. 2565."""
    spec = get_kind(kind)
    return f"{spec.short_th}{spec.round(annual=annual).name_th} ประจำปีงบประมาณ พ.ศ. {fiscal_year}"


def signing_problem(kind: str, fiscal_year: int, day: dt.date, *, annual: bool = False) -> str:
    """ "" when ``day`` may sign the document, else the Thai sentence that says which days may."""
    first, last = signing_window(kind, fiscal_year, annual=annual)
    if first <= day <= last:
        return ""
    return (
        f"วันที่ลงนาม {thai_date(day, thai_digits=False)} อยู่นอกช่วงที่ลงนามใน{_what(kind, fiscal_year, annual)}"
        f" ได้ คือ {thai_date(first, thai_digits=False)} ถึง {thai_date(last, thai_digits=False)}"
    )


def signing_date(
    kind: str,
    data: DocumentData,
    *,
    annual: bool = False,
    on: dt.date | None = None,
    today: dt.date | None = None,
) -> tuple[dt.date | None, str]:
    """The date to print and, when today was not used, why (Thai; "" otherwise).

    ``on`` is a date given for this one document (``--date``); else the measures document takes the plan's
    ``signed_on``. A given date outside the window raises InputError."""
    given, where = on, "--date"
    if given is None and get_kind(kind).plan_dated and data.signed_on is not None:
        given, where = data.signed_on, "signed_on"
    if given is not None:
        problem = signing_problem(kind, data.fiscal_year, given, annual=annual)
        if problem:
            raise InputError("", f"{problem} (the date of signing is outside the document's year)", field=where)
        return given, ""
    day = today or dt.date.today()
    problem = signing_problem(kind, data.fiscal_year, day, annual=annual)
    if problem:
        return None, f"ไม่ได้ใส่วันที่ลงนาม (เว้นไว้ให้เขียนเมื่อลงนาม): วันนี้{problem.removeprefix('วันที่ลงนาม')}"
    return day, ""
