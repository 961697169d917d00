"""What a document is, from its opening: the thing itself, for the agency, in force (texts written for these
tests, in the shapes real agency documents take)."""

from __future__ import annotations

import pytest

from prongsai.checker.identity import identify, opening, substance
from prongsai.checker.years import stated_span
from prongsai.framework import Framework
from prongsai.frameworks import get_framework

COVER_MEMO = """บันทึกข้อความ
ส่วนราชการ องค์การบริหารส่วนตำบลบ้านนา กองคลัง โทร. ๐ ๔๔๑๒ ๓๔๕๖
ที่ นม ๗๘๙๐๑/๑๒ วันที่ ๕ ตุลาคม ๒๕๖๖
เรื่อง ขออนุมัติเผยแพร่รายงานสรุปผลการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. ๒๕๖๖
เรียน นายกองค์การบริหารส่วนตำบลบ้านนา
ด้วยกองคลังได้จัดทำรายงานสรุปผลการจัดซื้อจัดจ้างและการวิเคราะห์ผล ประจำปีงบประมาณ พ.ศ. ๒๕๖๖
รายละเอียดตามเอกสารที่แนบ
จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบโปรดอนุมัติให้เผยแพร่บนเว็บไซต์ขององค์การบริหารส่วนตำบล
(นางสาวใจดี มีสุข) ผู้อำนวยการกองคลัง"""

REPORTING_MEMO = """บันทึกข้อความ
ส่วนราชการ สำนักปลัด เทศบาลตำบลนาดี
ที่ ๑๒/๒๕๖๗ วันที่ ๒ เมษายน ๒๕๖๗
เรื่อง รายงานผลการดำเนินงานรอบ ๖ เดือน
เรียน นายกเทศมนตรีตำบลนาดี
สำนักปลัดขอรายงานผลการดำเนินงานตามแผน ดังนี้ โครงการที่ดำเนินการแล้ว ๑๒ โครงการ ใช้งบประมาณ ๑.๒ ล้านบาท
จึงเรียนมาเพื่อโปรดทราบ"""

NAMED_FORM = """แบบคำร้องขอรับเงินช่วยเหลือผู้ประสบภัย
เขียนที่ ...............................
วันที่ ........ เดือน ................ พ.ศ. ........
ข้าพเจ้า ............................................ อายุ ........ ปี"""

BLANK_FORM = "\n".join(
    ["ทะเบียนผู้ขอรับบริการ"]
    + [f"{n}. ชื่อ–สกุล ................................ ที่อยู่ ................................" for n in range(1, 10)]
)

UNIT_REPORT = """รายงานผลการดำเนินงาน ประจำปีงบประมาณ ๒๕๖๖
ชื่อหน่วยงาน : งานอุบัติเหตุและฉุกเฉิน โรงพยาบาลชุมชนตัวอย่าง
ผลการดำเนินงานตามตัวชี้วัด โครงการพัฒนาคุณภาพบริการ งบประมาณ ๕๐,๐๐๐ บาท"""

AGENCY_REPORT = """รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖
กลุ่มงานยุทธศาสตร์และแผนงาน
โรงพยาบาลชุมชนตัวอย่าง จังหวัดตัวอย่าง
ผลการดำเนินงานโครงการ ๒๔ โครงการ งบประมาณรวม ๓.๕ ล้านบาท ปัญหาอุปสรรคและข้อเสนอแนะ"""

VISION_SLIDE = """วิสัยทัศน์ เป็นองค์กรสุขภาพชั้นนำ ภายในปี ๒๕๗๐
ประเด็นยุทธศาสตร์ที่ ๑ การพัฒนาระบบบริการ
เป้าประสงค์ ประชาชนสุขภาพดี ตัวชี้วัด ร้อยละ ๘๕ แผนดำเนินงาน ปีงบประมาณ ๒๕๖๗"""

ANNUAL_PLAN = """แผนดำเนินงานประจำปีงบประมาณ พ.ศ. ๒๕๖๗
โครงการฝึกอบรมอาสาสมัคร งบประมาณ ๒๐,๐๐๐ บาท ระยะเวลา ม.ค. – มี.ค. ๒๕๖๗"""


@pytest.fixture(scope="module")
def fy2567() -> Framework:
    return get_framework(2567)


