"""One agency's assessment of one fiscal year: its result, OIT register and measures plan."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.framework import Framework
from prongsai.frameworks import get_framework
from prongsai.results import Agency as CoreAgency
from prongsai.results import Results
from prongsai.scoring import oit_scores

from .agencies import Agency


class Assessment(models.Model):
    class Source(models.TextChoices):
        NONE = "none", _("ยังไม่มีผล")
        MANUAL = "manual", _("กรอกเอง")
        IMPORT = "import", _("นำเข้าจากไฟล์")
        OIT = "oit", _("คำนวณจากคำตอบรายข้อ OIT")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="assessments")
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ"))
    source = models.CharField(_("ที่มาของผล"), max_length=10, choices=Source.choices, default=Source.NONE)
    published_total = models.DecimalField(_("คะแนนที่ประกาศ"), max_digits=5, decimal_places=2, null=True, blank=True)
    published_grade = models.CharField(_("ระดับที่ประกาศ"), max_length=2, blank=True)
    meeting_date = models.DateField(_("วันที่ประชุมกำหนดมาตรการ"), null=True, blank=True)
    meeting_attendees = models.TextField(_("ผู้เข้าร่วมประชุม"), blank=True)
    meeting_note = models.TextField(_("มติที่ประชุม"), blank=True)  # what the meeting decided
    signer_name = models.CharField(_("ชื่อผู้ลงนาม"), max_length=200, blank=True)  # blank: the agency's signer
    signer_position = models.CharField(_("ตำแหน่งผู้ลงนาม"), max_length=200, blank=True)
    signed_on = models.DateField(_("วันที่ลงนาม"), null=True, blank=True)
    # a person read the plan and marked it ตรวจทานแล้ว; until then its documents say ร่าง
    plan_reviewed_at = models.DateTimeField(_("ตรวจทานแผนเมื่อ"), null=True, blank=True)
    plan_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ตรวจทานแผน"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["agency", "fiscal_year"], name="one_assessment_per_year")]

    def __str__(self) -> str:
        return f"{self.agency} FY{self.fiscal_year}"

    @property
    def framework(self) -> Framework:
        return get_framework(self.fiscal_year)

    @property
    def has_result(self) -> bool:
        return self.results.count() == 10

    def scores(self) -> dict[int, float]:
        return {r.number: float(r.score) for r in self.results.all()}

    def item_answers(self) -> dict[str, bool] | None:
        """Register answers as item results, if every item has been answered มี or ไม่มี."""
        answers = {e.item_code: e.answer == RegisterAnswer.YES for e in self.register.all() if e.answer}
        return answers if len(answers) == len(self.framework.items) else None

    def to_results(self) -> Results | None:
        """The core's view of this assessment's result, or None before a result exists."""
        if not self.has_result:
            return None
        framework = self.framework
        answers = self.item_answers() if self.source == self.Source.OIT else None
        return Results(
            source=str(self),
            framework=framework,
            indicators=self.scores(),
            oit=oit_scores(framework, answers) if answers is not None else None,
            agency=CoreAgency(self.agency.name, self.agency.district, self.agency.province),
            published_total=float(self.published_total) if self.published_total is not None else None,
            published_grade=self.published_grade or None,
        )


class IndicatorResult(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])
    score = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
    )

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "number"], name="one_score_per_indicator")]


class RegisterAnswer(models.TextChoices):
    BLANK = "", _("ยังไม่ตอบ")
    YES = "yes", _("มี")
    NO = "no", _("ไม่มี")
