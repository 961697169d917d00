"""Complaints: the agency's log of the complaints it received in a fiscal year (one row per complaint), and
the statistics document made from it (``complaint_stats``: ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ).

The complainant is protected by design, not by care:

* the log has NO field for who complained (no name, address, telephone, e-mail or ID number), so the app
  never holds a complainant's identity to leak;
* the statistics document shows counts only: by kind and status, by channel, by month, and the days taken
  to close. The subject summary of a case (``subject``) is for the officer's own log and is NEVER printed
  in the statistics, nor any other text of a single case: a sentence about one complaint could identify the
  person who made it. tests/kit/test_complaints.py checks every text of the document against the subjects.

Which year a document reports: always the dataset's own fiscal year, every row received in it (1 October to
30 September), and the title names that year. An OIT item that covers the previous year (FY2569 O18, FY2568
O19: ``coverage: previous_year``) is answered by the dataset of the year before the assessment; choosing that
dataset is the caller's (the web and the CLI ask prongsai.kit.dataset_year: the item's coverage, else
``Kind.period``).

Days to close are counted from the date received to the date closed, for the complaints closed (ดำเนินการ
แล้วเสร็จ or ยุติเรื่อง) with a date closed; a complaint closed before it was received is refused by
:func:`check_rows`, naming its row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
    in_year,
    month_chart,
    month_name,
    percent,
    signature,
)
from prongsai.numbers import round_decimal
from prongsai.thai import thai_date

__all__ = ["CHANNELS", "COMPLAINTS", "KINDS_OF_COMPLAINT", "STATS", "STATUSES", "Summary", "check_rows", "summarize"]

CHANNELS = ("เว็บไซต์", "โทรศัพท์", "หนังสือ", "ด้วยตนเอง", "Facebook/LINE", "อื่น ๆ")
CORRUPTION = "ทุจริตและประพฤติมิชอบ"
KINDS_OF_COMPLAINT = (CORRUPTION, "เรื่องร้องเรียนทั่วไป")
RECEIVED, IN_PROGRESS, DONE, ENDED = "รับเรื่อง", "อยู่ระหว่างดำเนินการ", "ดำเนินการแล้วเสร็จ", "ยุติเรื่อง"
STATUSES = (RECEIVED, IN_PROGRESS, DONE, ENDED)
CLOSED = (DONE, ENDED)

COMPLAINTS = register_dataset(
    Dataset(
        code="complaints",
        title_th="ทะเบียนเรื่องร้องเรียน",
        row_name_th="เรื่องร้องเรียน",
        header=SIGNER_FIELDS,
        # No field for the complainant, by design (see the module's docstring).
        rows=(
            Field("received", "วันที่รับเรื่อง", "date", help_th="เช่น 15/11/2568"),
            Field("channel", "ช่องทางที่รับเรื่อง", "choice", choices=CHANNELS),
            Field("kind", "ประเภทเรื่องร้องเรียน", "choice", choices=KINDS_OF_COMPLAINT),
            Field(
                "subject",
                "สรุปเรื่อง (ไม่ระบุชื่อผู้ร้องเรียน)",
                help_th="สรุปสั้น ๆ โดยไม่ใส่ชื่อหรือข้อมูลที่ระบุตัวผู้ร้องเรียน ไม่แสดงในเอกสารสถิติ",
            ),
            Field("status", "สถานะ", "choice", choices=STATUSES),
            Field(
                "closed",
                "วันที่ดำเนินการแล้วเสร็จหรือยุติเรื่อง",
                "date",
                required=False,
                help_th="เว้นว่างถ้ายังไม่แล้วเสร็จ เช่น 30/11/2568",
            ),
        ),
    )
)

STATS_TITLE = "ข้อมูลสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"  # FY2569 O18, FY2568 O19
TERMS = ("ทุจริตและประพฤติมิชอบ", "เรื่องร้องเรียน", "ปีงบประมาณ", "ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ")
PRIVACY = (
    "ข้อมูลนี้แสดงเฉพาะจำนวนเรื่อง ไม่แสดงชื่อ ข้อมูลส่วนบุคคล หรือรายละเอียดของเรื่องที่อาจระบุตัวผู้ร้องเรียนได้ เพื่อคุ้มครองผู้ร้องเรียนและผู้ให้ข้อมูล"
)


def check_rows(data: DatasetData, *, source: str = "ทะเบียนเรื่องร้องเรียน", first_row: int = 1) -> None:
    """What the field types cannot say: a date closed goes with a closed status and is not before the date
    received. Raises InputError naming the row, the field and the fix."""
    closed_label = COMPLAINTS.rows[-1].label_th
    for number, row in enumerate(data.rows, start=first_row):
        closed = row.get("closed")
        if closed is None:
            continue
        if row["status"] not in CLOSED:
            raise InputError(
                source,
                f"มีวันที่แล้วเสร็จแต่สถานะเป็น “{row['status']}” ให้เปลี่ยนสถานะเป็น{DONE}หรือ{ENDED} หรือลบวันที่แล้วเสร็จออก",
                row=number,
                field=closed_label,
            )
        if closed < row["received"]:
            raise InputError(
                source,
                f"วันที่แล้วเสร็จ ({thai_date(closed, thai_digits=False)}) อยู่ก่อนวันที่รับเรื่อง "
                f"({thai_date(row['received'], thai_digits=False)}) ให้แก้วันที่ให้ถูกต้อง",
                row=number,
                field=closed_label,
            )


@dataclass(frozen=True)
class Summary:
    """The year's complaints counted; nothing of a single case."""

    total: int
    by_kind: dict[str, int]
    by_status: dict[str, int]
    by_kind_status: dict[tuple[str, str], int]
    by_channel: dict[str, int]
    by_month: list[tuple[dt.date, int, int]]  # month, all complaints, corruption complaints
    days: list[int]  # days to close, one per closed complaint with a date closed

    @property
    def mean_days(self) -> Decimal:
        if not self.days:
            return Decimal(0)
        return round_decimal(Decimal(sum(self.days)) / len(self.days), 1)


