"""Every shipped framework loads; a broken one fails naming file, field and reason; a new year is a file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from prongsai.errors import FrameworkError
from prongsai.framework import Coverage, Publication
from prongsai.frameworks import DATA_DIR, available_years, get_framework, load_framework

SHIPPED = sorted(DATA_DIR.glob("fy*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_file_loads(path: Path) -> None:
    framework = load_framework(path)
    assert framework.fiscal_year == int(path.stem[2:])
    assert sum(i.weight for i in framework.indicators) == pytest.approx(100)
    assert framework.pass_mark == 85


def test_the_six_researched_years_are_shipped() -> None:
    assert available_years()[:6] == [2563, 2564, 2565, 2566, 2567, 2568]


def test_fy2564_structure() -> None:
    framework = get_framework(2564)
    assert [len(s.items) for s in framework.oit.sub_indicators] == [9, 8, 7, 4, 5, 8, 2]
    assert [t.weight for t in framework.tools] == [30, 30, 40]
    assert [i.weight for i in framework.indicators] == [6] * 5 + [10] * 3 + [20] * 2
    assert framework.publication is Publication.GRADES
    assert [g.grade for g in framework.grades] == ["AA", "A", "B", "C", "D", "E", "F"]
    assert {i.code for i in framework.items if i.coverage is Coverage.HALF_YEAR} == {"O11", "O19", "O40"}
    assert len(framework.questions_of("IIT")) == 30 and len(framework.questions_of("EIT")) == 15


@pytest.mark.parametrize(("year", "publication"), [(2565, Publication.GRADES), (2566, Publication.RATINGS)])
def test_publication_changes_in_2566(year: int, publication: Publication) -> None:
    assert get_framework(year).publication is publication


def test_fy2568_has_28_items_and_says_its_grouping_is_unverified() -> None:
    framework = get_framework(2568)
    assert len(framework.items) == 28
    assert all(not s.is_verified("code") for s in framework.oit.sub_indicators)


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("การใช้ทรัพยากรของราชการ", 4),
        ("การใช้ทรัพย์สินของราชการ", 4),
        ("การปรับปรุงระบบการทำงาน", 8),
        ("การปรับปรุงการทำงาน", 8),
        (" การเปิดเผย ข้อมูล ", 9),
        ("๑๐", 10),
        ("3", 3),
    ],
)
def test_indicator_names_accept_spellings_in_use(name: str, number: int) -> None:
    found = get_framework(2564).find_indicator(name)
    assert found is not None and found.number == number


def test_unknown_indicator_name_is_none() -> None:
    assert get_framework(2564).find_indicator("การบริหาร") is None
    assert get_framework(2564).find_indicator("11") is None


# --- the loader rejects broken files -----------------------------------------------------------


def _raw(year: int = 2564) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DATA_DIR / f"fy{year}.yaml").read_text(encoding="utf-8"))
    return loaded


def _break_weight(raw: dict[str, Any]) -> None:
    raw["indicators"][0]["weight"] = 7


def _duplicate_item(raw: dict[str, Any]) -> None:
    raw["oit"]["sub_indicators"][1]["items"].append(raw["oit"]["sub_indicators"][0]["items"][0])


def _gap_in_grades(raw: dict[str, Any]) -> None:
    raw["grades"][2]["min"] = 76.0


def _unknown_field(raw: dict[str, Any]) -> None:
    raw["indicators"][2]["colour"] = "red"


def _bad_unverified(raw: dict[str, Any]) -> None:
    raw["tools"][0]["unverified"] = ["wieght"]


def _tool_mismatch(raw: dict[str, Any]) -> None:
    raw["tools"][0]["weight"] = 20
    raw["tools"][2]["weight"] = 50


def _question_on_wrong_tool(raw: dict[str, Any]) -> None:
    raw["questions"][0]["indicator"] = 6


def _wrong_period(raw: dict[str, Any]) -> None:
    raw["period"]["start"] = "2020-01-01"


@pytest.mark.parametrize(
    ("breaker", "field", "reason"),
    [
        (_break_weight, "indicators", "sum to 101"),
        (_duplicate_item, "", "O1"),
        (_gap_in_grades, "grades", "contiguous"),
        (_unknown_field, "indicators[3].colour", "Extra inputs"),
        (_bad_unverified, "tools[IIT]", "wieght"),
        (_tool_mismatch, "", "IIT"),
        (_question_on_wrong_tool, "", "i1"),
        (_wrong_period, "", "period"),
    ],
)
def test_loader_names_file_field_and_reason(
    tmp_path: Path, breaker: Callable[[dict[str, Any]], None], field: str, reason: str
) -> None:
    raw = _raw()
    breaker(raw)
    path = tmp_path / "fy2564.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    assert caught.value.file == str(path)
    assert caught.value.field.startswith(field)
    assert reason in str(caught.value)


def test_loader_checks_the_file_name_against_the_year(tmp_path: Path) -> None:
    path = tmp_path / "fy2565.yaml"
    shutil.copy(DATA_DIR / "fy2564.yaml", path)
    with pytest.raises(FrameworkError, match="fiscal_year"):
        load_framework(path)


def test_loader_reports_unreadable_yaml(tmp_path: Path) -> None:
    path = tmp_path / "fy2564.yaml"
    path.write_text("schema: [\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="อ่านไฟล์ YAML ไม่ได้ที่บรรทัด"):
        load_framework(path)
