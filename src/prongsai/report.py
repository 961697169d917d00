"""Render scores, analyses and plans as Thai (or English) text for people and as JSON for machines.

Text follows the seed's wording (คะแนนสูงสุดรายตัวชี้วัด, อันดับ/ตัวชี้วัด/คะแนน) so that what the
CLI prints can be pasted into the measures document.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from prongsai._table import render_table
from prongsai.analysis import Analysis
from prongsai.framework import Framework, RatingBand, SubIndicator
from prongsai.numbers import format_score, round_half_up
from prongsai.planner import ItemAction, Plan, Route
from prongsai.results import Results
from prongsai.scoring import ScoreResult
from prongsai.survey import SurveyScores
from prongsai.thai import to_thai_digits

__all__ = [
    "Lang",
    "Say",
    "analysis_json",
    "analysis_text",
    "framework_json",
    "framework_text",
    "frameworks_text",
    "group_sentence",
    "held_back_line",
    "plan_json",
    "plan_text",
    "provisional_line",
    "score_json",
    "score_text",
    "thai_list",
]

Lang = Literal["th", "en"]

# Facts that change a computed total or grade: if unverified, the user is told next to the score.
SCORING_FACTS = ("weight", "pass_mark", "grades", "publication", "rounding", "rule", "min", "max", "mode")


class Say:
    """Pick the Thai or English wording, and Thai digits when asked."""

    def __init__(self, lang: Lang, thai_digits: bool = False) -> None:
        self.lang, self.thai_digits = lang, thai_digits

    def __call__(self, th: str, en: str) -> str:
        return th if self.lang == "th" else en

    def num(self, value: float) -> str:
        return format_score(value, thai_digits=self.thai_digits)

    def digits(self, text: str) -> str:
        return to_thai_digits(text) if self.thai_digits else text


def thai_list(words: Sequence[str], lang: Lang = "th") -> str:
    """The one rule for a list: Thai separates with spaces and writes และ before the last, against a Thai
    word and spaced from Latin text (O26 O27 และ O28; ข้อมูลผู้บริหาร อำนาจหน้าที่ และกฎหมาย);
    English uses commas (O26, O27 and O28)."""
    if len(words) <= 1:
        return "".join(words)
    if lang != "th":
        return ", ".join(words[:-1]) + " and " + words[-1]
    last = words[-1]
    joiner = " และ" if "\u0e01" <= last[:1] <= "\u0e5b" else " และ "
    return " ".join(words[:-1]) + joiner + last


def _name(say: Say, th: str, en: str) -> str:
    return say(th, en or th)


def _sub_label(say: Say, sub: SubIndicator) -> str:
    """9.1 and its name, or the name alone where the code is prongsai's placeholder (9.a), never shown."""
    return say(sub.label_th, sub.label_en)


def _sub_code(sub: SubIndicator) -> str:
    return sub.code if sub.shows_code else "–"


# --- score -------------------------------------------------------------------------------------


def _verdict(say: Say, result: ScoreResult) -> str:
    pass_mark = say.num(result.framework.pass_mark)
    if result.passed:
        return say(f"ผ่านเกณฑ์ {pass_mark} คะแนน", f"passed ({pass_mark} or more)")
    return say(f"ไม่ผ่านเกณฑ์ {pass_mark} คะแนน", f"below the pass mark of {pass_mark}")


