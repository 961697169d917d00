"""The kit's own kinds (integrity declaration, risk, anti-corruption, HR, No Gift): data in from the files an
agency writes (tests/kit/data), DOCX and PDF out, the text layer, ร่าง until reviewed, the validator's errors,
CSV/XLSX rows, the CLI, and the mapping of kinds to each year's items."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path
from typing import Any, get_args

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from lxml import etree

from prongsai.cli import main
from prongsai.documents.pdf import Converter
from prongsai.errors import InputError
from prongsai.framework import DocumentKind
from prongsai.frameworks import get_framework
from prongsai.kit import KINDS, dataset, item_for, kind, load_kinds, make, publication_year
from prongsai.kit.base import ComposeOptions, DatasetData, Image
from prongsai.kit.files import blank_file, load_dataset_file
from prongsai.kit.kinds.risk import BANDS, band_of, matrix_description
from prongsai.kit.render import docx_bytes
from prongsai.kit.validate import parse_dataset, rows_from_table
from prongsai.thai import to_thai_digits

from .statdocs import doc_texts, needs_pdf_tools, pdf_text, torn_lines, unspaced

DATA = Path(__file__).parent / "data"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# (data file, kind): every kind of the five datasets, from the file an agency would write.
CASES = [
    ("declaration-2565.yaml", "integrity_declaration"),
    ("risk_register-2569.yaml", "risk_assessment"),
    ("risk_register-2569.yaml", "risk_report"),
    ("anticorruption-2567.yaml", "anticorruption_plan"),
    ("anticorruption-2567.yaml", "anticorruption_half_year"),
    ("anticorruption-2567.yaml", "anticorruption_report"),
    ("hr-2568.yaml", "hr_policy"),
    ("hr-2568.yaml", "hr_report"),
    ("nogift-2568.yaml", "no_gift"),
    ("nogift-2568.yaml", "no_gift_report"),
]
OWN_KINDS = sorted({k for _f, k in CASES})
IDS = [k for _f, k in CASES]


def load(name: str) -> DatasetData:
    return load_dataset_file(DATA / name)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, bytes, bytes]]:
    """kind → (OfficialDoc, DOCX, PDF), the PDFs made in one LibreOffice batch."""
    folder = tmp_path_factory.mktemp("kit")
    docs = {k: make(k, load(f)) for f, k in CASES}
    paths = []
    for code, doc in docs.items():
        path = folder / f"{code}.docx"
        path.write_bytes(docx_bytes(doc))
        paths.append(path)
    converter = Converter(folder / "lo")
    try:
        pdfs = converter.to_pdfs(paths, folder / "pdf")
        return {
            c: (docs[c], (folder / f"{c}.docx").read_bytes(), p.read_bytes()) for c, p in zip(docs, pdfs, strict=True)
        }
    finally:
        converter.close()


# --- the documents -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("file", "code"), CASES, ids=IDS)
def test_title_is_the_items_own_title_of_the_year_it_answers(file: str, code: str) -> None:
    data = load(file)
    doc = make(code, data)
    year = publication_year(kind(code), data.fiscal_year)
    item = item_for(code, year)
    title = item.title_th if item else kind(code).title_th
    # the declaration's title is the item's words after ประกาศ; the half-year round may be in Thai digits
    assert to_thai_digits(title) in to_thai_digits(doc.title)
    assert f"ประจำปีงบประมาณ พ.ศ. {to_thai_digits(str(data.fiscal_year))}" in doc.subtitle


@pytest.mark.parametrize(("file", "code"), CASES, ids=IDS)
def test_no_arabic_digits_and_no_english_internals(file: str, code: str) -> None:
    doc = make(code, load(file))
    for text in doc_texts(doc):
        assert not re.search(r"[0-9]", text), (code, text)
        assert "_" not in text and "None" not in text, (code, text)


@pytest.mark.parametrize("code", OWN_KINDS)
def test_docx_typography(made: dict[str, tuple[Any, bytes, bytes]], code: str) -> None:
    """TH SarabunPSK on every slot incl. cs, A4 with the สารบรรณ margins, fixed grids within the text
    column, a repeated grey header row: the rules of prongsai.documents.docxstyle."""
    doc, docx, _pdf = made[code]
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        body = etree.fromstring(package.read("word/document.xml"))
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts is not None
    assert {fonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"TH SarabunPSK"}
    size = body.find(f"{W}body/{W}sectPr/{W}pgSz")
    margins = body.find(f"{W}body/{W}sectPr/{W}pgMar")
    assert size is not None and margins is not None
    width, height = int(size.get(f"{W}w", "0")), int(size.get(f"{W}h", "0"))
    assert (width > height) == doc.landscape
    assert sorted((width, height)) == [11906, 16838]  # A4
    assert [margins.get(f"{W}{s}") for s in ("top", "bottom", "left", "right")] == ["1417", "1134", "1701", "1134"]
    for tbl in body.iter(f"{W}tbl"):
        grid = [int(c.get(f"{W}w", "0")) for c in tbl.iter(f"{W}gridCol")]
        assert sum(grid) <= width - 1701 - 1134 + 2
        first = tbl.find(f"{W}tr")
        assert first is not None and first.find(f"{W}trPr/{W}tblHeader") is not None
        assert first.find(f".//{W}shd").get(f"{W}fill") == "D9D9D9"  # type: ignore[union-attr]


@pytest.mark.parametrize(("file", "code"), [CASES[1], CASES[6]], ids=["after-a-table", "after-a-paragraph"])
def test_the_signature_keeps_what_precedes_it_on_its_page(file: str, code: str) -> None:
    """A signature never stands alone on a last page: the paragraph before it (ประกาศ ณ วันที่), or every
    paragraph of the table's last row before it, is kept with the next (w:keepNext); the rows above are not."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes(make(code, load(file))))) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    blocks = [e for e in body if e.tag in (f"{W}p", f"{W}tbl")]
    first_dots = next(k for k, e in enumerate(blocks) if "……………" in "".join(e.itertext()))
    before = blocks[first_dots - 1]

    def kept(paragraph: Any) -> bool:
        return paragraph.find(f"{W}pPr/{W}keepNext") is not None

    if before.tag == f"{W}tbl":
        rows = before.findall(f"{W}tr")
        assert all(kept(p) for p in rows[-1].iter(f"{W}p"))
        assert not any(kept(p) for p in rows[-2].iter(f"{W}p"))
    else:
        text = re.sub("[\u200b\u2060]", "", unspaced("".join(before.itertext())))  # typeset's breaks and joins
        assert "ประกาศณวันที่" in text and kept(before)


