"""Human resources: the agency's HR policy, its criteria (recruiting, appointing, promoting, appraising,
rewarding and punishing) and the year's HR development plan (activities with target group, period, budget,
unit and the result). Two documents:

* ``hr_policy``: the policy, the criteria and the plan of the year;
* ``hr_report``: the results of the plan (published the year after).

The policy and any criterion left empty are drafted from the agency's name, in whole sentences.
"""

from __future__ import annotations

from decimal import Decimal

from prongsai.kit import register_dataset, register_kind
from prongsai.kit.base import (
    Block,
    ComposeOptions,
    Dataset,
    DatasetData,
    Field,
    Heading,
    Kind,
    OfficialDoc,
    Para,
    Table,
)
from prongsai.kit.common import (
    PLAN_SIGNER_FIELDS,
    REPORT_FIELDS,
    Digits,
    baht,
    columns,
    digits_of,
    period_cell,
    period_of,
    problems_and_suggestions,
    signed_doc,
)

__all__ = ["CRITERIA", "HR"]

# (field, heading, the default sentence for an agency): the five criteria the OIT item asks for.
CRITERIA = (
    ("recruit", "การสรรหาคนดีคนเก่ง",
     "สรรหาและคัดเลือกบุคลากรด้วยความโปร่งใส เป็นธรรม และตรวจสอบได้ ตามหลักเกณฑ์ที่กฎหมายและระเบียบกำหนด"
     " โดยประกาศรับสมัครและผลการคัดเลือกให้ประชาชนทราบทั่วกัน"),
    ("appoint", "การแต่งตั้งและโยกย้าย",
     "แต่งตั้งและโยกย้ายบุคลากรโดยพิจารณาจากความรู้ ความสามารถ ประสบการณ์ และความเหมาะสมกับตำแหน่ง ตามระบบคุณธรรม"),
    ("promote", "การพัฒนาและความก้าวหน้า",
     "พัฒนาความรู้และทักษะของบุคลากรอย่างต่อเนื่องตามแผนพัฒนาบุคลากร และส่งเสริมความก้าวหน้าในสายอาชีพอย่างเป็นธรรม"),
    ("appraise", "การประเมินผลการปฏิบัติงาน",
     "ประเมินผลการปฏิบัติงานปีละ 2 ครั้ง ด้วยตัวชี้วัดที่ชัดเจน แจ้งผลการประเมินให้ผู้รับการประเมินทราบ"
     " และนำผลไปใช้ในการพัฒนาและการพิจารณาความดีความชอบ"),
    ("reward", "การให้คุณให้โทษและการสร้างขวัญกำลังใจ",
     "ยกย่องเชิดชูเกียรติบุคลากรที่ปฏิบัติงานดีและประพฤติตนเป็นแบบอย่าง และดำเนินการทางวินัยกับผู้กระทำผิดอย่างเป็นธรรมและรวดเร็ว"),
)  # fmt: skip

HR = register_dataset(
    Dataset(
        code="hr",
        title_th="การบริหารและพัฒนาทรัพยากรบุคคล",
        row_name_th="กิจกรรม",
        header=(
            Field("policy", "นโยบายการบริหารทรัพยากรบุคคล", "longtext", required=False,
                  help_th="ถ้าไม่กรอก ระบบร่างให้จากชื่อหน่วยงาน"),
            *(Field(name, f"หลักเกณฑ์{label}", "longtext", required=False, help_th="ถ้าไม่กรอก ระบบร่างให้")
              for name, label, _default in CRITERIA),
            *PLAN_SIGNER_FIELDS,
            Field("announced_on", "วันที่ประกาศ", "date", required=False, help_th="วัน/เดือน/ปี พ.ศ."),
            *REPORT_FIELDS,
        ),
        rows=(
            Field("activity", "โครงการ/กิจกรรม", help_th="เช่น อบรมพัฒนาทักษะการใช้คอมพิวเตอร์"),
            Field("target", "กลุ่มเป้าหมาย", help_th="เช่น พนักงานส่วนตำบล 20 คน"),
            Field("start", "เริ่ม", "date", required=False, help_th="วัน/เดือน/ปี พ.ศ."),
            Field("end", "สิ้นสุด", "date", required=False, help_th="วัน/เดือน/ปี พ.ศ."),
            Field("budget", "งบประมาณ (บาท)", "money", required=False),
            Field("unit", "ผู้รับผิดชอบ", help_th="เช่น สำนักปลัด"),
            Field("result", "ผลการดำเนินการ", "longtext", required=False, help_th="ใช้ในรายงานผล"),
        ),
    )
)  # fmt: skip

