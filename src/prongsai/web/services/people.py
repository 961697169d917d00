"""An agency's people and units: the rules the members page and ``prongsai createadmin`` share.

A unit stands for one of the drafting rules' units (its ``role``) so that drafting assigns it; a unit still
named by the register, a measure, a recommendation or a member cannot be removed; an agency always keeps an
admin; an admin sets a password only for someone who belongs to this agency alone (anyone else could be
taken over through it: they reset their own by e-mail).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prongsai.errors import ProngsaiError
from prongsai.report import thai_list
from prongsai.thai import CODE_MAX, code_of

from .. import services
from ..i18n import language
from ..models import Agency, Membership, Role, Unit

# e-mail that only prints or drops: no person would receive a reset link
UNDELIVERED_MAIL = frozenset(
    {"django.core.mail.backends.console.EmailBackend", "django.core.mail.backends.dummy.EmailBackend"}
)


def role_choices() -> list[tuple[str, str]]:
    """The drafting rules' units (code, Thai name): the one list a unit's role is chosen from."""
    from prongsai.drafting import load_rules

    return [(u.code, u.name_th) for u in load_rules().units]


def role_name(code: str) -> str:
    return dict(role_choices()).get(code, code)


def _other_units(agency: Agency, exclude: int | None) -> QuerySet[Unit]:
    """The agency's units but the one being edited (none when a unit is being added)."""
    units = Unit.objects.filter(agency=agency)
    return units if exclude is None else units.exclude(pk=exclude)


def unit_code(agency: Agency, name: str, role: str = "", *, exclude: int | None = None) -> str:
    """A code nobody typed: the role's (finance) while the agency has no unit of that code, else one made
    from the name (กองคลัง), numbered when taken (กองคลัง-2)."""
    taken = set(_other_units(agency, exclude).values_list("code", flat=True))
    base = role if role and role not in taken else (code_of(name) or "unit")
    code, number = base, 1
    while code in taken:
        number += 1
        suffix = f"-{number}"
        code = base[: CODE_MAX - len(suffix)] + suffix
    return code


def unit_uses(unit: Unit) -> list[str]:
    """What still names the unit, in words (ทะเบียน OIT 4 ข้อ, มาตรการ 1 รายการ …); empty when unused."""
    counts = [
        (n := unit.registerentry_set.count(), ngettext("ทะเบียน OIT %(n)s ข้อ", "ทะเบียน OIT %(n)s ข้อ", n)),
        (n := unit.measures.count(), ngettext("มาตรการ %(n)s รายการ", "มาตรการ %(n)s รายการ", n)),
        (n := unit.recommendation_set.count(), ngettext("ข้อเสนอแนะ %(n)s ข้อ", "ข้อเสนอแนะ %(n)s ข้อ", n)),
        (n := unit.members.count(), ngettext("สมาชิก %(n)s คน", "สมาชิก %(n)s คน", n)),
        (n := unit.areaassignment_set.count(), ngettext("การมอบหมายด้าน %(n)s ด้าน", "การมอบหมายด้าน %(n)s ด้าน", n)),
    ]
    return [words % {"n": n} for n, words in counts if n]


@transaction.atomic
def unit_remove(user: User | None, unit: Unit) -> None:
    uses = unit_uses(unit)
    if uses:
        raise ValidationError(
            _("ลบ%(name)sไม่ได้ เพราะยังเป็นผู้รับผิดชอบ%(uses)s ให้เปลี่ยนผู้รับผิดชอบเป็นหน่วยงานย่อยอื่นก่อน แล้วจึงลบ")
            % {"name": unit.name, "uses": thai_list(uses, language())}
        )
    services.audit_record(user, unit.agency, unit, {"name": unit.name, "code": unit.code}, {"name": "", "code": ""})
    unit.delete()


def unit_clash(agency: Agency, *, name: str, code: str, role: str, exclude: int | None) -> dict[str, str]:
    """Field → Thai message for a name, code or role another unit of the agency already has."""
    others = _other_units(agency, exclude)
    clashes = {}
    if name and others.filter(name=name).exists():
        clashes["name"] = _("มีหน่วยงานย่อยชื่อ %(name)s อยู่แล้ว ใช้ชื่ออื่น หรือแก้ไขหน่วยงานย่อยเดิม") % {"name": name}
    if code and others.filter(code=code).exists():
        clashes["code"] = _("รหัส %(code)s ใช้กับหน่วยงานย่อยอื่นแล้ว ใช้รหัสอื่น หรือเว้นว่างให้ระบบตั้งให้") % {"code": code}
    holder = others.filter(role=role).first() if role else None
    if holder is not None:
        clashes["role"] = _("%(unit)s ทำหน้าที่%(role)sอยู่แล้ว เลือกหน้าที่อื่น หรือเปลี่ยนที่%(unit)sก่อน") % {
            "unit": holder.name,
            "role": role_name(role),
        }
    return clashes


# --- members -----------------------------------------------------------------------------------------


def _admins(agency: Agency, excluding: Membership) -> int:
    return agency.memberships.filter(role=Role.ADMIN).exclude(pk=excluding.pk).count()


