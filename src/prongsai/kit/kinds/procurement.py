"""Procurement: the agency's list of what it bought or hired in the fiscal year (one row per contract), and
the two documents made from it.

* ``procurement_monthly``: one month's summary in the standard form แบบ สขร. ๑ ("สรุปผลการดำเนินการ
  จัดซื้อจัดจ้างในรอบเดือน … พ.ศ. …"), landscape. The month is ``ComposeOptions.month`` (a calendar month of
  the dataset's fiscal year: 10 is October of the year before); a row belongs to the month of its contract
  date. A month without procurement says so in a whole sentence, as the form is published every month.
* ``procurement_annual``: the annual summary of the previous fiscal year: counts and money by method and by
  month (a table and a chart), what was saved against the reference prices, and an analysis, problems and
  suggestions drafted from those numbers (the agency's own problems and suggestions are added to them).

Agencies keep this list in Excel in the form's own columns, so :func:`form_rows` reads a table with the
form's headings too: it finds the heading row under the form's title lines, and splits the two cells the
form combines (the winner and the agreed price; the contract number and its date).

Money is Decimal throughout, printed with 2 decimals and thousands separators (prongsai.kit.tally).
"""

from __future__ import annotations

import datetime as dt
import re
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
    baht,
    count,
    digits_of,
    fiscal_months,
    in_year,
    month_chart,
    month_long,
    month_name,
    percent,
    signature,
)
from prongsai.kit.validate import MONTHS_TH, TABLE_READERS, parse_dataset
from prongsai.report import thai_list
from prongsai.thai import BE_OFFSET, thai_date, to_arabic_digits

__all__ = [
    "ANNUAL",
    "METHODS",
    "MONTHLY",
    "PROCUREMENT",
    "MethodTotal",
    "by_method",
    "compose_annual",
    "compose_monthly",
    "form_rows",
    "method_of",
    "month_rows",
    "read_table",
]

# The methods of พ.ร.บ.การจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐ (มาตรา ๕๕), the general invitation
# in its three ways (กฎกระทรวงและระเบียบกระทรวงการคลัง พ.ศ. ๒๕๖๐), in the order tables list them.
EBIDDING = "วิธีประกาศเชิญชวนทั่วไป (e-bidding)"
EMARKET = "วิธีประกาศเชิญชวนทั่วไป (e-market)"
QUOTATION = "วิธีประกาศเชิญชวนทั่วไป (สอบราคา)"
SELECTION = "วิธีคัดเลือก"
SPECIFIC = "วิธีเฉพาะเจาะจง"
METHODS = (EBIDDING, EMARKET, QUOTATION, SELECTION, SPECIFIC)

PROCUREMENT = register_dataset(
    Dataset(
        code="procurement",
        title_th="รายการจัดซื้อจัดจ้าง",
        row_name_th="รายการจัดซื้อจัดจ้าง",
        header=(
            *SIGNER_FIELDS,
            Field(
                "problems",
                "ปัญหาและอุปสรรค (เพิ่มเติม)",
                "longtext",
                required=False,
                help_th="ปัญหาที่หน่วยงานพบเอง นอกจากที่ระบบสรุปจากตัวเลข เช่น ผู้ค้าในพื้นที่มีน้อย",
            ),
            Field(
                "suggestions",
                "ข้อเสนอแนะ (เพิ่มเติม)",
                "longtext",
                required=False,
                help_th="ข้อเสนอแนะของหน่วยงานเอง เช่น จัดอบรมเจ้าหน้าที่พัสดุเรื่องระบบ e-GP",
            ),
        ),
        rows=(
            Field("item", "งานที่จัดซื้อหรือจัดจ้าง", help_th="เช่น จัดซื้อวัสดุสำนักงาน ๑๐ รายการ"),
            Field("budget", "วงเงินที่จัดซื้อหรือจ้าง (บาท)", "money", help_th="เช่น 50,000.00"),
            Field(
                "reference_price",
                "ราคากลาง (บาท)",
                "money",
                required=False,
                help_th="ราคากลางตามที่คำนวณไว้ ถ้าไม่มีให้เว้นว่าง",
            ),
            Field("method", "วิธีซื้อหรือจ้าง", "choice", choices=METHODS),
            Field(
                "bidders",
                "รายชื่อผู้เสนอราคาและราคาที่เสนอ",
                "longtext",
                help_th="เช่น ร้านสมใจการค้า ๔๘,๕๐๐.๐๐ บาท",
            ),
            Field("winner", "ผู้ได้รับการคัดเลือก", help_th="เช่น ร้านสมใจการค้า"),
            Field("contract_price", "ราคาที่ตกลงซื้อหรือจ้าง (บาท)", "money", help_th="เช่น 48,500.00"),
            Field("reason", "เหตุผลที่คัดเลือกโดยสรุป", help_th="เช่น ราคาต่ำสุดและคุณสมบัติครบถ้วน"),
            Field("contract_no", "เลขที่สัญญาหรือข้อตกลง", help_th="เช่น ๑๒/๒๕๖๙ หรือใบสั่งซื้อเลขที่ ๕/๒๕๖๙"),
            Field("contract_date", "วันที่ของสัญญาหรือข้อตกลง", "date", help_th="เช่น 15/10/2568"),
        ),
    )
)

