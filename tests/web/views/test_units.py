"""Units as an agency admin makes them: Thai names and codes, codes made for them, a role from the drafting
rules so that drafting assigns the unit, rename, removal only when unused; every refusal a Thai sentence."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from prongsai.drafting import load_rules
from prongsai.thai import code_of, is_code
from prongsai.web import services
from prongsai.web.models import Recommendation, Unit

from ..conftest import World


def _units(world: World) -> str:
    return reverse("units", args=[world.agency.pk])


def _add(client: Client, world: World, **data: str) -> Any:
    return client.post(_units(world), data)


def test_a_thai_unit_without_a_code_gets_one_made_from_its_name(world: World) -> None:
    owner = world.client("owner")
    response = _add(owner, world, name="  กองการศึกษา   ศาสนาและวัฒนธรรม ", code="", role="")
    assert response.status_code == 302
    unit = Unit.objects.get(agency=world.agency, name="กองการศึกษา ศาสนาและวัฒนธรรม")
    assert unit.code == "กองการศึกษา-ศาสนาและวัฒนธรรม" and unit.role == ""
    page = owner.get(_units(world)).content.decode()
    assert "เพิ่มกองการศึกษา ศาสนาและวัฒนธรรมแล้ว (รหัส กองการศึกษา-ศาสนาและวัฒนธรรม)" in page


def test_a_role_gives_its_code_and_a_typed_thai_code_is_kept(world: World) -> None:
    owner = world.client("owner")
    assert _add(owner, world, name="กองช่าง", role="engineering").status_code == 302
    assert Unit.objects.get(agency=world.agency, name="กองช่าง").code == "engineering"
    assert _add(owner, world, name="กองสวัสดิการสังคม", code="สวัสดิการ", role="welfare").status_code == 302
    unit = Unit.objects.get(agency=world.agency, name="กองสวัสดิการสังคม")
    assert (unit.code, unit.role) == ("สวัสดิการ", "welfare")


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"name": "กองคลัง"}, "name", "มีหน่วยงานย่อยชื่อ กองคลัง อยู่แล้ว"),
        ({"name": "กองคลังสาขา", "code": "finance"}, "code", "รหัส finance ใช้กับหน่วยงานย่อยอื่นแล้ว"),
        ({"name": "งานการเงิน", "role": "finance"}, "role", "กองคลัง ทำหน้าที่กองคลังอยู่แล้ว"),
        ({"name": "กองใหม่", "code": "กอง ใหม่"}, "code", "รหัสใช้ได้เฉพาะตัวอักษร"),
        ({"name": "กองใหม่", "role": "treasury"}, "role", "เลือกตัวเลือกที่ถูกต้อง"),
    ],
    ids=["name", "code", "role", "space in code", "unknown role"],
)
def test_a_clash_or_a_bad_code_is_refused_in_thai_and_nothing_is_saved(
    world: World, data: dict[str, str], field: str, words: str
) -> None:
    world.finance.role = "finance"
    world.finance.save()
    before = Unit.objects.count()
    response = _add(world.client("owner"), world, **{"code": "", "role": "", **data})
    page = response.content.decode()
    assert response.status_code == 400 and words in page
    assert "Server Error" not in page and "slug" not in page and "already exists" not in page
    assert Unit.objects.count() == before


def test_the_role_list_is_the_drafting_rules_list(world: World) -> None:
    page = world.client("owner").get(_units(world)).content.decode()
    for unit in load_rules().units:
        assert f'value="{unit.code}"' in page and unit.name_th in page


def test_a_new_agency_adds_the_rules_units_in_one_click_each(world: World) -> None:
    owner = world.client("owner")
    Unit.objects.filter(agency=world.agency).update(role="")
    response = _add(owner, world, name="กองยุทธศาสตร์และงบประมาณ", role="planning")  # the quick-add button's fields
    assert response.status_code == 302
    assert Unit.objects.get(agency=world.agency, role="planning").code == "planning"


def test_rename_and_change_the_role(world: World) -> None:
    owner = world.client("owner")
    prefix = f"u{world.finance.pk}"
    data = {f"{prefix}-name": "กองคลังและพัสดุ", f"{prefix}-role": "finance", f"{prefix}-code": "finance"}
    data[f"{prefix}-email"] = "finance@example.org"
    response = owner.post(reverse("unit_edit", args=[world.agency.pk, world.finance.pk]), data)
    assert response.status_code == 302
    world.finance.refresh_from_db()
    assert (world.finance.name, world.finance.role, world.finance.code) == ("กองคลังและพัสดุ", "finance", "finance")
    history = services.history_of(world.finance).first()
    assert history is not None and history.changes["name"] == ["กองคลัง", "กองคลังและพัสดุ"]


def test_a_rename_to_a_taken_name_is_refused_in_thai(world: World) -> None:
    owner = world.client("owner")
    prefix = f"u{world.finance.pk}"
    response = owner.post(
        reverse("unit_edit", args=[world.agency.pk, world.finance.pk]),
        {f"{prefix}-name": "สำนักปลัด", f"{prefix}-code": "finance", f"{prefix}-role": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "บันทึกกองคลังไม่ได้: มีหน่วยงานย่อยชื่อ สำนักปลัด อยู่แล้ว" in page
    world.finance.refresh_from_db()
    assert world.finance.name == "กองคลัง"


def test_a_unit_in_use_is_not_removed_and_the_page_says_why(world: World) -> None:
    owner = world.client("owner")
    response = owner.post(reverse("unit_remove", args=[world.agency.pk, world.finance.pk]), follow=True)
    page = response.content.decode()
    assert "ลบกองคลังไม่ได้ เพราะยังเป็นผู้รับผิดชอบทะเบียน OIT 4 ข้อ มาตรการ 1 รายการ และสมาชิก 1 คน" in page
    assert "ให้เปลี่ยนผู้รับผิดชอบเป็นหน่วยงานย่อยอื่นก่อน" in page
    assert Unit.objects.filter(pk=world.finance.pk).exists()


def test_an_unused_unit_is_removed(world: World) -> None:
    spare = Unit.objects.create(agency=world.agency, name="กองช่าง", code="กองช่าง")
    response = world.client("owner").post(reverse("unit_remove", args=[world.agency.pk, spare.pk]))
    assert response.status_code == 302 and not Unit.objects.filter(pk=spare.pk).exists()


def test_a_unit_of_another_agency_is_404(world: World) -> None:
    theirs = Unit.objects.create(agency=world.other, name="กองคลัง", code="finance")
    owner = world.client("owner")
    assert owner.post(reverse("unit_remove", args=[world.agency.pk, theirs.pk])).status_code == 404
    assert owner.post(reverse("unit_edit", args=[world.agency.pk, theirs.pk]), {}).status_code == 404


def test_drafting_assigns_the_unit_by_its_role_whatever_its_name_and_code(world: World) -> None:
    """A Thai-named, Thai-coded unit with the role ``office`` gets the drafted office work; no new unit is made."""
    world.office.name, world.office.code, world.office.role = "สำนักงานปลัด อบต.", "สป", "office"
    world.office.save()
    world.finance.code, world.finance.role = "กค", "finance"
    world.finance.save()
    before = set(Unit.objects.filter(agency=world.agency).values_list("pk", flat=True))
    services.plan_draft(world.users["owner"], world.y2565)
    assigned = {r.unit_id for r in Recommendation.objects.filter(assessment=world.y2565)}
    assert world.office.pk in assigned
    made = Unit.objects.filter(agency=world.agency).exclude(pk__in=before)
    assert all(u.role and u.role != "office" for u in made)  # units the agency lacks come with their role


def test_codes_are_made_for_names_of_any_script() -> None:
    assert code_of("Finance Division") == "finance-division"
    assert code_of("กองคลัง (เดิม)") == "กองคลัง-เดิม"
    assert code_of("!!") == ""
    assert is_code("สำนักปลัด") and is_code("กอง_๑") and not is_code("กอง คลัง") and not is_code("a/b")
    assert len(code_of("ก" * 100)) == 40


def test_a_made_code_that_is_taken_gets_a_number(world: World) -> None:
    Unit.objects.create(agency=world.agency, name="งานช่าง", code="กองช่าง")
    Unit.objects.create(agency=world.agency, name="งานโยธา", code="engineering")  # the role's code is taken too
    assert _add(world.client("owner"), world, name="กองช่าง", role="").status_code == 302
    assert Unit.objects.get(agency=world.agency, name="กองช่าง").code == "กองช่าง-2"
    assert _add(world.client("owner"), world, name="กองช่างสุขาภิบาล", role="engineering").status_code == 302
    assert Unit.objects.get(agency=world.agency, name="กองช่างสุขาภิบาล").code == "กองช่างสุขาภิบาล"
