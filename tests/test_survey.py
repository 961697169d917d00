"""Raw IIT/EIT answers → indicator scores, against values computed by hand for each answer type."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from prongsai.cli import main
from prongsai.frameworks import get_framework
from prongsai.survey import layout_for, question_scores, score_answers

F = get_framework(2564)
IIT = layout_for(F, "IIT")


def one_respondent(**answers: int) -> np.ndarray:
    """A row with every sub-item unanswered except the named columns (i1_1=4 …)."""
    row = np.zeros((1, len(IIT.columns)), dtype=np.int8)
    for column, code in answers.items():
        row[0, IIT.columns.index(column)] = code
    return row


def indicator(answers: np.ndarray, number: int) -> float:
    scores = score_answers(IIT, answers)
    return float(scores.scores[0, scores.indicator_numbers.index(number)])


def test_layout_has_a_column_per_sub_item() -> None:
    assert IIT.columns[:4] == ("i1_1", "i1_2", "i2", "i3_1")
    assert len(IIT.columns) == sum(q.sub_items for q in F.questions_of("IIT"))


@pytest.mark.parametrize(
    ("answers", "number", "expected"),
    [
        # scale4, straight: มากที่สุด = 100, มาก = 66.67, น้อย = 33.33
        ({"i2": 4}, 1, 100.0),
        ({"i2": 3}, 1, 66.67),
        ({"i1_1": 4, "i1_2": 2}, 1, (100 + 33.33) / 2),
        # two questions: the indicator is the mean of question scores, not of sub-items
        ({"i1_1": 4, "i1_2": 2, "i2": 1}, 1, ((100 + 33.33) / 2 + 0) / 2),
        # yes/no misconduct question: มี (yes) = 0, ไม่มี (no) = 100
        ({"i4_1": 1, "i4_2": 2, "i4_3": 2}, 1, 200 / 3),
        # scale4 reverse-scored: มากที่สุด = 0
        ({"i16": 4}, 3, 0.0),
        ({"i16": 1}, 3, 100.0),
        # i11: only its second sub-item is reversed
        ({"i11_1": 4, "i11_2": 4}, 2, 50.0),
        # yes/no good-practice question: มี = 100
        ({"i26_1": 1, "i26_2": 2}, 5, 50.0),
    ],
)
def test_points_by_answer_type(answers: dict[str, int], number: int, expected: float) -> None:
    assert indicator(one_respondent(**answers), number) == pytest.approx(expected, abs=1e-9)


def test_an_indicator_nobody_answered_is_nan() -> None:
    assert np.isnan(indicator(one_respondent(i2=4), 3))


def test_groups_average_over_their_respondents() -> None:
    answers = np.vstack([one_respondent(i2=4), one_respondent(i2=1), one_respondent(i2=3)])
    scores = score_answers(IIT, answers, np.array([0, 0, 1]), ("อบต.ก", "อบต.ข"))
    by_group = scores.as_dict()
    assert by_group["อบต.ก"][1] == pytest.approx(50.0)
    assert by_group["อบต.ข"][1] == pytest.approx(66.67)
    assert scores.respondents.tolist() == [2, 1]


def test_chunks_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    answers = rng.integers(1, 5, size=(1000, len(IIT.columns)), dtype=np.int8)
    for k, column in enumerate(IIT.columns):
        question = next(q for q in IIT.questions if column in q.sub_item_codes())
        if question.answer_type == "yes_no":
            answers[:, k] = rng.integers(1, 3, size=1000)
    whole = score_answers(IIT, answers).scores
    monkeypatch.setattr("prongsai.survey.CHUNK_ROWS", 77)
    assert np.allclose(score_answers(IIT, answers).scores, whole)


def test_bad_codes_are_refused() -> None:
    with pytest.raises(ValueError, match="0–4"):
        score_answers(IIT, one_respondent(i2=7))


def test_cli_scores_an_answers_file(tmp_path: Path) -> None:
    header = ",".join(["group", *IIT.columns])
    first = ["กองคลัง", *["" for _ in IIT.columns]]
    first[1 + IIT.columns.index("i2")] = "มากที่สุด"
    second = ["กองคลัง", *["" for _ in IIT.columns]]
    second[1 + IIT.columns.index("i2")] = "2"
    second[1 + IIT.columns.index("i4_1")] = "ไม่มี"
    path = tmp_path / "iit.csv"
    path.write_text("\n".join([header, ",".join(first), ",".join(second)]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["survey", str(path), "--year", "2564", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    group = data["groups"][0]
    # respondent 1: i2 = 100 → ind 1 = 100; respondent 2: mean(i2 33.33, i4 100) = 66.67 → mean 83.33
    assert (group["group"], group["respondents"], group["indicators"]["1"]) == ("กองคลัง", 2, 83.33)
    assert group["indicators"]["2"] is None


def test_cli_names_the_bad_answer_cell(tmp_path: Path) -> None:
    path = tmp_path / "iit.csv"
    cells = ["" for _ in IIT.columns]
    cells[IIT.columns.index("i2")] = "5"
    path.write_text(",".join(IIT.columns) + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["survey", str(path), "--year", "2564"])
    assert result.exit_code == 2
    assert "แถว 2" in result.stderr and "ช่อง i2" in result.stderr


def test_cli_names_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "iit.csv"
    path.write_text("i1_1,i2\n4,4\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["survey", str(path), "--year", "2564"])
    assert result.exit_code == 2 and "i1_2" in result.stderr


def test_cli_prints_the_example_answers_as_a_thai_table() -> None:
    example = Path(__file__).parents[1] / "examples" / "iit-answers-2564.csv"
    result = CliRunner().invoke(main, ["survey", str(example), "--year", "2564"])
    assert result.exit_code == 0, result.output
    assert "สำนักปลัด" in result.stdout and "กองคลัง" in result.stdout and "ตัวชี้วัด 5" in result.stdout


def test_question_scores_name_the_questions_that_pulled_an_indicator_down() -> None:
    two = np.concatenate([one_respondent(i1_1=4, i1_2=2, i2=4, i16=4), one_respondent(i1_1=4, i1_2=4, i2=2, i16=3)])
    scores = question_scores(IIT, two)
    assert scores["i1"] == pytest.approx(((100 + 33.33) / 2 + 100) / 2)
    assert scores["i2"] == pytest.approx((100 + 33.33) / 2)
    assert scores["i16"] == pytest.approx((0 + 33.33) / 2)  # reverse-scored
    assert "i3" not in scores  # nobody answered it
    assert min(scores, key=scores.__getitem__) == "i16"


def test_question_scores_agree_with_the_indicator_score_of_one_respondent() -> None:
    rng = np.random.default_rng(7)
    row = rng.integers(1, 5, size=(1, len(IIT.columns)), dtype=np.int8)
    for k in range(len(IIT.columns)):  # yes/no sub-items take 1 or 2
        if np.isnan(IIT.points[k, 3]):  # code 3 means nothing for a yes/no column
            row[0, k] = 1 + row[0, k] % 2
    scores = question_scores(IIT, row)
    for number in IIT.indicator_numbers:
        own = [scores[q.code] for q in IIT.questions if q.indicator == number]
        assert indicator(row, number) == pytest.approx(sum(own) / len(own))
