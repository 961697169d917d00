"""The years an agency is in: FY2569 as data, FY2570 provisional, rating words, loading a year's file, and
items across years."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from prongsai.cli import main
from prongsai.errors import FrameworkError
from prongsai.frameworks import (
    DATA_DIR,
    add_framework,
    available_years,
    check_continuity,
    current_fiscal_year,
    get_framework,
    sources,
)
from prongsai.scoring import score

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "ratings.yaml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def loaded_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test has an empty folder of loaded frameworks of its own."""
    folder = tmp_path / "frameworks"
    monkeypatch.setenv("PRONGSAI_FRAMEWORKS_DIR", str(folder))
    yield folder


def _cli(*args: str) -> tuple[int, str, str]:
    outcome = CliRunner().invoke(main, list(args))
    return outcome.exit_code, outcome.stdout, outcome.stderr


# --- FY2569 and the provisional year ------------------------------------------------------------


def test_fy2569_lists_the_26_oit_items() -> None:
    code, out, _ = _cli("frameworks", "--year", "2569", "--json")
    assert code == 0
    data = json.loads(out)
    codes = [item["code"] for sub in data["oit"]["sub_indicators"] for item in sub["items"]]
    assert codes == [f"O{n}" for n in range(1, 27)]
    assert data["provisional"] is False and data["source"]["kind"] == "shipped"
    titles = {item["code"]: item["title_th"] for sub in data["oit"]["sub_indicators"] for item in sub["items"]}
    assert titles["O11"] == "สรุปผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุรายเดือน"
    assert titles["O25"] == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    # Whatever is assumed from FY2568 is marked, not stated as fact.
    assert {"questions", "ratings", "tools", "indicators"} <= set(data["unverified"])
    assert "oit.O2.title_th" in data["unverified_facts"]


