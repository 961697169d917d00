"""The values each template receives, every one already formatted as the document prints it:
Buddhist-era dates, and Thai digits throughout unless the user turns them off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from prongsai.analysis import analyze
from prongsai.document_kinds import get_kind
from prongsai.documents.data import DocumentData, Update
from prongsai.documents.progress import (
    STATUSES,
    ProgressRow,
    ProgressSummary,
    progress_rows,
    report_period,
    summarize,
)
from prongsai.documents.wording import draft_context, plan_opening, recommendation_rows
from prongsai.errors import FrameworkError
from prongsai.frameworks import get_framework
from prongsai.itas import ItasAnswer, itas_rows
from prongsai.numbers import format_score
from prongsai.report import Say, provisional_line, thai_list
from prongsai.scoring import ScoreResult
from prongsai.thai import (
    fiscal_period,
    fiscal_year_of,
    half_year_period,
    thai_date,
    to_thai_digits,
)

__all__ = [
    "counts_sentence",
    "framework_terms",
    "itas_context",
    "level_line",
    "measures_context",
    "progress_context",
    "provisional_notice",
    "year_terms",
]

Digits = Callable[[str], str]
STATUS_TH = {"planned": "ยังไม่เริ่ม", "in_progress": "กำลังดำเนินการ", "done": "ดำเนินการแล้ว", "cancelled": "ยกเลิก"}
PERIOD_MONTHS = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")


def _digits(on: bool) -> Digits:
    return to_thai_digits if on else (lambda text: text)


def _agency(data: DocumentData, d: Digits) -> dict[str, str]:
    agency = data.the_agency
    return {
        "agency_name": agency.name if agency else "",
        "district": agency.district if agency else "",
        "province": agency.province if agency else "",
        "fiscal_year": d(str(data.fiscal_year)),
        "result_year": d(str(data.results.fiscal_year if data.results else data.fiscal_year - 1)),
        "signer_name": data.signer.name,
        "signer_position": data.signer.position,
    }


def period_text(start: dt.date, end: dt.date, d: Digits) -> str:
    """As the seed writes a measure's period: ม.ค. – มี.ค. ๖๕, ต.ค. ๖๔ – ก.พ. ๖๕, or ตลอดทั้งปี ๒๕๖๕."""
    fiscal_start, fiscal_end = fiscal_period(fiscal_year_of(start))
    if (start, end) == (fiscal_start, fiscal_end):
        return f"ตลอดทั้งปี {d(str(fiscal_year_of(start)))}"

    def year(day: dt.date) -> str:
        return d(str((day.year + 543) % 100).zfill(2))

    first, last = PERIOD_MONTHS[start.month - 1], PERIOD_MONTHS[end.month - 1]
    if start.year == end.year:
        return f"{first} – {last} {year(end)}"
    return f"{first} {year(start)} – {last} {year(end)}"


def signing_day(day: dt.date, thai_digits: bool) -> str:
    """The date under a signature as ระเบียบงานสารบรรณ writes it: ๑๐ กุมภาพันธ์ พ.ศ. ๒๕๖๕."""
    digits = _digits(thai_digits)
    return f"{digits(str(day.day))} {thai_date(day, thai_digits=thai_digits, style='long').split()[1]} พ.ศ. " + digits(
        str(day.year + 543)
    )


def _findings(data: DocumentData, result: ScoreResult, d: Digits) -> list[dict[str, str]]:
    mark = result.framework.pass_mark
    rows = []
    for number, tool in enumerate(result.tools, start=1):
        own = [i for i in result.indicators if i.indicator.tool == tool.code]
        low = [f"{i.label_th} ({d(format_score(i.score))})" for i in own if i.score < mark]
        text = data.findings.get(tool.code) or (
            f"ผลคะแนน {d(format_score(tool.score))} คะแนน "
            + (
                f"ตัวชี้วัดที่ต่ำกว่าเกณฑ์ {d(f'{mark:g}')} คะแนน ได้แก่ {thai_list(low)}"
                if low
                else f"ทุกตัวชี้วัดได้ {d(f'{mark:g}')} คะแนนขึ้นไป"
            )
        )
        oit = data.results.oit if data.results else None
        if tool.code == "OIT" and oit is not None and oit.failed_items:
            missing = [f"{d(code)} {d(result.framework.item(code).title_th)}" for code in oit.failed_items]
            text += f" ขาดข้อมูล {d(str(len(missing)))} หัวข้อ ได้แก่ {thai_list(missing)}"
        rows.append({"number": d(str(number)), "tool_name": f"{tool.name_th} ({tool.code})", "text": text})
    return rows


