"""Password spraying: failed logins from one address count together, whatever the user names; past
PRONGSAI_LOGIN_ADDRESS_LIMIT the address waits (429 and a Thai message) while other addresses log in as usual.
django-axes still locks one user name at one address (PRONGSAI_LOGIN_FAILURE_LIMIT)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from prongsai.web.throttle import MESSAGE

from .conftest import World

SPRAYER, OFFICE = "203.0.113.9", "198.51.100.7"


def _login(username: str, password: str, address: str) -> Any:
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_many_user_names_from_one_address_are_throttled(world: World, settings: Any) -> None:
    settings.LOGIN_ADDRESS_LIMIT = 8
    names = [f"staff{n}" for n in range(8)]
    for name in names:
        User.objects.create_user(name, f"{name}@example.org", "a-long-test-password")
    for name in names:  # one guess per user name: django-axes (5 per name and address) never locks
        response = _login(name, "Password123!", SPRAYER)
        assert response.status_code == 200 and "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()
    refused = _login("owner", "a-long-test-password", SPRAYER)  # even the right password is not tried now
    assert refused.status_code == 429 and MESSAGE in refused.content.decode()
    assert "_auth_user_id" not in refused.wsgi_request.session
    # another address (another office) is not held up by the sprayer
    assert _login("owner", "a-long-test-password", OFFICE).status_code == 302


def test_a_few_mistakes_from_one_office_are_not_throttled(world: World, settings: Any) -> None:
    settings.LOGIN_ADDRESS_LIMIT = 8
    for name in ("owner", "editor", "viewer"):
        assert _login(name, "wrong-password", OFFICE).status_code == 200
    assert _login("editor", "a-long-test-password", OFFICE).status_code == 302
