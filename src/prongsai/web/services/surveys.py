"""Practice surveys: the answer form, submissions, one-time staff tokens, rate limits, results, export.

Scoring goes through the core (prongsai.survey.score_answers), the same code that scores real answers. A
satisfaction survey (tool SAT) runs on the same engine with the same anonymity, asks the survey's own questions
on the 1–5 scale, is never scored as IIT/EIT, and its results are counted by the kit's core
(prongsai.kit.kinds.services), the same rule that writes the satisfaction report.
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
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prongsai._table import Sheet, spreadsheet_row, xlsx_bytes
from prongsai.framework import Framework
from prongsai.frameworks import get_framework
from prongsai.kit.kinds.services import LEVELS, SATISFACTION, level_of, rows_results, satisfaction_rows
from prongsai.kit.tally import percent
from prongsai.numbers import round_half_up
from prongsai.sample import SampleRule, minimum_sample
from prongsai.survey import SurveyLayout, layout_for, pool_batch, question_scores, score_answers
from prongsai.thai import fiscal_period, fiscal_year_of

from ..models import MIN_GROUP, KitDataset, Survey, SurveyPool, SurveyResponse, SurveyToken, token_digest
from ..templatetags.thai import be

# the kit's one way to change a dataset: checked by the core, a draft (ร่าง) again, one audit entry
from . import kit as kit_services

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


def survey_questions(survey: Survey) -> list[Question]:
    """The questions a survey's public form asks: the framework's (IIT/EIT) or the survey's own (SAT)."""
    if survey.scored:
        return questions(survey.assessment.framework, survey.tool)
    return [Question(column, n, 0, text, [(column, "")]) for n, (column, text) in enumerate(_own(survey), start=1)]


def survey_answer_form(survey: Survey) -> type[forms.Form]:
    if survey.scored:
        return answer_form(survey.assessment.framework, survey.tool, survey.requires_token)
    return _satisfaction_form(len(survey.questions), survey.requires_token)


def columns_of(survey: Survey) -> list[str]:
    """The keys of a survey's stored answers."""
    if survey.scored:
        return list(_layout(survey.assessment.fiscal_year, survey.tool).columns)
    return [column for column, _text in _own(survey)]


def _own(survey: Survey) -> list[tuple[str, str]]:
    """A satisfaction survey's (column, question): s1, s2, … in the order the survey was created with."""
    return [(f"s{n}", str(text)) for n, text in enumerate(survey.questions, start=1)]


# the 1–5 scale as the form offers it: best first, as the core's LEVELS (5 พึงพอใจมากที่สุด … 1 น้อยที่สุด)
SATISFACTION_CHOICES = [(str(level), f"{words}") for level, words in LEVELS.items()]


@functools.cache
def _satisfaction_form(questions: int, needs_token: bool) -> type[forms.Form]:
    fields: dict[str, forms.Field] = {}
    if needs_token:
        fields["token"] = forms.CharField(label="รหัสตอบแบบสำรวจ", max_length=20)
    for n in range(1, questions + 1):
        fields[f"s{n}"] = forms.ChoiceField(
            choices=SATISFACTION_CHOICES, widget=forms.RadioSelect, error_messages={"required": "กรุณาตอบข้อนี้"}
        )
    return type("SatisfactionForm", (forms.Form,), fields)


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
    # The pool row is locked until the end of the transaction: answers to one survey join it one at a time.
    pool, _created = SurveyPool.objects.select_for_update().get_or_create(survey=survey)
    pooled = [*pool.answers, {c: int(answers[c]) for c in columns_of(survey)}]
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


def survey_toggle_open(survey: Survey, today: dt.date) -> None:
    """Close a survey that takes answers today, or open one that does not (the button says which).

    Closing records the day in ``closed_on`` (the last day it took answers), since the answers carry no date
    and a report of the survey says when it ended; the planned ``closes`` stays, so reopening brings it
    back. Reopening a survey whose planned day has passed clears that day, or it would stay closed by it."""
    if survey.accepting(today):
        survey.is_open, survey.closed_on = False, today
    else:
        survey.is_open, survey.closed_on = True, None
        if survey.closes is not None and survey.closes < today:
            survey.closes = None
    survey.save(update_fields=["is_open", "closes", "closed_on"])


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
    satisfaction: list[SatisfactionLine] | None = None  # SAT: per question, None until MIN_GROUP answers

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


@dataclass(frozen=True)
class SatisfactionLine:
    """One question of a satisfaction survey's results, as the kit's core counts it."""

    number: int
    question: str
    respondents: int
    mean: str  # 1–5, two decimals half up; "-" when nobody answered
    level: str  # the mean's words (มากที่สุด … น้อยที่สุด)
    satisfied: str  # per cent answering 4 or 5, two decimals


