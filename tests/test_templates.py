"""The default Word templates: shipped as scripts/build-templates makes them, using only the context keys of
the contract, and rendering through docxtpl in a sandbox with every variable defined."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import io
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build-templates"
TEMPLATES = ROOT / "src" / "prongsai" / "documents" / "templates"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

KEYS = {
    "measures.docx": {
        "agency_name", "district", "province", "fiscal_year", "result_year", "total", "grade_line", "pass_line",
        "ranking", "highest", "lowest", "chart", "findings", "plan_opening", "recommendations",
        "measures", "signer_name", "signer_position", "sign_date", "draft", "draft_note",
    },
    "progress.docx": {
        "agency_name", "district", "province", "fiscal_year", "round_name", "report_date", "rows", "summary",
        "signer_name", "signer_position", "sign_date", "annual", "issues_heading", "issues", "draft", "draft_note",
    },
    "itas.docx": {"agency_name", "fiscal_year", "items"},
}  # fmt: skip
NAMES = sorted(KEYS)
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def th(text: str) -> str:
    return text.translate(THAI)


# ---------------------------------------------------------------------------------------------------------
# Sample contexts: อบต.ทรงคนอง as in the seed document (FY2564 result, FY2565 plan)

SCORES = [
    ("การปฏิบัติหน้าที่", "94.17"), ("การใช้อำนาจ", "91.23"), ("ประสิทธิภาพการสื่อสาร", "88.62"),
    ("การใช้งบประมาณ", "86.76"), ("คุณภาพการดำเนินงาน", "86.13"), ("การปรับปรุงการทำงาน", "85.83"),
    ("การแก้ไขปัญหาการทุจริต", "85.50"), ("การใช้ทรัพยากรของราชการ", "83.63"), ("การเปิดเผยข้อมูล", "48.46"),
    ("การป้องกันการทุจริต", "31.25"),
]  # fmt: skip
FINDINGS = [
    ("แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)",
     "ผลคะแนนที่พบมีประเด็นที่ต้องปรับปรุงในเรื่อง การสร้างจิตสำนึกให้เจ้าหน้าที่ดำเนินงานอย่างโปร่งใสไม่เอื้อประโยชน์"
     "ให้ผู้ประกอบการรายใดรายหนึ่ง และการสร้างความสะดวกในการขออนุญาตเพื่อนำทรัพย์สินของราชการไปใช้ปฏิบัติงานในหน่วยงาน"),
    ("แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (EIT)",
     "ผลคะแนนที่พบมีประเด็นจะต้องปรับปรุง คือ การให้เจ้าหน้าที่ภายในหน่วยงานได้ตระหนักถึงความสำคัญของการบริการ"
     "ประชาชนให้มากขึ้น จากผลคะแนนยังอยู่ในระดับไม่เต็มร้อย"),
    ("แบบวัดการเปิดเผยข้อมูลสาธารณะ (OIT)",
     "ผลคะแนน OIT พบว่าขาดข้อมูลหลายหัวข้อ หน่วยงานยังไม่เข้าใจรายละเอียดของแต่ละตัวชี้วัด จึงทำให้เตรียมข้อมูล"
     "และองค์ประกอบด้านข้อมูลไม่สอดคล้องกับตัวชี้วัด เช่น O2 ข้อมูลผู้บริหาร O3 อำนาจหน้าที่ O4 ข้อมูลการติดต่อ"
     " O6 กฎหมายที่เกี่ยวข้อง O37 การดำเนินการเพื่อจัดการความเสี่ยงการทุจริต O42 มาตรการส่งเสริมคุณธรรมและ"
     "ความโปร่งใสภายในหน่วยงาน ฯลฯ จึงควรมีการทำความเข้าใจกับรายละเอียดของแต่ละตัวชี้วัดก่อนจะดำเนินการเตรียม"
     "ข้อมูลต่าง ๆ และการกำหนดลิงก์ (URL) ที่สอดคล้องกับตัวชี้วัด"),
]  # fmt: skip
RECOMMENDATIONS = [
    ("ข้อมูลพื้นฐาน", "ให้มีการจัดทำข้อมูลผู้บริหารให้ครบองค์ประกอบ"),
    ("การปฏิสัมพันธ์ข้อมูล", "ด้าน Social Network เช่น Facebook ให้แสดงตำแหน่งเครือข่ายบนหน้าเว็บไซต์หลัก"),
    ("แผนการดำเนินการ", "ให้รายงานการกำกับติดตามการดำเนินงานประจำปี รอบ 6 เดือน"),
    ("การปฏิบัติ", "จัดให้มีคู่มือหรือมาตรฐานการปฏิบัติงานแสดงบนเว็บไซต์"),
    ("การให้บริการ", "ให้มีข้อมูลเชิงสถิติการให้บริการ และรายงานผลการสำรวจความพึงพอใจการให้บริการ"),
    ("แผนการใช้จ่ายงบประมาณประจำปี",
     "ให้มีแผนการใช้จ่ายงบประมาณประจำปี รายงานการกำกับติดตามการใช้จ่ายงบประมาณ ประจำปี รอบ 6 เดือน"
     " และรายงานผลการใช้จ่ายงบประมาณ ประจำปี 2565 ให้ครบองค์ประกอบโดยใช้ข้อมูลตามข้อบัญญัติงบประมาณ"),
    ("การจัดซื้อจัดจ้างหรือการจัดหาพัสดุ",
     "ให้มีประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ และรายงานผลการจัดซื้อจัดจ้างหรือการจัดหาพัสดุประจำปี"),
    ("บริหารและพัฒนาทรัพยากรบุคคล",
     "ให้มีการดำเนินการตามนโยบายการบริหารทรัพยากรบุคคล หลักเกณฑ์การบริหารและพัฒนาทรัพยากรบุคคล"
     " และรายงานผลการบริหารและพัฒนาทรัพยากรบุคคลประจำปี ให้ครบองค์ประกอบ"),
    ("การจัดการเรื่องร้องเรียนการทุจริต",
     "ให้จัดทำแนวปฏิบัติการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ และข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริต"
     "และประพฤติมิชอบ"),
    ("เจตจำนงสุจริตการบริหาร",
     "ให้ดำเนินการแสดงเจตจำนงสุจริตของผู้บริหารและมีการลงนามของผู้บริหารฯ และการมีส่วนร่วมของผู้บริหารฯ ให้ครบองค์ประกอบ"),
    ("การเสริมสร้างวัฒนธรรมองค์กร", "ให้แสดงกิจกรรมที่ค่านิยมปฏิบัติงานอย่างสุจริตในปี 2565"),
    ("แผนปฏิบัติการป้องกันการทุจริต",
     "ให้ดำเนินการจัดทำแผนปฏิบัติการป้องกันการทุจริตให้ครอบคลุมปี พ.ศ. 2565 รายงานการกำกับติดตามการดำเนินการป้องกัน"
     "การทุจริตประจำปี รอบ 6 เดือน ของปี พ.ศ. 2565 และรายงานผลการดำเนินการป้องกันการทุจริตประจำปีของปี 2564"),
    ("มาตรการส่งเสริมความโปร่งใสและป้องกันการทุจริตภายในหน่วยงาน", "ให้ดำเนินการจัดทำให้ครบองค์ประกอบ"),
]  # fmt: skip
MEASURES = [
    ("กำหนดแนวทาง มาตรการ การดำเนินงานจัดทำมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
     ["1. ผู้บริหารฯ และบุคลากรได้ร่วมกันประชุมหาแนวทางการดำเนินงาน",
      "2. มอบหมายงานในแต่ละกองงานที่เกี่ยวข้องดำเนินการ", "3. ติดตามผลการดำเนินงานอย่างต่อเนื่อง"],
     "ม.ค. – มี.ค. 65", "เอกสารต่าง ๆ ตามตัวชี้วัดบนเว็บไซต์ของหน่วยงานให้ครบถ้วน"),
    ("สร้างฐานความคิดให้บุคลากรหน่วยงาน",
     ["การประชาสัมพันธ์การดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"],
     "ม.ค. – มี.ค. 65", "ติดตามผล และดำเนินงานตามตัวชี้วัดบนเว็บไซต์ของหน่วยงานให้ครบถ้วน"),
    ("การปรับปรุงระบบการทำงาน และเติมประสิทธิภาพการสื่อสารให้ประชาชนในพื้นที่ทราบ",
     ["1. การปรับปรุงช่องทางการติดต่อของ อบต.ทรงคนอง ให้หลากหลาย",
      "2. ประชาสัมพันธ์การดำเนินงานของหน่วยงานให้ประชาชนทราบในทุกช่องทาง",
      "3. พัฒนาบุคลากรในหน่วยงานในด้านการบริการประชาชนให้มีความคุณธรรมและความโปร่งใส"],
     "ตลอดทั้งปี 2565", "ติดตามผล และดำเนินงานตามตัวชี้วัดบนเว็บไซต์ของหน่วยงานให้ครบถ้วน"),
]  # fmt: skip
AGENCY = {"agency_name": "องค์การบริหารส่วนตำบลทรงคนอง", "district": "พระประแดง", "province": "สมุทรปราการ"}
SIGNER = {"signer_name": "นายสมชาย ใจดี", "signer_position": "นายกองค์การบริหารส่วนตำบลทรงคนอง"}
# An ampersand in a URL: the context must be rendered with autoescape, or the XML breaks.
URL = "https://www.songkhanong.go.th/news.php?type=ita&year=2565"


def tiny_png() -> bytes:
    """A 40×20 grey PNG, written by hand so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    width, height = 40, 20
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def measures_context(chart: Any) -> dict[str, Any]:
    ranked = sorted(SCORES, key=lambda s: -float(s[1]))
    return {
        **AGENCY, **SIGNER,
        "fiscal_year": th("2565"), "result_year": th("2564"), "total": th("68.48"),
        "grade_line": "ระดับผลการประเมินอยู่ในระดับ C", "pass_line": th("ไม่ผ่านเกณฑ์ 85 คะแนน"),
        "ranking": [{"rank": th(str(k)), "name": n, "score": th(s)} for k, (n, s) in enumerate(ranked, start=1)],
        "highest": th(ranked[0][1]), "lowest": th(ranked[-1][1]),
        "chart": chart,
        "findings": [{"number": th(str(k)), "tool_name": n, "text": th(t)}
                     for k, (n, t) in enumerate(FINDINGS, start=1)],
        "plan_opening": th(
            "จากการประชุมเมื่อวันที่ 10 กุมภาพันธ์ 2565 ผู้บริหารฯ และเจ้าหน้าที่ขององค์การบริหารส่วนตำบลทรงคนอง"
            "ร่วมกันพิจารณากำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ดังนี้"
        ),
        "draft": False, "draft_note": "",
        "recommendations": [{"number": th(str(k)), "area": a, "text": th(t), "unit": "สำนักปลัด",
                             "sentence": th(f"ด้าน{a} {t} โดยมอบสำนักปลัดเป็นผู้รับผิดชอบ")}
                            for k, (a, t) in enumerate(RECOMMENDATIONS, start=1)],
        "measures": [{"number": th(str(k)), "title": t, "method": [th(s) for s in m], "unit": "สำนักปลัด",
                      "period": th(p), "follow_up": f} for k, (t, m, p, f) in enumerate(MEASURES, start=1)],
        "sign_date": th("15 กุมภาพันธ์ 2565"),
    }  # fmt: skip


