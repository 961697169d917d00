"""Use cases that change data, named ``<entity>_<action>``. Each validates, writes in one transaction
and records who changed what (AuditEntry) — explicitly, never through signals."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from prongsai.errors import FrameworkError, InputError, in_language
from prongsai.framework import Framework, Item
from prongsai.frameworks import get_framework
from prongsai.numbers import round_half_up
from prongsai.results import fractions_message, load_results
from prongsai.rollover import item_mapping
from prongsai.scoring import oit_scores

from ..i18n import language, say
from ..models import (
    Agency,
    AreaAssignment,
    Assessment,
    AuditEntry,
    Evidence,
    IndicatorResult,
    Measure,
    MeasureStatus,
    MeasureUpdate,
    Recommendation,
    RegisterEntry,
    RegisterStatus,
    Unit,
)

IMPORT_SUFFIXES = (".csv", ".xlsx", ".yaml", ".yml")
EVIDENCE_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".odt", ".ods")


# --- audit -------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def audit_record(
    user: User | None, agency: Agency, obj: models.Model, before: Mapping[str, Any] | None, after: Mapping[str, Any]
) -> AuditEntry | None:
    """Record a create (before is None) or the fields that changed; nothing when nothing changed."""
    if before is None:
        action, changes = AuditEntry.Action.CREATE, {k: [None, v] for k, v in after.items()}
    else:
        action = AuditEntry.Action.UPDATE
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if not changes:
            return None
    return AuditEntry.objects.create(
        agency=agency,
        user=user,
        action=action,
        model=obj._meta.model_name or "",
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes,
    )


def history_of(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(model=obj._meta.model_name, object_id=str(obj.pk)).select_related("user")


# --- assessments and results -------------------------------------------------------------------


@transaction.atomic
def assessment_create(user: User | None, agency: Agency, fiscal_year: int) -> Assessment:
    """A new assessment on that year's framework, with a register entry for every OIT item."""
    framework = get_framework(fiscal_year)  # raises FrameworkError for an unknown year
    assessment = Assessment.objects.create(agency=agency, fiscal_year=fiscal_year)
    RegisterEntry.objects.bulk_create(RegisterEntry(assessment=assessment, item_code=i.code) for i in framework.items)
    audit_record(user, agency, assessment, None, {"fiscal_year": fiscal_year})
    return assessment


@transaction.atomic
def results_set(
    user: User | None, assessment: Assessment, scores: Mapping[int, float], source: str = Assessment.Source.MANUAL
) -> None:
    """Replace the 10 indicator scores (validated: all of 1–10, each 0–100)."""
    missing = [n for n in range(1, 11) if n not in scores]
    bad = [n for n, s in scores.items() if not 0 <= s <= 100 or n not in range(1, 11)]
    if missing or bad:
        problems = [_("ยังไม่มีตัวชี้วัด %(numbers)s") % {"numbers": ", ".join(map(str, missing))}] if missing else []
        problems += [_("ตัวชี้วัด %(numbers)s ค่าไม่ถูกต้อง") % {"numbers": ", ".join(map(str, bad))}] if bad else []
        raise ValidationError(
            _("ต้องมีคะแนนตัวชี้วัด 1–10 ครบ ค่าระหว่าง 0–100: %(problems)s") % {"problems": " ".join(problems)}
        )
    fractions = fractions_message(scores, say())
    if fractions:
        raise ValidationError(fractions)
    before = {str(n): str(s) for n, s in assessment.scores().items()}
    decimals = assessment.framework.rounding.decimals
    # as published and as the CLI scores them (85.125 → 85.13), never round()'s 85.12
    stored = {n: Decimal(f"{round_half_up(scores[n], decimals):.{decimals}f}") for n in range(1, 11)}
    assessment.results.all().delete()
    IndicatorResult.objects.bulk_create(
        IndicatorResult(assessment=assessment, number=n, score=score) for n, score in stored.items()
    )
    assessment.source = source
    assessment.save(update_fields=["source", "updated"])
    after = {str(n): str(score) for n, score in stored.items()}
    audit_record(user, assessment.agency, assessment, before or None, after)


