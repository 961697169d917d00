"""The API token page: a token is made with a name and an expiry, shown once, stored hashed, listed and
revoked; an expired or revoked token opens nothing."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prongsai.web.models import ApiToken

from ..conftest import World


def _made(world: World, persona: str = "editor", days: int = 30) -> tuple[Client, str]:
    client = world.client(persona)
    response = client.post(reverse("tokens"), {"name": "สคริปต์กองคลัง", "days": str(days)})
    assert response.status_code == 200
    page = response.content.decode()
    token = re.search(r'value="(ps_[A-Za-z0-9_\-]+)"', page)
    assert token is not None, "the new token is shown once"
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    return client, token.group(1)


def test_a_token_is_shown_once_and_stored_hashed(world: World) -> None:
    client, token = _made(world)
    stored = ApiToken.objects.get(user=world.users["editor"])
    assert stored.name == "สคริปต์กองคลัง"
    assert stored.digest == ApiToken.hash(token) and token not in stored.digest
    last_day = timezone.localtime(stored.expires).date()
    assert last_day == timezone.localdate() + dt.timedelta(days=30)
    listing = client.get(reverse("tokens")).content.decode()
    assert "สคริปต์กองคลัง" in listing and token not in listing  # listed, never shown again


def test_the_token_works_until_it_is_revoked(world: World) -> None:
    client, token = _made(world)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/agencies").status_code == 200
    stored = ApiToken.objects.get(user=world.users["editor"])
    assert stored.last_used is not None
    response = client.post(reverse("token_revoke", args=[stored.pk]), follow=True)
    assert "ยกเลิกโทเค็น" in response.content.decode()
    assert api.get("/api/agencies").status_code == 401


def test_an_expired_token_opens_nothing(world: World) -> None:
    _, token = _made(world)
    ApiToken.objects.filter(user=world.users["editor"]).update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert Client(headers={"Authorization": f"Bearer {token}"}).get("/api/agencies").status_code == 401


def test_another_persons_token_cannot_be_revoked(world: World) -> None:
    _made(world, "editor")
    stored = ApiToken.objects.get(user=world.users["editor"])
    assert world.client("owner").post(reverse("token_revoke", args=[stored.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=stored.pk).exists()


def test_a_token_needs_a_name_and_a_known_lifetime(world: World) -> None:
    response = world.client("viewer").post(reverse("tokens"), {"name": "", "days": "9999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ฟิลด์นี้จำเป็น" in page or "จำเป็น" in page
    assert not ApiToken.objects.filter(user=world.users["viewer"]).exists()
