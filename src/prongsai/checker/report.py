"""A check report: what one run of the OIT checker found, typed.

The CLI prints it (``prongsai oit check --json``), the web keeps it as a run's evidence and reads it back.
Its JSON is the shape docs/checker.md describes; :meth:`CheckReport.from_json` reads that shape as any
version stored it (fields missing from an older report take their defaults), so the web never reads the
stored dict itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from prongsai.checker.verdict import ItemCheck, Verdict, likely_oit
from prongsai.framework import Framework
from prongsai.scoring import OitScores, ScoreResult, score

if TYPE_CHECKING:
    from prongsai.checker.run import SiteCheck

__all__ = ["CheckReport", "OtherList", "ProposedUrl", "projected_score"]


@dataclass(frozen=True)
class ProposedUrl:
    """A link the checker found for an item on the site's ITA page, for the agency to accept or not."""

    url: str
    confidence: float  # 0–1, two decimals
    label: str = ""  # the link text it came from


@dataclass(frozen=True)
class OtherList:
    """The item list (not the NACC's) the site's ITA page follows, as the report names it."""

    key: str
    name_th: str = ""
    name_en: str = ""
    note_th: str = ""
    note_en: str = ""
    seen: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    fiscal_year: int | None
    started: str
    finished: str
    items: tuple[ItemCheck, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)  # verdict value → items, every verdict named
    likely_9: float | None = None  # indicator scores a reviewer would likely give (None: not known)
    likely_10: float | None = None
    ita_page: str = ""
    ita_page_note_th: str = ""  # why no ITA page was found, or why the page given may not be one
    ita_page_note_en: str = ""
    item_list: OtherList | None = None
    proposals: Mapping[str, ProposedUrl] = field(default_factory=dict)

    @classmethod
    def of(cls, site: SiteCheck) -> CheckReport:
        listed = site.item_list
        return cls(
            fiscal_year=site.framework.fiscal_year,
            started=site.started,
            finished=site.finished,
            items=site.checks,
            counts={v.value: sum(c.verdict is v for c in site.checks) for v in Verdict},
            likely_9=site.likely.indicators[9],
            likely_10=site.likely.indicators[10],
            ita_page=site.ita_page,
            ita_page_note_th=site.ita_note_th,
            ita_page_note_en=site.ita_note_en,
            item_list=None if listed is None else OtherList(**_other_list_json(listed.as_dict())),
            proposals={
                code: ProposedUrl(p.url, round(p.confidence, 2), p.label)
                for code, p in sorted(site.proposals.items(), key=lambda kv: int(kv[0][1:]))
            },
        )

    # --- what the web and the CLI read --------------------------------------------------------

    @cached_property
    def by_code(self) -> Mapping[str, ItemCheck]:
        return {check.code: check for check in self.items}

    def count(self, verdict: Verdict) -> int:
        return int(self.counts.get(verdict.value, 0))

    @property
    def checked(self) -> int:
        """Items the run judged (whatever their verdict)."""
        return sum(int(n) for n in self.counts.values())

    @property
    def to_fix(self) -> int:
        """Items the agency must fix: neither passing nor left to a person."""
        return self.checked - self.count(Verdict.OK) - self.count(Verdict.NEEDS_PERSON)

    def oit(self, framework: Framework) -> OitScores:
        """Indicators 9 and 10 as a reviewer would likely score them, from the items' verdicts."""
        return likely_oit(framework, self.items)

    # --- JSON ---------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The report as ``prongsai oit check --json`` prints it and the web stores it (docs/checker.md)."""
        listed = self.item_list
        return {
            "fiscal_year": self.fiscal_year,
            "ita_page": self.ita_page or None,
            "ita_page_note": self.ita_page_note_th or None,
            "ita_page_note_en": self.ita_page_note_en or None,
            "item_list": None
            if listed is None
            else {
                "key": listed.key,
                "name_th": listed.name_th,
                "name_en": listed.name_en,
                "note_th": listed.note_th,
                "note_en": listed.note_en,
                "seen": list(listed.seen),
            },
            "started": self.started,
            "finished": self.finished,
            "counts": dict(self.counts),
            "likely": {"indicator_9": self.likely_9, "indicator_10": self.likely_10},
            "items": [check.as_dict() for check in self.items],
            "proposals": {
                code: {"url": p.url, "confidence": p.confidence, "label": p.label} for code, p in self.proposals.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> CheckReport:
        """A stored report back, whatever version stored it: a missing field is empty, an unknown one is
        ignored, and counts an older report lacks are counted from its items."""
        data = data or {}
        items = tuple(
            ItemCheck.from_dict(item)
            for item in data.get("items") or ()
            if isinstance(item, Mapping) and item.get("code")
        )
        counts = data.get("counts")
        if not isinstance(counts, Mapping):
            counts = {v.value: sum(c.verdict is v for c in items) for v in Verdict}
        likely = _mapping(data.get("likely"))
        listed = data.get("item_list")
        proposals = _mapping(data.get("proposals"))
        year = data.get("fiscal_year")
        return cls(
            fiscal_year=int(year) if year is not None else None,
            started=str(data.get("started") or ""),
            finished=str(data.get("finished") or ""),
            items=items,
            counts={str(k): int(n or 0) for k, n in counts.items()},
            likely_9=_number(likely.get("indicator_9")),
            likely_10=_number(likely.get("indicator_10")),
            ita_page=str(data.get("ita_page") or ""),
            ita_page_note_th=str(data.get("ita_page_note") or ""),
            ita_page_note_en=str(data.get("ita_page_note_en") or ""),
            item_list=OtherList(**_other_list_json(listed)) if isinstance(listed, Mapping) else None,
            proposals={
                str(code): ProposedUrl(str(p["url"]), _number(p.get("confidence")) or 0.0, str(p.get("label") or ""))
                for code, p in proposals.items()
                if isinstance(p, Mapping) and p.get("url")
            },
        )


def _other_list_json(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": str(data.get("key") or "other"),
        **{name: str(data.get(name) or "") for name in ("name_th", "name_en", "note_th", "note_en")},
        "seen": tuple(str(s) for s in data.get("seen") or ()),
    }


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _number(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def projected_score(framework: Framework, published: Mapping[int, float], report: CheckReport) -> ScoreResult | None:
    """The total a year's published result would become with the website check's OIT: indicators 1–8 as
    published, 9 and 10 as the check says a reviewer would likely score them. None when the report holds no
    likely scores or ``published`` lacks one of indicators 1–8 (nothing to project from)."""
    if report.likely_9 is None or report.likely_10 is None:
        return None
    surveys = {n: published.get(n) for n in range(1, 9)}
    if any(value is None for value in surveys.values()):
        return None
    indicators = {n: float(value) for n, value in surveys.items() if value is not None}
    return score(framework, indicators | {9: report.likely_9, 10: report.likely_10})