def level_line(result: ScoreResult) -> str:
    """The result's level as an official writes it: ระดับผลการประเมินอยู่ในระดับผ่านดี from FY2566 (rating
    words), ระดับผลการประเมินอยู่ในระดับ C to FY2565 (grades); "" where the year publishes neither."""
    if result.rating is not None:
        return f"ระดับผลการประเมินอยู่ในระดับ{result.rating.label_th}"
    if result.grade:
        return f"ระดับผลการประเมินอยู่ในระดับ {result.grade}"
    return ""


def document_year(kind: str, data: DocumentData) -> int:
    """The fiscal year a document is of: the plan's, or the register's (the ITAS sheet is for the round being
    prepared: its kind's ``register_year``)."""
    if get_kind(kind).register_year:
        return data.register_year or data.fiscal_year
    return data.fiscal_year


# An OIT item title is protected phrase by phrase (its runs between spaces) up to this length: a whole title
# (รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริตประจำปี) kept on one line would overflow a table's cell.
TERM_PHRASE_MAX = 22


def framework_terms(kind: str, data: DocumentData) -> list[str]:
    """The framework's titles a line of the document never breaks inside (prongsai.documents.typeset): the
    indicator names of the result's year and the document's, and the phrases of their OIT item titles."""
    years = {document_year(kind, data)} | ({data.results.fiscal_year} if data.results else set())
    return sorted(set().union(*(year_terms(year) for year in years)))


def year_terms(fiscal_year: int) -> set[str]:
    """The indicator names of a year's framework and the phrases of its OIT item titles (none for an unknown
    year): the terms no line of a document of that year breaks inside."""
    try:
        framework = get_framework(fiscal_year)
    except FrameworkError:
        return set()
    return {indicator.name_th for indicator in framework.indicators} | {
        phrase
        for item in framework.items
        for phrase in item.title_th.split()
        if 2 < len(phrase) <= TERM_PHRASE_MAX and not phrase.isascii()
    }


def provisional_notice(kind: str, data: DocumentData, *, thai_digits: bool = True) -> str:
    """The core's provisional-year sentence (prongsai.report.provisional_line) for a document of a year whose
    framework is provisional, else "". It is put at the top of the document, whatever the template."""
    try:
        framework = get_framework(document_year(kind, data))
    except FrameworkError:
        return ""
    return provisional_line(Say("th", thai_digits=thai_digits), framework) if framework.provisional else ""


def measures_context(
    data: DocumentData, *, thai_digits: bool = True, sign_date: dt.date | None = None
) -> dict[str, Any]:
    d = _digits(thai_digits)
    analysis = analyze(data.require_results())
    result = analysis.score
    mark = d(f"{result.framework.pass_mark:g}")
    return {
        **_agency(data, d),
        "total": d(format_score(result.total)),
        "grade_line": level_line(result),
        "pass_line": f"ผ่านเกณฑ์ {mark} คะแนน" if result.passed else f"ไม่ผ่านเกณฑ์ {mark} คะแนน",
        "ranking": [
            {"rank": d(str(r.rank)), "name": r.indicator.label_th, "score": d(format_score(r.indicator.score))}
            for r in analysis.ranking
        ],
        "highest": d(format_score(analysis.highest.indicator.score)),
        "lowest": d(format_score(analysis.lowest.indicator.score)),
        "findings": _findings(data, result, d),
        "meeting_date": thai_date(data.meeting.date, thai_digits=thai_digits) if data.meeting else "",
        "meeting_note": d(data.meeting.decision) if data.meeting else "",
        "meeting_attendees": d(data.meeting.attendees) if data.meeting else "",
        "meeting_decision": d(data.meeting.decision) if data.meeting else "",
        **draft_context(data),
        "plan_opening": plan_opening(data, d, thai_digits=thai_digits),
        "recommendations": recommendation_rows(data, d),
        "measures": [
            {
                "number": d(str(k)),
                "title": d(m.title),
                "method": _numbered(m.method, d),
                "unit": m.unit,
                "period": period_text(m.period_start, m.period_end, d),
                "follow_up": d(m.follow_up),
            }
            for k, m in enumerate(data.measures, start=1)
        ],
        "sign_date": signing_day(sign_date, thai_digits) if sign_date else "",
    }


