"""The document kit's building blocks: what an agency keeps (a *dataset*), what it publishes from it (a
*kind*), and the typeset-neutral shape of an official document (blocks) that prongsai.kit.docx renders.

A dataset is the agency's own record for one fiscal year: a few header fields (who signs, the policy's
wording) and rows (risks, projects, procurements, complaints…), each row a mapping of field name → value.
The same mapping is the CLI's file (YAML, or rows from CSV/XLSX) and what the web app stores, so one
validator (:func:`parse_dataset`) serves both and names the row, the field and the fix in Thai.

A kind is one document made from a dataset: the risk assessment and the risk report both come from the
risk register. Which OIT item a kind answers is framework data (``document:`` on an item, per year).

Pure core: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "Block",
    "Column",
    "ComposeOptions",
    "Dataset",
    "DatasetData",
    "Field",
    "FieldType",
    "Heading",
    "Image",
    "Kind",
    "OfficialDoc",
    "Para",
    "Signature",
    "Table",
]

# text: one line; longtext: paragraphs; date: a B.E. date (input as 1/10/2569 or 1 ต.ค. 2569, Thai digits too);
# month: a fiscal month (ต.ค. 2569 or 2569-10); int: a whole number; money: baht with up to 2 decimals;
# score: 1..5 (likelihood, impact); choice: one of ``choices``; updates: a list of dated progress updates
# ({date, progress 0..100, text, spent}) — nested in YAML, one row per update in the web.
FieldType = Literal["text", "longtext", "date", "month", "int", "money", "score", "choice", "updates"]


@dataclass(frozen=True)
class Field:
    name: str  # the key in files and JSON (English, snake_case: never shown to a person)
    label_th: str  # the column heading and form label
    type: FieldType = "text"
    required: bool = True
    choices: tuple[str, ...] = ()  # Thai values for type "choice"
    help_th: str = ""  # one line shown under the input: what to write, with an example


@dataclass(frozen=True)
class Dataset:
    """What an agency keeps for a year, from which one or more kinds are made."""

    code: str
    title_th: str
    header: tuple[Field, ...] = ()
    rows: tuple[Field, ...] = ()
    row_name_th: str = "รายการ"  # "ความเสี่ยง", "โครงการ": "แถวที่ 3 (ความเสี่ยง) ช่อง ..."


@dataclass(frozen=True)
class DatasetData:
    """One agency's dataset for one fiscal year, validated (values are typed: dt.date, int, Decimal, str)."""

    dataset: str
    fiscal_year: int
    agency_name: str
    header: Mapping[str, Any] = field(default_factory=dict)
    rows: tuple[Mapping[str, Any], ...] = ()
    reviewed: bool = False  # a person has checked it; until then every document says ร่าง


# ---- the shape of an official document -------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: a section heading (bold, 18 pt); 2: a sub-heading (bold, 16 pt)


@dataclass(frozen=True)
class Para:
    text: str
    indent: bool = True  # the memo's 2.5 cm first-line indent
    align: Literal["justify", "center", "left", "right"] = "justify"


@dataclass(frozen=True)
class Column:
    label: str
    width_cm: float
    align: Literal["left", "center", "right"] = "left"  # numbers right, codes centre


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None  # a bold last row (รวม)
    caption: str = ""


@dataclass(frozen=True)
class Image:
    png: bytes
    width_cm: float
    alt: str  # the picture's words for the text layer and screen readers: what it shows, with the numbers


@dataclass(frozen=True)
class Signature:
    name: str
    position: str
    date_text: str = ""  # "ประกาศ ณ วันที่ … " is a Para before it when the kind needs one


Block = Heading | Para | Table | Image | Signature


@dataclass(frozen=True)
class OfficialDoc:
    title: str  # the document's title as the OIT item names it (reviewers search for it)
    subtitle: tuple[str, ...]  # agency, fiscal year (พ.ศ. with Thai digits), period
    blocks: tuple[Block, ...]
    landscape: bool = False  # wide tables (แบบ สขร. ๑, the risk register)
    draft: bool = True  # ร่าง until the dataset is reviewed
    terms: tuple[str, ...] = ()  # official terms the line breaker keeps whole (prongsai.documents.typeset)
    notice: str = ""  # the provisional-framework line, when the year's framework is provisional
    thai_digits: bool = True  # the page numbers' digits (the text comes with its digits already chosen)


@dataclass(frozen=True)
class ComposeOptions:
    thai_digits: bool = True
    month: int | None = None  # for a monthly document (procurement_monthly): 1..12 (calendar month)
    on: dt.date | None = None  # the date the document is signed or reported (else: today within the year)


Compose = Callable[[DatasetData, ComposeOptions], OfficialDoc]


@dataclass(frozen=True)
class Kind:
    """A document of the kit: its title, the dataset it is made from and how."""

    code: str
    title_th: str
    dataset: str
    compose: Compose
    period: Literal["current_year", "previous_year", "half_year", "month", "standing"] = "current_year"
    # previous_year: made from the dataset of fiscal_year - 1 (a report on last year's plan), published in the year
    needs: Sequence[str] = ()  # header fields this kind needs besides the dataset's required ones