def satisfaction_answers(survey: Survey) -> dict[str, list[int]]:
    """question → the levels its stored respondents chose (the pool waits for its batch and is not counted)."""
    responses = list(survey.responses.values_list("answers", flat=True))
    return {text: [int(r[column]) for r in responses if column in r] for column, text in _own(survey)}


def satisfaction_lines(survey: Survey) -> list[SatisfactionLine]:
    results = rows_results(satisfaction_rows(satisfaction_answers(survey)))
    return [
        SatisfactionLine(
            n,
            r.question,
            r.answers,
            str(r.mean) if r.answers else "-",
            level_of(r.mean) if r.answers else "-",
            percent(r.satisfied, r.answers, str),
        )
        for n, r in enumerate(results, start=1)
    ]


def survey_result(survey: Survey) -> SurveyResult:
    framework = survey.assessment.framework
    responses = list(survey.responses.values_list("answers", flat=True))
    # a satisfaction survey asks the people EIT asks (those served), so EIT's sample rule guides its size
    rule = minimum_sample(framework, survey.tool if survey.scored else Survey.Tool.EIT, max(1, survey.population))
    pooled = pooled_count(survey)
    if len(responses) < MIN_GROUP:
        return SurveyResult(survey, len(responses), rule, None, pooled, pool_batch(len(responses)))
    if not survey.scored:
        lines = satisfaction_lines(survey)
        return SurveyResult(survey, len(responses), rule, None, pooled, pool_batch(len(responses)), lines)
    layout = _layout(framework.fiscal_year, survey.tool)
    scored = score_answers(layout, _matrix(layout, responses))
    # rounded as the CLI and the published results round (83.335 → 83.34), never round()'s 83.33
    scores = {n: round_half_up(float(v)) for n, v in scored.as_dict()[""].items() if not np.isnan(v)}
    return SurveyResult(survey, len(responses), rule, scores, pooled, pool_batch(len(responses)))


def survey_question_scores(survey: Survey) -> dict[str, float]:
    """Each question's mean score, once the survey has enough answers for no one to be singled out."""
    if not survey.scored:
        return {}
    responses = list(survey.responses.values_list("answers", flat=True))
    if len(responses) < MIN_GROUP:
        return {}
    layout = _layout(survey.assessment.fiscal_year, survey.tool)
    return question_scores(layout, _matrix(layout, responses))


def _be(day: dt.date) -> str:
    """A date as a person types it in the kit's data (d/m/yyyy, B.E.)."""
    return f"{day.day}/{day.month}/{day.year + 543}"


@dataclass(frozen=True)
class AnswerPeriod:
    """The days a survey took answers: from the day it was made to the day it stopped (or today)."""

    start: dt.date
    end: dt.date
    accepting: bool  # still takes answers today: more may come


def answer_period(survey: Survey, today: dt.date) -> AnswerPeriod:
    """The answers carry no date (anonymity), so the period is the survey's: made on ``created``; last day
    the day it was closed by hand (``closed_on``, see ``survey_toggle_open``) or its planned ``closes`` once
    passed, whichever came first; else today."""
    start = min(timezone.localdate(survey.created), today)
    accepting = survey.accepting(today)
    ends = [day for day in (survey.closed_on, survey.closes, today) if day is not None]
    end = today if accepting else min(ends)
    return AnswerPeriod(start, max(start, end), accepting)