def _numbered(steps: tuple[str, ...], d: Digits) -> list[str]:
    """The seed numbers a method's steps (๑. … ๒. …) when there is more than one."""
    if len(steps) < 2:
        return [d(s) for s in steps]
    return [d(f"{k}. {s}") for k, s in enumerate(steps, start=1)]


# A row's status as the report prints it (the "ผลสำเร็จ" column and the summary).
PROGRESS_STATUS_TH = {
    "done": "ดำเนินการแล้วเสร็จ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "not_completed": "ไม่แล้วเสร็จตามกำหนด",
    "planned": "ยังไม่เริ่มดำเนินการ",
    "not_due": "ยังไม่ถึงกำหนดดำเนินการ",
    "cancelled": "ยกเลิก",
}


def _update_line(u: Update, thai_digits: bool) -> str:
    return f"{thai_date(u.date, thai_digits=thai_digits, style='short')} {_digits(thai_digits)(u.text)}".strip()


def _progress_row(k: int, row: ProgressRow, half_end: dt.date, annual: bool, thai_digits: bool) -> dict[str, Any]:
    """One measure's line of the report. The annual report puts what was done after the half-year apart."""
    d = _digits(thai_digits)
    m = row.measure
    first = [u for u in row.updates if not annual or u.date <= half_end]
    later = [u for u in row.updates if annual and u.date > half_end]
    problems = row.reason if row.status == "not_completed" else m.problems.strip()
    return {
        "number": d(str(k)),
        "title": d(m.title),
        "unit": m.unit,
        "period": period_text(m.period_start, m.period_end, d),
        "status": row.status,
        "done": [_update_line(u, thai_digits) for u in first] or ["-"],
        "done_later": [_update_line(u, thai_digits) for u in later] or ["-"],
        "result": [PROGRESS_STATUS_TH[row.status], f"ร้อยละ {d(str(row.progress))}"],
        "progress": d(f"{row.progress}%"),
        "evidence": [link for u in row.updates for link in u.links],
        "problems": d(problems) or "-",
    }


def counts_sentence(summary: ProgressSummary, d: Digits, noun: str = "มาตรการ") -> str:
    """มาตรการทั้งหมด ๘ มาตรการ ดำเนินการแล้วเสร็จ ๒ มาตรการ … : every status with a row, done always (the kit's
    reports count their โครงการ the same way)."""
    parts = [f"{noun}ทั้งหมด {d(str(summary.total))} {noun}"]
    for status in STATUSES:
        count = summary.counts[status]
        if count or status == "done":
            parts.append(f"{PROGRESS_STATUS_TH[status]} {d(str(count))} {noun}")
    return " ".join(parts)


def _next_step(row: ProgressRow, data: DocumentData, annual: bool, thai_digits: bool) -> str:
    d = _digits(thai_digits)
    if annual:
        return f"นำไปพิจารณากำหนดเป็นมาตรการในปีงบประมาณ พ.ศ. {d(str(data.fiscal_year + 1))}"
    if row.status == "not_completed":
        return f"เร่งดำเนินการส่วนที่เหลือให้แล้วเสร็จภายในปีงบประมาณ พ.ศ. {d(str(data.fiscal_year))}"
    if row.status == "not_due":
        return f"เริ่มดำเนินการตามกำหนด ({period_text(row.measure.period_start, row.measure.period_end, d)})"
    return f"ดำเนินการต่อให้แล้วเสร็จภายใน {thai_date(row.measure.period_end, thai_digits=thai_digits)}"


