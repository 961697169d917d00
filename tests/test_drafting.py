"""Drafting the measures plan from a result: the shipped rules, broken rules, the seed, every framework year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from prongsai.drafting import draft_plan
from prongsai.errors import FrameworkError, InputError
from prongsai.frameworks import get_framework
from prongsai.results import Agency, Results, load_results
from prongsai.rollover import item_mapping
from prongsai.rules.schema import RULES_PATH, DraftingRules, RulesError, load_rules
from prongsai.scoring import oit_scores
from prongsai.thai import fiscal_period, to_thai_digits

SEED = Path(__file__).parents[1] / "examples" / "songkhanong-2564.yaml"
YEARS = [2563, 2564, 2565, 2566, 2567, 2568]

Raw = dict[str, Any]


def _raw() -> Raw:
    raw: Raw = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    return raw


def _entry(raw: Raw, section: str, code: str) -> dict[str, Any]:
    return next(e for e in raw[section] if e["code"] == code)


def _results(year: int, indicators_1_8: float = 90.0, failed: set[str] | None = None) -> Results:
    """A result with item answers; every item fails unless ``failed`` names some."""
    framework = get_framework(year)
    failing = {i.code for i in framework.items} if failed is None else failed
    oit = oit_scores(framework, {item.code: item.code not in failing for item in framework.items})
    indicators = dict.fromkeys(range(1, 9), indicators_1_8) | oit.indicators
    return Results("test", framework, indicators, oit=oit)


def _scores_only(year: int, scores: dict[int, float]) -> Results:
    return Results("test", get_framework(year), dict.fromkeys(range(1, 11), 90.0) | scores)


@pytest.fixture(scope="module")
def seed() -> Results:
    return load_results(SEED)


# --- the rules file ----------------------------------------------------------------------------


def test_the_shipped_rules_load() -> None:
    rules = load_rules()
    assert rules is load_rules()  # read once
    assert rules.unit("office").short_th == "สำนักปลัดฯ"
    assert rules.unit("finance").name_th == "กองคลัง"
    assert rules.catch_all.code == "other"
    assert sorted(r.number for r in rules.indicator_rules) == list(range(1, 11))
    assert [m.code for m in rules.measures] == ["guidelines", "mindset", "work_system"]
    assert load_rules(RULES_PATH) == rules


def _set(section: str, code: str, field: str, value: Any) -> Callable[[Raw], None]:
    def edit(raw: Raw) -> None:
        _entry(raw, section, code)[field] = value

    return edit


def _set_measure_step(raw: Raw) -> None:
    _entry(raw, "areas", "procurement")["measure"]["steps_th"][1] = "ส่ง{report}"


def _duplicate_area(raw: Raw) -> None:
    _entry(raw, "areas", "budget")["code"] = "basic_info"


def _measure_named_like_an_area(raw: Raw) -> None:
    raw["measures"][0]["code"] = "procurement"


def _second_catch_all(raw: Raw) -> None:
    area = _entry(raw, "areas", "culture")
    area["catch_all"] = True
    area["groups_th"] = []


def _drop_indicator_rule(raw: Raw) -> None:
    raw["indicator_rules"] = [r for r in raw["indicator_rules"] if r["number"] != 4]


def _group_in_two_areas(raw: Raw) -> None:
    _entry(raw, "areas", "budget")["groups_th"].append("ข้อมูลพื้นฐาน")


def _backwards_period(raw: Raw) -> None:
    _entry(raw, "measures", "guidelines")["period"] = {"start_month": 3, "end_month": 1}


def _extra_field(raw: Raw) -> None:
    _entry(raw, "areas", "procurement")["colour"] = "red"


@pytest.mark.parametrize(
    ("edit", "field", "reason"),
    [
        (_set("areas", "procurement", "recommendation_th", "ให้มี{items} ภายใน{deadline}"),
         "areas[procurement].recommendation_th", "unknown placeholder {deadline}"),
        (_set("areas", "basic_info", "recommendation_th", "ให้มี{items} โดย{follow_up_unit}"),
         "areas[basic_info].recommendation_th", "unknown placeholder {follow_up_unit}"),
        (_set("areas", "procurement", "recommendation_th", "{items.__class__}"),
         "areas[procurement].recommendation_th", "must be a plain {name}"),
        (_set("areas", "procurement", "recommendation_th", "{items!r}"),
         "areas[procurement].recommendation_th", "must be a plain {name}"),
        (_set("areas", "procurement", "recommendation_th", "ให้มี{items"),
         "areas[procurement].recommendation_th", "literal braces"),
        (_set("indicator_rules", "property", "recommendation_th", "{sub_indicators}"),
         "indicator_rules[property].recommendation_th", "unknown placeholder {sub_indicators}"),
        (_set("measures", "mindset", "follow_up_th", "รายงาน {items}"),
         "measures[mindset].follow_up_th", "unknown placeholder {items}"),
        (_set_measure_step, "areas[procurement].measure.steps_th[1]", "unknown placeholder {report}"),
        (_set("areas", "procurement", "default_unit", "treasury"),
         "areas[procurement].default_unit", "unknown unit 'treasury'"),
        (_set("areas", "procurement", "follow_up_unit", "mayor"),
         "areas[procurement].follow_up_unit", "unknown unit 'mayor'"),
        (_set("measures", "mindset", "default_unit", "hr"), "measures[mindset].default_unit", "unknown unit 'hr'"),
        (_duplicate_area, "areas[basic_info].code", "used more than once"),
        (_measure_named_like_an_area, "measures[procurement].code", "share codes"),
        (_second_catch_all, "areas", "exactly one area must be catch_all"),
        (_drop_indicator_rule, "indicator_rules", "one rule for each indicator 1–10"),
        (_group_in_two_areas, "areas[budget].groups_th", "already in area basic_info"),
        (_backwards_period, "measures[guidelines].period", "comes after month 1"),
        (_extra_field, "areas[procurement].colour", "Extra inputs are not permitted"),
        (_set("areas", "practice", "groups_th", []), "areas[practice].groups_th", "give groups_th or title_keywords"),
        (_set("areas", "procurement", "code", "Procurement!"), "areas[Procurement!].code", "should match pattern"),
    ],
)  # fmt: skip
def test_a_broken_rules_file_names_file_field_and_reason(
    tmp_path: Path, edit: Callable[[Raw], None], field: str, reason: str
) -> None:
    raw = _raw()
    edit(raw)
    path = tmp_path / "drafting.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    error = caught.value
    assert isinstance(error, FrameworkError)
    assert (error.file, error.field) == (str(path), field)
    assert reason in error.reason
    assert str(error).startswith(f"{path}: {field}: ")


@pytest.mark.parametrize("content", ["- just\n- a list\n", "units: [\n"])
def test_a_rules_file_that_is_not_a_mapping_fails(tmp_path: Path, content: str) -> None:
    path = tmp_path / "drafting.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulesError, match=str(path)):
        load_rules(path)


def test_a_missing_rules_file_fails(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "none.yaml")


def test_rule_text_is_stored_nfc() -> None:
    raw = _raw()
    decomposed = "ปู่"[0] + "\u0e48\u0e39"  # tone mark typed before the vowel: NFC puts the vowel first
    _entry(raw, "measures", "mindset")["title_th"] = f"ให้{decomposed}"
    rules = DraftingRules.model_validate(raw)
    assert rules.measures[1].title_th == "ให้ปู่"


# --- the seed: อบต.ทรงคนอง, FY2564 result → FY2565 plan -----------------------------------------


def test_the_seed_plan_is_for_the_next_fiscal_year(seed: Results) -> None:
    the_plan = draft_plan(seed)
    assert (the_plan.fiscal_year, the_plan.result_fiscal_year, the_plan.threshold) == (2565, 2564, 85)


def test_the_seed_recommendations_follow_the_seed_areas(seed: Results) -> None:
    recommendations = draft_plan(seed).recommendations
    # the seed's ๑)–๑๓) in its order (the example's answers fail O37 risk rather than O38 culture), then indicator 4
    assert [r.area_code for r in recommendations] == [
        "basic_info", "interaction", "operations", "practice", "service", "budget", "procurement",
        "human_resources", "complaints", "integrity_intent", "risk", "prevention_plan", "integrity_measures",
        "property",
    ]  # fmt: skip


def test_the_seed_basic_information_names_the_executives(seed: Results) -> None:
    basic = draft_plan(seed).recommendations[0]
    assert basic.title_th == "ด้านข้อมูลพื้นฐาน"
    assert basic.items == ("O2", "O3", "O4", "O6")
    assert basic.text_th.startswith("ให้มีการจัดทำข้อมูลผู้บริหาร อำนาจหน้าที่")
    assert "กฎหมายที่เกี่ยวข้อง และแผนยุทธศาสตร์" in basic.text_th  # Thai list: spaces, และ before the last
    assert "มอบ" not in basic.text_th and basic.unit == "office"  # the clause is added once, when printed
    assert draft_plan(seed).sentence(basic).endswith("โดยมอบสำนักปลัดฯ เป็นผู้รับผิดชอบ")


def test_the_seed_procurement_goes_to_finance(seed: Results) -> None:
    procurement = next(r for r in draft_plan(seed).recommendations if r.area_code == "procurement")
    assert procurement.area_th == "การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ"
    assert (procurement.unit, procurement.follow_up_unit) == ("finance", "office")
    assert procurement.items == ("O22", "O24")
    assert draft_plan(seed).sentence(procurement) == (
        "ด้านการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ ให้มีประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ"
        " ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ และรายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี ของปีงบประมาณ พ.ศ. ๒๕๖๔"
        " ให้ครบองค์ประกอบและเป็นปัจจุบัน โดยมอบกองคลังเป็นผู้รับผิดชอบ และให้สำนักปลัดฯ เป็นหน่วยติดตามผล"
    )


def test_the_seed_measures_area_names_o42_and_o43(seed: Results) -> None:
    the_plan = draft_plan(seed)
    measures = next(r for r in the_plan.recommendations if r.area_code == "integrity_measures")
    framework = seed.framework
    assert measures.items == ("O42", "O43") and measures.indicators == (10,)
    assert framework.item("O42").title_th in measures.text_th
    assert framework.item("O43").title_th in measures.text_th
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๔" in measures.text_th  # analysed from the FY2564 result


def test_the_seed_indicator_4_under_85_gets_a_recommendation_and_a_measure(seed: Results) -> None:
    the_plan = draft_plan(seed)
    low = [r for r in the_plan.recommendations if r.indicators and not r.items]
    assert [(r.area_code, r.indicators) for r in low] == [("property", (4,))]
    assert low[0].title_th == "ด้านการใช้ทรัพย์สินของราชการ"
    assert "๘๓.๖๓" not in low[0].text_th and "ตัวชี้วัด" not in low[0].text_th  # part 1 says name and score
    assert "ยืมทรัพย์สินของราชการ" in low[0].text_th
    measure = next(m for m in the_plan.measures if m.indicators == (4,))
    assert measure.title_th == "จัดทำแนวปฏิบัติการใช้ทรัพย์สินของราชการ และการขออนุญาตยืมไปใช้ปฏิบัติงาน"
    assert measure.unit == "finance" and len(measure.method_steps) == 3


def test_the_seed_measures_end_with_the_general_three(seed: Results) -> None:
    measures = draft_plan(seed).measures[-3:]  # what answers a weakness comes first
    assert [m.code for m in measures] == ["guidelines", "mindset", "work_system"]
    first = measures[0]
    assert first.period_th == "ม.ค. – มี.ค. ๖๕"  # as the seed writes it
    assert (first.period_start, first.period_end) == (dt.date(2022, 1, 1), dt.date(2022, 3, 31))
    assert first.method_steps[0] == "ผู้บริหารและบุคลากรร่วมกันประชุมหาแนวทางการดำเนินงาน"
    assert measures[2].period_th == "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๕"
    assert "ช่องทางการติดต่อขององค์การบริหารส่วนตำบลทรงคนอง" in measures[2].method_steps[0]


def test_the_seed_measure_periods_fall_inside_fy2565(seed: Results) -> None:
    start, end = fiscal_period(2565)
    assert (start, end) == (dt.date(2021, 10, 1), dt.date(2022, 9, 30))
    measures = draft_plan(seed).measures
    assert len(measures) == 10  # 4 areas, indicator 4, the missing items of 9 and 10, the general three
    for measure in measures:
        assert start <= measure.period_start <= measure.period_end <= end, measure.code


def test_the_seed_measures_of_areas_carry_their_items(seed: Results) -> None:
    by_code = {m.code: m for m in draft_plan(seed).measures}
    assert by_code["procurement"].items == ("O22", "O24")
    assert by_code["procurement"].follow_up_th.startswith("สำนักปลัดฯ ตรวจสอบ")
    assert by_code["disclosure"].items[:4] == ("O2", "O3", "O4", "O6") and "O๒ O๓ O๔" in by_code["disclosure"].title_th
    assert by_code["integrity_measures"].period_th == "เม.ย. – ก.ย. ๖๕"


# --- every framework year ----------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_every_failing_item_is_in_exactly_one_recommendation(year: int) -> None:
    results = _results(year)
    the_plan = draft_plan(results)
    counts = Counter(code for r in the_plan.recommendations for code in r.items)
    # the plan's year's items that carry on a failed item (all of them fail here), each in one recommendation
    plan_year = get_framework(year + 1)
    carried = item_mapping(results.framework, plan_year).translate(i.code for i in results.framework.items)
    assert counts == Counter(carried)
    assert the_plan.fiscal_year == year + 1


@pytest.mark.parametrize("year", YEARS)
def test_the_shipped_areas_match_every_item_without_the_catch_all(year: int) -> None:
    rules = load_rules()
    assert [i.code for i in get_framework(year).items if rules.area_for(i).catch_all] == []


@pytest.mark.parametrize(
    ("year", "procurement"),
    [
        (2564, ("O21", "O22", "O23", "O24")),
        (2566, ("O19", "O20", "O21", "O22")),
        (2567, ("O12", "O13")),  # a FY2568 plan names FY2568's items
        (2568, ("O11", "O12")),  # and a FY2569 plan FY2569's
    ],
)
def test_procurement_is_found_by_group_and_title_whatever_the_codes(year: int, procurement: tuple[str, ...]) -> None:
    area = next(r for r in draft_plan(_results(year)).recommendations if r.area_code == "procurement")
    assert area.items == procurement
    assert area.unit == "finance"


def test_fy2568_puts_the_code_of_ethics_under_ethics_by_its_title() -> None:
    ethics = next(r for r in draft_plan(_results(2567)).recommendations if r.area_code == "ethics")
    assert ethics.items == ("O16",)


def test_items_no_area_matches_go_to_the_catch_all() -> None:
    raw = _raw()
    raw["areas"] = [a for a in raw["areas"] if a["code"] != "procurement"]
    rules = DraftingRules.model_validate(raw)
    the_plan = draft_plan(_results(2566, failed={"O2", "O20", "O22"}), rules)
    assert [(r.area_code, r.items) for r in the_plan.recommendations] == [
        ("basic_info", ("O2",)),
        ("other", ("O20", "O22")),
    ]
    assert the_plan.recommendations[1].area_th == "การเปิดเผยข้อมูลอื่น ๆ"


# --- indicators --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "indicators"),
    [
        (None, [4]),  # the pass mark, 85
        (80.0, []),
        (86.5, [4, 5, 6, 8]),
        (90.0, [2, 4, 5, 6, 7, 8]),
    ],
)
def test_indicators_under_the_threshold(seed: Results, threshold: float | None, indicators: list[int]) -> None:
    the_plan = draft_plan(seed, threshold=threshold)
    low = [r.indicators[0] for r in the_plan.recommendations if not r.items]
    assert low == indicators  # 9 and 10 never: the item answers already say what is missing
    assert [m.indicators[0] for m in the_plan.measures if m.indicators and not m.items] == indicators


def test_an_indicator_at_the_threshold_is_not_under_it(seed: Results) -> None:
    assert all(r.indicators != (5,) for r in draft_plan(seed, threshold=85.5).recommendations)


@pytest.mark.parametrize("threshold", [-1.0, 100.5])
def test_a_threshold_outside_0_100_is_an_error(seed: Results, threshold: float) -> None:
    with pytest.raises(InputError, match="threshold"):
        draft_plan(seed, threshold=threshold)


@pytest.mark.parametrize(
    ("year", "number", "sub_indicators"),
    [
        (2564, 9, ["ข้อมูลพื้นฐาน", "การส่งเสริมความโปร่งใส"]),
        (2564, 10, ["การดำเนินการเพื่อป้องกันการทุจริต", "มาตรการภายในเพื่อป้องกันการทุจริต"]),
        (2568, 9, ["ข้อมูลพื้นฐานและการประชาสัมพันธ์", "การจัดซื้อจัดจ้าง"]),
    ],
)
def test_without_item_answers_oit_indicators_are_recommended_by_sub_indicator(
    year: int, number: int, sub_indicators: list[str]
) -> None:
    the_plan = draft_plan(_scores_only(year, {number: 48.46}))
    [recommendation] = the_plan.recommendations
    assert recommendation.indicators == (number,) and recommendation.items == ()
    for name in sub_indicators:
        assert to_thai_digits(name) in recommendation.text_th
    assert "O" not in recommendation.text_th  # no item is named: nobody knows which failed


def test_a_result_that_passes_everything_gets_only_the_general_measures() -> None:
    the_plan = draft_plan(_results(2566, failed=set()))
    assert the_plan.recommendations == ()
    assert [m.code for m in the_plan.measures] == ["guidelines", "mindset", "work_system"]


# --- units and text ----------------------------------------------------------------------------


def test_unit_overrides_apply(seed: Results) -> None:
    the_plan = draft_plan(seed, unit_overrides={"procurement": "office", "property": "engineering", "mindset": "audit"})
    by_area = {r.area_code: r for r in the_plan.recommendations}
    assert by_area["procurement"].unit == "office"
    assert the_plan.sentence(by_area["procurement"]).endswith("โดยมอบสำนักปลัดฯ เป็นผู้รับผิดชอบ")
    assert by_area["property"].unit == "engineering"
    assert the_plan.sentence(by_area["property"]).endswith("โดยมอบกองช่างเป็นผู้รับผิดชอบ")
    assert by_area["basic_info"].unit == "office"  # untouched
    units = {m.code: m.unit for m in the_plan.measures}
    assert (units["procurement"], units["property"], units["mindset"]) == ("office", "engineering", "audit")
    assert the_plan.unit("engineering").name_th == "กองช่าง"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"procurment": "finance"}, "no area, indicator rule or measure 'procurment'"),
        ({"procurement": "treasury"}, "no unit 'treasury'"),
    ],
)
def test_an_unknown_override_is_an_error(seed: Results, overrides: dict[str, str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        draft_plan(seed, unit_overrides=overrides)
    assert message in caught.value.reason
    assert caught.value.field == f"unit_overrides.{next(iter(overrides))}"


def test_arabic_digits_when_the_rules_say_so(seed: Results) -> None:
    rules = DraftingRules.model_validate(_raw() | {"thai_digits": False})
    the_plan = draft_plan(seed, rules)
    assert the_plan.measures[-3].period_th == "ม.ค. – มี.ค. 65"
    assert "2565" in next(r.text_th for r in the_plan.recommendations if r.area_code == "basic_info")


def test_a_span_across_new_year_names_both_years() -> None:
    raw = _raw()
    _entry(raw, "measures", "guidelines")["period"] = {"start_month": 11, "end_month": 2}
    _entry(raw, "measures", "mindset")["period"] = {"start_month": 9, "end_month": 9}
    the_plan = draft_plan(_results(2566, failed=set()), DraftingRules.model_validate(raw))
    guidelines, mindset = the_plan.measures[:2]
    assert guidelines.period_th == "พ.ย. ๖๖ – ก.พ. ๖๗"
    assert (guidelines.period_start, guidelines.period_end) == (dt.date(2023, 11, 1), dt.date(2024, 2, 29))
    assert mindset.period_th == "ก.ย. ๖๗" and mindset.period_end == dt.date(2024, 9, 30)


def test_without_an_agency_the_text_says_the_agency() -> None:
    steps = draft_plan(_results(2566, failed=set())).measures[2].method_steps
    assert steps[0] == "ปรับปรุงช่องทางการติดต่อของหน่วยงานให้หลากหลาย"
    named = Results("test", get_framework(2566), dict.fromkeys(range(1, 11), 90.0), agency=Agency("เทศบาลตำบลทดสอบ"))
    assert "ของเทศบาลตำบลทดสอบ" in draft_plan(named).measures[2].method_steps[0]


def test_a_latin_title_is_spaced_from_and() -> None:
    [interaction] = draft_plan(_results(2564, failed={"O8", "O9"})).recommendations
    assert "Q&A และ Social Network" in interaction.text_th


# --- any agency, any year, any weakness ------------------------------------------------------------

AGENCIES = ["องค์การบริหารส่วนตำบลหนองบัว", "เทศบาลตำบลบ้านดอน", "กรมส่งเสริมการเกษตร"]
CASES = [(n,) for n in range(1, 11)] + [(2, 5, 7, 9, 10), tuple(range(1, 11))]


def _failing(year: int, low: tuple[int, ...], agency: str) -> Results:
    framework = get_framework(year)
    failing_items: set[str] = set()
    for number in {9, 10} & set(low):
        failing_items |= {i.code for i in framework.items if framework.sub_indicator_of(i.code).indicator == number}
    oit = oit_scores(framework, {i.code: i.code not in failing_items for i in framework.items})
    scores = {n: (55.0 if n in low else 92.0) for n in range(1, 9)} | oit.indicators
    return Results("test", framework, scores, oit=oit, agency=Agency(agency))


@pytest.mark.parametrize("agency", AGENCIES)
@pytest.mark.parametrize("year", [2564, 2565, 2566, 2567, 2568, 2569])
@pytest.mark.parametrize("low", CASES)
def test_a_drafted_plan_for_any_agency_and_year(agency: str, year: int, low: tuple[int, ...]) -> None:
    the_plan = draft_plan(_failing(year, low, agency))
    assert the_plan.fiscal_year == year + 1
    codes = {i.code for i in get_framework(year + 1).items}
    for r in the_plan.recommendations:
        sentence = the_plan.sentence(r)
        assert sentence.count("เป็นผู้รับผิดชอบ") == 1 and sentence.count("เป็นหน่วยติดตามผล") <= 1, sentence
        assert "ตัวชี้วัด" not in r.text_th  # no restated name and score
        assert set(r.items) <= codes
        assert sentence.count("No Gift Policy") <= 1
        assert ", " not in sentence and "  " not in sentence
    for m in the_plan.measures:
        assert set(m.items) <= codes
        assert ", " not in m.title_th and all(", " not in s for s in m.method_steps)
    for number in low:
        assert any(number in m.indicators for m in the_plan.measures), number
    titles = [m.title_th for m in the_plan.measures]
    assert len(titles) == len(set(titles))
