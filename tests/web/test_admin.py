"""Starting an agency: createadmin, and the site admin."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from prongsai.web.demo import agency_with_admin
from prongsai.web.models import Membership


def test_createadmin_can_start_an_agency(db: Any) -> None:
    User.objects.create_superuser("root", "root@example.org", "a-long-admin-password")
    agency = agency_with_admin("เทศบาลตำบลใหม่", "root")
    membership = Membership.objects.get(agency=agency)
    assert membership.user.username == "root" and membership.role == "admin" and membership.unit.name == "สำนักปลัด"


def test_the_site_admin_is_mounted(db: Any) -> None:
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-admin-password")
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/admin/prongsai/agency/").status_code == 200
    assert client.get("/admin/prongsai/auditentry/").status_code == 200