def test_the_current_year_is_provisional_until_its_file_is_loaded() -> None:
    assert current_fiscal_year() >= 2570  # today is in FY2570 or later
    code, out, _ = _cli("frameworks", "--year", "2570", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["provisional"] is True and data["based_on"] == 2569
    assert data["source"] == {
        "kind": "provisional",
        "path": None,
        "loaded_at": None,
        "loaded_by": None,
        "based_on": 2569,
    }
    assert len(data["oit"]["sub_indicators"][0]["items"]) == 4
    assert data["period"] == {"start": "2026-10-01", "end": "2027-09-30"}
    code, text, _ = _cli("frameworks", "--year", "2570")
    assert "กรอบชั่วคราว" in text


def test_provisional_items_continue_themselves() -> None:
    provisional = get_framework(2570)
    assert all(item.continues == (item.code,) for item in provisional.items)
    check_continuity(provisional, get_framework(2569))


def test_the_list_says_where_each_year_comes_from() -> None:
    _code, out, _ = _cli("frameworks", "--json")
    years = {row["fiscal_year"]: row for row in json.loads(out)}
    assert years[2569]["source"]["kind"] == "shipped" and years[2569]["items"] == 26
    assert years[2570]["provisional"] is True
    _code, text, _ = _cli("frameworks")
    assert "มากับโปรแกรม" in text and "ชั่วคราว" in text


def test_no_year_far_ahead_exists() -> None:
    year = current_fiscal_year() + 2
    with pytest.raises(FrameworkError, match=f"ยังไม่มีกรอบการประเมินของปีงบประมาณ {year}"):
        get_framework(year)


# --- rating words --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=lambda c: c["name"])
def test_rating_golden(case: dict[str, Any]) -> None:
    result = score(get_framework(case["year"]), dict(enumerate(case["indicators"], start=1)))
    assert result.total == case["total"]
    assert (result.rating.label_th if result.rating else None) == case["rating"]
    assert result.grade == case.get("grade")
    held = result.held_back()
    if "held_back" in case:
        assert held is not None
        assert [held[0].label_th, list(held[1])] == case["held_back"]
    else:
        assert held is None


def test_every_band_of_every_rating_year_is_covered_by_the_golden_file() -> None:
    seen = {(c["year"] >= 2566, c["rating"]) for c in GOLDEN["cases"]}
    for year in available_years():
        for band in get_framework(year).ratings:
            assert (True, band.label_th) in seen, (year, band.label_th)


def test_score_json_keeps_grade_and_adds_rating(tmp_path: Path) -> None:
    csv = tmp_path / "r.csv"
    scores = [99, 99, 99, 99, 99, 84, 84, 84, 99.35, 99.35]
    csv.write_text("indicator,score\n" + "".join(f"{n},{s}\n" for n, s in enumerate(scores, 1)), encoding="utf-8")
    _code, out, _ = _cli("score", str(csv), "--year", "2568", "--json")
    data = json.loads(out)
    assert (data["total"], data["passed"], data["grade"], data["rating"]) == (94.64, True, None, "ผ่าน")
    _code, text, _ = _cli("score", str(csv), "--year", "2568")
    assert "ระดับผลการประเมิน ผ่าน" in text and "EIT ต่ำกว่า 85" in text
    _code, out, _ = _cli("score", str(csv), "--year", "2564", "--json")
    assert json.loads(out)["rating"] is None and json.loads(out)["grade"] == "A"


def test_ratings_must_be_ordered_and_end_at_zero() -> None:
    raw = yaml.safe_load((DATA_DIR / "fy2568.yaml").read_text(encoding="utf-8"))
    raw["ratings"] = list(reversed(raw["ratings"]))
    with pytest.raises(FrameworkError, match="ratings"):
        add_framework(yaml.safe_dump(raw, allow_unicode=True), source="bad.yaml", dry_run=True)
    raw["ratings"] = []
    with pytest.raises(FrameworkError, match='publication "ratings" needs'):
        add_framework(yaml.safe_dump(raw, allow_unicode=True), source="bad.yaml", dry_run=True)


# --- loading a year's file -----------------------------------------------------------------------


def _fy2570_text(**changes: Any) -> str:
    raw = yaml.safe_load((DATA_DIR / "fy2569.yaml").read_text(encoding="utf-8"))
    raw.update(fiscal_year=2570, period={"start": "2026-10-01", "end": "2027-09-30"})
    raw["name_th"] = raw["name_th"].replace("2569", "2570")
    for sub in raw["oit"]["sub_indicators"]:
        for item in sub["items"]:
            item["continues"] = [item["code"]]
    raw.update(changes)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def test_a_loaded_file_replaces_the_provisional_year(tmp_path: Path, loaded_folder: Path) -> None:
    path = tmp_path / "itas-2570.yaml"
    path.write_text(_fy2570_text(), encoding="utf-8")
    code, out, err = _cli("frameworks", "add", str(path), "--by", "admin1")
    assert code == 0, err
    assert "เพิ่มกรอบการประเมินปี 2570 แล้ว" in out
    assert (loaded_folder / "fy2570.yaml").exists()
    source = sources()[2570]
    assert source.kind == "loaded" and source.loaded_by == "admin1" and source.loaded_at is not None
    assert get_framework(2570).provisional is False
    _code, out, _ = _cli("frameworks", "--json")
    row = next(r for r in json.loads(out) if r["fiscal_year"] == 2570)
    assert row["provisional"] is False and row["source"]["kind"] == "loaded" and row["source"]["loaded_by"] == "admin1"


def test_a_replaced_file_is_read_again(tmp_path: Path) -> None:
    add_framework(_fy2570_text(), source="a.yaml")
    assert get_framework(2570).pass_mark == 85
    add_framework(_fy2570_text(pass_mark=80), source="b.yaml")
    assert get_framework(2570).pass_mark == 80


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pass_mark": 120}, "pass_mark"),
        ({"tools": [{"code": "IIT", "name_th": "x", "name_en": "x", "weight": 50}]}, "tools"),
        ({"period": {"start": "2026-01-01", "end": "2027-09-30"}}, "period"),
        ({"publication": "stars"}, "publication"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_field(
    tmp_path: Path, loaded_folder: Path, changes: dict[str, Any], field: str
) -> None:
    path = tmp_path / "fy2570.yaml"
    path.write_text(_fy2570_text(**changes), encoding="utf-8")
    code, _, err = _cli("frameworks", "add", str(path))
    assert code == 2
    assert field in err and "Traceback" not in err
    assert not loaded_folder.exists() or not any(loaded_folder.iterdir())
    assert get_framework(2570).provisional is True


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fy2570.yaml"
    path.write_bytes(b"schema: [\n\xff")
    code, _, err = _cli("frameworks", "add", str(path))
    assert code == 2 and "prongsai:" in err


def test_check_changes_nothing(tmp_path: Path, loaded_folder: Path) -> None:
    path = tmp_path / "fy2570.yaml"
    path.write_text(_fy2570_text(), encoding="utf-8")
    code, out, _ = _cli("frameworks", "add", str(path), "--check")
    assert code == 0 and "ไฟล์ถูกต้อง" in out
    assert sources()[2570].kind == "provisional"


# --- items across years ----------------------------------------------------------------------------


def test_every_item_maps_to_items_of_the_previous_year_that_exist() -> None:
    years = available_years()
    for year in years[1:]:
        framework, previous = get_framework(year), get_framework(year - 1)
        check_continuity(framework, previous, f"fy{year}")
        known = {item.code for item in previous.items}
        for item in framework.items:
            assert set(item.continues or ()) <= known, (year, item.code)


def test_fy2569_says_what_it_continues() -> None:
    fy2569 = get_framework(2569)
    assert fy2569.item("O20").continues == ("O21", "O22")  # the two No Gift items merged
    assert fy2569.item("O25").continues == ("O27",)  # in place of the integrity measures
    assert all(item.continues is not None for item in fy2569.items)
    claimed = {code for item in fy2569.items for code in item.continues or ()}
    assert {f"O{n}" for n in range(1, 29)} - claimed == {"O11"}  # only the service statistics are dropped


def test_a_mapping_to_an_item_that_does_not_exist_is_refused() -> None:
    raw = yaml.safe_load(_fy2570_text())
    raw["oit"]["sub_indicators"][0]["items"][0]["continues"] = ["O99"]
    with pytest.raises(FrameworkError, match="O99") as caught:
        add_framework(yaml.safe_dump(raw, allow_unicode=True), source="fy2570.yaml")
    assert caught.value.field == "oit.O1.continues"


def test_sub_indicator_placeholders_are_known_as_such() -> None:
    assert not get_framework(2569).oit.sub_indicators[0].shows_code  # 9.a is prongsai's
    assert get_framework(2564).oit.sub_indicators[0].shows_code  # 9.1 is the NACC's
    assert get_framework(2569).oit.sub_indicators[0].label_th == "ข้อมูลพื้นฐานและการประชาสัมพันธ์"
    assert get_framework(2564).oit.sub_indicators[0].label_th.startswith("9.1 ")


@pytest.mark.parametrize(
    ("year", "measures", "report"),
    [(2563, "O42", "O43"), (2564, "O42", "O43"), (2567, "O42", "O43"), (2568, "O27", "O28"), (2569, "O25", "O26")],
)
def test_each_year_says_which_items_publish_the_measures_document(year: int, measures: str, report: str) -> None:
    framework = get_framework(year)
    assert framework.document_item("measures").code == measures  # type: ignore[union-attr]
    assert framework.document_item("measures_report").code == report  # type: ignore[union-attr]


def test_a_provisional_year_inherits_its_document_items() -> None:
    provisional = get_framework(current_fiscal_year())
    assert provisional.provisional
    assert provisional.document_item("measures").code == "O25"  # type: ignore[union-attr]


def test_only_one_item_may_be_a_document() -> None:
    data = get_framework(2569).model_dump(mode="json", by_alias=True)
    data["oit"]["sub_indicators"][0]["items"][0]["document"] = "measures"
    with pytest.raises(ValueError, match="only one item may be the measures document"):
        type(get_framework(2569)).model_validate(data)
