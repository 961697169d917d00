"""The members page: inviting a person by link."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from prongsai.web.models import Invitation, Membership

from ..conftest import World


def test_an_invitation_makes_a_member(world: World) -> None:
    owner = world.client("owner")
    response = owner.post(
        reverse("members", args=[world.agency.pk]),
        {"invite-email": "new@example.org", "invite-role": "editor", "invite-unit": world.finance.pk},
        follow=True,
    )
    invitation = Invitation.objects.get(email="new@example.org")
    assert f"/invite/{invitation.token}/" in response.content.decode()
    guest = Client()
    assert guest.get(f"/invite/{invitation.token}/").status_code == 200
    response = guest.post(f"/invite/{invitation.token}/", {"username": "newbie", "password": "a-long-new-password"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="newbie", agency=world.agency)
    assert (membership.role, membership.unit) == ("editor", world.finance)
    assert guest.get(reverse("agency", args=[world.agency.pk])).status_code == 200  # logged in
    assert Client().get(f"/invite/{invitation.token}/").status_code == 404  # used once


def test_an_editor_invitation_needs_a_unit(world: World) -> None:
    response = world.client("owner").post(
        reverse("members", args=[world.agency.pk]), {"invite-email": "x@example.org", "invite-role": "editor"}
    )
    assert response.status_code == 400 and not Invitation.objects.exists()  # a form with errors: 400
    assert "ผู้แก้ไขต้องสังกัดหน่วยงานย่อย" in response.content.decode()
