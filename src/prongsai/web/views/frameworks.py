"""A year's framework: what changed from the year before (any logged-in user), and loading a year's file
(site administrators: staff or superusers), with a preview when agencies already have data of that year."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prongsai.errors import FrameworkError, in_language
from prongsai.frameworks import get_framework, sources
from prongsai.yearchange import diff, grouped, propose_mapping

from ..access import agencies_for
from ..http import SignedInRequest
from ..i18n import language
from ..services.yearload import SET_ASIDE_MARK, LoadPlan, apply_load, plan_load, set_aside_entries

MAX_FILE_BYTES = 2 * 1024 * 1024


def is_site_admin(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


@login_required
def year_changes(request: SignedInRequest, year: int) -> HttpResponse:
    known = sources()
    if year not in known or year - 1 not in known:
        raise Http404
    previous, current = get_framework(year - 1), get_framework(year)
    links = propose_mapping(previous, current)
    changes = diff(previous, current, links)
    set_aside = [
        {"entry": entry, "held": entry.changes[SET_ASIDE_MARK][0]}
        for entry in set_aside_entries(agencies_for(request.user).values_list("pk", flat=True), year)
    ]
    context = {
        "year": year,
        "previous": previous,
        "current": current,
        "source": known[year],
        "groups": grouped(changes),
        "proposed": [link.code for link in links.values() if link.proposed],
        "set_aside": set_aside,
        "site_admin": is_site_admin(request.user),
    }
    return render(request, "prongsai/year_changes.html", context)


def _error(exc: FrameworkError) -> str:
    reason = in_language(exc.reason, language())
    if exc.field:
        return _(
            "ไฟล์นี้ใช้ไม่ได้ จึงยังไม่ได้เปลี่ยนแปลงข้อมูลใด: ช่อง “%(field)s” ไม่ถูกต้อง (%(reason)s) "
            "โปรดแก้ค่าในช่องนี้ของไฟล์ให้ถูกต้องแล้วอัปโหลดอีกครั้ง"
        ) % {"field": exc.field, "reason": reason}
    return _(
        "ไฟล์นี้ใช้ไม่ได้ จึงยังไม่ได้เปลี่ยนแปลงข้อมูลใด: %(reason)s โปรดตรวจสอบว่าเป็นไฟล์ YAML ของกรอบการประเมินแล้วอัปโหลดอีกครั้ง"
    ) % {"reason": reason}


def _page(request: HttpRequest, *, error: str = "", plan: LoadPlan | None = None, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"sources": list(sources().values()), "error": error, "plan": plan}
    if plan is not None:
        context["groups"] = grouped(plan.changes)
        context["rows"] = plan.rows()
        # the file goes back with the confirmation byte for byte (a textarea would turn newlines into CRLF)
        context["text_b64"] = base64.b64encode(plan.text.encode("utf-8")).decode("ascii")
    return render(request, "prongsai/frameworks.html", context, status=status)


def _apply(request: HttpRequest, plan: LoadPlan) -> HttpResponse:
    apply_load(plan, loaded_by=request.user.get_username(), user=request.user)
    year = plan.fiscal_year
    if plan.affected:
        messages.success(
            request,
            _("ใช้กรอบการประเมินปี %(year)s จากไฟล์ใหม่แล้ว และย้ายข้อมูลของ %(agencies)s หน่วยงานไปยังข้อใหม่เรียบร้อย")
            % {"year": year, "agencies": plan.agencies},
        )
    else:
        messages.success(
            request,
            _("เพิ่มกรอบการประเมินปี %(year)s แล้ว มีข้อ OIT %(items)s ข้อ")
            % {"year": year, "items": len(plan.framework.items)},
        )
    return redirect("framework_upload")


def framework_upload(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(f"/login/?next={request.path}")
    if not is_site_admin(request.user):
        raise PermissionDenied(_("เฉพาะผู้ดูแลระบบเพิ่มกรอบการประเมินได้"))
    if request.method != "POST":
        return _page(request)
    if "confirm" in request.POST:
        fingerprint = request.POST.get("fingerprint", "")
        try:
            text = base64.b64decode(request.POST.get("text", ""), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return _page(request, error="ข้อมูลที่ส่งมายืนยันไม่ครบ โปรดอัปโหลดไฟล์อีกครั้ง", status=400)
        source = request.POST.get("source", "upload.yaml")
        try:
            plan = plan_load(text, source)
        except FrameworkError as exc:
            return _page(request, error=_error(exc), status=400)
        if plan.fingerprint != fingerprint:
            return _page(
                request,
                error="ข้อมูลเปลี่ยนไปหลังจากที่แสดงตัวอย่าง โปรดตรวจสอบรายการด้านล่างอีกครั้งแล้วยืนยันใหม่",
                plan=plan,
                status=409,
            )
        return _apply(request, plan)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, error="โปรดเลือกไฟล์กรอบการประเมิน (.yaml) ก่อนกดอัปโหลด", status=400)
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        return _page(request, error="ไฟล์ใหญ่เกินกว่าไฟล์กรอบการประเมินทั่วไป (เกิน 2 MB) โปรดตรวจสอบว่าเลือกไฟล์ถูกต้อง", status=400)
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        return _page(request, error="อ่านไฟล์ไม่ได้ ไฟล์ต้องเป็นข้อความ UTF-8 (ไฟล์ YAML)", status=400)
    try:
        plan = plan_load(text, upload.name or "upload.yaml")
        if not plan.affected:
            return _apply(request, plan)
    except FrameworkError as exc:
        return _page(request, error=_error(exc), status=400)
    return _page(request, plan=plan)
