"""Oversight of many agencies: reading published-results tables, and the statistics, on hand-computed cases.

The five agencies of FY2566 below (weights IIT 5 × 6 %, EIT 3 × 10 %, OIT 2 × 20 %):

    A  1–8 = 90, 9 = 90, 10 = 90             total 90.00  passes
    B  1–8 = 90, 9 = 50, 10 = 50             27 + 27 + 20 = 74.00; OIT adds 20 → 94: OIT alone passes
    C  1–5 = 80, 6–8 = 70, 9 = 10 = 100       24 + 21 + 40 = 85.00  passes (exactly the mark)
    D  1–8 = 60, 9 = 80, 10 = 70             18 + 18 + 16 + 14 = 66.00; OIT adds 10 → 76: not enough
    E  1–8 = 84, 9 = 95, 10 = 70             50.4 + 19 + 14 = 83.40; OIT adds 7 → 90.40: OIT alone passes
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from prongsai.errors import InputError
from prongsai.frameworks import get_framework
from prongsai.oversight import help_ranking, summarize, trend
from prongsai.published import kind_label, rating_of, read_published, read_published_rows

AGENCIES = {
    "A": [90] * 10,
    "B": [90] * 8 + [50, 50],
    "C": [80] * 5 + [70] * 3 + [100, 100],
    "D": [60] * 8 + [80, 70],
    "E": [84] * 8 + [95, 70],
}
TOTALS = {"A": 90.0, "B": 74.0, "C": 85.0, "D": 66.0, "E": 83.4}
HEADER = ["หน่วยงาน", "อำเภอ", "จังหวัด", "ปีงบประมาณ", *[str(n) for n in range(1, 11)], "คะแนนรวม"]


def _arrays() -> tuple[np.ndarray, np.ndarray]:
    return np.array(list(AGENCIES.values()), dtype=float), np.array(list(TOTALS.values()))


def _table(*rows: list[str], header: list[str] = HEADER) -> list[list[str]]:
    return [header, *rows]


def _row(name: str = "อบต.หนึ่ง", year: str = "2566", scores: list[str] | None = None, total: str = "") -> list[str]:
    return [name, "เมือง", "นนทบุรี", year, *(scores or ["90"] * 10), total]


# --- reading ---------------------------------------------------------------------------------------------


def test_reads_thai_headers_thai_digits_and_computes_a_missing_total() -> None:
    rows = _table(
        _row("อบต.หนึ่ง", "๒๕๖๖", [str(s) for s in AGENCIES["B"]], "74.00"),
        _row("เทศบาลตำบลสอง", "2023", [str(s) for s in AGENCIES["E"]], ""),  # C.E. year, no total
        _row("องค์การบริหารส่วนตำบลสาม", "2564", ["๙๐"] * 10, "๙๐"),
    )
    first, second, third = read_published_rows("ผล.csv", rows)
    assert (first.name, first.fiscal_year, first.total, first.total_given, first.passed) == (
        "อบต.หนึ่ง",
        2566,
        74.0,
        True,
        False,
    )
    assert first.grade is None  # FY2566 publishes pass/fail only
    assert first.kind == "องค์การบริหารส่วนตำบล"  # guessed from the name
    assert (second.fiscal_year, second.total, second.total_given, second.kind) == (2566, 83.4, False, "เทศบาล")
    assert (third.fiscal_year, third.total, third.grade, third.passed) == (2564, 90.0, "A", True)
    assert third.row == 4


@pytest.mark.parametrize(
    "header",
    [
        ["agency", "district", "province", "year", *[f"i{n}" for n in range(1, 11)], "total"],
        ["ชื่อหน่วยงาน", "อำเภอ", "จังหวัด", "ปี", *[f"ตัวชี้วัดที่ {n}" for n in range(1, 11)], "total"],
        [
            "Agency",
            "District",
            "Province",
            "Fiscal year",
            "1. การปฏิบัติหน้าที่",
            "การใช้งบประมาณ",
            "3",
            "การใช้ทรัพยากรของราชการ",  # an alias agencies use for indicator 4
            "5",
            "6",
            "7",
            "8",
            "Information disclosure",
            "ตัวชี้วัด 10",
            "Total",
        ],
    ],
    ids=["english", "thai", "names"],
)
def test_header_spellings(header: list[str]) -> None:
    (result,) = read_published_rows("x.csv", _table(_row(total="90"), header=header))
    assert result.scores == (90.0,) * 10 and result.total == 90.0


def test_other_columns_are_left_alone_and_kinds_are_one_label() -> None:
    header = ["ลำดับ", "รหัส", "ประเภท", *HEADER, "หมายเหตุ"]
    (result,) = read_published_rows("x.csv", [header, ["1", "6120101", "อบต.", *_row(), "ok"]])
    assert (result.code, result.kind) == ("6120101", "องค์การบริหารส่วนตำบล")
    assert result.key == "code:6120101"
    assert kind_label("ทม.") == "เทศบาล" and kind_label("กรม") == "กรม" and kind_label("", "โรงพยาบาล") == ""


ERRORS = [
    # (what is wrong, the rows, row, the column named, words of the fix)
    (
        "a score that is not a number",
        _table(_row(), _row("อบต.สอง", scores=["90"] * 8 + ["9o", "90"])),
        3,
        "9 (คอลัมน์ M)",
        "ไม่ใช่ตัวเลข",
    ),
    ("a score over 100", _table(_row(scores=["120"] + ["90"] * 9)), 2, "1 (คอลัมน์ E)", "0 ถึง 100"),
    ("an empty score", _table(_row(scores=["90"] * 9 + [""])), 2, "10 (คอลัมน์ N)", "ว่าง"),
    ("a total that disagrees", _table(_row(total="91.00")), 2, "คะแนนรวม (คอลัมน์ O)", "ได้ 90.00"),
    ("a year without a framework", _table(_row(year="2550")), 2, "ปีงบประมาณ (คอลัมน์ D)", "2563"),
    ("a year that is not a year", _table(_row(year="ปีนี้")), 2, "ปีงบประมาณ (คอลัมน์ D)", "เช่น 2566"),
    ("an empty name", _table(_row(name="")), 2, "หน่วยงาน (คอลัมน์ A)", "ใส่ชื่อหน่วยงาน"),
    ("an agency twice", _table(_row(), _row(), _row()), 3, "หน่วยงาน (คอลัมน์ A)", "ซ้ำกับแถว 2"),
    (
        "a missing column",
        [HEADER[:-3] + HEADER[-2:], ["อบต.", "เมือง", "นนทบุรี", "2566", *["90"] * 8, "90"]],
        1,
        None,
        "ตัวชี้วัด 9",
    ),
    ("the same column twice", _table([*_row(), "90"], header=[*HEADER, "total"]), 1, "total (คอลัมน์ P)", "คอลัมน์หนึ่ง"),
    ("no data", _table(), 2, None, "ไม่มีแถวข้อมูล"),
]


@pytest.mark.parametrize(("rows", "row", "column", "words"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors_name_the_row_the_column_and_the_fix(
    rows: list[list[str]], row: int, column: str | None, words: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_published_rows("ผล.csv", rows)
    assert caught.value.row == row
    assert caught.value.field == column
    assert words in caught.value.reason
    assert str(caught.value).startswith(f"ผล.csv, แถว {row}")


def test_reads_csv_and_xlsx_files(tmp_path: Path) -> None:
    import openpyxl

    csv = tmp_path / "r.csv"
    csv.write_text(",".join(HEADER) + "\n" + ",".join(_row(total="90")) + "\n", encoding="utf-8-sig")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["อบต.หนึ่ง", "เมือง", "นนทบุรี", 2566, *[90.0] * 10, 90])
    book.save(tmp_path / "r.xlsx")
    for path in (csv, tmp_path / "r.xlsx"):
        (result,) = read_published(path, source="upload")
        assert (result.fiscal_year, result.total, result.passed) == (2566, 90.0, True)
    (tmp_path / "r.yaml").write_text("x")
    with pytest.raises(InputError, match=r"upload: รองรับเฉพาะไฟล์ \.csv และ \.xlsx"):
        read_published(tmp_path / "r.yaml", source="upload")


def test_progress_is_reported() -> None:
    seen: list[tuple[int, int]] = []
    rows = _table(*[_row(f"อบต.{k}") for k in range(2500)])
    read_published_rows("x.csv", rows, progress=lambda done, total, _message: seen.append((done, total)))
    assert seen == [(1000, 2500), (2000, 2500)]


# --- statistics ------------------------------------------------------------------------------------------


def test_summary_of_five_agencies() -> None:
    scores, totals = _arrays()
    s = summarize(get_framework(2566), scores, totals)
    assert (s.agencies, s.passed, s.pass_rate) == (5, 2, 40.0)
    assert s.mean_total == pytest.approx(79.68) and s.median_total == 83.4
    assert (s.min_total, s.max_total) == (66.0, 90.0)
    assert [(b.label, b.count) for b in s.histogram if b.count] == [
        ("65–70", 1),
        ("70–75", 1),
        ("80–85", 1),
        ("85–90", 1),
        ("90–95", 1),
    ]
    assert sum(b.count for b in s.histogram) == 5 and s.histogram[0].label == "<50"
    assert {g.grade: g.count for g in s.grades} == {"AA": 0, "A": 2, "B": 1, "C": 2, "D": 0, "E": 0, "F": 0}
    assert not s.grades_published
    by_number = {i.number: i for i in s.indicators}
    assert by_number[1].mean == pytest.approx(80.8) and by_number[1].below == 3 and by_number[1].below_share == 60
    assert by_number[6].mean == pytest.approx(78.8)
    assert by_number[9].mean == pytest.approx(83.0) and by_number[9].below == 2
    assert by_number[10].mean == pytest.approx(76.0) and by_number[10].below_share == 60
    assert by_number[10].points_lost == pytest.approx(4.8)
    assert [i.number for i in s.weakest] == [10, 6, 7, 8, 1, 2, 3, 4, 5, 9]


def test_a_score_of_100_falls_in_the_last_bin_and_grade_edges() -> None:
    scores = np.full((4, 10), 90.0)
    s = summarize(get_framework(2564), scores, np.array([100.0, 95.0, 84.99, 49.99]))
    assert s.histogram[-1].count == 2 and s.histogram[0].count == 1
    assert {g.grade: g.count for g in s.grades if g.count} == {"AA": 2, "B": 1, "F": 1}
    assert s.grades_published


def test_trend_is_oldest_first() -> None:
    scores, totals = _arrays()
    later = summarize(get_framework(2566), scores, totals)
    earlier = summarize(get_framework(2565), scores[:2], totals[:2])
    points = trend([later, earlier])
    assert [(p.fiscal_year, p.agencies, p.pass_rate) for p in points] == [(2565, 2, 50.0), (2566, 5, 40.0)]
    assert points[0].mean_total == 82.0 and points[1].indicator_means[9] == pytest.approx(76.0)


def test_help_ranking() -> None:
    scores, totals = _arrays()
    names = list(AGENCIES)
    ranking = help_ranking(get_framework(2566), scores, totals)
    assert [names[c.index] for c in ranking] == ["B", "E", "D"]  # OIT alone passes B and E; B gains more
    b, e, d = ranking
    assert (b.gap, b.oit_points, b.oit_ceiling, b.oit_alone_passes) == (11.0, 20.0, 94.0, True)
    assert (e.gap, e.oit_points, e.oit_ceiling, e.oit_alone_passes) == (1.6, 7.0, 90.4, True)
    assert e.weak_indicators == (6, 7, 8, 1, 2, 3, 4, 5) and e.survey_points == pytest.approx(0.6)
    assert (d.gap, d.oit_points, d.oit_ceiling, d.oit_alone_passes, d.survey_points) == (19.0, 10.0, 76.0, False, 15.0)
    assert b.reason_th == (
        "ขาด 11.00 คะแนน · เผยแพร่ข้อมูล OIT (ตัวชี้วัด 9–10) ให้ครบเพิ่มได้ 20.00 คะแนน ผ่านเกณฑ์ 85 ได้ด้วย OIT อย่างเดียว"
    )
    assert d.reason_th == (
        "ขาด 19.00 คะแนน · OIT เพิ่มได้ 10.00 ได้สูงสุด 76.00 ยังไม่ถึงเกณฑ์ "
        "ต้องยกตัวชี้วัด 6 คุณภาพการดำเนินงาน (+2.50), 7 ประสิทธิภาพการสื่อสาร (+2.50) ด้วย"
    )


def test_help_ranking_of_the_others_puts_the_closest_after_oit_first() -> None:
    framework = get_framework(2566)
    scores = np.array([[60.0] * 8 + [100, 100], [70.0] * 8 + [80, 80]])  # 76.00 (OIT full) and 74.00
    ranking = help_ranking(framework, scores, np.array([76.0, 74.0]))
    assert [c.index for c in ranking] == [1, 0]  # 1: ceiling 82.00 beats 0: ceiling 76.00
    assert ranking[1].reason_th.startswith("ขาด 9.00 คะแนน · OIT เต็มแล้ว ต้องยกตัวชี้วัด 6 คุณภาพการดำเนินงาน (+2.50)")
    assert help_ranking(framework, np.empty((0, 10)), np.empty(0)) == ()


def test_rating_years_count_rating_words_with_the_tool_bar() -> None:
    scores, totals = _arrays()
    summary = summarize(get_framework(2566), scores, totals)
    assert summary.ratings_published
    # A (90, every tool 90) ผ่านดี; C (85.00 but EIT 70) only ผ่าน; B and E ต้องปรับปรุง; D ต้องปรับปรุงโดยด่วน
    assert [(r.rating.label_th, r.count) for r in summary.ratings] == [
        ("ผ่านดีเยี่ยม", 0),
        ("ผ่านดี", 1),
        ("ผ่าน", 1),
        ("ต้องปรับปรุง", 2),
        ("ต้องปรับปรุงโดยด่วน", 1),
    ]
    assert not summarize(get_framework(2565), scores, totals).ratings_published


def test_a_read_row_carries_its_rating_word() -> None:
    [row] = read_published_rows("t.csv", _table(_row(scores=["90"] * 10)))
    assert row.rating is not None and row.rating.label_th == "ผ่านดี" and row.grade is None
    assert rating_of(get_framework(2565), [90.0] * 10, 90.0) is None