def progress_context() -> dict[str, Any]:
    done = [
        [th("15 ม.ค. 2565: ประชุมผู้บริหารและบุคลากรเพื่อกำหนดแนวทาง"),
         th("1 ก.พ. 2565: มอบหมายงานให้ทุกกองตามคำสั่งที่ 12/2565")],
        [th("20 ก.พ. 2565: ประชาสัมพันธ์มาตรการทางเว็บไซต์และเสียงตามสาย")],
        [],
    ]  # fmt: skip
    return {
        **AGENCY, **SIGNER,
        "fiscal_year": th("2565"),
        "round_name": th("รอบ 6 เดือน (1 ตุลาคม 2564 – 31 มีนาคม 2565)"),
        "report_date": th("31 มีนาคม 2565"),
        "annual": False, "draft": False, "draft_note": "",
        "rows": [{"number": th(str(k)), "title": t, "unit": "สำนักปลัด", "period": th(p), "done": d or ["-"],
                  "done_later": ["-"], "result": [s, th(f"ร้อยละ {pct}")], "progress": th(f"{pct}%"),
                  "evidence": [URL] if d else [], "problems": "-"}
                 for k, ((t, _, p, _), d, pct, s) in enumerate(
                     zip(MEASURES, done, (100, 60, 0), ("ดำเนินการแล้วเสร็จ", "อยู่ระหว่างดำเนินการ",
                         "ยังไม่เริ่มดำเนินการ"), strict=True), start=1)],
        "summary": [th("มาตรการทั้งหมด 3 มาตรการ ดำเนินการแล้วเสร็จ 1 มาตรการ อยู่ระหว่างดำเนินการ 1 มาตรการ"
                       " ยังไม่เริ่มดำเนินการ 1 มาตรการ ความคืบหน้าเฉลี่ยร้อยละ 53.33")],
        "issues_heading": th("ปัญหา อุปสรรค และแนวทางดำเนินการในรอบ 6 เดือนหลัง"),
        "issues": [th("2. สร้างฐานความคิดให้บุคลากรหน่วยงาน (อยู่ระหว่างดำเนินการ ร้อยละ 60)")],
        "sign_date": th("31 มีนาคม 2565"),
    }  # fmt: skip


