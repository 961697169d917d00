"""The request as views see it, for the type checker: what middleware and login_required guarantee at run time.

django-stubs types ``request.user`` as ``User | AnonymousUser`` and knows nothing of django-htmx; a view behind
``login_required`` (and an API endpoint behind the API's TokenAuth) annotates its request as ``SignedInRequest``
instead of checking again what the decorator checked.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """Any request: django_htmx's HtmxMiddleware (settings.MIDDLEWARE) sets ``request.htmx`` on every one."""

    htmx: HtmxDetails


class SignedInRequest(HtmxRequest):
    """A request that passed ``login_required`` or the API's token: its user is a User, never AnonymousUser."""

    user: User