@needs_pdf_tools
@pytest.mark.parametrize("code", OWN_KINDS)
def test_pdf_text_layer(made: dict[str, tuple[Any, bytes, bytes]], code: str) -> None:
    """The title's words, the fiscal year in Thai digits, no mark torn from its consonant, no Arabic digit."""
    doc, _docx, pdf = made[code]
    text = pdf_text(pdf)
    assert unspaced(doc.title) in unspaced(text)
    year = re.search(r"[๐-๙]{4}", doc.subtitle[1])
    assert year is not None and f"พ.ศ.{year.group(0)}" in unspaced(text)
    assert torn_lines(text) == []
    assert not re.search(r"[0-9]", text.replace("\f", "")), code
    head = unspaced(text).split(unspaced(doc.title))[0]  # what is printed above the title
    assert ("ร่าง–ยังไม่ได้ตรวจทาน" in head) == doc.draft


def test_draft_until_reviewed() -> None:
    data = load("risk_register-2569.yaml")
    assert make("risk_assessment", data).draft
    reviewed = dataclasses.replace(data, reviewed=True)
    doc = make("risk_assessment", reviewed)
    assert not doc.draft
    assert b"\xe0\xb8\xa3\xe0\xb9\x88\xe0\xb8\xb2\xe0\xb8\x87 \xe2\x80\x93" not in _document_xml(docx_bytes(doc))
    assert "ร่าง – ยังไม่ได้ตรวจทาน".encode() in _document_xml(docx_bytes(make("risk_assessment", data)))


def _document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return package.read("word/document.xml")


def test_a_provisional_year_carries_the_notice() -> None:
    """The risk report on FY2569 is published in FY2570, whose framework is provisional."""
    assert get_framework(2570).provisional
    report = make("risk_report", load("risk_register-2569.yaml"))
    assert "๒๕๗๐" in report.notice
    assert make("risk_assessment", load("risk_register-2569.yaml")).notice == ""


