"""A throttle on failed logins per network address, across user names (password spraying).

django-axes locks one user name at one address after PRONGSAI_LOGIN_FAILURE_LIMIT failures; trying one or two
common passwords on each of many user names from one address never trips it. Here every failed login counts
against its address, whatever the user name, in the Django cache (Redis in production: one count for all
workers), for LOGIN_WINDOW seconds from the first failure. At PRONGSAI_LOGIN_ADDRESS_LIMIT failures that
address gets the login form back with a Thai message and status 429 until the window ends. The limit is far
above what the people of one office behind one address get wrong in 15 minutes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

LOGIN_WINDOW = 15 * 60  # seconds, as django-axes's cool-off (AXES_COOLOFF_TIME)
MESSAGE = (
    "มีการเข้าสู่ระบบไม่สำเร็จจากที่อยู่เครือข่ายนี้หลายครั้งเกินไป จึงพักการเข้าสู่ระบบจากที่อยู่นี้ไว้ 15 นาที "
    "โปรดลองใหม่ภายหลัง หรือติดต่อผู้ดูแลระบบหากลืมรหัสผ่าน"
)


def _key(request: HttpRequest) -> str:
    return f"prongsai:login-failures:{request.META.get('REMOTE_ADDR', '')}"


def failures(request: HttpRequest) -> int:
    return int(cache.get(_key(request), 0))


def throttled(request: HttpRequest) -> bool:
    return failures(request) >= settings.LOGIN_ADDRESS_LIMIT


@receiver(user_login_failed, dispatch_uid="prongsai-login-failures-per-address")
def _count_failure(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any) -> None:
    if request is None:
        return
    key = _key(request)
    cache.add(key, 0, timeout=LOGIN_WINDOW)  # the window starts at the first failure
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=LOGIN_WINDOW)


class ThrottledLoginView(LoginView):
    """The login page; a POST from an address over the limit is not checked at all (no password is tried)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if throttled(request):
            return self.render_to_response(self.get_context_data(throttled=MESSAGE), status=429)
        return super().post(request, *args, **kwargs)
