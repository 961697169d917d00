"""403, 404 and 500 pages in Thai, each with a way back (to the home page), never Django's bare English."""

from __future__ import annotations

from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from ..conftest import World

ENGLISH = ("Not Found", "Forbidden", "Server Error", "Bad Request", "CSRF verification failed")


def _thai_with_a_way_back(body: str, heading: str) -> None:
    assert heading in body
    assert 'href="/"' in body and "กลับหน้าแรก" in body
    assert '<html lang="th">' in body
    for english in ENGLISH:
        assert english not in body


def test_404_is_thai(world: World) -> None:
    response = world.client("outsider").get(reverse("agency", args=[world.agency.pk]))
    assert response.status_code == 404
    _thai_with_a_way_back(response.content.decode(), "ไม่พบหน้านี้")
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404 and "เข้าสู่ระบบ" in anonymous.content.decode()


def test_403_is_thai(world: World) -> None:
    response = world.client("viewer").post(reverse("results", kwargs={"agency_id": world.agency.pk, "year": 2564}), {})
    assert response.status_code == 403
    _thai_with_a_way_back(response.content.decode(), "ท่านไม่มีสิทธิ์ทำรายการนี้")


def test_a_stale_form_is_explained_in_thai(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["owner"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("tokens"), {"name": "x", "days": "30"})
    assert response.status_code == 403
    _thai_with_a_way_back(response.content.decode(), "ส่งแบบฟอร์มไม่สำเร็จ")


def test_500_is_thai_without_a_request_context() -> None:
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    _thai_with_a_way_back(response.content.decode(), "ระบบขัดข้อง")