def test_the_declaration_drafts_commitments_from_the_agency_name() -> None:
    doc = make("integrity_declaration", load("declaration-2565.yaml"))
    texts = doc_texts(doc)
    assert doc.title == "ประกาศเจตจำนงสุจริตของผู้บริหาร"  # FY2565 O34's words
    assert sum("องค์การบริหารส่วนตำบลทรงคนอง" in t for t in texts) >= 3
    assert "ประกาศ ณ วันที่ ๑ ตุลาคม พ.ศ. ๒๕๖๔" in texts
    assert not doc.draft  # the file says reviewed: true
    # no doubled clause: each commitment appears once and ends without a dangling connective
    commitments = [t for t in texts if re.match(r"^[๑-๙]\. ", t)]
    assert len(commitments) == len(set(commitments)) >= 5
    assert not any(t.rstrip().endswith(("และ", "หรือ", "โดย")) for t in texts if t)


def test_risk_levels_bands_and_matrix() -> None:
    data = load("risk_register-2569.yaml")
    doc = make("risk_assessment", data)
    register = next(b for b in doc.blocks if getattr(b, "columns", None) and len(b.columns) == 7)  # type: ignore[attr-defined]
    # 4 × 5 = 20 (สูงมาก), 3 × 4 = 12 (สูง), 2 × 2 = 4 (ปานกลาง), from the agency's own scores
    assert [row[5] for row in register.rows] == ["๒๐\nสูงมาก", "๑๒\nสูง", "๔\nปานกลาง"]
    assert [band_of(n) for n in (1, 3, 4, 8, 9, 14, 15, 25)] == [
        "ต่ำ",
        "ต่ำ",
        "ปานกลาง",
        "ปานกลาง",
        "สูง",
        "สูง",
        "สูงมาก",
        "สูงมาก",
    ]
    assert BANDS[-1][0] == 25
    image = next(b for b in doc.blocks if isinstance(b, Image))
    assert image.png.startswith(b"\x89PNG")
    assert "ความเสี่ยงที่ ๑ โอกาส ๔ ผลกระทบ ๕ ระดับ ๒๐ (สูงมาก)" in image.alt
    assert image.alt == matrix_description(data.rows)


def test_risk_report_results_come_from_the_updates() -> None:
    doc = make("risk_report", load("risk_register-2569.yaml"))
    table = next(b for b in doc.blocks if getattr(b, "columns", None))
    results = [row[5] for row in table.rows]  # type: ignore[attr-defined]
    # 100 % by 15 Aug: done; 60 % and the year over: not completed; no update at all: not completed (nothing reported)
    assert results == ["ดำเนินการแล้วเสร็จ\nร้อยละ ๑๐๐", "ไม่แล้วเสร็จตามกำหนด\nร้อยละ ๖๐", "ไม่แล้วเสร็จตามกำหนด\nร้อยละ ๐"]
    texts = " ".join(doc_texts(doc))
    assert "ความเสี่ยงที่ ๓ ดำเนินการตามมาตรการได้ร้อยละ ๐ ไม่แล้วเสร็จตามกำหนด (ไม่มีการรายงานผลการดำเนินการ)" in texts


def test_half_year_counts_only_updates_to_31_march() -> None:
    data = load("anticorruption-2567.yaml")
    half = make("anticorruption_half_year", data)
    annual = make("anticorruption_report", data)
    half_rows = next(b for b in half.blocks if getattr(b, "columns", None)).rows  # type: ignore[attr-defined]
    annual_rows = next(b for b in annual.blocks if getattr(b, "columns", None)).rows  # type: ignore[attr-defined]
    assert "เผยแพร่ครบ" not in half_rows[1][3] and "เผยแพร่ครบ" in annual_rows[1][3]  # dated 30/09/2567
    assert half_rows[2][5] == "ยังไม่ถึงกำหนดดำเนินการ\nร้อยละ ๐"  # starts 1 April
    assert annual_rows[2][5] == "ไม่แล้วเสร็จตามกำหนด\nร้อยละ ๔๐"
    # spent against the budget: 23,850 + 4,000 of 25,000 + 0 + 15,000.50
    summary = " ".join(doc_texts(annual))
    assert "ใช้จ่ายงบประมาณ ๒๗,๘๕๐.๐๐ บาท จากงบประมาณ ๔๐,๐๐๐.๕๐ บาท" in summary
    plan = make("anticorruption_plan", data)
    assert next(b for b in plan.blocks if getattr(b, "total", None)).total[4] == "๔๐,๐๐๐.๕๐"  # type: ignore[attr-defined]


