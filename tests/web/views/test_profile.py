"""The agency's profile: name, kind, province (one of the 77), district, website and signer, for its admin;
what the office matches agencies by."""

from __future__ import annotations

from django.urls import reverse

from prongsai.web import services

from ..conftest import World


def _profile(world: World) -> str:
    return reverse("profile", args=[world.agency.pk])


def _data(**changes: str) -> dict[str, str]:
    data = {
        "name": "องค์การบริหารส่วนตำบลทดสอบ",
        "kind": "sao",
        "province": "สมุทรปราการ",
        "district": "อำเภอพระประแดง",
        "website": "www.example.go.th",
        "signer_name": "นายสมชาย ใจดี",
        "signer_position": "นายกองค์การบริหารส่วนตำบลทดสอบ",
    }
    return {**data, **changes}


def test_the_admin_sets_province_district_and_website(world: World) -> None:
    owner = world.client("owner")
    response = owner.post(_profile(world), _data(), follow=True)
    page = response.content.decode()
    assert "บันทึกข้อมูลหน่วยงานแล้ว" in page
    world.agency.refresh_from_db()
    assert (world.agency.province, world.agency.district) == ("สมุทรปราการ", "พระประแดง")  # อำเภอ is printed once
    assert world.agency.website == "https://www.example.go.th"
    assert "อำเภอพระประแดง จังหวัดสมุทรปราการ" in page and "อำเภออำเภอ" not in page
    entry = services.history_of(world.agency).first()
    assert entry is not None and entry.changes["province"] == ["นนทบุรี", "สมุทรปราการ"]


def test_the_province_is_one_of_the_77(world: World) -> None:
    page = world.client("owner").get(_profile(world)).content.decode()
    assert page.count("<option") >= 78 and '<option value="แม่ฮ่องสอน">' in page
    response = world.client("owner").post(_profile(world), _data(province="จังหวัดสมุทรปราการ"))
    assert response.status_code == 400 and "เลือกตัวเลือกที่ถูกต้อง" in response.content.decode()
    world.agency.refresh_from_db()
    assert world.agency.province == "นนทบุรี"


def test_a_bad_website_or_an_empty_name_is_refused_in_thai(world: World) -> None:
    response = world.client("owner").post(_profile(world), _data(name=" ", website="javascript:alert(1)"))
    page = response.content.decode()
    assert response.status_code == 400 and "ฟิลด์นี้จำเป็น" in page and "https://" in page
    world.agency.refresh_from_db()
    assert world.agency.name == "องค์การบริหารส่วนตำบลทดสอบ" and world.agency.website == ""


def test_an_agency_made_by_the_cli_sets_its_place_here(world: World) -> None:
    """createadmin makes an agency with no province: the office cannot match it until its admin sets one."""
    world.agency.province = world.agency.district = ""
    world.agency.save()
    page = world.client("owner").get(_profile(world)).content.decode()
    assert "— เลือกจังหวัด —" in page
    world.client("owner").post(_profile(world), _data(province="นนทบุรี", district="ปากเกร็ด"))
    world.agency.refresh_from_db()
    assert (world.agency.province, world.agency.district) == ("นนทบุรี", "ปากเกร็ด")
