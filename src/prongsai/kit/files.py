"""The CLI's file for a kit dataset: YAML, read through the one bounded reader (prongsai.inputfiles)::

    dataset: risk_register          # which dataset (prongsai kit blank DATASET prints a file to fill)
    fiscal_year: 2570               # B.E.
    agency: องค์การบริหารส่วนตำบลทรงคนอง
    reviewed: false                 # true once a person has checked it: until then every document says ร่าง
    header: {signer_name: ..., ...}
    rows:                           # or  rows_file: risks.xlsx  (CSV/XLSX beside this file, headed by the labels)
      - {process: ..., event: ..., likelihood: 4, ...}

Keys of header and rows are the field names or their Thai labels. Errors name the row and field in Thai.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from prongsai.errors import InputError
from prongsai.inputfiles import load_yaml, yaml_problem_th
from prongsai.kit import DATASETS, dataset, load_kinds
from prongsai.kit.base import DatasetData, Field
from prongsai.kit.validate import parse_dataset, rows_from_table
from prongsai.thai import to_arabic_digits

__all__ = ["MAX_FILE_BYTES", "blank_file", "load_dataset_file"]

MAX_FILE_BYTES = 2 * 1024 * 1024  # a year's register is a few dozen kB
TOP_KEYS = ("dataset", "fiscal_year", "agency", "reviewed", "header", "rows", "rows_file")


def _year(value: Any, source: str) -> int:
    text = to_arabic_digits(str(value or "")).strip()
    if not text.isdigit():
        raise InputError(source, f"fiscal_year ต้องเป็นปีงบประมาณ พ.ศ. เช่น 2570 (พิมพ์ไว้ “{value}”)", field="fiscal_year")
    return int(text)


def load_dataset_file(path: Path) -> DatasetData:
    """The dataset a YAML file holds, validated; its rows from ``rows_file`` (CSV/XLSX beside it) when given."""
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"เปิดไฟล์ไม่ได้ ตรวจว่าไฟล์ยังอยู่และอ่านได้ ({exc.strerror})") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(source, "ไฟล์ใหญ่เกิน 2 MB ซึ่งชุดข้อมูลหนึ่งปีไม่ควรใหญ่ขนาดนี้")
    try:
        document = load_yaml(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(source, "บันทึกไฟล์เป็นข้อความ UTF-8") from None
    except yaml.YAMLError as exc:
        raise InputError(source, yaml_problem_th(exc)) from None
    if not isinstance(document, dict):
        raise InputError(source, "ไฟล์ต้องเป็นชุดของช่อง dataset, fiscal_year, agency, header และ rows")
    unknown = sorted(str(k) for k in document if k not in TOP_KEYS)
    if unknown:
        raise InputError(source, f"ไม่รู้จักช่อง {', '.join(unknown)} (ใช้ได้: {', '.join(TOP_KEYS)})")
    load_kinds()
    code = str(document.get("dataset") or "")
    if code not in DATASETS:
        raise InputError(source, f"dataset ต้องเป็นชุดข้อมูลที่รู้จัก: {', '.join(sorted(DATASETS))}", field="dataset")
    mapping: dict[str, Any] = {"header": document.get("header") or {}, "rows": document.get("rows") or []}
    first_row = 1
    if document.get("rows_file"):
        if document.get("rows"):
            raise InputError(source, "ใส่ rows หรือ rows_file อย่างใดอย่างหนึ่ง ไม่ใช่ทั้งสองอย่าง")
        table = path.parent / str(document["rows_file"])
        if table.resolve().parent != path.parent.resolve():
            raise InputError(source, "rows_file ต้องเป็นชื่อไฟล์ที่อยู่ในโฟลเดอร์เดียวกับไฟล์นี้", field="rows_file")
        mapping["rows"] = rows_from_table(code, table)
        source, first_row = table.name, 2
    return parse_dataset(
        code,
        mapping,
        fiscal_year=_year(document.get("fiscal_year"), path.name),
        agency_name=str(document.get("agency") or ""),
        reviewed=document.get("reviewed") is True,
        source=source,
        first_row=first_row,
    )


_EXAMPLES = {
    "text": "…",
    "longtext": "|\n      …",
    "date": "1/10/2569",
    "month": "ต.ค. 2569",
    "int": "0",
    "money": "0.00",
    "score": "3",
}


def _line(field: Field, indent: str) -> list[str]:
    need = "ต้องกรอก" if field.required else "ไม่บังคับ"
    help_th = f": {field.help_th}" if field.help_th else ""
    comment = f"{indent}# {field.label_th} ({need}){help_th}"
    if field.type == "choice":
        comment += f" — เลือก {' / '.join(field.choices)}"
        value = field.choices[0] if field.choices else ""
    elif field.type == "updates":
        return [
            comment + " — รายการผลการดำเนินการตามวันที่",
            f"{indent}{field.name}:",
            f"{indent}  - {{date: 31/03/2569, progress: 50, text: …, spent: 0}}",
        ]
    else:
        value = _EXAMPLES[field.type]
    return [comment, f"{indent}{field.name}: {value}"]


def blank_file(code: str) -> str:
    """A commented file to fill for dataset ``code``: every field with its Thai label and what to write."""
    try:
        spec = dataset(code)
    except KeyError:
        load_kinds()
        raise InputError("", f"ไม่รู้จักชุดข้อมูล “{code}” ชุดข้อมูลที่มี: {', '.join(sorted(DATASETS))}") from None
    lines = [
        f"# {spec.title_th}: กรอกแล้วใช้  prongsai kit make ไฟล์นี้ --kind ชนิดเอกสาร -o เอกสาร.docx",
        "# วันที่เป็น วัน/เดือน/ปี พ.ศ. (1/10/2569 หรือ 1 ต.ค. 2569) เลขไทยก็ได้; ลบช่องที่ไม่บังคับและไม่ใช้ได้",
        f"dataset: {spec.code}",
        "fiscal_year: 2570   # ปีงบประมาณ พ.ศ.",
        "agency: องค์การบริหารส่วนตำบล…   # ชื่อหน่วยงานเต็ม",
        "reviewed: false     # เปลี่ยนเป็น true เมื่อตรวจทานแล้ว (ถึงตอนนั้นเอกสารมีคำว่า ร่าง)",
    ]
    if spec.header:
        lines.append("header:")
        for field in spec.header:
            lines += _line(field, "  ")
    if spec.rows:
        lines += [
            f"# {spec.row_name_th}ละหนึ่งรายการ (คัดลอกรายการแรกแล้วแก้) หรือแทน rows ด้วย rows_file: ชื่อไฟล์.xlsx",
            "# (ไฟล์ CSV/XLSX ในโฟลเดอร์เดียวกัน แถวแรกเป็นชื่อช่องตามที่เขียนไว้หลัง # ด้านล่าง)",
            "rows:",
        ]
        first = True
        for field in spec.rows:
            entry = _line(field, "    ")
            if first:
                entry[1] = "  - " + entry[1].lstrip()
                first = False
            lines += entry
    return "\n".join(lines) + "\n"
