"""Loading a fiscal year's framework file when agencies already have data for that year.

One service for the upload page and ``prongsai frameworks add``: :func:`plan_load` validates the file as
the shipped ones are (nothing changes), compares it with the year's framework of today (possibly
provisional) and counts what would move; :func:`apply_load` does it in one transaction: every register
entry and every measure's and recommendation's item list of that year moves to the new item codes, then
the file is written (last, so that a refused file rolls everything back).

Which old item goes to which new one:

- a provisional year being replaced: the new file's ``continues`` (a provisional year's codes are its base
  year's codes, which is what ``continues`` names); where the file does not say, a proposal;
- any other year (a file replacing a loaded or shipped file of the same year): a proposal from titles and
  elements, shown to a person before it is confirmed.

What happens to an agency's entries:

- one old item continued by one new item: the entry moves to the new code, everything kept;
- several old items merged into one: one entry keeps them all: URLs (each once), explanations and
  reviewer notes one after another, every evidence file; the answer only where all agreed (otherwise it
  is asked again), the least advanced status, the earliest due date;
- one old item split into several: the first new item gets the entry, each other one a copy of its URLs,
  explanation, responsible unit and due date, to be answered again;
- an old item that nothing continues: the entry is set aside, not lost: everything it held (answer,
  URLs, explanation, reviewer note, evidence file names and where the files are kept) is recorded in the
  agency's history, shown on the year's "what changed" page, and the evidence files stay in storage;
  the entry then leaves the register;
- a new item: a new, empty entry.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from prongsai.framework import Framework
from prongsai.frameworks import add_framework, get_framework, sources
from prongsai.yearchange import Change, Link, carry_map, diff, propose_mapping

from ..models import Assessment, AuditEntry, Evidence, Measure, Recommendation, RegisterEntry
from ..models.register import RegisterStatus

SET_ASIDE_MODEL = RegisterEntry._meta.model_name  # "registerentry": what _audit records for an entry
SET_ASIDE_MARK = "set_aside"  # the key in AuditEntry.changes that marks an entry set aside by a new framework
_STATUS_ORDER = list(RegisterStatus.values)


@dataclass
class LoadPlan:
    """What loading ``text`` would do. ``affected`` is False when no agency has data of that year."""

    framework: Framework
    text: str
    source: str
    current: Framework | None
    current_kind: str = ""
    links: dict[str, Link] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    assessments: int = 0
    agencies: int = 0
    entries_moved: int = 0  # entries holding something whose item changes code
    entries_set_aside: int = 0  # entries holding something whose item nothing continues
    measures: int = 0  # measures and recommendations whose item lists change
    # The year loaded and the provisional years after it that are made from it (or from what it replaces):
    # their items become the new file's too, so their agencies' data moves the same way.
    years: tuple[int, ...] = ()

    @property
    def fiscal_year(self) -> int:
        return self.framework.fiscal_year

    @property
    def affected(self) -> bool:
        return self.assessments > 0

    @property
    def carry(self) -> dict[str, tuple[str, ...]]:
        """Old code → new codes (only old codes that something continues)."""
        return carry_map(self.links)

    @property
    def dropped(self) -> list[str]:
        if self.current is None:
            return []
        carried = self.carry
        return [item.code for item in self.current.items if item.code not in carried]

    @property
    def proposed(self) -> list[Link]:
        return [link for link in self.links.values() if link.proposed]

    @property
    def fingerprint(self) -> str:
        """What a person confirmed: the file and the mapping shown (a changed mapping needs a new look)."""
        mapping = {code: list(link.previous) for code, link in self.links.items()}
        blob = json.dumps([self.text, mapping], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def rows(self) -> list[dict[str, Any]]:
        """The mapping as a person reads it: each new item, its old item(s), stated or proposed."""
        assert self.current is not None
        old = {item.code: item for item in self.current.items}
        return [
            {
                "code": link.code,
                "title": self.framework.item(link.code).title_th,
                "previous": [(code, old[code].title_th) for code in link.previous if code in old],
                "proposed": link.proposed,
                "score": link.score,
            }
            for link in self.links.values()
        ]


def _holds_something(entry: RegisterEntry) -> bool:
    return bool(entry.answer or entry.urls.strip() or entry.explanation.strip() or entry.reviewer_note.strip()) or (
        entry.status != RegisterStatus.TODO
    )


def plan_load(text: str, source: str) -> LoadPlan:
    """Validate the file (FrameworkError naming the field if it is refused) and say what loading it does."""
    framework = add_framework(text, source=source, dry_run=True)
    year = framework.fiscal_year
    known = sources()
    if year not in known:
        return LoadPlan(framework, text, source, None)
    current = get_framework(year)
    kind = known[year].kind
    links = propose_mapping(current, framework, use_continues=current.provisional)
    plan = LoadPlan(framework, text, source, current, kind, links, diff(current, framework, links))
    plan.years = (year, *_provisional_after(year))
    assessments = Assessment.objects.filter(fiscal_year__in=plan.years)
    plan.assessments = assessments.count()
    if not plan.assessments:
        return plan
    plan.agencies = assessments.values("agency").distinct().count()
    carry = plan.carry
    entries = RegisterEntry.objects.filter(assessment__fiscal_year__in=plan.years).prefetch_related("evidence")
    for entry in entries:
        if not (_holds_something(entry) or entry.evidence.all()):
            continue
        targets = carry.get(entry.item_code, ())
        if not targets:
            plan.entries_set_aside += 1
        elif targets != (entry.item_code,):
            plan.entries_moved += 1
    for model in (Measure, Recommendation):
        for items in model.objects.filter(assessment__fiscal_year__in=plan.years).values_list("items", flat=True):
            if _new_items(items, carry) != list(items or []):
                plan.measures += 1
    return plan


def _provisional_after(year: int) -> list[int]:
    """Provisional years after ``year`` made from ``year`` or from a year before it: once ``year``'s file is
    loaded they are made from it, so their items change exactly as ``year``'s do."""
    return [
        later
        for later, source in sources().items()
        if later > year and source.kind == "provisional" and source.based_on is not None and source.based_on <= year
    ]