def test_no_gift_report_without_gifts_says_so() -> None:
    doc = make("no_gift_report", load("nogift-none-2568.yaml"))
    texts = " ".join(doc_texts(doc))
    assert "ไม่มีผู้รายงานการรับทรัพย์สินหรือประโยชน์อื่นใดโดยธรรมจรรยา" in texts
    assert not any(getattr(b, "columns", None) for b in doc.blocks)
    with_gifts = " ".join(doc_texts(make("no_gift_report", load("nogift-2568.yaml"))))
    assert "๒ รายการ มูลค่ารวมโดยประมาณ ๓,๗๐๐.๐๐ บาท" in with_gifts


def test_arabic_digits_when_asked() -> None:
    doc = make("hr_policy", load("hr-2568.yaml"), ComposeOptions(thai_digits=False))
    assert "ประจำปีงบประมาณ พ.ศ. 2568" in doc.subtitle
    assert not any(re.search("[๐-๙]", t) for t in doc_texts(doc))


# --- validation --------------------------------------------------------------------------------------------


def _risk(**row: Any) -> dict[str, Any]:
    base = {"process": "งาน", "event": "เหตุการณ์", "likelihood": 3, "impact": 3, "measures": "ทำ", "owner": "กองคลัง"}
    return {**base, **row}


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ({"likelihood": 7}, "โอกาสที่จะเกิด (1–5)", "1 ถึง 5"),
        ({"impact": "มาก"}, "ผลกระทบ (1–5)", "จำนวนเต็ม"),
        ({"owner": ""}, "ผู้รับผิดชอบ", "ยังไม่ได้กรอก"),
        ({"updates": [{"date": "15/01/2026", "progress": 10}]}, "ผลการดำเนินการ", "พ.ศ. 2569"),
        ({"updates": [{"date": "15/01/2569", "progress": 120}]}, "ผลการดำเนินการ", "0 ถึง 100"),
        ({"updates": [{"date": "31/02/2569", "progress": 10}]}, "ผลการดำเนินการ", "ไม่มีวันที่ 31"),
    ],
)
def test_a_bad_value_names_row_field_and_fix(row: dict[str, Any], field: str, words: str) -> None:
    mapping = {"rows": [_risk(), _risk(**row)]}
    with pytest.raises(InputError) as caught:
        parse_dataset("risk_register", mapping, fiscal_year=2569, agency_name="อบต.ทดสอบ")
    assert caught.value.row == 2 and caught.value.field == field
    assert words in str(caught.value) and "แถว 2" in str(caught.value)
    assert mapping["rows"][1] == _risk(**row)  # the input is left as it was


def test_typed_values() -> None:
    data = parse_dataset(
        "anticorruption_plan",
        {"rows": [{"โครงการ/กิจกรรม": "ก", "objective": "ข", "budget": "๑,๕๐๐.๕๐ บาท", "indicator": "ค",
                   "start": "1 ต.ค. 2568", "end": "๓๐/๐๙/๒๕๖๙", "unit": "สำนักปลัด"}]},
        fiscal_year=2569, agency_name="อบต.ทดสอบ",
    )  # fmt: skip
    row = data.rows[0]
    assert str(row["budget"]) == "1500.50" and row["project"] == "ก"
    assert (row["start"].isoformat(), row["end"].isoformat()) == ("2025-10-01", "2026-09-30")


def test_unknown_field_and_dataset() -> None:
    with pytest.raises(InputError, match="ไม่รู้จักช่อง “likelyhood”"):
        parse_dataset("risk_register", {"rows": [_risk(likelyhood=3)]}, fiscal_year=2569, agency_name="ก")
    with pytest.raises(InputError, match="ไม่รู้จักชุดข้อมูล"):
        parse_dataset("risks", {}, fiscal_year=2569, agency_name="ก")
    with pytest.raises(InputError, match="ไม่รู้จักเอกสารชนิด"):
        make("risk_matrix", load("risk_register-2569.yaml"))
    with pytest.raises(InputError, match="ทำจากชุดข้อมูล"):
        make("hr_report", load("risk_register-2569.yaml"))


