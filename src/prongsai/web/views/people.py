"""The agency admin's pages for people: units, members (role, unit, removal, passwords) and the agency's profile
(each behind admin_access_for: 404 for outsiders, 403 for the agency's other members)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import services
from ..access import Access, admin_access_for
from ..forms import AgencyProfileForm, InvitationForm, MemberForm, PasswordSetForm, UnitForm
from ..http import SignedInRequest
from ..models import Invitation, Membership, Unit
from ..services import people

UNIT_FIELDS = ("name", "code", "role", "email")


def _units_page(request: HttpRequest, access: Access, form: UnitForm, status: int = 200) -> HttpResponse:
    units = list(access.agency.units.all())
    roles = people.role_choices()
    names = dict(roles)
    context = {
        "access": access,
        "agency": access.agency,
        "form": form,
        "rows": [
            (
                unit,
                UnitForm(instance=unit, agency=access.agency, prefix=f"u{unit.pk}"),
                people.unit_uses(unit),
                names.get(unit.role, ""),
            )
            for unit in units
        ],
        "roles": roles,
        "taken_roles": {u.role for u in units if u.role},
    }
    return render(request, "prongsai/units.html", context, status=status)


def _save_unit(request: SignedInRequest, access: Access, form: UnitForm, created: bool) -> bool:
    """Save a valid form; a clash that slipped past the form (two people at once) becomes a Thai form error."""
    before = None if created else {f: getattr(form.instance, f) for f in UNIT_FIELDS}
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            unit = form.save()
            services.audit_record(request.user, access.agency, unit, before, {f: getattr(unit, f) for f in UNIT_FIELDS})
    except IntegrityError:
        form.add_error(None, _("มีหน่วยงานย่อยที่ชื่อ รหัส หรือหน้าที่ซ้ำกันเพิ่งบันทึกไป โหลดหน้าใหม่แล้วลองอีกครั้ง"))
        return False
    return True


@login_required
def units(request: SignedInRequest, agency_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    form = UnitForm(request.POST or None, agency=access.agency, instance=Unit(agency=access.agency))
    if request.method == "POST":
        if _save_unit(request, access, form, created=True):
            messages.success(
                request, _("เพิ่ม%(name)sแล้ว (รหัส %(code)s)") % {"name": form.instance.name, "code": form.instance.code}
            )
            return redirect("units", agency_id=agency_id)
        return _units_page(request, access, form, status=400)
    return _units_page(request, access, form)


def _unit(access: Access, unit_id: int) -> Unit:
    return get_object_or_404(Unit, pk=unit_id, agency=access.agency)


@login_required
@require_POST
def unit_edit(request: SignedInRequest, agency_id: int, unit_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    unit = _unit(access, unit_id)
    form = UnitForm(request.POST, agency=access.agency, instance=unit, prefix=f"u{unit.pk}")
    if not _save_unit(request, access, form, created=False):
        errors = " ".join(str(e) for field in form.errors.values() for e in field)
        name = Unit.objects.get(pk=unit.pk).name  # the saved name, not the one that failed
        messages.error(request, _("บันทึก%(name)sไม่ได้: %(errors)s") % {"name": name, "errors": errors})
        return redirect("units", agency_id=agency_id)
    messages.success(request, _("บันทึก%(name)sแล้ว") % {"name": unit.name})
    return redirect("units", agency_id=agency_id)


@login_required
@require_POST
def unit_remove(request: SignedInRequest, agency_id: int, unit_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    unit = _unit(access, unit_id)
    try:
        people.unit_remove(request.user, unit)
        messages.success(request, _("ลบ%(name)sแล้ว") % {"name": unit.name})
    except ValidationError as exc:
        messages.error(request, exc.message)
    return redirect("units", agency_id=agency_id)


# --- members -----------------------------------------------------------------------------------------


def _members_page(
    request: SignedInRequest,
    access: Access,
    invite_form: InvitationForm | None = None,
    shown_password: tuple[Membership, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    memberships = list(access.agency.memberships.select_related("user", "unit").order_by("user__username"))
    rows = [
        {
            "membership": m,
            "form": MemberForm(agency=access.agency, prefix=f"m{m.pk}", initial={"role": m.role, "unit": m.unit_id}),
            "refusal": people.reset_refusal(request.user, m),
            "is_me": m.user_id == request.user.pk,
        }
        for m in memberships
    ]
    context = {
        "access": access,
        "agency": access.agency,
        "rows": rows,
        "invite_form": invite_form or InvitationForm(prefix="invite", agency=access.agency),
        "invitations": access.agency.invitations.filter(accepted_at__isnull=True),
        "password_form": PasswordSetForm(),
        "mail": people.mail_configured(),
        "shown_password": shown_password,
        "has_units": access.agency.units.exists(),
    }
    response = render(request, "prongsai/members.html", context, status=status)
    if shown_password:
        response["Cache-Control"] = "no-store"  # a password shown once is kept by no cache
    return response


@login_required
def members(request: SignedInRequest, agency_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    if request.method == "POST":
        invite_form = InvitationForm(request.POST, prefix="invite", agency=access.agency)
        if invite_form.is_valid():
            invitation = Invitation.objects.create(
                agency=access.agency, invited_by=request.user, **invite_form.cleaned_data
            )
            link = request.build_absolute_uri(f"/invite/{invitation.token}/")
            messages.success(request, _("สร้างคำเชิญแล้ว ส่งลิงก์นี้ให้ผู้รับ: %(link)s") % {"link": link})
            return redirect("members", agency_id=agency_id)
        return _members_page(request, access, invite_form, status=400)
    return _members_page(request, access)


def _membership(access: Access, membership_id: int) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "unit"), pk=membership_id, agency=access.agency)


@login_required
@require_POST
def member_edit(request: SignedInRequest, agency_id: int, membership_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    membership = _membership(access, membership_id)
    form = MemberForm(request.POST, agency=access.agency, prefix=f"m{membership.pk}")
    name = membership.user.get_username()
    if not form.is_valid():
        messages.error(request, _("บันทึกบทบาทของ %(name)s ไม่ได้: เลือกบทบาทและหน่วยงานย่อยจากรายการ") % {"name": name})
        return redirect("members", agency_id=agency_id)
    try:
        people.member_change(request.user, membership, form.cleaned_data["role"], form.cleaned_data["unit"])
        messages.success(
            request, _("บันทึกบทบาทของ %(name)s แล้ว: %(role)s") % {"name": name, "role": membership.get_role_display()}
        )
    except ValidationError as exc:
        messages.error(request, _("บันทึกบทบาทของ %(name)s ไม่ได้: %(reason)s") % {"name": name, "reason": exc.message})
    return redirect("members", agency_id=agency_id)


@login_required
@require_POST
def member_remove(request: SignedInRequest, agency_id: int, membership_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    membership = _membership(access, membership_id)
    name = membership.user.get_username()
    try:
        people.member_remove(request.user, membership)
        messages.success(request, _("นำ %(name)s ออกจากหน่วยงานแล้ว") % {"name": name})
    except ValidationError as exc:
        messages.error(request, exc.message)
    return redirect("members", agency_id=agency_id)


@never_cache
@login_required
@require_POST
def member_password(request: SignedInRequest, agency_id: int, membership_id: int) -> HttpResponse:
    """The admin sets the password, or the system makes a one-time one: shown on this response only."""
    access = admin_access_for(request.user, agency_id)
    membership = _membership(access, membership_id)
    form = PasswordSetForm(request.POST)
    typed = form.cleaned_data["password"] if form.is_valid() else ""
    try:
        chosen = people.password_set(request.user, membership, typed)
    except ValidationError as exc:
        messages.error(
            request,
            _("ตั้งรหัสผ่านของ %(name)s ไม่ได้: %(reason)s")
            % {"name": membership.user.get_username(), "reason": " ".join(exc.messages)},
        )
        return redirect("members", agency_id=agency_id)
    if typed:
        messages.success(request, _("ตั้งรหัสผ่านใหม่ของ %(name)s แล้ว") % {"name": membership.user.get_username()})
        return redirect("members", agency_id=agency_id)
    return _members_page(request, access, shown_password=(membership, chosen))


@login_required
@require_POST
def member_reset_mail(request: SignedInRequest, agency_id: int, membership_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    membership = _membership(access, membership_id)
    name = membership.user.get_username()
    if not people.mail_configured():
        messages.error(request, _("ระบบนี้ยังไม่ได้ตั้งค่าการส่งอีเมล ใช้การตั้งรหัสผ่านโดยผู้ดูแลแทน"))
    elif people.reset_mail(request, membership):
        messages.success(
            request,
            _("ส่งลิงก์ตั้งรหัสผ่านใหม่ไปที่อีเมลของ %(name)s แล้ว (%(email)s)") % {"name": name, "email": membership.user.email},
        )
    else:
        messages.error(request, _("%(name)s ยังไม่มีอีเมลในระบบ ใช้การตั้งรหัสผ่านโดยผู้ดูแลแทน") % {"name": name})
    return redirect("members", agency_id=agency_id)


# --- the agency's profile --------------------------------------------------------------------------------


PROFILE_FIELDS = AgencyProfileForm.Meta.fields


@login_required
def profile(request: SignedInRequest, agency_id: int) -> HttpResponse:
    access = admin_access_for(request.user, agency_id)
    agency = access.agency
    before = {f: getattr(agency, f) for f in PROFILE_FIELDS}
    form = AgencyProfileForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        services.audit_record(request.user, saved, saved, before, {f: getattr(saved, f) for f in PROFILE_FIELDS})
        messages.success(request, _("บันทึกข้อมูลหน่วยงานแล้ว"))
        return redirect("profile", agency_id=agency_id)
    if form.errors:
        agency.refresh_from_db()  # the header shows the saved name, not what failed
    context = {"access": access, "agency": agency, "form": form, "history": services.history_of(agency)[:20]}
    return render(request, "prongsai/profile.html", context, status=400 if form.errors else 200)
