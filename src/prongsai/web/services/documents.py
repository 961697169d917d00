"""The documents of an assessment, from what the database holds (the core makes them)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from prongsai.documents.data import DocumentData, MeasureRow, Meeting, RecommendationRow, Signer, Update
from prongsai.itas import ItasAnswer
from prongsai.results import Agency as CoreAgency

from ..models import AgencyTemplate, Assessment, MeasureUpdate


def register_answers(assessment: Assessment) -> dict[str, ItasAnswer]:
    """The register as ITAS sees it: per item, the answer (None until answered), URLs and explanation."""
    return {
        e.item_code: ItasAnswer(None if not e.answer else e.answer == "yes", e.url_list(), e.explanation)
        for e in assessment.register.all()
    }


def update_file_url(update: MeasureUpdate, agency_id: int) -> str:
    """The address of an update's evidence file on this site (PRONGSAI_SITE_URL), for the progress report."""
    if not update.file:
        return ""
    return settings.SITE_URL + reverse("update_file", args=[agency_id, update.pk])


def document_data(assessment: Assessment) -> DocumentData:
    """This year's plan, register and progress, on last year's result (if the agency has entered it)."""
    agency = assessment.agency
    previous = Assessment.objects.filter(agency=agency, fiscal_year=assessment.fiscal_year - 1).first()
    measures = assessment.measures.prefetch_related("units", "updates")
    return DocumentData(
        results=previous.to_results() if previous else None,
        fiscal_year=assessment.fiscal_year,
        recommendations=tuple(
            RecommendationRow(r.area_th, r.text, r.unit.name if r.unit else "")
            for r in assessment.recommendations.select_related("unit")
        ),
        measures=tuple(
            MeasureRow(
                title=m.title,
                method=tuple(m.steps()),
                unit=", ".join(u.name for u in m.units.all()),
                period_start=m.period_start,
                period_end=m.period_end,
                follow_up=m.follow_up,
                progress=m.progress,
                status=m.status,
                updates=tuple(
                    Update(u.date, u.text, u.progress, u.evidence_url, u.note, update_file_url(u, agency.pk))
                    for u in sorted(m.updates.all(), key=lambda u: (u.date, u.created))
                ),
            )
            for m in measures
        ),
        meeting=(
            Meeting(assessment.meeting_date, assessment.meeting_attendees.strip(), assessment.meeting_note.strip())
            if assessment.meeting_date
            else None
        ),
        signer=Signer(
            assessment.signer_name or agency.signer_name,
            assessment.signer_position or (agency.signer_position if not assessment.signer_name else ""),
        ),
        signed_on=assessment.signed_on,
        register=register_answers(assessment),
        agency=CoreAgency(agency.name, agency.district, agency.province),
        register_year=assessment.fiscal_year,
        reviewed=assessment.plan_reviewed_at is not None,
    )


def agency_template(assessment: Assessment, kind: str) -> bytes | None:
    own = AgencyTemplate.objects.filter(agency=assessment.agency, kind=kind).first()
    if own is None:
        return None
    with own.file.open("rb") as handle:
        data: bytes = handle.read()
    return data