def progress_context(
    data: DocumentData,
    *,
    annual: bool,
    thai_digits: bool = True,
    report_date: dt.date | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The half-year or annual report: every row and the summary from ``progress_rows`` up to the period's
    end. The annual report adds what was done after the half-year, the change since the half-year, and
    what is carried to the next year; the half-year report, what remains for its second half."""
    d = _digits(thai_digits)
    start, end = report_period(data.fiscal_year, annual=annual)
    half_end = half_year_period(data.fiscal_year)[1]
    as_of = min(end, today or dt.date.today())
    rows = progress_rows(data.measures, end)
    summary = summarize(rows)

    def day(value: dt.date) -> str:
        return thai_date(value, thai_digits=thai_digits)

    lines = [
        f"ผลการดำเนินการ ณ วันที่ {day(as_of)} {counts_sentence(summary, d)}"
        f" ความคืบหน้าเฉลี่ยร้อยละ {d(format_score(summary.average))}",
    ]
    if annual:
        half = summarize(progress_rows(data.measures, half_end))
        more = summary.counts["done"] - half.counts["done"]
        lines.append(
            f"เมื่อสิ้นรอบ {d('6')} เดือน ({day(half_end)}) ดำเนินการแล้วเสร็จ {d(str(half.counts['done']))} มาตรการ"
            f" ความคืบหน้าเฉลี่ยร้อยละ {d(format_score(half.average))}"
            + (f" ในรอบ {d('6')} เดือนหลังดำเนินการแล้วเสร็จเพิ่มขึ้น {d(str(more))} มาตรการ" if more > 0 else "")
        )
    issues = []
    for k, r in enumerate(rows, start=1):
        if r.status in ("done", "cancelled"):
            continue
        problems = r.reason if r.status == "not_completed" else r.measure.problems.strip()
        text = f"{d(str(k))}. {d(r.measure.title)} ({PROGRESS_STATUS_TH[r.status]} ร้อยละ {d(str(r.progress))})"
        if problems:
            text += f" ปัญหาและอุปสรรค: {d(problems)}"
        issues.append(f"{text} แนวทางดำเนินการต่อไป: {_next_step(r, data, annual, thai_digits)}")
    round_name = f"รอบ {d('12' if annual else '6')} เดือน"
    return {
        **_agency(data, d),
        **draft_context(data),
        "annual": annual,
        "round_name": f"{round_name} ({day(start)} – {day(end)})",
        "report_date": day(as_of),
        "rows": [_progress_row(k, r, half_end, annual, thai_digits) for k, r in enumerate(rows, start=1)],
        "summary": lines,
        "issues_heading": (
            f"ปัญหา อุปสรรค และข้อเสนอแนะสำหรับปีงบประมาณ พ.ศ. {d(str(data.fiscal_year + 1))}"
            if annual
            else f"ปัญหา อุปสรรค และแนวทางดำเนินการในรอบ {d('6')} เดือนหลัง"
        ),
        "issues": issues,
        "sign_date": signing_day(report_date, thai_digits) if report_date else "",
    }


def itas_context(data: DocumentData, *, thai_digits: bool = True) -> dict[str, Any]:
    d = _digits(thai_digits)
    framework = get_framework(document_year("itas", data))
    answers: dict[str, ItasAnswer] = dict(data.register or {})
    rows = itas_rows(framework, answers)
    agency = data.the_agency
    return {
        "agency_name": agency.name if agency else "",
        "fiscal_year": d(str(framework.fiscal_year)),
        "items": [
            {
                "code": d(code),
                "sub": d(sub),
                "title": d(title),
                "answer": answer,
                "urls": [u for u in urls.splitlines() if u],
                "explanation": explanation,
            }
            for code, sub, title, answer, urls, explanation in rows
        ],
    }