def test_rows_from_csv_and_xlsx(tmp_path: Path) -> None:
    """A spreadsheet headed by the Thai labels; an error names the sheet's own row number."""
    spec = dataset("risk_register")
    labels = [f.label_th for f in spec.rows if f.type != "updates"]
    rows = [
        ["การจัดซื้อจัดจ้าง", "รับผลประโยชน์", "4", "5", "มีกรรมการตรวจรับ", "เผยแพร่ทุกเดือน", "กองคลัง"],
        ["การเงิน", "เบิกจ่ายเกินจริง", "๒", "๓", "", "ตรวจสอบเอกสาร", "กองคลัง"],
    ]
    csv = tmp_path / "risks.csv"
    csv.write_text("\n".join(",".join(r) for r in [labels, *rows]) + "\n", encoding="utf-8")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for r in [labels, *rows]:
        sheet.append(r)
    book.save(tmp_path / "risks.xlsx")
    for name in ("risks.csv", "risks.xlsx"):
        file = tmp_path / f"{name}.yaml"
        file.write_text(
            f"dataset: risk_register\nfiscal_year: 2569\nagency: อบต.ทดสอบ\nrows_file: {name}\n", encoding="utf-8"
        )
        data = load_dataset_file(file)
        assert [(r["likelihood"], r["impact"]) for r in data.rows] == [(4, 5), (2, 3)]
        assert data.rows[1]["controls"] == ""
    sheet.cell(row=3, column=3, value="9")
    book.save(tmp_path / "risks.xlsx")
    with pytest.raises(InputError) as caught:
        load_dataset_file(tmp_path / "risks.xlsx.yaml")
    assert caught.value.row == 3 and caught.value.file == "risks.xlsx"
    assert len(rows_from_table("risk_register", csv)) == 2
    (tmp_path / "odd.csv").write_text("กระบวนงาน,ความเสี่ยงที่สุด\nก,ข\n", encoding="utf-8")
    with pytest.raises(InputError, match="ไม่รู้จักหัวคอลัมน์ “ความเสี่ยงที่สุด”"):
        rows_from_table("risk_register", tmp_path / "odd.csv")


@pytest.mark.parametrize("code", ["integrity_declaration", "risk_register", "anticorruption_plan", "hr", "no_gift"])
def test_blank_file_is_yaml_naming_every_field(code: str) -> None:
    load_kinds()
    text = blank_file(code)
    spec = dataset(code)
    for field in (*spec.header, *spec.rows):
        assert field.label_th in text and f"{field.name}:" in text
    import yaml

    assert yaml.safe_load(text)["dataset"] == code


# --- the CLI ------------------------------------------------------------------------------------------------


def test_cli_kinds_blank_and_make(tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["kit", "kinds", "--year", "2569"])
    assert listed.exit_code == 0
    assert "risk_assessment" in listed.output and "ข้อ O21 การประเมินความเสี่ยงการทุจริตในหน่วยงานภาครัฐ" in listed.output
    blank = runner.invoke(main, ["kit", "blank", "hr"])
    assert blank.exit_code == 0 and "dataset: hr" in blank.output
    out = tmp_path / "risk.docx"
    made = runner.invoke(
        main, ["kit", "make", str(DATA / "risk_register-2569.yaml"), "--kind", "risk_assessment", "-o", str(out)]
    )
    assert made.exit_code == 0, made.output
    assert "ร่าง" in made.output
    assert any("การประเมินความเสี่ยงการทุจริต" in p.text for p in Document(str(out)).paragraphs)