@pytest.mark.parametrize(
    ("text", "pages", "code", "why"),
    [
        (COVER_MEMO, 1, "O19", "cover memo"),  # a report's cover memo, for the report
        (COVER_MEMO * 20, 9, "O19", None),  # the same memo with the report after it: the report is there
        (REPORTING_MEMO, 1, "O13", None),  # a memo that reports (เพื่อโปรดทราบ) asks to approve nothing
        (NAMED_FORM, 1, "O15", "blank form"),
        (BLANK_FORM, 1, "O15", "blank form"),
        (NAMED_FORM, 1, "O13", "blank form"),
        (UNIT_REPORT, 3, "O13", "one unit"),  # a unit's report for the agency's report
        (UNIT_REPORT, 3, "O14", None),  # a unit's document may serve a manual item
        (AGENCY_REPORT, 3, "O13", None),  # a unit named as the author of the agency's report
        (ANNUAL_PLAN, 2, "O11", None),
    ],
)
def test_identify(fy2567: Framework, text: str, pages: int, code: str, why: str | None) -> None:
    finding = identify(text, fy2567.item(code), pages=pages)
    assert (finding is not None) is (why is not None)
    if finding is not None:
        assert why is not None and why in finding.en and finding.th


@pytest.mark.parametrize(
    ("text", "code", "lacking"),
    [
        (VISION_SLIDE, "O11", True),  # a strategy map names no project: not the annual operation plan
        (ANNUAL_PLAN, "O11", False),
        (VISION_SLIDE, "O5", False),  # items that do not ask for projects
    ],
)
def test_substance(fy2567: Framework, text: str, code: str, lacking: bool) -> None:
    assert (substance(text, fy2567.item(code)) is not None) is lacking


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("แผนพัฒนาบุคลากร\nกรมตัวอย่าง\nปีงบประมาณ พ.ศ. ๒๕๕๗ – ๒๕๖๑", range(2557, 2562)),
        ("แผนอัตรากำลัง ๓ ปี\nประจำปีงบประมาณ ๒๕๖๗-๒๕๖๙\nเทศบาลตำบลตัวอย่าง", range(2567, 2570)),
        ("แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 70)", range(2566, 2571)),
        ("นโยบายการบริหารทรัพยากรบุคคล\nประกาศ ณ วันที่ 1 ตุลาคม 2566", None),  # a date, not a span
        ("ข่าวกิจกรรม\nวันที่ 1-3 มีนาคม 2567", None),  # days, not years
        ("โทร 2560-2561", None),  # not on a line that names a plan or a year
    ],
)
def test_stated_span(text: str, span: range | None) -> None:
    assert stated_span(opening(text)) == span


def test_opening_skips_page_numbers_and_rules() -> None:
    assert opening("1\n\n…………\nบันทึกข้อความ\n- 2 -\nเรื่อง ทดสอบ", 2) == ["บันทึกข้อความ", "เรื่อง ทดสอบ"]


MONTHLY_SUMMARY = """แบบ สขร. 1
สรุปผลการดำเนินการจัดซื้อจัดจ้างในรอบเดือน ตุลาคม 2566
เทศบาลตำบลนาดี
1 จัดซื้อวัสดุสำนักงาน 12,500 บาท เฉพาะเจาะจง ร้านนาดีพาณิชย์ 12,500 บาท ราคาต่ำสุด"""


def test_a_numbered_official_form_filled_in_is_no_blank_form(fy2567: Framework) -> None:
    item = next(item for item in fy2567.items if "รายเดือน" in item.title_th or "ความก้าวหน้า" in item.title_th)
    assert identify(MONTHLY_SUMMARY, item, pages=1) is None


@pytest.mark.parametrize(
    ("text", "code", "lapsed"),
    [
        # O23 นโยบายการบริหารทรัพยากรบุคคล is standing: it must still be in force in the year assessed.
        ("นโยบายและแผนพัฒนาบุคลากร\nปีงบประมาณ พ.ศ. ๒๕๖๑ – ๒๕๖๕\nกรมตัวอย่าง", "O23", True),
        ("นโยบายและแผนพัฒนาบุคลากร\nปีงบประมาณ พ.ศ. ๒๕๖๖ – ๒๕๗๐\nกรมตัวอย่าง", "O23", False),
        ("แผนพัฒนาท้องถิ่น (พ.ศ. 2561 - 2565)\nเทศบาลตำบลนาดี", "O4", True),
        # A structure chart citing the manpower plan it follows is not a plan: its span says nothing of it.
        ("แผนภูมิโครงสร้างส่วนราชการ\nตามแผนอัตรากำลัง 3 ปี พ.ศ. 2561 – 2563\nสำนักปลัด กองคลัง", "O1", False),
    ],
)
def test_a_plan_is_in_force_for_the_span_it_states(text: str, code: str, lapsed: bool) -> None:
    from prongsai.checker.verdict import _lapsed

    item = get_framework(2567).item(code)
    assert (_lapsed(text, item, 2567) is not None) is lapsed
