"""The official documents from the seed's data: DOCX text, PDF text layer, templates, CLI."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from prongsai.cli import main
from prongsai.documents import (
    Converter,
    DocumentData,
    load_document_data,
    make_docx,
    pdf_variant,
    sample_context,
    validate_template,
)
from prongsai.documents.render import template_path
from prongsai.documents.typeset import plain
from prongsai.errors import InputError
from prongsai.thai import to_thai_digits

EXAMPLES = Path(__file__).parents[1] / "examples"
PLAN = EXAMPLES / "songkhanong-2565-plan.yaml"
SEED_SCORES = ["94.17", "91.23", "88.62", "86.76", "86.13", "85.83", "85.50", "83.63", "48.46", "31.25"]
SEED_ORDER = [
    "การปฏิบัติหน้าที่",
    "การใช้อำนาจ",
    "ประสิทธิภาพการสื่อสาร",
    "การใช้งบประมาณ",
    "คุณภาพการดำเนินงาน",
    "การปรับปรุงการทำงาน",
    "การแก้ไขปัญหาการทุจริต",
    "การใช้ทรัพยากรของราชการ",
    "การเปิดเผยข้อมูล",
    "การป้องกันการทุจริต",
]
SEED_MEASURES = [
    "กำหนดแนวทาง มาตรการ การดำเนินงานจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    "สร้างฐานความคิดให้บุคลากรหน่วยงาน",
    "การปรับปรุงระบบการทำงาน และเติมประสิทธิภาพการสื่อสารให้ประชาชนในพื้นที่ทราบ",
]
HEADINGS = ["มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "คะแนนสูงสุดรายตัวชี้วัด", "องค์การบริหารส่วนตำบลทรงคนอง"]
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice and poppler-utils are installed by .ci/run",
)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return plain("\n".join(parts))  # as a reader searches it: no word joiners (prongsai.documents.typeset)


def ranking_rows(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    table = next(t for t in document.tables if "อันดับ" in t.rows[0].cells[0].text)
    return [[plain(c.text).strip() for c in row.cells] for row in table.rows[1:]]


@pytest.fixture(scope="module")
def measures_docx() -> bytes:
    return make_docx("measures", load_document_data(PLAN), on=dt.date(2022, 2, 10))


def test_the_measures_document_holds_every_score_indicator_and_measure(measures_docx: bytes) -> None:
    text = docx_text(measures_docx)
    for score in [*SEED_SCORES, "68.48"]:
        assert to_thai_digits(score) in text
    for name in SEED_ORDER:
        assert name in text
    for title in SEED_MEASURES:
        assert title in text
    for heading in HEADINGS:
        assert heading in text
    assert "อำเภอพระประแดง" in text or "พระประแดง" in text
    assert "O๔๒ มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in text  # findings name the missing items
    assert "๑๐ กุมภาพันธ์ ๒๕๖๕" in text  # the meeting, in Buddhist era and Thai digits


def test_the_ranking_is_in_the_seeds_order(measures_docx: bytes) -> None:
    rows = ranking_rows(measures_docx)
    assert [r[1] for r in rows] == SEED_ORDER
    assert [r[0] for r in rows] == [to_thai_digits(str(k)) for k in range(1, 11)]
    assert [r[2] for r in rows] == [to_thai_digits(s) for s in SEED_SCORES]


def test_thai_digits_can_be_turned_off() -> None:
    text = docx_text(make_docx("measures", load_document_data(PLAN), thai_digits=False))
    assert "68.48" in text and "๖๘.๔๘" not in text


def test_the_docx_sets_thai_fonts_on_the_complex_script_slots(measures_docx: bytes) -> None:
    styles = zipfile.ZipFile(io.BytesIO(measures_docx)).read("word/styles.xml").decode()
    assert 'w:cs="TH SarabunPSK"' in styles and "w:szCs" in styles and 'w:bidi="th-TH"' in styles


def test_progress_reports_half_year_and_annual() -> None:
    data = load_document_data(PLAN)
    half = docx_text(make_docx("progress", data))
    annual = docx_text(make_docx("progress", data, annual=True))
    assert "รอบ ๖ เดือน" in half and "๓๑ มีนาคม ๒๕๖๕" in half
    assert "รอบ ๑๒ เดือน" in annual and "๓๐ กันยายน ๒๕๖๕" in annual
    for title in SEED_MEASURES:
        assert title in half
    assert "ร้อยละ ๑๐๐" in half and "มอบหมายงานแต่ละกองและเผยแพร่มาตรการบนเว็บไซต์" in half
    # what was done after March is in the annual report only, in a column of its own
    assert "อบรมบุคลากรด้านการบริการประชาชน" in annual and "อบรมบุคลากรด้านการบริการประชาชน" not in half
    assert "ผลการดำเนินการ เม.ย. – ก.ย." in annual and "ผลการดำเนินการ เม.ย. – ก.ย." not in half


def test_the_itas_sheet_lists_every_item() -> None:
    text = docx_text(make_docx("itas", load_document_data(PLAN)))
    assert "O๔๓" in text and "การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in text
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๕" in text and "องค์การบริหารส่วนตำบลทรงคนอง" in text


def test_the_itas_sheet_is_the_round_being_prepared_with_the_registers_urls(tmp_path: Path) -> None:
    """The plan year's items (a FY2568 result plans FY2569: 26 items), answered from the file's register
    section with its URLs and explanations; last year's answers are not this round's."""
    import yaml

    from prongsai.frameworks import get_framework

    plan_year = get_framework(2569)
    first, last = plan_year.items[0], plan_year.items[-1]
    raw = {
        "fiscal_year": 2568,
        "agency": {"name": "เทศบาลตำบลบ้านดอน"},
        "indicators": {n: 90.0 for n in range(1, 11)},
        "register": {
            first.code: {"answer": "มี", "urls": ["https://bandon.go.th/o1", "https://bandon.go.th/o1b"]},
            last.code: {"answer": "ไม่มี", "explanation": "อยู่ระหว่างจัดทำ"},
        },
    }
    path = tmp_path / "bandon.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    document = docx.Document(io.BytesIO(make_docx("itas", load_document_data(path))))
    text = docx_text(make_docx("itas", load_document_data(path)))
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๙" in text and "เทศบาลตำบลบ้านดอน" in text
    rows = [[plain(c.text) for c in row.cells] for row in document.tables[0].rows[1:]]
    assert [to_thai_digits(i.code) for i in plan_year.items] == [r[0] for r in rows]
    assert rows[0][3] == "มี" and rows[0][4] == "https://bandon.go.th/o1\nhttps://bandon.go.th/o1b"
    assert rows[-1][3] == "ไม่มี" and rows[-1][5] == "อยู่ระหว่างจัดทำ" and rows[1][3] == ""
    raw["register"] = {"O43": "มี"}  # FY2569 has no O43
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="ไม่มีข้อ O43"):
        load_document_data(path)


def test_a_drafted_plan_when_the_data_has_none() -> None:
    data = load_document_data(EXAMPLES / "songkhanong-2564.yaml")
    assert data.fiscal_year == 2565 and len(data.recommendations) >= 10 and len(data.measures) >= 3


def test_a_drafted_plan_names_the_lowest_questions_of_the_practice_survey_answers_it_lists(tmp_path: Path) -> None:
    """The CLI's drafting, like the web's, names the survey questions that scored lowest where answers are known."""
    data_file = tmp_path / "plan.yaml"
    data_file.write_text(f"result: {EXAMPLES / 'songkhanong-2564.yaml'}\n", encoding="utf-8")
    without = load_document_data(data_file)
    (tmp_path / "answers.csv").write_bytes((EXAMPLES / "iit-answers-2564.csv").read_bytes())
    data_file.write_text(
        f"result: {EXAMPLES / 'songkhanong-2564.yaml'}\nsurvey_answers: [answers.csv]\n", encoding="utf-8"
    )
    with_answers = load_document_data(data_file)
    steps = [step for m in with_answers.measures for step in m.method if "คะแนนต่ำที่สุดในแบบวัด" in step]
    assert steps and not any("คะแนนต่ำที่สุดในแบบวัด" in s for m in without.measures for s in m.method)
    data_file.write_text(
        f"result: {EXAMPLES / 'songkhanong-2564.yaml'}\nsurvey_answers: [nowhere.csv]\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"nowhere\.csv"):
        load_document_data(data_file)


# --- templates --------------------------------------------------------------------------------


def _template_with(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{{ agency_nme }}", "agency_nme"),
        ("{% for x in %}", "ย่อหน้า"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ],
)
def test_a_broken_or_unsafe_template_is_refused_with_the_reason(body: str, problem: str) -> None:
    problems = validate_template(_template_with(body), *sample_context("measures"))
    assert problems and any(problem in p for p in problems), problems


def test_a_file_that_is_not_a_docx_is_refused() -> None:
    assert "docx" in validate_template(b"not a zip", *sample_context("measures"))[0]


@pytest.mark.parametrize("kind", ["measures", "progress", "itas"])
def test_the_shipped_templates_validate(kind: str) -> None:
    assert validate_template(template_path(kind), *sample_context(kind)) == []


def test_an_agency_template_with_letterhead_wording(tmp_path: Path) -> None:
    own = _template_with("หนังสือของ {{ agency_name }} ปีงบประมาณ {{ fiscal_year }} คะแนน {{ total }}")
    text = docx_text(make_docx("measures", load_document_data(PLAN), template=own))
    assert "หนังสือของ องค์การบริหารส่วนตำบลทรงคนอง ปีงบประมาณ ๒๕๖๕ คะแนน ๖๘.๔๘" in text


def test_the_pdf_variant_names_the_bundled_font_at_matching_size(measures_docx: bytes) -> None:
    variant = zipfile.ZipFile(io.BytesIO(pdf_variant(measures_docx)))
    styles = variant.read("word/styles.xml").decode()
    document = variant.read("word/document.xml").decode()
    assert "TH SarabunPSK" not in styles + document and '"Sarabun"' in styles
    assert 'w:val="thaiDistribute"' not in styles + document
    assert '<w:sz w:val="22"/>' in styles  # 16 pt (32 half-points) × 0.69 ≈ 11 pt


# --- PDF through LibreOffice ------------------------------------------------------------------


@needs_libreoffice
def test_the_pdf_has_a_thai_text_layer(measures_docx: bytes, tmp_path: Path) -> None:
    converter = Converter(tmp_path / "lo")
    try:
        pdf = converter.to_pdf(measures_docx, "measures")
    finally:
        converter.close()
    (tmp_path / "m.pdf").write_bytes(pdf)

    def extract(*mode: str) -> str:
        out = subprocess.run(
            ["pdftotext", *mode, str(tmp_path / "m.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        return "".join(out.split())

    reading_order = extract()  # what search in Evince/Okular sees
    for needle in [*HEADINGS, *SEED_ORDER, "ข้อเสนอแนะในการพัฒนาคุณธรรมและความโปร่งใส"]:
        assert "".join(needle.split()) in reading_order, needle
    content_order = extract("-raw")  # the wrapped cells of the measures table, read in order
    for needle in SEED_MEASURES:
        assert "".join(needle.split()) in content_order, needle
    fonts = subprocess.run(["pdffonts", str(tmp_path / "m.pdf")], capture_output=True, text=True).stdout
    assert "Sarabun" in fonts  # the bundled font, embedded: right on a machine without Thai fonts


@needs_libreoffice
def test_cli_makes_docx_and_pdf(tmp_path: Path) -> None:
    out = tmp_path / "measures.docx"
    result = CliRunner().invoke(main, ["document", "measures", str(PLAN), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert out.exists() and out.with_suffix(".pdf").read_bytes().startswith(b"%PDF")


@needs_libreoffice
def test_cli_all_makes_a_batch_in_parallel(tmp_path: Path) -> None:
    folder = tmp_path / "agencies"
    folder.mkdir()
    for k in range(3):
        text = (EXAMPLES / "songkhanong-2564.yaml").read_text(encoding="utf-8")
        (folder / f"agency{k}.yaml").write_text(text.replace("ทรงคนอง", f"ทดสอบ{k}"), encoding="utf-8")
    (folder / "broken.yaml").write_text("fiscal_year: 2599\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["document", "measures", str(folder), "--all", "--pdf", "--workers", "2", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2  # the broken file is reported; the others are made
    assert "broken.yaml" in result.stderr
    assert len(list((tmp_path / "out").glob("*.docx"))) == 3 and len(list((tmp_path / "out").glob("*.pdf"))) == 3


def test_cli_itas_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "itas.docx"
    result = CliRunner().invoke(main, ["document", "itas", str(PLAN), "-o", str(out), "--xlsx"])
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    rows = list(load_workbook(out.with_suffix(".xlsx")).active.iter_rows(values_only=True))
    assert len(rows) == 2 + 43 and rows[2][0] == "O1"
    assert "๒๕๖๕" in str(rows[0][0]) or "2565" in str(rows[0][0])
    assert "องค์การบริหารส่วนตำบลทรงคนอง" in str(rows[0][0])


def test_cli_bad_template_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "mine.docx"
    bad.write_bytes(_template_with("{{ agency_nme }}"))
    result = CliRunner().invoke(main, ["document", "measures", str(PLAN), "--template", str(bad)])
    assert result.exit_code == 2 and "agency_nme" in result.stderr and "Traceback" not in result.stderr


@needs_libreoffice
def test_pdf_lines_break_between_thai_words(measures_docx: bytes, tmp_path: Path) -> None:
    """Every line end inside a Thai paragraph falls on a word boundary (PyThaiNLP newmm), or splits a
    compound into two dictionary words (หน่วย|งาน), as the research's check counts it."""
    from pythainlp.corpus import thai_words
    from pythainlp.tokenize import word_tokenize

    converter = Converter(tmp_path / "lo")
    try:
        (tmp_path / "m.pdf").write_bytes(converter.to_pdf(measures_docx, "measures"))
    finally:
        converter.close()
    lines = subprocess.run(
        ["pdftotext", "-raw", str(tmp_path / "m.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    words = set(thai_words()) | {"ทรงคนอง"}
    checked, bad = 0, []
    for upper, lower in itertools.pairwise(lines):
        if len(upper) < 30 or not upper[-1:].isalpha() or not lower[:1].isalpha() or upper[-1] < "ก":
            continue  # only breaks inside running Thai text
        left, right = upper.split()[-1], lower.split()[0]
        joined = left + right
        boundaries = {0}
        for token in word_tokenize(joined, engine="newmm"):
            boundaries.add(max(boundaries) + len(token))
        checked += 1
        tail, head = left[-6:], right[:6]
        if len(left) not in boundaries and not (
            any(left.endswith(w) for w in words if len(w) > 1) and any(right.startswith(w) for w in words if len(w) > 1)
        ):
            bad.append(f"{tail}|{head}")
    assert checked >= 10
    assert not bad, bad


def _plan_on(result_year: int, plan_year: int, scores: dict[int, float]) -> DocumentData:
    from dataclasses import replace

    from prongsai.frameworks import get_framework
    from prongsai.results import Results

    data = load_document_data(PLAN)
    assert data.results is not None
    results = Results("test", get_framework(result_year), scores, agency=data.results.agency)
    # the example's signing date is of its own year (FY2565): a later plan is not yet signed
    return replace(data, results=results, fiscal_year=plan_year, signed_on=None)


def test_a_rating_year_writes_the_rating_word_as_an_official_does() -> None:
    good = {n: 90.0 for n in range(1, 11)}
    text = docx_text(make_docx("measures", _plan_on(2568, 2569, good)))
    assert "ระดับผลการประเมินอยู่ในระดับผ่านดี" in text
    assert "ระดับผลการประเมินอยู่ในระดับ C" in docx_text(make_docx("measures", load_document_data(PLAN)))


def test_every_document_of_a_provisional_year_says_so_first() -> None:
    data = _plan_on(2569, 2570, {n: 90.0 for n in range(1, 11)})
    line = "กรอบการประเมินปี ๒๕๗๐ เป็นกรอบชั่วคราวที่ใช้กรอบปี ๒๕๖๙ ไปก่อน"
    for kind, annual in (("measures", False), ("progress", False), ("progress", True)):
        first = plain(docx.Document(io.BytesIO(make_docx(kind, data, annual=annual))).paragraphs[0].text)
        assert first.startswith(line), (kind, first)
    itas = replace_register_year(data, 2570)
    assert plain(docx.Document(io.BytesIO(make_docx("itas", itas))).paragraphs[0].text).startswith(line)
    for kind in ("measures", "progress", "itas"):  # a year whose manual is out says nothing of the kind
        assert "กรอบชั่วคราว" not in docx_text(make_docx(kind, _plan_on(2568, 2569, {n: 90.0 for n in range(1, 11)})))


def replace_register_year(data: DocumentData, year: int) -> DocumentData:
    from dataclasses import replace

    return replace(data, register_year=year, register={})
