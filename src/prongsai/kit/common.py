"""What the kit's plan-and-report kinds share (the integrity declaration, risk, anti-corruption, HR, No Gift):
the title lines, the signing block, and where a planned row stood at a report's end, computed from its dated
updates by the measures report's own rules (prongsai.documents.progress), not a copy of them.

Pure core: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from prongsai.documents.context import PROGRESS_STATUS_TH, counts_sentence, period_text, signing_day
from prongsai.documents.data import MeasureRow, Update
from prongsai.documents.progress import ProgressRow, progress_row
from prongsai.kit.base import Block, Column, ComposeOptions, DatasetData, Field, Heading, OfficialDoc, Para, Signature
from prongsai.kit.tally import Digits, baht, digits_of, item_title
from prongsai.thai import fiscal_period, thai_date

__all__ = [
    "EXECUTIVE_FIELDS",
    "PLAN_SIGNER_FIELDS",
    "PROGRESS_STATUS_TH",
    "REPORT_FIELDS",
    "Digits",
    "baht",
    "columns",
    "counts_sentence",
    "digits_of",
    "item_title",
    "numbered",
    "period_cell",
    "period_of",
    "problems_and_suggestions",
    "row_progress",
    "signed",
    "signed_doc",
    "spent_of",
    "title_lines",
    "unfinished",
    "update_lines",
]

# The executive who announces a declaration or policy in the agency's name (required: it is theirs to sign).
EXECUTIVE_FIELDS = (
    Field("executive_name", "ชื่อผู้บริหาร", help_th="ชื่อและนามสกุล เช่น นายสมชาย ใจดี"),
    Field("executive_position", "ตำแหน่ง", help_th="เช่น นายกองค์การบริหารส่วนตำบลทรงคนอง"),
)
# Who signs a plan or its report (optional: unsigned, the name line is left to fill by hand).
PLAN_SIGNER_FIELDS = (
    Field("signer_name", "ผู้ลงนาม", required=False, help_th="ชื่อผู้บริหารที่ลงนาม เช่น นายสมชาย ใจดี"),
    Field("signer_position", "ตำแหน่งผู้ลงนาม", required=False, help_th="เช่น นายกองค์การบริหารส่วนตำบลทรงคนอง"),
)
# The agency's own words for a report's closing section; left empty, the report drafts them from its rows.
REPORT_FIELDS = (
    Field(
        "problems",
        "ปัญหาและอุปสรรค",
        "longtext",
        required=False,
        help_th="ใช้ในรายงานผล ถ้าไม่กรอก ระบบสรุปจากรายการที่ยังไม่แล้วเสร็จ",
    ),
    Field("suggestions", "ข้อเสนอแนะ", "longtext", required=False, help_th="ใช้ในรายงานผล ถ้าไม่กรอก ระบบร่างให้"),
)


def title_lines(data: DatasetData, year: int, d: Digits, *extra: str) -> tuple[str, ...]:
    """The subtitle: the agency, then the fiscal year the document covers (with its Thai digits)."""
    return (data.agency_name, f"ประจำปีงบประมาณ พ.ศ. {d(str(year))}", *extra)


def numbered(lines: Iterable[str], d: Digits, *, start: int = 1) -> list[str]:
    return [f"{d(str(k))}. {line}" for k, line in enumerate(lines, start=start)]


def signed(
    data: DatasetData, options: ComposeOptions, *, name_field: str, position_field: str, date_label: str = "",
    on: dt.date | None = None, before: str = "",
) -> list[Block]:  # fmt: skip
    """The signing block: ``before`` (ประกาศ ณ วันที่ …) as a paragraph above it, or the date below it under
    ``date_label``. The day is ``options.on``, else ``on`` (a date the dataset gives), else a line to fill by hand."""
    day = options.on or on
    when = signing_day(day, options.thai_digits) if day else "……………………………………"
    name = str(data.header.get(name_field) or "")
    position = str(data.header.get(position_field) or "")
    blocks: list[Block] = []
    if before:
        blocks.append(Para(f"{before} {when}", align="center", indent=False))
    blocks.append(Signature(name, position, f"{date_label} {when}".strip() if date_label else ""))
    return blocks


def signed_doc(
    data: DatasetData, options: ComposeOptions, blocks: Sequence[Block], *, kind_code: str, fallback: str,
    signer: tuple[Field, Field] = PLAN_SIGNER_FIELDS, date_label: str = "", before: str = "", on: dt.date | None = None,
    after: Sequence[Block] = (), title: str = "", extra: Sequence[str] = (), landscape: bool = False,
) -> OfficialDoc:  # fmt: skip
    """A plan, announcement or report of the kit: the title of the OIT item it answers in the year it is published
    (``fallback`` when none; ``title`` given replaces it), the agency and the fiscal year (and ``extra`` lines)
    under it, ``blocks``, the signing block of ``signer``'s header fields (see :func:`signed`), then ``after``."""
    from prongsai.kit import kind, publication_year

    d = digits_of(options.thai_digits)
    name, position = signer
    signing = signed(
        data, options, name_field=name.name, position_field=position.name, date_label=date_label, on=on,
        before=before,
    )  # fmt: skip
    published = publication_year(kind(kind_code), data.fiscal_year)
    return OfficialDoc(
        title=title or item_title(kind_code, published, fallback),
        subtitle=title_lines(data, data.fiscal_year, d, *extra),
        blocks=(*blocks, *signing, *after),
        landscape=landscape,
    )