def test_cli_bad_input_is_one_thai_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "risk_register-2569.yaml").read_text(encoding="utf-8").replace("impact: 5", "impact: 6"))
    out = tmp_path / "never.docx"
    result = CliRunner().invoke(main, ["kit", "make", str(bad), "--kind", "risk_assessment", "-o", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "แถว 1" in result.output and "ผลกระทบ (1–5)" in result.output
    assert not out.exists()  # a failed make writes nothing
    unknown = CliRunner().invoke(main, ["kit", "blank", "risk"])
    assert unknown.exit_code == 2 and "ไม่รู้จักชุดข้อมูล" in unknown.output


# --- the mapping ---------------------------------------------------------------------------------------------


def test_every_registered_kind_is_a_document_kind() -> None:
    load_kinds()
    assert set(KINDS) <= set(get_args(DocumentKind))


# A kind's period → the coverages of the items it may answer.
COVERAGE = {
    "current_year": {"current_year", "standing"},
    "previous_year": {"previous_year"},
    "half_year": {"half_year"},
    "month": {"current_year"},
    "standing": {"standing", "current_year"},
}


@pytest.mark.parametrize("year", range(2563, 2571))
def test_each_kit_kind_is_mapped_where_the_items_coverage_is_its_period(year: int) -> None:
    """A report on last year answers only a previous-year item, a plan only a current-year (or standing) one:
    else the document says a year the item does not ask for."""
    for item in get_framework(year).items:
        if item.document in OWN_KINDS:
            assert item.coverage.value in COVERAGE[kind(item.document).period], (year, item.code, item.document)


def test_fy2570_inherits_the_mapping() -> None:
    assert [(i.code, i.document) for i in get_framework(2570).items if i.document] == [
        (i.code, i.document) for i in get_framework(2569).items if i.document
    ]


# (data file, report kind, a drafted problem when the agency gave none, the drafted suggestion)
CLOSINGS = [
    (
        "risk_register-2569.yaml",
        "risk_report",
        "ปัญหาและอุปสรรค: ความเสี่ยงที่ ๒ ดำเนินการตามมาตรการได้ร้อยละ ๖๐ ไม่แล้วเสร็จตามกำหนด",
        "ข้อเสนอแนะ: นำความเสี่ยงที่ยังจัดการไม่แล้วเสร็จไปทบทวน",
    ),
    (
        "anticorruption-2567.yaml",
        "anticorruption_report",
        "ปัญหาและอุปสรรค: โครงการเทศบาลโปร่งใส ประชาชนมีส่วนร่วม ดำเนินการได้ร้อยละ ๔๐ ไม่แล้วเสร็จตามกำหนด",
        "ข้อเสนอแนะ: นำโครงการที่ยังไม่แล้วเสร็จและผลการดำเนินการไปปรับปรุง",
    ),
    (
        "anticorruption-2567.yaml",
        "anticorruption_half_year",
        None,
        "ข้อเสนอแนะ: เร่งรัดโครงการที่ยังไม่เริ่มหรือล่าช้า",
    ),
    ("hr-2568.yaml", "hr_report", None, "ข้อเสนอแนะ: นำผลการดำเนินการไปปรับปรุงแผนการบริหารและพัฒนาทรัพยากรบุคคล"),
]


@pytest.mark.parametrize(("name", "code", "drafted_problem", "drafted_suggestion"), CLOSINGS)
def test_a_reports_closing_is_the_agencys_own_words_else_drafted(
    name: str, code: str, drafted_problem: str | None, drafted_suggestion: str
) -> None:
    """Every report kind's last section: the agency's problems and suggestions (the same two fields in each
    dataset), else a problem drafted from the rows not completed and a suggestion for the next step."""
    data = load(name)
    header = {k: v for k, v in data.header.items() if k not in ("problems", "suggestions")}
    drafted = " ".join(doc_texts(make(code, dataclasses.replace(data, header=header))))
    assert "ปัญหา อุปสรรค และข้อเสนอแนะ" in drafted and drafted_suggestion in drafted
    if drafted_problem:
        assert drafted_problem in drafted
    else:
        assert "ปัญหาและอุปสรรค: ไม่พบปัญหาและอุปสรรคในการดำเนินการ" in drafted
    own = {**header, "problems": "ผู้รับผิดชอบย้ายกลางปี", "suggestions": "มอบหมายผู้รับผิดชอบสำรองไว้ล่วงหน้า"}
    written = " ".join(doc_texts(make(code, dataclasses.replace(data, header=own))))
    assert "ปัญหาและอุปสรรค: ผู้รับผิดชอบย้ายกลางปี" in written and drafted_suggestion not in written
    assert "ข้อเสนอแนะ: มอบหมายผู้รับผิดชอบสำรองไว้ล่วงหน้า" in written
    assert "problems" in {f.name for f in dataset(kind(code).dataset).header}
    assert "suggestions" in {f.name for f in dataset(kind(code).dataset).header}