def _new_items(items: Iterable[str] | None, carry: Mapping[str, tuple[str, ...]]) -> list[str]:
    found: list[str] = []
    for code in items or []:
        for new in carry.get(code, ()):
            if new not in found:
                found.append(new)
    return found


@transaction.atomic
def apply_load(plan: LoadPlan, loaded_by: str, user: Any = None) -> Framework:
    """Move every agency's data of the year to the new item codes, then keep the file: all or nothing."""
    carry = plan.carry
    new_codes = [item.code for item in plan.framework.items]
    for assessment in Assessment.objects.filter(fiscal_year__in=plan.years or (plan.fiscal_year,)).select_related(
        "agency"
    ):
        _remap_register(assessment, carry, new_codes, plan, user)
        for model in (Measure, Recommendation):
            for obj in model.objects.filter(assessment=assessment):
                items = _new_items(obj.items, carry)
                if items != list(obj.items or []):
                    _audit(assessment, obj, user, {"items": [list(obj.items or []), items]})
                    obj.items = items
                    obj.save(update_fields=["items"])
    # Last, inside the transaction: a file refused here (or a failed write) undoes every change above.
    return add_framework(plan.text, source=plan.source, loaded_by=loaded_by)


def _join(texts: Iterable[str]) -> str:
    parts = [t.strip() for t in texts if t.strip()]
    return "\n\n".join(dict.fromkeys(parts))


def _remap_register(
    assessment: Assessment, carry: Mapping[str, tuple[str, ...]], new_codes: list[str], plan: LoadPlan, user: Any
) -> None:
    entries = {e.item_code: e for e in assessment.register.select_related("unit").prefetch_related("evidence")}
    by_target: dict[str, list[RegisterEntry]] = defaultdict(list)
    copies: dict[str, RegisterEntry] = {}  # new code → the entry it copies (the other parts of a split)
    for code in sorted(entries, key=lambda c: int(c[1:]) if c[1:].isdigit() else 0):
        entry = entries[code]
        targets = carry.get(code, ())
        if not targets:
            _set_aside(assessment, entry, plan, user)
            continue
        by_target[targets[0]].append(entry)
        for other in targets[1:]:
            copies.setdefault(other, entry)
    # Phase 1: every entry that stays gets a code no item has, so that renumbering never collides.
    keep = [e for group in by_target.values() for e in group]
    for entry in keep:  # update() renames the row only: the instance keeps its old item_code for _merge_into
        RegisterEntry.objects.filter(pk=entry.pk).update(item_code=f"_{_base36(entry.pk)}"[:8])
    # Phase 2: one entry per new item.
    for code in new_codes:
        group = by_target.get(code, [])
        if group:
            _merge_into(assessment, code, group, user)
        elif code in copies:
            source = copies[code]
            entry = RegisterEntry.objects.create(
                assessment=assessment,
                item_code=code,
                urls=source.urls,
                explanation=source.explanation,
                unit=source.unit,
                due_date=source.due_date,
                status=RegisterStatus.TO_CHECK if source.urls.strip() else RegisterStatus.TODO,
            )
            _audit(assessment, entry, user, {"item_code": [source.item_code, code], "copied_from": source.pk})
        else:
            RegisterEntry.objects.create(assessment=assessment, item_code=code)


