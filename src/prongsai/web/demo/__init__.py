"""The demo agency อบต.ทรงคนอง: its FY2564 result and the seed's FY2565 plan, loaded into the database; and a
demo oversight office whose province table holds invented example agencies, clearly named as examples."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from prongsai.examples import example_path
from prongsai.inputfiles import read_yaml_mapping
from prongsai.numbers import round_half_up_many
from prongsai.published import read_published_rows

from .. import services
from ..jobs.oversight_import import import_rows
from ..models import (
    Agency,
    Assessment,
    Measure,
    Membership,
    Office,
    OfficeMembership,
    OfficeRole,
    Recommendation,
    Role,
    Unit,
)

DEMO_FILE = Path(__file__).with_name("songkhanong.yaml")
DEMO_USERNAME = "demo"
DEMO_OFFICE_USERNAME = "demo-office"
DEMO_YEARS = (2564, 2565, 2566, 2567)
DEMO_DISTRICTS = ["เมืองสมุทรปราการ", "บางบ่อ", "บางพลี", "พระประแดง", "พระสมุทรเจดีย์", "บางเสาธง"]
# Printed in README.md for a trial on one's own machine: anyone can read it, so production mode refuses it.
DEFAULT_DEMO_PASSWORD = "prongsai-demo"


def demo_password() -> str:
    """PRONGSAI_DEMO_PASSWORD, else the README's; in production mode the README's is refused (a public server
    with a login everyone knows)."""
    from ..server import ConfigurationError

    password = os.environ.get("PRONGSAI_DEMO_PASSWORD", "") or DEFAULT_DEMO_PASSWORD
    if settings.PRODUCTION and password == DEFAULT_DEMO_PASSWORD:
        raise ConfigurationError(
            "PRONGSAI_PRODUCTION=true: ไม่สร้างบัญชีตัวอย่าง demo ด้วยรหัสผ่านที่เปิดเผยใน README "
            "ให้ตั้ง PRONGSAI_DEMO_PASSWORD เป็นรหัสผ่านอื่นที่เดายาก หรือไม่ใช้ --demo (production mode does not create the "
            "demo logins with the password printed in the README: set PRONGSAI_DEMO_PASSWORD to another, strong one)"
        )
    return password


def secure_demo_logins(password: str | None) -> list[str]:
    """Production mode: the demo logins never keep the README's password. With ``password`` (prepare --demo)
    they get it; without, a demo login still on the README's password is shut (an unusable password)."""
    lines = []
    for user in get_user_model().objects.filter(username__in=[DEMO_USERNAME, DEMO_OFFICE_USERNAME]):
        if password is not None and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            lines.append(f"ตั้งรหัสผ่านของบัญชีตัวอย่าง {user.username} เป็น PRONGSAI_DEMO_PASSWORD แล้ว")
        elif password is None and user.check_password(DEFAULT_DEMO_PASSWORD):
            user.set_unusable_password()
            user.save(update_fields=["password"])
            lines.append(f"ปิดการเข้าสู่ระบบของบัญชีตัวอย่าง {user.username} เพราะใช้รหัสผ่านที่เปิดเผยใน README")
    return lines


@transaction.atomic
def load_demo(password: str) -> Agency:
    """Create the demo agency, its units, a demo admin login, the FY2564 result and the FY2565 plan."""
    data: dict[str, Any] = read_yaml_mapping(DEMO_FILE)
    agency = Agency.objects.create(**data["agency"])
    units = {
        u["code"]: Unit.objects.create(agency=agency, code=u["code"], role=u["code"], name=u["name"])
        for u in data["units"]
    }
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(DEMO_USERNAME, "demo@example.org", password)
    Membership.objects.create(user=user, agency=agency, role=Role.ADMIN, unit=units["office"])
    _load_result(user, agency)
    _load_plan(user, agency, units, data["plan"])
    _load_office(password, agency)
    return agency


def _load_office(password: str, agency: Agency) -> Office:
    """An office of the demo agency's province, its admin ``demo-office``, and a table of example agencies."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_OFFICE_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(DEMO_OFFICE_USERNAME, "office@example.org", password)
    office = Office.objects.create(
        name=f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{agency.province} (ตัวอย่าง)", province=agency.province
    )
    office.agencies.add(agency)
    OfficeMembership.objects.create(user=user, office=office, role=OfficeRole.ADMIN)
    # the years the demo agency has a result of (FY2564) and after: its row is its own result, the rest invented
    table = example_province_table(agency, agency.province, DEMO_DISTRICTS, ["ตัวอย่าง"], count=60, years=DEMO_YEARS)
    name = "ตัวอย่างผลคะแนนของจังหวัด (ข้อมูลสมมติ).csv"
    import_rows(None, office, read_published_rows(name, table), name, user.pk)
    return office


def example_province_table(
    agency: Agency,
    province: str,
    districts: list[str],
    places: list[str],
    *,
    count: int = 150,
    years: tuple[int, ...] = (2565, 2566, 2567),
    seed: int = 7,
) -> list[list[str]]:
    """A published-results table (header first) of ``count`` invented agencies named from ``places``, improving a
    little each year (seeded, so the same every time), and of ``agency`` in the years it has a result of its own,
    with that result: nothing is invented for a real agency, so the office's table and the agency's pages agree."""
    rng = np.random.default_rng(seed)
    header = ["หน่วยงาน", "อำเภอ", "จังหวัด", "ปีงบประมาณ", *[str(n) for n in range(1, 11)]]
    agencies = []
    for k in range(count):
        kind = "เทศบาลตำบล" if k % 4 == 0 else "องค์การบริหารส่วนตำบล"
        agencies.append(
            (f"{kind}{places[k % len(places)]}{k // len(places) + 1}", districts[k % len(districts)], province)
        )
    base = rng.normal(0, 1, size=(len(agencies), 10))
    rows = [header]
    for assessment in agency.assessments.filter(fiscal_year__in=years).order_by("fiscal_year"):
        scores = assessment.scores()
        if len(scores) == 10:
            own = [f"{scores[n]:.2f}" for n in range(1, 11)]
            rows.append([agency.name, agency.district, agency.province, str(assessment.fiscal_year), *own])
    for step, year in enumerate(years):
        survey = np.clip(84 + 6 * base[:, :8] + rng.normal(0, 3, (len(agencies), 8)) + step, 50, 100)
        oit = np.clip(72 + 18 * base[:, 8:] + rng.normal(0, 6, (len(agencies), 2)) + 4 * step, 0, 100)
        drawn = round_half_up_many(np.hstack([survey, oit]))
        for (name, district, place_province), row in zip(agencies, drawn, strict=True):
            rows.append([name, district, place_province, str(year), *[f"{s:.2f}" for s in row]])
    return rows


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
            edited=True,  # the agency's own wording (the seed's): a re-draft keeps it
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
            edited=True,
        )
        services.measure_save(user, measure, [units[c] for c in m["units"]], created=True)
    for entry in assessment.register.all():  # this year's register starts where the seed's agency stood
        entry.unit = units["finance"] if "จัดซื้อจัดจ้าง" in entry.item.title_th else units["office"]
        entry.save(update_fields=["unit"])


def demo_exists() -> bool:
    data = read_yaml_mapping(DEMO_FILE)
    return Agency.objects.filter(name=data["agency"]["name"]).exists() or Assessment.objects.exists()


def agency_with_admin(name: str, username: str) -> Agency:
    """A new agency with the usual สำนักปลัด unit and ``username`` as its admin (for ``prongsai createadmin``)."""
    from ..services.people import agency_start

    return agency_start(get_user_model().objects.get(username=username), name)
