"""Practice IIT/EIT surveys. Anonymity is in the data model itself (docs/security.md, "Survey anonymity"):

* a response holds the answers only — no user, IP address, user agent, token, date or time;
* a new answer waits in its survey's pool, a single row holding a shuffled list, and joins the stored responses
  once the pool holds MIN_GROUP answers: then every response of the survey is written again, in a fresh random
  order with fresh random keys, so neither the keys nor the rows' places (SQLite rowid, PostgreSQL ctid and
  xmin) follow the order in which answers came — row order follows insertion, so a random key alone would not do;
* a staff token only knows whether it was used; nothing links a token to the response it unlocked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.survey import MIN_GROUP

from .assessments import Assessment

__all__ = ["MIN_GROUP", "Survey", "SurveyPool", "SurveyResponse", "SurveyToken", "token_digest"]


def _slug() -> str:
    return secrets.token_urlsafe(9)


class Survey(models.Model):
    class Tool(models.TextChoices):
        IIT = "IIT", _("IIT: บุคลากรในหน่วยงาน")
        EIT = "EIT", _("EIT: ผู้รับบริการและผู้มาติดต่อ")
        SAT = "SAT", _("ความพึงพอใจต่อการให้บริการ")

    # The tools of the ITA that the core scores (indicators 1–8). SAT is the agency's own survey of service
    # satisfaction on the same engine and with the same anonymity: its results go into the kit's
    # satisfaction report, never into an ITA score.
    SCORED = ("IIT", "EIT")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="surveys")
    tool = models.CharField(_("แบบวัด"), max_length=3, choices=Tool.choices)
    slug = models.CharField(max_length=20, unique=True, default=_slug)
    population = models.PositiveIntegerField(
        _("จำนวนประชากร"),
        help_text=_("IIT: จำนวนบุคลากรที่ทำงานมาแล้ว 1 ปีขึ้นไป, EIT และความพึงพอใจ: จำนวนผู้รับบริการและผู้มาติดต่อ"),
    )
    # a satisfaction survey's questions (SAT), fixed when it is created so that stored answers keep their words
    questions = models.JSONField(default=list, blank=True)
    requires_token = models.BooleanField(_("ใช้รหัสตอบครั้งเดียวต่อคน"), default=False)
    is_open = models.BooleanField(_("เปิดรับคำตอบ"), default=True)
    closes = models.DateField(_("ปิดรับวันที่"), null=True, blank=True)  # planned: the last day it takes answers
    # the day it was closed by hand (the answers carry no date, so a report's end of the survey is this day);
    # kept apart from ``closes`` so that reopening brings the planned closing day back
    closed_on = models.DateField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "tool"], name="one_survey_per_tool")]

    def __str__(self) -> str:
        return f"{self.assessment} {self.tool}"

    @property
    def scored(self) -> bool:
        return self.tool in self.SCORED

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
    """One respondent's answers, written only together with at least MIN_GROUP - 1 others, in random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField()  # {column (i1_1 …): answer code}

    class Meta:
        ordering = ["id"]  # random order: the keys are drawn afresh each time the survey's answers are rewritten


class SurveyPool(models.Model):
    """The answers that came since the survey's responses were last rewritten (fewer than MIN_GROUP).

    One row per survey, its list shuffled at every new answer: one row per answer would keep the order of
    arrival in its rowid or ctid. The pool is in the database, written in the transaction that accepts the
    answer, so a crash loses nothing."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, primary_key=True, related_name="pool")
    answers = models.JSONField(default=list)  # [{column: answer code}, …] in random order