def year_rows(data: DatasetData) -> list[Mapping[str, Any]]:
    return [r for r in data.rows if in_year(r["received"], data.fiscal_year)]


def summarize(data: DatasetData) -> Summary:
    rows = year_rows(data)
    months = fiscal_months(data.fiscal_year)
    return Summary(
        total=len(rows),
        by_kind={k: sum(r["kind"] == k for r in rows) for k in KINDS_OF_COMPLAINT},
        by_status={s: sum(r["status"] == s for r in rows) for s in STATUSES},
        by_kind_status={
            (k, s): sum(r["kind"] == k and r["status"] == s for r in rows) for k in KINDS_OF_COMPLAINT for s in STATUSES
        },
        by_channel={c: sum(r["channel"] == c for r in rows) for c in CHANNELS},
        by_month=[
            (
                m,
                sum(_month_of(r) == m for r in rows),
                sum(_month_of(r) == m and r["kind"] == CORRUPTION for r in rows),
            )
            for m in months
        ],
        days=[(r["closed"] - r["received"]).days for r in rows if r["status"] in CLOSED and r.get("closed")],
    )


def _month_of(row: Mapping[str, Any]) -> dt.date:
    day: dt.date = row["received"]
    return dt.date(day.year, day.month, 1)


_KIND_COLUMNS = (
    Column("ประเภทเรื่องร้องเรียน", 4.0),
    Column("จำนวนเรื่อง", 2.0, "right"),
    Column(RECEIVED, 2.0, "right"),
    Column(IN_PROGRESS, 2.8, "right"),
    Column(DONE, 2.8, "right"),
    Column(ENDED, 2.4, "right"),
)
_CHANNEL_COLUMNS = (Column("ช่องทางที่รับเรื่อง", 8.0), Column("จำนวนเรื่อง", 4.0, "right"), Column("ร้อยละ", 4.0, "right"))
_MONTH_COLUMNS = (
    Column("เดือน", 6.0),
    Column("เรื่องร้องเรียนทั้งหมด", 5.0, "right"),
    Column("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ", 5.0, "right"),
)


def _opening(s: Summary, agency: str, year: str, d: Digits) -> list[Block]:
    corruption = s.by_kind[CORRUPTION]
    if not s.total:
        return [
            Para(f"ในปีงบประมาณ พ.ศ. {year} {agency} ไม่มีเรื่องร้องเรียนทั้งเรื่องร้องเรียนการทุจริตและประพฤติมิชอบและเรื่องร้องเรียนทั่วไป")
        ]
    done = s.by_status[DONE] + s.by_status[ENDED]
    pending = s.by_status[RECEIVED] + s.by_status[IN_PROGRESS]
    first = (
        f"ในปีงบประมาณ พ.ศ. {year} {agency} ได้รับเรื่องร้องเรียนทั้งหมด {count(s.total, d)} เรื่อง "
        + (
            f"เป็นเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ {count(corruption, d)} เรื่อง "
            if corruption
            else "ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ "
        )
        + f"และเรื่องร้องเรียนทั่วไป {count(s.by_kind['เรื่องร้องเรียนทั่วไป'], d)} เรื่อง "
        f"ดำเนินการแล้วเสร็จหรือยุติเรื่องแล้ว {count(done, d)} เรื่อง "
        f"และอยู่ระหว่างดำเนินการ {count(pending, d)} เรื่อง"
    )
    paras: list[Block] = [Para(first)]
    if corruption:
        c_done = s.by_kind_status[(CORRUPTION, DONE)] + s.by_kind_status[(CORRUPTION, ENDED)]
        paras.append(
            Para(
                f"สำหรับเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ {count(corruption, d)} เรื่อง "
                f"ดำเนินการแล้วเสร็จหรือยุติเรื่องแล้ว {count(c_done, d)} เรื่อง "
                f"และอยู่ระหว่างดำเนินการ {count(corruption - c_done, d)} เรื่อง"
            )
        )
    return paras