def itas_context() -> dict[str, Any]:
    items = [
        ("O1", "9.1", "โครงสร้าง", "มี", [URL], ""),
        ("O2", "9.1", "ข้อมูลผู้บริหาร", "มี", [URL, "https://www.songkhanong.go.th/executive.php"], "ปรับปรุงแล้ว"),
        ("O3", "9.1", "อำนาจหน้าที่", "ไม่มี", [], "อยู่ระหว่างจัดทำ"),
        ("O42", "10.2", "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน", "", [], ""),
    ]
    return {
        "agency_name": AGENCY["agency_name"],
        "fiscal_year": th("2565"),
        "items": [{"code": th(c), "sub": th(s), "title": t, "answer": a, "urls": u, "explanation": e}
                  for c, s, t, a, u, e in items],
    }  # fmt: skip


def sample_context(name: str, template: DocxTemplate, image: bytes | None = None) -> dict[str, Any]:
    if name == "measures.docx":
        return measures_context(InlineImage(template, io.BytesIO(image or tiny_png()), width=Cm(15)))
    return progress_context() if name == "progress.docx" else itas_context()


def render(path: Path, context_for: Any = sample_context) -> bytes:
    template = DocxTemplate(path)
    env = SandboxedEnvironment(undefined=StrictUndefined)
    template.render(context_for(path.name, template), jinja_env=env, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------
# Tests


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, capture_output=True)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_shipped_template_is_what_the_script_builds(rebuilt: Path, name: str) -> None:
    shipped, fresh = zipfile.ZipFile(TEMPLATES / name), zipfile.ZipFile(rebuilt / name)
    assert sorted(shipped.namelist()) == sorted(fresh.namelist())
    for part in ("word/document.xml", "word/styles.xml"):
        assert shipped.read(part).decode() == fresh.read(part).decode(), f"{name}: {part} differs; run the script"
    # Every other part too (settings, header, font table, core properties: the build has no timestamp in it).
    # Parts are compared rather than zip bytes, which depend on the zlib build.
    for part in shipped.namelist():
        assert shipped.read(part) == fresh.read(part), f"{name}: {part} differs; run scripts/build-templates"


