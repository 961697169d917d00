"""Practice IIT/EIT surveys. Anonymity is in the data model itself:

* a response holds the answers and the *week* it came in — no user, IP address, user agent, token or
  exact time, and a random UUID key, so not even the order of submissions can be read back;
* a staff token only knows whether it was used; nothing links a token to the response it unlocked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .assessments import Assessment

MIN_GROUP = 5  # results are shown only for at least this many answers


def _slug() -> str:
    return secrets.token_urlsafe(9)


class Survey(models.Model):
    class Tool(models.TextChoices):
        IIT = "IIT", _("IIT: บุคลากรในหน่วยงาน")
        EIT = "EIT", _("EIT: ผู้รับบริการและผู้มาติดต่อ")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="surveys")
    tool = models.CharField(_("แบบวัด"), max_length=3, choices=Tool.choices)
    slug = models.CharField(max_length=20, unique=True, default=_slug)
    population = models.PositiveIntegerField(
        _("จำนวนประชากร"), help_text=_("IIT: จำนวนบุคลากรที่ทำงานมาแล้ว 1 ปีขึ้นไป, EIT: จำนวนผู้รับบริการและผู้มาติดต่อ")
    )
    requires_token = models.BooleanField(_("ใช้รหัสตอบครั้งเดียวต่อคน"), default=False)
    is_open = models.BooleanField(_("เปิดรับคำตอบ"), default=True)
    closes = models.DateField(_("ปิดรับวันที่"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "tool"], name="one_survey_per_tool")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.tool}"

    def accepting(self, today: dt.date) -> bool:
        return self.is_open and (self.closes is None or today <= self.closes)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.strip().upper().encode()).hexdigest()


class SurveyToken(models.Model):
    """A one-time code for one staff member. Only its hash is kept, and only whether it was used."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)


class SurveyResponse(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField()  # {column (i1_1 …): answer code}
    week = models.DateField()  # the Monday of the week it came in: coarse on purpose

    class Meta:
        ordering = ["id"]  # random order: UUIDs say nothing about when an answer came
