"""What an official document is made from: last year's result, this year's plan, who signs.

A *document data file* (YAML) is the results format of docs/formats.md plus a ``plan`` section, or a
``result:`` line naming a results file beside it, so a user without the web app can still make the
documents. Without a plan the plan is drafted from the result by the drafting rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prongsai.drafting import draft_plan, load_rules
from prongsai.errors import InputError
from prongsai.inputfiles import read_yaml_mapping
from prongsai.itas import ItasAnswer
from prongsai.results import Agency, Results, load_answers, load_results, unknown_item_message
from prongsai.survey import question_scores
from prongsai.thai import ThaiDateError, parse_be_date, to_arabic_digits

__all__ = [
    "DocumentData",
    "MeasureRow",
    "Meeting",
    "RecommendationRow",
    "Signer",
    "Update",
    "load_document_data",
]


@dataclass(frozen=True)
class Signer:
    name: str = ""
    position: str = ""


@dataclass(frozen=True)
class Meeting:
    """The meeting that set the measures, as the agency recorded it: when, who took part (ผู้บริหาร
    และเจ้าหน้าที่ของ…), what it decided. A document claims a meeting only when there is one."""

    date: dt.date
    attendees: str = ""
    decision: str = ""


@dataclass(frozen=True)
class Update:
    date: dt.date
    text: str
    progress: int
    evidence_url: str = ""  # a link to the evidence (a file on the agency's site or on prongsai's)
    note: str = ""  # problems met, or why the measure stops short (the report's reason when it is not completed)
    file_url: str = ""  # where the evidence file attached to the update is served (the web app's address)

    @property
    def links(self) -> tuple[str, ...]:
        return tuple(link for link in (self.evidence_url, self.file_url) if link)


@dataclass(frozen=True)
class RecommendationRow:
    """One ข้อเสนอแนะ: its area, what to do (``text``), and who: the responsibility clause is added once,
    from ``unit`` (and ``follow_up_unit``), when printed (prongsai.drafting.recommendation_sentence)."""

    area: str
    text: str
    unit: str
    follow_up_unit: str = ""


@dataclass(frozen=True)
class MeasureRow:
    title: str
    method: tuple[str, ...]
    unit: str
    period_start: dt.date
    period_end: dt.date
    follow_up: str
    progress: int = 0
    status: str = "planned"
    problems: str = ""
    updates: tuple[Update, ...] = ()


@dataclass(frozen=True)
class DocumentData:
    results: Results | None  # the result the plan is built on (the seed: FY2564); needed by the measures document
    fiscal_year: int  # the plan's year (the seed: FY2565)
    recommendations: tuple[RecommendationRow, ...]
    measures: tuple[MeasureRow, ...]
    meeting: Meeting | None = None  # None: no meeting recorded, and the document claims none
    signer: Signer = field(default_factory=Signer)
    signed_on: dt.date | None = None  # the date of signing, as entered (checked against the year when used)
    findings: Mapping[str, str] = field(default_factory=dict)  # the agency's own words per tool, if any
    register: Mapping[str, ItasAnswer] | None = None  # the ITAS answers of the round being prepared
    agency: Agency | None = None  # defaults to the result's agency
    register_year: int | None = None  # the framework year of ``register`` (default: the plan's year)
    # a person read the plan and marked it reviewed (web: ตรวจทานแล้ว; plan file: reviewed: true);
    # until then its documents say ร่าง
    reviewed: bool = False

    @property
    def the_agency(self) -> Agency | None:
        return self.agency or (self.results.agency if self.results else None)

    def require_results(self) -> Results:
        if self.results is None:
            raise InputError("", "ต้องมีผลการประเมินของปีก่อน (last year's result is needed for this document)")
        return self.results


def load_document_data(path: Path) -> DocumentData:
    source = str(path)
    raw = _read(path)
    result_file = raw.get("result")
    results = load_results(path.parent / str(result_file)) if result_file else load_results(path)
    plan = raw.get("plan")
    if plan is None:
        return _drafted(results, raw, source, _question_scores(path, results, raw.get("survey_answers")))
    if not isinstance(plan, dict):
        raise InputError(source, "plan ต้องเป็น mapping (plan must be a mapping)", field="plan")
    fiscal_year = _whole(source, plan.get("fiscal_year") or results.fiscal_year + 1, "plan.fiscal_year")
    recommendations = _listed(source, plan.get("recommendations"), "plan.recommendations")
    return DocumentData(
        results=results,
        fiscal_year=fiscal_year,
        recommendations=tuple(_recommendation(source, r, k) for k, r in enumerate(recommendations)),
        measures=tuple(
            _measure(source, m, k) for k, m in enumerate(_listed(source, plan.get("measures"), "plan.measures"))
        ),
        meeting=_meeting(source, plan),
        signer=_signer(plan.get("signer") or raw.get("signer")),
        signed_on=_date(source, plan.get("signed_on"), "plan.signed_on"),
        findings=_findings(source, raw.get("findings")),
        register=_register(source, raw.get("register"), fiscal_year),
        reviewed=plan.get("reviewed") is True,
    )


def _whole(source: str, value: object, where: str) -> int:
    """A whole number a person wrote (a year, a percentage): ๒๕๖๕ too, never ① (isdigit's "digits")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = to_arabic_digits(str(value)).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdecimal()) or len(text) > 6:
        raise InputError(source, f"'{value}' ต้องเป็นจำนวนเต็ม เช่น 2565 หรือ 50 (must be a whole number)", field=where)
    return int(text)


def _listed(source: str, value: object, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(source, "ต้องเป็นรายการ (แต่ละบรรทัดขึ้นต้นด้วย - ) (must be a list)", field=where)
    return value


def _findings(source: str, raw: object) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(
            source, "findings ต้องเป็น mapping เครื่องมือ: ข้อความ เช่น IIT: ... (must be a mapping)", field="findings"
        )
    return {str(k): str(v) for k, v in raw.items()}


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise InputError(str(path), "ไม่พบไฟล์ (file not found)")
    return read_yaml_mapping(path)


def _question_scores(path: Path, results: Results, files: object) -> dict[str, float]:
    """Each question's score in the practice-survey answers the data file lists (``survey_answers:``, files of
    raw IIT or EIT answers beside it, of the result's year): the draft names the questions that scored lowest."""
    found: dict[str, float] = {}
    for name in _listed(str(path), files, "survey_answers"):
        sheet = load_answers(path.parent / str(name), results.framework)
        found.update(question_scores(sheet.layout, sheet.codes))
    return found


def _drafted(
    results: Results, raw: Mapping[str, Any], source: str = "", questions: Mapping[str, float] | None = None
) -> DocumentData:
    rules = load_rules()
    draft = draft_plan(results, rules, question_scores=questions)
    short = {u.code: u.short_th for u in rules.units}
    return DocumentData(
        results=results,
        fiscal_year=draft.fiscal_year,
        recommendations=tuple(
            RecommendationRow(r.area_th, r.text_th, short[r.unit], short[r.follow_up_unit] if r.follow_up_unit else "")
            for r in draft.recommendations
        ),
        measures=tuple(
            MeasureRow(m.title_th, m.method_steps, short[m.unit], m.period_start, m.period_end, m.follow_up_th)
            for m in draft.measures
        ),
        signer=_signer(raw.get("signer")),
        findings=_findings(source, raw.get("findings")),
        register=_register(source, raw.get("register"), draft.fiscal_year),
    )


ANSWERS = {"มี": True, "yes": True, "true": True, "ไม่มี": False, "no": False, "false": False}


def _register(source: str, raw: object, year: int) -> dict[str, ItasAnswer] | None:
    """A data file's ``register`` section: the plan year's OIT items as the agency will answer them in ITAS
    (``O1: {answer: มี, urls: [...], explanation: ...}``, or ``O1: มี``), checked against that year's items.
    The result's item answers are last year's round, never this one's: without a section the sheet is blank."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InputError(source, "register ต้องเป็น mapping ของข้อ O1… (register must map item codes)", field="register")
    from prongsai.frameworks import get_framework

    framework = get_framework(year)
    register = {}
    for key, value in raw.items():
        item, where = framework.find_item(str(key)), f"register.{key}"
        if item is None:
            raise InputError(source, unknown_item_message(framework, str(key)), field=where)
        code = item.code
        entry = value if isinstance(value, dict) else {"answer": value}
        answer = entry.get("answer")
        if answer is not None and answer != "" and str(answer).strip().lower() not in ANSWERS:
            raise InputError(source, f"คำตอบต้องเป็น มี หรือ ไม่มี ไม่ใช่ '{answer}' (answer must be มี or ไม่มี)", field=where)
        urls = entry.get("urls") or entry.get("url") or []
        if not isinstance(urls, str | list):
            raise InputError(source, "urls ต้องเป็นลิงก์หรือรายการลิงก์ (urls must be a link or a list)", field=where)
        register[code] = ItasAnswer(
            None if answer is None or answer == "" else ANSWERS[str(answer).strip().lower()],
            tuple(str(u) for u in (urls.split() if isinstance(urls, str) else urls)),
            str(entry.get("explanation") or ""),
        )
    return register


def _signer(raw: object) -> Signer:
    if not isinstance(raw, dict):
        return Signer()
    return Signer(str(raw.get("name") or ""), str(raw.get("position") or ""))


def _meeting(source: str, plan: Mapping[str, Any]) -> Meeting | None:
    """``meeting: {date, attendees, decision}``; the older ``meeting_date`` / ``meeting_note`` are read as
    the date and the decision. No date, no meeting."""
    raw = plan.get("meeting")
    if raw is None:
        day = _date(source, plan.get("meeting_date"), "plan.meeting_date")
        return Meeting(day, decision=str(plan.get("meeting_note") or "").strip()) if day else None
    if not isinstance(raw, dict):
        raise InputError(source, "meeting ต้องเป็น mapping (meeting must be a mapping)", field="plan.meeting")
    day = _date(source, raw.get("date"), "plan.meeting.date")
    if day is None:
        raise InputError(source, "การประชุมต้องมีวันที่ (a meeting needs a date)", field="plan.meeting.date")
    return Meeting(day, str(raw.get("attendees") or "").strip(), str(raw.get("decision") or "").strip())


def _date(source: str, value: object, where: str) -> dt.date | None:
    """A plan file's date: ISO (2022-02-10, what YAML reads as a date) or as people write it, dd/mm/พ.ศ."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_be_date(text)
    except ThaiDateError as exc:
        raise InputError(source, f"วันที่ '{value}' ต้องเป็น วัน/เดือน/ปี พ.ศ. หรือ YYYY-MM-DD: {exc}", field=where) from exc


def _recommendation(source: str, raw: object, k: int) -> RecommendationRow:
    if not isinstance(raw, dict) or not raw.get("text"):
        raise InputError(source, "ข้อเสนอแนะต้องมี text (a recommendation needs text)", field=f"plan.recommendations[{k}]")
    return RecommendationRow(
        str(raw.get("area") or ""),
        str(raw["text"]),
        str(raw.get("unit") or ""),
        str(raw.get("follow_up_unit") or ""),
    )


def _measure(source: str, raw: object, k: int) -> MeasureRow:
    where = f"plan.measures[{k}]"
    if not isinstance(raw, dict) or not raw.get("title"):
        raise InputError(source, "มาตรการต้องมี title (a measure needs a title)", field=where)
    period = raw.get("period") or []
    if not isinstance(period, list) or len(period) != 2:
        raise InputError(source, "period ต้องเป็น [เริ่ม, สิ้นสุด] (period must be [start, end])", field=f"{where}.period")
    start, end = (_date(source, d, f"{where}.period") for d in period)
    if start is None or end is None:
        raise InputError(source, "period ต้องมีทั้งวันเริ่มและวันสิ้นสุด (period needs both dates)", field=f"{where}.period")
    method = raw.get("method") or []
    updates = tuple(
        Update(
            _date(source, u.get("date"), f"{where}.updates") or start,
            str(u.get("text") or ""),
            _whole(source, u.get("progress") or 0, f"{where}.updates.progress"),
            str(u.get("url") or u.get("evidence") or ""),
            str(u.get("note") or "").strip(),
        )
        for u in _listed(source, raw.get("updates"), f"{where}.updates")
        if isinstance(u, dict)
    )
    units = _listed(source, raw.get("units"), f"{where}.units")
    return MeasureRow(
        title=str(raw["title"]),
        method=tuple(str(s) for s in (method if isinstance(method, list) else [method])),
        unit=str(raw.get("unit") or ", ".join(str(u) for u in units)),
        period_start=start,
        period_end=end,
        follow_up=str(raw.get("follow_up") or ""),
        progress=_whole(source, raw.get("progress") or (updates[-1].progress if updates else 0), f"{where}.progress"),
        status=str(raw.get("status") or "planned"),
        problems=str(raw.get("problems") or ""),
        updates=updates,
    )