@pytest.mark.parametrize("name", NAMES)
def test_placeholders_are_the_contract_keys(name: str) -> None:
    assert DocxTemplate(TEMPLATES / name).get_undeclared_template_variables() == KEYS[name]


@pytest.mark.parametrize("name", NAMES)
def test_renders_in_a_sandbox_with_strict_undefined(name: str) -> None:
    data = render(TEMPLATES / name)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("word/document.xml")
    tree = etree.fromstring(xml)  # well-formed: docxtpl itself parses with recover=True and would hide it
    text = "".join(tree.itertext())
    assert "{{" not in text and "{%" not in text and "}}" not in text
    assert "องค์การบริหารส่วนตำบลทรงคนอง" in text
    assert th("2565") in text
    for tc in tree.iter(f"{W}tc"):
        assert tc.find(f"{W}p") is not None, "a table cell without a paragraph is invalid in Word"


def test_measures_content() -> None:
    tree = etree.fromstring(zipfile.ZipFile(io.BytesIO(render(TEMPLATES / "measures.docx"))).read("word/document.xml"))
    text = "".join(tree.itertext())
    ranking, measures = [t for t in tree.iter(f"{W}tbl")][1:]
    assert len(ranking.findall(f"{W}tr")) == 1 + len(SCORES)
    assert len(measures.findall(f"{W}tr")) == 1 + len(MEASURES)
    assert f"คะแนนสูงสุด {th('94.17')} คะแนน" in text and f"คะแนนต่ำสุด {th('31.25')} คะแนน" in text
    assert f"{th('13')}) ด้านมาตรการส่งเสริมความโปร่งใส" in text
    assert "โดยมอบสำนักปลัดเป็นผู้รับผิดชอบ" in text
    assert "(นายสมชาย ใจดี)" in text
    # one paragraph per method step in the second column
    first_measure = measures.findall(f"{W}tr")[1]
    method_cell = first_measure.findall(f"{W}tc")[1]
    assert len(method_cell.findall(f"{W}p")) == len(MEASURES[0][1])
    assert len(list(tree.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))) == 1


