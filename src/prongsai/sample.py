"""The minimum number of answers a practice IIT/EIT survey needs, with where that number comes from.

NACC's own minimums were not found (shared/ita/REPORT.md §4): ITAS computes the IIT minimum itself from
the number of staff with at least one year of service, and shows the agency only the result. So a
framework file may state a minimum (``sample_size.iit_minimum`` / ``eit_minimum``); when it does not, the
rule below is a documented assumption and every ``SampleRule`` says so (``verified=False``, ``basis_*``),
so the web app never presents our guess as NACC's figure.

* EIT: the OVEC 2021 ITA manual's rule, as REPORT.md §4 words it: "EIT at ≥ 10% of stakeholders, at least
  30 (all of them if fewer than 30) and 400 if there are more than 4,000". 10% is rounded up, since a
  minimum of 29.9 people means 30.
* IIT: no rule is known. We assume the same shape with the OBEC school version's floor ("IIT at ≥ 25"):
  10% of staff rounded up, at least 25 (all of them if fewer than 25), and 400 if more than 4,000. The
  400 ceiling is borrowed from the EIT rule (it is also Yamane's n for a large population at ±5%), so a
  big department is not asked for thousands of practice answers. The population to enter is the staff
  with at least one year of service, which is what ITAS counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from prongsai.errors import InputError
from prongsai.framework import Framework
from prongsai.thai import to_thai_digits

__all__ = ["SURVEY_TOOLS", "SampleRule", "SurveyTool", "minimum_sample", "progress"]

SurveyTool = Literal["IIT", "EIT"]
SURVEY_TOOLS: tuple[SurveyTool, ...] = ("IIT", "EIT")

PERCENT = 10  # both assumed rules ask for 10% of the population
LARGE_POPULATION, LARGE_MINIMUM = 4000, 400  # "400 if there are more than 4,000"
FLOORS: dict[SurveyTool, int] = {"IIT": 25, "EIT": 30}  # OBEC "IIT at ≥ 25"; OVEC "EIT … at least 30"

REPORT = "shared/ita/REPORT.md §4"
OVEC_SOURCE = "OVEC ITA 2021 manual p.46 (https://spvc.ac.th/MU-ITA2021/files/basic-html/page46.html)"
SOURCES: dict[SurveyTool, str] = {
    "EIT": f"Assumed, variant framework (not NACC): {OVEC_SOURCE}; {REPORT}",
    "IIT": f"Assumed (ITAS computes the real minimum): OBEC school ITA Online 2020 (IIT ≥ 25), ceiling from the "
    f"{OVEC_SOURCE}; {REPORT}",
}

RULES_TH: dict[SurveyTool, str] = {
    "EIT": "เป็นเกณฑ์ที่สมมติตามคู่มือ ITA ปี ๒๕๖๔ ของสำนักงานคณะกรรมการการอาชีวศึกษา (สอศ.) ไม่ใช่เกณฑ์ของสำนักงาน ป.ป.ช.: "
    "ร้อยละ ๑๐ ของผู้มีส่วนได้ส่วนเสียภายนอก อย่างน้อย ๓๐ คน (ทุกคนหากมีน้อยกว่า ๓๐ คน) และ ๔๐๐ คนหากมีมากกว่า ๔,๐๐๐ คน",
    "IIT": "เป็นเกณฑ์ที่สมมติ เพราะระบบ ITAS ของสำนักงาน ป.ป.ช. คำนวณจำนวนขั้นต่ำจริงเองจากจำนวนบุคลากรที่ปฏิบัติงานมาไม่น้อยกว่า ๑ ปี: "
    "ร้อยละ ๑๐ ของบุคลากร อย่างน้อย ๒๕ คนตามเกณฑ์ ITA ของโรงเรียนในสังกัด สพฐ. (ทุกคนหากมีน้อยกว่า ๒๕ คน) "
    "และ ๔๐๐ คนหากมีมากกว่า ๔,๐๐๐ คนเช่นเดียวกับเกณฑ์ EIT ของ สอศ. โดยนับเฉพาะบุคลากรที่ปฏิบัติงานมาไม่น้อยกว่า ๑ ปี",
}
RULES_EN: dict[SurveyTool, str] = {
    "EIT": "Assumed from the OVEC 2021 ITA manual (a variant framework, not NACC's rule): 10% of external "
    "stakeholders, at least 30 (all of them if fewer than 30), and 400 if there are more than 4,000",
    "IIT": "Assumed: NACC's ITAS computes the real minimum from the staff with at least 1 year of service. Here: "
    "10% of staff, at least 25 as in OBEC's school ITA (all of them if fewer than 25), and 400 if there are more "
    "than 4,000 as in OVEC's EIT rule; count only staff with at least 1 year of service",
}
PEOPLE_TH: dict[SurveyTool, str] = {"IIT": "บุคลากร", "EIT": "ผู้มีส่วนได้ส่วนเสียภายนอก"}
PEOPLE_EN: dict[SurveyTool, str] = {"IIT": "staff", "EIT": "external stakeholders"}


@dataclass(frozen=True)
class SampleRule:
    """The minimum for one tool and population, and an honest account of the rule behind it."""

    tool: str  # "IIT" or "EIT"
    minimum: int  # answers needed for this population
    population: int
    basis_th: str  # the rule used and how it applies to this population, in Thai (Thai digits)
    basis_en: str
    verified: bool  # False when the rule is assumed (a variant framework's rule, not NACC's)
    source: str  # where the rule comes from


def minimum_sample(framework: Framework, tool: str, population: int) -> SampleRule:
    """The minimum sample of ``tool`` for ``population`` people: the framework's figure, else the assumed rule."""
    code = _check(tool, population)
    stated = framework.sample_size.iit_minimum if code == "IIT" else framework.sample_size.eit_minimum
    if stated is not None:
        return _stated_rule(framework, code, population, stated)
    return _assumed_rule(code, population)