def results_import(user: User | None, assessment: Assessment, upload: UploadedFile[bytes]) -> None:
    """Read an uploaded results file with the core's reader: every row is checked before anything is saved."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        raise ValidationError(_("รองรับเฉพาะไฟล์ .csv .xlsx .yaml"))
    if upload.size is not None and upload.size > 2 * 1024 * 1024:
        raise ValidationError(_("ไฟล์ผลการประเมินต้องไม่เกิน 2 MB"))
    with tempfile.TemporaryDirectory(prefix="prongsai-import-") as folder:  # prongsai-*: swept at start (server.py)
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            results = load_results(path, assessment.fiscal_year)
        except InputError as exc:
            raise ValidationError(_uploaded_message(exc, upload.name or "")) from exc
    with transaction.atomic():
        source = Assessment.Source.IMPORT if results.oit is None else Assessment.Source.OIT
        results_set(user, assessment, results.indicators, source)
        if results.oit is not None:  # item answers in the file become the register's answers
            failed = set(results.oit.failed_items)
            for entry in assessment.register.all():
                register_update(user, entry, {"answer": "no" if entry.item_code in failed else "yes"})


def _uploaded_message(exc: InputError, name: str) -> str:
    parts = [name] + ([_("แถว %(row)s") % {"row": exc.row}] if exc.row else [])
    parts += [_("ช่อง %(field)s") % {"field": exc.field}] if exc.field else []
    return f"{', '.join(parts)}: {in_language(exc.reason, language())}"


@transaction.atomic
def results_from_register(user: User | None, assessment: Assessment) -> dict[int, float]:
    """Indicators 9 and 10 from the register's มี/ไม่มี answers, beside indicators 1–8 already entered."""
    framework = assessment.framework
    answers = assessment.item_answers()
    if answers is None:
        answered = {e.item_code for e in assessment.register.all() if e.answer}
        unanswered = [i.code for i in framework.items if i.code not in answered]
        raise ValidationError(_("ยังไม่ได้ตอบข้อ %(items)s") % {"items": ", ".join(unanswered)})
    scores = assessment.scores()
    if any(n not in scores for n in range(1, 9)):
        raise ValidationError(_("กรอกคะแนนตัวชี้วัด 1–8 ก่อน"))
    scores.update(oit_scores(framework, answers).indicators)
    results_set(user, assessment, scores, Assessment.Source.OIT)
    return scores


# --- the OIT register --------------------------------------------------------------------------

REGISTER_FIELDS = ("answer", "urls", "explanation", "unit", "status", "due_date", "reviewer_note")


@transaction.atomic
def register_update(user: User | None, entry: RegisterEntry, changes: Mapping[str, Any]) -> RegisterEntry:
    before = snapshot(entry, REGISTER_FIELDS)
    for name, value in changes.items():
        if name not in REGISTER_FIELDS:
            raise ValidationError(f"unknown field {name}")
        setattr(entry, name, value)
    entry.full_clean()
    entry.save()
    audit_record(user, entry.assessment.agency, entry, before, snapshot(entry, REGISTER_FIELDS))
    return entry


def evidence_rule() -> str:
    """The evidence rule in a person's words, for the upload fields' help: which files, how large."""
    kinds = " ".join(suffix.lstrip(".") for suffix in EVIDENCE_SUFFIXES)
    return f"ไฟล์ {kinds} ไม่เกิน {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB"


def evidence_checked(upload: UploadedFile[bytes]) -> str:
    """The one rule for every evidence file (the register's and the progress updates'): an office document,
    a PDF or a picture, at most UPLOAD_MAX_BYTES. Returns the file's own name, without any folder."""
    name = Path(upload.name or "file").name
    if Path(name).suffix.lower() not in EVIDENCE_SUFFIXES:
        raise ValidationError(
            _("ไฟล์หลักฐาน %(name)s เป็นชนิดที่รับไม่ได้ ใช้ไฟล์ %(kinds)s") % {"name": name, "kinds": " ".join(EVIDENCE_SUFFIXES)}
        )
    if upload.size is None or upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("ไฟล์ต้องไม่เกิน %(mb)s MB") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
    return name


def evidence_add(user: User | None, entry: RegisterEntry, upload: UploadedFile[bytes]) -> Evidence:
    name = evidence_checked(upload)
    size = upload.size or 0  # never 0 here: evidence_checked refuses a file without a size
    evidence = Evidence.objects.create(entry=entry, file=upload, name=name[:200], size=size, uploaded_by=user)
    audit_record(user, entry.assessment.agency, entry, {}, {"evidence": name})
    return evidence


# --- the measures plan -------------------------------------------------------------------------

MEASURE_FIELDS = (
    "title",
    "method",
    "period_start",
    "period_end",
    "follow_up",
    "status",
    "progress",
    "indicators",
    "items",
)


WORDING_FIELDS = ("title", "method", "follow_up")


def _unit_names(measure: Measure) -> list[str]:
    return sorted(u.name for u in measure.units.all())


