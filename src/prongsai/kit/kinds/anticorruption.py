"""The anti-corruption action plan (แผนปฏิบัติการป้องกันการทุจริต): projects with their objective, budget,
indicator, period and unit, and dated updates (progress, what was done, money spent). Three documents:

* ``anticorruption_plan``: the plan, with its total budget;
* ``anticorruption_half_year``: where each project stood on 31 March (รอบ ๖ เดือน);
* ``anticorruption_report``: the year's results (published the year after), money spent against the budget,
  problems and suggestions.

Where a project stood is the measures report's rule (prongsai.documents.progress) over its updates.
"""

from __future__ import annotations

from decimal import Decimal

from prongsai.documents.progress import report_period, summarize
from prongsai.kit import register_dataset, register_kind
from prongsai.kit.base import (
    Block,
    ComposeOptions,
    Dataset,
    DatasetData,
    Field,
    Heading,
    Kind,
    OfficialDoc,
    Para,
    Table,
)
from prongsai.kit.common import (
    PLAN_SIGNER_FIELDS,
    PROGRESS_STATUS_TH,
    REPORT_FIELDS,
    Digits,
    baht,
    columns,
    counts_sentence,
    digits_of,
    item_title,
    period_cell,
    period_of,
    problems_and_suggestions,
    row_progress,
    signed_doc,
    spent_of,
    unfinished,
    update_lines,
)
from prongsai.kit.tally import percent
from prongsai.numbers import format_score
from prongsai.thai import thai_date

__all__ = ["PLAN"]

PLAN = register_dataset(
    Dataset(
        code="anticorruption_plan",
        title_th="แผนปฏิบัติการป้องกันการทุจริต",
        row_name_th="โครงการ",
        header=(
            *PLAN_SIGNER_FIELDS,
            Field("approved_on", "วันที่อนุมัติแผน", "date", required=False, help_th="วัน/เดือน/ปี พ.ศ."),
            *REPORT_FIELDS,
        ),
        rows=(
            Field("project", "โครงการ/กิจกรรม", help_th="เช่น โครงการอบรมส่งเสริมคุณธรรมและจริยธรรม"),
            Field("objective", "วัตถุประสงค์"),
            Field("budget", "งบประมาณ (บาท)", "money", required=False, help_th="ไม่ใช้งบประมาณให้เว้นว่างหรือใส่ 0"),
            Field("indicator", "ตัวชี้วัด", help_th="เช่น ผู้เข้าร่วมไม่น้อยกว่าร้อยละ 80"),
            Field("start", "เริ่ม", "date", required=False, help_th="วัน/เดือน/ปี พ.ศ. (ว่าง: ต้นปีงบประมาณ)"),
            Field("end", "สิ้นสุด", "date", required=False, help_th="วัน/เดือน/ปี พ.ศ. (ว่าง: สิ้นปีงบประมาณ)"),
            Field("unit", "ผู้รับผิดชอบ", help_th="เช่น สำนักปลัด"),
            Field("updates", "ผลการดำเนินการ", "updates", required=False),
        ),
    )
)

PLAN_TITLE = "แผนปฏิบัติการป้องกันการทุจริต"
HALF_TITLE = "รายงานการกำกับติดตามการดำเนินการป้องกันการทุจริตประจำปี รอบ 6 เดือน"
REPORT_TITLE = "รายงานผลการดำเนินการป้องกันการทุจริตประจำปี"
# Sum to the landscape text column (24.7 cm).
PLAN_WIDTHS = (1.0, 5.4, 5.0, 4.6, 2.7, 2.8, 3.2)
PROGRESS_WIDTHS = (1.0, 5.0, 2.6, 6.6, 2.6, 3.5, 3.4)


def _budget(value: Decimal | None, d: Digits) -> str:
    return baht(value, d) if value else "-"


