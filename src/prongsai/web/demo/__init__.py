"""The demo agency อบต.ทรงคนอง: its FY2564 result and the seed's FY2565 plan, loaded into the database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from prongsai.examples import example_path

from .. import services
from ..models import Agency, Assessment, Measure, Membership, Recommendation, Role, Unit

DEMO_FILE = Path(__file__).with_name("songkhanong.yaml")
DEMO_USERNAME = "demo"


@transaction.atomic
def load_demo(password: str) -> Agency:
    """Create the demo agency, its units, a demo admin login, the FY2564 result and the FY2565 plan."""
    data: dict[str, Any] = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    agency = Agency.objects.create(**data["agency"])
    units = {u["code"]: Unit.objects.create(agency=agency, code=u["code"], name=u["name"]) for u in data["units"]}
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(DEMO_USERNAME, "demo@example.org", password)
    Membership.objects.create(user=user, agency=agency, role=Role.ADMIN, unit=units["office"])
    _load_result(user, agency)
    _load_plan(user, agency, units, data["plan"])
    return agency


def _load_result(user: Any, agency: Agency) -> None:
    assessment = services.assessment_create(user, agency, 2564)
    path = example_path("songkhanong-2564.yaml")
    services.results_import(user, assessment, SimpleUploadedFile(path.name, path.read_bytes()))
    assessment.published_total, assessment.published_grade = 68.48, "C"
    assessment.save(update_fields=["published_total", "published_grade"])


def _load_plan(user: Any, agency: Agency, units: dict[str, Unit], plan: dict[str, Any]) -> None:
    assessment = services.assessment_create(user, agency, int(plan["fiscal_year"]))
    assessment.meeting_date, assessment.meeting_note = plan["meeting_date"], plan["meeting_note"]
    assessment.save(update_fields=["meeting_date", "meeting_note"])
    for order, rec in enumerate(plan["recommendations"]):
        Recommendation.objects.create(
            assessment=assessment,
            area_code=f"seed-{order + 1}",
            area_th=rec["area"],
            text=rec["text"],
            unit=units[rec["unit"]],
            order=order,
        )
    for order, m in enumerate(plan["measures"]):
        start, end = (d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in m["period"])
        measure = Measure(
            assessment=assessment,
            title=m["title"],
            method="\n".join(m["method"]),
            period_start=start,
            period_end=end,
            follow_up=m["follow_up"],
            indicators=m["indicators"],
            rule_code=m.get("rule", ""),
            order=order,
        )
        services.measure_save(user, measure, [units[c] for c in m["units"]], created=True)
    for entry in assessment.register.all():  # this year's register starts where the seed's agency stood
        entry.unit = units["finance"] if "จัดซื้อจัดจ้าง" in entry.item.title_th else units["office"]
        entry.save(update_fields=["unit"])


def demo_exists() -> bool:
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    return Agency.objects.filter(name=data["agency"]["name"]).exists() or Assessment.objects.exists()


def agency_with_admin(name: str, username: str) -> Agency:
    """A new agency with the usual สำนักปลัด unit and ``username`` as its admin (for ``prongsai createadmin``)."""
    user = get_user_model().objects.get(username=username)
    agency = Agency.objects.create(name=name)
    office = Unit.objects.create(agency=agency, code="office", name="สำนักปลัด")
    Membership.objects.create(user=user, agency=agency, role=Role.ADMIN, unit=office)
    return agency
