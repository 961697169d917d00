"""Oversight offices (a province or district office, or whoever holds the national results) and the
published results of the many agencies they oversee, imported from the tables NACC publishes."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable
    from django_stubs_ext import StrOrPromise

from .agencies import Agency


class Office(models.Model):
    """สำนักงาน/หน่วยกำกับดูแล: sees the results of many agencies at once; changes none of them."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("ระดับจังหวัด")
        DISTRICT = "district", _("ระดับอำเภอ")
        NATIONAL = "national", _("ระดับประเทศ")

    name = models.CharField(_("ชื่อสำนักงาน"), max_length=200)
    level = models.CharField(_("ระดับ"), max_length=10, choices=Level.choices, default=Level.PROVINCE)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    # The agencies of this system the office oversees: their latest website checks show on the dashboard,
    # and imported rows are linked to them by name and province. Set by the site administrator.
    agencies = models.ManyToManyField(Agency, blank=True, related_name="offices", verbose_name=_("หน่วยงานในกำกับ"))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("สำนักงานกำกับดูแล")

    def __str__(self) -> str:
        return self.name


class OfficeRole(models.TextChoices):
    ADMIN = "admin", _("ผู้ดูแลสำนักงาน")
    VIEWER = "viewer", _("ผู้ดูผลภาพรวม")


class OfficeMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_memberships")
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("บทบาท"), max_length=10, choices=OfficeRole.choices, default=OfficeRole.VIEWER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "office"], name="one_membership_per_office")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.office} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == OfficeRole.ADMIN


class ResultImport(models.Model):
    """One imported file: which rows it brought, who imported it and through which job."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    years = models.JSONField(default=list, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    job = models.ForeignKey("Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.rows})"


def _score_field(label: StrOrPromise) -> models.DecimalField[str | float | Decimal | Combinable, Decimal]:
    return models.DecimalField(label, max_digits=5, decimal_places=2)


class PublishedResult(models.Model):
    """One agency's published result of one fiscal year, as the office imported it.

    A later import of the same agency and year replaces the row (the agency is its code, else its name,
    district and province: ``prongsai.published.PublishedResult.key``)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="results")
    batch = models.ForeignKey(ResultImport, on_delete=models.CASCADE, related_name="results")
    agency_key = models.CharField(max_length=400)
    agency_name = models.CharField(_("ชื่อหน่วยงาน"), max_length=200)
    agency_code = models.CharField(_("รหัสหน่วยงาน"), max_length=40, blank=True)
    kind = models.CharField(_("ประเภท"), max_length=100, blank=True)
    district = models.CharField(_("อำเภอ"), max_length=100, blank=True)
    province = models.CharField(_("จังหวัด"), max_length=100, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("ปีงบประมาณ"))
    i1 = _score_field("1")
    i2 = _score_field("2")
    i3 = _score_field("3")
    i4 = _score_field("4")
    i5 = _score_field("5")
    i6 = _score_field("6")
    i7 = _score_field("7")
    i8 = _score_field("8")
    i9 = _score_field("9")
    i10 = _score_field("10")
    total = _score_field(_("คะแนนรวม"))
    grade = models.CharField(_("ระดับผลการประเมิน"), max_length=2, blank=True)
    passed = models.BooleanField(_("ผ่านเกณฑ์"))

    SCORE_FIELDS = tuple(f"i{n}" for n in range(1, 11))

    class Meta:
        ordering = ["-total", "agency_name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year", "agency_key"], name="one_result_per_agency_year")
        ]
        indexes = [
            models.Index(fields=["office", "fiscal_year", "total"], name="published_office_year_total"),
            models.Index(fields=["office", "province", "district"], name="published_office_place"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_name} FY{self.fiscal_year} {self.total}"
