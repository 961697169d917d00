"""Counting and money for the kit's statistics documents (procurement, complaints, services): the fiscal
year's months, baht and counts as an official writes them, the item's own title for its year, and a bar
chart of a year by month.

One rule in one place: money is Decimal and printed with 2 decimals (half up) and thousands separators; a
count has thousands separators; both in Thai digits unless the user turns them off.

Pure core: no Django.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pythainlp.util import thai_strftime

from prongsai.documents.chart import ABOVE, _font_family
from prongsai.errors import FrameworkError
from prongsai.frameworks import get_framework
from prongsai.kit.base import Block, ComposeOptions, DatasetData, Field, Signature
from prongsai.numbers import round_decimal
from prongsai.thai import BE_OFFSET, fiscal_period, thai_date, to_thai_digits

__all__ = [
    "SIGNER_FIELDS",
    "Digits",
    "answered_item_title",
    "as_month",
    "baht",
    "count",
    "digits_of",
    "fiscal_months",
    "in_year",
    "item_title",
    "month_chart",
    "month_long",
    "month_name",
    "percent",
    "signature",
]

Digits = Callable[[str], str]
# Who signs a statistics document as its reporter (optional: unsigned, the document has no empty name line).
SIGNER_FIELDS = (
    Field("signer_name", "ผู้รายงาน (ชื่อ-สกุล)", required=False, help_th="เช่น นางสาวสมใจ ใจดี"),
    Field("signer_position", "ตำแหน่งผู้รายงาน", required=False, help_th="เช่น หัวหน้าสำนักปลัด"),
)


def digits_of(thai_digits: bool) -> Digits:
    return to_thai_digits if thai_digits else (lambda text: text)


def baht(value: Decimal, d: Digits) -> str:
    """12,345.50: two decimals rounded half up, thousands separated (the form's own way of writing baht)."""
    return d(f"{round_decimal(value):,.2f}")


def count(value: int, d: Digits) -> str:
    return d(f"{value:,}")


def percent(part: Decimal | int, whole: Decimal | int, d: Digits) -> str:
    """The share as a percentage with 2 decimals (half up); 0.00 of nothing."""
    if not whole:
        return d("0.00")
    share = Decimal(part) * 100 / Decimal(whole)
    return d(f"{round_decimal(share):,.2f}")


def fiscal_months(fiscal_year: int) -> list[dt.date]:
    """The first day of each month of the fiscal year, October first."""
    start, _ = fiscal_period(fiscal_year)
    return [dt.date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1) for i in range(12)]


def in_year(day: dt.date, fiscal_year: int) -> bool:
    start, end = fiscal_period(fiscal_year)
    return start <= day <= end


def as_month(value: object) -> dt.date:
    """A month field's value as the month's first day: a date (any day of it), or ``2568-10`` (B.E.)."""
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, 1)
    if isinstance(value, tuple) and len(value) == 2:
        year, month = (int(part) for part in value)
    else:
        year_text, _, month_text = str(value).partition("-")
        year, month = int(year_text), int(month_text)
    return dt.date(year - BE_OFFSET if year > 2400 else year, month, 1)


def month_long(month: dt.date, d: Digits) -> str:
    """ตุลาคม พ.ศ. ๒๕๖๘"""
    return f"{thai_strftime(dt.datetime(month.year, month.month, 1), '%B')} พ.ศ. {d(str(month.year + BE_OFFSET))}"


def month_name(month: dt.date, *, short: bool = False) -> str:
    """ตุลาคม (or ต.ค.) without its year: a table or chart of one fiscal year names its months alone, since
    the year is in the title and a calendar year printed beside October (๒๕๖๗ in FY2568's table) reads as
    another year to a reviewer and to the checker."""
    return str(thai_strftime(dt.datetime(month.year, month.month, 1), "%b" if short else "%B"))


def item_title(kind_code: str, year: int, fallback: str) -> str:
    """The title of the OIT item that publishes ``kind_code`` in the framework of ``year`` (reviewers and the
    checker look for the item's own words), else ``fallback`` (the title of the latest year that has one)."""
    try:
        framework = get_framework(year)
    except FrameworkError:
        return fallback
    for item in framework.items:
        if str(item.document or "") == kind_code:
            return item.title_th
    return fallback


def answered_item_title(kind_code: str, data_year: int, fallback: str) -> str:
    """The title of the OIT item that a document made from the dataset of ``data_year`` answers, by the item's
    own coverage (prongsai.kit.answered_item), else ``fallback``."""
    from prongsai.kit import answered_item

    answered = answered_item(kind_code, data_year)
    return answered[1].title_th if answered is not None else fallback


def month_chart(
    labels: Sequence[str], values: Iterable[float], *, ylabel: str, value_text: Sequence[str], dpi: int = 200
) -> bytes:
    """A column chart of a year by month (or any short labels), each column with its value written above it."""
    family = _font_family()
    heights = list(values)
    figure = Figure(figsize=(7.0, 2.7), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.bar(range(len(heights)), heights, color=ABOVE, width=0.62)
    top = max(heights, default=0) or 1
    for bar, text in zip(bars, value_text, strict=True):
        axes.text(
            bar.get_x() + bar.get_width() / 2,
            bar.get_height() + top * 0.02,
            text,
            ha="center",
            va="bottom",
            fontsize=7.5,
            family=family,
        )
    axes.set_ylim(0, top * 1.18)
    axes.set_xticks(range(len(labels)), list(labels), fontsize=8, family=family)
    axes.set_yticks([])
    axes.set_ylabel(ylabel, fontsize=8.5, family=family)
    axes.spines[["top", "right", "left"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def signature(data: DatasetData, options: ComposeOptions, *, role: str) -> list[Block]:
    """The signer's block when the dataset names one (header ``signer_name``, ``signer_position``), else none:
    a document is published unsigned rather than with an empty name line."""
    name = str(data.header.get("signer_name") or "").strip()
    if not name:
        return []
    position = str(data.header.get("signer_position") or "").strip() or role
    when = thai_date(options.on, thai_digits=options.thai_digits) if options.on else ""
    return [Signature(name, position, when)]
