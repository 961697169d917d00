"""Line breaks and the PDF's text layer (prongsai.documents.typeset, pdf.py): unit rules, then one real PDF."""

from __future__ import annotations

import collections
import io
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from prongsai.cli import main
from prongsai.documents.typeset import NBSP, WJ, plain, typeset

EXAMPLE = Path(__file__).parent.parent / "examples" / "songkhanong-2565-plan.yaml"
MARK = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.mark.parametrize(
    ("text", "unbroken"),
    [
        ("ผลคะแนน (๘๒.๐๐) คะแนน", "(๘๒.๐๐)"),
        ("ขาดข้อมูล O๑๗ และ O๒", "O๑๗"),
        ("ปีงบประมาณ พ.ศ. ๒๕๖๕ ของหน่วยงาน", "พ.ศ. ๒๕๖๕"),
        ("ด้าน Social Network เช่น Facebook", "Social Network"),
        ("โดยมอบสำนักปลัดฯเป็นผู้รับผิดชอบ", "สำนักปลัด"),
        ("ผู้บริหารติดตามความคืบหน้าของตัวชี้วัด", "ความคืบหน้า"),
    ],
)
def test_no_break_opportunity_inside_protected_spans(text: str, unbroken: str) -> None:
    out = typeset(text)
    assert plain(out) == text
    start = plain(out).index(unbroken)
    # map back: the protected span in the output holds no plain space and no zero-width space
    joined = out[out.index(unbroken[0]) :]
    assert " " not in unbroken.replace(" ", NBSP) or NBSP in out
    assert unbroken.replace(" ", "") in plain(joined).replace(" ", "")
    assert start >= 0


def test_joiners_never_precede_a_mark_and_spaces_are_single() -> None:
    out = typeset("ผู้บริหาร  และ  ผู้รับผิดชอบ  งบประมาณ ๑๒.๕๐%", ["เทศบาลตำบลบ้านดอน"])
    assert "  " not in plain(out)
    assert not re.search(f"[{WJ}\u200b {NBSP}]{MARK.pattern}", out)


def test_agency_terms_and_urls() -> None:
    out = typeset("ของเทศบาลตำบลบ้านดอน https://www.bandon.go.th/2568", ["เทศบาลตำบลบ้านดอน"])
    assert "https://www.bandon.go.th/2568" in out  # a URL stays breakable and exact
    assert WJ in out.split("https")[0]
    assert typeset(out, ["เทศบาลตำบลบ้านดอน"]) == out  # idempotent


def _joined(pdf_text: str) -> str:
    """pdftotext's lines joined: Thai to Thai across a line end without a space (Thai has none between
    words, and a wrapped line ends mid-sentence), anything else with one space."""
    out = ""
    for line in (x.strip() for x in pdf_text.replace(WJ, "").splitlines()):
        if not line:
            out += "\n"
        elif out and not out.endswith("\n"):
            out += ("" if THAI.match(line[0]) and THAI.match(out[-1]) else " ") + line
        else:
            out += line
    return out


@pytest.fixture(scope="module")
def measures(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, str]:
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and poppler are needed")
    folder = tmp_path_factory.mktemp("typeset")
    for args in (["-o", str(folder / "m.docx")], ["--pdf", "-o", str(folder / "m.pdf")]):
        with pytest.raises(SystemExit) as exited:
            main(["document", "measures", str(EXAMPLE), *args])
        assert not exited.value.code
    text = subprocess.run(["pdftotext", str(folder / "m.pdf"), "-"], capture_output=True, text=True, check=True)
    return (folder / "m.docx").read_bytes(), text.stdout


def test_page_numbers_are_thai_digits(measures: tuple[bytes, str]) -> None:
    _, text = measures
    assert "-๒-" in text.replace(" ", "")
    assert not re.search(r"^-\s*[ก-ฮ]\s*-", text, re.M)


def test_the_text_layer_holds_every_phrase_of_the_document(measures: tuple[bytes, str]) -> None:
    data, text = measures
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs] + [
        p.text for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs
    ]
    phrases = collections.Counter(w for p in paragraphs for w in plain(p).split())
    joined = _joined(text)
    missing = {w: (n, joined.count(w)) for w, n in phrases.items() if joined.count(w) < n}
    # Left: poppler files a stacked upper mark of Sarabun (ชี้) on the next line (ตัวชีว / ้ ัด) in up to 3 phrases
    assert len(missing) <= 3, missing
    assert "  " not in "".join(paragraphs)


def test_no_number_or_code_is_broken_across_lines(measures: tuple[bytes, str]) -> None:
    _, text = measures
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    for before, after in itertools.pairwise(lines):
        # (table cells are lines of their own, so two numbers on consecutive lines are not a split number)
        assert not (re.search(r"[๐-๙0-9][.,:/]$|\($", before) and re.match(r"[๐-๙0-9]", after)), (before, after)
        assert not (re.search(r"[๐-๙0-9]$", before) and re.match(r"[.,:/%)][๐-๙0-9)]?", after)), (before, after)
        assert not (before.endswith("O") and re.match("[๐-๙0-9]", after)), (before, after)
        assert not (before.endswith("พ.ศ.") and re.match("[๐-๙0-9]", after))
        for term in ("สำนักปลัด", "งบประมาณ", "ผู้รับผิดชอบ", "ผู้บริหาร", "องค์การบริหารส่วนตำบลทรงคนอง"):
            for k in range(1, len(term)):
                assert not (before.endswith(term[:k]) and after.startswith(term[k:])), (term, before, after)