def period_of(row: Mapping[str, Any], fiscal_year: int) -> tuple[dt.date, dt.date]:
    """A row's own period (``start``/``end`` dates), within the fiscal year when it gives none."""
    first, last = fiscal_period(fiscal_year)
    return row.get("start") or first, row.get("end") or last


def row_progress(
    title: str, unit: str, period: tuple[dt.date, dt.date], updates: Sequence[Mapping[str, Any]], until: dt.date
) -> ProgressRow:
    """Where a planned row (a risk's measure, a project) stood at the end of ``until``: the measures report's
    rules (prongsai.documents.progress.progress_row) over the row's dated updates."""
    measure = MeasureRow(
        title=title,
        method=(),
        unit=unit,
        period_start=period[0],
        period_end=period[1],
        follow_up="",
        updates=tuple(Update(u["date"], str(u.get("text") or ""), int(u["progress"])) for u in updates),
    )
    return progress_row(measure, until)


def update_lines(row: ProgressRow, options: ComposeOptions) -> str:
    """What was done, one dated line per counted update (a cell's lines), or "-"."""
    d = digits_of(options.thai_digits)
    lines = [
        f"{thai_date(u.date, thai_digits=options.thai_digits, style='short')} {d(u.text)}".strip() for u in row.updates
    ]
    return "\n".join(lines) or "-"


def spent_of(updates: Sequence[Mapping[str, Any]], until: dt.date) -> Decimal:
    """Money spent up to ``until``: each update gives what was spent since the one before it."""
    return sum((u["spent"] for u in updates if u["date"] <= until and u.get("spent") is not None), Decimal(0))


def period_cell(period: tuple[dt.date, dt.date], d: Digits) -> str:
    return period_text(period[0], period[1], d)


def columns(widths: Sequence[float], *specs: str | tuple[str, str]) -> tuple[Column, ...]:
    """A table's columns from their widths and labels; a label given as (label, align) is centred ("center") or
    right-aligned ("right": money)."""
    out = []
    for width, spec in zip(widths, specs, strict=True):
        label, align = (spec, "left") if isinstance(spec, str) else spec
        out.append(Column(label, width, align))  # type: ignore[arg-type]
    return tuple(out)


def unfinished(progress: Sequence[ProgressRow], d: Digits, name: Callable[[int, ProgressRow], str]) -> str:
    """The rows not completed at the report's end, as the problems a report states when the agency gave none:
    "<name>ได้ร้อยละ 40 ไม่แล้วเสร็จตามกำหนด (<reason>)". ``name`` says what the row is and what was done,
    from its number (1, 2, …) and its progress."""
    return " ".join(
        f"{name(k, p)}ได้ร้อยละ {d(str(p.progress))} ไม่แล้วเสร็จตามกำหนด ({d(p.reason)})"
        for k, p in enumerate(progress, start=1)
        if p.status == "not_completed"
    )


def problems_and_suggestions(data: DatasetData, d: Digits, *, problems: str, suggestion: str) -> list[Block]:
    """A report's closing section: the agency's own problems and suggestions (REPORT_FIELDS), else the drafted
    ``problems`` (may be empty: none found) and ``suggestion``."""
    own_problems = str(data.header.get("problems") or "").strip() or problems
    own_suggestion = str(data.header.get("suggestions") or "").strip() or suggestion
    return [
        Heading("ปัญหา อุปสรรค และข้อเสนอแนะ"),
        Para(f"ปัญหาและอุปสรรค: {d(own_problems)}" if own_problems else "ปัญหาและอุปสรรค: ไม่พบปัญหาและอุปสรรคในการดำเนินการ"),
        Para(f"ข้อเสนอแนะ: {d(own_suggestion)}"),
    ]