@transaction.atomic
def measure_save(
    user: User | None, measure: Measure, units: Iterable[Unit] | None = None, *, created: bool = False
) -> Measure:
    before = (
        None
        if created
        else {
            **snapshot(Measure.objects.get(pk=measure.pk), MEASURE_FIELDS),
            "units": _unit_names(Measure.objects.get(pk=measure.pk)),
        }
    )
    measure.full_clean(exclude=["assessment"])
    if measure.period_end < measure.period_start:
        raise ValidationError(_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"))
    if before is not None and any(before[f] != getattr(measure, f) for f in WORDING_FIELDS):
        # a person's wording: re-drafting keeps it, and the plan is to be reviewed again
        measure.edited = True
        plan_review_clear(user, measure.assessment)
    measure.save()
    if units is not None:
        measure.units.set(units)
    after = {**snapshot(measure, MEASURE_FIELDS), "units": _unit_names(measure)}
    audit_record(user, measure.assessment.agency, measure, before, after)
    return measure


@transaction.atomic
def measure_update_add(
    user: User | None,
    measure: Measure,
    *,
    date: dt.date,
    text: str,
    progress: int,
    evidence_url: str = "",
    upload: UploadedFile[bytes] | None = None,
    note: str = "",
) -> MeasureUpdate:
    """A dated progress report; the measure's progress and status follow it."""
    update = MeasureUpdate(
        measure=measure, date=date, text=text, progress=progress, evidence_url=evidence_url, author=user, note=note
    )
    if upload is not None:
        update.file, update.file_name = upload, evidence_checked(upload)[:200]
    update.full_clean(exclude=["measure", "file"])
    update.save()
    before = snapshot(measure, ("progress", "status"))
    measure.progress = progress
    if measure.status != MeasureStatus.CANCELLED:
        measure.status = MeasureStatus.DONE if progress >= 100 else MeasureStatus.IN_PROGRESS
    measure.save(update_fields=["progress", "status", "updated"])
    audit_record(user, measure.assessment.agency, measure, before, snapshot(measure, ("progress", "status")))
    return update


MEETING_FIELDS = (
    "meeting_date", "meeting_attendees", "meeting_note", "signer_name", "signer_position", "signed_on",
)  # fmt: skip


def plan_signing_save(user: User | None, assessment: Assessment, values: dict[str, Any]) -> None:
    """The meeting that set the plan and who signs its documents when, recorded in the history."""
    before = snapshot(assessment, MEETING_FIELDS)
    for name in MEETING_FIELDS:
        setattr(assessment, name, values[name])
    assessment.save(update_fields=[*MEETING_FIELDS, "updated"])
    audit_record(user, assessment.agency, assessment, before, snapshot(assessment, MEETING_FIELDS))


def _next_year(day: dt.date) -> dt.date:
    return day.replace(year=day.year + 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year + 1)


# --- year rollover -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollover:
    """What starting a year from the last one did: the new assessment, and its items with no predecessor."""

    assessment: Assessment
    new_items: tuple[Item, ...]
    carried: int  # register entries that received last year's URLs, explanation or unit
    measures: int  # measures copied
    proposed: tuple[tuple[Item, tuple[str, ...]], ...] = ()  # items mapped from similar wording: to check


def _rollover_framework(year: int, starting: int) -> Framework:
    try:
        return get_framework(year)
    except FrameworkError as exc:
        raise ValidationError(
            _(
                "ยังไม่มีกรอบการประเมินของปีงบประมาณ %(year)s จึงยังเริ่มปีงบประมาณ %(starting)s ไม่ได้ "
                "ผู้ดูแลระบบเพิ่มกรอบการประเมินของปีนั้นได้ด้วยคำสั่ง prongsai frameworks add ตามด้วยไฟล์กรอบการประเมิน "
                "หรืออัปโหลดไฟล์ที่หน้าเพิ่มกรอบการประเมิน แล้วจึงกดเริ่มปีงบประมาณถัดไปอีกครั้ง"
            )
            % {"year": year, "starting": starting}
        ) from exc


def _joined(texts: Iterable[str], sep: str) -> str:
    """Non-empty texts, each once, in order."""
    return sep.join(dict.fromkeys(t.strip() for t in texts if t.strip()))


@transaction.atomic
def assessment_rollover(user: User | None, assessment: Assessment) -> Rollover:
    """Start next year from this one (the plan page's button); this year's records stay as they are.

    Each register entry of next year receives the URLs (each once), explanations and unit of the items it
    continues (prongsai.rollover: the framework's ``continues``, else a proposal), with its status back to
    the start and no answer; the measures carry over with their item codes translated and their periods one
    year later. A year without a framework changes nothing and says how to add one.
    """
    year = assessment.fiscal_year + 1
    if Assessment.objects.filter(agency=assessment.agency, fiscal_year=year).exists():
        raise ValidationError(_("มีการประเมินของปีงบประมาณ %(year)s อยู่แล้ว") % {"year": year})
    framework = _rollover_framework(year, year)
    mapping = item_mapping(_rollover_framework(assessment.fiscal_year, year), framework)
    nxt = assessment_create(user, assessment.agency, year)
    old = {e.item_code: e for e in assessment.register.select_related("unit")}
    carried = 0
    for entry in nxt.register.all():
        sources = [old[code] for code in mapping.predecessors.get(entry.item_code, ()) if code in old]
        if not sources:
            continue
        before = snapshot(entry, REGISTER_FIELDS)
        entry.urls = _joined((line for e in sources for line in e.url_list()), "\n")
        entry.explanation = _joined((e.explanation for e in sources), "\n\n")
        entry.unit = next((e.unit for e in sources if e.unit is not None), None)
        entry.status = RegisterStatus.TO_CHECK
        entry.save(update_fields=["urls", "explanation", "unit", "status", "updated"])
        if audit_record(user, nxt.agency, entry, before, snapshot(entry, REGISTER_FIELDS)):
            carried += 1
    measures = list(assessment.measures.prefetch_related("units"))
    for measure in measures:
        copy = Measure.objects.create(
            assessment=nxt,
            title=measure.title,
            method=measure.method,
            follow_up=measure.follow_up,
            period_start=_next_year(measure.period_start),
            period_end=_next_year(measure.period_end),
            indicators=measure.indicators,
            items=mapping.translate(measure.items or []),
            rule_code=measure.rule_code,
            order=measure.order,
        )
        copy.units.set(measure.units.all())
        audit_record(user, nxt.agency, copy, None, {**snapshot(copy, MEASURE_FIELDS), "units": _unit_names(copy)})
    return Rollover(
        nxt,
        tuple(framework.item(code) for code in mapping.new_items),
        carried,
        len(measures),
        tuple((framework.item(code), before) for code, before in mapping.proposed.items()),
    )


# --- drafting the plan -------------------------------------------------------------------------


def _unit_for(agency: Agency, code: str, name_th: str) -> Unit:
    """The agency's unit standing for this rules unit: by its role, then by code or name (a unit made before
    roles), else a new one with that role."""
    from .people import unit_code

    unit = (
        Unit.objects.filter(agency=agency, role=code).first()
        or Unit.objects.filter(agency=agency, role="", code=code).first()
        or Unit.objects.filter(agency=agency, name=name_th).first()
    )
    if unit is not None:
        return unit
    return Unit.objects.create(agency=agency, code=unit_code(agency, name_th, code), name=name_th, role=code)


def _practice_question_scores(source: Assessment | None) -> dict[str, float]:
    """The question scores of the result year's practice surveys (IIT and EIT), where enough people answered."""
    from .surveys import survey_question_scores

    found: dict[str, float] = {}
    for survey in source.surveys.all() if source else ():
        found.update(survey_question_scores(survey))
    return found


@transaction.atomic
def plan_draft(user: User | None, assessment: Assessment) -> tuple[int, int]:
    """Propose recommendations and measures for this year from last year's result (the seed: FY2564 → FY2565).

    Re-drafting replaces only what no person edited: a recommendation or measure whose wording a person
    changed (``edited``), or a measure with progress updates, stays as it is, and the draft adds nothing
    for its area or rule; everything else drafted earlier is replaced by the new draft.
    """
    from prongsai.drafting import draft_plan, load_rules

    source = Assessment.objects.filter(agency=assessment.agency, fiscal_year=assessment.fiscal_year - 1).first()
    results = source.to_results() if source else None
    if results is None:
        raise ValidationError(
            _("ต้องมีผลการประเมินปี %(previous)s ก่อนจึงจะร่างแผนปี %(year)s ได้")
            % {"previous": assessment.fiscal_year - 1, "year": assessment.fiscal_year}
        )
    rules = load_rules()
    draft = draft_plan(results, rules, question_scores=_practice_question_scores(source))
    # The agency's own choices (any of its units, not only those the rules know) win over the defaults.
    chosen = {a.area_code: a.unit for a in assessment.agency.area_assignments.select_related("unit")}
    names = {u.code: u.name_th for u in rules.units}

    def unit(rule_code: str, unit_code: str) -> Unit:
        return chosen.get(rule_code) or _unit_for(assessment.agency, unit_code, names.get(unit_code, unit_code))

    kept = {r.area_code for r in assessment.recommendations.filter(edited=True)}
    assessment.recommendations.filter(edited=False).delete()
    for order, rec in enumerate(draft.recommendations):
        if rec.area_code in kept:
            assessment.recommendations.filter(area_code=rec.area_code).update(order=order)
            continue
        Recommendation.objects.create(
            assessment=assessment,
            area_code=rec.area_code,
            area_th=rec.area_th,
            text=rec.text_th,
            order=order,
            unit=unit(rec.area_code, rec.unit),
            items=list(rec.items),
            indicators=list(rec.indicators),
        )
    # A drafted measure nobody touched is replaced; one a person edited or reported on is kept.
    assessment.measures.exclude(rule_code="").filter(edited=False, updates__isnull=True).delete()
    existing = set(assessment.measures.values_list("rule_code", flat=True)) | set(
        assessment.measures.values_list("title", flat=True)
    )
    added = 0
    for order, proposal in enumerate(draft.measures, start=assessment.measures.count()):
        if proposal.code in existing or proposal.title_th in existing:
            continue
        measure = Measure.objects.create(
            assessment=assessment,
            title=proposal.title_th,
            method="\n".join(proposal.method_steps),
            period_start=proposal.period_start,
            period_end=proposal.period_end,
            follow_up=proposal.follow_up_th,
            indicators=list(proposal.indicators),
            items=list(proposal.items),
            rule_code=proposal.code,
            order=order,
        )
        measure.units.set([unit(proposal.code, proposal.unit)])
        audit_record(user, assessment.agency, measure, None, {"title": measure.title, "drafted": True})
        added += 1
    return len(draft.recommendations), added


@transaction.atomic
def recommendation_edit(user: User | None, recommendation: Recommendation, text: str) -> None:
    """A person's wording of a recommendation: kept by later drafts; the plan is to be reviewed again.
    The responsibility clause is not part of the text (it is added once, from the unit, when printed)."""
    from prongsai.drafting import strip_responsibility

    text = strip_responsibility(" ".join(text.split()))
    if not text:
        raise ValidationError(_("ข้อเสนอแนะต้องไม่ว่าง"))
    if text == recommendation.text:
        return
    before = {"text": recommendation.text}
    recommendation.text, recommendation.edited = text, True
    recommendation.save(update_fields=["text", "edited"])
    audit_record(user, recommendation.assessment.agency, recommendation, before, {"text": text})
    plan_review_clear(user, recommendation.assessment)


@transaction.atomic
def plan_review(user: User | None, assessment: Assessment) -> None:
    """ตรวจทานแล้ว: a person read the plan; its documents no longer say ร่าง. Recorded in the history."""
    from django.utils import timezone

    before = {"plan_reviewed_at": None}
    assessment.plan_reviewed_at, assessment.plan_reviewed_by = timezone.now(), user
    assessment.save(update_fields=["plan_reviewed_at", "plan_reviewed_by"])
    audit_record(
        user, assessment.agency, assessment, before, {"plan_reviewed_at": assessment.plan_reviewed_at.isoformat()}
    )


def plan_review_clear(user: User | None, assessment: Assessment) -> None:
    """A change of wording after the review makes the plan a draft again (ร่าง) until it is reviewed anew."""
    if assessment.plan_reviewed_at is None:
        return
    before = {"plan_reviewed_at": assessment.plan_reviewed_at.isoformat()}
    assessment.plan_reviewed_at, assessment.plan_reviewed_by = None, None
    assessment.save(update_fields=["plan_reviewed_at", "plan_reviewed_by"])
    audit_record(user, assessment.agency, assessment, before, {"plan_reviewed_at": None})


@transaction.atomic
def recommendation_assign(user: User | None, recommendation: Recommendation, unit: Unit) -> None:
    """Change an area's responsible unit, here and in every later draft of this agency."""
    before = {"unit": str(recommendation.unit) if recommendation.unit else None}
    recommendation.unit = unit
    recommendation.save(update_fields=["unit"])
    AreaAssignment.objects.update_or_create(
        agency=recommendation.assessment.agency, area_code=recommendation.area_code, defaults={"unit": unit}
    )
    audit_record(user, recommendation.assessment.agency, recommendation, before, {"unit": str(unit)})


__all__ = [
    "Rollover",
    "assessment_create",
    "assessment_rollover",
    "audit_record",
    "evidence_add",
    "evidence_checked",
    "evidence_rule",
    "history_of",
    "measure_save",
    "measure_update_add",
    "plan_draft",
    "plan_review",
    "plan_review_clear",
    "recommendation_assign",
    "recommendation_edit",
    "register_update",
    "results_from_register",
    "results_import",
    "results_set",
]
