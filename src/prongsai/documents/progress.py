"""Where each measure stood at the end of a report's period, from its dated updates (pure core).

One function computes the rows (``progress_rows``); the summary only counts them (``summarize``), so a
report's summary can never say something its table does not. The rules, for any agency and year:

* The half-year report (รอบ ๖ เดือน) covers 1 October – 31 March of the fiscal year, the annual report
  (รอบ ๑๒ เดือน) the whole year (``report_period``). Only the updates dated up to the period's end count:
  an update of 10 April is in the annual report, never in the half-year one.
* A row's progress is that of its last counted update. A measure with no updates at all keeps the progress
  and status the plan gives it (a plan file without dated updates), since nothing dates them.
* ``cancelled`` stays cancelled; 100 % is done; a measure whose own period ended by the report's end short of
  100 % is *not completed* (ไม่แล้วเสร็จตามกำหนด), with its reason: the measure's problems, else the note of
  its last counted update, else that no reason was given (or that nothing was reported); a measure whose
  period starts after the report's end is not yet due; one with progress or an update is in progress; the
  rest have not started.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from prongsai.documents.data import MeasureRow, Update
from prongsai.thai import fiscal_period, half_year_period

__all__ = ["STATUSES", "ProgressRow", "ProgressSummary", "progress_rows", "report_period", "summarize"]

# In the order the summary names them.
STATUSES = ("done", "in_progress", "not_completed", "planned", "not_due", "cancelled")
NO_REPORT = "ไม่มีการรายงานผลการดำเนินการ"
NO_REASON = "ไม่ได้ระบุเหตุผล"


@dataclass(frozen=True)
class ProgressRow:
    measure: MeasureRow
    status: str  # one of STATUSES
    progress: int
    updates: tuple[Update, ...]  # those dated up to the report's end, oldest first
    reason: str = ""  # why a measure is not completed (only for "not_completed")


@dataclass(frozen=True)
class ProgressSummary:
    total: int
    counts: dict[str, int]  # per status, every status present (0 when none)
    average: float  # mean progress of the measures not cancelled (0 when none)


def report_period(fiscal_year: int, *, annual: bool) -> tuple[dt.date, dt.date]:
    """The days a report covers: half-year 1 Oct – 31 Mar, annual 1 Oct – 30 Sep of the fiscal year."""
    return fiscal_period(fiscal_year) if annual else half_year_period(fiscal_year)


def progress_row(measure: MeasureRow, until: dt.date) -> ProgressRow:
    """One measure as it stood at the end of ``until``."""
    counted = tuple(sorted((u for u in measure.updates if u.date <= until), key=lambda u: u.date))
    if measure.updates:
        progress = counted[-1].progress if counted else 0
    else:
        progress = 100 if measure.status == "done" else measure.progress
    progress = max(0, min(100, progress))
    if measure.status == "cancelled":
        return ProgressRow(measure, "cancelled", progress, counted)
    if progress >= 100:
        return ProgressRow(measure, "done", 100, counted)
    if measure.period_end <= until:
        note = counted[-1].note.strip() if counted else NO_REPORT
        reason = measure.problems.strip() or note or NO_REASON
        return ProgressRow(measure, "not_completed", progress, counted, reason)
    if measure.period_start > until:
        return ProgressRow(measure, "not_due", progress, counted)
    if progress > 0 or counted:
        return ProgressRow(measure, "in_progress", progress, counted)
    return ProgressRow(measure, "planned", progress, counted)


def progress_rows(measures: Iterable[MeasureRow], until: dt.date) -> list[ProgressRow]:
    return [progress_row(m, until) for m in measures]


def summarize(rows: Sequence[ProgressRow]) -> ProgressSummary:
    """Counted from the rows, and only from them."""
    counts = {status: sum(r.status == status for r in rows) for status in STATUSES}
    active = [r.progress for r in rows if r.status != "cancelled"]
    return ProgressSummary(len(rows), counts, sum(active) / len(active) if active else 0.0)
