"""Minimum sample sizes of the practice IIT/EIT surveys: the assumed rules, a framework's own figure, bad input."""

from __future__ import annotations

import pickle

import pytest

from prongsai.errors import InputError
from prongsai.framework import Framework, SampleSize
from prongsai.frameworks import get_framework
from prongsai.sample import SampleRule, minimum_sample, progress


@pytest.fixture(scope="module")
def fy2564() -> Framework:
    return get_framework(2564)


def with_minimums(framework: Framework, **fields: object) -> Framework:
    return framework.model_copy(update={"sample_size": SampleSize.model_validate(fields)})


# Hand-computed. EIT (OVEC): all if < 30; 400 if > 4,000; else max(30, ⌈10%⌉).
# IIT (assumed): all if < 25; 400 if > 4,000; else max(25, ⌈10%⌉).
@pytest.mark.parametrize(
    ("population", "eit", "iit"),
    [
        (1, 1, 1),
        (10, 10, 10),
        (24, 24, 24),
        (25, 25, 25),  # IIT floor reached: 25 of 25
        (29, 29, 25),  # EIT: everyone below 30; IIT: the floor of 25
        (30, 30, 25),
        (100, 30, 25),  # 10% = 10, below both floors
        (251, 30, 26),  # IIT: 10% = 25.1 → 26
        (299, 30, 30),  # 29.9 rounds up to 30
        (300, 30, 30),
        (301, 31, 31),  # 30.1 → 31
        (3990, 399, 399),
        (3991, 400, 400),  # 399.1 → 400
        (4000, 400, 400),  # exactly 4,000 is not "more than 4,000": 10% = 400 anyway
        (4001, 400, 400),  # "400 if there are more than 4,000", not ⌈400.1⌉ = 401
        (10000, 400, 400),
    ],
)
def test_assumed_minimums(fy2564: Framework, population: int, eit: int, iit: int) -> None:
    for tool, expected in (("EIT", eit), ("IIT", iit)):
        rule = minimum_sample(fy2564, tool, population)
        assert (rule.tool, rule.minimum, rule.population) == (tool, expected, population)
        assert rule.minimum <= population
        assert rule.verified is False


def test_the_shipped_frameworks_state_no_minimum_so_every_rule_is_an_assumption() -> None:
    for year in (2564, 2565, 2566, 2567, 2568):
        sample_size = get_framework(year).sample_size
        assert sample_size.iit_minimum is None and sample_size.eit_minimum is None


def test_the_assumed_rules_say_they_are_assumed_and_where_they_come_from(fy2564: Framework) -> None:
    eit = minimum_sample(fy2564, "EIT", 300)
    assert eit.basis_th.startswith("เป็นเกณฑ์ที่สมมติ")
    assert "ร้อยละ ๑๐ ของผู้มีส่วนได้ส่วนเสียภายนอก อย่างน้อย ๓๐ คน" in eit.basis_th
    assert "ไม่ใช่เกณฑ์ของสำนักงาน ป.ป.ช." in eit.basis_th
    assert eit.basis_th.endswith("ผู้มีส่วนได้ส่วนเสียภายนอก ๓๐๐ คน ต้องตอบอย่างน้อย ๓๐ คน")
    assert "not NACC" in eit.basis_en and "OVEC" in eit.source and "REPORT.md §4" in eit.source

    iit = minimum_sample(fy2564, "IIT", 20)
    assert "ITAS" in iit.basis_th and "ไม่น้อยกว่า ๑ ปี" in iit.basis_th
    assert iit.basis_th.endswith("บุคลากร ๒๐ คน ต้องตอบทุกคน")
    assert iit.basis_en.startswith("Assumed") and iit.basis_en.endswith("With 20 staff, all of them must answer.")
    assert "OBEC" in iit.source

    assert "๔,๐๐๐" in minimum_sample(fy2564, "EIT", 10000).basis_th
    assert "10,000 external stakeholders, at least 400" in minimum_sample(fy2564, "EIT", 10000).basis_en


def test_a_framework_minimum_wins_and_is_verified_unless_listed(fy2564: Framework) -> None:
    stated = with_minimums(fy2564, iit_minimum=50, eit_minimum=120, unverified=["eit_minimum"])
    iit = minimum_sample(stated, "IIT", 300)
    assert (iit.minimum, iit.verified, iit.source) == (50, True, "frameworks/fy2564.yaml sample_size.iit_minimum")
    assert iit.basis_th.startswith("ตามกรอบการประเมินปีงบประมาณ พ.ศ. ๒๕๖๔: อย่างน้อย ๕๐ คน — ")
    assert "ยังไม่ได้ยืนยัน" not in iit.basis_th

    eit = minimum_sample(stated, "EIT", 1000)
    assert (eit.minimum, eit.verified) == (120, False)
    assert "ยังไม่ได้ยืนยัน" in eit.basis_th and "not verified" in eit.basis_en


def test_a_framework_minimum_above_the_population_means_everyone(fy2564: Framework) -> None:
    rule = minimum_sample(with_minimums(fy2564, iit_minimum=50), "IIT", 12)
    assert rule.minimum == 12
    assert rule.basis_th.endswith("บุคลากร ๑๒ คน ต้องตอบทุกคน")


def test_only_the_stated_tool_uses_the_framework_figure(fy2564: Framework) -> None:
    stated = with_minimums(fy2564, iit_minimum=50)
    assert minimum_sample(stated, "EIT", 1000).minimum == 100
    assert minimum_sample(stated, "EIT", 1000).verified is False


@pytest.mark.parametrize("population", [0, -5, True, 2.5, "30"])
def test_a_population_below_one_or_not_whole_is_refused(fy2564: Framework, population: object) -> None:
    with pytest.raises(InputError, match="population must be a whole number") as caught:
        minimum_sample(fy2564, "EIT", population)  # type: ignore[arg-type]
    assert caught.value.field == "population"
    assert "จำนวนผู้มีส่วนได้ส่วนเสียต้องเป็นจำนวนเต็ม" in str(caught.value)


@pytest.mark.parametrize("tool", ["OIT", "iit", "", "EIT "])
def test_only_iit_and_eit_have_a_sample(fy2564: Framework, tool: str) -> None:
    with pytest.raises(InputError, match="tool must be IIT or EIT") as caught:
        minimum_sample(fy2564, tool, 100)
    assert caught.value.field == "tool"
    assert "แบบวัดต้องเป็น IIT หรือ EIT" in str(caught.value)
    pickle.loads(pickle.dumps(caught.value))  # the core's errors cross process boundaries


@pytest.mark.parametrize(
    ("answers", "percent"),
    [(0, 0.0), (15, 50.0), (10, 100 / 3), (30, 100.0), (45, 100.0), (-3, 0.0)],
)
def test_progress_is_a_capped_percentage(fy2564: Framework, answers: int, percent: float) -> None:
    rule = minimum_sample(fy2564, "EIT", 300)  # minimum 30
    assert progress(rule, answers) == pytest.approx(percent)


def test_progress_against_a_zero_minimum_is_complete() -> None:
    rule = SampleRule("IIT", 0, 10, "", "", True, "test")
    assert progress(rule, 0) == 100.0