def _merge_into(assessment: Assessment, code: str, group: list[RegisterEntry], user: Any) -> None:
    primary, others = group[0], group[1:]
    old_codes = [e.item_code for e in group]  # the codes before phase 1 (see _remap_register)
    if others:
        answers = {e.answer for e in group}
        primary.answer = answers.pop() if len(answers) == 1 else ""
        urls: list[str] = []
        for e in group:
            urls += [u for u in e.url_list() if u not in urls]
        primary.urls = "\n".join(urls)
        primary.explanation = _join(e.explanation for e in group)
        primary.reviewer_note = _join(e.reviewer_note for e in group)
        primary.unit = next((e.unit for e in group if e.unit is not None), None)
        primary.due_date = min((e.due_date for e in group if e.due_date), default=None)
        primary.status = min((e.status for e in group), key=_STATUS_ORDER.index)
        Evidence.objects.filter(entry__in=others).update(entry=primary)
        RegisterEntry.objects.filter(pk__in=[e.pk for e in others]).delete()
    primary.item_code = code
    primary.save()
    if old_codes != [code]:
        _audit(assessment, primary, user, {"item_code": [old_codes[0] if not others else old_codes, code]})


def _audit(
    assessment: Assessment,
    obj: Measure | Recommendation | RegisterEntry,
    user: Any,
    changes: dict[str, Any],
    *,
    action: str = AuditEntry.Action.UPDATE,
    shown: str | None = None,
) -> None:
    """A line of the agency's history for what loading a framework changed (no form's before and after)."""
    AuditEntry.objects.create(
        agency=assessment.agency,
        user=user,
        action=action,
        model=obj._meta.model_name or "",
        object_id=str(obj.pk),
        object_repr=(str(obj) if shown is None else shown)[:300],
        changes=changes,
    )


def _set_aside(assessment: Assessment, entry: RegisterEntry, plan: LoadPlan, user: Any) -> None:
    """Record everything the entry held in the agency's history, then take it off the register."""
    if _holds_something(entry) or entry.evidence.all():
        title = plan.current.item(entry.item_code).title_th if plan.current else ""
        held = {
            "item_code": entry.item_code,
            "title_th": title,
            "answer": entry.answer,
            "urls": entry.url_list(),
            "explanation": entry.explanation,
            "reviewer_note": entry.reviewer_note,
            "status": entry.status,
            "unit": str(entry.unit) if entry.unit else "",
            "evidence": [{"name": e.name, "file": e.file.name} for e in entry.evidence.all()],
        }
        shown = f"{assessment} {entry.item_code} {title}"
        _audit(assessment, entry, user, {SET_ASIDE_MARK: [held, None]}, action=AuditEntry.Action.DELETE, shown=shown)
    entry.delete()  # evidence rows go with it; their files stay in storage (Django never deletes files)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def set_aside_entries(agency_ids: Iterable[int], fiscal_year: int) -> list[AuditEntry]:
    """Register entries of these agencies' ``fiscal_year`` set aside when a new framework was loaded."""
    found = AuditEntry.objects.filter(
        agency_id__in=list(agency_ids),
        model=SET_ASIDE_MODEL,
        action=AuditEntry.Action.DELETE,
        object_repr__contains=f"FY{fiscal_year} ",
    ).select_related("agency", "user")
    return [entry for entry in found if SET_ASIDE_MARK in entry.changes]


def preview_lines(plan: LoadPlan) -> list[str]:
    """The preview the upload page shows, as lines of text (for ``prongsai frameworks add``)."""
    year = plan.fiscal_year
    assert plan.current is not None
    now = f"กรอบชั่วคราวที่ทำจากกรอบปี {plan.current.based_on}" if plan.current.provisional else "กรอบที่ใช้อยู่"
    lines = [
        f"ปี {year} มีหน่วยงาน {plan.agencies} แห่งที่เริ่มทำงานของปีนี้แล้ว (ปีนี้ใช้{now})",
        f"รายการในทะเบียน OIT ที่จะย้ายไปยังเลขข้อใหม่: {plan.entries_moved} รายการ",
        f"รายการของข้อที่ไม่มีในกรอบใหม่ (นำออกจากทะเบียน เก็บข้อมูลไว้ในประวัติ): {plan.entries_set_aside} รายการ",
        f"มาตรการและข้อเสนอแนะที่รายการข้อจะเปลี่ยน: {plan.measures} รายการ",
        "",
        "ข้อมูลของแต่ละข้อจะย้ายไปที่ใด:",
    ]
    for row in plan.rows():
        was = ", ".join(code for code, _title in row["previous"]) or "ข้อใหม่ เริ่มจากรายการว่าง"
        mark = " (ระบบเสนอ โปรดตรวจสอบ)" if row["proposed"] and row["previous"] else ""
        lines.append(f"  {row['code']} {row['title']} ← {was}{mark}")
    if plan.dropped:
        lines.append(f"ข้อเดิมที่ไม่มีข้อใหม่รับช่วงต่อ: {', '.join(plan.dropped)}")
    lines += ["", "สิ่งที่เปลี่ยนไป:"]
    lines += [f"  - {change.text_th}" for change in plan.changes]
    return lines
