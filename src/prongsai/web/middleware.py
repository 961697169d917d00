"""Thai unless the user chose otherwise.

Django's LocaleMiddleware would follow the browser's Accept-Language, and many office PCs run an
English browser; prongsai is Thai first, so only the language cookie set by the switch counts."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        return response


class ProxyMiddleware:
    """PRONGSAI_BEHIND_PROXY: nginx on this machine passes the client's address in X-Real-IP (docs/deployment.md).

    Without it every request would come from 127.0.0.1, and the survey rate limit and the login throttle
    would count all visitors as one. The header is believed only from a proxy on this machine."""

    TRUSTED = frozenset({"127.0.0.1", "::1", ""})  # "" is a Unix socket

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real and request.META.get("REMOTE_ADDR", "") in self.TRUSTED:
            request.META["REMOTE_ADDR"] = real
        return self.get_response(request)
