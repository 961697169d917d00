"""The year's steps on an agency's home, in the order the ITA year runs: units → last year's result →
register → plan → practice survey → documents → the kit's documents, each done or not, with where to do it.

The year shown is the one the agency works on: the newest assessment still without a result (its plan
year), else the year after its newest result, else (a new agency) the current fiscal year; never a year
prongsai has no framework for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from prongsai import kit
from prongsai.frameworks import available_years, current_fiscal_year

from ..models import Agency, Assessment, Survey


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    detail: str
    url: str = ""  # where to do it; "" when the step waits for an earlier one
    start_year: int | None = None  # no assessment of this year yet: the admin may start it here


@dataclass(frozen=True)
class Counts:
    """What the dashboard counted already, per assessment id: register items (total, ready) and measures."""

    register: dict[int, tuple[int, int]]
    measures: dict[int, int]


def _has_result(assessment: Assessment) -> bool:
    return bool(assessment.results.all())  # prefetched by the dashboard


def steps_year(assessments: list[Assessment], today: dt.date) -> int:
    years = available_years()
    resulted = [a.fiscal_year for a in assessments if _has_result(a)]
    open_years = sorted(a.fiscal_year for a in assessments if not _has_result(a))
    if open_years:
        return open_years[-1]
    year = max(resulted) + 1 if resulted else current_fiscal_year(today)
    return min(year, max(years)) if years else year


def _start(year: int) -> int | None:
    return year if year in available_years() else None


def first_steps(agency: Agency, assessments: list[Assessment], counts: Counts, year: int) -> list[Step]:
    """The steps of ``year``; ``assessments`` are the agency's, their results prefetched (two queries in all)."""
    by_year = {a.fiscal_year: a for a in assessments}
    return [
        _units(agency),
        _result(agency, by_year.get(year - 1), year - 1),
        *_year_steps(agency, by_year.get(year), counts, year),
    ]


def _units(agency: Agency) -> Step:
    units = list(agency.units.values_list("role", flat=True))
    without_role = sum(1 for role in units if not role)
    done = bool(units) and not without_role
    if not units:
        detail = _("ยังไม่มีหน่วยงานย่อย")
    elif without_role:
        detail = _("มี %(n)s หน่วย ยังไม่ได้เลือกหน้าที่ %(m)s หน่วย") % {"n": len(units), "m": without_role}
    else:
        detail = _("มี %(n)s หน่วย ทุกหน่วยมีหน้าที่ตามกฎการร่างแผน") % {"n": len(units)}
    return Step(_("หน่วยงานย่อยและหน้าที่"), done, detail, reverse("units", args=[agency.pk]))


def _result(agency: Agency, assessment: Assessment | None, year: int) -> Step:
    title = _("ผลการประเมินปี %(year)s (ปีที่แล้ว)") % {"year": year}
    if assessment is None:
        return Step(title, False, _("ยังไม่ได้เริ่มการประเมินปีนี้"), start_year=_start(year))
    done = _has_result(assessment)
    detail = _("กรอกหรือนำเข้าแล้ว") if done else _("ยังไม่ได้กรอกคะแนน")
    return Step(title, done, detail, reverse("results", args=[agency.pk, year]))


def _year_steps(agency: Agency, assessment: Assessment | None, counts: Counts, year: int) -> list[Step]:
    titles = (
        _("ทะเบียน OIT ปี %(year)s") % {"year": year},
        _("มาตรการส่งเสริมคุณธรรมและความโปร่งใสปี %(year)s") % {"year": year},
        _("แบบสำรวจทดลอง IIT และ EIT"),
        _("เอกสาร: ลงนามมาตรการ"),
        _("เอกสาร OIT ที่หน่วยงานจัดทำเอง"),
    )
    if assessment is None:
        waiting = _("ยังไม่ได้เริ่มการประเมินปี %(year)s") % {"year": year}
        first = Step(titles[0], False, waiting, start_year=_start(year))
        return [first, *(Step(title, False, waiting) for title in titles[1:])]
    args = [agency.pk, year]
    total, ready = counts.register.get(assessment.pk, (0, 0))
    measures = counts.measures.get(assessment.pk, 0)
    reviewed = (
        _("มาตรการ %(n)s รายการ ตรวจทานแล้ว") if assessment.plan_reviewed_at else _("มาตรการ %(n)s รายการ ยังไม่ได้ตรวจทาน")
    )
    surveys = {s.tool: s.n for s in assessment.surveys.annotate(n=Count("responses"))}
    return [
        Step(
            titles[0],
            total > 0 and ready == total,
            _("พร้อมส่ง %(ready)s จาก %(total)s ข้อ") % {"ready": ready, "total": total},
            reverse("register", args=args),
        ),
        Step(
            titles[1],
            measures > 0 and assessment.plan_reviewed_at is not None,
            reviewed % {"n": measures},
            reverse("plan", args=args),
        ),
        Step(
            titles[2],
            all(surveys.get(tool, 0) > 0 for tool in Survey.SCORED),
            " · ".join(
                f"{tool} " + (_("%(n)s คน") % {"n": surveys[tool]} if tool in surveys else _("ยังไม่ได้สร้าง"))
                for tool in Survey.SCORED
            ),
            reverse("surveys", args=args),
        ),
        Step(
            titles[3],
            assessment.signed_on is not None,
            _("ลงนามแล้ว") if assessment.signed_on else _("ยังไม่ได้ลงนาม บันทึกการประชุมและผู้ลงนาม แล้วออกเอกสาร"),
            reverse("plan", args=args) + "#signing",
        ),
        _kit_step(titles[4], assessment, args),
    ]


def _kit_step(title: str, assessment: Assessment, args: list[int]) -> Step:
    """Done when every kit document that answers an OIT item this year has been made (one query)."""
    wanted = kit_items(assessment.fiscal_year)
    made = set(assessment.kit_documents.exclude(made_at=None).values_list("kind", flat=True))
    done = sum(1 for code in wanted if code in made)
    detail = _("ทำแล้ว %(done)s จาก %(total)s เอกสารที่ตอบข้อ OIT ปีนี้") % {"done": done, "total": len(wanted)}
    return Step(title, bool(wanted) and done == len(wanted), detail, reverse("kit", args=args))


def kit_items(fiscal_year: int) -> list[str]:
    """The kit's kinds that answer an item of the year's framework."""
    kit.load_kinds()
    return [code for code in sorted(kit.KINDS) if kit.item_for(code, fiscal_year) is not None]