POLICY_TITLE = "นโยบายการบริหารทรัพยากรบุคคล"
REPORT_TITLE = "รายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี"
PLAN_WIDTHS = (1.0, 4.6, 3.4, 2.2, 2.5, 2.3)  # portrait: sums to 16.0 cm
REPORT_WIDTHS = (1.0, 5.0, 4.0, 2.6, 7.6, 4.5)  # landscape: sums to 24.7 cm


def default_policy(agency: str) -> str:
    return (
        f"{agency}มุ่งบริหารทรัพยากรบุคคลตามหลักคุณธรรม ความรู้ความสามารถ และความโปร่งใส"
        " เพื่อให้บุคลากรมีความรู้ ทักษะ และทัศนคติที่ดี ปฏิบัติหน้าที่ด้วยความซื่อสัตย์สุจริต"
        " และให้บริการประชาชนได้อย่างมีประสิทธิภาพ"
    )


def _plan_rows(data: DatasetData, d: Digits) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            d(str(k)),
            d(r["activity"]),
            d(r["target"]),
            period_cell(period_of(r, data.fiscal_year), d),
            baht(r["budget"], d) if r["budget"] else "-",
            r["unit"],
        )
        for k, r in enumerate(data.rows, start=1)
    )


def compose_policy(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    agency = data.agency_name
    policy = str(data.header.get("policy") or "").strip() or default_policy(agency)
    total = sum((r["budget"] or Decimal(0) for r in data.rows), Decimal(0))
    blocks: list[Block] = [Heading(d("1. นโยบายการบริหารทรัพยากรบุคคล")), Para(d(policy))]
    blocks.append(Heading(d("2. หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล")))
    for k, (name, label, default) in enumerate(CRITERIA, start=1):
        text = str(data.header.get(name) or "").strip() or f"{agency}{default}"
        blocks.append(Para(f"{d(f'2.{k}')} {label}: {d(text)}"))
    blocks += [
        Heading(d(f"3. แผนการบริหารและพัฒนาทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. {data.fiscal_year}")),
        Para(
            f"{agency}กำหนดโครงการและกิจกรรมเพื่อพัฒนาบุคลากรในปีงบประมาณ พ.ศ. {year}"
            f" จำนวน {d(str(len(data.rows)))} กิจกรรม งบประมาณรวม {baht(total, d)} บาท ดังนี้"
        ),
        Table(
            columns=columns(
                PLAN_WIDTHS,
                ("ที่", "center"),
                "โครงการ/กิจกรรม",
                "กลุ่มเป้าหมาย",
                ("ระยะเวลา", "center"),
                ("งบประมาณ (บาท)", "right"),
                ("ผู้รับผิดชอบ", "center"),
            ),
            rows=_plan_rows(data, d),
            total=("", "รวม", "", "", baht(total, d), ""),
        ),
    ]
    return signed_doc(
        data, options, blocks, kind_code="hr_policy", fallback=POLICY_TITLE, before="ประกาศ ณ วันที่",
        on=data.header.get("announced_on"),
    )  # fmt: skip


def compose_report(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    done = [r for r in data.rows if str(r["result"] or "").strip()]
    blocks: list[Block] = [
        Para(
            f"{data.agency_name}ได้ดำเนินการตามแผนการบริหารและพัฒนาทรัพยากรบุคคล ประจำปีงบประมาณ พ.ศ. {year}"
            f" โดยมีกิจกรรมตามแผน {d(str(len(data.rows)))} กิจกรรม รายงานผลแล้ว {d(str(len(done)))} กิจกรรม ดังนี้"
        ),
        Table(
            columns=columns(
                REPORT_WIDTHS,
                ("ที่", "center"),
                "โครงการ/กิจกรรม",
                "กลุ่มเป้าหมาย",
                ("งบประมาณ (บาท)", "right"),
                "ผลการดำเนินการ",
                ("ผู้รับผิดชอบ", "center"),
            ),
            rows=tuple(
                (
                    d(str(k)),
                    d(r["activity"]),
                    d(r["target"]),
                    baht(r["budget"], d) if r["budget"] else "-",
                    d(str(r["result"] or "").strip()) or "ยังไม่ได้รายงานผล",
                    r["unit"],
                )
                for k, r in enumerate(data.rows, start=1)
            ),
        ),
        *problems_and_suggestions(
            data,
            d,
            problems="",
            suggestion=(
                "นำผลการดำเนินการไปปรับปรุงแผนการบริหารและพัฒนาทรัพยากรบุคคล"
                f" ประจำปีงบประมาณ พ.ศ. {d(str(data.fiscal_year + 1))}"
            ),
        ),
    ]
    return signed_doc(
        data, options, blocks, kind_code="hr_report", fallback=REPORT_TITLE, date_label="วันที่", landscape=True
    )


register_kind(Kind("hr_policy", POLICY_TITLE, "hr", compose_policy))
register_kind(Kind("hr_report", REPORT_TITLE, "hr", compose_report, period="previous_year"))
