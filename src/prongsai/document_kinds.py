"""The one registry of the measures cycle's documents: the measures document, its progress report and the
ITAS answer sheet. Each kind says its template, the function that makes its values, which days may sign
it, its file names and its Thai names; the CLI, prongsai.documents and the web app read them from here.

Light on purpose (no docxtpl, no Django): ``prongsai --help`` lists the kinds without loading what makes
them. A kind's ``builder`` names its function as "module:function", imported when a document is made.

The document kit (prongsai.kit.KINDS) registers its own kinds; both share ``code``, ``title_th`` and
``publishes`` (the framework's ``document:`` value of the OIT item a kind answers), so one registry could
hold both (see :class:`Kind`).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from prongsai.errors import ProngsaiError
from prongsai.framework import DocumentKind

if TYPE_CHECKING:
    from prongsai.documents.data import DocumentData

__all__ = ["KINDS", "Builder", "Kind", "Round", "UnknownKind", "get_kind", "register", "year_documents"]

# Which days may sign a kind (prongsai.documents.signing): any day of its fiscal year, or, for a report,
# from the end of the period it reports on (31 March; 30 September for the annual round).
Signing = Literal["fiscal_year", "report"]


class Builder(Protocol):
    """Makes one document's template values and pictures (prongsai.documents.context_for calls it)."""

    def __call__(
        self,
        data: DocumentData,
        *,
        thai_digits: bool,
        annual: bool,
        on: dt.date | None,
        today: dt.date | None,
    ) -> tuple[dict[str, Any], dict[str, bytes]]: ...


@dataclass(frozen=True)
class Round:
    """One round a kind is made in: the year's only one, or a report's half-year and annual rounds."""

    annual: bool
    name_th: str  # "" for a kind made once a year; "รอบ 6 เดือน", "รอบ 12 เดือน"
    file_th: str  # its file in the year's set of documents (no spaces: kept whole by every system)


@dataclass(frozen=True)
class Kind:
    code: str  # the CLI's argument, the web's URL part and the template's name (templates/<code>.docx)
    title_th: str  # the document's name, as an official writes it
    short_th: str  # the word a page or a message uses for it (มาตรการ, รายงานผล)
    short_en: str  # the same in English, for a page in English
    builder: str  # "module:function" of its Builder
    rounds: tuple[Round, ...]
    signing: Signing = "fiscal_year"
    signed: bool = True  # printed with a date of signing (the ITAS sheet is not)
    plan_dated: bool = False  # the plan's date of signing (signed_on) dates it when no other is given
    register_year: bool = False  # of the register's year (the round being prepared), not the plan's
    publishes: DocumentKind | None = None  # the OIT item that publishes it (framework ``document:``)

    @property
    def template(self) -> str:
        return f"{self.code}.docx"

    def build(self) -> Builder:
        module, name = self.builder.split(":")
        function: Builder = getattr(importlib.import_module(module), name)
        return function

    def round(self, *, annual: bool) -> Round:
        """The round asked for; a kind made once a year has one, whatever is asked."""
        return next((r for r in self.rounds if r.annual == annual), self.rounds[0])


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.code in KINDS and KINDS[kind.code] != kind:
        raise ValueError(f"document kind {kind.code} registered twice")
    KINDS[kind.code] = kind
    return kind


class UnknownKind(ProngsaiError):
    """A document kind no one registered (a typo on the command line, an old link)."""


def get_kind(code: str) -> Kind:
    if code not in KINDS:
        raise UnknownKind(f"ไม่มีเอกสารชนิด {code} มีเฉพาะ {', '.join(KINDS)} (unknown document kind)")
    return KINDS[code]


def year_documents() -> Iterator[tuple[Kind, Round]]:
    """Every document an agency signs and publishes in a year, in order: each kind in each of its rounds."""
    return ((kind, r) for kind in KINDS.values() for r in kind.rounds)


register(
    Kind(
        "measures",
        title_th="มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        short_th="มาตรการ",
        short_en="measures",
        builder="prongsai.documents:measures_values",
        rounds=(Round(False, "", "มาตรการส่งเสริมคุณธรรม"),),
        plan_dated=True,
        publishes="measures",
    )
)
register(
    Kind(
        "progress",
        title_th="รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        short_th="รายงานผล",
        short_en="progress report",
        builder="prongsai.documents:progress_values",
        rounds=(Round(False, "รอบ 6 เดือน", "รายงานผลรอบ6เดือน"), Round(True, "รอบ 12 เดือน", "รายงานผลรอบ12เดือน")),
        signing="report",
        publishes="measures_report",
    )
)
register(
    Kind(
        "itas",
        title_th="แบบตรวจการเปิดเผยข้อมูลสาธารณะ (OIT) สำหรับระบบ ITAS",
        short_th="OIT",
        short_en="OIT",
        builder="prongsai.documents:itas_values",
        rounds=(Round(False, "", "แบบตรวจOIT"),),
        signed=False,
        register_year=True,
    )
)
