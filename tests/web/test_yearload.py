"""A year's framework loaded while agencies have data of that year: the preview, the remap in one
transaction, a refused file changing nothing; the "what changed" page; the same service from the CLI."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from prongsai.cli import main
from prongsai.frameworks import get_framework, sources
from prongsai.web import services
from prongsai.web.models import Assessment, AuditEntry, Measure, RegisterEntry
from prongsai.web.services.yearload import apply_load, plan_load

from .conftest import World
from .yearfiles import fy2570_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_folder")]


@pytest.fixture
def siteadmin() -> User:
    return User.objects.create_user("siteadmin", "site@example.org", "a-long-test-password", is_staff=True)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def y2570(world: World) -> Assessment:
    """The agency started FY2570 on the provisional framework (FY2569's items)."""
    assessment = services.assessment_create(world.users["owner"], world.agency, 2570)
    entries = {e.item_code: e for e in assessment.register.all()}
    services.register_update(world.users["owner"], entries["O2"], {"urls": "https://example.go.th/executives"})
    services.register_update(world.users["owner"], entries["O3"], {"urls": "https://example.go.th/contact"})
    services.register_update(
        world.users["owner"],
        entries["O26"],
        {"urls": "https://example.go.th/ita-report", "explanation": "รายงานผลปี 2569", "answer": "yes"},
    )
    services.register_update(world.users["owner"], entries["O5"], {"urls": "https://example.go.th/plan"})
    Measure.objects.create(
        assessment=assessment,
        title="ปรับปรุงหน้าเว็บไซต์",
        method="ขั้นที่ 1",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2027, 3, 31),
        items=["O5", "O26"],
    )
    return assessment


MERGED = {"drop": ["O26"], "merge": {"O2": ["O2", "O3"]}}  # O2 ← O2+O3; O4… ← O5…; O26 dropped


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _urls(assessment: Assessment) -> dict[str, str]:
    return {e.item_code: e.urls for e in RegisterEntry.objects.filter(assessment=assessment)}


