"""Members as an agency admin manages them: another role or unit, removal, the last admin kept, a password set
by the admin (a one-time one shown once) or reset by e-mail through Django's views in Thai; and
``prongsai createadmin --agency`` making that agency's admin, not a superuser, failing in Thai without a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from prongsai.web.models import Membership, Office, OfficeMembership, Role
from prongsai.web.services import people

from ..conftest import World


def _membership(world: World, persona: str) -> Membership:
    return world.users[persona].memberships.get(agency=world.agency)


def _url(world: World, name: str, persona: str) -> str:
    return reverse(name, args=[world.agency.pk, _membership(world, persona).pk])


def _password_is(username: str, password: str) -> bool:
    return User.objects.get(username=username).check_password(password)


def _page(response: Any) -> str:
    return str(response.content.decode())


def test_change_a_members_role_and_unit(world: World) -> None:
    viewer = _membership(world, "viewer")
    data = {f"m{viewer.pk}-role": "editor", f"m{viewer.pk}-unit": world.finance.pk}
    response = world.client("owner").post(_url(world, "member_edit", "viewer"), data, follow=True)
    assert "บันทึกบทบาทของ viewer แล้ว: ผู้แก้ไข (หน่วยงานย่อย)" in _page(response)
    viewer.refresh_from_db()
    assert (viewer.role, viewer.unit) == (Role.EDITOR, world.finance)


def test_an_editor_needs_a_unit(world: World) -> None:
    viewer = _membership(world, "viewer")
    data = {f"m{viewer.pk}-role": "editor", f"m{viewer.pk}-unit": ""}
    response = world.client("owner").post(_url(world, "member_edit", "viewer"), data, follow=True)
    assert "ผู้แก้ไขต้องสังกัดหน่วยงานย่อย" in _page(response)
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER


def test_the_last_admin_can_be_neither_demoted_nor_removed(world: World) -> None:
    owner = world.client("owner")
    me = _membership(world, "owner")
    response = owner.post(_url(world, "member_edit", "owner"), {f"m{me.pk}-role": "viewer"}, follow=True)
    assert "หน่วยงานต้องมีผู้ดูแลอย่างน้อยหนึ่งคน" in _page(response)
    response = owner.post(_url(world, "member_remove", "owner"), follow=True)
    assert "ลบผู้ดูแลคนสุดท้ายไม่ได้" in _page(response)
    me.refresh_from_db()
    assert me.role == Role.ADMIN
    # with a second admin, the first may step down
    other = _membership(world, "other_unit")
    other.role = Role.ADMIN
    other.save()
    owner.post(_url(world, "member_edit", "owner"), {f"m{me.pk}-role": "viewer"})
    me.refresh_from_db()
    assert me.role == Role.VIEWER


def test_remove_a_member_keeps_their_login_and_the_history(world: World) -> None:
    response = world.client("owner").post(_url(world, "member_remove", "viewer"), follow=True)
    assert "นำ viewer ออกจากหน่วยงานแล้ว" in _page(response)
    assert not Membership.objects.filter(user__username="viewer", agency=world.agency).exists()
    assert User.objects.filter(username="viewer").exists()
    assert world.client("viewer").get(reverse("agency", args=[world.agency.pk])).status_code == 404


def test_a_one_time_password_is_shown_once_and_works(world: World) -> None:
    response = world.client("owner").post(_url(world, "member_password", "viewer"), {"password": ""})
    page = _page(response)
    assert response.status_code == 200 and "รหัสผ่านใช้ครั้งเดียวของ viewer" in page
    assert "no-store" in response["Cache-Control"]
    password = re.search(r"<code>([^<]+)</code>", page)
    assert password is not None
    assert _password_is("viewer", password.group(1))
    assert password.group(1) not in _page(world.client("owner").get(reverse("members", args=[world.agency.pk])))


def test_the_admin_sets_a_typed_password_checked_by_the_password_rules_in_thai(world: World) -> None:
    owner = world.client("owner")
    response = owner.post(_url(world, "member_password", "viewer"), {"password": "12345"}, follow=True)
    page = _page(response)
    assert "ตั้งรหัสผ่านของ viewer ไม่ได้: รหัสผ่านสั้นเกินไป ต้องมีอย่างน้อย 10 ตัวอักษร" in page
    assert "too short" not in page
    owner.post(_url(world, "member_password", "viewer"), {"password": "ทรงคนอง-2568-ใหม่"})
    assert _password_is("viewer", "ทรงคนอง-2568-ใหม่")


def test_no_password_is_set_for_someone_who_belongs_elsewhere_too(world: World) -> None:
    """Another agency's or an office's member could be taken over through this agency: they reset by e-mail."""
    office = Office.objects.create(name="สำนักงานอื่น")
    OfficeMembership.objects.create(user=world.users["viewer"], office=office)
    response = world.client("owner").post(_url(world, "member_password", "viewer"), {"password": ""}, follow=True)
    assert "เป็นสมาชิกของหน่วยงานหรือสำนักงานอื่นด้วย" in _page(response)
    assert not _password_is("viewer", "anything")
    assert _password_is("viewer", "a-long-test-password")


def test_a_reset_link_by_e_mail_through_djangos_views_in_thai(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    owner = world.client("owner")
    assert "ส่งลิงก์ตั้งรหัสผ่านทางอีเมล" in _page(owner.get(reverse("members", args=[world.agency.pk])))
    response = owner.post(_url(world, "member_reset_mail", "viewer"), follow=True)
    assert "ส่งลิงก์ตั้งรหัสผ่านใหม่ไปที่อีเมลของ viewer แล้ว (viewer@example.org)" in _page(response)
    assert len(mail.outbox) == 1 and "ตั้งรหัสผ่านใหม่" in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    person = Client()
    form = person.get(link.group(1), follow=True)
    page = _page(form)
    assert "ตั้งรหัสผ่านใหม่" in page and "รหัสผ่านใหม่" in page and "New password" not in page
    mismatch = person.post(form.redirect_chain[-1][0], {"new_password1": "ทรงคนอง-ใหม่-1", "new_password2": "อื่น"})
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in _page(mismatch)
    done = person.post(
        form.redirect_chain[-1][0], {"new_password1": "ทรงคนอง-ใหม่-1", "new_password2": "ทรงคนอง-ใหม่-1"}, follow=True
    )
    assert "ตั้งรหัสผ่านแล้ว" in _page(done)
    assert _password_is("viewer", "ทรงคนอง-ใหม่-1")


def test_without_mail_no_reset_link_is_offered(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    assert not people.mail_configured()
    assert "ส่งลิงก์ตั้งรหัสผ่านทางอีเมล" not in _page(world.client("owner").get(reverse("members", args=[world.agency.pk])))
    assert "ลืมรหัสผ่าน" not in _page(Client().get(reverse("login")))
    response = world.client("owner").post(_url(world, "member_reset_mail", "viewer"), follow=True)
    assert "ระบบนี้ยังไม่ได้ตั้งค่าการส่งอีเมล" in _page(response)


def test_the_login_page_offers_the_reset_where_mail_is_configured(db: Any, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert "ลืมรหัสผ่าน" in _page(Client().get(reverse("login")))
    assert "ลืมรหัสผ่าน" in _page(Client().get(reverse("password_reset")))


def test_change_ones_own_password_in_thai(world: World) -> None:
    viewer = world.client("viewer")
    page = _page(viewer.get(reverse("password_change")))
    assert "รหัสผ่านเดิม" in page and "Old password" not in page
    data = {"old_password": "wrong", "new_password1": "x", "new_password2": "x"}
    assert "รหัสผ่านเดิมไม่ถูกต้อง" in _page(viewer.post(reverse("password_change"), data))


def test_the_members_page_lists_members_with_their_actions(world: World) -> None:
    page = _page(world.client("owner").get(reverse("members", args=[world.agency.pk])))
    for name in ("owner", "editor", "other_unit", "viewer", "oversight"):
        assert f"<b>{name}</b>" in page
    assert page.count("นำออกจากหน่วยงาน") == 4  # not oneself
    assert "outsider" not in page


# --- prongsai createadmin -----------------------------------------------------------------------------


def _createadmin(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "PRONGSAI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    environment.pop("PRONGSAI_ADMIN_PASSWORD", None)
    environment.update(env or {})
    return subprocess.run(
        [str(Path(sys.executable).with_name("prongsai")), "createadmin", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_createadmin_without_a_terminal_fails_in_thai_without_a_traceback(tmp_path: Path) -> None:
    done = _createadmin(tmp_path, "somchai", "--agency", "องค์การบริหารส่วนตำบลทดลอง")
    assert done.returncode == 2
    assert "ต้องพิมพ์รหัสผ่านที่เทอร์มินัล" in done.stderr and "PRONGSAI_ADMIN_PASSWORD" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout and "Superuser creation skipped" not in done.stderr


def test_createadmin_agency_makes_that_agencys_admin_not_a_superuser(tmp_path: Path) -> None:
    env = {"PRONGSAI_ADMIN_PASSWORD": "12345"}
    weak = _createadmin(tmp_path, "somchai", "--agency", "องค์การบริหารส่วนตำบลทดลอง", env=env)
    assert weak.returncode == 2 and "ตั้งรหัสผ่านนี้ไม่ได้: รหัสผ่านสั้นเกินไป" in weak.stderr
    env = {"PRONGSAI_ADMIN_PASSWORD": "ทรงคนอง-ผู้ดูแล-2568"}
    done = _createadmin(tmp_path, "somchai", "--agency", "องค์การบริหารส่วนตำบลทดลอง", env=env)
    assert done.returncode == 0, done.stderr
    assert "สร้างหน่วยงาน องค์การบริหารส่วนตำบลทดลอง แล้ว (somchai เป็นผู้ดูแลหน่วยงาน)" in done.stdout
    again = _createadmin(tmp_path, "somchai", "--agency", "เทศบาลอื่น", env=env)
    assert again.returncode == 2 and "มีผู้ใช้ชื่อ somchai อยู่แล้ว" in again.stderr


@pytest.mark.django_db
def test_the_agency_admin_made_for_createadmin(db: Any) -> None:
    agency = people.agency_admin_create("somchai", "", "ทรงคนอง-ผู้ดูแล-2568", "องค์การบริหารส่วนตำบลทดลอง")
    user = User.objects.get(username="somchai")
    assert not user.is_superuser and not user.is_staff
    membership = Membership.objects.get(user=user)
    assert membership.agency == agency and membership.role == Role.ADMIN
    assert membership.unit is not None and (membership.unit.name, membership.unit.role) == ("สำนักปลัด", "office")
    people.site_admin_create("root", "", "ทรงคนอง-ระบบ-2568")
    assert User.objects.get(username="root").is_superuser