FORM_NAMES = ("แบบ สขร. ๑", "แบบ สขร. 1")  # the form's name in Thai and Arabic digits
FORM_TITLE = "สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน"
MONTHLY_TITLE = "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน"  # FY2569 O11
ANNUAL_TITLE = "รายงานสรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุของหน่วยงาน"  # FY2569 O12
TERMS = ("จัดซื้อจัดจ้าง", "เฉพาะเจาะจง", "ประกาศเชิญชวนทั่วไป", "ราคากลาง", "ปีงบประมาณ", *FORM_NAMES)


# ---- the form's own columns (an agency's Excel file) ------------------------------------------------------

# Words of each heading of แบบ สขร. ๑ as agencies type it (งานที่จัดซื้อหรือจัดจ้าง, วงเงินที่จะซื้อหรือจ้าง,
# ราคากลาง …), tried in this order: the first field whose words are all in a heading takes the column.
_FORM_HEADINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sequence", ("ลำดับ",)),
    ("winner_price", ("ได้รับการคัดเลือก", "ราคา")),
    ("contract", ("เลขที่", "วันที่")),
    ("bidders", ("ผู้เสนอราคา",)),
    ("reason", ("เหตุผล",)),
    ("reference_price", ("ราคากลาง",)),
    ("budget", ("วงเงิน",)),
    ("method", ("วิธี",)),
    ("item", ("งาน",)),
    ("item", ("รายการ",)),
    ("winner", ("ได้รับการคัดเลือก",)),
    ("contract_price", ("ราคาที่ตกลง",)),
    ("contract_no", ("เลขที่",)),
    ("contract_date", ("วันที่",)),
)
_NUMBER = r"[0-9][0-9,]*(?:\.[0-9]{1,2})?"
# "ร้านสมใจการค้า ราคา 48,500.00 บาท", "ร้านสมใจการค้า / 48,500": the price is the cell's last number.
_WINNER_PRICE = re.compile(rf"^(?P<who>.*?)[\s/:,-]*(?:ราคา(?:ที่ตกลง)?\s*)?(?P<price>{_NUMBER})\s*(?:บาท)?\s*$", re.S)
_THAI_MONTH = "(?:" + "|".join(re.escape(name) for names in MONTHS_TH for name in names) + ")"
# "สัญญาเลขที่ 12/2569 ลงวันที่ 15 ต.ค. 2568", "ใบสั่งซื้อ 5/2569 ลว. 3/11/2568": the date is at the end.
_CONTRACT = re.compile(
    rf"^(?P<no>.*?)\s*(?:ลงวันที่|ลว\.|วันที่)?\s*(?P<date>\d{{1,2}}\s*[/.-]\s*\d{{1,2}}\s*[/.-]\s*\d{{4}}"
    rf"|\d{{1,2}}\s*{_THAI_MONTH}\s*(?:พ\.ศ\.\s*)?\d{{4}})\s*$",
    re.S,
)


def method_of(text: str) -> str:
    """One of METHODS for the ways agencies write a method (e-bidding, วิธีเฉพาะเจาะจง, เฉพาะเจาะจง (ข) …);
    the text unchanged when it names none, so that the validator refuses it with the list of methods."""
    plain = text.strip().lower()
    for words, method in (
        (("e-bidding", "ebidding", "อิเล็กทรอนิกส์"), EBIDDING),
        (("e-market", "emarket", "ตลาดอิเล็กทรอนิกส์"), EMARKET),
        (("สอบราคา",), QUOTATION),
        (("เฉพาะเจาะจง",), SPECIFIC),
        (("คัดเลือก",), SELECTION),
    ):
        if any(word in plain for word in words):
            return method
    return text.strip()


