"""Services: how many times the agency served people in a fiscal year, per service and month (dataset
``services``, kind ``service_stats``: ข้อมูลสถิติการให้บริการ), and what the people served thought of it
(dataset and kind ``satisfaction_report``: รายงานผลการสำรวจความพึงพอใจการให้บริการ).

A satisfaction result is one row per question: how many answered each level of the 1–5 scale (5 พึงพอใจ
มากที่สุด … 1 น้อยที่สุด). Counts, not means, are kept, so that the mean, the share satisfied (4 or 5) and the
respondents are computed here, once, and can be checked; :func:`satisfaction_rows` turns the answers of a
survey (a list of levels per question, as the web's satisfaction survey collects them) into these rows.

The level of a mean follows the usual five equal bands of a 1–5 scale (4.21–5.00 มากที่สุด, 3.41–4.20 มาก,
2.61–3.40 ปานกลาง, 1.81–2.60 น้อย, 1.00–1.80 น้อยที่สุด). The analysis names the lowest-scored questions
(every question tied at the lowest mean, and the second lowest when only one is lowest) as what to improve.

Which year a document reports: the dataset's own fiscal year, as for complaints (see complaints.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from prongsai.errors import InputError
from prongsai.kit import register_dataset, register_kind
from prongsai.kit.base import (
    Block,
    Column,
    ComposeOptions,
    Dataset,
    DatasetData,
    Field,
    Heading,
    Image,
    Kind,
    OfficialDoc,
    Para,
    Table,
)
from prongsai.kit.tally import (
    SIGNER_FIELDS,
    Digits,
    answered_item_title,
    count,
    digits_of,
    fiscal_months,
    month_chart,
    month_name,
    percent,
    signature,
)
from prongsai.numbers import round_decimal
from prongsai.report import thai_list
from prongsai.thai import thai_date

__all__ = [
    "LEVELS",
    "SATISFACTION",
    "SATISFACTION_QUESTIONS",
    "SERVICES",
    "SERVICE_STATS",
    "QuestionResult",
    "level_of",
    "question_results",
    "rows_results",
    "satisfaction_rows",
]

SERVICES = register_dataset(
    Dataset(
        code="services",
        title_th="สถิติการให้บริการ",
        row_name_th="สถิติการให้บริการ",
        header=SIGNER_FIELDS,
        rows=(
            Field("service", "งานบริการ", help_th="เช่น การรับชำระภาษีที่ดินและสิ่งปลูกสร้าง"),
            Field("month", "เดือน", "month", help_th="เช่น ต.ค. 2568"),
            Field("count", "จำนวนครั้งที่ให้บริการ", "int", help_th="รวมทุกช่องทาง เช่น 120"),
            Field(
                "online",
                "ในจำนวนนี้ให้บริการออนไลน์",
                "int",
                required=False,
                help_th="จำนวนที่ให้บริการทางออนไลน์ (E-Service) ไม่เกินจำนวนทั้งหมด เช่น 35",
            ),
        ),
    )
)

# level → its words, best first (the five-point scale of the survey)
LEVELS = {5: "มากที่สุด", 4: "มาก", 3: "ปานกลาง", 2: "น้อย", 1: "น้อยที่สุด"}
_LEVEL_FIELDS = tuple(
    Field(f"level{k}", f"พึงพอใจ{words} ({k})", "int", required=False, help_th="จำนวนผู้ตอบระดับนี้ เช่น 12")
    for k, words in LEVELS.items()
)

# The usual five aspects of a service-satisfaction survey (process, channels, staff, facilities, quality): the
# questions of the web's satisfaction survey, fixed when a survey is created so that its answers keep their words.
SATISFACTION_QUESTIONS = (
    "ความพึงพอใจต่อขั้นตอนการให้บริการ",
    "ความพึงพอใจต่อช่องทางการให้บริการ",
    "ความพึงพอใจต่อเจ้าหน้าที่ผู้ให้บริการ",
    "ความพึงพอใจต่อสิ่งอำนวยความสะดวก",
    "ความพึงพอใจต่อคุณภาพการให้บริการ",
)

SATISFACTION = register_dataset(
    Dataset(
        code="satisfaction_report",
        title_th="ผลการสำรวจความพึงพอใจการให้บริการ",
        row_name_th="ข้อคำถาม",
        header=(
            Field("survey_start", "วันที่เริ่มสำรวจ", "date", help_th="เช่น 1/7/2568"),
            Field("survey_end", "วันที่สิ้นสุดการสำรวจ", "date", help_th="เช่น 31/8/2568"),
            Field(
                "respondents",
                "จำนวนผู้ตอบแบบสำรวจ (คน)",
                "int",
                required=False,
                help_th="ถ้าเว้นว่าง ใช้จำนวนผู้ตอบของข้อที่มีผู้ตอบมากที่สุด",
            ),
            Field("services_th", "งานบริการที่สำรวจ", "longtext", required=False, help_th="เช่น งานทะเบียน งานภาษี"),
            Field("method_th", "วิธีการสำรวจ", required=False, help_th="เช่น แบบสอบถามออนไลน์และแบบสอบถามกระดาษ"),
            *SIGNER_FIELDS,
        ),
        rows=(Field("question", "ข้อคำถาม", help_th="เช่น ความสะดวกในการติดต่อขอรับบริการ"), *_LEVEL_FIELDS),
    )
)

SERVICE_TITLE = "ข้อมูลสถิติการให้บริการ"  # FY2568 O11 (FY2567 O16: ข้อมูลเชิงสถิติการให้บริการ)
SATISFACTION_TITLE = "รายงานผลการสำรวจความพึงพอใจการให้บริการ"  # FY2567 O17
TERMS = ("การให้บริการ", "ความพึงพอใจ", "ปีงบประมาณ", "มากที่สุด", "ปานกลาง", "น้อยที่สุด")


def check_services(data: DatasetData, *, source: str = "สถิติการให้บริการ", first_row: int = 1) -> None:
    """What the field types cannot say: online is part of the count; a month is in the fiscal year; one row
    per service and month. Raises InputError naming the row, the field and the fix."""
    fields = {f.name: f.label_th for f in SERVICES.rows}
    months = set(fiscal_months(data.fiscal_year))
    seen: dict[tuple[str, dt.date], int] = {}
    for number, row in enumerate(data.rows, start=first_row):
        online = row.get("online")
        if online is not None and online > row["count"]:
            raise InputError(
                source,
                f"จำนวนที่ให้บริการออนไลน์ ({online}) มากกว่าจำนวนทั้งหมด ({row['count']}) ให้แก้เป็นจำนวนที่ไม่เกินจำนวนทั้งหมด",
                row=number,
                field=fields["online"],
            )
        if row["month"] not in months:
            raise InputError(
                source,
                f"เดือนนี้ไม่อยู่ในปีงบประมาณ พ.ศ. {data.fiscal_year} (ตุลาคม {data.fiscal_year - 1} "
                f"ถึงกันยายน {data.fiscal_year}) ให้แก้เดือนหรือย้ายไปไว้ในชุดข้อมูลของปีนั้น",
                row=number,
                field=fields["month"],
            )
        key = (str(row["service"]), row["month"])
        if key in seen:
            raise InputError(
                source,
                f"งานบริการนี้ของเดือนนี้มีอยู่แล้วที่แถว {seen[key]} ให้รวมเป็นแถวเดียว",
                row=number,
                field=fields["service"],
            )
        seen[key] = number


# ---- service statistics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceTotal:
    service: str
    per_month: tuple[int, ...]  # October first
    online: int

    @property
    def total(self) -> int:
        return sum(self.per_month)


def service_totals(data: DatasetData) -> list[ServiceTotal]:
    """Per service (in the order first met), its count in each month of the year and its online count."""
    months = fiscal_months(data.fiscal_year)
    names = list(dict.fromkeys(str(r["service"]) for r in data.rows))
    totals = []
    for name in names:
        rows = [r for r in data.rows if r["service"] == name and r["month"] in months]
        totals.append(
            ServiceTotal(
                name,
                tuple(sum(r["count"] for r in rows if r["month"] == m) for m in months),
                sum(int(r.get("online") or 0) for r in rows),
            )
        )
    return totals


def _service_table(totals: Sequence[ServiceTotal], d: Digits) -> Table:
    columns = (
        Column("งานบริการ", 5.6),
        *(Column(month_name(m, short=True), 1.3, "right") for m in fiscal_months(2500)),
        Column("รวม", 1.7, "right"),
        Column("ออนไลน์", 1.8, "right"),
    )
    month_sums = [sum(t.per_month[k] for t in totals) for k in range(12)]
    return Table(
        columns,
        tuple((t.service, *(count(n, d) for n in t.per_month), count(t.total, d), count(t.online, d)) for t in totals),
        total=(
            "รวม",
            *(count(n, d) for n in month_sums),
            count(sum(month_sums), d),
            count(sum(t.online for t in totals), d),
        ),
        caption=f"ตารางที่ {d('1')} จำนวนครั้งที่ให้บริการ จำแนกตามงานบริการและเดือน",
    )


def compose_service_stats(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    check_services(data)
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    totals = service_totals(data)
    grand = sum(t.total for t in totals)
    blocks: list[Block] = []
    if not grand:
        blocks.append(Para(f"ในปีงบประมาณ พ.ศ. {year} {data.agency_name} ไม่มีการบันทึกสถิติการให้บริการ"))
    else:
        months = fiscal_months(data.fiscal_year)
        month_sums = [sum(t.per_month[k] for t in totals) for k in range(12)]
        online = sum(t.online for t in totals)
        top = max(totals, key=lambda t: t.total)
        busiest = max(range(12), key=lambda k: month_sums[k])
        blocks += [
            Para(
                f"ในปีงบประมาณ พ.ศ. {year} {data.agency_name} ให้บริการประชาชน {count(len(totals), d)} งานบริการ "
                f"รวมทั้งสิ้น {count(grand, d)} ครั้ง เป็นการให้บริการออนไลน์ {count(online, d)} ครั้ง "
                f"คิดเป็นร้อยละ {percent(online, grand, d)} งานบริการที่มีผู้รับบริการมากที่สุด คือ {top.service} "
                f"จำนวน {count(top.total, d)} ครั้ง และเดือนที่มีการให้บริการมากที่สุด คือ เดือน{month_name(months[busiest])} "
                f"จำนวน {count(month_sums[busiest], d)} ครั้ง"
            ),
            _service_table(totals, d),
            Image(
                month_chart(
                    [month_name(m, short=True) for m in months],
                    month_sums,
                    ylabel="จำนวนครั้ง",
                    value_text=[count(n, d) if n else "" for n in month_sums],
                ),
                16.0,
                "แผนภูมิแท่งแสดงจำนวนครั้งที่ให้บริการรายเดือน: "
                + " ".join(
                    f"{month_name(m, short=True)} {count(n, d)} ครั้ง" for m, n in zip(months, month_sums, strict=True)
                ),
            ),
        ]
    blocks += signature(data, options, role="ผู้รายงาน")
    return OfficialDoc(
        title=answered_item_title(SERVICE_STATS.code, data.fiscal_year, SERVICE_TITLE),
        subtitle=(f"ประจำปีงบประมาณ พ.ศ. {year}", data.agency_name),
        blocks=tuple(blocks),
        landscape=True,
        draft=not data.reviewed,
        thai_digits=options.thai_digits,
        terms=TERMS,
    )


# ---- satisfaction ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    question: str
    counts: Mapping[int, int]  # level (1..5) → answers

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> Decimal:
        """The mean on the 1–5 scale, 2 decimals half up (0 when nobody answered)."""
        if not self.answers:
            return Decimal(0)
        total = sum(level * n for level, n in self.counts.items())
        return round_decimal(Decimal(total) / self.answers)

    @property
    def satisfied(self) -> int:
        """Answers of พึงพอใจมาก or มากที่สุด (4 or 5)."""
        return self.counts.get(4, 0) + self.counts.get(5, 0)


def level_of(mean: Decimal) -> str:
    """The words of a mean on the 1–5 scale (five equal bands of 0.8)."""
    for floor, words in ((Decimal("4.21"), "มากที่สุด"), (Decimal("3.41"), "มาก"), (Decimal("2.61"), "ปานกลาง"),
                         (Decimal("1.81"), "น้อย")):  # fmt: skip
        if mean >= floor:
            return words
    return "น้อยที่สุด"


def satisfaction_rows(answers: Mapping[str, Sequence[int]]) -> list[dict[str, Any]]:
    """The dataset's rows from a survey's answers: question → the levels (1..5) its respondents chose, in the
    questions' order; a question nobody answered keeps its row with no counts. A level outside 1..5 is a
    ValueError (the survey engine's scale is 1..5)."""
    rows = []
    for question, levels in answers.items():
        bad = sorted({level for level in levels if level not in LEVELS})
        if bad:
            raise ValueError(f"ข้อ “{question}” มีคำตอบนอกระดับ 1 ถึง 5: {bad}")
        rows.append({"question": question, **{f"level{k}": sum(1 for x in levels if x == k) for k in LEVELS}})
    return rows


def question_results(data: DatasetData) -> list[QuestionResult]:
    return rows_results(data.rows)


def rows_results(rows: Sequence[Mapping[str, Any]]) -> list[QuestionResult]:
    """The results of satisfaction rows (the dataset's, or :func:`satisfaction_rows`' from a survey)."""
    return [QuestionResult(str(r["question"]), {k: int(r.get(f"level{k}") or 0) for k in LEVELS}) for r in rows]


def _lowest(results: Sequence[QuestionResult]) -> list[QuestionResult]:
    """The questions to improve: all tied at the lowest mean, and the next lowest when only one is."""
    answered = sorted((r for r in results if r.answers), key=lambda r: r.mean)
    if not answered:
        return []
    lowest = [r for r in answered if r.mean == answered[0].mean]
    if len(lowest) == 1 and len(answered) > 2:
        lowest += [r for r in answered if r.mean == answered[1].mean]
    return lowest


_SATISFACTION_COLUMNS = (
    Column("ข้อ", 1.0, "center"),
    Column("ประเด็นที่สำรวจ", 6.6),
    Column("ผู้ตอบ (คน)", 1.7, "right"),
    Column("ค่าเฉลี่ย", 2.1, "right"),
    Column("ระดับความพึงพอใจ", 2.4, "center"),
    Column("ร้อยละที่พึงพอใจ", 2.2, "right"),
)


def compose_satisfaction(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    thai = options.thai_digits
    year = d(str(data.fiscal_year))
    results = question_results(data)
    start, end = data.header["survey_start"], data.header["survey_end"]
    if end < start:
        raise InputError("ผลการสำรวจความพึงพอใจ", "วันที่สิ้นสุดการสำรวจอยู่ก่อนวันที่เริ่มสำรวจ ให้แก้วันที่ให้ถูกต้อง",
                         field="วันที่สิ้นสุดการสำรวจ")  # fmt: skip
    respondents = int(data.header.get("respondents") or max((r.answers for r in results), default=0))
    answered = [r for r in results if r.answers]
    all_answers = sum(r.answers for r in answered)
    overall = (
        round_decimal(Decimal(sum(r.mean * r.answers for r in answered)) / all_answers) if all_answers else Decimal(0)
    )
    satisfied = sum(r.satisfied for r in answered)
    how = str(data.header.get("method_th") or "").strip()
    services = str(data.header.get("services_th") or "").strip()
    blocks: list[Block] = [
        Heading(f"{d('1')}. การสำรวจ"),
        Para(
            f"{data.agency_name} สำรวจความพึงพอใจของผู้รับบริการ ประจำปีงบประมาณ พ.ศ. {year} "
            f"ระหว่างวันที่ {thai_date(start, thai_digits=thai)} ถึงวันที่ {thai_date(end, thai_digits=thai)}"
            + (f" ด้วย{how}" if how else "")
            + (f" ในงานบริการ ได้แก่ {services}" if services else "")
            + f" มีผู้ตอบแบบสำรวจ {count(respondents, d)} คน ใช้มาตราส่วน {d('5')} ระดับ "
            f"ตั้งแต่ {d('1')} (พึงพอใจน้อยที่สุด) ถึง {d('5')} (พึงพอใจมากที่สุด)"
        ),
    ]
    if not answered:
        blocks.append(Para("ไม่มีผู้ตอบแบบสำรวจในช่วงเวลาดังกล่าว จึงไม่มีผลการสำรวจที่จะรายงาน"))
    else:
        lowest = _lowest(answered)
        highest = max(answered, key=lambda r: r.mean)
        low = [f"{d(r.question)} (ค่าเฉลี่ย {d(str(r.mean))})" for r in lowest]
        blocks += [
            Heading(f"{d('2')}. ผลการสำรวจ"),
            Para(
                f"ผู้รับบริการมีความพึงพอใจโดยรวมในระดับ{level_of(overall)} ค่าเฉลี่ย {d(str(overall))} จากคะแนนเต็ม {d('5')} "
                f"และคำตอบที่พึงพอใจมากหรือมากที่สุดคิดเป็นร้อยละ {percent(satisfied, all_answers, d)} ของคำตอบทั้งหมด "
                "ผลรายข้อเป็นดังตารางต่อไปนี้"
            ),
            Table(
                _SATISFACTION_COLUMNS,
                tuple(
                    (
                        d(str(k)),
                        d(r.question),
                        count(r.answers, d),
                        d(str(r.mean)) if r.answers else "-",
                        level_of(r.mean) if r.answers else "-",
                        percent(r.satisfied, r.answers, d) if r.answers else "-",
                    )
                    for k, r in enumerate(results, 1)
                ),
                total=(
                    "",
                    "ภาพรวม",
                    count(respondents, d),
                    d(str(overall)),
                    level_of(overall),
                    percent(satisfied, all_answers, d),
                ),
                caption=f"ตารางที่ {d('1')} ผลการสำรวจความพึงพอใจรายข้อ (ค่าเฉลี่ยจากคะแนนเต็ม {d('5')})",
            ),
            Image(
                _question_chart(results, answered, d),
                15.5,
                "แผนภูมิแท่งแสดงค่าเฉลี่ยความพึงพอใจรายข้อ: "
                + " ".join(f"ข้อ {d(str(results.index(r) + 1))} {d(str(r.mean))}" for r in answered),
            ),
            Heading(f"{d('3')}. การวิเคราะห์ผลและข้อเสนอแนะ"),
            Para(
                f"ประเด็นที่ผู้รับบริการพึงพอใจมากที่สุด คือ {d(highest.question)} ค่าเฉลี่ย {d(str(highest.mean))} "
                f"ส่วนประเด็นที่ได้คะแนนต่ำที่สุด คือ {thai_list(low)} "
                "ซึ่งเป็นประเด็นที่ควรนำไปปรับปรุงการให้บริการเป็นลำดับแรก"
            ),
            Para(
                f"ข้อเสนอแนะ: {data.agency_name} ควรนำผลการสำรวจไปจัดทำแนวทางปรับปรุงในประเด็นที่ได้คะแนนต่ำ "
                "กำหนดผู้รับผิดชอบและระยะเวลาที่ชัดเจน และสำรวจความพึงพอใจซ้ำในปีงบประมาณถัดไปเพื่อติดตามผล"
            ),
        ]
    blocks += signature(data, options, role="ผู้รายงาน")
    return OfficialDoc(
        title=answered_item_title(SATISFACTION_KIND.code, data.fiscal_year, SATISFACTION_TITLE),
        subtitle=(f"ประจำปีงบประมาณ พ.ศ. {year}", data.agency_name),
        blocks=tuple(blocks),
        draft=not data.reviewed,
        thai_digits=options.thai_digits,
        terms=TERMS,
    )


def _question_chart(results: Sequence[QuestionResult], answered: Sequence[QuestionResult], d: Digits) -> bytes:
    """The mean of each answered question, labelled with its number in the table."""
    return month_chart(
        [f"ข้อ {d(str(results.index(r) + 1))}" for r in answered],
        [float(r.mean) for r in answered],
        ylabel=f"ค่าเฉลี่ย (เต็ม {d('5')})",
        value_text=[d(str(r.mean)) for r in answered],
    )


SERVICE_STATS = register_kind(
    Kind(
        code="service_stats",
        title_th=SERVICE_TITLE,
        dataset=SERVICES.code,
        compose=compose_service_stats,
        period="previous_year",
    )
)
SATISFACTION_KIND = register_kind(
    Kind(
        code="satisfaction_report",
        title_th=SATISFACTION_TITLE,
        dataset=SATISFACTION.code,
        compose=compose_satisfaction,
        period="previous_year",
    )
)
