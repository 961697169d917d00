"""API tokens: a person makes one for a program (named, with an expiry), sees it once, and revokes it.

A token acts as the person who made it, with their memberships; only its SHA-256 is stored."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..http import SignedInRequest
from ..models import ApiToken

# How long a new token works: a short life is the safe default, a year the longest.
LIFETIMES = ((30, gettext_lazy("30 วัน")), (90, gettext_lazy("90 วัน")), (365, gettext_lazy("1 ปี")))


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("ชื่อโทเค็น"),
        max_length=100,
        help_text=gettext_lazy("บอกว่าใช้กับโปรแกรมใด เช่น สคริปต์ส่งผลคะแนนของกองคลัง"),
    )
    days = forms.TypedChoiceField(label=gettext_lazy("ใช้ได้นาน"), choices=LIFETIMES, coerce=int, initial=90)

    def expires(self, today: dt.date) -> dt.datetime:
        """The end of the last day the token works, in the site's time zone."""
        last = today + dt.timedelta(days=self.cleaned_data["days"])
        return timezone.make_aware(dt.datetime.combine(last, dt.time.max))


@login_required
@never_cache  # the page that shows a new token once must not be kept by a browser or a proxy
def tokens(request: SignedInRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _made, new_token = ApiToken.issue(
                request.user, form.cleaned_data["name"].strip(), form.expires(timezone.localdate())
            )
            form = TokenForm()
        else:
            status = 400
    now = timezone.now()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": [(t, t.expired(now)) for t in ApiToken.objects.filter(user=request.user)],
        "api_url": request.build_absolute_uri("/api/"),
    }
    return render(request, "prongsai/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    """Only the person's own tokens: another person's token is not found (404), like another agency's pages."""
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404
    token.delete()
    messages.success(request, _("ยกเลิกโทเค็น “%(name)s” แล้ว โปรแกรมที่ใช้โทเค็นนี้จะเข้าถึงไม่ได้อีก") % {"name": token.name})
    return redirect("tokens")