def progress(rule: SampleRule, answers: int) -> float:
    """Answers so far as a percentage of the minimum, 0–100 (more answers than needed still show 100)."""
    if rule.minimum <= 0:
        return 100.0
    return min(100.0, max(0.0, 100.0 * answers / rule.minimum))


def _check(tool: str, population: int) -> SurveyTool:
    # bool is an int in Python: True would otherwise pass as a population of 1.
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise InputError(
            "",
            f"จำนวนผู้มีส่วนได้ส่วนเสียต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป ไม่ใช่ {population!r} "
            "(population must be a whole number of at least 1)",
            field="population",
        )
    for code in SURVEY_TOOLS:
        if tool == code:
            return code
    raise InputError("", f"แบบวัดต้องเป็น IIT หรือ EIT ไม่ใช่ {tool!r} (tool must be IIT or EIT)", field="tool")


def _assumed_minimum(code: SurveyTool, population: int) -> int:
    floor = FLOORS[code]
    if population < floor:
        return population  # "all of them if fewer than …"
    if population > LARGE_POPULATION:
        return LARGE_MINIMUM
    return max(floor, -(-population * PERCENT // 100))  # 10% rounded up, in integers (no float noise)


def _assumed_rule(code: SurveyTool, population: int) -> SampleRule:
    minimum = _assumed_minimum(code, population)
    return SampleRule(
        tool=code,
        minimum=minimum,
        population=population,
        basis_th=f"{RULES_TH[code]} — {_applied_th(code, population, minimum)}",
        basis_en=f"{RULES_EN[code]}. {_applied_en(code, population, minimum)}",
        verified=False,
        source=SOURCES[code],
    )


def _stated_rule(framework: Framework, code: SurveyTool, population: int, stated: int) -> SampleRule:
    field = f"{code.lower()}_minimum"
    verified = framework.sample_size.is_verified(field)
    # Nobody can collect more answers than there are people: a small agency surveys everyone.
    minimum = min(stated, population)
    year = framework.fiscal_year
    caveat_th = "" if verified else " (ตัวเลขนี้ยังไม่ได้ยืนยันกับแหล่งที่มา)"
    caveat_en = "" if verified else " (not verified against a source)"
    return SampleRule(
        tool=code,
        minimum=minimum,
        population=population,
        basis_th=f"ตามกรอบการประเมินปีงบประมาณ พ.ศ. {_th(year, sep=False)}: อย่างน้อย {_th(stated)} คน{caveat_th} — "
        f"{_applied_th(code, population, minimum)}",
        basis_en=f"The FY{year} framework sets at least {stated:,}{caveat_en}. "
        f"{_applied_en(code, population, minimum)}",
        verified=verified,
        source=f"frameworks/fy{year}.yaml sample_size.{field}",
    )


def _applied_th(code: SurveyTool, population: int, minimum: int) -> str:
    if minimum == population:
        return f"{PEOPLE_TH[code]} {_th(population)} คน ต้องตอบทุกคน"
    return f"{PEOPLE_TH[code]} {_th(population)} คน ต้องตอบอย่างน้อย {_th(minimum)} คน"


def _applied_en(code: SurveyTool, population: int, minimum: int) -> str:
    if minimum == population:
        return f"With {population:,} {PEOPLE_EN[code]}, all of them must answer."
    return f"With {population:,} {PEOPLE_EN[code]}, at least {minimum:,} must answer."


def _th(number: int, *, sep: bool = True) -> str:
    return to_thai_digits(f"{number:,}" if sep else str(number))