def test_upload_with_data_previews_then_moves_the_data(
    world: World, y2570: Assessment, siteadmin: User, loaded_folder: Path
) -> None:
    client = _client(siteadmin)
    before = _urls(y2570)
    upload = SimpleUploadedFile("itas-2570.yaml", fy2570_text(**MERGED).encode("utf-8"))
    response = client.post("/frameworks/", {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "ตรวจสอบก่อนใช้กรอบการประเมินปี 2570" in page and "กรอบชั่วคราวที่ทำจากกรอบปี 2569" in page
    assert "ข้อที่รวมกัน" in page and "ข้อที่ยกเลิก" in page
    plan = response.context["plan"]
    assert (plan.agencies, plan.entries_moved, plan.entries_set_aside, plan.measures) == (1, 2, 1, 1)
    assert not loaded_folder.exists() or not list(loaded_folder.iterdir())  # nothing written yet
    assert _urls(y2570) == before and sources()[2570].kind == "provisional"

    response = client.post(
        "/frameworks/",
        {"confirm": "1", "text": _b64(plan.text), "source": plan.source, "fingerprint": plan.fingerprint},
    )
    assert response.status_code == 302
    assert (loaded_folder / "fy2570.yaml").exists()
    source = sources()[2570]
    assert source.kind == "loaded" and source.loaded_by == "siteadmin"
    framework = get_framework(2570)
    assert len(framework.items) == 24
    after = _urls(y2570)
    assert sorted(after, key=lambda c: int(c[1:])) == [i.code for i in framework.items]
    assert after["O2"].splitlines() == ["https://example.go.th/executives", "https://example.go.th/contact"]
    assert after["O4"] == "https://example.go.th/plan"  # FY2569 O5 is O4 now
    assert "https://example.go.th/ita-report" not in "".join(after.values())
    # the dropped item's entry is set aside in the history, not lost
    (kept,) = AuditEntry.objects.filter(agency=world.agency, action=AuditEntry.Action.DELETE, model="registerentry")
    held = kept.changes["set_aside"][0]
    assert held["item_code"] == "O26" and held["urls"] == ["https://example.go.th/ita-report"]
    assert held["explanation"] == "รายงานผลปี 2569" and held["answer"] == "yes"
    assert Measure.objects.get(assessment=y2570).items == ["O4"]
    # the agency reads it on the year's page
    page = world.client("viewer").get("/years/2570/changes/").content.decode()
    assert "ข้อมูลที่เก็บไว้จากข้อที่ไม่มีในกรอบใหม่" in page and "https://example.go.th/ita-report" in page
    assert (
        "https://example.go.th/ita-report" not in world.client("outsider").get("/years/2570/changes/").content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"pass_mark": 120}, "pass_mark"), ({"publication": "stars"}, "publication")],
)
def test_a_broken_file_is_refused_with_the_field_named_and_nothing_changed(
    y2570: Assessment, siteadmin: User, loaded_folder: Path, changes: dict[str, Any], field: str
) -> None:
    before, audit = _urls(y2570), AuditEntry.objects.count()
    upload = SimpleUploadedFile("fy2570.yaml", fy2570_text(**MERGED, **changes).encode("utf-8"))
    response = _client(siteadmin).post("/frameworks/", {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"ช่อง “{field}” ไม่ถูกต้อง" in page and "ยังไม่ได้เปลี่ยนแปลงข้อมูลใด" in page
    assert not loaded_folder.exists() or not list(loaded_folder.iterdir())
    assert _urls(y2570) == before and AuditEntry.objects.count() == audit
    assert sources()[2570].kind == "provisional"


def test_a_file_failing_at_the_write_rolls_the_remap_back(
    y2570: Assessment, loaded_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_load(fy2570_text(**MERGED), "fy2570.yaml")
    before = _urls(y2570)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr("prongsai.web.services.yearload.add_framework", broken)
    with pytest.raises(OSError):
        apply_load(plan, loaded_by="siteadmin")
    assert _urls(y2570) == before and Measure.objects.get(assessment=y2570).items == ["O5", "O26"]


def test_a_year_without_data_is_loaded_at_once(world: World, siteadmin: User, loaded_folder: Path) -> None:
    upload = SimpleUploadedFile("fy2570.yaml", fy2570_text().encode("utf-8"))
    response = _client(siteadmin).post("/frameworks/", {"file": upload}, follow=True)
    assert "เพิ่มกรอบการประเมินปี 2570 แล้ว" in response.content.decode()
    assert (loaded_folder / "fy2570.yaml").exists()
    page = response.content.decode()
    assert "มากับโปรแกรม" in page and "เพิ่มเมื่อ" in page and "siteadmin" in page


def test_a_changed_mapping_asks_again(y2570: Assessment, siteadmin: User, loaded_folder: Path) -> None:
    plan = plan_load(fy2570_text(**MERGED), "fy2570.yaml")
    response = _client(siteadmin).post(
        "/frameworks/", {"confirm": "1", "text": _b64(plan.text), "source": plan.source, "fingerprint": "stale"}
    )
    assert response.status_code == 409 and "โปรดตรวจสอบรายการด้านล่างอีกครั้ง" in response.content.decode()
    assert not (loaded_folder / "fy2570.yaml").exists()


def test_only_site_administrators_load_files(world: World) -> None:
    assert world.client("owner").get("/frameworks/").status_code == 403  # an agency admin is not a site admin
    assert world.client("anonymous").get("/frameworks/").status_code == 302


def test_what_changed_page(world: World) -> None:
    page = world.client("viewer").get("/years/2569/changes/").content.decode()
    assert "กรอบการประเมินปี 2569 เปลี่ยนไปจากปี 2568 อย่างไร" in page
    assert "ข้อที่รวมกัน (1)" in page and "ข้อที่ยกเลิก (1)" in page and "ระบบเสนอ" not in page
    assert "ระบบเสนอ" in world.client("viewer").get("/years/2568/changes/").content.decode()
    assert "ยังเป็นกรอบชั่วคราว" in world.client("viewer").get("/years/2570/changes/").content.decode()
    assert world.client("viewer").get("/years/2563/changes/").status_code == 404  # no year before it
    assert world.client("anonymous").get("/years/2569/changes/").status_code == 302
    register = world.client("viewer").get(f"/a/{world.agency.pk}/2564/register/").content.decode()
    assert 'href="/years/2564/changes/"' in register


def test_cli_add_shows_the_preview_and_waits_for_yes(y2570: Assessment, tmp_path: Path, loaded_folder: Path) -> None:
    path = tmp_path / "fy2570.yaml"
    path.write_text(fy2570_text(**MERGED), encoding="utf-8")
    before = _urls(y2570)
    outcome = CliRunner().invoke(main, ["frameworks", "add", str(path), "--by", "cli-admin"])
    assert outcome.exit_code == 1
    assert "มีหน่วยงาน 1 แห่ง" in outcome.stdout and "--yes" in outcome.stderr
    assert "O2 " in outcome.stdout and "← O2, O3" in outcome.stdout
    assert _urls(y2570) == before and not (loaded_folder / "fy2570.yaml").exists()
    outcome = CliRunner().invoke(main, ["frameworks", "add", str(path), "--by", "cli-admin", "--yes"])
    assert outcome.exit_code == 0, outcome.stderr
    assert "ย้ายข้อมูลของ 1 หน่วยงาน" in outcome.stdout
    assert _urls(y2570)["O4"] == "https://example.go.th/plan"
    assert sources()[2570].loaded_by == "cli-admin"


def test_replacing_the_base_of_a_provisional_year_moves_that_years_data_too(y2570: Assessment) -> None:
    """FY2570 is made from FY2569 until its manual is out: a corrected FY2569 file (one item fewer, the rest
    numbered again) changes FY2570's items as well, so FY2570's entries follow their items."""
    import yaml

    from prongsai.frameworks import DATA_DIR

    raw = yaml.safe_load((DATA_DIR / "fy2569.yaml").read_text(encoding="utf-8"))
    number = 0
    for sub in raw["oit"]["sub_indicators"]:
        sub["items"] = [item for item in sub["items"] if item["code"] != "O4"]
        for item in sub["items"]:
            number += 1
            item["code"] = f"O{number}"
    plan = plan_load(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "fy2569.yaml")
    assert plan.years == (2569, 2570) and plan.affected
    apply_load(plan, loaded_by="siteadmin")
    assert get_framework(2570).provisional and len(get_framework(2570).items) == 25
    moved = RegisterEntry.objects.get(assessment=y2570, item_code="O25")
    assert moved.urls == "https://example.go.th/ita-report"  # was FY2570's O26
    assert not RegisterEntry.objects.filter(assessment=y2570, item_code="O26").exists()
