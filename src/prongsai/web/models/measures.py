"""The measures plan of a fiscal year: recommendations by area, measures and their dated updates."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agencies import Unit
from .assessments import Assessment


class Recommendation(models.Model):
    """ข้อเสนอแนะ: one area (ด้าน…) of the plan, with its responsible unit, as the seed lists them."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="recommendations")
    area_code = models.CharField(max_length=40)
    area_th = models.CharField(_("ด้าน"), max_length=200)
    text = models.TextField(_("ข้อเสนอแนะ"))
    unit = models.ForeignKey(Unit, verbose_name=_("ผู้รับผิดชอบ"), on_delete=models.SET_NULL, null=True, blank=True)
    items = models.JSONField(default=list, blank=True)
    indicators = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)
    # the text without its responsibility clause (added once, from ``unit``, when shown or printed);
    # a person's edit sets ``edited`` so that re-drafting keeps it
    edited = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "id"]


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("ยังไม่เริ่ม")
    IN_PROGRESS = "in_progress", _("กำลังดำเนินการ")
    DONE = "done", _("เสร็จแล้ว")
    CANCELLED = "cancelled", _("ยกเลิก")


class Measure(models.Model):
    """มาตรการ/แนวทาง with วิธีการดำเนินการ, ผู้รับผิดชอบ, ระยะเวลาดำเนินการ and การติดตามผล."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("มาตรการ/แนวทาง"), max_length=300)
    method = models.TextField(_("วิธีการดำเนินการ"), help_text=_("หนึ่งขั้นตอนต่อบรรทัด"))
    units = models.ManyToManyField(Unit, verbose_name=_("ผู้รับผิดชอบ"), blank=True, related_name="measures")
    period_start = models.DateField(_("เริ่ม"))
    period_end = models.DateField(_("สิ้นสุด"))
    follow_up = models.TextField(_("การติดตามผล"), blank=True)
    indicators = models.JSONField(default=list, blank=True)
    items = models.JSONField(default=list, blank=True)
    rule_code = models.CharField(max_length=40, blank=True, help_text="the drafting rule it came from, if any")
    status = models.CharField(_("สถานะ"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("ความคืบหน้า (%)"), default=0, validators=[MaxValueValidator(100)])
    order = models.PositiveIntegerField(default=0)
    edited = models.BooleanField(default=False)  # a person changed its wording: re-drafting keeps it
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("มาตรการ")

    def __str__(self) -> str:
        return self.title

    def steps(self) -> list[str]:
        return [line.strip() for line in self.method.splitlines() if line.strip()]


class MeasureUpdate(models.Model):
    """A dated progress report on a measure, with its evidence."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("วันที่"))
    text = models.TextField(_("ผลการดำเนินการ"))
    progress = models.PositiveSmallIntegerField(_("ความคืบหน้า (%)"), validators=[MaxValueValidator(100)])
    evidence_url = models.URLField(_("ลิงก์หลักฐาน"), blank=True)
    file = models.FileField(upload_to="updates/%Y/%m/", blank=True)
    # the file's name as the person gave it: the stored name loses Thai marks (รายงานการประชุม → รายงานการประชม)
    file_name = models.CharField(max_length=200, blank=True)
    note = models.TextField(_("ปัญหา/อุปสรรค"), blank=True)  # the reason a report gives when it stops short
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created"]


class AreaAssignment(models.Model):
    """The agency's choice of responsible unit for an area of the drafting rules (overrides the default)."""

    agency = models.ForeignKey("prongsai.Agency", on_delete=models.CASCADE, related_name="area_assignments")
    area_code = models.CharField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "area_code"], name="one_unit_per_area")]


class ReminderSent(models.Model):
    """One reminder per item and due date, so that a daily run never repeats itself."""

    kind = models.CharField(max_length=10)  # "measure" or "register"
    object_id = models.PositiveBigIntegerField()
    due_date = models.DateField()
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "due_date"], name="one_reminder_per_due")]
