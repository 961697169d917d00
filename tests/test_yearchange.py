"""Items across years: proposed predecessors (on the real years and on small hand-made ones) and the
list of changes from one year to the next."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from prongsai.cli import main
from prongsai.framework import Framework
from prongsai.frameworks import DATA_DIR, get_framework
from prongsai.yearchange import GROUPS, carry_map, diff, grouped, propose_mapping, similarity


@pytest.fixture(autouse=True)
def loaded_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "frameworks"
    monkeypatch.setenv("PRONGSAI_FRAMEWORKS_DIR", str(folder))
    yield folder


def _base(year: int) -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load((DATA_DIR / "fy2569.yaml").read_text(encoding="utf-8"))
    ce = year - 543
    raw.update(fiscal_year=year, period={"start": f"{ce - 1}-10-01", "end": f"{ce}-09-30"})
    return raw


Row = tuple[str, str, str, Sequence[str] | None]


def make(year: int, items: Sequence[Row], **changes: Any) -> Framework:
    """A framework of ``year`` whose OIT items are (title, coverage, must_show, continues), numbered O1…"""
    raw = _base(year)
    rows = []
    for n, (title, coverage, must_show, continues) in enumerate(items, start=1):
        row: dict[str, Any] = {
            "code": f"O{n}",
            "title_th": title,
            "title_en": f"item {n}",
            "group_th": "กลุ่ม",
            "coverage": coverage,
            "must_show_th": [must_show],
            "key_terms_th": [title],
        }
        if continues is not None:
            row["continues"] = list(continues)
        rows.append(row)
    sub9 = {"code": "9.1", "indicator": 9, "name_th": "ก", "name_en": "a", "items": rows[:1]}
    sub10 = {"code": "10.1", "indicator": 10, "name_th": "ข", "name_en": "b", "items": rows[1:]}
    raw["oit"] = {**raw["oit"], "sub_indicators": [sub9, sub10]}
    raw.update(changes)
    return Framework.model_validate(raw)


PREVIOUS: list[Row] = [
    ("โครงสร้าง", "standing", "แผนผังแสดงโครงสร้างการแบ่งส่วนราชการ", None),
    ("อำนาจหน้าที่", "standing", "อำนาจหน้าที่ของหน่วยงานตามกฎหมาย", None),
    ("ข้อมูลผู้บริหาร", "standing", "ชื่อและตำแหน่งของผู้บริหาร", None),
    ("กระดานถาม-ตอบ Q&A", "standing", "ช่องทางถามตอบบนเว็บไซต์", None),
    ("แผนปฏิบัติการป้องกันการทุจริต", "current_year", "โครงการ งบประมาณ และระยะเวลาป้องกันการทุจริต", None),
    ("รายงานผลการดำเนินงานประจำปี", "current_year", "ผลการดำเนินงานและการใช้จ่ายงบประมาณทั้งปี", None),
]


def _codes(links: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {code: link.previous for code, link in links.items()}


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        # the same items in another order: exact titles win over numbers
        (
            [PREVIOUS[2], PREVIOUS[0], PREVIOUS[1], PREVIOUS[3], PREVIOUS[5], PREVIOUS[4]],
            {"O1": ("O3",), "O2": ("O1",), "O3": ("O2",), "O4": ("O4",), "O5": ("O6",), "O6": ("O5",)},
        ),
        # two items merged into one, one dropped, one new
        (
            [
                ("โครงสร้างและอำนาจหน้าที่", "standing", "แผนผังโครงสร้างและอำนาจหน้าที่ของหน่วยงาน", None),
                PREVIOUS[2],
                PREVIOUS[4],
                PREVIOUS[5],
                ("การรับทรัพย์สินโดยธรรมจรรยา", "previous_year", "รายงานการรับของขวัญของเจ้าหน้าที่", None),
            ],
            {"O1": ("O1", "O2"), "O2": ("O3",), "O3": ("O5",), "O4": ("O6",), "O5": ()},
        ),
    ],
    ids=["reordered", "merged-dropped-new"],
)
def test_proposals_on_small_frameworks(current: list[Any], expected: dict[str, tuple[str, ...]]) -> None:
    links = propose_mapping(make(2570, PREVIOUS), make(2571, current))
    assert _codes(links) == expected
    assert all(link.proposed and link.score is not None for link in links.values() if link.previous)


def test_a_stated_mapping_is_used_as_stated() -> None:
    current = [(t, c, m, [f"O{6 - n}"]) for n, (t, c, m, _) in enumerate(PREVIOUS)]
    links = propose_mapping(make(2570, PREVIOUS), make(2571, current))
    assert _codes(links)["O1"] == ("O6",)
    assert all(link.stated and link.score is None for link in links.values())
    # ignoring what the file says: titles speak
    assert _codes(propose_mapping(make(2570, PREVIOUS), make(2571, current), use_continues=False))["O1"] == ("O1",)


def test_fy2567_to_fy2568_proposals_make_sense() -> None:
    previous, current = get_framework(2567), get_framework(2568)
    links = propose_mapping(previous, current)
    assert all(link.proposed for link in links.values())
    title = {c: previous.item(c).title_th for c in (i.code for i in previous.items)}
    # 2568 O1 โครงสร้างและอำนาจหน้าที่ continues 2567's โครงสร้าง and อำนาจหน้าที่
    assert {title[c] for c in links["O1"].previous} == {"โครงสร้าง", "อำนาจหน้าที่"}
    assert links["O1"].score is not None and links["O1"].score < 1
    # same titles under new numbers
    for code in ("O2", "O3", "O4", "O5", "O7", "O10", "O25", "O27"):
        (only,) = links[code].previous
        assert title[only] == current.item(code).title_th
        assert links[code].score == 1.0
    # ประมวลจริยธรรม + การขับเคลื่อนจริยธรรม became one item
    assert {title[c] for c in links["O16"].previous} == {"ประมวลจริยธรรมสำหรับเจ้าหน้าที่ของรัฐ", "การขับเคลื่อนจริยธรรม"}
    # most of the 43 items are carried somewhere; 43 → 28 means several are dropped
    carried = carry_map(links)
    assert 25 <= len(carried) < 43


def test_fy2568_to_fy2569_proposals_recover_most_of_the_stated_mapping() -> None:
    previous, current = get_framework(2568), get_framework(2569)
    links = propose_mapping(previous, current, use_continues=False)
    same = sum(links[i.code].previous == i.continues for i in current.items)
    assert same / len(current.items) >= 0.8
    assert set(links["O20"].previous) >= {"O21", "O22"}  # the stated merge is found


def test_similarity_is_one_for_the_same_title_and_low_for_unrelated_items() -> None:
    f = get_framework(2568)
    assert similarity(f.item("O2"), f.item("O2")) == 1.0
    assert similarity(f.item("O2"), f.item("O25")) < 0.3


def test_fy2568_to_fy2569_diff() -> None:
    changes = diff(get_framework(2568), get_framework(2569))
    kinds = {ch.kind for ch in changes}
    assert {"removed", "merged", "renamed", "renumbered"} <= kinds
    assert not any(ch.proposed for ch in changes)  # FY2569 states every item's predecessors
    (merged,) = [ch for ch in changes if ch.kind == "merged"]
    assert merged.codes == ("O20",) and merged.previous == ("O21", "O22")
    assert "รวมข้อ O21 และ O22 ของปี 2568" in merged.text_th and "merges FY2568 O21 and O22" in merged.text_en
    (removed,) = [ch for ch in changes if ch.kind == "removed"]
    assert removed.previous == ("O11",) and "ไม่มีในปี 2569" in removed.text_th
    renumbered = {ch.previous[0]: ch.codes[0] for ch in changes if ch.kind == "renumbered"}
    assert renumbered["O27"] == "O25" and renumbered["O12"] == "O11"
    assert "O2" not in renumbered  # same number, same title: no change
    assert not [ch for ch in changes if ch.kind == "renamed" and ch.codes == ("O2",)]


@pytest.mark.parametrize(
    ("changes", "kind", "words"),
    [
        ({"pass_mark": 80}, "pass_mark", "เกณฑ์ผ่านเปลี่ยนจาก 85 เป็น 80 คะแนน"),
        ({"publication": "pass_fail", "ratings": []}, "publication", "ประกาศผลเป็นผ่าน/ไม่ผ่าน"),
    ],
)
def test_rule_changes(changes: dict[str, Any], kind: str, words: str) -> None:
    current = [(t, c, m, [f"O{n}"]) for n, (t, c, m, _) in enumerate(PREVIOUS, start=1)]
    found = diff(make(2570, PREVIOUS), make(2571, current, **changes))
    assert [ch.kind for ch in found] == [kind]
    assert words in found[0].text_th


def test_weights_and_coverage_changes() -> None:
    previous = make(2570, PREVIOUS)
    raw = _base(2571)
    current_items = [(t, c, m, [f"O{n}"]) for n, (t, c, m, _) in enumerate(PREVIOUS, start=1)]
    current_items[5] = (PREVIOUS[5][0], "previous_year", PREVIOUS[5][2], ["O6"])
    tools = [{**t, "weight": w} for t, w in zip(raw["tools"], (20, 30, 50), strict=True)]
    indicators = raw["indicators"]
    indicators = [dict(i) for i in indicators]
    # move 10 points from indicators 1–5 (IIT) to 9–10 (OIT), keeping each tool's sum
    iit = [i for i in indicators if i["tool"] == "IIT"]
    for i in iit:
        i["weight"] = 20 / len(iit)
    oit = [i for i in indicators if i["tool"] == "OIT"]
    for i in oit:
        i["weight"] = 50 / len(oit)
    current = make(2571, current_items, tools=tools, indicators=indicators)
    found = {ch.kind: ch for ch in diff(previous, current)}
    assert {"tool_weight", "indicator_weight", "coverage"} <= set(found)
    assert "เปลี่ยนช่วงเวลาของข้อมูลจากข้อมูลของปีงบประมาณที่ประเมิน เป็นข้อมูลของปีงบประมาณก่อนปีที่ประเมิน" in (found["coverage"].text_th)


def test_a_split_is_named() -> None:
    previous = make(2570, PREVIOUS)
    current_items = [(t, c, m, [f"O{n}"]) for n, (t, c, m, _) in enumerate(PREVIOUS, start=1)]
    current_items.append(("รายงานผลการดำเนินงานรอบ 6 เดือน", "half_year", "ความก้าวหน้า", ["O6"]))
    (split,) = [ch for ch in diff(previous, make(2571, current_items)) if ch.kind == "split"]
    assert split.previous == ("O6",) and split.codes == ("O6", "O7")
    assert "แยกเป็นข้อ O6 และ O7" in split.text_th


def test_groups_follow_the_reading_order() -> None:
    kinds = [kind for kind, _, _, _ in grouped(diff(get_framework(2568), get_framework(2569)))]
    order = [kind for kind, _, _ in GROUPS]
    assert kinds == sorted(kinds, key=order.index)


# --- the command ---------------------------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str, str]:
    outcome = CliRunner().invoke(main, list(args))
    return outcome.exit_code, outcome.stdout, outcome.stderr


def test_cli_diff_thai_english_json() -> None:
    code, out, err = _cli("frameworks", "diff", "2568", "2569")
    assert code == 0, err
    assert "ข้อที่รวมกัน (1)" in out and "ข้อที่ยกเลิก (1)" in out and "ระบบเสนอ" not in out
    code, out, _ = _cli("frameworks", "diff", "2568", "2569", "--lang", "en")
    assert "Items merged (1)" in out
    code, out, _ = _cli("frameworks", "diff", "2568", "2569", "--json")
    data = json.loads(out)
    assert next(m for m in data["mapping"] if m["code"] == "O20") == {
        "code": "O20",
        "continues": ["O21", "O22"],
        "stated": True,
        "score": None,
    }


def test_cli_diff_marks_proposals() -> None:
    code, out, _ = _cli("frameworks", "diff", "2567", "2568")
    assert code == 0
    assert "ระบบจึงเสนอจากความคล้าย" in out and "(ระบบเสนอ" in out
    data = json.loads(_cli("frameworks", "diff", "2567", "2568", "--json")[1])
    assert all(m["stated"] is False for m in data["mapping"])
    assert all(ch["proposed"] for ch in data["changes"] if ch["kind"] in ("merged", "renamed", "added"))


def test_cli_diff_of_an_unknown_year_is_one_line() -> None:
    code, _out, err = _cli("frameworks", "diff", "2550", "2569")
    assert code == 2 and "2550" in err and "Traceback" not in err
