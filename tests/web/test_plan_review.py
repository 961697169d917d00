"""Editing drafted wording, re-drafting around the edits, and marking the plan reviewed (ร่าง until then)."""

from __future__ import annotations

import io

import docx

from prongsai.documents import make_docx
from prongsai.web import services
from prongsai.web.models import Assessment, AuditEntry, Recommendation
from prongsai.web.services.documents import document_data

from .conftest import World


def _text(assessment: Assessment) -> str:
    data = document_data(assessment)
    body = docx.Document(io.BytesIO(make_docx("measures", data)))
    return "\n".join(p.text for p in body.paragraphs).translate(
        {0x2060: None, 0x200B: None, 0x00AD: None, 0xFEFF: None}
    )


def test_an_edit_survives_redrafting_and_the_clause_is_said_once(world: World) -> None:
    owner = world.users["owner"]
    services.plan_draft(owner, world.y2565)
    basic = Recommendation.objects.get(assessment=world.y2565, area_code="basic_info")
    assert "มอบ" not in basic.text  # the clause is added when printed, from the unit
    services.recommendation_edit(owner, basic, "ให้จัดทำข้อมูลผู้บริหารให้ครบองค์ประกอบ โดยมอบสำนักปลัดเป็นผู้รับผิดชอบ")
    services.recommendation_assign(owner, basic, world.finance)
    services.plan_draft(owner, world.y2565)
    kept = Recommendation.objects.get(assessment=world.y2565, area_code="basic_info")
    assert kept.edited and kept.text == "ให้จัดทำข้อมูลผู้บริหารให้ครบองค์ประกอบ"
    text = _text(world.y2565)
    line = next(t for t in text.splitlines() if "ด้านข้อมูลพื้นฐาน" in t)
    assert line.endswith("ให้จัดทำข้อมูลผู้บริหารให้ครบองค์ประกอบ โดยมอบกองคลังเป็นผู้รับผิดชอบ")
    assert text.count("เป็นผู้รับผิดชอบ") == len([t for t in text.splitlines() if "เป็นผู้รับผิดชอบ" in t])
    assert "สำนักปลัดเป็นผู้รับผิดชอบ" not in line


def test_redrafting_replaces_only_what_nobody_edited(world: World) -> None:
    owner = world.users["owner"]
    services.plan_draft(owner, world.y2565)
    drafted = world.y2565.measures.exclude(rule_code="").first()
    assert drafted is not None
    drafted.title = "มาตรการที่หน่วยงานเขียนเอง"
    services.measure_save(owner, drafted)
    count = world.y2565.measures.count()
    services.plan_draft(owner, world.y2565)
    assert world.y2565.measures.filter(title="มาตรการที่หน่วยงานเขียนเอง", edited=True).exists()
    assert world.y2565.measures.count() == count  # nothing doubled
    titles = list(world.y2565.measures.values_list("title", flat=True))
    assert len(titles) == len(set(titles))


def test_review_removes_the_draft_mark_and_an_edit_brings_it_back(world: World) -> None:
    owner = world.users["owner"]
    services.plan_draft(owner, world.y2565)
    assert _text(world.y2565).startswith("ร่าง")
    response = world.client("owner").post(f"/a/{world.agency.pk}/{world.y2565.fiscal_year}/plan/review/")
    assert response.status_code == 302
    world.y2565.refresh_from_db()
    assert world.y2565.plan_reviewed_by == owner and world.y2565.plan_reviewed_at is not None
    assert "ร่าง" not in _text(world.y2565).splitlines()[0]
    assert AuditEntry.objects.filter(model="assessment", object_id=str(world.y2565.pk)).exists()
    rec = world.y2565.recommendations.first()
    assert rec is not None
    url = f"/a/{world.agency.pk}/{world.y2565.fiscal_year}/plan/recommendation/{rec.pk}/text/"
    assert world.client("owner").post(url, {"text": "ข้อความใหม่ที่ผู้บริหารแก้"}).status_code == 302
    world.y2565.refresh_from_db()
    assert world.y2565.plan_reviewed_at is None and _text(world.y2565).startswith("ร่าง")


def test_only_an_agency_admin_reviews_or_edits(world: World) -> None:
    services.plan_draft(world.users["owner"], world.y2565)
    base = f"/a/{world.agency.pk}/{world.y2565.fiscal_year}/plan/"
    for persona in ("viewer", "editor"):
        assert world.client(persona).post(base + "review/").status_code in (403, 404)
    world.y2565.refresh_from_db()
    assert world.y2565.plan_reviewed_at is None