def _column_field(heading: str) -> str | None:
    words = " ".join(heading.split())
    for name, parts in _FORM_HEADINGS:
        if all(part in words for part in parts):
            return name
    return None


def form_rows(table: Sequence[Sequence[str]], *, source: str = "รายการจัดซื้อจัดจ้าง") -> tuple[int, list[dict[str, str]]]:
    """The rows of a procurement table as field → text, with the sheet's number of the first of them (for
    parse_dataset's ``first_row``), whether the headings are this dataset's own labels or the form's
    (แบบ สขร. ๑, with its title lines above the headings). The form's column numbers (๑) (๒) … under the
    headings and a total row (รวม) after the last are skipped; an empty row between rows is refused, as
    elsewhere, so that every error names the row the person sees. The two cells the form combines are split,
    the method is read with :func:`method_of`, and a date cell that Excel keeps as a date (read as
    2025-10-15 00:00:00) becomes 15/10/2568. Values stay text: the dataset's validator types them."""
    labels = {field.label_th: field.name for field in PROCUREMENT.rows} | {f.name: f.name for f in PROCUREMENT.rows}
    for start, heading in enumerate(table):  # noqa: B007 (start is used after the loop)
        columns = [
            labels.get(" ".join(cell.split())) or _column_field(cell) if cell.strip() else None for cell in heading
        ]
        if len({c for c in columns if c}) >= 4:
            break
    else:
        raise InputError(
            source,
            "ไม่พบแถวหัวตาราง ต้องมีหัวคอลัมน์ตามแบบ สขร. ๑ เช่น งานที่จัดซื้อหรือจัดจ้าง วงเงินที่จัดซื้อหรือจ้าง ราคากลาง วิธีซื้อหรือจ้าง",
        )
    numbered: list[tuple[int, dict[str, str]]] = []
    for number, raw in enumerate(table[start + 1 :], start=start + 2):
        cells = {name: raw[i].strip() for i, name in enumerate(columns) if name and i < len(raw)}
        values = [v for k, v in cells.items() if k != "sequence" and v]
        if not numbered and values and all(_COLUMN_NUMBER.fullmatch(v) for v in values):
            continue  # the form's (1) (2) … row under the headings
        numbered.append((number, _split_form_cells(cells) if values else {}))
    while numbered and (not numbered[-1][1] or _is_total(numbered[-1][1])):
        numbered.pop()
    for number, row in numbered:
        if not row:
            raise InputError(source, "แถวว่างอยู่ระหว่างข้อมูล ให้ลบแถวนี้ออก", row=number)
    return (numbered[0][0] if numbered else start + 2), [row for _, row in numbered]


def read_table(table: list[list[str]], source: str) -> list[dict[str, str]]:
    """The rows of a procurement workbook or CSV (prongsai.kit.validate.rows_from_table's reader for this
    dataset), checked here so that an error names the row the sheet shows under its title lines."""
    first, rows = form_rows(table, source=source)
    # The fiscal year and agency do not change how a row is checked; the caller's parse gives the real ones.
    parse_dataset(PROCUREMENT.code, {"rows": rows}, fiscal_year=2600, agency_name="-", source=source, first_row=first)
    return rows


TABLE_READERS[PROCUREMENT.code] = read_table

_COLUMN_NUMBER = re.compile(r"\(?[0-9๐-๙]+\)?")
_EXCEL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?")


def _is_total(row: Mapping[str, str]) -> bool:
    return any(str(v).startswith("รวม") for v in row.values()) and not row.get("contract_date")


def _excel_date(text: str) -> str:
    match = _EXCEL_DATE.fullmatch(text)
    if match is None or int(match.group(1)) >= 2400:
        return text  # a B.E. ISO date is refused by the validator with the way to type it
    year, month, day = (int(g) for g in match.groups())
    return f"{day}/{month}/{year + BE_OFFSET}"


