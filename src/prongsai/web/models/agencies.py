"""Agencies, their responsible units, and who may see or change them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    class Kind(models.TextChoices):
        SAO = "sao", _("องค์การบริหารส่วนตำบล")
        MUNICIPALITY = "municipality", _("เทศบาล")
        PAO = "pao", _("องค์การบริหารส่วนจังหวัด")
        OTHER = "other", _("หน่วยงานอื่น")

    name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices, default=Kind.SAO)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    website = models.URLField(_("เว็บไซต์"), blank=True)
    signer_name = models.CharField(_("ชื่อผู้ลงนาม"), max_length=200, blank=True)
    signer_position = models.CharField(_("ตำแหน่งผู้ลงนาม"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("หน่วยงาน")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A responsible unit (ผู้รับผิดชอบ): สำนักปลัด, กองคลัง, กองช่าง …"""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("ชื่อหน่วยงานย่อย"), max_length=120)
    code = models.SlugField(_("รหัส"), max_length=40, help_text=_("ใช้จับคู่กับกฎการร่างแผน เช่น office, finance"))
    email = models.EmailField(_("อีเมลรับการแจ้งเตือน"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unit_name_unique_per_agency"),
            models.UniqueConstraint(fields=["agency", "code"], name="unit_code_unique_per_agency"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("ผู้ดูแลหน่วยงาน")
    EDITOR = "editor", _("ผู้แก้ไข (หน่วยงานย่อย)")
    VIEWER = "viewer", _("ผู้ดู")
    OVERSIGHT = "oversight", _("ผู้กำกับดูแล (อำเภอ/จังหวัด)")


class Membership(models.Model):
    """A user's role in one agency. An editor changes only what their unit is responsible for."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_agency")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.role})"

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.ADMIN, Role.EDITOR)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def can_edit_unit(self, unit_id: int | None) -> bool:
        """Admins edit everything; an editor edits what belongs to their own unit."""
        if self.role == Role.ADMIN:
            return True
        return self.role == Role.EDITOR and self.unit_id is not None and self.unit_id == unit_id


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("อีเมล"))
    role = models.CharField(_("บทบาท"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} → {self.agency}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash(token: str) -> str:
        import hashlib

        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: models.Model, name: str) -> tuple[ApiToken, str]:
        token = "ps_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=cls.hash(token)), token


def template_path(instance: AgencyTemplate, filename: str) -> str:
    return f"templates/{instance.agency_id}/{instance.kind}.docx"


class AgencyTemplate(models.Model):
    """An agency's own Word template for one kind of document (letterhead, Garuda, wording), checked on upload."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="templates")
    kind = models.CharField(max_length=20)  # prongsai.documents.KINDS
    file = models.FileField(upload_to=template_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="one_template_per_kind")]
