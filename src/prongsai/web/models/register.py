"""The OIT disclosure register: per item of the year's framework, the agency's answer, URL(s),
explanation for ITAS, evidence, responsible unit and review status."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.checker.report import CheckReport
from prongsai.framework import Item

from .agencies import Unit
from .assessments import Assessment, RegisterAnswer


class RegisterStatus(models.TextChoices):
    TODO = "todo", _("ยังไม่เริ่ม")
    TO_CHECK = "to_check", _("ต้องตรวจสอบ")  # carried from last year: the link may still be right, or not
    IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
    READY = "ready", _("พร้อมส่ง")
    CHECKED = "checked", _("ตรวจแล้ว")


class RegisterEntry(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="register")
    item_code = models.CharField(_("ข้อ"), max_length=8)
    answer = models.CharField(_("คำตอบ"), max_length=3, choices=RegisterAnswer.choices, blank=True, default="")
    urls = models.TextField(_("URL"), blank=True, help_text=_("หนึ่ง URL ต่อบรรทัด"))
    explanation = models.TextField(_("คำอธิบายเพิ่มเติม (สำหรับ ITAS)"), blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("ผู้รับผิดชอบ"), on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(_("สถานะ"), max_length=12, choices=RegisterStatus.choices, default=RegisterStatus.TODO)
    due_date = models.DateField(_("กำหนดเสร็จ"), null=True, blank=True)
    reviewer_note = models.TextField(_("หมายเหตุผู้ตรวจ"), blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("รายการ OIT")
        constraints = [models.UniqueConstraint(fields=["assessment", "item_code"], name="one_entry_per_item")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.item_code}"

    @property
    def number(self) -> int:
        return int(self.item_code[1:])

    @property
    def item(self) -> Item:
        return self.assessment.framework.item(self.item_code)

    def url_list(self) -> list[str]:
        return [line.strip() for line in self.urls.splitlines() if line.strip()]


def evidence_path(instance: Evidence, filename: str) -> str:
    entry = instance.entry
    return f"evidence/{entry.assessment.agency_id}/{entry.assessment.fiscal_year}/{entry.item_code}/{filename}"


class Evidence(models.Model):
    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]


class CheckRun(models.Model):
    """One run of the OIT checker over an assessment's register; its report is kept as evidence."""

    class Status(models.TextChoices):
        RUNNING = "running", _("กำลังตรวจ")
        DONE = "done", _("ตรวจเสร็จ")
        FAILED = "failed", _("ตรวจไม่สำเร็จ")
        CANCELLED = "cancelled", _("ยกเลิกแล้ว")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="check_runs")
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    report = models.JSONField(default=dict, blank=True)  # CheckReport.to_json(); read it as report_obj
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    job = models.OneToOneField("Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="check_run")

    class Meta:
        ordering = ["-started"]

    @cached_property
    def report_obj(self) -> CheckReport:
        """The stored report, typed (any version's: CheckReport.from_json fills what an older one lacks)."""
        return CheckReport.from_json(self.report)