def compose_plan(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    total = sum((r["budget"] or Decimal(0) for r in data.rows), Decimal(0))
    blocks: list[Block] = [
        Para(
            f"{data.agency_name}จัดทำแผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {year}"
            " เพื่อใช้เป็นกรอบในการป้องกันการทุจริตและประพฤติมิชอบ และส่งเสริมให้บุคลากรปฏิบัติหน้าที่ด้วยความซื่อสัตย์สุจริต"
            f" ประกอบด้วยโครงการและกิจกรรม {d(str(len(data.rows)))} โครงการ งบประมาณรวม {baht(total, d)} บาท ดังนี้"
        ),
        Table(
            columns=columns(
                PLAN_WIDTHS,
                ("ที่", "center"),
                "โครงการ/กิจกรรม",
                "วัตถุประสงค์",
                "ตัวชี้วัด",
                ("งบประมาณ (บาท)", "right"),
                ("ระยะเวลา", "center"),
                ("ผู้รับผิดชอบ", "center"),
            ),
            rows=tuple(
                (
                    d(str(k)),
                    d(r["project"]),
                    d(r["objective"]),
                    d(r["indicator"]),
                    _budget(r["budget"], d),
                    period_cell(period_of(r, data.fiscal_year), d),
                    r["unit"],
                )
                for k, r in enumerate(data.rows, start=1)
            ),
            total=("", "รวม", "", "", baht(total, d), "", ""),
        ),
    ]
    return signed_doc(
        data, options, blocks, kind_code="anticorruption_plan", fallback=PLAN_TITLE, date_label="วันที่",
        on=data.header.get("approved_on"), landscape=True,
    )  # fmt: skip


def _compose_progress(data: DatasetData, options: ComposeOptions, *, annual: bool) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    _start, until = report_period(data.fiscal_year, annual=annual)
    progress = [
        row_progress(r["project"], r["unit"], period_of(r, data.fiscal_year), r["updates"], until) for r in data.rows
    ]
    summary = summarize(progress)
    budget = sum((r["budget"] or Decimal(0) for r in data.rows), Decimal(0))
    spent = sum((spent_of(r["updates"], until) for r in data.rows), Decimal(0))
    round_name = f"รอบ {d('12' if annual else '6')} เดือน"
    when = thai_date(until, thai_digits=options.thai_digits)
    if annual:
        suggestion = (
            "นำโครงการที่ยังไม่แล้วเสร็จและผลการดำเนินการไปปรับปรุงแผนปฏิบัติการป้องกันการทุจริต"
            f" ประจำปีงบประมาณ พ.ศ. {d(str(data.fiscal_year + 1))}"
        )
    else:
        suggestion = "เร่งรัดโครงการที่ยังไม่เริ่มหรือล่าช้าให้แล้วเสร็จภายในปีงบประมาณ"
    closing = problems_and_suggestions(
        data,
        d,
        problems=unfinished(progress, d, lambda _k, p: f"{d(p.measure.title)} ดำเนินการ"),
        suggestion=suggestion,
    )
    blocks: list[Block] = [
        Para(
            f"{data.agency_name}ได้ดำเนินการตามแผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. {year}"
            f" {round_name} ข้อมูล ณ วันที่ {when} โดยมีผลการดำเนินการ ดังนี้"
        ),
        Table(
            columns=columns(
                PROGRESS_WIDTHS,
                ("ที่", "center"),
                "โครงการ/กิจกรรม",
                ("งบประมาณ (บาท)", "right"),
                "ผลการดำเนินการ",
                ("ใช้จ่ายจริง (บาท)", "right"),
                ("ผลสำเร็จ", "center"),
                ("ผู้รับผิดชอบ", "center"),
            ),
            rows=tuple(
                (
                    d(str(k)),
                    d(r["project"]),
                    _budget(r["budget"], d),
                    update_lines(p, options),
                    _budget(spent_of(r["updates"], until), d),
                    f"{PROGRESS_STATUS_TH[p.status]}\nร้อยละ {d(str(p.progress))}",
                    r["unit"],
                )
                for k, (r, p) in enumerate(zip(data.rows, progress, strict=True), start=1)
            ),
            total=("", "รวม", baht(budget, d), "", baht(spent, d), "", ""),
        ),
        Heading("สรุปผลการดำเนินการ"),
        Para(
            f"{counts_sentence(summary, d, 'โครงการ')} ความคืบหน้าเฉลี่ยร้อยละ {d(format_score(summary.average))}"
            f" ใช้จ่ายงบประมาณ {baht(spent, d)} บาท จากงบประมาณ {baht(budget, d)} บาท"
            + (f" คิดเป็นร้อยละ {percent(spent, budget, d)}" if budget else "")
        ),
        *closing,
    ]
    code, fallback = ("anticorruption_report", REPORT_TITLE) if annual else ("anticorruption_half_year", HALF_TITLE)
    published = data.fiscal_year + 1 if annual else data.fiscal_year
    title = item_title(code, published, fallback)
    return signed_doc(
        data, options, blocks, kind_code=code, fallback=fallback, date_label="วันที่",
        title=d(title) if not annual else title,
        # the round once: in the title when the year's item names it (รอบ ๖ เดือน), else under it
        extra=() if annual or "รอบ" in title else (round_name,), landscape=True,
    )  # fmt: skip


def compose_half_year(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    return _compose_progress(data, options, annual=False)


def compose_report(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    return _compose_progress(data, options, annual=True)


register_kind(Kind("anticorruption_plan", PLAN_TITLE, "anticorruption_plan", compose_plan))
register_kind(
    Kind("anticorruption_half_year", HALF_TITLE, "anticorruption_plan", compose_half_year, period="half_year")
)
register_kind(
    Kind("anticorruption_report", REPORT_TITLE, "anticorruption_plan", compose_report, period="previous_year")
)
