"""``prongsai kit``: the document kit from the command line (a thin click layer over prongsai.kit).

    prongsai kit kinds [--year 2570]              the documents, the dataset each is made from, the item it answers
    prongsai kit blank risk_register > risks.yaml a commented file to fill
    prongsai kit make risks.yaml --kind risk_assessment -o risks.docx   (or .pdf; --pdf with a .docx name: both)

The kinds' modules, python-docx and LibreOffice are loaded only when a kit command runs, so that every other
``prongsai`` command starts as fast as before. Bad input is one Thai line on stderr and exit code 2
(prongsai._cli.fail_cleanly), never a traceback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from prongsai._cli import FILE, fail_cleanly
from prongsai.errors import InputError
from prongsai.kit import DATASETS, KINDS, dataset_year, item_for, load_kinds, make
from prongsai.kit.base import ComposeOptions
from prongsai.thai import fiscal_year_of, to_thai_digits

__all__ = ["kit"]


@click.group("kit")
def kit() -> None:
    """ชุดเอกสาร: ร่างเอกสาร OIT ที่หน่วยงานจัดทำเอง (the document kit)."""


@kit.command("kinds")
@click.option("--year", type=int, help="ปีงบประมาณ พ.ศ. ที่เผยแพร่ (default: the current fiscal year).")
@fail_cleanly
def kinds(year: int | None) -> None:
    """แสดงชนิดเอกสาร ชุดข้อมูลที่ใช้ และข้อ OIT ที่เอกสารตอบในปีนั้น (the kinds and their items)."""
    load_kinds()
    year = year or fiscal_year_of(dt.date.today())
    click.echo(f"ชนิดเอกสารของชุดเอกสาร และข้อ OIT ปีงบประมาณ พ.ศ. {to_thai_digits(str(year))}")
    for code, spec in sorted(KINDS.items()):
        item = item_for(code, year)
        answers = f"ข้อ {item.code} {item.title_th}" if item else "ไม่ตรงกับข้อใดในปีนี้"
        made_from = f"{DATASETS[spec.dataset].title_th} ปี {to_thai_digits(str(dataset_year(spec, year)))}"
        click.echo(f"{code}\t{spec.title_th}\t(ทำจาก{made_from})\t{answers}")


@kit.command("blank")
@click.argument("dataset")
@fail_cleanly
def blank(dataset: str) -> None:
    """พิมพ์ไฟล์ YAML เปล่าพร้อมคำอธิบายสำหรับกรอกชุดข้อมูล DATASET (a file to fill)."""
    from prongsai.kit.files import blank_file

    click.echo(blank_file(dataset), nl=False)


@kit.command("make")
@click.argument("file", type=FILE)
@click.option("--kind", "kind_code", required=True, help="ชนิดเอกสาร (ดู prongsai kit kinds)")
@click.option("--month", type=click.IntRange(1, 12), help="เดือน (1–12) สำหรับเอกสารรายเดือน")
@click.option("--pdf", "with_pdf", is_flag=True, help="ทำ PDF ด้วย (ชื่อเดียวกับ DOCX)")
@click.option("--arabic-digits", is_flag=True, help="ใช้เลขอารบิกแทนเลขไทย")
@click.option("-o", "--out", type=FILE, required=True, help="ไฟล์ผลลัพธ์ .docx หรือ .pdf")
@fail_cleanly
def make_command(file: Path, kind_code: str, month: int | None, with_pdf: bool, arabic_digits: bool, out: Path) -> None:
    """ทำเอกสาร KIND จากไฟล์ชุดข้อมูล FILE (make a document from a dataset file)."""
    from prongsai.kit.files import load_dataset_file
    from prongsai.kit.render import docx_bytes, pdf_bytes

    if out.suffix.lower() not in (".docx", ".pdf"):
        raise InputError(str(out), "ชื่อไฟล์ผลลัพธ์ต้องลงท้ายด้วย .docx หรือ .pdf")
    data = load_dataset_file(file)
    doc = make(kind_code, data, ComposeOptions(thai_digits=not arabic_digits, month=month))
    written = []
    if out.suffix.lower() == ".docx":
        out.write_bytes(docx_bytes(doc))
        written.append(out)
    if out.suffix.lower() == ".pdf" or with_pdf:
        pdf = out.with_suffix(".pdf")
        pdf.write_bytes(pdf_bytes(doc))
        written.append(pdf)
    draft = " (ร่าง: ยังไม่ได้ตรวจทาน)" if doc.draft else ""
    for path in written:
        click.echo(f"ทำ{doc.title}แล้ว{draft}: {path}")
