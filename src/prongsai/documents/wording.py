"""The sentences of part 2 of the measures document that are built from the plan's data, not typed:
the opening (with or without a meeting) and each recommendation with its responsibility clause once,
and whether the document is still a draft (ร่าง) because no person has marked the plan reviewed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prongsai.documents.data import DocumentData
from prongsai.drafting import recommendation_sentence, thai_spacing
from prongsai.thai import thai_date

__all__ = ["DRAFT_MARK", "draft_context", "plan_opening", "recommendation_rows"]

Digits = Callable[[str], str]
DRAFT_MARK = "ร่าง"
DRAFT_NOTE = "ร่าง – ยังไม่ได้ตรวจทาน"


def draft_context(data: DocumentData) -> dict[str, Any]:
    """``draft``: True until a person marks the plan reviewed; the templates print ``draft_note`` first."""
    return {"draft": not data.reviewed, "draft_note": DRAFT_NOTE if not data.reviewed else ""}


def plan_opening(data: DocumentData, d: Digits, *, thai_digits: bool = True) -> str:
    """The first sentence of part 2, a whole sentence with its verb.

    Without a meeting it claims none: the agency analysed the result and sets its recommendations. With
    one, the meeting's date, who took part and what it decided come from the data (the decision in the
    agency's own words, ending in ดังนี้ once)."""
    agency = data.the_agency.name if data.the_agency else "หน่วยงาน"
    year, result_year = d(str(data.fiscal_year)), d(str(data.fiscal_year - 1))
    if data.results is not None:
        result_year = d(str(data.results.fiscal_year))
    meeting = data.meeting
    if meeting is None:
        return thai_spacing(
            f"{agency}ได้วิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
            f" ประจำปีงบประมาณ พ.ศ. {result_year} และกำหนดข้อเสนอแนะในการพัฒนาคุณธรรมและความโปร่งใส"
            f" ในปีงบประมาณ พ.ศ. {year} ดังนี้"
        )
    when = thai_date(meeting.date, thai_digits=thai_digits)
    attendees = getattr(meeting, "attendees", "").strip() or f"ผู้บริหารและเจ้าหน้าที่ของ{agency}"
    decision = _without_as_follows(getattr(meeting, "decision", "").strip())
    given = getattr(meeting, "attendees", "").strip()
    if decision and given and given not in decision:
        body = f"{given}ได้{decision.removeprefix('ได้')}"  # ผู้บริหารและเจ้าหน้าที่…ได้ร่วมกันพิจารณา…
    elif decision:
        body = decision
    else:
        body = f"{attendees}ได้ร่วมกันพิจารณาผลการประเมินเพื่อกำหนดมาตรการในการส่งเสริมคุณธรรมและความโปร่งใสของ{agency}"
    return thai_spacing(f"จากการประชุมของ{agency} เมื่อวันที่ {when} {d(body)} ดังนี้")


def _without_as_follows(text: str) -> str:
    """A decision typed with its own ดังนี้ (the seed's) loses it: the sentence adds it once."""
    text = text.rstrip(" .:")
    return text[: -len("ดังนี้")].rstrip() if text.endswith("ดังนี้") else text


def recommendation_rows(data: DocumentData, d: Digits) -> list[dict[str, str]]:
    """๑) ด้าน… what to do, โดยมอบ…เป็นผู้รับผิดชอบ: the clause once, from the unit chosen now."""
    return [
        {
            "number": d(str(k)),
            "area": r.area,
            "text": d(r.text),
            "unit": r.unit,
            "sentence": d(thai_spacing(recommendation_sentence(r.area, r.text, r.unit, r.follow_up_unit or None))),
        }
        for k, r in enumerate(data.recommendations, start=1)
    ]
