"""The CLI over the core: formats, JSON contract, and one clear line (exit 2) for every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from prongsai.cli import main

EXAMPLES = Path(__file__).parents[1] / "examples"
SEED_SCORES = ["94.17", "86.76", "91.23", "83.63", "85.50", "86.13", "88.62", "85.83", "48.46", "31.25"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write_csv(tmp_path: Path, lines: list[str], name: str = "result.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def numbered_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path, ["indicator,score", *[f"{n},{s}" for n, s in enumerate(SEED_SCORES, start=1)]])


def test_score_json_from_the_plain_csv(tmp_path: Path) -> None:
    code, out, _ = run("score", str(numbered_csv(tmp_path)), "--year", "2564", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["total"], data["grade"], data["passed"]) == (68.48, "C", False)


def test_score_reads_thai_names_and_thai_digits(tmp_path: Path) -> None:
    lines = ["ตัวชี้วัด,คะแนน", "การปฏิบัติหน้าที่,๙๔.๑๗", *[f"{n},{s}" for n, s in enumerate(SEED_SCORES[1:], start=2)]]
    code, out, _ = run("score", str(write_csv(tmp_path, lines)), "--year", "2564", "--json")
    assert code == 0, out
    assert json.loads(out)["total"] == 68.48


def test_score_reads_the_seed_spellings() -> None:
    code, out, _ = run("score", str(EXAMPLES / "songkhanong-2564.csv"), "--year", "2564", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["indicators"][3]["label_th"] == "การใช้ทรัพยากรของราชการ"
    assert data["indicators"][3]["name_th"] == "การใช้ทรัพย์สินของราชการ"


def test_score_reads_xlsx(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["indicator", "score"])
    for n, s in enumerate(SEED_SCORES, start=1):
        sheet.append([n, float(s)])
    book.save(tmp_path / "result.xlsx")
    code, out, _ = run("score", str(tmp_path / "result.xlsx"), "--year", "2564", "--json")
    assert code == 0
    assert json.loads(out)["grade"] == "C"


def test_score_from_yaml_checks_the_published_total() -> None:
    code, out, _ = run("score", str(EXAMPLES / "songkhanong-2564.yaml"), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["published"] == {"total": 68.48, "grade": "C", "matches": True}
    assert data["oit"]["sub_indicators"][-1] == {
        "code": "10.2",
        "indicator": 10,
        "rate": 0.0,
        "passed": [],
        "failed": ["O42", "O43"],
    }


def test_score_merges_oit_answers_given_separately(tmp_path: Path) -> None:
    lines = ["indicator,score", *[f"{n},{s}" for n, s in enumerate(SEED_SCORES[:8], start=1)]]
    oit = str(EXAMPLES / "songkhanong-2564-oit.csv")
    code, out, _ = run("score", str(write_csv(tmp_path, lines)), "--year", "2564", "--oit", oit, "--json")
    assert code == 0
    assert json.loads(out)["total"] == 68.48


def test_score_text_is_thai_and_english_on_request(tmp_path: Path) -> None:
    path = str(numbered_csv(tmp_path))
    _, thai, _ = run("score", path, "--year", "2564")
    _, english, _ = run("score", path, "--year", "2564", "--lang", "en")
    assert "คะแนน 68.48 คะแนน  ระดับผลการประเมิน C" in thai
    assert "Score 68.48  grade C" in english
    _, digits, _ = run("score", path, "--year", "2564", "--thai-digits")
    assert "๖๘.๔๘" in digits


def test_pass_fail_years_print_null_grade(tmp_path: Path) -> None:
    code, out, _ = run("score", str(numbered_csv(tmp_path)), "--year", "2566", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["grade"] is None and data["passed"] is False and data["publication"] == "ratings"


@pytest.mark.parametrize(
    ("lines", "year", "expected"),
    [
        (["indicator,score", "11,50"], "2564", ["แถว 2", "ช่อง indicator", "'11'"]),
        (["indicator,score", "การบริหาร,50"], "2564", ["แถว 2", "ช่อง indicator", "unknown indicator"]),
        (["indicator,score", *[f"{n},90" for n in range(1, 10)], "10,120"], "2564", ["แถว 11", "ช่อง score", "0–100"]),
        (["indicator,score", "1,abc"], "2564", ["แถว 2", "ช่อง score", "not a number"]),
        (["indicator,score", "1,-5"], "2564", ["แถว 2", "ช่อง score"]),
        (["indicator,score", *[f"{n},90" for n in range(1, 10)]], "2564", ["ช่อง indicator", "missing indicator(s) 10"]),
        (["indicator,score", "1,90", "1,80"], "2564", ["แถว 3", "given twice"]),
        (["indicator,score", *[f"{n},90" for n in range(1, 11)]], "2550", ["ช่อง fiscal_year", "2550"]),
        (["name,value", "1,90"], "2564", ["แถว 1", "indicator,score"]),
        (["item,answer", "O1,maybe"], "2564", ["แถว 2", "ช่อง answer", "มี/ไม่มี"]),
        (["item,answer", "O99,มี"], "2564", ["แถว 2", "ช่อง item", "O99"]),
        (["item,answer", "O1,มี"], "2564", ["missing answers: O2"]),
    ],
)
def test_bad_input_gives_one_clear_line_and_exit_2(
    tmp_path: Path, lines: list[str], year: str, expected: list[str]
) -> None:
    path = write_csv(tmp_path, lines)
    code, out, err = run("score", str(path), "--year", year)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err
    for fragment in expected:
        assert fragment in err


def test_csv_without_year_asks_for_it(tmp_path: Path) -> None:
    code, _, err = run("score", str(numbered_csv(tmp_path)))
    assert code == 2 and "--year" in err


def test_yaml_year_conflicting_with_option(tmp_path: Path) -> None:
    code, _, err = run("score", str(EXAMPLES / "songkhanong-2564.yaml"), "--year", "2565")
    assert code == 2 and "fiscal_year" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("fiscal_year: 2564\nindicators: [1, 2]\n", "indicators"),
        ("fiscal_year: 2564\nindicators: {1: 90}\noit_items: {O1: มี}\n", "missing answers"),
        ("- not a mapping\n", "mapping"),
        ("fiscal_year: [\n", "invalid YAML"),
    ],
)
def test_bad_yaml_gives_one_clear_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    code, _, err = run("score", str(path))
    assert code == 2 and expected in err and "Traceback" not in err


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    code, _, err = run("score", str(tmp_path / "nope.csv"), "--year", "2564")
    assert code == 2 and "file not found" in err
    other = tmp_path / "result.txt"
    other.write_text("1,90\n", encoding="utf-8")
    code, _, err = run("score", str(other), "--year", "2564")
    assert code == 2 and ".xlsx" in err


def test_broken_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    code, _, err = run("score", str(path), "--year", "2564")
    assert code == 2 and ".xlsx" in err and "Traceback" not in err


def test_analyze_prints_the_seed_ranking() -> None:
    code, out, _ = run("analyze", str(EXAMPLES / "songkhanong-2564.yaml"))
    assert code == 0
    expected_order = [
        ("การปฏิบัติหน้าที่", "94.17"),
        ("การใช้อำนาจ", "91.23"),
        ("ประสิทธิภาพการสื่อสาร", "88.62"),
        ("การใช้งบประมาณ", "86.76"),
        ("คุณภาพการดำเนินงาน", "86.13"),
        ("การปรับปรุงการทำงาน", "85.83"),
        ("การแก้ไขปัญหาการทุจริต", "85.50"),
        ("การใช้ทรัพยากรของราชการ", "83.63"),
        ("การเปิดเผยข้อมูล", "48.46"),
        ("การป้องกันการทุจริต", "31.25"),
    ]
    rows = [line.split() for line in out.splitlines() if line.split()[:1] and line.split()[0].isdigit()]
    ranking = [(r[1], r[2]) for r in rows if len(r) == 3][:10]
    assert ranking == expected_order
    assert [int(r[0]) for r in rows[:10]] == list(range(1, 11))
    assert "คะแนนสูงสุด 94.17 คะแนน" in out and "คะแนนต่ำสุด 31.25 คะแนน" in out
    assert "O42 มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in out


def test_analyze_json_and_previous_year(tmp_path: Path) -> None:
    previous = write_csv(tmp_path, ["indicator,score", *[f"{n},60" for n in range(1, 11)]], "prev.csv")
    code, out, _ = run(
        "analyze",
        str(EXAMPLES / "songkhanong-2564.yaml"),
        "--previous",
        str(previous),
        "--previous-year",
        "2563",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["highest"]["score"] == 94.17 and data["lowest"]["score"] == 31.25
    assert data["below_pass"] == [4, 9, 10]
    assert data["previous"]["fiscal_year"] == 2563
    assert data["previous"]["total_delta"] == 8.48
    assert data["previous"]["changes"][9]["delta"] == -28.75


def test_plan_json(tmp_path: Path) -> None:
    code, out, _ = run("plan", str(EXAMPLES / "songkhanong-2564.yaml"), "--target", "85", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["groups"][0]["items"] == ["O42", "O43"] and data["groups"][0]["worth"] == 10.0
    assert data["to_target"]["reached"] is True


def test_plan_rejects_a_target_outside_0_100() -> None:
    code, _, err = run("plan", str(EXAMPLES / "songkhanong-2564.yaml"), "--target", "120")
    assert code == 2 and "Traceback" not in err


def test_frameworks_lists_every_year() -> None:
    code, out, _ = run("frameworks", "--json")
    assert code == 0
    years = {f["fiscal_year"]: f for f in json.loads(out)}
    assert set(years) >= {2563, 2564, 2565, 2566, 2567, 2568}
    assert years[2564]["items"] == 43 and years[2568]["items"] == 28


def test_frameworks_shows_unverified_facts() -> None:
    code, out, _ = run("frameworks", "--year", "2568")
    assert code == 0
    assert "(ยังไม่ยืนยัน)" in out and "ข้อมูลที่ยังไม่ยืนยัน" in out
    code, _, err = run("frameworks", "--year", "2599")
    assert code == 2 and "2599" in err


def test_demo_runs_on_the_example() -> None:
    code, out, _ = run("demo")
    assert code == 0
    assert "องค์การบริหารส่วนตำบลทรงคนอง" in out and "10.00 คะแนน" in out


def test_score_text_names_the_unverified_facts_it_relies_on(tmp_path: Path) -> None:
    _, verified_year, _ = run("score", str(numbered_csv(tmp_path)), "--year", "2564")
    _, assumed_year, _ = run("score", str(numbered_csv(tmp_path)), "--year", "2566")
    assert "weight" not in verified_year.split("หมายเหตุ")[-1]
    assert "หมายเหตุ: กรอบปี 2566 ยังไม่ได้ยืนยัน" in assumed_year and ".weight" in assumed_year


def test_errors_survive_pickling_across_processes() -> None:
    import pickle

    from prongsai.drafting import RulesError
    from prongsai.errors import FrameworkError, InputError

    for error in (
        InputError("r.csv", "bad", row=3, field="score"),
        FrameworkError("fy.yaml", "weights", "sum"),
        RulesError("rules.yaml", "areas", "dup"),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)


def test_the_web_commands_are_the_web_apps_and_the_core_imports_no_django() -> None:
    """serve, createadmin, prepare, backup and restore come from prongsai.web.cli onto the one command; loading
    the command (for --help or a core command) imports neither Django nor the web app's models."""
    import subprocess
    import sys

    from prongsai.web import cli as web_cli

    assert {name: main.commands[name] for name in ("serve", "createadmin", "prepare", "backup", "restore")} == {
        command.name: command for command in web_cli.COMMANDS
    }
    code = "import sys, prongsai.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
    code, out, _ = run("--help")
    assert code == 0 and all(f"  {name} " in out for name in ("serve", "createadmin", "backup", "restore", "score"))