def _split_form_cells(cells: dict[str, str]) -> dict[str, str]:
    row = {k: v for k, v in cells.items() if k not in ("sequence", "winner_price", "contract")}
    if "winner_price" in cells:
        match = _WINNER_PRICE.match(to_arabic_digits(cells["winner_price"]))
        if match and match.group("who").strip():
            row.setdefault("winner", match.group("who").strip())
            row.setdefault("contract_price", match.group("price"))
        else:
            row.setdefault("winner", cells["winner_price"])
    if "contract" in cells:
        match = _CONTRACT.match(to_arabic_digits(cells["contract"]))
        if match:
            row.setdefault("contract_no", match.group("no").strip())
            row.setdefault("contract_date", match.group("date"))
        else:
            row.setdefault("contract_no", cells["contract"])
    if "method" in row:
        row["method"] = method_of(row["method"])
    if "contract_date" in row:
        row["contract_date"] = _excel_date(row["contract_date"])
    return row


# ---- numbers ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodTotal:
    method: str
    count: int
    budget: Decimal
    contract: Decimal


def _money(row: Mapping[str, Any], name: str) -> Decimal:
    value = row.get(name)
    return value if isinstance(value, Decimal) else Decimal(0)


def year_rows(data: DatasetData) -> list[Mapping[str, Any]]:
    """The rows whose contract is dated in the dataset's fiscal year, by date (a row of another year is not
    this year's procurement, whatever file it came in)."""
    rows = [
        r
        for r in data.rows
        if isinstance(r.get("contract_date"), dt.date) and in_year(r["contract_date"], data.fiscal_year)
    ]
    return sorted(rows, key=lambda r: r["contract_date"])


def month_rows(data: DatasetData, month: int) -> list[Mapping[str, Any]]:
    """The rows of one calendar month (1..12) of the fiscal year, by contract date."""
    return [r for r in year_rows(data) if r["contract_date"].month == month]


def by_method(rows: Sequence[Mapping[str, Any]]) -> list[MethodTotal]:
    """Every method used, in METHODS order."""
    totals = []
    for method in METHODS:
        chosen = [r for r in rows if r.get("method") == method]
        if chosen:
            totals.append(
                MethodTotal(
                    method,
                    len(chosen),
                    sum((_money(r, "budget") for r in chosen), Decimal(0)),
                    sum((_money(r, "contract_price") for r in chosen), Decimal(0)),
                )
            )
    return totals


# ---- the monthly form -------------------------------------------------------------------------------------

_FORM_COLUMNS = (
    Column("ลำดับที่", 1.2, "center"),
    Column("งานที่จัดซื้อหรือจัดจ้าง", 3.4),
    Column("วงเงินที่จัดซื้อหรือจ้าง (บาท)", 3.2, "right"),  # ๑,๙๕๐,๐๐๐.๐๐ on one line
    Column("ราคากลาง (บาท)", 3.2, "right"),
    Column("วิธีซื้อหรือจ้าง", 2.6),
    Column("รายชื่อผู้เสนอราคาและราคาที่เสนอ", 3.3),
    Column("ผู้ได้รับการคัดเลือกและราคาที่ตกลงซื้อหรือจ้าง", 3.0),
    Column("เหตุผลที่คัดเลือกโดยสรุป", 2.3),
    Column("เลขที่และวันที่ของสัญญาหรือข้อตกลงในการซื้อหรือจ้าง", 2.5),
)


def _form_row(number: int, row: Mapping[str, Any], d: Digits, thai: bool) -> tuple[str, ...]:
    reference = row.get("reference_price")
    return (
        d(str(number)),
        d(str(row["item"])),
        baht(row["budget"], d),
        baht(reference, d) if isinstance(reference, Decimal) else "-",
        str(row["method"]),
        d(str(row["bidders"])),
        f"{d(str(row['winner']))}\nราคา {baht(row['contract_price'], d)} บาท",
        d(str(row["reason"])),
        f"{d(str(row['contract_no']))}\nลงวันที่ {thai_date(row['contract_date'], thai_digits=thai, style='short')}",
    )


def _fiscal_month(fiscal_year: int, month: int) -> dt.date:
    return next(m for m in fiscal_months(fiscal_year) if m.month == month)