def test_urls_with_an_ampersand_survive() -> None:
    for name in ("progress.docx", "itas.docx"):
        tree = etree.fromstring(zipfile.ZipFile(io.BytesIO(render(TEMPLATES / name))).read("word/document.xml"))
        assert URL in "".join(tree.itertext())


def test_empty_signer_prints_lines_to_fill_in() -> None:
    def context(name: str, template: DocxTemplate) -> dict[str, Any]:
        return {**progress_context(), "signer_name": "", "signer_position": "", "sign_date": "", "report_date": ""}

    text = "".join(
        etree.fromstring(
            zipfile.ZipFile(io.BytesIO(render(TEMPLATES / "progress.docx", context))).read("word/document.xml")
        ).itertext()
    )
    assert "(……" in text and "ตำแหน่ง ……" in text and "ข้อมูล ณ วันที่" not in text


@pytest.mark.parametrize("name", NAMES)
def test_typography(name: str) -> None:
    with zipfile.ZipFile(TEMPLATES / name) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
        document = etree.fromstring(package.read("word/document.xml"))
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts is not None
    assert {fonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"TH SarabunPSK"}
    assert not any("Theme" in attr or "theme" in attr for f in styles.iter(f"{W}rFonts") for attr in f.attrib)
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang is not None and lang.get(f"{W}bidi") == "th-TH"
    margins = document.find(f"{W}body/{W}sectPr/{W}pgMar")
    assert margins is not None
    # top 2.5 cm, bottom 2 cm, left 3 cm, right 2 cm, in twips
    assert [margins.get(f"{W}{s}") for s in ("top", "bottom", "left", "right")] == ["1417", "1134", "1701", "1134"]
    page = document.find(f"{W}body/{W}sectPr/{W}pgSz")
    assert page is not None
    text_width = int(page.get(f"{W}w", "0")) - 1701 - 1134
    for tbl in document.iter(f"{W}tbl"):
        grid = [int(c.get(f"{W}w", "0")) for c in tbl.iter(f"{W}gridCol")]
        assert sum(grid) <= text_width + 2
        layout = tbl.find(f"{W}tblPr/{W}tblLayout")
        assert layout is not None and layout.get(f"{W}type") == "fixed"
    assert 'w:val="thaiDistribute"' in package_text(name, "word/styles.xml")


def load_script() -> Any:
    loader = importlib.machinery.SourceFileLoader("build_templates", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_children_in_schema_order(name: str) -> None:
    """Word refuses a file whose property children are out of schema order (LibreOffice does not mind)."""
    script = load_script()
    orders = {"rPr": script.RPR_ORDER, "pPr": script.PPR_ORDER, "style": script.STYLE_ORDER,
              "tblPr": script.TBLPR_ORDER, "trPr": script.TRPR_ORDER, "tcPr": script.TCPR_ORDER}  # fmt: skip
    with zipfile.ZipFile(TEMPLATES / name) as package:
        for part in ("word/document.xml", "word/styles.xml", "word/header1.xml"):
            for element in etree.fromstring(package.read(part)).iter():
                local = etree.QName(element).localname
                if local not in orders or not element.tag.startswith(W):
                    continue
                ranks = [orders[local].index(etree.QName(child).localname) for child in element]
                assert ranks == sorted(ranks), f"{name} {part}: {local} children out of order"


def package_text(name: str, part: str) -> str:
    with zipfile.ZipFile(TEMPLATES / name) as package:
        return package.read(part).decode()
