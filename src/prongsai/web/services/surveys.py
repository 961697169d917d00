"""Practice surveys: the answer form, submissions, one-time staff tokens, rate limits, results, export.

Scoring goes through the core (prongsai.survey.score_answers), the same code that scores real answers.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import hmac
import io
import random
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from prongsai._table import Sheet, spreadsheet_row, xlsx_bytes
from prongsai.framework import Framework
from prongsai.frameworks import get_framework
from prongsai.numbers import round_half_up
from prongsai.sample import SampleRule, minimum_sample
from prongsai.survey import SurveyLayout, layout_for, pool_batch, question_scores, score_answers

from ..models import MIN_GROUP, Survey, SurveyPool, SurveyResponse, SurveyToken, token_digest

TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on paper


@dataclass(frozen=True)
class Question:
    code: str
    number: int
    indicator: int
    text: str
    columns: list[tuple[str, str]]  # (form field name, label)


def questions(framework: Framework, tool: str) -> list[Question]:
    layout = _layout(framework.fiscal_year, tool)
    out = []
    for number, q in enumerate(layout.questions, start=1):
        columns = list(zip(q.sub_item_codes(), q.sub_item_labels(), strict=True))
        out.append(Question(q.code, number, q.indicator, q.summary_th, columns))
    return out


def answer_form(framework: Framework, tool: str, needs_token: bool) -> type[forms.Form]:
    """A form with one required radio group per sub-item, scale or yes/no as the framework says."""
    return _answer_form(framework.fiscal_year, tool, needs_token)


@functools.cache
def _layout(fiscal_year: int, tool: str) -> SurveyLayout:
    # Built once per year and tool: a submission is on the hot path of a busy survey.
    return layout_for(get_framework(fiscal_year), tool)


@functools.cache
def _answer_form(fiscal_year: int, tool: str, needs_token: bool) -> type[forms.Form]:
    framework = get_framework(fiscal_year)
    layout = _layout(fiscal_year, tool)
    scale = [(str(k), label) for k, label in enumerate(framework.answer_scale.labels_th, start=1)]
    yes_no = [(str(code), word) for code, word in YES_NO_WORDS.items()]
    fields: dict[str, forms.Field] = {}
    if needs_token:
        fields["token"] = forms.CharField(label="รหัสตอบแบบสำรวจ", max_length=20)
    for column, kind in zip(layout.columns, layout.answer_types, strict=True):
        fields[column] = forms.ChoiceField(
            choices=scale if kind == "scale4" else yes_no,
            widget=forms.RadioSelect,
            error_messages={"required": "กรุณาตอบข้อนี้"},
        )
    return type("AnswerForm", (forms.Form,), fields)


def valid_answers(fiscal_year: int, tool: str, posted: Any) -> dict[str, str] | None:
    """The posted answers if every sub-item has an allowed code, else None (then the form explains).

    The fast path of a busy survey: checking ~20 values directly costs far less than building a Django
    form with its deep-copied fields; the form is still used whenever something needs explaining."""
    layout = _layout(fiscal_year, tool)
    answers = {}
    for column, kind in zip(layout.columns, layout.answer_types, strict=True):
        value = posted.get(column, "")
        if value not in (SCALE_CODES if kind == "scale4" else YES_NO_CODES):
            return None
        answers[column] = value
    return answers


# A มี/ไม่มี answer's code and the word the form shows and the export writes (what `prongsai survey` reads back:
# prongsai.survey.ANSWER_CODES takes the words, not 1 and 2, for a yes/no question).
YES_NO_WORDS = {1: "มี", 2: "ไม่มี"}
SCALE_CODES = frozenset({"1", "2", "3", "4"})
YES_NO_CODES = frozenset({"1", "2"})
_SURVEYS: dict[str, tuple[float, Survey]] = {}
SURVEY_CACHE_SECONDS = 10.0


def open_survey(slug: str) -> Survey | None:
    """The survey behind a public link, remembered for a few seconds per process: every answer looks
    it up, and closing a survey may take up to SURVEY_CACHE_SECONDS to reach every worker."""
    now = time.monotonic()
    cached = _SURVEYS.get(slug)
    if cached is not None and cached[0] > now:
        return cached[1]
    survey = Survey.objects.select_related("assessment__agency").filter(slug=slug).first()
    if survey is not None:
        _SURVEYS[slug] = (now + SURVEY_CACHE_SECONDS, survey)
    return survey


# The shuffles: a CSPRNG, so that the order the answers are stored in cannot be predicted or replayed. Tests
# replace it with a seeded generator to check the stored order deterministically.
shuffler: random.Random = secrets.SystemRandom()


@transaction.atomic
def survey_submit(survey: Survey, answers: dict[str, str], token: str | None, today: dt.date) -> None:
    """Accept one answer: into the survey's pool, at a random place, in the transaction that spends the token
    (and forgets which token it was). A full pool (``pool_batch``: MIN_GROUP answers, more on a busy survey)
    is moved into the responses at once."""
    if not survey.accepting(today):
        raise ValidationError(_("แบบสำรวจนี้ปิดรับคำตอบแล้ว"))
    if survey.requires_token:
        spent = SurveyToken.objects.filter(survey=survey, digest=token_digest(token or ""), used=False).update(
            used=True
        )
        if spent != 1:
            raise ValidationError(_("รหัสตอบแบบสำรวจไม่ถูกต้องหรือถูกใช้แล้ว"))
    layout = _layout(survey.assessment.fiscal_year, survey.tool)
    # The pool row is locked until the end of the transaction: answers to one survey join it one at a time.
    pool, _created = SurveyPool.objects.select_for_update().get_or_create(survey=survey)
    pooled = [*pool.answers, {c: int(answers[c]) for c in layout.columns}]
    shuffler.shuffle(pooled)
    if len(pooled) < pool_batch(survey.responses.count()):
        SurveyPool.objects.filter(pk=pool.pk).update(answers=pooled)
        return
    _rewrite(survey, pooled)
    SurveyPool.objects.filter(pk=pool.pk).update(answers=[])


def _rewrite(survey: Survey, new: list[dict[str, int]]) -> None:
    """Every stored response of the survey and the new answers, written again in one random order with fresh
    keys: rows are placed in the order they are inserted (SQLite's rowid, PostgreSQL's ctid, and one xmin for
    all), so only a complete rewrite leaves nothing of the order in which the earlier batches came."""
    stored = survey.responses.all()
    everything = [*stored.values_list("answers", flat=True), *new]
    shuffler.shuffle(everything)
    stored.delete()
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(id=uuid.UUID(int=shuffler.getrandbits(128), version=4), survey=survey, answers=a)
            for a in everything
        ],
        batch_size=500,
    )


def pooled_count(survey: Survey) -> int:
    """How many answers wait in the pool for the next batch (fewer than ``pool_batch`` of the stored ones)."""
    pool = SurveyPool.objects.filter(survey=survey).values_list("answers", flat=True).first()
    return len(pool) if pool else 0


def tokens_issue(survey: Survey, count: int) -> list[str]:
    """New one-time codes, shown once: only their hashes are kept."""
    codes = [
        "-".join("".join(secrets.choice(TOKEN_ALPHABET) for _ in range(4)) for _ in range(2)) for _ in range(count)
    ]
    SurveyToken.objects.bulk_create(SurveyToken(survey=survey, digest=token_digest(c)) for c in codes)
    return codes


RATE_WINDOW_SECONDS = 600  # PRONGSAI_SURVEY_RATE answers per this window from one address
BURST_SECONDS = 10  # PRONGSAI_SURVEY_BURST answers per this window: no one person answers that fast
SALT_SECONDS = 24 * 3600


def rate_limited(request: HttpRequest, survey: Survey) -> bool:
    """At most PRONGSAI_SURVEY_RATE submissions per 10 minutes, and PRONGSAI_SURVEY_BURST per 10 seconds, from one
    address to one survey. The counters live in the cache only, keyed by an HMAC of the address with a random
    salt that is itself only in the cache and changes daily: nothing about the address reaches the database,
    and an expired counter cannot be tied back to an address."""
    address = request.META.get("REMOTE_ADDR", "")
    key = hmac.new(_salt(), f"{survey.slug}:{address}".encode(), hashlib.sha256).hexdigest()
    return _over(f"survey-burst:{key}", settings.SURVEY_BURST_LIMIT, BURST_SECONDS) | _over(
        f"survey-rate:{key}", settings.SURVEY_RATE_LIMIT, RATE_WINDOW_SECONDS
    )


def _salt() -> bytes:
    cache.add("survey-rate-salt", secrets.token_hex(32), timeout=SALT_SECONDS)  # the first worker of the day sets it
    salt = cache.get("survey-rate-salt")
    return str(salt or "").encode()


def _over(key: str, limit: int, seconds: int) -> bool:
    """Count one more in a fixed window of ``seconds``; True once the count passes ``limit``."""
    if cache.add(key, 1, timeout=seconds):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return limit < 1


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyResult:
    survey: Survey
    answers: int  # stored: 0 or at least MIN_GROUP
    rule: SampleRule
    scores: dict[int, float] | None  # None until MIN_GROUP answers
    pooled: int = 0  # waiting for the next batch: counted in neither the answers nor the scores
    batch: int = MIN_GROUP  # how many the pool must hold to join the stored answers

    @property
    def named_scores(self) -> list[tuple[int, str, float]]:
        """(indicator number, its name in the year's framework, score): a results table says what it measured."""
        framework = self.survey.assessment.framework
        return [(n, framework.indicator(n).name_th, s) for n, s in (self.scores or {}).items()]

    @property
    def progress(self) -> float:
        return min(100.0, 100 * self.answers / self.rule.minimum) if self.rule.minimum else 100.0


def _matrix(layout: SurveyLayout, responses: list[dict[str, Any]]) -> np.ndarray:
    return np.array([[int(r.get(c, 0)) for c in layout.columns] for r in responses], dtype=np.int8).reshape(
        len(responses), len(layout.columns)
    )


def survey_result(survey: Survey) -> SurveyResult:
    framework = survey.assessment.framework
    responses = list(survey.responses.values_list("answers", flat=True))
    rule = minimum_sample(framework, survey.tool, max(1, survey.population))
    pooled = pooled_count(survey)
    if len(responses) < MIN_GROUP:
        return SurveyResult(survey, len(responses), rule, None, pooled, pool_batch(len(responses)))
    layout = _layout(framework.fiscal_year, survey.tool)
    scored = score_answers(layout, _matrix(layout, responses))
    # rounded as the CLI and the published results round (83.335 → 83.34), never round()'s 83.33
    scores = {n: round_half_up(float(v)) for n, v in scored.as_dict()[""].items() if not np.isnan(v)}
    return SurveyResult(survey, len(responses), rule, scores, pooled, pool_batch(len(responses)))


def survey_question_scores(survey: Survey) -> dict[str, float]:
    """Each question's mean score, once the survey has enough answers for no one to be singled out."""
    responses = list(survey.responses.values_list("answers", flat=True))
    if len(responses) < MIN_GROUP:
        return {}
    layout = _layout(survey.assessment.fiscal_year, survey.tool)
    return question_scores(layout, _matrix(layout, responses))


def exportable(survey: Survey) -> bool:
    """The raw answers leave the server only as a group of at least MIN_GROUP, the group that shows scores."""
    return survey.responses.count() >= MIN_GROUP


def export_csv(survey: Survey) -> bytes:
    """Answers only: no id, no time, rows in random order. Nothing that could identify anyone.
    The caller checks ``exportable`` and that the user is the agency's admin."""
    layout = _layout(survey.assessment.fiscal_year, survey.tool)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(layout.columns)
    words = [YES_NO_WORDS if kind == "yes_no" else {} for kind in layout.answer_types]
    rows = [
        [words[k].get(r.get(c, ""), r.get(c, "")) for k, c in enumerate(layout.columns)]
        for r in survey.responses.values_list("answers", flat=True)
    ]
    shuffler.shuffle(rows)
    writer.writerows(spreadsheet_row(row) for row in rows)  # a respondent's text never runs as a formula
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(survey: Survey) -> bytes:
    rows = list(csv.reader(io.StringIO(export_csv(survey).decode("utf-8-sig"))))
    body = ([int(v) if v.isdigit() else v for v in row] for row in rows[1:])
    return xlsx_bytes(Sheet(f"{survey.tool} {survey.assessment.fiscal_year}", rows[0], body))
