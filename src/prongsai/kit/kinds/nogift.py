"""No Gift Policy: the executive's announcement, the activities that build the culture and the knowledge of the
rules on accepting gifts, and the log of gifts staff reported having received (date, who gave, what, its value,
what was done with it). Two documents:

* ``no_gift``: the announcement (drafted from the agency's name when the agency writes none) and the activities;
* ``no_gift_report``: the report on gifts received under the rules (published the year after); a year with
  none reported says so in a whole sentence.
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
from prongsai.kit.common import EXECUTIVE_FIELDS, baht, columns, digits_of, signed_doc
from prongsai.thai import thai_date

__all__ = ["NO_GIFT", "default_announcement"]

NO_GIFT = register_dataset(
    Dataset(
        code="no_gift",
        title_th="นโยบายไม่รับของขวัญและของกำนัล (No Gift Policy)",
        row_name_th="การรับทรัพย์สิน",
        header=(
            *EXECUTIVE_FIELDS,
            Field("announced_on", "วันที่ประกาศ", "date", required=False, help_th="วัน/เดือน/ปี พ.ศ."),
            Field("announcement", "ข้อความประกาศ", "longtext", required=False,
                  help_th="ถ้าไม่กรอก ระบบร่างให้จากชื่อหน่วยงาน"),
            Field("activities", "กิจกรรมเสริมสร้างวัฒนธรรมและความรู้", "longtext", required=False,
                  help_th="กิจกรรมละหนึ่งบรรทัด เช่น 15/11/2569 ประชุมชี้แจงหลักเกณฑ์การรับทรัพย์สินแก่บุคลากร"),
        ),
        rows=(
            Field("date", "วันที่รับ", "date", help_th="วัน/เดือน/ปี พ.ศ."),
            Field("giver", "ผู้ให้", help_th="ประเภทผู้ให้ เช่น ญาติ ผู้รับบริการ บริษัทเอกชน (ไม่ต้องระบุชื่อบุคคล)"),
            Field("item", "ทรัพย์สินหรือประโยชน์ที่ได้รับ"),
            Field("value", "มูลค่าโดยประมาณ (บาท)", "money"),
            Field("action", "การดำเนินการ", help_th="เช่น รายงานผู้บังคับบัญชาและส่งคืนผู้ให้"),
        ),
    )
)  # fmt: skip

ANNOUNCE_TITLE = "ประกาศเจตนารมณ์นโยบาย No Gift Policy จากการปฏิบัติหน้าที่"
REPORT_TITLE = "รายงานการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา"
REPORT_WIDTHS = (1.0, 2.6, 2.6, 3.4, 2.2, 4.2)  # portrait: sums to 16.0 cm


def default_announcement(agency: str) -> list[str]:
    return [
        f"{agency}มีเจตนารมณ์ในการบริหารงานด้วยความซื่อสัตย์สุจริต โปร่งใส และตรวจสอบได้"
        " จึงประกาศนโยบายไม่รับของขวัญและของกำนัลทุกชนิดจากการปฏิบัติหน้าที่ (No Gift Policy) ดังนี้",
        f"1. ผู้บริหารและบุคลากรของ{agency}ทุกคนจะไม่รับและไม่ให้ของขวัญ ของกำนัล"
        " หรือประโยชน์อื่นใดจากการปฏิบัติหน้าที่ ทั้งในเทศกาลและโอกาสอื่น",
        "2. บุคลากรที่จำเป็นต้องรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา ให้ปฏิบัติตามประกาศคณะกรรมการป้องกันและปราบปราม"
        "การทุจริตแห่งชาติ เรื่อง หลักเกณฑ์การรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยาของเจ้าพนักงานของรัฐ"
        " และรายงานต่อผู้บังคับบัญชาทุกครั้ง",
        "3. ผู้บังคับบัญชาทุกระดับต้องเป็นแบบอย่างที่ดี และกำกับดูแลให้บุคลากรปฏิบัติตามนโยบายนี้อย่างเคร่งครัด",
    ]


def compose_announcement(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    agency = data.agency_name
    own = [line.strip() for line in str(data.header.get("announcement") or "").splitlines() if line.strip()]
    activities = [line.strip() for line in str(data.header.get("activities") or "").splitlines() if line.strip()]
    blocks: list[Block] = [Heading(f"ประกาศ{agency}"), Heading(f"เรื่อง {ANNOUNCE_TITLE}", level=2)]
    blocks += [Para(d(line)) for line in own or default_announcement(agency)]
    blocks.append(Para("จึงประกาศให้ทราบโดยทั่วกัน"))
    # the announcement is signed; what the agency does to keep it follows the signature
    after: list[Block] = [Heading("การสร้างวัฒนธรรมและการเสริมสร้างความรู้ตามนโยบาย No Gift Policy")]
    if activities:
        after.append(
            Para(
                f"ในปีงบประมาณ พ.ศ. {d(str(data.fiscal_year))} {agency}ได้ดำเนินกิจกรรมเพื่อสร้างวัฒนธรรม No Gift Policy"
                " และเสริมสร้างความรู้เกี่ยวกับหลักเกณฑ์การรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา ดังนี้"
            )
        )
        after += [Para(f"{d(str(k))}. {d(line)}") for k, line in enumerate(activities, start=1)]
    else:
        after.append(
            Para(
                f"{agency}จะเผยแพร่ประกาศนี้ทางเว็บไซต์และที่ทำการ และชี้แจงหลักเกณฑ์การรับทรัพย์สินหรือประโยชน์อื่นใด"
                f"โดยธรรมจรรยาแก่บุคลากรทุกคนในปีงบประมาณ พ.ศ. {d(str(data.fiscal_year))}"
            )
        )
    return signed_doc(
        data, options, blocks, kind_code="no_gift", fallback=ANNOUNCE_TITLE, signer=EXECUTIVE_FIELDS,
        before="ประกาศ ณ วันที่", on=data.header.get("announced_on"), after=after,
    )  # fmt: skip


def compose_report(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    year = d(str(data.fiscal_year))
    agency = data.agency_name
    blocks: list[Block]
    if not data.rows:
        blocks = [
            Para(
                f"ในปีงบประมาณ พ.ศ. {year} ผู้บริหารและบุคลากรของ{agency}ไม่มีการรับทรัพย์สินหรือประโยชน์อื่นใด"
                " จากการปฏิบัติหน้าที่ และไม่มีผู้รายงานการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา"
            )
        ]
    else:
        total = sum((r["value"] for r in data.rows), Decimal(0))
        blocks = [
            Para(
                f"ในปีงบประมาณ พ.ศ. {year} บุคลากรของ{agency}รายงานการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา"
                f" {d(str(len(data.rows)))} รายการ มูลค่ารวมโดยประมาณ {baht(total, d)} บาท ดังนี้"
            ),
            Table(
                columns=columns(
                    REPORT_WIDTHS,
                    ("ที่", "center"),
                    ("วันที่รับ", "center"),
                    "ผู้ให้",
                    "ทรัพย์สินหรือประโยชน์",
                    ("มูลค่า (บาท)", "right"),
                    "การดำเนินการ",
                ),
                rows=tuple(
                    (
                        d(str(k)),
                        thai_date(r["date"], thai_digits=options.thai_digits, style="short"),
                        d(r["giver"]),
                        d(r["item"]),
                        baht(r["value"], d),
                        d(r["action"]),
                    )
                    for k, r in enumerate(sorted(data.rows, key=lambda r: r["date"]), start=1)
                ),
                total=("", "", "", "รวม", baht(total, d), ""),
            ),
        ]
    return signed_doc(
        data,
        options,
        blocks,
        kind_code="no_gift_report",
        fallback=REPORT_TITLE,
        signer=EXECUTIVE_FIELDS,
        date_label="วันที่",
    )


register_kind(Kind("no_gift", ANNOUNCE_TITLE, "no_gift", compose_announcement))
register_kind(Kind("no_gift_report", REPORT_TITLE, "no_gift", compose_report, period="previous_year"))
