"""The executive's integrity declaration (ประกาศเจตจำนงสุจริตในการบริหารงาน): who declares it, when, and the
commitments, which prongsai drafts from the agency's name when the agency writes none of its own."""

from __future__ import annotations

from prongsai.kit import register_dataset, register_kind
from prongsai.kit.base import Block, ComposeOptions, Dataset, DatasetData, Field, Kind, OfficialDoc, Para
from prongsai.kit.common import EXECUTIVE_FIELDS, digits_of, item_title, signed_doc

__all__ = ["DECLARATION", "default_commitments"]

DECLARATION = register_dataset(
    Dataset(
        code="integrity_declaration",
        title_th="เจตจำนงสุจริตของผู้บริหาร",
        header=(
            *EXECUTIVE_FIELDS,
            Field("announced_on", "วันที่ประกาศ", "date", required=False, help_th="วัน/เดือน/ปี พ.ศ. เช่น 1/10/2569"),
            Field(
                "commitments",
                "ข้อความเจตจำนง",
                "longtext",
                required=False,
                help_th="ข้อละหนึ่งบรรทัด ถ้าไม่กรอก ระบบร่างให้จากชื่อหน่วยงาน",
            ),
        ),
    )
)

TITLE = "ประกาศเจตจำนงสุจริตในการบริหารงาน"


def default_commitments(agency: str) -> list[str]:
    """What an executive commits to, drafted for ``agency``: one whole sentence per commitment."""
    return [
        f"บริหารงาน{agency}ด้วยความซื่อสัตย์สุจริต โปร่งใส เป็นธรรม และตรวจสอบได้ โดยยึดประโยชน์ของประชาชนเป็นสำคัญ",
        f"เปิดเผยข้อมูลข่าวสารของ{agency}ให้ประชาชนเข้าถึงได้อย่างสะดวก ครบถ้วน และเป็นปัจจุบัน",
        "จัดซื้อจัดจ้างอย่างโปร่งใส เปิดโอกาสให้มีการแข่งขันอย่างเป็นธรรม และเผยแพร่ผลการจัดซื้อจัดจ้างทุกเดือน",
        "ไม่รับของขวัญหรือประโยชน์อื่นใดจากการปฏิบัติหน้าที่ (No Gift Policy) และไม่ใช้ทรัพย์สินของราชการเพื่อประโยชน์ส่วนตน",
        "รับฟังความคิดเห็นและเรื่องร้องเรียนของประชาชน และแก้ไขปัญหาอย่างรวดเร็วและเป็นธรรม",
        "ส่งเสริมให้บุคลากรปฏิบัติหน้าที่ตามประมวลจริยธรรม และดำเนินการกับผู้กระทำการทุจริตและประพฤติมิชอบอย่างจริงจัง",
    ]


def compose(data: DatasetData, options: ComposeOptions) -> OfficialDoc:
    d = digits_of(options.thai_digits)
    agency = data.agency_name
    name, position = str(data.header["executive_name"]), str(data.header["executive_position"])
    own = [line.strip() for line in str(data.header.get("commitments") or "").splitlines() if line.strip()]
    commitments = own or default_commitments(agency)
    # The declaration's title says what the year's OIT item calls it (เจตจำนงสุจริตของผู้บริหาร to FY2565).
    item = item_title("integrity_declaration", data.fiscal_year, "")
    title = f"ประกาศ{item}" if item.startswith("เจตจำนงสุจริต") else TITLE
    blocks: list[Block] = [
        Para(
            f"ด้วย{agency}ตระหนักถึงความสำคัญของการบริหารงานด้วยความซื่อสัตย์สุจริต โปร่งใส และตรวจสอบได้"
            " ตามหลักธรรมาภิบาล และเพื่อให้การดำเนินงานสอดคล้องกับยุทธศาสตร์ชาติว่าด้วยการป้องกันและปราบปรามการทุจริต"
            f" ข้าพเจ้า {name} ตำแหน่ง{position.removeprefix('ตำแหน่ง')} จึงขอประกาศเจตจำนงสุจริตในการบริหารงาน"
            f" ประจำปีงบประมาณ พ.ศ. {d(str(data.fiscal_year))} ดังนี้"
        ),
        *(Para(f"{d(str(k))}. {d(line.lstrip('0123456789๐๑๒๓๔๕๖๗๘๙.) '))}") for k, line in enumerate(commitments, 1)),
        Para(f"ทั้งนี้ ข้าพเจ้าจะนำเจตจำนงนี้ไปสู่การปฏิบัติ และขอให้บุคลากรของ{agency}ทุกคนยึดถือเป็นแนวทางในการปฏิบัติหน้าที่"),
        Para("จึงประกาศให้ทราบโดยทั่วกัน"),
    ]
    return signed_doc(
        data, options, blocks, kind_code="integrity_declaration", fallback=TITLE, title=title,
        signer=EXECUTIVE_FIELDS, before="ประกาศ ณ วันที่", on=data.header.get("announced_on"),
    )  # fmt: skip


register_kind(Kind("integrity_declaration", TITLE, "integrity_declaration", compose))