def satisfaction_report_problem(survey: Survey, today: dt.date) -> str:
    """Why a satisfaction survey's results may not fill its year's satisfaction report now, as a Thai sentence
    that says what to do ('' when they may). The report says "ประจำปีงบประมาณ … ระหว่างวันที่ … ถึงวันที่ …":
    the answers must all have come within that fiscal year, and all be in (a survey still open would leave
    the report short of answers that come later, and its end date would be a guess)."""
    stored = survey.responses.count()
    if survey.scored or stored < MIN_GROUP:
        return _("ใช้ผลในรายงานได้เมื่อแบบสำรวจความพึงพอใจมีผู้ตอบอย่างน้อย %(n)s คน") % {"n": MIN_GROUP}
    period = answer_period(survey, today)
    if period.accepting:
        return _(
            "แบบสำรวจนี้ยังเปิดรับคำตอบอยู่ ผลจึงยังไม่ครบ ให้ผู้ดูแลหน่วยงานปิดรับคำตอบที่หน้าแบบสำรวจก่อน "
            "แล้วจึงใช้ผลในรายงาน วันที่ปิดรับจะเป็นวันที่สิ้นสุดการสำรวจในรายงาน"
        )
    year = survey.assessment.fiscal_year
    first, last = fiscal_period(year)
    if first <= period.start and period.end <= last:
        return ""
    dates = {
        "start": be(period.start, "long"),
        "end": be(period.end, "long"),
        "year": year,
        "first": be(first, "long"),
        "last": be(last, "long"),
    }
    other = fiscal_year_of(period.start)
    if other == fiscal_year_of(period.end):
        return _(
            "แบบสำรวจนี้รับคำตอบระหว่างวันที่ %(start)s ถึงวันที่ %(end)s ซึ่งอยู่ในปีงบประมาณ พ.ศ. %(other)s "
            "ไม่ใช่ปีงบประมาณ พ.ศ. %(year)s (%(first)s ถึง %(last)s) ผลจึงใช้เป็นผลการสำรวจของปีงบประมาณ "
            "พ.ศ. %(year)s ไม่ได้ ถ้ามีผลการสำรวจที่ทำในปีงบประมาณ พ.ศ. %(year)s ให้กรอกในข้อมูลรายงานเอง "
            "และครั้งต่อไปให้สร้างแบบสำรวจความพึงพอใจในหน้าแบบสำรวจของปีที่จะสำรวจ"
        ) % {**dates, "other": other}
    return (
        _(
            "แบบสำรวจนี้รับคำตอบระหว่างวันที่ %(start)s ถึงวันที่ %(end)s คาบเกี่ยวกับปีงบประมาณอื่น "
            "ไม่อยู่ในปีงบประมาณ พ.ศ. %(year)s (%(first)s ถึง %(last)s) ทั้งหมด และระบบไม่เก็บวันที่ของแต่ละคำตอบ "
            "เพื่อไม่ให้ระบุตัวผู้ตอบได้ จึงแยกคำตอบของปีนี้ออกมาไม่ได้ ให้กรอกผลการสำรวจของปีงบประมาณ พ.ศ. %(year)s "
            "ในข้อมูลรายงานเอง"
        )
        % dates
    )


@transaction.atomic
def survey_to_satisfaction_report(user: User | None, survey: Survey, today: dt.date) -> KitDataset:
    """Use a satisfaction survey's stored answers in the kit's satisfaction report: the dataset's rows become
    the answers counted per question and level (the core's satisfaction_rows), its header gets the survey's
    dates and respondents; what a person typed (services surveyed, method, signer) stays. Answers waiting in
    the pool for their batch are not counted, as on the results page. One audit entry, as any kit change.
    Refused (ValidationError, in Thai) while ``satisfaction_report_problem`` names a reason: too few answers,
    a survey still open, or answers from outside the report's fiscal year."""
    problem = satisfaction_report_problem(survey, today)
    if problem:
        raise ValidationError(problem)
    stored = survey.responses.count()
    period = answer_period(survey, today)
    assessment = survey.assessment
    rows = [{k: str(v) for k, v in row.items()} for row in satisfaction_rows(satisfaction_answers(survey))]
    record, created = kit_services._record(assessment, SATISFACTION.code)
    before = kit_services._before(record)
    header = {
        **record.header,
        "survey_start": _be(period.start),
        "survey_end": _be(period.end),
        "respondents": str(stored),
    }
    header.setdefault("method_th", "แบบสอบถามออนไลน์ ตอบโดยไม่ระบุตัวตน")
    kit_services.check(assessment, SATISFACTION.code, header, rows)
    record.header, record.rows = header, rows
    return kit_services._save(user, record, created, before, "ใช้ผลจากแบบสำรวจความพึงพอใจ")


def exportable(survey: Survey) -> bool:
    """The raw answers leave the server only as a group of at least MIN_GROUP, the group that shows scores."""
    return survey.responses.count() >= MIN_GROUP


def export_csv(survey: Survey) -> bytes:
    """Answers only: no id, no time, rows in random order. Nothing that could identify anyone.
    The caller checks ``exportable`` and that the user is the agency's admin."""
    columns = columns_of(survey)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns if survey.scored else [text for _column, text in _own(survey)])
    kinds = _layout(survey.assessment.fiscal_year, survey.tool).answer_types if survey.scored else []
    words = [YES_NO_WORDS if kind == "yes_no" else {} for kind in kinds] or [{} for _ in columns]
    rows = [
        [words[k].get(r.get(c, ""), r.get(c, "")) for k, c in enumerate(columns)]
        for r in survey.responses.values_list("answers", flat=True)
    ]
    shuffler.shuffle(rows)
    writer.writerows(spreadsheet_row(row) for row in rows)  # a respondent's text never runs as a formula
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(survey: Survey) -> bytes:
    rows = list(csv.reader(io.StringIO(export_csv(survey).decode("utf-8-sig"))))
    body = ([int(v) if v.isdigit() else v for v in row] for row in rows[1:])
    return xlsx_bytes(Sheet(f"{survey.tool} {survey.assessment.fiscal_year}", rows[0], body))