def _headline(say: Say, results: Results, result: ScoreResult) -> list[str]:
    year = say.digits(str(result.fiscal_year))
    who = f" {results.agency.name}" if results.agency else ""
    lines = [say(f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {year}{who}", f"ITA result, fiscal year B.E. {year}{who}")]
    score_line = say(f"คะแนน {say.num(result.total)} คะแนน", f"Score {say.num(result.total)}")
    if result.grade is not None:
        score_line += say(f"  ระดับผลการประเมิน {result.grade}", f"  grade {result.grade}")
    if result.rating is not None:
        score_line += say(f"  ระดับผลการประเมิน {result.rating.label_th}", f"  rating: {result.rating.label_en}")
    lines.append(f"{score_line}  ({_verdict(say, result)})")
    lines += _held_back_lines(say, result)
    if result.framework.provisional:
        lines.append(provisional_line(say, result.framework))
    return lines


def _held_back_lines(say: Say, result: ScoreResult) -> list[str]:
    held = result.held_back()
    if held is None or result.rating is None:
        return []
    band, tools = held
    bar = say.num(band.min_each_tool or 0)
    return [
        say(
            f"คะแนนรวมถึงระดับ{band.label_th} แต่ได้ระดับ{result.rating.label_th} เพราะคะแนน "
            f"{thai_list(tools)} ต่ำกว่า {bar} (ระดับ{band.label_th}ต้องได้ทุกแบบวัดตั้งแต่ {bar} ขึ้นไป)",
            f"The total reaches {band.label_en}, but the rating is {result.rating.label_en} because "
            f"{thai_list(tools, 'en')} is below {bar} ({band.label_en} needs every tool at {bar} or more)",
        )
    ]


def held_back_line(say: Say, result: ScoreResult) -> str:
    """The one sentence that says why a result's rating is below the one its total reaches; "" when it is not."""
    return "".join(_held_back_lines(say, result))


def provisional_line(say: Say, framework: Framework) -> str:
    """The line every output of a provisional year carries (CLI text, documents, pages)."""
    year, base = say.digits(str(framework.fiscal_year)), say.digits(str(framework.based_on))
    return say(
        f"กรอบการประเมินปี {year} เป็นกรอบชั่วคราวที่ใช้กรอบปี {base} ไปก่อน "
        f"เพราะสำนักงาน ป.ป.ช. ยังไม่ประกาศคู่มือของปีนี้ ข้อ OIT และเกณฑ์อาจเปลี่ยนเมื่อประกาศแล้ว",
        f"The FY{year} framework is provisional: FY{base}'s until the NACC publishes this year's manual; "
        "items and rules may change.",
    )


def _published_line(say: Say, results: Results, result: ScoreResult) -> list[str]:
    if results.published_total is None:
        return []
    published = say.num(results.published_total) + (f" {results.published_grade}" if results.published_grade else "")
    if result.matches_published(results.published_total, results.published_grade):
        return [say(f"ตรงกับผลที่ประกาศ ({published})", f"matches the published result ({published})")]
    return [
        say(
            f"ไม่ตรงกับผลที่ประกาศ ({published}) โปรดตรวจคะแนนรายตัวชี้วัด",
            f"does NOT match the published result ({published}): check the indicator scores",
        )
    ]


def _unverified_lines(say: Say, framework: Framework) -> list[str]:
    facts = [f for f in framework.unverified_facts() if f.rsplit(".", 1)[-1] in SCORING_FACTS]
    if not facts:
        return []
    year = say.digits(str(framework.fiscal_year))
    shown = ", ".join(facts[:4]) + (" …" if len(facts) > 4 else "")
    return [
        say(
            f"หมายเหตุ: กรอบปี {year} ยังไม่ได้ยืนยันข้อมูลที่ใช้คำนวณ {len(facts)} รายการ ({shown}) "
            f"ดู prongsai frameworks --year {framework.fiscal_year}",
            f"Note: FY{framework.fiscal_year} has {len(facts)} unverified scoring fact(s) ({shown}); "
            f"see prongsai frameworks --year {framework.fiscal_year}",
        )
    ]


def _indicator_table(say: Say, result: ScoreResult) -> str:
    rows = [
        [
            say.digits(str(i.number)),
            _name(say, i.label_th, i.indicator.name_en),
            i.indicator.tool,
            say.num(i.indicator.weight),
            say.num(i.score),
            say.num(i.points),
        ]
        for i in result.indicators
    ]
    headers = [
        say("ที่", "No."),
        say("ตัวชี้วัด", "Indicator"),
        say("แบบวัด", "Tool"),
        say("น้ำหนัก", "Weight"),
        say("คะแนน", "Score"),
        say("คะแนนถ่วงน้ำหนัก", "Points"),
    ]
    return render_table(headers, rows, right=(0, 3, 4, 5))


def _tool_table(say: Say, result: ScoreResult) -> str:
    rows = [
        [
            t.code,
            _name(say, t.name_th, t.name_en),
            say.num(t.score),
            say.num(t.weight),
            say.num(t.points),
            say.num(t.points_lost),
        ]
        for t in result.tools
    ]
    headers = [
        say("แบบวัด", "Tool"),
        say("ชื่อ", "Name"),
        say("คะแนน", "Score"),
        say("น้ำหนัก", "Weight"),
        say("คะแนนที่ได้", "Points"),
        say("คะแนนที่เสีย", "Lost"),
    ]
    return render_table(headers, rows, right=(2, 3, 4, 5))


def score_text(results: Results, lang: Lang = "th", thai_digits: bool = False) -> str:
    say = Say(lang, thai_digits)
    result = results.score()
    parts = [
        "\n".join(_headline(say, results, result) + _published_line(say, results, result)),
        _indicator_table(say, result),
        say("สรุปรายแบบวัด", "Per tool"),
        _tool_table(say, result),
    ]
    if results.oit is not None:
        parts.append(_sub_indicator_table(say, results))
    parts.extend(_unverified_lines(say, results.framework))
    return "\n\n".join(parts) + "\n"


def _sub_indicator_table(say: Say, results: Results) -> str:
    assert results.oit is not None
    rows = [
        [
            _sub_code(s.sub_indicator),
            _name(say, s.sub_indicator.name_th, s.sub_indicator.name_en),
            say.digits(f"{len(s.passed_items)}/{len(s.sub_indicator.items)}"),
            say.num(s.rate),
        ]
        for s in results.oit.sub_indicators
    ]
    headers = [
        say("ตัวชี้วัดย่อย", "Sub-indicator"),
        say("ชื่อ", "Name"),
        say("ผ่าน", "Passed"),
        say("ร้อยละ", "Rate"),
    ]
    return say("ผลรายตัวชี้วัดย่อย OIT", "OIT sub-indicators") + "\n" + render_table(headers, rows, right=(2, 3))


def score_json(results: Results) -> dict[str, Any]:
    result = results.score()
    framework = results.framework
    return {
        "fiscal_year": framework.fiscal_year,
        "agency": None if results.agency is None else vars(results.agency),
        "total": result.total,
        "total_exact": round(result.total_exact, 6),
        "grade": result.grade,
        "rating": result.rating.label_th if result.rating else None,
        "rating_en": result.rating.label_en if result.rating else None,
        "passed": result.passed,
        "pass_mark": framework.pass_mark,
        "publication": framework.publication.value,
        "provisional": framework.provisional,
        "indicators": [
            {
                "number": i.number,
                "name_th": i.indicator.name_th,
                "label_th": i.label_th,
                "name_en": i.indicator.name_en,
                "tool": i.indicator.tool,
                "weight": i.indicator.weight,
                "score": i.score,
                "points": round(i.points, 6),
            }
            for i in result.indicators
        ],
        "tools": [
            {
                "code": t.code,
                "weight": t.weight,
                "score": round_half_up(t.score),
                "points": round(t.points, 6),
            }
            for t in result.tools
        ],
        "oit": None
        if results.oit is None
        else {
            "sub_indicators": [
                {
                    "code": s.sub_indicator.code,
                    "indicator": s.sub_indicator.indicator,
                    "rate": round_half_up(s.rate),
                    "passed": list(s.passed_items),
                    "failed": list(s.failed_items),
                }
                for s in results.oit.sub_indicators
            ],
        },
        "published": None
        if results.published_total is None
        else {
            "total": results.published_total,
            "grade": results.published_grade,
            "matches": result.matches_published(results.published_total, results.published_grade),
        },
        "unverified": framework.unverified_facts(),
    }


# --- analysis ----------------------------------------------------------------------------------


def analysis_text(analysis: Analysis, lang: Lang = "th", thai_digits: bool = False) -> str:
    say = Say(lang, thai_digits)
    results, result = analysis.results, analysis.score
    parts = ["\n".join(_headline(say, results, result) + _published_line(say, results, result))]
    rows = [
        [
            say.digits(str(r.rank)),
            _name(say, r.indicator.label_th, r.indicator.indicator.name_en),
            say.num(r.indicator.score),
        ]
        for r in analysis.ranking
    ]
    parts.append(
        say("คะแนนสูงสุดรายตัวชี้วัด", "Indicators, highest first")
        + "\n"
        + render_table([say("อันดับ", "Rank"), say("ตัวชี้วัด", "Indicator"), say("คะแนน", "Score")], rows, right=(0, 2))
    )
    parts.append(
        "\n".join(
            [
                say(
                    f"คะแนนสูงสุด {say.num(analysis.highest.indicator.score)} คะแนน",
                    f"Highest {say.num(analysis.highest.indicator.score)}",
                ),
                say(
                    f"คะแนนต่ำสุด {say.num(analysis.lowest.indicator.score)} คะแนน",
                    f"Lowest {say.num(analysis.lowest.indicator.score)}",
                ),
            ]
        )
    )
    parts.append(_below_pass_text(say, analysis))
    parts.append(say("สรุปรายแบบวัด", "Per tool") + "\n" + _tool_table(say, result))
    parts.extend(_missing_items_text(say, analysis))
    parts.extend(_change_text(say, analysis))
    parts.extend(_unverified_lines(say, results.framework))
    return "\n\n".join(p for p in parts if p) + "\n"


def _below_pass_text(say: Say, analysis: Analysis) -> str:
    mark = say.num(analysis.results.framework.pass_mark)
    if not analysis.below_pass:
        return say(f"ทุกตัวชี้วัดได้ {mark} คะแนนขึ้นไป", f"Every indicator scores {mark} or more")
    names = [f"{_name(say, i.label_th, i.indicator.name_en)} ({say.num(i.score)})" for i in analysis.below_pass]
    return say(f"ตัวชี้วัดที่ต่ำกว่า {mark} คะแนน: ", f"Indicators under {mark}: ") + thai_list(names, say.lang)


def _missing_items_text(say: Say, analysis: Analysis) -> list[str]:
    codes = analysis.missing_items()
    if analysis.results.oit is None or not codes:
        return []
    framework = analysis.results.framework
    lines = [say(f"ข้อ OIT ที่ยังไม่ผ่าน {say.digits(str(len(codes)))} ข้อ", f"{len(codes)} OIT items not passed")]
    for code in codes:
        item = framework.item(code)
        lines.append(f"  {say.digits(code)} {_name(say, item.title_th, item.title_en)}")
    return ["\n".join(lines)]


def _change_text(say: Say, analysis: Analysis) -> list[str]:
    if analysis.previous is None:
        return []
    before, now = analysis.previous, analysis.score
    rows = [
        [
            say.digits(str(c.number)),
            _name(say, now.indicator(c.number).label_th, now.indicator(c.number).indicator.name_en),
            say.num(c.previous),
            say.num(c.current),
            _signed(say, c.delta),
        ]
        for c in analysis.changes
    ]
    rows.append(
        [
            "",
            say("คะแนนรวม", "Total"),
            say.num(before.total),
            say.num(now.total),
            _signed(say, now.total - before.total),
        ]
    )
    headers = [
        "",
        say("ตัวชี้วัด", "Indicator"),
        say.digits(str(before.fiscal_year)),
        say.digits(str(now.fiscal_year)),
        say("เปลี่ยนแปลง", "Change"),
    ]
    title = say(f"เทียบกับปีงบประมาณ {say.digits(str(before.fiscal_year))}", f"Compared with FY{before.fiscal_year}")
    return [title + "\n" + render_table(headers, rows, right=(0, 2, 3, 4))]


def _signed(say: Say, value: float) -> str:
    text = say.num(abs(value))
    return ("+" if value > 0 else "-" if value < 0 else "±") + text


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    data = score_json(analysis.results)
    data["ranking"] = [
        {
            "rank": r.rank,
            "number": r.indicator.number,
            "label_th": r.indicator.label_th,
            "score": r.indicator.score,
        }
        for r in analysis.ranking
    ]
    data["highest"] = data["ranking"][0]
    data["lowest"] = data["ranking"][-1]
    data["below_pass"] = [i.number for i in analysis.below_pass]
    data["missing_items"] = list(analysis.missing_items())
    data["previous"] = (
        None
        if analysis.previous is None
        else {
            "fiscal_year": analysis.previous.fiscal_year,
            "total": analysis.previous.total,
            "grade": analysis.previous.grade,
            "rating": analysis.previous.rating.label_th if analysis.previous.rating else None,
            "changes": [
                {
                    "number": c.number,
                    "previous": c.previous,
                    "current": c.current,
                    "delta": round_half_up(c.delta),
                }
                for c in analysis.changes
            ],
            "total_delta": round_half_up(analysis.score.total - analysis.previous.total),
        }
    )
    return data


# --- plan --------------------------------------------------------------------------------------


def _codes(say: Say, actions: Sequence[ItemAction]) -> str:
    return thai_list([say.digits(a.item.code) for a in actions], say.lang)


def group_sentence(say: Say, actions: Sequence[ItemAction], worth: float, where: str) -> str:
    return say(
        f"เผยแพร่ {_codes(say, actions)} ให้ครบถ้วน จะเพิ่มคะแนนรวม {say.num(worth)} คะแนน ({where})",
        f"Publishing {_codes(say, actions)} in full raises the total by {say.num(worth)} points ({where})",
    )


def _route_text(say: Say, route: Route | None, start: float) -> list[str]:
    if route is None:
        return []
    goal = (
        say(f"เกณฑ์ผ่าน {say.num(route.target)}", f"pass ({say.num(route.target)})")
        if route.goal == "pass"
        else say(f"ระดับ {route.goal} ({say.num(route.target)})", f"grade {route.goal} ({say.num(route.target)})")
    )
    if not route.actions and route.reached:
        return [say(f"ถึง{goal}แล้ว", f"Already at {goal}")]
    if not route.reached:
        return [
            say(
                f"ข้อ OIT อย่างเดียวไม่พอจะถึง{goal}: เผยแพร่ครบทุกข้อได้ {say.num(route.total)} คะแนน ต้องยกคะแนน IIT/EIT ด้วย",
                f"OIT alone cannot reach {goal}: every item gives {say.num(route.total)}; IIT/EIT must rise too",
            )
        ]
    count = say.digits(str(len(route.actions)))
    return [
        say(
            f"ถึง{goal}: เผยแพร่อย่างน้อย {count} ข้อ ได้แก่ {_codes(say, route.actions)} "
            f"คะแนนรวมจะเป็น {say.num(route.total)} (เพิ่ม {say.num(route.total - start)})",
            f"To reach {goal}: publish at least {count} item(s): {_codes(say, route.actions)}, "
            f"giving {say.num(route.total)} (+{say.num(route.total - start)})",
        )
    ]


def plan_text(p: Plan, lang: Lang = "th", thai_digits: bool = False) -> str:
    say = Say(lang, thai_digits)
    now = p.score.total
    parts = [
        say(
            f"แผนเพิ่มคะแนน ITA ปีงบประมาณ {say.digits(str(p.score.fiscal_year))}: ปัจจุบัน {say.num(now)} "
            f"คะแนน เป้าหมาย {say.num(p.target)} คะแนน",
            f"ITA score plan, FY{p.score.fiscal_year}: now {say.num(now)}, target {say.num(p.target)}",
        )
    ]
    rows = [
        [
            say.digits(str(i.number)),
            _name(say, i.label_th, i.indicator.name_en),
            say.num(i.score),
            say.num(i.points_lost),
        ]
        for i in p.indicators
    ]
    parts.append(
        say("คะแนนรวมที่เพิ่มได้ ถ้าตัวชี้วัดได้ 100", "Total points each indicator can add at 100")
        + "\n"
        + render_table(
            [say("ที่", "No."), say("ตัวชี้วัด", "Indicator"), say("คะแนน", "Score"), say("เพิ่มได้", "Worth")],
            rows,
            right=(0, 2, 3),
        )
    )
    parts.extend(_item_parts(say, p))
    parts.append(
        say(
            f"เพดานจาก OIT อย่างเดียว (เผยแพร่ครบทุกข้อ): {say.num(p.oit_ceiling)} คะแนน",
            f"Ceiling through OIT alone (every item published): {say.num(p.oit_ceiling)}",
        )
    )
    parts.extend(_unverified_lines(say, p.framework))
    return "\n\n".join(parts) + "\n"


def _item_parts(say: Say, p: Plan) -> list[str]:
    if p.item_actions is None:
        return [
            say(
                "ยังไม่มีคำตอบรายข้อ OIT ในไฟล์ (oit_items หรือ --oit) จึงยังบอกไม่ได้ว่าข้อใดควรทำก่อน",
                "No OIT item answers in the input (oit_items or --oit): cannot rank items yet",
            )
        ]
    if not p.item_actions:
        return [say("ทุกข้อ OIT ผ่านแล้ว", "Every OIT item already passes")]
    rows = [
        [
            say.digits(a.item.code),
            _name(say, a.item.title_th, a.item.title_en),
            _sub_code(a.sub_indicator),
            say.num(a.worth),
        ]
        for a in p.item_actions
    ]
    table = render_table(
        [say("ข้อ", "Item"), say("หัวข้อ", "Title"), say("ตัวชี้วัดย่อย", "Sub-ind."), say("เพิ่มคะแนนรวม", "Worth")],
        rows,
        right=(3,),
    )
    sentences = [
        "• "
        + group_sentence(
            say,
            g.actions,
            g.worth,
            _sub_label(say, g.sub_indicator),
        )
        for g in p.groups
    ]
    routes = _route_text(say, p.to_next_grade, p.score.total) + _route_text(say, p.to_target, p.score.total)
    return [
        say("ข้อ OIT ที่ควรเผยแพร่ก่อน (เรียงตามคะแนนรวมที่เพิ่ม)", "OIT items to publish first") + "\n" + table,
        "\n".join(sentences),
        "\n".join(routes),
    ]


def plan_json(p: Plan) -> dict[str, Any]:
    def route(r: Route | None) -> dict[str, Any] | None:
        if r is None:
            return None
        return {
            "goal": r.goal,
            "target": r.target,
            "items": [a.item.code for a in r.actions],
            "total": r.total,
            "reached": r.reached,
        }

    return {
        "fiscal_year": p.score.fiscal_year,
        "total": p.score.total,
        "grade": p.score.grade,
        "rating": p.score.rating.label_th if p.score.rating else None,
        "passed": p.score.passed,
        "target": p.target,
        "indicators": [
            {"number": i.number, "score": i.score, "worth": round_half_up(i.points_lost)} for i in p.indicators
        ],
        "items": None
        if p.item_actions is None
        else [
            {
                "code": a.item.code,
                "title_th": a.item.title_th,
                "sub_indicator": a.sub_indicator.code,
                "worth": round_half_up(a.worth),
            }
            for a in p.item_actions
        ],
        "groups": [
            {
                "sub_indicator": g.sub_indicator.code,
                "items": [a.item.code for a in g.actions],
                "worth": round_half_up(g.worth),
                "text_th": group_sentence(Say("th"), g.actions, g.worth, g.sub_indicator.label_th),
            }
            for g in p.groups
        ],
        "to_target": route(p.to_target),
        "to_next_grade": route(p.to_next_grade),
        "oit_ceiling": p.oit_ceiling,
    }


# --- frameworks --------------------------------------------------------------------------------


def frameworks_text(frameworks: Sequence[Framework], lang: Lang = "th", sources: Sequence[str] = ()) -> str:
    say = Say(lang)
    where = list(sources) or [""] * len(frameworks)
    rows = [
        [
            str(f.fiscal_year),
            " / ".join(f"{t.code} {t.weight:g}" for t in f.tools),
            str(len(f.items)),
            str(len(f.questions)),
            _publication_name(say, f),
            f"{f.pass_mark:g}",
            str(len(f.unverified_facts())),
            source,
        ]
        for f, source in zip(frameworks, where, strict=True)
    ]
    headers = [
        say("ปีงบฯ", "FY"),
        say("แบบวัดและน้ำหนัก", "Tools and weights"),
        say("ข้อ OIT", "OIT items"),
        say("ข้อคำถาม", "Questions"),
        say("การประกาศผล", "Published as"),
        say("เกณฑ์ผ่าน", "Pass"),
        say("ยังไม่ยืนยัน", "Unverified"),
        say("ที่มา", "Source"),
    ]
    return render_table(headers, rows, right=(2, 3, 5, 6)) + "\n"


def _publication_name(say: Say, f: Framework) -> str:
    if f.has_grades:
        return say("เกรด AA–F", "grades AA–F")
    if f.has_ratings:
        best, worst = f.ratings[0], f.ratings[-1]
        return say(f"{best.label_th} … {worst.label_th}", f"ratings {best.label_en} … {worst.label_en}")
    return say("ผ่าน/ไม่ผ่าน", "pass/fail")


def framework_text(f: Framework, lang: Lang = "th", source: str = "") -> str:
    say = Say(lang)
    mark = say(" (ยังไม่ยืนยัน)", " (unverified)")

    def flag(obj: Any, field: str) -> str:
        return "" if obj.is_verified(field) else mark

    head = f"{_name(say, f.name_th, f.name_en)}\n{f.period.start} – {f.period.end}\n{f.confidence}"
    if source:
        head += "\n" + say(f"ที่มา: {source}", f"Source: {source}")
    if f.provisional:
        head += "\n" + provisional_line(say, f)
    parts = [head]
    rows = [
        [
            str(i.number),
            _name(say, i.name_th, i.name_en) + (f" [{', '.join(i.aliases_th)}]" if i.aliases_th else ""),
            i.tool,
            f"{i.weight:g}{flag(i, 'weight')}",
        ]
        for i in f.indicators
    ]
    parts.append(
        render_table(
            [say("ที่", "No."), say("ตัวชี้วัด", "Indicator"), say("แบบวัด", "Tool"), say("น้ำหนัก", "Weight")],
            rows,
            right=(0,),
        )
    )
    if f.ratings:
        parts.append(
            say("ระดับผลการประเมิน:", "Ratings:")
            + "\n"
            + "\n".join(f"  {_name(say, r.label_th, r.label_en)}: {_rating_rule(say, r)}" for r in f.ratings)
        )
    for sub in f.oit.sub_indicators:
        lines = [f"{_sub_label(say, sub)}{flag(sub, 'code') if sub.shows_code else ''}"]
        lines += [
            f"  {i.code} {_name(say, i.title_th, i.title_en)} [{i.coverage.value}]{flag(i, 'coverage')}"
            for i in sub.items
        ]
        parts.append("\n".join(lines))
    facts = f.unverified_facts()
    parts.append(
        say(f"ข้อมูลที่ยังไม่ยืนยัน {len(facts)} รายการ:", f"{len(facts)} unverified facts:")
        + "\n"
        + "\n".join(f"  {fact}" for fact in facts)
    )
    return "\n\n".join(parts) + "\n"


def _rating_rule(say: Say, r: RatingBand) -> str:
    mark = "" if not r.unverified else say(" (ยังไม่ยืนยัน)", " (unverified)")
    total = say(f"คะแนนรวมตั้งแต่ {r.min_total:g}", f"total {r.min_total:g} or more")
    if r.min_each_tool is None:
        return total + mark
    return total + say(f" และทุกแบบวัดตั้งแต่ {r.min_each_tool:g}", f" and each tool {r.min_each_tool:g} or more") + mark


def framework_json(f: Framework) -> dict[str, Any]:
    data: dict[str, Any] = f.model_dump(mode="json", by_alias=True)
    data["unverified_facts"] = f.unverified_facts()
    return data


# --- survey ------------------------------------------------------------------------------------


def survey_text(scores: SurveyScores, fiscal_year: int, lang: Lang = "th", thai_digits: bool = False) -> str:
    say = Say(lang, thai_digits)
    headers = [
        say("กลุ่ม", "Group"),
        say("ผู้ตอบ", "Respondents"),
        *[say(f"ตัวชี้วัด {say.digits(str(n))}", f"Ind. {n}") for n in scores.indicator_numbers],
    ]
    rows = [
        [
            group or "-",
            say.digits(str(int(scores.respondents[g]))),
            *["-" if math.isnan(v) else say.num(v) for v in scores.scores[g]],
        ]
        for g, group in enumerate(scores.groups)
    ]
    title = say(
        f"คะแนนรายตัวชี้วัดจากคำตอบ {scores.tool} ปีงบประมาณ {say.digits(str(fiscal_year))}",
        f"{scores.tool} indicator scores from raw answers, FY{fiscal_year}",
    )
    return title + "\n" + render_table(headers, rows, right=tuple(range(1, len(headers)))) + "\n"
