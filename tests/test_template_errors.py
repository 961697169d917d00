"""An agency's broken Word template: the error is Thai and names the paragraph by its first words, never
Jinja's line of document.xml ("บรรทัดแม่แบบ 1") or the raw XML it saw."""

from __future__ import annotations

import io

import docx
import pytest

from prongsai.documents import DocumentTemplateError, load_document_data, make_docx, sample_context, validate_template
from prongsai.examples import example_path


def template(*paragraphs: str, cell: str = "", header: str = "") -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if cell:
        document.add_table(rows=1, cols=1).cell(0, 0).text = cell
    if header:
        document.sections[0].header.paragraphs[0].text = header
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


CASES = [
    (  # an {% if %} never closed
        template("ประกาศเรื่องมาตรการ", "{% if meeting_date %}จากการประชุมเมื่อวันที่ {{ meeting_date }}", "ลงชื่อ"),
        ["คำสั่ง if ไม่มีคำสั่ง endif ปิดท้าย", "ย่อหน้าที่ขึ้นต้นว่า “จากการประชุมเมื่อวันที่”"],
    ),
    (  # an unknown placeholder in running text
        template("หัวเรื่อง {{ agency_name }}", "ผลคะแนนของหน่วยงานในปีนี้ {{ totl }} คะแนน"),
        ["ไม่รู้จักช่อง “totl”", "ย่อหน้าที่ขึ้นต้นว่า “ผลคะแนนของหน่วยงานในปีนี้ … คะแนน”"],
    ),
    (  # a filter that does not exist
        template("สรุป", "ผลคะแนนรวม {{ total | bigger }} คะแนน"),
        ["ไม่มีตัวกรอง (filter) ชื่อ “bigger”", "ย่อหน้าที่ขึ้นต้นว่า “ผลคะแนนรวม … คะแนน”"],
    ),
    (  # an end tag with no opening
        template("ก่อนหน้า", "{% endif %}ข้อความหลังคำสั่ง"),
        ["คำสั่ง endif ไม่มีคำสั่งเปิดที่คู่กัน", "“ข้อความหลังคำสั่ง”"],
    ),
    (  # a placeholder that does not parse
        template("ตารางคะแนน {{ total + }} ท้ายย่อหน้า"),
        ["เขียนช่องหรือคำสั่งไม่ถูกรูปแบบ", "“ตารางคะแนน … ท้ายย่อหน้า”"],
    ),
    (  # a paragraph holding only placeholders, in a table: named by its place
        template("ส่วนนำ", cell="{% for r in recommendations %}{{ r.txt }}{% endfor %}"),
        ["ไม่รู้จักช่อง “txt”", "ย่อหน้าที่ 2 (ในตาราง)"],
    ),
    (  # the header of the page
        template("เนื้อหา", header="หัวกระดาษของ {{ agency_nme }}"),
        ["ไม่รู้จักช่อง “agency_nme”", "หัวกระดาษ"],
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_a_broken_template_is_explained_in_thai_by_its_paragraph(body: bytes, expected: list[str]) -> None:
    problems = validate_template(body, *sample_context("measures"))
    assert len(problems) == 1, problems
    for words in expected:
        assert words in problems[0], problems[0]
    assert "บรรทัด" not in problems[0] and "<w:" not in problems[0]


@pytest.mark.parametrize(
    "body",
    [
        template("{% if meeting_date %}จากการประชุมเมื่อวันที่ {{ meeting_date }}"),
        template("ผลคะแนนของหน่วยงานในปีนี้ {{ totl }} คะแนน"),
        template("ผลคะแนนรวม {{ total | bigger }} คะแนน"),
    ],
)
def test_making_a_document_with_it_says_the_same(body: bytes) -> None:
    with pytest.raises(DocumentTemplateError) as raised:
        make_docx("measures", load_document_data(example_path("songkhanong-2565-plan.yaml")), template=body)
    message = str(raised.value)
    assert message.startswith("แม่แบบใช้ไม่ได้: ") and "ย่อหน้าที่ขึ้นต้นว่า “" in message, message