def _days_para(s: Summary, d: Digits) -> Para:
    if not s.days:
        return Para("ยังไม่มีเรื่องร้องเรียนที่ดำเนินการแล้วเสร็จ จึงยังไม่อาจคำนวณระยะเวลาการดำเนินการได้")
    return Para(
        f"เรื่องร้องเรียนที่ดำเนินการแล้วเสร็จหรือยุติเรื่องแล้ว {count(len(s.days), d)} เรื่อง "
        f"ใช้เวลาดำเนินการเฉลี่ย {d(str(s.mean_days))} วัน นับจากวันที่รับเรื่องถึงวันที่แล้วเสร็จ "
        f"และใช้เวลานานที่สุด {count(max(s.days), d)} วัน"
    )


def _tables(s: Summary, d: Digits) -> list[Block]:
    kinds = tuple(
        (k, count(s.by_kind[k], d), *(count(s.by_kind_status[(k, st)], d) for st in STATUSES))
        for k in KINDS_OF_COMPLAINT
    )
    channels = tuple((c, count(n, d), percent(n, s.total, d)) for c, n in s.by_channel.items())
    months = tuple((month_name(m), count(n, d), count(c, d)) for m, n, c in s.by_month)
    png = month_chart(
        [month_name(m, short=True) for m, _, _ in s.by_month],
        [n for _, n, _ in s.by_month],
        ylabel="จำนวนเรื่อง",
        value_text=[count(n, d) if n else "" for _, n, _ in s.by_month],
    )
    described = " ".join(f"{month_name(m, short=True)} {count(n, d)} เรื่อง" for m, n, _ in s.by_month if n)
    return [
        Heading(f"{d('1')}. จำนวนเรื่องร้องเรียนจำแนกตามประเภทและสถานะการดำเนินการ"),
        Table(
            _KIND_COLUMNS,
            kinds,
            total=("รวม", count(s.total, d), *(count(s.by_status[st], d) for st in STATUSES)),
            caption=f"ตารางที่ {d('1')} จำนวนเรื่องร้องเรียนจำแนกตามประเภทและสถานะ (เรื่อง)",
        ),
        Heading(f"{d('2')}. จำนวนเรื่องร้องเรียนจำแนกตามช่องทางที่รับเรื่อง"),
        Table(
            _CHANNEL_COLUMNS,
            channels,
            total=("รวม", count(s.total, d), d("100.00")),
            caption=f"ตารางที่ {d('2')} จำนวนเรื่องร้องเรียนจำแนกตามช่องทาง",
        ),
        Heading(f"{d('3')}. จำนวนเรื่องร้องเรียนรายเดือน"),
        Table(
            _MONTH_COLUMNS,
            months,
            total=("รวม", count(s.total, d), count(s.by_kind[CORRUPTION], d)),
            caption=f"ตารางที่ {d('3')} จำนวนเรื่องร้องเรียนรายเดือน (เรื่อง)",
        ),
        Image(png, 15.5, f"แผนภูมิแท่งแสดงจำนวนเรื่องร้องเรียนรายเดือน: {described or 'ไม่มีเรื่องร้องเรียน'}"),
        Heading(f"{d('4')}. ระยะเวลาการดำเนินการ"),
        _days_para(s, d),
    ]


def compose_stats(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    check_rows(data)
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    s = summarize(data)
    blocks: list[Block] = [*_opening(s, data.agency_name, year, d)]
    if s.total:
        blocks += _tables(s, d)
    blocks += [Para(f"หมายเหตุ: {PRIVACY}", indent=False)]
    blocks += signature(data, options, role="ผู้รายงาน")
    return OfficialDoc(
        title=answered_item_title(STATS.code, data.fiscal_year, STATS_TITLE),
        subtitle=(f"ประจำปีงบประมาณ พ.ศ. {year}", data.agency_name),
        blocks=tuple(blocks),
        draft=not data.reviewed,
        thai_digits=options.thai_digits,
        terms=TERMS,
    )


STATS = register_kind(
    Kind(
        code="complaint_stats",
        title_th=STATS_TITLE,
        dataset=COMPLAINTS.code,
        compose=compose_stats,
        period="previous_year",
    )
)
