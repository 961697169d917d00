"""What a document is, read from its opening as a reviewer reads it: the thing itself, for the agency, in force.

A page can carry every key term of an item and still not be its document. Real agency sites link the
memo that asks to approve or publish a report (บันทึกข้อความ … ขออนุมัติ … ตามเอกสารแนบ) instead of the
report, a blank form instead of a manual or an online service, one unit's report instead of the agency's,
and a plan whose years ended long ago. A reviewer sees this on the first page, so these rules read the
document's opening: its first lines, where Thai official documents put their genre (บันทึกข้อความ, ประกาศ,
คำสั่ง, แบบฟอร์ม), their issuer and their subject (เรื่อง …) and, for a plan, its years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prongsai.checker.thaitext import normalise

if TYPE_CHECKING:
    from prongsai.framework import Item

__all__ = ["IN_FORCE_ITEMS", "Finding", "identify", "opening", "substance"]

OPENING_LINES = 15  # a Thai official document states genre, issuer, subject and years in its first lines
COVER_CHARS = 5_000  # a memo or a form longer than this carries the document it is about
COVER_PAGES = 2

# A memo (บันทึกข้อความ) or letter opens with its header fields; a cover memo asks to approve, permit or
# publish a document that is attached rather than being it.
_MEMO = re.compile(r"^บันทึกข้อความ|^ส่วนราชการ\s*[:\s]|^เรียน\s")
_ASKS = re.compile(r"ขออนุมัติ|ขอความเห็นชอบ|ขออนุญาต|อนุมัติให้|อนุญาตให้|เพื่อโปรดอนุมัติ|ขอนำส่ง|ขอส่ง")
_ATTACHED = re.compile(r"แนบ|ดังเอกสาร|ตามเอกสาร|รายละเอียดปรากฏ")
# A form names itself in its first lines; the blanks it leaves for a person to fill in show it too.
# (Not "แบบ สขร.1" and the like: a numbered official form filled in with the agency's data is a report.)
_FORM = re.compile(r"^(?:แบบฟอร์ม|แบบคำขอ|แบบคำร้อง|แบบลงทะเบียน|แบบขอ|ใบสมัคร|ใบคำขอ|คำร้องขอ)")
_BLANK = re.compile(r"(?:\.{6,}|…{3,}|_{6,})")
# A line that says which body the document is about: "ชื่อหน่วยงาน : งานผู้ป่วยนอก …". A unit (งาน, กลุ่มงาน,
# ฝ่าย, แผนก, หอผู้ป่วย …) there makes it that unit's document, not the agency's. A line that merely starts
# with a unit's name is the author's credit (กลุ่มงานบริหารทั่วไป งานพัสดุ) under the agency's title.
_UNIT_WORDS = r"(?:กลุ่มงาน|กลุ่มการ|งาน|ฝ่าย|แผนก|หอผู้ป่วย|ห้อง|ตึก|หน่วย(?!งาน))"
_UNIT_SUBJECT = re.compile(rf"^(?:ชื่อ)?หน่วยงาน\s*[:：]?\s*{_UNIT_WORDS}")
# Items whose document is the agency's own (its plans, reports, policies, measures, commitments); a unit's
# manual or work instruction can serve the agency's manual items, so those are not listed.
_AGENCY_WIDE = ("แผน", "รายงาน", "นโยบาย", "มาตรการ", "เจตจำนง", "การประเมินความเสี่ยง", "หลักเกณฑ์")
# The element "โครงการหรือกิจกรรม" in an item's must-show list: a plan or report with no project or activity
# named at all is a vision or a strategy map, not that plan.
_PROJECTS_NEEDED = "โครงการหรือกิจกรรม"
_PROJECTS = re.compile(r"โครงการ|กิจกรรม")
# Items whose document is in force for the years it states (a plan, a policy, a strategy): a structure chart
# that cites the manpower plan of 2564–2566 is not out of date in 2567 for that.
IN_FORCE_ITEMS = ("แผน", "นโยบาย", "ยุทธศาสตร์")
# Items where a form is the thing itself (a complaint or request channel).
_FORM_ITEMS = ("ช่องทาง", "แบบฟอร์ม")


@dataclass(frozen=True)
class Finding:
    """Why the document is not the item's, in Thai and English."""

    th: str
    en: str


def opening(text: str, lines: int = OPENING_LINES) -> list[str]:
    """The first non-empty lines of ``text``, normalised (page numbers and rules of dots skipped)."""
    found: list[str] = []
    for line in text.split("\n"):
        norm = normalise(line)
        core = norm.strip(".…-_*=() ")
        if not core or core.isdigit():
            continue
        found.append(norm)
        if len(found) >= lines:
            break
    return found


def _is_cover(head: list[str], text: str, short: bool) -> bool:
    if not short or not any(_MEMO.search(line) for line in head[:4]):
        return False
    return bool(_ASKS.search(text)) and bool(_ATTACHED.search(text))


def _is_form(head: list[str], text: str, short: bool) -> bool:
    if not short:
        return False
    if any(_FORM.search(line) for line in head[:3]):
        return True
    lines = [line for line in text.split("\n") if line.strip()]
    blanks = sum(1 for line in lines if _BLANK.search(line))
    return len(lines) >= 8 and blanks >= 0.4 * len(lines)


UNIT_LINES = 8  # the subject is named among the first lines; later ones are tables (หน่วยงาน per row)


def _unit(head: list[str]) -> str | None:
    return next((line for line in head[:UNIT_LINES] if _UNIT_SUBJECT.search(line)), None)


def identify(text: str, item: Item, *, pages: int | None = None) -> Finding | None:
    """Why ``text`` (a document's text, title first) is not ``item``'s document itself, or None when nothing says so.

    Checked in a reviewer's order: a cover memo that asks to approve or publish an attached document; a
    blank form; one unit's document for an item that needs the agency's.
    """
    head = opening(text)
    short = len(text) <= COVER_CHARS if pages is None else pages <= COVER_PAGES and len(text) <= 2 * COVER_CHARS
    if _is_cover(head, text, short):
        return Finding(
            "เป็นบันทึกข้อความขออนุมัติหรือขอเผยแพร่เอกสาร ไม่ใช่ตัวเอกสาร ควรเผยแพร่ตัวเอกสารเอง (หรือแนบไว้ในไฟล์เดียวกัน)",
            "a cover memo asking to approve or publish the document, not the document itself",
        )
    if not item.title_th.startswith(_FORM_ITEMS) and _is_form(head, text, short):
        return Finding(
            "เป็นแบบฟอร์มสำหรับกรอก ไม่ใช่เอกสารที่ข้อนี้ต้องการ",
            "a blank form, not the document the item asks for",
        )
    unit = _unit(head) if item.title_th.startswith(_AGENCY_WIDE) else None
    if unit is not None:
        return Finding(
            f"เป็นเอกสารของหน่วยงานย่อย ({unit[:60]}) ไม่ใช่ของทั้งหน่วยงาน",
            "the document of one unit, not of the whole agency",
        )
    return None


def substance(text: str, item: Item) -> Finding | None:
    """Why ``text`` lacks what ``item``'s document must hold, where the framework says so plainly: a plan
    or report of projects (must show "โครงการหรือกิจกรรม") that names no project or activity at all."""
    if any(_PROJECTS_NEEDED in element for element in item.must_show_th) and not _PROJECTS.search(text):
        return Finding(
            "ไม่มีโครงการหรือกิจกรรมในเอกสาร ข้อนี้ต้องแสดงโครงการหรือกิจกรรม งบประมาณ และระยะเวลา",
            "names no project or activity, which the item needs",
        )
    return None