@transaction.atomic
def member_change(user: User | None, membership: Membership, role: str, unit: Unit | None) -> None:
    if membership.role == Role.ADMIN and role != Role.ADMIN and not _admins(membership.agency, membership):
        raise ValidationError(_("หน่วยงานต้องมีผู้ดูแลอย่างน้อยหนึ่งคน ให้ผู้อื่นเป็นผู้ดูแลก่อน แล้วจึงเปลี่ยนบทบาทนี้"))
    if role == Role.EDITOR and unit is None:
        raise ValidationError(_("ผู้แก้ไขต้องสังกัดหน่วยงานย่อย เลือกหน่วยงานย่อยด้วย"))
    before = {"role": membership.role, "unit": str(membership.unit or "")}
    membership.role, membership.unit = role, unit
    membership.save(update_fields=["role", "unit"])
    services.audit_record(user, membership.agency, membership, before, {"role": role, "unit": str(unit or "")})


@transaction.atomic
def member_remove(user: User | None, membership: Membership) -> None:
    """The person leaves the agency; their login and what they did (the history) stay."""
    if membership.role == Role.ADMIN and not _admins(membership.agency, membership):
        raise ValidationError(_("ลบผู้ดูแลคนสุดท้ายไม่ได้ ให้ผู้อื่นเป็นผู้ดูแลก่อน"))
    services.audit_record(user, membership.agency, membership, {"role": membership.role}, {"role": ""})
    membership.delete()


def reset_refusal(admin: User, membership: Membership) -> str | None:
    """Why this admin may not set the member's password (Thai), or None when they may."""
    person = membership.user
    if person.pk == admin.pk:
        return _("เปลี่ยนรหัสผ่านของตนเองที่เมนูเปลี่ยนรหัสผ่าน")
    if getattr(person, "is_staff", False) or getattr(person, "is_superuser", False):
        return _("ผู้ใช้นี้เป็นผู้ดูแลระบบ ให้ตั้งรหัสผ่านใหม่เองทางอีเมลหรือที่เซิร์ฟเวอร์")
    elsewhere = person.memberships.exclude(agency=membership.agency).exists() or person.office_memberships.exists()
    if elsewhere:
        return _("ผู้ใช้นี้เป็นสมาชิกของหน่วยงานหรือสำนักงานอื่นด้วย ให้ตั้งรหัสผ่านใหม่เองทางอีเมล")
    return None


# read aloud or typed from a phone: no 0/O, 1/l/I
READABLE = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def one_time_password() -> str:
    """Three groups of four (k7Hm-p3Qx-W9tc): about 70 bits, easy to pass on."""
    return "-".join("".join(secrets.choice(READABLE) for _ in range(4)) for _ in range(3))


@transaction.atomic
def password_set(admin: User, membership: Membership, password: str = "") -> str:
    """Set the member's password: the one typed, or a new one-time password, returned to show once."""
    refusal = reset_refusal(admin, membership)
    if refusal:
        raise ValidationError(refusal)
    person = membership.user
    chosen = password or one_time_password()
    validate_password(chosen, person)
    person.set_password(chosen)
    person.save(update_fields=["password"])
    services.audit_record(admin, membership.agency, membership, {"password": ""}, {"password": "ตั้งใหม่โดยผู้ดูแล"})
    return chosen


def mail_configured() -> bool:
    """Whether e-mail reaches people (not the console default): only then is a reset link offered."""
    return settings.EMAIL_BACKEND not in UNDELIVERED_MAIL


def reset_mail(request: HttpRequest, membership: Membership) -> bool:
    """Send Django's password-reset e-mail (Thai templates) to the member; False without an address."""
    from django.contrib.auth.forms import PasswordResetForm

    email = membership.user.email
    form = PasswordResetForm({"email": email})
    if not email or not form.is_valid():
        return False
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name="prongsai/password_reset_subject.txt",
        email_template_name="prongsai/password_reset_email.txt",
    )
    return True


# --- the first admin -----------------------------------------------------------------------------------


class PeopleError(ProngsaiError):
    """A user that cannot be made as asked (``prongsai createadmin``): one Thai line, exit code 2."""


def _new_user(username: str, email: str, password: str, *, superuser: bool) -> User:
    model = get_user_model()
    username = username.strip()
    if not username:
        raise PeopleError("ต้องระบุชื่อผู้ใช้")
    if model.objects.filter(username=username).exists():
        raise PeopleError(f"มีผู้ใช้ชื่อ {username} อยู่แล้ว ใช้ชื่ออื่น")
    user = model(username=username, email=email, is_staff=superuser, is_superuser=superuser)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise PeopleError("ตั้งรหัสผ่านนี้ไม่ได้: " + " ".join(exc.messages)) from exc
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def site_admin_create(username: str, email: str, password: str) -> None:
    """The site administrator: a superuser (/admin/, frameworks), member of no agency."""
    _new_user(username, email, password, superuser=True)


@transaction.atomic
def agency_admin_create(username: str, email: str, password: str, agency_name: str) -> Agency:
    """A new agency with the usual สำนักปลัด unit and a new user as its admin: an agency admin, not a site
    administrator (a superuser would see every agency in /admin/)."""
    name = " ".join(agency_name.split())
    if not name:
        raise PeopleError("ต้องระบุชื่อหน่วยงาน เช่น --agency องค์การบริหารส่วนตำบลทรงคนอง")
    return agency_start(_new_user(username, email, password, superuser=False), name)


def agency_start(user: User, name: str) -> Agency:
    """A new agency with the usual สำนักปลัด unit (its role office) and ``user`` as its admin."""
    agency = Agency.objects.create(name=name)
    office = Unit.objects.create(agency=agency, code="office", role="office", name=role_name("office"))
    Membership.objects.create(user=user, agency=agency, role=Role.ADMIN, unit=office)
    return agency