def _chosen_month(data: DatasetData, options: ComposeOptions) -> int:
    """The month asked for; else the month of the last contract of the year; else October."""
    if options.month is not None:
        if not 1 <= options.month <= 12:
            raise ValueError(f"เดือนต้องเป็นเลข 1 ถึง 12 (ระบุไว้ {options.month})")
        return options.month
    rows = year_rows(data)
    return rows[-1]["contract_date"].month if rows else 10


def compose_monthly(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    month = _fiscal_month(data.fiscal_year, _chosen_month(data, options))
    when = month_long(month, d)
    form = FORM_NAMES[0] if options.thai_digits else FORM_NAMES[1]
    rows = month_rows(data, month.month)
    agency = data.agency_name
    blocks: list[Block] = []
    if not rows:
        blocks.append(Para(f"ในรอบเดือน{when} {agency} ไม่มีการจัดซื้อจัดจ้าง จึงไม่มีรายการที่ต้องสรุปผลตาม{form}ในเดือนนี้"))
    else:
        budget = sum((_money(r, "budget") for r in rows), Decimal(0))
        agreed = sum((_money(r, "contract_price") for r in rows), Decimal(0))
        blocks.append(
            Para(
                f"ในรอบเดือน{when} {agency} ดำเนินการจัดซื้อจัดจ้าง จำนวน {count(len(rows), d)} รายการ "
                f"วงเงินรวม {baht(budget, d)} บาท ราคาที่ตกลงซื้อหรือจ้างรวม {baht(agreed, d)} บาท "
                "รายละเอียดตามตารางต่อไปนี้"
            )
        )
        blocks.append(
            Table(
                _FORM_COLUMNS,
                tuple(_form_row(i, r, d, options.thai_digits) for i, r in enumerate(rows, 1)),
                total=(
                    "",
                    f"รวม {count(len(rows), d)} รายการ",
                    baht(budget, d),
                    baht(sum((_money(r, "reference_price") for r in rows), Decimal(0)), d),
                    "",
                    "",
                    baht(agreed, d),
                    "",
                    "",
                ),
            )
        )
    blocks += signature(data, options, role="ผู้รายงาน")
    return OfficialDoc(
        title=answered_item_title(MONTHLY.code, data.fiscal_year, MONTHLY_TITLE),
        subtitle=(
            f"{form} {FORM_TITLE}{when}",
            agency,
            f"ปีงบประมาณ พ.ศ. {d(str(data.fiscal_year))}",
        ),
        blocks=tuple(blocks),
        landscape=True,
        draft=not data.reviewed,
        thai_digits=options.thai_digits,
        terms=TERMS,
    )


# ---- the annual summary -----------------------------------------------------------------------------------

_METHOD_COLUMNS = (
    Column("วิธีการจัดซื้อจัดจ้าง", 4.0),
    Column("จำนวน (รายการ)", 1.8, "right"),
    Column("ร้อยละของจำนวน", 1.8, "right"),
    Column("วงเงิน (บาท)", 3.0, "right"),
    Column("ราคาที่ตกลงซื้อหรือจ้าง (บาท)", 3.3, "right"),
    Column("ร้อยละของมูลค่า", 2.1, "right"),
)
_MONTH_COLUMNS = (
    Column("เดือน", 4.4),
    Column("จำนวน (รายการ)", 2.2, "right"),
    Column("วงเงิน (บาท)", 4.7, "right"),
    Column("ราคาที่ตกลงซื้อหรือจ้าง (บาท)", 4.7, "right"),
)


def _method_table(rows: Sequence[Mapping[str, Any]], d: Digits) -> Table:
    totals = by_method(rows)
    agreed = sum((t.contract for t in totals), Decimal(0))
    return Table(
        _METHOD_COLUMNS,
        tuple(
            (
                t.method,
                count(t.count, d),
                percent(t.count, len(rows), d),
                baht(t.budget, d),
                baht(t.contract, d),
                percent(t.contract, agreed, d),
            )
            for t in totals
        ),
        total=(
            "รวม",
            count(len(rows), d),
            d("100.00"),
            baht(sum((t.budget for t in totals), Decimal(0)), d),
            baht(agreed, d),
            d("100.00"),
        ),
        caption=f"ตารางที่ {d('1')} ผลการจัดซื้อจัดจ้างจำแนกตามวิธีการจัดซื้อจัดจ้าง",
    )


def _per_month(data: DatasetData, rows: Sequence[Mapping[str, Any]]) -> list[tuple[dt.date, list[Mapping[str, Any]]]]:
    return [(m, [r for r in rows if r["contract_date"].month == m.month]) for m in fiscal_months(data.fiscal_year)]


def _month_blocks(data: DatasetData, rows: Sequence[Mapping[str, Any]], d: Digits) -> list[Block]:
    months = _per_month(data, rows)
    table = Table(
        _MONTH_COLUMNS,
        tuple(
            (
                month_name(m),
                count(len(chosen), d),
                baht(sum((_money(r, "budget") for r in chosen), Decimal(0)), d),
                baht(sum((_money(r, "contract_price") for r in chosen), Decimal(0)), d),
            )
            for m, chosen in months
        ),
        total=(
            "รวม",
            count(len(rows), d),
            baht(sum((_money(r, "budget") for r in rows), Decimal(0)), d),
            baht(sum((_money(r, "contract_price") for r in rows), Decimal(0)), d),
        ),
        caption=f"ตารางที่ {d('2')} ผลการจัดซื้อจัดจ้างรายเดือน",
    )
    agreed = [sum((_money(r, "contract_price") for r in chosen), Decimal(0)) for _, chosen in months]
    thousands = [a / 1000 for a in agreed]
    png = month_chart(
        [month_name(m, short=True) for m, _ in months],
        [float(v) for v in thousands],
        ylabel="พันบาท",
        value_text=[d(f"{v:,.1f}") if v else "" for v in thousands],
    )
    described = " ".join(
        f"{month_name(m, short=True)} {baht(a, d)} บาท" for (m, _), a in zip(months, agreed, strict=True) if a
    )
    return [
        table,
        Image(png, 15.5, f"แผนภูมิแท่งแสดงมูลค่าการจัดซื้อจัดจ้างรายเดือน (ราคาที่ตกลงซื้อหรือจ้าง): {described}"),
    ]


@dataclass(frozen=True)
class _Savings:
    rows: int
    reference: Decimal
    agreed: Decimal
    above: int  # rows agreed above their reference price

    @property
    def saved(self) -> Decimal:
        return self.reference - self.agreed


def _savings(rows: Sequence[Mapping[str, Any]]) -> _Savings:
    priced = [r for r in rows if isinstance(r.get("reference_price"), Decimal)]
    return _Savings(
        len(priced),
        sum((r["reference_price"] for r in priced), Decimal(0)),
        sum((_money(r, "contract_price") for r in priced), Decimal(0)),
        sum(_money(r, "contract_price") > r["reference_price"] for r in priced),
    )


def _savings_para(s: _Savings, total: int, d: Digits) -> Para:
    if not s.rows:
        return Para("รายการจัดซื้อจัดจ้างของปีนี้ไม่ได้ระบุราคากลางไว้ จึงไม่อาจเปรียบเทียบราคาที่ตกลงซื้อหรือจ้างกับราคากลางได้")
    text = (
        f"รายการที่ระบุราคากลาง จำนวน {count(s.rows, d)} รายการ จากทั้งหมด {count(total, d)} รายการ "
        f"มีราคากลางรวม {baht(s.reference, d)} บาท และราคาที่ตกลงซื้อหรือจ้างรวม {baht(s.agreed, d)} บาท "
    )
    if s.saved > 0:
        text += f"ประหยัดงบประมาณได้ {baht(s.saved, d)} บาท คิดเป็นร้อยละ {percent(s.saved, s.reference, d)} ของราคากลาง"
    elif s.saved == 0:
        text += "ราคาที่ตกลงเท่ากับราคากลาง"
    else:
        text += f"สูงกว่าราคากลางรวม {baht(-s.saved, d)} บาท"
    if s.above:
        text += f" โดยมี {count(s.above, d)} รายการที่ตกลงซื้อหรือจ้างสูงกว่าราคากลาง"
    return Para(text)


@dataclass(frozen=True)
class _Drafted:
    analysis: list[str]
    problems: list[str]
    suggestions: list[str]


def _draft(data: DatasetData, rows: Sequence[Mapping[str, Any]], d: Digits) -> _Drafted:
    """The analysis, problems and suggestions that the numbers support, each a whole sentence."""
    totals = by_method(rows)
    agreed = sum((t.contract for t in totals), Decimal(0))
    analysis, problems, suggestions = [], [], []
    most = max(totals, key=lambda t: (t.count, t.contract))
    analysis.append(
        f"การจัดซื้อจัดจ้างส่วนใหญ่ใช้{most.method} จำนวน {count(most.count, d)} รายการ "
        f"คิดเป็นร้อยละ {percent(most.count, len(rows), d)} ของจำนวนรายการทั้งหมด "
        f"และคิดเป็นร้อยละ {percent(most.contract, agreed, d)} ของมูลค่าที่ตกลงซื้อหรือจ้างทั้งหมด"
    )
    largest = max(totals, key=lambda t: t.contract)
    if largest.method != most.method:
        analysis.append(
            f"ส่วน{largest.method}มีมูลค่ามากที่สุด คือ {baht(largest.contract, d)} บาท "
            f"คิดเป็นร้อยละ {percent(largest.contract, agreed, d)} ของมูลค่าทั้งหมด จากจำนวน {count(largest.count, d)} รายการ"
        )
    months = _per_month(data, rows)
    values = [(m, sum((_money(r, "contract_price") for r in chosen), Decimal(0))) for m, chosen in months]
    busiest, busiest_value = max(values, key=lambda mv: mv[1])
    analysis.append(f"เดือนที่มีมูลค่าการจัดซื้อจัดจ้างสูงสุด คือ เดือน{month_name(busiest)} มูลค่า {baht(busiest_value, d)} บาท")
    idle = [m for m, chosen in months if not chosen]
    if idle:
        analysis.append(f"เดือนที่ไม่มีการจัดซื้อจัดจ้าง มีจำนวน {count(len(idle), d)} เดือน")
    last_quarter = sum((v for m, v in values[9:]), Decimal(0))
    if agreed and last_quarter * 100 / agreed > 40:
        problems.append(
            f"การจัดซื้อจัดจ้างกระจุกตัวในไตรมาสที่ {d('4')} (กรกฎาคม ถึง กันยายน) "
            f"คิดเป็นร้อยละ {percent(last_quarter, agreed, d)} ของมูลค่าทั้งหมด "
            "ทำให้มีเวลาจัดทำและตรวจรับพัสดุน้อยและเสี่ยงต่อการเบิกจ่ายไม่ทันปีงบประมาณ"
        )
        suggestions.append(
            "ควรเร่งจัดทำและประกาศแผนการจัดซื้อจัดจ้างตั้งแต่ต้นปีงบประมาณ "
            f"และเริ่มกระบวนการจัดซื้อจัดจ้างรายการสำคัญภายในไตรมาสที่ {d('1')} และไตรมาสที่ {d('2')}"
        )
    specific = next((t for t in totals if t.method == SPECIFIC), None)
    if specific and specific.count * 100 > 60 * len(rows):
        problems.append(
            f"{SPECIFIC}มีสัดส่วนสูงถึงร้อยละ {percent(specific.count, len(rows), d)} ของจำนวนรายการ "
            "ซึ่งเป็นวิธีที่มีการแข่งขันด้านราคาน้อย"
        )
        suggestions.append(
            "ควรรวบรวมความต้องการพัสดุประเภทเดียวกันไว้ในแผนการจัดซื้อจัดจ้างประจำปี "
            "เพื่อลดการจัดซื้อจัดจ้างวงเงินเล็กหลายครั้ง และใช้วิธีที่เปิดให้มีการแข่งขันเมื่อเป็นไปได้"
        )
    savings = _savings(rows)
    if savings.above:
        problems.append(f"มีรายการที่ตกลงซื้อหรือจ้างสูงกว่าราคากลาง จำนวน {count(savings.above, d)} รายการ")
        suggestions.append("ควรทบทวนการกำหนดราคากลางให้สอดคล้องกับราคาตลาดก่อนเริ่มกระบวนการจัดซื้อจัดจ้าง")
    missing_reference = len(rows) - savings.rows
    if missing_reference:
        problems.append(f"มีรายการที่ไม่ได้ระบุราคากลาง จำนวน {count(missing_reference, d)} รายการ")
        suggestions.append("ควรกำหนดและบันทึกราคากลางของทุกรายการ เพื่อให้ตรวจสอบความคุ้มค่าได้")
    problems += _own_lines(data.header.get("problems"))
    suggestions += _own_lines(data.header.get("suggestions"))
    if not problems:
        problems.append("จากข้อมูลการจัดซื้อจัดจ้างของปีงบประมาณนี้ ไม่พบปัญหาหรืออุปสรรคที่มีนัยสำคัญ")
    if not suggestions:
        suggestions.append(
            "ควรจัดทำแผนการจัดซื้อจัดจ้างและเผยแพร่สรุปผลการจัดซื้อจัดจ้างรายเดือนอย่างต่อเนื่อง "
            "เพื่อให้การจัดซื้อจัดจ้างเป็นไปอย่างโปร่งใสและตรวจสอบได้"
        )
    return _Drafted(analysis, problems, suggestions)


def _own_lines(text: object) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _numbered(lines: Sequence[str], d: Digits) -> list[Block]:
    return [Para(f"{d(str(i))}. {line}") for i, line in enumerate(lines, 1)]


def compose_annual(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    rows = year_rows(data)
    agency = data.agency_name
    blocks: list[Block] = [
        Heading(f"{d('1')}. ความเป็นมา"),
        Para(
            "พระราชบัญญัติการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. "
            f"{d('2560')} กำหนดให้หน่วยงานของรัฐเปิดเผยผลการจัดซื้อจัดจ้างต่อสาธารณะ "
            f"{agency} จึงสรุปผลการจัดซื้อจัดจ้างประจำปีงบประมาณ พ.ศ. {year} "
            "(เดือนตุลาคมถึงเดือนกันยายน) "
            "และวิเคราะห์ผล ปัญหา อุปสรรค และข้อเสนอแนะ เพื่อใช้ปรับปรุงการจัดซื้อจัดจ้างในปีต่อไป"
        ),
    ]
    if not rows:
        blocks.append(Para(f"ในปีงบประมาณ พ.ศ. {year} {agency} ไม่มีการจัดซื้อจัดจ้าง"))
    else:
        totals = by_method(rows)
        agreed = sum((t.contract for t in totals), Decimal(0))
        budget = sum((t.budget for t in totals), Decimal(0))
        drafted = _draft(data, rows, d)
        used = thai_list([f"{t.method} {count(t.count, d)} รายการ" for t in totals])
        blocks += [
            Heading(f"{d('2')}. ผลการจัดซื้อจัดจ้างจำแนกตามวิธีการจัดซื้อจัดจ้าง"),
            Para(
                f"ในปีงบประมาณ พ.ศ. {year} {agency} ดำเนินการจัดซื้อจัดจ้าง จำนวน {count(len(rows), d)} รายการ "
                f"วงเงินรวม {baht(budget, d)} บาท ราคาที่ตกลงซื้อหรือจ้างรวม {baht(agreed, d)} บาท "
                f"จำแนกเป็น{used}"
            ),
            _method_table(rows, d),
            Heading(f"{d('3')}. ผลการจัดซื้อจัดจ้างรายเดือน"),
            *_month_blocks(data, rows, d),
            Heading(f"{d('4')}. ราคากลางและการประหยัดงบประมาณ"),
            _savings_para(_savings(rows), len(rows), d),
            Heading(f"{d('5')}. การวิเคราะห์ผลการจัดซื้อจัดจ้าง"),
            *_numbered(drafted.analysis, d),
            Heading(f"{d('6')}. ปัญหาและอุปสรรค"),
            *_numbered(drafted.problems, d),
            Heading(f"{d('7')}. ข้อเสนอแนะ"),
            *_numbered(drafted.suggestions, d),
        ]
    blocks += signature(data, options, role="ผู้รายงาน")
    return OfficialDoc(
        title=answered_item_title(ANNUAL.code, data.fiscal_year, ANNUAL_TITLE),
        subtitle=(f"ประจำปีงบประมาณ พ.ศ. {year}", agency),
        blocks=tuple(blocks),
        draft=not data.reviewed,
        thai_digits=options.thai_digits,
        terms=TERMS,
    )


MONTHLY = register_kind(
    Kind(
        code="procurement_monthly",
        title_th=MONTHLY_TITLE,
        dataset=PROCUREMENT.code,
        compose=compose_monthly,
        period="month",
    )
)
ANNUAL = register_kind(
    Kind(
        code="procurement_annual",
        title_th=ANNUAL_TITLE,
        dataset=PROCUREMENT.code,
        compose=compose_annual,
        period="previous_year",
    )
)
